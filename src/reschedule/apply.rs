//! Events -> the patched instance (a YAML value): the instance as it stands at `now`.
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

use super::events::{Event, Events};
use super::freeze::Status;
use super::yaml::{by_id, duration, instant, interval, remove, scalar, seq_mut, set};
use crate::model::{Diagnostic, Minute, OpId, Problem};
use crate::schedule::ScheduledOp;
use serde_yaml::{Mapping, Value};

/// Applies the events and the state at `now` to `instance` (the original instance's YAML).
/// Errors are about the events file (an event that cannot apply, e.g. a hold on an operation
/// that has already started).
pub fn patch(
    instance: &Value,
    problem: &Problem,
    baseline: &[Option<ScheduledOp>],
    events: &Events,
    st: &Status,
    now: Minute,
) -> Result<Value, Vec<Diagnostic>> {
    let mut v = instance.clone();
    let mut diags = Vec::new();
    let n = problem.ops.len();
    // Earliest start of each operation from the events and `now`.
    let mut not_before: Vec<Option<Minute>> = problem.ops.iter().map(|o| o.not_before).collect();
    let mut raise = |o: OpId, t: Minute| {
        let nb = &mut not_before[o.idx()];
        *nb = Some(nb.map_or(t, |x| x.max(t)));
    };
    for o in 0..n {
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
    if !diags.is_empty() {
        return Err(diags);
    }

    // Machine-level changes.
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
                if let Some(c) = by_id(seq_mut(&mut v, "calendars"), id) {
                    seq_mut(c, "overtime").push(interval(problem, *from, *to));
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
    {
        let machines = seq_mut(&mut v, "machines");
        for (m, d) in downtime.iter().enumerate() {
            if d.is_empty() {
                continue;
            }
            if let Some(mv) = by_id(machines, &problem.machines[m].id) {
                let list = seq_mut(mv, "downtime");
                for &(a, b) in d {
                    list.push(interval(problem, a, b));
                }
            }
        }
    }

    // Job-level changes.
    let jobs = seq_mut(&mut v, "jobs");
    for (_, e) in &events.list {
        if let Event::ChangeOrder {
            job,
            due,
            deadline,
            weight,
            quantity,
        } = e
        {
            let Some(jv) = by_id(jobs, &problem.job(*job).id) else {
                continue;
            };
            if let Some(d) = due {
                set(jv, "due", instant(problem, *d));
            }
            if let Some(d) = deadline {
                set(jv, "deadline", instant(problem, *d));
            }
            if let Some(w) = weight {
                set(jv, "weight", (*w).into());
            }
            if let Some((old, new)) = quantity {
                set(jv, "quantity", (*new).into());
                let ops = seq_mut(jv, "operations");
                for o in problem.job(*job).ops() {
                    if st.started[o.idx()] {
                        continue;
                    }
                    if let Some(ov) = by_id(ops, &problem.op(o).id) {
                        scale_durations(ov, *old, *new);
                    }
                }
            }
        }
    }
    // State at `now`: pins of started operations, not_before of the others.
    for job in &problem.jobs {
        let Some(jv) = by_id(jobs, &job.id) else {
            continue;
        };
        let ops = seq_mut(jv, "operations");
        for o in job.ops() {
            let op = problem.op(o);
            let Some(ov) = by_id(ops, &op.id) else {
                continue;
            };
            if st.started[o.idx()] {
                let s = baseline[o.idx()].expect("started operations are planned");
                set(ov, "pinned", pin(problem, s.machine, s.start));
            } else {
                if op.pinned.is_some_and(|p| p.start < now) || st.restarted[o.idx()].is_some() {
                    remove(ov, "pinned");
                }
                if let Some(nb) = not_before[o.idx()] {
                    set(ov, "not_before", instant(problem, nb));
                }
            }
        }
    }
    // Cancellations and rush orders.
    let cancelled: Vec<&str> = events
        .list
        .iter()
        .filter_map(|(_, e)| match e {
            Event::Cancel { job } => Some(problem.job(*job).id.as_str()),
            _ => None,
        })
        .collect();
    jobs.retain(|jv| {
        let id = jv.get("id").and_then(scalar);
        !id.is_some_and(|id| cancelled.contains(&id.as_str()))
    });
    for (_, e) in &events.list {
        if let Event::RushOrder { job, .. } = e {
            let mut jv = job.clone();
            // Not before now: on the job's release (a rush order arrives now).
            let release = jv
                .get("release")
                .and_then(|r| {
                    serde_yaml::from_value::<crate::model::time::RawInstant>(r.clone()).ok()
                })
                .map(|r| r.resolve(problem.horizon_start));
            if release.is_none_or(|r| r < now) {
                set(&mut jv, "release", instant(problem, now));
            }
            jobs.push(jv);
        }
    }
    Ok(v)
}

/// `{machine: M, start: minutes}`.
pub fn pin(problem: &Problem, m: crate::model::MachineId, start: Minute) -> Value {
    let mut p = Mapping::new();
    p.insert("machine".into(), problem.machine(m).id.clone().into());
    p.insert("start".into(), instant(problem, start));
    Value::Mapping(p)
}

/// Scales every duration of an operation by new/old, rounding up to whole minutes.
fn scale_durations(ov: &mut Value, old: f64, new: f64) {
    let scale = |d: Minute| -> Minute { ((d as f64 * new / old) - 1e-9).ceil().max(0.0) as Minute };
    if let Some(d) = ov.get("duration").and_then(duration) {
        set(ov, "duration", scale(d).into());
    }
    if let Some(Value::Mapping(ms)) = ov.get_mut("machines") {
        for (_, d) in ms.iter_mut() {
            if let Some(x) = duration(d) {
                *d = scale(x).into();
            }
        }
    }
}

/// Pins operations (`(job id, op id, machine, start)`) in a patched instance.
pub fn pin_ops(v: &mut Value, problem: &Problem, pins: &[(OpId, crate::model::MachineId, Minute)]) {
    let jobs = seq_mut(v, "jobs");
    for &(o, m, start) in pins {
        let op = problem.op(o);
        let job = &problem.job(op.job).id;
        if let Some(jv) = by_id(jobs, job) {
            if let Some(ov) = by_id(seq_mut(jv, "operations"), &op.id) {
                set(ov, "pinned", pin(problem, m, start));
            }
        }
    }
}
