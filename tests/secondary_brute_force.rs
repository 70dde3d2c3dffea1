//! Brute force with one shared resource (capacity varying over time, with an alternative) and
//! one material (initial stock, a receipt, production by a job) on tiny instances.
//!
//! The optimum comes from an exhaustive enumeration written here, independent of the decoder:
//! every machine choice, every resource choice and every integer start time up to a horizon that
//! cannot cut off an optimal schedule, checked minute by minute. Then:
//! 1. the best over every decoder sequence (assignment × machine orders × priority orders) equals
//!    that optimum: the priority decoder can represent an optimal schedule (serial schedule
//!    generation over all priority orders reaches one for objectives that never reward waiting);
//! 2. the local search (from its dispatch start, fixed seed and iteration budget) finds it.

mod common;
use common::{fixed_iterations, permutations};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::fmt::Write;
use takt::eval::{Decoder, Sequence};
use takt::model::{parse_instance, MachineId, OpId, Problem};

/// What the test knows about the instance, independently of `Problem`.
struct Spec {
    /// Capacity of R1: `base`, or `exc_cap` in `[exc_from, exc_to)`.
    r1: (u32, i64, i64, u32),
    stock: f64,
    receipt: (i64, f64),
}

fn instance(seed: u64) -> Option<(Problem, Spec)> {
    let mut r = StdRng::seed_from_u64(seed);
    let mut y = String::new();
    writeln!(y, "name: secondary-{seed}").unwrap();
    writeln!(y, "horizon: {{start: 2026-11-23T06:00}}").unwrap();
    writeln!(
        y,
        "objective: {{weighted_tardiness: {}, makespan: {}, flow_time: {}}}",
        r.random_range(1..4),
        r.random_range(0..3),
        r.random_range(0..2)
    )
    .unwrap();
    writeln!(y, "plants: [{{id: p}}]").unwrap();
    let base = r.random_range(1..3u32);
    let exc_from = r.random_range(0..6i64);
    let exc_to = exc_from + r.random_range(1..5i64);
    let exc_cap = r.random_range(0..3u32);
    writeln!(y, "resources:").unwrap();
    writeln!(
        y,
        "  - {{id: R1, capacity: {base}, exceptions: [{{from: {exc_from}, to: {exc_to}, capacity: {exc_cap}}}]}}"
    )
    .unwrap();
    writeln!(y, "  - {{id: R2, capacity: 1}}").unwrap();
    let stock = r.random_range(0..2) as f64;
    let receipt = (r.random_range(1..8i64), r.random_range(1..3) as f64);
    writeln!(
        y,
        "items: [{{id: X, stock: {stock}, receipts: [{{at: {}, qty: {}}}]}}]",
        receipt.0, receipt.1
    )
    .unwrap();
    writeln!(y, "machines: [{{id: M0, plant: p}}, {{id: M1, plant: p}}]").unwrap();
    writeln!(y, "jobs:").unwrap();
    let mut ops = 0;
    let n_jobs = r.random_range(2..=3);
    for j in 0..n_jobs {
        writeln!(y, "  - id: J{j}").unwrap();
        writeln!(y, "    release: {}", r.random_range(0..3)).unwrap();
        writeln!(y, "    due: {}", r.random_range(2..10)).unwrap();
        writeln!(y, "    weight: {}", r.random_range(1..4)).unwrap();
        if r.random_bool(0.3) {
            writeln!(y, "    produce: {{X: 1}}").unwrap();
        }
        writeln!(y, "    operations:").unwrap();
        let k = if ops + 2 <= 4 && r.random_bool(0.4) {
            2
        } else {
            1
        };
        for o in 0..k {
            ops += 1;
            let machines = if r.random_bool(0.4) {
                format!(
                    "{{M0: {}, M1: {}}}",
                    r.random_range(1..4),
                    r.random_range(1..4)
                )
            } else {
                format!("{{M{}: {}}}", r.random_range(0..2), r.random_range(1..4))
            };
            let mut extra = String::new();
            match r.random_range(0..5) {
                0 | 1 => extra.push_str(", require: [{resource: R1}]"),
                2 => extra.push_str(", require: [{one_of: [R1, R2]}]"),
                _ => {}
            }
            if r.random_bool(0.35) {
                extra.push_str(", consume: {X: 1}");
            }
            writeln!(y, "      - {{id: o{o}, machines: {machines}{extra}}}").unwrap();
        }
        if ops >= 4 {
            break;
        }
    }
    if std::env::var("SHOW_SEED").is_ok_and(|v| v == seed.to_string()) {
        eprintln!("{y}");
    }
    // Supply below demand is a validation error: such seeds are skipped.
    let p = parse_instance(&y, "secondary.yaml").ok()?;
    Some((
        p,
        Spec {
            r1: (base, exc_from, exc_to, exc_cap),
            stock,
            receipt,
        },
    ))
}

