//! Secondary resources (operator crews, setters, tools, molds): the choice among alternatives,
//! and units in use never above the capacity.
//!
//! - `resource_choice`: every requirement of a scheduled operation (its `require`, in order) uses
//!   one of its options: the resource the schedule names for it, or the only option when the
//!   requirement has one and the schedule names none. Likewise the requirements of a changeover
//!   that the schedule shows (setup_start < start) on a machine with `changeover_require`. A list
//!   of the wrong length, a missing choice among several options, or a resource not among the
//!   options is reported (once per operation, and once per changeover).
//! - `resource_capacity`: an operation holds its units during its working minutes, the minutes of
//!   [start, end) in which its machine works (all of [start, end) when it is atomic); a changeover
//!   holds its units during the working minutes of [setup_start, start). The units in use at any
//!   minute never exceed the resource's capacity then: the last dated exception covering the
//!   minute, else 0 outside the resource's calendar (when it has one), else the capacity of the
//!   weekly shift holding the minute, else the base capacity.
//!
//! Working time comes from [`super::calendar`] (the referee's own reading of the calendar rules),
//! and the capacity is evaluated here from the rules as written (`Resource::base`, `calendar`,
//! `shifts`, `exceptions`), never from the compiled profile the decoder uses. Each maximal period
//! during which a resource is over its capacity is reported once, at the instant it is most over.

use super::calendar::{first_monday, WorkingTime};
use super::{Ctx, Rule};
use crate::model::calendar::DAY;
use crate::model::{Minute, OpId, Requirement, Resource, ResourceId};
use crate::schedule::ResourceChoice;
use std::collections::BTreeMap;

/// Units of one resource held by one operation (or its changeover) over some intervals.
struct Hold {
    op: OpId,
    changeover: bool,
    units: i64,
    /// Sorted, disjoint.
    intervals: Vec<(Minute, Minute)>,
}

pub(super) fn check(
    cx: &mut Ctx,
    windows: &[Option<WorkingTime>],
    choices: &BTreeMap<OpId, ResourceChoice>,
) {
    let problem = cx.problem;
    if problem.resources.is_empty() {
        return;
    }
    let mut holds: Vec<Vec<Hold>> = (0..problem.resources.len()).map(|_| Vec::new()).collect();
    for o in 0..problem.ops.len() {
        let o = OpId(o as u32);
        if cx.by_op[o.idx()].is_empty() {
            continue;
        }
        let op = problem.op(o);
        let given = choices.get(&o);
        let chosen = resolve(
            cx,
            o,
            &op.require,
            given.map_or(&[][..], |c| &c.require[..]),
            None,
        );
        for k in 0..cx.by_op[o.idx()].len() {
            let i = cx.by_op[o.idx()][k];
            let s = cx.entries[i];
            // Beyond the referee's range (reported by timing).
            let Some(w) = &windows[i] else { continue };
            let worked = if op.atomic {
                vec![(s.start, s.end)]
                    .into_iter()
                    .filter(|&(a, b)| a < b)
                    .collect()
            } else {
                clip(w, s.start, s.end)
            };
            for (req, r) in op.require.iter().zip(&chosen) {
                if let Some(r) = r {
                    holds[r.idx()].push(Hold {
                        op: o,
                        changeover: false,
                        units: req.units as i64,
                        intervals: worked.clone(),
                    });
                }
            }
            let Some(ss) = s.setup_start.filter(|&ss| ss < s.start) else {
                continue;
            };
            let machine = problem.machine(s.machine);
            let creq = &machine.changeover_require;
            let cgiven = given.map_or(&[][..], |c| &c.changeover[..]);
            if creq.is_empty() && cgiven.is_empty() {
                continue;
            }
            let cchosen = resolve(cx, o, creq, cgiven, Some(&machine.id));
            let setup = clip(w, ss, s.start);
            for (req, r) in creq.iter().zip(&cchosen) {
                if let Some(r) = r {
                    holds[r.idx()].push(Hold {
                        op: o,
                        changeover: true,
                        units: req.units as i64,
                        intervals: setup.clone(),
                    });
                }
            }
        }
    }
    for (r, list) in holds.iter().enumerate() {
        if !list.is_empty() {
            capacity(cx, &problem.resources[r], list);
        }
    }
}

/// The working minutes of `w` within [a, b).
fn clip(w: &WorkingTime, a: Minute, b: Minute) -> Vec<(Minute, Minute)> {
    w.intervals()
        .iter()
        .map(|&(s, e)| (s.max(a), e.min(b)))
        .filter(|&(s, e)| s < e)
        .collect()
}

