//! The objective: a weighted sum of terms written in the instance (DESIGN.md, "Objective").
//! Every solver minimises exactly [`Evaluation::value`]; hard deadlines are kept apart so that a
//! schedule that breaks one is never preferred to one that does not.

use crate::engine::MachineSlot;
use crate::model::{MachineId, Minute, OpId, Problem};
use crate::schedule::Schedule;

/// The raw value of every objective term (before the instance's weights).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Terms {
    pub makespan: f64,
    pub weighted_tardiness: f64,
    pub late_jobs: f64,
    pub flow_time: f64,
    pub changeover_time: f64,
    pub earliness: f64,
    /// Rescheduling only: the cost of moving away from the previous plan
    /// ([`crate::model::Stability`]), already weighted; 0 without a baseline.
    pub stability: f64,
    /// Σ max(0, C − deadline): minutes past hard deadlines (0 for a feasible schedule).
    pub deadline_excess: Minute,
    /// Jobs that miss their hard deadline.
    pub deadline_misses: usize,
}

/// Terms and the weighted objective value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Evaluation {
    pub terms: Terms,
    pub value: f64,
}

impl Evaluation {
    /// Whether this schedule keeps every hard deadline.
    pub fn feasible(&self) -> bool {
        self.terms.deadline_excess == 0
    }

    /// Lexicographic: fewer minutes past deadlines first, then the objective.
    pub fn better_than(&self, other: &Evaluation) -> bool {
        (self.terms.deadline_excess, self.value) < (other.terms.deadline_excess, other.value)
    }

    /// `(term name, raw value)` in the order of `ObjectiveWeights::TERMS`.
    pub fn named_terms(&self) -> [(&'static str, f64); 6] {
        let t = &self.terms;
        [
            ("makespan", t.makespan),
            ("weighted_tardiness", t.weighted_tardiness),
            ("late_jobs", t.late_jobs),
            ("flow_time", t.flow_time),
            ("changeover_time", t.changeover_time),
            ("earliness", t.earliness),
        ]
    }
}

impl Terms {
    /// Terms from job completion times (indexed by job) and total changeover minutes.
    /// Makespan is the latest completion, measured from minute 0.
    pub fn from_completions(problem: &Problem, completion: &[Minute], changeover: Minute) -> Terms {
        let mut t = Terms {
            changeover_time: changeover as f64,
            ..Terms::default()
        };
        let mut makespan = 0;
        for (job, &c) in problem.jobs.iter().zip(completion) {
            let w = job.weight;
            makespan = makespan.max(c);
            t.flow_time += w * (c - job.release) as f64;
            if let Some(d) = job.due {
                t.weighted_tardiness += w * (c - d).max(0) as f64;
                t.earliness += w * (d - c).max(0) as f64;
                if c > d {
                    t.late_jobs += w;
                }
            }
            if let Some(dl) = job.deadline {
                if c > dl {
                    t.deadline_excess += c - dl;
                    t.deadline_misses += 1;
                }
            }
        }
        t.makespan = makespan as f64;
        t
    }

    /// Adds the stability penalty of operations placed as `(op, machine, start, baseline
    /// operation last before it on the machine)`; nothing when the problem has no baseline.
    pub fn with_stability(
        mut self,
        problem: &Problem,
        placed: impl Iterator<Item = (OpId, MachineId, Minute, Option<OpId>)>,
    ) -> Terms {
        if let Some(st) = &problem.stability {
            self.stability = placed.map(|(o, m, s, p)| st.penalty(o, m, s, p)).sum();
        }
        self
    }

    /// Applies the instance's weights.
    pub fn evaluate(self, problem: &Problem) -> Evaluation {
        let w = &problem.objective;
        let value = w.makespan * self.makespan
            + w.weighted_tardiness * self.weighted_tardiness
            + w.late_jobs * self.late_jobs
            + w.flow_time * self.flow_time
            + w.changeover_time * self.changeover_time
            + w.earliness * self.earliness
            + self.stability;
        Evaluation { terms: self, value }
    }
}

/// Changeover minutes before each scheduled operation, from the machine sequences a timed
/// schedule implies (start order; the family before is the previous operation's, or the
/// machine's initial family; ties, i.e. zero-length operations at one instant, in the order
/// the schedule lists them). Indexed like `schedule.ops`.
pub fn changeovers_of(problem: &Problem, schedule: &Schedule) -> Vec<Minute> {
    let mut idx: Vec<usize> = (0..schedule.ops.len()).collect();
    idx.sort_by_key(|&i| {
        let s = &schedule.ops[i];
        (s.machine, s.start, s.end, i)
    });
    let mut out = vec![0; schedule.ops.len()];
    let mut prev: Option<(crate::model::MachineId, usize)> = None;
    for &i in &idx {
        let s = &schedule.ops[i];
        // The engine's machine rule: the family the machine ran before decides the changeover.
        let slot = match prev {
            Some((m, p)) if m == s.machine => {
                MachineSlot::after(problem, schedule.ops[p].op, schedule.ops[p].end)
            }
            _ => MachineSlot::empty(problem, s.machine),
        };
        out[i] = slot.setup(problem, s.machine, problem.op(s.op).family);
        prev = Some((s.machine, i));
    }
    out
}

/// The objective of any timed schedule (a solver's or a file's). Completion of a job is the
/// latest end among its scheduled operations (an incomplete schedule is the referee's concern).
pub fn evaluate_schedule(problem: &Problem, schedule: &Schedule) -> Evaluation {
    let mut completion: Vec<Minute> = problem.jobs.iter().map(|j| j.release.max(0)).collect();
    for s in &schedule.ops {
        let j = problem.op(s.op).job.idx();
        completion[j] = completion[j].max(s.end);
    }
    let changeover = changeovers_of(problem, schedule).iter().sum();
    // The baseline operation last before each one on its machine, in start order.
    let mut pred: Vec<Option<OpId>> = vec![None; problem.ops.len()];
    if let Some(st) = &problem.stability {
        let mut sorted: Vec<&crate::schedule::ScheduledOp> = schedule.ops.iter().collect();
        // Stable: ties in the schedule's order, as for changeovers.
        sorted.sort_by_key(|s| (s.machine, s.start, s.end));
        let mut last: Option<(MachineId, Option<OpId>)> = None;
        for s in sorted {
            let before = match last {
                Some((m, p)) if m == s.machine => p,
                _ => None,
            };
            if let Some(x) = pred.get_mut(s.op.idx()) {
                *x = before;
            }
            let now = if st.in_baseline(s.op) {
                Some(s.op)
            } else {
                before
            };
            last = Some((s.machine, now));
        }
    }
    Terms::from_completions(problem, &completion, changeover)
        .with_stability(
            problem,
            schedule.ops.iter().map(|s| {
                (
                    s.op,
                    s.machine,
                    s.start,
                    pred.get(s.op.idx()).copied().flatten(),
                )
            }),
        )
        .evaluate(problem)
}
