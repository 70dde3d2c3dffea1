//! Reading an instance file: YAML parse (with line:column and YAML path on errors), then
//! validation. The YAML library is used only here, so swapping it is a local change.

use super::error::{Diagnostic, InputError};
use super::problem::Problem;
use super::raw::RawInstance;
use super::validate::validate;
use std::path::Path;

/// Reads and validates an instance file.
pub fn load_instance(path: &Path) -> Result<Problem, InputError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| InputError::Io {
        file: file.clone(),
        source,
    })?;
    parse_instance(&text, &file)
}

/// Parses and validates instance text; `file` names it in errors.
pub fn parse_instance(text: &str, file: &str) -> Result<Problem, InputError> {
    parse_raw_instance(text, file).map(|(_, p)| p)
}

/// Reads an instance file as written (for patching) and validated.
pub fn load_raw_instance(path: &Path) -> Result<(RawInstance, Problem), InputError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| InputError::Io {
        file: file.clone(),
        source,
    })?;
    parse_raw_instance(&text, &file)
}

/// Instance text as written and validated; `file` names it in errors.
pub fn parse_raw_instance(text: &str, file: &str) -> Result<(RawInstance, Problem), InputError> {
    let raw = parse_yaml::<RawInstance>(text).map_err(|d| InputError::invalid(file, vec![d]))?;
    let problem = validate(&raw).map_err(|d| InputError::invalid(file, d))?;
    Ok((raw, problem))
}

/// Deserialises YAML into `T`, reporting the failing value's YAML path and line:column.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Diagnostic> {
    let de = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let location = inner.location().map(|l| (l.line(), l.column()));
        let mut message = inner.to_string();
        // serde_yaml repeats the position (we print it in front) and sometimes a path prefix.
        if let Some((l, c)) = location {
            message = message.replacen(&format!(" at line {l} column {c}"), "", 1);
        }
        if let Some((head, rest)) = message.split_once(": ") {
            if !head.contains(' ') && path.starts_with(head) {
                message = rest.to_string();
            }
        }
        // Syntax errors leave unknown (`?`) segments in the path.
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
    })
}
