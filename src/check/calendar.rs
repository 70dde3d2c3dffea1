//! Working time for the referee, computed straight from the calendar rules as written.
//!
//! This deliberately does not use the decoder's compiled [`crate::model::Availability`]: it
//! enumerates the weekly shifts day by day over a finite window, then applies the exceptions in
//! the documented order — weekly shifts − holidays + overtime − downtime — and merges touching
//! intervals. It is meant to be slow-but-obvious; the referee builds one small window per
//! scheduled operation.
//!
//! The window is *not* clipped at minute 0: the weekly pattern simply continues backwards. The
//! rule "nothing works before the horizon start" is checked on its own (`Rule::BeforeHorizon`),
//! so a changeover that starts at minute −10 is reported once, as what it is, and not also as a
//! changeover of the wrong length. Both views together are exactly the documented semantics.

use crate::model::calendar::{CalendarRules, DAY};
use crate::model::{MachineId, Minute, Problem};
use jiff::civil::DateTime;

/// Minute (relative to the horizon start) of Monday 00:00 of the week holding the horizon start.
/// Recomputed here from the horizon start itself rather than taken from `Problem::week`.
pub fn first_monday(horizon_start: DateTime) -> Minute {
    let weekday = horizon_start.weekday().to_monday_zero_offset() as Minute;
    let since_midnight = horizon_start.hour() as Minute * 60 + horizon_start.minute() as Minute;
    -(weekday * DAY + since_midnight)
}

/// Sorts intervals and merges overlapping or touching ones; empty intervals vanish.
fn normalise(mut v: Vec<(Minute, Minute)>) -> Vec<(Minute, Minute)> {
    v.retain(|&(a, b)| a < b);
    v.sort_unstable();
    let mut out: Vec<(Minute, Minute)> = Vec::with_capacity(v.len());
    for (a, b) in v {
        if let Some(last) = out.last_mut() {
            if a <= last.1 {
                last.1 = last.1.max(b);
                continue;
            }
        }
        out.push((a, b));
    }
    out
}

/// `a` minus `b`; both normalised, and so is the result.
fn minus(a: &[(Minute, Minute)], b: &[(Minute, Minute)]) -> Vec<(Minute, Minute)> {
    let mut out = Vec::new();
    for &(s, e) in a {
        let mut cur = s;
        for &(bs, be) in b {
            if be <= cur || bs >= e {
                continue;
            }
            if bs > cur {
                out.push((cur, bs));
            }
            cur = cur.max(be);
        }
        if cur < e {
            out.push((cur, e));
        }
    }
    out
}

/// Only the intervals that meet [from, to) (the rest cannot change the window).
fn meeting(v: &[(Minute, Minute)], from: Minute, to: Minute) -> Vec<(Minute, Minute)> {
    v.iter()
        .copied()
        .filter(|&(a, b)| a < to && b > from)
        .collect()
}

/// The working time of one machine within a window [from, to): sorted, disjoint, non-touching
/// intervals (touching working intervals are one interval).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingTime {
    from: Minute,
    to: Minute,
    intervals: Vec<(Minute, Minute)>,
}

impl WorkingTime {
    /// Working time of machine `m` of `problem` within [from, to).
    pub fn of_machine(problem: &Problem, m: MachineId, from: Minute, to: Minute) -> Self {
        let machine = problem.machine(m);
        let rules = machine.calendar.map(|c| &problem.calendars[c]);
        Self::from_rules(
            rules,
            &machine.downtime,
            first_monday(problem.horizon_start),
            from,
            to,
        )
    }

