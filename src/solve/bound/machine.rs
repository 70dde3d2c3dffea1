//! Makespan bounds from one machine's work: operations that can run nowhere else must all pass
//! through it, one at a time.

use super::heads::{modes, Heads};
use crate::model::{Minute, OpId, Problem};
use std::collections::BinaryHeap;

/// The largest of the per-machine bounds (0 when no operation is tied to one machine).
pub(crate) fn makespan_bound(problem: &Problem, h: &Heads) -> Minute {
    // (head, duration, tail) of the operations each machine alone can run.
    let mut tied: Vec<Vec<(Minute, Minute, Minute)>> = vec![Vec::new(); problem.machines.len()];
    for o in 0..problem.ops.len() {
        let o = OpId(o as u32);
        let mut it = modes(problem, o);
        if let (Some((m, d)), None) = (it.next(), it.next()) {
            tied[m.idx()].push((h.head[o.idx()], d, h.tail[o.idx()]));
        }
    }
    let mut best = 0;
    for (mi, ops) in tied.iter_mut().enumerate() {
        if ops.is_empty() {
            continue;
        }
        let av = &problem.machines[mi].availability;
        let b = if av.is_always() {
            jackson(ops)
        } else {
            working_time_load(av, ops)
        };
        best = best.max(b);
    }
    best
}

/// The preemptive one-machine bound with heads and tails (Jackson's schedule: always run the
/// available operation with the longest tail): max over operations of end + tail. Preemption
/// relaxes both resumable and atomic operations, so it bounds the makespan.
pub(crate) fn jackson(ops: &mut [(Minute, Minute, Minute)]) -> Minute {
    ops.sort_unstable();
    let mut heap: BinaryHeap<(Minute, Minute)> = BinaryHeap::new();
    let (mut t, mut i, mut best) = (Minute::MIN, 0, 0);
    while i < ops.len() || !heap.is_empty() {
        if heap.is_empty() {
            t = t.max(ops[i].0);
        }
        while i < ops.len() && ops[i].0 <= t {
            heap.push((ops[i].2, ops[i].1));
            i += 1;
        }
        let (q, rem) = heap.pop().expect("an operation is available");
        let run = match ops.get(i) {
            Some(&(r, _, _)) => rem.min(r - t),
            None => rem,
        };
        t += run;
        if run == rem {
            best = best.max(t + q);
        } else {
            heap.push((q, rem - run));
        }
    }
    best
}

/// On a calendar: the operations that cannot start before `r` need all their working minutes on
/// the machine after `r`, so the last of them ends no earlier than `r` advanced by their sum;
/// then the least tail among them follows.
fn working_time_load(
    av: &crate::model::calendar::Availability,
    ops: &mut [(Minute, Minute, Minute)],
) -> Minute {
    ops.sort_unstable_by(|a, b| b.cmp(a));
    let (mut work, mut tail, mut best) = (0, Minute::MAX, 0);
    for &(r, d, q) in ops.iter() {
        work += d;
        tail = tail.min(q);
        if work > 0 {
            best = best.max(av.advance(av.next_working(r), work) + tail);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::jackson;

    #[test]
    fn jackson_preempts_for_the_longer_tail() {
        // A (r 0, p 10, q 0) starts; B (r 2, p 3, q 20) preempts it: B ends 5 (+20 = 25),
        // A ends 13.
        assert_eq!(jackson(&mut [(0, 10, 0), (2, 3, 20)]), 25);
        // Idle until the first head; the plain sum otherwise.
        assert_eq!(jackson(&mut [(5, 2, 0), (5, 3, 1)]), 10);
    }
}
