//! The exact solver: the instance as a mixed-integer model, built with good_lp and solved by
//! HiGHS. Two formulations: the disjunctive model with continuous start times
//! (`models/disjunctive.md`; every feature, calendars included) and, for one-machine instances,
//! the time-indexed model (`models/time-indexed.md`; a far stronger relaxation).
//!
//! * [`solve_mip`] runs the dispatching heuristic first (its objective tightens the horizon and
//!   the big-M constants, its schedule is the warm start), then HiGHS; [`solve_mip_from`] takes
//!   any other solver's result instead. The schedule returned went through the one decoder: the
//!   MIP gives the machine assignment and each machine's order.
//! * [`export_model`] writes the model as an `.lp` or `.mps` file, as HiGHS reads it.
//! * Refusals are [`MipError::Unsupported`] with the reason: a model too large (calendar pieces
//!   over a long horizon, `MipOptions::max_binaries`), or the time-indexed model forced on an
//!   instance it does not apply to. [`supports`] is the cheap structural check (every feature
//!   of the format is modelled, so today it always says yes).
//!
//! The status is [`MipStatus::Optimal`] only when the returned schedule's objective meets a
//! proven lower bound (HiGHS's dual bound, or the time-indexed relaxation's value) within 1e-6
//! relative; a time limit without that is never optimal.

mod bounds;
mod calendar;
mod extract;
mod formulation;
mod highs;
mod time_indexed;

pub use formulation::ModelStats;

use crate::eval::{Decoder, Evaluation};
use crate::model::Problem;
use crate::schedule::SolveInfo;
use crate::solve::{solve_dispatch, SolveResult};
use formulation::View;
use std::path::Path;
use std::time::Instant;

/// Options of the exact solver.
#[derive(Debug, Clone)]
pub struct MipOptions {
    /// Seconds from `started` after which HiGHS stops (the time-indexed relaxation and HiGHS
    /// get what is left of them; the heuristic and model building are fast).
    pub time_limit: Option<f64>,
    /// When the clock of `time_limit` started: a command's start, or the start of the local
    /// search that ran first under `auto`, so that the whole run keeps the user's limit;
    /// `None`: when the MIP is called.
    pub started: Option<Instant>,
    /// HiGHS stops when (incumbent − bound) / |incumbent| is at most this.
    pub rel_gap: f64,
    /// HiGHS threads (`None`: HiGHS decides).
    pub threads: Option<u32>,
    /// No progress lines on stderr.
    pub quiet: bool,
    /// Start HiGHS from the heuristic's schedule.
    pub warm_start: bool,
    /// Refuse (as [`MipError::Unsupported`]) a model with more binary time-window variables
    /// than this (calendars over a long horizon).
    pub max_binaries: usize,
    /// Which formulation.
    pub model: MipModel,
}

/// The formulation to solve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MipModel {
    /// The time-indexed model where it applies, the instance has at least 8 operations and the
    /// model at most 150 000 start-time columns; else the disjunctive model.
    Auto,
    /// `models/disjunctive.md`: every instance.
    Disjunctive,
    /// `models/time-indexed.md`: one always-available machine, no changeovers, no zero
    /// durations (others are refused as [`MipError::Unsupported`]).
    TimeIndexed,
}

impl MipModel {
    pub fn as_str(&self) -> &'static str {
        match self {
            MipModel::Auto => "auto",
            MipModel::Disjunctive => "disjunctive",
            MipModel::TimeIndexed => "time-indexed",
        }
    }
}

/// Start-time columns above which `Auto` does not choose the time-indexed model.
const TIME_INDEXED_AUTO_LIMIT: usize = 150_000;
/// Below this many operations `Auto` keeps the disjunctive model: it enumerates small
/// instances at once, while the time-indexed one pays for its horizon.
const TIME_INDEXED_AUTO_MIN_OPS: usize = 8;

