//! From the MIP's columns back to a schedule the evaluator computed: the machine assignment and
//! each machine's order are read from the solution, and the times come from the one decoder.
//!
//! For a regular objective (every term non-decreasing in the completion times, i.e. all but
//! earliness) the decoded, left-justified schedule is at least as good as the MIP's own times:
//! the decoder starts every operation as early as the same assignment and order allow, and the
//! changeovers are the same because the order is. With earliness, waiting can pay, so the MIP's
//! own (rounded) times are also tried, through the referee.

use super::formulation::{Col, Meta};
use crate::check::check;
use crate::engine::{machine, MachineSlot};
use crate::eval::{evaluate_schedule, Decoder, Evaluation, Sequence};
use crate::model::{MachineId, Minute, OpId, Problem};
use crate::schedule::{Schedule, ScheduledOp};

/// The schedule read from a column vector.
pub(crate) struct Extracted {
    pub sequence: Sequence,
    pub schedule: Schedule,
    pub evaluation: Evaluation,
    /// Whether the schedule keeps the MIP's own times (earliness) instead of the decoder's.
    pub timed: bool,
}

/// The start of each operation in a solution: its `S` column, or in the time-indexed model
/// the minute whose start column is 1.
fn read_starts(meta: &Meta, values: &[f64], start: &mut [f64]) {
    for (i, c) in meta.cols.iter().enumerate() {
        match *c {
            Col::Start(o) => start[o.idx()] = values[i],
            Col::StartsAt(o, t) if values[i] > 0.5 => start[o.idx()] = t as f64,
            _ => {}
        }
    }
}

/// Machine assignment and per-machine order of a solution.
pub(crate) fn sequence_of(problem: &Problem, meta: &Meta, values: &[f64]) -> Sequence {
    let n = problem.ops.len();
    let mut start = vec![0.0; n];
    read_starts(meta, values, &mut start);
    let machine_of: Vec<MachineId> = meta
        .modes
        .iter()
        .map(|ms| {
            let val = |m: &super::formulation::ModeCol| -> f64 {
                m.pieces.iter().map(|p| meta.lit_value(values, p.lit)).sum()
            };
            ms.iter()
                .max_by(|a, b| val(a).total_cmp(&val(b)))
                .expect("every operation has a mode")
                .machine
        })
        .collect();
    let same_job = |i: OpId, j: OpId| problem.op(i).job == problem.op(j).job;
    let before = |i: OpId, j: OpId| -> bool {
        if same_job(i, j) {
            return i < j;
        }
        let (a, b) = if i < j { (i, j) } else { (j, i) };
        let x = meta.order.get(&(a, b)).map_or_else(
            // Never on one machine in the model: order by start.
            || (start[a.idx()], a) < (start[b.idx()], b),
            |&v| meta.value(values, v) > 0.5,
        );
        if i < j {
            x
        } else {
            !x
        }
    };
    let mut order: Vec<Vec<OpId>> = vec![Vec::new(); problem.machines.len()];
    for (o, &m) in machine_of.iter().enumerate() {
        order[m.idx()].push(OpId(o as u32));
    }
    for list in &mut order {
        // Position = number of operations on the machine that come before (the order is a
        // total order on one machine's operations).
        let pos: Vec<usize> = list
            .iter()
            .map(|&o| list.iter().filter(|&&k| k != o && before(k, o)).count())
            .collect();
        let mut keyed: Vec<(usize, f64, OpId)> = list
            .iter()
            .zip(&pos)
            .map(|(&o, &p)| (p, start[o.idx()], o))
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        *list = keyed.into_iter().map(|k| k.2).collect();
    }
    Sequence::new(machine_of, order)
}

/// The same sequence ordered by the MIP's start times (a fallback).
fn by_start(problem: &Problem, meta: &Meta, values: &[f64], seq: &Sequence) -> Sequence {
    let mut start = vec![0.0; problem.ops.len()];
    read_starts(meta, values, &mut start);
    let mut out = seq.clone();
    for list in &mut out.order {
        list.sort_by(|a, b| start[a.idx()].total_cmp(&start[b.idx()]).then(a.cmp(b)));
    }
    out
}

/// The MIP's own start times, rounded, as a schedule (ends and changeovers from the calendar).
fn timed_schedule(problem: &Problem, meta: &Meta, values: &[f64], seq: &Sequence) -> Schedule {
    let mut starts = vec![0.0; problem.ops.len()];
    read_starts(meta, values, &mut starts);
    let start: Vec<Minute> = starts.iter().map(|s| s.round() as Minute).collect();
    let mut ops = Vec::with_capacity(problem.ops.len());
    for (mi, list) in seq.order.iter().enumerate() {
        let m = MachineId(mi as u32);
        let av = &problem.machine(m).availability;
        // The engine's machine rule: the changeover from the family before, the end in
        // working time; the start is the MIP's own (not the earliest).
        let mut slot = MachineSlot::empty(problem, m);
        for &o in list {
            let op = problem.op(o);
            let c = slot.setup(problem, m, op.family);
            let s = start[o.idx()];
            let end = machine::end_of(av, s, op.duration_on(m).unwrap_or(0), op.atomic);
            ops.push(ScheduledOp {
                op: o,
                machine: m,
                setup_start: machine::setup_start_before(av, s, c),
                start: s,
                end,
            });
            slot = MachineSlot::after(problem, o, end);
        }
    }
    let mut sched = Schedule {
        ops,
        ..Default::default()
    };
    sched.sort();
    sched
}

/// Reads the schedule out of a solution. `None` if no sequence read from it decodes (which
/// would be a modelling error).
pub(crate) fn extract(problem: &Problem, meta: &Meta, values: &[f64]) -> Option<Extracted> {
    let mut dec = Decoder::new(problem);
    let mut seq = sequence_of(problem, meta, values);
    if dec.decode(problem, &seq).is_err() {
        seq = by_start(problem, meta, values, &seq);
        dec.decode(problem, &seq).ok()?;
    }
    let mut best = Extracted {
        schedule: dec.to_schedule(problem, &seq),
        evaluation: dec.evaluate(problem),
        sequence: seq,
        timed: false,
    };
    if problem.objective.earliness > 0.0 {
        let timed = timed_schedule(problem, meta, values, &best.sequence);
        if check(problem, &timed).is_empty() {
            let ev = evaluate_schedule(problem, &timed);
            if ev.better_than(&best.evaluation) {
                best.sequence = Sequence::from_schedule(problem, &timed);
                best.schedule = timed;
                best.evaluation = ev;
                best.timed = true;
            }
        }
    }
    Some(best)
}
