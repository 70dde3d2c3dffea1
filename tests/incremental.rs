//! Incremental evaluation equals a full decode: over random instances with calendars, plants
//! and transfers, changeovers, atomic and zero-length operations, releases, pins, `not_before`,
//! hard deadlines and a rescheduling baseline, random moves (shifts and reassignments, pinned
//! operations included) are re-timed incrementally and compared, operation by operation and
//! term by term, with a fresh full decode of the same sequence, after every move and after
//! every undo. The decoder's order must stay topological.

mod common;

use common::{random_instance, random_sequence, GenOptions};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use takt::eval::{Decoder, Incremental, Resumer, Sequence};
use takt::formats::to_raw;
use takt::generate::{generate, GenConfig};
use takt::model::parse_instance;
use takt::model::raw::RawPin;
use takt::model::time::RawInstant;
use takt::model::validate::validate;
use takt::model::{MachineId, OpId, Problem, Stability};
use takt::solve::dispatch::{construct, Rule};
use takt::solve::neighbourhood::Move;

/// `plain` with some operations pinned where `seq` puts them, some `not_before` bounds and
/// some hard deadlines; `None` when validation refuses it.
fn with_pins_and_bounds(plain: &Problem, seq: &Sequence, r: &mut StdRng) -> Option<Problem> {
    let mut dec = Decoder::new(plain);
    dec.decode(plain, seq).ok()?;
    let mut raw = to_raw(plain);
    let mut o = 0usize;
    for job in raw.jobs.iter_mut() {
        if r.random_bool(0.3) {
            job.deadline = Some(RawInstant::Minutes(r.random_range(0..5000)));
        }
        for op in job.operations.iter_mut() {
            if r.random_bool(0.15) {
                op.pinned = Some(RawPin {
                    machine: plain.machines()[seq.machine_of[o].idx()].id.clone(),
                    start: RawInstant::Minutes(dec.start[o]),
                });
            } else if r.random_bool(0.2) {
                op.not_before = Some(RawInstant::Minutes(r.random_range(0..3000)));
            }
            o += 1;
        }
    }
    validate(&raw).ok()
}

/// A baseline: the decoded schedule of `seq`, some operations left out (new ones).
fn with_baseline(p: Problem, seq: &Sequence, r: &mut StdRng) -> Problem {
    let mut dec = Decoder::new(&p);
    if dec.decode(&p, seq).is_err() {
        return p;
    }
    let n = p.ops().len();
    let baseline: Vec<_> = (0..n)
        .map(|o| {
            r.random_bool(0.8)
                .then(|| (seq.machine_of[o], dec.start[o]))
        })
        .collect();
    let mut baseline_pred = vec![None; n];
    for order in &seq.order {
        let mut last = None;
        for &o in order {
            if baseline[o.idx()].is_some() {
                baseline_pred[o.idx()] = last;
                last = Some(o);
            }
        }
    }
    let st = Stability {
        baseline,
        machine_change: r.random_range(0..50) as f64,
        per_minute: r.random_range(0..3) as f64 * 0.25,
        baseline_pred,
        sequence_change: r.random_range(0..20) as f64,
    };
    p.with_stability(st)
        .expect("a baseline made for this problem")
}

fn random_move(p: &Problem, seq: &Sequence, r: &mut StdRng) -> Option<Move> {
    if !seq.priority.is_empty() && r.random_bool(0.3) {
        let n = p.ops().len();
        return Some(Move::Priority {
            a: OpId(r.random_range(0..n) as u32),
            b: OpId(r.random_range(0..n) as u32),
        });
    }
    if r.random_bool(0.6) {
        let m = r.random_range(0..p.machines().len());
        let len = seq.order[m].len();
        if len < 2 {
            return None;
        }
        let from = r.random_range(0..len);
        // Mostly short shifts (as the search makes), sometimes far ones.
        let to = if r.random_bool(0.7) {
            (from + r.random_range(0..4)).saturating_sub(2).min(len - 1)
        } else {
            r.random_range(0..len)
        };
        Some(Move::Shift {
            m: MachineId(m as u32),
            from,
            to,
        })
    } else {
        let o = OpId(r.random_range(0..p.ops().len()) as u32);
        let modes = &p.op(o).modes;
        let to = modes[r.random_range(0..modes.len())].machine;
        let from = seq.machine_of[o.idx()];
        if to == from {
            return None;
        }
        let from_pos = seq.order[from.idx()].iter().position(|&x| x == o)?;
        let to_pos = r.random_range(0..=seq.order[to.idx()].len());
        Some(Move::Reassign {
            op: o,
            from,
            from_pos,
            to,
            to_pos,
        })
    }
}

