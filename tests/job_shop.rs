//! The dedicated job shop search: its own makespan (heads) equals the evaluator's, the referee
//! accepts every schedule, it finds the brute-force optimum on tiny (flexible) job shops with
//! releases and transfers, reaches the known optima of ft06, la01 and mk01, stops at the bound,
//! and is reproducible for a seed and an iteration budget.

mod common;
use common::{best_over_sequences, fixed_iterations as cfg};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::fmt::Write;
use takt::model::{parse_instance, Problem};
use takt::solve::job_shop::{own_makespan, qualifies};
use takt::solve::search::{search, SearchConfig, SearchOutcome};

/// A random job shop: `jobs` jobs of up to `ops` operations on `machines` machines in two
/// plants with transfers, releases, and up to `modes` eligible machines per operation.
fn instance(seed: u64, jobs: usize, ops: usize, machines: usize, modes: usize) -> Problem {
    let mut r = StdRng::seed_from_u64(seed);
    let mut y = String::new();
    writeln!(y, "name: js-{seed}\nhorizon: {{start: 2026-03-02T07:00}}").unwrap();
    writeln!(y, "objective: {{makespan: {}}}", r.random_range(1..3)).unwrap();
    writeln!(y, "plants: [{{id: p1}}, {{id: p2}}]").unwrap();
    writeln!(
        y,
        "transfers: [{{from: p1, to: p2, time: {}}}, {{from: p2, to: p1, time: {}}}]",
        r.random_range(0..30),
        r.random_range(0..30)
    )
    .unwrap();
    writeln!(y, "machines:").unwrap();
    for m in 0..machines {
        writeln!(y, "  - {{id: M{m}, plant: p{}}}", 1 + m % 2).unwrap();
    }
    writeln!(y, "jobs:").unwrap();
    for j in 0..jobs {
        writeln!(y, "  - id: J{j}").unwrap();
        if r.random_bool(0.5) {
            writeln!(y, "    release: {}", r.random_range(0..50)).unwrap();
        }
        writeln!(y, "    operations:").unwrap();
        for o in 0..r.random_range(1..=ops) {
            let k = r.random_range(1..=modes.min(machines));
            let first = r.random_range(0..machines);
            let ms: Vec<String> = (0..k)
                .map(|i| format!("M{}: {}", (first + i) % machines, r.random_range(1..60)))
                .collect();
            writeln!(y, "      - {{id: o{o}, machines: {{{}}}}}", ms.join(", ")).unwrap();
        }
    }
    parse_instance(&y, "js.yaml").unwrap()
}

/// The search's answer is the evaluator's, its own makespan agrees, the referee accepts it and
/// the bound is below it.
fn solve_checked(p: &Problem, c: &SearchConfig) -> SearchOutcome {
    assert!(qualifies(p), "{} should qualify", p.name());
    let out = search(p, c).unwrap();
    let v = out.result.evaluation.value;
    let own = own_makespan(p, &out.result.sequence).expect("a job shop solution");
    assert!(
        (p.objective().makespan * own as f64 - v).abs() < 1e-6,
        "{}: own makespan {own} != evaluator {v}",
        p.name()
    );
    let violations = takt::check::check(p, &out.result.schedule);
    assert!(violations.is_empty(), "{}: {:?}", p.name(), violations);
    let again = takt::eval::evaluate_schedule(p, &out.result.schedule).value;
    assert!((again - v).abs() < 1e-6);
    assert!(
        out.bound <= v + 1e-6,
        "{}: bound {} > {v}",
        p.name(),
        out.bound
    );
    assert_eq!(out.optimal, v <= out.bound + 1e-9);
    out
}

/// The optimum over every sequence (these job shops have no hard deadlines: every decodable
/// sequence counts).
fn brute_force(p: &Problem) -> f64 {
    best_over_sequences(p).expect("a job shop has a decodable sequence")
}

#[test]
fn finds_the_brute_force_optimum_on_tiny_job_shops() {
    for seed in 0..30 {
        let flexible = seed % 2 == 1;
        let p = if flexible {
            instance(seed, 3, 2, 2, 2)
        } else {
            instance(seed, 3, 3, 3, 1)
        };
        let v = solve_checked(&p, &cfg(3000, 2, seed))
            .result
            .evaluation
            .value;
        let opt = brute_force(&p);
        assert!(
            (v - opt).abs() < 1e-6,
            "seed {seed} (flexible {flexible}): {v} != optimum {opt}"
        );
    }
}

#[test]
fn own_makespan_matches_the_evaluator_on_larger_instances() {
    for seed in 0..12 {
        let modes = 1 + seed as usize % 3;
        let p = instance(100 + seed, 12, 6, 5, modes);
        solve_checked(&p, &cfg(2000, 1 + seed as usize % 2, seed));
    }
}

fn bench(path: &str) -> Problem {
    let path = takt::bench::benchmarks_root().join(path);
    takt::formats::read(&path.display().to_string(), None).unwrap()
}

#[test]
fn reaches_known_optima_and_stops_at_the_bound() {
    // Optima from the shared bks.csv (proven); la01 and mk01 meet takt's bound.
    for (file, opt) in [
        ("jssp/ft06.txt", 55.0),
        ("jssp/la01.txt", 666.0),
        ("fjsp/mk01.fjs", 40.0),
    ] {
        let p = bench(file);
        let out = solve_checked(&p, &cfg(200_000, 2, 1));
        assert_eq!(out.result.evaluation.value, opt, "{file}");
        assert!(
            out.result.method.contains("job shop"),
            "{}",
            out.result.method
        );
        if out.bound >= opt {
            assert!(out.optimal, "{file}: bound met, not reported");
            assert!(out.iterations < 200_000, "{file}: ran on past the bound");
        }
    }
}

#[test]
fn reproducible_with_iterations_and_seed() {
    let p = bench("jssp/ft10.txt");
    for threads in [1, 2] {
        let a = solve_checked(&p, &cfg(20_000, threads, 3));
        let b = solve_checked(&p, &cfg(20_000, threads, 3));
        assert_eq!(a.result.sequence.order, b.result.sequence.order);
        assert_eq!(a.iterations, b.iterations);
    }
}

#[test]
fn other_rules_do_not_qualify() {
    let p = instance(5, 4, 3, 3, 2);
    assert!(qualifies(&p));
    let y = "name: x\nhorizon: {start: 2026-03-02T07:00}\nobjective: {makespan: 1, weighted_tardiness: 1}\n\
             plants: [{id: p}]\nmachines: [{id: M, plant: p}, {id: N, plant: p}]\n\
             jobs: [{id: J, due: 5, operations: [{id: a, machines: {M: 3}}, {id: b, machines: {N: 4}}]}]\n";
    assert!(!qualifies(&parse_instance(y, "x.yaml").unwrap()));
}
