//! Hard deadlines for generated instances, tight but provably feasible: like a plant's promised
//! dates, they come from a schedule that meets them. The instance without deadlines is solved by
//! the dispatching rules; a share of the jobs (drawn with the seed) get their completion in that
//! schedule plus a small slack as deadline. That schedule (the witness) stays valid with the
//! deadlines added, since a deadline only constrains completions, so every generated instance
//! with deadlines has a schedule meeting all of them.

use crate::model::{parse_instance, InputError, Minute, Problem};
use crate::schedule::Schedule;
use crate::solve::solve_dispatch;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Slack after the witness's completion: an hour, or a tenth of the job's time in the shop.
fn slack(flow: Minute) -> Minute {
    60.max(flow / 10)
}

/// Adds `deadline:` to `share` (0–1) of the jobs of the generated instance `yaml`; returns the
/// new YAML and the witness schedule that meets every deadline.
pub fn add_deadlines(yaml: &str, share: f64, seed: u64) -> Result<(String, Schedule), String> {
    let problem: Problem =
        parse_instance(yaml, "generated.yaml").map_err(|e: InputError| e.to_string())?;
    let witness = solve_dispatch(&problem).map_err(|e| e.to_string())?;
    let mut completion = vec![0; problem.jobs.len()];
    for s in &witness.schedule.ops {
        let j = problem.op(s.op).job.idx();
        completion[j] = completion[j].max(s.end);
    }
    let mut r = StdRng::seed_from_u64(seed ^ 0xDEAD_11E5);
    let mut deadline: Vec<Option<Minute>> = vec![None; problem.jobs.len()];
    for (j, job) in problem.jobs.iter().enumerate() {
        if r.random_bool(share.clamp(0.0, 1.0)) {
            let release = job.release;
            deadline[j] = Some(completion[j] + slack(completion[j] - release));
        }
    }
    // The generator writes each job as `  - id: J0001` then `    release:` and `    due:` lines.
    let mut out = String::with_capacity(yaml.len() + 32 * problem.jobs.len());
    let mut job: Option<usize> = None;
    let mut in_jobs = false;
    for line in yaml.lines() {
        out.push_str(line);
        out.push('\n');
        if line == "jobs:" {
            in_jobs = true;
        } else if in_jobs && line.starts_with("  - id: ") {
            job = Some(job.map_or(0, |j| j + 1));
        } else if let (Some(j), true) = (job, line.starts_with("    due: ")) {
            if let Some(d) = deadline[j] {
                out.push_str(&format!("    deadline: {d}\n"));
            }
        }
    }
    if let Some(j) = job {
        if j + 1 != problem.jobs.len() {
            return Err(format!(
                "found {} jobs in the YAML, expected {}",
                j + 1,
                problem.jobs.len()
            ));
        }
    }
    Ok((out, witness.schedule))
}
