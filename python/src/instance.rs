//! `takt.Instance`: a validated problem together with the instance as written (the library's
//! typed `RawInstance`). The typed form is what makes an instance travel: pickling (Ray ships
//! instances to workers) sends it as JSON and the worker validates it again; rescheduling and
//! scenarios patch it like the CLI patches the file, and `text` writes it as YAML or JSON.

use crate::errors::{argument_error, or_raise};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::path::{Path, PathBuf};
use takt::model::load::{load_raw_instance, parse_raw_instance, DocFormat};
use takt::model::raw::RawInstance;
use takt::model::write::{json_text, yaml_text};
use takt::model::{InputError, Problem};

#[pyclass(module = "takt._takt", name = "Instance", frozen)]
pub struct Instance {
    pub problem: Problem,
    /// The instance as written (parsed, not validated): what `problem` was validated from.
    pub raw: RawInstance,
    /// The text format `text` writes: the file's, JSON for a dict.
    pub format: DocFormat,
    /// What errors about it name: the file, or `<dict>`.
    pub file: String,
    /// The file it was read from, when it was a takt YAML or JSON file: the CLI's commands get
    /// the same path, so their messages name the user's file.
    pub path: Option<PathBuf>,
}

impl Instance {
    /// An instance from the instance as written and the problem validated from it.
    pub fn new(raw: RawInstance, problem: Problem, format: DocFormat, file: &str) -> Instance {
        Instance {
            problem,
            raw,
            format,
            file: file.to_string(),
            path: None,
        }
    }

    /// The instance as JSON text (what pickling sends and temporary files hold).
    pub fn json(&self) -> String {
        json_text(&self.raw)
    }
}

/// The text format named `yaml` or `json`.
pub fn doc_format(py: Python<'_>, name: &str) -> PyResult<DocFormat> {
    match name {
        "yaml" => Ok(DocFormat::Yaml),
        "json" => Ok(DocFormat::Json),
        other => Err(argument_error(
            py,
            "format",
            format!("unknown format `{other}`: use yaml or json"),
        )),
    }
}

/// Parses and validates instance text in `format`; `file` names it in errors.
pub fn parse_text(text: &str, format: DocFormat, file: &str) -> Result<Instance, InputError> {
    let (raw, problem) = parse_raw_instance(text, format, file)?;
    Ok(Instance::new(raw, problem, format, file))
}

/// Validates an instance as written; errors name `file`.
pub fn from_raw(raw: RawInstance, format: DocFormat, file: &str) -> Result<Instance, InputError> {
    let problem =
        takt::model::validate::validate(&raw).map_err(|d| InputError::invalid(file, d))?;
    Ok(Instance::new(raw, problem, format, file))
}

/// Reads an instance file: takt YAML or JSON by extension, else a benchmark file (`.txt` job
/// shop, `.fjs`, `wt40.txt#3`), kept as its takt instance (`formats::to_raw`) and validated
/// from that, so that a pickled copy is exactly the problem solved here.
pub fn read_path(path: &str) -> Result<Instance, InputError> {
    let p = Path::new(path);
    let ext = p.extension().and_then(|e| e.to_str());
    if matches!(ext, Some("yaml") | Some("yml") | Some("json")) {
        let (raw, problem) = load_raw_instance(p)?;
        let mut inst = Instance::new(raw, problem, DocFormat::of(p), path);
        inst.path = Some(p.to_path_buf());
        return Ok(inst);
    }
    let problem = takt::formats::load_any(p)?;
    from_raw(takt::formats::to_raw(&problem), DocFormat::Yaml, path)
}

#[pymethods]
impl Instance {
    /// The instance's name.
    #[getter]
    fn name(&self) -> &str {
        self.problem.name()
    }

    /// What errors about it name: the file it was read from, or `<dict>`.
    #[getter]
    fn file(&self) -> &str {
        &self.file
    }

    /// The instance as takt YAML, or JSON for one read from JSON or a dict (see `to_text`).
    #[getter]
    fn text(&self) -> String {
        match self.format {
            DocFormat::Yaml => yaml_text(&self.raw, ""),
            DocFormat::Json => self.json(),
        }
    }

    /// The instance as written (after parsing), as `yaml` or `json` text.
    #[pyo3(signature = (format = "json"))]
    fn to_text(&self, py: Python<'_>, format: &str) -> PyResult<String> {
        Ok(match doc_format(py, format)? {
            DocFormat::Yaml => yaml_text(&self.raw, ""),
            DocFormat::Json => self.json(),
        })
    }

    /// Number of jobs.
    #[getter]
    fn jobs(&self) -> usize {
        self.problem.jobs().len()
    }

    /// Number of operations.
    #[getter]
    fn operations(&self) -> usize {
        self.problem.ops().len()
    }

    /// Number of machines.
    #[getter]
    fn machines(&self) -> usize {
        self.problem.machines().len()
    }

    /// One line: name, jobs, operations, machines, plants.
    fn summary(&self) -> String {
        self.problem.summary()
    }

    fn __repr__(&self) -> String {
        format!("<takt.Instance {}>", self.problem.summary())
    }

    /// Equal when written the same (as typed data: `"06:00"` in YAML and in JSON are the same
    /// clock, `8h` and `480` are not): the problem is validated from exactly that, so equal
    /// instances are the same problem.
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Instance>()
            .is_ok_and(|o| o.get().raw == self.raw)
    }

    /// Consistent with `==`: the hash of its JSON (the raw types hold no hash maps, so equal
    /// instances write the same JSON). Keeps instances, and the frozen `Task`s holding them,
    /// hashable.
    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.json().hash(&mut h);
        h.finish()
    }

    /// Pickled as its JSON and file name; unpickling validates it again.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let f = py.import("takt._takt")?.getattr("_instance_from_text")?;
        let args = PyTuple::new(py, [self.json().as_str(), "json", self.file.as_str()])?;
        Ok((f, args))
    }
}

/// An instance from `yaml` or `json` text (`file` names it in errors).
#[pyfunction]
#[pyo3(signature = (text, format = "yaml", file = "<dict>"))]
pub fn _instance_from_text(
    py: Python<'_>,
    text: &str,
    format: &str,
    file: &str,
) -> PyResult<Instance> {
    let format = doc_format(py, format)?;
    or_raise(py, parse_text(text, format, file))
}

/// An instance from a file (takt YAML or JSON, or a benchmark file).
#[pyfunction]
pub fn load_path(py: Python<'_>, path: PathBuf) -> PyResult<Instance> {
    or_raise(py, read_path(&path.display().to_string()))
}
