//! Early stop of a resumed priority decode (src/eval/resume.rs) once it has rejoined the
//! current sequence's decode: from there on, every placement would equal the old one, so the
//! old placements are taken as they are and a move costs about what it changes.
//!
//! The decode's future after `k` placements is a function of: which operations are placed; the
//! end and machine of those a later placement reads (routing predecessors and each machine's
//! last operation); the resource and stock state; the heap of eligible operations and the
//! deferred ones; each machine's last baseline operation (rescheduling); and the sequence's
//! data for the unplaced operations (machine, machine predecessor and successor, priority).
//! The resumed (new) decode may stop after placement `k` when, compared with the old decode
//! after its own `k` placements:
//!
//! 1. both placed the same set of operations;
//! 2. every operation whose sequence data the move changed is placed (so the unplaced ones
//!    see the same sequence, and the heap, which then holds exactly the eligible operations,
//!    is the same set with the same keys);
//! 3. every placed operation whose end or machine differs from the old one is *closed*: its
//!    routing and machine successors are placed, so no later placement reads them (a
//!    placement that differs only in its start, changeover or resources is read by the
//!    resource and stock state alone);
//! 4. neither decode has deferred operations;
//! 5. the resource and stock state differ only before `hi`, the latest end of a placement
//!    that differs in any way (old or new), and no later placement of the old decode looked at the state
//!    before `hi`: each placement's rules look no earlier than its floor
//!    ([`crate::engine::Placed::floor`]), and the floors of old placements `k..` are all
//!    `>= hi`. The state's last busy instant (the engine's give-up bound) then differs only
//!    below `hi`, under every later placement's own lower bound;
//! 6. each changed machine's last baseline operation is the one the old decode's next
//!    operation there saw.
//!
//! By induction every later pop, placement and booking is then the old one. Stock arithmetic
//! is in floating point, where a sum depends on the order of its terms: items whose
//! quantities are not all small integers block the stop when a re-placed operation touches
//! them (their event lists may be in another order).

use super::decode::{Decoder, Sequence};
use super::incremental::Change;
use crate::engine::Cause;
use crate::model::{ItemId, MachineId, Minute, OpId, Problem, ResourceId};

/// The current sequence's decode: what a resumed decode is compared with and what
/// [`super::Resumer::undo`] restores.
#[derive(Debug, Clone, Default)]
pub(crate) struct Times {
    pub setup_start: Vec<Minute>,
    pub start: Vec<Minute>,
    pub end: Vec<Minute>,
    pub setup: Vec<Minute>,
    pub machine: Vec<MachineId>,
    pub cause: Vec<Cause>,
    pub chosen: Vec<Vec<ResourceId>>,
    pub baseline_pred: Vec<Option<OpId>>,
    pub completion: Vec<Minute>,
    pub placed: Vec<OpId>,
    /// Index of each operation in `placed`.
    pub rank: Vec<u32>,
    /// Each placement's floor ([`crate::engine::Placed::floor`]).
    pub floor: Vec<Minute>,
    /// Per rank `k` (and `n`): the lowest floor of the placements `k..` (`Minute::MAX` at `n`).
    pub floor_from: Vec<Minute>,
    /// Per rank `k`: operations were deferred (for stock) right after placement `k`.
    pub deferred_after: Vec<bool>,
}

impl Times {
    /// Copies operation `o`'s times from `src` to `dst`.
    pub fn copy_op(
        o: usize,
        src: (&[Minute], &[Minute], &[Minute], &[Minute]),
        dst: (&mut [Minute], &mut [Minute], &mut [Minute], &mut [Minute]),
    ) {
        dst.0[o] = src.0[o];
        dst.1[o] = src.1[o];
        dst.2[o] = src.2[o];
        dst.3[o] = src.3[o];
    }

    /// Whether operation `i`'s booking in `dec` differs from the one kept here.
    fn differs(&self, dec: &Decoder, i: usize) -> bool {
        self.end[i] != dec.end[i]
            || self.start[i] != dec.start[i]
            || self.setup_start[i] != dec.setup_start[i]
            || self.setup[i] != dec.setup[i]
            || self.machine[i] != dec.machine[i]
            || self.chosen[i] != dec.chosen[i]
    }

    /// Recomputes `floor_from` from `floor`.
    pub fn set_floors(&mut self) {
        let n = self.placed.len();
        self.floor_from.resize(n + 1, Minute::MAX);
        self.floor_from[n] = Minute::MAX;
        for k in (0..n).rev() {
            self.floor_from[k] = self.floor_from[k + 1].min(self.floor[self.placed[k].idx()]);
        }
    }
}

/// Per-operation marks of the current resumed decode (an epoch per apply, no clearing).
#[derive(Debug, Clone, Default)]
pub(crate) struct Marks {
    epoch: u32,
    placed: Vec<u32>,
    differs: Vec<u32>,
    changed: Vec<u32>,
    /// The operation's stock events are in inexact arithmetic (see the module doc).
    inexact: Vec<bool>,
}

impl Marks {
    pub fn new(problem: &Problem) -> Marks {
        let n = problem.ops.len();
        // Exact items: every partial sum of their stock is exact in any order.
        let exact = |item: ItemId| problem.compact().is_exact(item);
        let inexact = (0..n)
            .map(|i| {
                let o = OpId(i as u32);
                let op = problem.op(o);
                let job = problem.job(op.job);
                let produces = o == job.last_op() && job.produce.iter().any(|p| !exact(p.0));
                produces || op.consume.iter().any(|c| !exact(c.0))
            })
            .collect();
        Marks {
            epoch: 0,
            placed: vec![0; n],
            differs: vec![0; n],
            changed: vec![0; n],
            inexact,
        }
    }

