//! The small wrapper around what good_lp does not expose: the model is built with good_lp, turned
//! into a `highs::Model` with `into_inner()`, and from there this module names the columns and
//! rows, sets the objective offset, writes LP/MPS files, passes the warm start, reports progress
//! through a HiGHS callback and reads the dual bound and the gap. Everything `unsafe` is here.

use super::formulation::{Formulation, Meta};
use super::MipError;
use good_lp::SolverModel;
use highs_sys::{
    kHighsCallbackMipImprovingSolution, kHighsCallbackMipLogging, HighsCallbackDataIn,
    HighsCallbackDataOut, HighsInt,
};
use std::cell::Cell;
use std::ffi::{c_char, c_int, c_void, CString};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

/// The model as HiGHS holds it, with names and offset set.
pub(crate) struct Prepared {
    pub model: highs::Model,
    pub meta: Meta,
}

fn ok(status: HighsInt, what: &str) -> Result<(), MipError> {
    // kHighsStatusError = -1, kHighsStatusOk = 0, kHighsStatusWarning = 1.
    if status < 0 {
        Err(MipError::Solver(format!("HiGHS: {what} failed")))
    } else {
        Ok(())
    }
}

fn cstring(s: &str) -> CString {
    CString::new(s.replace('\0', "_")).expect("no interior NUL")
}

/// Hands the good_lp model to HiGHS and names everything.
pub(crate) fn prepare(f: Formulation) -> Result<Prepared, MipError> {
    let Formulation {
        vars,
        rows,
        objective,
        meta,
    } = f;
    let mut problem = vars.minimise(objective).using(good_lp::highs);
    for r in rows {
        problem.add_constraint(r);
    }
    let mut model = problem
        .try_into_inner()
        .map_err(|e| MipError::Solver(e.to_string()))?;
    let ptr = model.as_mut_ptr();
    unsafe {
        ok(
            highs_sys::Highs_changeObjectiveOffset(ptr, meta.offset),
            "setting the objective offset",
        )?;
        for (i, name) in meta.col_names.iter().enumerate() {
            let c = cstring(name);
            ok(
                highs_sys::Highs_passColName(ptr, i as HighsInt, c.as_ptr()),
                "naming a column",
            )?;
        }
        for (i, name) in meta.row_names.iter().enumerate() {
            let c = cstring(name);
            ok(
                highs_sys::Highs_passRowName(ptr, i as HighsInt, c.as_ptr()),
                "naming a row",
            )?;
        }
    }
    Ok(Prepared { model, meta })
}

/// Writes the model; HiGHS picks the format from the extension (`.lp`, `.mps`).
pub(crate) fn write_model(p: &mut Prepared, path: &Path) -> Result<(), MipError> {
    let c = CString::new(path.as_os_str().as_encoded_bytes()).map_err(|_| MipError::Export {
        path: path.display().to_string(),
        message: "the path contains a NUL byte".into(),
    })?;
    let status = unsafe { highs_sys::Highs_writeModel(p.model.as_mut_ptr(), c.as_ptr()) };
    if status < 0 {
        return Err(MipError::Export {
            path: path.display().to_string(),
            message: "HiGHS could not write the model".into(),
        });
    }
    Ok(())
}

/// How to run HiGHS.
#[derive(Debug, Clone)]
pub(crate) struct RunOptions {
    pub time_limit: Option<f64>,
    pub rel_gap: f64,
    pub threads: Option<u32>,
    pub quiet: bool,
    /// Solve the LP relaxation only (interior point, then crossover).
    pub relaxation: bool,
    /// Solve the MIP's first LP by interior point (HiGHS's `mip_lp_solver`): far faster than
    /// simplex on the degenerate time-indexed relaxation.
    pub root_ipm: bool,
}

/// HiGHS's model status, as far as takt cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunStatus {
    Optimal,
    Infeasible,
    TimeLimit,
    /// Iteration, solution, memory limit or interrupt.
    OtherLimit,
    Error(HighsInt),
}

/// What a run produced.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub status: RunStatus,
    /// The incumbent's columns, if there is one.
    pub values: Option<Vec<f64>>,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    /// Seconds from the start of the run to the first incumbent (the warm start counts).
    pub first_incumbent: Option<f64>,
    pub seconds: f64,
}

/// Progress state shared with the callback (which HiGHS may call from its worker threads).
struct Progress {
    quiet: bool,
    started: Instant,
    state: Mutex<ProgressState>,
}

#[derive(Default)]
struct ProgressState {
    first_incumbent: Option<f64>,
    /// (time, incumbent, bound) of the last line printed.
    printed: Option<(f64, f64, f64)>,
    /// Writing a progress line to stderr failed: print no more. (A callback from C cannot
    /// return the error, and `eprintln!` would panic across the FFI boundary.)
    stderr_failed: bool,
}

fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        "-".into()
    } else if (x - x.round()).abs() <= 1e-6 * x.abs().max(1.0) {
        format!("{}", x.round() as i64)
    } else {
        format!("{x:.4}")
    }
}

