//! What set each scheduled operation's start ([`analyse`]), and the chain of those causes back
//! from a job's last operation ([`chain`]).

use super::secondary::SecondaryView;
use crate::engine::{self, pin, place, routing, Cause, MachineSlot, PredPlaced};
use crate::eval::kpi::StockCause;
use crate::model::{
    FamilyId, ItemId, JobId, MachineId, Minute, OpId, PlantId, Problem, ResourceId,
};
use crate::schedule::Schedule;

/// What made an operation's job ready (before the machine is considered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadyBy {
    /// Nothing: minute 0 (the horizon start).
    HorizonStart,
    /// The job's release time.
    Release(Minute),
    /// The operation's own `not_before` (a material delay, a quality hold).
    NotBefore(Minute),
    /// The routing predecessor's end plus the transfer between the two machines' plants.
    Predecessor {
        pred: OpId,
        end: Minute,
        transfer: Minute,
        from: PlantId,
        to: PlantId,
    },
    /// A pinned start.
    Pinned(Minute),
}

/// Which side set the start: the machine (its previous operation, with the changeover) or the
/// job (release, predecessor, pin), possibly delayed by the calendar in both cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Machine { prev: OpId, prev_end: Minute },
    Job,
}

/// What delayed an operation beyond what its machine and job allowed: a secondary resource or a
/// material.
#[derive(Debug, Clone, PartialEq)]
pub enum Secondary {
    /// `needed` units of `resource` (for the operation, or for the changeover before it) were not
    /// free at minute `at`: `capacity` units, of which `holders` held `in_use`; they were free
    /// from `until` on.
    Resource {
        resource: ResourceId,
        changeover: bool,
        at: Minute,
        until: Minute,
        capacity: u32,
        needed: u32,
        in_use: u32,
        /// Operations holding the resource at `at` (`true`: their changeover), with their units.
        holders: Vec<(OpId, bool, u32)>,
    },
    /// The stock of `item` covered the consumption `needed` (without going negative later) only
    /// from `at`, thanks to the changes there (receipts, productions).
    Material {
        item: ItemId,
        needed: f64,
        at: Minute,
        sources: Vec<(StockCause, f64)>,
    },
}

/// What set one scheduled operation's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Index into `schedule.ops`.
    pub index: usize,
    pub op: OpId,
    pub machine: MachineId,
    pub setup_start: Option<Minute>,
    pub start: Minute,
    pub end: Minute,
    /// Working minutes of the operation on its machine.
    pub duration: Minute,
    /// When the job side allowed the start, and why.
    pub ready: Minute,
    pub ready_by: ReadyBy,
    /// The previous operation on the machine (start order) and its end.
    pub prev: Option<(OpId, Minute)>,
    /// Family the machine had before (the previous operation's or its initial family).
    pub family_before: Option<FamilyId>,
    /// Changeover minutes before this operation.
    pub changeover: Minute,
    /// The wait from `ready` to `start`, split: the machine's calendar (closed, or no long enough
    /// interval for an atomic operation), the machine busy with its previous operation, the
    /// changeover, and a start later than the rules need (idle).
    pub wait_calendar: Minute,
    pub wait_busy: Minute,
    pub wait_changeover: Minute,
    /// From what the machine and job allowed to what secondary resources and materials allowed
    /// (wall-clock minutes; 0 without such a wait). `wait_calendar + wait_busy +
    /// wait_changeover + wait_secondary + wait_idle = start − ready` when the start is feasible.
    pub wait_secondary: Minute,
    pub wait_idle: Minute,
    /// The earliest start its machine and job alone allow.
    pub machine_earliest: Minute,
    /// The earliest start the rules allow given everything before it (resources and materials
    /// included).
    pub earliest: Minute,
    pub bound: Bound,
    /// The resource or material that set the start, if one did.
    pub secondary: Option<Secondary>,
    /// The engine's binding cause ([`engine::binding_cause`]) from what this step found: the
    /// same the decoder records for the operation when it placed it (local search walks it).
    pub cause: Cause,
}

impl Step {
    /// The schedule starts this operation before the rules allow (the referee will say why).
    pub fn too_early(&self) -> bool {
        self.start < self.earliest
    }
}

/// What set each scheduled operation's start, for a whole schedule.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Indexed like `schedule.ops`.
    pub steps: Vec<Step>,
    /// Index into `steps` of each operation (`None` when the schedule leaves it out).
    pub position: Vec<Option<usize>>,
}

impl Analysis {
    pub fn step_of(&self, o: OpId) -> Option<&Step> {
        self.position[o.idx()].map(|i| &self.steps[i])
    }
}

