//! The placement engine: where one operation goes, given what is placed already. Every solver,
//! report and time extraction places operations through here (the referee, src/check, stays
//! independent on purpose; the MIP models the same rules as constraints).
//!
//! One file per rule family:
//! - [`machine`]: machine sequence, changeover in working time, calendar ([`machine::place`]);
//! - [`routing`]: release, routing predecessor plus transfer;
//! - [`pin`]: pinned machine and start;
//! - [`resources`]: secondary resources (operation and changeover requirements);
//! - [`materials`]: item stock (consumption at the start, production at job completion).
//!
//! Deadlines are no rule of the engine: a hard deadline never moves a start (the earliest start
//! is the best one for it); it is a term of the objective (src/eval/objective.rs) and a check
//! of the referee.
//!
//! Composition: routing and pin give the job-side lower bound `ready`, the machine gives
//! `free` and the changeover; [`machine::place`] turns those into the earliest placement.
//! Rules that depend on the placement itself (resources, materials) implement [`Rule`]: each
//! checks a tentative placement and either accepts it or pushes `ready` (or the machine's free
//! time, for a changeover's resources) later; the engine repeats until no rule moves it (a
//! fixed point) in [`Engine::fit`]. The rules are concrete fields, checked in a fixed order
//! (materials, then resources): no dynamic dispatch and no allocation per placement. Without
//! secondary resources and materials, the loop is skipped altogether.
//!
//! Callers place operations one at a time (the decoder in its priority order, the dispatcher
//! in chronological order), each at its earliest feasible start given those placed before it:
//! a serial schedule generation scheme. Placing the operations of an optimal schedule in the
//! order of their starts reproduces starts no later than the optimal ones, so some priority
//! order reaches an optimum (for objectives that never reward lateness).
//!
//! State for incremental re-timing: the machine rule's state is a [`MachineSlot`] per machine
//! (free time, last family, last operation), the routing rule's is the predecessor's placement;
//! resources keep one step function of busy units per resource, materials one sorted list of
//! stock changes per item. Each is keyed by time, so re-timing forward from a changed
//! operation can remove the later placements of a machine or resource and place them again
//! (docs/ARCHITECTURE.md).

pub mod machine;
pub mod materials;
pub mod pin;
pub mod resources;
pub mod routing;
mod stock;

use crate::model::calendar::WEEK;
use crate::model::{ItemId, JobId, MachineId, Minute, OpId, Problem, ResourceId};
pub use machine::{place, MachineSlot};
pub use routing::PredPlaced;

/// Where an operation goes on a machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Start of the changeover (equals `start` when there is none).
    pub setup_start: Minute,
    pub start: Minute,
    pub end: Minute,
}

/// What set an operation's start: the machine (its previous operation, with the changeover),
/// the job (its routing predecessor plus transfer), a secondary resource or a material, or
/// neither (release, pin, minute 0). Local search walks these links back to find critical
/// paths; explain reports the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cause {
    Machine,
    Job,
    #[default]
    Release,
    /// Waited for units of a secondary resource.
    Resource(ResourceId),
    /// Waited for stock of an item.
    Material(ItemId),
}

/// What delayed an operation beyond what its machine and job allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    Resource(ResourceId),
    Material(ItemId),
}

/// Why an operation cannot be placed at all right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// The stock placed so far never covers the consumption (a producing job may come later).
    Material(ItemId),
    /// The resource never again has the units free.
    Resource(ResourceId),
}

/// How a rule moves a tentative placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Push {
    /// The operation may start only from this instant.
    Ready(Minute),
    /// The changeover may start only from this instant.
    Free(Minute),
}

/// One placement question: operation `op` on `machine` with `setup` changeover minutes and
/// `duration` working minutes, the machine free from `free`, the job ready from `ready`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub op: OpId,
    pub machine: MachineId,
    pub free: Minute,
    pub ready: Minute,
    pub setup: Minute,
    pub duration: Minute,
    pub atomic: bool,
}

/// A rule that depends on the placement itself (its working minutes, its start): checked on a
/// tentative placement, committed once the placement is final.
pub trait Rule {
    /// `None` when `pl` is fine for this rule; otherwise how far it must move and why.
    fn check(
        &mut self,
        problem: &Problem,
        q: &Request,
        pl: &Placement,
    ) -> Result<Option<(Push, Wait)>, Blocked>;
    /// Books placement `pl` of `q` (right after a check that accepted it).
    fn commit(&mut self, problem: &Problem, q: &Request, pl: &Placement);
    /// An instant after which this rule's data and state repeat weekly (`Minute::MIN`: the rule
    /// has nothing dated). Past it, two weeks without a fit mean never.
    fn periodic_after(&self, problem: &Problem) -> Minute;
}

