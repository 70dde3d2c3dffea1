//! Which operations of the old plan have started by `now`, which a breakdown interrupts, which
//! sit in the frozen window, and which an event touches.
//!
//! Rules (README, "Rescheduling"):
//! - An operation has *started* when its planned start is before `now`, its machine had no
//!   breakdown that began before `now` at or before that start, and the operations before it on
//!   its machine and in its routing had started and were not interrupted. The started set is
//!   therefore closed under "comes before" in the plan, and pinning it at its planned times is
//!   always consistent.
//! - A started operation is *interrupted* when a breakdown of its machine begins while it runs.
//!   With `interrupted_operations: resume` (the default) it stays pinned and pauses over the
//!   downtime; an atomic operation cannot pause, so it restarts. With `restart` the minutes it
//!   ran (from its changeover start) become downtime (lost time) and it runs again, whole, from
//!   the repair end (no longer pinned).
//! - An operation is *frozen* when it has not started, its planned start is in
//!   [now, now + freeze) and no event touches it: its job has a change, material delay or
//!   quality hold; or its planned machine breaks down, or its calendar changes, before the end
//!   of the window.

use super::events::{Event, Events};
use crate::model::{Interruption, JobId, Minute, OpId, Problem};
use crate::schedule::ScheduledOp;

#[derive(Debug, Clone)]
pub struct Status {
    pub started: Vec<bool>,
    /// Started, interrupted by a breakdown, resumes (stays pinned).
    pub interrupted: Vec<bool>,
    /// Interrupted and restarts: lost working time [from, to) on its machine, and the instant
    /// from which it may run again.
    pub restarted: Vec<Option<(Minute, Minute, Minute)>>,
    pub touched: Vec<bool>,
    pub frozen: Vec<bool>,
    pub cancelled: Vec<bool>,
}

/// The status of every operation of `problem` (the original instance) under `baseline`
/// (indexed by `OpId`; `None`: the plan does not place it).
pub fn status(
    problem: &Problem,
    baseline: &[Option<ScheduledOp>],
    events: &Events,
    now: Minute,
    freeze: Minute,
) -> Status {
    let n = problem.ops.len();
    let mut st = Status {
        started: vec![false; n],
        interrupted: vec![false; n],
        restarted: vec![None; n],
        touched: vec![false; n],
        frozen: vec![false; n],
        cancelled: vec![false; n],
    };
    let mut touched_job = vec![false; problem.jobs.len()];
    for (_, e) in &events.list {
        if let Some(j) = e.job() {
            touched_job[j.idx()] = true;
            if matches!(e, Event::Cancel { .. }) {
                for o in problem.job(j).ops() {
                    st.cancelled[o.idx()] = true;
                }
            }
        }
    }
    let breakdowns: Vec<_> = events.breakdowns().collect();
    let mut order: Vec<ScheduledOp> = baseline.iter().flatten().copied().collect();
    order.sort_by_key(|s| (s.start, s.end, s.op));
    let mut machine_prev: Vec<Option<OpId>> = vec![None; problem.machines.len()];
    // Whether an operation ran exactly as planned up to now (started, not interrupted).
    let mut as_planned = vec![false; n];
    for s in &order {
        let o = s.op;
        let broken_before = breakdowns
            .iter()
            .any(|&(_, m, from, _)| m == s.machine && from < now && from <= s.start);
        let pred_ok = problem.pred(o).is_none_or(|p| as_planned[p.idx()]);
        let prev_ok = machine_prev[s.machine.idx()].is_none_or(|p| as_planned[p.idx()]);
        machine_prev[s.machine.idx()] = Some(o);
        if st.cancelled[o.idx()] || s.start >= now || broken_before || !pred_ok || !prev_ok {
            continue;
        }
        let hit = breakdowns
            .iter()
            .filter(|&&(_, m, from, _)| m == s.machine && s.start < from && from < s.end)
            .min_by_key(|&&(_, _, from, _)| from);
        match hit {
            None => {
                st.started[o.idx()] = true;
                as_planned[o.idx()] = true;
            }
            Some(&(_, _, from, until)) => {
                let restart =
                    problem.interrupted_operations == Interruption::Restart || problem.op(o).atomic;
                if restart {
                    st.restarted[o.idx()] = Some((s.busy_from(), from, until.max(now)));
                } else {
                    st.started[o.idx()] = true;
                    st.interrupted[o.idx()] = true;
                }
            }
        }
    }
    let window_end = now + freeze;
    for (o, s) in baseline.iter().enumerate() {
        let Some(s) = s else { continue };
        let op = problem.op(OpId(o as u32));
        let machine = problem.machine(s.machine);
        let touched = touched_job[op.job.idx()]
            || breakdowns
                .iter()
                .any(|&(_, m, from, _)| m == s.machine && from < window_end)
            || events.list.iter().any(|(_, e)| {
                matches!(e, Event::CalendarChange { calendar, from, to, .. }
                    if machine.calendar == Some(*calendar) && *from < window_end && *to > now)
            });
        st.touched[o] = touched;
        st.frozen[o] = !st.started[o]
            && st.restarted[o].is_none()
            && !st.cancelled[o]
            && !touched
            && s.start >= now
            && s.start < window_end;
    }
    st
}

/// Jobs with at least one started operation.
pub fn started_jobs(problem: &Problem, st: &Status) -> Vec<JobId> {
    (0..problem.jobs.len() as u32)
        .map(JobId)
        .filter(|&j| problem.job(j).ops().any(|o| st.started[o.idx()]))
        .collect()
}
