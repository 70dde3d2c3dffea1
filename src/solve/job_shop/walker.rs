//! One thread's search: tabu runs that end after `patience` iterations without improving
//! their best, each offered to the thread's elite pool, the next one started from a path
//! relinking between two elite solutions (by adjacent reversals on a job shop, by start-time
//! keys on a flexible one) or from a perturbed elite solution.
//!
//! The thread advances one tabu iteration per [`Walker::iterate`], so that the caller can stop
//! at any iteration count (epochs, `--iterations`) and the run is reproducible.

use super::elite::{perturb, relink, Elite};
use super::graph::{Model, Solution, State};
use super::relink::walk;
use super::tabu::Search;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// How a thread runs on a job shop (every operation on one machine) and on a flexible one.
///
/// Job shop: runs of 10 iterations per operation without improvement, 16 elite solutions at
/// least a tenth of the operations (in reversed disjunctive pairs) apart, and relinking by
/// adjacent reversals ([`walk`]). At 10⁶ iterations, 1 thread, 3 seeds on ten hard Taillard
/// (ta15, 17, 18, 20, 21, 22, 24, 26, 29, 37) the mean gap goes 1.93 % → 1.18 %; patience 10
/// alone gives 1.58 %. Flexible job shop: the earlier settings (patience 4 per operation, 8
/// elites, no spread, relinking by start-time keys), which the same change made worse on mk07.
struct Settings {
    patience_per_op: u64,
    elite: usize,
    /// Minimum distance between elite solutions, in percent of the operations.
    spread_pct: usize,
}

const JOB_SHOP: Settings = Settings {
    patience_per_op: 10,
    elite: 16,
    spread_pct: 10,
};

const FLEXIBLE: Settings = Settings {
    patience_per_op: 4,
    elite: 8,
    spread_pct: 0,
};

pub(crate) struct Walker<'a> {
    model: &'a Model,
    search: Search,
    elite: Elite,
    rng: StdRng,
    cur: State,
    run_best: (i64, Solution),
    since: u64,
    /// Iterations without improving the run's best that end a run (see [`Settings`]).
    patience: u64,
    /// Mean duration over all modes: the scale of a perturbation.
    mean_p: f64,
    /// The thread's best.
    pub best: (i64, Solution),
}

impl<'a> Walker<'a> {
    /// Thread `thread` of a search from `start`: the first thread starts there, the others
    /// from perturbed copies (diverse seeds).
    pub fn new(model: &'a Model, start: &State, seed: u64, thread: usize) -> Walker<'a> {
        let mut rng =
            StdRng::seed_from_u64(seed ^ (thread as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let all: Vec<i64> = model.modes.iter().flatten().map(|&(_, d)| d).collect();
        let mean_p = all.iter().sum::<i64>() as f64 / all.len().max(1) as f64;
        let cur = if thread == 0 {
            start.clone()
        } else {
            let sol = perturb(model, start, 2.0 * mean_p, 0.1, &mut rng);
            State::new(model, &sol).expect("keys give an acyclic graph")
        };
        let n = model.ops() as u64;
        let set = if model.flexible() {
            &FLEXIBLE
        } else {
            &JOB_SHOP
        };
        Walker {
            model,
            search: Search::new(model),
            elite: Elite::new(set.elite, n as usize * set.spread_pct / 100),
            rng,
            run_best: (cur.makespan, cur.solution()),
            best: (cur.makespan, cur.solution()),
            cur,
            since: 0,
            patience: (set.patience_per_op * n).max(1000),
            mean_p,
        }
    }

    /// One tabu iteration (or the start of the next run); the new thread best, if any.
    pub fn iterate(&mut self) -> Option<i64> {
        if self.since >= self.patience
            || !self
                .search
                .step(self.model, &mut self.cur, self.run_best.0, &mut self.rng)
        {
            self.next_run();
        } else {
            self.since += 1;
        }
        if self.cur.makespan < self.run_best.0 {
            self.run_best = (self.cur.makespan, self.cur.solution());
            self.since = 0;
        }
        if self.run_best.0 < self.best.0 {
            self.best = self.run_best.clone();
            return Some(self.best.0);
        }
        None
    }

    /// Takes a solution found by another thread into the elite pool.
    pub fn adopt(&mut self, makespan: i64, sol: &Solution) {
        if makespan < self.best.0 {
            self.best = (makespan, sol.clone());
        }
        self.elite.offer(self.model, makespan, sol);
    }

    fn state(&self, sol: &Solution) -> State {
        State::new(self.model, sol).expect("elite solutions are acyclic")
    }

    /// Ends the current run and starts the next.
    fn next_run(&mut self) {
        self.elite
            .offer(self.model, self.run_best.0, &self.run_best.1);
        let pool = &self.elite.pool;
        let sol = if pool.len() < 3 || self.rng.random_bool(0.2) {
            // Back to an elite solution (the best, mostly), shaken.
            let k = if self.rng.random_bool(0.7) {
                0
            } else {
                self.rng.random_range(0..pool.len())
            };
            let a = self.state(&pool[k].1);
            let amp = self.rng.random_range(0.5..3.0) * self.mean_p;
            perturb(self.model, &a, amp, 0.05, &mut self.rng)
        } else {
            // Path relinking: a point between two elite solutions (one the best, half the time).
            let i = if self.rng.random_bool(0.5) {
                0
            } else {
                self.rng.random_range(0..pool.len())
            };
            let mut j = self.rng.random_range(0..pool.len() - 1);
            if j >= i {
                j += 1;
            }
            let a = self.state(&pool[i].1);
            let walked = if self.model.flexible() {
                None
            } else {
                walk(self.model, &a, &pool[j].1, (0.25, 0.5), &mut self.rng)
            };
            match walked {
                Some(sol) => sol,
                None => {
                    let b = self.state(&pool[j].1);
                    let lambda = self.rng.random_range(0.3..0.7);
                    relink(self.model, &a, &b, lambda, &mut self.rng)
                }
            }
        };
        self.cur = self.state(&sol);
        self.search.restart();
        self.since = 0;
        self.run_best = (self.cur.makespan, self.cur.solution());
    }
}
