//! `takt reschedule`: repair a plan after disruptions, as library calls.
//!
//! 1. The events are checked against the instance; the state at `now` is worked out (`freeze`).
//! 2. The events and that state patch the instance (`apply`): the *patched instance*, which
//!    `--write-instance` writes and `takt check` accepts like any instance.
//! 3. Right-shift repair: the old plan's machine sequences (cancelled operations removed, new
//!    ones appended on their best machine) decoded in the patched instance, i.e. every
//!    operation as early as possible in its old order.
//! 4. Operations of the frozen window are pinned where the right-shift repair puts them (same
//!    machine, same order).
//! 5. Local search from the right-shift repair (new operations first moved to their best
//!    position), minimising the instance objective plus the stability term.

use super::apply::{patch, pin_ops};
use super::changes::{self, ChangeReport};
use super::edit::{load_raw, to_text};
use super::events::{load_events, Event, Events};
use super::freeze::{status, Status};
use crate::check::check;
use crate::eval::{compute_kpis, Decoder, Sequence};
use crate::model::load::DocFormat;
use crate::model::raw::RawInstance;
use crate::model::validate::validate;
use crate::model::write::json_text;
use crate::model::{Diagnostic, InputError, MachineId, Minute, OpId, Problem, Stability};
use crate::report::kpi_table;
use crate::schedule::{
    format_of, read_schedule, write_atomic, write_schedule, Schedule, ScheduledOp,
};
use crate::solve::search::{search_from, SearchConfig};
use crate::solve::{describe, finish, SolveResult};
use std::path::PathBuf;
use std::time::Instant;

/// Options of `takt reschedule`.
#[derive(Debug, Clone)]
pub struct RescheduleOptions {
    pub instance: PathBuf,
    pub schedule: PathBuf,
    pub events: PathBuf,
    /// Minutes from the horizon start, or an ISO datetime.
    pub now: String,
    /// Length of the frozen window, minutes.
    pub freeze: Minute,
    /// Cost per hour an operation's start moves.
    pub stability: f64,
    /// Cost per operation on another machine (default: 4 × `stability`).
    pub machine_change: Option<f64>,
    /// Cost per operation that keeps its machine but gets another predecessor there
    /// (default: 2 × `stability`).
    pub sequence_change: Option<f64>,
    pub search: SearchConfig,
    pub output: Option<PathBuf>,
    pub write_instance: Option<PathBuf>,
    pub changes: Option<PathBuf>,
    pub quiet: bool,
    /// Re-optimise only operations the events reach: an operation the right-shift repair
    /// leaves on its old machine at its old start stays there (pinned, status `kept`).
    pub only_affected: bool,
}

/// Everything a repair produces.
#[derive(Debug, Clone)]
pub struct Repair {
    /// The original instance and plan.
    pub original: Problem,
    pub plan: Schedule,
    /// The patched instance (events, state at `now`, frozen pins) with the stability term.
    pub problem: Problem,
    /// The patched instance as written.
    pub instance: RawInstance,
    /// The right-shift repair and the rescheduled plan (both schedules of `problem`).
    pub right_shift: SolveResult,
    pub result: SolveResult,
    pub changes: ChangeReport,
    pub status: Status,
    /// Old placement of each operation of `problem` (`None` for new ones).
    pub old: Vec<Option<ScheduledOp>>,
    pub iterations: u64,
}

/// The default cost of putting an operation on another machine: four hours' worth of start
/// moves.
pub fn default_machine_change(stability: f64) -> f64 {
    4.0 * stability
}

/// The default cost of a sequence change: two hours' worth of moving.
pub fn default_sequence_change(stability: f64) -> f64 {
    2.0 * stability
}

fn bad(file: &str, path: &str, msg: impl Into<String>) -> InputError {
    InputError::invalid(file, vec![Diagnostic::at(path, msg)])
}