fn names(cx: &Ctx, ids: &[ResourceId]) -> String {
    let v: Vec<&str> = ids
        .iter()
        .map(|r| cx.problem.resources[r.idx()].id.as_str())
        .collect();
    v.join(", ")
}

/// The resource each requirement uses (`None` where the choice is missing or invalid, which is
/// reported). `changeover_on`: the machine, for a changeover's requirements.
fn resolve(
    cx: &mut Ctx,
    o: OpId,
    reqs: &[Requirement],
    given: &[ResourceId],
    changeover_on: Option<&str>,
) -> Vec<Option<ResourceId>> {
    let what = match changeover_on {
        Some(m) => format!("the changeover before {} on {m}", cx.name(o)),
        None => cx.name(o),
    };
    let only = |r: &Requirement| (r.options.len() == 1).then(|| r.options[0]);
    if given.is_empty() {
        return reqs
            .iter()
            .enumerate()
            .map(|(k, r)| {
                let single = only(r);
                if single.is_none() {
                    let msg = format!(
                        "{what}: no resource chosen for requirement {} ({} unit(s) of one of {})",
                        k + 1,
                        r.units,
                        names(cx, &r.options)
                    );
                    cx.report(Rule::ResourceChoice, Some(o), None, msg);
                }
                single
            })
            .collect();
    }
    if given.len() != reqs.len() {
        let msg = format!(
            "{what}: the schedule names {} resource(s) ({}) for {} requirement(s)",
            given.len(),
            names(cx, given),
            reqs.len()
        );
        cx.report(Rule::ResourceChoice, Some(o), None, msg);
        return reqs.iter().map(only).collect();
    }
    reqs.iter()
        .zip(given)
        .enumerate()
        .map(|(k, (r, &g))| {
            if r.options.contains(&g) {
                Some(g)
            } else {
                let msg = format!(
                    "{what}: requirement {} uses {}, which is not among its options ({})",
                    k + 1,
                    names(cx, &[g]),
                    names(cx, &r.options)
                );
                cx.report(Rule::ResourceChoice, Some(o), None, msg);
                None
            }
        })
        .collect()
}

