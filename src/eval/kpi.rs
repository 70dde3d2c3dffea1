//! Key performance indicators of a timed schedule (DESIGN.md, "KPIs"). Computed from the
//! schedule alone, so they mean the same for a solver's output and a hand-written file.
//!
//! Secondary resources and materials (src/model/secondary.rs has the semantics) are read from
//! the schedule's times too, never from the decoder: [`resource_holds`] lists which units each
//! operation and changeover holds over which working minutes, [`ResourceUse`] sums them against
//! the capacity, and [`ItemStock`] projects each item's stock over the schedule's events.

use super::objective::{changeovers_of, evaluate_schedule, Evaluation};
use crate::model::secondary::STOCK_EPS;
use crate::model::{Availability, ItemId, JobId, Minute, OpId, Problem, ResourceId};
use crate::schedule::Schedule;

#[derive(Debug, Clone, PartialEq)]
pub struct MachineUse {
    pub machine: String,
    pub plant: String,
    /// Operation + changeover working minutes.
    pub busy: Minute,
    /// Working minutes available in [0, window end).
    pub available: Minute,
    pub utilisation: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlantUse {
    pub plant: String,
    pub busy: Minute,
    pub available: Minute,
    pub utilisation: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Kpis {
    pub evaluation: Evaluation,
    pub total_tardiness: Minute,
    pub max_tardiness: Minute,
    pub weighted_tardiness: f64,
    /// Jobs finishing after their due date (unweighted count).
    pub late_jobs: usize,
    /// Jobs with a due date.
    pub jobs_with_due: usize,
    /// Share of jobs with a due date that finish by it (1 when none has one).
    pub on_time_rate: f64,
    pub makespan: Minute,
    /// Σ (completion − release), unweighted.
    pub total_flow_time: Minute,
    pub changeover_count: usize,
    pub changeover_minutes: Minute,
    /// Available minus busy working minutes, summed over machines.
    pub idle_minutes: Minute,
    /// End of the utilisation window: `horizon.end`, or the makespan without one.
    pub window_end: Minute,
    /// The schedule ends after `horizon.end` (valid, but worth flagging).
    pub beyond_horizon: bool,
    pub deadline_misses: usize,
    pub machines: Vec<MachineUse>,
    pub plants: Vec<PlantUse>,
    /// One per secondary resource, indexed like `Problem::resources`.
    pub resources: Vec<ResourceUse>,
    /// One per item, indexed like `Problem::items`.
    pub items: Vec<ItemStock>,
}

/// How a secondary resource is used: unit-minutes held (operations and changeovers, over their
/// working minutes) against the unit-minutes its capacity offers in `[0, window end)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceUse {
    pub resource: String,
    /// Σ units × working minutes held.
    pub busy: Minute,
    /// ∫ capacity over `[0, window end)`.
    pub available: Minute,
    pub utilisation: f64,
    /// Most units in use at once, and the first minute it happens (`None`: never used).
    pub peak: u32,
    pub peak_at: Option<Minute>,
    /// Minutes in which more units are in use than the capacity (the referee's concern; 0 for
    /// a valid schedule).
    pub over_capacity: Minute,
    /// Units in use as a step function `(from, units)`, sorted, starting and ending at 0.
    pub usage: Vec<(Minute, u32)>,
}

/// What changed an item's stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockCause {
    /// A receipt (purchase order) of the instance.
    Receipt,
    /// An operation taking its `consume` at its start.
    Consumption(OpId),
    /// A job adding its `produce` at its completion.
    Production(JobId),
}

/// One change of an item's stock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StockEvent {
    pub at: Minute,
    pub change: f64,
    /// The stock right after this change. Changes at one instant are listed receipts first,
    /// then productions, then consumptions, so a running level never dips below the lower of
    /// the levels before and after the instant (all changes at an instant apply at once).
    pub stock: f64,
    pub cause: StockCause,
}

/// How bad a stretch of low stock is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ShortageKind {
    /// Below the safety stock (a flag, still feasible).
    BelowSafety,
    /// Below zero: infeasible (the referee rejects it).
    Negative,
}

impl ShortageKind {
    pub fn name(self) -> &'static str {
        match self {
            ShortageKind::BelowSafety => "below safety stock",
            ShortageKind::Negative => "below zero",
        }
    }
}

/// A stretch `[from, to)` in which the stock stays below zero or below the safety stock
/// (`to`: `None` when it never recovers).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shortage {
    pub kind: ShortageKind,
    pub from: Minute,
    pub to: Option<Minute>,
    /// The lowest stock in the stretch.
    pub lowest: f64,
}

