//! Why a job finishes when it does: for each scheduled operation, what set its start (the job's
//! release, its routing predecessor plus transfer, the machine busy with another operation, a
//! changeover, the machine's calendar, or a pin), and the chain of those causes walking back from
//! a job's last operation. The rules are the placement engine's (src/engine): the job side from
//! its routing and pin rules, the earliest start under each machine constraint from
//! [`crate::engine::place`], and the wait for resources and materials from [`engine::settle`],
//! the same fixed point every solver places with; [`Step::cause`] is the engine's binding cause.
//!
//! Secondary resources and materials come on top, read from the timed schedule (not the
//! decoder): after the machine and the job, an operation may still wait for units of a resource
//! (every unit busy with other operations, or no capacity in that shift) or for an item's stock
//! (a receipt or a job's production). Its start was set by one of those when it equals the first
//! instant at which, given every other operation of the schedule, the resource has the units free
//! over the operation's whole working span and the stock covers its consumption without going
//! negative later, and that instant is later than what its machine and job alone allowed.
//!
//! The chain also splits the time from minute 0 to the job's completion into pieces (own work,
//! other jobs' work on a machine, changeovers, closed time, waits for a resource or a material,
//! idle time, transfers, release), which add up to the completion exactly for a valid schedule. Summed over late jobs, per machine, they
//! say which machine late jobs waited for most ([`lateness_by_machine`]).

use super::compare::num;
use super::{closures, fmt_minutes, fmt_when, Closure};
use crate::engine::materials::material_from;
use crate::engine::resources::first_conflict;
use crate::engine::{self, pin, place, routing, Cause, MachineSlot, PredPlaced, Request};
use crate::eval::kpi::{item_stocks, resource_holds, working_intervals, Hold, StockCause};
use crate::model::{
    FamilyId, ItemId, JobId, MachineId, Minute, OpId, PlantId, Problem, ResourceId,
};
use crate::schedule::Schedule;
use std::collections::BTreeMap;

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

/// A piece of the time line from minute 0 to a job's completion, along its chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// The job's own operation working.
    OwnWork {
        machine: MachineId,
        minutes: Minute,
    },
    /// Another job's operation working on the machine the chain waits for.
    OtherWork {
        machine: MachineId,
        job: JobId,
        minutes: Minute,
    },
    Changeover {
        machine: MachineId,
        minutes: Minute,
    },
    Closed {
        machine: MachineId,
        kind: Closure,
        minutes: Minute,
    },
    /// Working time of the machine in which the operation waited for a secondary resource.
    ResourceWait {
        machine: MachineId,
        resource: ResourceId,
        minutes: Minute,
    },
    /// Working time of the machine in which the operation waited for a material.
    MaterialWait {
        machine: MachineId,
        item: ItemId,
        minutes: Minute,
    },
    /// Working time in which nothing on the chain happened (a start later than needed, or an
    /// atomic operation waiting for a long enough interval).
    Idle {
        machine: MachineId,
        minutes: Minute,
    },
    Transfer {
        from: PlantId,
        to: PlantId,
        minutes: Minute,
    },
    /// From minute 0 to the release of the job at the chain's origin.
    Release {
        minutes: Minute,
    },
    /// From minute 0 to a pinned start at the chain's origin.
    Pinned {
        minutes: Minute,
    },
}