/// Checks `--freeze` and `--stability` and resolves the machine- and sequence-change weights
/// (defaults derived from `--stability`), so `repair` starts from validated options.
fn change_weights(opts: &RescheduleOptions) -> Result<(f64, f64), InputError> {
    if opts.freeze < 0 {
        return Err(bad("--freeze", "", "the frozen window cannot be negative"));
    }
    if !(opts.stability.is_finite() && opts.stability >= 0.0) {
        return Err(bad("--stability", "", "must be a number ≥ 0"));
    }
    let machine_change = opts
        .machine_change
        .unwrap_or_else(|| default_machine_change(opts.stability));
    if !(machine_change.is_finite() && machine_change >= 0.0) {
        return Err(bad("--machine-change", "", "must be a number ≥ 0"));
    }
    let sequence_change = opts
        .sequence_change
        .unwrap_or_else(|| default_sequence_change(opts.stability));
    if !(sequence_change.is_finite() && sequence_change >= 0.0) {
        return Err(bad("--sequence-change", "", "must be a number ≥ 0"));
    }
    Ok((machine_change, sequence_change))
}

/// Old tardiness per job of the patched instance (old due dates): `None` for a job the old
/// plan did not have (a rush order), so the change report can tell new jobs apart.
fn old_tardiness(original: &Problem, plan: &Schedule, p2: &Problem) -> Vec<Option<Minute>> {
    let mut old_completion = vec![Minute::MIN; original.jobs.len()];
    for s in &plan.ops {
        let j = original.op(s.op).job.idx();
        old_completion[j] = old_completion[j].max(s.end);
    }
    p2.jobs
        .iter()
        .map(|j| {
            let oj = original.job_by_id(&j.id)?;
            let job = original.job(oj);
            Some(job.due.map_or(0, |d| (old_completion[oj.idx()] - d).max(0)))
        })
        .collect()
}

/// Each operation's predecessor on its machine in the old plan, among the operations the
/// patched instance still has (what the change report compares against).
fn baseline_predecessors(p1: &Problem, old: &[Option<ScheduledOp>]) -> Vec<Option<OpId>> {
    let mut baseline_pred: Vec<Option<OpId>> = vec![None; p1.ops.len()];
    let mut by_machine: Vec<Vec<(Minute, Minute, OpId)>> = vec![Vec::new(); p1.machines.len()];
    for s in old.iter().flatten() {
        by_machine[s.machine.idx()].push((s.start, s.end, s.op));
    }
    for list in &mut by_machine {
        list.sort_unstable();
        for w in list.windows(2) {
            baseline_pred[w[1].2.idx()] = Some(w[0].2);
        }
    }
    baseline_pred
}

/// Each operation's placement in the plan to repair, indexed like the original instance; an
/// error when the plan leaves one out, a warning (unless quiet) when it breaks rules (it is
/// repaired anyway: that may be why it is being repaired).
fn plan_placements(
    opts: &RescheduleOptions,
    original: &Problem,
    plan: &Schedule,
) -> Result<Vec<Option<ScheduledOp>>, InputError> {
    let sched_file = opts.schedule.display().to_string();
    let mut baseline: Vec<Option<ScheduledOp>> = vec![None; original.ops.len()];
    for s in &plan.ops {
        baseline[s.op.idx()] = Some(*s);
    }
    if let Some(o) = baseline.iter().position(Option::is_none) {
        return Err(bad(
            &sched_file,
            "",
            format!(
                "the plan does not place {} (a plan to repair places every operation)",
                original.op_name(OpId(o as u32))
            ),
        ));
    }
    let violations = check(original, plan);
    if !violations.is_empty() && !opts.quiet {
        eprintln!(
            "warning: {sched_file}: the plan breaks {} rule(s) of the instance (first: {}); repairing it anyway",
            violations.len(),
            violations[0].message
        );
    }
    Ok(baseline)
}

