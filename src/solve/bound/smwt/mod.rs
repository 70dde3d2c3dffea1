//! One machine, one operation per job: the Lagrangian relaxation of the time-indexed model
//! (Tanaka, Fujikuma & Araki 2009, first stage), a far stronger bound than Smith's rule on
//! weighted tardiness when most jobs can be on time.
//!
//! Why it is valid for the instance's actual rules: the machine runs one operation at a time, each
//! job's operation needs its duration in working minutes, no operation starts before the earliest
//! head `start` (releases, pins at or after 0), and calendars, changeovers, secondary resources
//! and materials only delay. So the job completing `k`-th ends at minute
//! `start + (work of the first k jobs)` or later, and never before its own earliest completion.
//! Each job's cost (tardiness, late job, flow time, all weighted) does not decrease with its
//! completion, so the cost of a sequence at those times is at most the schedule's; relaxing
//! "every job exactly once" with multipliers `μ_j` gives, for any `μ`, the bound
//! `min over sequences (Σ cost − μ) + Σ μ` ([`ssdp`]). Subgradient steps (Polyak, towards the
//! best sequence found) raise it.

mod heuristic;
mod jobs;
mod memo;
mod ssdp;

use super::heads::{one_machine_durations, Heads};
use crate::model::{Minute, OpId, Problem};
use jobs::Jobs;
use ssdp::{Costs, Ssdp};

/// Work allowed for the subgradient (job × time-unit steps over all passes): about 0.25 s of CPU
/// on wt100 (about 160 passes), measured on a loaded machine.
const WORK_BUDGET: usize = 80_000_000;
/// At most this many passes; and the bound is not tried with fewer than `MIN_PASSES`.
const MAX_PASSES: usize = 400;
const MIN_PASSES: usize = 20;
const STALL: usize = 15;
const DEFLECT: f64 = 1.5;

/// The bound on the weighted tardiness, late jobs and flow time terms together (weighted), or
/// `None` where it does not apply (not one machine with one operation per job, a pin before 0,
/// no such term in the objective) or would cost too much.
pub(crate) fn single_machine_bound(problem: &Problem, heads: &Heads) -> Option<f64> {
    let (jobs, fixed) = relaxed_jobs(problem, heads)?;
    if jobs.jobs() == 0 {
        return Some(fixed);
    }
    let steps = jobs.jobs() * jobs.horizon();
    let passes = (WORK_BUDGET / steps.max(1)).min(MAX_PASSES);
    if passes < MIN_PASSES {
        return None;
    }
    let integral = integral(problem);
    let key = memo::key(&jobs, passes, integral);
    let relaxed = memo::get(&key).unwrap_or_else(|| {
        let v = if jobs.jobs() * (jobs.horizon() + 1) <= jobs::TABLE_LIMIT {
            subgradient(&jobs, &jobs::Table::new(&jobs), passes, integral)
        } else {
            subgradient(&jobs, &jobs, passes, integral)
        };
        memo::put(key, v);
        v
    });
    Some(fixed + relaxed)
}

/// The jobs with work on the machine, and the least cost of the others (at their earliest
/// completion): leaving a job out of a one-machine relaxation only makes the others earlier.
fn relaxed_jobs(problem: &Problem, heads: &Heads) -> Option<(Jobs, f64)> {
    let w = problem.objective;
    if problem.jobs.is_empty()
        || (w.weighted_tardiness <= 0.0 && w.flow_time <= 0.0 && w.late_jobs <= 0.0)
    {
        return None;
    }
    let durations = one_machine_durations(problem)?;
    if durations.iter().any(|&d| d < 0) {
        return None;
    }
    let mut all = Jobs {
        len: Vec::new(),
        unit: 1,
        start: Minute::MAX,
        earliest: Vec::new(),
        due: Vec::new(),
        tardy: Vec::new(),
        late: Vec::new(),
        flow: Vec::new(),
        release: Vec::new(),
    };
    let mut fixed = 0.0;
    let mut minutes = Vec::new();
    for (j, (job, &d)) in problem.jobs.iter().zip(&durations).enumerate() {
        let o = OpId(job.first_op);
        let (due, tardy, late) = match job.due {
            Some(due) => (
                due,
                w.weighted_tardiness * job.weight,
                w.late_jobs * job.weight,
            ),
            None => (Minute::MAX, 0.0, 0.0),
        };
        all.earliest.push(heads.completion[j]);
        all.due.push(due);
        all.tardy.push(tardy);
        all.late.push(late);
        all.flow.push(w.flow_time * job.weight);
        all.release.push(job.release);
        if d == 0 {
            // No work: only its own earliest completion bounds it.
            all.len.push(0);
            fixed += all.cost_at(all.len.len() - 1, heads.completion[j]);
        } else {
            all.start = all.start.min(heads.head[o.idx()].max(0));
            minutes.push(d);
            all.len.push(d as usize);
        }
    }
    let unit = minutes.iter().fold(0, |g, &d| gcd(g, d)).max(1);
    let keep: Vec<usize> = (0..all.len.len()).filter(|&j| all.len[j] > 0).collect();
    let pick = |v: &[Minute]| keep.iter().map(|&j| v[j]).collect::<Vec<_>>();
    let pickf = |v: &[f64]| keep.iter().map(|&j| v[j]).collect::<Vec<_>>();
    let jobs = Jobs {
        len: keep.iter().map(|&j| all.len[j] / unit as usize).collect(),
        unit,
        start: if keep.is_empty() { 0 } else { all.start },
        earliest: pick(&all.earliest),
        due: pick(&all.due),
        tardy: pickf(&all.tardy),
        late: pickf(&all.late),
        flow: pickf(&all.flow),
        release: pick(&all.release),
    };
    Some((jobs, fixed))
}

