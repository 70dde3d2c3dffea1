//! The exact solver (issue 5): brute force on tiny instances, the referee on every MIP schedule,
//! a classic benchmark to proven optimality, infeasibility, refusal of what the model cannot
//! represent, and the exported model.

mod common;
use common::best_over_sequences as brute_force;
use common::files::shared_benchmark as shared_bench;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::fmt::Write;
use takt::check::check;
use takt::eval::{Decoder, Sequence};
use takt::model::{parse_instance, MachineId, OpId, Problem};
use takt::solve::mip::{
    export_model, solve_mip, supports, MipError, MipModel, MipOptions, MipStatus,
};

/// One thread throughout: HiGHS keeps a worker pool per calling thread.
fn opts() -> MipOptions {
    MipOptions {
        threads: Some(1),
        quiet: true,
        ..Default::default()
    }
}

struct Gen {
    max_jobs: usize,
    max_ops_per_job: usize,
    max_machines: usize,
    earliness: bool,
    deadlines: bool,
    pins: bool,
    /// Calendars (day and night shifts, a holiday, overtime), downtime, atomic operations.
    calendars: bool,
}

/// A random instance with always-available machines and every other feature: two plants with
/// transfers (and a same-plant move time), families with changeovers and initial families,
/// alternative machines across plants, releases, due dates, weights, optional deadlines and
/// pins, zero durations now and then, and a multi-term objective.
fn random_instance(seed: u64, g: &Gen) -> Problem {
    let (y, p) = try_random_instance(seed, g);
    p.unwrap_or_else(|e| panic!("generator wrote a bad instance:\n{e}\n{y}"))
}