    /// Working time within [from, to) for calendar `rules` (`None`: always working) and
    /// `downtime`, where `monday` is the minute of a Monday 00:00.
    pub fn from_rules(
        rules: Option<&CalendarRules>,
        downtime: &[(Minute, Minute)],
        monday: Minute,
        from: Minute,
        to: Minute,
    ) -> Self {
        if from >= to {
            return WorkingTime {
                from,
                to: from,
                intervals: Vec::new(),
            };
        }
        let mut work: Vec<(Minute, Minute)> = Vec::new();
        match rules {
            None => work.push((from, to)),
            Some(r) => {
                // A shift lasts at most 24 h and belongs to the day it starts, so the day
                // before the window is the earliest whose shift can reach into it.
                let first_day = (from - monday).div_euclid(DAY) - 1;
                let last_day = (to - 1 - monday).div_euclid(DAY);
                for day in first_day..=last_day {
                    let midnight = monday + day * DAY;
                    let weekday = day.rem_euclid(7);
                    for s in r.weekly.iter().filter(|s| s.weekday as Minute == weekday) {
                        // to <= from crosses midnight; from == to is a full 24 h.
                        let length = if s.to > s.from {
                            s.to - s.from
                        } else {
                            s.to + DAY - s.from
                        };
                        work.push((midnight + s.from, midnight + s.from + length));
                    }
                }
                let work_minus_holidays =
                    minus(&normalise(work), &normalise(meeting(&r.holidays, from, to)));
                work = work_minus_holidays;
                work.extend(meeting(&r.overtime, from, to));
            }
        }
        let work = minus(&normalise(work), &normalise(meeting(downtime, from, to)));
        let clipped = work
            .into_iter()
            .map(|(a, b)| (a.max(from), b.min(to)))
            .collect();
        WorkingTime {
            from,
            to,
            intervals: normalise(clipped),
        }
    }

    /// The merged working intervals inside the window.
    pub fn intervals(&self) -> &[(Minute, Minute)] {
        &self.intervals
    }

    /// The window [from, to) this was computed for.
    pub fn window(&self) -> (Minute, Minute) {
        (self.from, self.to)
    }

    /// Whether the minute [t, t+1) is working time; `t` must lie in the window.
    pub fn is_working(&self, t: Minute) -> bool {
        debug_assert!(
            self.from <= t && t < self.to,
            "minute {t} outside the window"
        );
        let i = self.intervals.partition_point(|&(_, e)| e <= t);
        self.intervals.get(i).is_some_and(|&(s, _)| s <= t)
    }

    /// Working minutes in [a, b) (within the window).
    pub fn working_minutes(&self, a: Minute, b: Minute) -> Minute {
        debug_assert!(a >= self.from && b <= self.to || a >= b);
        let i = self.intervals.partition_point(|&(_, e)| e <= a);
        self.intervals[i..]
            .iter()
            .take_while(|&&(s, _)| s < b)
            .map(|&(s, e)| e.min(b) - s.max(a))
            .filter(|&n| n > 0)
            .sum()
    }

    /// The first working instant at or after `t` inside the window, if any.
    pub fn next_working(&self, t: Minute) -> Option<Minute> {
        let i = self.intervals.partition_point(|&(_, e)| e <= t);
        self.intervals.get(i).map(|&(s, _)| s.max(t))
    }

