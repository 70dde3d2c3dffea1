//! A timed schedule (what solvers return and the referee judges) and its file formats.
//!
//! YAML (`.yaml`/`.yml`), JSON (`.json`, the same document as YAML) and CSV (`.csv`) carry the same columns: job, operation, machine,
//! setup_start, setup_end, start, end in minutes from the horizon start, and the same instants as
//! ISO datetimes for people. When reading, instants may be minutes or ISO datetimes; the
//! `*_time` columns are informational and ignored. Writes are atomic (temp file + rename), so a
//! failed run never leaves a partial file behind.

use crate::model::load::{parse_json, parse_yaml};
use crate::model::time::{Minute, RawInstant};
use crate::model::{Diagnostic, InputError, MachineId, OpId, Problem, ResourceId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// One operation placed on a machine. `setup_start` is the start of the changeover that runs
/// immediately before `start` (`None` or equal to `start` when there is none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduledOp {
    pub op: OpId,
    pub machine: MachineId,
    pub setup_start: Option<Minute>,
    pub start: Minute,
    pub end: Minute,
}

impl ScheduledOp {
    /// Where the machine becomes busy for this operation: its changeover start, else its start.
    pub fn busy_from(&self) -> Minute {
        self.setup_start.unwrap_or(self.start).min(self.start)
    }
}

/// What a solver says about its result; written into the schedule file's header.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolveInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solver: Option<String>,
    /// `optimal` only with a proof; otherwise `feasible`, `infeasible`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub terms: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schedule {
    pub ops: Vec<ScheduledOp>,
    pub info: SolveInfo,
    /// Which resource each requirement uses, for operations with secondary-resource requirements
    /// (an operation absent here uses the only option of each requirement).
    pub resources: BTreeMap<OpId, ResourceChoice>,
}

/// The resource chosen for each requirement of an operation (`require`, in order) and of the
/// changeover before it (its machine's `changeover_require`, in order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceChoice {
    pub require: Vec<ResourceId>,
    pub changeover: Vec<ResourceId>,
}

impl Schedule {
    /// Operations sorted by machine, then start: the natural reading order. Stable: operations
    /// at the same instant (zero-length ones) keep their order, which is their sequence.
    pub fn sort(&mut self) {
        self.ops.sort_by_key(|s| (s.machine, s.start, s.end));
    }
}

/// One row of a schedule file, as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    job: String,
    operation: String,
    machine: String,
    #[serde(default, deserialize_with = "opt_instant")]
    setup_start: Option<RawInstant>,
    #[serde(default, deserialize_with = "opt_instant")]
    setup_end: Option<RawInstant>,
    start: RawInstant,
    end: RawInstant,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    setup_start_time: Option<String>,
    #[serde(default)]
    start_time: Option<String>,
    #[serde(default)]
    end_time: Option<String>,
    /// Resources chosen for the operation's requirements, `;`-separated, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resources: Option<String>,
    /// Resources chosen for the changeover's requirements, `;`-separated, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    changeover_resources: Option<String>,
}

/// Empty CSV cells mean "absent".
fn opt_instant<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<RawInstant>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Cell {
        I(RawInstant),
        S(String),
    }
    match Option::<Cell>::deserialize(d)? {
        None => Ok(None),
        Some(Cell::I(i)) => Ok(Some(i)),
        Some(Cell::S(s)) if s.trim().is_empty() => Ok(None),
        Some(Cell::S(s)) => Err(serde::de::Error::custom(format!(
            "`{s}` is not an instant (minutes or ISO datetime)"
        ))),
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct YamlFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    instance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    result: Option<SolveInfo>,
    operations: Vec<Row>,
}

/// File format, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    /// The YAML document's structure, as JSON.
    Json,
    Csv,
}

