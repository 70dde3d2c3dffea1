//! Hard deadlines: a job's completion (the end of its last operation) is no later than its
//! deadline. A job whose last operation is missing is reported as missing only.

use super::{Ctx, Rule};

pub(super) fn check(cx: &mut Ctx) {
    let problem = cx.problem;
    for job in &problem.jobs {
        let Some(deadline) = job.deadline else {
            continue;
        };
        let last = job.last_op();
        let Some(completion) = cx.by_op[last.idx()]
            .iter()
            .map(|&i| cx.entries[i].end)
            .max()
        else {
            continue;
        };
        if completion > deadline {
            let by = completion.saturating_sub(deadline);
            let msg = format!(
                "job {} completes at {} with {}, {by} min after its deadline {}",
                job.id,
                cx.at(completion),
                cx.name(last),
                cx.at(deadline)
            );
            cx.report(Rule::Deadline, Some(last), Some(by), msg);
        }
    }
}