/// Why [`settle`] found no placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsettled {
    /// A rule says never.
    Blocked(Blocked),
    /// The start passed `limit`.
    Limit,
    /// Two weeks past the periodic part of every rule's data without a fit.
    Never,
}

/// The earliest placement of `q` that the machine (with `q`'s bounds) and the two
/// placement-dependent rules `a` and `b` allow: place, let `a` then `b` check, move by what they
/// push, repeat until neither moves it (a fixed point). Each push jumps to the first instant a
/// rule could accept, so no feasible start is skipped. Generic over the rules (static dispatch):
/// the decoder passes its materials and resources, explain passes views of a finished schedule.
pub fn settle<A: Rule, B: Rule>(
    problem: &Problem,
    q: &Request,
    a: &mut A,
    b: &mut B,
    limit: Minute,
) -> Result<Fit, Unsettled> {
    let av = &problem.machine(q.machine).availability;
    let unconstrained = place(av, q.free, q.ready, q.setup, q.duration, q.atomic);
    let (mut free, mut ready) = (q.free, q.ready);
    let mut wait = None;
    let mut pl = unconstrained;
    let mut rounds = 0u32;
    let mut give_up_after = Minute::MAX;
    loop {
        if pl.start > limit {
            return Err(Unsettled::Limit);
        }
        // A resource may never be free while the machine works (a day crew for a night
        // machine). Beyond the last placed use, the last dated exception and the machine's
        // calendar exceptions, everything repeats weekly: two weeks there without a fit means
        // never.
        rounds += 1;
        if rounds == 64 {
            give_up_after = ready
                .max(free)
                .max(av.periodic_from())
                .max(a.periodic_after(problem))
                .max(b.periodic_after(problem))
                + 2 * WEEK;
        }
        if pl.start > give_up_after {
            return Err(Unsettled::Never);
        }
        let push = match a.check(problem, q, &pl).map_err(Unsettled::Blocked)? {
            None => b.check(problem, q, &pl).map_err(Unsettled::Blocked)?,
            some => some,
        };
        let Some((p, w)) = push else {
            return Ok(Fit {
                placement: pl,
                unconstrained,
                wait,
            });
        };
        match p {
            Push::Ready(t) => ready = t,
            Push::Free(t) => free = t,
        }
        wait = Some(w);
        pl = place(av, free, ready, q.setup, q.duration, q.atomic);
    }
}

/// A feasible placement and what (if anything) delayed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    pub placement: Placement,
    /// Where the machine and job alone would have put it.
    pub unconstrained: Placement,
    /// The last secondary constraint that moved the operation, if any.
    pub wait: Option<Wait>,
}

/// Why an operation cannot go where asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceError {
    /// Not a machine of its modes, or not its pinned machine.
    BadAssignment,
    /// Pinned at `pin`, but the rules allow `earliest` at the soonest.
    PinMissed {
        pin: Minute,
        earliest: Minute,
    },
    Blocked(Blocked),
}

/// One operation placed: where, with how much changeover, and what bound its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub placement: Placement,
    pub setup: Minute,
    pub cause: Cause,
    /// No rule looked at the resource or stock state before this instant while placing it
    /// (the machine's free time, or with no changeover resources the later of it and the
    /// job's ready time; every tentative placement only moves later). A resumed decode that
    /// differs from another only before every later placement's floor has rejoined it
    /// (src/eval/rejoin.rs).
    pub floor: Minute,
}

/// The placement state of the rules that keep one (resources, materials); reused across
/// decodes. The machine and routing rules keep theirs in the caller's time vectors (each
/// machine's last operation, each operation's end).
#[derive(Debug, Clone, Default)]
pub struct Engine {
    resources: resources::Resources,
    materials: materials::Materials,
}

/// The binding cause of a placement: a secondary wait when the start is later than the machine
/// and job alone allowed, else the machine when its previous operation plus changeover reached
/// the job's ready time, else the job's predecessor, else the release (or pin, or minute 0).
#[inline]
pub fn binding_cause(
    slot: &MachineSlot,
    setup: Minute,
    ready: Minute,
    job_bound: bool,
    waited: Option<Wait>,
) -> Cause {
    match waited {
        Some(Wait::Resource(r)) => Cause::Resource(r),
        Some(Wait::Material(it)) => Cause::Material(it),
        None if slot.prev.is_some() && slot.free + setup >= ready => Cause::Machine,
        None if job_bound => Cause::Job,
        None => Cause::Release,
    }
}

