//! Benchmark files -> the same [`Problem`] as a takt instance, and any [`Problem`] -> takt YAML.
//!
//! * [`jssp`]: classic job shop, OR-Library "standard" layout or Taillard's own layout;
//! * [`fjsp`]: flexible job shop, Brandimarte `.fjs`;
//! * [`smwt`]: single-machine total weighted tardiness, OR-Library `wt40/wt50/wt100`.
//!
//! Every benchmark becomes one plant `shop` with always-available machines named after the file's
//! numbering (`M0..` for the standard job shop, `M1..` for Taillard and `.fjs` files), jobs
//! `J1..` with operations `o1..`, and the horizon start 2026-01-05T00:00 (a Monday). Files that
//! hold several instances are addressed as `file#k` (1-based), for example `wt40.txt#17`.
//!
//! Malformed files give [`InputError::Invalid`] with the line and column of each problem.

pub mod fjsp;
pub mod jssp;
pub mod smwt;
mod text;
pub mod to_raw;

pub use to_raw::to_raw;

use crate::model::{Diagnostic, InputError, ObjectiveWeights, Problem};
use jiff::civil::DateTime;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// A benchmark file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Classic job shop (standard or Taillard layout), makespan.
    Jssp,
    /// Flexible job shop, Brandimarte `.fjs`, makespan.
    Fjsp,
    /// Single-machine total weighted tardiness, OR-Library `wtNN.txt`.
    Smwt,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Jssp, Format::Fjsp, Format::Smwt];

    /// The name used on the command line: `jssp`, `fjsp` or `smwt`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jssp => "jssp",
            Format::Fjsp => "fjsp",
            Format::Smwt => "smwt",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "jssp" => Ok(Format::Jssp),
            "fjsp" => Ok(Format::Fjsp),
            "smwt" => Ok(Format::Smwt),
            _ => Err(format!(
                "unknown benchmark format `{s}` (known: jssp, fjsp, smwt)"
            )),
        }
    }
}

/// The format a file name suggests: `.fjs` is a flexible job shop, `wtNN.txt` a weighted
/// tardiness file, any other `.txt` (or a name without extension, as in JSPLIB) a job shop.
pub fn guess_format(path: &str) -> Option<Format> {
    let p = Path::new(path);
    let ext = p
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("fjs") => Some(Format::Fjsp),
        Some("txt") | None => {
            if smwt::jobs_from_name(path).is_some() {
                Some(Format::Smwt)
            } else {
                Some(Format::Jssp)
            }
        }
        _ => None,
    }
}

/// Reads any instance: takt YAML by extension (`.yaml`, `.yml`), else a benchmark file whose
/// format is guessed from its name (`.txt` job shop, `.fjs` flexible job shop, `wtNN.txt#k`).
/// Every command that takes an instance reads it through here.
pub fn load_any(path: &Path) -> Result<Problem, InputError> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml") | Some("yml") | Some("json") => crate::model::load_instance(path),
        _ => read(&path.display().to_string(), None),
    }
}

/// Reads a benchmark instance. `path` may end in `#k` to pick the `k`-th (1-based) instance of
/// a file holding several (`wt40.txt#17`). With `format` `None` the format is guessed from the
/// file name (see [`guess_format`]).
pub fn read(path: &str, format: Option<Format>) -> Result<Problem, InputError> {
    let (file, index) = split_index(path)?;
    let format = format_of(&file, format)?;
    let text = read_text(&file)?;
    let name = stem(&file);
    match format {
        Format::Jssp => jssp::parse(&text, &file, &name, index),
        Format::Fjsp => {
            let p = fjsp::parse(&text, &file, &name)?;
            pick_index(&text, &file, index, 1)?;
            Ok(p)
        }
        Format::Smwt => {
            let n = smwt::jobs_for(&file, None)?;
            smwt::parse(&text, &file, n, index, &name)
        }
    }
}

/// How many instances the file holds (`#1..#count` address them). Any `#k` suffix is ignored.
pub fn count_instances(path: &str, format: Option<Format>) -> Result<usize, InputError> {
    let (file, _) = split_index(path)?;
    let format = format_of(&file, format)?;
    let text = read_text(&file)?;
    match format {
        Format::Jssp => jssp::count(&text, &file),
        Format::Fjsp => fjsp::parse(&text, &file, "").map(|_| 1),
        Format::Smwt => smwt::count(&text, &file, smwt::jobs_for(&file, None)?),
    }
}

