//! Lower bounds never exceed an optimum: brute force on tiny random instances (calendars,
//! transfers, changeovers, atomic operations, releases, multi-term objectives), and the proven
//! optima of the shared benchmark instances.

mod common;
use common::{best_over_sequences as brute_force_optimum, random_instance, GenOptions};
use takt::solve::bound::lower_bound;

fn check_family(opts: &GenOptions, max_ops: usize, seeds: std::ops::Range<u64>) -> usize {
    let mut checked = 0;
    let mut positive = 0;
    for seed in seeds {
        let p = random_instance(seed, opts);
        if p.ops().len() > max_ops {
            continue;
        }
        let Some(opt) = brute_force_optimum(&p) else {
            continue;
        };
        let b = lower_bound(&p);
        assert!(
            b.value <= opt + 1e-6,
            "seed {seed}: bound {} ({}) above the optimum {opt}",
            b.value,
            b.source
        );
        checked += 1;
        if b.value > 0.0 {
            positive += 1;
        }
    }
    // The bound is not trivially 0.
    assert!(
        positive * 2 > checked,
        "{positive} of {checked} bounds are positive"
    );
    checked
}

#[test]
fn bound_is_below_the_brute_force_optimum() {
    let opts = GenOptions {
        max_jobs: 3,
        max_ops_per_job: 2,
        max_machines: 2,
        earliness: false,
    };
    assert!(check_family(&opts, 6, 0..300) >= 20);
}

#[test]
fn single_machine_bound_is_below_the_brute_force_optimum() {
    // One machine, one operation per job: the Lagrangian bound applies.
    let opts = GenOptions {
        max_jobs: 5,
        max_ops_per_job: 1,
        max_machines: 1,
        earliness: false,
    };
    assert!(check_family(&opts, 5, 0..200) >= 50);
}

/// One machine always available, `n` jobs of one operation: the time-indexed Lagrangian bound
/// applies. Releases (all equal or not), zero durations, durations sharing a factor (the time
/// unit), jobs without due date and every regular term of the objective.
fn one_machine_instance(seed: u64, n: usize) -> takt::model::Problem {
    use rand::{rngs::StdRng, RngExt, SeedableRng};
    use std::fmt::Write;
    let mut r = StdRng::seed_from_u64(seed);
    let mut y = String::from("name: one-machine\nhorizon: {start: 2026-11-23T06:00}\n");
    writeln!(
        y,
        "objective: {{weighted_tardiness: {}, late_jobs: {}, flow_time: {}, makespan: {}}}",
        r.random_range(1..4),
        [0, 0, 7][r.random_range(0..3)],
        [0, 0, 1][r.random_range(0..3)],
        [0, 1][r.random_range(0..2)]
    )
    .unwrap();
    y.push_str("plants: [{id: p}]\nmachines: [{id: M, plant: p}]\njobs:\n");
    let factor = [1, 1, 5][r.random_range(0..3)];
    let releases = r.random_bool(0.3);
    let total = 12 * factor * n as i64;
    for j in 0..n {
        writeln!(y, "  - id: J{j}").unwrap();
        if releases {
            writeln!(y, "    release: {}", r.random_range(0..total / 2)).unwrap();
        }
        if r.random_bool(0.9) {
            writeln!(y, "    due: {}", r.random_range(0..total)).unwrap();
        }
        writeln!(y, "    weight: {}", r.random_range(0..10)).unwrap();
        let d = if r.random_bool(0.05) {
            0
        } else {
            factor * r.random_range(1..20)
        };
        writeln!(y, "    operations: [{{id: o, machines: {{M: {d}}}}}]").unwrap();
    }
    takt::model::parse_instance(&y, "one-machine.yaml").unwrap()
}

#[test]
fn time_indexed_bound_is_below_the_brute_force_optimum_on_one_machine() {
    let (mut tight, mut strong, mut checked) = (0, 0, 0);
    for seed in 0..120u64 {
        let n = 2 + (seed % 7) as usize; // 2..=8 jobs: every permutation
        let p = one_machine_instance(seed, n);
        let opt = brute_force_optimum(&p).expect("a sequence");
        let b = lower_bound(&p);
        assert!(
            b.value <= opt + 1e-6,
            "seed {seed} ({n} jobs): bound {} ({}) above the optimum {opt}",
            b.value,
            b.source
        );
        checked += 1;
        if b.value >= opt - 1e-6 {
            tight += 1;
        }
        if b.source.starts_with("time-indexed") {
            strong += 1;
        }
    }
    // Not a vacuous check: the time-indexed bound is the one used, and often meets the optimum.
    assert!(
        strong * 3 > checked,
        "time-indexed on {strong} of {checked}"
    );
    assert!(
        tight * 2 > checked,
        "bound = optimum on {tight} of {checked}"
    );
}

#[test]
fn bound_is_below_every_proven_optimum_of_the_shared_benchmarks() {
    let mut checked = 0;
    for family in ["jssp", "fjsp", "smwt"] {
        let entries = takt::bench::set::resolve(family).expect("shared benchmarks");
        let instances = takt::bench::set::load(&entries).expect("loads");
        for inst in instances {
            let Some(bks) = inst.bks.as_ref().filter(|b| b.optimal) else {
                continue;
            };
            let b = lower_bound(&inst.problem);
            assert!(
                b.value <= bks.upper_bound as f64 + 1e-6,
                "{}: bound {} ({}) above the proven optimum {}",
                inst.name,
                b.value,
                b.source,
                bks.upper_bound
            );
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} proven optima checked");
}

#[test]
fn search_stops_when_it_meets_the_bound() {
    // la01's optimum (666) equals its one-machine bound: the search stops long before 30 s.
    let path = takt::bench::benchmarks_root().join("jssp/la01.txt");
    let p = takt::formats::read(&path.display().to_string(), None).unwrap();
    let b = lower_bound(&p);
    assert_eq!(b.value, 666.0, "{}", b.source);
    let cfg = takt::solve::search::SearchConfig {
        time_limit: Some(std::time::Duration::from_secs(30)),
        threads: 2,
        ..Default::default()
    };
    let out = takt::solve::search::search(&p, &cfg).unwrap();
    assert!(out.optimal);
    assert_eq!(out.result.evaluation.value, 666.0);
    assert!(out.seconds < 10.0, "{} s", out.seconds);
}

#[test]
fn solve_prints_the_bound_and_writes_the_proof_into_the_schedule() {
    use common::cli::{takt, text};
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("la01.yaml");
    let la01 = takt::bench::benchmarks_root().join("jssp/la01.txt");
    let o = takt(&[
        "solve",
        la01.to_str().unwrap(),
        "--time-limit",
        "30s",
        "-o",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("status: optimal (bound met); objective 666, bound 666, gap 0.00 %"),
        "{t}"
    );
    let file = std::fs::read_to_string(&out).unwrap();
    assert!(file.contains("status: optimal (bound met)"), "{file}");
    assert!(file.contains("bound: 666"), "{file}");
    // The report prints the bound beside each schedule's objective.
    let r = takt(&["report", la01.to_str().unwrap(), out.to_str().unwrap()]);
    assert!(text(&r).contains("bound 666, gap 0.00 %"), "{}", text(&r));
    // A feasible answer without proof shows its gap (ft06: optimum 55, bound 52).
    let ft06 = takt::bench::benchmarks_root().join("jssp/ft06.txt");
    let o = takt(&[
        "solve",
        ft06.to_str().unwrap(),
        "--iterations",
        "2000",
        "--quiet",
    ]);
    assert!(
        text(&o).contains("status: feasible; objective"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("bound 52, gap"), "{}", text(&o));
}
