//! Decoding: the earliest (semi-active) timed schedule for a given machine assignment and
//! per-machine sequence, under every rule of DESIGN.md's fine print: release, routing order,
//! transfers, calendars (resumable and atomic operations), changeovers in working time right
//! before their operation, and pinned operations.
//!
//! The decoder owns its buffers: after the first call, decoding allocates nothing, so local
//! search can call it millions of times.

use super::objective::{Evaluation, Terms};
use crate::model::{Availability, FamilyId, MachineId, Minute, OpId, Problem};
use crate::schedule::{Schedule, ScheduledOp};

/// A solution in the form solvers manipulate: which machine runs each operation, and in what
/// order each machine runs its operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    /// Machine of each operation, indexed by `OpId`.
    pub machine_of: Vec<MachineId>,
    /// Operations of each machine in processing order, indexed by `MachineId`.
    pub order: Vec<Vec<OpId>>,
}

impl Sequence {
    /// The sequence a timed schedule implies: each machine's operations in start order.
    pub fn from_schedule(problem: &Problem, schedule: &Schedule) -> Sequence {
        let mut machine_of = vec![MachineId(0); problem.ops.len()];
        let mut order = vec![Vec::new(); problem.machines.len()];
        let mut sorted = schedule.ops.clone();
        sorted.sort_by_key(|s| (s.start, s.end, s.op));
        for s in sorted {
            machine_of[s.op.idx()] = s.machine;
            order[s.machine.idx()].push(s.op);
        }
        Sequence { machine_of, order }
    }
}

/// Why a sequence has no schedule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the machine sequences contradict the routings (a cycle): {0} operations could not be placed")]
    Cycle(usize),
    #[error(
        "operation {op:?} cannot start at its pinned start {pin} (earliest feasible is {earliest})"
    )]
    PinMissed {
        op: OpId,
        pin: Minute,
        earliest: Minute,
    },
    #[error("operation {0:?} is assigned to a machine it cannot run on, or missing from its machine's sequence")]
    BadAssignment(OpId),
}

/// Where an operation goes on a machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Start of the changeover (equals `start` when there is none).
    pub setup_start: Minute,
    pub start: Minute,
    pub end: Minute,
}

/// The earliest placement of an operation on a machine with availability `av`, when the machine
/// is free from `machine_free`, the operation may start from `ready`, needs a changeover of
/// `setup` working minutes and `duration` working minutes (in one interval if `atomic`).
///
/// With a changeover, the setup holds `setup` working minutes ending exactly at the start, and
/// the minute before the start is working (the setup runs immediately before the operation); it
/// may overlap the wait for `ready` (anticipatory setup) but not precede `machine_free`.
pub fn place(
    av: &Availability,
    machine_free: Minute,
    ready: Minute,
    setup: Minute,
    duration: Minute,
    atomic: bool,
) -> Placement {
    let ready = ready.max(0);
    let machine_free = machine_free.max(0);
    let mut t = if setup == 0 {
        ready.max(machine_free)
    } else {
        let s0 = av.next_working(machine_free);
        ready.max(av.advance(s0, setup))
    };
    loop {
        let (s, e) = av.interval_after(t);
        if s > t {
            t = s;
        }
        if setup > 0 && t == s {
            // The minute before `t` is not working: the setup would not end right at the start.
            t = s + 1;
            if t >= e {
                continue;
            }
        }
        if atomic && t.saturating_add(duration) > e {
            t = e;
            continue;
        }
        break;
    }
    let end = if atomic {
        t + duration
    } else {
        av.advance(t, duration)
    };
    let setup_start = if setup > 0 {
        av.retreat(t, setup)
            .expect("t is at least the end of a full setup")
    } else {
        t
    };
    Placement {
        setup_start,
        start: t,
        end,
    }
}

/// What set an operation's start in the last decode: the machine (its previous operation, with
/// the changeover), the job (its routing predecessor plus transfer), or neither (release, pin,
/// minute 0). Local search walks these links back to find critical paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cause {
    Machine,
    Job,
    #[default]
    Release,
}

/// Reusable decoding state and its result (times per operation).
#[derive(Debug, Clone, Default)]
pub struct Decoder {
    pub setup_start: Vec<Minute>,
    pub start: Vec<Minute>,
    pub end: Vec<Minute>,
    /// Changeover working minutes before each operation.
    pub setup: Vec<Minute>,
    /// Machine of each operation in the last decode.
    pub machine: Vec<MachineId>,
    /// Completion of each job (end of its last operation).
    pub completion: Vec<Minute>,
    /// What set each operation's start.
    pub cause: Vec<Cause>,
    /// Operations in the order they were placed (a topological order of the schedule's arcs).
    pub placed: Vec<OpId>,
    done: Vec<bool>,
    next: Vec<usize>,
    stack: Vec<MachineId>,
}

impl Decoder {
    pub fn new(problem: &Problem) -> Self {
        let n = problem.ops.len();
        Decoder {
            setup_start: vec![0; n],
            start: vec![0; n],
            end: vec![0; n],
            setup: vec![0; n],
            machine: vec![MachineId(0); n],
            completion: vec![0; problem.jobs.len()],
            cause: vec![Cause::Release; n],
            placed: Vec::with_capacity(n),
            done: vec![false; n],
            next: vec![0; problem.machines.len()],
            stack: Vec::with_capacity(problem.machines.len()),
        }
    }

