//! Decoding: the earliest (semi-active) timed schedule for a given machine assignment and
//! per-machine sequence, under every rule of DESIGN.md's fine print: release, routing order,
//! transfers, calendars (resumable and atomic operations), changeovers in working time right
//! before their operation, and pinned operations.
//!
//! The decoder owns its buffers: after the first call, decoding allocates nothing, so local
//! search can call it millions of times.

use super::objective::{Evaluation, Terms};
use super::rejoin::Rejoin;
pub use crate::engine::{place, Cause, Placement};
use crate::engine::{Blocked, Engine, MachineSlot, PlaceError, PredPlaced};
use crate::model::{ItemId, MachineId, Minute, OpId, Problem, ResourceId};
use crate::schedule::{ResourceChoice, Schedule, ScheduledOp};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// A solution in the form solvers manipulate: which machine runs each operation, and in what
/// order each machine runs its operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    /// Machine of each operation, indexed by `OpId`.
    pub machine_of: Vec<MachineId>,
    /// Operations of each machine in processing order, indexed by `MachineId`.
    pub order: Vec<Vec<OpId>>,
    /// Only for instances with secondary resources or materials: the decoding priority of each
    /// operation (lower first), which decides who gets a shared resource or scarce stock
    /// first. Empty: each operation's position on its machine.
    pub priority: Vec<u32>,
}

impl Sequence {
    /// A sequence without priorities.
    pub fn new(machine_of: Vec<MachineId>, order: Vec<Vec<OpId>>) -> Sequence {
        Sequence {
            machine_of,
            order,
            priority: Vec::new(),
        }
    }