fn r1_capacity(spec: &Spec, t: i64) -> u32 {
    let (base, a, b, c) = spec.r1;
    if a <= t && t < b {
        c
    } else {
        base
    }
}

/// Exhaustive optimum over machine choice, resource choice and start times.
struct Naive<'a> {
    p: &'a Problem,
    spec: &'a Spec,
    horizon: i64,
    /// Per op: (machine, start, end, resource index in `R1`=0/`R2`=1 or none).
    chosen: Vec<(usize, i64, i64, Option<usize>)>,
    best: f64,
    best_at: Vec<(usize, i64, i64, Option<usize>)>,
}

impl Naive<'_> {
    fn cap(&self, r: usize, t: i64) -> u32 {
        if r == 0 {
            r1_capacity(self.spec, t)
        } else {
            1
        }
    }

    fn resources_ok(&self) -> bool {
        for r in 0..2 {
            for t in 0..self.horizon + 4 {
                let used = self
                    .chosen
                    .iter()
                    .filter(|c| c.3 == Some(r) && c.1 <= t && t < c.2)
                    .count() as u32;
                if used > self.cap(r, t) {
                    return false;
                }
            }
        }
        true
    }

    fn leaf(&mut self) {
        let p = self.p;
        // Stock at every instant: receipts, consumption at starts, production at completion.
        let mut events: Vec<(i64, f64)> = vec![(self.spec.receipt.0, self.spec.receipt.1)];
        for (o, op) in p.ops().iter().enumerate() {
            if !op.consume.is_empty() {
                events.push((self.chosen[o].1, -1.0));
            }
        }
        for job in p.jobs() {
            if !job.produce.is_empty() {
                events.push((self.chosen[job.last_op().idx()].2, 1.0));
            }
        }
        let mut times: Vec<i64> = events.iter().map(|e| e.0).collect();
        times.sort_unstable();
        for &t in &times {
            let s: f64 =
                self.spec.stock + events.iter().filter(|e| e.0 <= t).map(|e| e.1).sum::<f64>();
            if s < -1e-9 {
                return;
            }
        }
        let w = &p.objective();
        let mut value = 0.0;
        let mut makespan = 0;
        for job in p.jobs() {
            let c = self.chosen[job.last_op().idx()].2;
            makespan = makespan.max(c);
            value += w.flow_time * job.weight * (c - job.release) as f64;
            if let Some(d) = job.due {
                value += w.weighted_tardiness * job.weight * (c - d).max(0) as f64;
            }
        }
        value += w.makespan * makespan as f64;
        if value < self.best {
            self.best = value;
            self.best_at = self.chosen.clone();
        }
    }

    fn dfs(&mut self, o: usize) {
        let p = self.p;
        if o == p.ops().len() {
            self.leaf();
            return;
        }
        let op = &p.ops()[o];
        let mut lb = p.jobs()[op.job.idx()].release;
        if op.index > 0 {
            lb = lb.max(self.chosen[o - 1].2);
        }
        let options: Vec<Option<usize>> = match op.require.first() {
            None => vec![None],
            Some(req) => req.options.iter().map(|r| Some(r.idx())).collect(),
        };
        for mode in &op.modes {
            let m = mode.machine.idx();
            for s in lb..=self.horizon {
                let e = s + mode.duration;
                let clash = self.chosen[..o]
                    .iter()
                    .any(|c| c.0 == m && c.1 < e && s < c.2);
                if clash {
                    continue;
                }
                for &res in &options {
                    self.chosen[o] = (m, s, e, res);
                    self.chosen.truncate(o + 1);
                    self.chosen
                        .resize(p.ops().len(), (usize::MAX, i64::MIN, i64::MIN, None));
                    if res.is_some() && !self.resources_ok() {
                        continue;
                    }
                    self.dfs(o + 1);
                }
            }
        }
    }
}

