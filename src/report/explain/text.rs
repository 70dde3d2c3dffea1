//! The explanation of a job's completion for people (`takt explain`): a headline, the chain of
//! steps that set the completion, and where the time went.

use super::{analyse, chain, describe_step, pieces, Piece, Step};
use crate::model::{ItemId, JobId, MachineId, Minute, Problem, ResourceId};
use crate::report::{fmt_minutes, fmt_when, Closure};
use crate::schedule::Schedule;
use std::collections::BTreeMap;

/// Lines as text, each ended by a newline.
pub(super) fn text(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// The full explanation of a job's completion, for people: a headline (completion against
/// due date and deadline), the chain of steps that set it, and where the time went.
pub fn explain_job(problem: &Problem, schedule: &Schedule, job: JobId) -> String {
    text(&explanation(problem, schedule, job))
}

/// The lines of [`explain_job`].
fn explanation(problem: &Problem, schedule: &Schedule, job: JobId) -> Vec<String> {
    let analysis = analyse(problem, schedule);
    let j = problem.job(job);
    let Some(last) = analysis.step_of(j.last_op()) else {
        return vec![format!(
            "{}: its last operation {} is not in the schedule",
            j.id,
            problem.op_name(j.last_op())
        )];
    };
    let c = j
        .ops()
        .filter_map(|o| analysis.step_of(o))
        .map(|s| s.end)
        .max()
        .unwrap_or(last.end);
    let mut lines = vec![
        format!("{}.", completion_headline(problem, job, c)),
        "What set its completion, walking back from its last operation:".to_string(),
    ];
    for (n, &i) in chain(problem, &analysis, job).iter().enumerate() {
        let s = &analysis.steps[i];
        lines.push(chain_line(problem, n + 1, s));
        lines.extend(
            describe_step(problem, s)
                .into_iter()
                .map(|line| format!("       {line}")),
        );
    }
    let spent = TimeSpent::of(&pieces(problem, &analysis, job));
    lines.push(format!(
        "From the horizon start to completion ({}): {}.",
        fmt_minutes(c),
        spent.parts(problem).join("; ")
    ));
    lines
}

/// ` 1. J1/o2 on M1 (plant): start → end, 2h of work`: step `n` of a job's chain.
fn chain_line(problem: &Problem, n: usize, s: &Step) -> String {
    let m = problem.machine(s.machine);
    format!(
        "{:>3}. {} on {} ({}): {} → {}, {} of work",
        n,
        problem.op_name(s.op),
        m.id,
        problem.plants[m.plant.idx()].id,
        fmt_when(problem, s.start),
        fmt_when(problem, s.end),
        fmt_minutes(s.duration)
    )
}

/// "Job J (weight w): completes …", with its due date (late or to spare) and a missed hard
/// deadline.
fn completion_headline(problem: &Problem, job: JobId, c: Minute) -> String {
    let j = problem.job(job);
    let when = |t| fmt_when(problem, t);
    let mut head = format!("Job {} (weight {}): completes {}", j.id, j.weight, when(c));
    match j.due {
        Some(d) if c > d => {
            head.push_str(&format!(", due {}: {} LATE", when(d), fmt_minutes(c - d)))
        }
        Some(d) => head.push_str(&format!(
            ", due {}: on time, {} to spare",
            when(d),
            fmt_minutes(d - c)
        )),
        None => head.push_str(" (no due date)"),
    }
    if let Some(dl) = j.deadline {
        if c > dl {
            head.push_str(&format!(
                "; MISSES its hard deadline {} by {}",
                when(dl),
                fmt_minutes(c - dl)
            ));
        }
    }
    head
}

/// Where a job's time went from the horizon start to its completion: the pieces of its chain
/// summed per kind (and per machine, closure, resource or item), for the closing line.
#[derive(Default)]
struct TimeSpent {
    own: Minute,
    other: BTreeMap<MachineId, Minute>,
    changeover: BTreeMap<MachineId, Minute>,
    closed: BTreeMap<Closure, Minute>,
    resource: BTreeMap<ResourceId, Minute>,
    material: BTreeMap<ItemId, Minute>,
    idle: Minute,
    transfer: Minute,
    /// Before the chain's release or pin.
    origin: Minute,
}

impl TimeSpent {
    fn of(pieces: &[Piece]) -> TimeSpent {
        let mut t = TimeSpent::default();
        for p in pieces {
            match *p {
                Piece::OwnWork { minutes, .. } => t.own += minutes,
                Piece::OtherWork {
                    machine, minutes, ..
                } => *t.other.entry(machine).or_default() += minutes,
                Piece::Changeover { machine, minutes } => {
                    *t.changeover.entry(machine).or_default() += minutes
                }
                Piece::Closed { kind, minutes, .. } => {
                    *t.closed.entry(kind).or_default() += minutes
                }
                Piece::ResourceWait {
                    resource, minutes, ..
                } => *t.resource.entry(resource).or_default() += minutes,
                Piece::MaterialWait { item, minutes, .. } => {
                    *t.material.entry(item).or_default() += minutes
                }
                Piece::Idle { minutes, .. } => t.idle += minutes,
                Piece::Transfer { minutes, .. } => t.transfer += minutes,
                Piece::Release { minutes } | Piece::Pinned { minutes } => t.origin += minutes,
            }
        }
        t
    }

    /// The kinds with time, own work first, each with its breakdown.
    fn parts(&self, problem: &Problem) -> Vec<String> {
        let mut parts = vec![format!("own work {}", fmt_minutes(self.own))];
        let per_machine = |v: &BTreeMap<MachineId, Minute>| {
            v.iter()
                .map(|(m, x)| format!("{} {}", problem.machine(*m).id, fmt_minutes(*x)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.other.is_empty() {
            parts.push(format!(
                "machines busy with other jobs {} ({})",
                fmt_minutes(self.other.values().sum()),
                per_machine(&self.other)
            ));
        }
        if !self.changeover.is_empty() {
            parts.push(format!(
                "changeovers {} ({})",
                fmt_minutes(self.changeover.values().sum()),
                per_machine(&self.changeover)
            ));
        }
        for (k, m) in &self.closed {
            parts.push(format!("{} {}", k.name(), fmt_minutes(*m)));
        }
        if !self.resource.is_empty() {
            parts.push(format!(
                "waiting for resources {} ({})",
                fmt_minutes(self.resource.values().sum()),
                self.resource
                    .iter()
                    .map(|(r, x)| {
                        format!("{} {}", problem.resources[r.idx()].id, fmt_minutes(*x))
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !self.material.is_empty() {
            parts.push(format!(
                "waiting for materials {} ({})",
                fmt_minutes(self.material.values().sum()),
                self.material
                    .iter()
                    .map(|(i, x)| format!("{} {}", problem.items[i.idx()].id, fmt_minutes(*x)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if self.transfer > 0 {
            parts.push(format!("transfers {}", fmt_minutes(self.transfer)));
        }
        if self.idle > 0 {
            parts.push(format!("idle {}", fmt_minutes(self.idle)));
        }
        if self.origin > 0 {
            parts.push(format!(
                "before the chain's release or pin {}",
                fmt_minutes(self.origin)
            ));
        }
        parts
    }
}
