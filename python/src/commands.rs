//! `takt.check`, `takt.reschedule`, scenarios, `takt.report` and the benchmark sets: thin
//! wrappers over the library calls behind the CLI's commands, taking instances and schedule
//! text from Python and answering with Python data.

use crate::errors::{argument_error, input_error, or_raise};
use crate::instance::{from_raw, Instance};
use crate::records::{parse_records, to_records};
use crate::solve::{answer, interruptible, search_config};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;
use takt::check::check as referee;
use takt::model::load::DocFormat;
use takt::model::{InputError, Problem};
use takt::schedule::{write_atomic, Schedule};

/// A schedule as the Python side passes it: `(text, format, file)`, format `yaml`, `json` or
/// `csv`; errors name `file`.
pub type ScheduleText = (String, String, String);

fn schedule_of(py: Python<'_>, problem: &Problem, s: &ScheduleText) -> PyResult<Schedule> {
    or_raise(py, parse_records(problem, &s.0, &s.1, &s.2))
}

/// `takt.check`: every rule the schedule breaks, as dicts.
#[pyfunction]
pub fn check<'py>(
    py: Python<'py>,
    instance: &Instance,
    schedule: ScheduleText,
) -> PyResult<Bound<'py, PyList>> {
    let problem = &instance.problem;
    let sched = schedule_of(py, problem, &schedule)?;
    let out = PyList::empty(py);
    for v in referee(problem, &sched) {
        let d = PyDict::new(py);
        d.set_item("rule", v.rule.code())?;
        let op = v.op.map(|o| problem.op(o));
        d.set_item("job", op.map(|o| problem.job(o.job).id.clone()))?;
        d.set_item("operation", op.map(|o| o.id.clone()))?;
        let machine =
            v.op.and_then(|o| sched.ops.iter().find(|s| s.op == o))
                .map(|s| problem.machine(s.machine).id.clone());
        d.set_item("machine", machine)?;
        d.set_item("message", v.message)?;
        d.set_item("amount", v.amount)?;
        out.append(d)?;
    }
    Ok(out)
}

/// Temporary files for library calls that read files, and the names errors use for them.
struct Scratch {
    dir: tempfile::TempDir,
    names: Vec<(String, String)>,
}

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        Ok(Scratch {
            dir: tempfile::tempdir()?,
            names: Vec::new(),
        })
    }

    /// Writes `text` to a file called `file` in the scratch directory; errors about it name
    /// `shown`.
    fn file(&mut self, file: &str, text: &str, shown: &str) -> std::io::Result<PathBuf> {
        let p = self.dir.path().join(file);
        std::fs::write(&p, text)?;
        self.names
            .push((p.display().to_string(), shown.to_string()));
        Ok(p)
    }

    /// The error with scratch file names replaced by what the user gave.
    fn rename(&self, e: InputError) -> InputError {
        let shown = |f: &str| {
            self.names
                .iter()
                .find(|(p, _)| p == f)
                .map_or(f.to_string(), |(_, s)| s.clone())
        };
        match e {
            InputError::Io { file, source } => InputError::Io {
                file: shown(&file),
                source,
            },
            InputError::Write { file, source } => InputError::Write {
                file: shown(&file),
                source,
            },
            InputError::Invalid { file, diagnostics } => InputError::Invalid {
                file: shown(&file),
                diagnostics,
            },
        }
    }
}

fn io_err(py: Python<'_>, e: std::io::Error) -> PyErr {
    argument_error(py, "temporary directory", e.to_string())
}

