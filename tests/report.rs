//! The reporter: KPI output equals the evaluator's (and a hand computation), the Gantt SVG is
//! well-formed with one element per operation and one row per machine, dispatch lists are ordered
//! and cover their period exactly once, and `explain` names the cause of a delay.

use clap::{CommandFactory, Parser, Subcommand};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use takt::check::check;
use takt::eval::compute_kpis;
use takt::generate::{generate, GenConfig};
use takt::model::{load_instance, parse_instance, Problem};
use takt::report::command::{load_schedules, report_json};
use takt::report::compare::kpi_csv;
use takt::report::dispatch_list::{
    dispatch_lists, first_shift, in_period, period, write_dispatch_lists,
};
use takt::report::explain::{analyse, chain, explain_job, lateness_by_machine, pieces, Bound};
use takt::report::gantt::{gantt_svg, ColorBy, GanttOptions};
use takt::report::{explain_command, report_command, ExplainArgs, ReportArgs};
use takt::schedule::{read_schedule, Schedule};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/report")
        .join(name)
}

/// The clap definitions as `main.rs` uses them.
#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    Report(ReportArgs),
    Explain(ExplainArgs),
}

fn report_args(args: &[&str]) -> ReportArgs {
    let mut v = vec!["takt", "report"];
    v.extend_from_slice(args);
    match Cli::try_parse_from(v).expect("arguments parse").command {
        Cmd::Report(a) => a,
        Cmd::Explain(_) => unreachable!(),
    }
}

/// A generated instance of about 2,000 operations over 3 plants, and its dispatching schedule.
fn big() -> (Problem, Schedule) {
    let yaml = generate(&GenConfig {
        jobs: 300,
        machines: 24,
        plants: 3,
        seed: 7,
        calendars: true,
        changeovers: true,
        tightness: 1.5,
        ..Default::default()
    });
    let problem = parse_instance(&yaml, "generated").expect("generated instance is valid");
    let schedule = takt::solve::solve_dispatch(&problem)
        .expect("dispatching solves it")
        .schedule;
    assert!(check(&problem, &schedule).is_empty());
    (problem, schedule)
}

#[test]
fn clap_definitions_are_consistent() {
    Cli::command().debug_assert();
    let a = report_args(&["i.yaml", "a.csv", "b.csv", "--label", "x", "--label", "y"]);
    assert_eq!(a.schedules.len(), 2);
    assert_eq!(a.labels, ["x", "y"]);
    assert_eq!(a.color_by, ColorBy::Job);
    assert!(
        Cli::try_parse_from(["takt", "report", "i.yaml"]).is_err(),
        "a schedule is required"
    );
    assert!(
        Cli::try_parse_from(["takt", "report", "i.yaml", "s.csv", "--json", "--csv"]).is_err(),
        "--json and --csv exclude each other"
    );
    assert!(
        Cli::try_parse_from(["takt", "report", "i.yaml", "s.csv", "--from", "0"]).is_err(),
        "--from needs --dispatch"
    );
}

/// KPIs of tests/fixtures/report/hand.csv, by hand (minutes from Monday 06:00; horizon end 960):
///
/// ```text
/// M1 (plant A, works 06:00-14:00 = [0, 480), initial family red):
///   J1/cut  red   [0, 60)                      no changeover (red -> red)
///   J2/cut  blue  setup [60, 80), [80, 125)    changeover red -> blue = 20
/// M2 (plant B, always working):
///   J3/weld       [0, 30)
///   J1/weld       [90, 180)   (J1/cut ends 60, + transfer A -> B 30 = 90)
/// completions: J1 180, J2 125, J3 30
/// tardiness:   J1 180-120 = 60 (weight 2 -> 120), J2 125 <= 180: 0, J3 30 <= 360: 0
///   total 60, max 60, weighted 120, late jobs 1 of 3 -> on-time rate 2/3
/// makespan 180; objective = 1 * 120 + 0.5 * 180 = 210
/// flow time (unweighted): (180-0) + (125-30) + (30-0) = 305
/// changeovers: 1, 20 minutes
/// available in [0, 960): M1 480, M2 960; busy: M1 60+45+20 = 125, M2 30+90 = 120
/// utilisation: M1 = plant A = 125/480; M2 = plant B = 120/960 = 0.125
/// idle: (480-125) + (960-120) = 355 + 840 = 1195; ends before the horizon end
/// ```
#[test]
fn kpis_in_json_and_csv_equal_the_evaluator_and_the_hand_computation() {
    let problem = load_instance(&fixture("hand.yaml")).unwrap();
    let schedule = read_schedule(&problem, &fixture("hand.csv")).unwrap();
    assert!(check(&problem, &schedule).is_empty(), "hand.csv is valid");
    let k = compute_kpis(&problem, &schedule);
    let expected: Vec<(&str, f64, f64)> = vec![
        // key, by hand, from the evaluator
        ("objective", 210.0, k.evaluation.value),
        ("term.makespan", 180.0, k.evaluation.terms.makespan),
        (
            "term.weighted_tardiness",
            120.0,
            k.evaluation.terms.weighted_tardiness,
        ),
        ("deadline_misses", 0.0, k.deadline_misses as f64),
        ("weighted_tardiness", 120.0, k.weighted_tardiness),
        ("total_tardiness", 60.0, k.total_tardiness as f64),
        ("max_tardiness", 60.0, k.max_tardiness as f64),
        ("late_jobs", 1.0, k.late_jobs as f64),
        ("on_time_rate", 2.0 / 3.0, k.on_time_rate),
        ("makespan", 180.0, k.makespan as f64),
        ("total_flow_time", 305.0, k.total_flow_time as f64),
        ("changeover_count", 1.0, k.changeover_count as f64),
        ("changeover_minutes", 20.0, k.changeover_minutes as f64),
        ("idle_minutes", 1195.0, k.idle_minutes as f64),
        ("beyond_horizon", 0.0, k.beyond_horizon as u8 as f64),
        (
            "utilisation.plant.A",
            125.0 / 480.0,
            k.plants[0].utilisation,
        ),
        ("utilisation.plant.B", 0.125, k.plants[1].utilisation),
        (
            "utilisation.machine.M1",
            125.0 / 480.0,
            k.machines[0].utilisation,
        ),
        ("utilisation.machine.M2", 0.125, k.machines[1].utilisation),
    ];
    for (key, hand, eval) in &expected {
        assert!(
            (hand - eval).abs() < 1e-12,
            "{key}: hand {hand}, evaluator {eval}"
        );
    }

    // Two columns: the same schedule twice, labelled.
    let inst = fixture("hand.yaml");
    let sched = fixture("hand.csv");
    let args = report_args(&[
        inst.to_str().unwrap(),
        sched.to_str().unwrap(),
        sched.to_str().unwrap(),
        "--label",
        "first",
        "--label",
        "second",
        "--json",
    ]);
    let loaded = load_schedules(&problem, &args).unwrap();
    let json: serde_yaml::Value = serde_yaml::from_str(&report_json(&problem, &loaded))
        .expect("the JSON parses (YAML reads JSON)");
    let schedules = json["schedules"].as_sequence().unwrap();
    assert_eq!(schedules.len(), 2);
    assert_eq!(schedules[1]["label"].as_str(), Some("second"));
    assert_eq!(schedules[0]["valid"].as_bool(), Some(true));
    let kpis = schedules[0]["kpis"].as_mapping().unwrap();
    for (key, _, eval) in &expected {
        let v = kpis
            .get(*key)
            .and_then(|v| v.as_f64())
            .unwrap_or_else(|| panic!("JSON has {key}"));
        assert_eq!(v, *eval, "JSON {key}");
    }
    assert_eq!(
        schedules[0]["details"]["machines"][0]["busy"].as_i64(),
        Some(125)
    );
    assert_eq!(
        schedules[0]["details"]["machines"][0]["available"].as_i64(),
        Some(480)
    );

    let csv_text = kpi_csv(&problem, &[("first", &k), ("second", &k)]);
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        ["kpi", "first", "second"]
    );
    let mut csv_keys = BTreeSet::new();
    let mut csv_vals = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        csv_keys.insert(rec[0].to_string());
        let a: f64 = rec[1].parse().unwrap();
        let b: f64 = rec[2].parse().unwrap();
        assert_eq!(a, b);
        csv_vals.insert(rec[0].to_string(), a);
    }
    for (key, _, eval) in &expected {
        assert_eq!(csv_vals.get(*key), Some(eval), "CSV {key}");
    }
    let json_keys: BTreeSet<String> = kpis
        .keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    assert_eq!(json_keys, csv_keys, "JSON and CSV carry the same KPIs");

    // The command itself, with every output, succeeds on a valid schedule.
    assert!(report_command(&args).unwrap());
}

