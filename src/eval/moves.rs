//! One interface for evaluating local-search moves without a full decode each: incremental
//! re-timing ([`Incremental`]) without secondary resources and materials, checkpointed
//! resumption of the priority decode ([`Resumer`]) with them. Both leave the current
//! sequence's schedule in the [`Decoder`] between moves and equal a full decode exactly.

use super::decode::{DecodeError, Decoder, Sequence};
use super::incremental::{Change, Incremental};
use super::objective::Evaluation;
use super::resume::Resumer;
use crate::model::Problem;

/// The move evaluator suited to an instance.
#[derive(Debug, Clone)]
pub enum MoveEvaluator {
    Retime(Box<Incremental>),
    Resume(Box<Resumer>),
}

impl MoveEvaluator {
    pub fn new(problem: &Problem) -> Self {
        if Incremental::supports(problem) {
            MoveEvaluator::Retime(Box::new(Incremental::new(problem)))
        } else {
            MoveEvaluator::Resume(Box::new(Resumer::new(problem)))
        }
    }

    /// A full decode of `seq`, the start for the moves after it.
    pub fn sync(
        &mut self,
        problem: &Problem,
        dec: &mut Decoder,
        seq: &Sequence,
    ) -> Result<Evaluation, DecodeError> {
        match self {
            MoveEvaluator::Retime(x) => x.sync(problem, dec, seq),
            MoveEvaluator::Resume(x) => x.sync(problem, dec, seq),
        }
    }

    /// Evaluates `seq`, the current sequence changed by `change`; then [`Self::keep`] (after
    /// `Ok` only) or [`Self::undo`] (with the change undone in `seq`).
    pub fn apply(
        &mut self,
        problem: &Problem,
        dec: &mut Decoder,
        seq: &Sequence,
        change: &Change,
    ) -> Result<Evaluation, DecodeError> {
        match self {
            MoveEvaluator::Retime(x) => x.apply(problem, dec, seq, change),
            MoveEvaluator::Resume(x) => x.apply(problem, dec, seq, change),
        }
    }

    /// Makes the applied sequence `seq` the current one.
    pub fn keep(&mut self, problem: &Problem, dec: &mut Decoder, seq: &Sequence) {
        match self {
            MoveEvaluator::Retime(x) => x.keep(),
            MoveEvaluator::Resume(x) => x.keep(problem, dec, seq),
        }
    }

    /// Restores the current sequence `seq`'s schedule in the decoder.
    pub fn undo(&mut self, problem: &Problem, dec: &mut Decoder, seq: &Sequence) {
        match self {
            MoveEvaluator::Retime(x) => x.undo(problem, dec, seq),
            MoveEvaluator::Resume(x) => x.undo(dec),
        }
    }

    /// Whether the decoder holds the current sequence's schedule.
    pub fn is_synced(&self) -> bool {
        match self {
            MoveEvaluator::Retime(x) => x.is_synced(),
            MoveEvaluator::Resume(x) => x.is_synced(),
        }
    }

    /// The current sequence's evaluation.
    pub fn evaluation(&self) -> Evaluation {
        match self {
            MoveEvaluator::Retime(x) => x.evaluation(),
            MoveEvaluator::Resume(x) => x.evaluation(),
        }
    }
}

/// The end of a full decode in both evaluators' `sync`: the decoder now holds the current
/// sequence's schedule, so moves are evaluated from it; returns its evaluation, kept in `eval`.
pub(super) fn synced(
    problem: &Problem,
    dec: &Decoder,
    eval: &mut Evaluation,
    valid: &mut bool,
) -> Evaluation {
    *eval = dec.evaluate(problem);
    *valid = true;
    *eval
}
