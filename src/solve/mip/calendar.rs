//! Working-time calendars in the model: a machine's working intervals up to the horizon, and for
//! an operation on it the *pieces* of its start domain on which the end is the start plus a
//! constant (the duration plus the breaks it spans). See `models/disjunctive.md`, "Calendars".

use crate::engine::place;
use crate::model::calendar::WEEK;
use crate::model::{Availability, Minute, Problem};

/// A machine's merged working intervals `[s, e)` from minute 0 on, as far as needed, with the
/// break time before each (`off[k]` = `s_k` − working minutes before `s_k`).
#[derive(Debug, Clone)]
pub(crate) struct Timeline {
    pub iv: Vec<(Minute, Minute)>,
    pub off: Vec<Minute>,
}

impl Timeline {
    /// The intervals that start before `to` (an unbounded last interval is cut at `to`, which
    /// must lie beyond every end the model allows).
    pub fn new(av: &Availability, to: Minute) -> Timeline {
        let mut iv = Vec::new();
        let mut off = Vec::new();
        let mut t = 0;
        let mut work = 0;
        while t < to {
            let (s, e) = av.interval_after(t);
            if s >= to {
                break;
            }
            let e = e.min(to);
            off.push(s - work);
            work += e - s;
            iv.push((s, e));
            t = e;
        }
        Timeline { iv, off }
    }

    /// Working minutes before instant `t` (for checks and tests).
    #[cfg(test)]
    pub fn work_before(&self, t: Minute) -> Minute {
        let mut w = 0;
        for &(s, e) in &self.iv {
            if s >= t {
                break;
            }
            w += e.min(t) - s;
        }
        w
    }
}

/// A piece of an operation's start domain on one machine: starts in `[lo, hi]` (inside working
/// interval `k_start`) end at start + `length`, in interval `k_end` (for a resumable operation
/// `length` = duration + the breaks it spans).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PieceSpec {
    pub lo: Minute,
    pub hi: Minute,
    pub length: Minute,
    /// Break time before the start's interval and before the end's interval: the working-time
    /// coordinate of the start is `S − off_start`, of the end `E − off_end`.
    pub off_start: Minute,
    pub off_end: Minute,
    /// The piece begins at its interval's first minute (a start there cannot follow a
    /// changeover, which must run right up to the start).
    pub at_interval_start: bool,
}

/// The pieces of an operation of `d` working minutes (`atomic`: within one interval) whose start
/// lies in `[lb, ub_start]` and whose end is at most `ub_end`.
pub(crate) fn pieces(
    tl: &Timeline,
    lb: Minute,
    ub_start: Minute,
    ub_end: Minute,
    d: Minute,
    atomic: bool,
) -> Vec<PieceSpec> {
    let mut out = Vec::new();
    let n = tl.iv.len();
    // Working minutes before interval k: s_k − off_k.
    let wb = |k: usize| tl.iv[k].0 - tl.off[k];
    for k in 0..n {
        let (s, e) = tl.iv[k];
        if e <= lb {
            continue;
        }
        if s > ub_start {
            break;
        }
        let lo = s.max(lb);
        if atomic || d == 0 {
            let last = if d == 0 { e - 1 } else { e - d };
            let hi = last.min(ub_start).min(ub_end - d);
            if lo <= hi {
                out.push(PieceSpec {
                    lo,
                    hi,
                    length: d,
                    off_start: tl.off[k],
                    off_end: tl.off[k],
                    at_interval_start: lo == s,
                });
            }
            continue;
        }
        let hi_k = (e - 1).min(ub_start);
        if lo > hi_k {
            continue;
        }
        // The end's working coordinate is W_k + (S − s) + d; it lies in interval k' when it is
        // in (W_k', W_k' + len_k'].
        for k2 in k..n {
            let (s2, e2) = tl.iv[k2];
            let from = wb(k2) - wb(k) + s - d + 1;
            let to = wb(k2) + (e2 - s2) - wb(k) + s - d;
            let (a, b) = (from.max(lo), to.min(hi_k));
            if from > hi_k {
                break;
            }
            let length = d + tl.off[k2] - tl.off[k];
            let b = b.min(ub_end - length);
            if a <= b {
                out.push(PieceSpec {
                    lo: a,
                    hi: b,
                    length,
                    off_start: tl.off[k],
                    off_end: tl.off[k2],
                    at_interval_start: a == s,
                });
            }
        }
    }
    out
}

/// The instant after which every machine's calendar repeats weekly (or works without end): the
/// latest dated exception (holiday, overtime, downtime) plus two weeks.
pub(crate) fn periodic_from(problem: &Problem) -> Minute {
    let mut end: Minute = 0;
    for c in &problem.calendars {
        for &(_, e) in c.holidays.iter().chain(&c.overtime) {
            end = end.max(e);
        }
    }
    for m in &problem.machines {
        for &(_, e) in &m.downtime {
            end = end.max(e);
        }
    }
    end + 2 * WEEK
}

