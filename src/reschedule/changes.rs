//! The change report of a repair: which operations moved machine, moved in time and by how much,
//! which changed place in their machine's sequence, which jobs became late or on time.
//!
//! An operation *changes sequence* when, among the operations both plans contain, the one just
//! before it on its machine is another than in the old plan (so inserting a rush order's
//! operation changes nobody's sequence, but swapping two operations changes both and the one
//! after them).

use crate::model::{JobId, MachineId, Minute, OpId, Problem};
use crate::report::fmt_minutes;
use crate::schedule::{Schedule, ScheduledOp};

/// One operation of the new plan against the old.
#[derive(Debug, Clone, PartialEq)]
pub struct OpChange {
    /// In the new (patched) instance.
    pub op: OpId,
    /// `started`, `frozen`, `kept` (unaffected, with `--only-affected`), `new` (rush order) or
    /// `free` (re-optimised).
    pub status: &'static str,
    /// The old plan's placement (`None` for new operations).
    pub old: Option<(MachineId, Minute)>,
    pub new: (MachineId, Minute),
    pub machine_changed: bool,
    pub sequence_changed: bool,
}

impl OpChange {
    /// Start shift in minutes (0 for new operations).
    pub fn shift(&self) -> Minute {
        self.old.map_or(0, |(_, s)| self.new.1 - s)
    }
}

