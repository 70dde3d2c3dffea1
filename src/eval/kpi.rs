//! Key performance indicators of a timed schedule (DESIGN.md, "KPIs"). Computed from the
//! schedule alone, so they mean the same for a solver's output and a hand-written file.

use super::objective::{changeovers_of, evaluate_schedule, Evaluation};
use crate::model::{Minute, Problem};
use crate::schedule::Schedule;

#[derive(Debug, Clone, PartialEq)]
pub struct MachineUse {
    pub machine: String,
    pub plant: String,
    /// Operation + changeover working minutes.
    pub busy: Minute,
    /// Working minutes available in [0, window end).
    pub available: Minute,
    pub utilisation: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlantUse {
    pub plant: String,
    pub busy: Minute,
    pub available: Minute,
    pub utilisation: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Kpis {
    pub evaluation: Evaluation,
    pub total_tardiness: Minute,
    pub max_tardiness: Minute,
    pub weighted_tardiness: f64,
    /// Jobs finishing after their due date (unweighted count).
    pub late_jobs: usize,
    /// Jobs with a due date.
    pub jobs_with_due: usize,
    /// Share of jobs with a due date that finish by it (1 when none has one).
    pub on_time_rate: f64,
    pub makespan: Minute,
    /// Σ (completion − release), unweighted.
    pub total_flow_time: Minute,
    pub changeover_count: usize,
    pub changeover_minutes: Minute,
    /// Available minus busy working minutes, summed over machines.
    pub idle_minutes: Minute,
    /// End of the utilisation window: `horizon.end`, or the makespan without one.
    pub window_end: Minute,
    /// The schedule ends after `horizon.end` (valid, but worth flagging).
    pub beyond_horizon: bool,
    pub deadline_misses: usize,
    pub machines: Vec<MachineUse>,
    pub plants: Vec<PlantUse>,
}

fn ratio(a: Minute, b: Minute) -> f64 {
    if b > 0 {
        a as f64 / b as f64
    } else {
        0.0
    }
}

/// KPIs of `schedule`.
pub fn compute_kpis(problem: &Problem, schedule: &Schedule) -> Kpis {
    let evaluation = evaluate_schedule(problem, schedule);
    let mut completion: Vec<Option<Minute>> = vec![None; problem.jobs.len()];
    let mut busy = vec![0; problem.machines.len()];
    let setups = changeovers_of(problem, schedule);
    for (s, &c) in schedule.ops.iter().zip(&setups) {
        let j = problem.op(s.op).job.idx();
        completion[j] = Some(completion[j].map_or(s.end, |x: Minute| x.max(s.end)));
        busy[s.machine.idx()] += problem.op(s.op).duration_on(s.machine).unwrap_or(0) + c;
    }
    let makespan = completion.iter().flatten().copied().max().unwrap_or(0);
    let window_end = problem.horizon_end.unwrap_or(makespan);
    let mut k = Kpis {
        evaluation,
        total_tardiness: 0,
        max_tardiness: 0,
        weighted_tardiness: evaluation.terms.weighted_tardiness,
        late_jobs: 0,
        jobs_with_due: 0,
        on_time_rate: 1.0,
        makespan,
        total_flow_time: 0,
        changeover_count: setups.iter().filter(|&&c| c > 0).count(),
        changeover_minutes: setups.iter().sum(),
        idle_minutes: 0,
        window_end,
        beyond_horizon: problem.horizon_end.is_some_and(|h| makespan > h),
        deadline_misses: evaluation.terms.deadline_misses,
        machines: Vec::new(),
        plants: Vec::new(),
    };
    for (job, c) in problem.jobs.iter().zip(&completion) {
        let Some(c) = *c else { continue };
        k.total_flow_time += c - job.release;
        if let Some(d) = job.due {
            k.jobs_with_due += 1;
            let late = (c - d).max(0);
            k.total_tardiness += late;
            k.max_tardiness = k.max_tardiness.max(late);
            if late > 0 {
                k.late_jobs += 1;
            }
        }
    }
    if k.jobs_with_due > 0 {
        k.on_time_rate = 1.0 - k.late_jobs as f64 / k.jobs_with_due as f64;
    }
    let mut plant_busy = vec![0; problem.plants.len()];
    let mut plant_avail = vec![0; problem.plants.len()];
    for (i, m) in problem.machines.iter().enumerate() {
        let available = m.availability.working_minutes(0, window_end);
        plant_busy[m.plant.idx()] += busy[i];
        plant_avail[m.plant.idx()] += available;
        k.idle_minutes += (available - busy[i]).max(0);
        k.machines.push(MachineUse {
            machine: m.id.clone(),
            plant: problem.plants[m.plant.idx()].id.clone(),
            busy: busy[i],
            available,
            utilisation: ratio(busy[i], available),
        });
    }
    for (i, p) in problem.plants.iter().enumerate() {
        k.plants.push(PlantUse {
            plant: p.id.clone(),
            busy: plant_busy[i],
            available: plant_avail[i],
            utilisation: ratio(plant_busy[i], plant_avail[i]),
        });
    }
    k
}