/// An item's projected stock over the schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemStock {
    pub item: String,
    pub initial: f64,
    pub safety_stock: f64,
    /// Every change in time order.
    pub timeline: Vec<StockEvent>,
    /// The lowest stock (after all changes of an instant) and the first instant it holds
    /// (0 when the initial stock is the lowest).
    pub min_stock: f64,
    pub min_at: Minute,
    /// The stock after the last change.
    pub final_stock: f64,
    pub shortages: Vec<Shortage>,
    /// Minutes of `[0, window end)` with the stock below zero, and below the safety stock
    /// (below zero included).
    pub below_zero_minutes: Minute,
    pub below_safety_minutes: Minute,
}

impl ItemStock {
    /// The stock held during minute `t` (after every change at or before `t`).
    pub fn stock_at(&self, t: Minute) -> f64 {
        let i = self.timeline.partition_point(|e| e.at <= t);
        if i == 0 {
            self.initial
        } else {
            self.timeline[i - 1].stock
        }
    }
}

/// Units of one resource held by one operation (or the changeover before it) over its working
/// minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// Index into `schedule.ops`.
    pub index: usize,
    pub op: OpId,
    pub resource: ResourceId,
    pub units: u32,
    /// The changeover before the operation holds it (else the operation itself).
    pub changeover: bool,
    /// Working minutes held, as disjoint sorted intervals.
    pub intervals: Vec<(Minute, Minute)>,
}

/// The working sub-intervals of `[a, b)` under `av`.
pub fn working_intervals(av: &Availability, a: Minute, b: Minute) -> Vec<(Minute, Minute)> {
    av.working_intervals(a, b)
}

/// Every resource hold of `schedule`: each requirement of each scheduled operation over the
/// operation's working minutes, and each of its machine's `changeover_require` over the working
/// minutes of the changeover written before it. The resource is the schedule's choice, or the
/// requirement's first (only) option when the schedule names none.
pub fn resource_holds(problem: &Problem, schedule: &Schedule) -> Vec<Hold> {
    let mut out = Vec::new();
    for (index, s) in schedule.ops.iter().enumerate() {
        let op = problem.op(s.op);
        let machine = problem.machine(s.machine);
        let choice = schedule.resources.get(&s.op);
        let setup_start = s.setup_start.filter(|&ss| ss < s.start);
        let lists = [
            (&op.require, false, s.start, s.end),
            (
                &machine.changeover_require,
                true,
                setup_start.unwrap_or(s.start),
                s.start,
            ),
        ];
        for (reqs, changeover, a, b) in lists {
            if reqs.is_empty() || a >= b {
                continue;
            }
            let intervals = working_intervals(&machine.availability, a, b);
            for (k, req) in reqs.iter().enumerate() {
                let chosen = choice.and_then(|c| {
                    if changeover {
                        c.changeover.get(k)
                    } else {
                        c.require.get(k)
                    }
                });
                let Some(&resource) = chosen.or(req.options.first()) else {
                    continue;
                };
                out.push(Hold {
                    index,
                    op: s.op,
                    resource,
                    units: req.units,
                    changeover,
                    intervals: intervals.clone(),
                });
            }
        }
    }
    out
}

/// Units of each resource in use over time, as step functions `(from, units)` (each starts at
/// its first use and ends with a 0), indexed like `Problem::resources`.
pub fn usage_profiles(problem: &Problem, holds: &[Hold]) -> Vec<Vec<(Minute, u32)>> {
    let mut deltas: Vec<Vec<(Minute, i64)>> = vec![Vec::new(); problem.resources.len()];
    for h in holds {
        for &(a, b) in &h.intervals {
            deltas[h.resource.idx()].push((a, h.units as i64));
            deltas[h.resource.idx()].push((b, -(h.units as i64)));
        }
    }
    deltas
        .into_iter()
        .map(|mut d| {
            d.sort_unstable();
            let mut out: Vec<(Minute, u32)> = Vec::new();
            let mut level = 0i64;
            let mut i = 0;
            while i < d.len() {
                let t = d[i].0;
                while i < d.len() && d[i].0 == t {
                    level += d[i].1;
                    i += 1;
                }
                let u = level.max(0) as u32;
                if out.last().map(|l| l.1) != Some(u) {
                    out.push((t, u));
                }
            }
            out
        })
        .collect()
}

/// ∫ capacity over `[a, b)` and the minutes in it where `units` exceed the capacity.
fn capacity_over(r: &crate::model::Resource, a: Minute, b: Minute, units: u32) -> (Minute, Minute) {
    let (mut total, mut over) = (0, 0);
    let mut t = a;
    while t < b {
        let next = r.profile.next_change(t).min(b).max(t + 1);
        let cap = r.profile.at(t);
        total += cap as Minute * (next - t);
        if units > cap {
            over += next - t;
        }
        t = next;
    }
    (total, over)
}