impl Format {
    pub fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

fn rows(problem: &Problem, schedule: &Schedule) -> Vec<Row> {
    schedule
        .ops
        .iter()
        .map(|s| {
            let op = problem.op(s.op);
            let setup = s.setup_start.filter(|&ss| ss < s.start);
            Row {
                job: problem.job(op.job).id.clone(),
                operation: op.id.clone(),
                machine: problem.machine(s.machine).id.clone(),
                setup_start: setup.map(RawInstant::Minutes),
                setup_end: setup.map(|_| RawInstant::Minutes(s.start)),
                start: RawInstant::Minutes(s.start),
                end: RawInstant::Minutes(s.end),
                setup_start_time: setup.map(|m| problem.datetime(m)),
                start_time: Some(problem.datetime(s.start)),
                end_time: Some(problem.datetime(s.end)),
                resources: schedule
                    .resources
                    .get(&s.op)
                    .filter(|c| !c.require.is_empty())
                    .map(|c| names(problem, &c.require)),
                changeover_resources: schedule
                    .resources
                    .get(&s.op)
                    .filter(|c| !c.changeover.is_empty())
                    .map(|c| names(problem, &c.changeover)),
            }
        })
        .collect()
}

fn names(problem: &Problem, ids: &[ResourceId]) -> String {
    ids.iter()
        .map(|r| problem.resources[r.idx()].id.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// Renders a schedule in `format`.
pub fn render(problem: &Problem, schedule: &Schedule, format: Format) -> Result<String, String> {
    let rows = rows(problem, schedule);
    let with_resources = !schedule.resources.is_empty();
    match format {
        Format::Yaml => serde_yaml::to_string(&YamlFile {
            instance: Some(problem.name.clone()),
            result: Some(schedule.info.clone()),
            operations: rows,
        })
        .map_err(|e| e.to_string()),
        Format::Json => serde_json::to_string_pretty(&YamlFile {
            instance: Some(problem.name.clone()),
            result: Some(schedule.info.clone()),
            operations: rows,
        })
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| e.to_string()),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let mut header = vec![
                "job",
                "operation",
                "machine",
                "setup_start",
                "setup_end",
                "start",
                "end",
                "setup_start_time",
                "start_time",
                "end_time",
            ];
            if with_resources {
                header.extend(["resources", "changeover_resources"]);
            }
            w.write_record(&header).map_err(|e| e.to_string())?;
            for r in rows {
                let inst = |i: Option<RawInstant>| match i {
                    Some(RawInstant::Minutes(m)) => m.to_string(),
                    _ => String::new(),
                };
                let mut rec = vec![
                    r.job,
                    r.operation,
                    r.machine,
                    inst(r.setup_start),
                    inst(r.setup_end),
                    inst(Some(r.start)),
                    inst(Some(r.end)),
                    r.setup_start_time.unwrap_or_default(),
                    r.start_time.unwrap_or_default(),
                    r.end_time.unwrap_or_default(),
                ];
                if with_resources {
                    rec.push(r.resources.unwrap_or_default());
                    rec.push(r.changeover_resources.unwrap_or_default());
                }
                w.write_record(&rec).map_err(|e| e.to_string())?;
            }
            String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
        }
    }
}

/// Writes `contents` to `path` atomically: a temp file in the same directory, then a rename.
pub fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(contents.as_bytes())?;
    tmp.flush()?;
    // tempfile creates 0600 files; an output file should get the usual permissions.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode())
            .unwrap_or(0o644);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode & 0o777))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The schedule format of `path` by its extension, or an error naming the file.
pub fn format_of(path: &Path) -> Result<Format, InputError> {
    Format::of(path).ok_or_else(|| {
        InputError::invalid(
            &path.display().to_string(),
            vec![Diagnostic::at(
                "",
                "unknown schedule format: use .yaml, .yml, .json or .csv",
            )],
        )
    })
}

/// Writes a schedule, format by extension.
pub fn write_schedule(
    problem: &Problem,
    schedule: &Schedule,
    path: &Path,
) -> Result<(), InputError> {
    let file = path.display().to_string();
    let format = format_of(path)?;
    let text = render(problem, schedule, format)
        .map_err(|e| InputError::invalid(&file, vec![Diagnostic::at("", e)]))?;
    write_atomic(path, &text).map_err(|source| InputError::Io { file, source })
}

