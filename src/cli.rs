//! The commands behind `takt`'s subcommands, as library calls. `main.rs` only parses arguments.
//! Each returns the exit status: `Ok(true)` success, `Ok(false)` "done, but the answer is no"
//! (infeasible, check failed: exit 1), `Err` bad input (exit 2).

use crate::check::check;
use crate::eval::compute_kpis;
use crate::model::{load_instance, Diagnostic, InputError, Problem};
use crate::report::kpi_table;
use crate::schedule::{format_of, read_schedule, write_schedule};
use crate::solve::mip::{
    export_model, solve_mip, solve_mip_from, MipError, MipModel, MipOptions, MipOutcome,
};
use crate::solve::search::{search, SearchConfig};
use crate::solve::{solve_dispatch, SolveError};
use std::path::{Path, PathBuf};

/// Which solver `takt solve` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolverChoice {
    /// Best of the dispatching rules only (instant).
    Dispatch,
    /// Dispatching rules, then local search until the time or iteration limit.
    Heuristic,
    /// The exact MIP (HiGHS), warm-started from the dispatching rules: bound and gap.
    Mip,
    /// Local search for part of the time, then the MIP from its schedule for the rest; the
    /// heuristic's schedule stands when the MIP cannot model the instance or finds nothing.
    Auto,
}

/// Options of `takt solve`.
#[derive(Debug, Clone)]
pub struct SolveOptions {
    pub instance: PathBuf,
    pub output: Option<PathBuf>,
    pub quiet: bool,
    pub solver: SolverChoice,
    pub search: SearchConfig,
}

/// Reads an instance: takt YAML by extension (`.yaml`, `.yml`), else a benchmark file whose
/// format is guessed from its name (`.txt` job shop, `.fjs` flexible job shop, `wtNN.txt#k`).
pub fn load_any(path: &Path) -> Result<Problem, InputError> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml") | Some("yml") => load_instance(path),
        _ => crate::formats::read(&path.display().to_string(), None),
    }
}

/// `takt solve`: solves, prints KPIs on stdout, writes the schedule if asked.
pub fn solve(opts: &SolveOptions) -> Result<bool, InputError> {
    if let Some(o) = &opts.output {
        format_of(o)?;
    }
    let problem = load_any(&opts.instance)?;
    let started = std::time::Instant::now();
    let file = opts.instance.display().to_string();
    // The heuristic's answer (if it ran) and the MIP's (if it ran); `auto` runs both, the
    // search for 30 % of the time, then the MIP from its schedule.
    let (heuristic, mip) = match opts.solver {
        SolverChoice::Dispatch => (Some(solve_dispatch(&problem)), None),
        SolverChoice::Heuristic => (Some(search(&problem, &opts.search).map(|o| o.result)), None),
        SolverChoice::Mip => (None, Some(solve_mip(&problem, &mip_options(opts, 1.0)))),
        SolverChoice::Auto if crate::solve::mip::supports(&problem).is_err() => {
            // The MIP would refuse (e.g. secondary resources): the search gets all the time.
            if let (Err(e), false) = (crate::solve::mip::supports(&problem), opts.quiet) {
                eprintln!("MIP not used ({e}); the local search runs for the whole limit");
            }
            (Some(search(&problem, &opts.search).map(|o| o.result)), None)
        }
        SolverChoice::Auto => {
            let mut cfg = opts.search.clone();
            cfg.time_limit = opts.search.time_limit.map(|t| t.mul_f64(0.3));
            match search(&problem, &cfg) {
                Err(e) => (Some(Err(e)), None),
                Ok(h) => {
                    let m = solve_mip_from(&problem, &mip_options(opts, 0.7), Some(&h.result));
                    (Some(Ok(h.result)), Some(m))
                }
            }
        }
    };
    let mut proof: Option<MipOutcome> = None;
    let outcome = match (heuristic, mip) {
        (_, Some(Ok(o))) => {
            let r = o.result.clone();
            proof = Some(o);
            Ok(r)
        }
        (_, Some(Err(MipError::Infeasible(msg)))) => {
            eprintln!("{file}: infeasible (proven by the MIP): {msg}");
            return Ok(false);
        }
        (None, Some(Err(MipError::Unsupported(msg)))) => {
            return Err(InputError::invalid(
                &file,
                vec![Diagnostic::at(
                    "",
                    format!("the MIP cannot model this instance exactly: {msg} (use --solver heuristic or auto)"),
                )],
            ))
        }
        (None, Some(Err(e))) => Err(SolveError::NoSchedule(e.to_string())),
        (Some(h), Some(Err(e))) => {
            if !opts.quiet {
                eprintln!("MIP not used ({e}); keeping the local search's schedule");
            }
            h
        }
        (Some(h), None) => h,
        (None, None) => unreachable!("every solver choice runs at least one solver"),
    };
    let mut result = match outcome {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: {e}", opts.instance.display());
            return Ok(false);
        }
    };
    let ev = result.evaluation;
    let info = &mut result.schedule.info;
    info.solver = Some(result.method.clone());
    info.status = Some(match &proof {
        Some(o) => o.status.as_str().to_string(),
        None if ev.feasible() => "feasible".to_string(),
        None => "deadlines-missed".to_string(),
    });
    if let Some(o) = &proof {
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
    info.seconds = Some(started.elapsed().as_secs_f64());

    // Belt and braces: nothing leaves takt that the referee rejects. Missed hard deadlines are
    // the one exception: when no schedule meeting them all was found, the best one is still
    // written and the misses listed (exit 1); any other violation is a bug.
    let (missed, violations): (Vec<_>, Vec<_>) = check(&problem, &result.schedule)
        .into_iter()
        .partition(|v| v.rule == crate::check::Rule::Deadline);
    if !violations.is_empty() {
        for v in &violations {
            eprintln!(
                "internal error: referee rejects the solver's schedule: {}",
                v.message
            );
        }
        return Ok(false);
    }
    let kpis = compute_kpis(&problem, &result.schedule);
    println!("{}", problem.summary());
    let status = match &proof {
        Some(o) => format!(
            "{}; bound {}; gap {}",
            o.status.as_str(),
            o.bound.map_or("-".to_string(), |b| format!("{b:.6}")),
            o.gap
                .map_or("-".to_string(), |g| format!("{:.4}%", 100.0 * g))
        ),
        None if ev.feasible() => "feasible (no optimality proof)".to_string(),
        None => "hard deadlines missed".to_string(),
    };
    println!(
        "solver: {} ({} s); status: {}",
        result.method,
        format_secs(started.elapsed().as_secs_f64()),
        status
    );
    if !ev.feasible() {
        println!(
            "WARNING: {} job(s) miss their hard deadline ({} min in all): no schedule meeting every deadline was found",
            ev.terms.deadline_misses, ev.terms.deadline_excess
        );
        for v in &missed {
            println!("  missed deadline: {}", v.message);
        }
    }
    print!("{}", kpi_table(&problem, &[("schedule", &kpis)]));
    if let Some(o) = &opts.output {
        write_schedule(&problem, &result.schedule, o)?;
        if !opts.quiet {
            eprintln!("wrote {}", o.display());
        }
    }
    Ok(ev.feasible())
}

