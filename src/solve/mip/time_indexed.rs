//! The time-indexed model for one-machine instances (`models/time-indexed.md`): a binary per
//! operation and start minute, as a unit flow through the minutes. Its LP relaxation is far stronger than the
//! disjunctive one for total weighted tardiness and the like, at the price of one column per
//! minute of each operation's start window, so it is used only where that is small.
//!
//! Applies when every operation runs on one and the same always-available machine, no
//! changeover is ever positive and no operation has zero duration (a zero-length operation may
//! not sit inside another, which this model does not see).

use super::bounds;
use super::calendar::PieceSpec;
use super::formulation::{clean, Builder, Col, Formulation, Lit, ModeCol, Piece};
use super::MipError;
use crate::model::{Minute, OpId, Problem};
use good_lp::{Expression, Variable};
use std::collections::HashMap;

/// Whether the time-indexed model is exact for this instance (see the module documentation).
pub(crate) fn applies(problem: &Problem) -> bool {
    let Some(m) = problem
        .ops
        .first()
        .and_then(|o| o.modes.first())
        .map(|x| x.machine)
    else {
        return false;
    };
    let single = problem
        .ops
        .iter()
        .all(|op| op.modes.len() == 1 && op.modes[0].machine == m && op.modes[0].duration > 0);
    if !single || problem.machine(m).availability.interval_after(0) != (0, Minute::MAX) {
        return false;
    }
    let fam = |o: usize| problem.ops[o].family;
    let init = problem.machine(m).initial_family;
    (0..problem.ops.len()).all(|j| {
        problem.changeover(m, init, fam(j)) == 0
            && (0..problem.ops.len()).all(|i| i == j || problem.changeover(m, fam(i), fam(j)) == 0)
    })
}

/// The number of start-time columns the model would have (to choose between the models).
pub(crate) fn size(problem: &Problem, incumbent: Option<f64>) -> Option<usize> {
    let modes = bounds::model_modes(problem);
    let b = bounds::compute(problem, &modes, incumbent).ok()?;
    Some(
        problem
            .ops
            .iter()
            .enumerate()
            .map(|(o, op)| (b.end_ub[o] - op.modes[0].duration - b.start_lb[o]).max(0) as usize)
            .sum(),
    )
}