fn class_has(n: &roxmltree::Node, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

/// Checks a chart: well-formed XML, one `op` element per scheduled operation (inside the row of
/// its machine), one `machine-row` per machine, and the late jobs outlined.
fn check_svg(problem: &Problem, schedule: &Schedule, svg: &str) {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    let rows: Vec<_> = doc
        .descendants()
        .filter(|n| class_has(n, "machine-row"))
        .collect();
    assert_eq!(rows.len(), problem.machines().len(), "one row per machine");
    let row_ids: BTreeSet<&str> = rows
        .iter()
        .map(|r| r.attribute("data-machine").unwrap())
        .collect();
    assert_eq!(row_ids.len(), problem.machines().len());
    let ops: Vec<_> = doc.descendants().filter(|n| class_has(n, "op")).collect();
    assert_eq!(ops.len(), schedule.ops.len(), "one element per operation");
    let mut seen = BTreeSet::new();
    for o in &ops {
        let row = o
            .ancestors()
            .find(|a| class_has(a, "machine-row"))
            .expect("each operation sits in a machine row");
        assert_eq!(row.attribute("data-machine"), o.attribute("data-machine"));
        let key = (
            o.attribute("data-job").unwrap().to_string(),
            o.attribute("data-op").unwrap().to_string(),
        );
        assert!(seen.insert(key), "each operation once");
        assert!(
            o.children().any(|c| c.has_tag_name("title")),
            "hover text on every operation"
        );
    }
    let comps = takt::report::gantt::completions(problem, schedule);
    let late_jobs: BTreeSet<&str> = problem
        .jobs()
        .iter()
        .zip(&comps)
        .filter(|(j, c)| matches!((j.due, c), (Some(d), Some(c)) if *c > d))
        .map(|(j, _)| j.id.as_str())
        .collect();
    let outlined: BTreeSet<&str> = ops
        .iter()
        .filter(|o| class_has(o, "late"))
        .map(|o| o.attribute("data-job").unwrap())
        .collect();
    assert_eq!(outlined, late_jobs, "exactly the late jobs are outlined");
}

#[test]
fn gantt_svg_is_xml_with_one_element_per_operation_and_one_row_per_machine() {
    let problem = load_instance(&fixture("hand.yaml")).unwrap();
    let schedule = read_schedule(&problem, &fixture("hand.csv")).unwrap();
    for by in [ColorBy::Job, ColorBy::Family] {
        let svg = gantt_svg(
            &problem,
            &schedule,
            &GanttOptions {
                color_by: by,
                title: "hand <&> \"quoted\"".into(),
                subtitle: String::new(),
            },
        );
        check_svg(&problem, &schedule, &svg);
        // The one changeover is hatched.
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert_eq!(
            doc.descendants().filter(|n| class_has(n, "setup")).count(),
            1
        );
    }
    // The paint line's night is shaded, in its row only; the paused-free atomic paint is one bar.
    let problem = load_instance(&fixture("blocked.yaml")).unwrap();
    let schedule = read_schedule(&problem, &fixture("blocked.csv")).unwrap();
    let svg = gantt_svg(&problem, &schedule, &GanttOptions::default());
    check_svg(&problem, &schedule, &svg);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let shaded: BTreeSet<&str> = doc
        .descendants()
        .filter(|n| class_has(n, "off-shift"))
        .map(|n| {
            n.ancestors()
                .find(|a| class_has(a, "machine-row"))
                .unwrap()
                .attribute("data-machine")
                .unwrap()
        })
        .collect();
    assert_eq!(shaded, BTreeSet::from(["PAINT"]));

    let (problem, schedule) = big();
    assert!(
        schedule.ops.len() >= 1500,
        "{} operations",
        schedule.ops.len()
    );
    let svg = gantt_svg(&problem, &schedule, &GanttOptions::default());
    check_svg(&problem, &schedule, &svg);
    // Readable: labels never wider than their bar, so they cannot overlap.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    for o in doc.descendants().filter(|n| class_has(n, "op")) {
        if let Some(t) = o.children().find(|c| class_has(c, "oplabel")) {
            let x: f64 = t.attribute("x").unwrap().parse().unwrap();
            let chars = t.text().unwrap().chars().count() as f64;
            let fits = o.children().filter(|c| class_has(c, "work")).any(|r| {
                let rx: f64 = r.attribute("x").unwrap().parse().unwrap();
                let rw: f64 = r.attribute("width").unwrap().parse().unwrap();
                rx <= x && x + chars * 6.2 <= rx + rw + 0.5
            });
            assert!(fits, "label {:?} fits its bar", t.text());
        }
    }
}

