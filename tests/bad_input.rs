//! Bad inputs. Every file in `tests/fixtures/bad` holds one class of error (named in its first
//! line), `several-errors.yaml` and `several-secondary-errors.yaml` (resources and materials)
//! hold several. Each must be rejected
//! - by the library: `parse_instance` fails, reporting every expected problem at its YAML path
//!   (or line) with its reason, and nothing else;
//! - by the CLI: `takt solve FIXTURE -o OUT` exits with code 2, prints the file, the place and the
//!   reason on stderr, does not panic, and leaves no output file behind.
//!
//! The tables are checked case by case and all failures are reported together.

use std::path::{Path, PathBuf};
use std::process::Command;
use takt::model::{parse_instance, Diagnostic, InputError};

/// One expected problem: its YAML path and/or line, and a substring of its message.
#[derive(Debug, Clone, Copy)]
struct Expect {
    /// The YAML path exactly as reported, e.g. `jobs[1].operations[0].machines.N-CNC9`.
    path: Option<&'static str>,
    /// The 1-based line, for problems the YAML parser finds (it knows where they are).
    line: Option<usize>,
    reason: &'static str,
}

/// A problem found by validation: a YAML path, no line.
const fn at(path: &'static str, reason: &'static str) -> Expect {
    Expect {
        path: Some(path),
        line: None,
        reason,
    }
}

/// A problem found while parsing: a YAML path and a line.
const fn parse_at(path: &'static str, line: usize, reason: &'static str) -> Expect {
    Expect {
        path: Some(path),
        line: Some(line),
        reason,
    }
}

/// A YAML syntax error: only the line is meaningful.
const fn line(line: usize, reason: &'static str) -> Expect {
    Expect {
        path: None,
        line: Some(line),
        reason,
    }
}

struct Case {
    file: &'static str,
    errors: &'static [Expect],
}