/// Old placement and status (`new`, `started`, `frozen` or `free`) of each operation of the
/// patched instance `p1`, matched to the original by job and operation id (the patch renumbers
/// operations when jobs are cancelled or added).
fn old_placements(
    original: &Problem,
    baseline: &[Option<ScheduledOp>],
    st: &Status,
    p1: &Problem,
) -> (Vec<Option<ScheduledOp>>, Vec<&'static str>) {
    let mut old: Vec<Option<ScheduledOp>> = vec![None; p1.ops.len()];
    let mut state: Vec<&'static str> = vec!["new"; p1.ops.len()];
    for (i, op) in p1.ops.iter().enumerate() {
        let job = &p1.job(op.job).id;
        if let Some(oj) = original.job_by_id(job) {
            if let Some(oo) = original.op_by_id(oj, &op.id) {
                old[i] = baseline[oo.idx()].map(|s| ScheduledOp {
                    op: OpId(i as u32),
                    ..s
                });
                state[i] = if st.started[oo.idx()] {
                    "started"
                } else if st.frozen[oo.idx()] {
                    "frozen"
                } else {
                    "free"
                };
            }
        }
    }
    (old, state)
}

/// The rescheduled plan's header: solver, status, objective, its nonzero terms plus the
/// stability term (which the instance's own objective does not name), and time taken.
fn label_result(p2: &Problem, result: &mut SolveResult, started: Instant) {
    let ev = result.evaluation;
    let info = &mut result.schedule.info;
    info.solver = Some(format!("reschedule: {}", result.method));
    info.status = Some(if ev.feasible() {
        "feasible".into()
    } else {
        "deadlines-missed".into()
    });
    info.objective = Some(ev.value);
    info.terms = ev
        .named_terms()
        .iter()
        .zip(p2.objective.as_array())
        .filter(|(_, w)| *w != 0.0)
        .map(|((n, v), _)| (n.to_string(), *v))
        .chain([("stability".to_string(), ev.terms.stability)])
        .collect();
    info.seconds = Some(started.elapsed().as_secs_f64());
}

/// Runs a repair (no printing but progress). Errors are bad input (exit 2).
pub fn repair(opts: &RescheduleOptions, started: Instant) -> Result<Repair, InputError> {
    let (raw, original) = load_raw(&opts.instance)?;
    let plan = read_schedule(&original, &opts.schedule)?;
    let now = crate::report::dispatch_list::parse_instant(&original, &opts.now)
        .map_err(|e| bad("--now", "", e))?;
    let (machine_change, sequence_change) = change_weights(opts)?;
    let events = load_events(&opts.events, &original)?;
    let baseline = plan_placements(opts, &original, &plan)?;
    let st = status(&original, &baseline, &events, now, opts.freeze);
    let v1 = patch(&raw, &original, &baseline, &events, &st, now)
        .map_err(|d| InputError::invalid(&events.file, d))?;
    let rush_base = v1.jobs.len() - rush_orders(&events).len();
    let p1 = validate(&v1).map_err(|d| patched_error(&events, rush_base, d))?;

    let (old, mut state) = old_placements(&original, &baseline, &st, &p1);
    let baseline_pred = baseline_predecessors(&p1, &old);
    let stability = Stability {
        baseline: old
            .iter()
            .map(|s| s.map(|s| (s.machine, s.start)))
            .collect(),
        machine_change,
        per_minute: opts.stability / 60.0,
        baseline_pred,
        sequence_change,
    };
    // The repair's objective: the instance's plus the stability term (checked against p1).
    let stability_mismatch =
        |e: crate::model::StabilityMismatch| bad(&events.file, "", format!("internal error: {e}"));
    let p1 = p1
        .with_stability(stability.clone())
        .map_err(stability_mismatch)?;

    // Right-shift repair in the patched instance.
    let rs_seq = right_shift_sequence(&p1, &old);
    let mut dec = Decoder::new(&p1);
    dec.decode(&p1, &rs_seq).map_err(|e| {
        bad(
            &events.file,
            "",
            format!(
                "the plan cannot be repaired in its old order: {}",
                describe(&p1, &e)
            ),
        )
    })?;
    if opts.only_affected {
        for o in 0..p1.ops.len() {
            if state[o] == "free"
                && old[o].is_some_and(|s| s.machine == dec.machine[o] && s.start == dec.start[o])
            {
                state[o] = "kept";
            }
        }
    }
    let pins: Vec<(OpId, MachineId, Minute)> = (0..p1.ops.len())
        .filter(|&o| matches!(state[o], "frozen" | "kept"))
        .map(|o| (OpId(o as u32), dec.machine[o], dec.start[o]))
        .collect();
    let mut v2 = v1;
    pin_ops(&mut v2, &p1, &pins);
    let p2 = validate(&v2)
        .map_err(|d| patched_error(&events, rush_base, d))?
        .with_stability(stability)
        .map_err(stability_mismatch)?;
    let right_shift = finish(&p2, rs_seq.clone(), "right-shift repair".into())
        .map_err(|e| bad(&events.file, "", format!("right-shift repair failed: {e}")))?;
    let warm = insert_new_ops(&p2, rs_seq, &old);
    let initial = finish(&p2, warm, "right-shift repair".into())
        .map_err(|e| bad(&events.file, "", format!("right-shift repair failed: {e}")))?;
    let outcome = search_from(&p2, &opts.search, initial, started)
        .map_err(|e| bad(&events.file, "", e.to_string()))?;
    let mut result = outcome.result;
    label_result(&p2, &mut result, started);

    let old_tardiness = old_tardiness(&original, &plan, &p2);
    let removed = original
        .ops
        .iter()
        .filter(|o| p2.job_by_id(&original.job(o.job).id).is_none())
        .count();
    let changes = changes::compare(&p2, &old, &state, &result.schedule, &old_tardiness, removed);
    Ok(Repair {
        original,
        plan,
        problem: p2,
        instance: v2,
        right_shift,
        result,
        changes,
        status: st,
        old,
        iterations: outcome.iterations,
    })
}

