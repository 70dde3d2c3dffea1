//! The list scheduler's state and step: refresh the stale candidates, choose the operation
//! (earliest completion, then the rule among the conflict set on that machine), commit it.

use super::pool::Pool;
use super::secondary::Secondary;
use super::stock_count::StockCount;
use super::{best_mode, mean_setup, priority, Candidate, MachineState, Rule, CANCEL_EVERY};
use crate::engine::{pin, MachineSlot, Request};
use crate::eval::Sequence;
use crate::model::{MachineId, Minute, OpId, Problem};

pub(super) struct Construction<'p> {
    problem: &'p Problem,
    rule: Rule,
    /// Work remaining in the job from each operation on (inclusive), and the means the
    /// rules scale by.
    remaining: Vec<Minute>,
    mean_dur: f64,
    mean_setup: f64,
    machines: Vec<MachineState>,
    seq: Sequence,
    end: Vec<Minute>,
    committed: Vec<bool>,
    next_of_job: Vec<u32>,
    scheduled: usize,
    /// Operations committed so far (the decoder's priority with secondary resources).
    commits: u32,
    /// Secondary resources and materials: candidates are placed where those allow too, and
    /// the commit order becomes the decoder's priority (so the decoder reproduces this
    /// schedule). `None` without them, or once no job's next operation can get its material.
    sec: Option<Secondary>,
    /// Placing resource-blind with materials: stock counted in commit order (see
    /// [`StockCount`]), which becomes the decoder's priority.
    stock: Option<StockCount>,
    pool: Pool,
    conflict: Vec<Candidate>,
    /// Jobs whose next operation waited for material nothing placed could supply any more.
    starved: Vec<usize>,
    /// Per (operation, mode) from `mode_base[op]` on: where the mode's fit may start (see
    /// [`best_mode`]), and the (machine stamp, productions) it was computed under.
    mode_base: Vec<u32>,
    from: Vec<Minute>,
    from_stamp: Vec<(u32, u32)>,
    /// Per machine, bumped at every operation put on it.
    machine_stamp: Vec<u32>,
    /// Steps taken (a step commits one operation, or a pinned one and then the operation).
    pub(super) steps: u64,
}

impl<'p> Construction<'p> {
    /// Nothing placed yet; `boost[j]`: job `j` goes first whenever it is a candidate;
    /// `exhaustive`: recompute every candidate after every booking (the reference).
    pub(super) fn new(problem: &'p Problem, rule: Rule, boost: &[bool], exhaustive: bool) -> Self {
        let mut c = Self::blind(problem, rule, boost);
        if problem.has_secondary() {
            c.sec = Some(Secondary::new(problem, exhaustive));
            // The exact placement keeps the stock itself.
            c.stock = None;
        }
        c
    }

    /// Like [`new`](Self::new), but placing by machines and jobs alone: secondary resources
    /// and materials are left to the decoder.
    pub(super) fn blind(problem: &'p Problem, rule: Rule, boost: &[bool]) -> Self {
        let n = problem.ops.len();
        let min_dur: Vec<Minute> = problem
            .ops
            .iter()
            .map(|o| o.modes.iter().map(|m| m.duration).min().unwrap_or(0))
            .collect();
        let mut remaining = vec![0; n];
        for job in &problem.jobs {
            let mut acc = 0;
            for o in job.ops().rev() {
                acc += min_dur[o.idx()];
                remaining[o.idx()] = acc;
            }
        }
        let mean_dur = (min_dur.iter().sum::<Minute>() as f64 / n.max(1) as f64).max(1.0);
        let mut seq = Sequence::new(
            vec![MachineId(0); n],
            vec![Vec::new(); problem.machines.len()],
        );
        if problem.has_secondary() {
            // The commit order is the decoder's priority (it books the resources and stock).
            seq.priority = vec![u32::MAX; n];
        }
        let jobs = problem.jobs.len();
        let mut mode_base = Vec::with_capacity(n + 1);
        let mut modes = 0u32;
        for op in &problem.ops {
            mode_base.push(modes);
            modes += op.modes.len() as u32;
        }
        mode_base.push(modes);
        let modes = modes as usize;
        Construction {
            problem,
            rule,
            remaining,
            mean_dur,
            mean_setup: mean_setup(problem).max(1.0),
            machines: machine_states(problem),
            seq,
            end: vec![0; n],
            committed: vec![false; n],
            next_of_job: problem.jobs.iter().map(|j| j.first_op).collect(),
            scheduled: 0,
            commits: 0,
            sec: None,
            stock: StockCount::new(problem),
            pool: Pool::new(
                jobs,
                problem.machines.len(),
                (0..jobs)
                    .map(|j| boost.get(j).copied().unwrap_or(false))
                    .collect(),
            ),
            conflict: Vec::new(),
            starved: Vec::new(),
            mode_base,
            from: vec![Minute::MIN; modes],
            // No machine or production count is ever `u32::MAX`: no hint holds at first.
            from_stamp: vec![(u32::MAX, u32::MAX); modes],
            machine_stamp: vec![0; problem.machines.len()],
            steps: 0,
        }
    }