/// `takt.reschedule`: the repair of `takt reschedule`, answered as a dict with the new plan
/// (like `takt.solve`), the right-shift repair, the change report and the patched instance.
#[pyfunction]
#[pyo3(signature = (instance, schedule, events, now, events_file = None, freeze = "8h", stability = 10.0, machine_change = None, sequence_change = None, only_affected = false, time_limit = None, iterations = None, threads = 1, seed = 0))]
#[allow(clippy::too_many_arguments)]
pub fn reschedule<'py>(
    py: Python<'py>,
    instance: &Instance,
    schedule: ScheduleText,
    events: &str,
    now: &str,
    events_file: Option<PathBuf>,
    freeze: &str,
    stability: f64,
    machine_change: Option<f64>,
    sequence_change: Option<f64>,
    only_affected: bool,
    time_limit: Option<f64>,
    iterations: Option<u64>,
    threads: usize,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let started = Instant::now();
    let mut scratch = Scratch::new().map_err(|e| io_err(py, e))?;
    let inst_path = match &instance.path {
        Some(p) => p.clone(),
        None => scratch
            .file("instance.json", &instance.json(), &instance.file)
            .map_err(|e| io_err(py, e))?,
    };
    let sched_name = format!(
        "schedule.{}",
        match schedule.1.as_str() {
            "csv" | "json" => schedule.1.as_str(),
            _ => "yaml",
        }
    );
    let sched_path = scratch
        .file(&sched_name, &schedule.0, &schedule.2)
        .map_err(|e| io_err(py, e))?;
    let freeze =
        takt::options::parse_minutes(freeze).map_err(|e| argument_error(py, "freeze", e))?;
    let events_path = match events_file {
        Some(p) => p,
        None => scratch
            .file("events.json", events, "<events>")
            .map_err(|e| io_err(py, e))?,
    };
    // A repair is meant to be quick: at most 4 s by default, less when it stalls.
    let search = search_config(
        py,
        time_limit,
        iterations,
        None,
        threads,
        seed,
        (4.0, 100_000),
    )?;
    let stop = Arc::new(AtomicBool::new(false));
    let search = search.stop(stop.clone());
    let opts = takt::reschedule::RescheduleOptions {
        instance: inst_path,
        schedule: sched_path,
        events: events_path,
        now: now.to_string(),
        freeze,
        stability,
        machine_change,
        sequence_change,
        search,
        output: None,
        write_instance: None,
        changes: None,
        quiet: true,
        only_affected,
    };
    let (repaired, interrupted) =
        interruptible(py, &stop, || takt::reschedule::repair(&opts, started));
    let r = repaired.map_err(|e| input_error(py, scratch.rename(e)))?;
    // The patched instance without the stability term (`r.problem` has it): what
    // `takt reschedule --write-instance` writes, validated again.
    let patched = or_raise(
        py,
        from_raw(r.instance.clone(), instance.format, "<patched instance>"),
    )?;
    let d = PyDict::new(py);
    d.set_item("result", answer(py, &r.problem, &r.result, interrupted)?)?;
    d.set_item(
        "right_shift",
        answer(py, &r.problem, &r.right_shift, false)?,
    )?;
    let c = &r.changes;
    let changes = PyDict::new(py);
    changes.set_item("kept", c.kept())?;
    changes.set_item("machine_changes", c.machine_changes())?;
    changes.set_item("sequence_changes", c.sequence_changes())?;
    changes.set_item("changed", c.changed())?;
    changes.set_item("moved", c.moved())?;
    changes.set_item("removed", c.removed)?;
    changes.set_item(
        "report",
        takt::reschedule::changes::render(&r.problem, c, 10),
    )?;
    changes.set_item("csv", takt::reschedule::changes::csv(&r.problem, c))?;
    d.set_item("changes", changes)?;
    let misses: Vec<String> =
        takt::reschedule::command::deadline_misses(&r.problem, &r.result.schedule)
            .into_iter()
            .map(|(j, _, _)| r.problem.job(j).id.clone())
            .collect();
    d.set_item("deadline_misses", misses)?;
    d.set_item("iterations", r.iterations)?;
    d.set_item("instance", Py::new(py, patched)?)?;
    Ok(d)
}

/// A scenario applied to the instance: `(name, patched instance)`. The scenario is a file
/// (`path`: YAML, or JSON for `.json`; named by its stem unless it has a `name`) or JSON text
/// (`text`, from a dict); errors name the file, or `file`.
#[pyfunction]
#[pyo3(signature = (instance, text = None, path = None, file = "<scenario>"))]
pub fn apply_scenario(
    py: Python<'_>,
    instance: &Instance,
    text: Option<&str>,
    path: Option<PathBuf>,
    file: &str,
) -> PyResult<(String, Instance)> {
    use takt::reschedule::scenarios::{load_scenario, scenario_from_str};
    let (raw, base) = (&instance.raw, &instance.problem);
    let s = match (path, text) {
        (Some(p), _) => load_scenario(&p, raw, base),
        (None, Some(t)) => scenario_from_str(t, DocFormat::Json, file, raw, base),
        (None, None) => {
            return Err(argument_error(
                py,
                "scenario",
                "give a scenario file or text",
            ))
        }
    };
    let s = or_raise(py, s)?;
    let file = format!("{} + {}", instance.file, s.name);
    let patched = Instance::new(s.instance, s.problem, instance.format, &file);
    Ok((s.name, patched))
}

