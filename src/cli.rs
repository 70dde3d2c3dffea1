//! The commands behind `takt`'s subcommands, as library calls. `main.rs` only parses arguments.
//! Each returns the exit status: `Ok(true)` success, `Ok(false)` "done, but the answer is no"
//! (infeasible, check failed: exit 1), `Err` bad input (exit 2).

use crate::check::check;
use crate::eval::compute_kpis;
use crate::model::{load_instance, InputError, Problem};
use crate::report::kpi_table;
use crate::schedule::{read_schedule, write_schedule, Format};
use crate::solve::solve_dispatch;
use std::path::{Path, PathBuf};

/// Options of `takt solve`.
#[derive(Debug, Clone)]
pub struct SolveOptions {
    pub instance: PathBuf,
    pub output: Option<PathBuf>,
    pub quiet: bool,
}

fn check_output_path(path: &Path) -> Result<(), InputError> {
    if Format::of(path).is_none() {
        return Err(InputError::invalid(
            &path.display().to_string(),
            vec![crate::model::Diagnostic::at(
                "",
                "unknown schedule format: use .yaml, .yml or .csv",
            )],
        ));
    }
    Ok(())
}

fn summary(problem: &Problem) -> String {
    format!(
        "{}: {} jobs, {} operations, {} machines, {} plants",
        problem.name,
        problem.jobs.len(),
        problem.ops.len(),
        problem.machines.len(),
        problem.plants.len()
    )
}

/// `takt solve`: solves, prints KPIs on stdout, writes the schedule if asked.
pub fn solve(opts: &SolveOptions) -> Result<bool, InputError> {
    if let Some(o) = &opts.output {
        check_output_path(o)?;
    }
    let problem = load_instance(&opts.instance)?;
    if !opts.quiet {
        eprintln!("{}", summary(&problem));
    }
    let started = std::time::Instant::now();
    let mut result = match solve_dispatch(&problem) {
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
    println!("{}", summary(&problem));
    println!(
        "solver: {} ({} s)",
        result.method,
        format_secs(started.elapsed().as_secs_f64())
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
    let problem = load_instance(instance)?;
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
