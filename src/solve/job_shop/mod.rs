//! A dedicated search for pure (flexible) job shops with a makespan objective: tabu search on
//! the disjunctive graph in the style of TSAB / i-TSAB (Nowicki & Smutnicki 1996, 2005) and
//! Zhang et al. (2007), with an elite pool and path relinking between elite solutions (Peng, Lü
//! & Cheng 2015).
//!
//! Instead of decoding every candidate through the placement engine, it keeps the heads and
//! tails of the current solution ([`graph`]), scores the critical-block moves from them in
//! O(block) ([`moves`]), and updates heads and tails exactly only for the move it takes
//! ([`tabu`]). It runs when [`qualifies`] says the engine's rules reduce to the graph: no
//! calendars, changeovers, pins, `not_before`, deadlines, secondary resources or baseline plan,
//! makespan the only objective term. The result goes through the decoder and evaluator like
//! every solver's, and threads meet at fixed iteration epochs (as in the one-machine search),
//! so that a run with `iterations` and a seed is reproducible whatever the thread timing.

mod elite;
mod graph;
mod incremental;
mod moves;
mod relink;
mod tabu;
mod walker;

use super::bound::{lower_bound, meets};
use super::search::{plain_makespan, SearchConfig, SearchOutcome};
use super::{finish, SolveError, SolveResult};
use crate::eval::Sequence;
use crate::model::Problem;
use graph::{Model, Solution, State};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};
use walker::Walker;

/// Tabu iterations per thread between two meetings of the threads.
const EPOCH: u64 = 1000;

/// Whether the instance is a plain (flexible) job shop with makespan as its only objective
/// term, small enough for the dense tabu tables.
pub fn qualifies(problem: &Problem) -> bool {
    !problem.ops.is_empty()
        && plain_makespan(problem)
        && problem
            .ops_by_machine
            .iter()
            .map(|v| v.len().pow(2))
            .sum::<usize>()
            <= tabu::MAX_PAIRS
}

/// Shared between the threads.
struct Shared {
    /// Best offered so far: (makespan, thread, solution).
    best: Option<(i64, usize, Solution)>,
    /// `best` as of the last epoch boundary, which every thread reads (a fast thread may offer
    /// its next epoch's best before a slow one has read this one).
    snapshot: Option<(i64, Solution)>,
    history: Vec<(f64, f64)>,
    finished: bool,
    stalled_epochs: u64,
    last_best: i64,
}

