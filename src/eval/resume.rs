//! Move evaluation with secondary resources or materials (docs/scale-notes.md, section 4.5):
//! the decoder is then a greedy in a global priority order, so a move can reach any later
//! placement through a shared resource or stock. But everything the decode did *before* the
//! first step a move can influence is the same for the old and the new sequence: the decode
//! resumes from the last checkpoint before that step (checkpoints of the decoder's state every
//! K placements) and re-places only the rest.
//!
//! The first step a move influences: the decoder pushes an operation into its priority heap
//! when the last of its machine predecessor and routing predecessor is placed (or at the start
//! when it has neither). A move changes which operation follows `order[m][first - 1]` on a
//! machine (its placement pushes another operation), which machine a reassigned operation
//! waits on (the placement of its routing predecessor decides whether it is pushed), or the
//! heap key of two operations (their push). Before the earliest such placement, every pop,
//! placement, deferral and booking is the same. And the resumed decode stops once it has
//! rejoined the old one (src/eval/rejoin.rs): a move then costs about what it changes.

use super::decode::{Checkpoint, DecodeError, Decoder, Sequence};
use super::incremental::Change;
use super::moves::synced;
use super::objective::Evaluation;
use super::rejoin::{Marks, Rejoin, Times};
use crate::model::{OpId, Problem};

/// Checkpointed priority decoding for local search: [`Self::sync`] once, then per move
/// [`Self::apply`] and [`Self::keep`] or [`Self::undo`].
#[derive(Debug, Clone, Default)]
pub struct Resumer {
    checkpoints: Vec<Checkpoint>,
    every: usize,
    saved: Times,
    marks: Marks,
    eval: Evaluation,
    /// The checkpoint the last apply resumed from (`None`: from the start).
    from: Option<usize>,
    /// Its placements (kept from the current decode).
    kept: usize,
    /// Placements the last apply made (the kept ones included): the operations placed
    /// `kept..stop` hold new values.
    stop: usize,
    /// The last apply stopped early and took the current decode's placements `stop..`.
    rejoined: bool,
    /// The decoder holds the current sequence's decode.
    valid: bool,
    /// The last apply was a full decode (the state was not valid): nothing to restore.
    resynced: bool,
}

impl Resumer {
    /// Checkpoints every n/32 placements (at least 64): restoring one copies the resource
    /// and stock state, so far fewer than placements.
    pub fn new(problem: &Problem) -> Self {
        Self::with_interval(problem, (problem.ops.len() / 32).max(64))
    }

    /// Checkpoints every `every` placements (tests use small intervals).
    pub fn with_interval(problem: &Problem, every: usize) -> Self {
        let mut saved = Times {
            rank: vec![0; problem.ops.len()],
            ..Times::default()
        };
        saved.deferred_after.resize(problem.ops.len(), false);
        Resumer {
            every: every.max(1),
            saved,
            marks: Marks::new(problem),
            ..Resumer::default()
        }
    }

    /// The evaluation of the sequence the decoder holds.
    pub fn evaluation(&self) -> Evaluation {
        self.eval
    }

    pub fn is_synced(&self) -> bool {
        self.valid
    }

    /// Of the last [`Self::apply`]: the placements after its resume point, how many of them
    /// it made itself (the rest it took from the current decode), and whether it stopped
    /// early on rejoining the current decode.
    pub fn last_work(&self) -> (usize, usize, bool) {
        let after = self.saved.placed.len().saturating_sub(self.kept);
        (after, self.stop.saturating_sub(self.kept), self.rejoined)
    }

    /// A full decode of `seq` with checkpoints.
    pub fn sync(
        &mut self,
        problem: &Problem,
        dec: &mut Decoder,
        seq: &Sequence,
    ) -> Result<Evaluation, DecodeError> {
        self.valid = false;
        self.checkpoints.clear();
        dec.decode_resumed(
            problem,
            seq,
            None,
            Some((&mut self.checkpoints, self.every)),
            None,
        )?;
        self.kept = 0;
        self.from = None;
        self.save(dec);
        Ok(synced(problem, dec, &mut self.eval, &mut self.valid))
    }

    /// Decodes `seq` (the current sequence changed by `change`) from the last checkpoint
    /// before the first placement the change can influence. Afterwards [`Self::keep`] (only
    /// after `Ok`) or [`Self::undo`].
    pub fn apply(
        &mut self,
        problem: &Problem,
        dec: &mut Decoder,
        seq: &Sequence,
        change: &Change,
    ) -> Result<Evaluation, DecodeError> {
        self.resynced = !self.valid;
        if self.resynced {
            return self.sync(problem, dec, seq);
        }
        self.from = self.resume_point(problem, seq, change);
        self.kept = self.from.map_or(0, |c| self.checkpoints[c].placed);
        let cp = self.from.map(|c| &self.checkpoints[c]);
        let mut rj = Rejoin::start(seq, change, &self.saved, &mut self.marks, self.kept);
        let r = dec.decode_resumed(problem, seq, cp, None, Some(&mut rj));
        (self.stop, self.rejoined) = (rj.step, rj.rejoined);
        r?;
        Ok(dec.evaluate(problem))
    }