/// `takt reschedule`: repairs, prints the change report and KPIs, writes the outputs.
/// `Ok(false)` (exit 1) when a hard deadline is missed or the referee rejects the result.
pub fn reschedule_command(opts: &RescheduleOptions) -> Result<bool, InputError> {
    // The command's start (`opts.search.started`), else now: the limit covers the whole repair.
    let started = opts.search.clock();
    if let Some(o) = &opts.output {
        format_of(o)?;
    }
    for (flag, p, exts) in [
        (
            "--write-instance",
            &opts.write_instance,
            &["yaml", "yml", "json"][..],
        ),
        ("--changes", &opts.changes, &["csv"][..]),
    ] {
        if let Some(p) = p {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !exts.contains(&ext) {
                return Err(bad(
                    &p.display().to_string(),
                    "",
                    format!("{flag} writes .{}", exts.join(" or .")),
                ));
            }
        }
    }
    let r = repair(opts, started)?;
    let p = &r.problem;
    // Missed hard deadlines are reported below (exit 1); anything else would be a bug.
    let violations: Vec<_> = check(p, &r.result.schedule)
        .into_iter()
        .filter(|v| v.rule != crate::check::Rule::Deadline)
        .collect();
    if !violations.is_empty() {
        for v in &violations {
            eprintln!(
                "internal error: referee rejects the repaired schedule: {}",
                v.message
            );
        }
        return Ok(false);
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("{}", p.summary());
    println!(
        "rescheduled in {seconds:.3} s ({} iterations): {}",
        r.iterations, r.result.method
    );
    let count = |s: &str| (0..p.ops.len()).filter(|&o| op_state(&r, o) == s).count();
    println!(
        "operations: {} started (pinned), {} frozen (pinned in the window), {} unaffected (kept), {} re-optimised, {} new",
        count("started"),
        count("frozen"),
        count("kept"),
        count("free"),
        count("new")
    );
    print!("{}", changes::render(p, &r.changes, 10));
    println!(
        "stability cost: right-shift repair {:.2}, rescheduled {:.2}",
        r.right_shift.evaluation.terms.stability, r.result.evaluation.terms.stability
    );
    // KPIs without the stability term: the instance's own objective, comparable across columns.
    let plain = p.without_stability();
    println!("KPIs (the instance's objective, without the stability term):");
    let k_plan = compute_kpis(&r.original, &r.plan);
    let k_rs = compute_kpis(&plain, &r.right_shift.schedule);
    let k_new = compute_kpis(&plain, &r.result.schedule);
    print!(
        "{}",
        kpi_table(
            &plain,
            &[
                ("plan (original)", &k_plan),
                ("right-shift repair", &k_rs),
                ("rescheduled", &k_new),
            ]
        )
    );
    let misses = deadline_misses(p, &r.result.schedule);
    for (j, c, by) in &misses {
        let msg = format!(
            "DEADLINE MISSED: job {} completes {}, {} after its hard deadline {}{}",
            p.job(*j).id,
            p.datetime(*c),
            crate::report::fmt_minutes(*by),
            p.datetime(p.job(*j).deadline.unwrap_or(0)),
            if r.old[p.job(*j).first_op as usize].is_none() {
                " (a new order: the repair found no way to meet it)"
            } else {
                ""
            }
        );
        println!("{msg}");
        eprintln!("{msg}");
    }
    if let Some(o) = &opts.output {
        write_schedule(p, &r.result.schedule, o)?;
        if !opts.quiet {
            eprintln!("wrote {}", o.display());
        }
    }
    if let Some(o) = &opts.write_instance {
        let header = format!(
            "{} patched by takt reschedule: events {}, now {}\nstarted operations pinned, others not before now, frozen window pinned",
            opts.instance.display(),
            opts.events.display(),
            p.datetime(parse_now(&r.original, &opts.now))
        );
        let text = match DocFormat::of(o) {
            DocFormat::Json => json_text(&r.instance),
            DocFormat::Yaml => to_text(&header, &r.instance),
        };
        write_atomic(o, &text).map_err(|source| InputError::Io {
            file: o.display().to_string(),
            source,
        })?;
        if !opts.quiet {
            eprintln!("wrote {}", o.display());
        }
    }
    if let Some(o) = &opts.changes {
        write_atomic(o, &changes::csv(p, &r.changes)).map_err(|source| InputError::Io {
            file: o.display().to_string(),
            source,
        })?;
        if !opts.quiet {
            eprintln!("wrote {}", o.display());
        }
    }
    Ok(misses.is_empty())
}

fn parse_now(p: &Problem, s: &str) -> Minute {
    crate::report::dispatch_list::parse_instant(p, s).unwrap_or(0)
}

fn op_state(r: &Repair, o: usize) -> &'static str {
    r.changes
        .ops
        .iter()
        .find(|c| c.op.idx() == o)
        .map_or("new", |c| c.status)
}

