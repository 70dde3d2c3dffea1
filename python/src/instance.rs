//! `takt.Instance`: a validated problem together with its YAML text. The text is what makes an
//! instance travel: pickling (Ray ships instances to workers) sends the text and the worker
//! validates it again, and rescheduling and scenarios patch it like the CLI patches the file.

use crate::errors::or_raise;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::path::Path;
use takt::model::{parse_instance, InputError, Problem};

#[pyclass(module = "takt._takt", name = "Instance", frozen)]
pub struct Instance {
    pub problem: Problem,
    /// The instance as takt YAML (or JSON, which is YAML's flow syntax).
    pub text: String,
    /// What errors about it name: the file, or `<dict>`.
    pub file: String,
    /// The file it was read from, when it came from a takt YAML file: the CLI's commands get the
    /// same path, so their messages name the user's file.
    pub path: Option<std::path::PathBuf>,
}

/// Parses and validates instance text; `file` names it in errors. The one place that turns
/// text into a problem: when the library reads JSON natively, only this changes.
pub fn parse_text(text: &str, file: &str) -> Result<Problem, InputError> {
    parse_instance(text, file)
}

/// Reads an instance file: takt YAML by extension, else a benchmark file (`.txt` job shop,
/// `.fjs`, `wt40.txt#3`), which is kept as its takt YAML conversion.
pub fn read_path(path: &str) -> Result<Instance, InputError> {
    let p = Path::new(path);
    let problem = takt::cli::load_any(p)?;
    let is_yaml = matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    );
    let text = if is_yaml {
        std::fs::read_to_string(p).map_err(|source| InputError::Io {
            file: path.to_string(),
            source,
        })?
    } else {
        takt::formats::to_yaml(&problem)
    };
    Ok(Instance {
        problem,
        text,
        file: path.to_string(),
        path: is_yaml.then(|| p.to_path_buf()),
    })
}

#[pymethods]
impl Instance {
    /// The instance's name.
    #[getter]
    fn name(&self) -> &str {
        &self.problem.name
    }

    /// What errors about it name: the file it was read from, or `<dict>`.
    #[getter]
    fn file(&self) -> &str {
        &self.file
    }

    /// The instance as takt YAML text (JSON for one loaded from a dict).
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }

    /// Number of jobs.
    #[getter]
    fn jobs(&self) -> usize {
        self.problem.jobs.len()
    }

    /// Number of operations.
    #[getter]
    fn operations(&self) -> usize {
        self.problem.ops.len()
    }

    /// Number of machines.
    #[getter]
    fn machines(&self) -> usize {
        self.problem.machines.len()
    }

    /// One line: name, jobs, operations, machines, plants.
    fn summary(&self) -> String {
        self.problem.summary()
    }

    fn __repr__(&self) -> String {
        format!("<takt.Instance {}>", self.problem.summary())
    }

    /// Pickled as its text and file name; unpickling validates it again.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let f = py.import("takt._takt")?.getattr("_instance_from_text")?;
        let args = PyTuple::new(py, [self.text.as_str(), self.file.as_str()])?;
        Ok((f, args))
    }
}

/// An instance from text (`file` names it in errors).
#[pyfunction]
#[pyo3(signature = (text, file = "<dict>"))]
pub fn _instance_from_text(py: Python<'_>, text: String, file: &str) -> PyResult<Instance> {
    let problem = or_raise(py, parse_text(&text, file))?;
    Ok(Instance {
        problem,
        text,
        file: file.to_string(),
        path: None,
    })
}

/// An instance from a file (takt YAML, or a benchmark file).
#[pyfunction]
pub fn load_path(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Instance> {
    or_raise(py, read_path(&path.display().to_string()))
}
