//! Machine availability: the calendar rules as written (for the referee and reports) and their
//! compiled form, [`Availability`], which answers the decoder's questions in O(log n).
//!
//! Working time = weekly shifts − holidays + overtime − downtime, on [0, ∞) (nothing is scheduled
//! before the horizon start). The weekly pattern repeats without end, so availability is stored as
//! a finite `prefix` of merged intervals up to an origin `O` after every dated exception, and a
//! periodic `tail` from `O` on. `O` is chosen at an instant the weekly pattern does not work, so no
//! working interval straddles `O` or a week boundary of the tail: intervals that touch are one
//! interval everywhere, which atomic operations rely on.

use super::time::Minute;

/// Minutes in a week, the period of every calendar.
pub const WEEK: Minute = 7 * 24 * 60;
/// Minutes in a day.
pub const DAY: Minute = 24 * 60;

/// A shift of the weekly pattern: on `weekday` (0 = Monday) from `from` to `to` minutes after
/// midnight. `to <= from` crosses midnight; `from == to` is 24 h. The shift belongs to its start day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyShift {
    pub weekday: u8,
    pub from: Minute,
    pub to: Minute,
}

impl WeeklyShift {
    /// Length in minutes.
    pub fn length(&self) -> Minute {
        if self.to > self.from {
            self.to - self.from
        } else {
            self.to + DAY - self.from
        }
    }
}

/// A calendar's rules in minutes from the horizon start, as the instance states them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarRules {
    pub id: String,
    pub weekly: Vec<WeeklyShift>,
    /// Whole days off, as [00:00 of the first day, 24:00 of the last day).
    pub holidays: Vec<(Minute, Minute)>,
    /// Extra working intervals [from, to).
    pub overtime: Vec<(Minute, Minute)>,
}

/// Where the weekly pattern sits relative to minute 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekAnchor {
    /// Minute (≤ 0) of Monday 00:00 of the week holding the horizon start.
    pub monday: Minute,
}

impl WeekAnchor {
    /// Minute of 00:00 on the day holding minute `t`, and that day's weekday (0 = Monday).
    pub fn day_of(&self, t: Minute) -> (Minute, u8) {
        let days = (t - self.monday).div_euclid(DAY);
        (self.monday + days * DAY, days.rem_euclid(7) as u8)
    }
}

/// Compiled working time of one machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    /// Merged, sorted working intervals before the tail starts.
    prefix: Vec<(Minute, Minute)>,
    tail: Tail,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tail {
    /// Working without interruption from `from` on.
    Always { from: Minute },
    /// `week` (merged, within [0, WEEK), none touching 0) repeats every WEEK from `origin`.
    Weekly {
        origin: Minute,
        week: Vec<(Minute, Minute)>,
        week_work: Minute,
    },
}

/// Sorts and merges intervals; touching intervals become one; empty ones vanish.
pub fn merge(mut v: Vec<(Minute, Minute)>) -> Vec<(Minute, Minute)> {
    v.retain(|&(a, b)| a < b);
    v.sort_unstable();
    let mut out: Vec<(Minute, Minute)> = Vec::with_capacity(v.len());
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// `a` minus `b`, both merged.
pub fn subtract(a: &[(Minute, Minute)], b: &[(Minute, Minute)]) -> Vec<(Minute, Minute)> {
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
            if cur >= e {
                break;
            }
        }
        if cur < e {
            out.push((cur, e));
        }
    }
    out
}

impl Availability {
    /// Working all the time.
    pub fn always() -> Self {
        Availability {
            prefix: Vec::new(),
            tail: Tail::Always { from: 0 },
        }
    }

