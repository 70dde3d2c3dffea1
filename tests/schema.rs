//! The instance schema typed both ways: every shipped example and a generated instance read,
//! written and read again give the same problem, and the written text is stable.

use std::path::PathBuf;
use takt::generate::{generate, GenConfig};
use takt::model::load::parse_yaml;
use takt::model::raw::RawInstance;
use takt::model::validate::validate;
use takt::model::write::yaml_text;
use takt::model::Problem;

fn examples() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("instances/examples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    assert!(v.len() >= 8, "{v:?}");
    v
}

/// Every public part of two problems is the same (the private name indexes follow from them).
pub fn assert_same_problem(a: &Problem, b: &Problem) {
    let parts = |p: &Problem| {
        vec![
            format!("{:?}", p.name),
            format!("{:?}", p.horizon_start),
            format!("{:?}", p.horizon_end),
            format!("{:?}", p.week),
            format!("{:?}", p.objective),
            format!("{:?}", p.plants),
            format!("{:?}", p.transfer),
            format!("{:?}", p.calendars),
            format!("{:?}", p.families),
            format!("{:?}", p.changeover_matrices),
            format!("{:?}", p.machines),
            format!("{:?}", p.jobs),
            format!("{:?}", p.ops),
            format!("{:?}", p.ops_by_machine),
            format!("{:?}", p.resources),
            format!("{:?}", p.items),
            format!("{:?}", p.interrupted_operations),
            format!("{:?}", p.stability),
        ]
    };
    for (x, y) in parts(a).iter().zip(parts(b)) {
        assert_eq!(*x, y);
    }
}

/// Parse -> serialise -> parse: the same raw instance, the same problem, and the second
/// serialisation is the first, character for character.
fn round_trip(text: &str, name: &str) {
    let raw: RawInstance = parse_yaml(text).unwrap_or_else(|d| panic!("{name}: {d}"));
    let p = validate(&raw).unwrap_or_else(|d| panic!("{name}: {d:?}"));
    let written = yaml_text(&raw, "");
    let again: RawInstance =
        parse_yaml(&written).unwrap_or_else(|d| panic!("{name}: {d}\n{written}"));
    assert_eq!(raw, again, "{name}");
    let q = validate(&again).unwrap_or_else(|d| panic!("{name}: {d:?}\n{written}"));
    assert_same_problem(&p, &q);
    assert_eq!(yaml_text(&again, ""), written, "{name}: not stable");
}

#[test]
fn every_example_round_trips_through_the_typed_schema() {
    for path in examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        round_trip(&text, &path.display().to_string());
    }
}

#[test]
fn a_generated_instance_with_every_generator_feature_round_trips() {
    let cfg = GenConfig {
        jobs: 12,
        machines: 5,
        plants: 2,
        seed: 7,
        operators: 2,
        materials: true,
        ..GenConfig::default()
    };
    round_trip(&generate(&cfg), "generated");
}

#[test]
fn written_text_keeps_ids_that_look_like_other_types() {
    let text = r##"
name: "yes"
horizon: {start: 2026-11-23T06:00, end: 2026-11-30}
plants: [{id: "1"}]
machines: [{id: "a: b", plant: "1", downtime: [{from: 60, to: 2026-11-23T09:00}]}]
jobs:
  - id: "null"
    due: 120
    operations:
      - {id: "#c", machines: ["a: b"], duration: 1h30m, atomic: true}
"##;
    round_trip(text, "odd ids");
}

/// Parse -> serialise -> parse of any input document gives the same typed value, and the
/// second serialisation is stable.
fn doc_round_trip<T>(path: &std::path::Path)
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.display();
    let doc: T = parse_yaml(&text).unwrap_or_else(|d| panic!("{name}: {d}"));
    let written = yaml_text(&doc, "");
    let again: T = parse_yaml(&written).unwrap_or_else(|d| panic!("{name}: {d}\n{written}"));
    assert_eq!(doc, again, "{name}");
    assert_eq!(yaml_text(&again, ""), written, "{name}: not stable");
}

fn yaml_files(dir: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

#[test]
fn events_and_scenarios_round_trip_through_their_types() {
    use takt::reschedule::events::RawEvents;
    use takt::reschedule::scenarios::RawScenario;
    let events = yaml_files("instances/examples/events");
    let scenarios = yaml_files("instances/examples/scenarios");
    assert!(!events.is_empty() && !scenarios.is_empty());
    for p in &events {
        doc_round_trip::<RawEvents>(p);
    }
    for p in &scenarios {
        doc_round_trip::<RawScenario>(p);
    }
    // The test fixtures hold every event and change kind.
    let mut kinds = 0;
    for p in yaml_files("tests/fixtures/reschedule") {
        let text = std::fs::read_to_string(&p).unwrap();
        if text.contains("events:") && parse_yaml::<RawEvents>(&text).is_ok() {
            doc_round_trip::<RawEvents>(&p);
            kinds += 1;
        }
    }
    for p in yaml_files("tests/fixtures/scenarios") {
        let text = std::fs::read_to_string(&p).unwrap();
        if text.contains("changes:") && parse_yaml::<RawScenario>(&text).is_ok() {
            doc_round_trip::<RawScenario>(&p);
            kinds += 1;
        }
    }
    assert!(kinds >= 3, "{kinds}");
}
