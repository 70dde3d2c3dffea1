//! The search with exact rules in the background: an offered schedule that is better is
//! adopted and the result is never worse; the runs with an iteration limit stay reproducible.

use super::*;
use crate::solve::dispatch::{self, Rule};
use crate::solve::test_support::{assert_valid, limits, with_secondary};

/// The instances here: [`with_secondary`] on 8 machines, the generator's seed 1.
const MACHINES: usize = 8;
const SEED: u64 = 1;

fn iterations(n: u64, threads: usize) -> SearchConfig {
    SearchConfig::limited(None, Some(n), None)
        .threads(threads)
        .seed(7)
}

/// The worst blind rule's schedule as the start, the best exact rule's offered before the
/// first meeting: the search adopts it (its method says so) and ends no worse than it.
#[test]
fn a_better_offered_schedule_is_adopted_and_the_result_is_never_worse() {
    let p = with_secondary(80, MACHINES, SEED);
    let blind: Vec<SolveResult> = Rule::ALL
        .iter()
        .map(|&r| {
            finish(
                &p,
                dispatch::construct_blind(&p, r),
                format!("blind {}", r.name()),
            )
            .unwrap()
        })
        .collect();
    let worst = blind
        .iter()
        .max_by(|a, b| a.evaluation.value.total_cmp(&b.evaluation.value))
        .unwrap()
        .clone();
    let exact = super::super::rules::run_all(&p).unwrap();
    assert!(exact.evaluation.better_than(&worst.evaluation));
    let offered = exact.evaluation.value;
    for threads in [1, 2] {
        let bg = Background::new(1);
        bg.offer(exact.clone());
        let out = search_with(
            &p,
            &iterations(3 * EPOCH * threads as u64, threads),
            worst.clone(),
            Instant::now(),
            Some(&bg),
        )
        .unwrap();
        assert_valid(&p, &out.result.schedule);
        assert!(out.result.evaluation.value <= offered, "{threads} threads");
        assert!(
            out.result
                .method
                .contains("(exact, finished in the background)"),
            "{}",
            out.result.method
        );
        assert!(out.history.iter().any(|&(_, v)| v == offered));
        assert!(bg.take().is_none(), "the offer was taken");
    }
}

/// An offer no better than the threads' best is not adopted: the search goes on from its own.
#[test]
fn a_worse_offered_schedule_is_not_adopted() {
    let p = with_secondary(60, MACHINES, SEED);
    let exact = super::super::rules::run_all(&p).unwrap();
    let mut worse = finish(
        &p,
        dispatch::construct_blind(&p, Rule::Mwkr),
        "blind".into(),
    )
    .unwrap();
    if !exact.evaluation.better_than(&worse.evaluation) {
        worse = exact.clone();
    }
    let bg = Background::new(1);
    bg.offer(worse);
    let cfg = iterations(2 * EPOCH, 1);
    let with = search_with(&p, &cfg, exact.clone(), Instant::now(), Some(&bg)).unwrap();
    let without = search_with(&p, &cfg, exact, Instant::now(), None).unwrap();
    assert!(
        !with.result.method.contains("background"),
        "{}",
        with.result.method
    );
    assert_eq!(with.result.schedule, without.result.schedule);
}

/// With an iteration limit and no time limit every exact rule runs before the search (no
/// background): the same seed gives the same schedule, also with two threads.
#[test]
fn an_iteration_limit_stays_reproducible_with_secondary_resources() {
    let p = with_secondary(60, MACHINES, SEED);
    let cfg = iterations(4 * EPOCH, 2);
    let a = search(&p, &cfg).unwrap();
    let b = search(&p, &cfg).unwrap();
    assert_valid(&p, &a.result.schedule);
    assert_eq!(a.result.schedule, b.result.schedule);
    assert_eq!(a.result.evaluation.value, b.result.evaluation.value);
    assert!(
        !a.result.method.contains("resource-blind"),
        "{}",
        a.result.method
    );
}

/// Under a time limit the search starts from the best blind rule and the result, whatever
/// the timing, is valid and no worse than that start.
#[test]
fn a_time_limit_starts_from_the_blind_rules_and_returns_a_valid_schedule() {
    let p = with_secondary(80, MACHINES, SEED);
    let cfg = SearchConfig::limited(Some(Duration::from_millis(400)), None, None)
        .threads(2)
        .seed(1);
    let blind = run_blind_rules(&p, &limits(&|| false, 2)).unwrap();
    let out = search(&p, &cfg).unwrap();
    assert_valid(&p, &out.result.schedule);
    assert!(out.result.evaluation.value <= blind.result.evaluation.value);
}