/// The instance's YAML and the parsed instance (a pin on a non-working instant is refused by
/// validation).
fn try_random_instance(seed: u64, g: &Gen) -> (String, Result<Problem, takt::model::InputError>) {
    let mut r = StdRng::seed_from_u64(seed);
    let mut y = String::new();
    writeln!(y, "name: mip-random-{seed}").unwrap();
    writeln!(y, "horizon: {{start: 2026-11-23T06:00}}").unwrap();
    let mut terms = vec![
        format!("makespan: {}", r.random_range(0..3)),
        format!("weighted_tardiness: {}", r.random_range(1..4)),
        format!("late_jobs: {}", r.random_range(0..50)),
        format!("flow_time: {}", r.random_range(0..2)),
        format!("changeover_time: {}", r.random_range(0..2)),
    ];
    if g.earliness {
        terms.push(format!("earliness: {}", r.random_range(1..3)));
    }
    writeln!(y, "objective: {{{}}}", terms.join(", ")).unwrap();
    writeln!(y, "plants: [{{id: p1}}, {{id: p2}}]").unwrap();
    writeln!(
        y,
        "transfers: [{{from: p1, to: p2, time: {}}}, {{from: p2, to: p1, time: {}}}, {{from: p1, to: p1, time: {}}}]",
        r.random_range(0..300),
        r.random_range(0..300),
        r.random_range(0..20)
    )
    .unwrap();
    if g.calendars {
        writeln!(y, "calendars:").unwrap();
        writeln!(
            y,
            "  - {{id: day, weekly: [{{days: [mon, tue, wed, thu, fri], from: \"06:00\", to: \"{}\"}}], holidays: [{{from: 2026-11-25, to: 2026-11-25}}], overtime: [{{from: 2026-11-28T08:00, to: 2026-11-28T12:00}}]}}",
            ["09:00", "14:00", "22:00"][r.random_range(0..3)]
        )
        .unwrap();
        writeln!(
            y,
            "  - {{id: night, weekly: [{{days: [sun, mon, tue, wed, thu], from: \"22:00\", to: \"02:00\"}}, {{days: [sat], from: \"10:00\", to: \"10:00\"}}]}}"
        )
        .unwrap();
    }
    writeln!(y, "families: [a, b, c]").unwrap();
    let mut mat = Vec::new();
    for f in ["a", "b", "c"] {
        let row: Vec<String> = ["a", "b", "c"]
            .iter()
            .map(|h| {
                let c = if f == *h {
                    // Now and then a same-family changeover (cleaning).
                    if r.random_bool(0.15) {
                        r.random_range(1..20)
                    } else {
                        0
                    }
                } else {
                    r.random_range(0..60)
                };
                format!("{h}: {c}")
            })
            .collect();
        mat.push(format!("{f}: {{{}}}", row.join(", ")));
    }
    writeln!(
        y,
        "changeovers: [{{id: setups, matrix: {{{}}}}}]",
        mat.join(", ")
    )
    .unwrap();
    let n_m = r.random_range(1..=g.max_machines);
    writeln!(y, "machines:").unwrap();
    for m in 0..n_m {
        let mut fields = vec![format!("id: M{m}"), format!("plant: p{}", 1 + m % 2)];
        if g.calendars {
            match r.random_range(0..3) {
                0 => fields.push("calendar: day".into()),
                1 => fields.push("calendar: night".into()),
                _ => {}
            }
            if r.random_bool(0.4) {
                let a = r.random_range(0..2000);
                fields.push(format!(
                    "downtime: [{{from: {a}, to: {}}}]",
                    a + r.random_range(1..400)
                ));
            }
        }
        if r.random_bool(0.7) {
            fields.push("changeovers: setups".into());
            if r.random_bool(0.5) {
                fields.push(format!(
                    "initial_family: {}",
                    ["a", "b", "c"][r.random_range(0..3)]
                ));
            }
        }
        writeln!(y, "  - {{{}}}", fields.join(", ")).unwrap();
    }
    let n_j = r.random_range(1..=g.max_jobs);
    writeln!(y, "jobs:").unwrap();
    for j in 0..n_j {
        writeln!(y, "  - id: J{j}").unwrap();
        let release = r.random_range(0..400);
        writeln!(y, "    release: {release}").unwrap();
        if r.random_bool(0.8) {
            writeln!(y, "    due: {}", r.random_range(0..1200)).unwrap();
        }
        if g.deadlines && r.random_bool(0.3) {
            writeln!(y, "    deadline: {}", release + r.random_range(100..900)).unwrap();
        }
        writeln!(y, "    weight: {}", r.random_range(1..5)).unwrap();
        if r.random_bool(0.7) {
            writeln!(y, "    family: {}", ["a", "b", "c"][r.random_range(0..3)]).unwrap();
        }
        writeln!(y, "    operations:").unwrap();
        for o in 0..r.random_range(1..=g.max_ops_per_job) {
            let k = r.random_range(1..=n_m.min(2));
            let first = r.random_range(0..n_m);
            let durs: Vec<(usize, u32)> = (0..k)
                .map(|i| {
                    let d = if r.random_bool(0.08) {
                        0
                    } else {
                        r.random_range(1..150)
                    };
                    ((first + i) % n_m, d)
                })
                .collect();
            let ms: Vec<String> = durs.iter().map(|(m, d)| format!("M{m}: {d}")).collect();
            let mut extra = String::new();
            if g.calendars && r.random_bool(0.3) {
                extra.push_str(", atomic: true");
            }
            if r.random_bool(0.2) {
                extra.push_str(&format!(
                    ", family: {}",
                    ["a", "b", "c"][r.random_range(0..3)]
                ));
            }
            if g.pins && o == 0 && r.random_bool(0.25) {
                let (m, _) = durs[r.random_range(0..durs.len())];
                extra.push_str(&format!(
                    ", pinned: {{machine: M{m}, start: {}}}",
                    release + r.random_range(0..200)
                ));
            }
            writeln!(
                y,
                "      - {{id: o{o}, machines: {{{}}}{extra}}}",
                ms.join(", ")
            )
            .unwrap();
        }
    }
    let p = parse_instance(&y, "mip-random.yaml");
    (y, p)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// For a regular objective the decoded schedule is the MIP's left-justified: the MIP optimum
/// equals the brute-force optimum over decoded sequences, the evaluator's objective equals the
/// MIP's, and the schedule passes the referee. Deadlines and pins included: where no sequence
/// keeps them, the MIP must prove the instance infeasible.
#[test]
fn mip_optimum_equals_brute_force_on_tiny_instances() {
    let g = Gen {
        max_jobs: 3,
        max_ops_per_job: 3,
        max_machines: 3,
        earliness: false,
        deadlines: true,
        pins: true,
        calendars: false,
    };
    let (mut solved, mut infeasible, mut retried) = (0, 0, 0);
    let seeds: u64 = std::env::var("MIP_SEEDS").map_or(600, |s| s.parse().unwrap());
    for seed in 0..seeds {
        let p = random_instance(seed, &g);
        if p.ops().len() > 6 || p.ops().len() < 2 {
            continue;
        }
        let brute = brute_force(&p);
        let out = solve_mip(&p, &opts());
        match (brute, out) {
            (Some(best), Ok(out)) => {
                solved += 1;
                assert_eq!(out.status, MipStatus::Optimal, "seed {seed}");
                let value = out.result.evaluation.value;
                assert!(
                    close(value, best),
                    "seed {seed}: MIP schedule {value} != brute-force optimum {best}"
                );
                let mip = out.mip_objective.unwrap();
                assert!(
                    close(mip, value),
                    "seed {seed}: MIP objective {mip} != evaluator's {value}"
                );
                assert!(close(out.bound.unwrap(), best), "seed {seed}: bound");
                assert_eq!(out.gap, Some(0.0));
                // (Unless the time-indexed relaxation settled it before any MIP ran.)
                if out.heuristic_objective.is_some() && out.stats.columns > 0 {
                    assert!(
                        out.warm_started || out.retried_cold,
                        "seed {seed}: no warm start"
                    );
                }
                retried += out.retried_cold as usize;

                let v = check(&p, &out.result.schedule);
                assert!(v.is_empty(), "seed {seed}: referee rejects: {v:?}");
                assert_eq!(out.result.schedule.info.status.as_deref(), Some("optimal"));
            }
            (None, Err(MipError::Infeasible(_))) => infeasible += 1,
            (b, o) => panic!(
                "seed {seed}: brute force {b:?}, MIP {:?}",
                o.map(|o| o.status)
            ),
        }
    }
    eprintln!("{solved} solved, {infeasible} infeasible, {retried} warm starts HiGHS mishandled");
    assert!(solved >= 100, "only {solved} instances solved");
    assert!(infeasible >= 3, "only {infeasible} infeasible instances");
}

/// Every feature at once: calendars, downtime and atomic operations with pins, deadlines,
/// changeovers, transfers and alternative machines (up to three machines and three operations
/// per job); the MIP optimum equals the brute-force optimum, or both find no schedule.
#[test]
fn every_feature_together_matches_brute_force() {
    let g = Gen {
        max_jobs: 3,
        max_ops_per_job: 3,
        max_machines: 3,
        earliness: false,
        deadlines: true,
        pins: true,
        calendars: true,
    };
    let (mut solved, mut infeasible) = (0, 0);
    let seeds: u64 = std::env::var("MIP_SEEDS").map_or(600, |s| s.parse().unwrap());
    for seed in 5000..5000 + seeds {
        let Ok(p) = try_random_instance(seed, &g).1 else {
            continue; // a pin the validation rejects
        };
        if p.ops().len() > 6 || p.ops().len() < 2 {
            continue;
        }
        match (brute_force(&p), solve_mip(&p, &opts())) {
            (Some(best), Ok(out)) => {
                solved += 1;
                assert_eq!(out.status, MipStatus::Optimal, "seed {seed}");
                let value = out.result.evaluation.value;
                assert!(
                    close(value, best),
                    "seed {seed}: MIP {value} != brute force {best}"
                );
                assert!(close(out.mip_objective.unwrap(), value), "seed {seed}");
                let v = check(&p, &out.result.schedule);
                assert!(v.is_empty(), "seed {seed}: referee rejects: {v:?}");
            }
            (None, Err(MipError::Infeasible(_))) => infeasible += 1,
            (b, o) => panic!(
                "seed {seed}: brute force {b:?}, MIP {:?}",
                o.map(|o| o.status)
            ),
        }
    }
    eprintln!("every feature: {solved} solved, {infeasible} infeasible");
    assert!(
        solved >= 60 && infeasible >= 3,
        "{solved} solved, {infeasible} infeasible"
    );
}

/// The time-indexed model, forced on tiny one-machine instances (releases, due dates, weights,
/// routings with a move time, deadlines, pins, earliness sometimes): its optimum equals the
/// brute-force optimum over decoded sequences (for a regular objective; with earliness it may
/// only be better), or both find no schedule.
#[test]
fn the_time_indexed_model_matches_brute_force() {
    let forced = MipOptions {
        model: MipModel::TimeIndexed,
        ..opts()
    };
    let (mut solved, mut tried) = (0, 0);
    let limit: u64 = std::env::var("MIP_SEEDS").map_or(40, |s| s.parse().unwrap());
    for seed in 7000..7000 + 8 * limit {
        let g = Gen {
            max_jobs: 3,
            max_ops_per_job: 2,
            max_machines: 1,
            earliness: seed % 3 == 0,
            deadlines: true,
            pins: true,
            calendars: false,
        };
        let Ok(p) = try_random_instance(seed, &g).1 else {
            continue;
        };
        if p.ops().len() > 5 || p.ops().iter().any(|o| o.modes[0].duration == 0) {
            continue;
        }
        let out = match solve_mip(&p, &forced) {
            Err(MipError::Unsupported(_)) => continue, // a positive changeover
            other => other,
        };
        tried += 1;
        if tried > limit {
            break;
        }
        match (brute_force(&p), out) {
            (Some(best), Ok(out)) => {
                solved += 1;
                assert_eq!(out.model, MipModel::TimeIndexed);
                assert_eq!(out.status, MipStatus::Optimal, "seed {seed}");
                let value = out.result.evaluation.value;
                if p.objective().earliness > 0.0 {
                    assert!(value <= best + 1e-6 * best.abs().max(1.0), "seed {seed}");
                } else {
                    assert!(close(value, best), "seed {seed}: {value} != {best}");
                }
                assert!(close(out.mip_objective.unwrap(), value), "seed {seed}");
                let v = check(&p, &out.result.schedule);
                assert!(v.is_empty(), "seed {seed}: referee rejects: {v:?}");
            }
            (None, Err(MipError::Infeasible(_))) => {}
            (b, o) => panic!(
                "seed {seed}: brute force {b:?}, MIP {:?}",
                o.map(|o| o.status)
            ),
        }
    }
    assert!(solved >= 20, "only {solved} solved");
}

/// Earliness is not regular: waiting can pay, so the decoded (left-justified) sequences are not
/// all the schedules. The MIP's schedule must be at least as good as the best of them, keep its
/// own objective, and pass the referee.
#[test]
fn with_earliness_the_mip_is_at_least_as_good_as_every_decoded_sequence() {
    let g = Gen {
        max_jobs: 3,
        max_ops_per_job: 2,
        max_machines: 2,
        earliness: true,
        deadlines: false,
        pins: false,
        calendars: false,
    };
    let mut n = 0;
    for seed in 1000..1120u64 {
        let p = random_instance(seed, &g);
        if p.ops().len() > 6 {
            continue;
        }
        n += 1;
        let best = brute_force(&p).unwrap();
        let out = solve_mip(&p, &opts()).unwrap();
        assert_eq!(out.status, MipStatus::Optimal, "seed {seed}");
        let value = out.result.evaluation.value;
        assert!(
            value <= best + 1e-6 * best.abs().max(1.0),
            "seed {seed}: MIP {value} worse than a decoded sequence {best}"
        );
        assert!(close(out.mip_objective.unwrap(), value), "seed {seed}");
        let v = check(&p, &out.result.schedule);
        assert!(v.is_empty(), "seed {seed}: referee rejects: {v:?}");
    }
    assert!(n >= 50);
}

#[test]
fn ft06_is_solved_to_proven_optimality() {
    let p = takt::formats::read(&shared_bench("jssp/ft06.txt"), None).unwrap();
    let out = solve_mip(
        &p,
        &MipOptions {
            time_limit: Some(120.0),
            ..opts()
        },
    )
    .unwrap();
    assert_eq!(out.status, MipStatus::Optimal);
    assert_eq!(out.result.evaluation.value, 55.0);
    assert!(close(out.bound.unwrap(), 55.0));
    assert!(close(out.mip_objective.unwrap(), 55.0));
    assert!(check(&p, &out.result.schedule).is_empty());
    let info = &out.result.schedule.info;
    assert_eq!(info.status.as_deref(), Some("optimal"));
    assert_eq!(info.objective, Some(55.0));
    assert_eq!(info.gap, Some(0.0));
}

/// A time limit too short for a proof: never "optimal", and the bound is a valid lower bound.
#[test]
fn a_time_limit_is_not_optimal() {
    let p = takt::formats::read(&shared_bench("jssp/ft10.txt"), None).unwrap();
    let out = solve_mip(
        &p,
        &MipOptions {
            time_limit: Some(1.0),
            ..opts()
        },
    )
    .unwrap();
    assert_eq!(out.status, MipStatus::TimeLimit);
    assert_eq!(
        out.result.schedule.info.status.as_deref(),
        Some("time-limit")
    );
    let bound = out.bound.unwrap();
    assert!(
        bound <= 930.0 + 1e-6,
        "bound {bound} above the known optimum 930"
    );
    assert!(out.result.evaluation.value >= 930.0);
    assert!(out.gap.unwrap() > 0.0);
    assert!(check(&p, &out.result.schedule).is_empty());
}

const INFEASIBLE: &str = r#"
name: impossible-deadline
horizon: {start: 2026-11-23T06:00}
plants: [{id: p}]
machines: [{id: M, plant: p}]
jobs:
  - id: A
    deadline: 100
    operations: [{id: o1, machines: {M: 60}}]
  - id: B
    deadline: 100
    operations: [{id: o1, machines: {M: 60}}]
"#;

#[test]
fn an_impossible_deadline_is_reported_infeasible() {
    let p = parse_instance(INFEASIBLE, "impossible.yaml").unwrap();
    match solve_mip(&p, &opts()) {
        Err(MipError::Infeasible(msg)) => assert!(!msg.is_empty()),
        other => panic!("expected infeasible, got {:?}", other.map(|o| o.status)),
    }
    // One job alone cannot make it either: caught before HiGHS runs, with the job named.
    let p = parse_instance(
        &INFEASIBLE.replace(
            "deadline: 100\n    operations: [{id: o1, machines: {M: 60}}]\n  - id: B",
            "deadline: 50\n    operations: [{id: o1, machines: {M: 60}}]\n  - id: B",
        ),
        "impossible.yaml",
    )
    .unwrap();
    match solve_mip(&p, &opts()) {
        Err(MipError::Infeasible(msg)) => assert!(msg.contains("job A"), "{msg}"),
        other => panic!("expected infeasible, got {:?}", other.map(|o| o.status)),
    }
}

/// Calendars (day and night shifts, holidays, overtime, downtime), atomic operations, and
/// everything else, from the shared random-instance generator: the MIP optimum equals the
/// brute-force optimum over decoded sequences, and its schedule passes the referee.
#[test]
fn calendars_and_atomic_operations_are_modelled_exactly() {
    let g = common::GenOptions {
        max_jobs: 3,
        max_ops_per_job: 2,
        max_machines: 2,
        earliness: false,
    };
    let (mut solved, mut with_calendar) = (0, 0);
    // More with MIP_SEEDS=n (default 300).
    let seeds: u64 = std::env::var("MIP_SEEDS").map_or(300, |s| s.parse().unwrap());
    for seed in 0..seeds {
        let p = common::random_instance(seed, &g);
        if p.ops().len() > 6 {
            continue;
        }
        let best = brute_force(&p);
        let out = solve_mip(&p, &opts());
        match (best, out) {
            (Some(best), Ok(out)) => {
                solved += 1;
                if p.machines()
                    .iter()
                    .any(|m| m.calendar.is_some() || !m.downtime.is_empty())
                {
                    with_calendar += 1;
                }
                assert_eq!(out.status, MipStatus::Optimal, "seed {seed}");
                let value = out.result.evaluation.value;
                assert!(
                    close(value, best),
                    "seed {seed}: MIP {value} != brute force {best}"
                );
                assert!(close(out.mip_objective.unwrap(), value), "seed {seed}");
                let v = check(&p, &out.result.schedule);
                assert!(v.is_empty(), "seed {seed}: referee rejects: {v:?}");
            }
            (b, o) => panic!(
                "seed {seed}: brute force {b:?}, MIP {:?}",
                o.map(|o| o.status)
            ),
        }
    }
    assert!(
        with_calendar >= 50,
        "only {with_calendar} of {solved} with calendars"
    );
}

/// What the model cannot represent is refused by name: here its size (calendar pieces over a
/// long horizon), with a limit set low.
#[test]
fn a_model_too_large_is_refused_by_name() {
    let y = r#"
name: with-calendar
horizon: {start: 2026-11-23T06:00}
plants: [{id: p}]
calendars: [{id: day, weekly: [{days: [mon, tue, wed, thu, fri], from: "06:00", to: "14:00"}]}]
machines: [{id: M1, plant: p, calendar: day}, {id: M2, plant: p, downtime: [{from: 100, to: 200}]}]
jobs:
  - id: A
    operations: [{id: o1, machines: {M1: 6000}}]
  - id: B
    operations: [{id: o1, machines: {M1: 600, M2: 300}}]
"#;
    let p = parse_instance(y, "cal.yaml").unwrap();
    assert!(supports(&p).is_ok());
    let small = MipOptions {
        max_binaries: 5,
        ..opts()
    };
    match solve_mip(&p, &small) {
        Err(MipError::Unsupported(msg)) => {
            assert!(msg.contains("binary time-window variables"), "{msg}");
            assert!(msg.contains("limit is 5"), "{msg}");
        }
        other => panic!("expected Unsupported, got {:?}", other.map(|o| o.status)),
    }
    // With the default limit it is solved, calendar and downtime included.
    let out = solve_mip(&p, &opts()).unwrap();
    assert_eq!(out.status, MipStatus::Optimal);
    assert!(check(&p, &out.result.schedule).is_empty());
    // Monday 06:00 + 6000 min of 8-hour weekdays: Wednesday of the third week, 10:00.
    assert_eq!(
        out.result.evaluation.value,
        (14 + 2) as f64 * 1440.0 + 240.0
    );
    assert_eq!(Some(out.result.evaluation.value), brute_force(&p));
}

#[test]
fn the_model_is_exported_as_lp_and_mps() {
    let p = takt::formats::read(&shared_bench("jssp/ft06.txt"), None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for ext in ["lp", "mps"] {
        let path = dir.path().join(format!("ft06.{ext}"));
        let stats = export_model(&p, &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(stats.columns > 36 && stats.binaries > 0 && stats.rows > 0);
        // Named columns: starts, order variables, the makespan.
        assert!(text.contains("S_0_J1_o1"), "{ext}: no start column name");
        assert!(text.contains("x_0_J1_o1_"), "{ext}: no order column name");
        assert!(text.contains("Cmax"), "{ext}");
        assert!(text.contains("disj_"), "{ext}: no row names");
    }
    let lp = std::fs::read_to_string(dir.path().join("ft06.lp")).unwrap();
    assert!(lp.contains("min") || lp.contains("MIN") || lp.contains("minimize"));
    assert!(matches!(
        export_model(&p, &dir.path().join("ft06.txt")),
        Err(MipError::Export { .. })
    ));
}

/// The warm start is accepted (HiGHS's first incumbent is the heuristic's schedule), and without
/// it the MIP still reaches the optimum.
#[test]
fn warm_start_is_used_and_optional() {
    let p = takt::formats::read(&shared_bench("jssp/ft06.txt"), None).unwrap();
    let warm = solve_mip(&p, &opts()).unwrap();
    assert!(warm.warm_started);
    assert!(warm.first_incumbent_seconds.is_some());
    let cold = solve_mip(
        &p,
        &MipOptions {
            warm_start: false,
            ..opts()
        },
    )
    .unwrap();
    assert!(!cold.warm_started);
    assert_eq!(cold.status, MipStatus::Optimal);
    assert_eq!(cold.result.evaluation.value, 55.0);
}

/// Single-machine weighted tardiness goes through the same model: nine jobs of OR-Library's
/// wt40 #80 (due dates scaled to their total processing time, then halved) against exhaustive
/// search over the 9! orders.
#[test]
fn single_machine_weighted_tardiness_matches_exhaustive_search() {
    let full = takt::formats::read(&shared_bench("smwt/wt40.txt#80"), None).unwrap();
    let k = 9;
    let total: i64 = full.ops().iter().map(|o| o.modes[0].duration).sum();
    let cut: i64 = full.ops()[..k].iter().map(|o| o.modes[0].duration).sum();
    let mut y = String::from(
        "name: wt40-80-cut\nhorizon: {start: 2026-01-05T00:00}\nobjective: {weighted_tardiness: 1}\nplants: [{id: p}]\nmachines: [{id: M, plant: p}]\njobs:\n",
    );
    for job in &full.jobs()[..k] {
        let d = full.ops()[job.first_op as usize].modes[0].duration;
        let due = job.due.unwrap() * cut / total / 2;
        writeln!(
            y,
            "  - {{id: {}, due: {due}, weight: {}, operations: [{{id: o, machines: {{M: {d}}}}}]}}",
            job.id, job.weight
        )
        .unwrap();
    }
    let p = parse_instance(&y, "wt-cut.yaml").unwrap();
    let best = brute_force_single_machine(&p);
    assert!(best > 0.0, "the cut instance should have some tardiness");
    // Both formulations, and the automatic choice (time-indexed here).
    for (model, used) in [
        (MipModel::Auto, MipModel::TimeIndexed),
        (MipModel::TimeIndexed, MipModel::TimeIndexed),
        (MipModel::Disjunctive, MipModel::Disjunctive),
    ] {
        let out = solve_mip(&p, &MipOptions { model, ..opts() }).unwrap();
        assert_eq!(out.model, used);
        assert_eq!(out.status, MipStatus::Optimal, "{model:?}");
        let value = out.result.evaluation.value;
        assert!(close(value, best), "{model:?}: {value} != {best}");
        assert!(close(out.bound.unwrap(), best), "{model:?}: bound");
        assert!(check(&p, &out.result.schedule).is_empty());
    }
}

/// The time-indexed model refuses, by name, what it cannot represent.
#[test]
fn the_time_indexed_model_refuses_several_machines() {
    let p = takt::formats::read(&shared_bench("jssp/ft06.txt"), None).unwrap();
    let forced = MipOptions {
        model: MipModel::TimeIndexed,
        ..opts()
    };
    match solve_mip(&p, &forced) {
        Err(MipError::Unsupported(msg)) => assert!(msg.contains("one always-available machine")),
        other => panic!("expected Unsupported, got {:?}", other.map(|o| o.status)),
    }
}

/// Exhaustive search over job orders on one machine (k! orders).
fn brute_force_single_machine(p: &Problem) -> f64 {
    let ops: Vec<OpId> = (0..p.ops().len() as u32).map(OpId).collect();
    let mut dec = Decoder::new(p);
    let mut best = f64::INFINITY;
    let mut perm = ops.clone();
    heap_permute(&mut perm, ops.len(), &mut |order| {
        let seq = Sequence::new(vec![MachineId(0); order.len()], vec![order.to_vec()]);
        dec.decode(p, &seq).unwrap();
        best = best.min(dec.evaluate(p).value);
    });
    best
}

fn heap_permute(v: &mut [OpId], k: usize, f: &mut dyn FnMut(&[OpId])) {
    if k <= 1 {
        f(v);
        return;
    }
    for i in 0..k {
        heap_permute(v, k - 1, f);
        if k.is_multiple_of(2) {
            v.swap(i, k - 1);
        } else {
            v.swap(0, k - 1);
        }
    }
}

/// Measurements (not run by default): `BENCH="jssp/la01.txt jssp/la02.txt" cargo test --release
/// --test mip measure -- --ignored --nocapture`; `LIMIT` seconds per instance (default 60).
#[test]
#[ignore]
fn measure() {
    let limit: f64 = std::env::var("LIMIT").map_or(60.0, |s| s.parse().unwrap());
    let threads: u32 = std::env::var("THREADS").map_or(1, |s| s.parse().unwrap());
    let list = std::env::var("BENCH").unwrap_or_else(|_| "jssp/ft06.txt".into());
    for name in list.split_whitespace() {
        let p = if name.ends_with(".yaml") {
            takt::model::load_instance(std::path::Path::new(name)).unwrap()
        } else {
            takt::formats::read(&shared_bench(name), None).unwrap()
        };
        for warm in [true, false] {
            if !warm && std::env::var("COLD").is_err() {
                continue;
            }
            let out = solve_mip(
                &p,
                &MipOptions {
                    time_limit: Some(limit),
                    threads: Some(threads),
                    quiet: std::env::var("VERBOSE").is_err(),
                    warm_start: warm,
                    ..Default::default()
                },
            )
            .unwrap();
            assert!(check(&p, &out.result.schedule).is_empty());
            println!(
                "{name} warm={warm}: {} value {} bound {:?} gap {:?} heuristic {:?} first incumbent {:?} s, HiGHS {:.1} s, total {:.1} s, {:?}{}",
                out.status.as_str(),
                out.result.evaluation.value,
                out.bound,
                out.gap,
                out.heuristic_objective,
                out.first_incumbent_seconds,
                out.solve_seconds,
                out.seconds,
                out.stats,
                if out.retried_cold { " (retried cold)" } else { "" }
            );
        }
    }
}

/// The MIP's time limit counts from `MipOptions::started` (the command's clock), and
/// `solve::run` hands the search configuration's clock on, alone and under `auto`: a clock
/// started longer ago than the limit leaves HiGHS no time, so no proof on ft06 (which HiGHS
/// proves optimal in about a second when it has the time), and the schedule returned is the
/// heuristic's, valid. No wall time is measured: the clock is set back.
#[test]
fn a_clock_started_before_the_limit_leaves_highs_no_time() {
    use std::time::{Duration, Instant};
    use takt::solve::search::SearchConfig;
    use takt::solve::{run, SolverChoice};
    let past = Instant::now()
        .checked_sub(Duration::from_secs(10))
        .expect("the monotonic clock started more than 10 s ago");
    let p = takt::formats::read(&shared_bench("jssp/ft06.txt"), None).unwrap();
    let out = solve_mip(
        &p,
        &MipOptions {
            time_limit: Some(4.0),
            started: Some(past),
            ..opts()
        },
    )
    .unwrap();
    // HiGHS stops at once with its warm start, the dispatching rules' schedule, as incumbent.
    assert_eq!(out.status, MipStatus::TimeLimit);
    assert_eq!(out.heuristic_objective, Some(65.0));
    assert_eq!(out.mip_objective, out.heuristic_objective);
    assert!(check(&p, &out.result.schedule).is_empty());
    for choice in [SolverChoice::Mip, SolverChoice::Auto] {
        let cfg = SearchConfig::limited(Some(Duration::from_secs(4)), None, None).started(past);
        let solved = run(&p, choice, &cfg).unwrap();
        let proof = solved.proof.expect("the MIP ran");
        assert_eq!(proof.status, MipStatus::TimeLimit, "{choice:?}");
        assert_eq!(proof.mip_objective, proof.heuristic_objective, "{choice:?}");
        assert!(check(&p, &solved.result.schedule).is_empty(), "{choice:?}");
    }
}
