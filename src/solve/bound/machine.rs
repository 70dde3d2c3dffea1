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
    best.max(group_bound(problem, h))
}

/// Flexible operations: for each set of machines some operation may choose among (all always
/// available), the operations that can only run inside the set need at least their shortest
/// durations of work there; one of its machines carries at least the average, after the
/// earliest head among them, and the least tail follows.
fn group_bound(problem: &Problem, h: &Heads) -> Minute {
    let mut sets: Vec<Vec<u32>> = Vec::new();
    let mut op_sets: Vec<Vec<u32>> = Vec::with_capacity(problem.ops.len());
    for o in 0..problem.ops.len() {
        let mut set: Vec<u32> = modes(problem, OpId(o as u32)).map(|(m, _)| m.0).collect();
        set.sort_unstable();
        set.dedup();
        if set.len() > 1 && !sets.contains(&set) {
            sets.push(set.clone());
        }
        op_sets.push(set);
    }
    let mut best = 0;
    for g in &sets {
        if g.iter()
            .any(|&m| !problem.machines[m as usize].availability.is_always())
        {
            continue;
        }
        // (head, shortest duration, tail) of the operations confined to `g`, latest head first.
        let mut ops: Vec<(Minute, Minute, Minute)> = op_sets
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.is_empty() && s.iter().all(|m| g.binary_search(m).is_ok()))
            .map(|(o, _)| {
                let d = modes(problem, OpId(o as u32))
                    .map(|(_, d)| d)
                    .min()
                    .unwrap_or(0);
                (h.head[o], d, h.tail[o])
            })
            .collect();
        ops.sort_unstable_by(|a, b| b.cmp(a));
        let k = g.len() as Minute;
        let (mut work, mut tail) = (0, Minute::MAX);
        for &(r, d, q) in &ops {
            work += d;
            tail = tail.min(q);
            if work > 0 {
                // Some machine of the group works at least ⌈work / k⌉ after `r`.
                best = best.max(r + (work + k - 1) / k + tail);
            }
        }
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