fn format_secs(s: f64) -> String {
    format!("{s:.3}")
}

/// `takt check`: the referee. Prints every violation; `Ok(false)` if any.
pub fn check_command(instance: &Path, schedule: &Path) -> Result<bool, InputError> {
    let problem = load_any(instance)?;
    let sched = read_schedule(&problem, schedule)?;
    let violations = check(&problem, &sched);
    if violations.is_empty() {
        let ev = crate::eval::evaluate_schedule(&problem, &sched);
        println!(
            "valid: {} operations on {} machines; objective {}",
            sched.ops.len(),
            problem.machines.len(),
            ev.value
        );
        return Ok(true);
    }
    for v in &violations {
        println!("{}: [{}] {}", schedule.display(), v.rule.code(), v.message);
    }
    println!("{} violation(s)", violations.len());
    Ok(false)
}

/// The MIP's options from `takt solve`'s: `share` of the time limit (10 s when none is given).
fn mip_options(opts: &SolveOptions, share: f64) -> MipOptions {
    let limit = opts.search.time_limit.map_or(10.0, |t| t.as_secs_f64());
    MipOptions {
        time_limit: Some(limit * share),
        rel_gap: 1e-6,
        threads: Some(opts.search.threads.max(1) as u32),
        quiet: opts.quiet,
        warm_start: true,
        max_binaries: 200_000,
        model: MipModel::Auto,
    }
}

/// `takt export-model`: the MIP as HiGHS reads it, in LP or MPS format by extension.
pub fn export_model_command(instance: &Path, output: &Path) -> Result<bool, InputError> {
    let problem = load_any(instance)?;
    let out = output.display().to_string();
    let ext = output.extension().and_then(|e| e.to_str()).unwrap_or("");
    if !matches!(ext, "lp" | "mps") {
        return Err(InputError::invalid(
            &out,
            vec![Diagnostic::at("", "unknown model format: use .lp or .mps")],
        ));
    }
    match export_model(&problem, output) {
        Ok(stats) => {
            eprintln!("wrote {} ({stats:?})", output.display());
            Ok(true)
        }
        Err(MipError::Export { path, message }) => Err(InputError::invalid(
            &path,
            vec![Diagnostic::at("", message)],
        )),
        Err(e) => Err(InputError::invalid(
            &instance.display().to_string(),
            vec![Diagnostic::at("", e.to_string())],
        )),
    }
}
