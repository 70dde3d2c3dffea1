//! The instance schema typed both ways: every shipped example and a generated instance read,
//! written and read again give the same problem, and the written text is stable. JSON beside
//! YAML: the same documents, the same errors. The JSON Schemas generated from the types accept
//! every shipped example and reject broken ones, and the shipped copies are current.

mod common;
use common::cli::{takt, text};
use common::files::yaml_files;

use std::path::PathBuf;
use takt::generate::{generate, GenConfig};
use takt::model::load::parse_yaml;
use takt::model::raw::RawInstance;
use takt::model::validate::validate;
use takt::model::write::yaml_text;
use takt::model::Problem;

/// The shipped examples (at least eight: a shorter list means the directory moved).
fn examples() -> Vec<PathBuf> {
    let v = common::files::examples();
    assert!(v.len() >= 8, "{v:?}");
    v
}

/// Every public part of two problems is the same (the private name indexes follow from them).
pub fn assert_same_problem(a: &Problem, b: &Problem) {
    let parts = |p: &Problem| {
        vec![
            format!("{:?}", p.name()),
            format!("{:?}", p.horizon_start()),
            format!("{:?}", p.horizon_end()),
            format!("{:?}", p.week()),
            format!("{:?}", p.objective()),
            format!("{:?}", p.plants()),
            format!("{:?}", p.transfer()),
            format!("{:?}", p.calendars()),
            format!("{:?}", p.families()),
            format!("{:?}", p.changeover_matrices()),
            format!("{:?}", p.machines()),
            format!("{:?}", p.jobs()),
            format!("{:?}", p.ops()),
            format!("{:?}", p.ops_by_machine()),
            format!("{:?}", p.resources()),
            format!("{:?}", p.items()),
            format!("{:?}", p.interrupted_operations()),
            format!("{:?}", p.stability()),
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

// ---------------------------------------------------------------------------------------------
// JSON beside YAML

use takt::model::load::{problem_from_json_str, problem_from_yaml_str, DocFormat};

/// A YAML document as a JSON value, converted by the YAML library (not by takt's types).
fn yaml_to_json(text: &str) -> serde_json::Value {
    serde_yaml::from_str(text).expect("YAML converts to a JSON value")
}

#[test]
fn json_and_yaml_of_every_example_give_the_same_problem() {
    for path in examples() {
        let name = path.display().to_string();
        let yaml = std::fs::read_to_string(&path).unwrap();
        let json = serde_json::to_string_pretty(&yaml_to_json(&yaml)).unwrap();
        let a = problem_from_yaml_str(&yaml, &name).unwrap();
        let b = problem_from_json_str(&json, &name).unwrap_or_else(|e| panic!("{e}\n{json}"));
        assert_same_problem(&a, &b);
        // And through the file entry point, which picks the format by extension.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.json");
        std::fs::write(&file, &json).unwrap();
        assert_same_problem(&a, &takt::model::load_instance(&file).unwrap());
    }
}

#[test]
fn bad_json_names_file_line_column_and_path() {
    let json = r#"{
  "horizon": {"start": "2026-11-23T06:00"},
  "plants": [{"id": "p"}],
  "machines": [{"id": "M1", "plant": "p"}],
  "jobs": [
    {"id": "J1", "operations": [{"id": "o1", "machines": {"M1": true}}]}
  ]
}
"#;
    let e = problem_from_json_str(json, "bad.json").unwrap_err();
    let d = &e.diagnostics()[0];
    assert_eq!(d.path, "jobs[0].operations[0].machines.M1", "{e}");
    assert_eq!(d.location.map(|l| l.0), Some(6), "{e}");
    assert!(e.to_string().starts_with("bad.json:6:"), "{e}");
    // Unknown fields and syntax errors too; and through the CLI: exit 2, nothing else.
    let dir = tempfile::tempdir().unwrap();
    for (file, body, want) in [
        (
            "typo.json",
            json.replace("\"plants\"", "\"plantz\""),
            "typo.json:3:10: plantz: unknown field `plantz`",
        ),
        (
            "wrong-type.json",
            json.to_string(),
            "wrong-type.json:6:68: jobs[0].operations[0].machines.M1: invalid type: boolean `true`",
        ),
        (
            "syntax.json",
            json.replace("\"o1\",", "\"o1\""),
            "syntax.json:6:45: jobs[0].operations[0]: expected `,` or `}`",
        ),
    ] {
        let path = dir.path().join(file);
        std::fs::write(&path, body).unwrap();
        let r = takt(&[
            "solve",
            path.to_str().unwrap(),
            "--iterations",
            "10",
            "--quiet",
        ]);
        let t = text(&r);
        assert_eq!(r.status.code(), Some(2), "{t}");
        assert!(t.contains(want), "missing `{want}` in {t}");
        assert!(!t.contains("panicked"), "{t}");
    }
}

#[test]
fn events_scenarios_and_schedules_in_json() {
    use takt::reschedule::events::{events_from_str, parse_events};
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("instances/examples");
    let inst = dir.join("two-plant-demo.yaml");
    let problem = takt::model::load_instance(&inst).unwrap();
    let ev_yaml =
        std::fs::read_to_string(dir.join("events/two-plant-demo-breakdown.yaml")).unwrap();
    let ev_json = serde_json::to_string(&yaml_to_json(&ev_yaml)).unwrap();
    let a = parse_events(&ev_yaml, "e.yaml", &problem).unwrap();
    let b = events_from_str(&ev_json, DocFormat::Json, "e.json", &problem).unwrap();
    assert_eq!(a.list, b.list);
    // A bad JSON event names its place.
    let bad = ev_json.replacen("\"machine\"", "\"machin\"", 1);
    let e = events_from_str(&bad, DocFormat::Json, "e.json", &problem).unwrap_err();
    assert!(e.to_string().starts_with("e.json:1:"), "{e}");
    assert!(e.to_string().contains("unknown field `machin`"), "{e}");

    // The whole loop with JSON files: solve -> .json schedule -> check; reschedule with JSON
    // events and a JSON patched instance; scenarios from a JSON scenario file.
    let tmp = tempfile::tempdir().unwrap();
    let p = |n: &str| tmp.path().join(n).display().to_string();
    let inst_json = p("inst.json");
    let yaml = std::fs::read_to_string(&inst).unwrap();
    std::fs::write(
        &inst_json,
        serde_json::to_string(&yaml_to_json(&yaml)).unwrap(),
    )
    .unwrap();
    let r = takt(&[
        "solve",
        &inst_json,
        "-o",
        &p("plan.json"),
        "--iterations",
        "200",
        "--quiet",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p("plan.json")).unwrap()).unwrap();
    assert!(
        plan["operations"].as_array().is_some_and(|a| !a.is_empty()),
        "{plan}"
    );
    let r = takt(&["check", &inst_json, &p("plan.json")]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    std::fs::write(p("events.json"), &ev_json).unwrap();
    let r = takt(&[
        "reschedule",
        &inst_json,
        &p("plan.json"),
        &p("events.json"),
        "--now",
        "2026-11-24T08:00",
        "--iterations",
        "200",
        "--quiet",
        "-o",
        &p("new.json"),
        "--write-instance",
        &p("patched.json"),
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    let r = takt(&["check", &p("patched.json"), &p("new.json")]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    let sc = std::fs::read_to_string(dir.join("scenarios/saturday-shift-south.yaml")).unwrap();
    std::fs::write(
        p("sat.json"),
        serde_json::to_string(&yaml_to_json(&sc)).unwrap(),
    )
    .unwrap();
    let r = takt(&[
        "scenarios",
        &inst_json,
        &p("sat.json"),
        "--iterations",
        "100",
        "--csv",
        "--quiet",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
}

// ---------------------------------------------------------------------------------------------
// JSON Schema

use takt::schema::{schema_text, SchemaKind};

fn validator(kind: SchemaKind) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&schema_text(kind)).unwrap();
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

fn errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn shipped_schemas_are_the_generated_ones() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema");
    for kind in SchemaKind::ALL {
        let path = dir.join(kind.file_name());
        let shipped = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            shipped == schema_text(kind),
            "{} is out of date: run `takt schema {kind:?} -o {}`",
            path.display(),
            path.display()
        );
    }
}

#[test]
fn the_schemas_accept_every_shipped_example() {
    let v = validator(SchemaKind::Instance);
    let mut docs: Vec<(PathBuf, String)> = examples()
        .into_iter()
        .map(|p| {
            let t = std::fs::read_to_string(&p).unwrap();
            (p, t)
        })
        .collect();
    // A generated instance, and a written one, too.
    docs.push((
        "generated".into(),
        generate(&GenConfig {
            operators: 2,
            materials: true,
            ..GenConfig::default()
        }),
    ));
    let raw: RawInstance = parse_yaml(&docs[0].1).unwrap();
    docs.push(("written".into(), yaml_text(&raw, "")));
    for (path, text) in &docs {
        let errs = errors(&v, &yaml_to_json(text));
        assert!(errs.is_empty(), "{}: {errs:?}", path.display());
    }
    let ev = validator(SchemaKind::Events);
    for p in yaml_files("instances/examples/events") {
        let errs = errors(&ev, &yaml_to_json(&std::fs::read_to_string(&p).unwrap()));
        assert!(errs.is_empty(), "{}: {errs:?}", p.display());
    }
    let sc = validator(SchemaKind::Scenario);
    for p in yaml_files("instances/examples/scenarios") {
        let errs = errors(&sc, &yaml_to_json(&std::fs::read_to_string(&p).unwrap()));
        assert!(errs.is_empty(), "{}: {errs:?}", p.display());
    }
}

#[test]
fn the_instance_schema_rejects_broken_instances() {
    let v = validator(SchemaKind::Instance);
    let path = examples()
        .into_iter()
        .find(|p| p.ends_with("two-plant-demo.yaml"))
        .unwrap();
    let good = yaml_to_json(&std::fs::read_to_string(path).unwrap());
    assert!(errors(&v, &good).is_empty());
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let broken: Vec<(&str, Edit)> = vec![
        (
            "unknown field",
            Box::new(|d| d["jobs"][0]["colour"] = "red".into()),
        ),
        (
            "wrong type",
            Box::new(|d| d["jobs"][0]["weight"] = "heavy".into()),
        ),
        (
            "bad duration",
            Box::new(|d| d["transfers"][0]["time"] = "soon".into()),
        ),
        (
            "bad instant",
            Box::new(|d| d["jobs"][0]["due"] = "next friday".into()),
        ),
        (
            "bad clock",
            Box::new(|d| d["calendars"][0]["weekly"][0]["from"] = "6 am".into()),
        ),
        (
            "unknown objective term",
            Box::new(|d| d["objective"]["speed"] = 1.into()),
        ),
        (
            "missing jobs",
            Box::new(|d| {
                d.as_object_mut().unwrap().remove("jobs");
            }),
        ),
    ];
    for (what, edit) in broken {
        let mut doc = good.clone();
        edit(&mut doc);
        assert!(!errors(&v, &doc).is_empty(), "{what}: accepted {doc}");
        // The parser rejects it too: the schema is not stricter than takt.
        let json = serde_json::to_string(&doc).unwrap();
        assert!(
            problem_from_json_str(&json, "broken.json").is_err(),
            "{what}"
        );
    }
    // Durations and instants in both documented forms.
    for (field, ok) in [
        (serde_json::json!(90), true),
        ("1h30m".into(), true),
        ("2d".into(), true),
        (serde_json::json!(1.5), false),
    ] {
        let mut doc = good.clone();
        doc["transfers"][0]["time"] = field.clone();
        assert_eq!(errors(&v, &doc).is_empty(), ok, "time: {field}");
    }
    for (field, ok) in [
        (serde_json::json!(600), true),
        ("2026-11-25T12:00".into(), true),
        ("2026-11-25".into(), true),
        ("25.11.2026".into(), false),
    ] {
        let mut doc = good.clone();
        doc["jobs"][0]["due"] = field.clone();
        assert_eq!(errors(&v, &doc).is_empty(), ok, "due: {field}");
    }
}