    fn next_epoch(&mut self) -> u32 {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            for v in [&mut self.placed, &mut self.differs, &mut self.changed] {
                v.iter_mut().for_each(|x| *x = 0);
            }
            self.epoch = 1;
        }
        self.epoch
    }
}

/// The comparison of one resumed decode with the old one (see the module doc).
#[derive(Debug)]
pub(crate) struct Rejoin<'a> {
    pub old: &'a Times,
    marks: &'a mut Marks,
    epoch: u32,
    /// Placements made so far (the resumed prefix included).
    pub step: usize,
    /// Size of the symmetric difference of the two decodes' placed sets.
    unmatched: usize,
    /// Operations with changed sequence data not yet placed.
    changed_left: usize,
    /// Links from placements whose end or machine differ to successors not yet placed.
    open: usize,
    /// The latest end of a differing placement, old or new.
    hi: Minute,
    /// A re-placed operation touched an inexact item.
    blocked: bool,
    machines: [Option<MachineId>; 2],
    /// The decode stopped here (after this many placements) and took the old rest.
    pub rejoined: bool,
}

impl<'a> Rejoin<'a> {
    /// Starts the comparison of the decode of `seq` (the old sequence changed by `change`)
    /// resumed after `kept` placements.
    pub fn start(
        seq: &Sequence,
        change: &Change,
        old: &'a Times,
        marks: &'a mut Marks,
        kept: usize,
    ) -> Rejoin<'a> {
        let epoch = marks.next_epoch();
        let mut rj = Rejoin {
            old,
            marks,
            epoch,
            step: kept,
            unmatched: 0,
            changed_left: 0,
            open: 0,
            hi: Minute::MIN,
            blocked: false,
            machines: [None; 2],
            rejoined: false,
        };
        let use_priority = seq.priority.len() == seq.machine_of.len();
        for (s, slot) in change.spans.iter().zip(0..) {
            let Some(s) = s else { continue };
            rj.machines[slot] = Some(s.machine);
            let order = &seq.order[s.machine.idx()];
            let Some(last) = order.len().checked_sub(1) else {
                continue;
            };
            let lo = s.first.saturating_sub(1);
            // Without priorities the heap key is the position: every later one may change.
            let hi = if use_priority { s.last.min(last) } else { last };
            for &o in order.get(lo..=hi).unwrap_or(&[]) {
                rj.mark_changed(o);
            }
        }
        for o in change
            .moved
            .iter()
            .chain(change.reprioritised.iter().flatten())
        {
            rj.mark_changed(*o);
        }
        rj
    }

    fn mark_changed(&mut self, o: OpId) {
        let i = o.idx();
        if self.marks.changed[i] != self.epoch && self.old.rank[i] as usize >= self.step {
            self.marks.changed[i] = self.epoch;
            self.changed_left += 1;
        }
    }

    /// Records placement `o` of the resumed decode (`prev`: its machine predecessor, `succ`:
    /// whether it has a machine successor in `seq`) and says whether the decode may stop.
    #[allow(clippy::too_many_arguments)]
    pub fn placed(
        &mut self,
        problem: &Problem,
        seq: &Sequence,
        dec: &Decoder,
        o: OpId,
        prev: Option<OpId>,
        succ: bool,
        deferred: bool,
        last_baseline: &[Option<OpId>],
        next: &[usize],
    ) -> bool {
        let (i, e, k) = (o.idx(), self.epoch, self.step);
        // 1. The placed sets: `o` joins the new one, the old decode's placement `k` the old.
        if (self.old.rank[i] as usize) < k {
            self.unmatched -= 1;
        } else {
            self.unmatched += 1;
        }
        self.marks.placed[i] = e;
        if self.marks.placed[self.old.placed[k].idx()] == e {
            self.unmatched -= 1;
        } else {
            self.unmatched += 1;
        }
        self.step = k + 1;
        // 2.
        if self.marks.changed[i] == e {
            self.changed_left -= 1;
        }
        // 3. `o` closes the links to it of its differing predecessors.
        for q in [prev, problem.pred(o)].into_iter().flatten() {
            if self.marks.differs[q.idx()] == e {
                self.open -= 1;
            }
        }
        if self.old.differs(dec, i) {
            self.hi = self.hi.max(self.old.end[i]).max(dec.end[i]);
            // Successors read its end (and the routing successor its machine, for the
            // transfer): a booking that differs only otherwise links to none.
            let end = self.old.end[i] != dec.end[i];
            let machine = self.old.machine[i] != dec.machine[i];
            if end || machine {
                self.marks.differs[i] = e;
                let last = problem.compact().core(o).is_last_of_job();
                // Its links, each closed by the successor's placement (above).
                self.open += usize::from(!last) + usize::from(succ);
            }
        }
        self.blocked |= self.marks.inexact[i];
        if self.blocked
            || self.step == self.old.placed.len()
            || self.unmatched != 0
            || self.changed_left != 0
            || self.open != 0
            // 4.
            || deferred
            || self.old.deferred_after[k]
            // 5.
            || self.hi > self.old.floor_from[k + 1]
        {
            return false;
        }
        // 6.
        if problem.stability.is_some() {
            for m in self.machines.iter().flatten() {
                if let Some(&q) = seq.order[m.idx()].get(next[m.idx()]) {
                    if last_baseline[m.idx()] != self.old.baseline_pred[q.idx()] {
                        return false;
                    }
                }
            }
        }
        true
    }
}