/// Sorts and merges overlapping or touching intervals.
fn merge(mut v: Vec<(Minute, Minute)>) -> Vec<(Minute, Minute)> {
    v.sort_unstable();
    let mut out: Vec<(Minute, Minute)> = Vec::new();
    for (a, b) in v {
        match out.last_mut() {
            Some(l) if a <= l.1 => l.1 = l.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The capacity of `res` as a step function over [a, b): `(from, capacity)`, the first at `a`,
/// one step at every instant where a rule may change the capacity.
fn capacity_steps(cx: &Ctx, res: &Resource, a: Minute, b: Minute) -> Vec<(Minute, i64)> {
    let problem = cx.problem;
    let monday = first_monday(problem.horizon_start);
    let calendar = res
        .calendar
        .map(|c| WorkingTime::from_rules(Some(&problem.calendars[c]), &[], monday, a, b));
    // The weekly shifts meeting [a, b): a shift belongs to the day it starts and lasts at most
    // 24 h, so the day before the window is the first that can reach into it.
    let mut shifts: Vec<(Minute, Minute, u32)> = Vec::new();
    if !res.shifts.is_empty() {
        let first_day = (a - monday).div_euclid(DAY) - 1;
        let last_day = (b - 1 - monday).div_euclid(DAY);
        for day in first_day..=last_day {
            let midnight = monday + day * DAY;
            let weekday = day.rem_euclid(7);
            for &(s, cap) in res
                .shifts
                .iter()
                .filter(|s| s.0.weekday as Minute == weekday)
            {
                // to <= from crosses midnight; from == to is 24 h.
                let length = if s.to > s.from {
                    s.to - s.from
                } else {
                    s.to + DAY - s.from
                };
                let (from, to) = (midnight + s.from, midnight + s.from + length);
                if from < b && to > a {
                    shifts.push((from, to, cap));
                }
            }
        }
        shifts.sort_unstable();
    }
    let mut points = vec![a];
    let inside = |t: Minute| a < t && t < b;
    for &(x, y, _) in &res.exceptions {
        points.extend([x, y].into_iter().filter(|&t| inside(t)));
    }
    if let Some(w) = &calendar {
        for &(x, y) in w.intervals() {
            points.extend([x, y].into_iter().filter(|&t| inside(t)));
        }
    }
    for &(x, y, _) in &shifts {
        points.extend([x, y].into_iter().filter(|&t| inside(t)));
    }
    points.sort_unstable();
    points.dedup();
    let at = |t: Minute| -> i64 {
        if let Some(&(_, _, c)) = res
            .exceptions
            .iter()
            .rev()
            .find(|&&(x, y, _)| x <= t && t < y)
        {
            return c as i64;
        }
        if let Some(w) = &calendar {
            if !w.is_working(t) {
                return 0;
            }
        }
        let i = shifts.partition_point(|s| s.0 <= t);
        match i.checked_sub(1).map(|i| shifts[i]) {
            Some((_, to, c)) if t < to => c as i64,
            _ => res.base as i64,
        }
    };
    points.into_iter().map(|p| (p, at(p))).collect()
}

/// One maximal over-capacity period, with its worst instant.
struct Over {
    from: Minute,
    to: Minute,
    worst_at: Minute,
    used: i64,
    cap: i64,
}

/// Units in use against capacity for one resource.
fn capacity(cx: &mut Ctx, res: &Resource, holds: &[Hold]) {
    let mut events: Vec<(Minute, i64)> = Vec::new();
    let mut all = Vec::new();
    for h in holds {
        for &(a, b) in &h.intervals {
            events.push((a, h.units));
            events.push((b, -h.units));
            all.push((a, b));
        }
    }
    if events.is_empty() {
        return;
    }
    events.sort_unstable();
    // Capacity is only needed where something is in use.
    let mut caps: Vec<(Minute, i64)> = Vec::new();
    for (a, b) in merge(all) {
        caps.extend(capacity_steps(cx, res, a, b));
    }
    let mut points: Vec<Minute> = events
        .iter()
        .map(|e| e.0)
        .chain(caps.iter().map(|c| c.0))
        .collect();
    points.sort_unstable();
    points.dedup();

    let (mut used, mut cap) = (0i64, 0i64);
    let (mut ei, mut ci) = (0, 0);
    let mut open: Option<Over> = None;
    let mut found: Vec<Over> = Vec::new();
    for (k, &p) in points.iter().enumerate() {
        while ei < events.len() && events[ei].0 <= p {
            used += events[ei].1;
            ei += 1;
        }
        while ci < caps.len() && caps[ci].0 <= p {
            cap = caps[ci].1;
            ci += 1;
        }
        let next = points.get(k + 1).copied().unwrap_or(p);
        if used > 0 && used > cap {
            match &mut open {
                Some(o) if o.to == p => {
                    o.to = next;
                    if used - cap > o.used - o.cap {
                        (o.worst_at, o.used, o.cap) = (p, used, cap);
                    }
                }
                _ => {
                    if let Some(o) = open.take() {
                        found.push(o);
                    }
                    open = Some(Over {
                        from: p,
                        to: next,
                        worst_at: p,
                        used,
                        cap,
                    });
                }
            }
        } else if let Some(o) = open.take() {
            found.push(o);
        }
    }
    found.extend(open);
    for o in found {
        report_over(cx, res, holds, &o);
    }
}

fn report_over(cx: &mut Ctx, res: &Resource, holds: &[Hold], o: &Over) {
    let t = o.worst_at;
    // Who holds the resource at the worst instant; the one that took it last is at fault.
    let mut present: Vec<(Minute, &Hold)> = holds
        .iter()
        .filter_map(|h| {
            h.intervals
                .iter()
                .find(|&&(a, b)| a <= t && t < b)
                .map(|&(a, _)| (a, h))
        })
        .collect();
    present.sort_by_key(|&(a, h)| (a, h.op, h.changeover));
    let who: Vec<String> = present
        .iter()
        .map(|(_, h)| {
            format!(
                "{}{} ({} unit{})",
                cx.name(h.op),
                if h.changeover { "'s changeover" } else { "" },
                h.units,
                if h.units == 1 { "" } else { "s" }
            )
        })
        .collect();
    let at_fault = present.last().map(|(_, h)| h.op);
    let excess = o.used - o.cap;
    let msg = format!(
        "resource {}: {} units in use at {} but its capacity is {} ({excess} over), by {}; over capacity during [{}, {})",
        res.id,
        o.used,
        cx.at(t),
        o.cap,
        who.join(", "),
        o.from,
        o.to
    );
    cx.report(Rule::ResourceCapacity, at_fault, Some(excess), msg);
}