/// Jobs past their hard deadline: (job, completion, minutes late).
pub fn deadline_misses(p: &Problem, s: &Schedule) -> Vec<(crate::model::JobId, Minute, Minute)> {
    let mut completion = vec![Minute::MIN; p.jobs.len()];
    for x in &s.ops {
        let j = p.op(x.op).job.idx();
        completion[j] = completion[j].max(x.end);
    }
    p.jobs
        .iter()
        .enumerate()
        .filter_map(|(j, job)| {
            let dl = job.deadline?;
            (completion[j] > dl).then(|| {
                (
                    crate::model::JobId(j as u32),
                    completion[j],
                    completion[j] - dl,
                )
            })
        })
        .collect()
}

fn rush_orders(events: &Events) -> Vec<usize> {
    events
        .list
        .iter()
        .filter(|(_, e)| matches!(e, Event::RushOrder { .. }))
        .map(|(i, _)| *i)
        .collect()
}

/// Validation errors of the patched instance, as errors of the events file: those inside a rush
/// order's job point at the event (`events[3].rush_order.operations[0].machines`), the others
/// name the patched instance's path.
fn patched_error(events: &Events, rush_base: usize, diags: Vec<Diagnostic>) -> InputError {
    let rush = rush_orders(events);
    let out = diags
        .into_iter()
        .map(|mut d| {
            let mapped = d.path.strip_prefix("jobs[").and_then(|rest| {
                let (k, tail) = rest.split_once(']')?;
                let k: usize = k.parse().ok()?;
                let i = *rush.get(k.checked_sub(rush_base)?)?;
                Some(format!("events[{i}].rush_order{tail}"))
            });
            match mapped {
                Some(p) => d.path = p,
                None => {
                    d.message = format!(
                        "with the events applied, the instance breaks a rule at {}: {}",
                        if d.path.is_empty() { "(top)" } else { &d.path },
                        d.message
                    );
                    d.path = String::new();
                }
            }
            d
        })
        .collect();
    InputError::invalid(&events.file, out)
}

