//! Moves for weighted tardiness at plant scale: pull a late job's operations forward in their
//! machines' queues past operations of jobs that can afford the wait.
//!
//! Critical-block moves shift one operation a position or two along the critical path of the
//! worst job; in a shop where hundreds of jobs are late, that walks too slowly. An operation of
//! a late job that waited for its machine (not for its routing predecessor) gains at once if it
//! jumps the operations queued before it that started after it was ready; those it jumps lose
//! about its duration, which costs nothing when their jobs have that much slack. The moves go
//! to the furthest such position, to the furthest position where every jumped job has the slack,
//! and halfway, or to another eligible machine ahead of what starts there after the operation
//! is ready; the exact evaluation decides.

use crate::eval::{Cause, Decoder, Sequence};
use crate::model::{JobId, Minute, OpId, Problem};
use rand::{Rng, RngExt};

use super::Move;

/// How far back in a machine's queue a pull looks (operations).
const WINDOW: usize = 60;

/// Slack "without limit": a job neither due nor with a deadline.
const NO_LIMIT: Minute = Minute::MAX / 4;

/// Minutes job `j` can finish later without new tardiness or a missed deadline (negative when
/// late). Due dates count only when the objective prices tardiness or late jobs.
pub fn job_slack(problem: &Problem, dec: &Decoder, j: usize) -> Minute {
    let job = &problem.jobs[j];
    let c = dec.completion[j];
    let w = &problem.objective;
    let mut s = NO_LIMIT;
    if let Some(due) = job.due {
        if w.weighted_tardiness > 0.0 || w.late_jobs > 0.0 {
            s = s.min(due - c);
        }
    }
    if let Some(dl) = job.deadline {
        s = s.min(dl - c);
    }
    s
}

/// Up to `k` late jobs (distinct), drawn with probability proportional to what each costs
/// (weighted tardiness, plus the late-job term; missed deadlines first, always), into `out`.
pub fn sample_late_jobs(
    problem: &Problem,
    dec: &Decoder,
    rng: &mut impl Rng,
    k: usize,
    out: &mut Vec<JobId>,
) {
    out.clear();
    let w = &problem.objective;
    let mut late: Vec<(f64, usize)> = Vec::new();
    for (j, job) in problem.jobs.iter().enumerate() {
        let c = dec.completion[j];
        if job.deadline.is_some_and(|dl| c > dl) {
            out.push(JobId(j as u32));
            continue;
        }
        if let Some(due) = job.due {
            if c > due {
                let cost = job.weight * ((c - due) as f64 * w.weighted_tardiness + w.late_jobs);
                if cost > 0.0 {
                    late.push((cost, j));
                }
            }
        }
    }
    out.truncate(k);
    let mut total: f64 = late.iter().map(|x| x.0).sum();
    while out.len() < k && total > 0.0 {
        let mut r = rng.random_range(0.0..total);
        let mut pick = late.len() - 1;
        for (i, &(c, _)) in late.iter().enumerate() {
            if r < c {
                pick = i;
                break;
            }
            r -= c;
        }
        let (c, j) = late.swap_remove(pick);
        total -= c;
        out.push(JobId(j as u32));
    }
}