const CASES: &[Case] = &[
    Case {
        file: "yaml-syntax.yaml",
        errors: &[line(7, "expected ',' or '}'")],
    },
    Case {
        file: "unknown-field.yaml",
        errors: &[parse_at("jobs[1].realease", 13, "unknown field `realease`")],
    },
    Case {
        file: "wrong-type.yaml",
        errors: &[parse_at(
            "jobs[0].weight",
            9,
            "invalid type: string \"heavy\"",
        )],
    },
    Case {
        file: "unknown-machine.yaml",
        errors: &[at(
            "jobs[1].operations[0].machines.N-CNC9",
            "unknown machine `N-CNC9`",
        )],
    },
    Case {
        file: "unknown-plant.yaml",
        errors: &[at("machines[1].plant", "unknown plant `sout`")],
    },
    Case {
        file: "unknown-calendar.yaml",
        errors: &[at("machines[0].calendar", "unknown calendar `two-shifts`")],
    },
    Case {
        file: "unknown-family.yaml",
        errors: &[at("jobs[1].family", "unknown family `aluminium`")],
    },
    Case {
        file: "duplicate-job.yaml",
        errors: &[at("jobs[2].id", "duplicate job id `WO-1001`")],
    },
    Case {
        file: "duplicate-machine.yaml",
        errors: &[at("machines[2].id", "duplicate machine id `N-CNC1`")],
    },
    Case {
        file: "negative-duration.yaml",
        errors: &[at(
            "jobs[0].operations[1].machines.S-PAINT",
            "duration is negative (-30 min)",
        )],
    },
    Case {
        file: "bad-duration.yaml",
        errors: &[parse_at(
            "jobs[0].operations[0].duration",
            11,
            "`2h30` is not a duration",
        )],
    },
    Case {
        file: "bad-datetime.yaml",
        errors: &[parse_at(
            "jobs[0].due",
            9,
            "`2026-11-31T16:00` is not an ISO-8601 datetime",
        )],
    },
    Case {
        file: "empty-routing.yaml",
        errors: &[at("jobs[1].operations", "empty routing")],
    },
    Case {
        file: "no-eligible-machine.yaml",
        errors: &[at("jobs[0].operations[1].machines", "no eligible machine")],
    },
    Case {
        file: "changeover-missing-pair.yaml",
        errors: &[at(
            "changeovers[0].matrix",
            "no time from family `alu` to `steel`",
        )],
    },
    Case {
        file: "calendar-no-working-time.yaml",
        errors: &[at(
            "calendars[0].weekly",
            "calendar `shutdown` has no weekly working time",
        )],
    },
    Case {
        file: "deadline-before-release.yaml",
        errors: &[at("jobs[0].deadline", "deadline is before the release")],
    },
    Case {
        file: "unknown-objective-term.yaml",
        errors: &[at(
            "objective.tardiness",
            "unknown objective term `tardiness`",
        )],
    },
    Case {
        file: "pinned-not-eligible.yaml",
        errors: &[at(
            "jobs[1].operations[0].pinned.machine",
            "pinned to `S-CNC1`, which is not among the operation's machines",
        )],
    },
    Case {
        file: "missing-transfer.yaml",
        errors: &[at(
            "jobs[0].operations[1].machines",
            "no transfer time from plant `north` to `south`",
        )],
    },
    Case {
        file: "atomic-too-long.yaml",
        errors: &[at(
            "jobs[0].operations[1].machines.S-PAINT",
            "can never fit in one working interval",
        )],
    },
    Case {
        file: "list-without-duration.yaml",
        errors: &[at("jobs[0].operations[0].duration", "without durations")],
    },
    Case {
        file: "bad-clock.yaml",
        errors: &[parse_at(
            "calendars[0].weekly[0].to",
            7,
            "`25:00` is not a clock time",
        )],
    },
    Case {
        file: "unknown-weekday.yaml",
        errors: &[at(
            "calendars[0].weekly[0].days[3]",
            "`thurs` is not a weekday",
        )],
    },
    Case {
        file: "pinned-before-horizon.yaml",
        errors: &[at(
            "jobs[1].operations[0].pinned.start",
            "before the horizon start",
        )],
    },
    Case {
        file: "unknown-resource.yaml",
        errors: &[at(
            "jobs[0].operations[1].require[0].resource",
            "unknown resource `crw`",
        )],
    },
    Case {
        file: "negative-capacity.yaml",
        errors: &[at("resources[0].capacity", "capacity is negative (-2)")],
    },
    Case {
        file: "units-above-capacity.yaml",
        errors: &[at(
            "jobs[0].operations[0].require[0].resource",
            "needs 3 units of `crew`, which never has more than 2",
        )],
    },
    Case {
        file: "resource-and-one-of.yaml",
        errors: &[at(
            "jobs[0].operations[0].require[0]",
            "give `resource` or `one_of`, not both",
        )],
    },
    Case {
        file: "unknown-item.yaml",
        errors: &[at(
            "jobs[0].operations[1].consume.copper",
            "unknown item `copper`",
        )],
    },
    Case {
        file: "receipt-before-horizon.yaml",
        errors: &[at(
            "items[0].receipts[1].at",
            "receipt is before the horizon start",
        )],
    },
    Case {
        file: "negative-stock.yaml",
        errors: &[at("items[0].stock", "stock must be a number ≥ 0, got -5")],
    },
    Case {
        file: "overlapping-resource-shifts.yaml",
        errors: &[at(
            "resources[0].shifts[1]",
            "shift overlaps shifts[0] of the same resource",
        )],
    },
    Case {
        file: "consumption-exceeds-supply.yaml",
        errors: &[at(
            "items[0]",
            "operations consume 30 of `steel-bar` in total, but stock, receipts and production give only 25",
        )],
    },
    Case {
        file: "several-secondary-errors.yaml",
        errors: &[
            at(
                "machines[0].changeover_require[0].resource",
                "unknown resource `setter`",
            ),
            at("resources[0].shifts[0].capacity", "capacity is negative (-1)"),
            at("items[0].receipts[0].qty", "quantity must be a number > 0, got 0"),
            at("items[1].id", "duplicate item id `steel-bar`"),
            at("jobs[0].operations[0].require[0].one_of", "no alternatives listed"),
            at(
                "jobs[0].operations[0].require[1].resource",
                "needs 2 units of `tool`, which never has more than 1",
            ),
            at("jobs[0].produce.housing", "unknown item `housing`"),
        ],
    },
    Case {
        file: "several-errors.yaml",
        errors: &[
            at("objective.make_span", "unknown objective term `make_span`"),
            at("machines[1].plant", "unknown plant `sout`"),
            at("jobs[0].deadline", "deadline is before the release"),
            at("jobs[1].family", "unknown family `titanium`"),
            at(
                "jobs[1].operations[0].machines.N-CNC2",
                "unknown machine `N-CNC2`",
            ),
            at("jobs[2].id", "duplicate job id `WO-1001`"),
        ],
    },
];

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad")
}

fn fixture(file: &str) -> PathBuf {
    fixture_dir().join(file)
}

fn matches(d: &Diagnostic, e: &Expect) -> bool {
    e.path.is_none_or(|p| d.path == p)
        && e.line
            .is_none_or(|l| d.location.map(|(dl, _)| dl) == Some(l))
        && d.message.contains(e.reason)
}

fn describe(e: &Expect) -> String {
    let mut s = String::new();
    if let Some(l) = e.line {
        s.push_str(&format!("line {l} "));
    }
    if let Some(p) = e.path {
        s.push_str(&format!("`{p}` "));
    }
    s.push_str(&format!("with {:?}", e.reason));
    s
}