/// The old plan's sequences in the patched instance: operations of the old plan on their old
/// machine in their old start order; new operations appended, each on the machine where the
/// schedule so far is best.
pub fn right_shift_sequence(p: &Problem, old: &[Option<ScheduledOp>]) -> Sequence {
    let n = p.ops.len();
    let mut machine_of = vec![MachineId(0); n];
    let mut order: Vec<Vec<OpId>> = vec![Vec::new(); p.machines.len()];
    let mut kept: Vec<ScheduledOp> = old.iter().flatten().copied().collect();
    kept.sort_by_key(|s| (s.start, s.end, s.op));
    for s in &kept {
        machine_of[s.op.idx()] = s.machine;
        order[s.machine.idx()].push(s.op);
    }
    let new_ops: Vec<OpId> = (0..n as u32)
        .map(OpId)
        .filter(|o| old[o.idx()].is_none())
        .collect();
    // Append new operations one by one (routing order), on their best machine.
    let mut dec = Decoder::new(p);
    for &o in &new_ops {
        let mut best: Option<(crate::eval::Evaluation, MachineId)> = None;
        for mode in &p.op(o).modes {
            let m = mode.machine;
            machine_of[o.idx()] = m;
            order[m.idx()].push(o);
            if let Ok(ev) = partial_eval(p, &mut dec, &machine_of, &order, &new_ops, o) {
                if best.as_ref().is_none_or(|(b, _)| ev.better_than(b)) {
                    best = Some((ev, m));
                }
            }
            order[m.idx()].pop();
        }
        let m = best.map_or(p.op(o).modes[0].machine, |(_, m)| m);
        machine_of[o.idx()] = m;
        order[m.idx()].push(o);
    }
    Sequence::new(machine_of, order)
}

/// Evaluates a sequence in which the new operations after `upto` are not placed yet: they are
/// appended temporarily to their first machine (after everything), which does not affect the
/// operations placed before them.
fn partial_eval(
    p: &Problem,
    dec: &mut Decoder,
    machine_of: &[MachineId],
    order: &[Vec<OpId>],
    new_ops: &[OpId],
    upto: OpId,
) -> Result<crate::eval::Evaluation, crate::eval::DecodeError> {
    let mut machine_of = machine_of.to_vec();
    let mut order = order.to_vec();
    for &o in new_ops.iter().filter(|&&o| o > upto) {
        let m = p.op(o).modes[0].machine;
        machine_of[o.idx()] = m;
        order[m.idx()].push(o);
    }
    let seq = Sequence::new(machine_of, order);
    dec.decode(p, &seq)?;
    Ok(dec.evaluate(p))
}

/// Moves each new operation to its best machine and position (every position tried, by the one
/// evaluator), one after the other in routing order.
pub fn insert_new_ops(p: &Problem, mut seq: Sequence, old: &[Option<ScheduledOp>]) -> Sequence {
    let mut dec = Decoder::new(p);
    let new_ops: Vec<OpId> = (0..p.ops.len() as u32)
        .map(OpId)
        .filter(|o| old[o.idx()].is_none())
        .collect();
    for &o in &new_ops {
        // Current placement as the fallback.
        let m0 = seq.machine_of[o.idx()];
        let Some(k0) = seq.order[m0.idx()].iter().position(|&x| x == o) else {
            continue;
        };
        let mut best = match dec.decode(p, &seq) {
            Ok(()) => (dec.evaluate(p), m0, k0),
            Err(_) => continue,
        };
        seq.order[m0.idx()].remove(k0);
        for mode in &p.op(o).modes {
            let m = mode.machine;
            seq.machine_of[o.idx()] = m;
            for k in 0..=seq.order[m.idx()].len() {
                seq.order[m.idx()].insert(k, o);
                if dec.decode(p, &seq).is_ok() {
                    let ev = dec.evaluate(p);
                    if ev.better_than(&best.0) {
                        best = (ev, m, k);
                    }
                }
                seq.order[m.idx()].remove(k);
            }
        }
        let (_, m, k) = best;
        seq.machine_of[o.idx()] = m;
        seq.order[m.idx()].insert(k, o);
    }
    seq
}
