//! The commands behind `takt`'s subcommands, as library calls. `main.rs` only parses arguments.
//! Each returns the exit status: `Ok(true)` success, `Ok(false)` "done, but the answer is no"
//! (infeasible, check failed: exit 1), `Err` bad input (exit 2).

use crate::check::check;
use crate::eval::compute_kpis;
use crate::model::{load_instance, InputError, Problem};
use crate::report::kpi_table;
use crate::schedule::{format_of, read_schedule, write_schedule};
use crate::solve::search::{search, SearchConfig};
use crate::solve::solve_dispatch;
use std::path::{Path, PathBuf};

/// Which solver `takt solve` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolverChoice {
    /// Best of the dispatching rules only (instant).
    Dispatch,
    /// Dispatching rules, then local search until the time or iteration limit.
    Heuristic,
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
    let outcome = match opts.solver {
        SolverChoice::Dispatch => solve_dispatch(&problem),
        SolverChoice::Heuristic => search(&problem, &opts.search).map(|o| o.result),
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
    info.status = Some(
        if ev.feasible() {
            "feasible"
        } else {
            "deadlines-missed"
        }
        .to_string(),
    );
    info.objective = Some(ev.value);
    info.terms = ev
        .named_terms()
        .iter()
        .zip(problem.objective.as_array())
        .filter(|(_, w)| *w != 0.0)
        .map(|((n, v), _)| (n.to_string(), *v))
        .collect();
    info.seconds = Some(started.elapsed().as_secs_f64());

    // Belt and braces: nothing leaves takt that the referee rejects.
    let violations = check(&problem, &result.schedule);
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
    println!(
        "solver: {} ({} s); status: {}",
        result.method,
        format_secs(started.elapsed().as_secs_f64()),
        if ev.feasible() {
            "feasible (no optimality proof)"
        } else {
            "hard deadlines missed"
        }
    );
    if !ev.feasible() {
        println!(
            "WARNING: {} job(s) miss their hard deadline ({} min in all): no schedule meeting every deadline was found",
            ev.terms.deadline_misses, ev.terms.deadline_excess
        );
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
