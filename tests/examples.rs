//! The hand-made instances in `instances/examples`: each parses and validates, says what it
//! shows in a comment header, keeps its pinned operations feasible, and together they use every
//! feature of the instance format.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use takt::model::load::parse_yaml;
use takt::model::raw::{RawEligible, RawInstance};
use takt::model::{parse_instance, Problem};

struct Example {
    file: String,
    text: String,
    raw: RawInstance,
    problem: Problem,
}

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/examples")
}

fn example_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(example_dir())
        .expect("instances/examples exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    v.sort();
    v
}

/// Every example, parsed; panics listing every file that does not parse.
fn examples() -> Vec<Example> {
    let mut out = Vec::new();
    let mut failures = Vec::new();
    for path in example_files() {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(&path).expect("read example");
        match parse_instance(&text, &file) {
            Ok(problem) => {
                let raw = parse_yaml::<RawInstance>(&text).expect("parses when validation does");
                out.push(Example {
                    file,
                    text,
                    raw,
                    problem,
                });
            }
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(
        failures.is_empty(),
        "examples that do not parse:\n{}",
        failures.join("\n")
    );
    out
}

#[test]
fn every_example_parses() {
    let all = examples();
    assert!(
        all.len() >= 5,
        "expected at least 5 examples, found {}",
        all.len()
    );
    assert!(
        all.iter().any(|e| e.file.ends_with("two-plant-demo.yaml")),
        "two-plant-demo.yaml (the DESIGN.md example) is missing"
    );
}

#[test]
fn every_example_says_what_it_shows_and_is_small() {
    for e in examples() {
        let first = e.text.lines().next().unwrap_or("");
        assert!(first.starts_with("# "), "{}: no `#` comment header", e.file);
        assert!(e.raw.name.is_some(), "{}: no name", e.file);
        // The DESIGN.md example is kept verbatim (2 jobs); the others are 5 to 12 jobs.
        if !e.file.ends_with("two-plant-demo.yaml") {
            let n = e.problem.jobs().len();
            assert!(
                (5..=12).contains(&n),
                "{}: {n} jobs, expected 5 to 12",
                e.file
            );
        }
    }
}

/// A pinned operation must be feasible: it starts at a working instant of its machine, and not
/// before its job's release plus the shortest durations of its predecessors.
#[test]
fn pinned_operations_are_feasible() {
    for e in examples() {
        let p = &e.problem;
        for job in p.jobs() {
            let mut earliest = job.release;
            for o in job.ops() {
                let op = p.op(o);
                if let Some(pin) = op.pinned {
                    let m = p.machine(pin.machine);
                    assert!(
                        m.availability.is_working(pin.start),
                        "{}: {} is pinned at minute {}, which is not working time on {}",
                        e.file,
                        p.op_name(o),
                        pin.start,
                        m.id
                    );
                    assert!(
                        pin.start >= earliest,
                        "{}: {} is pinned at minute {}, before its job can reach it ({earliest})",
                        e.file,
                        p.op_name(o),
                        pin.start
                    );
                    earliest = pin.start;
                }
                earliest += op.modes.iter().map(|m| m.duration).min().unwrap_or(0);
            }
        }
    }
}

/// Together the examples use every feature of the format (so a feature without an example, or
/// an example that loses its feature in an edit, is noticed).
#[test]
fn examples_cover_every_feature() {
    let all = examples();
    let mut seen: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut mark = |feature: &'static str, file: &str, present: bool| {
        let entry = seen.entry(feature).or_default();
        if present {
            entry.push(file.rsplit('/').next().unwrap_or(file).to_string());
        }
    };
    for e in &all {
        let (p, r, f) = (&e.problem, &e.raw, e.file.as_str());
        let n = p.plants().len();
        let cross = |a: usize, b: usize| a != b && p.transfer()[a][b].is_some();
        mark(
            "two plants with transfers",
            f,
            n >= 2 && (0..n).any(|a| (0..n).any(|b| cross(a, b))),
        );
        mark(
            "directed (asymmetric) transfer matrix",
            f,
            (0..n).any(|a| (0..n).any(|b| cross(a, b) && p.transfer()[a][b] != p.transfer()[b][a])),
        );
        mark(
            "in-plant move time",
            f,
            (0..n).any(|a| p.transfer()[a][a].is_some()),
        );
        mark(
            "holiday",
            f,
            p.calendars().iter().any(|c| !c.holidays.is_empty()),
        );
        mark(
            "overtime",
            f,
            p.calendars().iter().any(|c| !c.overtime.is_empty()),
        );
        mark(
            "machine downtime",
            f,
            p.machines().iter().any(|m| !m.downtime.is_empty()),
        );
        mark(
            "machine without calendar",
            f,
            p.machines().iter().any(|m| m.calendar.is_none()),
        );
        mark(
            "night shift crossing midnight",
            f,
            p.calendars()
                .iter()
                .any(|c| c.weekly.iter().any(|s| s.to < s.from)),
        );
        mark(
            "24 h shift (from == to)",
            f,
            p.calendars()
                .iter()
                .any(|c| c.weekly.iter().any(|s| s.to == s.from)),
        );
        mark(
            "asymmetric changeover matrix",
            f,
            p.changeover_matrices().iter().any(|c| {
                let k = c.minutes.len();
                (0..k).any(|a| (0..k).any(|b| c.minutes[a][b] != c.minutes[b][a]))
            }),
        );
        mark(
            "changeover matrix shared by machines",
            f,
            p.changeover_matrices().iter().enumerate().any(|(i, _)| {
                p.machines()
                    .iter()
                    .filter(|m| m.changeovers == Some(i))
                    .count()
                    >= 2
            }),
        );
        mark(
            "initial_family",
            f,
            p.machines().iter().any(|m| m.initial_family.is_some()),
        );
        mark(
            "family inherited from the job",
            f,
            r.jobs
                .iter()
                .any(|j| j.family.is_some() && j.operations.iter().any(|o| o.family.is_none())),
        );
        mark(
            "family overridden per operation",
            f,
            r.jobs.iter().any(|j| {
                j.family.is_some()
                    && j.operations
                        .iter()
                        .any(|o| o.family.is_some() && o.family != j.family)
            }),
        );
        mark("atomic operation", f, p.ops().iter().any(|o| o.atomic));
        mark(
            "pinned operation",
            f,
            p.ops().iter().any(|o| o.pinned.is_some()),
        );
        mark(
            "hard deadline",
            f,
            p.jobs().iter().any(|j| j.deadline.is_some()),
        );
        mark("release date", f, p.jobs().iter().any(|j| j.release > 0));
        mark("due date", f, p.jobs().iter().any(|j| j.due.is_some()));
        mark("weight", f, p.jobs().iter().any(|j| j.weight != 1.0));
        mark("duration `90m`", f, e.text.contains(": 90m"));
        mark("duration `1h30m`", f, e.text.contains(": 1h30m"));
        mark("duration `2d`", f, e.text.contains(": 2d"));
        mark(
            "duration in integer minutes",
            f,
            has_integer_duration(&e.text),
        );
        mark(
            "list form with `duration`",
            f,
            r.jobs.iter().flat_map(|j| &j.operations).any(|o| {
                matches!(o.machines, RawEligible::List(ref v) if v.len() >= 2)
                    && o.duration.is_some()
            }),
        );
        mark(
            "map form with per-machine durations",
            f,
            p.ops().iter().any(|o| {
                o.modes.len() >= 2 && o.modes.iter().any(|m| m.duration != o.modes[0].duration)
            }),
        );
        mark(
            "alternative machines across plants",
            f,
            p.ops().iter().any(|o| {
                o.modes
                    .iter()
                    .any(|m| p.machine(m.machine).plant != p.machine(o.modes[0].machine).plant)
            }),
        );
        mark(
            "objective with several terms",
            f,
            r.objective.as_ref().is_some_and(|o| o.len() >= 2),
        );
        let only = |w: [f64; 6], i: usize| {
            w.iter()
                .enumerate()
                .all(|(k, &x)| x == if k == i { 1.0 } else { 0.0 })
        };
        mark(
            "default objective: weighted tardiness",
            f,
            r.objective.is_none() && only(p.objective().as_array(), 1),
        );
        mark(
            "default objective: makespan",
            f,
            r.objective.is_none() && only(p.objective().as_array(), 0),
        );
        mark("horizon end", f, p.horizon_end().is_some());
    }
    let missing: Vec<&str> = seen
        .iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(k, _)| *k)
        .collect();
    assert!(
        missing.is_empty(),
        "no example shows: {missing:?}\ncoverage: {seen:#?}"
    );
}

/// Whether some `machines: {M: 30}` map or `duration: 30` gives a duration as integer minutes.
fn has_integer_duration(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    text.lines().any(|l| {
        let l = l.split('#').next().unwrap_or("");
        let in_map = l.split_once("machines: {").is_some_and(|(_, rest)| {
            let body = rest.split('}').next().unwrap_or("");
            body.split(',')
                .any(|kv| kv.split_once(':').is_some_and(|(_, v)| digits(v.trim())))
        });
        let as_duration = l
            .split_once("duration: ")
            .is_some_and(|(_, rest)| digits(rest.split([',', '}']).next().unwrap_or("").trim()));
        in_map || as_duration
    })
}
