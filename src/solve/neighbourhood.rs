//! Moves on the (assignment, per-machine sequence) representation and the neighbourhoods that
//! generate them from the last decoded schedule: critical-block swaps and insertions (N5/N7
//! style, Nowicki–Smutnicki / Balas–Vazacopoulos), reassignment of critical operations to other
//! eligible machines (how capacity moves between plants), and family-grouping insertions that
//! cut changeovers.

use crate::eval::{Cause, Change, Decoder, Sequence, Span};
use crate::model::{MachineId, Minute, OpId, Problem};
use rand::{Rng, RngExt};

mod tardy;
pub use tardy::{job_slack, pull_moves, sample_late_jobs};

/// A change to a sequence. Every move has an exact inverse (`undo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Move {
    /// Move the operation at `from` to index `to` on machine `m` (others shift).
    Shift {
        m: MachineId,
        from: usize,
        to: usize,
    },
    /// Take the operation at `from_pos` on `from` and insert it at `to_pos` on `to`.
    Reassign {
        op: OpId,
        from: MachineId,
        from_pos: usize,
        to: MachineId,
        to_pos: usize,
    },
    /// Swap the decoding priorities of `a` and `b` (instances with secondary resources or
    /// materials): who gets a shared resource or scarce stock first.
    Priority { a: OpId, b: OpId },
}

impl Move {
    pub fn apply(&self, seq: &mut Sequence) {
        match *self {
            Move::Shift { m, from, to } => shift(&mut seq.order[m.idx()], from, to),
            Move::Reassign {
                op,
                from,
                from_pos,
                to,
                to_pos,
            } => {
                let o = seq.order[from.idx()].remove(from_pos);
                debug_assert_eq!(o, op);
                seq.order[to.idx()].insert(to_pos, op);
                seq.machine_of[op.idx()] = to;
            }
            Move::Priority { a, b } => seq.priority.swap(a.idx(), b.idx()),
        }
    }

    pub fn undo(&self, seq: &mut Sequence) {
        match *self {
            Move::Shift { m, from, to } => shift(&mut seq.order[m.idx()], to, from),
            Move::Reassign {
                op,
                from,
                from_pos,
                to,
                to_pos,
            } => {
                seq.order[to.idx()].remove(to_pos);
                seq.order[from.idx()].insert(from_pos, op);
                seq.machine_of[op.idx()] = from;
            }
            Move::Priority { a, b } => seq.priority.swap(a.idx(), b.idx()),
        }
    }

    /// What the move changes in a sequence, for incremental re-timing
    /// ([`crate::eval::Incremental`]): the positions whose machine predecessor changed.
    pub fn change(&self) -> Change {
        match *self {
            Move::Shift { m, from, to } => Change {
                spans: [
                    Some(Span {
                        machine: m,
                        first: from.min(to),
                        last: from.max(to) + 1,
                    }),
                    None,
                ],
                moved: None,
                reprioritised: [None; 2],
            },
            Move::Reassign {
                op,
                from,
                from_pos,
                to,
                to_pos,
            } => Change {
                spans: [
                    Some(Span {
                        machine: from,
                        first: from_pos,
                        last: from_pos,
                    }),
                    Some(Span {
                        machine: to,
                        first: to_pos,
                        last: to_pos + 1,
                    }),
                ],
                moved: Some(op),
                reprioritised: [None; 2],
            },
            Move::Priority { a, b } => Change {
                reprioritised: [Some(a), Some(b)],
                ..Change::default()
            },
        }
    }

    /// The operation this move displaces (the tabu attribute).
    pub fn moved_op(&self, seq: &Sequence) -> OpId {
        match *self {
            Move::Shift { m, from, .. } => seq.order[m.idx()][from],
            Move::Reassign { op, .. } => op,
            Move::Priority { a, .. } => a,
        }
    }
}

fn shift(v: &mut [OpId], from: usize, to: usize) {
    if from < to {
        v[from..=to].rotate_left(1);
    } else if to < from {
        v[to..=from].rotate_right(1);
    }
}

/// Position of each operation on its machine.
pub fn positions(seq: &Sequence, pos: &mut Vec<usize>) {
    pos.resize(seq.machine_of.len(), 0);
    for order in &seq.order {
        for (i, o) in order.iter().enumerate() {
            pos[o.idx()] = i;
        }
    }
}

