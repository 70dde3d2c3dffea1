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
use pool::Pool;

mod pool;

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
    let mut starved: Vec<usize> = Vec::new();
    let n = problem.ops.len();
    let min_dur: Vec<Minute> = problem
        .ops
        .iter()
        .map(|o| o.modes.iter().map(|m| m.duration).min().unwrap_or(0))
        .collect();
    // Work remaining in the job from each operation on (inclusive).
    let mut remaining = vec![0; n];
    for job in &problem.jobs {
        let mut acc = 0;
        for o in job.ops().rev() {
            acc += min_dur[o.idx()];
            remaining[o.idx()] = acc;
        }
    }
    let mean_dur = (min_dur.iter().sum::<Minute>() as f64 / n.max(1) as f64).max(1.0);
    let mean_setup = mean_setup(problem).max(1.0);

    let mut machines: Vec<MachineState> = problem
        .machines
        .iter()
        .enumerate()
        .map(|(m, _)| MachineState {
            slot: MachineSlot::empty(problem, MachineId(m as u32)),
            pending_pins: Vec::new(),
        })
        .collect();
    for (i, op) in problem.ops.iter().enumerate() {
        if let Some(pin) = op.pinned {
            machines[pin.machine.idx()]
                .pending_pins
                .push(OpId(i as u32));
        }
    }
    for m in &mut machines {
        m.pending_pins
            .sort_by_key(|&o| std::cmp::Reverse(problem.op(o).pinned.unwrap().start));
    }

    let mut seq = Sequence::new(
        vec![MachineId(0); n],
        vec![Vec::new(); problem.machines.len()],
    );
    let mut end = vec![0; n];
    let mut committed = vec![false; n];
    let mut next_of_job: Vec<u32> = problem.jobs.iter().map(|j| j.first_op).collect();
    let mut scheduled = 0;
    // Secondary resources and materials: candidates are placed where those allow too, and the
    // commit order becomes the decoder's priority (so the decoder reproduces this schedule).
    let mut sec = problem.has_secondary().then(|| {
        let mut s = Engine::default();
        s.reset(problem);
        s
    });
    if sec.is_some() {
        seq.priority = vec![u32::MAX; n];
    }
    let mut commits = 0u32;
    let mut pool = Pool::new(
        problem.jobs.len(),
        problem.machines.len(),
        (0..problem.jobs.len())
            .map(|j| boost.get(j).copied().unwrap_or(false))
            .collect(),
    );
    let mut step = 0u64;
    let mut conflict: Vec<Candidate> = Vec::new();

    while scheduled < n {
        step += 1;
        if step.is_multiple_of(CANCEL_EVERY) && cancel() {
            return None;
        }
        if sec.is_some() {
            // Every commit changed the shared resource state: recompute every candidate.
            (0..problem.jobs.len()).for_each(|j| pool.mark_stale(j));
        }
        let stale = pool.take_stale();
        for &j in &stale {
            let j = j as usize;
            let job = &problem.jobs[j];
            // Skip over pinned operations committed ahead of their turn.
            while next_of_job[j] < job.first_op + job.op_count && committed[next_of_job[j] as usize]
            {
                next_of_job[j] += 1;
                scheduled += 1;
            }
            if next_of_job[j] == job.first_op + job.op_count {
                pool.set(j, None, None);
                continue;
            }
            let o = OpId(next_of_job[j]);
            let c = best_mode(problem, &machines, &seq, &end, o, sec.as_mut());
            let mut modes = problem.op(o).modes.iter().map(|md| md.machine);
            // Watched only while no shared resource state can change it.
            let watch = sec
                .is_none()
                .then_some((o, &mut modes as &mut dyn Iterator<Item = MachineId>));
            pool.set(j, c, watch);
        }
        pool.give_back(stale);
        if pool.is_empty() && sec.is_some() {
            starved = (0..problem.jobs.len())
                .filter(|&j| next_of_job[j] < problem.jobs[j].first_op + problem.jobs[j].op_count)
                .filter(|&j| !problem.op(OpId(next_of_job[j])).consume.is_empty())
                .collect();
            // Every next operation waits for material no placed job produces yet (or a
            // resource that never frees): place the rest by machine and job alone; the
            // decoder will say whether the result holds.
            sec = None;
            continue;
        }
        // The machine where the earliest completion happens, and its conflict set (among the
        // boosted candidates when there are any).
        let Some((first, restricted)) = pool.first() else {
            break;
        };
        pool.starting_before(
            first.machine,
            first.end.max(first.start + 1),
            restricted,
            &mut conflict,
        );
        let chosen = conflict
            .iter()
            .copied()
            .max_by(|a, b| {
                let pa = priority(problem, rule, a, &remaining, mean_dur, mean_setup);
                let pb = priority(problem, rule, b, &remaining, mean_dur, mean_setup);
                pa.total_cmp(&pb).then(b.op.cmp(&a.op))
            })
            .unwrap_or(first);
        let m = chosen.machine;
        // Every commit below (a pending pin, the chosen operation) is on `m` and moves on the
        // jobs of the operations committed.
        pool.machine_changed(m, |j, o| next_of_job[j] == o.0);
        pool.mark_stale(problem.op(chosen.op).job.idx());
        if let Some(p) = chosen.after_pin {
            pool.mark_stale(problem.op(p).job.idx());
        }
        if let Some(p) = chosen.after_pin {
            commit_pin(
                problem,
                &mut machines,
                &mut seq,
                &mut end,
                &mut committed,
                p,
                sec.as_mut(),
            );
        }
        let o = chosen.op;
        if problem.op(o).pinned.is_some() {
            commit_pin(
                problem,
                &mut machines,
                &mut seq,
                &mut end,
                &mut committed,
                o,
                sec.as_mut(),
            );
            // Counted when the job's pointer passes it.
            continue;
        }
        if let Some(s) = sec.as_mut() {
            book(problem, s, &chosen, o, m);
        }
        if !seq.priority.is_empty() {
            seq.priority[o.idx()] = commits;
        }
        commits += 1;
        seq.machine_of[o.idx()] = m;
        seq.order[m.idx()].push(o);
        end[o.idx()] = chosen.end;
        committed[o.idx()] = true;
        machines[m.idx()].slot = MachineSlot::after(problem, o, chosen.end);
    }
    Some((seq, starved))
}

