//! Job release and routing order: an operation starts no earlier than its job's release, and no
//! earlier than its predecessor's end plus the transfer time between the two machines' plants
//! (a directed matrix in calendar minutes; an absent entry within one plant is 0).

use super::{Ctx, Rule};
use crate::model::{MachineId, Minute};

/// Transfer minutes from machine `a` to machine `b`, read from the plant matrix.
fn transfer(cx: &Ctx, a: MachineId, b: MachineId) -> Minute {
    let pa = cx.problem.machine(a).plant;
    let pb = cx.problem.machine(b).plant;
    cx.problem.transfer[pa.idx()][pb.idx()].unwrap_or(0)
}

pub(super) fn check(cx: &mut Ctx) {
    let entries = cx.entries;
    for s in entries {
        let op = cx.problem.op(s.op);
        let job_release = cx.problem.job(op.job).release;
        let (release, what) = match op.not_before {
            Some(nb) if nb > job_release => (nb, "its `not_before`"),
            _ => (job_release, "its job's release"),
        };
        if s.start < release {
            let by = release.saturating_sub(s.start);
            let msg = format!(
                "{} on {} starts at {}, {by} min before {what} at {}",
                cx.name(s.op),
                cx.machine(s),
                cx.at(s.start),
                cx.at(release)
            );
            cx.report(Rule::Release, Some(s.op), Some(by), msg);
        }
    }

    for o in 0..cx.problem.ops.len() {
        let op = crate::model::OpId(o as u32);
        let Some(pred) = cx.problem.pred(op) else {
            continue;
        };
        for &i in &cx.by_op[o].clone() {
            for &j in &cx.by_op[pred.idx()].clone() {
                let (s, p) = (&entries[i], &entries[j]);
                let t = transfer(cx, p.machine, s.machine);
                let ready = p.end.saturating_add(t);
                if s.start >= ready {
                    continue;
                }
                let by = ready.saturating_sub(s.start);
                let plus = if t > 0 {
                    format!(
                        " + {t} min transfer {} -> {}",
                        cx.problem.plants[cx.problem.machine(p.machine).plant.idx()].id,
                        cx.problem.plants[cx.problem.machine(s.machine).plant.idx()].id
                    )
                } else {
                    String::new()
                };
                let msg = format!(
                    "{} on {} starts {by} min before its predecessor {} on {} ends{plus}: starts at {}, may start at {}",
                    cx.name(op),
                    cx.machine(s),
                    cx.name(pred),
                    cx.machine(p),
                    cx.at(s.start),
                    cx.at(ready)
                );
                cx.report(Rule::Precedence, Some(op), Some(by), msg);
            }
        }
    }
}