/// `takt.report`: the report's JSON (as `takt report --json`, parsed by the caller) for the
/// `(label, schedule text)` pairs; writes the HTML report and Gantt charts when asked.
#[pyfunction]
#[pyo3(signature = (instance, schedules, html = None, gantt = None, color_by = "job"))]
pub fn report(
    py: Python<'_>,
    instance: &Instance,
    schedules: Vec<(String, ScheduleText)>,
    html: Option<PathBuf>,
    gantt: Option<PathBuf>,
    color_by: &str,
) -> PyResult<String> {
    use takt::report::command::{gantt_options, report_json, Loaded};
    use takt::report::explain::{analyse, lateness_by_machine};
    let color_by = match color_by {
        "job" => takt::report::ColorBy::Job,
        "family" => takt::report::ColorBy::Family,
        other => {
            return Err(argument_error(
                py,
                "color_by",
                format!("unknown colouring `{other}`: use job or family"),
            ))
        }
    };
    let problem = &instance.problem;
    let mut loaded = Vec::new();
    for (label, text) in schedules {
        let schedule = schedule_of(py, problem, &text)?;
        let kpis = takt::eval::compute_kpis(problem, &schedule);
        let violations = referee(problem, &schedule).len();
        let lateness = lateness_by_machine(problem, &schedule, &analyse(problem, &schedule));
        loaded.push(Loaded {
            path: PathBuf::from(&label),
            label,
            schedule,
            kpis,
            violations,
            lateness,
        });
    }
    let svgs: Vec<String> = loaded
        .iter()
        .map(|l| {
            takt::report::gantt::gantt_svg(
                problem,
                &l.schedule,
                &gantt_options(problem, l, color_by),
            )
        })
        .collect();
    let write = |path: &Path, text: &str| -> PyResult<()> {
        write_atomic(path, text)
            .map_err(|source| input_error(py, InputError::write(path.display(), source)))
    };
    if let Some(path) = &gantt {
        for (l, svg) in loaded.iter().zip(&svgs) {
            let p = per_schedule_path(path, &l.label, loaded.len());
            write(
                &p,
                &format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n"),
            )?;
        }
    }
    if let Some(path) = &html {
        let pages: Vec<takt::report::html::PageSchedule> = loaded
            .iter()
            .zip(&svgs)
            .map(|(l, svg)| takt::report::html::PageSchedule {
                label: &l.label,
                file: &l.label,
                schedule: &l.schedule,
                kpis: &l.kpis,
                lateness: &l.lateness,
                violations: l.violations,
                gantt_svg: svg,
            })
            .collect();
        write(
            path,
            &takt::report::html::report_page(problem, &instance.file, &pages),
        )?;
    }
    Ok(report_json(problem, &loaded))
}

/// `path` for schedule `label` of `n`: `path` itself for one schedule, `stem-label.ext`
/// otherwise (as `takt report --gantt`).
fn per_schedule_path(path: &Path, label: &str, n: usize) -> PathBuf {
    if n == 1 {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map_or("gantt".into(), |s| s.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map_or("svg".into(), |s| s.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}-{}.{ext}", takt::report::file_safe(label)))
}

/// The instances of a benchmark set (directory, family `jssp`/`fjsp`/`smwt`, or list file, as
/// `takt bench SET`), each with its family, subset and best-known values. Each instance is
/// kept as its takt instance (`formats::to_raw`) and validated from that, so a Ray worker, which
/// gets it pickled, solves exactly the problem solved here.
#[pyfunction]
pub fn bench_set<'py>(py: Python<'py>, set: &str) -> PyResult<Bound<'py, PyList>> {
    let entries = or_raise(py, takt::bench::set::resolve(set))?;
    let instances = or_raise(py, takt::bench::set::load(&entries))?;
    let out = PyList::empty(py);
    for i in instances {
        let file = i.entry.path();
        let inst = or_raise(
            py,
            from_raw(takt::formats::to_raw(&i.problem), DocFormat::Yaml, &file),
        )?;
        let d = PyDict::new(py);
        d.set_item("name", &i.name)?;
        d.set_item("family", &i.family)?;
        d.set_item("subset", &i.subset)?;
        d.set_item("path", &file)?;
        match &i.bks {
            Some(b) => {
                let bks = PyDict::new(py);
                bks.set_item("lower_bound", b.lower_bound)?;
                bks.set_item("upper_bound", b.upper_bound)?;
                bks.set_item("optimal", b.optimal)?;
                d.set_item("best_known", bks)?;
            }
            None => d.set_item("best_known", py.None())?,
        }
        d.set_item("instance", Py::new(py, inst)?)?;
        out.append(d)?;
    }
    Ok(out)
}

/// A schedule (file text or records) read against the instance, as records in its order.
#[pyfunction]
pub fn read_schedule<'py>(
    py: Python<'py>,
    instance: &Instance,
    schedule: ScheduleText,
) -> PyResult<Bound<'py, PyList>> {
    let s = schedule_of(py, &instance.problem, &schedule)?;
    to_records(py, &instance.problem, &s)
}
