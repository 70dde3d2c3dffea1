//! A sequence from the relaxed solution (the Lagrangian heuristic): its cost is an upper bound
//! on the relaxation's optimum, the target of the subgradient steps.

use super::jobs::Jobs;
use super::ssdp::Costs;

/// Orders the jobs by the mean time of their pieces in the relaxed solution `pieces` (job,
/// completion time in units); a job it leaves out goes at its due date. Then improves the order
/// by adjacent interchanges and returns it with its cost.
pub(super) fn sequence(jobs: &Jobs, pieces: &[(usize, usize)], order: &mut Vec<usize>) -> f64 {
    let n = jobs.jobs();
    let mut sum = vec![0.0; n];
    let mut count = vec![0u32; n];
    for &(j, t) in pieces {
        sum[j] += t as f64;
        count[j] += 1;
    }
    let key: Vec<f64> = (0..n)
        .map(|j| {
            if count[j] > 0 {
                sum[j] / count[j] as f64
            } else {
                let due = jobs.due[j].saturating_sub(jobs.start).max(0) as f64 / jobs.unit as f64;
                due.max(jobs.len[j] as f64).min(jobs.horizon() as f64)
            }
        })
        .collect();
    order.clear();
    order.extend(0..n);
    order.sort_by(|&a, &b| key[a].total_cmp(&key[b]).then(a.cmp(&b)));
    for _ in 0..16 {
        adjacent_descent(jobs, order);
        if !insertion_descent(jobs, order) {
            break;
        }
    }
    jobs.sequence_cost(order)
}

/// Moves each job to the position (earlier or later) that lowers the cost most, if any; returns
/// whether it moved one. All positions of one job are priced in O(n): moving it from `i` to `k`
/// shifts the jobs in between by its length.
pub(super) fn insertion_descent(jobs: &Jobs, order: &mut Vec<usize>) -> bool {
    let n = order.len();
    let mut moved = false;
    let mut end = vec![0usize; n];
    for i in 0..n {
        let mut t = 0;
        for (e, &j) in end.iter_mut().zip(order.iter()) {
            t += jobs.len[j];
            *e = t;
        }
        let job = order[i];
        let p = jobs.len[job];
        let here = jobs.cost(job, end[i]);
        let (mut best, mut to) = (-1e-9, i);
        // Later: the jobs i+1..=k finish p earlier, the job ends where k ended.
        let mut shift = 0.0;
        for k in i + 1..n {
            let o = order[k];
            shift += jobs.cost(o, end[k] - p) - jobs.cost(o, end[k]);
            let delta = shift + jobs.cost(job, end[k]) - here;
            if delta < best {
                (best, to) = (delta, k);
            }
        }
        // Earlier: the jobs k..i finish p later, the job ends at the start of k plus p.
        let mut shift = 0.0;
        for k in (0..i).rev() {
            let o = order[k];
            shift += jobs.cost(o, end[k] + p) - jobs.cost(o, end[k]);
            let start = end[k] - jobs.len[o];
            let delta = shift + jobs.cost(job, start + p) - here;
            if delta < best {
                (best, to) = (delta, k);
            }
        }
        if to != i {
            let j = order.remove(i);
            order.insert(to, j);
            moved = true;
        }
    }
    moved
}

/// Swaps neighbours while it lowers the cost (a swap only moves the two jobs' completions).
pub(super) fn adjacent_descent(jobs: &Jobs, order: &mut [usize]) {
    for _ in 0..64 {
        let mut improved = false;
        let mut t = 0;
        for i in 0..order.len().saturating_sub(1) {
            let (a, b) = (order[i], order[i + 1]);
            let (ta, tb) = (t + jobs.len[a], t + jobs.len[a] + jobs.len[b]);
            let now = jobs.cost(a, ta) + jobs.cost(b, tb);
            let swapped = jobs.cost(b, t + jobs.len[b]) + jobs.cost(a, tb);
            if swapped < now - 1e-9 {
                order.swap(i, i + 1);
                improved = true;
            }
            t += jobs.len[order[i]];
        }
        if !improved {
            break;
        }
    }
}
