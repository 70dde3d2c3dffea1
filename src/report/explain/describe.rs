//! One step of a chain in words: what set the operation's start (its machine, its job, the
//! calendar, a resource or a material), its changeover and its waits for working time.

use super::{Bound, ReadyBy, Secondary, Step};
use crate::eval::kpi::StockCause;
use crate::model::{FamilyId, MachineId, Minute, Problem};
use crate::report::compare::num;
use crate::report::{closures, fmt_minutes, fmt_when, Closure};

fn family(problem: &Problem, f: Option<FamilyId>) -> String {
    f.map_or_else(|| "none".to_string(), |f| problem.families[f.idx()].clone())
}

fn closure_names(problem: &Problem, m: MachineId, a: Minute, b: Minute) -> String {
    let mut kinds: Vec<Closure> = closures(problem, m, a, b)
        .into_iter()
        .map(|c| c.2)
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
        .iter()
        .map(|k| k.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a secondary wait was, for people: `waited for resource crew (all 2 units busy with
/// WO-7/mill, WO-9/weld until Tue 2026-11-24 14:00)` or `waited for material steel-bar (receipt
/// of 200 on Wed 2026-11-25 08:00)`.
pub fn secondary_text(problem: &Problem, w: &Secondary) -> String {
    let when = |t| fmt_when(problem, t);
    match w {
        Secondary::Resource {
            resource,
            changeover,
            until,
            capacity,
            needed,
            in_use,
            holders,
            ..
        } => {
            let who = if *changeover {
                "its changeover waited for resource"
            } else {
                "waited for resource"
            };
            let id = &problem.resources[resource.idx()].id;
            let mut names: Vec<String> = Vec::new();
            for &(o, co, _) in holders {
                let n = if co {
                    format!("{} (changeover)", problem.op_name(o))
                } else {
                    problem.op_name(o)
                };
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            let detail = if names.is_empty() || *capacity == 0 {
                if *capacity == 0 {
                    format!("no unit available (capacity 0) until {}", when(*until))
                } else {
                    format!(
                        "capacity {capacity}, it needs {needed}, until {}",
                        when(*until)
                    )
                }
            } else if in_use >= capacity {
                let all = if *capacity == 1 {
                    "its 1 unit".to_string()
                } else {
                    format!("all {capacity} units")
                };
                format!(
                    "{all} busy with {} until {}",
                    names.join(", "),
                    when(*until)
                )
            } else {
                format!(
                    "{in_use} of {capacity} units busy with {}, it needs {needed}, until {}",
                    names.join(", "),
                    when(*until)
                )
            };
            format!("{who} {id} ({detail})")
        }
        Secondary::Material {
            item,
            needed,
            at,
            sources,
        } => {
            let id = &problem.items[item.idx()].id;
            let mut parts: Vec<String> = sources
                .iter()
                .map(|&(c, q)| match c {
                    StockCause::Receipt => format!("receipt of {} on {}", num(q), when(*at)),
                    StockCause::Production(j) => format!(
                        "produced by job {}, completing {}",
                        problem.job(j).id,
                        when(*at)
                    ),
                    StockCause::Consumption(o) => {
                        format!("returned by {} at {}", problem.op_name(o), when(*at))
                    }
                })
                .collect();
            if parts.is_empty() {
                parts.push(format!(
                    "the stock covers {} only from {}",
                    num(*needed),
                    when(*at)
                ));
            }
            format!("waited for material {id} ({})", parts.join("; "))
        }
    }
}

/// The explanation of one step, as lines (without numbering): what set the start (a secondary
/// wait first, since it came last), when the job was ready, then the changeover, calendar,
/// idle and pause lines that apply.
pub fn describe_step(problem: &Problem, s: &Step) -> Vec<String> {
    let mut lines = Vec::new();
    lines.extend(secondary_line(problem, s));
    let bound = bound_line(problem, s);
    lines.push(if s.secondary.is_some() {
        // The resource or material moved it past this bound: say what it would have been.
        format!(
            "before that, its machine and job alone allowed {}: {}",
            fmt_when(problem, s.machine_earliest),
            bound.trim_start_matches("start ")
        )
    } else {
        bound
    });
    lines.extend(job_ready_line(problem, s));
    lines.extend(changeover_line(problem, s));
    lines.extend(calendar_line(problem, s));
    lines.extend(timing_notes(problem, s));
    lines
}

/// When a resource or a material set the start: which, and how long after the machine and
/// job allowed it.
fn secondary_line(problem: &Problem, s: &Step) -> Option<String> {
    let w = s.secondary.as_ref()?;
    Some(format!(
        "start set by a {}: {}; {} after its machine and job allowed it ({})",
        match w {
            Secondary::Resource { .. } => "secondary resource",
            Secondary::Material { .. } => "material",
        },
        secondary_text(problem, w),
        fmt_minutes(s.wait_secondary),
        fmt_when(problem, s.machine_earliest)
    ))
}

/// What the machine and job alone set the start to: the machine's previous operation, or the
/// job side (release, not-before, pin, routing predecessor and transfer).
fn bound_line(problem: &Problem, s: &Step) -> String {
    let when = |t| fmt_when(problem, t);
    match s.bound {
        Bound::Machine { prev, prev_end } => {
            let q = problem.op(prev);
            let mut t = format!(
                "start set by machine {}: busy with job {} op {} until {}",
                problem.machine(s.machine).id,
                problem.job(q.job).id,
                q.id,
                when(prev_end)
            );
            if s.wait_busy > 0 {
                t.push_str(&format!(" (waited {} for it)", fmt_minutes(s.wait_busy)));
            }
            t
        }
        Bound::Job => match s.ready_by {
            ReadyBy::HorizonStart => format!(
                "start set by the horizon start {} (nothing earlier constrains it)",
                when(0)
            ),
            ReadyBy::Release(r) => format!("start set by the job's release at {}", when(r)),
            ReadyBy::NotBefore(r) => format!(
                "start set by the operation's not-before time {} (material or hold)",
                when(r)
            ),
            ReadyBy::Pinned(p) => format!("start set by its pin at {}", when(p)),
            ReadyBy::Predecessor {
                pred,
                end,
                transfer,
                from,
                to,
            } => {
                let mut t = format!(
                    "start set by its predecessor {} ending {}",
                    problem.op_name(pred),
                    when(end)
                );
                if transfer > 0 {
                    t.push_str(&format!(
                        ", then transfer {} → {} of {}",
                        problem.plants[from.idx()].id,
                        problem.plants[to.idx()].id,
                        fmt_minutes(transfer)
                    ));
                }
                t
            }
        },
    }
}

/// When the machine set the start: when the job side was ready, and why then (the reader
/// otherwise sees only the machine's side).
fn job_ready_line(problem: &Problem, s: &Step) -> Option<String> {
    if !matches!(s.bound, Bound::Machine { .. }) {
        return None;
    }
    let why = match s.ready_by {
        ReadyBy::HorizonStart => "from the horizon start".to_string(),
        ReadyBy::Release(_) => "released".to_string(),
        ReadyBy::NotBefore(_) => "past its not-before time".to_string(),
        ReadyBy::Pinned(_) => "pinned".to_string(),
        ReadyBy::Predecessor { pred, transfer, .. } => {
            if transfer > 0 {
                format!(
                    "after {} and a transfer of {}",
                    problem.op_name(pred),
                    fmt_minutes(transfer)
                )
            } else {
                format!("after {}", problem.op_name(pred))
            }
        }
    };
    Some(format!(
        "job ready at {} ({why})",
        fmt_when(problem, s.ready)
    ))
}

/// The changeover before the operation, if any, and whether it delayed the start.
fn changeover_line(problem: &Problem, s: &Step) -> Option<String> {
    if s.changeover <= 0 {
        return None;
    }
    let when = |t| fmt_when(problem, t);
    let ss = s.setup_start.unwrap_or(s.start);
    let mut t = format!(
        "changeover {} → {} of {} on {}, {} → {}",
        family(problem, s.family_before),
        family(problem, problem.op(s.op).family),
        fmt_minutes(s.changeover),
        problem.machine(s.machine).id,
        when(ss),
        when(s.start)
    );
    if s.wait_changeover > 0 && s.secondary.is_some() {
        t.push_str(&format!(
            "; it delayed what the machine allowed by {} (the start waited longer, see above)",
            fmt_minutes(s.wait_changeover)
        ));
    } else if s.wait_changeover > 0 {
        t.push_str(&format!(
            "; it delayed the start by {}",
            fmt_minutes(s.wait_changeover)
        ));
    } else {
        t.push_str(" (while the job was not yet ready: no delay)");
    }
    Some(t)
}

/// The wait for the machine's working time (named closures), or for a long enough working
/// interval when the operation is atomic.
fn calendar_line(problem: &Problem, s: &Step) -> Option<String> {
    if s.wait_calendar <= 0 {
        return None;
    }
    let m = problem.machine(s.machine);
    let closed_until = s.ready + s.wait_calendar;
    let names = closure_names(problem, s.machine, s.ready, closed_until);
    if names.is_empty() {
        return Some(format!(
            "waited {} for an uninterrupted working interval of {} on {} (atomic operation)",
            fmt_minutes(s.wait_calendar),
            fmt_minutes(s.duration),
            m.id
        ));
    }
    let mut t = format!(
        "waited {} for {}'s working time ({names}) until {}",
        fmt_minutes(s.wait_calendar),
        m.id,
        fmt_when(problem, closed_until)
    );
    let working = m.availability.working_minutes(s.ready, closed_until);
    if problem.op(s.op).atomic && working > 0 {
        t.push_str(&format!(
            "; the {} of working time before that was too short for this atomic \
             operation of {} without a break",
            fmt_minutes(working),
            fmt_minutes(s.duration)
        ));
    }
    Some(t)
}

/// Where the schedule departs from the earliest start the rules allow (idle, or a start too
/// early: a broken schedule), and the pauses of a resumable operation.
fn timing_notes(problem: &Problem, s: &Step) -> Vec<String> {
    let when = |t| fmt_when(problem, t);
    let mut lines = Vec::new();
    if s.wait_idle > 0 {
        lines.push(format!(
            "started {} later than the rules allow ({}): the schedule leaves {} idle",
            fmt_minutes(s.wait_idle),
            when(s.earliest),
            problem.machine(s.machine).id
        ));
    }
    if s.too_early() {
        lines.push(format!(
            "NOTE: starts before the earliest start the rules allow ({}); see `takt check`",
            when(s.earliest)
        ));
    }
    let paused = (s.end - s.start) - s.duration;
    if paused > 0 {
        let names = closure_names(problem, s.machine, s.start, s.end);
        lines.push(format!(
            "ran {} of work, paused {} ({names})",
            fmt_minutes(s.duration),
            fmt_minutes(paused)
        ));
    }
    lines
}