    /// Builds the whole sequence, asking `cancel` every [`CANCEL_EVERY`] steps (`None`: it
    /// said stop). Also returns the starved jobs.
    pub(super) fn run(mut self, cancel: &dyn Fn() -> bool) -> Option<(Sequence, Vec<usize>)> {
        while self.scheduled < self.problem.ops.len() {
            self.steps += 1;
            if self.steps.is_multiple_of(CANCEL_EVERY) && cancel() {
                return None;
            }
            self.refresh();
            if self.pool.is_empty() && self.sec.is_some() {
                self.go_blind();
                continue;
            }
            if self.pool.is_empty() && self.stock.as_ref().is_some_and(|s| s.gating) {
                self.stop_gating();
                continue;
            }
            let Some(chosen) = self.choose() else {
                break;
            };
            if let Some(st) = &self.stock {
                if !st.covers(self.problem, chosen.op) {
                    // Stock another commit took since: placed again (it waits now).
                    self.pool.mark_stale(self.problem.op(chosen.op).job.idx());
                    continue;
                }
            }
            self.commit(chosen);
        }
        Some((self.seq, self.starved))
    }

    /// Recomputes the candidates the last step may have changed.
    fn refresh(&mut self) {
        if let Some(sec) = self.sec.as_mut() {
            if sec.exhaustive {
                (0..self.problem.jobs.len()).for_each(|j| self.pool.mark_stale(j));
            } else {
                let (stale, flagged) = sec.drain();
                stale
                    .into_iter()
                    .for_each(|j| self.pool.mark_stale(j as usize));
                for (j, flags) in flagged {
                    let j = j as usize;
                    if self.pool.is_stale(j) {
                        continue;
                    }
                    // A job without a candidate keeps none under a tightening.
                    if let Some(c) = self.pool.cached(j) {
                        if !sec.holds(self.problem, j, &c, flags) {
                            self.pool.mark_stale(j);
                        }
                    }
                }
            }
        }
        let stale = self.pool.take_stale();
        for &j in &stale {
            self.recompute(j as usize);
        }
        self.pool.give_back(stale);
    }