#[test]
fn report_writes_svg_html_and_dispatch_files() {
    let tmp = tempfile::tempdir().unwrap();
    let inst = fixture("hand.yaml");
    let sched = fixture("hand.csv");
    let svg = tmp.path().join("g.svg");
    let html = tmp.path().join("r.html");
    let dir = tmp.path().join("dispatch");
    let args = report_args(&[
        inst.to_str().unwrap(),
        sched.to_str().unwrap(),
        sched.to_str().unwrap(),
        "--gantt",
        svg.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
        "--color-by",
        "family",
        "--dispatch",
        dir.to_str().unwrap(),
    ]);
    assert!(report_command(&args).unwrap());
    // Two schedules with the same file name: labels made unique, one chart each.
    let problem = load_instance(&inst).unwrap();
    let schedule = read_schedule(&problem, &sched).unwrap();
    for name in ["g-hand.csv.svg", "g-hand.csv__2_.svg"] {
        let text = std::fs::read_to_string(tmp.path().join(name)).expect(name);
        check_svg(&problem, &schedule, &text);
    }
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    for needle in [
        "Comparison",
        "Utilisation",
        "class=\"machine-row\"",
        "<table class=\"kpis\">",
    ] {
        assert!(page.contains(needle), "page has {needle}");
    }
    for external in ["src=\"http", "href=\"http", "<link", "@import", "url(http"] {
        assert!(!page.contains(external), "self-contained: no {external}");
    }
    assert_eq!(page.matches("class=\"takt-gantt\"").count(), 2);
    for sub in ["hand.csv", "hand.csv__2_"] {
        for f in ["M1.csv", "M1.md", "M2.csv", "M2.md", "dispatch.html"] {
            assert!(dir.join(sub).join(f).is_file(), "{sub}/{f}");
        }
    }

    // An empty schedule: reported (and flagged by the referee: exit 1), not a crash.
    let empty = fixture("empty.csv");
    let args = report_args(&[
        inst.to_str().unwrap(),
        empty.to_str().unwrap(),
        "--csv",
        "--gantt",
        svg.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
        "--dispatch",
        dir.to_str().unwrap(),
    ]);
    assert!(!report_command(&args).unwrap());
    let text = std::fs::read_to_string(&svg).unwrap();
    roxmltree::Document::parse(&text).unwrap();

    // Bad input is an error (exit 2), not a panic.
    let bad = report_args(&[
        inst.to_str().unwrap(),
        sched.to_str().unwrap(),
        "--label",
        "a",
        "--label",
        "b",
    ]);
    assert!(report_command(&bad).is_err());
    let bad = report_args(&[
        inst.to_str().unwrap(),
        sched.to_str().unwrap(),
        "--dispatch",
        dir.to_str().unwrap(),
        "--from",
        "2026-11-23T10:00",
        "--to",
        "2026-11-23T09:00",
    ]);
    assert!(report_command(&bad).is_err());
}

/// The operations of the period, computed here from their times: busy (changeover included) at
/// some minute of [from, to).
fn expected_in_period(
    problem: &Problem,
    schedule: &Schedule,
    from: i64,
    to: i64,
) -> BTreeSet<(String, String)> {
    schedule
        .ops
        .iter()
        .filter(|s| {
            let a = s.setup_start.unwrap_or(s.start).min(s.start);
            if a == s.end {
                from <= a && a < to
            } else {
                a.max(from) < s.end.min(to)
            }
        })
        .map(|s| {
            let op = problem.op(s.op);
            (problem.job(op.job).id.clone(), op.id.clone())
        })
        .collect()
}

