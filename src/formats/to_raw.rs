//! Any [`Problem`] -> the typed instance of `model::raw`, to be written as YAML or JSON.
//!
//! Instants are written as integer minutes from the horizon start, durations as integer
//! minutes. Covers what the benchmark readers produce and more (plants, transfers, calendars,
//! families, changeovers, machines, jobs, pins); secondary resources and materials are not
//! written (no benchmark format has them).

use crate::model::raw::{
    RawCalendar, RawChangeoverMatrix, RawDateRange, RawEligible, RawHorizon, RawInstance,
    RawInterval, RawJob, RawMachine, RawOperation, RawPin, RawPlant, RawShift, RawTransfer,
};
use crate::model::time::{datetime_at, RawClock, RawDate, RawDateTime, RawDuration, RawInstant};
use crate::model::{FamilyId, MachineId, ObjectiveWeights, OpId, Problem};
use std::collections::BTreeMap;

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The instance `problem` was read from, up to the forms of instants and durations, such that
/// validating it gives back an equivalent problem.
pub fn to_raw(problem: &Problem) -> RawInstance {
    let p = problem;
    RawInstance {
        name: Some(p.name.clone()),
        horizon: RawHorizon {
            start: RawDateTime(p.horizon_start),
            end: p.horizon_end.map(RawInstant::Minutes),
        },
        objective: Some(objective(&p.objective)),
        plants: p
            .plants
            .iter()
            .map(|pl| RawPlant {
                id: pl.id.clone(),
                name: None,
            })
            .collect(),
        transfers: transfers(p),
        calendars: p.calendars.iter().map(|c| calendar(p, c)).collect(),
        families: p.families.clone(),
        changeovers: p
            .changeover_matrices
            .iter()
            .map(|c| changeover_matrix(p, c))
            .collect(),
        machines: p.machines.iter().map(|m| machine(p, m)).collect(),
        jobs: p.jobs.iter().map(|j| job(p, j)).collect(),
        resources: Vec::new(),
        items: Vec::new(),
        interrupted_operations: None,
    }
}

/// The non-zero weights (`makespan: 0` when all are zero, so that the objective is explicit).
fn objective(w: &ObjectiveWeights) -> BTreeMap<String, f64> {
    let mut terms: BTreeMap<String, f64> = ObjectiveWeights::TERMS
        .iter()
        .zip(w.as_array())
        .filter(|(_, v)| *v != 0.0)
        .map(|(t, v)| (t.to_string(), v))
        .collect();
    if terms.is_empty() {
        terms.insert("makespan".to_string(), 0.0);
    }
    terms
}

fn transfers(p: &Problem) -> Vec<RawTransfer> {
    let mut out = Vec::new();
    for (a, row) in p.transfer.iter().enumerate() {
        for (b, t) in row.iter().enumerate() {
            if let (Some(t), Some(pa), Some(pb)) = (t, p.plants.get(a), p.plants.get(b)) {
                out.push(RawTransfer {
                    from: pa.id.clone(),
                    to: pb.id.clone(),
                    time: RawDuration(*t),
                });
            }
        }
    }
    out
}

fn calendar(p: &Problem, c: &crate::model::calendar::CalendarRules) -> RawCalendar {
    // Shifts with the same hours are written together, in order of first appearance.
    let mut groups: Vec<((i64, i64), Vec<u8>)> = Vec::new();
    for s in &c.weekly {
        match groups.iter_mut().find(|(k, _)| *k == (s.from, s.to)) {
            Some((_, days)) => days.push(s.weekday),
            None => groups.push(((s.from, s.to), vec![s.weekday])),
        }
    }
    let date = |m| RawDate(datetime_at(p.horizon_start, m).date());
    RawCalendar {
        id: c.id.clone(),
        weekly: groups
            .into_iter()
            .map(|((from, to), days)| RawShift {
                days: days
                    .iter()
                    .map(|&d| DAYS.get(d as usize).copied().unwrap_or("mon").to_string())
                    .collect(),
                from: RawClock(from),
                to: RawClock(to),
            })
            .collect(),
        holidays: c
            .holidays
            .iter()
            .map(|&(a, b)| RawDateRange {
                from: date(a),
                to: Some(date(b.max(a.saturating_add(1)).saturating_sub(1))),
            })
            .collect(),
        overtime: intervals(&c.overtime),
    }
}

fn family(p: &Problem, f: FamilyId) -> String {
    p.families.get(f.idx()).cloned().unwrap_or_default()
}

fn changeover_matrix(p: &Problem, c: &crate::model::ChangeoverMatrix) -> RawChangeoverMatrix {
    let mut matrix = BTreeMap::new();
    for (a, row) in c.minutes.iter().enumerate() {
        let cells: BTreeMap<String, RawDuration> = row
            .iter()
            .enumerate()
            .filter_map(|(b, v)| v.map(|v| (family(p, FamilyId(b as u32)), RawDuration(v))))
            .collect();
        if !cells.is_empty() {
            matrix.insert(family(p, FamilyId(a as u32)), cells);
        }
    }
    RawChangeoverMatrix {
        id: c.id.clone(),
        matrix,
    }
}

fn machine_name(p: &Problem, m: MachineId) -> String {
    p.machines
        .get(m.idx())
        .map_or(String::new(), |m| m.id.clone())
}

fn intervals(v: &[(i64, i64)]) -> Vec<RawInterval> {
    v.iter()
        .map(|&(a, b)| RawInterval {
            from: RawInstant::Minutes(a),
            to: RawInstant::Minutes(b),
        })
        .collect()
}

fn machine(p: &Problem, m: &crate::model::Machine) -> RawMachine {
    RawMachine {
        id: m.id.clone(),
        plant: p
            .plants
            .get(m.plant.idx())
            .map_or(String::new(), |pl| pl.id.clone()),
        calendar: m
            .calendar
            .and_then(|c| p.calendars.get(c))
            .map(|c| c.id.clone()),
        changeovers: m
            .changeovers
            .and_then(|c| p.changeover_matrices.get(c))
            .map(|c| c.id.clone()),
        initial_family: m.initial_family.map(|f| family(p, f)),
        downtime: intervals(&m.downtime),
        changeover_require: Vec::new(),
    }
}

fn job(p: &Problem, j: &crate::model::Job) -> RawJob {
    RawJob {
        id: j.id.clone(),
        release: (j.release != 0).then_some(RawInstant::Minutes(j.release)),
        due: j.due.map(RawInstant::Minutes),
        deadline: j.deadline.map(RawInstant::Minutes),
        weight: (j.weight != 1.0).then_some(j.weight),
        family: None,
        quantity: None,
        produce: BTreeMap::new(),
        operations: (j.first_op..j.first_op + j.op_count)
            .filter_map(|o| p.ops.get(OpId(o).idx()))
            .map(|op| RawOperation {
                id: op.id.clone(),
                machines: RawEligible::WithDurations(
                    op.modes
                        .iter()
                        .map(|md| (machine_name(p, md.machine), RawDuration(md.duration)))
                        .collect(),
                ),
                duration: None,
                family: op.family.map(|f| family(p, f)),
                atomic: op.atomic,
                pinned: op.pinned.map(|pin| RawPin {
                    machine: machine_name(p, pin.machine),
                    start: RawInstant::Minutes(pin.start),
                }),
                not_before: None,
                require: Vec::new(),
                consume: BTreeMap::new(),
            })
            .collect(),
    }
}
