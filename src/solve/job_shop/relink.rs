//! Path relinking by adjacent swaps (Peng, Lü & Cheng 2015) for solutions that put every
//! operation on the same machine: the walk from an initiating solution towards a guiding one
//! reverses, one at a time, adjacent pairs that the guide orders the other way, so that each
//! step brings the walk one disjunctive pair closer to the guide. The next tabu run starts from
//! the best solution between a quarter and a half of the way: far enough from the initiating
//! solution to leave its basin, near enough to keep what both have in common.
//!
//! A reversed pair is taken only when [`moves::shift_safe`] says it keeps the graph acyclic, and
//! heads and tails follow each step incrementally, so every solution on the path is feasible.

use super::graph::{Model, Solution, State};
use super::moves::{self, Move};
use rand::rngs::StdRng;
use rand::RngExt;

/// Each operation's index in its machine's sequence.
fn positions(model: &Model, sol: &Solution) -> Vec<u32> {
    let mut pos = vec![0; model.ops()];
    for seq in &sol.seq {
        for (i, &o) in seq.iter().enumerate() {
            pos[o as usize] = i as u32;
        }
    }
    pos
}

/// Disjunctive pairs ordered differently by `a` and `b` (which must put every operation on the
/// same machine): the number of adjacent reversals a path from one to the other takes.
pub(crate) fn distance(model: &Model, a: &Solution, b: &Solution) -> usize {
    let pb = positions(model, b);
    a.seq
        .iter()
        .map(|seq| {
            let mut d = 0;
            for (i, &u) in seq.iter().enumerate() {
                for &v in &seq[i + 1..] {
                    d += usize::from(pb[u as usize] > pb[v as usize]);
                }
            }
            d
        })
        .sum()
}

