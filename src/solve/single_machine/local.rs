//! Local search on one machine's permutation: the cost of a sequence, dynasearch (compound
//! independent swaps chosen by dynamic programming; Congram, Potts & van de Velde 2002) and
//! insertion moves, with delta evaluation.
//!
//! Without releases the machine never idles, so a swap of positions `i < k` changes only the
//! completions in `i..=k` (by the same amount for every job between them) and swaps on disjoint
//! ranges are independent: their gains add up, and the best set is a dynamic programme over
//! positions. With releases (idle time possible) the moves are scored by recomputing the
//! sequence from the first changed position instead.

/// The instance as the permutation search sees it (jobs indexed as in the problem).
#[derive(Debug, Clone)]
pub(crate) struct Model {
    pub p: Vec<i64>,
    /// Earliest start of each job (release, never below 0).
    pub r: Vec<i64>,
    pub due: Vec<Option<i64>>,
    /// Job weight times the objective's weight of each term.
    pub wt: Vec<f64>,
    pub wl: Vec<f64>,
    pub wf: Vec<f64>,
    pub we: Vec<f64>,
    /// Job release as the flow-time term measures it (may be negative).
    pub flow_from: Vec<i64>,
    /// Objective weight of makespan (the last completion).
    pub w_makespan: f64,
    /// Every release is 0: no idle time, swaps are independent.
    pub no_idle: bool,
    /// No earliness: every job's cost is non-decreasing in its completion.
    pub regular: bool,
}

impl Model {
    /// The cost of job `j` completing at `c`.
    #[inline]
    pub fn f(&self, j: usize, c: i64) -> f64 {
        let mut v = self.wf[j] * (c - self.flow_from[j]) as f64;
        if let Some(d) = self.due[j] {
            if c > d {
                v += self.wt[j] * (c - d) as f64 + self.wl[j];
            } else {
                v += self.we[j] * (d - c) as f64;
            }
        }
        v
    }

    /// Completion of each position of `perm` (into `c`) and the total cost.
    pub fn evaluate(&self, perm: &[u32], c: &mut Vec<i64>) -> f64 {
        c.resize(perm.len(), 0);
        let mut t = 0;
        let mut cost = 0.0;
        for (pos, &j) in perm.iter().enumerate() {
            let j = j as usize;
            t = t.max(self.r[j]) + self.p[j];
            c[pos] = t;
            cost += self.f(j, t);
        }
        cost + self.w_makespan * t as f64
    }
}

/// A sequence with its completions and cost, and scratch space for the moves.
#[derive(Debug, Clone)]
pub(crate) struct State {
    pub perm: Vec<u32>,
    pub c: Vec<i64>,
    pub cost: f64,
    gain: Vec<f64>,
    pick: Vec<usize>,
    /// Prefix sums over positions of the most each job's cost can drop per minute earlier
    /// (`rate`) and at once (`jump`), for pruning swaps (regular objectives).
    rate: Vec<f64>,
    jump: Vec<f64>,
    trial: Vec<u32>,
    trial_c: Vec<i64>,
}

const EPS: f64 = 1e-9;

impl State {
    pub fn new(model: &Model, perm: Vec<u32>) -> State {
        let mut c = Vec::new();
        let cost = model.evaluate(&perm, &mut c);
        State {
            perm,
            c,
            cost,
            gain: Vec::new(),
            pick: Vec::new(),
            rate: Vec::new(),
            jump: Vec::new(),
            trial: Vec::new(),
            trial_c: Vec::new(),
        }
    }

    pub fn refresh(&mut self, model: &Model) {
        self.cost = model.evaluate(&self.perm, &mut self.c);
    }

    /// Descends to a local optimum of insertions and dynasearch swaps: insertions first (a
    /// pass is O(n²)), a dynasearch step (O(n³)) only when they are exhausted.
    pub fn descend(&mut self, model: &Model) {
        loop {
            while self.insertion(model) {}
            if !(model.no_idle && self.dynasearch(model)) {
                break;
            }
        }
    }

    /// The cost change of swapping positions `i < k` when the machine never idles, or `None`
    /// when it cannot be below `limit` (the jobs between only get later: the change is at least
    /// that of the swapped pair).
    fn swap_delta(&self, model: &Model, i: usize, k: usize, limit: f64) -> Option<f64> {
        let (a, b) = (self.perm[i] as usize, self.perm[k] as usize);
        let before = if i == 0 { 0 } else { self.c[i - 1] };
        let shift = model.p[b] - model.p[a];
        let mut d = model.f(b, before + model.p[b]) - model.f(a, self.c[i]) + model.f(a, self.c[k])
            - model.f(b, self.c[k]);
        if model.regular {
            // The jobs between get later (cost ≥ 0) or earlier by -shift, each saving at most
            // its rate per minute plus its jump.
            let bound = if shift >= 0 {
                0.0
            } else {
                shift as f64 * (self.rate[k] - self.rate[i + 1]) - (self.jump[k] - self.jump[i + 1])
            };
            if d + bound >= limit {
                return None;
            }
        }
        if shift != 0 {
            for l in i + 1..k {
                let j = self.perm[l] as usize;
                d += model.f(j, self.c[l] + shift) - model.f(j, self.c[l]);
            }
        }
        Some(d)
    }

