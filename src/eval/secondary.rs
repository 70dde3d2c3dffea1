//! The decoder's bookkeeping for secondary resources and materials (src/model/secondary.rs has
//! the semantics): the busy units of each resource over time, the stock events of each item, and
//! [`SecondaryState::fit`], the earliest placement of an operation that its machine, its
//! resources and its materials all allow.
//!
//! Operations are placed one at a time (in the decoder's priority order, or the dispatcher's
//! chronological order), each at its earliest feasible start given those placed before it: a
//! serial schedule generation scheme. Placing the operations of an optimal schedule in the order
//! of their starts reproduces starts no later than the optimal ones, so some priority order
//! reaches an optimum (for objectives that never reward lateness).

use super::decode::{place, Placement};
use crate::model::calendar::WEEK;
use crate::model::secondary::{CapacityProfile, STOCK_EPS};
use crate::model::{Availability, ItemId, JobId, MachineId, Minute, OpId, Problem, ResourceId};

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

/// A feasible placement and what (if anything) delayed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    pub placement: Placement,
    /// Where the machine and job alone would have put it.
    pub unconstrained: Placement,
    /// The last secondary constraint that moved the operation, if any.
    pub wait: Option<Wait>,
}

/// Busy units and stock over time; reused across decodes (no allocation after the first).
#[derive(Debug, Clone, Default)]
pub struct SecondaryState {
    /// Per resource, the busy units as a step function: `(from, units)`, sorted; 0 before the
    /// first breakpoint.
    usage: Vec<Vec<(Minute, u32)>>,
    /// Per item, stock changes `(at, delta)` sorted by time (receipts, placed consumptions and
    /// productions); the initial stock is `Item::initial`.
    stock: Vec<Vec<(Minute, f64)>>,
    /// Working minutes of the last fitted operation, and of its changeover.
    work: Vec<(Minute, Minute)>,
    setup_work: Vec<(Minute, Minute)>,
    /// Resources chosen by the last fit: the operation's requirements, then the changeover's.
    pub chosen: Vec<ResourceId>,
}

/// The working minutes of `[a, b)` on a machine: the intervals the operation (or changeover)
/// holds its resources in. An atomic operation's interval is one working interval already.
fn working(av: &Availability, a: Minute, b: Minute, atomic: bool, out: &mut Vec<(Minute, Minute)>) {
    out.clear();
    if atomic {
        if a < b {
            out.push((a, b));
        }
    } else {
        av.working_intervals_into(a, b, out);
    }
}

/// The earliest instant from which `q` can be taken from a stock of `initial` plus the changes
/// `ev` (sorted by time) without the stock ever going negative later; `Minute::MIN` when any
/// time will do, `None` when never.
///
/// With event groups at times τ₁ < … < τ_G and `S_g` the stock from τ_g on (`S_0` the initial
/// stock), taking `q` at `t ∈ [τ_g, τ_{g+1})` is feasible iff `min_{h ≥ g} S_h ≥ q`; that
/// suffix minimum grows with `g`, so the answer is the first group where it reaches `q`.
pub fn material_from(initial: f64, ev: &[(Minute, f64)], q: f64) -> Option<Minute> {
    let mut level = initial + ev.iter().map(|e| e.1).sum::<f64>();
    if level + STOCK_EPS < q {
        return None;
    }
    let mut suffix_min = level;
    let mut next_group = Minute::MAX;
    let mut k = ev.len();
    while k > 0 {
        let t = ev[k - 1].0;
        suffix_min = suffix_min.min(level);
        if suffix_min + STOCK_EPS < q {
            return Some(next_group);
        }
        while k > 0 && ev[k - 1].0 == t {
            level -= ev[k - 1].1;
            k -= 1;
        }
        next_group = t;
    }
    // `level` is now the initial stock, held before the first event.
    if suffix_min.min(level) + STOCK_EPS < q {
        return Some(next_group);
    }
    Some(Minute::MIN)
}

impl SecondaryState {
    /// Empties the state for a new decode: no busy units, stock = receipts only.
    pub fn reset(&mut self, problem: &Problem) {
        self.usage.resize_with(problem.resources.len(), Vec::new);
        self.usage.iter_mut().for_each(Vec::clear);
        self.stock.resize_with(problem.items.len(), Vec::new);
        for (s, item) in self.stock.iter_mut().zip(&problem.items) {
            s.clear();
            s.extend_from_slice(&item.receipts);
        }
    }

    /// The first instant after a conflict where `units` more of `r` could fit over `intervals`,
    /// or `None` when they fit now. `Some(Minute::MAX)`: never.
    fn conflict(
        &self,
        problem: &Problem,
        r: ResourceId,
        intervals: &[(Minute, Minute)],
        units: u32,
    ) -> Option<Minute> {
        let bp = &self.usage[r.idx()];
        let cap = &problem.resources[r.idx()].profile;
        let (_, next) = first_conflict(bp, cap, intervals, units)?;
        Some(first_fit_from(bp, cap, next, units))
    }

