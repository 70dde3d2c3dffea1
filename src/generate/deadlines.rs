//! Hard deadlines for generated instances, tight but provably feasible: like a plant's promised
//! dates, they come from a schedule that meets them. The instance without deadlines is solved by
//! the dispatching rules; a share of the jobs (drawn with the seed) get their completion in that
//! schedule plus a small slack as deadline. That schedule (the witness) stays valid with the
//! deadlines added, since a deadline only constrains completions, so every generated instance
//! with deadlines has a schedule meeting all of them.

use crate::model::load::parse_yaml;
use crate::model::raw::RawInstance;
use crate::model::time::RawInstant;
use crate::model::validate::validate;
use crate::model::write::yaml_text;
use crate::model::{Minute, Problem};
use crate::schedule::Schedule;
use crate::solve::solve_dispatch;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Slack after the witness's completion: an hour, or a tenth of the job's time in the shop.
fn slack(flow: Minute) -> Minute {
    60.max(flow / 10)
}

/// Adds `deadline:` to `share` (0–1) of the jobs of a generated instance (typed); returns the
/// witness schedule that meets every deadline.
pub fn add_deadlines_raw(raw: &mut RawInstance, share: f64, seed: u64) -> Result<Schedule, String> {
    let problem: Problem = validate(raw).map_err(|d| {
        d.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let witness = solve_dispatch(&problem).map_err(|e| e.to_string())?;
    let mut completion = vec![0; problem.jobs().len()];
    for s in &witness.schedule.ops {
        let j = problem.op(s.op).job.idx();
        completion[j] = completion[j].max(s.end);
    }
    if raw.jobs.len() != problem.jobs().len() {
        return Err(format!(
            "{} jobs in the instance, {} validated",
            raw.jobs.len(),
            problem.jobs().len()
        ));
    }
    let mut r = StdRng::seed_from_u64(seed ^ 0xDEAD_11E5);
    for (j, (job, raw_job)) in problem.jobs().iter().zip(raw.jobs.iter_mut()).enumerate() {
        if r.random_bool(share.clamp(0.0, 1.0)) {
            let deadline = completion[j] + slack(completion[j] - job.release);
            raw_job.deadline = Some(RawInstant::Minutes(deadline));
        }
    }
    Ok(witness.schedule)
}

/// [`add_deadlines_raw`] on takt YAML text: returns the new YAML and the witness schedule.
pub fn add_deadlines(yaml: &str, share: f64, seed: u64) -> Result<(String, Schedule), String> {
    let mut raw: RawInstance = parse_yaml(yaml).map_err(|d| d.to_string())?;
    let witness = add_deadlines_raw(&mut raw, share, seed)?;
    Ok((yaml_text(&raw, ""), witness))
}