/// Reads a schedule file against `problem`: every name must resolve (all unknown names are
/// reported). Duplicates, missing operations and wrong times are left for the referee.
pub fn read_schedule(problem: &Problem, path: &Path) -> Result<Schedule, InputError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| InputError::Io {
        file: file.clone(),
        source,
    })?;
    let format = format_of(path)?;
    parse_schedule(problem, &text, format, &file)
}

/// Parses schedule text (see [`read_schedule`]).
pub fn parse_schedule(
    problem: &Problem,
    text: &str,
    format: Format,
    file: &str,
) -> Result<Schedule, InputError> {
    // (place for messages, row)
    let (rows, info): (Vec<(String, Row)>, SolveInfo) = match format {
        Format::Yaml | Format::Json => {
            let f: YamlFile = if format == Format::Json {
                parse_json(text)
            } else {
                parse_yaml(text)
            }
            .map_err(|d| InputError::invalid(file, vec![d]))?;
            (
                f.operations
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| (format!("operations[{i}]"), r))
                    .collect(),
                f.result.unwrap_or_default(),
            )
        }
        Format::Csv => {
            let mut rdr = csv::ReaderBuilder::new()
                .trim(csv::Trim::All)
                .from_reader(text.as_bytes());
            let mut out = Vec::new();
            let mut diags = Vec::new();
            for rec in rdr.deserialize::<Row>() {
                match rec {
                    Ok(r) => out.push((format!("row {}", out.len() + diags.len() + 1), r)),
                    Err(e) => {
                        let location = e.position().map(|p| (p.line() as usize, 1));
                        diags.push(Diagnostic {
                            path: String::new(),
                            location,
                            message: e.to_string(),
                        });
                    }
                }
            }
            if !diags.is_empty() {
                return Err(InputError::invalid(file, diags));
            }
            (out, SolveInfo::default())
        }
    };
    let mut diags = Vec::new();
    let mut ops = Vec::new();
    let mut resources = BTreeMap::new();
    let origin = problem.horizon_start;
    for (place, r) in rows {
        let job = problem.job_by_id(&r.job);
        if job.is_none() {
            diags.push(Diagnostic::at(
                format!("{place}.job"),
                format!("unknown job `{}`", r.job),
            ));
        }
        let op = job.and_then(|j| problem.op_by_id(j, &r.operation));
        if job.is_some() && op.is_none() {
            diags.push(Diagnostic::at(
                format!("{place}.operation"),
                format!("job `{}` has no operation `{}`", r.job, r.operation),
            ));
        }
        let machine = problem.machine_by_id(&r.machine);
        if machine.is_none() {
            diags.push(Diagnostic::at(
                format!("{place}.machine"),
                format!("unknown machine `{}`", r.machine),
            ));
        }
        let start = r.start.resolve(origin);
        let setup_start = r.setup_start.map(|s| s.resolve(origin));
        if let Some(se) = r.setup_end.map(|s| s.resolve(origin)) {
            if setup_start.is_some() && se != start {
                diags.push(Diagnostic::at(
                    format!("{place}.setup_end"),
                    "setup_end must equal start: a changeover runs immediately before its operation",
                ));
            }
        }
        let mut choice = ResourceChoice::default();
        for (list, field, out) in [
            (&r.resources, "resources", &mut choice.require),
            (
                &r.changeover_resources,
                "changeover_resources",
                &mut choice.changeover,
            ),
        ] {
            let Some(list) = list.as_deref().filter(|l| !l.trim().is_empty()) else {
                continue;
            };
            for name in list.split(';').map(str::trim) {
                match problem.resource_by_id(name) {
                    Some(id) => out.push(id),
                    None => diags.push(Diagnostic::at(
                        format!("{place}.{field}"),
                        format!("unknown resource `{name}`"),
                    )),
                }
            }
        }
        if let (Some(op), Some(machine)) = (op, machine) {
            if choice != ResourceChoice::default() {
                resources.insert(op, choice);
            }
            ops.push(ScheduledOp {
                op,
                machine,
                setup_start,
                start,
                end: r.end.resolve(origin),
            });
        }
    }
    if !diags.is_empty() {
        return Err(InputError::invalid(file, diags));
    }
    Ok(Schedule {
        ops,
        info,
        resources,
    })
}
