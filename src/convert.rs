//! `takt convert`: a benchmark file (job shop, flexible job shop, weighted tardiness) to takt
//! YAML, checked to read back to the same problem before it is written, atomically. The output
//! helpers here are shared with `takt generate` ([`crate::generate`]): both write takt YAML.

use crate::formats::{self, Format};
use crate::model::{parse_instance, Diagnostic, InputError, Problem};
use crate::schedule::write_atomic;
use std::path::{Path, PathBuf};

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

/// `takt convert FILE [--format jssp|fjsp|smwt] [-o instance.yaml]`.
#[derive(clap::Args, Debug, Clone)]
pub struct ConvertArgs {
    /// The benchmark file; `wt40.txt#17` picks one instance of a file holding several.
    pub file: String,
    /// jssp (OR-Library or Taillard layout), fjsp (.fjs) or smwt (OR-Library wtNN.txt);
    /// guessed from the file name when absent.
    #[arg(long, value_parser = parse_format)]
    pub format: Option<Format>,
    /// Where to write the takt YAML (.yaml or .yml), atomically; stdout when absent.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Nothing on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// An output path for takt YAML: `.yaml` or `.yml`, else a clear error before any work.
pub(crate) fn yaml_output(path: &Path) -> Result<(), InputError> {
    let ok = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    if ok {
        Ok(())
    } else {
        Err(InputError::invalid(
            &path.display().to_string(),
            vec![Diagnostic::at(
                "",
                "the output is a takt instance: name it .yaml or .yml",
            )],
        ))
    }
}

fn describe(p: &Problem) -> String {
    p.summary()
}

/// Writes `text` to `output` atomically (stdout when absent), naming what it wrote on stderr.
pub(crate) fn emit(
    text: &str,
    output: Option<&Path>,
    quiet: bool,
    p: &Problem,
) -> Result<(), InputError> {
    match output {
        Some(o) => {
            write_atomic(o, text).map_err(|source| InputError::write(o.display(), source))?;
            if !quiet {
                eprintln!("wrote {} ({})", o.display(), describe(p));
            }
        }
        None => print!("{text}"),
    }
    Ok(())
}

/// `takt convert`: reads the benchmark file, writes it as takt YAML, after checking that the YAML
/// reads back to the same problem. `Ok(false)` if it does not (a bug: nothing is written).
pub fn convert_command(args: &ConvertArgs) -> Result<bool, InputError> {
    if let Some(o) = &args.output {
        yaml_output(o)?;
    }
    let problem = formats::read(&args.file, args.format)?;
    let yaml = formats::to_yaml(&problem);
    let back = parse_instance(&yaml, "converted.yaml");
    match back {
        Ok(q) if formats::to_yaml(&q) == yaml => {}
        Ok(_) => {
            eprintln!(
                "internal error: {}: the YAML does not read back to the same problem; nothing written",
                args.file
            );
            return Ok(false);
        }
        Err(e) => {
            eprintln!(
                "internal error: {}: the YAML does not read back: {e}",
                args.file
            );
            return Ok(false);
        }
    }
    emit(&yaml, args.output.as_deref(), args.quiet, &problem)?;
    Ok(true)
}