#[test]
fn dispatch_lists_are_ordered_by_start_and_cover_the_period_exactly_once() {
    let (problem, schedule) = big();
    let tmp = tempfile::tempdir().unwrap();
    // The default period is the first shift: the generator's calendars work Mon-Fri 06:00-22:00.
    let (from, to) = period(&problem, None, None).unwrap();
    assert_eq!(first_shift(&problem, 0), Some((from, to)));
    let periods = [(from, to), (from + 600, to + 3 * 1440), (0, 20 * 1440)];
    for (n, &(from, to)) in periods.iter().enumerate() {
        let expected = expected_in_period(&problem, &schedule, from, to);
        assert!(!expected.is_empty());
        let lists = dispatch_lists(&problem, &schedule, from, to);
        assert_eq!(lists.len(), problem.machines().len());
        let mut got = BTreeSet::new();
        let mut count = 0;
        for (m, list) in &lists {
            for w in list.windows(2) {
                assert!(
                    schedule.ops[w[0]].start <= schedule.ops[w[1]].start,
                    "ordered by start"
                );
            }
            for &i in list {
                assert_eq!(schedule.ops[i].machine, *m);
                assert!(in_period(&schedule.ops[i], from, to));
                let op = problem.op(schedule.ops[i].op);
                got.insert((problem.job(op.job).id.clone(), op.id.clone()));
                count += 1;
            }
        }
        assert_eq!(count, got.len(), "no operation twice");
        assert_eq!(got, expected, "every operation of the period");

        // The files say the same.
        let dir = tmp.path().join(format!("p{n}"));
        write_dispatch_lists(&problem, &schedule, "test", &dir, from, to).unwrap();
        let mut from_files = Vec::new();
        for m in problem.machines() {
            let mut rdr = csv::Reader::from_path(dir.join(format!("{}.csv", m.id))).unwrap();
            let mut last = String::new();
            for (i, rec) in rdr.records().enumerate() {
                let rec = rec.unwrap();
                assert_eq!(rec[0].parse::<usize>().unwrap(), i + 1, "sequence numbers");
                assert!(rec[6] >= *last.as_str(), "file ordered by start");
                last = rec[6].to_string();
                from_files.push((rec[1].to_string(), rec[2].to_string()));
            }
            let md = std::fs::read_to_string(dir.join(format!("{}.md", m.id))).unwrap();
            assert!(md.starts_with(&format!("# Dispatch list: {}", m.id)));
        }
        let n_files = from_files.len();
        let set: BTreeSet<_> = from_files.into_iter().collect();
        assert_eq!(n_files, set.len());
        assert_eq!(set, expected);
    }
}

#[test]
fn explain_names_the_machine_busy_with_a_named_job() {
    let problem = load_instance(&fixture("blocked.yaml")).unwrap();
    let schedule = read_schedule(&problem, &fixture("blocked.csv")).unwrap();
    assert!(
        check(&problem, &schedule).is_empty(),
        "blocked.csv is valid"
    );
    let late = problem.job_by_id("LATE").unwrap();
    let blocker = problem.job_by_id("BLOCKER").unwrap();
    let a = analyse(&problem, &schedule);
    let stamp = a.step_of(problem.op_by_id(late, "stamp").unwrap()).unwrap();
    assert_eq!(
        stamp.bound,
        Bound::Machine {
            prev: problem.op_by_id(blocker, "stamp").unwrap(),
            prev_end: 120
        }
    );
    assert_eq!((stamp.wait_busy, stamp.wait_changeover), (120, 30));
    // The chain: LATE/paint <- LATE/stamp <- BLOCKER/stamp.
    let c = chain(&problem, &a, late);
    let names: Vec<String> = c.iter().map(|&i| problem.op_name(a.steps[i].op)).collect();
    assert_eq!(names, ["LATE/paint", "LATE/stamp", "BLOCKER/stamp"]);
    // The pieces of time add up to the completion (Tuesday 09:00 = minute 1620): BLOCKER works
    // 120, changeover 30, own stamp 60, transfer 60, PAINT closed 1080 (12:00 to 06:00) after 90
    // working minutes too short for the 3 h atomic paint, own paint 180.
    let total: i64 = pieces(&problem, &a, late).iter().map(|p| p.minutes()).sum();
    assert_eq!(total, 1620);

    let text = explain_job(&problem, &schedule, late);
    assert!(text.contains("LATE"), "{text}");
    assert!(text.contains("busy with job BLOCKER op stamp"), "{text}");
    assert!(text.contains("changeover steel → alu of 30m"), "{text}");
    assert!(
        text.contains("transfer press-shop → paint-shop of 1h"),
        "{text}"
    );
    assert!(text.contains("off-shift"), "{text}");
    assert!(
        text.contains("Mon 2026-11-23 08:00"),
        "instance datetimes: {text}"
    );
    assert!(text.contains("1d LATE"), "{text}");

    // In the report: the machines late jobs waited for, PRESS first (busy with BLOCKER, then a
    // changeover), then the PAINT line's night.
    let lat = lateness_by_machine(&problem, &schedule, &a);
    let ids: Vec<&str> = lat
        .iter()
        .map(|r| problem.machine(r.machine.unwrap()).id.as_str())
        .collect();
    assert_eq!(ids, ["PRESS", "PAINT"]);
    assert_eq!(lat[0].busy, 120);
    assert_eq!(lat[0].changeover, 30);
    assert_eq!(lat[0].blockers, [(blocker, 120)]);
    assert_eq!(lat[1].closed_total(), 1080);
    assert_eq!(lat[1].idle, 90);

    let args = ExplainArgs {
        instance: fixture("blocked.yaml"),
        schedule: fixture("blocked.csv"),
        job: "LATE".into(),
    };
    assert!(explain_command(&args).unwrap());
    let unknown = ExplainArgs {
        job: "NOPE".into(),
        ..args
    };
    assert!(explain_command(&unknown).is_err());
}

#[test]
fn chains_add_up_to_each_completion_on_a_large_schedule() {
    let (problem, schedule) = big();
    let a = analyse(&problem, &schedule);
    let comps = takt::report::gantt::completions(&problem, &schedule);
    for (j, c) in comps.iter().enumerate() {
        let job = takt::model::JobId(j as u32);
        let total: i64 = pieces(&problem, &a, job).iter().map(|p| p.minutes()).sum();
        assert_eq!(Some(total), *c, "job {}", problem.jobs()[j].id);
    }
    for s in &a.steps {
        assert!(
            !s.too_early(),
            "{} starts before the rules allow",
            problem.op_name(s.op)
        );
    }
    // Every explanation renders.
    for j in 0..problem.jobs().len().min(50) {
        let t = explain_job(&problem, &schedule, takt::model::JobId(j as u32));
        assert!(t.contains("What set its completion"));
    }
}