/// Pull moves for every operation of `job` that waited for its machine (see the module doc).
pub fn pull_moves(
    problem: &Problem,
    seq: &Sequence,
    dec: &Decoder,
    pos: &[usize],
    job: JobId,
    out: &mut Vec<Move>,
) {
    for x in problem.job(job).ops() {
        if dec.cause[x.idx()] != Cause::Machine || problem.op(x).pinned.is_some() {
            continue;
        }
        let m = seq.machine_of[x.idx()];
        let i = pos[x.idx()];
        let ready = ready(problem, seq, dec, x);
        let dx = dec.end[x.idx()] - dec.start[x.idx()];
        let order = &seq.order[m.idx()];
        let (mut full, mut free, mut all_free) = (i, i, true);
        for k in (i.saturating_sub(WINDOW)..i).rev() {
            let y = order[k];
            let op = problem.op(y);
            if op.pinned.is_some() || op.job == job || dec.start[y.idx()] < ready {
                break;
            }
            full = k;
            if all_free && job_slack(problem, dec, op.job.idx()) >= dx {
                free = k;
            } else {
                all_free = false;
            }
        }
        for to in [free, full, (i + full) / 2] {
            if to < i {
                out.push(Move::Shift { m, from: i, to });
            }
        }
        // Or to another eligible machine, ahead of what starts there after `x` is ready.
        for mode in &problem.op(x).modes {
            if mode.machine == m {
                continue;
            }
            let other = &seq.order[mode.machine.idx()];
            let at = other.partition_point(|q| dec.start[q.idx()] < ready);
            out.push(Move::Reassign {
                op: x,
                from: m,
                from_pos: i,
                to: mode.machine,
                to_pos: at,
            });
        }
    }
}

/// When `x` could start as far as its job is concerned: release (and not-before), and its
/// routing predecessor's end plus the transfer to `x`'s machine.
fn ready(problem: &Problem, seq: &Sequence, dec: &Decoder, x: OpId) -> Minute {
    let m = seq.machine_of[x.idx()];
    let r = problem.op_release(x);
    match problem.pred(x) {
        Some(q) => r.max(dec.end[q.idx()] + problem.transfer_time(seq.machine_of[q.idx()], m)),
        None => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{parse_instance, MachineId};
    use rand::SeedableRng;

    /// One machine, A and B (60 min each, due late) queued before the urgent C (10 min, due at
    /// 70, weight 3): C waits for the machine until 120 and is 60 min late. Pulling C to the
    /// front jumps two jobs with slack and makes every job on time.
    #[test]
    fn pulls_a_late_operation_past_jobs_with_slack() {
        let p = parse_instance(
            "horizon: {start: 2026-03-02T07:00}\n\
             plants: [{id: P}]\n\
             machines: [{id: M, plant: P}]\n\
             jobs:\n\
             - {id: A, due: 500, operations: [{id: a, machines: {M: 60}}]}\n\
             - {id: B, due: 500, operations: [{id: b, machines: {M: 60}}]}\n\
             - {id: C, due: 70, weight: 3, operations: [{id: c, machines: {M: 10}}]}\n",
            "t.yaml",
        )
        .unwrap();
        let order = vec![OpId(0), OpId(1), OpId(2)];
        let mut seq = Sequence::new(vec![MachineId(0); 3], vec![order]);
        let mut dec = Decoder::new(&p);
        dec.decode(&p, &seq).unwrap();
        assert_eq!(dec.evaluate(&p).terms.weighted_tardiness, 180.0);
        assert_eq!(job_slack(&p, &dec, 0), 440);
        assert_eq!(job_slack(&p, &dec, 2), -60);
        let mut late = Vec::new();
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        sample_late_jobs(&p, &dec, &mut rng, 4, &mut late);
        assert_eq!(late, vec![JobId(2)]);
        let mut pos = Vec::new();
        crate::solve::neighbourhood::positions(&seq, &mut pos);
        let mut moves = Vec::new();
        pull_moves(&p, &seq, &dec, &pos, JobId(2), &mut moves);
        let front = Move::Shift {
            m: MachineId(0),
            from: 2,
            to: 0,
        };
        assert!(moves.contains(&front), "{moves:?}");
        assert!(moves
            .iter()
            .all(|mv| matches!(mv, Move::Shift { from: 2, .. })));
        front.apply(&mut seq);
        dec.decode(&p, &seq).unwrap();
        assert_eq!(dec.evaluate(&p).terms.weighted_tardiness, 0.0);
        // On time now: nothing to pull.
        sample_late_jobs(&p, &dec, &mut rng, 4, &mut late);
        assert!(late.is_empty());
    }
}
