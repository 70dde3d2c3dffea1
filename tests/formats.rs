//! Benchmark readers: exact parses of known files, errors with their line numbers, the round trip
//! through takt YAML, and the best-known values.

mod common;
use common::files::shared_benchmark as bench;

use std::path::PathBuf;
use takt::formats::{self, Format};
use takt::model::{parse_instance, InputError, Problem};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
        .display()
        .to_string()
}

/// (machine name, duration) of every mode of operation `o` (0-based) of job `j` (0-based).
fn modes(p: &Problem, j: usize, o: usize) -> Vec<(String, i64)> {
    let op = p.op(p.jobs()[j].ops().nth(o).unwrap());
    op.modes
        .iter()
        .map(|m| (p.machine(m.machine).id.clone(), m.duration))
        .collect()
}

fn one(m: &str, d: i64) -> Vec<(String, i64)> {
    vec![(m.to_string(), d)]
}

/// The single diagnostic's (line, column) and message.
fn error_at(e: InputError) -> ((usize, usize), String) {
    let d = e.diagnostics();
    assert!(!d.is_empty(), "expected diagnostics, got {e}");
    (
        d[0].location.expect("a line and column"),
        d[0].message.clone(),
    )
}

#[test]
fn ft06_exact() {
    let p = formats::read(&bench("jssp/ft06.txt"), None).unwrap();
    assert_eq!(p.name(), "ft06");
    assert_eq!(
        (p.jobs().len(), p.machines().len(), p.ops().len()),
        (6, 6, 36)
    );
    let names: Vec<&str> = p.machines().iter().map(|m| m.id.as_str()).collect();
    assert_eq!(names, ["M0", "M1", "M2", "M3", "M4", "M5"]);
    assert_eq!(p.plants().len(), 1);
    assert_eq!(p.plants()[0].id, "shop");
    // Line 2: "2 1 0 3 1 6 3 7 5 3 4 6".
    let j1: Vec<_> = (0..6).map(|o| modes(&p, 0, o)).collect();
    assert_eq!(
        j1,
        vec![
            one("M2", 1),
            one("M0", 3),
            one("M1", 6),
            one("M3", 7),
            one("M5", 3),
            one("M4", 6)
        ]
    );
    // Line 3: "1 8 2 5 4 10 5 10 0 10 3 4": job 2's third operation is 10 on M4.
    assert_eq!(modes(&p, 1, 2), one("M4", 10));
    // Line 7: "1 3 3 3 5 9 0 10 4 4 2 1": the last operation is 1 on M2.
    assert_eq!(modes(&p, 5, 5), one("M2", 1));
    assert_eq!(p.jobs()[5].id, "J6");
    assert_eq!(p.op(p.jobs()[5].last_op()).id, "o6");
    assert_eq!(p.objective().makespan, 1.0);
    assert_eq!(p.objective().weighted_tardiness, 0.0);
    assert!(p
        .jobs()
        .iter()
        .all(|j| j.due.is_none() && j.release == 0 && j.weight == 1.0));
    assert_eq!(p.datetime(0), "2026-01-05T00:00");
    assert_eq!(
        formats::count_instances(&bench("jssp/ft06.txt"), None).unwrap(),
        1
    );
}

#[test]
fn mk01_shape() {
    let p = formats::read(&bench("fjsp/mk01.fjs"), None).unwrap();
    assert_eq!(p.name(), "mk01");
    assert_eq!((p.jobs().len(), p.machines().len()), (10, 6));
    let counts: Vec<u32> = p.jobs().iter().map(|j| j.op_count).collect();
    assert_eq!(counts, [6, 5, 5, 5, 6, 6, 5, 5, 6, 6]);
    assert_eq!(p.ops().len(), 55);
    assert_eq!(p.machines()[0].id, "M1");
    assert_eq!(p.machines()[5].id, "M6");
    // Line 2 starts "6 2 1 5 3 4 3 5 3 3 5 2 1 2 ...": operation 1 on M1 (5) or M3 (4),
    // operation 2 on M5 (3), M3 (5) or M2 (1).
    assert_eq!(modes(&p, 0, 0), vec![("M1".into(), 5), ("M3".into(), 4)]);
    assert_eq!(
        modes(&p, 0, 1),
        vec![("M5".into(), 3), ("M3".into(), 5), ("M2".into(), 1)]
    );
    assert_eq!(p.objective().makespan, 1.0);
}