/// Every sequence with every priority order.
fn for_each_prioritised_sequence(p: &Problem, f: &mut dyn FnMut(&Sequence)) {
    let all: Vec<OpId> = (0..p.ops().len() as u32).map(OpId).collect();
    let orders = permutations(&all);
    common::for_each_sequence(p, &mut |seq| {
        for order in &orders {
            let mut s = seq.clone();
            s.priority = vec![0; p.ops().len()];
            for (k, o) in order.iter().enumerate() {
                s.priority[o.idx()] = k as u32;
            }
            f(&s);
        }
    });
}

#[test]
fn priority_decoder_and_search_reach_the_exhaustive_optimum() {
    let mut checked = 0;
    let mut with_both = 0;
    for seed in 0..400u64 {
        let Some((p, spec)) = instance(seed) else {
            continue;
        };
        assert!(p.has_secondary() || p.ops().iter().all(|o| o.require.is_empty()));
        let total: i64 = p
            .ops()
            .iter()
            .map(|o| o.modes.iter().map(|m| m.duration).max().unwrap())
            .sum();
        // No optimal start is later than every release, receipt and capacity change plus all
        // the work: a semi-active schedule never waits beyond those.
        let horizon = total + 3 + spec.receipt.0.max(spec.r1.2);
        let mut naive = Naive {
            p: &p,
            spec: &spec,
            horizon,
            chosen: vec![(usize::MAX, i64::MIN, i64::MIN, None); p.ops().len()],
            best: f64::INFINITY,
            best_at: Vec::new(),
        };
        naive.dfs(0);
        let mut dec = Decoder::new(&p);
        let mut best_decoder = f64::INFINITY;
        for_each_prioritised_sequence(&p, &mut |seq| {
            if dec.decode(&p, seq).is_ok() {
                best_decoder = best_decoder.min(dec.evaluate(&p).value);
            }
        });
        if naive.best.is_infinite() {
            assert!(
                best_decoder.is_infinite(),
                "seed {seed}: decoder finds a schedule where none exists"
            );
            continue;
        }
        checked += 1;
        if p.ops().iter().any(|o| !o.require.is_empty())
            && p.ops().iter().any(|o| !o.consume.is_empty())
        {
            with_both += 1;
        }
        assert!(
            (best_decoder - naive.best).abs() < 1e-6,
            "seed {seed}: best over decoder sequences {best_decoder} != exhaustive optimum {} at {:?}",
            naive.best, naive.best_at
        );
        let out = takt::solve::search::search(&p, &fixed_iterations(3000, 1, 7))
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert!(
            (out.result.evaluation.value - naive.best).abs() < 1e-6,
            "seed {seed}: local search {} != exhaustive optimum {}",
            out.result.evaluation.value,
            naive.best
        );
        let _ = MachineId(0);
    }
    eprintln!("{checked} instances checked, {with_both} with a resource and a material");
    assert!(checked >= 100, "too few instances checked: {checked}");
    assert!(
        with_both >= 20,
        "too few instances with a resource and a material: {with_both}"
    );
}