/// Secondary resources and materials: tests/fixtures/report/secondary.yaml with the schedule
/// secondary.csv, by hand (minutes from Monday 06:00; every machine and the crew work
/// 06:00-14:00 on weekdays = [0, 480) and [1440, 1920); the horizon ends at 1920):
///
/// ```text
/// M1: A/a1 [0, 120); changeover x -> y [150, 180) holding the setter; D/d1 [180, 240)
/// M2: B/b1 [0, 180); Q/q1 [240, 300); E/e1 [300, 360)
/// M3: C/c1 [120, 180); P/p1 [180, 240); F/f1 [360, 480) + [1440, 1560) (paused overnight)
/// every operation holds 1 crew unit over its working minutes:
///   [0, 120)     a1 b1   2 of 2
///   [120, 180)   b1 c1   2 of 2
///   [180, 240)   d1 p1   2 of 2
///   [240, 300)   q1      1 of 1 (the exception: 1 unit 10:00-12:00)
///   [300, 360)   e1      1 of 1
///   [360, 480)   f1      1 of 2
///   [480, 1440)  -       0 of 0 (the crew's calendar is closed: f1 holds nothing overnight)
///   [1440, 1560) f1      1 of 2
/// crew busy = 2*120 + 2*60 + 2*60 + 60 + 60 + 120 + 120 = 840 unit-minutes
/// crew available = Monday 2*480 - 120 (1 unit instead of 2 for 120 minutes) = 840,
///   plus Tuesday [1440, 1920): 2*480 = 960; in all 1800 -> utilisation 840/1800; peak 2 at 0
/// setter: busy 30 (the one changeover), available 1 unit always: 1920 -> 30/1920; peak 1 at 150
///
/// steel: initial 10, safety stock 4
///   0    A/a1 takes 6          -> 4   (= safety stock: not below)
///   180  receipt +20           -> 24
///   180  D/d1 takes 8          -> 16
///   300  E/e1 takes 14         -> 2   below safety stock from 300 on, never recovers:
///                                     1920 - 300 = 1620 minutes of the horizon
///   minimum 2 at 300, never below zero
/// part: initial 0; 240: job P completes, +1 -> 1; 240: Q/q1 takes 1 -> 0. Minimum 0 (at 0).
/// ```
#[test]
fn resource_utilisation_and_projected_stock_equal_the_hand_computation() {
    use takt::eval::kpi::{ShortageKind, StockCause};
    let problem = load_instance(&fixture("secondary.yaml")).unwrap();
    let schedule = read_schedule(&problem, &fixture("secondary.csv")).unwrap();
    assert!(
        check(&problem, &schedule).is_empty(),
        "secondary.csv is valid"
    );
    let k = compute_kpis(&problem, &schedule);
    let crew = &k.resources[0];
    assert_eq!(crew.resource, "crew");
    assert_eq!((crew.busy, crew.available), (840, 1800));
    assert!((crew.utilisation - 840.0 / 1800.0).abs() < 1e-12);
    assert_eq!(
        (crew.peak, crew.peak_at, crew.over_capacity),
        (2, Some(0), 0)
    );
    assert_eq!(
        crew.usage,
        [(0, 2), (240, 1), (480, 0), (1440, 1), (1560, 0)]
    );
    let setter = &k.resources[1];
    assert_eq!((setter.busy, setter.available), (30, 1920));
    assert!((setter.utilisation - 30.0 / 1920.0).abs() < 1e-12);
    assert_eq!((setter.peak, setter.peak_at), (1, Some(150)));

    let op = |j: &str, o: &str| problem.op_by_id(problem.job_by_id(j).unwrap(), o).unwrap();
    let steel = &k.items[0];
    let got: Vec<(i64, f64, f64, StockCause)> = steel
        .timeline
        .iter()
        .map(|e| (e.at, e.change, e.stock, e.cause))
        .collect();
    assert_eq!(
        got,
        [
            (0, -6.0, 4.0, StockCause::Consumption(op("A", "a1"))),
            (180, 20.0, 24.0, StockCause::Receipt),
            (180, -8.0, 16.0, StockCause::Consumption(op("D", "d1"))),
            (300, -14.0, 2.0, StockCause::Consumption(op("E", "e1"))),
        ]
    );
    assert_eq!(
        (steel.min_stock, steel.min_at, steel.final_stock),
        (2.0, 300, 2.0)
    );
    assert_eq!(steel.shortages.len(), 1);
    let s = steel.shortages[0];
    assert_eq!(
        (s.kind, s.from, s.to, s.lowest),
        (ShortageKind::BelowSafety, 300, None, 2.0)
    );
    assert_eq!(
        (steel.below_zero_minutes, steel.below_safety_minutes),
        (0, 1620)
    );
    let part = &k.items[1];
    let got: Vec<(i64, f64, f64, StockCause)> = part
        .timeline
        .iter()
        .map(|e| (e.at, e.change, e.stock, e.cause))
        .collect();
    let p_job = problem.job_by_id("P").unwrap();
    assert_eq!(
        got,
        [
            (240, 1.0, 1.0, StockCause::Production(p_job)),
            (240, -1.0, 0.0, StockCause::Consumption(op("Q", "q1"))),
        ]
    );
    assert_eq!((part.min_stock, part.min_at), (0.0, 0));
    assert!(part.shortages.is_empty());

    // Moved 30 minutes earlier, D/d1 takes 8 at 150 from the 4 left: -4 until the receipt at 180.
    let mut early = schedule.clone();
    let d1 = early
        .ops
        .iter_mut()
        .find(|s| s.op == op("D", "d1"))
        .unwrap();
    (d1.setup_start, d1.start, d1.end) = (None, 150, 210);
    let ke = compute_kpis(&problem, &early);
    let steel = &ke.items[0];
    let got: Vec<(ShortageKind, i64, Option<i64>, f64)> = steel
        .shortages
        .iter()
        .map(|s| (s.kind, s.from, s.to, s.lowest))
        .collect();
    assert_eq!(
        got,
        [
            (ShortageKind::Negative, 150, Some(180), -4.0),
            (ShortageKind::BelowSafety, 300, None, 2.0)
        ]
    );
    assert_eq!((steel.min_stock, steel.min_at), (-4.0, 150));
    // Below zero 30 minutes; below the safety stock those 30 and the 1620 from 300 on.
    assert_eq!(
        (steel.below_zero_minutes, steel.below_safety_minutes),
        (30, 1650)
    );

    // The same numbers in the JSON and the CSV rows, and in the JSON details.
    let expected: Vec<(&str, f64)> = vec![
        ("utilisation.resource.crew", 840.0 / 1800.0),
        ("peak.resource.crew", 2.0),
        ("utilisation.resource.setter", 30.0 / 1920.0),
        ("peak.resource.setter", 1.0),
        ("stock.min.steel", 2.0),
        ("stock.below_zero_minutes.steel", 0.0),
        ("stock.below_safety_minutes.steel", 1620.0),
        ("stock.min.part", 0.0),
        ("stock.below_zero_minutes.part", 0.0),
    ];
    let inst = fixture("secondary.yaml");
    let sched = fixture("secondary.csv");
    let args = report_args(&[inst.to_str().unwrap(), sched.to_str().unwrap(), "--json"]);
    let loaded = load_schedules(&problem, &args).unwrap();
    let json: serde_yaml::Value =
        serde_yaml::from_str(&report_json(&problem, &loaded)).expect("the JSON parses");
    let sch = &json["schedules"][0];
    for (key, hand) in &expected {
        let v = sch["kpis"][*key]
            .as_f64()
            .unwrap_or_else(|| panic!("JSON {key}"));
        assert!((v - hand).abs() < 1e-12, "JSON {key}: {v}, by hand {hand}");
    }
    assert!(
        sch["kpis"].get("stock.below_safety_minutes.part").is_none(),
        "no safety-stock row for an item without safety stock"
    );
    let d = &sch["details"];
    assert_eq!(d["resources"][0]["busy_unit_minutes"].as_i64(), Some(840));
    assert_eq!(
        d["resources"][0]["available_unit_minutes"].as_i64(),
        Some(1800)
    );
    assert_eq!(
        d["resources"][1]["peak_at_time"].as_str(),
        Some("2026-11-23T08:30")
    );
    assert_eq!(d["items"][0]["min_stock"].as_i64(), Some(2));
    assert_eq!(d["items"][0]["timeline"].as_sequence().unwrap().len(), 4);
    assert_eq!(
        d["items"][0]["timeline"][1]["cause"].as_str(),
        Some("receipt")
    );
    assert_eq!(d["items"][0]["timeline"][2]["job"].as_str(), Some("D"));
    assert_eq!(
        d["items"][1]["timeline"][0]["cause"].as_str(),
        Some("production")
    );
    assert_eq!(
        d["items"][0]["shortages"][0]["kind"].as_str(),
        Some("below_safety")
    );
    assert_eq!(
        d["items"][0]["shortages"][0]["from_time"].as_str(),
        Some("2026-11-23T11:00")
    );
    assert!(d["items"][0]["shortages"][0]["to"].is_null());
    // The late job F waited 240 working minutes of M3 for the crew (see the explain test).
    let lat = &sch["lateness_by_machine"][0];
    assert_eq!(lat["machine"].as_str(), Some("M3"));
    assert_eq!(lat["waiting_for_resources"]["crew"].as_i64(), Some(240));
    assert_eq!(lat["total"].as_i64(), Some(1320));

    let csv_text = kpi_csv(&problem, &[("s", &k)]);
    let mut csv_vals = BTreeMap::new();
    for rec in csv::Reader::from_reader(csv_text.as_bytes()).records() {
        let rec = rec.unwrap();
        csv_vals.insert(rec[0].to_string(), rec[1].parse::<f64>().unwrap());
    }
    for (key, hand) in &expected {
        let v = csv_vals[*key];
        assert!((v - hand).abs() < 1e-12, "CSV {key}: {v}, by hand {hand}");
    }
    let text = takt::report::compare::materials_text(&problem, &[("s", &k)]);
    assert!(
        text.contains(
            "below safety stock 4 from Mon 2026-11-23 11:00 on (never recovers), lowest 2"
        ),
        "{text}"
    );
    assert!(report_command(&args).unwrap());

    // An instance without resources or items gets none of these rows or details.
    let hand = load_instance(&fixture("hand.yaml")).unwrap();
    let hs = read_schedule(&hand, &fixture("hand.csv")).unwrap();
    let hk = compute_kpis(&hand, &hs);
    assert!(hk.resources.is_empty() && hk.items.is_empty());
    let csv_text = kpi_csv(&hand, &[("s", &hk)]);
    assert!(!csv_text.contains("resource") && !csv_text.contains("stock."));
    let details = takt::report::compare::kpi_details(&hand, &hk).pretty();
    assert!(!details.contains("\"resources\"") && !details.contains("\"items\""));
}

