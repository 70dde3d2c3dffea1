//! The `takt` command line: argument parsing only; every command is a library call in `takt::cli`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use takt::cli::SolveOptions;
use takt::options::{ctrl_c_flag, parse_minutes, parse_time_limit};
use takt::solve::search::SearchConfig;
use takt::solve::SolverChoice;

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
        solver: SolverChoice,
        /// Wall-clock limit, e.g. 30s, 2m, 500ms (default 10s unless --iterations is given).
        #[arg(long, value_parser = parse_time_limit)]
        time_limit: Option<Duration>,
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
    Convert(takt::convert::ConvertArgs),
    /// Generate a realistic random multi-plant instance (takt YAML).
    Generate(takt::generate::GenerateArgs),
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
        time_limit: Option<Duration>,
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
        solver: SolverChoice,
        /// Wall-clock limit per solve (default 10s unless --iterations is given).
        #[arg(long, value_parser = parse_time_limit)]
        time_limit: Option<Duration>,
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

fn main() -> ExitCode {
    // The clock of --time-limit: the command's start, so that reading and validating the
    // instance count against the limit (a tenth of a 1 s limit at 10k operations).
    let started = Instant::now();
    // A usage error prints clap's message and exits 2; --help and --version exit 0.
    let cli = Cli::parse();
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
            takt::cli::solve(&SolveOptions {
                instance,
                output,
                quiet,
                solver,
                // Without limits: at most 10 s, and less when the search stops improving.
                search: SearchConfig::limited(time_limit, iterations, stall)
                    .or_default_limits(Duration::from_secs(10), 200_000)
                    .threads(threads)
                    .seed(seed)
                    .quiet(quiet)
                    // Ctrl-C stops the search, which then returns (and writes) its best so far.
                    .stop(ctrl_c_flag())
                    .started(started),
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
                // A repair is meant to be quick: at most 4 s by default, less when it stalls.
                search: SearchConfig::limited(time_limit, iterations, None)
                    .or_default_limits(Duration::from_secs(4), 100_000)
                    .threads(threads)
                    .seed(seed)
                    .quiet(quiet)
                    .stop(ctrl_c_flag())
                    .started(started),
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
            takt::reschedule::scenarios_command(&takt::reschedule::ScenarioOptions {
                instance,
                scenarios,
                solver,
                // The same defaults as `takt solve`.
                search: SearchConfig::limited(time_limit, iterations, None)
                    .or_default_limits(Duration::from_secs(10), 200_000)
                    .threads(threads)
                    .seed(seed)
                    .quiet(quiet),
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
        Command::Convert(args) => takt::convert::convert_command(&args),
        Command::Generate(args) => takt::generate::generate_command(&args),
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