fn format_of(file: &str, format: Option<Format>) -> Result<Format, InputError> {
    format.or_else(|| guess_format(file)).ok_or_else(|| {
        InputError::invalid(
            file,
            vec![Diagnostic::at(
                "",
                "cannot tell the benchmark format from the file name (.txt: job shop, \
                 wtNN.txt: weighted tardiness, .fjs: flexible job shop); give the format \
                 (jssp, fjsp or smwt)",
            )],
        )
    })
}

/// Splits `file#k` into the file and the 1-based index. A path that exists as written is taken
/// whole, even if it contains `#`.
pub(crate) fn split_index(path: &str) -> Result<(String, Option<usize>), InputError> {
    if Path::new(path).exists() {
        return Ok((path.to_string(), None));
    }
    match path.rsplit_once('#') {
        Some((file, k)) if !k.contains(['/', '\\']) => match k.trim().parse::<usize>() {
            Ok(k) => Ok((file.to_string(), Some(k))),
            Err(_) => Err(InputError::invalid(
                file,
                vec![Diagnostic::at(
                    "",
                    format!(
                        "`#{k}`: an instance is picked with a positive integer, as in `file#17`"
                    ),
                )],
            )),
        },
        _ => Ok((path.to_string(), None)),
    }
}

/// Checks the 1-based `index` against the `total` number of instances in the file.
pub(crate) fn pick_index(
    text: &str,
    file: &str,
    index: Option<usize>,
    total: usize,
) -> Result<usize, InputError> {
    let plural = |n: usize| if n == 1 { "instance" } else { "instances" };
    match index {
        None if total == 1 => Ok(1),
        None => Err(InputError::invalid(
            file,
            vec![Diagnostic::at(
                "",
                format!(
                    "the file holds {total} {}: pick one as `{file}#k` with k in 1..={total}",
                    plural(total)
                ),
            )],
        )),
        Some(0) => Err(InputError::invalid(
            file,
            vec![Diagnostic::at("", "`#0`: instances are numbered from 1")],
        )),
        Some(k) if k > total => Err(invalid(
            file,
            text::diag_at(
                text::eof(text),
                format!(
                    "instance {k} was asked for, but the file holds only {total} {}",
                    plural(total)
                ),
            ),
        )),
        Some(k) => Ok(k),
    }
}

pub(crate) fn invalid(file: &str, d: Diagnostic) -> InputError {
    InputError::invalid(file, vec![d])
}

pub(crate) fn read_text(file: &str) -> Result<String, InputError> {
    std::fs::read_to_string(file).map_err(|source| InputError::Io {
        file: file.to_string(),
        source,
    })
}

/// The file name without directory and extension (`../x/wt40.txt` -> `wt40`).
pub(crate) fn stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "instance".to_string())
}

/// The horizon start of every benchmark problem: Monday 2026-01-05 00:00.
pub fn benchmark_start() -> DateTime {
    jiff::civil::date(2026, 1, 5).at(0, 0, 0, 0)
}

/// A benchmark read from a file, before it becomes a [`Problem`].
pub(crate) struct Shop {
    pub name: String,
    pub machines: Vec<String>,
    pub jobs: Vec<ShopJob>,
    pub objective: ObjectiveWeights,
}

pub(crate) struct ShopJob {
    pub due: Option<i64>,
    pub weight: f64,
    /// Per operation, its modes (dense machine index, duration).
    pub ops: Vec<Vec<(u32, i64)>>,
}