#[test]
fn explain_names_the_resource_and_the_material_with_their_instants() {
    use takt::report::explain::{Piece, Secondary};
    let problem = load_instance(&fixture("secondary.yaml")).unwrap();
    let schedule = read_schedule(&problem, &fixture("secondary.csv")).unwrap();
    let op = |j: &str, o: &str| problem.op_by_id(problem.job_by_id(j).unwrap(), o).unwrap();
    let crew = problem.resource_by_id("crew").unwrap();
    let steel = problem.item_by_id("steel").unwrap();
    let part = problem.item_by_id("part").unwrap();
    let a = analyse(&problem, &schedule);
    let step = |j, o| a.step_of(op(j, o)).unwrap();

    // C/c1 could start at 0 on M3, but both crew units are busy with A/a1 and B/b1 until 120.
    let c1 = step("C", "c1");
    assert_eq!(
        c1.secondary,
        Some(Secondary::Resource {
            resource: crew,
            changeover: false,
            at: 0,
            until: 120,
            capacity: 2,
            needed: 1,
            in_use: 2,
            holders: vec![(op("A", "a1"), false, 1), (op("B", "b1"), false, 1)],
        })
    );
    assert_eq!(
        (
            c1.machine_earliest,
            c1.earliest,
            c1.wait_secondary,
            c1.wait_idle
        ),
        (0, 120, 120, 0)
    );
    // D/d1: M1 free at 120, its 30-minute changeover puts it at 150; the 4 steel left there do
    // not cover its 8 until the receipt of 20 at 180.
    let d1 = step("D", "d1");
    assert_eq!(
        d1.secondary,
        Some(Secondary::Material {
            item: steel,
            needed: 8.0,
            at: 180,
            sources: vec![(takt::eval::kpi::StockCause::Receipt, 20.0)],
        })
    );
    assert_eq!(
        (d1.machine_earliest, d1.earliest, d1.wait_secondary),
        (150, 180, 30)
    );
    // Q/q1: M2 free at 180; the part comes from job P completing at 240.
    let q1 = step("Q", "q1");
    assert_eq!(
        q1.secondary,
        Some(Secondary::Material {
            item: part,
            needed: 1.0,
            at: 240,
            sources: vec![(
                takt::eval::kpi::StockCause::Production(problem.job_by_id("P").unwrap()),
                1.0
            )],
        })
    );
    assert_eq!((q1.machine_earliest, q1.earliest), (180, 240));
    // F/f1: M3 free at 240, but 10:00-12:00 the crew has 1 unit, busy with Q/q1 then E/e1: the
    // last conflict is E/e1 at 300, until 360.
    let f1 = step("F", "f1");
    match &f1.secondary {
        Some(Secondary::Resource {
            resource,
            at,
            until,
            capacity,
            in_use,
            holders,
            ..
        }) => {
            assert_eq!(
                (*resource, *at, *until, *capacity, *in_use),
                (crew, 300, 360, 1, 1)
            );
            assert_eq!(holders, &[(op("E", "e1"), false, 1)]);
        }
        other => panic!("F/f1: {other:?}"),
    }
    assert_eq!((f1.machine_earliest, f1.earliest), (240, 360));
    // Nothing secondary delayed the others.
    for (j, o) in [("A", "a1"), ("B", "b1"), ("E", "e1"), ("P", "p1")] {
        assert_eq!(step(j, o).secondary, None, "{j}/{o}");
    }

    // The time splits add up to each completion, with the waits as their own pieces.
    let comps = takt::report::gantt::completions(&problem, &schedule);
    for (j, c) in comps.iter().enumerate() {
        let total: i64 = pieces(&problem, &a, takt::model::JobId(j as u32))
            .iter()
            .map(|p| p.minutes())
            .sum();
        assert_eq!(Some(total), *c, "job {}", problem.jobs()[j].id);
    }
    let m = |id: &str| problem.machine_by_id(id).unwrap();
    let job = |id: &str| problem.job_by_id(id).unwrap();
    // C: 120 waiting for the crew, then its own hour: 180.
    assert_eq!(
        pieces(&problem, &a, job("C")),
        [
            Piece::ResourceWait {
                machine: m("M3"),
                resource: crew,
                minutes: 120
            },
            Piece::OwnWork {
                machine: m("M3"),
                minutes: 60
            }
        ]
    );
    // D: A/a1 on M1 120, the changeover 30, the steel 30 (150 to 180), its own 60: 240.
    assert_eq!(
        pieces(&problem, &a, job("D")),
        [
            Piece::OtherWork {
                machine: m("M1"),
                job: job("A"),
                minutes: 120
            },
            Piece::Changeover {
                machine: m("M1"),
                minutes: 30
            },
            Piece::MaterialWait {
                machine: m("M1"),
                item: steel,
                minutes: 30
            },
            Piece::OwnWork {
                machine: m("M1"),
                minutes: 60
            }
        ]
    );
    // F: C's 120 for the crew + C 60 + P 60 + F's own 120 for the crew (240 to 360) + its 240
    // of work + the night 960 = 1560.
    let f = pieces(&problem, &a, job("F"));
    let crew_wait: i64 = f
        .iter()
        .filter_map(|p| match p {
            Piece::ResourceWait { minutes, .. } => Some(*minutes),
            _ => None,
        })
        .sum();
    assert_eq!(crew_wait, 240);

    // F is late (due Monday 12:00): where it waited, all on M3: C and P working 60 + 60, the
    // crew 120 (for C) + 120 (for F), the night 960; 1320 in all.
    let lat = lateness_by_machine(&problem, &schedule, &a);
    assert_eq!(lat.len(), 1);
    assert_eq!(lat[0].machine, Some(m("M3")));
    assert_eq!(lat[0].busy, 120);
    assert_eq!(lat[0].resources, BTreeMap::from([(crew, 240)]));
    assert!(lat[0].materials.is_empty());
    assert_eq!((lat[0].closed_total(), lat[0].total()), (960, 1320));
    let parts = takt::report::explain::lateness_parts(&problem, &lat[0]).join(", ");
    assert!(parts.contains("waiting for resource crew 4h"), "{parts}");

    let text = explain_job(&problem, &schedule, job("C"));
    assert!(
        text.contains(
            "waited for resource crew (all 2 units busy with A/a1, B/b1 until Mon 2026-11-23 08:00)"
        ),
        "{text}"
    );
    assert!(
        text.contains("waiting for resources 2h (crew 2h)"),
        "{text}"
    );
    let text = explain_job(&problem, &schedule, job("D"));
    assert!(
        text.contains("waited for material steel (receipt of 20 on Mon 2026-11-23 09:00)"),
        "{text}"
    );
    let text = explain_job(&problem, &schedule, job("Q"));
    assert!(
        text.contains(
            "waited for material part (produced by job P, completing Mon 2026-11-23 10:00)"
        ),
        "{text}"
    );
    let text = explain_job(&problem, &schedule, job("F"));
    assert!(
        text.contains(
            "waited for resource crew (its 1 unit busy with E/e1 until Mon 2026-11-23 12:00)"
        ),
        "{text}"
    );
    let args = ExplainArgs {
        instance: fixture("secondary.yaml"),
        schedule: fixture("secondary.csv"),
        job: "F".into(),
    };
    assert!(explain_command(&args).unwrap());
}

