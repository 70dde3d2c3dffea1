//! Earliest starts and completions of each job's routing alone: every other job, changeover,
//! secondary resource and material can only delay it.

use crate::model::{MachineId, Minute, OpId, Problem};

/// Per operation: the earliest start on any eligible machine (its head) and the least time from
/// its end to its job's completion (its tail); per job: the earliest completion.
#[derive(Debug, Clone)]
pub(crate) struct Heads {
    pub head: Vec<Minute>,
    pub tail: Vec<Minute>,
    pub completion: Vec<Minute>,
}

/// The machines an operation may run on (a pinned one only on its pin's machine), with durations.
pub(crate) fn modes(problem: &Problem, o: OpId) -> impl Iterator<Item = (MachineId, Minute)> + '_ {
    let op = problem.op(o);
    op.modes
        .iter()
        .filter(move |m| op.pinned.is_none_or(|p| p.machine == m.machine))
        .map(|m| (m.machine, m.duration))
}

/// Per job, the duration of its one operation, when the instance is one machine's sequencing
/// problem as the one-machine bounds see it: every job is one operation, only one machine (the
/// same for all) may run it, and no pin is before minute 0. `None` otherwise.
pub(crate) fn one_machine_durations(problem: &Problem) -> Option<Vec<Minute>> {
    let mut machine = None;
    let mut durations = Vec::with_capacity(problem.jobs.len());
    for job in &problem.jobs {
        if job.op_count != 1 {
            return None;
        }
        let o = OpId(job.first_op);
        if problem.op(o).pinned.is_some_and(|pin| pin.start < 0) {
            return None;
        }
        let mut it = modes(problem, o);
        let (m, d) = it.next()?;
        if it.next().is_some() || machine.is_some_and(|x| x != m) {
            return None;
        }
        machine = Some(m);
        durations.push(d);
    }
    Some(durations)
}

/// Earliest (start, end) of operation `o` on `m` taking `d` working minutes, when it may begin
/// at `t`: a resumable operation starts at the next working instant and ends after `d` working
/// minutes; an atomic one cannot end earlier (it needs `d` uninterrupted working minutes from a
/// later or equal start); a pinned one starts at its pin.
fn earliest_on(problem: &Problem, o: OpId, m: MachineId, d: Minute, t: Minute) -> (Minute, Minute) {
    let av = &problem.machine(m).availability;
    if let Some(p) = problem.op(o).pinned {
        let end = if d == 0 {
            p.start
        } else {
            av.advance(p.start, d)
        };
        return (p.start, end);
    }
    let t = t.max(problem.op_release(o)).max(0);
    if d == 0 {
        return (t, t);
    }
    let s = av.next_working(t);
    (s, av.advance(s, d))
}

pub(crate) fn compute(problem: &Problem) -> Heads {
    let n = problem.ops.len();
    let mut head = vec![0; n];
    let mut tail = vec![0; n];
    let mut completion = Vec::with_capacity(problem.jobs.len());
    // Earliest end of the previous operation on each of its machines.
    let mut prev: Vec<(MachineId, Minute)> = Vec::new();
    let mut cur: Vec<(MachineId, Minute)> = Vec::new();
    for job in &problem.jobs {
        prev.clear();
        for o in job.ops() {
            cur.clear();
            let mut h = Minute::MAX;
            for (m, d) in modes(problem, o) {
                // The earliest it may begin on `m`: after the predecessor on any of its machines
                // plus that machine's transfer to `m`.
                let t = prev
                    .iter()
                    .map(|&(pm, e)| e + problem.transfer_time(pm, m))
                    .min()
                    .unwrap_or(0);
                let (s, e) = earliest_on(problem, o, m, d, t);
                h = h.min(s);
                cur.push((m, e));
            }
            head[o.idx()] = if h == Minute::MAX { 0 } else { h };
            std::mem::swap(&mut prev, &mut cur);
        }
        let c = prev.iter().map(|&(_, e)| e).min().unwrap_or(0);
        completion.push(c);
        // Tails: the least working time and transfers after each operation (calendar time is
        // never shorter than working time).
        let mut q = 0;
        let mut next: Option<OpId> = None;
        for o in job.ops().rev() {
            if let Some(s) = next {
                let step = modes(problem, o)
                    .flat_map(|(a, _)| {
                        modes(problem, s).map(move |(b, db)| problem.transfer_time(a, b) + db)
                    })
                    .min()
                    .unwrap_or(0);
                q += step;
            }
            tail[o.idx()] = q;
            next = Some(o);
        }
    }
    Heads {
        head,
        tail,
        completion,
    }
}

#[cfg(test)]
mod tests {
    use super::one_machine_durations;
    use crate::model::parse_instance;

    fn durations(jobs: &str) -> Option<Vec<i64>> {
        let y = format!(
            "name: t\nhorizon: {{start: 2026-03-02T07:00}}\nobjective: {{weighted_tardiness: 1}}\n\
             plants: [{{id: p}}]\nmachines: [{{id: A, plant: p}}, {{id: B, plant: p}}]\njobs:\n{jobs}"
        );
        one_machine_durations(&parse_instance(&y, "t.yaml").unwrap())
    }

    #[test]
    fn one_machine_durations_only_for_one_machine_and_one_operation_per_job() {
        let one = |m: &str, d: i64| {
            format!("  - {{id: J{d}, operations: [{{id: o, machines: {{{m}: {d}}}}}]}}\n")
        };
        assert_eq!(durations(&(one("A", 3) + &one("A", 5))), Some(vec![3, 5]));
        // Two machines, one per job: not one machine's problem.
        assert_eq!(durations(&(one("A", 3) + &one("B", 5))), None);
        // Alternative machines.
        assert_eq!(
            durations("  - {id: J, operations: [{id: o, machines: {A: 3, B: 4}}]}\n"),
            None
        );
        // Two operations in a job.
        assert_eq!(
            durations(
                "  - {id: J, operations: [{id: o, machines: {A: 3}}, {id: q, machines: {A: 2}}]}\n"
            ),
            None
        );
    }
}