/// Analyses every operation of `schedule` (any timed schedule, valid or not).
pub fn analyse(problem: &Problem, schedule: &Schedule) -> Analysis {
    let ops = &schedule.ops;
    let mut position = vec![None; problem.ops.len()];
    for (i, s) in ops.iter().enumerate() {
        position[s.op.idx()].get_or_insert(i);
    }
    // Previous operation on the same machine, in start order (the changeover rule's order).
    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by_key(|&i| (ops[i].machine, ops[i].start, ops[i].end, ops[i].op));
    let mut prev_of = vec![None; ops.len()];
    for w in order.windows(2) {
        if ops[w[0]].machine == ops[w[1]].machine {
            prev_of[w[1]] = Some(w[0]);
        }
    }
    let sec = SecondaryView::new(problem, schedule);
    let steps = ops
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let op = problem.op(s.op);
            let job = problem.job(op.job);
            let m = s.machine;
            let machine = problem.machine(m);
            let av = &machine.availability;
            let duration = op
                .duration_on(m)
                .unwrap_or_else(|| av.working_minutes(s.start, s.end));
            // The job side is the engine's routing and pin rules.
            let pred = problem.pred(s.op).and_then(|p| {
                position[p.idx()].map(|pi| PredPlaced {
                    op: p,
                    machine: ops[pi].machine,
                    end: ops[pi].end,
                })
            });
            let routed = routing::ready(problem, s.op, m, pred);
            let mut ready = problem.op_release(s.op).max(0);
            let mut ready_by = match op.not_before {
                Some(nb) if nb > job.release && nb > 0 => ReadyBy::NotBefore(nb),
                _ if job.release > 0 => ReadyBy::Release(job.release),
                _ => ReadyBy::HorizonStart,
            };
            if let (Some((p, transfer)), Some(pp)) = (routed.by_pred, pred) {
                if routed.at > ready {
                    ready = routed.at;
                    ready_by = ReadyBy::Predecessor {
                        pred: p,
                        end: pp.end,
                        transfer,
                        from: problem.machine(pp.machine).plant,
                        to: machine.plant,
                    };
                }
            }
            if let Some(pin) = op.pinned {
                if pin.start >= ready {
                    ready = pin.start;
                    ready_by = ReadyBy::Pinned(pin.start);
                }
            }
            let prev = prev_of[i].map(|q| (ops[q].op, ops[q].end));
            let slot = MachineSlot::of(problem, m, prev.map(|p| p.0), prev.map_or(0, |p| p.1));
            let (free, family_before) = (slot.free, slot.family);
            let c = slot.setup(problem, m, op.family);
            let a = place(av, 0, ready, 0, duration, op.atomic).start;
            let b = place(av, free, ready, 0, duration, op.atomic).start.max(a);
            let f = place(av, free, ready, c, duration, op.atomic).start.max(b);
            let secondary = sec.earliest(problem, i, s, free, ready, c, duration, f);
            let waited = secondary.as_ref().map(|(_, w)| match w {
                Secondary::Resource { resource, .. } => engine::Wait::Resource(*resource),
                Secondary::Material { item, .. } => engine::Wait::Material(*item),
            });
            let cause = engine::binding_cause(
                &slot,
                c,
                pin::ready(op, routed.at),
                routed.by_pred.is_some(),
                waited,
            );
            let e = secondary.as_ref().map_or(f, |x| x.0);
            let wait_calendar = (a.min(s.start) - ready).max(0);
            let wait_busy = (b.min(s.start) - a).max(0);
            let wait_changeover = (f.min(s.start) - b).max(0);
            let wait_secondary = (e.min(s.start) - f).max(0);
            let wait_idle = (s.start - e).max(0);
            let bound = match prev {
                Some((q, e)) if wait_busy + wait_changeover > 0 => Bound::Machine {
                    prev: q,
                    prev_end: e,
                },
                _ => Bound::Job,
            };
            Step {
                index: i,
                op: s.op,
                machine: m,
                setup_start: s.setup_start.filter(|&ss| ss < s.start),
                start: s.start,
                end: s.end,
                duration,
                ready,
                ready_by,
                prev,
                family_before,
                changeover: c,
                wait_calendar,
                wait_busy,
                wait_changeover,
                wait_secondary,
                wait_idle,
                machine_earliest: f,
                earliest: e,
                bound,
                secondary: secondary.map(|x| x.1),
                cause,
            }
        })
        .collect();
    Analysis { steps, position }
}

/// The chain of steps that set a job's completion: its last operation, then whatever set that
/// operation's start (the machine's previous operation or the job's predecessor), and so on back
/// to a release, a pin or the horizon start. Indices into `analysis.steps`.
pub fn chain(problem: &Problem, analysis: &Analysis, job: JobId) -> Vec<usize> {
    let mut out = Vec::new();
    let Some(mut cur) = analysis.position[problem.job(job).last_op().idx()] else {
        return out;
    };
    let mut seen = vec![false; analysis.steps.len()];
    loop {
        if seen[cur] {
            break; // only possible in a schedule that breaks the rules
        }
        seen[cur] = true;
        out.push(cur);
        let s = &analysis.steps[cur];
        let next = match (s.bound, s.ready_by) {
            (Bound::Machine { prev, .. }, _) => analysis.position[prev.idx()],
            (Bound::Job, ReadyBy::Predecessor { pred, .. }) => analysis.position[pred.idx()],
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => break,
        }
    }
    out
}