#[test]
fn html_shows_resources_and_projected_stock_and_its_svgs_parse() {
    let tmp = tempfile::tempdir().unwrap();
    let inst = fixture("secondary.yaml");
    let sched = fixture("secondary.csv");
    let svg = tmp.path().join("g.svg");
    let html = tmp.path().join("r.html");
    let args = report_args(&[
        inst.to_str().unwrap(),
        sched.to_str().unwrap(),
        "--gantt",
        svg.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ]);
    assert!(report_command(&args).unwrap());
    let problem = load_instance(&inst).unwrap();
    let schedule = read_schedule(&problem, &sched).unwrap();
    let gantt = std::fs::read_to_string(&svg).unwrap();
    check_svg(&problem, &schedule, &gantt);
    // One usage row per resource under the machines. The crew: 2 units in [0, 240); 1 unit in
    // [240, 480), split where the capacity goes back from 1 to 2 at 360; 1 unit in
    // [1440, 1560): 4 bars, never over the capacity. The setter: its one changeover.
    let doc = roxmltree::Document::parse(&gantt).unwrap();
    let rows: BTreeMap<&str, roxmltree::Node> = doc
        .descendants()
        .filter(|n| class_has(n, "resource-row"))
        .map(|n| (n.attribute("data-resource").unwrap(), n))
        .collect();
    assert_eq!(rows.keys().copied().collect::<Vec<_>>(), ["crew", "setter"]);
    let bars = |r: &str| {
        rows[r]
            .descendants()
            .filter(|n| class_has(n, "usage"))
            .count()
    };
    assert_eq!((bars("crew"), bars("setter")), (4, 1));
    assert_eq!(
        doc.descendants().filter(|n| class_has(n, "over")).count(),
        0
    );
    let page = std::fs::read_to_string(&html).unwrap();
    for needle in [
        "<h2>Materials</h2>",
        "<h3>Resources</h3>",
        "data-resource=\"crew\"",
        "data-resource=\"setter\"",
        "data-item=\"steel\"",
        "data-kpi=\"utilisation.resource.crew\"",
        "data-kpi=\"stock.min.steel\"",
        "below safety stock 4 from Mon 2026-11-23 11:00",
    ] {
        assert!(page.contains(needle), "page has {needle}");
    }
    // One stock chart per item, each well-formed SVG; steel's below-safety stretch is shaded.
    let charts: Vec<&str> = page
        .match_indices("<svg class=\"stock-chart\"")
        .map(|(i, _)| {
            let end = page[i..].find("</svg>").unwrap() + i + "</svg>".len();
            &page[i..end]
        })
        .collect();
    assert_eq!(charts.len(), 2);
    for c in &charts {
        roxmltree::Document::parse(c).expect("the stock chart is well-formed XML");
    }
    let steel = roxmltree::Document::parse(charts[0]).unwrap();
    assert_eq!(
        steel
            .descendants()
            .filter(|n| class_has(n, "shortage") && class_has(n, "below-safety"))
            .count(),
        1
    );
    // Without resources and items, no such sections.
    let hand = fixture("hand.yaml");
    let args = report_args(&[
        hand.to_str().unwrap(),
        fixture("hand.csv").to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ]);
    assert!(report_command(&args).unwrap());
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(!page.contains("Materials") && !page.contains("<h3>Resources</h3>"));
}

