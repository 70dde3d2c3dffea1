//! Every operation exactly once, on an eligible machine, and nothing before minute 0.

use super::{Ctx, Rule};
use crate::model::OpId;

pub(super) fn check(cx: &mut Ctx) {
    for o in 0..cx.problem.ops.len() {
        let op = OpId(o as u32);
        match cx.by_op[o].len() {
            0 => {
                let msg = format!("{} is not in the schedule", cx.name(op));
                cx.report(Rule::Missing, Some(op), None, msg);
            }
            1 => {}
            n => {
                let places: Vec<String> = cx.by_op[o]
                    .iter()
                    .map(|&i| {
                        let s = &cx.entries[i];
                        format!("{} at {}", cx.machine(s), s.start)
                    })
                    .collect();
                let msg = format!(
                    "{} is scheduled {n} times ({})",
                    cx.name(op),
                    places.join(", ")
                );
                cx.report(Rule::Duplicate, Some(op), None, msg);
            }
        }
    }

    for s in cx.entries {
        let op = cx.problem.op(s.op);
        if op.duration_on(s.machine).is_none() {
            let eligible: Vec<&str> = op
                .modes
                .iter()
                .map(|m| cx.problem.machine(m.machine).id.as_str())
                .collect();
            let msg = format!(
                "{} is on {}, which is not among its machines ({})",
                cx.name(s.op),
                cx.machine(s),
                eligible.join(", ")
            );
            cx.report(Rule::NotEligible, Some(s.op), None, msg);
        }
    }

    for s in cx.entries {
        let setup = s.setup_start.filter(|&ss| ss < 0 && ss < s.start);
        let (what, t) = match setup {
            Some(ss) if s.start >= 0 => ("its changeover starts", ss),
            Some(ss) => ("it and its changeover start", ss),
            None if s.start < 0 => ("starts", s.start),
            None => continue,
        };
        let msg = format!(
            "{} on {}: {what} at {t}, {} min before the horizon start",
            cx.name(s.op),
            cx.machine(s),
            t.saturating_neg()
        );
        cx.report(
            Rule::BeforeHorizon,
            Some(s.op),
            Some(t.saturating_neg()),
            msg,
        );
    }
}