/// Builds the model (call only where [`applies`]).
pub(crate) fn build(problem: &Problem, incumbent: Option<f64>) -> Result<Formulation, MipError> {
    let modes_info = bounds::model_modes(problem);
    let b = bounds::compute(problem, &modes_info, incumbent)?;
    let w = problem.objective;
    let n = problem.ops.len();
    let machine = problem.ops[0].modes[0].machine;
    let p: Vec<Minute> = problem.ops.iter().map(|op| op.modes[0].duration).collect();
    let lo: Vec<Minute> = (0..n).map(|o| b.start_lb[o]).collect();
    let hi: Vec<Minute> = (0..n).map(|o| b.end_ub[o] - p[o]).collect();
    let mut bd = Builder::new(problem);

    // x_ot: o starts at minute t, for t in [lo, hi]. The machine's day is a path from T0 to T1
    // through minute nodes: an operation starting at t is an arc t → t + p_o, an idle minute
    // an arc t → t + 1 (continuous). One unit of flow, every operation once.
    let mut x: Vec<Vec<Variable>> = Vec::with_capacity(n);
    for o in 0..n {
        let oid = OpId(o as u32);
        let mut v = Vec::with_capacity((hi[o] - lo[o] + 1).max(0) as usize);
        for t in lo[o]..=hi[o] {
            let name = format!("x_{}_{t}", bd.op(oid));
            v.push(bd.col(Col::StartsAt(oid, t), name, 0.0, 1.0, true));
        }
        x.push(v);
    }
    let t0 = lo.iter().copied().min().unwrap_or(0);
    let t1 = (0..n).map(|o| hi[o] + p[o]).max().unwrap_or(0);
    let mut idle = Vec::with_capacity((t1 - t0).max(0) as usize);
    for t in t0..t1 {
        idle.push(bd.col(Col::Idle(t), format!("idle_{t}"), 0.0, 1.0, false));
    }
    // Flow conservation at each minute node: out − in = 1 at T0, −1 at T1, else 0.
    let mut out_of: Vec<Expression> = vec![Expression::default(); (t1 - t0 + 1) as usize];
    let mut into: Vec<Expression> = vec![Expression::default(); (t1 - t0 + 1) as usize];
    for t in t0..t1 {
        out_of[(t - t0) as usize] += idle[(t - t0) as usize];
        into[(t + 1 - t0) as usize] += idle[(t - t0) as usize];
    }
    for o in 0..n {
        for (k, &v) in x[o].iter().enumerate() {
            let t = lo[o] + k as Minute;
            out_of[(t - t0) as usize] += v;
            into[(t + p[o] - t0) as usize] += v;
        }
    }
    for (k, (out, inn)) in out_of.into_iter().zip(into).enumerate() {
        let t = t0 + k as Minute;
        let rhs = if t == t0 {
            1.0
        } else if t == t1 {
            -1.0
        } else {
            0.0
        };
        bd.row((out - inn).eq(rhs), format!("flow_{t}"));
    }
    // Each operation once.
    for (o, xo) in x.iter().enumerate() {
        let oid = OpId(o as u32);
        let mut once = Expression::default();
        for &v in xo {
            once += v;
        }
        let name = format!("once_{}", bd.op(oid));
        bd.row(once.eq(1.0), name);
    }
    // S_o = Σ_t t x_ot as an expression (no column: dense rows slow the simplex down).
    let start = |o: usize| -> Expression {
        let mut e = Expression::default();
        for (k, &v) in x[o].iter().enumerate() {
            e += Expression::from(v) * (lo[o] + k as Minute) as f64;
        }
        e
    };
    // Routing on the machine: S_o ≥ S_pred + p_pred + the move time within the plant.
    let moving = problem.transfer_time(machine, machine);
    for o in 1..n {
        let oid = OpId(o as u32);
        if problem.pred(oid).is_none() {
            continue;
        }
        let name = format!("route_{}", bd.op(oid));
        bd.row(
            start(o).geq(start(o - 1) + (p[o - 1] + moving) as f64),
            name,
        );
    }

    // Objective: every job term is a function of the last operation's start.
    let mut objective = Expression::default();
    let offset = 0.0;
    for job in &problem.jobs {
        let l = job.last_op().idx();
        let wj = job.weight;
        let f = |t: Minute| -> f64 {
            let c = t + p[l];
            let mut v = w.flow_time * wj * (c - job.release) as f64;
            if let Some(d) = job.due {
                v += w.weighted_tardiness * wj * (c - d).max(0) as f64;
                v += w.earliness * wj * (d - c).max(0) as f64;
                if c > d {
                    v += w.late_jobs * wj;
                }
            }
            v
        };
        for (k, &v) in x[l].iter().enumerate() {
            let c = f(lo[l] + k as Minute);
            if c != 0.0 {
                objective.add_mul(c, v);
            }
        }
    }
    if w.makespan > 0.0 {
        let cmin = (0..n).map(|o| lo[o] + p[o]).max().unwrap_or(0);
        let cmax_hi = b.completion_ub.iter().copied().max().unwrap_or(0).max(cmin);
        let cmax = bd.col(
            Col::Makespan,
            "Cmax".into(),
            cmin as f64,
            cmax_hi as f64,
            false,
        );
        objective.add_mul(w.makespan, cmax);
        for job in &problem.jobs {
            let l = job.last_op();
            let name = format!("cmax_{}_{}", clean(&job.id), l.0);
            bd.row(
                Expression::from(cmax).geq(start(l.idx()) + p[l.idx()] as f64),
                name,
            );
        }
    }

    let modes: Vec<Vec<ModeCol>> = (0..n)
        .map(|o| {
            vec![ModeCol {
                machine,
                duration: p[o],
                calendar: false,
                pieces: vec![Piece {
                    spec: PieceSpec {
                        lo: lo[o],
                        hi: hi[o],
                        length: p[o],
                        off_start: 0,
                        off_end: 0,
                        at_interval_start: false,
                    },
                    lit: Lit::One,
                }],
            }]
        })
        .collect();
    Ok(bd.finish(objective, offset, modes, HashMap::new(), b, Vec::new()))
}

