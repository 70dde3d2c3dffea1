//! `takt scenarios`: each column equals solving the hand-patched instance with the same seed and
//! iterations; bad scenario files are input errors with file and place.

mod common;
use common::cli::{takt, text};

use std::path::PathBuf;

fn fx(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scenarios")
        .join(name)
        .display()
        .to_string()
}

/// The objective `takt solve` reports in a schedule file written with the given limits.
fn solve_objective(instance: &str, dir: &std::path::Path) -> f64 {
    let out = dir.join("s.yaml");
    let r = takt(&[
        "solve",
        instance,
        "-o",
        out.to_str().unwrap(),
        "--iterations",
        "400",
        "--seed",
        "5",
        "--quiet",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    let y = std::fs::read_to_string(&out).unwrap();
    let line = y
        .lines()
        .find(|l| l.trim_start().starts_with("objective:"))
        .unwrap();
    line.split(':').nth(1).unwrap().trim().parse().unwrap()
}

#[test]
fn scenario_columns_equal_solving_the_hand_patched_instances() {
    let dir = tempfile::tempdir().unwrap();
    let written = dir.path().join("patched");
    let r = takt(&[
        "scenarios",
        &fx("base.yaml"),
        &fx("saturday-south.yaml"),
        &fx("extra-cnc-alu-south.yaml"),
        "--iterations",
        "400",
        "--seed",
        "5",
        "--csv",
        "--quiet",
        "--write-instances",
        written.to_str().unwrap(),
    ]);
    let t = text(&r);
    assert_eq!(r.status.code(), Some(0), "{t}");
    let csv = String::from_utf8_lossy(&r.stdout).to_string();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "kpi,base,saturday-south,extra-cnc-alu-south"
    );
    let objective: Vec<f64> = csv
        .lines()
        .find(|l| l.starts_with("objective,"))
        .unwrap()
        .split(',')
        .skip(1)
        .map(|v| v.parse().unwrap())
        .collect();
    let by_hand = [
        solve_objective(&fx("base.yaml"), dir.path()),
        solve_objective(&fx("saturday-south.by-hand.yaml"), dir.path()),
        solve_objective(&fx("extra-cnc-alu-south.by-hand.yaml"), dir.path()),
    ];
    assert_eq!(objective, by_hand, "{csv}");
    // The written patched instances solve to the same numbers too.
    assert_eq!(
        solve_objective(
            written.join("saturday-south.yaml").to_str().unwrap(),
            dir.path()
        ),
        by_hand[1]
    );
    // The machine S-CNC2 only exists in one column: its utilisation row is there, 0 elsewhere.
    let row = csv
        .lines()
        .find(|l| l.starts_with("utilisation.machine.S-CNC2,"))
        .unwrap();
    assert!(row.starts_with("utilisation.machine.S-CNC2,0,0,"), "{row}");
}

#[test]
fn the_table_lists_base_first_and_json_works() {
    let r = takt(&[
        "scenarios",
        &fx("base.yaml"),
        &fx("saturday-south.yaml"),
        "--iterations",
        "100",
        "--quiet",
    ]);
    let t = text(&r);
    assert_eq!(r.status.code(), Some(0), "{t}");
    let header = t.lines().nth(1).unwrap();
    assert!(
        header.find("base").unwrap() < header.find("saturday-south").unwrap(),
        "{t}"
    );
    let r = takt(&[
        "scenarios",
        &fx("base.yaml"),
        &fx("saturday-south.yaml"),
        "--iterations",
        "100",
        "--quiet",
        "--json",
    ]);
    let t = String::from_utf8_lossy(&r.stdout).to_string();
    assert!(t.contains("\"name\": \"saturday-south\""), "{t}");
}

#[test]
fn bad_scenarios_are_input_errors_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "remove_machine: S-PAINT",
            vec!["changes[0].remove_machine", "J1/paint has no machine left"],
        ),
        (
            "remove_machine: M3",
            vec!["changes[0].remove_machine", "unknown machine `M3`"],
        ),
        (
            "add_machine: {id: X, like: NOPE}",
            vec!["changes[0].add_machine.like", "unknown machine `NOPE`"],
        ),
        (
            "move_family: {family: steel, to_plant: south}",
            vec![
                "changes[0].move_family",
                "J5/mill has no machine in plant `south`",
            ],
        ),
        (
            "add_shift: {plant: west, days: [sat], from: \"06:00\", to: \"14:00\"}",
            vec!["changes[0].add_shift.plant", "unknown plant `west`"],
        ),
        (
            "add_shift: {calendar: day, days: [sat], from: \"6\", to: \"14:00\"}",
            vec!["changes[0].add_shift.from", "HH:MM"],
        ),
        (
            "set_calendar: {machine: S-CNC1, calender: day}",
            vec!["unknown field `calender`"],
        ),
    ];
    for (i, (change, wants)) in cases.iter().enumerate() {
        let f = dir.path().join(format!("bad{i}.yaml"));
        std::fs::write(&f, format!("name: bad\nchanges:\n  - {change}\n")).unwrap();
        let r = takt(&[
            "scenarios",
            &fx("base.yaml"),
            f.to_str().unwrap(),
            "--iterations",
            "10",
        ]);
        let t = text(&r);
        assert_eq!(r.status.code(), Some(2), "{change}: {t}");
        assert!(t.contains(&format!("bad{i}.yaml")), "{change}: {t}");
        for w in wants {
            assert!(t.contains(w), "{change}: missing `{w}` in {t}");
        }
    }
    // Errors of several files are all reported.
    let a = dir.path().join("bad1.yaml");
    let b = dir.path().join("bad2.yaml");
    let r = takt(&[
        "scenarios",
        &fx("base.yaml"),
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    let t = text(&r);
    assert_eq!(r.status.code(), Some(2));
    assert!(t.contains("bad1.yaml") && t.contains("bad2.yaml"), "{t}");
}

#[test]
fn the_example_scenario_runs_on_the_two_plant_demo() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let r = takt(&[
        "scenarios",
        root.join("instances/examples/two-plant-demo.yaml")
            .to_str()
            .unwrap(),
        root.join("instances/examples/scenarios/saturday-shift-south.yaml")
            .to_str()
            .unwrap(),
        "--iterations",
        "100",
        "--quiet",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
}
