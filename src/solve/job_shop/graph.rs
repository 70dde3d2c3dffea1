//! The disjunctive graph of a (flexible) job shop solution: each operation's mode (machine and
//! duration), each machine's sequence, and the heads and tails that every move estimate reads.
//!
//! Head `r[o]`: the earliest start of `o` (longest path from the source, releases included).
//! Tail `q[o]`: the longest path from the end of `o` to the sink (excluding `p[o]`), so that
//! `r[o] + p[o] + q[o]` is the longest path through `o` and equals the makespan on a critical
//! operation. Transfer times between plants are lags on the job arcs. The heads are exactly the
//! start times the decoder gives the same sequence (semi-active schedule, machines free from 0),
//! which the tests check against the evaluator.

use crate::model::{MachineId, OpId, Problem};

/// No operation (no job or machine neighbour).
pub(crate) const NONE: u32 = u32::MAX;

/// The instance as the job shop search sees it (operations indexed as in the problem).
#[derive(Debug, Clone)]
pub(crate) struct Model {
    /// Job predecessor and successor of each operation (`NONE` at the ends of a routing).
    pub jp: Vec<u32>,
    pub js: Vec<u32>,
    /// Earliest start of each operation on its own (release, never below 0: machines are free
    /// from minute 0).
    pub release: Vec<i64>,
    /// Eligible (machine, duration) of each operation.
    pub modes: Vec<Vec<(u32, i64)>>,
    /// Index of the operation in its machine's eligible list, per mode (for the tabu table).
    pub local: Vec<Vec<u32>>,
    /// Operations eligible on each machine.
    pub eligible: Vec<u32>,
    /// Plant of each machine and calendar-minute transfers between plants.
    plant: Vec<u32>,
    transfer: Vec<Vec<i64>>,
    has_transfer: bool,
    /// Every duration positive and every transfer non-negative: heads then grow strictly along
    /// every arc, which the incremental update ([`State::update_shift`]) relies on.
    pub positive: bool,
    pub jobs: usize,
    pub machines: usize,
}

impl Model {
    pub fn new(problem: &Problem) -> Model {
        let n = problem.ops.len();
        let mut jp = vec![NONE; n];
        let mut js = vec![NONE; n];
        for job in &problem.jobs {
            let ops: Vec<u32> = job.ops().map(|o| o.0).collect();
            for w in ops.windows(2) {
                js[w[0] as usize] = w[1];
                jp[w[1] as usize] = w[0];
            }
        }
        let modes: Vec<Vec<(u32, i64)>> = problem
            .ops
            .iter()
            .map(|o| o.modes.iter().map(|m| (m.machine.0, m.duration)).collect())
            .collect();
        let local = (0..n)
            .map(|o| {
                modes[o]
                    .iter()
                    .map(|&(m, _)| {
                        problem.ops_by_machine[m as usize]
                            .iter()
                            .position(|&x| x.idx() == o)
                            .expect("an eligible operation is listed on its machine")
                            as u32
                    })
                    .collect()
            })
            .collect();
        let plants = problem.plants.len();
        let transfer: Vec<Vec<i64>> = (0..plants)
            .map(|a| {
                (0..plants)
                    .map(|b| problem.transfer[a][b].unwrap_or(0))
                    .collect()
            })
            .collect();
        let positive = modes.iter().flatten().all(|&(_, d)| d > 0)
            && transfer.iter().flatten().all(|&t| t >= 0);
        Model {
            jp,
            js,
            release: (0..n)
                .map(|o| problem.op_release(OpId(o as u32)).max(0))
                .collect(),
            modes,
            local,
            eligible: problem
                .ops_by_machine
                .iter()
                .map(|v| v.len() as u32)
                .collect(),
            plant: problem.machines.iter().map(|m| m.plant.0).collect(),
            has_transfer: transfer.iter().flatten().any(|&t| t != 0),
            positive,
            transfer,
            jobs: problem.jobs.len(),
            machines: problem.machines.len(),
        }
    }

    pub fn ops(&self) -> usize {
        self.jp.len()
    }

    /// Transfer minutes from an operation on machine `from` to the next of its job on `to`.
    #[inline]
    pub fn lag(&self, from: u32, to: u32) -> i64 {
        if self.has_transfer {
            self.transfer[self.plant[from as usize] as usize][self.plant[to as usize] as usize]
        } else {
            0
        }
    }

