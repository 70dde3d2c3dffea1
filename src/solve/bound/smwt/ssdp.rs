//! The relaxed problem of the time-indexed Lagrangian bound: a shortest path over time.
//!
//! Relaxing "each job is processed exactly once" with multipliers `μ_j` leaves: choose a sequence
//! of jobs (a job may appear several times, others not at all) filling the time `0..T` exactly,
//! minimising `Σ (cost_j(C) − μ_j)` over its pieces. Forbidding the same job twice in a row (the
//! first stage of Tanaka, Fujikuma & Araki 2009, "SSDP") keeps it a dynamic program: per time `t`
//! the best and the second-best value whose last job differs are enough, since a job only needs
//! the best predecessor that is not itself. Cost: `n` steps per unit of time.

/// Per time `t`: the best value of a sequence ending at `t` and its last job, and the best one
/// whose last job differs (`NONE` when there is none).
pub(super) struct Ssdp {
    best: Vec<(f64, u32)>,
    second: Vec<(f64, u32)>,
}

const NONE: u32 = u32::MAX;

/// Jobs in time units: processing time and the cost of completing at each time `t` (`cost(j, t)`).
pub(super) trait Costs {
    /// Every job's processing time in time units.
    fn lens(&self) -> &[usize];
    fn jobs(&self) -> usize {
        self.lens().len()
    }
    #[inline]
    fn len(&self, j: usize) -> usize {
        self.lens()[j]
    }
    /// The cost of job `j` completing after `t` time units of work.
    fn cost(&self, j: usize, t: usize) -> f64;
}

impl Ssdp {
    pub fn new(horizon: usize) -> Ssdp {
        Ssdp {
            best: vec![(f64::INFINITY, NONE); horizon + 1],
            second: vec![(f64::INFINITY, NONE); horizon + 1],
        }
    }

    /// Solves for multipliers `mu` and returns the relaxed value `min Σ (cost − μ)` at the
    /// horizon (`+∞` when no sequence fills it) and how often each job appears in it (`count`).
    pub fn solve(&mut self, c: &impl Costs, mu: &[f64], count: &mut [u32]) -> f64 {
        let horizon = self.best.len() - 1;
        let n = c.jobs();
        self.best[0] = (0.0, NONE);
        self.second[0] = (f64::INFINITY, NONE);
        for t in 1..=horizon {
            let (mut b, mut s) = ((f64::INFINITY, NONE), (f64::INFINITY, NONE));
            for (j, &m) in mu.iter().enumerate().take(n) {
                let p = c.len(j);
                if p > t {
                    continue;
                }
                let (pb, ps) = (self.best[t - p], self.second[t - p]);
                let prev = if pb.1 == j as u32 { ps.0 } else { pb.0 };
                if prev == f64::INFINITY {
                    continue;
                }
                let v = prev + c.cost(j, t) - m;
                if v < b.0 {
                    s = b;
                    b = (v, j as u32);
                } else if v < s.0 {
                    s = (v, j as u32);
                }
            }
            self.best[t] = b;
            self.second[t] = s;
        }
        count.iter_mut().for_each(|x| *x = 0);
        self.trace(c, |j, _| count[j] += 1);
        self.best[horizon].0
    }

    /// Calls `visit` with each job of the best sequence and its completion time, from the last
    /// to the first.
    pub fn trace(&self, c: &impl Costs, mut visit: impl FnMut(usize, usize)) {
        let mut t = self.best.len() - 1;
        let mut not = NONE;
        while t > 0 {
            let (b, s) = (self.best[t], self.second[t]);
            let (v, j) = if b.1 != not { b } else { s };
            if j == NONE || v == f64::INFINITY {
                return;
            }
            visit(j as usize, t);
            t -= c.len(j as usize);
            not = j;
        }
    }
}
