//! Incremental evaluation equals a full decode: over random instances with calendars, plants
//! and transfers, changeovers, atomic and zero-length operations, releases, pins, `not_before`,
//! hard deadlines and a rescheduling baseline, random moves (shifts and reassignments, pinned
//! operations included) are re-timed incrementally and compared, operation by operation and
//! term by term, with a fresh full decode of the same sequence, after every move and after
//! every keep or undo. The decoder's order must stay topological. The same with secondary
//! resources and materials, where moves resume the priority decode from a checkpoint: one
//! loop ([`run`]) drives both evaluators through [`MoveEvaluator`], as the search does.

mod common;

use common::{generated_with_secondary, random_instance, random_sequence, GenOptions};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use takt::eval::{Decoder, Incremental, MoveEvaluator, Resumer, Sequence};
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

/// What a run of moves saw.
#[derive(Debug, Default)]
struct Tally {
    ok: usize,
    rejected: usize,
    /// Applies that stopped early on rejoining the current decode, and that did not
    /// ([`Resumer`] only).
    rejoined: usize,
    to_the_end: usize,
    /// Placements the applies made, and those after their resume points ([`Resumer`] only).
    work: usize,
    suffix: usize,
}

/// `moves` moves from `start` (the search's kind when `local`, else [`random_move`]), each
/// evaluated by `ev` and compared with a full decode after the move and after its keep or
/// undo, with the evaluator's own evaluation of the current sequence; `None` when the start
/// does not decode.
fn run(
    p: &Problem,
    start: Sequence,
    ev: &mut MoveEvaluator,
    r: &mut StdRng,
    moves: usize,
    local: bool,
    what: &str,
) -> Option<Tally> {
    let mut seq = start;
    let mut dec = Decoder::new(p);
    ev.sync(p, &mut dec, &seq).ok()?;
    let mut st = Tally::default();
    for k in 0..moves {
        let mv = if local {
            local_move(p, &seq, &dec.placed, r)
        } else {
            random_move(p, &seq, r)
        };
        let Some(mv) = mv else { continue };
        let what = format!("{what}, move {k} {mv:?}");
        mv.apply(&mut seq);
        let got = ev.apply(p, &mut dec, &seq, &mv.change());
        let full = Decoder::new(p).decode(p, &seq);
        assert_eq!(got.is_ok(), full.is_ok(), "{what}: {got:?} vs {full:?}");
        if let Ok(e) = got {
            st.ok += 1;
            assert_same(p, &seq, &dec, &what);
            assert_eq!(e, dec.evaluate(p), "{what}: returned evaluation");
            if let MoveEvaluator::Resume(x) = ev {
                let (suffix, work, rejoined) = x.last_work();
                if rejoined {
                    st.rejoined += 1;
                } else {
                    st.to_the_end += 1;
                }
                st.work += work;
                st.suffix += suffix;
            }
        } else {
            st.rejected += 1;
        }
        if got.is_ok() && r.random_bool(0.5) {
            ev.keep(p, &mut dec, &seq);
            assert_same(p, &seq, &dec, &format!("{what} kept"));
            assert_eq!(ev.evaluation(), dec.evaluate(p), "{what}: kept evaluation");
        } else {
            mv.undo(&mut seq);
            ev.undo(p, &mut dec, &seq);
            assert_same(p, &seq, &dec, &format!("{what} undone"));
            assert_eq!(
                ev.evaluation(),
                dec.evaluate(p),
                "{what}: undone evaluation"
            );
        }
    }
    Some(st)
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
        let mut ev = MoveEvaluator::Retime(Box::new(Incremental::new(&p)));
        let st = run(&p, seq, &mut ev, &mut r, 60, false, &format!("seed {seed}"));
        // A start that does not decode (a pin it misses, say) is no instance.
        let st = st.unwrap_or_default();
        instances += (st.ok > 0) as usize;
        ok += st.ok;
        rejected += st.rejected;
    }
    assert!(instances > 250, "only {instances} instances decoded");
    assert!(ok > 8000, "only {ok} moves decoded");
    assert!(
        rejected > 200,
        "only {rejected} moves rejected (cycles, missed pins)"
    );
}

/// A generated instance (with operators and, unless `cfg.seed % 4 == 1`, materials) and its
/// start: a rule's sequence with the decoder's placement order as priorities; `None` when
/// the start does not decode.
fn secondary_instance(cfg: GenConfig, fractional: bool) -> Option<(Problem, Sequence)> {
    let yaml = generate(&cfg);
    let p = parse_instance(&yaml, "generated.yaml").expect("generated instances are valid");
    with_start(p, cfg.seed, fractional)
}