    /// Job `j`'s candidate placed again against the current state.
    fn recompute(&mut self, j: usize) {
        let problem = self.problem;
        let job = &problem.jobs[j];
        // Skip over pinned operations committed ahead of their turn.
        while self.next_of_job[j] < job.first_op + job.op_count
            && self.committed[self.next_of_job[j] as usize]
        {
            self.next_of_job[j] += 1;
            self.scheduled += 1;
        }
        if self.next_of_job[j] == job.first_op + job.op_count {
            self.pool.set(j, None, None);
            return;
        }
        let o = OpId(self.next_of_job[j]);
        if let Some(st) = self.stock.as_mut() {
            if !st.covers(problem, o) {
                st.wait(problem, j, o);
                self.pool.set(j, None, None);
                return;
            }
        }
        let modes = self.mode_base[o.idx()] as usize..self.mode_base[o.idx() + 1] as usize;
        let from = &mut self.from[modes.clone()];
        let stamps = &mut self.from_stamp[modes];
        let engine = self.sec.as_mut().map(|s| {
            // A hint holds while its machine kept its state and no production added stock.
            for (k, md) in problem.op(o).modes.iter().enumerate() {
                let now = (self.machine_stamp[md.machine.idx()], s.productions);
                if s.exhaustive || stamps[k] != now {
                    from[k] = Minute::MIN;
                }
                stamps[k] = now;
            }
            (&mut s.engine, &mut *from)
        });
        let c = best_mode(problem, &self.machines, &self.seq, &self.end, o, engine);
        let mut modes = problem.op(o).modes.iter().map(|md| md.machine);
        // The recompute-everything reference watches nothing.
        let watch = (!self.sec.as_ref().is_some_and(|s| s.exhaustive))
            .then_some((o, &mut modes as &mut dyn Iterator<Item = MachineId>));
        self.pool.set(j, c, watch);
        if let Some(s) = self.sec.as_mut() {
            s.watch(problem, j, o, c.as_ref());
        }
    }

    /// Every next operation waits for material no placed job produces yet (or a resource that
    /// never frees): place the rest by machine and job alone; the decoder will say whether the
    /// result holds.
    fn go_blind(&mut self) {
        let (problem, next) = (self.problem, &self.next_of_job);
        self.starved = (0..problem.jobs.len())
            .filter(|&j| next[j] < problem.jobs[j].first_op + problem.jobs[j].op_count)
            .filter(|&j| !problem.op(OpId(next[j])).consume.is_empty())
            .collect();
        self.sec = None;
        // Every candidate was computed with the resources: place them all again without.
        (0..problem.jobs.len()).for_each(|j| self.pool.mark_stale(j));
    }

    /// Resource-blind with materials, every remaining job waits for stock the committed jobs
    /// do not cover (the counted stock ran dry): the rest is placed without counting.
    fn stop_gating(&mut self) {
        if let Some(st) = self.stock.as_mut() {
            st.gating = false;
        }
        let (problem, next) = (self.problem, &self.next_of_job);
        // Every job left waits: the ones whose next operation consumes are the starved.
        self.starved = (0..problem.jobs.len())
            .filter(|&j| next[j] < problem.jobs[j].first_op + problem.jobs[j].op_count)
            .filter(|&j| !problem.op(OpId(next[j])).consume.is_empty())
            .collect();
        (0..problem.jobs.len()).for_each(|j| self.pool.mark_stale(j));
    }

    /// Counts `o`'s consumption, and its job's production when it is the last operation.
    fn count_stock(&mut self, o: OpId) {
        let problem = self.problem;
        let Some(st) = self.stock.as_mut() else {
            return;
        };
        st.take(problem, o);
        let job = problem.op(o).job;
        if o == problem.job(job).last_op() {
            for j in st.produce(problem, job) {
                self.pool.mark_stale(j as usize);
            }
        }
    }

    /// The machine where the earliest completion happens, and the rule's choice among the
    /// candidates that could start there before that completion (among the boosted jobs'
    /// when there are any).
    fn choose(&mut self) -> Option<Candidate> {
        let (first, restricted) = self.pool.first()?;
        self.pool.starting_before(
            first.machine,
            first.end.max(first.start + 1),
            restricted,
            &mut self.conflict,
        );
        let score = |c: &Candidate| {
            priority(
                self.problem,
                self.rule,
                c,
                &self.remaining,
                self.mean_dur,
                self.mean_setup,
            )
        };
        let chosen = self
            .conflict
            .iter()
            .copied()
            .max_by(|a, b| score(a).total_cmp(&score(b)).then(b.op.cmp(&a.op)))
            .unwrap_or(first);
        Some(chosen)
    }

