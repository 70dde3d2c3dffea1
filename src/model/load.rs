//! Reading input documents (instances, events, scenarios, schedules): YAML or JSON chosen by
//! the file extension (`.json` is JSON, anything else YAML), parsed into the same typed structs
//! with the same errors: the file, line:column and the path of the failing value
//! (`jobs[3].operations[1].machines`). The YAML and JSON libraries are used only here (and in
//! `write`), so swapping one is a local change.

use super::error::{Diagnostic, InputError};
use super::problem::Problem;
use super::raw::RawInstance;
use super::validate::validate;
use serde::de::DeserializeOwned;
use std::path::Path;

/// The text format of an input document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocFormat {
    Yaml,
    Json,
}

impl DocFormat {
    /// `.json` (any case) is JSON; everything else is read as YAML.
    pub fn of(path: &Path) -> DocFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => DocFormat::Json,
            _ => DocFormat::Yaml,
        }
    }
}

/// Reads and validates an instance file (YAML, or JSON for `.json`).
pub fn load_instance(path: &Path) -> Result<Problem, InputError> {
    load_raw_instance(path).map(|(_, p)| p)
}

/// Parses and validates YAML instance text; `file` names it in errors.
pub fn parse_instance(text: &str, file: &str) -> Result<Problem, InputError> {
    problem_from_yaml_str(text, file)
}

/// Parses and validates YAML instance text; `origin` names it in errors.
pub fn problem_from_yaml_str(text: &str, origin: &str) -> Result<Problem, InputError> {
    parse_raw_instance(text, DocFormat::Yaml, origin).map(|(_, p)| p)
}

/// Parses and validates JSON instance text; `origin` names it in errors.
pub fn problem_from_json_str(text: &str, origin: &str) -> Result<Problem, InputError> {
    parse_raw_instance(text, DocFormat::Json, origin).map(|(_, p)| p)
}

/// Reads an instance file as written (for patching) and validated.
pub fn load_raw_instance(path: &Path) -> Result<(RawInstance, Problem), InputError> {
    let (text, file) = read_text(path)?;
    parse_raw_instance(&text, DocFormat::of(path), &file)
}

/// Instance text as written and validated; `file` names it in errors.
pub fn parse_raw_instance(
    text: &str,
    format: DocFormat,
    file: &str,
) -> Result<(RawInstance, Problem), InputError> {
    let raw: RawInstance = parse_doc(text, format, file)?;
    let problem = validate(&raw).map_err(|d| InputError::invalid(file, d))?;
    Ok((raw, problem))
}

/// Reads any input document into `T`, the format by the file's extension.
pub fn read_doc<T: DeserializeOwned>(path: &Path) -> Result<T, InputError> {
    let (text, file) = read_text(path)?;
    parse_doc(&text, DocFormat::of(path), &file)
}

/// Parses any input document into `T`; errors name `file`.
pub fn parse_doc<T: DeserializeOwned>(
    text: &str,
    format: DocFormat,
    file: &str,
) -> Result<T, InputError> {
    match format {
        DocFormat::Yaml => parse_yaml(text),
        DocFormat::Json => parse_json(text),
    }
    .map_err(|d| InputError::invalid(file, vec![d]))
}

fn read_text(path: &Path) -> Result<(String, String), InputError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| InputError::Io {
        file: file.clone(),
        source,
    })?;
    Ok((text, file))
}

/// Deserialises YAML into `T`, reporting the failing value's YAML path and line:column.
pub fn parse_yaml<T: DeserializeOwned>(text: &str) -> Result<T, Diagnostic> {
    let de = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let location = inner.location().map(|l| (l.line(), l.column()));
        diagnostic(path, location, inner.to_string())
    })
}

/// Deserialises JSON into `T`, reporting the failing value's path and line:column.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, Diagnostic> {
    let at = |e: &serde_json::Error| (e.line() > 0).then(|| (e.line(), e.column()));
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        diagnostic(path, at(&inner), inner.to_string())
    })?;
    // Characters after the document are an error too.
    de.end()
        .map_err(|e| diagnostic(String::new(), at(&e), e.to_string()))?;
    Ok(value)
}

/// One diagnostic from a parser's error: the position is printed in front, so it is taken out
/// of the message, as is a repeated path prefix; unknown (`?`) path segments are dropped.
fn diagnostic(path: String, location: Option<(usize, usize)>, mut message: String) -> Diagnostic {
    if let Some((l, c)) = location {
        message = message.replacen(&format!(" at line {l} column {c}"), "", 1);
    }
    if let Some((head, rest)) = message.split_once(": ") {
        if !head.contains(' ') && path.starts_with(head) {
            message = rest.to_string();
        }
    }
    let path = path
        .split('.')
        .filter(|s| *s != "?")
        .collect::<Vec<_>>()
        .join(".");
    Diagnostic {
        path: if path == "." { String::new() } else { path },
        location,
        message,
    }
}
