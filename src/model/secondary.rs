//! Secondary resources (operator crews, setters, tools, molds) and materials (items with stock,
//! receipts, consumption and production): DESIGN.md, "secondary resources and materials".
//!
//! A resource is the general case of a machine: it has a capacity, possibly varying over time,
//! and an operation holds some units of it during the operation's *working minutes* (the minutes
//! of `[start, end)` its machine works; an operation paused over a night does not hold the night
//! crew). A changeover holds the resources its machine's `changeover_require` lists during the
//! changeover's working minutes. Busy units never exceed the capacity at any minute.
//!
//! An item's stock is its initial stock plus receipts and productions (a job adds its `produce`
//! when it completes) minus consumptions (an operation takes its `consume` when it starts). Every
//! change at an instant applies at once: an operation may consume what a job completing at the
//! same minute produces. Stock is never negative at any instant; below the safety stock is a
//! report flag, not an infeasibility.

use super::calendar::{Availability, WeekAnchor, WeeklyShift, WEEK};
use super::time::Minute;

/// Index into `Problem::resources`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceId(pub u32);
impl ResourceId {
    #[inline]
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}

/// Index into `Problem::items`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemId(pub u32);
impl ItemId {
    #[inline]
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}

/// `units` of one resource among `options` (one option: no choice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub options: Vec<ResourceId>,
    pub units: u32,
}

/// A resource as the instance states it (the referee reads these rules) and compiled.
#[derive(Debug, Clone)]
pub struct Resource {
    pub id: String,
    /// Capacity when nothing below applies.
    pub base: u32,
    /// Index into `Problem::calendars`: outside its working time the capacity is 0.
    pub calendar: Option<usize>,
    /// Weekly shifts with their capacity (override `base`, inside the calendar's working time).
    pub shifts: Vec<(WeeklyShift, u32)>,
    /// Dated `[from, to)` capacities over everything else; the last listed wins.
    pub exceptions: Vec<(Minute, Minute, u32)>,
    /// The same rules compiled for fast queries.
    pub profile: CapacityProfile,
}

/// A material.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: String,
    pub initial: f64,
    pub safety_stock: f64,
    /// `(at, quantity)`, sorted by time.
    pub receipts: Vec<(Minute, f64)>,
}

/// Tolerance on stock arithmetic (quantities are decimal; sums need not be exact).
pub const STOCK_EPS: f64 = 1e-6;

/// A resource's capacity as a function of time, answering the decoder's two questions in
/// O(log n): the capacity at `t`, and the next instant it may change.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityProfile {
    base: u32,
    calendar: Option<Availability>,
    /// Step function over one week from Monday 00:00: `(offset, capacity of a shift or None)`,
    /// sorted, the first at offset 0, no two neighbours equal.
    week: Vec<(Minute, Option<u32>)>,
    anchor: WeekAnchor,
    exceptions: Vec<(Minute, Minute, u32)>,
    /// Sorted, distinct boundaries of the exceptions.
    bounds: Vec<Minute>,
}

/// Two weekly shifts of one resource overlap (indices into the shift list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShiftOverlap(pub usize, pub usize);

impl CapacityProfile {
    /// Compiles the rules; `shifts` are `(shift, capacity, index of the shift in the instance)`.
    pub fn compile(
        base: u32,
        calendar: Option<Availability>,
        shifts: &[(WeeklyShift, u32, usize)],
        exceptions: &[(Minute, Minute, u32)],
        anchor: WeekAnchor,
    ) -> Result<CapacityProfile, ShiftOverlap> {
        // Minute map of the week: which shift covers each minute.
        let mut owner: Vec<Option<usize>> = vec![None; WEEK as usize];
        for (k, (s, _, src)) in shifts.iter().enumerate() {
            let from = s.weekday as Minute * 24 * 60 + s.from;
            for m in from..from + s.length() {
                let slot = &mut owner[m.rem_euclid(WEEK) as usize];
                if let Some(other) = *slot {
                    if shifts[other].2 != *src {
                        return Err(ShiftOverlap(shifts[other].2, *src));
                    }
                }
                *slot = Some(k);
            }
        }
        let mut week: Vec<(Minute, Option<u32>)> = Vec::new();
        for (m, o) in owner.iter().enumerate() {
            let cap = o.map(|k| shifts[k].1);
            if week.last().map(|l| l.1) != Some(cap) {
                week.push((m as Minute, cap));
            }
        }
        let mut bounds: Vec<Minute> = exceptions.iter().flat_map(|e| [e.0, e.1]).collect();
        bounds.sort_unstable();
        bounds.dedup();
        Ok(CapacityProfile {
            base,
            calendar,
            week,
            anchor,
            exceptions: exceptions.to_vec(),
            bounds,
        })
    }

    /// A constant capacity.
    pub fn constant(cap: u32) -> CapacityProfile {
        CapacityProfile {
            base: cap,
            calendar: None,
            week: vec![(0, None)],
            anchor: WeekAnchor { monday: 0 },
            exceptions: Vec::new(),
            bounds: Vec::new(),
        }
    }

