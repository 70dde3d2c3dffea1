//! Small helpers to patch an instance at the YAML value level (rescheduling events, scenarios):
//! the patched value deserialises into the same `RawInstance` and goes through the same
//! validation as a hand-written file, and can be written out and re-checked.

use crate::model::raw::RawInstance;
use crate::model::time::{Minute, RawDuration};
use crate::model::{Diagnostic, Problem};
use serde_yaml::{Mapping, Value};

/// The text of a scalar (ids may be written as numbers).
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `v[key]` as a sequence, created (or replaced when null) if absent.
pub fn seq_mut<'a>(v: &'a mut Value, key: &str) -> &'a mut Vec<Value> {
    let map = map_mut(v);
    let k = Value::String(key.to_string());
    let slot = map.entry(k).or_insert_with(|| Value::Sequence(Vec::new()));
    if !slot.is_sequence() {
        *slot = Value::Sequence(Vec::new());
    }
    slot.as_sequence_mut().expect("just made a sequence")
}

/// The mapping `v` (made one when it is not).
pub fn map_mut(v: &mut Value) -> &mut Mapping {
    if !v.is_mapping() {
        *v = Value::Mapping(Mapping::new());
    }
    v.as_mapping_mut().expect("just made a mapping")
}

/// Sets `v[key] = val`.
pub fn set(v: &mut Value, key: &str, val: Value) {
    map_mut(v).insert(Value::String(key.to_string()), val);
}

/// Removes `v[key]`.
pub fn remove(v: &mut Value, key: &str) {
    if let Some(m) = v.as_mapping_mut() {
        m.remove(key);
    }
}

/// The element of `seq` whose `id` is `id`.
pub fn by_id<'a>(seq: &'a mut [Value], id: &str) -> Option<&'a mut Value> {
    seq.iter_mut()
        .find(|e| e.get("id").and_then(scalar).as_deref() == Some(id))
}

/// Minute `m` as the ISO datetime takt writes (readable in the patched file).
pub fn instant(problem: &Problem, m: Minute) -> Value {
    Value::String(problem.datetime(m))
}

/// `{from: a, to: b}` as datetimes.
pub fn interval(problem: &Problem, a: Minute, b: Minute) -> Value {
    let mut m = Mapping::new();
    m.insert("from".into(), instant(problem, a));
    m.insert("to".into(), instant(problem, b));
    Value::Mapping(m)
}

/// A duration value (`90`, `"1h30m"`) in minutes.
pub fn duration(v: &Value) -> Option<Minute> {
    serde_yaml::from_value::<RawDuration>(v.clone())
        .ok()
        .map(|d| d.0)
}

/// Deserialises and validates a patched instance; diagnostics carry the patched instance's paths.
pub fn validate_value(v: &Value) -> Result<Problem, Vec<Diagnostic>> {
    let raw: RawInstance = serde_path_to_error::deserialize(v.clone()).map_err(|e| {
        vec![Diagnostic::at(
            e.path().to_string(),
            e.into_inner().to_string(),
        )]
    })?;
    crate::model::validate::validate(&raw)
}

/// Reads an instance file as a YAML value (for patching) and as a validated problem.
pub fn load_value(path: &std::path::Path) -> Result<(Value, Problem), crate::model::InputError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| crate::model::InputError::Io {
        file: file.clone(),
        source,
    })?;
    let problem = crate::model::parse_instance(&text, &file)?;
    let value: Value = serde_yaml::from_str(&text)
        .map_err(|e| crate::model::InputError::invalid(&file, vec![super::events::yaml_diag(e)]))?;
    Ok((value, problem))
}

/// The patched instance as YAML text, with a comment header.
pub fn to_text(header: &str, v: &Value) -> String {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&serde_yaml::to_string(v).expect("a YAML value serialises"));
    out
}