    /// Whether some operation has more than one eligible machine.
    pub fn flexible(&self) -> bool {
        self.modes.iter().any(|m| m.len() > 1)
    }
}

/// A solution: the mode of each operation and each machine's sequence.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Solution {
    pub mode: Vec<u32>,
    pub seq: Vec<Vec<u32>>,
}

/// A solution with its machines, durations, positions, heads and tails.
#[derive(Debug, Clone)]
pub(crate) struct State {
    pub mode: Vec<u32>,
    pub mach: Vec<u32>,
    pub p: Vec<i64>,
    pub seq: Vec<Vec<u32>>,
    pub pos: Vec<u32>,
    pub r: Vec<i64>,
    pub q: Vec<i64>,
    pub makespan: i64,
    /// The operation a critical path ends at: the first in Kahn's order of those ending at the
    /// makespan (with a positive duration, if any).
    pub(super) last: u32,
    /// A topological order (Kahn's after [`State::recompute`], kept topological by the
    /// incremental update) and each operation's index in it.
    pub(super) topo: Vec<u32>,
    pub(super) ord: Vec<u32>,
    indeg: Vec<u8>,
    /// Scratch of the incremental update.
    pub(super) inc: super::incremental::Scratch,
}

impl State {
    /// The state of a solution; `None` when its sequences contradict the routings (a cycle).
    pub fn new(model: &Model, sol: &Solution) -> Option<State> {
        let n = model.ops();
        let mut s = State {
            mode: sol.mode.clone(),
            mach: vec![0; n],
            p: vec![0; n],
            seq: sol.seq.clone(),
            pos: vec![0; n],
            r: vec![0; n],
            q: vec![0; n],
            makespan: 0,
            last: NONE,
            topo: Vec::with_capacity(n),
            ord: vec![0; n],
            indeg: vec![0; n],
            inc: super::incremental::Scratch::new(n),
        };
        for o in 0..n {
            let (m, d) = model.modes[o][sol.mode[o] as usize];
            s.mach[o] = m;
            s.p[o] = d;
        }
        for m in &s.seq {
            for (i, &o) in m.iter().enumerate() {
                s.pos[o as usize] = i as u32;
            }
        }
        s.recompute(model).then_some(s)
    }

    pub fn solution(&self) -> Solution {
        Solution {
            mode: self.mode.clone(),
            seq: self.seq.clone(),
        }
    }

    /// Machine predecessor and successor.
    #[inline]
    pub fn mp(&self, o: u32) -> u32 {
        let i = self.pos[o as usize] as usize;
        if i == 0 {
            NONE
        } else {
            self.seq[self.mach[o as usize] as usize][i - 1]
        }
    }
    #[inline]
    pub fn ms(&self, o: u32) -> u32 {
        let i = self.pos[o as usize] as usize;
        let s = &self.seq[self.mach[o as usize] as usize];
        s.get(i + 1).copied().unwrap_or(NONE)
    }

    /// Earliest start of `o` on machine `m` from its job alone (release, job predecessor's end
    /// and the transfer).
    #[inline]
    pub fn job_ready(&self, model: &Model, o: u32, m: u32) -> i64 {
        let o = o as usize;
        let jp = model.jp[o];
        if jp == NONE {
            model.release[o]
        } else {
            let j = jp as usize;
            model.release[o].max(self.r[j] + self.p[j] + model.lag(self.mach[j], m))
        }
    }

    /// Longest path from the end of `o` (on machine `m`) to the sink through its job successor.
    #[inline]
    pub fn job_tail(&self, model: &Model, o: u32, m: u32) -> i64 {
        let js = model.js[o as usize];
        if js == NONE {
            0
        } else {
            let j = js as usize;
            self.q[j] + self.p[j] + model.lag(m, self.mach[j])
        }
    }

    /// End of `o` (its head plus duration), 0 for `NONE` (a machine is free from minute 0).
    #[inline]
    pub fn end(&self, o: u32) -> i64 {
        if o == NONE {
            0
        } else {
            self.r[o as usize] + self.p[o as usize]
        }
    }

