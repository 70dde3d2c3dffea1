//! Time bounds that make the big-M constants small: a horizon that some optimal schedule fits in,
//! per-job completion bounds from the incumbent's objective, heads (earliest starts) and latest
//! ends per operation. See `models/disjunctive.md`, "Bounds and big-M".

use super::calendar;
use super::MipError;
use crate::model::{MachineId, Minute, OpId, Problem};
use std::collections::HashMap;

/// One eligible machine of an operation as the model sees it (a pinned operation keeps only its
/// pinned machine).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ModeInfo {
    pub machine: MachineId,
    pub duration: Minute,
}

/// The modes of every operation, pins applied.
pub(crate) fn model_modes(problem: &Problem) -> Vec<Vec<ModeInfo>> {
    problem
        .ops
        .iter()
        .map(|op| {
            op.modes
                .iter()
                .filter(|m| op.pinned.is_none_or(|p| p.machine == m.machine))
                .map(|m| ModeInfo {
                    machine: m.machine,
                    duration: m.duration,
                })
                .collect()
        })
        .collect()
}

/// Bounds on times, valid for at least one optimal schedule.
#[derive(Debug, Clone)]
pub(crate) struct Bounds {
    /// A horizon every operation of some optimal schedule ends by.
    pub horizon: Minute,
    /// Latest completion of each job.
    pub completion_ub: Vec<Minute>,
    /// Earliest start of each operation (its head).
    pub start_lb: Vec<Minute>,
    /// Latest end of each operation (completion bound minus the operation's tail).
    pub end_ub: Vec<Minute>,
}

fn min_duration(modes: &[ModeInfo]) -> Minute {
    modes.iter().map(|m| m.duration).min().unwrap_or(0)
}

/// The largest changeover operation `o` can need right before it on machine `m`.
fn max_setup_into(problem: &Problem, m: MachineId, o: OpId) -> Minute {
    let family = problem.op(o).family;
    let mut best = problem.changeover(m, problem.machine(m).initial_family, family);
    for &k in &problem.ops_by_machine[m.idx()] {
        if k != o {
            best = best.max(problem.changeover(m, problem.op(k).family, family));
        }
    }
    best
}

/// Minimal `duration on m + transfer(m -> m')` over the modes of `o` and `next`.
fn min_step(problem: &Problem, modes: &[Vec<ModeInfo>], o: OpId, next: OpId) -> Minute {
    let mut best = Minute::MAX;
    for a in &modes[o.idx()] {
        for b in &modes[next.idx()] {
            best = best.min(a.duration + problem.transfer_time(a.machine, b.machine));
        }
    }
    best
}

/// Minimal `transfer(m -> m') + duration on m'` over the modes of `o` and `next`.
fn min_step_back(problem: &Problem, modes: &[Vec<ModeInfo>], o: OpId, next: OpId) -> Minute {
    let mut best = Minute::MAX;
    for a in &modes[o.idx()] {
        for b in &modes[next.idx()] {
            best = best.min(problem.transfer_time(a.machine, b.machine) + b.duration);
        }
    }
    best
}

/// `floor(x)` with a little slack for floating-point error (times are integers).
fn floor_minutes(x: f64) -> Minute {
    if x >= Minute::MAX as f64 / 4.0 {
        Minute::MAX / 4
    } else {
        (x + 1e-6).floor() as Minute
    }
}

/// Computes the bounds. `incumbent` is the objective value of a schedule that keeps every hard
/// deadline (the heuristic's), if one is known: every objective term is non-negative, so in an
/// optimal schedule each term is at most that value.
pub(crate) fn compute(
    problem: &Problem,
    modes: &[Vec<ModeInfo>],
    incumbent: Option<f64>,
) -> Result<Bounds, MipError> {
    let w = problem.objective;
    let horizon_safe = safe_horizon(problem, modes);
    let mut horizon = horizon_safe;
    if let Some(v) = incumbent {
        if w.makespan > 0.0 {
            horizon = horizon.min(floor_minutes(v / w.makespan));
        }
    }
    let completion_ub = completion_bounds(problem, horizon, incumbent);
    let n = problem.ops.len();
    let mut start_lb = vec![0; n];
    let mut end_ub = vec![0; n];
    for (j, job) in problem.jobs.iter().enumerate() {
        job_windows(
            problem,
            modes,
            job,
            completion_ub[j],
            &mut start_lb,
            &mut end_ub,
        )?;
    }
    Ok(Bounds {
        horizon,
        completion_ub,
        start_lb,
        end_ub,
    })
}