/// The formulation `model` resolves to for this instance.
fn resolve_model(
    problem: &Problem,
    model: MipModel,
    incumbent: Option<f64>,
) -> Result<MipModel, MipError> {
    match model {
        MipModel::Disjunctive => Ok(MipModel::Disjunctive),
        MipModel::TimeIndexed if time_indexed::applies(problem) => Ok(MipModel::TimeIndexed),
        MipModel::TimeIndexed => Err(MipError::Unsupported(
            "the time-indexed model needs every operation on one always-available machine, \
             no changeovers and no zero durations"
                .into(),
        )),
        MipModel::Auto => Ok(
            if problem.ops.len() >= TIME_INDEXED_AUTO_MIN_OPS
                && time_indexed::applies(problem)
                && time_indexed::size(problem, incumbent)
                    .is_some_and(|s| s <= TIME_INDEXED_AUTO_LIMIT)
            {
                MipModel::TimeIndexed
            } else {
                MipModel::Disjunctive
            },
        ),
    }
}

fn build_model(
    problem: &Problem,
    model: MipModel,
    incumbent: Option<f64>,
    max_binaries: usize,
) -> Result<(formulation::Formulation, MipModel), MipError> {
    let model = resolve_model(problem, model, incumbent)?;
    let f = match model {
        MipModel::TimeIndexed => time_indexed::build(problem, incumbent)?,
        _ => formulation::build(problem, incumbent, max_binaries)?,
    };
    Ok((f, model))
}

impl Default for MipOptions {
    fn default() -> Self {
        MipOptions {
            time_limit: None,
            started: None,
            rel_gap: 1e-6,
            threads: None,
            quiet: false,
            warm_start: true,
            max_binaries: 200_000,
            model: MipModel::Auto,
        }
    }
}

/// How the search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MipStatus {
    /// Proven optimal: the schedule's objective equals the dual bound (within 1e-6 relative).
    Optimal,
    /// HiGHS stopped at the requested relative gap; the schedule is within `gap` of optimal.
    GapLimit,
    /// The time limit was reached; `bound` and `gap` say how good the schedule is.
    TimeLimit,
    /// Another limit or an interrupt stopped HiGHS.
    Stopped,
}

impl MipStatus {
    /// `optimal`, `gap-limit`, `time-limit`, `stopped` (the schedule file's `status`).
    pub fn as_str(&self) -> &'static str {
        match self {
            MipStatus::Optimal => "optimal",
            MipStatus::GapLimit => "gap-limit",
            MipStatus::TimeLimit => "time-limit",
            MipStatus::Stopped => "stopped",
        }
    }
}

/// Why the exact solver gives no schedule.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MipError {
    /// The instance uses a feature the model cannot represent exactly (named in the message).
    #[error("the MIP cannot model this instance exactly: {0}")]
    Unsupported(String),
    /// Proven: no schedule keeps every hard deadline and pin.
    #[error("infeasible: {0}")]
    Infeasible(String),
    /// HiGHS stopped (time limit) before finding any schedule, and the heuristic has none that
    /// keeps every deadline.
    #[error("no schedule found before the limit (best bound {})", bound.map_or("-".to_string(), |b| b.to_string()))]
    NoSolution { bound: Option<f64> },
    #[error("{0}")]
    Solver(String),
    #[error("cannot write the model to {path}: {message}")]
    Export { path: String, message: String },
    /// A self-check failed: a bug, never a property of the instance.
    #[error("internal error in the MIP: {0}")]
    Internal(String),
}

/// The exact solver's answer.
#[derive(Debug, Clone)]
pub struct MipOutcome {
    /// The schedule (decoded by the evaluator), its evaluation and sequence. Its
    /// `schedule.info` is filled: solver, status, objective, terms, bound, gap, seconds.
    pub result: SolveResult,
    pub status: MipStatus,
    /// The objective of HiGHS's incumbent, computed from its columns (`None` when HiGHS found
    /// none and the heuristic's schedule is returned; the schedule's own objective when the
    /// time-indexed relaxation proved it optimal before any branch and bound).
    pub mip_objective: Option<f64>,
    /// The dual bound: no schedule is better than this.
    pub bound: Option<f64>,
    /// (objective − bound) / |objective| of the returned schedule.
    pub gap: Option<f64>,
    /// The heuristic's objective, when it seeded the model (deadline-feasible).
    pub heuristic_objective: Option<f64>,
    /// Whether the final HiGHS run had a warm start (checked first against every row).
    pub warm_started: bool,
    /// HiGHS mishandled the warm start (its reported objective disagreed with its solution),
    /// so the model was solved again without it.
    pub retried_cold: bool,
    /// Seconds from HiGHS's start to its first incumbent (about 0 with a warm start).
    pub first_incumbent_seconds: Option<f64>,
    /// Seconds in HiGHS.
    pub solve_seconds: f64,
    /// Seconds in all (heuristic, model building, HiGHS, decoding).
    pub seconds: f64,
    /// Size of the MIP solved (all zero when the time-indexed relaxation settled it).
    pub stats: ModelStats,
    /// The formulation solved (`Disjunctive` or `TimeIndexed`).
    pub model: MipModel,
}

