//! Python exceptions for takt's typed errors. An `InputError` keeps what the CLI prints (the
//! message is exactly its text) and the structure behind it as attributes, so a notebook can
//! point at the place: `file`, `place` (YAML path), `line`, `column`, `reason` of the first
//! problem, and `errors`, every problem found.

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use takt::model::InputError;

/// The exception types, named `takt.InputError` and `takt.SolveError` in Python.
pub mod py {
    use super::*;
    pyo3::create_exception!(
        takt,
        InputError,
        PyValueError,
        "Bad input: an instance, schedule, events or scenario that takt cannot use. \
         Attributes: file, place, line, column, reason (first problem) and errors (all)."
    );
    pyo3::create_exception!(
        takt,
        SolveError,
        PyRuntimeError,
        "No schedule: the solver found none (e.g. pins that cannot hold) or the MIP proved the \
         instance infeasible."
    );
}

/// One problem of an input error, as Python sees it.
struct Problem<'a> {
    file: &'a str,
    place: &'a str,
    location: Option<(usize, usize)>,
    reason: String,
}

fn problems(e: &InputError) -> Vec<Problem<'_>> {
    match e {
        InputError::Io { file, source } => vec![Problem {
            file,
            place: "",
            location: None,
            reason: format!("cannot read: {source}"),
        }],
        InputError::Write { file, source } => vec![Problem {
            file,
            place: "",
            location: None,
            reason: format!("cannot write: {source}"),
        }],
        InputError::Invalid { file, diagnostics } => diagnostics
            .iter()
            .map(|d| Problem {
                file,
                place: &d.path,
                location: d.location,
                reason: d.message.clone(),
            })
            .collect(),
    }
}

/// Sets `file`, `place`, `line`, `column`, `reason` on `target` from one problem.
fn describe(target: &Bound<'_, PyAny>, p: &Problem<'_>) -> PyResult<()> {
    target.setattr("file", p.file)?;
    target.setattr("place", p.place)?;
    target.setattr("line", p.location.map(|l| l.0))?;
    target.setattr("column", p.location.map(|l| l.1))?;
    target.setattr("reason", &p.reason)?;
    Ok(())
}

/// Whether `file` names text the Python side generated from Python data (`<dict>`,
/// `<schedule>`, `<events>`, `<scenario>`, ...): a line:column in it would point into JSON the
/// user never saw, so errors about it keep only the YAML path. (`<text>` is the user's own.)
fn generated(file: &str) -> bool {
    file.starts_with('<') && file.ends_with('>') && file != "<text>"
}

/// The Python exception for a library input error (message: the CLI's text).
pub fn input_error(py: Python<'_>, e: InputError) -> PyErr {
    let e = match e {
        InputError::Invalid {
            file,
            mut diagnostics,
        } if generated(&file) => {
            diagnostics.iter_mut().for_each(|d| d.location = None);
            InputError::Invalid { file, diagnostics }
        }
        e => e,
    };
    let err = py::InputError::new_err(e.to_string());
    let value = err.value(py).clone().into_any();
    let all = problems(&e);
    let built = (|| -> PyResult<()> {
        let mut list = Vec::with_capacity(all.len());
        for p in &all {
            let d = PyDict::new(py);
            d.set_item("file", p.file)?;
            d.set_item("place", p.place)?;
            d.set_item("line", p.location.map(|l| l.0))?;
            d.set_item("column", p.location.map(|l| l.1))?;
            d.set_item("reason", &p.reason)?;
            list.push(d);
        }
        value.setattr("errors", list)?;
        match all.first() {
            Some(p) => describe(&value, p),
            None => describe(
                &value,
                &Problem {
                    file: "",
                    place: "",
                    location: None,
                    reason: e.to_string(),
                },
            ),
        }
    })();
    match built {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// Converts a library result, raising `InputError` on bad input.
pub fn or_raise<T>(py: Python<'_>, r: Result<T, InputError>) -> PyResult<T> {
    r.map_err(|e| input_error(py, e))
}

/// An input error about an argument (no file), like the CLI's `--now: ...`.
pub fn argument_error(py: Python<'_>, what: &str, message: impl Into<String>) -> PyErr {
    input_error(
        py,
        InputError::invalid(what, vec![takt::model::Diagnostic::at("", message)]),
    )
}
