//! Running the `takt` binary from CLI tests.

use std::process::{Command, Output};

/// Runs `takt ARGS` and returns its output.
pub fn takt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_takt"))
        .args(args)
        .output()
        .expect("takt runs")
}

/// Stdout then stderr, for assertion messages and searches.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
