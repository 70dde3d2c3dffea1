//! Moves on the critical path and their makespan estimates from heads and tails.
//!
//! Shifts (N7, Zhang et al. 2007): in each critical block, the first or last operation moves
//! into the block's interior or to its other end, and each interior operation moves to either
//! end. The estimate of a shift recomputes heads and tails only inside the moved window, from
//! the heads of the window's predecessors and the tails of its successors (Balas & Vazacopoulos
//! 1998): the longest path through a moved operation, which is the new makespan when the move
//! removes the critical path it came from.
//!
//! Reassignments (flexible job shop): a critical operation goes to another eligible machine at
//! the position minimising the longest path through it there (Mastrolilli & Gambardella 2000),
//! among the positions that cannot close a cycle.

use super::graph::{Model, State, NONE};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Move {
    /// The operation at position `from` on machine `m` goes to position `to`.
    Shift { m: u32, from: u32, to: u32 },
    /// Operation `op` takes mode `mode` (another machine), inserted at index `at` of that
    /// machine's sequence.
    Reassign { op: u32, mode: u32, at: u32 },
}

/// What [`apply`] changed, for [`undo`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Undo {
    Shift { m: u32, from: u32, to: u32 },
    Reassign { op: u32, mode: u32, pos: u32 },
}

/// The critical blocks of a path: (machine, first position, last position) of each maximal run
/// of at least two operations adjacent on one machine.
pub(crate) fn blocks(s: &State, path: &[u32], out: &mut Vec<(u32, u32, u32)>) {
    out.clear();
    let mut k = 0;
    while k < path.len() {
        let mut e = k;
        while e + 1 < path.len() && s.ms(path[e]) == path[e + 1] {
            e += 1;
        }
        if e > k {
            let o = path[k];
            out.push((
                s.mach[o as usize],
                s.pos[o as usize],
                s.pos[path[e] as usize],
            ));
        }
        k = e + 1;
    }
}

/// The N7 shifts of the blocks.
pub(crate) fn shifts(blocks: &[(u32, u32, u32)], out: &mut Vec<Move>) {
    out.clear();
    for &(m, a, b) in blocks {
        let mut push = |from, to| out.push(Move::Shift { m, from, to });
        for k in a + 1..=b {
            push(a, k);
        }
        for k in a..b {
            if !(k == a && b == a + 1) {
                push(b, k);
            }
        }
        for k in a + 1..b {
            push(k, a);
            push(k, b);
        }
    }
}

/// Whether a shift surely keeps the graph acyclic (Balas & Vazacopoulos): moving `u` after `v`
/// needs no path from `u`'s job successor to `v`; moving `v` before `u` none from `u` to `v`'s
/// job predecessor. Exact with positive durations; the exact update still detects a cycle.
pub(crate) fn shift_safe(model: &Model, s: &State, m: u32, from: u32, to: u32) -> bool {
    let seq = &s.seq[m as usize];
    let (o, t) = (seq[from as usize], seq[to as usize]);
    if from < to {
        let js = model.js[o as usize];
        js == NONE || s.tail_from_start(t) >= s.tail_from_start(js)
    } else {
        let jp = model.jp[o as usize];
        jp == NONE || s.end(t) >= s.end(jp)
    }
}

/// Estimated makespan after a shift: the longest path through the operations of the window,
/// with heads recomputed forward and tails backward inside it.
pub(crate) fn shift_estimate(
    model: &Model,
    s: &State,
    m: u32,
    from: u32,
    to: u32,
    heads: &mut Vec<i64>,
) -> i64 {
    let seq = &s.seq[m as usize];
    let (lo, hi) = (from.min(to) as usize, from.max(to) as usize);
    let moved = seq[from as usize];
    // The window in its new order: position k of the window holds `at(k)`.
    let at = |k: usize| -> u32 {
        if from < to {
            if k == hi - lo {
                moved
            } else {
                seq[lo + k + 1]
            }
        } else if k == 0 {
            moved
        } else {
            seq[lo + k - 1]
        }
    };
    let len = hi - lo + 1;
    heads.clear();
    let mut t = if lo > 0 { s.end(seq[lo - 1]) } else { 0 };
    for k in 0..len {
        let o = at(k);
        let r = s.job_ready(model, o, m).max(t);
        heads.push(r);
        t = r + s.p[o as usize];
    }
    let mut t = s.tail_from_start(seq.get(hi + 1).copied().unwrap_or(NONE));
    let mut est = 0;
    for k in (0..len).rev() {
        let o = at(k);
        let q = s.job_tail(model, o, m).max(t);
        let p = s.p[o as usize];
        est = est.max(heads[k] + p + q);
        t = q + p;
    }
    est
}

