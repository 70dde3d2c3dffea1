//! Events -> the patched instance (a typed `RawInstance`): the instance as it stands at `now`.
//!
//! - breakdown: downtime on the machine; an operation it interrupts resumes (stays pinned) or
//!   restarts (its lost minutes become downtime too, and it may not start again before the
//!   repair end), per `interrupted_operations` (see `freeze`).
//! - rush_order: the job is appended to `jobs` as written.
//! - cancel: the job is removed, with its started operations (their machine time is in the past).
//! - change_order: due, deadline, weight replaced; a new quantity scales the durations of the
//!   job's operations that have not started by new/old, rounded up to whole minutes.
//! - material_delay: `not_before` on the operation, or on every operation of the job that has
//!   not started when no operation is named (the first of them would do, the rest follow by
//!   routing; naming all keeps the patched file explicit).
//! - quality_hold: `not_before` on the operation.
//! - calendar_change: `add_overtime` is a dated overtime of the calendar (working time, even on
//!   holidays, as overtime always is); `cancel_shift` is downtime on every machine using the
//!   calendar (downtime is subtracted after overtime, so cancelled time is never worked).
//!
//! Then the state at `now`: every started operation is pinned at its planned machine and start;
//! every other operation gets `not_before: now` (or later); instance pins of operations that did
//! not start and lie before `now` are dropped (they cannot be kept).

use super::edit::{calendar_mut, instant, interval, job_mut, machine_mut, op_mut, pin};
use super::events::{Event, Events};
use super::freeze::Status;
use crate::model::raw::{RawEligible, RawInstance, RawOperation};
use crate::model::time::RawDuration;
use crate::model::{Diagnostic, MachineId, Minute, OpId, Problem};
use crate::schedule::ScheduledOp;

/// Applies the events and the state at `now` to `instance` (the original instance as written).
/// Errors are about the events file (an event that cannot apply, e.g. a hold on an operation
/// that has already started).
pub fn patch(
    instance: &RawInstance,
    problem: &Problem,
    baseline: &[Option<ScheduledOp>],
    events: &Events,
    st: &Status,
    now: Minute,
) -> Result<RawInstance, Vec<Diagnostic>> {
    let not_before = earliest_starts(problem, baseline, events, st, now)?;
    let mut raw = instance.clone();
    machine_changes(&mut raw, problem, baseline, events, st);
    order_changes(&mut raw, problem, events, st);
    state_at_now(&mut raw, problem, baseline, st, &not_before, now);
    cancel_and_add_jobs(&mut raw, problem, events, now);
    Ok(raw)
}

/// The earliest start of each operation from the events and `now`; errors for delays and holds
/// of operations that have started.
fn earliest_starts(
    problem: &Problem,
    baseline: &[Option<ScheduledOp>],
    events: &Events,
    st: &Status,
    now: Minute,
) -> Result<Vec<Option<Minute>>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut not_before: Vec<Option<Minute>> = problem.ops.iter().map(|o| o.not_before).collect();
    let mut raise = |o: OpId, t: Minute| {
        let nb = &mut not_before[o.idx()];
        *nb = Some(nb.map_or(t, |x| x.max(t)));
    };
    for o in 0..problem.ops.len() {
        if !st.started[o] {
            raise(OpId(o as u32), now);
        }
        if let Some((_, _, again)) = st.restarted[o] {
            raise(OpId(o as u32), again);
        }
    }
    let started_at = |o: OpId| {
        baseline[o.idx()]
            .map(|s| problem.datetime(s.start))
            .unwrap_or_default()
    };
    for (i, e) in &events.list {
        let p = format!("events[{i}].{}", e.kind());
        match e {
            Event::MaterialDelay { job, op, until } => match op {
                Some(o) if st.started[o.idx()] => diags.push(Diagnostic::at(
                    format!("{p}.operation"),
                    format!(
                        "{} started at {} (before now), so its material was there",
                        problem.op_name(*o),
                        started_at(*o)
                    ),
                )),
                Some(o) => raise(*o, *until),
                None => {
                    let open: Vec<OpId> = problem
                        .job(*job)
                        .ops()
                        .filter(|o| !st.started[o.idx()])
                        .collect();
                    if open.is_empty() {
                        diags.push(Diagnostic::at(
                            format!("{p}.job"),
                            format!(
                                "every operation of job `{}` has started before now; nothing left to delay",
                                problem.job(*job).id
                            ),
                        ));
                    }
                    for o in open {
                        raise(o, *until);
                    }
                }
            },
            Event::QualityHold { op, until, .. } => {
                if st.started[op.idx()] {
                    diags.push(Diagnostic::at(
                        format!("{p}.operation"),
                        format!(
                            "{} started at {} (before now); a hold cannot apply to it",
                            problem.op_name(*op),
                            started_at(*op)
                        ),
                    ));
                } else {
                    raise(*op, *until);
                }
            }
            _ => {}
        }
    }
    if diags.is_empty() {
        Ok(not_before)
    } else {
        Err(diags)
    }
}