/// Asserts that `dec` (incremental) holds what a full decode of `seq` gives.
fn assert_same(p: &Problem, seq: &Sequence, dec: &Decoder, what: &str) {
    let mut full = Decoder::new(p);
    full.decode(p, seq).expect("compared sequences decode");
    assert_eq!(dec.start, full.start, "{what}: starts");
    assert_eq!(dec.end, full.end, "{what}: ends");
    assert_eq!(dec.setup_start, full.setup_start, "{what}: setup starts");
    assert_eq!(dec.setup, full.setup, "{what}: changeovers");
    assert_eq!(dec.cause, full.cause, "{what}: causes");
    assert_eq!(dec.machine, full.machine, "{what}: machines");
    assert_eq!(dec.completion, full.completion, "{what}: completions");
    if p.has_secondary() {
        assert_eq!(dec.chosen, full.chosen, "{what}: resources chosen");
        assert_eq!(dec.placed, full.placed, "{what}: placement order");
    }
    if p.stability().is_some() {
        assert_eq!(
            dec.baseline_pred, full.baseline_pred,
            "{what}: baseline preds"
        );
    }
    assert_eq!(dec.evaluate(p), full.evaluate(p), "{what}: evaluation");
    // `placed` is a topological order of the sequence's arcs.
    let n = p.ops().len();
    let mut rank = vec![usize::MAX; n];
    for (k, o) in dec.placed.iter().enumerate() {
        assert_eq!(rank[o.idx()], usize::MAX, "{what}: {o:?} placed twice");
        rank[o.idx()] = k;
    }
    for (o, &k) in rank.iter().enumerate() {
        let op = OpId(o as u32);
        if let Some(q) = p.pred(op) {
            assert!(rank[q.idx()] < k, "{what}: routing arc {q:?} -> {op:?}");
        }
    }
    for order in &seq.order {
        for w in order.windows(2) {
            assert!(rank[w[0].idx()] < rank[w[1].idx()], "{what}: machine arc");
        }
    }
}

fn run(p: &Problem, start: Sequence, r: &mut StdRng, moves: usize, what: &str) -> (usize, usize) {
    let mut seq = start;
    let mut dec = Decoder::new(p);
    let mut inc = Incremental::new(p);
    if inc.sync(p, &mut dec, &seq).is_err() {
        return (0, 0);
    }
    let (mut ok, mut rejected) = (0, 0);
    for k in 0..moves {
        let Some(mv) = random_move(p, &seq, r) else {
            continue;
        };
        let what = format!("{what}, move {k} {mv:?}");
        mv.apply(&mut seq);
        let got = inc.apply(p, &mut dec, &seq, &mv.change());
        let full = Decoder::new(p).decode(p, &seq);
        assert_eq!(got.is_ok(), full.is_ok(), "{what}: {got:?} vs {full:?}");
        if let Ok(e) = got {
            ok += 1;
            assert_same(p, &seq, &dec, &what);
            assert_eq!(e, dec.evaluate(p), "{what}: returned evaluation");
        } else {
            rejected += 1;
        }
        if got.is_ok() && r.random_bool(0.5) {
            inc.keep();
        } else {
            mv.undo(&mut seq);
            inc.undo(p, &mut dec, &seq);
            assert_same(p, &seq, &dec, &format!("{what} undone"));
            assert_eq!(
                inc.evaluation(),
                dec.evaluate(p),
                "{what}: undone evaluation"
            );
        }
    }
    (ok, rejected)
}