/// The best position for operation `o` on machine `m` (mode `mode`): (index, estimate), among
/// the positions after no operation reachable from `o`'s job successor and before none that
/// reaches its job predecessor; `None` when no position qualifies.
pub(crate) fn best_insertion(model: &Model, s: &State, o: u32, mode: u32) -> Option<(u32, i64)> {
    let (m, d) = model.modes[o as usize][mode as usize];
    let ready = s.job_ready(model, o, m);
    let tail = s.job_tail(model, o, m);
    let (js, jp) = (model.js[o as usize], model.jp[o as usize]);
    // After x: x must not be reachable from js (nor be js): end(x) < end(js).
    let after_ok = |x: u32| x == NONE || js == NONE || s.end(x) < s.end(js);
    // Before y: y must not reach jp (nor be jp): tail_from_start(y) < tail_from_start(jp).
    let before_ok =
        |y: u32| y == NONE || jp == NONE || s.tail_from_start(y) < s.tail_from_start(jp);
    let seq = &s.seq[m as usize];
    let mut best: Option<(u32, i64)> = None;
    for at in 0..=seq.len() {
        let x = if at > 0 { seq[at - 1] } else { NONE };
        let y = seq.get(at).copied().unwrap_or(NONE);
        if !after_ok(x) {
            break; // later positions come after x too
        }
        if !before_ok(y) {
            continue;
        }
        let est = ready.max(s.end(x)) + d + tail.max(s.tail_from_start(y));
        if best.is_none_or(|(_, b)| est < b) {
            best = Some((at as u32, est));
        }
    }
    best
}

/// Applies a move (positions, machines, durations; heads and tails are not updated).
pub(crate) fn apply(model: &Model, s: &mut State, mv: Move) -> Undo {
    match mv {
        Move::Shift { m, from, to } => {
            shift(s, m, from, to);
            Undo::Shift { m, from, to }
        }
        Move::Reassign { op, mode, at } => {
            let old = (s.mode[op as usize], s.pos[op as usize]);
            reassign(model, s, op, mode, at);
            Undo::Reassign {
                op,
                mode: old.0,
                pos: old.1,
            }
        }
    }
}

/// Reverts [`apply`].
pub(crate) fn undo(model: &Model, s: &mut State, u: Undo) {
    match u {
        Undo::Shift { m, from, to } => shift(s, m, to, from),
        Undo::Reassign { op, mode, pos } => reassign(model, s, op, mode, pos),
    }
}

fn shift(s: &mut State, m: u32, from: u32, to: u32) {
    let (lo, hi) = (from.min(to) as usize, from.max(to) as usize);
    let seq = &mut s.seq[m as usize];
    if from < to {
        seq[lo..=hi].rotate_left(1);
    } else {
        seq[lo..=hi].rotate_right(1);
    }
    for (k, &o) in seq.iter().enumerate().take(hi + 1).skip(lo) {
        s.pos[o as usize] = k as u32;
    }
}

fn reassign(model: &Model, s: &mut State, op: u32, mode: u32, at: u32) {
    let o = op as usize;
    let old = s.mach[o] as usize;
    let i = s.pos[o] as usize;
    s.seq[old].remove(i);
    for (k, &o) in s.seq[old].iter().enumerate().skip(i) {
        s.pos[o as usize] = k as u32;
    }
    let (m, d) = model.modes[o][mode as usize];
    s.mode[o] = mode;
    s.mach[o] = m;
    s.p[o] = d;
    let seq = &mut s.seq[m as usize];
    seq.insert(at as usize, op);
    for (k, &o) in seq.iter().enumerate().skip(at as usize) {
        s.pos[o as usize] = k as u32;
    }
}