/// Books the secondary resources and materials of a chosen candidate (placed again, as the
/// candidates' scratch state is gone), and the job's production when this completes it.
fn book(problem: &Problem, engine: &mut Engine, c: &Candidate, o: OpId, m: MachineId) {
    let op = problem.op(o);
    let q = Request {
        op: o,
        machine: m,
        free: c.free,
        ready: c.ready,
        setup: c.setup,
        duration: c.duration,
        atomic: op.atomic,
    };
    if let Ok(f) = engine.fit(problem, &q) {
        engine.commit(problem, &q, &f.placement);
    }
    let job = problem.job(op.job);
    if o == job.last_op() {
        engine.produce(problem, op.job, c.end);
    }
}

/// Puts pinned operation `p` on its machine at its pin.
#[allow(clippy::too_many_arguments)]
fn commit_pin(
    problem: &Problem,
    machines: &mut [MachineState],
    seq: &mut Sequence,
    end: &mut [Minute],
    committed: &mut [bool],
    p: OpId,
    engine: Option<&mut Engine>,
) {
    if committed[p.idx()] {
        return;
    }
    let op = problem.op(p);
    let m = op.pinned.expect("pinned").machine;
    let ms = &mut machines[m.idx()];
    ms.pending_pins.retain(|&x| x != p);
    let (pl, setup) = pin::place_pinned(problem, &ms.slot, p);
    if let Some(s) = engine {
        let q = Request {
            op: p,
            machine: m,
            free: ms.slot.free,
            ready: op.pinned.expect("pinned").start,
            setup,
            duration: op.duration_on(m).unwrap_or(0),
            atomic: op.atomic,
        };
        if let Ok(f) = s.fit(problem, &q) {
            s.commit(problem, &q, &f.placement);
        }
        if p == problem.job(op.job).last_op() {
            s.produce(problem, op.job, pl.end);
        }
    }
    if !seq.priority.is_empty() {
        // Pinned operations go first in the decoder anyway; keep them early here too.
        seq.priority[p.idx()] = 0;
    }
    seq.machine_of[p.idx()] = m;
    seq.order[m.idx()].push(p);
    end[p.idx()] = pl.end;
    committed[p.idx()] = true;
    ms.slot = MachineSlot::after(problem, p, pl.end);
}

/// The earliest-completing machine for `o` given the machines' states: each mode placed by the
/// engine's rules (routing, pin, machine; resources and materials with `engine`), after a
/// pending pinned operation on the machine when it would not leave room for that one.
fn best_mode(
    problem: &Problem,
    machines: &[MachineState],
    seq: &Sequence,
    end: &[Minute],
    o: OpId,
    mut engine: Option<&mut Engine>,
) -> Option<Candidate> {
    let op = problem.op(o);
    let pred = problem.pred(o).map(|p| PredPlaced {
        op: p,
        machine: seq.machine_of[p.idx()],
        end: end[p.idx()],
    });
    let mut best: Option<Candidate> = None;
    for mode in &op.modes {
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
        if let Some(s) = engine.as_deref_mut() {
            let q = Request {
                op: o,
                machine: m,
                free: slot.free,
                ready,
                setup,
                duration: mode.duration,
                atomic: op.atomic,
            };
            match s.fit(problem, &q) {
                Ok(f) => pl = f.placement,
                Err(_) => continue,
            }
        }
        let c = Candidate {
            op: o,
            machine: m,
            setup,
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