#[test]
fn mk06_keeps_its_unused_machines() {
    let p = formats::read(&bench("fjsp/mk06.fjs"), Some(Format::Fjsp)).unwrap();
    assert_eq!(p.machines().len(), 15);
    assert!(p.ops_by_machine()[10..].iter().all(|v| v.is_empty()));
}

#[test]
fn wt40_instance_17() {
    let p = formats::read(&format!("{}#17", bench("smwt/wt40.txt")), None).unwrap();
    assert_eq!(p.name(), "wt40_017");
    assert_eq!(
        (p.jobs().len(), p.machines().len(), p.ops().len()),
        (40, 1, 40)
    );
    let (first, last) = (&p.jobs()[0], &p.jobs()[39]);
    assert_eq!(modes(&p, 0, 0), one("M1", 44));
    assert_eq!(modes(&p, 39, 0), one("M1", 16));
    assert_eq!((first.weight, last.weight), (8.0, 1.0));
    assert_eq!((first.due, last.due), (Some(442), Some(556)));
    let total: i64 = p.ops().iter().map(|o| o.modes[0].duration).sum();
    assert_eq!(total, 2073);
    assert_eq!(p.objective().weighted_tardiness, 1.0);
    assert_eq!(p.objective().makespan, 0.0);
    assert_eq!(
        formats::count_instances(&bench("smwt/wt40.txt"), None).unwrap(),
        100
    );

    // The first instance, read by the module directly with n given.
    let q = formats::smwt::read(&format!("{}#1", bench("smwt/wt40.txt")), Some(40)).unwrap();
    assert_eq!(q.name(), "wt40_001");
    assert_eq!(modes(&q, 0, 0), one("M1", 26));
    assert_eq!(q.jobs()[0].due, Some(1588));
}

#[test]
fn taillard_layout_matches_the_standard_file() {
    let t = formats::read(&fixture("taillard_ta01.txt"), None).unwrap();
    let s = formats::read(&bench("jssp/ta01.txt"), None).unwrap();
    assert_eq!(t.name(), "taillard_ta01");
    assert_eq!(
        (t.jobs().len(), t.machines().len(), t.ops().len()),
        (15, 15, 225)
    );
    // Taillard numbers machines from 1: job 1 spends 94 on machine 7 (M7), standard file M6.
    assert_eq!(modes(&t, 0, 0), one("M7", 94));
    assert_eq!(modes(&s, 0, 0), one("M6", 94));
    assert_eq!(modes(&t, 14, 14).len(), 1);
    // Same dense structure, operation by operation.
    for (a, b) in t.ops().iter().zip(s.ops()) {
        assert_eq!(a.modes, b.modes);
        assert_eq!((a.job, a.index), (b.job, b.index));
    }
}

#[test]
fn taillard_files_with_several_instances() {
    let one_inst =
        "Nb of jobs, Nb of Machines, Time seed, Machine seed, Upper bound, Lower bound\n\
                    2 2 1 2 10 8\nTimes\n3 5\n7 0\nMachines\n2 1\n1 2\n";
    let two = format!("{one_inst}\n{}", one_inst.replace("3 5", "4 6"));
    let p = formats::jssp::parse(&two, "tai.txt", "tai", Some(2)).unwrap();
    assert_eq!(p.name(), "tai_002");
    assert_eq!(modes(&p, 0, 0), one("M2", 4));
    assert_eq!(modes(&p, 1, 1), one("M2", 0));
    assert_eq!(formats::jssp::count(&two, "tai.txt").unwrap(), 2);
    let e = formats::jssp::parse(&two, "tai.txt", "tai", None).unwrap_err();
    assert!(e.to_string().contains("holds 2 instances"), "{e}");
    let ((line, _), msg) =
        error_at(formats::jssp::parse(&two, "tai.txt", "tai", Some(3)).unwrap_err());
    assert_eq!(line, 18);
    assert!(msg.contains("only 2 instances"), "{msg}");
}

