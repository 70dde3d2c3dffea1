//! One machine, one operation per job: a Lagrangian bound on weighted tardiness plus flow time.
//!
//! For multipliers `0 ≤ λ_j ≤ w_T·w_j`, `w_T·w_j·T_j ≥ λ_j (C_j − d_j)`, so the objective part
//! `Σ w_T·w_j·T_j + w_F·w_j·(C_j − r_j)` is at least `Σ a_j C_j − Σ λ_j d_j − w_F Σ w_j r_j` with
//! `a_j = w_F·w_j + λ_j` (Potts & Van Wassenhove 1985). On one machine, `C_j` is at least the
//! working minutes of the jobs before it and its own (calendars, releases and changeovers only
//! add to it), and Smith's rule (ratio `p_j / a_j` ascending) minimises `Σ a_j C_j` over those.
//! Subgradient steps on `λ` keep the best bound.

use super::heads::one_machine_durations;
use crate::model::{Minute, Problem};

/// The bound on `w_T·weighted_tardiness + w_F·flow_time`, weighted; `None` unless every job is
/// one operation that only one machine, the same for all, can run.
pub(crate) fn single_machine_bound(problem: &Problem) -> Option<f64> {
    let w = problem.objective;
    if problem.jobs.is_empty() || (w.weighted_tardiness <= 0.0 && w.flow_time <= 0.0) {
        return None;
    }
    let p = one_machine_durations(problem)?;
    let n = p.len();
    let cap: Vec<f64> = problem
        .jobs
        .iter()
        .map(|j| match j.due {
            Some(_) => w.weighted_tardiness * j.weight,
            None => 0.0,
        })
        .collect();
    let due: Vec<f64> = problem
        .jobs
        .iter()
        .map(|j| j.due.unwrap_or(0) as f64)
        .collect();
    let base: f64 = -w.flow_time
        * problem
            .jobs
            .iter()
            .map(|j| j.weight * j.release as f64)
            .sum::<f64>();
    let total: Minute = p.iter().sum();
    let max_cap = cap.iter().copied().fold(0.0, f64::max);
    let mut lambda = cap.clone();
    let mut order: Vec<usize> = (0..n).collect();
    let mut c = vec![0.0; n];
    let mut best = f64::NEG_INFINITY;
    let mut theta = 1.0;
    let mut since = 0;
    for _ in 0..300 {
        // Smith's rule for the weights a_j = w_F·w_j + λ_j.
        let a: Vec<f64> = (0..n)
            .map(|j| w.flow_time * problem.jobs[j].weight + lambda[j])
            .collect();
        order.sort_by(|&x, &y| {
            // p_x / a_x < p_y / a_y, with a = 0 last. The weightless jobs are set apart first:
            // the cross products alone say a job of no work and no weight ties with every job,
            // which is no order, and the sort's result would not minimise Σ a_j C_j.
            (a[x] <= 0.0)
                .cmp(&(a[y] <= 0.0))
                .then((p[x] as f64 * a[y]).total_cmp(&(p[y] as f64 * a[x])))
                .then(x.cmp(&y))
        });
        let mut t = 0;
        for &j in &order {
            t += p[j];
            c[j] = t as f64;
        }
        let value: f64 = base
            + (0..n)
                .map(|j| a[j] * c[j] - lambda[j] * due[j])
                .sum::<f64>();
        if value > best + 1e-9 {
            best = value;
            since = 0;
        } else {
            since += 1;
            if since >= 10 {
                theta /= 2.0;
                since = 0;
            }
        }
        if max_cap <= 0.0 || total <= 0 || theta < 1e-4 {
            break;
        }
        // Subgradient C_j − d_j, step scaled to the weights per minute of work.
        let step = theta * max_cap / total as f64;
        for j in 0..n {
            lambda[j] = (lambda[j] + step * (c[j] - due[j])).clamp(0.0, cap[j]);
        }
    }
    Some(best)
}