    fn add_usage(&mut self, r: ResourceId, intervals: &[(Minute, Minute)], units: u32) {
        let bp = &mut self.usage[r.idx()];
        for &(a, b) in intervals {
            for t in [a, b] {
                let i = bp.partition_point(|&(x, _)| x < t);
                if bp.get(i).map(|p| p.0) != Some(t) {
                    let before = if i == 0 { 0 } else { bp[i - 1].1 };
                    bp.insert(i, (t, before));
                }
            }
            let i = bp.partition_point(|&(x, _)| x < a);
            for p in &mut bp[i..] {
                if p.0 >= b {
                    break;
                }
                p.1 += units;
            }
        }
    }

    /// The earliest instant from which `q` of `item` can be taken given what is placed.
    fn material_from(&self, problem: &Problem, item: ItemId, q: f64) -> Option<Minute> {
        material_from(
            problem.items[item.idx()].initial,
            &self.stock[item.idx()],
            q,
        )
    }

    /// The earliest placement of operation `o` on machine `m` that its machine (free from
    /// `free`, changeover `setup`, working time), its job (`ready`), its resources and its
    /// materials all allow. The resources chosen are left in [`Self::chosen`].
    #[allow(clippy::too_many_arguments)]
    pub fn fit(
        &mut self,
        problem: &Problem,
        o: OpId,
        m: MachineId,
        free: Minute,
        ready: Minute,
        setup: Minute,
        duration: Minute,
        atomic: bool,
    ) -> Result<Fit, Blocked> {
        let av = &problem.machine(m).availability;
        let op = problem.op(o);
        let unconstrained = place(av, free, ready, setup, duration, atomic);
        let (mut free_lb, mut ready) = (free, ready);
        let mut wait = None;
        let mut pl = unconstrained;
        let mut rounds = 0u32;
        let mut give_up_after = Minute::MAX;
        loop {
            // A resource may never be free while the machine works (a day crew for a night
            // machine). Beyond the last placed use, the last dated exception and the machine's
            // calendar exceptions, everything repeats weekly: two weeks there without a fit
            // means never.
            rounds += 1;
            if rounds == 64 {
                give_up_after = self.periodic_after(problem, m, ready.max(free_lb)) + 2 * WEEK;
            }
            if pl.start > give_up_after {
                let r = op
                    .require
                    .iter()
                    .chain(&problem.machine(m).changeover_require)
                    .flat_map(|q| q.options.first())
                    .next()
                    .copied();
                return Err(match (r, op.consume.first()) {
                    (Some(r), _) => Blocked::Resource(r),
                    (None, Some(&(item, _))) => Blocked::Material(item),
                    (None, None) => unreachable!("only secondary constraints loop"),
                });
            }
            // Materials: the start must be at or after every item's first feasible instant.
            let mut from = pl.start;
            for &(item, q) in &op.consume {
                let t = self
                    .material_from(problem, item, q)
                    .ok_or(Blocked::Material(item))?;
                if t > from {
                    from = t;
                    wait = Some(Wait::Material(item));
                }
            }
            if from > pl.start {
                ready = from;
                pl = place(av, free_lb, ready, setup, duration, atomic);
                continue;
            }
            // The operation's resources over its working minutes.
            if op.require.is_empty() {
                self.work.clear();
            } else {
                working(av, pl.start, pl.end, atomic, &mut self.work);
            }
            self.chosen.clear();
            match self.choose(problem, &op.require, false) {
                Ok(()) => {}
                Err((t, r)) => {
                    if t == Minute::MAX {
                        return Err(Blocked::Resource(r));
                    }
                    ready = t;
                    wait = Some(Wait::Resource(r));
                    pl = place(av, free_lb, ready, setup, duration, atomic);
                    continue;
                }
            }
            // The changeover's resources over its working minutes.
            let co = &problem.machine(m).changeover_require;
            if setup > 0 && !co.is_empty() {
                working(av, pl.setup_start, pl.start, false, &mut self.setup_work);
                if let Err((t, r)) = self.choose(problem, co, true) {
                    if t == Minute::MAX {
                        return Err(Blocked::Resource(r));
                    }
                    free_lb = t;
                    wait = Some(Wait::Resource(r));
                    pl = place(av, free_lb, ready, setup, duration, atomic);
                    continue;
                }
            }
            return Ok(Fit {
                placement: pl,
                unconstrained,
                wait,
            });
        }
    }

    /// An instant after which the machine's calendar, every resource's capacity and usage
    /// repeat weekly (usage: nothing placed after it).
    fn periodic_after(&self, problem: &Problem, m: MachineId, from: Minute) -> Minute {
        let mut t = from.max(problem.machine(m).availability.periodic_from());
        for (r, bp) in problem.resources.iter().zip(&self.usage) {
            t = t.max(r.profile.periodic_from());
            if let Some(&(last, _)) = bp.last() {
                t = t.max(last);
            }
        }
        t
    }