    fn week_offset(&self, t: Minute) -> Minute {
        (t - self.anchor.monday).rem_euclid(WEEK)
    }

    /// Capacity at minute `t` (the minute `[t, t+1)`).
    pub fn at(&self, t: Minute) -> u32 {
        if let Some(&(_, _, c)) = self
            .exceptions
            .iter()
            .rev()
            .find(|&&(a, b, _)| a <= t && t < b)
        {
            return c;
        }
        if let Some(av) = &self.calendar {
            if !av.is_working(t) {
                return 0;
            }
        }
        let off = self.week_offset(t);
        let i = self.week.partition_point(|&(o, _)| o <= off) - 1;
        self.week[i].1.unwrap_or(self.base)
    }

    /// The first instant after `t` at which the capacity may differ from `at(t)`
    /// (`Minute::MAX` when it never changes).
    pub fn next_change(&self, t: Minute) -> Minute {
        let mut next = Minute::MAX;
        let i = self.bounds.partition_point(|&b| b <= t);
        if let Some(&b) = self.bounds.get(i) {
            next = b;
        }
        if let Some(av) = &self.calendar {
            let (s, e) = av.interval_after(t);
            next = next.min(if s > t { s } else { e });
        }
        if self.week.len() > 1 {
            let off = self.week_offset(t);
            let i = self.week.partition_point(|&(o, _)| o <= off);
            let step = match self.week.get(i) {
                Some(&(o, _)) => o - off,
                None => WEEK - off,
            };
            next = next.min(t.saturating_add(step));
        }
        next
    }

    /// From this instant on, the capacity repeats every week.
    pub fn periodic_from(&self) -> Minute {
        let exc = self.bounds.last().copied().unwrap_or(0);
        let cal = self
            .calendar
            .as_ref()
            .map_or(0, Availability::periodic_from);
        exc.max(cal)
    }

    /// The largest capacity the resource ever has (an upper bound; for validation).
    pub fn max_capacity(&self) -> u32 {
        let shifts = self.week.iter().filter_map(|w| w.1).max().unwrap_or(0);
        let exc = self.exceptions.iter().map(|e| e.2).max().unwrap_or(0);
        self.base.max(shifts).max(exc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(weekday: u8, from: Minute, to: Minute) -> WeeklyShift {
        WeeklyShift { weekday, from, to }
    }

    #[test]
    fn capacity_follows_shifts_exceptions_and_calendar() {
        let anchor = WeekAnchor { monday: 0 };
        // Monday: 3 from 06:00 to 14:00, 1 from 22:00 to 06:00 (crossing midnight); else base 0.
        let p = CapacityProfile::compile(
            0,
            None,
            &[(shift(0, 360, 840), 3, 0), (shift(0, 1320, 360), 1, 1)],
            &[(400, 500, 2)],
            anchor,
        )
        .unwrap();
        assert_eq!(p.at(0), 0);
        assert_eq!(p.at(360), 3);
        assert_eq!(p.at(400), 2);
        assert_eq!(p.at(500), 3);
        assert_eq!(p.at(839), 3);
        assert_eq!(p.at(840), 0);
        assert_eq!(p.at(1320), 1);
        assert_eq!(p.at(1440 + 359), 1);
        assert_eq!(p.at(1440 + 360), 0);
        assert_eq!(p.at(WEEK + 360), 3);
        // next_change never skips a change: walking it visits every minute where `at` changes.
        let mut t = 0;
        let mut visited = vec![];
        while t < 2 * WEEK {
            let n = p.next_change(t);
            for m in t + 1..n.min(2 * WEEK) {
                assert_eq!(p.at(m), p.at(t), "change at {m} skipped from {t}");
            }
            visited.push(n);
            t = n;
        }
        assert!(visited.contains(&400) && visited.contains(&500));
    }

    #[test]
    fn overlapping_shifts_are_reported() {
        let r = CapacityProfile::compile(
            1,
            None,
            &[(shift(0, 360, 840), 3, 0), (shift(0, 800, 900), 1, 1)],
            &[],
            WeekAnchor { monday: 0 },
        );
        assert_eq!(r, Err(ShiftOverlap(0, 1)));
    }

    #[test]
    fn calendar_closes_capacity() {
        use crate::model::calendar::CalendarRules;
        let rules = CalendarRules {
            id: "day".into(),
            weekly: (0..5).map(|d| shift(d, 360, 840)).collect(),
            holidays: vec![],
            overtime: vec![],
        };
        let anchor = WeekAnchor { monday: 0 };
        let av = Availability::compile(Some(&rules), &[], anchor).unwrap();
        let p = CapacityProfile::compile(4, Some(av), &[], &[], anchor).unwrap();
        assert_eq!(p.at(0), 0);
        assert_eq!(p.at(360), 4);
        assert_eq!(p.next_change(0), 360);
        assert_eq!(p.next_change(360), 840);
        assert_eq!(p.max_capacity(), 4);
    }
}
