//! `takt.solve`: the solver choice of `takt solve` (dispatch, heuristic, mip, auto) run without
//! the GIL, stoppable by Ctrl-C, answered as a dict the Python `Result` wraps.
//!
//! The choice mirrors `takt::cli::solve` (which also prints and writes files); when the library
//! gains a solve entry point that returns the result, `run` becomes a call to it.

use crate::errors::py::SolveError;
use crate::errors::{argument_error, input_error};
use crate::instance::Instance;
use crate::records::{kpis, to_records};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::{Duration, Instant};
use takt::check::{check, Rule};
use takt::cli::SolverChoice;
use takt::model::{Diagnostic, InputError, Problem};
use takt::solve::mip::{solve_mip, solve_mip_from, MipError, MipModel, MipOptions, MipOutcome};
use takt::solve::search::{search, SearchConfig};
use takt::solve::{solve_dispatch, SolveResult};

/// Runs `work` on a thread of its own while this (the Python) thread waits without the GIL,
/// looking for Ctrl-C every 50 ms: Python only delivers signals to its main thread, between
/// bytecodes, so a solve that held it would not stop. On Ctrl-C, `stop` is raised and the
/// search returns its best schedule. The answer comes back through a channel, so a short solve
/// returns at once rather than at the next 50 ms tick. Returns `work`'s answer and whether it
/// was interrupted.
pub fn interruptible<T: Send>(
    py: Python<'_>,
    stop: &AtomicBool,
    work: impl FnOnce() -> T + Send,
) -> (T, bool) {
    py.detach(|| {
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::channel();
            let handle = s.spawn(move || {
                // The receiver lives until the answer arrives; a send error cannot happen.
                tx.send(work()).ok();
            });
            let mut interrupted = false;
            loop {
                match rx.recv_timeout(Duration::from_millis(50)) {
                    Ok(t) => return (t, interrupted),
                    Err(RecvTimeoutError::Timeout) => {
                        if !interrupted && Python::attach(|py| py.check_signals().is_err()) {
                            stop.store(true, Ordering::Relaxed);
                            interrupted = true;
                        }
                    }
                    // The work panicked before answering: pass the panic on.
                    Err(RecvTimeoutError::Disconnected) => match handle.join() {
                        Err(panic) => std::panic::resume_unwind(panic),
                        Ok(()) => unreachable!("the worker answers before it ends"),
                    },
                }
            }
        })
    })
}

/// What a solve ends with.
pub enum Outcome {
    Solved {
        result: Box<SolveResult>,
        proof: Option<Box<MipOutcome>>,
    },
    /// The MIP proved that no schedule keeps every deadline and pin.
    Infeasible(String),
    /// Bad input for this solver (e.g. the MIP cannot model the instance).
    Input(InputError),
    /// No schedule found.
    NoSchedule(String),
}

/// The solver choice of `takt solve` (see `takt::cli::solve`), without printing.
pub fn run(problem: &Problem, file: &str, solver: SolverChoice, cfg: &SearchConfig) -> Outcome {
    let mip_options = |share: f64| MipOptions {
        time_limit: Some(cfg.time_limit.map_or(10.0, |t| t.as_secs_f64()) * share),
        rel_gap: 1e-6,
        threads: Some(cfg.threads.max(1) as u32),
        quiet: cfg.quiet,
        warm_start: true,
        max_binaries: 200_000,
        model: MipModel::Auto,
    };
    let searched = |cfg: &SearchConfig| search(problem, cfg).map(|o| o.result);
    let supported = takt::solve::mip::supports(problem).is_ok();
    let (heuristic, mip) = match solver {
        SolverChoice::Dispatch => (Some(solve_dispatch(problem)), None),
        SolverChoice::Heuristic => (Some(searched(cfg)), None),
        SolverChoice::Mip => (None, Some(solve_mip(problem, &mip_options(1.0)))),
        SolverChoice::Auto if !supported => (Some(searched(cfg)), None),
        SolverChoice::Auto => {
            let mut part = cfg.clone();
            part.time_limit = cfg.time_limit.map(|t| t.mul_f64(0.3));
            match searched(&part) {
                Err(e) => (Some(Err(e)), None),
                Ok(h) => {
                    let m = solve_mip_from(problem, &mip_options(0.7), Some(&h));
                    (Some(Ok(h)), Some(m))
                }
            }
        }
    };
    match (heuristic, mip) {
        (_, Some(Ok(o))) => Outcome::Solved {
            result: Box::new(o.result.clone()),
            proof: Some(Box::new(o)),
        },
        (_, Some(Err(MipError::Infeasible(msg)))) => {
            Outcome::Infeasible(format!("{file}: infeasible (proven by the MIP): {msg}"))
        }
        (None, Some(Err(MipError::Unsupported(msg)))) => Outcome::Input(InputError::invalid(
            file,
            vec![Diagnostic::at(
                "",
                format!("the MIP cannot model this instance exactly: {msg} (use solver=\"heuristic\" or \"auto\")"),
            )],
        )),
        (None, Some(Err(e))) => Outcome::NoSchedule(format!("{file}: no schedule found: {e}")),
        (Some(Ok(result)), _) => Outcome::Solved {
            result: Box::new(result),
            proof: None,
        },
        (Some(Err(e)), _) => Outcome::NoSchedule(format!("{file}: {e}")),
        (None, None) => unreachable!("every solver choice runs at least one solver"),
    }
}