/// On a generated instance with operators, setters and materials, solved by dispatching and
/// valid for the referee: the KPIs agree with the referee (never over a capacity, never below
/// zero stock), every time split still adds up to its job's completion, and every wait that
/// `explain` attributes to a resource or a material is real (the units were short at that
/// minute; the stock came later than the machine and job allowed).
#[test]
fn secondary_waits_and_kpis_agree_with_the_referee_on_a_generated_schedule() {
    use takt::report::explain::Secondary;
    let yaml = generate(&GenConfig {
        jobs: 120,
        machines: 12,
        plants: 2,
        seed: 11,
        calendars: true,
        changeovers: true,
        tightness: 1.5,
        operators: 4,
        materials: true,
    });
    let problem = parse_instance(&yaml, "generated").expect("generated instance is valid");
    assert!(!problem.resources().is_empty() && !problem.items().is_empty());
    let schedule = takt::solve::solve_dispatch(&problem)
        .expect("dispatching solves it")
        .schedule;
    assert!(check(&problem, &schedule).is_empty());
    let k = compute_kpis(&problem, &schedule);
    for r in &k.resources {
        assert_eq!(r.over_capacity, 0, "{}", r.resource);
        assert!(r.busy <= r.available, "{}", r.resource);
    }
    assert!(k.resources.iter().any(|r| r.busy > 0));
    for it in &k.items {
        assert_eq!(it.below_zero_minutes, 0, "{}", it.item);
        assert!(it.min_stock >= -1e-6, "{}", it.item);
    }
    let a = analyse(&problem, &schedule);
    let comps = takt::report::gantt::completions(&problem, &schedule);
    for (j, c) in comps.iter().enumerate() {
        let total: i64 = pieces(&problem, &a, takt::model::JobId(j as u32))
            .iter()
            .map(|p| p.minutes())
            .sum();
        assert_eq!(Some(total), *c, "job {}", problem.jobs()[j].id);
    }
    let mut waits = 0;
    for s in &a.steps {
        assert!(!s.too_early(), "{}", problem.op_name(s.op));
        let Some(w) = &s.secondary else { continue };
        waits += 1;
        assert!(s.machine_earliest < s.earliest && s.earliest <= s.start);
        match w {
            Secondary::Resource {
                at,
                until,
                capacity,
                needed,
                in_use,
                ..
            } => {
                assert!(in_use + needed > *capacity, "{}", problem.op_name(s.op));
                assert!(at < until);
            }
            Secondary::Material { at, .. } => assert!(*at > s.machine_earliest),
        }
    }
    assert!(
        waits > 0,
        "some operation waited for a resource or a material"
    );
}
