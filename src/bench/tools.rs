//! `takt convert` (a benchmark file to takt YAML) and `takt generate` (a random realistic
//! instance). Both check that what they write reads back before writing it, atomically.

use crate::formats::{self, Format};
use crate::generate::{generate, GenConfig};
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

/// `takt generate --jobs N --machines M --plants P --seed S [--calendars] [--changeovers]`.
#[derive(clap::Args, Debug, Clone)]
pub struct GenerateArgs {
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub jobs: u32,
    /// Machines, in work centers of up to two parallel machines spread over the plants.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub machines: u32,
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1_000))]
    pub plants: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Two- and three-shift weekday calendars (weekends off); else machines always work.
    #[arg(long)]
    pub calendars: bool,
    /// Product families with a changeover matrix on every machine.
    #[arg(long)]
    pub changeovers: bool,
    /// Due date = release + tightness × the job's work (stretched for calendars): lower is
    /// tighter.
    #[arg(long, default_value_t = 3.0)]
    pub tightness: f64,
    /// Operators per plant on the early shift (a site-wide pool, fewer on later shifts); most
    /// operations need one, changeovers need a setter. 0: no operators.
    #[arg(long, default_value_t = 0)]
    pub operators: u32,
    /// Raw materials with stock and receipts consumed by first operations, sub-assemblies
    /// produced by some jobs and consumed by others.
    #[arg(long)]
    pub materials: bool,
    /// Hard deadlines on this share of the jobs (0–1), tight but feasible: each is the job's
    /// completion in the dispatching rules' schedule plus an hour or a tenth of its time in
    /// the shop, so a schedule meeting every deadline exists.
    #[arg(long, value_name = "SHARE")]
    pub deadlines: Option<f64>,
    /// Where to write the YAML (.yaml or .yml), atomically; stdout when absent.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Nothing on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

impl GenerateArgs {
    pub fn config(&self) -> GenConfig {
        GenConfig {
            jobs: self.jobs as usize,
            machines: self.machines as usize,
            plants: self.plants as usize,
            seed: self.seed,
            calendars: self.calendars,
            changeovers: self.changeovers,
            tightness: self.tightness,
            operators: self.operators as usize,
            materials: self.materials,
        }
    }
}

fn yaml_output(path: &Path) -> Result<(), InputError> {
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

fn emit(text: &str, output: Option<&Path>, quiet: bool, p: &Problem) -> Result<(), InputError> {
    match output {
        Some(o) => {
            write_atomic(o, text).map_err(|source| InputError::Io {
                file: o.display().to_string(),
                source,
            })?;
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

/// `takt generate`: writes a generated instance, after checking that it validates.
pub fn generate_command(args: &GenerateArgs) -> Result<bool, InputError> {
    if let Some(o) = &args.output {
        yaml_output(o)?;
    }
    if !(args.tightness.is_finite() && args.tightness > 0.0) {
        return Err(InputError::invalid(
            "--tightness",
            vec![Diagnostic::at("", "must be a positive number")],
        ));
    }
    if args.deadlines.is_some_and(|d| !(0.0..=1.0).contains(&d)) {
        return Err(InputError::invalid(
            "--deadlines",
            vec![Diagnostic::at("", "must be a share between 0 and 1")],
        ));
    }
    let mut yaml = generate(&args.config());
    if let Some(share) = args.deadlines {
        match crate::generate::add_deadlines(&yaml, share, args.seed) {
            Ok((y, _witness)) => yaml = y,
            Err(e) => {
                eprintln!("internal error: deadlines for the generated instance: {e}");
                return Ok(false);
            }
        }
    }
    let problem = match parse_instance(&yaml, "generated.yaml") {
        Ok(p) => p,
        Err(e) => {
            eprintln!("internal error: the generated instance does not validate: {e}");
            return Ok(false);
        }
    };
    emit(&yaml, args.output.as_deref(), args.quiet, &problem)?;
    Ok(true)
}
