//! The local search: every schedule it returns passes the referee, it never returns worse than
//! its dispatching start, it is reproducible for a seed and an iteration limit whatever the
//! thread timing, and it reaches a published optimum on a small classic.

mod common;
use common::{fixed_iterations as cfg, random_instance, GenOptions};
use proptest::prelude::*;
use takt::check::check;
use takt::solve::search::{search, SearchConfig};
use takt::solve::solve_dispatch;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]
    #[test]
    fn search_schedules_pass_the_referee_and_never_lose_to_dispatch(seed in any::<u64>(), s in 0u64..1000) {
        let p = random_instance(seed, &GenOptions { max_jobs: 6, max_ops_per_job: 4, max_machines: 4, earliness: true });
        let out = search(&p, &cfg(300, 2, s)).unwrap();
        let v = check(&p, &out.result.schedule);
        prop_assert!(v.is_empty(), "{:?}", v.iter().map(|v| &v.message).collect::<Vec<_>>());
        let start = solve_dispatch(&p).unwrap();
        prop_assert!(!start.evaluation.better_than(&out.result.evaluation));
        // The reported evaluation is the evaluator's for the returned schedule.
        prop_assert_eq!(takt::eval::evaluate_schedule(&p, &out.result.schedule), out.result.evaluation);
    }
}

#[test]
fn reproducible_for_a_seed_and_iteration_limit_with_two_threads() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let p =
        takt::model::load_instance(&root.join("instances/examples/paint-shop-changeovers.yaml"))
            .unwrap();
    let a = search(&p, &cfg(3000, 2, 11)).unwrap().result.schedule;
    let b = search(&p, &cfg(3000, 2, 11)).unwrap().result.schedule;
    assert_eq!(a, b);
    let g = takt::generate::generate(&takt::generate::GenConfig {
        jobs: 30,
        machines: 8,
        seed: 5,
        ..Default::default()
    });
    let p = takt::model::parse_instance(&g, "gen").unwrap();
    let a = search(&p, &cfg(2000, 2, 3)).unwrap().result;
    let b = search(&p, &cfg(2000, 2, 3)).unwrap().result;
    assert_eq!(a.schedule, b.schedule);
    assert!(check(&p, &a.schedule).is_empty());
}

#[test]
fn reaches_the_ft06_optimum() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let ft06 = root.join("instances/shared/benchmarks/jssp/ft06.txt");
    let p = takt::formats::read(ft06.to_str().unwrap(), None).unwrap();
    let out = search(&p, &cfg(20_000, 1, 1)).unwrap();
    // Fisher & Thompson's 6x6 instance: optimum 55 (bks.csv).
    assert_eq!(out.result.evaluation.value, 55.0);
    assert!(check(&p, &out.result.schedule).is_empty());
}

#[test]
fn an_external_stop_returns_the_best_so_far() {
    let g = takt::generate::generate(&takt::generate::GenConfig {
        jobs: 40,
        machines: 8,
        seed: 9,
        ..Default::default()
    });
    let p = takt::model::parse_instance(&g, "gen").unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let out = search(
        &p,
        &SearchConfig {
            time_limit: None,
            iterations: None,
            threads: 2,
            seed: 0,
            quiet: true,
            stop: Some(stop),
            stall: None,
            started: None,
        },
    )
    .unwrap();
    // Stopped before any iteration: the dispatching start is returned, valid.
    assert!(check(&p, &out.result.schedule).is_empty());
}

/// The time limit counts from `SearchConfig::started` (in the CLI, the command's start, so
/// that loading counts): a clock started longer ago than the limit leaves the search no time
/// on every path (general, with operators and materials, job shop, one machine) and the
/// rules' start comes back, valid; the same clock under a limit not yet reached leaves the
/// search its iterations. No wall time is measured: the clock is set back instead.
#[test]
fn the_time_limit_counts_from_the_clock_the_caller_started() {
    use common::files::shared_benchmark;
    use std::time::{Duration, Instant};
    let past = Instant::now()
        .checked_sub(Duration::from_secs(5))
        .expect("the monotonic clock started more than 5 s ago");
    let generated = takt::generate::generate(&takt::generate::GenConfig {
        jobs: 30,
        machines: 8,
        seed: 5,
        ..Default::default()
    });
    let instances = [
        (
            "general",
            takt::model::parse_instance(&generated, "gen").unwrap(),
        ),
        (
            "operators and materials",
            common::generated_with_secondary(2, 30),
        ),
        (
            "job shop",
            takt::formats::read(&shared_benchmark("jssp/ft10.txt"), None).unwrap(),
        ),
        (
            "one machine",
            takt::formats::read(&format!("{}#1", shared_benchmark("smwt/wt40.txt")), None).unwrap(),
        ),
    ];
    for (kind, p) in &instances {
        let spent = SearchConfig::limited(Some(Duration::from_secs(1)), None, None)
            .threads(2)
            .started(past);
        let out = search(p, &spent).unwrap();
        assert_eq!(
            out.iterations, 0,
            "{kind}: the limit was spent before the call"
        );
        assert!(check(p, &out.result.schedule).is_empty(), "{kind}");
        assert!(out.seconds >= 5.0, "{kind}: seconds count from the clock");

        let left = SearchConfig::limited(Some(Duration::from_secs(3600)), Some(300), None)
            .threads(1)
            .seed(1)
            .started(past);
        let out = search(p, &left).unwrap();
        assert!(out.iterations > 0, "{kind}: an hour's limit is not spent");
        assert!(check(p, &out.result.schedule).is_empty(), "{kind}");
    }
}

/// From `LANE_MIN_OPS` operations every thread serves one walk: with an iteration limit and a
/// seed, two threads return exactly the schedule one thread does (the lanes evaluate candidates,
/// the walk chooses as alone), with and without operators and materials; and it passes the
/// referee. Below that size two threads run two walks (a different schedule, in general).
#[test]
fn at_plant_scale_two_threads_walk_as_one_only_faster() {
    use takt::generate::{generate, GenConfig};
    use takt::solve::search::LANE_MIN_OPS;
    for (seed, operators, materials, iterations) in [(3, 0, false, 12), (4, 2, true, 4)] {
        let yaml = generate(&GenConfig {
            jobs: LANE_MIN_OPS / 4,
            machines: 16,
            plants: 2,
            seed,
            operators,
            materials,
            ..GenConfig::default()
        });
        let p = takt::model::parse_instance(&yaml, "generated.yaml").unwrap();
        assert!(
            p.ops().len() >= LANE_MIN_OPS,
            "{} operations",
            p.ops().len()
        );
        let one = search(&p, &cfg(iterations, 1, 9)).unwrap();
        let two = search(&p, &cfg(iterations, 2, 9)).unwrap();
        assert_eq!(one.iterations, iterations);
        assert_eq!(two.iterations, iterations);
        assert_eq!(one.result.schedule, two.result.schedule, "instance {seed}");
        let v = check(&p, &two.result.schedule);
        assert!(v.is_empty(), "{:?}", v.first().map(|v| &v.message));
        // The walk moved: the result is the search's, not the dispatching start.
        assert!(
            two.result.method.starts_with("local search"),
            "{}",
            two.result.method
        );
    }
}