    /// Tail from the start of `o`, 0 for `NONE`.
    #[inline]
    pub fn tail_from_start(&self, o: u32) -> i64 {
        if o == NONE {
            0
        } else {
            self.q[o as usize] + self.p[o as usize]
        }
    }

    /// Heads, tails and makespan from scratch in topological order (Kahn); `false` when the
    /// machine sequences and routings form a cycle (then heads and tails are stale).
    pub fn recompute(&mut self, model: &Model) -> bool {
        let n = model.ops();
        self.topo.clear();
        for o in 0..n {
            self.indeg[o] = (model.jp[o] != NONE) as u8 + (self.pos[o] > 0) as u8;
            if self.indeg[o] == 0 {
                self.topo.push(o as u32);
            }
        }
        let mut head = 0;
        while head < self.topo.len() {
            let o = self.topo[head];
            head += 1;
            let m = self.mach[o as usize];
            let r = self.job_ready(model, o, m).max(self.end(self.mp(o)));
            self.r[o as usize] = r;
            for s in [model.js[o as usize], self.ms(o)] {
                if s != NONE {
                    self.indeg[s as usize] -= 1;
                    if self.indeg[s as usize] == 0 {
                        self.topo.push(s);
                    }
                }
            }
        }
        if self.topo.len() < n {
            return false;
        }
        for (k, &o) in self.topo.iter().enumerate() {
            self.ord[o as usize] = k as u32;
        }
        let mut makespan = 0;
        for k in (0..n).rev() {
            let o = self.topo[k];
            let m = self.mach[o as usize];
            let q = self
                .job_tail(model, o, m)
                .max(self.tail_from_start(self.ms(o)));
            self.q[o as usize] = q;
            makespan = makespan.max(self.end(o));
        }
        self.makespan = makespan;
        self.last = self
            .topo
            .iter()
            .copied()
            .find(|&o| self.end(o) == self.makespan && self.p[o as usize] > 0)
            .or_else(|| {
                self.topo
                    .iter()
                    .copied()
                    .find(|&o| self.end(o) == self.makespan)
            })
            .unwrap_or(NONE);
        true
    }

    /// One critical path, source to sink, into `path`: from an operation ending at the makespan
    /// back through the machine predecessor when it binds (longer blocks), else the job's.
    pub fn critical_path(&self, model: &Model, path: &mut Vec<u32>) {
        path.clear();
        let mut o = self.last;
        if o == NONE {
            return;
        }
        loop {
            path.push(o);
            let r = self.r[o as usize];
            let mp = self.mp(o);
            if mp != NONE && self.end(mp) == r {
                o = mp;
                continue;
            }
            let jp = model.jp[o as usize];
            if jp != NONE && r > model.release[o as usize] && {
                let j = jp as usize;
                self.r[j] + self.p[j] + model.lag(self.mach[j], self.mach[o as usize]) == r
            } {
                o = jp;
                continue;
            }
            break;
        }
        path.reverse();
    }
}

/// The sequence takt's decoder reads for a solution.
pub(crate) fn to_sequence(
    problem: &Problem,
    model: &Model,
    sol: &Solution,
) -> crate::eval::Sequence {
    let machine_of = (0..model.ops())
        .map(|o| MachineId(model.modes[o][sol.mode[o] as usize].0))
        .collect();
    let order = sol
        .seq
        .iter()
        .map(|s| s.iter().map(|&o| OpId(o)).collect())
        .collect();
    debug_assert_eq!(problem.ops.len(), model.ops());
    crate::eval::Sequence::new(machine_of, order)
}

/// The solution of a takt sequence (e.g. the dispatching rules' best), `None` when it assigns
/// an operation to a machine it is not eligible on.
pub(crate) fn from_sequence(model: &Model, seq: &crate::eval::Sequence) -> Option<Solution> {
    let mode = (0..model.ops())
        .map(|o| {
            model.modes[o]
                .iter()
                .position(|&(m, _)| m == seq.machine_of[o].0)
                .map(|k| k as u32)
        })
        .collect::<Option<Vec<u32>>>()?;
    let seq = seq
        .order
        .iter()
        .map(|s| s.iter().map(|o| o.0).collect())
        .collect();
    Some(Solution { mode, seq })
}
