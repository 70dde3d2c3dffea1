//! Construction by dispatching rules: a Giffler–Thompson style list scheduler that handles every
//! feature (alternative machines across plants, transfers, calendars, changeovers, atomic and
//! pinned operations). At each step it finds, for every job's next operation, the machine where
//! it completes earliest (changeover, transfer and calendar included); the machine of the
//! earliest completion is the one to load, and among the operations that could start there
//! before that completion a priority rule chooses.
//!
//! Pinned operations are reservations: an operation goes before a pending pinned operation on
//! a machine only if it ends in time for that operation's changeover; otherwise it goes after.

use crate::engine::{pin, place, routing, Engine, MachineSlot, PredPlaced, Request};
use crate::eval::Sequence;
use crate::model::{MachineId, Minute, OpId, Problem};
use construct::Construction;

mod construct;
mod pool;
mod secondary;
mod stock_count;

/// Priority rules. Higher priority is served first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// Most work remaining (makespan).
    Mwkr,
    /// Shortest processing time.
    Spt,
    /// Earliest due date (then deadline).
    Edd,
    /// Earliest hard deadline first (then due date).
    Deadline,
    /// Apparent tardiness cost with look-ahead `k` (weighted tardiness).
    Atc(f64),
    /// ATC with a changeover penalty (`k1`, `k2`).
    Atcs(f64, f64),
}

impl Rule {
    /// The rules tried by default, cheapest first.
    pub const ALL: [Rule; 8] = [
        Rule::Mwkr,
        Rule::Spt,
        Rule::Edd,
        Rule::Deadline,
        Rule::Atc(1.0),
        Rule::Atc(3.0),
        Rule::Atcs(2.0, 0.5),
        Rule::Atcs(1.0, 1.0),
    ];

    pub fn name(&self) -> String {
        match self {
            Rule::Mwkr => "MWKR".into(),
            Rule::Spt => "SPT".into(),
            Rule::Edd => "EDD".into(),
            Rule::Deadline => "deadline-first".into(),
            Rule::Atc(k) => format!("ATC(k={k})"),
            Rule::Atcs(k1, k2) => format!("ATCS(k1={k1},k2={k2})"),
        }
    }
}

#[derive(Clone, Copy)]
struct Candidate {
    op: OpId,
    machine: MachineId,
    setup: Minute,
    /// Start of the changeover (equals `start` without one).
    setup_start: Minute,
    start: Minute,
    end: Minute,
    duration: Minute,
    /// A pending pinned operation that must be committed first on this machine.
    after_pin: Option<OpId>,
    /// Machine free time and job ready time the placement was computed from (to book the
    /// same placement's secondary resources).
    free: Minute,
    ready: Minute,
}

struct MachineState {
    /// Free time and last family (the machine rule's state).
    slot: MachineSlot,
    /// Pinned operations not yet in the sequence, latest pin first (pop from the back).
    pending_pins: Vec<OpId>,
}

/// Builds a sequence with `rule`. Always returns a sequence covering every operation; whether its
/// pins hold is for the decoder to say.
pub fn construct(problem: &Problem, rule: Rule) -> Sequence {
    construct_boosted(problem, rule, &[]).0
}

/// Like [`construct`], but the operations of jobs marked in `boost` go first whenever one is a
/// candidate. Also returns the jobs whose next operation waited for material that nothing
/// placed could supply any more (a dead end: boosting them is the caller's retry).
pub fn construct_boosted(problem: &Problem, rule: Rule, boost: &[bool]) -> (Sequence, Vec<usize>) {
    construct_until(problem, rule, boost, &|| false).expect("never cancelled")
}

/// Steps between two looks at [`construct_until`]'s `cancel`: cheap against a step's placements,
/// and soon enough that a cancelled construction stops within milliseconds at any size.
pub const CANCEL_EVERY: u64 = 64;

/// Like [`construct_boosted`], but asks `cancel` every [`CANCEL_EVERY`] steps and gives up
/// (`None`) when it says so: how a time limit stops the rules that have not finished.
pub fn construct_until(
    problem: &Problem,
    rule: Rule,
    boost: &[bool],
    cancel: &dyn Fn() -> bool,
) -> Option<(Sequence, Vec<usize>)> {
    Construction::new(problem, rule, boost, false).run(cancel)
}

/// The sequence `rule` builds when placing by machines and jobs alone (secondary resources and
/// materials ignored): fast at any size (no shared state to keep candidates fresh against),
/// and the decoder then books resources and stock in its order, so the schedule holds them.
/// The fallback when a limit stops the first rule on an instance with them.
pub fn construct_blind(problem: &Problem, rule: Rule) -> Sequence {
    construct_blind_until(problem, rule, &|| false).expect("never cancelled")
}

/// Like [`construct_blind`], but asks `cancel` every [`CANCEL_EVERY`] steps and gives up
/// (`None`) when it says so: the blind rules other than the first stop at a time limit.
pub fn construct_blind_until(
    problem: &Problem,
    rule: Rule,
    cancel: &dyn Fn() -> bool,
) -> Option<Sequence> {
    let mut boost = vec![false; problem.jobs.len()];
    let (mut seq, mut starved) = Construction::blind(problem, rule, &boost).run(cancel)?;
    // The counted stock ran dry (jobs that could have waited took it): retry with the
    // starving jobs first, a few times, as the exact rules do.
    for _ in 0..problem.jobs.len().min(8) {
        if starved.is_empty() || starved.iter().all(|&j| boost[j]) {
            break;
        }
        starved.iter().for_each(|&j| boost[j] = true);
        // Cut short: the last complete sequence stands.
        let Some(again) = Construction::blind(problem, rule, &boost).run(cancel) else {
            break;
        };
        (seq, starved) = again;
    }
    Some(seq)
}