    /// Compiles rules (or none: always available) and the machine's downtime.
    /// Returns `None` when the weekly pattern has no working minute at all.
    pub fn compile(
        rules: Option<&CalendarRules>,
        downtime: &[(Minute, Minute)],
        anchor: WeekAnchor,
    ) -> Option<Self> {
        // The weekly pattern as a minute bitmap over one week starting at Monday 00:00.
        let mut week = vec![rules.is_none(); WEEK as usize];
        if let Some(r) = rules {
            for s in &r.weekly {
                let start = s.weekday as Minute * DAY + s.from;
                for m in start..start + s.length() {
                    week[m.rem_euclid(WEEK) as usize] = true;
                }
            }
        }
        let week_work = week.iter().filter(|&&w| w).count() as Minute;
        if week_work == 0 {
            return None;
        }
        let empty = Vec::new();
        let holidays = merge(rules.map_or(&empty, |r| &r.holidays).clone());
        let overtime = merge(rules.map_or(&empty, |r| &r.overtime).clone());
        let downtime = merge(downtime.to_vec());
        let exceptions_end = holidays
            .iter()
            .chain(&overtime)
            .chain(&downtime)
            .map(|&(_, e)| e)
            .max()
            .unwrap_or(0)
            .max(0);

        // Intervals of the pattern within one week, measured from `shift` minutes after Monday.
        let pattern_from = |shift: Minute| -> Vec<(Minute, Minute)> {
            let mut v = Vec::new();
            let mut m = 0;
            while m < WEEK {
                if week[(m + shift).rem_euclid(WEEK) as usize] {
                    let s = m;
                    while m < WEEK && week[(m + shift).rem_euclid(WEEK) as usize] {
                        m += 1;
                    }
                    v.push((s, m));
                } else {
                    m += 1;
                }
            }
            v
        };

        let full_week = week_work == WEEK;
        // The tail origin: an instant after every exception where the pattern does not work.
        let (origin, week_rel) = if full_week {
            (exceptions_end, vec![(0, WEEK)])
        } else {
            let z = week.iter().position(|&w| !w).unwrap() as Minute;
            let first = anchor.monday + z;
            let k = if exceptions_end > first {
                (exceptions_end - first + WEEK - 1) / WEEK
            } else {
                0
            };
            (first + k * WEEK, pattern_from(z))
        };

        // The prefix: the pattern repeated backwards from the origin over [0, origin), then the
        // exceptions applied in the documented order.
        let mut base = Vec::new();
        let mut k = 1;
        while origin - (k - 1) * WEEK > 0 {
            let o = origin - k * WEEK;
            for &(s, e) in &week_rel {
                base.push(((o + s).max(0), (o + e).min(origin)));
            }
            k += 1;
        }
        let base = merge(base);
        let mut prefix = subtract(&base, &holidays);
        prefix.extend(overtime.iter().map(|&(s, e)| (s.max(0), e.min(origin))));
        let prefix = merge(prefix);
        let mut prefix = subtract(&prefix, &downtime);

        let tail = if full_week {
            // Working from the origin on: fold a prefix interval touching the origin into it.
            let mut from = origin;
            if let Some(&(s, e)) = prefix.last() {
                if e == origin {
                    from = s;
                    prefix.pop();
                }
            }
            Tail::Always { from }
        } else {
            Tail::Weekly {
                origin,
                week: week_rel,
                week_work,
            }
        };
        Some(Availability { prefix, tail })
    }

    /// The working sub-intervals of `[a, b)` (from minute 0 on), appended to `out`.
    pub fn working_intervals_into(&self, a: Minute, b: Minute, out: &mut Vec<(Minute, Minute)>) {
        let mut t = a.max(0);
        while t < b {
            let (s, e) = self.interval_after(t);
            if s >= b {
                break;
            }
            out.push((s.max(t), e.min(b)));
            if e == Minute::MAX {
                break;
            }
            t = e;
        }
    }

    /// The working sub-intervals of `[a, b)` (from minute 0 on).
    pub fn working_intervals(&self, a: Minute, b: Minute) -> Vec<(Minute, Minute)> {
        let mut out = Vec::new();
        self.working_intervals_into(a, b, &mut out);
        out
    }

    /// From this instant on, working time repeats every week (or never stops).
    pub fn periodic_from(&self) -> Minute {
        match self.tail {
            Tail::Always { from } => from,
            Tail::Weekly { origin, .. } => origin,
        }
    }

    /// Whether the machine works at every minute from 0 on (no calendar, no downtime).
    pub fn is_always(&self) -> bool {
        self.prefix.is_empty() && self.tail == Tail::Always { from: 0 }
    }

