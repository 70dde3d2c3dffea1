//! The time from minute 0 to a job's completion along its chain, split into pieces (own work,
//! other jobs' work, changeovers, closed time, waits for a resource or a material, idle time,
//! transfers, release) that add up to the completion exactly for a valid schedule.

use super::{chain, Analysis, Bound, ReadyBy, Secondary, Step};
use crate::model::{ItemId, JobId, MachineId, Minute, PlantId, Problem, ResourceId};
use crate::report::{closures, Closure};

/// A piece of the time line from minute 0 to a job's completion, along its chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// The job's own operation working.
    OwnWork {
        machine: MachineId,
        minutes: Minute,
    },
    /// Another job's operation working on the machine the chain waits for.
    OtherWork {
        machine: MachineId,
        job: JobId,
        minutes: Minute,
    },
    Changeover {
        machine: MachineId,
        minutes: Minute,
    },
    Closed {
        machine: MachineId,
        kind: Closure,
        minutes: Minute,
    },
    /// Working time of the machine in which the operation waited for a secondary resource.
    ResourceWait {
        machine: MachineId,
        resource: ResourceId,
        minutes: Minute,
    },
    /// Working time of the machine in which the operation waited for a material.
    MaterialWait {
        machine: MachineId,
        item: ItemId,
        minutes: Minute,
    },
    /// Working time in which nothing on the chain happened (a start later than needed, or an
    /// atomic operation waiting for a long enough interval).
    Idle {
        machine: MachineId,
        minutes: Minute,
    },
    Transfer {
        from: PlantId,
        to: PlantId,
        minutes: Minute,
    },
    /// From minute 0 to the release of the job at the chain's origin.
    Release {
        minutes: Minute,
    },
    /// From minute 0 to a pinned start at the chain's origin.
    Pinned {
        minutes: Minute,
    },
}

impl Piece {
    pub fn minutes(&self) -> Minute {
        match *self {
            Piece::OwnWork { minutes, .. }
            | Piece::OtherWork { minutes, .. }
            | Piece::Changeover { minutes, .. }
            | Piece::Closed { minutes, .. }
            | Piece::ResourceWait { minutes, .. }
            | Piece::MaterialWait { minutes, .. }
            | Piece::Idle { minutes, .. }
            | Piece::Transfer { minutes, .. }
            | Piece::Release { minutes }
            | Piece::Pinned { minutes } => minutes,
        }
    }
}

/// Splits `[a, b)` on machine `m` into closed pieces and working minutes (returned).
fn closed_pieces(
    problem: &Problem,
    m: MachineId,
    a: Minute,
    b: Minute,
    out: &mut Vec<Piece>,
) -> Minute {
    if b <= a {
        return 0;
    }
    let mut closed = 0;
    for (s, e, kind) in closures(problem, m, a, b) {
        closed += e - s;
        out.push(Piece::Closed {
            machine: m,
            kind,
            minutes: e - s,
        });
    }
    (b - a) - closed
}

/// The pieces of time from minute 0 to the completion of `job`, along its chain, in time order.
/// For a valid schedule their minutes add up to the job's completion.
pub fn pieces(problem: &Problem, analysis: &Analysis, job: JobId) -> Vec<Piece> {
    let steps = chain(problem, analysis, job);
    let mut out = Vec::new();
    for (n, &i) in steps.iter().enumerate().rev() {
        let s = &analysis.steps[i];
        let from = window_start(s, &mut out);
        if n + 1 == steps.len() {
            origin_piece(s, from, &mut out);
        }
        wait_pieces(problem, s, from, &mut out);
        work_pieces(problem, s, job, &mut out);
    }
    out
}

/// Where a step's window starts: the previous operation's end on the machine, or what made the
/// job ready (the predecessor's end plus the transfer, pushed as a piece, a release, a pin).
fn window_start(s: &Step, out: &mut Vec<Piece>) -> Minute {
    match (s.bound, s.ready_by) {
        (Bound::Machine { prev_end, .. }, _) => prev_end,
        (
            Bound::Job,
            ReadyBy::Predecessor {
                end,
                transfer,
                from,
                to,
                ..
            },
        ) => {
            if transfer > 0 {
                out.push(Piece::Transfer {
                    from,
                    to,
                    minutes: transfer,
                });
            }
            end + transfer
        }
        (Bound::Job, ReadyBy::Release(r) | ReadyBy::NotBefore(r)) => r,
        (Bound::Job, ReadyBy::Pinned(p)) => p,
        (Bound::Job, ReadyBy::HorizonStart) => 0,
    }
}

/// The chain's first step: the time before its release or pin, `from` minutes.
fn origin_piece(s: &Step, from: Minute, out: &mut Vec<Piece>) {
    if from <= 0 {
        return;
    }
    match (s.bound, s.ready_by) {
        (Bound::Job, ReadyBy::Pinned(_)) => out.push(Piece::Pinned { minutes: from }),
        (Bound::Job, ReadyBy::Release(_) | ReadyBy::NotBefore(_)) => {
            out.push(Piece::Release { minutes: from })
        }
        _ => {}
    }
}

/// `[from, start)` of a step: closed time, the changeover, the wait for a resource or a
/// material, and idle working time.
fn wait_pieces(problem: &Problem, s: &Step, from: Minute, out: &mut Vec<Piece>) {
    let m = s.machine;
    let working = closed_pieces(problem, m, from, s.start, out);
    let setup = match s.setup_start {
        Some(ss) if s.changeover > 0 => problem
            .machine(m)
            .availability
            .working_minutes(ss.max(from), s.start)
            .min(working),
        _ => 0,
    };
    if setup > 0 {
        out.push(Piece::Changeover {
            machine: m,
            minutes: setup,
        });
    }
    // The wait for a resource or a material: working minutes from what the machine and job
    // allowed to what the resource or material allowed.
    let waited = match &s.secondary {
        Some(_) => problem
            .machine(m)
            .availability
            .working_minutes(s.machine_earliest.max(from), s.earliest.min(s.start))
            .min(working - setup),
        None => 0,
    };
    match s.secondary {
        Some(Secondary::Resource { resource, .. }) if waited > 0 => out.push(Piece::ResourceWait {
            machine: m,
            resource,
            minutes: waited,
        }),
        Some(Secondary::Material { item, .. }) if waited > 0 => out.push(Piece::MaterialWait {
            machine: m,
            item,
            minutes: waited,
        }),
        _ => {}
    }
    if working - setup - waited > 0 {
        out.push(Piece::Idle {
            machine: m,
            minutes: working - setup - waited,
        });
    }
}

/// `[start, end)` of a step: the operation working (the job's own, or another job's that the
/// chain waited for), and its pauses.
fn work_pieces(problem: &Problem, s: &Step, job: JobId, out: &mut Vec<Piece>) {
    let m = s.machine;
    let work = closed_pieces(problem, m, s.start, s.end, out);
    if work <= 0 {
        return;
    }
    let other = problem.op(s.op).job;
    out.push(if other == job {
        Piece::OwnWork {
            machine: m,
            minutes: work,
        }
    } else {
        Piece::OtherWork {
            machine: m,
            job: other,
            minutes: work,
        }
    });
}
