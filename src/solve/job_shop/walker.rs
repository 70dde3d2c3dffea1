//! One thread's search: tabu runs that end after `patience` iterations without improving
//! their best, each offered to the thread's elite pool, the next one started from a path
//! relinking between two elite solutions or from a perturbed elite solution.
//!
//! The thread advances one tabu iteration per [`Walker::iterate`], so that the caller can stop
//! at any iteration count (epochs, `--iterations`) and the run is reproducible.

use super::elite::{perturb, relink, Elite};
use super::graph::{Model, Solution, State};
use super::tabu::Search;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Elite solutions each thread keeps.
const ELITE: usize = 8;

pub(crate) struct Walker<'a> {
    model: &'a Model,
    search: Search,
    elite: Elite,
    rng: StdRng,
    cur: State,
    run_best: (i64, Solution),
    since: u64,
    /// Iterations without improving the run's best that end a run: 4 per operation (better
    /// than 10 or 30 on ta11, ta21 and ta37 at a fixed budget of 10⁶ iterations).
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
        Walker {
            model,
            search: Search::new(model),
            elite: Elite::new(ELITE),
            rng,
            run_best: (cur.makespan, cur.solution()),
            best: (cur.makespan, cur.solution()),
            cur,
            since: 0,
            patience: (4 * n).max(1000),
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
        self.elite.offer(makespan, sol);
    }

    fn state(&self, sol: &Solution) -> State {
        State::new(self.model, sol).expect("elite solutions are acyclic")
    }

    /// Ends the current run and starts the next.
    fn next_run(&mut self) {
        self.elite.offer(self.run_best.0, &self.run_best.1);
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
            let (a, b) = (self.state(&pool[i].1), self.state(&pool[j].1));
            let lambda = self.rng.random_range(0.3..0.7);
            relink(self.model, &a, &b, lambda, &mut self.rng)
        };
        self.cur = self.state(&sol);
        self.search.restart();
        self.since = 0;
        self.run_best = (self.cur.makespan, self.cur.solution());
    }
}