/// An upper bound on the makespan of any semi-active schedule.
fn safe_horizon(problem: &Problem, modes: &[Vec<ModeInfo>]) -> Minute {
    let w = problem.objective;
    // A semi-active schedule's makespan is at most its latest fixed point (release, pin, and the
    // latest due date when earliness pays for waiting) plus, along its critical chain, each
    // operation's duration and the larger of its changeover and its transfer (on a calendar:
    // the longest the operation can take from the moment it may begin, plus its transfer).
    let mut base: Minute = 0;
    for op in &problem.ops {
        base = base.max(op.not_before.unwrap_or(0));
    }
    for job in &problem.jobs {
        base = base.max(job.release);
        if w.earliness > 0.0 && job.weight > 0.0 {
            if let Some(d) = job.due {
                base = base.max(d);
            }
        }
    }
    for op in &problem.ops {
        if let Some(p) = op.pinned {
            base = base.max(p.start);
        }
    }
    // On a calendar, the most an operation can take from the moment it may begin to its end
    // (waiting for working time included) replaces "duration + changeover".
    let scan_to = calendar::periodic_from(problem);
    let mut steps: HashMap<(MachineId, Minute, Minute, bool), Minute> = HashMap::new();
    let mut sum: Minute = 0;
    for (i, op) in problem.ops.iter().enumerate() {
        let o = OpId(i as u32);
        let transfer = match problem.pred(o) {
            Some(p) => {
                let mut t = 0;
                for a in &modes[p.idx()] {
                    for b in &modes[o.idx()] {
                        t = t.max(problem.transfer_time(a.machine, b.machine));
                    }
                }
                t
            }
            None => 0,
        };
        let mut step = 0;
        for mode in &modes[o.idx()] {
            let m = mode.machine;
            let setup = max_setup_into(problem, m, o);
            let av = &problem.machine(m).availability;
            let s = if av.interval_after(0) == (0, Minute::MAX) {
                mode.duration + setup.max(transfer)
            } else {
                *steps
                    .entry((m, setup, mode.duration, op.atomic))
                    .or_insert_with(|| {
                        calendar::max_step(av, setup, mode.duration, op.atomic, scan_to)
                    })
                    + transfer
            };
            step = step.max(s);
        }
        sum += step;
    }
    base + sum
}

/// Each job's latest useful completion: the horizon, what the incumbent's objective allows
/// (tardiness, late jobs, flow time), and its deadline.
fn completion_bounds(problem: &Problem, horizon: Minute, incumbent: Option<f64>) -> Vec<Minute> {
    let w = problem.objective;
    let mut completion_ub = Vec::with_capacity(problem.jobs.len());
    for job in &problem.jobs {
        let mut u = horizon;
        if let Some(v) = incumbent {
            let wj = job.weight;
            if let Some(d) = job.due {
                if w.weighted_tardiness * wj > 0.0 {
                    u = u.min(d.saturating_add(floor_minutes(v / (w.weighted_tardiness * wj))));
                }
                if w.late_jobs * wj > v + 1e-9 {
                    // Being late would cost more than the whole incumbent.
                    u = u.min(d);
                }
            }
            if w.flow_time * wj > 0.0 {
                u = u.min(
                    job.release
                        .saturating_add(floor_minutes(v / (w.flow_time * wj))),
                );
            }
        }
        if let Some(dl) = job.deadline {
            u = u.min(dl);
        }
        completion_ub.push(u);
    }

    completion_ub
}

/// One job's operation windows: earliest starts forwards (heads, pins), latest ends backwards
/// from `completion_ub`; an operation whose window is empty proves the instance infeasible.
fn job_windows(
    problem: &Problem,
    modes: &[Vec<ModeInfo>],
    job: &crate::model::Job,
    completion_ub: Minute,
    start_lb: &mut [Minute],
    end_ub: &mut [Minute],
) -> Result<(), MipError> {
    // Heads, forwards.
    let mut lb = job.release.max(0);
    for o in job.ops() {
        let op = problem.op(o);
        lb = lb.max(op.not_before.unwrap_or(0));
        if let Some(p) = op.pinned {
            if p.start < lb {
                return Err(MipError::Infeasible(format!(
                    "pinned operation {} starts at {} but cannot start before {}",
                    problem.op_name(o),
                    problem.datetime(p.start),
                    problem.datetime(lb)
                )));
            }
            lb = p.start;
        }
        start_lb[o.idx()] = lb;
        if o != job.last_op() {
            lb += min_step(problem, modes, o, OpId(o.0 + 1));
        }
    }
    // Latest ends, backwards.
    let mut ub = completion_ub;
    for o in job.ops().rev() {
        let op = problem.op(o);
        let md = min_duration(&modes[o.idx()]);
        let mut e = ub;
        if let Some(p) = op.pinned {
            // A pinned operation ends where its machine's calendar takes it.
            let av = &problem.machine(p.machine).availability;
            e = e.min(if op.atomic {
                p.start + md
            } else {
                av.advance(p.start, md)
            });
        }
        end_ub[o.idx()] = e;
        if start_lb[o.idx()] + md > e {
            let why = match job.deadline {
                Some(dl) if dl == completion_ub => {
                    format!("its deadline {}", problem.datetime(dl))
                }
                _ => "the model's horizon".to_string(),
            };
            return Err(MipError::Infeasible(format!(
                "job {}: operation {} cannot end before {}, too late for {why}",
                job.id,
                problem.op_name(o),
                problem.datetime(start_lb[o.idx()] + md),
            )));
        }
        if let Some(p) = problem.pred(o) {
            ub = match op.pinned {
                Some(pin) => {
                    let t = modes[p.idx()]
                        .iter()
                        .map(|a| problem.transfer_time(a.machine, pin.machine))
                        .min()
                        .unwrap_or(0);
                    pin.start - t
                }
                None => e - min_step_back(problem, modes, p, o),
            };
        }
    }
    Ok(())
}
