//! `takt reschedule`: started and frozen operations never move (property test over generated
//! instances and every event kind); the repaired schedule passes the referee on the patched
//! instance; impossible rush-order deadlines are reported; bad events files are input errors.

mod common;
use common::cli::{takt, text};
use common::fixed_iterations;

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use takt::check::check;
use takt::generate::{generate, GenConfig};
use takt::model::{parse_instance, Minute, Problem};
use takt::reschedule::{repair, RescheduleOptions};
use takt::schedule::{write_schedule, Schedule};
use takt::solve::solve_dispatch;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/reschedule")
        .join(name)
        .display()
        .to_string()
}

fn options(
    instance: &Path,
    plan: &Path,
    events: &Path,
    now: Minute,
    freeze: Minute,
    only_affected: bool,
) -> RescheduleOptions {
    RescheduleOptions {
        instance: instance.to_path_buf(),
        schedule: plan.to_path_buf(),
        events: events.to_path_buf(),
        now: now.to_string(),
        freeze,
        stability: 1.0,
        machine_change: None,
        sequence_change: None,
        search: fixed_iterations(300, 1, 7),
        output: None,
        write_instance: None,
        changes: None,
        quiet: true,
        only_affected,
    }
}

/// One event of the given kind for `p` under plan `plan` at `now` (YAML list item), or `None`
/// when the instance offers nothing to hang it on.
fn event(kind: usize, p: &Problem, plan: &Schedule, now: Minute, pick: usize) -> Option<String> {
    let start_of = |o: takt::model::OpId| plan.ops.iter().find(|s| s.op == o).unwrap().start;
    let makespan = plan.ops.iter().map(|s| s.end).max().unwrap_or(0);
    let m = &p.machines()[pick % p.machines().len()];
    let j = &p.jobs()[pick % p.jobs().len()];
    // A job whose last operation has not started by now (a delay or hold can apply to it).
    let open = p
        .jobs()
        .iter()
        .cycle()
        .skip(pick % p.jobs().len())
        .take(p.jobs().len())
        .find(|j| start_of(j.last_op()) > now);
    Some(match kind {
        0 => format!(
            "  - breakdown: {{machine: {}, from: {}, repair: {}}}",
            m.id,
            (now - 200 + (pick as Minute * 37) % 600).max(0),
            60 + (pick as Minute * 53) % 400
        ),
        1 => {
            let a = &p.ops()[pick % p.ops().len()];
            let b = &p.ops()[(pick * 7 + 1) % p.ops().len()];
            let ms = |o: &takt::model::Operation| {
                o.modes
                    .iter()
                    .map(|md| format!("{}: {}", p.machines()[md.machine.idx()].id, md.duration))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!(
                "  - rush_order: {{id: RUSH, due: {}, weight: 5, operations: [{{id: a, machines: {{{}}}}}, {{id: b, machines: {{{}}}}}]}}",
                now + 600,
                ms(a),
                ms(b)
            )
        }
        2 => format!("  - cancel: {{job: {}}}", j.id),
        3 => format!(
            "  - change_order: {{job: {}, due: {}, weight: 3}}",
            j.id,
            now + (pick as Minute * 91) % 3000
        ),
        4 => format!(
            "  - material_delay: {{job: {}, until: {}}}",
            open?.id,
            now + 30 + (pick as Minute * 17) % 900
        ),
        5 => {
            let j = open?;
            format!(
                "  - quality_hold: {{job: {}, operation: {}, until: {}}}",
                j.id,
                p.op(j.last_op()).id,
                now + 60 + (pick as Minute * 29) % 900
            )
        }
        6 => {
            let c = p.calendars().first()?;
            let from = now + (pick as Minute * 41) % (makespan.max(1) + 600);
            if pick.is_multiple_of(2) {
                format!(
                    "  - calendar_change: {{calendar: {}, add_overtime: {{from: {from}, to: {}}}}}",
                    c.id,
                    from + 240
                )
            } else {
                format!(
                    "  - calendar_change: {{calendar: {}, cancel_shift: {{from: {from}, to: {}}}}}",
                    c.id,
                    from + 480
                )
            }
        }
        _ => unreachable!(),
    })
}

fn check_repair(seed: u64, kinds: &[usize], now_frac: f64, freeze: Minute, pick: usize) {
    let yaml = generate(&GenConfig {
        jobs: 3 + (seed % 5) as usize,
        machines: 3 + (seed % 3) as usize,
        plants: 1 + (seed % 2) as usize,
        seed,
        calendars: !seed.is_multiple_of(3),
        changeovers: seed.is_multiple_of(2),
        tightness: 1.5,
        ..GenConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let inst = dir.path().join("inst.yaml");
    std::fs::write(&inst, &yaml).unwrap();
    let p = parse_instance(&yaml, "inst.yaml").unwrap();
    let plan = solve_dispatch(&p).unwrap().schedule;
    let plan_path = dir.path().join("plan.csv");
    write_schedule(&p, &plan, &plan_path).unwrap();
    let makespan = plan.ops.iter().map(|s| s.end).max().unwrap();
    let now = (makespan as f64 * now_frac) as Minute;
    let mut lines = vec!["events:".to_string()];
    for (i, &k) in kinds.iter().enumerate() {
        if let Some(e) = event(k, &p, &plan, now, pick + i * 13) {
            // A second cancel of the same job, or a second rush order, is an input error.
            if lines.iter().any(|l| l == &e) || (k == 1 && lines.iter().any(|l| l.contains("RUSH")))
            {
                continue;
            }
            lines.push(e);
        }
    }
    if lines.len() == 1 {
        lines[0] = "events: []".into();
    }
    let ev = dir.path().join("events.yaml");
    std::fs::write(&ev, lines.join("\n")).unwrap();
    let r = repair(
        &options(&inst, &plan_path, &ev, now, freeze, pick.is_multiple_of(3)),
        std::time::Instant::now(),
    )
    .unwrap_or_else(|e| panic!("repair failed: {e}\n{}", lines.join("\n")));
    let v: Vec<_> = check(&r.problem, &r.result.schedule)
        .into_iter()
        .filter(|v| v.rule != takt::check::Rule::Deadline)
        .collect();
    assert!(
        v.is_empty(),
        "referee rejects the repair: {:?}\n{}",
        v.iter().map(|x| &x.message).collect::<Vec<_>>(),
        lines.join("\n")
    );
    let v: Vec<_> = check(&r.problem, &r.right_shift.schedule)
        .into_iter()
        .filter(|v| v.rule != takt::check::Rule::Deadline)
        .collect();
    assert!(
        v.is_empty(),
        "referee rejects the right-shift repair: {v:?}"
    );
    // Started: same machine, same start. Frozen: same machine, and the started and frozen
    // operations of each machine keep their old relative order. Everything else starts at
    // `now` or later.
    let mut kept: Vec<Vec<(Minute, Minute, u32)>> = vec![Vec::new(); r.problem.machines().len()];
    for c in &r.changes.ops {
        match c.status {
            "started" => {
                assert_eq!(
                    c.old.unwrap(),
                    c.new,
                    "started {} moved",
                    r.problem.op_name(c.op)
                );
            }
            "kept" => {
                assert_eq!(
                    c.old.unwrap(),
                    c.new,
                    "unaffected {} moved",
                    r.problem.op_name(c.op)
                );
            }
            "frozen" => {
                assert_eq!(
                    c.old.unwrap().0,
                    c.new.0,
                    "frozen {} changed machine",
                    r.problem.op_name(c.op)
                );
                assert!(c.new.1 >= now);
            }
            _ => assert!(
                c.new.1 >= now,
                "{} ({}) starts before now",
                r.problem.op_name(c.op),
                c.status
            ),
        }
        if matches!(c.status, "started" | "frozen") {
            kept[c.new.0.idx()].push((c.old.unwrap().1, c.new.1, c.op.0));
        }
    }
    for list in &mut kept {
        list.sort();
        for w in list.windows(2) {
            assert!(
                w[0].1 <= w[1].1,
                "frozen/started order changed on a machine"
            );
        }
    }
    // Rush-order operations are all placed.
    assert_eq!(r.result.schedule.ops.len(), r.problem.ops().len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn started_and_frozen_operations_never_move(
        seed in 1u64..10_000,
        kinds in proptest::collection::vec(0usize..7, 1..4),
        now_frac in 0.0f64..0.9,
        freeze in prop_oneof![Just(0i64), Just(240), Just(480), Just(2880)],
        pick in 0usize..1000,
    ) {
        check_repair(seed, &kinds, now_frac, freeze, pick);
    }
}

#[test]
fn every_event_kind_alone_passes_the_referee() {
    for kind in 0..7 {
        for seed in 1..6u64 {
            check_repair(seed, &[kind], 0.3, 480, seed as usize * 5);
        }
    }
}

fn plan_two_plant(dir: &Path) -> (String, String) {
    let inst = root()
        .join("instances/examples/two-plant-demo.yaml")
        .display()
        .to_string();
    let plan = dir.join("plan.yaml").display().to_string();
    let r = takt(&[
        "solve",
        &inst,
        "-o",
        &plan,
        "--quiet",
        "--iterations",
        "200",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    (inst, plan)
}

#[test]
fn the_example_events_repair_and_the_patched_instance_checks() {
    let dir = tempfile::tempdir().unwrap();
    let (inst, plan) = plan_two_plant(dir.path());
    let ev = root()
        .join("instances/examples/events/two-plant-demo-breakdown.yaml")
        .display()
        .to_string();
    let out = dir.path().join("new.csv").display().to_string();
    let patched = dir.path().join("patched.yaml").display().to_string();
    let changes = dir.path().join("changes.csv").display().to_string();
    let r = takt(&[
        "reschedule",
        &inst,
        &plan,
        &ev,
        "--now",
        "2026-11-23T07:00",
        "-o",
        &out,
        "--write-instance",
        &patched,
        "--changes",
        &changes,
        "--iterations",
        "500",
        "--quiet",
    ]);
    let t = text(&r);
    assert_eq!(r.status.code(), Some(0), "{t}");
    for want in [
        "plan (original)",
        "right-shift repair",
        "rescheduled",
        "machine changed",
        "WO-2001",
    ] {
        assert!(t.contains(want), "missing `{want}` in:\n{t}");
    }
    let c = takt(&["check", &patched, &out]);
    assert_eq!(c.status.code(), Some(0), "{}", text(&c));
    let csv = std::fs::read_to_string(&changes).unwrap();
    assert!(csv.starts_with("job,operation,status,old_machine,new_machine"));
    assert!(csv.contains("WO-2001,mill,new"), "{csv}");
    // The held paint starts at 13:00 or later; the started mills keep their places.
    let new = std::fs::read_to_string(&out).unwrap();
    let paint = new
        .lines()
        .find(|l| l.starts_with("WO-1001,paint"))
        .unwrap();
    let start: i64 = paint.split(',').nth(5).unwrap().parse().unwrap();
    assert!(start >= 420, "{paint}");
}

#[test]
fn a_rush_order_with_an_impossible_deadline_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (inst, plan) = plan_two_plant(dir.path());
    let r = takt(&[
        "reschedule",
        &inst,
        &plan,
        &fixture("rush-impossible.yaml"),
        "--now",
        "2026-11-23T07:00",
        "--iterations",
        "300",
        "--quiet",
    ]);
    let t = text(&r);
    assert_eq!(r.status.code(), Some(1), "{t}");
    assert!(
        t.contains("DEADLINE MISSED") && t.contains("WO-RUSH"),
        "{t}"
    );
}

#[test]
fn bad_events_files_are_input_errors_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let (inst, plan) = plan_two_plant(dir.path());
    for (file, wants) in [
        (
            "bad-unknown-machine.yaml",
            &[
                "bad-unknown-machine.yaml",
                "events[0].breakdown.machine",
                "unknown machine `X-LATHE`",
            ][..],
        ),
        (
            "bad-until-before-from.yaml",
            &["events[0].breakdown.until", "is not after"][..],
        ),
        (
            "bad-unknown-job.yaml",
            &[
                "events[1].cancel.job",
                "unknown job `WO-404`",
                "events[2].quality_hold.operation",
                "no operation `drill`",
            ][..],
        ),
        ("bad-malformed.yaml", &["bad-malformed.yaml:"][..]),
        (
            "bad-unknown-field.yaml",
            &["events[0].breakdown", "unknown field `machin`"][..],
        ),
        (
            "bad-rush-order.yaml",
            &["events[0].rush_order.operations[0].machines", "NOPE"][..],
        ),
        (
            "bad-several.yaml",
            &[
                "events[0].change_order.quantity: job `WO-1001` has no quantity",
                "events[1].calendar_change.calendar: unknown calendar `night`",
                "events[2].calendar_change.add_overtime.to",
                "events[3].breakdown: give either `until`",
                "events[4]: an event has exactly one kind",
                "events[5].change_order: nothing to change",
                "events[6].rush_order.id: job `WO-1001` is already in the instance",
            ][..],
        ),
    ] {
        let r = takt(&[
            "reschedule",
            &inst,
            &plan,
            &fixture(file),
            "--now",
            "60",
            "--quiet",
        ]);
        let t = text(&r);
        assert_eq!(r.status.code(), Some(2), "{file}: {t}");
        for w in wants {
            assert!(t.contains(w), "{file}: missing `{w}` in:\n{t}");
        }
        assert!(!t.contains("panicked"), "{t}");
    }
    // Line and column for syntax errors.
    let r = takt(&[
        "reschedule",
        &inst,
        &plan,
        &fixture("bad-malformed.yaml"),
        "--now",
        "60",
    ]);
    let t = String::from_utf8_lossy(&r.stderr).to_string();
    assert!(t.contains("bad-malformed.yaml:3:"), "{t}");
    // A hold on an operation that already ran.
    let r = takt(&[
        "reschedule",
        &inst,
        &plan,
        &fixture("hold-started.yaml"),
        "--now",
        "2026-11-23T07:00",
        "--quiet",
    ]);
    let t = text(&r);
    assert_eq!(r.status.code(), Some(2), "{t}");
    assert!(
        t.contains("events[0].quality_hold.operation") && t.contains("started"),
        "{t}"
    );
}

#[test]
fn quantity_change_scales_durations_of_unstarted_operations() {
    let dir = tempfile::tempdir().unwrap();
    let inst = fixture("quantity.yaml");
    let plan = dir.path().join("plan.csv").display().to_string();
    let r = takt(&[
        "solve",
        &inst,
        "-o",
        &plan,
        "--quiet",
        "--iterations",
        "100",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    let patched = dir.path().join("patched.yaml").display().to_string();
    let out = dir.path().join("new.csv").display().to_string();
    let r = takt(&[
        "reschedule",
        &inst,
        &plan,
        &fixture("quantity-events.yaml"),
        "--now",
        "30",
        "--write-instance",
        &patched,
        "-o",
        &out,
        "--iterations",
        "200",
        "--quiet",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    let p = takt::model::load_instance(Path::new(&patched)).unwrap();
    let j = p.job_by_id("A").unwrap();
    // cut ran from 0 (started, kept at 100 min); weld 45 min × 150/100 = 67.5 -> 68.
    let cut = p.op_by_id(j, "cut").unwrap();
    let weld = p.op_by_id(j, "weld").unwrap();
    assert_eq!(p.op(cut).modes[0].duration, 100);
    assert_eq!(p.op(weld).modes[0].duration, 68);
    assert_eq!(p.job(j).quantity, Some(150.0));
    let c = takt(&["check", &patched, &out]);
    assert_eq!(c.status.code(), Some(0), "{}", text(&c));
}

#[test]
fn restart_loses_the_work_done_and_runs_again_after_the_repair() {
    let dir = tempfile::tempdir().unwrap();
    let inst = fixture("restart.yaml");
    // The plan: A/cut on M1 [0, 120), B/cut on M1 [120, 180).
    let plan = fixture("restart-plan.csv");
    let patched = dir.path().join("patched.yaml").display().to_string();
    let out = dir.path().join("new.csv").display().to_string();
    let r = takt(&[
        "reschedule",
        &inst,
        &plan,
        &fixture("restart-events.yaml"),
        "--now",
        "70",
        "--write-instance",
        &patched,
        "-o",
        &out,
        "--iterations",
        "200",
        "--quiet",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    let new = std::fs::read_to_string(&out).unwrap();
    let a = new.lines().find(|l| l.starts_with("A,cut")).unwrap();
    let f: Vec<&str> = a.split(',').collect();
    // Breakdown [60, 90): the 60 minutes run are lost; A runs whole (120 min) from 90 at the
    // earliest, on M1 or M2.
    let (start, end): (i64, i64) = (f[5].parse().unwrap(), f[6].parse().unwrap());
    assert!(start >= 90, "{a}");
    assert_eq!(end - start, 120, "{a}");
    let c = takt(&["check", &patched, &out]);
    assert_eq!(c.status.code(), Some(0), "{}", text(&c));
    // With resume (the default), A stays where it started and pauses over the breakdown.
    let resume = dir.path().join("resume.yaml");
    std::fs::write(
        &resume,
        std::fs::read_to_string(&inst).unwrap().replace(
            "interrupted_operations: restart",
            "interrupted_operations: resume",
        ),
    )
    .unwrap();
    let out2 = dir.path().join("new2.csv").display().to_string();
    let r = takt(&[
        "reschedule",
        resume.to_str().unwrap(),
        &plan,
        &fixture("restart-events.yaml"),
        "--now",
        "70",
        "-o",
        &out2,
        "--iterations",
        "200",
        "--quiet",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r));
    let new = std::fs::read_to_string(&out2).unwrap();
    let a = new.lines().find(|l| l.starts_with("A,cut")).unwrap();
    let f: Vec<&str> = a.split(',').collect();
    assert_eq!((f[2], f[5], f[6]), ("M1", "0", "150"), "{a}");
}

#[test]
fn bad_arguments_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (inst, plan) = plan_two_plant(dir.path());
    let ev = root()
        .join("instances/examples/events/two-plant-demo-breakdown.yaml")
        .display()
        .to_string();
    let out = dir.path().join("new.txt").display().to_string();
    for (args, want) in [
        (vec!["--now", "tomorrow"], "--now"),
        (vec!["--now", "60", "-o", &out], "unknown schedule format"),
        (
            vec!["--now", "60", "--changes", "c.txt"],
            "--changes writes .csv",
        ),
        (vec!["--now", "60", "--stability=-1"], "--stability"),
    ] {
        let mut a = vec!["reschedule", &inst, &plan, &ev];
        a.extend(args.iter().copied());
        let r = takt(&a);
        let t = text(&r);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {t}");
        assert!(t.contains(want), "{args:?}: missing `{want}` in {t}");
    }
    assert!(!Path::new(&out).exists());
    // A plan that does not place every operation cannot be repaired.
    let partial = dir.path().join("partial.csv");
    std::fs::write(
        &partial,
        "job,operation,machine,setup_start,start,end\nWO-1002,mill,N-CNC1,,0,180\n",
    )
    .unwrap();
    let r = takt(&[
        "reschedule",
        &inst,
        partial.to_str().unwrap(),
        &ev,
        "--now",
        "60",
    ]);
    let t = text(&r);
    assert_eq!(r.status.code(), Some(2), "{t}");
    assert!(
        t.contains("partial.csv") && t.contains("does not place WO-1001/mill"),
        "{t}"
    );
}

#[test]
fn a_repair_with_iterations_and_a_seed_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = generate(&GenConfig {
        jobs: 10,
        machines: 5,
        plants: 2,
        seed: 3,
        ..GenConfig::default()
    });
    let inst = dir.path().join("g.yaml");
    std::fs::write(&inst, &yaml).unwrap();
    let p = parse_instance(&yaml, "g.yaml").unwrap();
    let plan = dir.path().join("plan.csv");
    write_schedule(&p, &solve_dispatch(&p).unwrap().schedule, &plan).unwrap();
    let ev = dir.path().join("ev.yaml");
    std::fs::write(
        &ev,
        format!(
            "events:\n  - breakdown: {{machine: {}, from: 600, repair: 4h}}\n",
            p.machines()[0].id
        ),
    )
    .unwrap();
    let run = |out: &str| {
        let out = dir.path().join(out);
        let r = takt(&[
            "reschedule",
            inst.to_str().unwrap(),
            plan.to_str().unwrap(),
            ev.to_str().unwrap(),
            "--now",
            "700",
            "--iterations",
            "800",
            "--threads",
            "2",
            "--seed",
            "4",
            "--quiet",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(r.status.code(), Some(0), "{}", text(&r));
        std::fs::read_to_string(out).unwrap()
    };
    let a = run("a.csv");
    let b = run("b.csv");
    // The files carry the run time; everything else is identical.
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("seconds"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&a), strip(&b));
}