#[test]
fn incremental_equals_full_decode_after_every_move_and_undo() {
    let opt = GenOptions {
        max_jobs: 7,
        max_ops_per_job: 4,
        max_machines: 4,
        earliness: true,
    };
    let (mut ok, mut rejected, mut instances) = (0, 0, 0);
    for seed in 0..400u64 {
        let mut r = StdRng::seed_from_u64(seed ^ 0x5eed);
        let plain = random_instance(seed, &opt);
        let seq = random_sequence(&plain, seed);
        let p = match seed % 3 {
            0 => plain,
            1 => match with_pins_and_bounds(&plain, &seq, &mut r) {
                Some(p) => p,
                None => continue,
            },
            _ => with_baseline(plain, &seq, &mut r),
        };
        let (a, b) = run(&p, seq, &mut r, 60, &format!("seed {seed}"));
        instances += (a > 0) as usize;
        ok += a;
        rejected += b;
    }
    assert!(instances > 250, "only {instances} instances decoded");
    assert!(ok > 8000, "only {ok} moves decoded");
    assert!(
        rejected > 200,
        "only {rejected} moves rejected (cycles, missed pins)"
    );
}

/// The same with secondary resources and materials: moves (priority swaps included) are
/// evaluated by resuming the priority decode from a checkpoint ([`Resumer`]).
#[test]
fn resumed_decode_equals_full_decode_with_resources_and_materials() {
    let (mut ok, mut rejected) = (0, 0);
    for seed in 0..40u64 {
        let yaml = generate(&GenConfig {
            jobs: 6 + (seed % 10) as usize,
            machines: 2 + (seed % 4) as usize,
            plants: 1 + (seed % 3) as usize,
            seed,
            calendars: seed % 2 == 0,
            changeovers: seed % 3 != 0,
            tightness: 2.0,
            operators: 1 + (seed % 3) as usize,
            materials: seed % 4 != 1,
        });
        let p = parse_instance(&yaml, "generated.yaml").expect("generated instances are valid");
        let mut seq = construct(&p, [Rule::Mwkr, Rule::Spt][seed as usize % 2]);
        let mut dec = Decoder::new(&p);
        if dec.decode(&p, &seq).is_err() {
            continue;
        }
        if seq.priority.len() != p.ops().len() {
            seq.priority = vec![0; p.ops().len()];
            for (k, o) in dec.placed.iter().enumerate() {
                seq.priority[o.idx()] = k as u32;
            }
        }
        let mut r = StdRng::seed_from_u64(seed);
        // Small intervals: resumption from checkpoints all along the decode.
        let mut ev = Resumer::with_interval(&p, 1 + (seed % 5) as usize);
        ev.sync(&p, &mut dec, &seq).expect("decodes");
        for k in 0..80 {
            let Some(mv) = random_move(&p, &seq, &mut r) else {
                continue;
            };
            let what = format!("seed {seed}, move {k} {mv:?}");
            mv.apply(&mut seq);
            let got = ev.apply(&p, &mut dec, &seq, &mv.change());
            let full = Decoder::new(&p).decode(&p, &seq);
            assert_eq!(got.is_ok(), full.is_ok(), "{what}: {got:?} vs {full:?}");
            if let Ok(e) = got {
                ok += 1;
                assert_same(&p, &seq, &dec, &what);
                assert_eq!(e, dec.evaluate(&p), "{what}: returned evaluation");
            } else {
                rejected += 1;
            }
            if got.is_ok() && r.random_bool(0.5) {
                ev.keep(&p, &mut dec, &seq);
                assert_same(&p, &seq, &dec, &format!("{what} kept"));
                assert_eq!(ev.evaluation(), dec.evaluate(&p), "{what}: kept evaluation");
            } else {
                mv.undo(&mut seq);
                ev.undo(&mut dec);
                assert_same(&p, &seq, &dec, &format!("{what} undone"));
            }
        }
    }
    assert!(ok > 1000, "only {ok} moves decoded");
    assert!(rejected > 50, "only {rejected} moves rejected");
}
