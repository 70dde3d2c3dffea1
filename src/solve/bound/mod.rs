//! Certified lower bounds on the objective, computed once per instance and valid for its actual
//! rules (calendars, releases, transfers, pins, changeovers, atomic operations, secondary
//! resources and materials): every rule a relaxation drops can only delay a schedule, so a bound
//! of the relaxation holds for the instance.
//!
//! The objective is a weighted sum of non-negative terms, so the sum of per-term bounds is a bound
//! ([`LowerBound::value`]). Terms bounded here:
//! - job completions ([`heads`]): each job's routing alone, through the machines' working time
//!   from its release, on its fastest machines, transfers at their least. They bound makespan,
//!   weighted tardiness, late jobs and flow time, job by job;
//! - makespan, per machine ([`machine`]): the work that can only go to one machine, after the
//!   earliest moment it can begin (working time on a calendar), and on machines always available
//!   the one-machine preemptive bound with heads and tails (Jackson's schedule, Carlier);
//! - one machine with one operation per job ([`lagrange`]): a Lagrangian relaxation of the
//!   tardiness (Potts & Van Wassenhove) solved by Smith's rule, with subgradient multipliers;
//!   and, where its dynamic program is cheap enough, the Lagrangian relaxation of the
//!   time-indexed model ([`smwt`], Tanaka, Fujikuma & Araki), much closer to the optimum.
//!
//! Changeover time, earliness and the stability penalty are bounded by 0.

mod heads;
mod lagrange;
mod machine;
mod smwt;

use crate::model::{Minute, Problem};

/// A lower bound per objective term (raw, before the instance's weights) and their weighted sum.
#[derive(Debug, Clone, PartialEq)]
pub struct LowerBound {
    /// No schedule's objective is below this (hard deadlines kept or not).
    pub value: f64,
    pub makespan: Minute,
    pub weighted_tardiness: f64,
    pub late_jobs: f64,
    pub flow_time: f64,
    /// Earliest completion of each job (indexed by job).
    pub completion: Vec<Minute>,
    /// What gave the value (for the log): "job chains", "machine load", "Lagrangian", ...
    pub source: &'static str,
}

/// The bound of `problem` (see the module's description).
pub fn lower_bound(problem: &Problem) -> LowerBound {
    let w = problem.objective;
    let h = heads::compute(problem);
    let completion = h.completion.clone();
    let chains_mk = completion.iter().copied().max().unwrap_or(0).max(0);
    let machine_mk = machine::makespan_bound(problem, &h);
    let makespan = chains_mk.max(machine_mk);
    let (mut wt, mut late, mut flow) = (0.0, 0.0, 0.0);
    for (job, &c) in problem.jobs.iter().zip(&completion) {
        if let Some(d) = job.due {
            wt += job.weight * (c - d).max(0) as f64;
            if c > d {
                late += job.weight;
            }
        }
        flow += job.weight * (c - job.release) as f64;
    }
    let weighted = |mk: f64, wt: f64, late: f64, flow: f64| {
        w.makespan * mk + w.weighted_tardiness * wt + w.late_jobs * late + w.flow_time * flow
    };
    let mut value = weighted(makespan as f64, wt, late, flow);
    let mut source = if machine_mk > chains_mk && w.makespan > 0.0 {
        "machine load"
    } else {
        "job chains"
    };
    // On one machine the Lagrangian bounds tardiness and flow time together.
    if let Some(tf) = lagrange::single_machine_bound(problem) {
        let alt = w.makespan * makespan as f64 + w.late_jobs * late + tf;
        if alt > value {
            value = alt;
            source = "Lagrangian (one machine)";
        }
    }
    // Stronger where it applies and is cheap enough: it bounds late jobs too.
    if let Some(tf) = smwt::single_machine_bound(problem, &h) {
        let alt = w.makespan * makespan as f64 + tf;
        if alt > value {
            value = alt;
            source = "time-indexed Lagrangian (one machine)";
        }
    }
    if integral_objective(problem) {
        // Every schedule's objective is an integer: round up (a little slack for rounding error).
        value = (value - 1e-6).ceil().max(0.0);
    }
    let valid = [
        w.makespan,
        w.weighted_tardiness,
        w.late_jobs,
        w.flow_time,
        w.changeover_time,
        w.earliness,
    ]
    .iter()
    .all(|&x| x >= 0.0);
    LowerBound {
        value: if valid {
            value.max(0.0)
        } else {
            f64::NEG_INFINITY
        },
        makespan,
        weighted_tardiness: wt,
        late_jobs: late,
        flow_time: flow,
        completion,
        source,
    }
}

/// Whether every schedule's objective is an integer: integer weights everywhere, no stability
/// penalty (its per-minute cost may be fractional).
fn integral_objective(problem: &Problem) -> bool {
    let int = |x: f64| x.fract() == 0.0 && x.abs() < 1e12;
    problem.stability.is_none()
        && problem.objective.as_array().iter().all(|&x| int(x))
        && problem.jobs.iter().all(|j| int(j.weight))
}

/// `100 × (objective − bound) / objective` (0 when both are 0; `None` when the objective is 0
/// and the bound is not, which cannot happen for a valid bound).
pub fn gap_pct(objective: f64, bound: f64) -> Option<f64> {
    if !bound.is_finite() {
        return None;
    }
    if objective.abs() < 1e-9 {
        return (bound.abs() < 1e-9).then_some(0.0);
    }
    Some((100.0 * (objective - bound) / objective.abs()).max(0.0))
}

/// Whether an objective meets a bound: nothing can be better, the schedule is optimal.
pub fn meets(objective: f64, bound: f64) -> bool {
    objective <= bound + 1e-9
}

/// "bound B, gap G %", as `takt solve`, the bench and reports print it beside the objective.
pub fn describe(objective: f64, bound: f64) -> String {
    match gap_pct(objective, bound) {
        Some(g) => format!("bound {}, gap {g:.2} %", fmt(bound)),
        None => format!("bound {}", fmt(bound)),
    }
}

fn fmt(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// The status a schedule gets when its objective meets the bound.
pub const OPTIMAL_BOUND_MET: &str = "optimal (bound met)";

/// What can be said of a result: the best bound known and whether the result meets it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Certificate {
    /// The larger of our bound and the proven one given (e.g. the MIP's dual bound).
    pub bound: f64,
    /// `100 × (objective − bound) / objective`.
    pub gap_pct: Option<f64>,
    /// The schedule keeps every hard deadline and meets the bound.
    pub optimal: bool,
}

/// Certifies an evaluated result against the instance's bound and an optional `proven` bound.
pub fn certify(
    problem: &Problem,
    evaluation: &crate::eval::Evaluation,
    proven: Option<f64>,
) -> Certificate {
    let own = lower_bound(problem).value;
    let bound = proven.map_or(own, |p| p.max(own));
    Certificate {
        bound,
        gap_pct: gap_pct(evaluation.value, bound),
        optimal: evaluation.feasible() && meets(evaluation.value, bound),
    }
}