/// The most wall-clock time an operation can take from the instant it may begin (machine free
/// and job ready, both `T`) to its end, over every `T ≥ 0`: a changeover of `setup` working
/// minutes (or none) and `d` working minutes of work, placed as the decoder places it.
///
/// `T ↦ end(T) − T` is largest just after an instant where `end` jumps (a break begins, or the
/// end or an atomic operation would no longer fit before a break), so those instants are tried,
/// up to `scan_to` (beyond which the calendar repeats weekly; `periodic_from`).
pub(crate) fn max_step(
    av: &Availability,
    setup: Minute,
    d: Minute,
    atomic: bool,
    scan_to: Minute,
) -> Minute {
    let tl = Timeline::new(av, scan_to + WEEK);
    let mut cand: Vec<Minute> = vec![0];
    for &(s, e) in &tl.iv {
        if s > scan_to {
            break;
        }
        cand.extend([s, e, e - 1]);
        for w in [d, d + 1, d + setup, d + setup + 1, setup, setup + 1] {
            if let Some(r) = av.retreat(e, w.max(1)) {
                cand.extend([r, r + 1]);
            }
            cand.extend([e - w, e - w + 1]);
        }
    }
    let mut best = 0;
    for t in cand {
        if t < 0 {
            continue;
        }
        for c in [0, setup] {
            let p = place(av, t, t, c, d, atomic);
            best = best.max(p.end - t);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::{CalendarRules, WeekAnchor, WeeklyShift, DAY};

    fn calendars() -> Vec<Availability> {
        let anchor = WeekAnchor { monday: -360 };
        let two_shift = CalendarRules {
            id: "a".into(),
            weekly: (0..5)
                .map(|d| WeeklyShift {
                    weekday: d,
                    from: 360,
                    to: 1320,
                })
                .collect(),
            holidays: vec![(3 * DAY - 360, 4 * DAY - 360)],
            overtime: vec![(5 * DAY, 5 * DAY + 240)],
        };
        let night = CalendarRules {
            id: "b".into(),
            weekly: vec![
                WeeklyShift {
                    weekday: 0,
                    from: 1320,
                    to: 360,
                },
                WeeklyShift {
                    weekday: 2,
                    from: 600,
                    to: 660,
                },
            ],
            holidays: vec![],
            overtime: vec![],
        };
        vec![
            Availability::compile(Some(&two_shift), &[(100, 300), (2000, 2100)], anchor).unwrap(),
            Availability::compile(Some(&night), &[], anchor).unwrap(),
            Availability::compile(None, &[(50, 400)], anchor).unwrap(),
        ]
    }

    /// The candidate instants give the same maximum as trying every minute.
    #[test]
    fn max_step_matches_every_minute() {
        for av in calendars() {
            let scan_to = 3 * WEEK;
            for (setup, d, atomic) in [
                (0, 30, false),
                (15, 30, false),
                (45, 500, false),
                (0, 60, true),
                (20, 55, true),
                (7, 0, false),
                (0, 0, true),
            ] {
                if atomic && av.longest_recurring_interval() < d + 1 {
                    continue;
                }
                let fast = max_step(&av, setup, d, atomic, scan_to);
                let mut slow = 0;
                for t in 0..scan_to + WEEK {
                    for c in [0, setup] {
                        slow = slow.max(place(&av, t, t, c, d, atomic).end - t);
                    }
                }
                assert_eq!(fast, slow, "setup {setup} d {d} atomic {atomic}");
            }
        }
    }

    /// Every start in a piece ends where the decoder's calendar says, and every working start
    /// in range is in exactly one piece.
    #[test]
    fn pieces_cover_the_start_domain_exactly() {
        for av in calendars() {
            let tl = Timeline::new(&av, 4 * WEEK);
            for (d, atomic) in [
                (1, false),
                (30, false),
                (700, false),
                (0, false),
                (60, true),
            ] {
                let ps = pieces(&tl, 10, 2 * WEEK, 4 * WEEK - 1, d, atomic);
                for t in 10..=2 * WEEK {
                    let working = av.is_working(t);
                    let fits = !atomic || av.interval_after(t).1 >= t + d;
                    let inside: Vec<&PieceSpec> =
                        ps.iter().filter(|p| p.lo <= t && t <= p.hi).collect();
                    if !(working && fits) {
                        assert!(inside.is_empty(), "t {t} d {d}: not a valid start");
                        continue;
                    }
                    let end = if atomic { t + d } else { av.advance(t, d) };
                    if end > 4 * WEEK - 1 {
                        continue;
                    }
                    assert_eq!(inside.len(), 1, "t {t} d {d} atomic {atomic}");
                    let p = inside[0];
                    assert_eq!(t + p.length, end, "t {t} d {d}");
                    assert_eq!(t - p.off_start, tl.work_before(t));
                    assert_eq!(end - p.off_end, tl.work_before(end));
                    assert_eq!(p.at_interval_start, !av.is_working(p.lo - 1));
                }
            }
        }
    }
}