impl Piece {
    pub fn minutes(&self) -> Minute {
        match *self {
            Piece::OwnWork { minutes, .. }
            | Piece::OtherWork { minutes, .. }
            | Piece::Changeover { minutes, .. }
            | Piece::Closed { minutes, .. }
            | Piece::ResourceWait { minutes, .. }
            | Piece::MaterialWait { minutes, .. }
            | Piece::Idle { minutes, .. }
            | Piece::Transfer { minutes, .. }
            | Piece::Release { minutes }
            | Piece::Pinned { minutes } => minutes,
        }
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

/// The schedule's resource holds and stock changes, for finding what each operation waited for.
struct SecondaryView {
    holds: Vec<Hold>,
    /// Per resource, indices into `holds`.
    by_resource: Vec<Vec<usize>>,
    /// Per schedule index, indices into `holds` of its own holds.
    own: Vec<Vec<usize>>,
    /// Per item, `(at, change, cause)` in time order.
    stock: Vec<Vec<(Minute, f64, StockCause)>>,
}

impl SecondaryView {
    fn new(problem: &Problem, schedule: &Schedule) -> SecondaryView {
        let holds = if problem.resources.is_empty() {
            Vec::new()
        } else {
            resource_holds(problem, schedule)
        };
        let mut by_resource = vec![Vec::new(); problem.resources.len()];
        let mut own = vec![Vec::new(); schedule.ops.len()];
        for (k, h) in holds.iter().enumerate() {
            by_resource[h.resource.idx()].push(k);
            own[h.index].push(k);
        }
        let stock = item_stocks(problem, schedule, 0)
            .into_iter()
            .map(|it| {
                it.timeline
                    .iter()
                    .map(|e| (e.at, e.change, e.cause))
                    .collect()
            })
            .collect();
        SecondaryView {
            holds,
            by_resource,
            own,
            stock,
        }
    }

    /// Usage of resource `r` by every hold but those of schedule index `skip`.
    fn others(&self, r: ResourceId, skip: usize) -> Vec<(Minute, u32)> {
        let mut d: Vec<(Minute, i64)> = Vec::new();
        for &k in &self.by_resource[r.idx()] {
            let h = &self.holds[k];
            if h.index == skip {
                continue;
            }
            for &(a, b) in &h.intervals {
                d.push((a, h.units as i64));
                d.push((b, -(h.units as i64)));
            }
        }
        d.sort_unstable();
        let mut out: Vec<(Minute, u32)> = Vec::new();
        let mut level = 0i64;
        for (t, x) in d {
            level += x;
            match out.last_mut() {
                Some(l) if l.0 == t => l.1 = level.max(0) as u32,
                _ => out.push((t, level.max(0) as u32)),
            }
        }
        out
    }

    /// The earliest start of schedule entry `i` (`s`) that its resources and materials allow on
    /// top of its machine (free from `free`, changeover `c`) and job (`ready`), searching from
    /// `f` (what the machine and job allow) up to its actual start; with what set it, when that
    /// is later than `f`. `None` when nothing secondary delayed it (or the schedule breaks a
    /// rule there). The search is the engine's ([`engine::settle`]) over views of the schedule:
    /// every other operation's holds and stock changes, and this operation's own choices.
    #[allow(clippy::too_many_arguments)]
    fn earliest(
        &self,
        problem: &Problem,
        i: usize,
        s: &crate::schedule::ScheduledOp,
        free: Minute,
        ready: Minute,
        c: Minute,
        duration: Minute,
        f: Minute,
    ) -> Option<(Minute, Secondary)> {
        let op = problem.op(s.op);
        let own = &self.own[i];
        if own.is_empty() && op.consume.is_empty() {
            return None;
        }
        // Units per resource, for the operation and for its changeover.
        let mut need: Vec<(ResourceId, bool, u32)> = Vec::new();
        for &k in own {
            let h = &self.holds[k];
            match need
                .iter_mut()
                .find(|n| n.0 == h.resource && n.1 == h.changeover)
            {
                Some(n) => n.2 += h.units,
                None => need.push((h.resource, h.changeover, h.units)),
            }
        }
        let usage: Vec<Vec<(Minute, u32)>> = need.iter().map(|n| self.others(n.0, i)).collect();
        // Materials: the first instant each consumption is covered.
        let mut mat: Vec<(ItemId, f64, Minute)> = Vec::new();
        for &(item, q) in &op.consume {
            let ev: Vec<(Minute, f64)> = self.stock[item.idx()]
                .iter()
                .filter(|e| e.2 != StockCause::Consumption(s.op))
                .map(|e| (e.0, e.1))
                .collect();
            let t = material_from(problem.items[item.idx()].initial, &ev, q)?;
            mat.push((item, q, t));
        }
        let q = Request {
            op: s.op,
            machine: s.machine,
            free,
            ready: ready.max(f),
            setup: c,
            duration,
            atomic: op.atomic,
        };
        let mut materials = MaterialView {
            view: self,
            mat,
            last: None,
        };
        let mut resources = ResourceView {
            view: self,
            i,
            need,
            usage,
            last: None,
        };
        let fit = engine::settle(problem, &q, &mut materials, &mut resources, s.start).ok()?;
        let last = match fit.wait? {
            engine::Wait::Material(_) => materials.last,
            engine::Wait::Resource(_) => resources.last,
        };
        (fit.placement.start > f).then_some(())?;
        Some((fit.placement.start, last?))
    }
}

/// The materials rule seen from a finished schedule: each consumption's first covered instant
/// given every other stock change (precomputed: nothing is committed while explaining).
struct MaterialView<'a> {
    view: &'a SecondaryView,
    /// `(item, quantity, first covered instant)` per consumption.
    mat: Vec<(ItemId, f64, Minute)>,
    /// What the last push waited for.
    last: Option<Secondary>,
}

impl engine::Rule for MaterialView<'_> {
    fn check(
        &mut self,
        _problem: &Problem,
        _q: &Request,
        pl: &engine::Placement,
    ) -> Result<Option<(engine::Push, engine::Wait)>, engine::Blocked> {
        let Some(&(item, needed, t)) = self
            .mat
            .iter()
            .filter(|x| x.2 > pl.start)
            .max_by_key(|x| x.2)
        else {
            return Ok(None);
        };
        let sources = self.view.stock[item.idx()]
            .iter()
            .filter(|e| e.0 == t && e.1 > 0.0)
            .map(|e| (e.2, e.1))
            .collect();
        self.last = Some(Secondary::Material {
            item,
            needed,
            at: t,
            sources,
        });
        Ok(Some((engine::Push::Ready(t), engine::Wait::Material(item))))
    }

    fn commit(&mut self, _problem: &Problem, _q: &Request, _pl: &engine::Placement) {}

    fn periodic_after(&self, _problem: &Problem) -> Minute {
        Minute::MIN
    }
}

/// The resources rule seen from a finished schedule: the units schedule entry `i` holds (per
/// resource, for the operation and for its changeover) against every other entry's holds.
struct ResourceView<'a> {
    view: &'a SecondaryView,
    i: usize,
    /// `(resource, for the changeover, units)`.
    need: Vec<(ResourceId, bool, u32)>,
    /// Per entry of `need`, the other entries' usage of that resource.
    usage: Vec<Vec<(Minute, u32)>>,
    last: Option<Secondary>,
}