/// `Ok` if the models are exact for this instance's features, else the named unsupported
/// feature. (All features are modelled; size is checked when the model is built.)
pub fn supports(problem: &Problem) -> Result<(), MipError> {
    formulation::check_supported(problem)
}

/// Solves with the heuristic's schedule ([`solve_dispatch`]) as bounds and warm start.
pub fn solve_mip(problem: &Problem, opts: &MipOptions) -> Result<MipOutcome, MipError> {
    solve_mip_from(problem, opts, None)
}

/// Solves, seeded by `start` (any solver's result, e.g. a local search's); without one the
/// dispatching heuristic runs first.
///
/// The steps: the time-indexed relaxation where it applies (it may settle the instance), HiGHS
/// (warm, then cold if its warm start went wrong), the MIP's schedule decoded and checked, the
/// better of it and the seed, then bound, gap and status.
pub fn solve_mip_from(
    problem: &Problem,
    opts: &MipOptions,
    start: Option<&SolveResult>,
) -> Result<MipOutcome, MipError> {
    let t0 = Instant::now();
    let clock = opts.started.unwrap_or(t0);
    supports(problem)?;
    let mut heuristic: Option<SolveResult> = match start {
        Some(r) => Some(r.clone()),
        None => solve_dispatch(problem).ok(),
    }
    .filter(|r| r.evaluation.feasible());

    let lp_bound = match relaxation_first(problem, opts, &mut heuristic, t0, clock)? {
        Relaxation::Settled(outcome) => return Ok(*outcome),
        Relaxation::Bound(b) => b,
    };
    let (att, retried_cold) = highs_attempts(problem, opts, heuristic.as_ref(), clock)?;
    let consistent = att.consistent();
    let Attempt {
        run,
        meta,
        warm_started,
        stats,
        model,
    } = att;
    check_run_status(&run, heuristic.is_some())?;

    let mip_objective = run.values.as_ref().map(|v| meta.objective(v));
    let extracted = match &run.values {
        Some(values) => Some(extract::extract(problem, &meta, values).ok_or_else(|| {
            MipError::Internal("the MIP's machine sequences do not decode".into())
        })?),
        None => None,
    };
    if let (Some(e), Some(obj)) = (&extracted, mip_objective) {
        check_extracted(problem, e, obj)?;
    }

    // The best of the MIP's schedule and the heuristic's.
    let (mut result, from_mip) = match (extracted, heuristic.clone()) {
        (Some(e), Some(h)) if h.evaluation.better_than(&e.evaluation) => (h, false),
        (Some(e), _) => (
            SolveResult {
                schedule: e.schedule,
                sequence: e.sequence,
                evaluation: e.evaluation,
                method: format!("mip (HiGHS, {} model)", model.as_str()),
            },
            true,
        ),
        (None, Some(h)) => (h, false),
        (None, None) => {
            return Err(MipError::NoSolution {
                bound: run.bound.filter(|_| consistent),
            })
        }
    };
    if !from_mip {
        result.method = format!("{} (the MIP found nothing better)", result.method);
    }

    let value = result.evaluation.value;
    let tol = 1e-6 * value.abs().max(1.0);
    // An LP (no binaries, e.g. one machine per operation and no sequencing choice) has no MIP
    // dual bound; solved to optimality, its objective is the bound. A run whose reported
    // objective disagrees with its solution gives no bound at all.
    let bound = match (stats.binaries, run.status) {
        _ if !consistent => None,
        (0, highs::RunStatus::Optimal) => mip_objective,
        (0, _) => None,
        _ => run.bound,
    };
    // The relaxation's bound holds too.
    let bound = match (bound, lp_bound) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let gap = bound.map(|b| {
        if value - b <= tol {
            0.0
        } else {
            (value - b) / value.abs().max(1e-9)
        }
    });
    let status = match run.status {
        _ if gap == Some(0.0) => MipStatus::Optimal,
        highs::RunStatus::Optimal if bound.is_some() => MipStatus::GapLimit,
        highs::RunStatus::TimeLimit => MipStatus::TimeLimit,
        _ => MipStatus::Stopped,
    };
    let seconds = t0.elapsed().as_secs_f64();
    result.schedule.info = info(
        problem,
        &result.evaluation,
        status,
        bound,
        gap,
        seconds,
        &result.method,
    );
    Ok(MipOutcome {
        result,
        status,
        mip_objective,
        bound,
        gap,
        heuristic_objective: heuristic.as_ref().map(|h| h.evaluation.value),
        warm_started,
        retried_cold,
        first_incumbent_seconds: run.first_incumbent,
        solve_seconds: run.seconds,
        seconds,
        stats,
        model,
    })
}

