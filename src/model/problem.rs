//! The validated instance: plain data with dense ids, built once by `validate` and read by every
//! solver, the evaluator, the referee and the reporter. Nothing here re-parses or re-validates.

use super::calendar::{Availability, CalendarRules, WeekAnchor};
use super::compact::Compact;
pub use super::secondary::{Item, ItemId, Requirement, Resource, ResourceId};
use super::time::{datetime_at, format_datetime, Minute};
use jiff::civil::DateTime;
use std::collections::HashMap;

macro_rules! dense_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);
        impl $name {
            #[inline]
            pub fn idx(self) -> usize {
                self.0 as usize
            }
        }
    };
}

dense_id!(
    /// Index into `Problem::jobs`.
    JobId
);
dense_id!(
    /// Index into `Problem::ops` (operations of a job are contiguous, in routing order).
    OpId
);
dense_id!(
    /// Index into `Problem::machines`.
    MachineId
);
dense_id!(
    /// Index into `Problem::plants`.
    PlantId
);
dense_id!(
    /// Index into `Problem::families`.
    FamilyId
);

/// The objective terms and their weights; every solver minimises exactly this weighted sum.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ObjectiveWeights {
    pub makespan: f64,
    pub weighted_tardiness: f64,
    pub late_jobs: f64,
    pub flow_time: f64,
    pub changeover_time: f64,
    pub earliness: f64,
}

impl ObjectiveWeights {
    /// Term names as written in instances, in a fixed order.
    pub const TERMS: [&'static str; 6] = [
        "makespan",
        "weighted_tardiness",
        "late_jobs",
        "flow_time",
        "changeover_time",
        "earliness",
    ];

    pub fn get_mut(&mut self, term: &str) -> Option<&mut f64> {
        Some(match term {
            "makespan" => &mut self.makespan,
            "weighted_tardiness" => &mut self.weighted_tardiness,
            "late_jobs" => &mut self.late_jobs,
            "flow_time" => &mut self.flow_time,
            "changeover_time" => &mut self.changeover_time,
            "earliness" => &mut self.earliness,
            _ => return None,
        })
    }

    /// Weights in the order of [`Self::TERMS`].
    pub fn as_array(&self) -> [f64; 6] {
        [
            self.makespan,
            self.weighted_tardiness,
            self.late_jobs,
            self.flow_time,
            self.changeover_time,
            self.earliness,
        ]
    }
}

#[derive(Debug, Clone)]
pub struct Plant {
    pub id: String,
}

#[derive(Debug, Clone)]
pub struct Machine {
    pub id: String,
    pub plant: PlantId,
    /// Index into `Problem::calendars`, `None` when always available (but for downtime).
    pub calendar: Option<usize>,
    pub downtime: Vec<(Minute, Minute)>,
    /// Index into `Problem::changeover_matrices`; `None`: this machine never needs a changeover.
    pub changeovers: Option<usize>,
    pub initial_family: Option<FamilyId>,
    /// Resources every changeover on this machine holds.
    pub changeover_require: Vec<Requirement>,
    /// Compiled working time (calendar and downtime), for the decoder.
    pub availability: Availability,
}

/// Changeover minutes `minutes[from][to]`, `None` where the instance gives no value
/// (validation guarantees that every pair that can occur has one).
#[derive(Debug, Clone)]
pub struct ChangeoverMatrix {
    pub id: String,
    pub minutes: Vec<Vec<Option<Minute>>>,
}

#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub release: Minute,
    pub due: Option<Minute>,
    pub deadline: Option<Minute>,
    pub weight: f64,
    /// Order quantity, when the instance gives one (informative).
    pub quantity: Option<f64>,
    /// Items added to stock when the job completes.
    pub produce: Vec<(ItemId, f64)>,
    /// The job's operations, `ops.start..ops.end` in routing order.
    pub first_op: u32,
    pub op_count: u32,
}

impl Job {
    pub fn ops(&self) -> impl DoubleEndedIterator<Item = OpId> + ExactSizeIterator {
        (self.first_op..self.first_op + self.op_count).map(OpId)
    }
    pub fn last_op(&self) -> OpId {
        OpId(self.first_op + self.op_count - 1)
    }
}

/// One eligible machine of an operation with its duration (working minutes) there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    pub machine: MachineId,
    pub duration: Minute,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    pub job: JobId,
    /// Position in the job's routing (0-based).
    pub index: u32,
    pub family: Option<FamilyId>,
    pub modes: Vec<Mode>,
    pub atomic: bool,
    pub pinned: Option<Pin>,
    /// Earliest start of this operation alone (material due, quality hold), on top of the job's
    /// release; see [`Problem::op_release`].
    pub not_before: Option<Minute>,
    /// Secondary resources held during the operation's working minutes.
    pub require: Vec<Requirement>,
    /// Items taken from stock when the operation starts.
    pub consume: Vec<(ItemId, f64)>,
}

