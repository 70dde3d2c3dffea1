//! Validation of secondary resources, materials and the requirements that refer to them
//! (issue 9). Same rules as the rest of `validate`: every error with its YAML path, all of them.

use super::super::calendar::{Availability, CalendarRules, WeekAnchor, WeeklyShift};
use super::super::problem::{Job, Operation};
use super::super::raw::{RawInstance, RawRequirement};
use super::super::secondary::{CapacityProfile, Item, ItemId, Requirement, Resource, ResourceId};
use super::{weekday, Ctx};
use std::collections::{BTreeMap, HashMap};

fn capacity(cx: &mut Ctx, v: i64, path: String) -> u32 {
    if v < 0 {
        cx.err(path, format!("capacity is negative ({v})"));
        0
    } else if v > u32::MAX as i64 {
        cx.err(path, format!("capacity {v} is too large"));
        0
    } else {
        v as u32
    }
}

/// The instance's `resources`, compiled.
pub(super) fn resources(
    cx: &mut Ctx,
    raw: &RawInstance,
    cal_ix: &HashMap<String, u32>,
    calendars: &[CalendarRules],
    week: WeekAnchor,
) -> (Vec<Resource>, HashMap<String, u32>) {
    let ix = cx.index(
        raw.resources.iter().map(|r| r.id.as_str()),
        "resource",
        |i| format!("resources[{i}].id"),
    );
    let mut out = Vec::new();
    for (ri, r) in raw.resources.iter().enumerate() {
        let p = format!("resources[{ri}]");
        let base = match r.capacity {
            Some(c) => capacity(cx, c, format!("{p}.capacity")),
            None if r.shifts.is_empty() && r.exceptions.is_empty() => {
                cx.err(
                    format!("{p}.capacity"),
                    format!(
                        "resource `{}` has no capacity: give `capacity` or `shifts`",
                        r.id
                    ),
                );
                0
            }
            // With shifts, the capacity outside them is 0 unless stated.
            None => 0,
        };
        let calendar = r.calendar.as_ref().and_then(|c| {
            cx.lookup(cal_ix, c, "calendar", format!("{p}.calendar"))
                .map(|c| c as usize)
        });
        let mut shifts = Vec::new();
        let mut indexed = Vec::new();
        for (si, s) in r.shifts.iter().enumerate() {
            let sp = format!("{p}.shifts[{si}]");
            let cap = capacity(cx, s.capacity, format!("{sp}.capacity"));
            if s.days.is_empty() {
                cx.err(format!("{sp}.days"), "shift has no days");
            }
            if s.from.0 == 24 * 60 {
                cx.err(format!("{sp}.from"), "a shift cannot start at 24:00");
                continue;
            }
            for (di, d) in s.days.iter().enumerate() {
                match weekday(d) {
                    Some(w) => {
                        let ws = WeeklyShift {
                            weekday: w,
                            from: s.from.0,
                            to: s.to.0,
                        };
                        shifts.push((ws, cap));
                        indexed.push((ws, cap, si));
                    }
                    None => cx.err(
                        format!("{sp}.days[{di}]"),
                        format!("`{d}` is not a weekday (mon, tue, wed, thu, fri, sat, sun)"),
                    ),
                }
            }
        }
        let mut exceptions = Vec::new();
        for (ei, e) in r.exceptions.iter().enumerate() {
            let ep = format!("{p}.exceptions[{ei}]");
            let (a, b) = (cx.instant(e.from), cx.instant(e.to));
            if b <= a {
                cx.err(ep.clone(), "interval is empty or ends before it starts");
            }
            let cap = capacity(cx, e.capacity, format!("{ep}.capacity"));
            exceptions.push((a, b, cap));
        }
        let av = calendar.and_then(|c| Availability::compile(calendars.get(c), &[], week));
        let profile = match CapacityProfile::compile(base, av, &indexed, &exceptions, week) {
            Ok(p) => p,
            Err(o) => {
                cx.err(
                    format!("{p}.shifts[{}]", o.1),
                    format!("shift overlaps shifts[{}] of the same resource", o.0),
                );
                // Keep the largest capacity the rules state, so that requirements are not also
                // reported as exceeding a capacity of 0 (one error, not a cascade).
                let max = indexed
                    .iter()
                    .map(|s| s.1)
                    .chain(exceptions.iter().map(|e| e.2))
                    .fold(base, u32::max);
                CapacityProfile::constant(max)
            }
        };
        out.push(Resource {
            id: r.id.clone(),
            base,
            calendar,
            shifts,
            exceptions,
            profile,
        });
    }
    (out, ix)
}