unsafe extern "C" fn progress_callback(
    kind: c_int,
    _message: *const c_char,
    out: *const HighsCallbackDataOut,
    _data_in: *mut HighsCallbackDataIn,
    user: *mut c_void,
) {
    if out.is_null() || user.is_null() {
        return;
    }
    // SAFETY: `user` is the `Progress` that `run` keeps alive for the whole solve, and `out`
    // is HiGHS's callback data for this call.
    let (p, out) = unsafe { (&*(user as *const Progress), &*out) };
    let t = p.started.elapsed().as_secs_f64();
    let Ok(mut st) = p.state.lock() else { return };
    let improving = kind == kHighsCallbackMipImprovingSolution as c_int;
    if improving {
        st.first_incumbent.get_or_insert(t);
    } else if kind != kHighsCallbackMipLogging as c_int {
        return;
    }
    if p.quiet || st.stderr_failed {
        return;
    }
    let incumbent = if improving {
        out.objective_function_value
    } else {
        out.mip_primal_bound
    };
    let bound = out.mip_dual_bound;
    // A line per new incumbent, else when the bound moved or every 10 s.
    if let Some((t0, i0, b0)) = st.printed {
        let same = |a: f64, b: f64| a == b || (a - b).abs() <= 1e-9 * a.abs().max(1.0);
        if same(i0, incumbent) && (same(b0, bound) || !bound.is_finite()) && t - t0 < 10.0 {
            return;
        }
    }
    st.printed = Some((t, incumbent, bound));
    let gap = if out.mip_gap.is_finite() && out.mip_gap < 1e6 {
        format!("{:.2}%", 100.0 * out.mip_gap)
    } else {
        "-".into()
    };
    st.stderr_failed = writeln!(
        std::io::stderr(),
        "mip {t:8.1} s  incumbent {:>12}  bound {:>12}  gap {gap}",
        fmt_num(incumbent),
        fmt_num(bound),
    )
    .is_err();
}

thread_local! {
    /// HiGHS keeps one worker pool per calling thread, sized by the first solve: a later solve
    /// on the same thread with another thread count fails unless the pool is reset.
    static LAST_THREADS: Cell<Option<u32>> = const { Cell::new(None) };
}

fn set<V: highs::HighsOptionValue>(
    model: &mut highs::Model,
    name: &str,
    value: V,
) -> Result<(), MipError> {
    model
        .try_set_option(name, value)
        .map_err(|e| MipError::Solver(format!("HiGHS option {name}: {e:?}")))
}

/// Solves. `warm` is a full column vector (or none).
pub(crate) fn run(
    mut p: Prepared,
    opts: &RunOptions,
    warm: Option<&[f64]>,
) -> Result<(Run, Meta), MipError> {
    let threads = opts.threads.unwrap_or(0);
    LAST_THREADS.with(|last| {
        if last.get().is_some_and(|t| t != threads) {
            unsafe { highs_sys::Highs_resetGlobalScheduler(1) };
        }
        last.set(Some(threads));
    });
    let model = &mut p.model;
    if let Some(t) = opts.time_limit {
        set(model, "time_limit", t.max(0.0))?;
    }
    set(model, "mip_rel_gap", opts.rel_gap.max(0.0))?;
    if opts.relaxation {
        set(model, "solve_relaxation", true)?;
        set(model, "solver", "ipm")?;
    }
    if opts.root_ipm {
        set(model, "mip_lp_solver", "ipm")?;
    }
    if threads > 0 {
        set(model, "threads", threads as i32)?;
    }
    let progress = Box::new(Progress {
        quiet: opts.quiet,
        started: Instant::now(),
        state: Mutex::new(ProgressState::default()),
    });
    let user = &*progress as *const Progress as *mut c_void;
    unsafe {
        let ptr = model.as_mut_ptr();
        ok(
            highs_sys::Highs_setCallback(ptr, Some(progress_callback), user),
            "setting the callback",
        )?;
        ok(
            highs_sys::Highs_startCallback(ptr, kHighsCallbackMipImprovingSolution),
            "starting the callback",
        )?;
        if !opts.quiet {
            ok(
                highs_sys::Highs_startCallback(ptr, kHighsCallbackMipLogging),
                "starting the callback",
            )?;
        }
    }
    // HiGHS logs only into the callback: its console log would go to stdout.
    set(model, "log_to_console", false)?;
    set(model, "output_flag", !opts.quiet)?;
    set(model, "mip_min_logging_interval", 5.0)?;
    if let Some(w) = warm {
        model
            .try_set_solution(Some(w), None, None, None)
            .map_err(|e| MipError::Solver(format!("HiGHS rejected the warm start: {e:?}")))?;
    }
    let started = Instant::now();
    let Prepared { model, meta } = p;
    let solved = model
        .try_solve()
        .map_err(|e| MipError::Solver(format!("HiGHS failed: {e:?}")))?;
    let seconds = started.elapsed().as_secs_f64();
    let raw = unsafe { highs_sys::Highs_getModelStatus(solved.as_ptr() as *mut c_void) };
    use highs_sys::*;
    let status = match raw {
        MODEL_STATUS_OPTIMAL => RunStatus::Optimal,
        MODEL_STATUS_INFEASIBLE => RunStatus::Infeasible,
        MODEL_STATUS_REACHED_TIME_LIMIT => RunStatus::TimeLimit,
        MODEL_STATUS_REACHED_ITERATION_LIMIT
        | MODEL_STATUS_REACHED_SOLUTION_LIMIT
        | MODEL_STATUS_REACHED_INTERRUPT
        | MODEL_STATUS_REACHED_MEMORY_LIMIT
        | MODEL_STATUS_HIGHS_INTERRUPT
        | MODEL_STATUS_OBJECTIVE_BOUND
        | MODEL_STATUS_OBJECTIVE_TARGET => RunStatus::OtherLimit,
        s => RunStatus::Error(s),
    };
    let has_solution = solved
        .int_info_value(c"primal_solution_status")
        .is_ok_and(|s| s == SOLUTION_STATUS_FEASIBLE as i64);
    let values = has_solution.then(|| solved.get_solution().columns().to_vec());
    let objective = has_solution.then(|| solved.objective_value());
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite());
    drop(solved);
    let first_incumbent = progress.state.lock().ok().and_then(|s| s.first_incumbent);
    Ok((
        Run {
            status,
            values,
            objective,
            bound,
            first_incumbent,
            seconds,
        },
        meta,
    ))
}
