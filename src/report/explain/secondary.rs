//! What a secondary resource or material delayed: from the schedule's resource holds and stock
//! changes, the first instant at which, given every other operation, an operation's resources
//! are free and its stock covers its consumption (the engine's rules, not the decoder's).

use super::Secondary;
use crate::engine::materials::material_from;
use crate::engine::resources::first_conflict;
use crate::engine::{self, Request};
use crate::eval::kpi::{item_stocks, resource_holds, working_intervals, Hold, StockCause};
use crate::model::{ItemId, Minute, OpId, Problem, ResourceId};
use crate::schedule::Schedule;

/// The schedule's resource holds and stock changes, for finding what each operation waited for.
pub(super) struct SecondaryView {
    holds: Vec<Hold>,
    /// Per resource, indices into `holds`.
    by_resource: Vec<Vec<usize>>,
    /// Per schedule index, indices into `holds` of its own holds.
    own: Vec<Vec<usize>>,
    /// Per item, `(at, change, cause)` in time order.
    stock: Vec<Vec<(Minute, f64, StockCause)>>,
}

impl SecondaryView {
    pub(super) fn new(problem: &Problem, schedule: &Schedule) -> SecondaryView {
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
    pub(super) fn earliest(
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