impl engine::Rule for ResourceView<'_> {
    fn check(
        &mut self,
        problem: &Problem,
        q: &Request,
        pl: &engine::Placement,
    ) -> Result<Option<(engine::Push, engine::Wait)>, engine::Blocked> {
        let av = &problem.machine(q.machine).availability;
        let work = working_intervals(av, pl.start, pl.end);
        let setup = if q.setup > 0 && pl.setup_start < pl.start {
            working_intervals(av, pl.setup_start, pl.start)
        } else {
            Vec::new()
        };
        for (n, bp) in self.need.iter().zip(&self.usage) {
            let iv = if n.1 { &setup } else { &work };
            let cap = &problem.resources[n.0.idx()].profile;
            let Some((x, until)) = first_conflict(bp, cap, iv, n.2) else {
                continue;
            };
            if until == Minute::MAX {
                return Err(engine::Blocked::Resource(n.0));
            }
            let mut holders: Vec<(OpId, bool, u32)> = Vec::new();
            for &k in &self.view.by_resource[n.0.idx()] {
                let h = &self.view.holds[k];
                if h.index != self.i && h.intervals.iter().any(|&(a, b)| a <= x && x < b) {
                    holders.push((h.op, h.changeover, h.units));
                }
            }
            let j = bp.partition_point(|&(t, _)| t <= x);
            self.last = Some(Secondary::Resource {
                resource: n.0,
                changeover: n.1,
                at: x,
                until,
                capacity: cap.at(x),
                needed: n.2,
                in_use: if j == 0 { 0 } else { bp[j - 1].1 },
                holders,
            });
            let push = if n.1 {
                engine::Push::Free(until)
            } else {
                engine::Push::Ready(until)
            };
            return Ok(Some((push, engine::Wait::Resource(n.0))));
        }
        Ok(None)
    }

    fn commit(&mut self, _problem: &Problem, _q: &Request, _pl: &engine::Placement) {}

    fn periodic_after(&self, problem: &Problem) -> Minute {
        let mut t = Minute::MIN;
        for (n, bp) in self.need.iter().zip(&self.usage) {
            t = t.max(problem.resources[n.0.idx()].profile.periodic_from());
            if let Some(&(last, _)) = bp.last() {
                t = t.max(last);
            }
        }
        t
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

/// Splits `[a, b)` on machine `m` into closed pieces and working minutes (returned).
fn closed_pieces(
    problem: &Problem,
    m: MachineId,
    a: Minute,
    b: Minute,
    out: &mut Vec<Piece>,
) -> Minute {
    if b <= a {
        return 0;
    }
    let mut closed = 0;
    for (s, e, kind) in closures(problem, m, a, b) {
        closed += e - s;
        out.push(Piece::Closed {
            machine: m,
            kind,
            minutes: e - s,
        });
    }
    (b - a) - closed
}

/// The pieces of time from minute 0 to the completion of `job`, along its chain, in time order.
/// For a valid schedule their minutes add up to the job's completion.
pub fn pieces(problem: &Problem, analysis: &Analysis, job: JobId) -> Vec<Piece> {
    let steps = chain(problem, analysis, job);
    let mut out = Vec::new();
    for (n, &i) in steps.iter().enumerate().rev() {
        let s = &analysis.steps[i];
        let from = window_start(s, &mut out);
        if n + 1 == steps.len() {
            origin_piece(s, from, &mut out);
        }
        wait_pieces(problem, s, from, &mut out);
        work_pieces(problem, s, job, &mut out);
    }
    out
}

/// Where a step's window starts: the previous operation's end on the machine, or what made the
/// job ready (the predecessor's end plus the transfer, pushed as a piece, a release, a pin).
fn window_start(s: &Step, out: &mut Vec<Piece>) -> Minute {
    match (s.bound, s.ready_by) {
        (Bound::Machine { prev_end, .. }, _) => prev_end,
        (
            Bound::Job,
            ReadyBy::Predecessor {
                end,
                transfer,
                from,
                to,
                ..
            },
        ) => {
            if transfer > 0 {
                out.push(Piece::Transfer {
                    from,
                    to,
                    minutes: transfer,
                });
            }
            end + transfer
        }
        (Bound::Job, ReadyBy::Release(r) | ReadyBy::NotBefore(r)) => r,
        (Bound::Job, ReadyBy::Pinned(p)) => p,
        (Bound::Job, ReadyBy::HorizonStart) => 0,
    }
}

/// The chain's first step: the time before its release or pin, `from` minutes.
fn origin_piece(s: &Step, from: Minute, out: &mut Vec<Piece>) {
    if from <= 0 {
        return;
    }
    match (s.bound, s.ready_by) {
        (Bound::Job, ReadyBy::Pinned(_)) => out.push(Piece::Pinned { minutes: from }),
        (Bound::Job, ReadyBy::Release(_) | ReadyBy::NotBefore(_)) => {
            out.push(Piece::Release { minutes: from })
        }
        _ => {}
    }
}

/// `[from, start)` of a step: closed time, the changeover, the wait for a resource or a
/// material, and idle working time.
fn wait_pieces(problem: &Problem, s: &Step, from: Minute, out: &mut Vec<Piece>) {
    let m = s.machine;
    let working = closed_pieces(problem, m, from, s.start, out);
    let setup = match s.setup_start {
        Some(ss) if s.changeover > 0 => problem
            .machine(m)
            .availability
            .working_minutes(ss.max(from), s.start)
            .min(working),
        _ => 0,
    };
    if setup > 0 {
        out.push(Piece::Changeover {
            machine: m,
            minutes: setup,
        });
    }
    // The wait for a resource or a material: working minutes from what the machine and job
    // allowed to what the resource or material allowed.
    let waited = match &s.secondary {
        Some(_) => problem
            .machine(m)
            .availability
            .working_minutes(s.machine_earliest.max(from), s.earliest.min(s.start))
            .min(working - setup),
        None => 0,
    };
    match s.secondary {
        Some(Secondary::Resource { resource, .. }) if waited > 0 => out.push(Piece::ResourceWait {
            machine: m,
            resource,
            minutes: waited,
        }),
        Some(Secondary::Material { item, .. }) if waited > 0 => out.push(Piece::MaterialWait {
            machine: m,
            item,
            minutes: waited,
        }),
        _ => {}
    }
    if working - setup - waited > 0 {
        out.push(Piece::Idle {
            machine: m,
            minutes: working - setup - waited,
        });
    }
}

/// `[start, end)` of a step: the operation working (the job's own, or another job's that the
/// chain waited for), and its pauses.
fn work_pieces(problem: &Problem, s: &Step, job: JobId, out: &mut Vec<Piece>) {
    let m = s.machine;
    let work = closed_pieces(problem, m, s.start, s.end, out);
    if work <= 0 {
        return;
    }
    let other = problem.op(s.op).job;
    out.push(if other == job {
        Piece::OwnWork {
            machine: m,
            minutes: work,
        }
    } else {
        Piece::OtherWork {
            machine: m,
            job: other,
            minutes: work,
        }
    });
}

/// Minutes that late jobs spent, along their chains, waiting for one machine: other jobs working
/// on it, changeovers, closed time, secondary resources and materials its operations waited
/// for, and idle time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MachineLateness {
    pub machine: Option<MachineId>,
    pub busy: Minute,
    pub changeover: Minute,
    pub closed: BTreeMap<Closure, Minute>,
    /// Working minutes the machine's operations waited for a resource, per resource.
    pub resources: BTreeMap<ResourceId, Minute>,
    /// Working minutes the machine's operations waited for a material, per item.
    pub materials: BTreeMap<ItemId, Minute>,
    pub idle: Minute,
    /// Late jobs whose chain passes a wait on this machine.
    pub late_jobs: usize,
    /// The jobs whose work on this machine late jobs waited for, most minutes first.
    pub blockers: Vec<(JobId, Minute)>,
}