#[test]
fn bad_files_name_the_line() {
    let jssp = |f: &str| error_at(formats::read(&fixture(f), Some(Format::Jssp)).unwrap_err());
    let fjsp = |f: &str| error_at(formats::read(&fixture(f), None).unwrap_err());

    let (at, msg) = jssp("bad_jssp_count.txt");
    assert_eq!(at, (4, 20), "{msg}");
    assert!(msg.contains("job 3 has 10 numbers, expected 12"), "{msg}");

    let (at, msg) = jssp("bad_jssp_machine.txt");
    assert_eq!(at, (3, 9), "{msg}");
    assert!(msg.contains("machine 6 is out of range"), "{msg}");

    let (at, msg) = jssp("bad_jssp_nonint.txt");
    assert_eq!(at, (5, 7), "{msg}");
    assert!(msg.contains("must be an integer, found `3.5`"), "{msg}");

    let (at, msg) = jssp("bad_jssp_missing_job.txt");
    assert_eq!(at.0, 8, "{msg}");
    assert!(msg.contains("says 7 jobs"), "{msg}");

    let (at, msg) = fjsp("bad_fjsp_machine.fjs");
    assert_eq!(at, (6, 5), "{msg}");
    assert!(
        msg.contains("job 5, operation 1: machine 7 is out of range"),
        "{msg}"
    );

    let (at, msg) = fjsp("bad_fjsp_short.fjs");
    assert_eq!(at.0, 8, "{msg}");
    assert!(msg.contains("line ends too early: job 7"), "{msg}");

    let (at, msg) = jssp("bad_taillard_rows.txt");
    assert_eq!(at, (18, 1), "{msg}");
    assert!(
        msg.contains("Times matrix has 14 rows, expected 15"),
        "{msg}"
    );

    let text = std::fs::read_to_string(fixture("bad_taillard_machine.txt")).unwrap();
    let col = text.lines().nth(21).unwrap().find("16").unwrap() + 1;
    let (at, msg) = jssp("bad_taillard_machine.txt");
    assert_eq!(at, (22, col), "{msg}");
    assert!(msg.contains("machine 16 is out of range"), "{msg}");

    let smwt = |f: &str| error_at(formats::smwt::read(&fixture(f), Some(3)).unwrap_err());
    let (at, msg) = smwt("bad_smwt_nonint.txt");
    assert_eq!(at, (2, 3), "{msg}");
    assert!(msg.contains("`x`"), "{msg}");
    let (at, msg) = smwt("bad_smwt_incomplete.txt");
    assert_eq!(at, (4, 1), "{msg}");
    assert!(msg.contains("incomplete"), "{msg}");

    // An index beyond the file's instances points at the end of the file.
    let (at, msg) =
        error_at(formats::read(&format!("{}#101", bench("smwt/wt40.txt")), None).unwrap_err());
    assert!(at.0 >= 600, "{at:?} {msg}");
    assert!(
        msg.contains("instance 101") && msg.contains("only 100"),
        "{msg}"
    );

    // The file name and the place are in the rendered message.
    let e = formats::read(&fixture("bad_jssp_machine.txt"), None).unwrap_err();
    assert!(e.to_string().contains("bad_jssp_machine.txt:3:9: "), "{e}");
    // A missing file is an I/O error, not a panic.
    assert!(matches!(
        formats::read(&fixture("no_such_file.txt"), None),
        Err(InputError::Io { .. })
    ));
}