fn resource_uses(problem: &Problem, schedule: &Schedule, window_end: Minute) -> Vec<ResourceUse> {
    if problem.resources.is_empty() {
        return Vec::new();
    }
    let holds = resource_holds(problem, schedule);
    let mut busy = vec![0; problem.resources.len()];
    for h in &holds {
        let minutes: Minute = h.intervals.iter().map(|(a, b)| b - a).sum();
        busy[h.resource.idx()] += h.units as Minute * minutes;
    }
    let profiles = usage_profiles(problem, &holds);
    problem
        .resources
        .iter()
        .zip(profiles)
        .zip(busy)
        .map(|((r, usage), busy)| {
            let (available, _) = capacity_over(r, 0, window_end, u32::MAX);
            let (mut peak, mut peak_at, mut over_capacity) = (0, None, 0);
            for (k, &(t, u)) in usage.iter().enumerate() {
                if u > peak {
                    (peak, peak_at) = (u, Some(t));
                }
                if u > 0 {
                    let end = usage.get(k + 1).map_or(t, |n| n.0);
                    over_capacity += capacity_over(r, t, end, u).1;
                }
            }
            ResourceUse {
                resource: r.id.clone(),
                busy,
                available,
                utilisation: ratio(busy, available),
                peak,
                peak_at,
                over_capacity,
                usage,
            }
        })
        .collect()
}

/// The projected stock of every item under `schedule`: receipts, each job's production at its
/// completion (the latest end of its scheduled operations) and each scheduled operation's
/// consumption at its start. Minutes below zero / safety stock count within `[0, window_end)`.
pub fn item_stocks(problem: &Problem, schedule: &Schedule, window_end: Minute) -> Vec<ItemStock> {
    if problem.items.is_empty() {
        return Vec::new();
    }
    // (at, order within the instant, cause, item, change)
    let mut ev: Vec<(Minute, u8, u32, StockCause, ItemId, f64)> = Vec::new();
    for (i, item) in problem.items.iter().enumerate() {
        for &(at, q) in &item.receipts {
            ev.push((at, 0, 0, StockCause::Receipt, ItemId(i as u32), q));
        }
    }
    let mut completion: Vec<Option<Minute>> = vec![None; problem.jobs.len()];
    for s in &schedule.ops {
        let op = problem.op(s.op);
        let j = op.job.idx();
        completion[j] = Some(completion[j].map_or(s.end, |x: Minute| x.max(s.end)));
        for &(item, q) in &op.consume {
            ev.push((s.start, 2, s.op.0, StockCause::Consumption(s.op), item, -q));
        }
    }
    for (j, job) in problem.jobs.iter().enumerate() {
        if let Some(c) = completion[j] {
            for &(item, q) in &job.produce {
                let cause = StockCause::Production(JobId(j as u32));
                ev.push((c, 1, j as u32, cause, item, q));
            }
        }
    }
    ev.sort_by_key(|e| (e.0, e.1, e.2, e.4));
    problem
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut level = item.initial;
            let timeline: Vec<StockEvent> = ev
                .iter()
                .filter(|e| e.4.idx() == i)
                .map(|&(at, _, _, cause, _, change)| {
                    level += change;
                    StockEvent {
                        at,
                        change,
                        stock: level,
                        cause,
                    }
                })
                .collect();
            project(item, timeline, window_end)
        })
        .collect()
}