/// The earliest-completing machine for `o` given the machines' states: each mode placed by the
/// engine's rules (routing, pin, machine; resources and materials with `engine`), after a
/// pending pinned operation on the machine when it would not leave room for that one.
///
/// `from[k]`, with the engine, is where mode `k`'s fit may start instead of the job's ready
/// time (`Minute::MIN`: no hint): its earliest placement before bookings that only tightened
/// the resources and stock, which it cannot precede now. Each mode's new start (or
/// `Minute::MIN` when it does not fit) is written back.
fn best_mode(
    problem: &Problem,
    machines: &[MachineState],
    seq: &Sequence,
    end: &[Minute],
    o: OpId,
    mut engine: Option<(&mut Engine, &mut [Minute])>,
) -> Option<Candidate> {
    let op = problem.op(o);
    let pred = problem.pred(o).map(|p| PredPlaced {
        op: p,
        machine: seq.machine_of[p.idx()],
        end: end[p.idx()],
    });
    let mut best: Option<Candidate> = None;
    for (k, mode) in op.modes.iter().enumerate() {
        let m = mode.machine;
        if !pin::allows(op, m) {
            continue;
        }
        let av = &problem.machine(m).availability;
        let ms = &machines[m.idx()];
        let ready = pin::ready(op, routing::ready(problem, o, m, pred).at);
        let mut slot = ms.slot;
        let mut setup = slot.setup(problem, m, op.family);
        let mut pl = place(av, slot.free, ready, setup, mode.duration, op.atomic);
        let mut after_pin = None;
        if op.pinned.is_none() {
            if let Some(&p) = ms.pending_pins.last() {
                if !pin::fits_before(problem, m, o, pl.end, p) {
                    // Goes after the pinned operation instead.
                    let (ppl, _) = pin::place_pinned(problem, &ms.slot, p);
                    slot = MachineSlot::after(problem, p, ppl.end);
                    setup = slot.setup(problem, m, op.family);
                    pl = place(av, slot.free, ready, setup, mode.duration, op.atomic);
                    after_pin = Some(p);
                }
            }
        }
        if let Some((s, from)) = engine.as_mut() {
            let q = Request {
                op: o,
                machine: m,
                free: slot.free,
                ready: ready.max(from[k]),
                setup,
                duration: mode.duration,
                atomic: op.atomic,
            };
            match s.fit(problem, &q) {
                Ok(f) => {
                    pl = f.placement;
                    from[k] = pl.start;
                }
                Err(_) => {
                    from[k] = Minute::MIN;
                    continue;
                }
            }
        }
        let c = Candidate {
            op: o,
            machine: m,
            setup,
            setup_start: pl.setup_start,
            start: pl.start,
            end: pl.end,
            duration: mode.duration,
            after_pin,
            free: slot.free,
            ready,
        };
        if best.is_none_or(|b| (c.end, c.start) < (b.end, b.start)) {
            best = Some(c);
        }
    }
    best
}

fn priority(
    problem: &Problem,
    rule: Rule,
    c: &Candidate,
    remaining: &[Minute],
    mean_dur: f64,
    mean_setup: f64,
) -> f64 {
    let job = problem.job(problem.op(c.op).job);
    let due = job.due.or(job.deadline);
    let p = (c.duration as f64).max(1.0);
    // Slack of the job if the rest of its routing ran back to back from this operation's start.
    let slack = |d: Minute| (d - c.start - remaining[c.op.idx()]).max(0) as f64;
    match rule {
        Rule::Mwkr => remaining[c.op.idx()] as f64,
        Rule::Spt => -(c.duration as f64),
        Rule::Edd => -(due.unwrap_or(Minute::MAX / 4) as f64),
        Rule::Deadline => -(job.deadline.or(job.due).unwrap_or(Minute::MAX / 4) as f64),
        Rule::Atc(k) => {
            let urgency = due.map_or(0.0, |d| (-slack(d) / (k * mean_dur)).exp());
            job.weight / p * urgency + 1e-9 * remaining[c.op.idx()] as f64
        }
        Rule::Atcs(k1, k2) => {
            let urgency = due.map_or(0.0, |d| (-slack(d) / (k1 * mean_dur)).exp());
            let setup = (-(c.setup as f64) / (k2 * mean_setup)).exp();
            job.weight / p * urgency * setup + 1e-9 * remaining[c.op.idx()] as f64
        }
    }
}

/// Mean positive changeover time over all matrices (1 when there are none).
fn mean_setup(problem: &Problem) -> f64 {
    let vals: Vec<Minute> = problem
        .changeover_matrices
        .iter()
        .flat_map(|m| m.minutes.iter().flatten().flatten().copied())
        .filter(|&v| v > 0)
        .collect();
    if vals.is_empty() {
        1.0
    } else {
        vals.iter().sum::<Minute>() as f64 / vals.len() as f64
    }
}

#[cfg(test)]
mod tests;