    /// The first working interval `(s, e)` with `e > t` (`e` is `Minute::MAX` when unbounded).
    /// `t` may lie inside it (then `s <= t`) or before it.
    pub fn interval_after(&self, t: Minute) -> (Minute, Minute) {
        let i = self.prefix.partition_point(|&(_, e)| e <= t);
        if let Some(&iv) = self.prefix.get(i) {
            return iv;
        }
        match &self.tail {
            Tail::Always { from } => (*from, Minute::MAX),
            Tail::Weekly { origin, week, .. } => {
                let t = t.max(*origin);
                let k = (t - origin).div_euclid(WEEK);
                let r = t - origin - k * WEEK;
                let j = week.partition_point(|&(_, e)| e <= r);
                let (k, (s, e)) = match week.get(j) {
                    Some(&iv) => (k, iv),
                    None => (k + 1, week[0]),
                };
                let base = origin + k * WEEK;
                (base + s, base + e)
            }
        }
    }

    /// The last working interval `(s, e)` with `s < t`, if any (`e` may exceed `t`).
    pub fn interval_before(&self, t: Minute) -> Option<(Minute, Minute)> {
        match &self.tail {
            Tail::Always { from } if t > *from => return Some((*from, Minute::MAX)),
            Tail::Weekly { origin, week, .. } if t > *origin + week[0].0 => {
                let k = (t - origin).div_euclid(WEEK);
                let r = t - origin - k * WEEK;
                let j = week.partition_point(|&(s, _)| s < r);
                let (k, (s, e)) = if j == 0 {
                    (k - 1, *week.last().unwrap())
                } else {
                    (k, week[j - 1])
                };
                let base = origin + k * WEEK;
                return Some((base + s, base + e));
            }
            _ => {}
        }
        let i = self.prefix.partition_point(|&(s, _)| s < t);
        i.checked_sub(1).map(|i| self.prefix[i])
    }

    /// Whether minute `t` (the minute [t, t+1)) is working time.
    pub fn is_working(&self, t: Minute) -> bool {
        let (s, _) = self.interval_after(t);
        s <= t && t >= 0
    }

    /// The first working instant at or after `t`.
    pub fn next_working(&self, t: Minute) -> Minute {
        let t = t.max(0);
        self.interval_after(t).0.max(t)
    }

    /// The end of a resumable task that starts at working instant `t` and needs `work` working
    /// minutes: right after its last working minute (`t` itself when `work` is 0).
    pub fn advance(&self, t: Minute, mut work: Minute) -> Minute {
        let mut t = t;
        while work > 0 {
            let (s, e) = self.interval_after(t);
            let cur = t.max(s);
            // Whole weeks of the tail at once: long tasks on sparse calendars stay O(log n).
            if let Tail::Weekly {
                origin, week_work, ..
            } = &self.tail
            {
                if cur >= *origin && work > *week_work {
                    let weeks = (work - 1) / week_work;
                    t = cur + weeks * WEEK;
                    work -= weeks * week_work;
                    continue;
                }
            }
            if e - cur >= work {
                return cur + work;
            }
            work -= e - cur;
            t = e;
        }
        t
    }

    /// The instant `s` such that [s, t) holds exactly `work` working minutes and `s` is a working
    /// instant (the start of a resumable task of `work` minutes that ends exactly at `t`), if
    /// enough working time exists in [0, t). `work` must be > 0.
    pub fn retreat(&self, t: Minute, mut work: Minute) -> Option<Minute> {
        let mut t = t;
        loop {
            let (s, e) = self.interval_before(t)?;
            let cur = t.min(e);
            if cur - s >= work {
                return Some(cur - work);
            }
            work -= cur - s;
            t = s;
        }
    }

    /// Working minutes in [a, b).
    pub fn working_minutes(&self, a: Minute, b: Minute) -> Minute {
        let mut t = a.max(0);
        let mut total = 0;
        while t < b {
            let (s, e) = self.interval_after(t);
            if s >= b {
                break;
            }
            if let Tail::Weekly {
                origin, week_work, ..
            } = &self.tail
            {
                let cur = t.max(s);
                if cur >= *origin && b - cur > 2 * WEEK {
                    let weeks = (b - cur) / WEEK - 1;
                    total += weeks * week_work;
                    t = cur + weeks * WEEK;
                    continue;
                }
            }
            total += e.min(b) - t.max(s);
            t = e;
        }
        total
    }

