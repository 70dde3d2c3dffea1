//! Each machine: one operation at a time, and the changeovers between them.
//!
//! The operations on a machine are taken in start order (ties by end). The changeover before an
//! operation is c = matrix[family before][family of the operation], where "family before" is the
//! family of the previous operation on the machine in that order (none if it has none), or the
//! machine's initial family for the first. If c > 0, [setup_start, start) holds exactly c working
//! minutes, setup_start is a working instant and start − 1 is working (the changeover runs right
//! up to the operation). If c = 0, setup_start is blank or equals start.
//!
//! The machine is busy from the changeover start (when one is due) or the start, to the end.
//! Each operation must begin its busy time no earlier than every earlier operation's end; zero-
//! length operations may touch others but not sit inside them.

use super::calendar::WorkingTime;
use super::{Ctx, Rule};
use crate::model::MachineId;

pub(super) fn check(cx: &mut Ctx, windows: &[Option<WorkingTime>]) {
    let entries = cx.entries;
    let mut on_machine = vec![Vec::new(); cx.problem.machines.len()];
    for (i, s) in entries.iter().enumerate() {
        on_machine[s.machine.idx()].push(i);
    }
    for (m, mut list) in on_machine.into_iter().enumerate() {
        let m = MachineId(m as u32);
        // Start order; zero-length operations at one instant in the order the schedule lists
        // them (nothing else can order them).
        list.sort_by_key(|&i| (entries[i].start, entries[i].end, i));
        let mut family_before = cx.problem.machine(m).initial_family;
        // The earlier entry that reaches furthest (latest end).
        let mut reach: Option<usize> = None;
        for &i in &list {
            let s = &entries[i];
            let family = cx.problem.op(s.op).family;
            let c = cx.problem.changeover(m, family_before, family);
            changeover(cx, i, c, family_before, windows);

            let busy = if c > 0 {
                s.setup_start.map_or(s.start, |ss| ss.min(s.start))
            } else {
                s.start
            };
            if let Some(r) = reach {
                let p = &entries[r];
                if p.end > busy {
                    let by = p.end.saturating_sub(busy);
                    let what = if busy < s.start {
                        "its changeover starts"
                    } else {
                        "starts"
                    };
                    let msg = format!(
                        "{} on {}: {what} at {}, {by} min before {} ends at {}",
                        cx.name(s.op),
                        cx.machine(s),
                        cx.at(busy),
                        cx.name(p.op),
                        cx.at(p.end)
                    );
                    cx.report(Rule::Overlap, Some(s.op), Some(by), msg);
                }
            }
            if reach.is_none_or(|r| s.end > entries[r].end) {
                reach = Some(i);
            }
            family_before = family;
        }
    }
}

/// Checks the changeover of entry `i`, which needs `c` working minutes.
fn changeover(
    cx: &mut Ctx,
    i: usize,
    c: i64,
    family_before: Option<crate::model::FamilyId>,
    windows: &[Option<WorkingTime>],
) {
    let s = &cx.entries[i];
    let name = cx.name(s.op);
    let m = cx.machine(s);
    let switch = format!(
        "{} -> {}",
        cx.family(family_before),
        cx.family(cx.problem.op(s.op).family)
    );
    if c == 0 {
        if let Some(ss) = s.setup_start.filter(|&ss| ss != s.start) {
            let msg = format!(
                "{name} on {m} has a changeover from {ss} but none is due ({switch} takes 0 min)"
            );
            cx.report(
                Rule::Changeover,
                Some(s.op),
                Some(s.start.saturating_sub(ss).saturating_abs()),
                msg,
            );
        }
        return;
    }
    let ss = match s.setup_start {
        None => {
            let msg = format!(
                "{name} on {m} needs a {c} min changeover ({switch}) but has no setup_start"
            );
            cx.report(Rule::Changeover, Some(s.op), Some(c), msg);
            return;
        }
        Some(ss) if ss >= s.start => {
            let msg = format!(
                "{name} on {m} needs a {c} min changeover ({switch}) but its setup_start {ss} is not before its start {}",
                s.start
            );
            cx.report(Rule::Changeover, Some(s.op), Some(c), msg);
            return;
        }
        Some(ss) => ss,
    };
    // Beyond the referee's range (reported by timing).
    let Some(w) = &windows[i] else { return };
    if !w.is_working(ss) {
        let next = w.next_working(ss).filter(|&n| n < s.start);
        let msg = format!(
            "{name} on {m}: its {c} min changeover ({switch}) starts at {}, a non-working instant",
            cx.at(ss)
        );
        cx.report(Rule::Changeover, Some(s.op), next.map(|n| n - ss), msg);
    }
    if !w.is_working(s.start - 1) {
        let last = w.last_working_before(s.start).filter(|&t| t >= ss);
        let gap = match last {
            Some(t) => s.start - (t + 1),
            None => s.start - ss,
        };
        let msg = format!(
            "{name} on {m}: its {c} min changeover ({switch}) ends {gap} min before the operation starts at {} (it must run right up to the start)",
            cx.at(s.start)
        );
        cx.report(Rule::Changeover, Some(s.op), Some(gap), msg);
    }
    let held = w.working_minutes(ss, s.start);
    if held != c {
        let msg = format!(
            "{name} on {m} needs a {c} min changeover ({switch}) but [{ss}, {}) holds {held} working min ({} min too {})",
            s.start,
            (held - c).abs(),
            if held > c { "many" } else { "few" }
        );
        cx.report(Rule::Changeover, Some(s.op), Some((held - c).abs()), msg);
    }
}