/// Breakdowns, cancelled shifts and lost time of restarted operations as downtime; added
/// overtime on its calendar.
fn machine_changes(
    raw: &mut RawInstance,
    problem: &Problem,
    baseline: &[Option<ScheduledOp>],
    events: &Events,
    st: &Status,
) {
    let mut downtime: Vec<Vec<(Minute, Minute)>> = vec![Vec::new(); problem.machines.len()];
    for (_, e) in &events.list {
        match e {
            Event::Breakdown {
                machine,
                from,
                until,
            } => downtime[machine.idx()].push((*from, *until)),
            Event::CalendarChange {
                calendar,
                add: false,
                from,
                to,
            } => {
                for (m, mach) in problem.machines.iter().enumerate() {
                    if mach.calendar == Some(*calendar) {
                        downtime[m].push((*from, *to));
                    }
                }
            }
            Event::CalendarChange {
                calendar,
                add: true,
                from,
                to,
            } => {
                let id = &problem.calendars[*calendar].id;
                if let Some(c) = calendar_mut(raw, id) {
                    c.overtime.push(interval(problem, *from, *to));
                }
            }
            _ => {}
        }
    }
    for (o, r) in st.restarted.iter().enumerate() {
        if let (Some((a, b, _)), Some(s)) = (r, baseline[o]) {
            if a < b {
                downtime[s.machine.idx()].push((*a, *b));
            }
        }
    }
    for (m, d) in downtime.iter().enumerate() {
        if let Some(mv) = machine_mut(raw, &problem.machines[m].id) {
            mv.downtime
                .extend(d.iter().map(|&(a, b)| interval(problem, a, b)));
        }
    }
}

/// Due, deadline, weight and quantity of changed orders; a new quantity scales the durations
/// of the operations that have not started.
fn order_changes(raw: &mut RawInstance, problem: &Problem, events: &Events, st: &Status) {
    for (_, e) in &events.list {
        let Event::ChangeOrder {
            job,
            due,
            deadline,
            weight,
            quantity,
        } = e
        else {
            continue;
        };
        let Some(jv) = job_mut(raw, &problem.job(*job).id) else {
            continue;
        };
        if let Some(d) = due {
            jv.due = Some(instant(problem, *d));
        }
        if let Some(d) = deadline {
            jv.deadline = Some(instant(problem, *d));
        }
        if let Some(w) = weight {
            jv.weight = Some(*w);
        }
        if let Some((old, new)) = quantity {
            jv.quantity = Some(*new);
            for o in problem.job(*job).ops() {
                if st.started[o.idx()] {
                    continue;
                }
                if let Some(ov) = op_mut(jv, &problem.op(o).id) {
                    scale_durations(ov, *old, *new);
                }
            }
        }
    }
}

/// Pins of started operations; `not_before` of the others, whose pins before `now` (or of a
/// restart) are dropped (they cannot be kept).
fn state_at_now(
    raw: &mut RawInstance,
    problem: &Problem,
    baseline: &[Option<ScheduledOp>],
    st: &Status,
    not_before: &[Option<Minute>],
    now: Minute,
) {
    for job in &problem.jobs {
        let Some(jv) = job_mut(raw, &job.id) else {
            continue;
        };
        for o in job.ops() {
            let op = problem.op(o);
            let Some(ov) = op_mut(jv, &op.id) else {
                continue;
            };
            if st.started[o.idx()] {
                let s = baseline[o.idx()].expect("started operations are planned");
                ov.pinned = Some(pin(problem, s.machine, s.start));
            } else {
                if op.pinned.is_some_and(|p| p.start < now) || st.restarted[o.idx()].is_some() {
                    ov.pinned = None;
                }
                if let Some(nb) = not_before[o.idx()] {
                    ov.not_before = Some(instant(problem, nb));
                }
            }
        }
    }
}

/// Cancelled jobs removed; rush orders appended, released not before `now`.
fn cancel_and_add_jobs(raw: &mut RawInstance, problem: &Problem, events: &Events, now: Minute) {
    let cancelled: Vec<&str> = events
        .list
        .iter()
        .filter_map(|(_, e)| match e {
            Event::Cancel { job } => Some(problem.job(*job).id.as_str()),
            _ => None,
        })
        .collect();
    raw.jobs.retain(|j| !cancelled.contains(&j.id.as_str()));
    for (_, e) in &events.list {
        if let Event::RushOrder { job, .. } = e {
            let mut job = job.clone();
            // Not before now: on the job's release (a rush order arrives now).
            let release = job.release.map(|r| r.resolve(problem.horizon_start));
            if release.is_none_or(|r| r < now) {
                job.release = Some(instant(problem, now));
            }
            raw.jobs.push(job);
        }
    }
}

/// Scales every duration of an operation by new/old, rounding up to whole minutes.
fn scale_durations(op: &mut RawOperation, old: f64, new: f64) {
    let scale = |d: RawDuration| -> RawDuration {
        RawDuration(((d.0 as f64 * new / old) - 1e-9).ceil().max(0.0) as Minute)
    };
    if let Some(d) = &mut op.duration {
        *d = scale(*d);
    }
    if let RawEligible::WithDurations(modes) = &mut op.machines {
        for (_, d) in modes.iter_mut() {
            *d = scale(*d);
        }
    }
}

/// Pins operations (`(op, machine, start)` of `problem`) in a patched instance.
pub fn pin_ops(raw: &mut RawInstance, problem: &Problem, pins: &[(OpId, MachineId, Minute)]) {
    for &(o, m, start) in pins {
        let op = problem.op(o);
        if let Some(jv) = job_mut(raw, &problem.job(op.job).id) {
            if let Some(ov) = op_mut(jv, &op.id) {
                ov.pinned = Some(pin(problem, m, start));
            }
        }
    }
}