    /// Accepts the last applied change: decodes again from the same checkpoint, this time
    /// recording the checkpoints after it (the same result: the decode is deterministic).
    pub fn keep(&mut self, problem: &Problem, dec: &mut Decoder, seq: &Sequence) {
        if self.resynced {
            return;
        }
        let from = self.from.map(|c| {
            self.checkpoints.truncate(c + 1);
            self.checkpoints[c].clone()
        });
        if from.is_none() {
            self.checkpoints.clear();
        }
        let r = dec.decode_resumed(
            problem,
            seq,
            from.as_ref(),
            Some((&mut self.checkpoints, self.every)),
            None,
        );
        if r.is_err() {
            // Cannot happen (the same decode succeeded in `apply`); start over if it does.
            self.valid = false;
            return;
        }
        self.save(dec);
        self.eval = dec.evaluate(problem);
    }

    /// Copies the decode's values of the operations placed after the kept prefix.
    fn save(&mut self, dec: &Decoder) {
        let s = &mut self.saved;
        if s.start.len() != dec.start.len() {
            s.setup_start.clone_from(&dec.setup_start);
            s.start.clone_from(&dec.start);
            s.end.clone_from(&dec.end);
            s.setup.clone_from(&dec.setup);
            s.machine.clone_from(&dec.machine);
            s.cause.clone_from(&dec.cause);
            s.chosen.clone_from(&dec.chosen);
            s.baseline_pred.clone_from(&dec.baseline_pred);
            s.floor.clone_from(&dec.floor);
        }
        s.placed.truncate(self.kept);
        s.placed.extend_from_slice(&dec.placed[self.kept..]);
        for (k, &o) in dec.placed.iter().enumerate().skip(self.kept) {
            let i = o.idx();
            s.rank[i] = k as u32;
            s.deferred_after[k] = dec.deferred_after[i];
            // (Not read from the decoder for the others: a rejected apply leaves its floors.)
            s.floor[i] = dec.floor[i];
            Times::copy_op(
                i,
                (&dec.setup_start, &dec.start, &dec.end, &dec.setup),
                (&mut s.setup_start, &mut s.start, &mut s.end, &mut s.setup),
            );
            s.machine[i] = dec.machine[i];
            s.cause[i] = dec.cause[i];
            s.chosen[i].clone_from(&dec.chosen[i]);
            s.baseline_pred[i] = dec.baseline_pred[i];
        }
        s.completion.clone_from(&dec.completion);
        s.set_floors();
    }

    /// The last checkpoint before the first placement `change` can influence (`None`: the
    /// initial pushes already differ, decode from the start).
    fn resume_point(&self, problem: &Problem, seq: &Sequence, change: &Change) -> Option<usize> {
        let mut first = usize::MAX;
        let mut at_start = false;
        let mut step = |r: Option<usize>| match r {
            Some(r) => first = first.min(r),
            None => at_start = true,
        };
        let rank = |o: OpId| self.saved.rank[o.idx()] as usize;
        for s in change.spans.iter().flatten() {
            // The operation before the span is the same in both sequences.
            step(
                s.first
                    .checked_sub(1)
                    .map(|i| rank(seq.order[s.machine.idx()][i])),
            );
        }
        if let Some(o) = change.moved {
            if let Some(p) = problem.pred(o) {
                step(Some(rank(p)));
            }
        }
        for &o in change.reprioritised.iter().flatten() {
            // Pushed (with its key) when the later of its two predecessors is placed.
            let order = &seq.order[seq.machine_of[o.idx()].idx()];
            let k = order.iter().position(|&x| x == o).unwrap_or(0);
            let machine_pred = k.checked_sub(1).map(|i| rank(order[i]));
            let routing_pred = problem.pred(o).map(rank);
            step(machine_pred.max(routing_pred));
        }
        if at_start || first == usize::MAX {
            return None;
        }
        // Checkpoint k holds the state after placements 0..k: usable while k <= first.
        let c = self.checkpoints.partition_point(|c| c.placed <= first);
        c.checked_sub(1)
    }

    /// Restores the decoder to the current sequence's decode.
    pub fn undo(&mut self, dec: &mut Decoder) {
        if !self.valid || self.resynced {
            self.valid = false;
            return;
        }
        let s = &self.saved;
        let stop = self.stop.min(dec.placed.len());
        for &o in &dec.placed[self.kept..stop] {
            let i = o.idx();
            Times::copy_op(
                i,
                (&s.setup_start, &s.start, &s.end, &s.setup),
                (
                    &mut dec.setup_start,
                    &mut dec.start,
                    &mut dec.end,
                    &mut dec.setup,
                ),
            );
            dec.machine[i] = s.machine[i];
            dec.cause[i] = s.cause[i];
            dec.chosen[i].clone_from(&s.chosen[i]);
            dec.baseline_pred[i] = s.baseline_pred[i];
        }
        dec.completion.copy_from_slice(&s.completion);
        if self.rejoined {
            // The same operations as the current decode's `kept..stop`, in another order.
            dec.placed[self.kept..stop].copy_from_slice(&s.placed[self.kept..stop]);
        } else {
            dec.placed.truncate(self.kept);
            dec.placed.extend_from_slice(&s.placed[self.kept..]);
        }
    }
}