/// Sequences read from a (fractional) solution of the relaxation: operations in the order of
/// their α-points (the first minute by which a share α of the operation has started) for a few
/// α, and of their mean start. Routing order is kept.
pub(crate) fn rounded_sequences(
    problem: &Problem,
    meta: &super::formulation::Meta,
    values: &[f64],
) -> Vec<crate::eval::Sequence> {
    let n = problem.ops.len();
    let mut dist: Vec<Vec<(Minute, f64)>> = vec![Vec::new(); n];
    for (i, c) in meta.cols.iter().enumerate() {
        if let Col::StartsAt(o, t) = *c {
            if values[i] > 1e-9 {
                dist[o.idx()].push((t, values[i]));
            }
        }
    }
    for d in &mut dist {
        d.sort_by_key(|x| x.0);
    }
    let machine = problem.ops[0].modes[0].machine;
    let mut out = Vec::new();
    let alphas = [0.05, 0.25, 0.5, 0.75, 0.95, -1.0];
    for &alpha in &alphas {
        let mut key: Vec<f64> = dist
            .iter()
            .enumerate()
            .map(|(o, d)| {
                let total: f64 = d.iter().map(|x| x.1).sum();
                if d.is_empty() || total <= 0.0 {
                    return meta.modes[o][0].pieces[0].spec.lo as f64;
                }
                if alpha < 0.0 {
                    return d.iter().map(|x| x.0 as f64 * x.1).sum::<f64>() / total;
                }
                let mut acc = 0.0;
                for &(t, v) in d {
                    acc += v;
                    if acc >= alpha * total - 1e-9 {
                        return t as f64;
                    }
                }
                d.last().unwrap().0 as f64
            })
            .collect();
        for o in 0..n {
            if let Some(p) = problem.pred(OpId(o as u32)) {
                key[o] = key[o].max(key[p.idx()]);
            }
        }
        let mut order: Vec<OpId> = (0..n as u32).map(OpId).collect();
        order.sort_by(|a, b| key[a.idx()].total_cmp(&key[b.idx()]).then(a.cmp(b)));
        let mut per_machine = vec![Vec::new(); problem.machines.len()];
        per_machine[machine.idx()] = order;
        out.push(crate::eval::Sequence::new(vec![machine; n], per_machine));
    }
    out
}

/// Descent on a one-machine sequence: move one operation to another position, or exchange
/// two, while that improves the objective (hard deadlines first). Sequences that break a routing do not
/// decode and are skipped.
pub(crate) fn descend(problem: &Problem, seq: &crate::eval::Sequence) -> crate::eval::Sequence {
    use crate::eval::Decoder;
    let machine = problem.ops[0].modes[0].machine;
    let mut dec = Decoder::new(problem);
    let mut cur = seq.clone();
    let Ok(()) = dec.decode(problem, &cur) else {
        return cur;
    };
    let mut best = dec.evaluate(problem);
    let n = cur.order[machine.idx()].len();
    loop {
        let mut improved = false;
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                // Move i to j, and exchange i and j.
                for swap in [false, true] {
                    if swap && j < i {
                        continue;
                    }
                    let mut cand = cur.clone();
                    let list = &mut cand.order[machine.idx()];
                    if swap {
                        list.swap(i, j);
                    } else {
                        let x = list.remove(i);
                        list.insert(j, x);
                    }
                    if dec.decode(problem, &cand).is_ok() {
                        let ev = dec.evaluate(problem);
                        if ev.better_than(&best) {
                            best = ev;
                            cur = cand;
                            improved = true;
                        }
                    }
                }
            }
        }
        if !improved {
            return cur;
        }
    }
}
