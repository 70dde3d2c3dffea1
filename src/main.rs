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
    /// Write the MIP as HiGHS reads it (.lp or .mps).
    ExportModel {
        instance: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
    },
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
        Command::Check { instance, schedule } => takt::cli::check_command(&instance, &schedule),
        Command::Report(args) => takt::report::report_command(&args),
        Command::Explain(args) => takt::report::explain_command(&args),
        Command::Bench(args) => takt::bench::bench_command(&args),
        Command::Convert(args) => takt::bench::convert_command(&args),
        Command::Generate(args) => takt::bench::generate_command(&args),
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
