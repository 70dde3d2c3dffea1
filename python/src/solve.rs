//! `takt.solve`: the library's solver entry point (`takt::solve::run`: dispatch, heuristic, mip,
//! and the `auto` policy) run without the GIL, stoppable by Ctrl-C, answered as a dict the
//! Python `Result` wraps.

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
use takt::model::{Diagnostic, InputError, Problem};
use takt::solve::search::SearchConfig;
use takt::solve::{RunError, SolveResult, SolverChoice};

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
    Ok(
        SearchConfig::limited(time_limit.map(Duration::from_secs_f64), iterations, stall)
            .or_default_limits(Duration::from_secs_f64(default_limit.0), default_limit.1)
            .threads(threads)
            .seed(seed)
            .quiet(true),
    )
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
    d.set_item("instance", problem.name())?;
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
    let cfg = search_config(
        py,
        time_limit,
        iterations,
        stall,
        threads,
        seed,
        (10.0, 200_000),
    )?;
    let stop = Arc::new(AtomicBool::new(false));
    let cfg = cfg.stop(stop.clone());
    let problem = &instance.problem;
    let started = Instant::now();
    let (outcome, interrupted) =
        interruptible(py, &stop, || takt::solve::run(problem, choice, &cfg));
    let file = &instance.file;
    let solved = match outcome {
        Ok(s) => s,
        Err(RunError::Infeasible(m)) => {
            return Err(SolveError::new_err(format!(
                "{file}: infeasible (proven by the MIP): {m}"
            )))
        }
        Err(RunError::Unsupported(m)) => {
            let m = format!(
                "the MIP cannot model this instance exactly: {m} (use solver=\"heuristic\" or \"auto\")"
            );
            return Err(input_error(
                py,
                InputError::invalid(file, vec![Diagnostic::at("", m)]),
            ));
        }
        Err(RunError::NoSchedule(e)) => return Err(SolveError::new_err(format!("{file}: {e}"))),
    };
    let (mut result, proof, notes) = (solved.result, solved.proof, solved.notes);
    takt::solve::annotate(
        problem,
        &mut result,
        proof.as_ref(),
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
    let d = answer(py, problem, &result, interrupted)?;
    d.set_item("notes", notes)?;
    Ok(d)
}
