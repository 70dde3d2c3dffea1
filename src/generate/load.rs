//! Releases spread over the time the plant needs for its work (`takt generate --load U`).
//!
//! Without it the generator releases every order within a fraction of one machine's work, so a
//! large instance is several times overloaded: almost every job is late in every schedule and
//! weighted tardiness is Σ w·C minus a constant, which no schedule can improve much. A real
//! order book arrives at about the rate the plant can work it off. Here the releases are spread
//! uniformly over the horizon in which the most loaded work center, working only its calendar's
//! hours, runs at utilisation `U`: orders arrive at `U` times the bottleneck's capacity.
//!
//! Only releases and due dates change (each due date moves with its release, so the due-date
//! allowance stays `tightness × work × calendar factor`); routings, durations, weights and
//! families are the same as without `--load` for the same seed. Changeovers are not counted as
//! work (they depend on the sequence), so the true utilisation is a little above `U`.

use crate::model::raw::RawInstance;
use crate::model::time::RawInstant;
use crate::model::validate::validate;
use crate::model::{MachineId, Minute, Problem};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeMap;

/// The largest `--load` accepted: above 1 the plant is overloaded by design; 2 is already a
/// backlog that doubles over the horizon.
pub const MAX_LOAD: f64 = 2.0;

/// Four whole weeks: the working share of a weekly calendar over them is exact.
const SHARE_WINDOW: Minute = 4 * 7 * 24 * 60;

/// What [`spread_releases`] found: the horizon the releases are spread over and the work center
/// that sets it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadSpread {
    pub horizon: Minute,
    /// The bottleneck work center's machines (ids).
    pub bottleneck: Vec<String>,
    /// Its work (mean over its machines' durations, summed over its operations), minutes.
    pub bottleneck_work: f64,
    /// Its capacity in machines' worth of working time (a machine working half the week: 0.5).
    pub bottleneck_capacity: f64,
}

/// Share of calendar time machine `m` works (calendar and downtime), over four weeks from the
/// horizon start.
pub fn working_share(problem: &Problem, m: MachineId) -> f64 {
    let a = &problem.machine(m).availability;
    a.working_minutes(0, SHARE_WINDOW) as f64 / SHARE_WINDOW as f64
}

/// Work per work center: operations are grouped by their set of eligible machines (a generated
/// operation may run on any machine of its center, and only there). An operation's work is the
/// mean of its durations, the expected work when the center's machines share the load.
fn center_work(problem: &Problem) -> BTreeMap<Vec<MachineId>, f64> {
    let mut work: BTreeMap<Vec<MachineId>, f64> = BTreeMap::new();
    for op in problem.ops() {
        let mut key: Vec<MachineId> = op.modes.iter().map(|m| m.machine).collect();
        key.sort_unstable();
        key.dedup();
        let mean =
            op.modes.iter().map(|m| m.duration as f64).sum::<f64>() / op.modes.len().max(1) as f64;
        *work.entry(key).or_default() += mean;
    }
    work
}

/// The horizon at utilisation `load` and the center that sets it (the largest work over
/// capacity).
pub fn load_horizon(problem: &Problem, load: f64) -> LoadSpread {
    let mut best = LoadSpread {
        horizon: 1,
        bottleneck: Vec::new(),
        bottleneck_work: 0.0,
        bottleneck_capacity: 0.0,
    };
    let mut best_time = 0.0;
    for (machines, work) in center_work(problem) {
        let capacity: f64 = machines.iter().map(|&m| working_share(problem, m)).sum();
        if capacity <= 0.0 {
            continue;
        }
        let time = work / (capacity * load);
        if time > best_time {
            best_time = time;
            best = LoadSpread {
                horizon: (time.ceil() as Minute).max(1),
                bottleneck: machines
                    .iter()
                    .map(|&m| problem.machine(m).id.clone())
                    .collect(),
                bottleneck_work: work,
                bottleneck_capacity: capacity,
            };
        }
    }
    best
}

/// Redraws every job's release uniformly (whole hours) over the horizon at utilisation `load`
/// and moves its due date with it. The draws come from their own stream (from `seed`), so the
/// rest of the instance is what the generator made.
pub fn spread_releases(raw: &mut RawInstance, load: f64, seed: u64) -> Result<LoadSpread, String> {
    let problem = validate(raw).map_err(|d| {
        d.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    if raw.jobs.len() != problem.jobs().len() {
        return Err(format!(
            "{} jobs in the instance, {} validated",
            raw.jobs.len(),
            problem.jobs().len()
        ));
    }
    let spread = load_horizon(&problem, load);
    let hours = (spread.horizon / 60).max(1);
    let mut r = StdRng::seed_from_u64(seed ^ 0x10AD_5EED);
    for (job, raw_job) in problem.jobs().iter().zip(raw.jobs.iter_mut()) {
        let release = 60 * r.random_range(0..hours);
        raw_job.release = Some(RawInstant::Minutes(release));
        if let Some(due) = job.due {
            raw_job.due = Some(RawInstant::Minutes(due - job.release + release));
        }
    }
    Ok(spread)
}
