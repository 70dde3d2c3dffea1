//! Materials: an item's stock is never negative.
//!
//! Stock of an item = its initial stock + receipts + productions − consumptions, where an
//! operation takes its `consume` at its start, and a job adds its `produce` when it completes
//! (the end of its last operation; only when every operation of the job is in the schedule). All
//! changes at one instant apply together: an operation may consume what a job completing at the
//! same minute produces, or what a receipt brings then. After the changes of every instant, the
//! stock must be ≥ −[`STOCK_EPS`]; each instant where it is not is reported with the shortage.

use super::{Ctx, Rule};
use crate::model::secondary::STOCK_EPS;
use crate::model::{Minute, OpId};

/// A change of one item's stock.
struct Change {
    at: Minute,
    qty: f64,
    /// The consuming operation (negative `qty`), if any.
    by: Option<OpId>,
}

pub(super) fn check(cx: &mut Ctx) {
    let problem = cx.problem;
    if problem.items.is_empty() {
        return;
    }
    let mut changes: Vec<Vec<Change>> = (0..problem.items.len()).map(|_| Vec::new()).collect();
    for (k, item) in problem.items.iter().enumerate() {
        for &(at, qty) in &item.receipts {
            changes[k].push(Change { at, qty, by: None });
        }
    }
    for (o, op) in problem.ops.iter().enumerate() {
        let Some(start) = cx.by_op[o].iter().map(|&i| cx.entries[i].start).min() else {
            continue;
        };
        for &(item, q) in &op.consume {
            changes[item.idx()].push(Change {
                at: start,
                qty: -q,
                by: Some(OpId(o as u32)),
            });
        }
    }
    for job in &problem.jobs {
        if job.produce.is_empty() || job.ops().any(|o| cx.by_op[o.idx()].is_empty()) {
            continue;
        }
        let completion = job
            .ops()
            .flat_map(|o| cx.by_op[o.idx()].iter().map(|&i| cx.entries[i].end))
            .max()
            .expect("every operation is scheduled");
        for &(item, q) in &job.produce {
            changes[item.idx()].push(Change {
                at: completion,
                qty: q,
                by: None,
            });
        }
    }
    for (k, mut list) in changes.into_iter().enumerate() {
        list.sort_by_key(|c| (c.at, c.by));
        let item = &problem.items[k];
        let mut stock = item.initial;
        let mut i = 0;
        while i < list.len() {
            let at = list[i].at;
            let mut j = i;
            while j < list.len() && list[j].at == at {
                stock += list[j].qty;
                j += 1;
            }
            if stock < -STOCK_EPS {
                let takers: Vec<String> = list[i..j]
                    .iter()
                    .filter_map(|c| {
                        c.by.map(|o| format!("{} takes {}", cx.name(o), qty(-c.qty)))
                    })
                    .collect();
                let shortage = -stock;
                let amount = ((shortage - STOCK_EPS).ceil() as Minute).max(1);
                let why = if takers.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", takers.join(", "))
                };
                let msg = format!(
                    "item {}: stock is {} at {}{why}, {} short",
                    item.id,
                    qty(stock),
                    cx.at(at),
                    qty(shortage)
                );
                let first = list[i..j].iter().find_map(|c| c.by);
                cx.report(Rule::Stock, first, Some(amount), msg);
            }
            i = j;
        }
    }
}

/// A quantity for messages: whole numbers without decimals, else at most 6 decimals.
fn qty(q: f64) -> String {
    if (q - q.round()).abs() < STOCK_EPS {
        format!("{}", q.round() as i64)
    } else {
        let s = format!("{q:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