    /// The longest uninterrupted working stretch that recurs forever (what an atomic operation
    /// can always find again); `Minute::MAX` when the tail is unbounded.
    pub fn longest_recurring_interval(&self) -> Minute {
        match &self.tail {
            Tail::Always { .. } => Minute::MAX,
            Tail::Weekly { week, .. } => week.iter().map(|&(s, e)| e - s).max().unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Horizon starting Monday 06:00: Monday 00:00 is minute -360.
    fn anchor() -> WeekAnchor {
        WeekAnchor { monday: -360 }
    }

    fn two_shift() -> CalendarRules {
        CalendarRules {
            id: "two-shift".into(),
            weekly: (0..5)
                .map(|d| WeeklyShift {
                    weekday: d,
                    from: 360,
                    to: 1320,
                })
                .collect(),
            holidays: vec![],
            overtime: vec![],
        }
    }

    /// Brute force over minutes, straight from the rules.
    fn brute(rules: &CalendarRules, down: &[(Minute, Minute)], t: Minute) -> bool {
        let a = anchor();
        let in_any = |v: &[(Minute, Minute)]| v.iter().any(|&(s, e)| s <= t && t < e);
        if t < 0 || in_any(down) {
            return false;
        }
        if in_any(&rules.overtime) {
            return true;
        }
        if in_any(&rules.holidays) {
            return false;
        }
        rules.weekly.iter().any(|s| {
            (0..2).any(|back| {
                let (day0, _) = a.day_of(t);
                let day = day0 - back * DAY;
                let (_, wd) = a.day_of(day);
                wd == s.weekday && day + s.from <= t && t < day + s.from + s.length()
            })
        })
    }

    #[test]
    fn matches_brute_force_minute_by_minute() {
        let mut r = two_shift();
        r.weekly.push(WeeklyShift {
            weekday: 6,
            from: 1320,
            to: 360,
        }); // Sunday night into Monday
        r.holidays.push((3 * DAY - 360, 4 * DAY - 360)); // Thursday
        r.overtime.push((5 * DAY - 360 + 360, 5 * DAY - 360 + 840)); // Saturday morning
        let down = vec![(240, 480), (9000, 9100)];
        let av = Availability::compile(Some(&r), &down, anchor()).unwrap();
        for t in -10..5 * WEEK {
            assert_eq!(av.is_working(t), brute(&r, &down, t), "minute {t}");
        }
    }

    #[test]
    fn advance_and_retreat_are_inverse() {
        let av = Availability::compile(Some(&two_shift()), &[], anchor()).unwrap();
        // Monday 06:00 = 0; 16 h shift; a 20 h task ends Tuesday 10:00.
        assert_eq!(av.advance(0, 20 * 60), DAY + 4 * 60);
        assert_eq!(av.retreat(DAY + 4 * 60, 20 * 60), Some(0));
        // Friday 22:00 -> Monday 06:00: weekends are skipped, also many weeks ahead.
        let fri_end = 4 * DAY + 16 * 60;
        assert_eq!(av.advance(fri_end - 60, 120), 7 * DAY + 60);
        assert_eq!(av.advance(0, 80 * 16 * 60), 16 * WEEK - 2 * DAY - 8 * 60);
        for w in [1, 59, 960, 961, 5000, 40000] {
            let end = av.advance(0, w);
            assert_eq!(av.working_minutes(0, end), w);
            assert_eq!(av.retreat(end, w), Some(0));
        }
        assert_eq!(av.retreat(30, 31), None);
    }

    #[test]
    fn no_calendar_is_always_except_downtime() {
        let av = Availability::compile(None, &[(100, 200)], anchor()).unwrap();
        assert_eq!(av.interval_after(0), (0, 100));
        assert_eq!(av.interval_after(150), (200, Minute::MAX));
        assert_eq!(av.advance(50, 100), 250);
        assert_eq!(av.longest_recurring_interval(), Minute::MAX);
    }

    #[test]
    fn empty_week_is_rejected() {
        let r = CalendarRules {
            id: "none".into(),
            weekly: vec![],
            holidays: vec![],
            overtime: vec![(0, 100)],
        };
        assert!(Availability::compile(Some(&r), &[], anchor()).is_none());
    }
}