    /// The last working minute before `t` inside the window, if any.
    pub fn last_working_before(&self, t: Minute) -> Option<Minute> {
        let i = self.intervals.partition_point(|&(s, _)| s < t);
        i.checked_sub(1).map(|i| self.intervals[i].1.min(t) - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::{Availability, WeekAnchor, WeeklyShift, WEEK};

    const H: Minute = 60;
    /// Horizon start Monday 06:00: Monday 00:00 is minute -360.
    const MONDAY: Minute = -6 * H;

    fn shift(weekday: u8, from: Minute, to: Minute) -> WeeklyShift {
        WeeklyShift { weekday, from, to }
    }

    /// Mon–Fri 06:00–22:00.
    fn two_shift() -> CalendarRules {
        CalendarRules {
            id: "two-shift".into(),
            weekly: (0..5).map(|d| shift(d, 6 * H, 22 * H)).collect(),
            holidays: vec![],
            overtime: vec![],
        }
    }

    fn wt(
        rules: Option<&CalendarRules>,
        down: &[(Minute, Minute)],
        from: Minute,
        to: Minute,
    ) -> Vec<(Minute, Minute)> {
        WorkingTime::from_rules(rules, down, MONDAY, from, to)
            .intervals()
            .to_vec()
    }

    /// Minute of `hh:mm` on day `day` (0 = the first Monday).
    fn at(day: Minute, hh: Minute, mm: Minute) -> Minute {
        MONDAY + day * DAY + hh * H + mm
    }

    #[test]
    fn first_monday_from_the_horizon_start() {
        let start: DateTime = "2026-11-23T06:00".parse().unwrap(); // a Monday
        assert_eq!(first_monday(start), -360);
        let start: DateTime = "2026-11-26T13:30".parse().unwrap(); // a Thursday
        assert_eq!(first_monday(start), -(3 * DAY + 13 * H + 30));
        let start: DateTime = "2026-11-29T00:00".parse().unwrap(); // a Sunday
        assert_eq!(first_monday(start), -6 * DAY);
    }

    #[test]
    fn weekly_pattern_skips_the_weekend() {
        let v = wt(Some(&two_shift()), &[], 0, WEEK);
        assert_eq!(v.len(), 5);
        assert_eq!(v[0], (0, 16 * H)); // Monday 06:00-22:00
        assert_eq!(v[4], (at(4, 6, 0), at(4, 22, 0))); // Friday
                                                       // Saturday, Sunday and the night are off.
        let w = WorkingTime::from_rules(Some(&two_shift()), &[], MONDAY, 0, WEEK);
        assert!(!w.is_working(at(5, 12, 0)));
        assert!(!w.is_working(at(0, 22, 0)));
        assert!(w.is_working(at(0, 21, 59)));
        assert_eq!(w.working_minutes(0, WEEK), 5 * 16 * H);
    }

    #[test]
    fn shift_crossing_midnight_belongs_to_its_start_day() {
        // Friday 22:00 to Saturday 06:00 only.
        let r = CalendarRules {
            id: "night".into(),
            weekly: vec![shift(4, 22 * H, 6 * H)],
            holidays: vec![],
            overtime: vec![],
        };
        assert_eq!(
            wt(Some(&r), &[], 0, WEEK),
            vec![(at(4, 22, 0), at(5, 6, 0))]
        );
        // A window that starts inside the shift still sees it (from the day before).
        assert_eq!(
            wt(Some(&r), &[], at(5, 1, 0), at(5, 12, 0)),
            vec![(at(5, 1, 0), at(5, 6, 0))]
        );
        // Sunday 22:00 into Monday: wraps the week.
        let r = CalendarRules {
            id: "sunday-night".into(),
            weekly: vec![shift(6, 22 * H, 6 * H)],
            holidays: vec![],
            overtime: vec![],
        };
        assert_eq!(
            wt(Some(&r), &[], at(7, 0, 0), at(7, 12, 0)),
            vec![(at(7, 0, 0), at(7, 6, 0))]
        );
    }

    #[test]
    fn touching_shifts_merge_and_from_equals_to_is_a_day() {
        // Day shift then night shift: one interval from Monday 06:00 to Tuesday 06:00.
        let r = CalendarRules {
            id: "three".into(),
            weekly: vec![shift(0, 6 * H, 22 * H), shift(0, 22 * H, 6 * H)],
            holidays: vec![],
            overtime: vec![],
        };
        assert_eq!(wt(Some(&r), &[], 0, WEEK), vec![(0, DAY)]);
        // from == to: 24 h from that time; "24:00" as an end is midnight.
        let r = CalendarRules {
            id: "full".into(),
            weekly: vec![shift(2, 8 * H, 8 * H), shift(3, 8 * H, 24 * H)],
            holidays: vec![],
            overtime: vec![],
        };
        assert_eq!(wt(Some(&r), &[], 0, WEEK), vec![(at(2, 8, 0), at(4, 0, 0))]);
    }

    #[test]
    fn holiday_removes_the_whole_day_even_of_a_night_shift() {
        let mut r = two_shift();
        r.weekly.push(shift(2, 22 * H, 6 * H)); // Wednesday night into Thursday
        r.holidays.push((at(3, 0, 0), at(4, 0, 0))); // Thursday
        let w = WorkingTime::from_rules(Some(&r), &[], MONDAY, 0, WEEK);
        // Wednesday's night shift works until Thursday 00:00, then the holiday takes over.
        assert_eq!(
            w.intervals()[2],
            (at(2, 6, 0), at(3, 0, 0)),
            "Wednesday day and night shift merge, cut at the holiday"
        );
        assert!(!w.is_working(at(3, 3, 0)));
        assert!(!w.is_working(at(3, 12, 0)));
        assert!(w.is_working(at(4, 6, 0)));
        assert_eq!(w.working_minutes(at(3, 0, 0), at(4, 0, 0)), 0);
    }

    #[test]
    fn overtime_works_even_on_a_holiday_and_downtime_wins_over_all() {
        let mut r = two_shift();
        r.holidays.push((at(3, 0, 0), at(4, 0, 0))); // Thursday off
        r.overtime.push((at(3, 8, 0), at(3, 12, 0))); // ... but overtime Thursday morning
        r.overtime.push((at(5, 6, 0), at(5, 14, 0))); // Saturday overtime
        r.overtime.push((at(0, 22, 0), at(0, 23, 0))); // extends Monday's shift: touches it
        let down = [(at(5, 10, 0), at(5, 11, 0)), (at(0, 12, 0), at(0, 13, 0))];
        let w = WorkingTime::from_rules(Some(&r), &down, MONDAY, 0, WEEK);
        assert_eq!(
            w.intervals(),
            &[
                (at(0, 6, 0), at(0, 12, 0)),
                (at(0, 13, 0), at(0, 23, 0)), // shift + touching overtime = one interval
                (at(1, 6, 0), at(1, 22, 0)),
                (at(2, 6, 0), at(2, 22, 0)),
                (at(3, 8, 0), at(3, 12, 0)), // overtime on the holiday
                (at(4, 6, 0), at(4, 22, 0)),
                (at(5, 6, 0), at(5, 10, 0)),
                (at(5, 11, 0), at(5, 14, 0)),
            ]
        );
        // Downtime also cuts a machine without a calendar.
        let w = WorkingTime::from_rules(None, &[(100, 200)], MONDAY, 0, 300);
        assert_eq!(w.intervals(), &[(0, 100), (200, 300)]);
        assert_eq!(w.working_minutes(50, 250), 100);
        assert_eq!(w.next_working(120), Some(200));
        assert_eq!(w.last_working_before(150), Some(99));
        assert_eq!(w.last_working_before(0), None);
    }

    #[test]
    fn pattern_continues_before_minute_zero() {
        // The horizon rule is checked separately; the window itself is not clipped.
        let w = WorkingTime::from_rules(None, &[], MONDAY, -50, 50);
        assert_eq!(w.intervals(), &[(-50, 50)]);
        let w = WorkingTime::from_rules(Some(&two_shift()), &[], MONDAY, -DAY, 0);
        // Sunday 06:00 to Monday 06:00: nothing works.
        assert!(w.intervals().is_empty());
    }

    /// The referee and the decoder's compiled calendar must agree minute by minute.
    #[test]
    fn agrees_with_the_compiled_calendar() {
        let mut r = two_shift();
        r.weekly.push(shift(6, 22 * H, 6 * H));
        r.weekly.push(shift(2, 22 * H, 22 * H));
        r.holidays.push((at(3, 0, 0), at(4, 0, 0)));
        r.holidays.push((at(10, 0, 0), at(12, 0, 0)));
        r.overtime.push((at(3, 8, 0), at(3, 12, 0)));
        r.overtime.push((at(5, 6, 0), at(5, 14, 0)));
        r.overtime.push((-100, 30)); // partly before the horizon
        let down = vec![(240, 480), (at(8, 10, 0), at(8, 11, 0)), (9000, 9100)];
        for rules in [Some(&r), None] {
            let av = Availability::compile(rules, &down, WeekAnchor { monday: MONDAY }).unwrap();
            let w = WorkingTime::from_rules(rules, &down, MONDAY, 0, 4 * WEEK);
            for t in 0..4 * WEEK {
                assert_eq!(w.is_working(t), av.is_working(t), "minute {t}");
            }
            // Arbitrary windows agree with the big one.
            for (a, b) in [(0, 1), (777, 5000), (at(9, 23, 0), at(13, 1, 0))] {
                let small = WorkingTime::from_rules(rules, &down, MONDAY, a, b);
                assert_eq!(small.working_minutes(a, b), w.working_minutes(a, b));
                assert_eq!(small.working_minutes(a, b), av.working_minutes(a, b));
            }
        }
    }
}