/// The chain of operations that set `last`'s start, from its first link to `last`.
pub fn critical_path(
    problem: &Problem,
    seq: &Sequence,
    dec: &Decoder,
    pos: &[usize],
    last: OpId,
    path: &mut Vec<OpId>,
) {
    path.clear();
    let mut o = last;
    loop {
        path.push(o);
        match dec.cause[o.idx()] {
            Cause::Machine => {
                let m = seq.machine_of[o.idx()];
                let p = pos[o.idx()];
                if p == 0 {
                    break;
                }
                o = seq.order[m.idx()][p - 1];
            }
            Cause::Job => match problem.pred(o) {
                Some(p) => o = p,
                None => break,
            },
            Cause::Release | Cause::Resource(_) | Cause::Material(_) => break,
        }
        if path.len() > seq.machine_of.len() {
            break; // defensive: causes always point backwards in time
        }
    }
    path.reverse();
}

/// Moves from the critical blocks of `path` (maximal runs on one machine): swap the first two
/// and the last two operations of each block, and move inner operations to the block's ends.
pub fn block_moves(seq: &Sequence, pos: &[usize], path: &[OpId], out: &mut Vec<Move>) {
    let mut i = 0;
    while i < path.len() {
        let m = seq.machine_of[path[i].idx()];
        let mut j = i;
        while j + 1 < path.len()
            && seq.machine_of[path[j + 1].idx()] == m
            && pos[path[j + 1].idx()] == pos[path[j].idx()] + 1
        {
            j += 1;
        }
        if j > i {
            let first = pos[path[i].idx()];
            let last = pos[path[j].idx()];
            out.push(Move::Shift {
                m,
                from: first,
                to: first + 1,
            });
            if last - 1 != first {
                out.push(Move::Shift {
                    m,
                    from: last,
                    to: last - 1,
                });
            }
            // Insertions (N7): inner operations to the front or the back of the block, and the
            // block's ends into its inside.
            for k in first + 1..last {
                out.push(Move::Shift {
                    m,
                    from: k,
                    to: first,
                });
                out.push(Move::Shift {
                    m,
                    from: k,
                    to: last,
                });
            }
            if last > first + 1 {
                out.push(Move::Shift {
                    m,
                    from: first,
                    to: last,
                });
                out.push(Move::Shift {
                    m,
                    from: last,
                    to: first,
                });
            }
        }
        i = j + 1;
    }
}

/// Reassign operations of `path` to other eligible machines, at the position matching their
/// current start (and one later).
pub fn reassign_moves(
    problem: &Problem,
    seq: &Sequence,
    dec: &Decoder,
    pos: &[usize],
    path: &[OpId],
    out: &mut Vec<Move>,
) {
    for &o in path {
        let op = problem.op(o);
        if op.modes.len() < 2 || op.pinned.is_some() {
            continue;
        }
        let from = seq.machine_of[o.idx()];
        for mode in &op.modes {
            let to = mode.machine;
            if to == from {
                continue;
            }
            let order = &seq.order[to.idx()];
            let start = dec.start[o.idx()];
            let at = order.partition_point(|q| dec.start[q.idx()] < start);
            for to_pos in [at, (at + 1).min(order.len())] {
                out.push(Move::Reassign {
                    op: o,
                    from,
                    from_pos: pos[o.idx()],
                    to,
                    to_pos,
                });
                if at == order.len() {
                    break;
                }
            }
        }
    }
}

/// Family grouping: on a random machine with changeovers, move an operation next to the nearest
/// earlier operation of its family.
pub fn family_moves(
    problem: &Problem,
    seq: &Sequence,
    rng: &mut impl Rng,
    tries: usize,
    out: &mut Vec<Move>,
) {
    let machines: Vec<usize> = (0..problem.machines.len())
        .filter(|&m| problem.machines[m].changeovers.is_some() && seq.order[m].len() > 2)
        .collect();
    if machines.is_empty() {
        return;
    }
    for _ in 0..tries {
        let m = machines[rng.random_range(0..machines.len())];
        let order = &seq.order[m];
        let k = rng.random_range(1..order.len());
        let fam = problem.op(order[k]).family;
        if fam.is_none() || problem.op(order[k - 1]).family == fam {
            continue;
        }
        if let Some(j) = (0..k - 1)
            .rev()
            .find(|&j| problem.op(order[j]).family == fam)
        {
            out.push(Move::Shift {
                m: MachineId(m as u32),
                from: k,
                to: j + 1,
            });
        }
    }
}