/// Everything a solver reads is the same in both problems.
fn assert_equivalent(a: &Problem, b: &Problem) {
    assert_eq!(a.name(), b.name());
    assert_eq!(a.horizon_start(), b.horizon_start());
    assert_eq!(a.horizon_end(), b.horizon_end());
    assert_eq!(a.objective(), b.objective());
    assert_eq!(a.families(), b.families());
    assert_eq!(a.transfer(), b.transfer());
    assert_eq!(a.calendars(), b.calendars());
    let ids = |p: &Problem| p.plants().iter().map(|x| x.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(a), ids(b));
    assert_eq!(a.changeover_matrices().len(), b.changeover_matrices().len());
    for (x, y) in a.changeover_matrices().iter().zip(b.changeover_matrices()) {
        assert_eq!((&x.id, &x.minutes), (&y.id, &y.minutes));
    }
    assert_eq!(a.machines().len(), b.machines().len());
    for (x, y) in a.machines().iter().zip(b.machines()) {
        assert_eq!(
            (
                &x.id,
                x.plant,
                x.calendar,
                &x.downtime,
                x.changeovers,
                x.initial_family
            ),
            (
                &y.id,
                y.plant,
                y.calendar,
                &y.downtime,
                y.changeovers,
                y.initial_family
            )
        );
        assert_eq!(x.availability, y.availability);
    }
    assert_eq!(a.jobs().len(), b.jobs().len());
    for (x, y) in a.jobs().iter().zip(b.jobs()) {
        assert_eq!(
            (&x.id, x.release, x.due, x.deadline, x.weight, x.first_op, x.op_count),
            (&y.id, y.release, y.due, y.deadline, y.weight, y.first_op, y.op_count)
        );
    }
    assert_eq!(a.ops().len(), b.ops().len());
    for (x, y) in a.ops().iter().zip(b.ops()) {
        assert_eq!(
            (&x.id, x.job, x.index, x.family, &x.modes, x.atomic, x.pinned),
            (&y.id, y.job, y.index, y.family, &y.modes, y.atomic, y.pinned)
        );
    }
    assert_eq!(a.ops_by_machine(), b.ops_by_machine());
}

fn round_trip(p: &Problem) -> Problem {
    let yaml = formats::to_yaml(p);
    let q = parse_instance(&yaml, "round-trip.yaml").unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert_equivalent(p, &q);
    // Writing the re-read problem gives the same text.
    assert_eq!(formats::to_yaml(&q), yaml);
    q
}

#[test]
fn round_trip_through_yaml() {
    for path in [
        bench("jssp/ft06.txt"),
        fixture("taillard_ta01.txt"),
        bench("fjsp/mk01.fjs"),
        bench("fjsp/la01_vdata.fjs"),
        format!("{}#17", bench("smwt/wt40.txt")),
    ] {
        let p = formats::read(&path, None).unwrap();
        round_trip(&p);
    }
    let p = formats::read(&format!("{}#3", bench("smwt/wt100.txt")), None).unwrap();
    let q = round_trip(&p);
    assert_eq!(q.jobs()[0].due, p.jobs()[0].due);
    assert!(q.jobs().iter().any(|j| j.weight != 1.0));
    let yaml = formats::to_yaml(&p);
    assert!(
        yaml.contains("\nobjective:\n  weighted_tardiness: 1.0\nplants:"),
        "{yaml}"
    );
    assert!(
        yaml.contains("\nhorizon:\n  start: 2026-01-05T00:00\nobjective:"),
        "{yaml}"
    );
}

#[test]
fn round_trip_of_a_problem_with_every_feature() {
    let yaml = std::fs::read_to_string(fixture("every_feature.yaml")).unwrap();
    let p = parse_instance(&yaml, "every_feature.yaml").unwrap();
    assert!(!p.calendars().is_empty() && !p.changeover_matrices().is_empty());
    assert!(p.ops().iter().any(|o| o.pinned.is_some() && o.atomic));
    round_trip(&p);
}

#[test]
fn best_known_values() {
    let j = formats::read_bks(bench("jssp/bks.csv")).unwrap();
    assert_eq!(j.len(), 132);
    let ft06 = j.iter().find(|b| b.instance == "ft06").unwrap();
    assert_eq!(
        (ft06.lower_bound, ft06.upper_bound, ft06.optimal),
        (Some(55), 55, true)
    );
    assert!(j
        .iter()
        .any(|b| !b.optimal && b.lower_bound < Some(b.upper_bound)));

    let f = formats::read_bks(bench("fjsp/bks.csv")).unwrap();
    assert_eq!(f.len(), 224);
    let mk01 = f.iter().find(|b| b.instance == "mk01").unwrap();
    assert_eq!((mk01.upper_bound, mk01.optimal), (40, true));
    assert_eq!(f.iter().filter(|b| !b.optimal).count(), 26);

    let s = formats::read_bks(bench("smwt/bks.csv")).unwrap();
    assert_eq!(s.len(), 300);
    let w = s.iter().find(|b| b.instance == "wt40_017").unwrap();
    assert_eq!(
        (w.upper_bound, w.optimal, w.lower_bound),
        (78623, true, Some(78623))
    );
    let open = s.iter().find(|b| b.instance == "wt40_019").unwrap();
    assert_eq!((open.optimal, open.lower_bound), (false, None));

    // Every shared instance has a row and reads, and its size is the one the csv gives.
    for b in &j {
        let p = formats::read(&bench(&format!("jssp/{}.txt", b.instance)), None).unwrap();
        assert_eq!(p.name(), b.instance);
    }
    for b in &f {
        let p = formats::read(&bench(&format!("fjsp/{}.fjs", b.instance)), None).unwrap();
        assert_eq!(p.name(), b.instance);
    }
    for b in s.iter().filter(|b| b.instance.ends_with("_100")) {
        let (file, k) = b.instance.split_once('_').unwrap();
        let p = formats::read(
            &format!(
                "{}#{}",
                bench(&format!("smwt/{file}.txt")),
                k.parse::<usize>().unwrap()
            ),
            None,
        )
        .unwrap();
        assert_eq!(p.name(), b.instance);
    }
}