    /// The sequence a timed schedule implies: each machine's operations in start order.
    pub fn from_schedule(problem: &Problem, schedule: &Schedule) -> Sequence {
        let mut machine_of = vec![MachineId(0); problem.ops.len()];
        let mut order = vec![Vec::new(); problem.machines.len()];
        let mut sorted = schedule.ops.clone();
        // Stable: zero-length operations at one instant keep the schedule's order.
        sorted.sort_by_key(|s| (s.start, s.end));
        let mut priority = vec![u32::MAX; problem.ops.len()];
        for (k, s) in sorted.into_iter().enumerate() {
            machine_of[s.op.idx()] = s.machine;
            order[s.machine.idx()].push(s.op);
            if let Some(p) = priority.get_mut(s.op.idx()) {
                *p = k as u32;
            }
        }
        // Chronological: placing in start order reproduces a schedule's resource decisions.
        if !problem.has_secondary() {
            priority.clear();
        }
        Sequence {
            machine_of,
            order,
            priority,
        }
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
    #[error("operation {op:?} never gets enough of item {item:?}: stock, receipts and the production placed before it do not cover it")]
    MaterialShortage { op: OpId, item: ItemId },
    #[error("operation {op:?} never again finds the units of resource {resource:?} it needs")]
    ResourceUnavailable { op: OpId, resource: ResourceId },
}

/// The state of a priority decode after its first `placed` placements (and their pushes),
/// to resume from ([`Decoder::decode_resumed`]).
#[derive(Debug, Clone, Default)]
pub struct Checkpoint {
    pub placed: usize,
    engine: Engine,
    heap: BinaryHeap<Reverse<(bool, u32, u32)>>,
    deferred: Vec<OpId>,
    last_baseline: Vec<Option<OpId>>,
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
    /// Secondary resources chosen per operation: its requirements, then its changeover's.
    pub chosen: Vec<Vec<ResourceId>>,
    /// Rescheduling: the last baseline operation before each operation on its machine.
    pub baseline_pred: Vec<Option<OpId>>,
    /// Priority decode: each placement's floor ([`crate::engine::Placed::floor`]).
    pub(crate) floor: Vec<Minute>,
    /// Priority decode: operations were deferred (for stock) right after each placement.
    pub(crate) deferred_after: Vec<bool>,
    last_baseline: Vec<Option<OpId>>,
    done: Vec<bool>,
    next: Vec<usize>,
    /// Eligible operations without priorities (stack order).
    stack: Vec<OpId>,
    engine: Engine,
    heap: BinaryHeap<Reverse<(bool, u32, u32)>>,
    deferred: Vec<OpId>,
    position: Vec<u32>,
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
            chosen: vec![Vec::new(); n],
            baseline_pred: vec![None; n],
            floor: vec![0; n],
            deferred_after: vec![false; n],
            last_baseline: vec![None; problem.machines.len()],
            done: vec![false; n],
            next: vec![0; problem.machines.len()],
            stack: Vec::with_capacity(problem.machines.len()),
            engine: Engine::default(),
            heap: BinaryHeap::new(),
            deferred: Vec::new(),
            position: vec![0; n],
        }
    }

    /// Decodes `seq` into this decoder's time vectors.
    ///
    /// One algorithm for every instance: a serial schedule generation scheme in which a machine
    /// is a unary resource. An operation is eligible once its machine predecessor and its
    /// routing predecessor are placed; eligible operations are placed one at a time through the
    /// engine. Only the choice among eligible operations differs: with secondary resources or
    /// materials (operations compete across machines, so the order matters) the one of lowest
    /// priority goes next, pinned operations first; without them any order gives the same
    /// times (each start depends only on the two predecessors' ends), so a stack replaces the
    /// heap (no key, no O(log n) per operation: the plain decode stays as fast as the machine
    /// stack it replaced).
    pub fn decode(&mut self, problem: &Problem, seq: &Sequence) -> Result<(), DecodeError> {
        self.done.iter_mut().for_each(|d| *d = false);
        self.next.iter_mut().for_each(|n| *n = 0);
        self.placed.clear();
        self.last_baseline.iter_mut().for_each(|x| *x = None);
        if problem.has_secondary() {
            self.serial::<true>(problem, seq, None, None, None)
        } else {
            self.serial::<false>(problem, seq, None, None, None)
        }
    }

    /// The priority decode (secondary resources or materials) of `seq`, resumed from
    /// `from` (`None`: from the start) and recording a checkpoint every `every` placements
    /// into `record` (after those it already holds). Resuming from a checkpoint of another
    /// sequence's decode gives [`Self::decode`]'s result when the two decodes agree up to it
    /// (src/eval/resume.rs decides when); the vectors of the operations placed before the
    /// checkpoint must hold that decode's values. With `rejoin`, the decode stops as soon as
    /// it has rejoined that decode and takes its placements from there on (the vectors of
    /// every operation must then hold that decode's values).
    pub(crate) fn decode_resumed(
        &mut self,
        problem: &Problem,
        seq: &Sequence,
        from: Option<&Checkpoint>,
        record: Option<(&mut Vec<Checkpoint>, usize)>,
        rejoin: Option<&mut Rejoin>,
    ) -> Result<(), DecodeError> {
        debug_assert!(problem.has_secondary());
        match from {
            Some(c) => {
                self.placed.truncate(c.placed);
                self.done.iter_mut().for_each(|d| *d = false);
                self.next.iter_mut().for_each(|n| *n = 0);
                for &o in &self.placed {
                    self.done[o.idx()] = true;
                    self.next[seq.machine_of[o.idx()].idx()] += 1;
                }
                self.last_baseline.clone_from(&c.last_baseline);
            }
            None => {
                self.done.iter_mut().for_each(|d| *d = false);
                self.next.iter_mut().for_each(|n| *n = 0);
                self.placed.clear();
                self.last_baseline.iter_mut().for_each(|x| *x = None);
            }
        }
        self.serial::<true>(problem, seq, from, record, rejoin)
    }

    fn finish(
        &mut self,
        problem: &Problem,
        seq: &Sequence,
        placed: usize,
    ) -> Result<(), DecodeError> {
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

    /// The serial scheme (see [`Self::decode`]); `PRIORITY`: eligible operations by priority
    /// (secondary resources and materials), else in stack order. An operation whose material
    /// only a later production can cover waits until a job completes.
    fn serial<const PRIORITY: bool>(
        &mut self,
        problem: &Problem,
        seq: &Sequence,
        from: Option<&Checkpoint>,
        mut record: Option<(&mut Vec<Checkpoint>, usize)>,
        mut rejoin: Option<&mut Rejoin>,
    ) -> Result<(), DecodeError> {
        let n = problem.ops.len();
        self.stack.clear();
        if PRIORITY {
            match from {
                Some(c) => {
                    self.engine.clone_from(&c.engine);
                    self.heap.clone_from(&c.heap);
                    self.deferred.clone_from(&c.deferred);
                }
                None => {
                    self.engine.reset(problem);
                    self.heap.clear();
                    self.deferred.clear();
                }
            }
            for (m, order) in seq.order.iter().enumerate() {
                for (k, &o) in order.iter().enumerate() {
                    if o.idx() >= n || seq.machine_of[o.idx()].idx() != m {
                        return Err(DecodeError::BadAssignment(o));
                    }
                    self.position[o.idx()] = k as u32;
                }
            }
        }
        let use_priority = seq.priority.len() == n;
        let key = |o: OpId, position: &[u32]| {
            let rank = if use_priority {
                seq.priority[o.idx()]
            } else {
                position[o.idx()]
            };
            Reverse((!problem.compact().core(o).is_pinned(), rank, o.0))
        };
        macro_rules! push {
            ($o:expr) => {
                if PRIORITY {
                    self.heap.push(key($o, &self.position));
                } else {
                    self.stack.push($o);
                }
            };
        }
        if from.is_none() {
            for order in seq.order.iter().rev() {
                if let Some(&o) = order.first() {
                    if o.idx() < n && problem.pred(o).is_none() {
                        push!(o);
                    }
                }
            }
        }
        let mut placed = self.placed.len();
        loop {
            if PRIORITY {
                if let Some((cps, every)) = &mut record {
                    if placed.is_multiple_of(*every) && cps.last().is_none_or(|c| c.placed < placed)
                    {
                        cps.push(Checkpoint {
                            placed,
                            engine: self.engine.clone(),
                            heap: self.heap.clone(),
                            deferred: self.deferred.clone(),
                            last_baseline: self.last_baseline.clone(),
                        });
                    }
                }
            }
            let o = if PRIORITY {
                match self.heap.pop() {
                    Some(Reverse((_, _, raw))) => OpId(raw),
                    None => break,
                }
            } else {
                match self.stack.pop() {
                    Some(o) => o,
                    None => break,
                }
            };
            let m = seq.machine_of[o.idx()];
            let k = self.next[m.idx()];
            if self.done[o.idx()] || seq.order[m.idx()].get(k) != Some(&o) {
                return Err(DecodeError::BadAssignment(o));
            }
            let prev = k.checked_sub(1).map(|i| seq.order[m.idx()][i]);
            match self.place_op::<PRIORITY>(problem, seq, m, o, problem.pred(o), prev) {
                Ok(()) => {}
                Err(DecodeError::MaterialShortage { .. }) if PRIORITY => {
                    self.deferred.push(o);
                    continue;
                }
                Err(e) => return Err(e),
            }
            self.done[o.idx()] = true;
            self.placed.push(o);
            self.next[m.idx()] += 1;
            placed += 1;
            // The machine's next operation, if its routing predecessor is placed.
            if let Some(&q) = seq.order[m.idx()].get(k + 1) {
                if q.idx() < n && problem.pred(q).is_none_or(|p| self.done[p.idx()]) {
                    push!(q);
                }
            }
            let core = problem.compact().core(o);
            if !core.is_last_of_job() {
                // The routing successor, if it heads its machine's remaining sequence.
                let q = OpId(o.0 + 1);
                let mq = seq.machine_of[q.idx()];
                // (On the same machine it was pushed above as the machine's next operation.)
                if mq != m && seq.order[mq.idx()].get(self.next[mq.idx()]) == Some(&q) {
                    push!(q);
                }
            } else if PRIORITY && core.completes_production() {
                self.engine.produce(problem, core.job, self.end[o.idx()]);
                for d in self.deferred.drain(..) {
                    self.heap.push(key(d, &self.position));
                }
            }
            if PRIORITY {
                let deferred = !self.deferred.is_empty();
                self.deferred_after[o.idx()] = deferred;
                if let Some(rj) = rejoin.as_deref_mut() {
                    let succ = seq.order[m.idx()].get(k + 1).is_some();
                    let (lb, next) = (&self.last_baseline, &self.next);
                    if rj.placed(problem, seq, self, o, prev, succ, deferred, lb, next) {
                        // The rest is the old decode's (its values are in the vectors).
                        self.placed.extend_from_slice(&rj.old.placed[placed..]);
                        rj.rejoined = true;
                        return self.finish(problem, seq, problem.ops.len());
                    }
                }
            }
        }
        if let Some(&o) = self.deferred.first() {
            let item = problem
                .op(o)
                .consume
                .iter()
                .map(|c| c.0)
                .next()
                .expect("deferred for a material");
            return Err(DecodeError::MaterialShortage { op: o, item });
        }
        self.finish(problem, seq, placed)
    }

    /// Places `o` on `m` after `prev` (its machine predecessor) through the engine, and records
    /// the result in the time vectors. `SECONDARY`: `problem.has_secondary()` (see
    /// [`Engine::place_op`]).
    fn place_op<const SECONDARY: bool>(
        &mut self,
        problem: &Problem,
        seq: &Sequence,
        m: MachineId,
        o: OpId,
        pred: Option<OpId>,
        prev: Option<OpId>,
    ) -> Result<(), DecodeError> {
        let slot = MachineSlot::of(problem, m, prev, prev.map_or(0, |q| self.end[q.idx()]));
        let pred = pred.map(|p| PredPlaced {
            op: p,
            machine: seq.machine_of[p.idx()],
            end: self.end[p.idx()],
        });
        let placed = self
            .engine
            .place_op::<SECONDARY>(problem, o, m, &slot, pred)
            .map_err(|e| place_error(o, e))?;
        let i = o.idx();
        if SECONDARY {
            let chosen = &mut self.chosen[i];
            chosen.clear();
            chosen.extend_from_slice(self.engine.chosen());
        }
        let pl = placed.placement;
        self.setup_start[i] = pl.setup_start;
        self.start[i] = pl.start;
        self.end[i] = pl.end;
        self.setup[i] = placed.setup;
        self.machine[i] = m;
        if let Some(st) = &problem.stability {
            // Operations on a machine are placed in its order, so this is the sequence so far.
            self.baseline_pred[i] = self.last_baseline[m.idx()];
            if st.in_baseline(o) {
                self.last_baseline[m.idx()] = Some(o);
            }
        }
        // (Calendars can delay both machine and job; the cause is a guide for move selection,
        // not a proof.)
        self.cause[i] = placed.cause;
        if SECONDARY {
            self.floor[i] = placed.floor;
        }
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
                    .zip(&self.baseline_pred)
                    .enumerate()
                    .map(|(i, ((&m, &s), &p))| (OpId(i as u32), m, s, p)),
            )
            .evaluate(problem)
    }

    /// The last decoded sequence as a timed schedule (with the resources chosen, if any).
    pub fn to_schedule(&self, problem: &Problem, seq: &Sequence) -> Schedule {
        let mut ops: Vec<ScheduledOp> = (0..self.start.len())
            .map(|i| ScheduledOp {
                op: OpId(i as u32),
                machine: seq.machine_of[i],
                setup_start: (self.setup[i] > 0).then_some(self.setup_start[i]),
                start: self.start[i],
                end: self.end[i],
            })
            .collect();
        // Machine by machine in sequence order (start order, and for zero-length operations at
        // one instant the order the referee and the evaluator then read from the file).
        let mut position = vec![0usize; ops.len()];
        for order in &seq.order {
            for (k, o) in order.iter().enumerate() {
                position[o.idx()] = k;
            }
        }
        ops.sort_by_key(|s| (s.machine, position[s.op.idx()]));
        let mut resources = BTreeMap::new();
        if problem.has_secondary() {
            for (i, chosen) in self.chosen.iter().enumerate() {
                if chosen.is_empty() {
                    continue;
                }
                let k = problem.ops[i].require.len().min(chosen.len());
                resources.insert(
                    OpId(i as u32),
                    ResourceChoice {
                        require: chosen[..k].to_vec(),
                        changeover: chosen[k..].to_vec(),
                    },
                );
            }
        }
        Schedule {
            ops,
            info: Default::default(),
            resources,
        }
    }
}

/// The decoder's error for an operation the engine could not place (shared with the
/// incremental re-timing, which must report exactly what a full decode would).
pub(crate) fn place_error(o: OpId, e: PlaceError) -> DecodeError {
    match e {
        PlaceError::BadAssignment => DecodeError::BadAssignment(o),
        PlaceError::PinMissed { pin, earliest } => DecodeError::PinMissed {
            op: o,
            pin,
            earliest,
        },
        PlaceError::Blocked(Blocked::Material(item)) => {
            DecodeError::MaterialShortage { op: o, item }
        }
        PlaceError::Blocked(Blocked::Resource(resource)) => {
            DecodeError::ResourceUnavailable { op: o, resource }
        }
    }
}