/// Problems with one case through the library, empty when all is well.
fn library_problems(case: &Case) -> Vec<String> {
    let path = fixture(case.file);
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => return vec![format!("cannot read {name}: {e}")],
    };
    let err = match parse_instance(&text, &name) {
        Ok(_) => return vec!["accepted (expected an error)".to_string()],
        Err(e) => e,
    };
    let diags = match &err {
        InputError::Invalid { diagnostics, .. } => diagnostics.clone(),
        other => return vec![format!("not an Invalid error: {other}")],
    };
    let mut problems = Vec::new();
    for e in case.errors {
        if !diags.iter().any(|d| matches(d, e)) {
            problems.push(format!("no problem reported at {}", describe(e)));
        }
    }
    for d in &diags {
        if !case.errors.iter().any(|e| matches(d, e)) {
            problems.push(format!("unexpected extra problem: {}", d.render(&name)));
        }
    }
    // The rendered error: one line per problem, each starting with the file name.
    let rendered = err.to_string();
    if rendered.lines().count() != diags.len() {
        problems.push(format!(
            "Display has {} lines for {} problems",
            rendered.lines().count(),
            diags.len()
        ));
    }
    for l in rendered.lines() {
        if !l.starts_with(&format!("{name}:")) {
            problems.push(format!("rendered line does not start with the file: {l}"));
        }
    }
    if !problems.is_empty() {
        problems.push(format!("reported:\n{rendered}"));
    }
    problems
}

/// Problems with one case through the CLI, empty when all is well.
fn cli_problems(case: &Case) -> Vec<String> {
    let path = fixture(case.file);
    let name = path.display().to_string();
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out.yaml");
    let run = Command::new(env!("CARGO_BIN_EXE_takt"))
        .arg("solve")
        .arg(&path)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run takt");
    let stderr = String::from_utf8_lossy(&run.stderr);
    let mut problems = Vec::new();
    if run.status.code() != Some(2) {
        problems.push(format!("exit status {:?}, expected code 2", run.status));
    }
    if stderr.contains("panicked") {
        problems.push("stderr shows a panic".to_string());
    }
    if !stderr.contains(&name) {
        problems.push(format!("stderr does not name the file {name}"));
    }
    for e in case.errors {
        if let Some(p) = e.path {
            if !stderr.contains(&format!(" {p}: ")) {
                problems.push(format!("stderr does not show the path `{p}`"));
            }
        }
        if let Some(l) = e.line {
            if !stderr.contains(&format!("{name}:{l}:")) {
                problems.push(format!("stderr does not show `{name}:{l}:`"));
            }
        }
        if !stderr.contains(e.reason) {
            problems.push(format!("stderr does not give the reason {:?}", e.reason));
        }
    }
    if out.exists() {
        problems.push("the output file was written".to_string());
    }
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    if !left.is_empty() {
        problems.push(format!("files left in the output directory: {left:?}"));
    }
    if !problems.is_empty() {
        problems.push(format!(
            "stdout:\n{}\nstderr:\n{stderr}",
            String::from_utf8_lossy(&run.stdout)
        ));
    }
    problems
}

fn report(what: &str, check: impl Fn(&Case) -> Vec<String>) {
    let mut failures = Vec::new();
    for case in CASES {
        let p = check(case);
        if !p.is_empty() {
            failures.push(format!("--- {}:\n{}", case.file, p.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "{what}: {} of {} fixtures fail\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn library_reports_every_problem_with_its_place_and_reason() {
    report("library", library_problems);
}

#[test]
fn cli_exits_2_with_file_place_and_reason_and_writes_nothing() {
    report("CLI", cli_problems);
}

#[test]
fn single_error_fixtures_hold_exactly_one_error() {
    for case in CASES {
        if !case.file.starts_with("several-") {
            assert_eq!(case.errors.len(), 1, "{}", case.file);
        }
    }
    for file in ["several-errors.yaml", "several-secondary-errors.yaml"] {
        let several = CASES
            .iter()
            .find(|c| c.file == file)
            .unwrap_or_else(|| panic!("{file} is in the table"));
        assert!(several.errors.len() >= 3, "{file}");
    }
}

#[test]
fn every_fixture_is_in_the_table_and_says_what_it_shows() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture_dir())
        .expect("fixture dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.file.to_string()).collect();
    listed.sort();
    let mut dedup = listed.clone();
    dedup.dedup();
    assert_eq!(listed, dedup, "a fixture is listed twice");
    assert_eq!(on_disk, listed, "fixtures on disk and in the table differ");
    for f in &on_disk {
        let text = std::fs::read_to_string(fixture(f)).expect("read fixture");
        let first = text.lines().next().unwrap_or("");
        assert!(
            first.starts_with("# ") && first.len() > 10,
            "{f}: the first line must be a comment naming the error class"
        );
    }
}