    /// One dynasearch step: the best set of swaps on disjoint position ranges, applied.
    /// Returns whether it improved the cost.
    fn dynasearch(&mut self, model: &Model) -> bool {
        let n = self.perm.len();
        // gain[k]: best change for positions 0..k; pick[k]: the swap (i, k-1) ending there, or
        // usize::MAX for none.
        self.gain.clear();
        self.gain.resize(n + 1, 0.0);
        self.pick.clear();
        self.pick.resize(n + 1, usize::MAX);
        if model.regular {
            // f(C) − f(C − δ) ≤ δ·(w_F + w_T·[C > d]) + w_L·[C > d] for a regular job cost.
            self.rate.clear();
            self.jump.clear();
            let (mut r, mut j) = (0.0, 0.0);
            self.rate.push(0.0);
            self.jump.push(0.0);
            for (pos, &x) in self.perm.iter().enumerate() {
                let x = x as usize;
                let late = model.due[x].is_some_and(|d| self.c[pos] > d);
                r += model.wf[x] + if late { model.wt[x] } else { 0.0 };
                j += if late { model.wl[x] } else { 0.0 };
                self.rate.push(r);
                self.jump.push(j);
            }
        }
        for k in 1..n {
            // Position k closes a swap (i, k) or not.
            let mut best = self.gain[k];
            let mut pick = usize::MAX;
            for i in 0..k {
                // Only a swap that beats the best so far matters.
                let limit = best - EPS - self.gain[i];
                if let Some(d) = self.swap_delta(model, i, k, limit) {
                    if d < limit {
                        best = self.gain[i] + d;
                        pick = i;
                    }
                }
            }
            self.gain[k + 1] = best;
            self.pick[k + 1] = pick;
        }
        if self.gain[n] >= -EPS {
            return false;
        }
        let mut k = n;
        while k > 0 {
            match self.pick[k] {
                usize::MAX => k -= 1,
                i => {
                    self.perm.swap(i, k - 1);
                    k = i;
                }
            }
        }
        let expected = self.cost + self.gain[n];
        self.refresh(model);
        debug_assert!((self.cost - expected).abs() < 1e-6 * (1.0 + expected.abs()));
        true
    }

    /// One pass of insertions: the job at each position in turn goes to its best other
    /// position when that improves the cost. Returns whether any did.
    fn insertion(&mut self, model: &Model) -> bool {
        let n = self.perm.len();
        let mut improved = false;
        for i in 0..n {
            let mut best: Option<(f64, usize, usize)> = None;
            let a = self.perm[i] as usize;
            let pa = model.p[a];
            if model.no_idle {
                let here = model.f(a, self.c[i]);
                // Forward: a after positions i+1..=k, which move up by p_a.
                let mut s = 0.0;
                for k in i + 1..n {
                    let j = self.perm[k] as usize;
                    s += model.f(j, self.c[k] - pa) - model.f(j, self.c[k]);
                    let d = s + model.f(a, self.c[k]) - here;
                    if best.is_none_or(|(b, _, _)| d < b) {
                        best = Some((d, i, k));
                    }
                }
                // Backward: a before positions k..i, which move down by p_a.
                let mut s = 0.0;
                for k in (0..i).rev() {
                    let j = self.perm[k] as usize;
                    s += model.f(j, self.c[k] + pa) - model.f(j, self.c[k]);
                    let start = if k == 0 { 0 } else { self.c[k - 1] };
                    let d = s + model.f(a, start + pa) - here;
                    if best.is_none_or(|(b, _, _)| d < b) {
                        best = Some((d, i, k));
                    }
                }
            } else {
                for k in 0..n {
                    if k == i {
                        continue;
                    }
                    self.trial.clear();
                    self.trial.extend_from_slice(&self.perm);
                    let x = self.trial.remove(i);
                    self.trial.insert(k, x);
                    let d = model.evaluate(&self.trial, &mut self.trial_c) - self.cost;
                    if best.is_none_or(|(b, _, _)| d < b) {
                        best = Some((d, i, k));
                    }
                }
            }
            if let Some((d, i, k)) = best.filter(|b| b.0 < -EPS) {
                let x = self.perm.remove(i);
                self.perm.insert(k, x);
                let expected = self.cost + d;
                self.refresh(model);
                debug_assert!((self.cost - expected).abs() < 1e-6 * (1.0 + expected.abs()));
                improved = true;
            }
        }
        improved
    }
}