impl MachineLateness {
    pub fn closed_total(&self) -> Minute {
        self.closed.values().sum()
    }
    pub fn total(&self) -> Minute {
        self.busy
            + self.changeover
            + self.closed_total()
            + self.resources.values().sum::<Minute>()
            + self.materials.values().sum::<Minute>()
            + self.idle
    }
    /// Minutes late jobs waited because the machine was taken: other jobs' work and changeovers.
    pub fn contention(&self) -> Minute {
        self.busy + self.changeover
    }
}

/// Per machine, where late jobs' chains waited (machines with no wait left out), the machine
/// most contended for first: most minutes of other jobs' work and changeovers that late jobs
/// waited for, then most minutes in all (closed time counts, but a sparse calendar alone does not
/// make a machine the bottleneck). The first is the bottleneck for the late jobs.
pub fn lateness_by_machine(
    problem: &Problem,
    schedule: &Schedule,
    analysis: &Analysis,
) -> Vec<MachineLateness> {
    let mut completion: Vec<Option<Minute>> = vec![None; problem.jobs.len()];
    for s in &schedule.ops {
        let j = problem.op(s.op).job.idx();
        completion[j] = Some(completion[j].map_or(s.end, |c: Minute| c.max(s.end)));
    }
    let mut acc: Vec<MachineLateness> = (0..problem.machines.len())
        .map(|m| MachineLateness {
            machine: Some(MachineId(m as u32)),
            ..Default::default()
        })
        .collect();
    let mut blockers: Vec<BTreeMap<JobId, Minute>> = vec![BTreeMap::new(); problem.machines.len()];
    for (j, job) in problem.jobs.iter().enumerate() {
        let (Some(c), Some(due)) = (completion[j], job.due) else {
            continue;
        };
        if c <= due {
            continue;
        }
        let mut touched = vec![false; problem.machines.len()];
        for p in pieces(problem, analysis, JobId(j as u32)) {
            let m = match p {
                Piece::OtherWork {
                    machine,
                    job,
                    minutes,
                } => {
                    acc[machine.idx()].busy += minutes;
                    *blockers[machine.idx()].entry(job).or_default() += minutes;
                    machine
                }
                Piece::Changeover { machine, minutes } => {
                    acc[machine.idx()].changeover += minutes;
                    machine
                }
                Piece::Closed {
                    machine,
                    kind,
                    minutes,
                } => {
                    *acc[machine.idx()].closed.entry(kind).or_default() += minutes;
                    machine
                }
                Piece::ResourceWait {
                    machine,
                    resource,
                    minutes,
                } => {
                    *acc[machine.idx()].resources.entry(resource).or_default() += minutes;
                    machine
                }
                Piece::MaterialWait {
                    machine,
                    item,
                    minutes,
                } => {
                    *acc[machine.idx()].materials.entry(item).or_default() += minutes;
                    machine
                }
                Piece::Idle { machine, minutes } => {
                    acc[machine.idx()].idle += minutes;
                    machine
                }
                _ => continue,
            };
            touched[m.idx()] = true;
        }
        for (m, t) in touched.iter().enumerate() {
            if *t {
                acc[m].late_jobs += 1;
            }
        }
    }
    for (a, b) in acc.iter_mut().zip(blockers) {
        let mut v: Vec<(JobId, Minute)> = b.into_iter().collect();
        v.sort_by_key(|&(j, m)| (std::cmp::Reverse(m), j));
        a.blockers = v;
    }
    acc.retain(|a| a.total() > 0);
    acc.sort_by_key(|a| {
        (
            std::cmp::Reverse(a.contention()),
            std::cmp::Reverse(a.total()),
            a.machine,
        )
    });
    acc
}