/// Moves for an operation that waited for a secondary resource or a material: swap its priority
/// with the operations that took the resource or the stock just before it (at most `per_op` of
/// them, the latest first), and move it ahead on its machine (to run before the wait instead of
/// after it).
pub fn priority_moves(
    problem: &Problem,
    seq: &Sequence,
    dec: &Decoder,
    pos: &[usize],
    waiting: &[OpId],
    per_op: usize,
    out: &mut Vec<Move>,
) {
    if seq.priority.len() != problem.ops.len() {
        return;
    }
    let mut blockers: Vec<(Minute, OpId)> = Vec::new();
    for &o in waiting {
        let (m, p) = (seq.machine_of[o.idx()], pos[o.idx()]);
        for to in [p.saturating_sub(1), p.saturating_sub(2), 0] {
            if to < p {
                out.push(Move::Shift { m, from: p, to });
            }
        }
        let (so, eo) = (dec.start[o.idx()], dec.end[o.idx()]);
        let po = seq.priority[o.idx()];
        blockers.clear();
        match dec.cause[o.idx()] {
            Cause::Resource(r) => {
                for (q, chosen) in dec.chosen.iter().enumerate() {
                    if q == o.idx() || seq.priority[q] >= po || !chosen.contains(&r) {
                        continue;
                    }
                    let (sq, eq) = (dec.setup_start[q].min(dec.start[q]), dec.end[q]);
                    if sq < so && eq >= so - (eo - so).max(1) {
                        blockers.push((eq, OpId(q as u32)));
                    }
                }
            }
            Cause::Material(item) => {
                for (q, op) in problem.ops.iter().enumerate() {
                    if q == o.idx()
                        || seq.priority[q] >= po
                        || !op.consume.iter().any(|c| c.0 == item)
                        || dec.start[q] > so
                    {
                        continue;
                    }
                    blockers.push((dec.start[q], OpId(q as u32)));
                }
            }
            _ => continue,
        }
        blockers.sort_unstable_by(|a, b| b.cmp(a));
        for &(_, q) in blockers.iter().take(per_op) {
            out.push(Move::Priority { a: o, b: q });
        }
    }
}

/// Rescheduling: put operations back where the previous plan had them (its machine, right
/// after the operation that preceded it there), for up to `tries` random operations that moved.
/// The stability term prices each change; these moves let the search take one back when the
/// objective no longer needs it.
pub fn revert_moves(
    problem: &Problem,
    seq: &Sequence,
    dec: &Decoder,
    pos: &[usize],
    rng: &mut impl Rng,
    tries: usize,
    out: &mut Vec<Move>,
) {
    let Some(st) = &problem.stability else {
        return;
    };
    let n = problem.ops.len();
    if n == 0 {
        return;
    }
    for _ in 0..tries {
        let o = OpId(rng.random_range(0..n) as u32);
        let op = problem.op(o);
        let Some((m0, _)) = st.baseline.get(o.idx()).copied().flatten() else {
            continue;
        };
        let pred0 = st.baseline_pred.get(o.idx()).copied().flatten();
        let m = seq.machine_of[o.idx()];
        if op.pinned.is_some() || (m == m0 && dec.baseline_pred[o.idx()] == pred0) {
            continue;
        }
        if op.duration_on(m0).is_none() {
            continue;
        }
        // Right after `pred0` on m0 (or first when it had no predecessor).
        let after = match pred0 {
            Some(p) if seq.machine_of[p.idx()] == m0 => Some(pos[p.idx()]),
            Some(_) => continue,
            None => None,
        };
        if m == m0 {
            let from = pos[o.idx()];
            let to = match after {
                Some(pp) if pp < from => pp + 1,
                Some(pp) => pp,
                None => 0,
            };
            if to != from {
                out.push(Move::Shift { m, from, to });
            }
        } else {
            out.push(Move::Reassign {
                op: o,
                from: m,
                from_pos: pos[o.idx()],
                to: m0,
                to_pos: after.map_or(0, |pp| pp + 1),
            });
        }
    }
}