/// The instance's `items`.
pub(super) fn items(cx: &mut Ctx, raw: &RawInstance) -> (Vec<Item>, HashMap<String, u32>) {
    let ix = cx.index(raw.items.iter().map(|r| r.id.as_str()), "item", |i| {
        format!("items[{i}].id")
    });
    let mut out = Vec::new();
    for (ii, it) in raw.items.iter().enumerate() {
        let p = format!("items[{ii}]");
        let initial = it.stock.unwrap_or(0.0);
        if !initial.is_finite() || initial < 0.0 {
            cx.err(
                format!("{p}.stock"),
                format!("stock must be a number ≥ 0, got {initial}"),
            );
        }
        let safety_stock = it.safety_stock.unwrap_or(0.0);
        if !safety_stock.is_finite() || safety_stock < 0.0 {
            cx.err(
                format!("{p}.safety_stock"),
                format!("safety stock must be a number ≥ 0, got {safety_stock}"),
            );
        }
        let mut receipts = Vec::new();
        for (k, r) in it.receipts.iter().enumerate() {
            let rp = format!("{p}.receipts[{k}]");
            let at = cx.instant(r.at);
            if at < 0 {
                cx.err(
                    format!("{rp}.at"),
                    "receipt is before the horizon start (add it to `stock` instead)",
                );
            }
            if !r.qty.is_finite() || r.qty <= 0.0 {
                cx.err(
                    format!("{rp}.qty"),
                    format!("quantity must be a number > 0, got {}", r.qty),
                );
            }
            receipts.push((at, r.qty));
        }
        receipts.sort_by_key(|r| r.0);
        out.push(Item {
            id: it.id.clone(),
            initial,
            safety_stock,
            receipts,
        });
    }
    (out, ix)
}

/// A `require` list.
pub(super) fn requirements(
    cx: &mut Ctx,
    raw: &[RawRequirement],
    ix: &HashMap<String, u32>,
    resources: &[Resource],
    path: &str,
) -> Vec<Requirement> {
    let mut out = Vec::new();
    for (k, r) in raw.iter().enumerate() {
        let p = format!("{path}[{k}]");
        let units = match r.units {
            None => 1,
            Some(u) if u >= 1 && u <= u32::MAX as i64 => u as u32,
            Some(u) => {
                cx.err(
                    format!("{p}.units"),
                    format!("units must be a whole number ≥ 1, got {u}"),
                );
                continue;
            }
        };
        let names: Vec<(String, String)> = match (&r.resource, &r.one_of) {
            (Some(n), None) => vec![(n.clone(), format!("{p}.resource"))],
            (None, Some(v)) if !v.is_empty() => v
                .iter()
                .enumerate()
                .map(|(i, n)| (n.clone(), format!("{p}.one_of[{i}]")))
                .collect(),
            (None, Some(_)) => {
                cx.err(format!("{p}.one_of"), "no alternatives listed");
                continue;
            }
            (Some(_), Some(_)) => {
                cx.err(p, "give `resource` or `one_of`, not both");
                continue;
            }
            (None, None) => {
                cx.err(
                    p,
                    "requirement names no resource: add `resource` or `one_of`",
                );
                continue;
            }
        };
        let mut options = Vec::new();
        for (name, np) in names {
            let Some(id) = cx.lookup(ix, &name, "resource", np.clone()) else {
                continue;
            };
            let id = ResourceId(id);
            if options.contains(&id) {
                cx.err(np, format!("resource `{name}` is listed twice"));
                continue;
            }
            let max = resources[id.idx()].profile.max_capacity();
            if units > max {
                cx.err(
                    np,
                    format!("needs {units} units of `{name}`, which never has more than {max}"),
                );
                continue;
            }
            options.push(id);
        }
        if !options.is_empty() {
            out.push(Requirement { options, units });
        }
    }
    out
}

/// A `consume` or `produce` map.
pub(super) fn quantities(
    cx: &mut Ctx,
    raw: &BTreeMap<String, f64>,
    ix: &HashMap<String, u32>,
    path: &str,
) -> Vec<(ItemId, f64)> {
    let mut out = Vec::new();
    for (name, &q) in raw {
        let p = format!("{path}.{name}");
        let Some(id) = cx.lookup(ix, name, "item", p.clone()) else {
            continue;
        };
        if !q.is_finite() || q <= 0.0 {
            cx.err(p, format!("quantity must be a number > 0, got {q}"));
            continue;
        }
        out.push((ItemId(id), q));
    }
    out
}

/// An item whose total demand exceeds everything that can ever be in stock makes every schedule
/// infeasible: say so up front rather than let the solvers search.
pub(super) fn supply_covers_demand(cx: &mut Ctx, items: &[Item], jobs: &[Job], ops: &[Operation]) {
    let mut supply: Vec<f64> = items
        .iter()
        .map(|i| i.initial + i.receipts.iter().map(|r| r.1).sum::<f64>())
        .collect();
    let mut demand = vec![0.0; items.len()];
    for j in jobs {
        for &(i, q) in &j.produce {
            supply[i.idx()] += q;
        }
    }
    for o in ops {
        for &(i, q) in &o.consume {
            demand[i.idx()] += q;
        }
    }
    for (k, it) in items.iter().enumerate() {
        if demand[k] > supply[k] + super::super::secondary::STOCK_EPS {
            cx.err(
                format!("items[{k}]"),
                format!(
                    "operations consume {} of `{}` in total, but stock, receipts and production give only {}",
                    demand[k], it.id, supply[k]
                ),
            );
        }
    }
}