impl Operation {
    /// Duration on `m`, `None` when `m` is not eligible.
    pub fn duration_on(&self, m: MachineId) -> Option<Minute> {
        self.modes
            .iter()
            .find(|mode| mode.machine == m)
            .map(|mode| mode.duration)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pin {
    pub machine: MachineId,
    pub start: Minute,
}

/// What a repair does with an operation a breakdown interrupts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Interruption {
    /// The operation pauses over the breakdown and finishes its remaining minutes after it.
    #[default]
    Resume,
    /// The work done is lost: the operation runs its full duration again after the repair.
    Restart,
}

/// A plan to stay close to (rescheduling): every solver adds [`Stability::penalty`] to the
/// objective, so moving an operation must pay for itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stability {
    /// Machine and start of each operation in the previous plan (`None`: new operation).
    pub baseline: Vec<Option<(MachineId, Minute)>>,
    /// Cost of running an operation on another machine than in the baseline.
    pub machine_change: f64,
    /// Cost per minute an operation's start moves (earlier or later).
    pub per_minute: f64,
    /// The operation just before each one on its machine in the previous plan, among the
    /// operations both plans contain (`None`: it was first). Empty: no sequence-change cost.
    pub baseline_pred: Vec<Option<OpId>>,
    /// Cost of an operation that stays on its machine but gets another predecessor there
    /// (among the operations both plans contain): a change to the sequence the shop saw.
    pub sequence_change: f64,
}

impl Stability {
    /// Penalty of operation `o` on machine `m` starting at `start`, after `pred` (the last
    /// operation before it on `m` that the baseline also has).
    #[inline]
    pub fn penalty(&self, o: OpId, m: MachineId, start: Minute, pred: Option<OpId>) -> f64 {
        match self.baseline.get(o.idx()).copied().flatten() {
            Some((m0, s0)) => {
                let moved = if m0 != m {
                    self.machine_change
                } else if self.sequence_change > 0.0
                    && self.baseline_pred.get(o.idx()).is_some_and(|&p| p != pred)
                {
                    self.sequence_change
                } else {
                    0.0
                };
                moved + self.per_minute * (start - s0).abs() as f64
            }
            None => 0.0,
        }
    }

    /// Whether operation `o` is in the baseline (a "common" operation for sequence changes).
    #[inline]
    pub fn in_baseline(&self, o: OpId) -> bool {
        self.baseline.get(o.idx()).is_some_and(Option::is_some)
    }
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub(crate) name: String,
    pub(crate) horizon_start: DateTime,
    pub(crate) horizon_end: Option<Minute>,
    pub(crate) week: WeekAnchor,
    pub(crate) objective: ObjectiveWeights,
    pub(crate) plants: Vec<Plant>,
    /// `transfer[from][to]` in calendar minutes; `None` where the instance gives no value
    /// (validation guarantees every cross-plant move a routing can need has one).
    pub(crate) transfer: Vec<Vec<Option<Minute>>>,
    pub(crate) calendars: Vec<CalendarRules>,
    pub(crate) families: Vec<String>,
    pub(crate) changeover_matrices: Vec<ChangeoverMatrix>,
    pub(crate) machines: Vec<Machine>,
    pub(crate) jobs: Vec<Job>,
    pub(crate) ops: Vec<Operation>,
    /// For each machine, the operations eligible on it.
    pub(crate) ops_by_machine: Vec<Vec<OpId>>,
    /// Secondary resources (operators, tools, ...), indexed by `ResourceId`.
    pub(crate) resources: Vec<Resource>,
    /// Materials, indexed by `ItemId`.
    pub(crate) items: Vec<Item>,
    /// See [`Interruption`]; only rescheduling reads it.
    pub(crate) interrupted_operations: Interruption,
    /// Set by rescheduling: the previous plan and what moving away from it costs.
    pub(crate) stability: Option<Stability>,
    job_index: HashMap<String, JobId>,
    machine_index: HashMap<String, MachineId>,
    /// Cached [`Self::has_secondary`] (the decoder asks for every operation).
    secondary: bool,
    /// What a placement reads of each operation, packed (src/model/compact.rs).
    compact: Compact,
}

