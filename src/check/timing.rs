//! How an operation sits in its machine's working time: duration, calendar, atomic.
//!
//! - Resumable (the default): starts at a working instant, holds exactly its duration `d` in
//!   working minutes within [start, end), and ends right after its last working minute (no idle
//!   tail); for `d = 0`, end == start.
//! - Atomic: end − start == d, and every minute of [start, end) is working, i.e. it lies inside
//!   one working interval (touching intervals are one). A zero-length one starts at a working
//!   instant.

use super::calendar::WorkingTime;
use super::{Ctx, Rule};
use crate::model::calendar::DAY;
use crate::model::Minute;

/// Instants beyond ±RANGE are not checked against calendars (keeps arithmetic far from overflow).
pub(super) const RANGE: Minute = 1000 * 366 * DAY;
/// The longest span of one entry whose working time the referee enumerates.
pub(super) const MAX_SPAN: Minute = 100 * 366 * DAY;

/// For each entry, its machine's working time over every instant the entry mentions (operation
/// and changeover), or `None` when that is beyond what the referee checks (reported, once).
pub(super) fn windows(cx: &mut Ctx) -> Vec<Option<WorkingTime>> {
    let entries = cx.entries;
    let mut out = Vec::with_capacity(entries.len());
    for s in entries {
        let instants = || {
            [Some(s.start), Some(s.end), s.setup_start]
                .into_iter()
                .flatten()
        };
        let lo = instants().min().unwrap();
        let hi = instants().max().unwrap();
        let reason = if lo < -RANGE || hi > RANGE {
            Some(format!(
                "has an instant outside ±{RANGE} min (about 1000 years) of the horizon start"
            ))
        } else if hi - lo > MAX_SPAN {
            Some(format!(
                "spans {} min, more than {MAX_SPAN} min (about 100 years)",
                hi - lo
            ))
        } else {
            None
        };
        match reason {
            Some(why) => {
                let msg = format!(
                    "{} on {} {why}; the referee does not check its working time",
                    cx.name(s.op),
                    cx.machine(s)
                );
                cx.report(Rule::Calendar, Some(s.op), None, msg);
                out.push(None);
            }
            None => out.push(Some(WorkingTime::of_machine(
                cx.problem,
                s.machine,
                lo,
                hi + 1,
            ))),
        }
    }
    out
}

pub(super) fn check(cx: &mut Ctx, windows: &[Option<WorkingTime>]) {
    let entries = cx.entries;
    for (i, s) in entries.iter().enumerate() {
        let op = cx.problem.op(s.op);
        // Not eligible: no duration to hold (reported by coverage).
        let Some(d) = op.duration_on(s.machine) else {
            continue;
        };
        let Some(w) = &windows[i] else { continue };
        let name = cx.name(s.op);
        let m = cx.machine(s);
        if s.end < s.start {
            let msg = format!(
                "{name} on {m} ends at {}, {} min before it starts at {}",
                s.end,
                s.start - s.end,
                s.start
            );
            cx.report(Rule::Duration, Some(s.op), Some(s.start - s.end), msg);
            continue;
        }
        let span = format!("[{}, {})", s.start, s.end);
        if op.atomic {
            let len = s.end - s.start;
            if len != d {
                let msg = format!(
                    "{name} on {m} is atomic and lasts {len} min {span}, but its duration there is {d} min ({} min too {})",
                    (len - d).abs(),
                    if len > d { "long" } else { "short" }
                );
                cx.report(Rule::Duration, Some(s.op), Some((len - d).abs()), msg);
            }
            if len == 0 {
                if !w.is_working(s.start) {
                    let msg = format!(
                        "{name} on {m} is atomic and starts at {}, a non-working instant",
                        cx.at(s.start)
                    );
                    cx.report(Rule::Atomic, Some(s.op), None, msg);
                }
            } else {
                let idle = len - w.working_minutes(s.start, s.end);
                if idle > 0 {
                    let msg = format!(
                        "{name} on {m} is atomic but {span} is not one working interval: {idle} min of it are not working time"
                    );
                    cx.report(Rule::Atomic, Some(s.op), Some(idle), msg);
                }
            }
        } else {
            if !w.is_working(s.start) {
                let next = w.next_working(s.start);
                let later = match next {
                    Some(n) => format!("; the next working minute is {} min later", n - s.start),
                    None => String::new(),
                };
                let msg = format!(
                    "{name} on {m} starts at {}, a non-working instant{later}",
                    cx.at(s.start)
                );
                cx.report(Rule::Calendar, Some(s.op), next.map(|n| n - s.start), msg);
            }
            if s.end > s.start && !w.is_working(s.end - 1) {
                let last = w.last_working_before(s.end).filter(|&t| t >= s.start);
                let tail = match last {
                    Some(t) => s.end - (t + 1),
                    None => s.end - s.start,
                };
                let msg = format!(
                    "{name} on {m} ends at {}, {tail} min after its last working minute (an idle tail)",
                    cx.at(s.end)
                );
                cx.report(Rule::Calendar, Some(s.op), Some(tail), msg);
            }
            let held = w.working_minutes(s.start, s.end);
            if held != d {
                let msg = format!(
                    "{name} on {m} holds {held} working min in {span}, but its duration there is {d} min ({} min too {})",
                    (held - d).abs(),
                    if held > d { "many" } else { "few" }
                );
                cx.report(Rule::Duration, Some(s.op), Some((held - d).abs()), msg);
            }
        }
    }
}