/// The best solution (by makespan, the first among ties) on a path of random adjacent
/// reversals from `a` towards `guide`, among those between `near`·d and `far`·d steps from `a`
/// (d their distance); `None` when they are closer than 4 reversals.
pub(crate) fn walk(
    model: &Model,
    a: &State,
    guide: &Solution,
    (near, far): (f64, f64),
    rng: &mut StdRng,
) -> Option<Solution> {
    let pg = positions(model, guide);
    let d = distance(model, &a.solution(), guide);
    if d < 4 {
        return None;
    }
    let lo = ((d as f64 * near) as usize).max(1);
    let hi = ((d as f64 * far) as usize).max(lo);
    let mut s = a.clone();
    let mut best: Option<(i64, Solution)> = None;
    let mut cands: Vec<(u32, u32)> = Vec::new();
    for step in 1..=hi {
        cands.clear();
        for (m, seq) in s.seq.iter().enumerate() {
            for i in 1..seq.len() {
                let (u, v) = (seq[i - 1], seq[i]);
                if pg[u as usize] > pg[v as usize]
                    && moves::shift_safe(model, &s, m as u32, i as u32 - 1, i as u32)
                {
                    cands.push((m as u32, i as u32 - 1));
                }
            }
        }
        let Some(&(m, i)) = cands.get(rng.random_range(0..cands.len().max(1))) else {
            break;
        };
        let u = moves::apply(
            model,
            &mut s,
            Move::Shift {
                m,
                from: i,
                to: i + 1,
            },
        );
        if !s.update_shift(model, m, i, i + 1) {
            // A cycle (possible only with zero durations): the path ends here.
            moves::undo(model, &mut s, u);
            let ok = s.recompute(model);
            debug_assert!(ok, "undoing a reversal restores an acyclic graph");
            break;
        }
        if step >= lo && best.as_ref().is_none_or(|(c, _)| s.makespan < *c) {
            best = Some((s.makespan, s.solution()));
        }
    }
    best.map(|(_, sol)| sol)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_instance;
    use rand::SeedableRng;
    use std::fmt::Write;

    /// A random job shop (every job visits every machine once, in a random order) and two
    /// solutions ordering every machine by random job priorities (acyclic: a machine arc never
    /// goes from a later job back to an earlier one).
    fn shop(seed: u64, jobs: usize, machines: usize) -> (Model, Solution, Solution) {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut y = String::new();
        writeln!(
            y,
            "name: relink-{seed}\nhorizon: {{start: 2026-03-02T07:00}}"
        )
        .unwrap();
        writeln!(
            y,
            "objective: {{makespan: 1}}\nplants: [{{id: p1}}]\nmachines:"
        )
        .unwrap();
        for m in 0..machines {
            writeln!(y, "  - {{id: M{m}, plant: p1}}").unwrap();
        }
        writeln!(y, "jobs:").unwrap();
        let mut job_of = Vec::new();
        for j in 0..jobs {
            writeln!(y, "  - id: J{j}\n    operations:").unwrap();
            let mut route: Vec<usize> = (0..machines).collect();
            for k in (1..machines).rev() {
                route.swap(k, rng.random_range(0..=k));
            }
            for (k, m) in route.into_iter().enumerate() {
                let d = rng.random_range(1..20);
                writeln!(y, "      - {{id: o{k}, machines: {{M{m}: {d}}}}}").unwrap();
                job_of.push(j);
            }
        }
        let model = Model::new(&parse_instance(&y, "relink.yaml").unwrap());
        let by_priority = |rng: &mut StdRng| {
            let prio: Vec<u64> = (0..jobs).map(|_| rng.random()).collect();
            let mut seq = vec![Vec::new(); machines];
            for o in 0..model.ops() {
                seq[model.modes[o][0].0 as usize].push(o as u32);
            }
            for ops in &mut seq {
                ops.sort_by_key(|&o| prio[job_of[o as usize]]);
            }
            Solution {
                mode: vec![0; model.ops()],
                seq,
            }
        };
        let a = by_priority(&mut rng);
        let b = by_priority(&mut rng);
        (model, a, b)
    }

    #[test]
    fn walk_stays_feasible_and_approaches_the_guide() {
        for seed in 0..30 {
            let (model, a, b) = shop(seed, 8, 5);
            let d = distance(&model, &a, &b);
            assert_eq!(d, distance(&model, &b, &a), "distance is symmetric");
            let sa = State::new(&model, &a).expect("priority orders are acyclic");
            let mut rng = StdRng::seed_from_u64(seed);
            let Some(mid) = walk(&model, &sa, &b, (0.25, 0.5), &mut rng) else {
                assert!(d < 4, "a path exists between distinct solutions (d = {d})");
                continue;
            };
            let s = State::new(&model, &mid).expect("every solution on the path is acyclic");
            let (da, db) = (distance(&model, &a, &mid), distance(&model, &mid, &b));
            // Each reversal moves one pair: a quarter to a half of the way, when no reversal
            // was blocked (the path then ends early, still between the two).
            assert_eq!(da + db, d, "the path solution lies between a and b");
            assert!(da >= d / 4 && da <= d / 2, "da {da} of d {d}");
            assert!(s.makespan > 0);
        }
    }

    /// A near copy of an elite solution takes its place only when better; a distant one joins.
    #[test]
    fn elite_pool_keeps_solutions_apart() {
        use super::super::elite::Elite;
        let (model, a, b) = shop(7, 8, 5);
        let sa = State::new(&model, &a).unwrap();
        let mut rng = StdRng::seed_from_u64(7);
        // One reversal away from `a`.
        let near = walk(&model, &sa, &b, (0.0, 0.0), &mut rng).expect("a and b differ");
        assert_eq!(distance(&model, &a, &near), 1);
        assert!(distance(&model, &a, &b) >= 4);
        let mut pool = Elite::new(4, 4);
        pool.offer(&model, 100, &a);
        pool.offer(&model, 100, &near);
        assert_eq!(pool.pool.len(), 1, "a near copy no better stays out");
        assert!(pool.pool[0].1 == a);
        pool.offer(&model, 99, &near);
        assert_eq!(pool.pool.len(), 1, "a better near copy replaces");
        assert!(pool.pool[0].1 == near && pool.pool[0].0 == 99);
        pool.offer(&model, 120, &b);
        assert_eq!(pool.pool.len(), 2, "a distant solution joins, even worse");
    }
}
