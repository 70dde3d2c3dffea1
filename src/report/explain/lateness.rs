//! Where late jobs waited, per machine: the pieces of their chains summed, the machine most
//! contended for first (the bottleneck for the late jobs).

use super::text::text;
use super::{pieces, Analysis, Piece};
use crate::model::{ItemId, JobId, MachineId, Minute, Problem, ResourceId};
use crate::report::{fmt_minutes, Closure};
use crate::schedule::Schedule;
use std::collections::BTreeMap;

/// Minutes that late jobs spent, along their chains, waiting for one machine: other jobs working
/// on it, changeovers, closed time, secondary resources and materials its operations waited
/// for, and idle time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MachineLateness {
    pub machine: Option<MachineId>,
    pub busy: Minute,
    pub changeover: Minute,
    pub closed: BTreeMap<Closure, Minute>,
    /// Working minutes the machine's operations waited for a resource, per resource.
    pub resources: BTreeMap<ResourceId, Minute>,
    /// Working minutes the machine's operations waited for a material, per item.
    pub materials: BTreeMap<ItemId, Minute>,
    pub idle: Minute,
    /// Late jobs whose chain passes a wait on this machine.
    pub late_jobs: usize,
    /// The jobs whose work on this machine late jobs waited for, most minutes first.
    pub blockers: Vec<(JobId, Minute)>,
}

impl MachineLateness {
    pub fn closed_total(&self) -> Minute {
        self.closed.values().sum()
    }
    pub fn total(&self) -> Minute {
        self.busy
            + self.changeover
            + self.closed_total()
            + self.resources.values().sum::<Minute>()
            + self.materials.values().sum::<Minute>()
            + self.idle
    }
    /// Minutes late jobs waited because the machine was taken: other jobs' work and changeovers.
    pub fn contention(&self) -> Minute {
        self.busy + self.changeover
    }
}

/// Per machine, where late jobs' chains waited (machines with no wait left out), the machine
/// most contended for first: most minutes of other jobs' work and changeovers that late jobs
/// waited for, then most minutes in all (closed time counts, but a sparse calendar alone does not
/// make a machine the bottleneck). The first is the bottleneck for the late jobs.
pub fn lateness_by_machine(
    problem: &Problem,
    schedule: &Schedule,
    analysis: &Analysis,
) -> Vec<MachineLateness> {
    let mut completion: Vec<Option<Minute>> = vec![None; problem.jobs.len()];
    for s in &schedule.ops {
        let j = problem.op(s.op).job.idx();
        completion[j] = Some(completion[j].map_or(s.end, |c: Minute| c.max(s.end)));
    }
    let mut acc: Vec<MachineLateness> = (0..problem.machines.len())
        .map(|m| MachineLateness {
            machine: Some(MachineId(m as u32)),
            ..Default::default()
        })
        .collect();
    let mut blockers: Vec<BTreeMap<JobId, Minute>> = vec![BTreeMap::new(); problem.machines.len()];
    for (j, job) in problem.jobs.iter().enumerate() {
        let (Some(c), Some(due)) = (completion[j], job.due) else {
            continue;
        };
        if c <= due {
            continue;
        }
        let mut touched = vec![false; problem.machines.len()];
        for p in pieces(problem, analysis, JobId(j as u32)) {
            let m = match p {
                Piece::OtherWork {
                    machine,
                    job,
                    minutes,
                } => {
                    acc[machine.idx()].busy += minutes;
                    *blockers[machine.idx()].entry(job).or_default() += minutes;
                    machine
                }
                Piece::Changeover { machine, minutes } => {
                    acc[machine.idx()].changeover += minutes;
                    machine
                }
                Piece::Closed {
                    machine,
                    kind,
                    minutes,
                } => {
                    *acc[machine.idx()].closed.entry(kind).or_default() += minutes;
                    machine
                }
                Piece::ResourceWait {
                    machine,
                    resource,
                    minutes,
                } => {
                    *acc[machine.idx()].resources.entry(resource).or_default() += minutes;
                    machine
                }
                Piece::MaterialWait {
                    machine,
                    item,
                    minutes,
                } => {
                    *acc[machine.idx()].materials.entry(item).or_default() += minutes;
                    machine
                }
                Piece::Idle { machine, minutes } => {
                    acc[machine.idx()].idle += minutes;
                    machine
                }
                _ => continue,
            };
            touched[m.idx()] = true;
        }
        for (m, t) in touched.iter().enumerate() {
            if *t {
                acc[m].late_jobs += 1;
            }
        }
    }
    for (a, b) in acc.iter_mut().zip(blockers) {
        let mut v: Vec<(JobId, Minute)> = b.into_iter().collect();
        v.sort_by_key(|&(j, m)| (std::cmp::Reverse(m), j));
        a.blockers = v;
    }
    acc.retain(|a| a.total() > 0);
    acc.sort_by_key(|a| {
        (
            std::cmp::Reverse(a.contention()),
            std::cmp::Reverse(a.total()),
            a.machine,
        )
    });
    acc
}

/// One line per machine: `N-CNC1  6h 30m for 3 late jobs: busy 5h (WO-3 2h, ...), ...`.
pub fn render_lateness(problem: &Problem, rows: &[MachineLateness], top: usize) -> String {
    if rows.is_empty() {
        return "  no late job waited for a machine\n".to_string();
    }
    let w = rows
        .iter()
        .take(top)
        .filter_map(|r| r.machine)
        .map(|m| problem.machine(m).id.chars().count())
        .max()
        .unwrap_or(0);
    let mut lines: Vec<String> = rows
        .iter()
        .take(top)
        .filter_map(|r| {
            let m = r.machine?;
            Some(format!(
                "  {:w$}  {} late job(s) waited {}: {}",
                problem.machine(m).id,
                r.late_jobs,
                fmt_minutes(r.total()),
                lateness_parts(problem, r).join(", ")
            ))
        })
        .collect();
    if rows.len() > top {
        lines.push(format!("  ... and {} more machine(s)", rows.len() - top));
    }
    text(&lines)
}

/// The parts of one machine's lateness for people: `busy with other jobs 5h (WO-3 2h, WO-9 1h)`.
pub fn lateness_parts(problem: &Problem, r: &MachineLateness) -> Vec<String> {
    let mut parts = Vec::new();
    if r.busy > 0 {
        let names: Vec<String> = r
            .blockers
            .iter()
            .take(3)
            .map(|&(j, m)| format!("{} {}", problem.job(j).id, fmt_minutes(m)))
            .collect();
        let more = if r.blockers.len() > 3 { ", ..." } else { "" };
        parts.push(format!(
            "busy with other jobs {} ({}{more})",
            fmt_minutes(r.busy),
            names.join(", ")
        ));
    }
    if r.changeover > 0 {
        parts.push(format!("changeovers {}", fmt_minutes(r.changeover)));
    }
    for (k, m) in &r.closed {
        parts.push(format!("{} {}", k.name(), fmt_minutes(*m)));
    }
    for (res, m) in &r.resources {
        parts.push(format!(
            "waiting for resource {} {}",
            problem.resources[res.idx()].id,
            fmt_minutes(*m)
        ));
    }
    for (item, m) in &r.materials {
        parts.push(format!(
            "waiting for material {} {}",
            problem.items[item.idx()].id,
            fmt_minutes(*m)
        ));
    }
    if r.idle > 0 {
        parts.push(format!("idle {}", fmt_minutes(r.idle)));
    }
    parts
}