impl Problem {
    /// Builds the index maps; called by validation only (the benchmark readers validate too).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        name: String,
        horizon_start: DateTime,
        horizon_end: Option<Minute>,
        objective: ObjectiveWeights,
        plants: Vec<Plant>,
        transfer: Vec<Vec<Option<Minute>>>,
        calendars: Vec<CalendarRules>,
        families: Vec<String>,
        changeover_matrices: Vec<ChangeoverMatrix>,
        machines: Vec<Machine>,
        jobs: Vec<Job>,
        ops: Vec<Operation>,
        resources: Vec<Resource>,
        items: Vec<Item>,
        interrupted_operations: Interruption,
    ) -> Self {
        let week = week_anchor(horizon_start);
        let mut ops_by_machine = vec![Vec::new(); machines.len()];
        for (i, op) in ops.iter().enumerate() {
            for mode in &op.modes {
                ops_by_machine[mode.machine.idx()].push(OpId(i as u32));
            }
        }
        let job_index = jobs
            .iter()
            .enumerate()
            .map(|(i, j)| (j.id.clone(), JobId(i as u32)))
            .collect();
        let machine_index = machines
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), MachineId(i as u32)))
            .collect();
        let secondary = ops
            .iter()
            .any(|o| !o.require.is_empty() || !o.consume.is_empty())
            || machines.iter().any(|m| !m.changeover_require.is_empty());
        let compact = Compact::build(&jobs, &ops, &items);
        Problem {
            secondary,
            compact,
            name,
            horizon_start,
            horizon_end,
            week,
            objective,
            plants,
            transfer,
            calendars,
            families,
            changeover_matrices,
            machines,
            jobs,
            ops,
            ops_by_machine,
            resources,
            items,
            interrupted_operations,
            stability: None,
            job_index,
            machine_index,
        }
    }

    pub fn op(&self, o: OpId) -> &Operation {
        &self.ops[o.idx()]
    }
    pub fn job(&self, j: JobId) -> &Job {
        &self.jobs[j.idx()]
    }
    pub fn machine(&self, m: MachineId) -> &Machine {
        &self.machines[m.idx()]
    }
    pub fn job_by_id(&self, id: &str) -> Option<JobId> {
        self.job_index.get(id).copied()
    }
    pub fn machine_by_id(&self, id: &str) -> Option<MachineId> {
        self.machine_index.get(id).copied()
    }
    /// The operation `op_id` of job `job`.
    pub fn op_by_id(&self, job: JobId, op_id: &str) -> Option<OpId> {
        self.job(job).ops().find(|&o| self.op(o).id == op_id)
    }

    /// Whether any operation or changeover needs a secondary resource or consumes an item:
    /// then the decoder works in priority order and the solvers honour both.
    #[inline]
    pub fn has_secondary(&self) -> bool {
        self.secondary
    }

    pub fn resource_by_id(&self, id: &str) -> Option<ResourceId> {
        self.resources
            .iter()
            .position(|r| r.id == id)
            .map(|i| ResourceId(i as u32))
    }

    pub fn item_by_id(&self, id: &str) -> Option<ItemId> {
        self.items
            .iter()
            .position(|r| r.id == id)
            .map(|i| ItemId(i as u32))
    }

    /// Earliest start of operation `o` on its own: its job's release, or its `not_before`
    /// when later.
    #[inline]
    pub fn op_release(&self, o: OpId) -> Minute {
        self.compact.core(o).release
    }

    /// The routing predecessor of `o`, if any.
    #[inline]
    pub fn pred(&self, o: OpId) -> Option<OpId> {
        self.compact.core(o).has_pred().then(|| OpId(o.0 - 1))
    }

    /// What a placement reads of each operation, packed: the hot loops read this instead of
    /// [`Self::op`] (the same data, a few cache lines instead of scattered structs).
    #[inline]
    pub fn compact(&self) -> &Compact {
        &self.compact
    }

    /// Calendar minutes a job needs between an operation on `from` and the next on `to`.
    /// Validation guarantees a value for every pair a routing can produce; an absent same-plant
    /// entry is 0 (the documented default).
    #[inline]
    pub fn transfer_time(&self, from: MachineId, to: MachineId) -> Minute {
        let (a, b) = (self.machine(from).plant, self.machine(to).plant);
        self.transfer[a.idx()][b.idx()].unwrap_or(0)
    }

    /// Changeover minutes on machine `m` before an operation of family `to` when the machine last
    /// ran family `from` (or its initial family). 0 when either has no family or the machine has
    /// no changeover matrix.
    #[inline]
    pub fn changeover(&self, m: MachineId, from: Option<FamilyId>, to: Option<FamilyId>) -> Minute {
        match (self.machine(m).changeovers, from, to) {
            (Some(c), Some(a), Some(b)) => {
                self.changeover_matrices[c].minutes[a.idx()][b.idx()].unwrap_or(0)
            }
            _ => 0,
        }
    }

    /// The datetime of minute `m`, as takt writes it.
    pub fn datetime(&self, m: Minute) -> String {
        format_datetime(datetime_at(self.horizon_start, m))
    }

    /// One line: name and size, as the commands print it.
    pub fn summary(&self) -> String {
        format!(
            "{}: {} jobs, {} operations, {} machines, {} plants",
            self.name,
            self.jobs.len(),
            self.ops.len(),
            self.machines.len(),
            self.plants.len()
        )
    }

    /// Display name `JOB/OP` of an operation, for messages.
    pub fn op_name(&self, o: OpId) -> String {
        let op = self.op(o);
        format!("{}/{}", self.job(op.job).id, op.id)
    }
}