    /// Decodes `seq` into this decoder's time vectors.
    pub fn decode(&mut self, problem: &Problem, seq: &Sequence) -> Result<(), DecodeError> {
        self.done.iter_mut().for_each(|d| *d = false);
        self.next.iter_mut().for_each(|n| *n = 0);
        self.stack.clear();
        self.placed.clear();
        self.stack
            .extend((0..problem.machines.len() as u32).rev().map(MachineId));
        let mut placed = 0;
        while let Some(m) = self.stack.pop() {
            let order = &seq.order[m.idx()];
            let mut prev: Option<OpId> = self.next[m.idx()].checked_sub(1).map(|i| order[i]);
            while let Some(&o) = order.get(self.next[m.idx()]) {
                if seq.machine_of[o.idx()] != m || self.done[o.idx()] {
                    return Err(DecodeError::BadAssignment(o));
                }
                let pred = problem.pred(o);
                if let Some(p) = pred {
                    if !self.done[p.idx()] {
                        break;
                    }
                }
                self.place_op(problem, seq, m, o, pred, prev)?;
                self.done[o.idx()] = true;
                self.placed.push(o);
                self.next[m.idx()] += 1;
                placed += 1;
                prev = Some(o);
                let op = problem.op(o);
                let job = problem.job(op.job);
                if o != job.last_op() {
                    self.stack.push(seq.machine_of[o.idx() + 1]);
                }
            }
        }
        if placed < problem.ops.len() {
            // Either a cycle, or an operation missing from every sequence.
            if let Some(o) = (0..problem.ops.len())
                .find(|&o| !seq.order[seq.machine_of[o].idx()].contains(&OpId(o as u32)))
            {
                return Err(DecodeError::BadAssignment(OpId(o as u32)));
            }
            return Err(DecodeError::Cycle(problem.ops.len() - placed));
        }
        for (j, job) in problem.jobs.iter().enumerate() {
            self.completion[j] = self.end[job.last_op().idx()];
        }
        Ok(())
    }

    fn place_op(
        &mut self,
        problem: &Problem,
        seq: &Sequence,
        m: MachineId,
        o: OpId,
        pred: Option<OpId>,
        prev: Option<OpId>,
    ) -> Result<(), DecodeError> {
        let op = problem.op(o);
        let machine = problem.machine(m);
        let duration = op.duration_on(m).ok_or(DecodeError::BadAssignment(o))?;
        let release = problem.op_release(o);
        let mut ready = release;
        let mut job_bound = false;
        if let Some(p) = pred {
            let after_pred = self.end[p.idx()] + problem.transfer_time(seq.machine_of[p.idx()], m);
            if after_pred > release {
                ready = after_pred;
                job_bound = true;
            }
        }
        let (free, family_before): (Minute, Option<FamilyId>) = match prev {
            Some(q) => (self.end[q.idx()], problem.op(q).family),
            None => (0, machine.initial_family),
        };
        let setup = problem.changeover(m, family_before, op.family);
        if let Some(pin) = op.pinned {
            if pin.machine != m {
                return Err(DecodeError::BadAssignment(o));
            }
            ready = ready.max(pin.start);
        }
        let pl = place(
            &machine.availability,
            free,
            ready,
            setup,
            duration,
            op.atomic,
        );
        if let Some(pin) = op.pinned {
            if pl.start != pin.start {
                return Err(DecodeError::PinMissed {
                    op: o,
                    pin: pin.start,
                    earliest: pl.start,
                });
            }
        }
        let i = o.idx();
        self.setup_start[i] = pl.setup_start;
        self.start[i] = pl.start;
        self.end[i] = pl.end;
        self.setup[i] = setup;
        self.machine[i] = m;
        // The machine binds when the operation could not have started earlier for it alone.
        // (Calendars can delay both; this is a guide for move selection, not a proof.)
        self.cause[i] = if prev.is_some() && free + setup >= ready {
            Cause::Machine
        } else if job_bound {
            Cause::Job
        } else {
            Cause::Release
        };
        Ok(())
    }

    /// The objective of the last decoded sequence.
    pub fn evaluate(&self, problem: &Problem) -> Evaluation {
        let changeover: Minute = self.setup.iter().sum();
        Terms::from_completions(problem, &self.completion, changeover)
            .with_stability(
                problem,
                self.machine
                    .iter()
                    .zip(&self.start)
                    .enumerate()
                    .map(|(i, (&m, &s))| (OpId(i as u32), m, s)),
            )
            .evaluate(problem)
    }

    /// The last decoded sequence as a timed schedule.
    pub fn to_schedule(&self, seq: &Sequence) -> Schedule {
        let mut ops: Vec<ScheduledOp> = (0..self.start.len())
            .map(|i| ScheduledOp {
                op: OpId(i as u32),
                machine: seq.machine_of[i],
                setup_start: (self.setup[i] > 0).then_some(self.setup_start[i]),
                start: self.start[i],
                end: self.end[i],
            })
            .collect();
        ops.sort_by_key(|s| (s.machine, s.start, s.end, s.op));
        Schedule {
            ops,
            info: Default::default(),
        }
    }
}
