//! The commands behind `takt`'s subcommands, as library calls. `main.rs` only parses arguments.
//! Each returns the exit status: `Ok(true)` success, `Ok(false)` "done, but the answer is no"
//! (infeasible, check failed: exit 1), `Err` bad input (exit 2).

use crate::check::check;
use crate::eval::compute_kpis;
use crate::formats::load_any;
use crate::model::{Diagnostic, InputError};
use crate::report::kpi_table;
use crate::schedule::{format_of, read_schedule, write_schedule};
use crate::solve::mip::{export_model, MipError};
use crate::solve::search::SearchConfig;
use crate::solve::{RunError, SolverChoice};
use std::path::{Path, PathBuf};

/// Options of `takt solve`.
#[derive(Debug, Clone)]
pub struct SolveOptions {
    pub instance: PathBuf,
    pub output: Option<PathBuf>,
    pub quiet: bool,
    pub solver: SolverChoice,
    pub search: SearchConfig,
}

/// `takt solve`: solves, prints KPIs on stdout, writes the schedule if asked. The time limit
/// and the seconds reported count from `opts.search.started` (the command's start, so loading
/// the instance is inside the limit), else from this call.
pub fn solve(opts: &SolveOptions) -> Result<bool, InputError> {
    let started = opts.search.clock();
    let search = opts.search.clone().started(started);
    if let Some(o) = &opts.output {
        format_of(o)?;
    }
    let problem = load_any(&opts.instance)?;
    let file = opts.instance.display().to_string();
    let solved = match crate::solve::run(&problem, opts.solver, &search) {
        Ok(s) => s,
        Err(RunError::Infeasible(msg)) => {
            eprintln!("{file}: infeasible (proven by the MIP): {msg}");
            return Ok(false);
        }
        Err(e @ RunError::Unsupported(_)) => {
            return Err(InputError::invalid(
                &file,
                vec![Diagnostic::at("", e.to_string())],
            ))
        }
        Err(RunError::NoSchedule(e)) => {
            eprintln!("{file}: {e}");
            return Ok(false);
        }
    };
    if !opts.quiet {
        for note in &solved.notes {
            eprintln!("{note}");
        }
    }
    let proof = solved.proof;
    let mut result = solved.result;
    crate::solve::annotate(
        &problem,
        &mut result,
        proof.as_ref(),
        started.elapsed().as_secs_f64(),
    );
    let ev = result.evaluation;
    let cert = crate::solve::bound::certify(&problem, &ev, proof.as_ref().and_then(|o| o.bound));

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
        _ if cert.optimal && ev.feasible() => format!(
            "{}; objective {}, {}",
            crate::solve::bound::OPTIMAL_BOUND_MET,
            ev.value,
            crate::solve::bound::describe(ev.value, cert.bound)
        ),
        Some(o) => format!(
            "{}; bound {}; gap {}",
            o.status.as_str(),
            o.bound.map_or("-".to_string(), |b| format!("{b:.6}")),
            o.gap
                .map_or("-".to_string(), |g| format!("{:.4}%", 100.0 * g))
        ),
        None if ev.feasible() => format!(
            "feasible; objective {}, {}",
            ev.value,
            crate::solve::bound::describe(ev.value, cert.bound)
        ),
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