impl Shop {
    /// One plant `shop`, machines always available, jobs `J1..` with operations `o1..`, built
    /// as a takt instance and validated like any other: a benchmark file becomes a [`Problem`]
    /// only through [`crate::model::validate`]. `file` names the source in errors.
    pub fn build(self, file: &str) -> Result<Problem, InputError> {
        use crate::model::raw::{
            RawEligible, RawHorizon, RawInstance, RawJob, RawMachine, RawOperation, RawPlant,
        };
        use crate::model::time::{RawDateTime, RawDuration, RawInstant};
        let machines: Vec<RawMachine> = self
            .machines
            .iter()
            .map(|id| RawMachine {
                id: id.clone(),
                plant: "shop".to_string(),
                calendar: None,
                changeovers: None,
                initial_family: None,
                downtime: Vec::new(),
                changeover_require: Vec::new(),
            })
            .collect();
        let jobs = self
            .jobs
            .into_iter()
            .enumerate()
            .map(|(j, job)| RawJob {
                id: format!("J{}", j + 1),
                release: None,
                due: job.due.map(RawInstant::Minutes),
                deadline: None,
                weight: Some(job.weight),
                family: None,
                quantity: None,
                produce: Default::default(),
                operations: job
                    .ops
                    .into_iter()
                    .enumerate()
                    .map(|(o, modes)| RawOperation {
                        id: format!("o{}", o + 1),
                        machines: RawEligible::WithDurations(
                            modes
                                .into_iter()
                                .map(|(m, d)| (self.machines[m as usize].clone(), RawDuration(d)))
                                .collect(),
                        ),
                        duration: None,
                        family: None,
                        atomic: false,
                        pinned: None,
                        not_before: None,
                        require: Vec::new(),
                        consume: Default::default(),
                    })
                    .collect(),
            })
            .collect();
        let objective = ObjectiveWeights::TERMS
            .iter()
            .zip(self.objective.as_array())
            .filter(|(_, w)| w != &0.0)
            .map(|(t, w)| (t.to_string(), w))
            .collect();
        let raw = RawInstance {
            name: Some(self.name),
            horizon: RawHorizon {
                start: RawDateTime(benchmark_start()),
                end: None,
            },
            objective: Some(objective),
            plants: vec![RawPlant {
                id: "shop".to_string(),
                name: None,
            }],
            transfers: Vec::new(),
            calendars: Vec::new(),
            families: Vec::new(),
            changeovers: Vec::new(),
            machines,
            jobs,
            resources: Vec::new(),
            items: Vec::new(),
            interrupted_operations: None,
        };
        crate::model::validate::validate(&raw).map_err(|d| InputError::invalid(file, d))
    }
}

// ---------------------------------------------------------------------------------------------
// Problem -> YAML

/// Writes `problem` as a takt instance (the schema of `model::raw`), such that
/// `model::parse_instance(&to_yaml(&p), ..)` gives back an equivalent problem. Instants are
/// written as integer minutes from the horizon start, durations as integer minutes.
pub fn to_yaml(problem: &Problem) -> String {
    crate::model::write::yaml_text(&to_raw(problem), "")
}

// ---------------------------------------------------------------------------------------------
// Best-known values

/// One row of a `bks.csv`: the best known bounds of an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bks {
    pub instance: String,
    /// Best known lower bound. The weighted tardiness files have no such column: there it is
    /// the best value when that is optimal, else `None`.
    pub lower_bound: Option<i64>,
    /// Best known objective value (makespan or total weighted tardiness).
    pub upper_bound: i64,
    /// Proven optimal.
    pub optimal: bool,
}

/// Reads a `bks.csv` in either layout: `instance,jobs,machines,lower_bound,upper_bound,optimal`
/// (job shops) or `instance,jobs,best,optimal` (weighted tardiness).
pub fn read_bks(path: impl AsRef<Path>) -> Result<Vec<Bks>, InputError> {
    let file = path.as_ref().display().to_string();
    let text = read_text(&file)?;
    parse_bks(&text, &file)
}