/// Runs the dedicated search on a problem that [`qualifies`], from `initial` (the dispatching
/// rules' best).
pub fn search(
    problem: &Problem,
    cfg: &SearchConfig,
    initial: SolveResult,
    started: Instant,
) -> Result<SearchOutcome, SolveError> {
    let model = Model::new(problem);
    let bound = lower_bound(problem).value;
    let weight = problem.objective.makespan;
    let value = |makespan: i64| weight * makespan as f64;
    let start = graph::from_sequence(&model, &initial.sequence)
        .and_then(|s| State::new(&model, &s))
        .expect("the rules' schedule is a feasible job shop sequence");
    let outcome = |result: SolveResult, history, iterations| {
        let optimal = result.evaluation.feasible() && meets(result.evaluation.value, bound);
        SearchOutcome {
            result,
            history,
            iterations,
            seconds: started.elapsed().as_secs_f64(),
            bound,
            optimal,
        }
    };
    let first = vec![(started.elapsed().as_secs_f64(), initial.evaluation.value)];
    if meets(initial.evaluation.value, bound) {
        return Ok(outcome(initial, first, 0));
    }
    let threads = cfg.threads.max(1);
    let deadline = cfg.time_limit.map(|t| started + t);
    let per_thread = cfg.iterations.map(|i| i.div_ceil(threads as u64));
    let total_iters = AtomicU64::new(0);
    let shared = Mutex::new(Shared {
        best: None,
        snapshot: None,
        history: first,
        finished: false,
        stalled_epochs: 0,
        last_best: i64::MAX,
    });
    let barrier = Barrier::new(threads);
    let stopped = || {
        cfg.stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed))
            || deadline.is_some_and(|d| Instant::now() >= d)
    };
    let best_bits = AtomicU64::new(initial.evaluation.value.to_bits());
    // A thread's new best: into the history when it beats every thread's. Meeting the bound
    // ends the search at the next epoch (at most EPOCH iterations later), not at once, so that
    // every thread runs the same iterations whatever the timing.
    let record = |v: f64| {
        if v < f64::from_bits(best_bits.load(Ordering::Relaxed)) {
            best_bits.store(v.to_bits(), Ordering::Relaxed);
            let mut sh = shared.lock().unwrap();
            sh.history.push((started.elapsed().as_secs_f64(), v));
        }
    };
    std::thread::scope(|s| {
        for t in 0..threads {
            let (model, start, shared, barrier, stopped, record) =
                (&model, &start, &shared, &barrier, &stopped, &record);
            let (total_iters, value) = (&total_iters, &value);
            s.spawn(move || {
                let mut w = Walker::new(model, start, cfg.seed, t);
                record(value(w.best.0));
                let mut iterations = 0u64;
                let mut last_print = Instant::now();
                loop {
                    for _ in 0..EPOCH {
                        if per_thread.is_some_and(|l| iterations >= l) || stopped() {
                            break;
                        }
                        if let Some(mk) = w.iterate() {
                            record(value(mk));
                        }
                        iterations += 1;
                        total_iters.fetch_add(1, Ordering::Relaxed);
                    }
                    {
                        let mut sh = shared.lock().unwrap();
                        if sh
                            .best
                            .as_ref()
                            .is_none_or(|(c, tt, _)| (w.best.0, t) < (*c, *tt))
                        {
                            sh.best = Some((w.best.0, t, w.best.1.clone()));
                        }
                    }
                    if barrier.wait().is_leader() {
                        let mut sh = shared.lock().unwrap();
                        let (c, _, sol) = sh.best.clone().expect("offered");
                        sh.snapshot = Some((c, sol));
                        sh.stalled_epochs = if c < sh.last_best {
                            0
                        } else {
                            sh.stalled_epochs + 1
                        };
                        sh.last_best = c;
                        let stalled = cfg
                            .stall
                            .is_some_and(|s| sh.stalled_epochs * EPOCH * threads as u64 >= s);
                        sh.finished = stopped()
                            || per_thread.is_some_and(|l| iterations >= l)
                            || meets(value(c), bound)
                            || stalled;
                        if !cfg.quiet && last_print.elapsed() >= Duration::from_secs(1) {
                            eprintln!(
                                "[{:6.1}s] best objective {:.2}  iterations {} (job shop)",
                                started.elapsed().as_secs_f64(),
                                value(c),
                                total_iters.load(Ordering::Relaxed)
                            );
                            last_print = Instant::now();
                        }
                    }
                    barrier.wait();
                    let sh = shared.lock().unwrap();
                    if sh.finished {
                        break;
                    }
                    if let Some((c, sol)) = &sh.snapshot {
                        w.adopt(*c, sol);
                    }
                }
            });
        }
    });
    let sh = shared.into_inner().unwrap();
    let (_, _, sol) = sh.best.expect("at least one epoch ran");
    let mut result = finish(
        problem,
        graph::to_sequence(problem, &model, &sol),
        String::new(),
    )?;
    if result.evaluation.value < initial.evaluation.value - 1e-9 {
        result.method = format!(
            "tabu search (job shop: N7, head/tail estimates, path relinking) from {}",
            initial.method
        );
    } else {
        result = initial.clone();
        result.method = format!(
            "{} (job shop tabu search found no improvement)",
            initial.method
        );
    }
    Ok(outcome(
        result,
        sh.history,
        total_iters.load(Ordering::Relaxed),
    ))
}

/// The dedicated search's own makespan of a sequence (its heads), for tests: it must equal the
/// evaluator's makespan of the decoded schedule. `None` when the problem does not qualify or the
/// sequence is not a feasible job shop solution.
pub fn own_makespan(problem: &Problem, sequence: &Sequence) -> Option<i64> {
    if !qualifies(problem) {
        return None;
    }
    let model = Model::new(problem);
    let sol = graph::from_sequence(&model, sequence)?;
    State::new(&model, &sol).map(|s| s.makespan)
}
