//! Schedules and KPIs as Python data: a schedule is a list of dicts with the columns of a
//! schedule file (job, operation, machine, setup_start, setup_end, start, end, and the same
//! instants as datetimes), so a record list reads back through the library's own schedule
//! parser, with its errors and places, exactly like a file.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use takt::model::{InputError, Problem, ResourceId};
use takt::report::json::Json;
use takt::schedule::{parse_schedule, Format, Schedule};

fn names(problem: &Problem, ids: &[ResourceId]) -> String {
    ids.iter()
        .map(|r| problem.resources()[r.idx()].id.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// The schedule's rows, in its order, as the schedule file writes them.
pub fn to_records<'py>(
    py: Python<'py>,
    problem: &Problem,
    schedule: &Schedule,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for s in &schedule.ops {
        let op = problem.op(s.op);
        let setup = s.setup_start.filter(|&ss| ss < s.start);
        let d = PyDict::new(py);
        d.set_item("job", &problem.job(op.job).id)?;
        d.set_item("operation", &op.id)?;
        d.set_item("machine", &problem.machine(s.machine).id)?;
        d.set_item("setup_start", setup)?;
        d.set_item("setup_end", setup.map(|_| s.start))?;
        d.set_item("start", s.start)?;
        d.set_item("end", s.end)?;
        d.set_item("setup_start_time", setup.map(|m| problem.datetime(m)))?;
        d.set_item("start_time", problem.datetime(s.start))?;
        d.set_item("end_time", problem.datetime(s.end))?;
        let choice = schedule.resources.get(&s.op);
        d.set_item(
            "resources",
            choice
                .filter(|c| !c.require.is_empty())
                .map(|c| names(problem, &c.require)),
        )?;
        d.set_item(
            "changeover_resources",
            choice
                .filter(|c| !c.changeover.is_empty())
                .map(|c| names(problem, &c.changeover)),
        )?;
        list.append(d)?;
    }
    Ok(list)
}

/// A schedule from the text of a schedule file: `format` `yaml`, `json` (as the Python side
/// serialises records: `{"operations": [...]}`) or `csv`.
pub fn parse_records(
    problem: &Problem,
    text: &str,
    format: &str,
    file: &str,
) -> Result<Schedule, InputError> {
    let format = match format {
        "csv" => Format::Csv,
        "json" => Format::Json,
        _ => Format::Yaml,
    };
    parse_schedule(problem, text, format, file)
}

/// A JSON value tree (the report's) as Python objects.
pub fn json_to_py<'py>(py: Python<'py>, v: &Json) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Json::Null => py.None().into_bound(py),
        Json::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Json::Int(i) => i.into_pyobject(py)?.into_any(),
        Json::Num(x) => x.into_pyobject(py)?.into_any(),
        Json::Str(s) => s.into_pyobject(py)?.into_any(),
        Json::Arr(items) => {
            let l = PyList::empty(py);
            for i in items {
                l.append(json_to_py(py, i)?)?;
            }
            l.into_any()
        }
        Json::Obj(pairs) => {
            let d = PyDict::new(py);
            for (k, x) in pairs {
                d.set_item(k, json_to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

/// The flat KPI dict of one schedule: the keys of `takt report --json`'s `kpis` (and its CSV).
pub fn kpis<'py>(
    py: Python<'py>,
    problem: &Problem,
    schedule: &Schedule,
) -> PyResult<Bound<'py, PyAny>> {
    let k = takt::eval::compute_kpis(problem, schedule);
    let rows = takt::report::compare::kpi_rows(problem, &[&k]);
    json_to_py(py, &takt::report::compare::kpi_object(&rows, 0))
}