/// `p` (its stock quantities made fractional if asked) and its start: the rule `seed` picks,
/// the decoder's placement order as priorities; `None` when the start does not decode.
fn with_start(mut p: Problem, seed: u64, fractional: bool) -> Option<(Problem, Sequence)> {
    if fractional {
        // Quantities that are not integers: stock sums then depend on their order.
        let mut raw = to_raw(&p);
        for it in raw.items.iter_mut() {
            it.stock = it.stock.map(|x| x * 0.1 + 0.05);
            it.receipts.iter_mut().for_each(|r| r.qty *= 0.3);
        }
        for job in raw.jobs.iter_mut() {
            job.produce.values_mut().for_each(|q| *q *= 0.1);
            for op in job.operations.iter_mut() {
                op.consume.values_mut().for_each(|q| *q *= 0.1);
            }
        }
        p = validate(&raw).ok()?;
    }
    let mut seq = construct(&p, [Rule::Mwkr, Rule::Spt][seed as usize % 2]);
    let mut dec = Decoder::new(&p);
    dec.decode(&p, &seq).ok()?;
    if seq.priority.len() != p.ops().len() {
        seq.priority = vec![0; p.ops().len()];
        for (k, o) in dec.placed.iter().enumerate() {
            seq.priority[o.idx()] = k as u32;
        }
    }
    Some((p, seq))
}

/// A move as the search makes them: a swap of neighbours on a machine, or of the priorities of
/// two operations placed close together (`placed`: the decoder's order); else [`random_move`].
fn local_move(p: &Problem, seq: &Sequence, placed: &[OpId], r: &mut StdRng) -> Option<Move> {
    if r.random_bool(0.4) {
        return random_move(p, seq, r);
    }
    if r.random_bool(0.5) {
        let k = r.random_range(0..placed.len());
        let j = (k + r.random_range(1..6)).min(placed.len() - 1);
        return Some(Move::Priority {
            a: placed[k],
            b: placed[j],
        });
    }
    let m = r.random_range(0..p.machines().len());
    let len = seq.order[m].len();
    if len < 2 {
        return None;
    }
    let from = r.random_range(0..len - 1);
    Some(Move::Shift {
        m: MachineId(m as u32),
        from,
        to: from + 1,
    })
}

/// The same with secondary resources and materials: moves (priority swaps included) are
/// evaluated by resuming the priority decode from a checkpoint ([`Resumer`]).
#[test]
fn resumed_decode_equals_full_decode_with_resources_and_materials() {
    let (mut ok, mut rejected, mut rejoined) = (0, 0, 0);
    for seed in 0..40u64 {
        let p = generated_with_secondary(seed, 6 + (seed % 10) as usize);
        let Some((p, seq)) = with_start(p, seed, false) else {
            continue;
        };
        let mut r = StdRng::seed_from_u64(seed);
        // Small intervals: resumption from checkpoints all along the decode.
        let every = 1 + (seed % 5) as usize;
        let mut ev = MoveEvaluator::Resume(Box::new(Resumer::with_interval(&p, every)));
        let st = run(&p, seq, &mut ev, &mut r, 80, false, &format!("seed {seed}"));
        let st = st.expect("the start decodes");
        ok += st.ok;
        rejected += st.rejected;
        rejoined += st.rejoined;
    }
    assert!(ok > 1000, "only {ok} moves decoded");
    assert!(rejected > 50, "only {rejected} moves rejected");
    assert!(rejoined > 200, "only {rejoined} applies stopped early");
}

/// The early stop on rejoining the current decode (src/eval/rejoin.rs), on larger instances
/// and with the moves the search makes (neighbour swaps, priority swaps of operations placed
/// close together), with a rescheduling baseline on some (the last baseline operation per
/// machine is part of the decode's state) and non-integer stock quantities on others (whose
/// sums depend on their order, so an operation touching them blocks the stop): every result
/// equals a full decode, most applies stop early, and some run to the end.
#[test]
fn resumed_decode_stops_early_once_it_rejoins_and_stays_exact() {
    let mut all = Tally::default();
    let (mut baseline, mut fractional) = (0, 0);
    for seed in 0..24u64 {
        let cfg = GenConfig {
            jobs: 20 + (seed % 4) as usize * 8,
            machines: 4 + (seed % 3) as usize * 2,
            plants: 1 + (seed % 2) as usize,
            seed: 1000 + seed,
            calendars: seed % 2 == 0,
            changeovers: seed % 3 != 2,
            tightness: 2.0,
            operators: 1 + (seed % 3) as usize,
            materials: seed % 4 != 1,
        };
        let frac = seed % 4 == 2;
        let Some((mut p, seq)) = secondary_instance(cfg, frac) else {
            continue;
        };
        let mut r = StdRng::seed_from_u64(seed);
        if seed % 3 == 0 {
            p = with_baseline(p, &seq, &mut r);
            baseline += 1;
        }
        fractional += usize::from(frac);
        let resumer = if seed % 2 == 0 {
            Resumer::new(&p)
        } else {
            Resumer::with_interval(&p, 8)
        };
        let mut ev = MoveEvaluator::Resume(Box::new(resumer));
        let st = run(&p, seq, &mut ev, &mut r, 60, true, &format!("seed {seed}"));
        let st = st.expect("the start decodes");
        all.ok += st.ok;
        all.rejoined += st.rejoined;
        all.to_the_end += st.to_the_end;
        all.work += st.work;
        all.suffix += st.suffix;
    }
    assert!(baseline >= 6 && fractional >= 4, "{baseline} {fractional}");
    assert!(all.ok > 1000, "only {} moves decoded", all.ok);
    assert!(all.rejoined > all.ok / 3, "{all:?}: too few early stops");
    assert!(all.to_the_end > 30, "{all:?}: too few applies to the end");
    assert!(all.work < all.suffix, "{all:?}: no placement saved");
}