/// One line per machine: `N-CNC1  6h 30m for 3 late jobs: busy 5h (WO-3 2h, ...), ...`.
pub fn render_lateness(problem: &Problem, rows: &[MachineLateness], top: usize) -> String {
    if rows.is_empty() {
        return "  no late job waited for a machine\n".to_string();
    }
    let w = rows
        .iter()
        .take(top)
        .filter_map(|r| r.machine)
        .map(|m| problem.machine(m).id.chars().count())
        .max()
        .unwrap_or(0);
    let mut lines: Vec<String> = rows
        .iter()
        .take(top)
        .filter_map(|r| {
            let m = r.machine?;
            Some(format!(
                "  {:w$}  {} late job(s) waited {}: {}",
                problem.machine(m).id,
                r.late_jobs,
                fmt_minutes(r.total()),
                lateness_parts(problem, r).join(", ")
            ))
        })
        .collect();
    if rows.len() > top {
        lines.push(format!("  ... and {} more machine(s)", rows.len() - top));
    }
    text(&lines)
}

/// Lines as text, each ended by a newline.
fn text(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// The parts of one machine's lateness for people: `busy with other jobs 5h (WO-3 2h, WO-9 1h)`.
pub fn lateness_parts(problem: &Problem, r: &MachineLateness) -> Vec<String> {
    let mut parts = Vec::new();
    if r.busy > 0 {
        let names: Vec<String> = r
            .blockers
            .iter()
            .take(3)
            .map(|&(j, m)| format!("{} {}", problem.job(j).id, fmt_minutes(m)))
            .collect();
        let more = if r.blockers.len() > 3 { ", ..." } else { "" };
        parts.push(format!(
            "busy with other jobs {} ({}{more})",
            fmt_minutes(r.busy),
            names.join(", ")
        ));
    }
    if r.changeover > 0 {
        parts.push(format!("changeovers {}", fmt_minutes(r.changeover)));
    }
    for (k, m) in &r.closed {
        parts.push(format!("{} {}", k.name(), fmt_minutes(*m)));
    }
    for (res, m) in &r.resources {
        parts.push(format!(
            "waiting for resource {} {}",
            problem.resources[res.idx()].id,
            fmt_minutes(*m)
        ));
    }
    for (item, m) in &r.materials {
        parts.push(format!(
            "waiting for material {} {}",
            problem.items[item.idx()].id,
            fmt_minutes(*m)
        ));
    }
    if r.idle > 0 {
        parts.push(format!("idle {}", fmt_minutes(r.idle)));
    }
    parts
}

fn family(problem: &Problem, f: Option<FamilyId>) -> String {
    f.map_or_else(|| "none".to_string(), |f| problem.families[f.idx()].clone())
}

fn closure_names(problem: &Problem, m: MachineId, a: Minute, b: Minute) -> String {
    let mut kinds: Vec<Closure> = closures(problem, m, a, b)
        .into_iter()
        .map(|c| c.2)
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
        .iter()
        .map(|k| k.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a secondary wait was, for people: `waited for resource crew (all 2 units busy with
/// WO-7/mill, WO-9/weld until Tue 2026-11-24 14:00)` or `waited for material steel-bar (receipt
/// of 200 on Wed 2026-11-25 08:00)`.
pub fn secondary_text(problem: &Problem, w: &Secondary) -> String {
    let when = |t| fmt_when(problem, t);
    match w {
        Secondary::Resource {
            resource,
            changeover,
            until,
            capacity,
            needed,
            in_use,
            holders,
            ..
        } => {
            let who = if *changeover {
                "its changeover waited for resource"
            } else {
                "waited for resource"
            };
            let id = &problem.resources[resource.idx()].id;
            let mut names: Vec<String> = Vec::new();
            for &(o, co, _) in holders {
                let n = if co {
                    format!("{} (changeover)", problem.op_name(o))
                } else {
                    problem.op_name(o)
                };
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            let detail = if names.is_empty() || *capacity == 0 {
                if *capacity == 0 {
                    format!("no unit available (capacity 0) until {}", when(*until))
                } else {
                    format!(
                        "capacity {capacity}, it needs {needed}, until {}",
                        when(*until)
                    )
                }
            } else if in_use >= capacity {
                let all = if *capacity == 1 {
                    "its 1 unit".to_string()
                } else {
                    format!("all {capacity} units")
                };
                format!(
                    "{all} busy with {} until {}",
                    names.join(", "),
                    when(*until)
                )
            } else {
                format!(
                    "{in_use} of {capacity} units busy with {}, it needs {needed}, until {}",
                    names.join(", "),
                    when(*until)
                )
            };
            format!("{who} {id} ({detail})")
        }
        Secondary::Material {
            item,
            needed,
            at,
            sources,
        } => {
            let id = &problem.items[item.idx()].id;
            let mut parts: Vec<String> = sources
                .iter()
                .map(|&(c, q)| match c {
                    StockCause::Receipt => format!("receipt of {} on {}", num(q), when(*at)),
                    StockCause::Production(j) => format!(
                        "produced by job {}, completing {}",
                        problem.job(j).id,
                        when(*at)
                    ),
                    StockCause::Consumption(o) => {
                        format!("returned by {} at {}", problem.op_name(o), when(*at))
                    }
                })
                .collect();
            if parts.is_empty() {
                parts.push(format!(
                    "the stock covers {} only from {}",
                    num(*needed),
                    when(*at)
                ));
            }
            format!("waited for material {id} ({})", parts.join("; "))
        }
    }
}

/// The explanation of one step, as lines (without numbering): what set the start (a secondary
/// wait first, since it came last), when the job was ready, then the changeover, calendar,
/// idle and pause lines that apply.
pub fn describe_step(problem: &Problem, s: &Step) -> Vec<String> {
    let mut lines = Vec::new();
    lines.extend(secondary_line(problem, s));
    let bound = bound_line(problem, s);
    lines.push(if s.secondary.is_some() {
        // The resource or material moved it past this bound: say what it would have been.
        format!(
            "before that, its machine and job alone allowed {}: {}",
            fmt_when(problem, s.machine_earliest),
            bound.trim_start_matches("start ")
        )
    } else {
        bound
    });
    lines.extend(job_ready_line(problem, s));
    lines.extend(changeover_line(problem, s));
    lines.extend(calendar_line(problem, s));
    lines.extend(timing_notes(problem, s));
    lines
}

/// When a resource or a material set the start: which, and how long after the machine and
/// job allowed it.
fn secondary_line(problem: &Problem, s: &Step) -> Option<String> {
    let w = s.secondary.as_ref()?;
    Some(format!(
        "start set by a {}: {}; {} after its machine and job allowed it ({})",
        match w {
            Secondary::Resource { .. } => "secondary resource",
            Secondary::Material { .. } => "material",
        },
        secondary_text(problem, w),
        fmt_minutes(s.wait_secondary),
        fmt_when(problem, s.machine_earliest)
    ))
}

/// What the machine and job alone set the start to: the machine's previous operation, or the
/// job side (release, not-before, pin, routing predecessor and transfer).
fn bound_line(problem: &Problem, s: &Step) -> String {
    let when = |t| fmt_when(problem, t);
    match s.bound {
        Bound::Machine { prev, prev_end } => {
            let q = problem.op(prev);
            let mut t = format!(
                "start set by machine {}: busy with job {} op {} until {}",
                problem.machine(s.machine).id,
                problem.job(q.job).id,
                q.id,
                when(prev_end)
            );
            if s.wait_busy > 0 {
                t.push_str(&format!(" (waited {} for it)", fmt_minutes(s.wait_busy)));
            }
            t
        }
        Bound::Job => match s.ready_by {
            ReadyBy::HorizonStart => format!(
                "start set by the horizon start {} (nothing earlier constrains it)",
                when(0)
            ),
            ReadyBy::Release(r) => format!("start set by the job's release at {}", when(r)),
            ReadyBy::NotBefore(r) => format!(
                "start set by the operation's not-before time {} (material or hold)",
                when(r)
            ),
            ReadyBy::Pinned(p) => format!("start set by its pin at {}", when(p)),
            ReadyBy::Predecessor {
                pred,
                end,
                transfer,
                from,
                to,
            } => {
                let mut t = format!(
                    "start set by its predecessor {} ending {}",
                    problem.op_name(pred),
                    when(end)
                );
                if transfer > 0 {
                    t.push_str(&format!(
                        ", then transfer {} → {} of {}",
                        problem.plants[from.idx()].id,
                        problem.plants[to.idx()].id,
                        fmt_minutes(transfer)
                    ));
                }
                t
            }
        },
    }
}

/// When the machine set the start: when the job side was ready, and why then (the reader
/// otherwise sees only the machine's side).
fn job_ready_line(problem: &Problem, s: &Step) -> Option<String> {
    if !matches!(s.bound, Bound::Machine { .. }) {
        return None;
    }
    let why = match s.ready_by {
        ReadyBy::HorizonStart => "from the horizon start".to_string(),
        ReadyBy::Release(_) => "released".to_string(),
        ReadyBy::NotBefore(_) => "past its not-before time".to_string(),
        ReadyBy::Pinned(_) => "pinned".to_string(),
        ReadyBy::Predecessor { pred, transfer, .. } => {
            if transfer > 0 {
                format!(
                    "after {} and a transfer of {}",
                    problem.op_name(pred),
                    fmt_minutes(transfer)
                )
            } else {
                format!("after {}", problem.op_name(pred))
            }
        }
    };
    Some(format!(
        "job ready at {} ({why})",
        fmt_when(problem, s.ready)
    ))
}

/// The changeover before the operation, if any, and whether it delayed the start.
fn changeover_line(problem: &Problem, s: &Step) -> Option<String> {
    if s.changeover <= 0 {
        return None;
    }
    let when = |t| fmt_when(problem, t);
    let ss = s.setup_start.unwrap_or(s.start);
    let mut t = format!(
        "changeover {} → {} of {} on {}, {} → {}",
        family(problem, s.family_before),
        family(problem, problem.op(s.op).family),
        fmt_minutes(s.changeover),
        problem.machine(s.machine).id,
        when(ss),
        when(s.start)
    );
    if s.wait_changeover > 0 && s.secondary.is_some() {
        t.push_str(&format!(
            "; it delayed what the machine allowed by {} (the start waited longer, see above)",
            fmt_minutes(s.wait_changeover)
        ));
    } else if s.wait_changeover > 0 {
        t.push_str(&format!(
            "; it delayed the start by {}",
            fmt_minutes(s.wait_changeover)
        ));
    } else {
        t.push_str(" (while the job was not yet ready: no delay)");
    }
    Some(t)
}

/// The wait for the machine's working time (named closures), or for a long enough working
/// interval when the operation is atomic.
fn calendar_line(problem: &Problem, s: &Step) -> Option<String> {
    if s.wait_calendar <= 0 {
        return None;
    }
    let m = problem.machine(s.machine);
    let closed_until = s.ready + s.wait_calendar;
    let names = closure_names(problem, s.machine, s.ready, closed_until);
    if names.is_empty() {
        return Some(format!(
            "waited {} for an uninterrupted working interval of {} on {} (atomic operation)",
            fmt_minutes(s.wait_calendar),
            fmt_minutes(s.duration),
            m.id
        ));
    }
    let mut t = format!(
        "waited {} for {}'s working time ({names}) until {}",
        fmt_minutes(s.wait_calendar),
        m.id,
        fmt_when(problem, closed_until)
    );
    let working = m.availability.working_minutes(s.ready, closed_until);
    if problem.op(s.op).atomic && working > 0 {
        t.push_str(&format!(
            "; the {} of working time before that was too short for this atomic \
             operation of {} without a break",
            fmt_minutes(working),
            fmt_minutes(s.duration)
        ));
    }
    Some(t)
}

/// Where the schedule departs from the earliest start the rules allow (idle, or a start too
/// early: a broken schedule), and the pauses of a resumable operation.
fn timing_notes(problem: &Problem, s: &Step) -> Vec<String> {
    let when = |t| fmt_when(problem, t);
    let mut lines = Vec::new();
    if s.wait_idle > 0 {
        lines.push(format!(
            "started {} later than the rules allow ({}): the schedule leaves {} idle",
            fmt_minutes(s.wait_idle),
            when(s.earliest),
            problem.machine(s.machine).id
        ));
    }
    if s.too_early() {
        lines.push(format!(
            "NOTE: starts before the earliest start the rules allow ({}); see `takt check`",
            when(s.earliest)
        ));
    }
    let paused = (s.end - s.start) - s.duration;
    if paused > 0 {
        let names = closure_names(problem, s.machine, s.start, s.end);
        lines.push(format!(
            "ran {} of work, paused {} ({names})",
            fmt_minutes(s.duration),
            fmt_minutes(paused)
        ));
    }
    lines
}

/// The full explanation of a job's completion, for people: a headline (completion against
/// due date and deadline), the chain of steps that set it, and where the time went.
pub fn explain_job(problem: &Problem, schedule: &Schedule, job: JobId) -> String {
    text(&explanation(problem, schedule, job))
}

/// The lines of [`explain_job`].
fn explanation(problem: &Problem, schedule: &Schedule, job: JobId) -> Vec<String> {
    let analysis = analyse(problem, schedule);
    let j = problem.job(job);
    let Some(last) = analysis.step_of(j.last_op()) else {
        return vec![format!(
            "{}: its last operation {} is not in the schedule",
            j.id,
            problem.op_name(j.last_op())
        )];
    };
    let c = j
        .ops()
        .filter_map(|o| analysis.step_of(o))
        .map(|s| s.end)
        .max()
        .unwrap_or(last.end);
    let mut lines = vec![
        format!("{}.", completion_headline(problem, job, c)),
        "What set its completion, walking back from its last operation:".to_string(),
    ];
    for (n, &i) in chain(problem, &analysis, job).iter().enumerate() {
        let s = &analysis.steps[i];
        lines.push(chain_line(problem, n + 1, s));
        lines.extend(
            describe_step(problem, s)
                .into_iter()
                .map(|line| format!("       {line}")),
        );
    }
    let spent = TimeSpent::of(&pieces(problem, &analysis, job));
    lines.push(format!(
        "From the horizon start to completion ({}): {}.",
        fmt_minutes(c),
        spent.parts(problem).join("; ")
    ));
    lines
}

/// ` 1. J1/o2 on M1 (plant): start → end, 2h of work`: step `n` of a job's chain.
fn chain_line(problem: &Problem, n: usize, s: &Step) -> String {
    let m = problem.machine(s.machine);
    format!(
        "{:>3}. {} on {} ({}): {} → {}, {} of work",
        n,
        problem.op_name(s.op),
        m.id,
        problem.plants[m.plant.idx()].id,
        fmt_when(problem, s.start),
        fmt_when(problem, s.end),
        fmt_minutes(s.duration)
    )
}

/// "Job J (weight w): completes …", with its due date (late or to spare) and a missed hard
/// deadline.
fn completion_headline(problem: &Problem, job: JobId, c: Minute) -> String {
    let j = problem.job(job);
    let when = |t| fmt_when(problem, t);
    let mut head = format!("Job {} (weight {}): completes {}", j.id, j.weight, when(c));
    match j.due {
        Some(d) if c > d => {
            head.push_str(&format!(", due {}: {} LATE", when(d), fmt_minutes(c - d)))
        }
        Some(d) => head.push_str(&format!(
            ", due {}: on time, {} to spare",
            when(d),
            fmt_minutes(d - c)
        )),
        None => head.push_str(" (no due date)"),
    }
    if let Some(dl) = j.deadline {
        if c > dl {
            head.push_str(&format!(
                "; MISSES its hard deadline {} by {}",
                when(dl),
                fmt_minutes(c - dl)
            ));
        }
    }
    head
}

/// Where a job's time went from the horizon start to its completion: the pieces of its chain
/// summed per kind (and per machine, closure, resource or item), for the closing line.
#[derive(Default)]
struct TimeSpent {
    own: Minute,
    other: BTreeMap<MachineId, Minute>,
    changeover: BTreeMap<MachineId, Minute>,
    closed: BTreeMap<Closure, Minute>,
    resource: BTreeMap<ResourceId, Minute>,
    material: BTreeMap<ItemId, Minute>,
    idle: Minute,
    transfer: Minute,
    /// Before the chain's release or pin.
    origin: Minute,
}

impl TimeSpent {
    fn of(pieces: &[Piece]) -> TimeSpent {
        let mut t = TimeSpent::default();
        for p in pieces {
            match *p {
                Piece::OwnWork { minutes, .. } => t.own += minutes,
                Piece::OtherWork {
                    machine, minutes, ..
                } => *t.other.entry(machine).or_default() += minutes,
                Piece::Changeover { machine, minutes } => {
                    *t.changeover.entry(machine).or_default() += minutes
                }
                Piece::Closed { kind, minutes, .. } => {
                    *t.closed.entry(kind).or_default() += minutes
                }
                Piece::ResourceWait {
                    resource, minutes, ..
                } => *t.resource.entry(resource).or_default() += minutes,
                Piece::MaterialWait { item, minutes, .. } => {
                    *t.material.entry(item).or_default() += minutes
                }
                Piece::Idle { minutes, .. } => t.idle += minutes,
                Piece::Transfer { minutes, .. } => t.transfer += minutes,
                Piece::Release { minutes } | Piece::Pinned { minutes } => t.origin += minutes,
            }
        }
        t
    }

    /// The kinds with time, own work first, each with its breakdown.
    fn parts(&self, problem: &Problem) -> Vec<String> {
        let mut parts = vec![format!("own work {}", fmt_minutes(self.own))];
        let per_machine = |v: &BTreeMap<MachineId, Minute>| {
            v.iter()
                .map(|(m, x)| format!("{} {}", problem.machine(*m).id, fmt_minutes(*x)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.other.is_empty() {
            parts.push(format!(
                "machines busy with other jobs {} ({})",
                fmt_minutes(self.other.values().sum()),
                per_machine(&self.other)
            ));
        }
        if !self.changeover.is_empty() {
            parts.push(format!(
                "changeovers {} ({})",
                fmt_minutes(self.changeover.values().sum()),
                per_machine(&self.changeover)
            ));
        }
        for (k, m) in &self.closed {
            parts.push(format!("{} {}", k.name(), fmt_minutes(*m)));
        }
        if !self.resource.is_empty() {
            parts.push(format!(
                "waiting for resources {} ({})",
                fmt_minutes(self.resource.values().sum()),
                self.resource
                    .iter()
                    .map(|(r, x)| {
                        format!("{} {}", problem.resources[r.idx()].id, fmt_minutes(*x))
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !self.material.is_empty() {
            parts.push(format!(
                "waiting for materials {} ({})",
                fmt_minutes(self.material.values().sum()),
                self.material
                    .iter()
                    .map(|(i, x)| format!("{} {}", problem.items[i.idx()].id, fmt_minutes(*x)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if self.transfer > 0 {
            parts.push(format!("transfers {}", fmt_minutes(self.transfer)));
        }
        if self.idle > 0 {
            parts.push(format!("idle {}", fmt_minutes(self.idle)));
        }
        if self.origin > 0 {
            parts.push(format!(
                "before the chain's release or pin {}",
                fmt_minutes(self.origin)
            ));
        }
        parts
    }
}
