//! Solvers. Each returns a [`SolveResult`] whose schedule went through the one evaluator.

pub mod bound;
pub mod dispatch;
pub mod job_shop;
pub mod mip;

use crate::eval::{Decoder, Evaluation, Sequence};
use crate::model::Problem;
use crate::schedule::Schedule;

/// A solver's answer: the schedule, its evaluation, and the sequence it came from.
#[derive(Debug, Clone)]
pub struct SolveResult {
    pub schedule: Schedule,
    pub sequence: Sequence,
    pub evaluation: Evaluation,
    /// What produced it (e.g. the winning dispatching rule).
    pub method: String,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum SolveError {
    #[error("no schedule found: {0}")]
    NoSchedule(String),
}

/// Decodes and evaluates a sequence into a result.
pub fn finish(
    problem: &Problem,
    sequence: Sequence,
    method: String,
) -> Result<SolveResult, SolveError> {
    let mut dec = Decoder::new(problem);
    dec.decode(problem, &sequence)
        .map_err(|e| SolveError::NoSchedule(describe(problem, &e)))?;
    let evaluation = dec.evaluate(problem);
    let schedule = dec.to_schedule(problem, &sequence);
    Ok(SolveResult {
        schedule,
        sequence,
        evaluation,
        method,
    })
}

/// A decode error in the instance's names.
pub fn describe(problem: &Problem, e: &crate::eval::DecodeError) -> String {
    use crate::eval::DecodeError::*;
    match e {
        PinMissed { op, pin, earliest } => format!(
            "pinned operation {} cannot start at {} (earliest feasible {})",
            problem.op_name(*op),
            problem.datetime(*pin),
            problem.datetime(*earliest)
        ),
        BadAssignment(op) => format!(
            "operation {} is not properly assigned",
            problem.op_name(*op)
        ),
        Cycle(n) => format!("machine sequences contradict routings ({n} operations unplaceable)"),
        MaterialShortage { op, item } => format!(
            "operation {} never gets enough `{}`: stock, receipts and production do not cover it",
            problem.op_name(*op),
            problem.items[item.idx()].id
        ),
        ResourceUnavailable { op, resource } => format!(
            "operation {} never again finds the units of `{}` it needs",
            problem.op_name(*op),
            problem.resources[resource.idx()].id
        ),
    }
}

/// Runs every dispatching rule (in parallel threads, see [`rules`]) and keeps the best schedule
/// (hard deadlines first, then the objective). Fails only if no rule yields a schedule (e.g.
/// pins that cannot all hold).
pub fn solve_dispatch(problem: &Problem) -> Result<SolveResult, SolveError> {
    rules::run_all(problem)
}
pub mod neighbourhood;
pub mod rules;
pub mod run;
pub mod search;
pub mod single_machine;
#[cfg(test)]
mod test_support;

pub use run::{annotate, run, RunError, Solved, SolverChoice};