    /// Chooses an option for each requirement (appending to `chosen`), or says from when the
    /// first unsatisfiable one could be satisfied.
    fn choose(
        &mut self,
        problem: &Problem,
        reqs: &[crate::model::Requirement],
        changeover: bool,
    ) -> Result<(), (Minute, ResourceId)> {
        let first = self.chosen.len();
        for (k, req) in reqs.iter().enumerate() {
            let mut jump = Minute::MAX;
            let mut ok = None;
            for &r in &req.options {
                // Units this operation already takes from `r` for earlier requirements.
                let extra: u32 = reqs[..k]
                    .iter()
                    .zip(&self.chosen[first..])
                    .filter(|(_, &c)| c == r)
                    .map(|(q, _)| q.units)
                    .sum();
                let iv = if changeover {
                    &self.setup_work
                } else {
                    &self.work
                };
                match self.conflict(problem, r, iv, req.units + extra) {
                    None => {
                        ok = Some(r);
                        break;
                    }
                    Some(t) => jump = jump.min(t),
                }
            }
            match ok {
                Some(r) => self.chosen.push(r),
                None => return Err((jump, req.options[0])),
            }
        }
        Ok(())
    }

    /// Books the last fit of `o` on `m` (call right after a successful [`Self::fit`]).
    pub fn commit(
        &mut self,
        problem: &Problem,
        o: OpId,
        m: MachineId,
        start: Minute,
        setup: Minute,
    ) {
        let op = problem.op(o);
        let work = std::mem::take(&mut self.work);
        for (req, k) in op.require.iter().zip(0..) {
            self.add_usage(self.chosen[k], &work, req.units);
        }
        self.work = work;
        if setup > 0 {
            let work = std::mem::take(&mut self.setup_work);
            let co = &problem.machine(m).changeover_require;
            for (req, k) in co.iter().zip(op.require.len()..) {
                self.add_usage(self.chosen[k], &work, req.units);
            }
            self.setup_work = work;
        }
        for &(item, q) in &op.consume {
            self.add_stock(item, start, -q);
        }
    }

    /// Books a job's production at its completion.
    pub fn produce(&mut self, problem: &Problem, job: JobId, at: Minute) {
        for &(item, q) in &problem.job(job).produce {
            self.add_stock(item, at, q);
        }
    }

    fn add_stock(&mut self, item: ItemId, at: Minute, delta: f64) {
        let ev = &mut self.stock[item.idx()];
        let i = ev.partition_point(|e| e.0 <= at);
        ev.insert(i, (at, delta));
    }
}

/// The first minute of `intervals` at which `units` more of a resource with capacity `cap` and
/// other usage `bp` (a step function `(from, units)`, 0 before its first breakpoint) do not
/// fit, with the next instant the usage or the capacity changes (no start that still covers
/// that minute can fit). `None`: they fit throughout.
pub fn first_conflict(
    bp: &[(Minute, u32)],
    cap: &CapacityProfile,
    intervals: &[(Minute, Minute)],
    units: u32,
) -> Option<(Minute, Minute)> {
    // The capacity changes far less often than the usage: keep its current segment.
    let mut seg: (u32, Minute, Minute) = (0, Minute::MAX, Minute::MIN); // (cap, from, until)
    let mut capacity = |x: Minute| {
        if x < seg.1 || x >= seg.2 {
            seg = (cap.at(x), x, cap.next_change(x));
        }
        (seg.0, seg.2)
    };
    for &(a, b) in intervals {
        let mut x = a;
        let mut i = bp.partition_point(|&(t, _)| t <= x);
        let mut level = if i == 0 { 0 } else { bp[i - 1].1 };
        loop {
            let next_u = bp.get(i).map_or(Minute::MAX, |&(t, _)| t);
            let (c, until) = capacity(x);
            let nx = next_u.min(until);
            if level + units > c {
                return Some((x, nx));
            }
            if nx >= b {
                break;
            }
            x = nx;
            while i < bp.len() && bp[i].0 <= x {
                level = bp[i].1;
                i += 1;
            }
        }
    }
    None
}

/// The first instant from `x` on (a change point of usage or capacity) at which `units` more
/// fit at that instant: after a conflict, no earlier start can avoid it. `Minute::MAX`: never.
fn first_fit_from(
    bp: &[(Minute, u32)],
    cap: &CapacityProfile,
    mut x: Minute,
    units: u32,
) -> Minute {
    let mut i = bp.partition_point(|&(t, _)| t <= x);
    let mut level = if i == 0 { 0 } else { bp[i - 1].1 };
    let mut seg: (u32, Minute, Minute) = (0, Minute::MAX, Minute::MIN); // (cap, from, until)
    while x != Minute::MAX {
        if x < seg.1 || x >= seg.2 {
            seg = (cap.at(x), x, cap.next_change(x));
        }
        if level + units <= seg.0 {
            return x;
        }
        let next_u = bp.get(i).map_or(Minute::MAX, |&(t, _)| t);
        x = next_u.min(seg.2);
        while i < bp.len() && bp[i].0 <= x {
            level = bp[i].1;
            i += 1;
        }
    }
    Minute::MAX
}