#[test]
fn truncated_or_corrupted_files_never_panic() {
    let ft06 = std::fs::read_to_string(bench("jssp/ft06.txt")).unwrap();
    let mk01 = std::fs::read_to_string(bench("fjsp/mk01.fjs")).unwrap();
    let tai = std::fs::read_to_string(fixture("taillard_ta01.txt")).unwrap();
    let wt = "1 2 3\n4 5 6\n7 8 9\n3 2 1\n6 5 4\n9 8 7\n";
    let parse = |kind: usize, text: &str| -> Result<Problem, InputError> {
        match kind {
            0 | 2 => formats::jssp::parse(text, "f", "f", None),
            1 => formats::fjsp::parse(text, "f", "f"),
            _ => formats::smwt::parse(text, "f", 3, Some(2), "f"),
        }
    };
    let mut failures = 0;
    for (kind, text) in [&ft06, &mk01, &tai, &wt.to_string()]
        .into_iter()
        .enumerate()
    {
        assert!(parse(kind, text).is_ok());
        // Every prefix.
        for cut in (0..text.len()).filter(|&c| text.is_char_boundary(c)) {
            if let Err(e) = parse(kind, &text[..cut]) {
                failures += 1;
                let d = &e.diagnostics()[0];
                assert!(d.location.is_some() || !d.message.is_empty());
            }
        }
        // Every word replaced by something bad.
        let words: Vec<(usize, usize)> = text
            .char_indices()
            .filter(|&(i, c)| {
                !c.is_whitespace() && (i == 0 || text[..i].ends_with(char::is_whitespace))
            })
            .map(|(i, _)| {
                (
                    i,
                    text[i..]
                        .find(char::is_whitespace)
                        .map_or(text.len(), |e| i + e),
                )
            })
            .collect();
        for &(a, b) in words.iter().step_by(3) {
            for bad in ["x", "-1", "0", "99999999999999999999", "1.5", "1000001"] {
                let t = format!("{}{bad}{}", &text[..a], &text[b..]);
                if parse(kind, &t).is_err() {
                    failures += 1;
                }
            }
        }
    }
    assert!(failures > 1000, "{failures}");
}

#[test]
fn layout_detection() {
    use formats::jssp::{layout, Layout};
    let ft06 = std::fs::read_to_string(bench("jssp/ft06.txt")).unwrap();
    let tai = std::fs::read_to_string(fixture("taillard_ta01.txt")).unwrap();
    assert_eq!(layout(&ft06), Layout::Standard);
    assert_eq!(
        layout(&format!("# a comment header\n{ft06}")),
        Layout::Standard
    );
    assert_eq!(layout(&tai), Layout::Taillard);
    // Without the label line, the `Times` line still tells.
    let bare = tai.split_once('\n').unwrap().1;
    assert_eq!(layout(bare), Layout::Taillard);
    let p = formats::jssp::parse(bare, "t.txt", "t", None).unwrap();
    assert_eq!(modes(&p, 0, 0), one("M7", 94));
    // A stray title line in a standard file is reported, not guessed around.
    let e = formats::jssp::parse(&format!("ft06\n{ft06}"), "t.txt", "t", None).unwrap_err();
    assert_eq!(error_at(e).0, (1, 1));
}