/// Read access to a validated problem. The fields are `pub(crate)`: outside the crate a
/// [`Problem`] is read-only, and inside it only validation builds one ([`Problem::new`] is
/// called by [`crate::model::validate::validate`] alone; the benchmark readers go through validation too).
/// What a repair adds to a validated problem, the stability term, comes through the checking
/// constructor [`Problem::with_stability`], never by assigning a field.
impl Problem {
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn horizon_start(&self) -> DateTime {
        self.horizon_start
    }
    pub fn horizon_end(&self) -> Option<Minute> {
        self.horizon_end
    }
    pub fn week(&self) -> WeekAnchor {
        self.week
    }
    pub fn objective(&self) -> ObjectiveWeights {
        self.objective
    }
    pub fn plants(&self) -> &[Plant] {
        &self.plants
    }
    /// `transfer()[from][to]` in calendar minutes (see the field).
    pub fn transfer(&self) -> &[Vec<Option<Minute>>] {
        &self.transfer
    }
    pub fn calendars(&self) -> &[CalendarRules] {
        &self.calendars
    }
    pub fn families(&self) -> &[String] {
        &self.families
    }
    pub fn changeover_matrices(&self) -> &[ChangeoverMatrix] {
        &self.changeover_matrices
    }
    pub fn machines(&self) -> &[Machine] {
        &self.machines
    }
    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }
    pub fn ops(&self) -> &[Operation] {
        &self.ops
    }
    pub fn ops_by_machine(&self) -> &[Vec<OpId>] {
        &self.ops_by_machine
    }
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }
    pub fn items(&self) -> &[Item] {
        &self.items
    }
    pub fn interrupted_operations(&self) -> Interruption {
        self.interrupted_operations
    }
    pub fn stability(&self) -> Option<&Stability> {
        self.stability.as_ref()
    }

    /// This problem with a repair's stability term in its objective.
    ///
    /// Why on the [`Problem`] and not an option passed beside it: the stability term is part of
    /// the objective, and the decoder, the search's moves and evaluation, the MIP's refusal and
    /// every report read the objective from the problem. Carried by the problem, all of them
    /// price the same objective exactly, with no second argument to forget on some path. It is
    /// checked here against the problem (one baseline entry per operation, machines and
    /// predecessors that exist, finite non-negative costs), so a validated problem never
    /// carries a baseline made for another instance.
    pub fn with_stability(mut self, stability: Stability) -> Result<Problem, StabilityMismatch> {
        let n = self.ops.len();
        let bad = |what: String| Err(StabilityMismatch(what));
        if stability.baseline.len() != n {
            return bad(format!(
                "a baseline of {} operations for a problem of {n}",
                stability.baseline.len()
            ));
        }
        if !stability.baseline_pred.is_empty() && stability.baseline_pred.len() != n {
            return bad(format!(
                "baseline predecessors for {} operations in a problem of {n}",
                stability.baseline_pred.len()
            ));
        }
        if let Some(m) = stability
            .baseline
            .iter()
            .flatten()
            .find(|(m, _)| m.idx() >= self.machines.len())
        {
            return bad(format!("baseline machine {} does not exist", m.0 .0));
        }
        if let Some(p) = stability
            .baseline_pred
            .iter()
            .flatten()
            .find(|p| p.idx() >= n)
        {
            return bad(format!("baseline predecessor {} does not exist", p.0));
        }
        for (what, w) in [
            ("machine change", stability.machine_change),
            ("per-minute", stability.per_minute),
            ("sequence change", stability.sequence_change),
        ] {
            if !(w.is_finite() && w >= 0.0) {
                return bad(format!("{what} cost {w} is not a number ≥ 0"));
            }
        }
        self.stability = Some(stability);
        Ok(self)
    }

    /// This problem with the instance's own objective: without a repair's stability term
    /// (KPIs comparable with the original plan's).
    pub fn without_stability(&self) -> Problem {
        Problem {
            stability: None,
            ..self.clone()
        }
    }
}

/// [`Problem::with_stability`] refuses stability terms that do not fit the problem (a bug in
/// the caller, never a property of the user's files).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the stability terms do not fit the problem: {0}")]
pub struct StabilityMismatch(String);

/// Monday 00:00 of the week holding the horizon start, in minutes from it.
pub fn week_anchor(start: DateTime) -> WeekAnchor {
    let wd = start.weekday().to_monday_zero_offset() as Minute;
    WeekAnchor {
        monday: -(wd * 24 * 60 + start.hour() as Minute * 60 + start.minute() as Minute),
    }
}
