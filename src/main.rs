//! The `takt` command line: argument parsing only; every command is a library call in `takt::cli`.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use takt::cli::{SolveOptions, SolverChoice};
use takt::solve::search::SearchConfig;

#[derive(Parser)]
#[command(
    name = "takt",
    version,
    about = "Production scheduling: solve, check and report schedules"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Solver {
    /// Dispatching rules then local search (the default).
    Heuristic,
    /// Dispatching rules only: instant.
    Dispatch,
    /// The exact MIP (HiGHS): a proven bound and gap; optimal only with a proof.
    Mip,
    /// Local search, then the MIP from its schedule (falls back to the search's schedule).
    Auto,
}

#[derive(Subcommand)]
enum Command {
    /// Solve an instance (takt YAML, or a benchmark file: .txt job shop, .fjs, wtNN.txt#k);
    /// print KPIs; write the schedule with -o (.yaml or .csv).
    Solve {
        instance: PathBuf,
        /// Where to write the schedule (.yaml, .yml or .csv); written atomically.
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "heuristic")]
        solver: Solver,
        /// Wall-clock limit, e.g. 30s, 2m, 500ms (default 10s unless --iterations is given).
        #[arg(long, value_parser = parse_time_limit)]
        time_limit: Option<std::time::Duration>,
        /// Iteration limit over all threads: with a seed, the result is reproducible.
        #[arg(long)]
        iterations: Option<u64>,
        /// Stop after this many iterations without improvement (default 200000 when neither
        /// --time-limit nor --iterations is given, so small instances finish early).
        #[arg(long)]
        stall: Option<u64>,
        #[arg(long, default_value_t = 1)]
        threads: usize,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// No progress on stderr.
        #[arg(short, long)]
        quiet: bool,
    },
    /// The referee: list every rule a schedule breaks (exit 1 if any).
    Check {
        instance: PathBuf,
        schedule: PathBuf,
    },
    /// KPIs of one or more schedules side by side; Gantt (SVG), HTML report, dispatch lists.
    Report(takt::report::ReportArgs),
    /// Why a job completes when it does: the chain of causes from its last operation back.
    Explain(takt::report::ExplainArgs),
    /// Run a benchmark set: gap to best-known values, every schedule through the referee.
    Bench(takt::bench::BenchArgs),
    /// Convert a benchmark file (.txt job shop, .fjs, wtNN.txt#k) to takt YAML.
    Convert(takt::bench::ConvertArgs),
    /// Generate a realistic random multi-plant instance (takt YAML).
    Generate(takt::bench::GenerateArgs),
    /// Repair a plan after disruptions (events file: breakdowns, rush orders, cancellations,
    /// order changes, material delays, quality holds, calendar changes): operations started
    /// before --now stay, the frozen window keeps machine and order, the rest is re-optimised
    /// with a stability term. Prints the changes and KPIs before/after.
    Reschedule {
        instance: PathBuf,
        /// The plan being executed (.yaml or .csv), as `takt solve -o` writes it.
        schedule: PathBuf,
        /// The events file (YAML; see README, "Rescheduling").
        events: PathBuf,
        /// The current instant: ISO datetime or minutes from the horizon start.
        #[arg(long)]
        now: String,
        /// Frozen window after --now: operations planned to start in it keep machine and order
        /// unless an event touches them (e.g. 8h, 1d; 0 for none).
        #[arg(long, default_value = "8h", value_parser = parse_minutes)]
        freeze: i64,
        /// Stability weight: objective cost per hour an operation's start moves away from the
        /// plan (earlier or later). The default 10 makes an hour's move cost as much as 10
        /// minutes of weighted tardiness (weight 1); 0 re-optimises freely.
        #[arg(long, default_value_t = 10.0)]
        stability: f64,
        /// Objective cost per operation moved to another machine (default: 4 × --stability,
        /// i.e. four hours' worth of moving).
        #[arg(long)]
        machine_change: Option<f64>,
        /// Objective cost per operation that stays on its machine but gets another operation
        /// just before it there (default: 2 × --stability): keeps the sequences the shop floor
        /// has.
        #[arg(long)]
        sequence_change: Option<f64>,
        /// Where to write the new schedule (.yaml, .yml or .csv); written atomically.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Write the patched instance (events applied, started operations pinned, frozen
        /// window pinned) as YAML: `takt check` it with the new schedule.
        #[arg(long)]
        write_instance: Option<PathBuf>,
        /// Write the per-operation change report (CSV).
        #[arg(long)]
        changes: Option<PathBuf>,
        /// Re-optimise only the operations the events reach: one the right-shift repair leaves
        /// on its old machine at its old start stays exactly there.
        #[arg(long)]
        only_affected: bool,
        /// Wall-clock limit of the whole repair (default 4s unless --iterations is given).
        #[arg(long, value_parser = parse_time_limit)]
        time_limit: Option<std::time::Duration>,
        /// Iteration limit of the search over all threads (reproducible with a seed).
        #[arg(long)]
        iterations: Option<u64>,
        #[arg(long, default_value_t = 1)]
        threads: usize,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// No progress on stderr.
        #[arg(short, long)]
        quiet: bool,
    },
    /// What-if capacity scenarios: solve the instance and each patched copy (add a shift, take
    /// a machine out, add one, move a family to another plant) with the same seed and limits;
    /// KPIs side by side, base first.
    Scenarios {
        instance: PathBuf,
        /// Scenario files (YAML: `name`, `changes`; see README, "Scenarios").
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "heuristic")]
        solver: ScenarioSolverArg,
        /// Wall-clock limit per solve (default 10s unless --iterations is given).
        #[arg(long, value_parser = parse_time_limit)]
        time_limit: Option<std::time::Duration>,
        /// Iteration limit per solve (reproducible with a seed).
        #[arg(long)]
        iterations: Option<u64>,
        #[arg(long, default_value_t = 1)]
        threads: usize,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Write each patched instance to DIR/<scenario name>.yaml.
        #[arg(long)]
        write_instances: Option<PathBuf>,
        /// The table as JSON.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// The table as CSV.
        #[arg(long)]
        csv: bool,
        /// No progress on stderr.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Print (or write with -o) the JSON Schema of instances, events or scenario files.
    Schema(takt::schema::SchemaArgs),
    /// Write the MIP as HiGHS reads it (.lp or .mps).
    ExportModel {
        instance: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ScenarioSolverArg {
    /// Dispatching rules then local search.
    Heuristic,
    /// Dispatching rules only: instant.
    Dispatch,
}

/// A span in whole minutes: `8h`, `90m`, `1d`, or plain minutes.
fn parse_minutes(s: &str) -> Result<i64, String> {
    if let Ok(m) = s.trim().parse::<i64>() {
        return Ok(m);
    }
    takt::model::time::parse_duration(s)
}

/// `30s`, `2m`, `500ms`, `1h`, or plain seconds.
fn parse_time_limit(s: &str) -> Result<std::time::Duration, String> {
    if let Ok(secs) = s.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Ok(std::time::Duration::from_secs_f64(secs));
        }
    }
    let span: jiff::Span = s
        .parse()
        .map_err(|e| format!("`{s}` is not a duration like 30s or 2m: {e}"))?;
    let d = jiff::SignedDuration::try_from(span).map_err(|e| format!("`{s}`: {e}"))?;
    std::time::Duration::try_from(d).map_err(|e| format!("`{s}`: {e}"))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Solve {
            instance,
            output,
            solver,
            time_limit,
            iterations,
            stall,
            threads,
            seed,
            quiet,
        } => {
            // Ctrl-C stops the search, which then returns (and writes) the best schedule so far.
            let stop = Arc::new(AtomicBool::new(false));
            let flag = stop.clone();
            let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));
            // Without limits: at most 10 s, and less when the search stops improving.
            let (time_limit, stall) = match (time_limit, iterations) {
                (None, None) => (
                    Some(std::time::Duration::from_secs(10)),
                    stall.or(Some(200_000)),
                ),
                (t, _) => (t, stall),
            };
            takt::cli::solve(&SolveOptions {
                instance,
                output,
                quiet,
                solver: match solver {
                    Solver::Heuristic => SolverChoice::Heuristic,
                    Solver::Dispatch => SolverChoice::Dispatch,
                    Solver::Mip => SolverChoice::Mip,
                    Solver::Auto => SolverChoice::Auto,
                },
                search: SearchConfig {
                    time_limit,
                    iterations,
                    threads: threads.max(1),
                    seed,
                    quiet,
                    stop: Some(stop),
                    stall,
                },
            })
        }
        Command::Reschedule {
            instance,
            schedule,
            events,
            now,
            freeze,
            stability,
            machine_change,
            sequence_change,
            output,
            write_instance,
            changes,
            only_affected,
            time_limit,
            iterations,
            threads,
            seed,
            quiet,
        } => {
            let stop = Arc::new(AtomicBool::new(false));
            let flag = stop.clone();
            let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));
            // A repair is meant to be quick: at most 4 s by default, less when it stalls.
            let (time_limit, stall) = match (time_limit, iterations) {
                (None, None) => (Some(std::time::Duration::from_secs(4)), Some(100_000)),
                (t, _) => (t, None),
            };
            takt::reschedule::reschedule_command(&takt::reschedule::RescheduleOptions {
                instance,
                schedule,
                events,
                now,
                freeze,
                stability,
                machine_change,
                sequence_change,
                output,
                write_instance,
                changes,
                only_affected,
                quiet,
                search: SearchConfig {
                    time_limit,
                    iterations,
                    threads: threads.max(1),
                    seed,
                    quiet,
                    stop: Some(stop),
                    stall,
                },
            })
        }
        Command::Scenarios {
            instance,
            scenarios,
            solver,
            time_limit,
            iterations,
            threads,
            seed,
            write_instances,
            json,
            csv,
            quiet,
        } => {
            // The same defaults as `takt solve`.
            let (time_limit, stall) = match (time_limit, iterations) {
                (None, None) => (Some(std::time::Duration::from_secs(10)), Some(200_000)),
                (t, _) => (t, None),
            };
            takt::reschedule::scenarios_command(&takt::reschedule::ScenarioOptions {
                instance,
                scenarios,
                solver: match solver {
                    ScenarioSolverArg::Heuristic => {
                        takt::reschedule::scenarios::ScenarioSolver::Heuristic
                    }
                    ScenarioSolverArg::Dispatch => {
                        takt::reschedule::scenarios::ScenarioSolver::Dispatch
                    }
                },
                search: SearchConfig {
                    time_limit,
                    iterations,
                    threads: threads.max(1),
                    seed,
                    quiet,
                    stop: None,
                    stall,
                },
                write_instances,
                json,
                csv,
                quiet,
            })
        }
        Command::Check { instance, schedule } => takt::cli::check_command(&instance, &schedule),
        Command::Report(args) => takt::report::report_command(&args),
        Command::Explain(args) => takt::report::explain_command(&args),
        Command::Bench(args) => takt::bench::bench_command(&args),
        Command::Convert(args) => takt::bench::convert_command(&args),
        Command::Generate(args) => takt::bench::generate_command(&args),
        Command::Schema(args) => takt::schema::schema_command(&args),
        Command::ExportModel { instance, output } => {
            takt::cli::export_model_command(&instance, &output)
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
