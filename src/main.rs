//! The `takt` command line: argument parsing only; every command is a library call in `takt::cli`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// Solve an instance; print KPIs; write the schedule with -o (.yaml or .csv).
    Solve {
        instance: PathBuf,
        /// Where to write the schedule (.yaml, .yml or .csv); written atomically.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// No progress on stderr.
        #[arg(short, long)]
        quiet: bool,
    },
    /// The referee: list every rule a schedule breaks (exit 1 if any).
    Check {
        instance: PathBuf,
        schedule: PathBuf,
    },
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
            quiet,
        } => takt::cli::solve(&takt::cli::SolveOptions {
            instance,
            output,
            quiet,
        }),
        Command::Check { instance, schedule } => takt::cli::check_command(&instance, &schedule),
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