    /// Commits `chosen` (after the pending pinned operation it waits for, if any) on its
    /// machine.
    fn commit(&mut self, chosen: Candidate) {
        let problem = self.problem;
        let m = chosen.machine;
        // Every commit below (a pending pin, the chosen operation) is on `m` and moves on the
        // jobs of the operations committed.
        let next = &self.next_of_job;
        self.pool.machine_changed(m, |j, o| next[j] == o.0);
        self.pool.mark_stale(problem.op(chosen.op).job.idx());
        if let Some(p) = chosen.after_pin {
            self.pool.mark_stale(problem.op(p).job.idx());
            self.commit_pin(p);
        }
        let o = chosen.op;
        if problem.op(o).pinned.is_some() {
            // Counted when the job's pointer passes it.
            self.commit_pin(o);
            return;
        }
        if let Some(s) = self.sec.as_mut() {
            let op = problem.op(o);
            s.book(
                problem,
                &Request {
                    op: o,
                    machine: m,
                    free: chosen.free,
                    ready: chosen.ready,
                    setup: chosen.setup,
                    duration: chosen.duration,
                    atomic: op.atomic,
                },
            );
            if o == problem.job(op.job).last_op() {
                s.produce(problem, op.job, chosen.end);
            }
        }
        self.count_stock(o);
        if !self.seq.priority.is_empty() {
            self.seq.priority[o.idx()] = self.commits;
        }
        self.commits += 1;
        self.put(o, m, chosen.end);
    }

    /// Puts pinned operation `p` on its machine at its pin.
    fn commit_pin(&mut self, p: OpId) {
        if self.committed[p.idx()] {
            return;
        }
        let problem = self.problem;
        let op = problem.op(p);
        let pin = op.pinned.expect("pinned");
        let m = pin.machine;
        let ms = &mut self.machines[m.idx()];
        ms.pending_pins.retain(|&x| x != p);
        let (pl, setup) = pin::place_pinned(problem, &ms.slot, p);
        if let Some(s) = self.sec.as_mut() {
            s.book(
                problem,
                &Request {
                    op: p,
                    machine: m,
                    free: ms.slot.free,
                    ready: pin.start,
                    setup,
                    duration: op.duration_on(m).unwrap_or(0),
                    atomic: op.atomic,
                },
            );
            if p == problem.job(op.job).last_op() {
                s.produce(problem, op.job, pl.end);
            }
        }
        self.count_stock(p);
        if !self.seq.priority.is_empty() {
            // Pinned operations go first in the decoder anyway; keep them early here too.
            self.seq.priority[p.idx()] = 0;
        }
        self.put(p, m, pl.end);
    }

    /// `o` goes next on `m`, ending at `end`.
    fn put(&mut self, o: OpId, m: MachineId, end: Minute) {
        self.seq.machine_of[o.idx()] = m;
        self.seq.order[m.idx()].push(o);
        self.end[o.idx()] = end;
        self.committed[o.idx()] = true;
        self.machines[m.idx()].slot = MachineSlot::after(self.problem, o, end);
        self.machine_stamp[m.idx()] = self.machine_stamp[m.idx()].wrapping_add(1);
    }
}

/// Every machine empty, with its pinned operations pending (latest pin first: the next one
/// is popped from the back).
fn machine_states(problem: &Problem) -> Vec<MachineState> {
    let mut machines: Vec<MachineState> = (0..problem.machines.len())
        .map(|m| MachineState {
            slot: MachineSlot::empty(problem, MachineId(m as u32)),
            pending_pins: Vec::new(),
        })
        .collect();
    for (i, op) in problem.ops.iter().enumerate() {
        if let Some(pin) = op.pinned {
            machines[pin.machine.idx()]
                .pending_pins
                .push(OpId(i as u32));
        }
    }
    for m in &mut machines {
        m.pending_pins
            .sort_by_key(|&o| std::cmp::Reverse(problem.op(o).pinned.unwrap().start));
    }
    machines
}