/// A job whose lateness status changed.
#[derive(Debug, Clone, PartialEq)]
pub struct JobChange {
    pub job: JobId,
    /// Tardiness in the old and new plan (minutes; `None`: not in the old plan).
    pub old_tardiness: Option<Minute>,
    pub new_tardiness: Minute,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChangeReport {
    pub ops: Vec<OpChange>,
    /// Operations of the old plan no longer in the instance (cancelled jobs).
    pub removed: usize,
    pub became_late: Vec<JobChange>,
    pub became_on_time: Vec<JobChange>,
    /// New jobs (rush orders) with their tardiness.
    pub new_jobs: Vec<JobChange>,
}

impl ChangeReport {
    /// Operations present in both plans.
    pub fn kept(&self) -> usize {
        self.ops.iter().filter(|c| c.old.is_some()).count()
    }
    pub fn machine_changes(&self) -> usize {
        self.ops.iter().filter(|c| c.machine_changed).count()
    }
    pub fn sequence_changes(&self) -> usize {
        self.ops.iter().filter(|c| c.sequence_changed).count()
    }
    /// Operations that changed machine or sequence.
    pub fn changed(&self) -> usize {
        self.ops
            .iter()
            .filter(|c| c.machine_changed || c.sequence_changed)
            .count()
    }
    /// Share of kept operations that changed machine or sequence.
    pub fn changed_share(&self) -> f64 {
        let k = self.kept();
        if k == 0 {
            0.0
        } else {
            self.changed() as f64 / k as f64
        }
    }
    pub fn moved(&self) -> usize {
        self.ops
            .iter()
            .filter(|c| c.old.is_some() && c.shift() != 0)
            .count()
    }
}

/// Compares `new` (a schedule of `problem`, the patched instance) with the old plan `old`
/// (indexed by `problem`'s operations: `old[o]` is the old placement, `None` for new operations).
/// `old_tardiness[j]` is the tardiness of job `j` in the old plan under its old due date.
pub fn compare(
    problem: &Problem,
    old: &[Option<ScheduledOp>],
    status: &[&'static str],
    new: &Schedule,
    old_tardiness: &[Option<Minute>],
    removed: usize,
) -> ChangeReport {
    let n = problem.ops.len();
    let mut placed: Vec<Option<ScheduledOp>> = vec![None; n];
    for s in &new.ops {
        placed[s.op.idx()] = Some(*s);
    }
    // Predecessor on the machine among operations of both plans.
    let common = |o: usize| old[o].is_some() && placed[o].is_some();
    let preds = |get: &dyn Fn(usize) -> Option<ScheduledOp>| {
        let mut by_machine: Vec<Vec<(Minute, Minute, usize)>> =
            vec![Vec::new(); problem.machines.len()];
        for o in 0..n {
            if common(o) {
                let s = get(o).expect("common");
                by_machine[s.machine.idx()].push((s.start, s.end, o));
            }
        }
        let mut pred = vec![None; n];
        for list in &mut by_machine {
            list.sort_unstable();
            for w in list.windows(2) {
                pred[w[1].2] = Some(w[0].2);
            }
        }
        pred
    };
    let old_pred = preds(&|o| old[o]);
    let new_pred = preds(&|o| placed[o]);
    let mut report = ChangeReport {
        removed,
        ..Default::default()
    };
    for o in 0..n {
        let Some(s) = placed[o] else { continue };
        let old_place = old[o].map(|x| (x.machine, x.start));
        let machine_changed = old_place.is_some_and(|(m, _)| m != s.machine);
        report.ops.push(OpChange {
            op: OpId(o as u32),
            status: status[o],
            old: old_place,
            new: (s.machine, s.start),
            machine_changed,
            sequence_changed: common(o) && !machine_changed && old_pred[o] != new_pred[o],
        });
    }
    // Jobs.
    let mut completion = vec![Minute::MIN; problem.jobs.len()];
    for s in &new.ops {
        let j = problem.op(s.op).job.idx();
        completion[j] = completion[j].max(s.end);
    }
    for (j, job) in problem.jobs.iter().enumerate() {
        let Some(due) = job.due else { continue };
        let t = (completion[j] - due).max(0);
        let c = JobChange {
            job: JobId(j as u32),
            old_tardiness: old_tardiness[j],
            new_tardiness: t,
        };
        match old_tardiness[j] {
            None => report.new_jobs.push(c),
            Some(0) if t > 0 => report.became_late.push(c),
            Some(x) if x > 0 && t == 0 => report.became_on_time.push(c),
            _ => {}
        }
    }
    report
}

/// The change report for people (stdout), with at most `top` lines per list.
pub fn render(problem: &Problem, r: &ChangeReport, top: usize) -> String {
    let mut out = String::new();
    let kept = r.kept();
    let pct = |k: usize| {
        if kept == 0 {
            0.0
        } else {
            100.0 * k as f64 / kept as f64
        }
    };
    out.push_str(&format!(
        "changes against the plan: {kept} operations kept, {} new, {} removed (cancelled)\n",
        r.ops.len() - kept,
        r.removed
    ));
    out.push_str(&format!(
        "  machine changed:              {:>6} ({:.1}%)\n",
        r.machine_changes(),
        pct(r.machine_changes())
    ));
    out.push_str(&format!(
        "  sequence changed:             {:>6} ({:.1}%)  (another operation just before it on its machine)\n",
        r.sequence_changes(),
        pct(r.sequence_changes())
    ));
    out.push_str(&format!(
        "  machine or sequence changed:  {:>6} ({:.1}%)\n",
        r.changed(),
        pct(r.changed())
    ));
    let shifts: Vec<Minute> = r
        .ops
        .iter()
        .filter(|c| c.old.is_some())
        .map(|c| c.shift())
        .filter(|&s| s != 0)
        .collect();
    let later = shifts.iter().filter(|&&s| s > 0).count();
    let earlier = shifts.len() - later;
    let mean = if shifts.is_empty() {
        0
    } else {
        shifts.iter().map(|s| s.abs()).sum::<Minute>() / shifts.len() as Minute
    };
    out.push_str(&format!(
        "  start moved:                  {:>6} ({later} later, up to {}; {earlier} earlier, up to {}; mean |move| {})\n",
        shifts.len(),
        fmt_minutes(shifts.iter().copied().max().unwrap_or(0).max(0)),
        fmt_minutes(-shifts.iter().copied().min().unwrap_or(0).min(0)),
        fmt_minutes(mean)
    ));
    let mut moved: Vec<&OpChange> = r
        .ops
        .iter()
        .filter(|c| c.old.is_some() && (c.shift() != 0 || c.machine_changed))
        .collect();
    moved.sort_by_key(|c| (std::cmp::Reverse(c.shift().abs()), c.op));
    if !moved.is_empty() {
        out.push_str(&format!("largest moves (top {}):\n", top.min(moved.len())));
        for c in moved.iter().take(top) {
            let (m0, s0) = c.old.expect("kept");
            out.push_str(&format!(
                "  {:<24} {} {} -> {} {}  ({}{})\n",
                problem.op_name(c.op),
                problem.machine(m0).id,
                problem.datetime(s0),
                problem.machine(c.new.0).id,
                problem.datetime(c.new.1),
                if c.shift() >= 0 { "+" } else { "" },
                fmt_minutes(c.shift())
            ));
        }
    }
    let jobs = |title: &str, list: &[JobChange], out: &mut String| {
        if list.is_empty() {
            return;
        }
        out.push_str(&format!("{title} ({}):\n", list.len()));
        for c in list.iter().take(top) {
            out.push_str(&format!(
                "  {:<24} tardiness {} -> {}\n",
                problem.job(c.job).id,
                c.old_tardiness.map_or("-".to_string(), fmt_minutes),
                fmt_minutes(c.new_tardiness)
            ));
        }
        if list.len() > top {
            out.push_str(&format!("  ... and {} more\n", list.len() - top));
        }
    };
    jobs("jobs that became late", &r.became_late, &mut out);
    jobs("jobs now on time", &r.became_on_time, &mut out);
    jobs("new jobs", &r.new_jobs, &mut out);
    out
}

/// The per-operation change report as CSV.
pub fn csv(problem: &Problem, r: &ChangeReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "job",
        "operation",
        "status",
        "old_machine",
        "new_machine",
        "old_start",
        "new_start",
        "old_start_time",
        "new_start_time",
        "shift_minutes",
        "machine_changed",
        "sequence_changed",
    ])
    .expect("writing to memory");
    for c in &r.ops {
        let op = problem.op(c.op);
        let (om, os, ot) = match c.old {
            Some((m, s)) => (
                problem.machine(m).id.clone(),
                s.to_string(),
                problem.datetime(s),
            ),
            None => Default::default(),
        };
        w.write_record([
            problem.job(op.job).id.clone(),
            op.id.clone(),
            c.status.to_string(),
            om,
            problem.machine(c.new.0).id.clone(),
            os,
            c.new.1.to_string(),
            ot,
            problem.datetime(c.new.1),
            c.shift().to_string(),
            c.machine_changed.to_string(),
            c.sequence_changed.to_string(),
        ])
        .expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8")
}