/// Fills the schedule's header like `takt solve` does: solver, status, objective, terms, bound,
/// gap, seconds.
fn annotate(problem: &Problem, result: &mut SolveResult, proof: Option<&MipOutcome>, secs: f64) {
    let ev = result.evaluation;
    let info = &mut result.schedule.info;
    info.solver = Some(result.method.clone());
    info.status = Some(match proof {
        Some(o) => o.status.as_str().to_string(),
        None if ev.feasible() => "feasible".to_string(),
        None => "deadlines-missed".to_string(),
    });
    if let Some(o) = proof {
        info.bound = o.bound;
        info.gap = o.gap;
    }
    info.objective = Some(ev.value);
    info.terms = ev
        .named_terms()
        .iter()
        .zip(problem.objective.as_array())
        .filter(|(_, w)| *w != 0.0)
        .map(|((n, v), _)| (n.to_string(), *v))
        .collect();
    info.seconds = Some(secs);
}

fn solver_choice(py: Python<'_>, name: &str) -> PyResult<SolverChoice> {
    Ok(match name {
        "heuristic" => SolverChoice::Heuristic,
        "dispatch" => SolverChoice::Dispatch,
        "mip" => SolverChoice::Mip,
        "auto" => SolverChoice::Auto,
        other => {
            return Err(argument_error(
                py,
                "solver",
                format!("unknown solver `{other}`: use heuristic, dispatch, mip or auto"),
            ))
        }
    })
}

/// The search limits of `takt solve`: without a time or iteration limit, at most 10 s and less
/// when the search stops improving (200 000 iterations without improvement).
pub fn search_config(
    py: Python<'_>,
    time_limit: Option<f64>,
    iterations: Option<u64>,
    stall: Option<u64>,
    threads: usize,
    seed: u64,
    default_limit: (f64, u64),
) -> PyResult<SearchConfig> {
    if let Some(t) = time_limit {
        if !(t.is_finite() && t >= 0.0) {
            return Err(argument_error(py, "time_limit", "must be seconds ≥ 0"));
        }
    }
    let (time_limit, stall) = match (time_limit, iterations) {
        (None, None) => (Some(default_limit.0), stall.or(Some(default_limit.1))),
        (t, _) => (t, stall),
    };
    Ok(SearchConfig {
        time_limit: time_limit.map(Duration::from_secs_f64),
        iterations,
        threads: threads.max(1),
        seed,
        quiet: true,
        stop: None,
        stall,
    })
}

/// The answer dict of a solved schedule (see `takt.Result`).
pub fn answer<'py>(
    py: Python<'py>,
    problem: &Problem,
    result: &SolveResult,
    interrupted: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let info = &result.schedule.info;
    let d = PyDict::new(py);
    d.set_item("schedule", to_records(py, problem, &result.schedule)?)?;
    d.set_item("objective", result.evaluation.value)?;
    d.set_item("terms", info.terms.clone())?;
    d.set_item("kpis", kpis(py, problem, &result.schedule)?)?;
    d.set_item("bound", info.bound)?;
    d.set_item("gap", info.gap)?;
    d.set_item("status", info.status.clone())?;
    d.set_item("solver", &result.method)?;
    d.set_item("seconds", info.seconds)?;
    d.set_item("feasible", result.evaluation.feasible())?;
    d.set_item("interrupted", interrupted)?;
    d.set_item("instance", &problem.name)?;
    Ok(d)
}

/// `takt.solve`, as a dict.
#[pyfunction]
#[pyo3(signature = (instance, solver = "heuristic", time_limit = None, iterations = None, stall = None, threads = 1, seed = 0))]
#[allow(clippy::too_many_arguments)]
pub fn solve<'py>(
    py: Python<'py>,
    instance: &Instance,
    solver: &str,
    time_limit: Option<f64>,
    iterations: Option<u64>,
    stall: Option<u64>,
    threads: usize,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let choice = solver_choice(py, solver)?;
    let mut cfg = search_config(
        py,
        time_limit,
        iterations,
        stall,
        threads,
        seed,
        (10.0, 200_000),
    )?;
    let stop = Arc::new(AtomicBool::new(false));
    cfg.stop = Some(stop.clone());
    let problem = &instance.problem;
    let started = Instant::now();
    let (outcome, interrupted) =
        interruptible(py, &stop, || run(problem, &instance.file, choice, &cfg));
    let (mut result, proof) = match outcome {
        Outcome::Solved { result, proof } => (*result, proof),
        Outcome::Infeasible(m) | Outcome::NoSchedule(m) => return Err(SolveError::new_err(m)),
        Outcome::Input(e) => return Err(input_error(py, e)),
    };
    annotate(
        problem,
        &mut result,
        proof.as_deref(),
        started.elapsed().as_secs_f64(),
    );
    // Belt and braces, as in the CLI: nothing leaves takt that the referee rejects, except a
    // missed hard deadline when no schedule keeps them all: that one comes back with status
    // `deadlines-missed` and `feasible` false (the CLI means to warn about it and exit 1).
    let deadlines_missed = !result.evaluation.feasible();
    if let Some(v) = check(problem, &result.schedule)
        .iter()
        .find(|v| !(deadlines_missed && v.rule == Rule::Deadline))
    {
        return Err(SolveError::new_err(format!(
            "internal error: the referee rejects the solver's schedule: {}",
            v.message
        )));
    }
    answer(py, problem, &result, interrupted)
}