/// Minimum, shortages and minutes below the thresholds of one item's timeline.
fn project(item: &crate::model::Item, timeline: Vec<StockEvent>, window_end: Minute) -> ItemStock {
    // Levels after all changes of each instant: (from, level); the initial stock from minute 0.
    let mut levels: Vec<(Minute, f64)> = vec![(0, item.initial)];
    for e in &timeline {
        match levels.last_mut() {
            Some(l) if l.0 == e.at || (e.at < 0 && l.0 <= 0) => *l = (l.0.min(e.at), e.stock),
            _ => levels.push((e.at, e.stock)),
        }
    }
    let kind = |v: f64| {
        if v < -STOCK_EPS {
            Some(ShortageKind::Negative)
        } else if v < item.safety_stock - STOCK_EPS {
            Some(ShortageKind::BelowSafety)
        } else {
            None
        }
    };
    let (mut min_stock, mut min_at) = (levels[0].1, levels[0].0);
    let mut shortages: Vec<Shortage> = Vec::new();
    let (mut below_zero_minutes, mut below_safety_minutes) = (0, 0);
    for (k, &(from, v)) in levels.iter().enumerate() {
        if v < min_stock - STOCK_EPS {
            (min_stock, min_at) = (v, from);
        }
        let to = levels.get(k + 1).map(|l| l.0);
        let clipped = (to.unwrap_or(window_end).min(window_end) - from.max(0)).max(0);
        let Some(kd) = kind(v) else { continue };
        below_safety_minutes += clipped;
        if kd == ShortageKind::Negative {
            below_zero_minutes += clipped;
        }
        match shortages.last_mut() {
            Some(s) if s.kind == kd && s.to == Some(from) => {
                s.to = to;
                s.lowest = s.lowest.min(v);
            }
            _ => shortages.push(Shortage {
                kind: kd,
                from,
                to,
                lowest: v,
            }),
        }
    }
    ItemStock {
        item: item.id.clone(),
        initial: item.initial,
        safety_stock: item.safety_stock,
        final_stock: timeline.last().map_or(item.initial, |e| e.stock),
        timeline,
        min_stock,
        min_at,
        shortages,
        below_zero_minutes,
        below_safety_minutes,
    }
}

fn ratio(a: Minute, b: Minute) -> f64 {
    if b > 0 {
        a as f64 / b as f64
    } else {
        0.0
    }
}

/// KPIs of `schedule`.
pub fn compute_kpis(problem: &Problem, schedule: &Schedule) -> Kpis {
    let evaluation = evaluate_schedule(problem, schedule);
    let mut completion: Vec<Option<Minute>> = vec![None; problem.jobs.len()];
    let mut busy = vec![0; problem.machines.len()];
    let setups = changeovers_of(problem, schedule);
    for (s, &c) in schedule.ops.iter().zip(&setups) {
        let j = problem.op(s.op).job.idx();
        completion[j] = Some(completion[j].map_or(s.end, |x: Minute| x.max(s.end)));
        busy[s.machine.idx()] += problem.op(s.op).duration_on(s.machine).unwrap_or(0) + c;
    }
    let makespan = completion.iter().flatten().copied().max().unwrap_or(0);
    let window_end = problem.horizon_end.unwrap_or(makespan);
    let mut k = Kpis {
        evaluation,
        total_tardiness: 0,
        max_tardiness: 0,
        weighted_tardiness: evaluation.terms.weighted_tardiness,
        late_jobs: 0,
        jobs_with_due: 0,
        on_time_rate: 1.0,
        makespan,
        total_flow_time: 0,
        changeover_count: setups.iter().filter(|&&c| c > 0).count(),
        changeover_minutes: setups.iter().sum(),
        idle_minutes: 0,
        window_end,
        beyond_horizon: problem.horizon_end.is_some_and(|h| makespan > h),
        deadline_misses: evaluation.terms.deadline_misses,
        machines: Vec::new(),
        plants: Vec::new(),
        resources: resource_uses(problem, schedule, window_end),
        items: item_stocks(problem, schedule, window_end),
    };
    for (job, c) in problem.jobs.iter().zip(&completion) {
        let Some(c) = *c else { continue };
        k.total_flow_time += c - job.release;
        if let Some(d) = job.due {
            k.jobs_with_due += 1;
            let late = (c - d).max(0);
            k.total_tardiness += late;
            k.max_tardiness = k.max_tardiness.max(late);
            if late > 0 {
                k.late_jobs += 1;
            }
        }
    }
    if k.jobs_with_due > 0 {
        k.on_time_rate = 1.0 - k.late_jobs as f64 / k.jobs_with_due as f64;
    }
    let mut plant_busy = vec![0; problem.plants.len()];
    let mut plant_avail = vec![0; problem.plants.len()];
    for (i, m) in problem.machines.iter().enumerate() {
        let available = m.availability.working_minutes(0, window_end);
        plant_busy[m.plant.idx()] += busy[i];
        plant_avail[m.plant.idx()] += available;
        k.idle_minutes += (available - busy[i]).max(0);
        k.machines.push(MachineUse {
            machine: m.id.clone(),
            plant: problem.plants[m.plant.idx()].id.clone(),
            busy: busy[i],
            available,
            utilisation: ratio(busy[i], available),
        });
    }
    for (i, p) in problem.plants.iter().enumerate() {
        k.plants.push(PlantUse {
            plant: p.id.clone(),
            busy: plant_busy[i],
            available: plant_avail[i],
            utilisation: ratio(plant_busy[i], plant_avail[i]),
        });
    }
    k
}