/// What the time-indexed relaxation left to do.
enum Relaxation {
    /// A schedule meets the relaxation's bound: proven optimal without branch and bound.
    Settled(Box<MipOutcome>),
    /// The relaxation's value (a lower bound), if it was solved.
    Bound(Option<f64>),
}

/// The time-indexed relaxation is tight for one-machine problems: where that model applies,
/// solve it first, round it into schedules (the best replaces `heuristic` if better), and
/// settle the instance if a schedule meets its bound. `t0` is when the MIP started (its
/// reported seconds), `clock` when its time limit started.
fn relaxation_first(
    problem: &Problem,
    opts: &MipOptions,
    heuristic: &mut Option<SolveResult>,
    t0: Instant,
    clock: Instant,
) -> Result<Relaxation, MipError> {
    let incumbent = heuristic.as_ref().map(|h| h.evaluation.value);
    if resolve_model(problem, opts.model, incumbent)? != MipModel::TimeIndexed {
        return Ok(Relaxation::Bound(None));
    }
    let (rounded, lp_bound) =
        lp_rounding(problem, opts, heuristic.as_ref(), time_left(opts, clock))?;
    if let Some(r) = rounded {
        if heuristic
            .as_ref()
            .is_none_or(|h| r.evaluation.better_than(&h.evaluation))
        {
            *heuristic = Some(r);
        }
    }
    let (Some(h), Some(b)) = (heuristic.as_ref(), lp_bound) else {
        return Ok(Relaxation::Bound(lp_bound));
    };
    if h.evaluation.value > b + 1e-6 * b.abs().max(1.0) {
        return Ok(Relaxation::Bound(lp_bound));
    }
    let seconds = t0.elapsed().as_secs_f64();
    let mut result = h.clone();
    let status = MipStatus::Optimal;
    result.schedule.info = info(
        problem,
        &result.evaluation,
        status,
        Some(b),
        Some(0.0),
        seconds,
        &result.method,
    );
    Ok(Relaxation::Settled(Box::new(MipOutcome {
        mip_objective: Some(result.evaluation.value),
        result,
        status,
        bound: Some(b),
        gap: Some(0.0),
        heuristic_objective: Some(h.evaluation.value),
        warm_started: false,
        retried_cold: false,
        first_incumbent_seconds: None,
        solve_seconds: seconds,
        seconds,
        stats: ModelStats::default(),
        model: MipModel::TimeIndexed,
    })))
}

/// What is left of the time limit that started at `clock`, in seconds (`None`: no limit).
fn time_left(opts: &MipOptions, clock: Instant) -> Option<f64> {
    opts.time_limit
        .map(|t| (t - clock.elapsed().as_secs_f64()).max(0.0))
}

/// HiGHS within what is left of the time limit, warm-started if asked; and whether it had to
/// be solved again cold.
///
/// HiGHS 1.16 can map a MIP start into its presolved space wrongly and then prune with a
/// wrong incumbent value (the reported objective then differs from the solution's): its
/// bound cannot be trusted. Solve again without the warm start.
fn highs_attempts(
    problem: &Problem,
    opts: &MipOptions,
    heuristic: Option<&SolveResult>,
    clock: Instant,
) -> Result<(Attempt, bool), MipError> {
    let att = attempt(
        problem,
        opts,
        heuristic,
        opts.warm_start,
        time_left(opts, clock),
    )?;
    if !att.warm_started || att.consistent() {
        return Ok((att, false));
    }
    if !opts.quiet {
        eprintln!(
            "mip: HiGHS reports objective {} for a solution worth {}: its warm start went \
             wrong; solving again without it",
            att.run.objective.unwrap_or(f64::NAN),
            att.own_objective().unwrap_or(f64::NAN)
        );
    }
    Ok((
        attempt(problem, opts, heuristic, false, time_left(opts, clock))?,
        true,
    ))
}