impl Engine {
    /// Empties the state for a new schedule: no busy units, stock = receipts only.
    pub fn reset(&mut self, problem: &Problem) {
        self.resources.reset(problem);
        self.materials.reset(problem);
    }

    /// Resources chosen by the last [`Self::fit`]: the operation's requirements, then its
    /// changeover's.
    pub fn chosen(&self) -> &[ResourceId] {
        &self.resources.chosen
    }

    /// The earliest placement of `q` that its machine, its job, its resources and its materials
    /// all allow: the fixed point of the placement-dependent rules. The resources chosen are
    /// left in [`Self::chosen`].
    pub fn fit(&mut self, problem: &Problem, q: &Request) -> Result<Fit, Blocked> {
        settle(
            problem,
            q,
            &mut self.materials,
            &mut self.resources,
            Minute::MAX,
        )
        .map_err(|e| match e {
            Unsettled::Blocked(b) => b,
            Unsettled::Limit | Unsettled::Never => {
                // Name the first resource the operation or its changeover needs.
                let op = problem.op(q.op);
                let r = op
                    .require
                    .iter()
                    .chain(&problem.machine(q.machine).changeover_require)
                    .flat_map(|x| x.options.first())
                    .next()
                    .copied();
                match (r, op.consume.first()) {
                    (Some(r), _) => Blocked::Resource(r),
                    (None, Some(&(item, _))) => Blocked::Material(item),
                    (None, None) => unreachable!("only secondary constraints loop"),
                }
            }
        })
    }

    /// Books the placement of the last successful [`Self::fit`] of `q`.
    pub fn commit(&mut self, problem: &Problem, q: &Request, pl: &Placement) {
        self.resources.commit(problem, q, pl);
        self.materials.commit(problem, q, pl);
    }

    /// Books a job's production at its completion.
    pub fn produce(&mut self, problem: &Problem, job: JobId, at: Minute) {
        self.materials.produce(problem, job, at);
    }

    /// Places operation `o` on machine `m` (in state `slot`) after its routing predecessor
    /// `pred` under every rule, books it, and says what bound its start. The one placement of
    /// the decoder.
    ///
    /// `SECONDARY` must equal `problem.has_secondary()`: the decoder already branches on it once
    /// per decode, so the plain instance's hot path (millions of placements in local search)
    /// carries neither the settle loop nor the booking, not even as a tested flag.
    #[inline(always)]
    pub fn place_op<const SECONDARY: bool>(
        &mut self,
        problem: &Problem,
        o: OpId,
        m: MachineId,
        slot: &MachineSlot,
        pred: Option<PredPlaced>,
    ) -> Result<Placed, PlaceError> {
        debug_assert_eq!(SECONDARY, problem.has_secondary());
        // The compact table, not the operation: one or two cache lines (src/model/compact.rs).
        let table = problem.compact();
        let core = table.core(o);
        let pinned = if core.is_pinned() {
            problem.op(o).pinned
        } else {
            None
        };
        // Both assignment checks first (the same error either way), then the bounds.
        if !pin::allows_pin(pinned, m) {
            return Err(PlaceError::BadAssignment);
        }
        let duration = table.duration_on(o, m).ok_or(PlaceError::BadAssignment)?;
        let r = routing::ready(problem, o, m, pred);
        let setup = slot.setup(problem, m, core.family());
        let ready = pin::ready_pin(pinned, r.at);
        let atomic = core.is_atomic();
        let mut waited = None;
        let mut floor = slot.free;
        let pl = if SECONDARY {
            if setup == 0 || problem.machine(m).changeover_require.is_empty() {
                floor = floor.max(ready);
            }
            let q = Request {
                op: o,
                machine: m,
                free: slot.free,
                ready,
                setup,
                duration,
                atomic,
            };
            let fit = self.fit(problem, &q).map_err(PlaceError::Blocked)?;
            if fit.placement.start > fit.unconstrained.start {
                waited = fit.wait;
            }
            pin::check_pin(pinned, fit.placement.start).map_err(|pin| PlaceError::PinMissed {
                pin,
                earliest: fit.placement.start,
            })?;
            self.commit(problem, &q, &fit.placement);
            fit.placement
        } else {
            let pl = place(
                &problem.machine(m).availability,
                slot.free,
                ready,
                setup,
                duration,
                atomic,
            );
            pin::check_pin(pinned, pl.start).map_err(|pin| PlaceError::PinMissed {
                pin,
                earliest: pl.start,
            })?;
            pl
        };
        Ok(Placed {
            placement: pl,
            setup,
            cause: binding_cause(slot, setup, ready, r.by_pred.is_some(), waited),
            floor,
        })
    }
}
