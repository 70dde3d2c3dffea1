//! The elite pool and the starts drawn from it: path relinking between two elite solutions
//! (Peng, Lü & Cheng 2015) and perturbation of one (i-TSAB's back jump to an elite solution).
//!
//! Both build a start from start-time keys: each operation takes its machine from one parent
//! (or the other), and every machine orders its operations by a blend of the parents' start
//! times (or by a start time plus noise). Sorting every machine by one global key that grows
//! along each routing gives an acyclic graph by construction, so every start is feasible.

use super::graph::{Model, Solution, State, NONE};
use super::relink::distance;
use rand::rngs::StdRng;
use rand::RngExt;

/// The best distinct solutions a thread has found, best first, kept apart: a solution within
/// `spread` disjunctive pairs of an elite one (same machines) takes its place only when better.
/// Without it the pool fills with near-copies of the best (at most a handful of pairs apart on
/// ta21) and relinking between them starts every run where the last one ended.
pub(crate) struct Elite {
    pub pool: Vec<(i64, Solution)>,
    capacity: usize,
    spread: usize,
}

impl Elite {
    pub fn new(capacity: usize, spread: usize) -> Elite {
        Elite {
            pool: Vec::with_capacity(capacity + 1),
            capacity,
            spread,
        }
    }

    /// Offers a solution; kept when it is new and better than the worst of a full pool, or
    /// better than the elite solution it is close to.
    pub fn offer(&mut self, model: &Model, makespan: i64, sol: &Solution) {
        if self.pool.iter().any(|(c, s)| *c == makespan && s == sol) {
            return;
        }
        let near = self.pool.iter().position(|(_, s)| {
            self.spread > 0 && s.mode == sol.mode && distance(model, s, sol) < self.spread
        });
        if let Some(k) = near {
            if makespan >= self.pool[k].0 {
                return;
            }
            self.pool.remove(k);
        } else if self.pool.len() >= self.capacity
            && self.pool.last().is_some_and(|(c, _)| makespan >= *c)
        {
            return;
        }
        let at = self.pool.partition_point(|(c, _)| *c <= makespan);
        self.pool.insert(at, (makespan, sol.clone()));
        self.pool.truncate(self.capacity);
    }
}

/// Orders every machine's operations by `key` (ties by operation index, which grows along a
/// routing), after making the keys non-decreasing along each routing.
fn by_keys(model: &Model, mode: Vec<u32>, key: &mut [f64]) -> Solution {
    for o in 0..model.ops() {
        let jp = model.jp[o];
        if jp != NONE && key[o] < key[jp as usize] {
            key[o] = key[jp as usize];
        }
    }
    let mut seq = vec![Vec::new(); model.machines];
    for (o, &k) in mode.iter().enumerate() {
        seq[model.modes[o][k as usize].0 as usize].push(o as u32);
    }
    for s in &mut seq {
        s.sort_by(|&a, &b| key[a as usize].total_cmp(&key[b as usize]).then(a.cmp(&b)));
    }
    Solution { mode, seq }
}

/// A solution between `a` and `b`: each operation keeps `a`'s machine with probability
/// `lambda`, and machines order by `lambda·start_a + (1 − lambda)·start_b`.
pub(crate) fn relink(
    model: &Model,
    a: &State,
    b: &State,
    lambda: f64,
    rng: &mut StdRng,
) -> Solution {
    let mode = (0..model.ops())
        .map(|o| {
            if rng.random_bool(lambda) {
                a.mode[o]
            } else {
                b.mode[o]
            }
        })
        .collect();
    let mut key: Vec<f64> = (0..model.ops())
        .map(|o| lambda * a.r[o] as f64 + (1.0 - lambda) * b.r[o] as f64)
        .collect();
    by_keys(model, mode, &mut key)
}

/// `a` with its start times jittered by up to `amplitude` minutes, and with probability
/// `reassign` each operation of several modes on a random one.
pub(crate) fn perturb(
    model: &Model,
    a: &State,
    amplitude: f64,
    reassign: f64,
    rng: &mut StdRng,
) -> Solution {
    let mode = (0..model.ops())
        .map(|o| {
            let n = model.modes[o].len();
            if n > 1 && rng.random_bool(reassign) {
                rng.random_range(0..n) as u32
            } else {
                a.mode[o]
            }
        })
        .collect();
    let mut key: Vec<f64> = (0..model.ops())
        .map(|o| a.r[o] as f64 + rng.random_range(0.0..=amplitude))
        .collect();
    by_keys(model, mode, &mut key)
}