/// HiGHS's infeasibility and errors as [`MipError`]s.
fn check_run_status(run: &highs::Run, have_heuristic: bool) -> Result<(), MipError> {
    match &run.status {
        highs::RunStatus::Infeasible if have_heuristic => Err(MipError::Internal(
            "HiGHS says infeasible, but the heuristic's schedule is feasible".into(),
        )),
        highs::RunStatus::Infeasible => Err(MipError::Infeasible(
            "no schedule keeps every hard deadline and pinned start (proven by HiGHS)".into(),
        )),
        highs::RunStatus::Error(s) => Err(MipError::Solver(format!(
            "HiGHS ended with model status {s}"
        ))),
        _ => Ok(()),
    }
}

/// Self-checks of the schedule decoded from the MIP's columns (objective `obj`).
fn check_extracted(problem: &Problem, e: &extract::Extracted, obj: f64) -> Result<(), MipError> {
    // The decoded schedule is never worse than the MIP's for a regular objective; with
    // earliness, the MIP's own times are tried as well, so the same holds.
    let regular = problem.objective.earliness == 0.0;
    let tol = 1e-6 * obj.abs().max(1.0);
    if e.evaluation.value > obj + tol && (regular || e.timed) {
        return Err(MipError::Internal(format!(
            "the decoded schedule's objective {} exceeds the MIP's {obj}",
            e.evaluation.value
        )));
    }
    if !e.evaluation.feasible() {
        return Err(MipError::Internal(
            "the MIP's schedule misses a hard deadline".into(),
        ));
    }
    Ok(())
}

/// Solves the time-indexed LP relaxation (interior point) within `time_limit` seconds and
/// rounds it into schedules: the best of them (if any decodes) and the relaxation's value, a
/// lower bound.
fn lp_rounding(
    problem: &Problem,
    opts: &MipOptions,
    heuristic: Option<&SolveResult>,
    time_limit: Option<f64>,
) -> Result<(Option<SolveResult>, Option<f64>), MipError> {
    let f = time_indexed::build(problem, heuristic.map(|h| h.evaluation.value))?;
    if !opts.quiet {
        let st = f.meta.stats();
        eprintln!(
            "mip: solving the time-indexed relaxation ({} columns, {} rows) to round it",
            st.columns, st.rows
        );
    }
    let prepared = highs::prepare(f)?;
    let run_opts = highs::RunOptions {
        time_limit,
        rel_gap: opts.rel_gap,
        threads: opts.threads,
        quiet: true,
        relaxation: true,
        root_ipm: false,
    };
    let (run, meta) = highs::run(prepared, &run_opts, None)?;
    let Some(values) = run
        .values
        .filter(|_| run.status == highs::RunStatus::Optimal)
    else {
        return Ok((None, None));
    };
    let bound = meta.objective(&values);
    let mut best: Option<SolveResult> = None;
    for seq in time_indexed::rounded_sequences(problem, &meta, &values) {
        let seq = time_indexed::descend(problem, &seq);
        if let Ok(r) = crate::solve::finish(
            problem,
            seq,
            "rounded time-indexed relaxation + descent".into(),
        ) {
            if r.evaluation.feasible()
                && best
                    .as_ref()
                    .is_none_or(|b| r.evaluation.better_than(&b.evaluation))
            {
                best = Some(r);
            }
        }
    }
    if !opts.quiet {
        eprintln!(
            "mip: relaxation bound {bound}; rounded schedule {}",
            best.as_ref()
                .map_or("-".to_string(), |b| b.evaluation.value.to_string())
        );
    }
    Ok((best, Some(bound)))
}

/// One HiGHS run on a freshly built model.
struct Attempt {
    run: highs::Run,
    meta: formulation::Meta,
    warm_started: bool,
    stats: ModelStats,
    model: MipModel,
}

impl Attempt {
    /// The objective of the returned solution, computed from the columns.
    fn own_objective(&self) -> Option<f64> {
        self.run.values.as_ref().map(|v| self.meta.objective(v))
    }