/// [`read_bks`] on text; `file` names it in errors.
pub fn parse_bks(text: &str, file: &str) -> Result<Vec<Bks>, InputError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let csv_err = |e: csv::Error| {
        let location = e
            .position()
            .map(|p| (p.line() as usize, 1))
            .or(Some((1, 1)));
        let message = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => {
                format!("row has {len} fields, the header has {expected_len}")
            }
            _ => e.to_string(),
        };
        InputError::invalid(
            file,
            vec![Diagnostic {
                path: String::new(),
                location,
                message,
            }],
        )
    };
    let headers = rdr.headers().map_err(csv_err)?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let layouts = "expected the columns instance,jobs,machines,lower_bound,upper_bound,optimal \
                   or instance,jobs,best,optimal";
    let missing = |what: &str| {
        invalid(
            file,
            text::diag_at(
                (1, 1),
                format!("no column `{what}` in the header ({layouts})"),
            ),
        )
    };
    let c_inst = col("instance").ok_or_else(|| missing("instance"))?;
    let c_opt = col("optimal").ok_or_else(|| missing("optimal"))?;
    let (c_ub, c_lb) = match (col("upper_bound"), col("best")) {
        (Some(ub), _) => (
            ub,
            Some(col("lower_bound").ok_or_else(|| missing("lower_bound"))?),
        ),
        (None, Some(best)) => (best, None),
        (None, None) => return Err(missing("upper_bound")),
    };

    let mut out: Vec<Bks> = Vec::new();
    let mut diags = text::Diags::default();
    let mut seen = std::collections::HashMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(csv_err)?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let at = |c: usize| -> (usize, usize) {
            let col = 1 + rec
                .iter()
                .take(c)
                .map(|f| f.chars().count() + 1)
                .sum::<usize>();
            (line, col)
        };
        let field = |c: usize| rec.get(c).unwrap_or("").trim();
        let int = |c: usize, what: &str| -> Result<i64, Diagnostic> {
            field(c).parse::<i64>().map_err(|_| {
                text::diag_at(
                    at(c),
                    format!("{what} must be an integer, found `{}`", field(c)),
                )
            })
        };
        let row = (|| -> Result<Bks, Diagnostic> {
            let instance = field(c_inst).to_string();
            if instance.is_empty() {
                return Err(text::diag_at(at(c_inst), "empty instance name"));
            }
            let upper_bound = int(c_ub, "upper bound")?;
            let optimal = match field(c_opt).to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                other => {
                    return Err(text::diag_at(
                        at(c_opt),
                        format!("`optimal` must be true or false, found `{other}`"),
                    ))
                }
            };
            let lower_bound = match c_lb {
                Some(c) if field(c).is_empty() => None,
                Some(c) => Some(int(c, "lower bound")?),
                None => optimal.then_some(upper_bound),
            };
            if let Some(lb) = lower_bound {
                if lb > upper_bound {
                    return Err(text::diag_at(
                        at(c_lb.unwrap_or(c_ub)),
                        format!("lower bound {lb} is above the upper bound {upper_bound}"),
                    ));
                }
            }
            Ok(Bks {
                instance,
                lower_bound,
                upper_bound,
                optimal,
            })
        })();
        match row {
            Ok(b) => {
                if let Some(first) = seen.insert(b.instance.clone(), line) {
                    diags.push(text::diag_at(
                        at(c_inst),
                        format!(
                            "instance `{}` appears twice (first on line {first})",
                            b.instance
                        ),
                    ));
                }
                out.push(b);
            }
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(InputError::invalid(file, diags.finish()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_suffix() {
        let (f, k) = split_index("/no/such/dir/wt40.txt#17").unwrap();
        assert_eq!((f.as_str(), k), ("/no/such/dir/wt40.txt", Some(17)));
        assert!(split_index("/no/such/wt40.txt#x").is_err());
        assert_eq!(split_index("/no/such/ft06.txt").unwrap().1, None);
    }

    #[test]
    fn formats_from_names() {
        assert_eq!(guess_format("a/ft06.txt"), Some(Format::Jssp));
        assert_eq!(guess_format("a/wt100.txt"), Some(Format::Smwt));
        assert_eq!(guess_format("mk01.fjs"), Some(Format::Fjsp));
        assert_eq!(guess_format("x.yaml"), None);
        assert_eq!("FJSP".parse::<Format>(), Ok(Format::Fjsp));
        assert_eq!(smwt::jobs_from_name("dir/wt40.txt"), Some(40));
        assert_eq!(smwt::jobs_from_name("ft06.txt"), None);
    }

    #[test]
    fn bks_layouts() {
        let j = parse_bks(
            "instance,jobs,machines,lower_bound,upper_bound,optimal\nft06,6,6,55,55,true\nx,1,1,,9,false\n",
            "b.csv",
        )
        .unwrap();
        assert_eq!(j[0].lower_bound, Some(55));
        assert_eq!(j[1].lower_bound, None);
        let s = parse_bks(
            "instance,jobs,best,optimal\nwt40_001,40,913,true\nwt40_019,40,77,false\n",
            "b.csv",
        )
        .unwrap();
        assert_eq!(
            s,
            vec![
                Bks {
                    instance: "wt40_001".into(),
                    lower_bound: Some(913),
                    upper_bound: 913,
                    optimal: true
                },
                Bks {
                    instance: "wt40_019".into(),
                    lower_bound: None,
                    upper_bound: 77,
                    optimal: false
                },
            ]
        );
        let e = parse_bks(
            "instance,jobs,best,optimal\na,1,2,true\nb,1,x,true\n",
            "b.csv",
        )
        .unwrap_err();
        assert_eq!(e.diagnostics()[0].location, Some((3, 5)));
        let e = parse_bks("instance,jobs,best,optimal\na,1,2,true\nb,1,3\n", "b.csv").unwrap_err();
        assert_eq!(e.diagnostics()[0].location, Some((3, 1)));
    }
}
