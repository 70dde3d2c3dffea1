//! Pinned operations keep the given machine and start exactly (the operation's start, not its
//! changeover's).

use super::{Ctx, Rule};

pub(super) fn check(cx: &mut Ctx) {
    let entries = cx.entries;
    for s in entries {
        let Some(pin) = cx.problem.op(s.op).pinned else {
            continue;
        };
        if s.machine != pin.machine {
            let msg = format!(
                "{} is on {} but pinned to {}",
                cx.name(s.op),
                cx.machine(s),
                cx.problem.machine(pin.machine).id
            );
            cx.report(Rule::Pinned, Some(s.op), None, msg);
        }
        if s.start != pin.start {
            let by = s.start.saturating_sub(pin.start).saturating_abs();
            let msg = format!(
                "{} on {} starts at {}, {by} min {} its pinned start {}",
                cx.name(s.op),
                cx.machine(s),
                cx.at(s.start),
                if s.start > pin.start {
                    "after"
                } else {
                    "before"
                },
                cx.at(pin.start)
            );
            cx.report(Rule::Pinned, Some(s.op), Some(by), msg);
        }
    }
}