    /// Whether HiGHS's reported objective is the returned solution's.
    fn consistent(&self) -> bool {
        match (self.own_objective(), self.run.objective) {
            (Some(mine), Some(theirs)) => {
                (mine - theirs).abs() <= 1e-6 * mine.abs().max(theirs.abs()).max(1.0)
            }
            _ => true,
        }
    }
}

fn attempt(
    problem: &Problem,
    opts: &MipOptions,
    heuristic: Option<&SolveResult>,
    warm_start: bool,
    time_limit: Option<f64>,
) -> Result<Attempt, MipError> {
    let (f, model) = build_model(
        problem,
        opts.model,
        heuristic.map(|h| h.evaluation.value),
        opts.max_binaries,
    )?;
    // The warm start: the heuristic's schedule as a full column vector, checked against every
    // row and bound of the model first (a violated row would be a modelling error).
    let mut warm = None;
    if let (Some(h), true) = (heuristic, warm_start) {
        let seq = formulation::relabel(&h.sequence, &f.meta.identical_groups);
        let mut dec = Decoder::new(problem);
        if dec.decode(problem, &seq).is_ok() {
            let view = View::new(&seq, &dec.start, &dec.end, &dec.completion);
            let values = formulation::column_values(problem, &f.meta, &view);
            let mut bad = formulation::violated_rows(&f.rows, &f.meta, &values, 1e-6);
            bad.extend(formulation::violated_bounds(
                &f.vars, &f.meta, &values, 1e-6,
            ));
            if !bad.is_empty() {
                return Err(MipError::Internal(format!(
                    "the heuristic's schedule violates the model: {}",
                    bad.into_iter().take(5).collect::<Vec<_>>().join("; ")
                )));
            }
            warm = Some(values);
        }
    }
    let stats = f.meta.stats();
    if !opts.quiet {
        eprintln!(
            "mip: {} model, {} columns ({} binary), {} rows; horizon {} min{}",
            model.as_str(),
            stats.columns,
            stats.binaries,
            stats.rows,
            f.meta.bounds.horizon,
            match (heuristic, &warm) {
                (Some(h), Some(_)) => format!("; warm start {} ({})", h.evaluation.value, h.method),
                (Some(h), None) => format!("; heuristic {} ({})", h.evaluation.value, h.method),
                _ => String::new(),
            }
        );
    }
    let prepared = highs::prepare(f)?;
    let run_opts = highs::RunOptions {
        time_limit,
        rel_gap: opts.rel_gap,
        threads: opts.threads,
        quiet: opts.quiet,
        relaxation: false,
        root_ipm: model == MipModel::TimeIndexed,
    };
    let (run, meta) = highs::run(prepared, &run_opts, warm.as_deref())?;
    Ok(Attempt {
        run,
        meta,
        warm_started: warm.is_some(),
        stats,
        model,
    })
}

fn info(
    problem: &Problem,
    ev: &Evaluation,
    status: MipStatus,
    bound: Option<f64>,
    gap: Option<f64>,
    seconds: f64,
    method: &str,
) -> SolveInfo {
    SolveInfo {
        solver: Some(method.to_string()),
        status: Some(status.as_str().to_string()),
        objective: Some(ev.value),
        terms: ev
            .named_terms()
            .iter()
            .zip(problem.objective.as_array())
            .filter(|(_, w)| *w != 0.0)
            .map(|((n, v), _)| (n.to_string(), *v))
            .collect(),
        bound,
        gap,
        seconds: Some(seconds),
    }
}

/// Writes the model (as [`solve_mip`] would build it, seeded by the heuristic's bounds) to
/// `path`; `.lp` or `.mps`, as HiGHS writes them. Returns the model's size.
pub fn export_model(problem: &Problem, path: &Path) -> Result<ModelStats, MipError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    if !matches!(ext.as_deref(), Some("lp") | Some("mps")) {
        return Err(MipError::Export {
            path: path.display().to_string(),
            message: "unknown model format: use .lp or .mps".into(),
        });
    }
    supports(problem)?;
    let incumbent = solve_dispatch(problem)
        .ok()
        .filter(|r| r.evaluation.feasible())
        .map(|r| r.evaluation.value);
    let opts = MipOptions::default();
    let (f, _) = build_model(problem, opts.model, incumbent, opts.max_binaries)?;
    let stats = f.meta.stats();
    let mut prepared = highs::prepare(f)?;
    highs::write_model(&mut prepared, path)?;
    Ok(stats)
}