fn gcd(a: Minute, b: Minute) -> Minute {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Whether every sequence's cost is an integer (integer weights): the bound may round up.
fn integral(problem: &Problem) -> bool {
    let int = |x: f64| x.fract() == 0.0 && x.abs() < 1e12;
    let w = problem.objective;
    [w.weighted_tardiness, w.late_jobs, w.flow_time]
        .iter()
        .all(|&x| int(x))
        && problem.jobs.iter().all(|j| int(j.weight))
}

/// Subgradient optimisation of the multipliers with Polyak steps towards the best sequence's
/// cost (`costs`: the jobs' costs, maybe tabulated); returns the best bound `min (Σ cost − μ) + Σ μ` met.
fn subgradient(jobs: &Jobs, costs: &impl Costs, passes: usize, integral: bool) -> f64 {
    let n = jobs.jobs();
    let mut order: Vec<usize> = Vec::with_capacity(n);
    // A first sequence: by due date, improved; its costs are the first multipliers.
    let mut upper = heuristic::sequence(jobs, &[], &mut order);
    let mut mu = vec![0.0; n];
    let mut dp = Ssdp::new(jobs.horizon());
    let mut count = vec![0u32; n];
    let mut pieces = Vec::with_capacity(n);
    let mut best = f64::NEG_INFINITY;
    let mut theta = 2.0;
    let mut since = 0;
    let mut dir = vec![0.0; n];
    for _ in 0..passes {
        let value = dp.solve(costs, &mu, &mut count) + mu.iter().sum::<f64>();
        if value > best + 1e-9 {
            best = value;
            since = 0;
        } else {
            since += 1;
            if since >= STALL {
                theta /= 2.0;
                since = 0;
            }
        }
        let met = |lb: f64, ub: f64| {
            if integral {
                (lb - 1e-6).ceil() >= ub - 1e-6
            } else {
                lb >= ub - 1e-9
            }
        };
        pieces.clear();
        dp.trace(costs, |j, t| pieces.push((j, t)));
        upper = upper.min(heuristic::sequence(jobs, &pieces, &mut order));
        let g: Vec<f64> = count.iter().map(|&c| 1.0 - c as f64).collect();
        if g.iter().all(|&x| x == 0.0) || met(best, upper) || theta < 1e-4 {
            break;
        }
        // Deflected direction (Camerini, Fratta & Maffioli): damps the zig-zag of plain steps.
        let dot: f64 = g.iter().zip(&dir).map(|(a, b)| a * b).sum();
        let dd: f64 = dir.iter().map(|x| x * x).sum();
        let beta = if dot < 0.0 && dd > 0.0 {
            -DEFLECT * dot / dd
        } else {
            0.0
        };
        for (d, x) in dir.iter_mut().zip(&g) {
            *d = x + beta * *d;
        }
        let norm: f64 = dir.iter().map(|x| x * x).sum();
        let step = theta * (upper - value).max(1e-6 * upper.abs().max(1.0)) / norm;
        for j in 0..n {
            mu[j] += step * dir[j];
        }
    }
    best
}
