//! Rule family "secondary resources": an operation holds units of its required resources (one
//! option per requirement) over its working minutes, and the changeover before it holds the
//! machine's `changeover_require` over the changeover's working minutes; a resource's busy units
//! never exceed its capacity at any minute (src/model/secondary.rs has the semantics). The state
//! is one step function of busy units per resource.

use super::{Blocked, Placement, Push, Request, Rule, Wait};
use crate::model::secondary::CapacityProfile;
use crate::model::{Availability, Minute, Problem, Requirement, ResourceId};

/// Busy units over time; reused across decodes (no allocation after the first).
#[derive(Debug, Clone, Default)]
pub struct Resources {
    /// Per resource, the busy units as a step function: `(from, units)`, sorted; 0 before the
    /// first breakpoint.
    usage: Vec<Vec<(Minute, u32)>>,
    /// Per resource, the stretch of constant capacity last looked up (see [`CapacitySegment`]).
    segments: Vec<CapacitySegment>,
    /// Per resource, the index of `usage` last looked at: where the next search starts
    /// (see [`seek`]).
    cursors: Vec<usize>,
    /// Working minutes of the last checked operation, and of its changeover.
    work: Vec<(Minute, Minute)>,
    setup_work: Vec<(Minute, Minute)>,
    /// Resources chosen by the last check: the operation's requirements, then the changeover's.
    pub chosen: Vec<ResourceId>,
}

/// The working minutes of `[a, b)` on a machine: the intervals the operation (or changeover)
/// holds its resources in. An atomic operation's interval is one working interval already.
pub fn working(
    av: &Availability,
    a: Minute,
    b: Minute,
    atomic: bool,
    out: &mut Vec<(Minute, Minute)>,
) {
    out.clear();
    if atomic {
        if a < b {
            out.push((a, b));
        }
    } else {
        av.working_intervals_into(a, b, out);
    }
}

impl Resources {
    /// No busy units.
    pub fn reset(&mut self, problem: &Problem) {
        self.usage.resize_with(problem.resources.len(), Vec::new);
        self.usage.iter_mut().for_each(Vec::clear);
        self.segments.clear();
        self.segments
            .resize(problem.resources.len(), CapacitySegment::default());
        self.cursors.clear();
        self.cursors.resize(problem.resources.len(), 0);
    }

    /// The first instant after a conflict where `units` more of `r` could fit over `intervals`,
    /// or `None` when they fit now. `Some(Minute::MAX)`: never.
    #[allow(clippy::too_many_arguments)]
    fn conflict(
        usage: &[Vec<(Minute, u32)>],
        segments: &mut [CapacitySegment],
        cursors: &mut [usize],
        problem: &Problem,
        r: ResourceId,
        intervals: &[(Minute, Minute)],
        units: u32,
    ) -> Option<Minute> {
        let bp = &usage[r.idx()];
        let cap = &problem.resources[r.idx()].profile;
        let seg = &mut segments[r.idx()];
        let cursor = &mut cursors[r.idx()];
        let (_, next) = first_conflict_in(bp, cap, seg, cursor, intervals, units)?;
        Some(first_fit_from(bp, cap, seg, cursor, next, units))
    }

    fn add_usage(&mut self, r: ResourceId, intervals: &[(Minute, Minute)], units: u32) {
        let bp = &mut self.usage[r.idx()];
        let cursor = &mut self.cursors[r.idx()];
        for &(a, b) in intervals {
            // Breakpoints at `a` and `b` (the level before them continued), then `units` more
            // over `[a, b)`.
            let first = seek(bp, *cursor, |x| x < a);
            if bp.get(first).map(|p| p.0) != Some(a) {
                let before = if first == 0 { 0 } else { bp[first - 1].1 };
                bp.insert(first, (a, before));
            }
            let last = seek(bp, first, |x| x < b);
            if bp.get(last).map(|p| p.0) != Some(b) {
                let before = if last == 0 { 0 } else { bp[last - 1].1 };
                bp.insert(last, (b, before));
            }
            for p in &mut bp[first..last] {
                p.1 += units;
            }
            *cursor = last;
        }
    }

    /// Chooses an option for each requirement (appending to `chosen`), or says from when the
    /// first unsatisfiable one could be satisfied.
    fn choose(
        &mut self,
        problem: &Problem,
        reqs: &[Requirement],
        changeover: bool,
    ) -> Result<(), (Minute, ResourceId)> {
        let Resources {
            usage,
            segments,
            cursors,
            work,
            setup_work,
            chosen,
        } = self;
        let iv: &[(Minute, Minute)] = if changeover { setup_work } else { work };
        let first = chosen.len();
        for (k, req) in reqs.iter().enumerate() {
            let mut jump = Minute::MAX;
            let mut ok = None;
            for &r in &req.options {
                // Units this operation already takes from `r` for earlier requirements.
                let extra: u32 = reqs[..k]
                    .iter()
                    .zip(&chosen[first..])
                    .filter(|(_, &c)| c == r)
                    .map(|(q, _)| q.units)
                    .sum();
                match Self::conflict(usage, segments, cursors, problem, r, iv, req.units + extra) {
                    None => {
                        ok = Some(r);
                        break;
                    }
                    Some(t) => jump = jump.min(t),
                }
            }
            match ok {
                Some(r) => chosen.push(r),
                None => return Err((jump, req.options[0])),
            }
        }
        Ok(())
    }
}

impl Rule for Resources {
    /// The operation's requirements over its working minutes (a conflict moves the start), then
    /// the changeover's over the changeover's (a conflict moves the machine's free time: the
    /// changeover may not start before the setter is free).
    fn check(
        &mut self,
        problem: &Problem,
        q: &Request,
        pl: &Placement,
    ) -> Result<Option<(Push, Wait)>, Blocked> {
        let require = problem.compact().require(q.op);
        let av = &problem.machine(q.machine).availability;
        if require.is_empty() {
            self.work.clear();
        } else {
            working(av, pl.start, pl.end, q.atomic, &mut self.work);
        }
        self.chosen.clear();
        if let Err((t, r)) = self.choose(problem, require, false) {
            if t == Minute::MAX {
                return Err(Blocked::Resource(r));
            }
            return Ok(Some((Push::Ready(t), Wait::Resource(r))));
        }
        let co = &problem.machine(q.machine).changeover_require;
        if q.setup > 0 && !co.is_empty() {
            working(av, pl.setup_start, pl.start, false, &mut self.setup_work);
            if let Err((t, r)) = self.choose(problem, co, true) {
                if t == Minute::MAX {
                    return Err(Blocked::Resource(r));
                }
                return Ok(Some((Push::Free(t), Wait::Resource(r))));
            }
        }
        Ok(None)
    }

    /// Books the last check's choice (call right after a successful check of the same
    /// placement).
    fn commit(&mut self, problem: &Problem, q: &Request, _pl: &Placement) {
        let require = problem.compact().require(q.op);
        let work = std::mem::take(&mut self.work);
        for (req, k) in require.iter().zip(0..) {
            self.add_usage(self.chosen[k], &work, req.units);
        }
        self.work = work;
        if q.setup > 0 {
            let work = std::mem::take(&mut self.setup_work);
            let co = &problem.machine(q.machine).changeover_require;
            for (req, k) in co.iter().zip(require.len()..) {
                self.add_usage(self.chosen[k], &work, req.units);
            }
            self.setup_work = work;
        }
    }

    /// Every resource's capacity and usage repeat weekly after this (usage: nothing placed
    /// after it).
    fn periodic_after(&self, problem: &Problem) -> Minute {
        let mut t = Minute::MIN;
        for (r, bp) in problem.resources.iter().zip(&self.usage) {
            t = t.max(r.profile.periodic_from());
            if let Some(&(last, _)) = bp.last() {
                t = t.max(last);
            }
        }
        t
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
    let mut cursor = 0;
    first_conflict_in(
        bp,
        cap,
        &mut CapacitySegment::default(),
        &mut cursor,
        intervals,
        units,
    )
}

/// The partition point of `bp` for `below` (true on a prefix of the breakpoint times, as
/// `bp.partition_point`), searched outwards from `hint` (galloping) instead of from the middle.
/// The decoder places operations roughly in time order, so the next look-up is usually near
/// the last one: a few comparisons in cached memory instead of a binary search over the whole
/// step function (which was a fifth of a move's evaluation with operators at 10k operations).
/// Any hint gives the same answer.
fn seek(bp: &[(Minute, u32)], hint: usize, below: impl Fn(Minute) -> bool) -> usize {
    let h = hint.min(bp.len());
    if h < bp.len() && below(bp[h].0) {
        // Forward: the answer is above `h`.
        let (mut lo, mut step) = (h + 1, 1);
        let mut hi = lo;
        while hi < bp.len() && below(bp[hi].0) {
            lo = hi + 1;
            hi = lo + step;
            step *= 2;
        }
        let hi = hi.min(bp.len());
        return lo + bp[lo..hi].partition_point(|p| below(p.0));
    }
    if h > 0 && !below(bp[h - 1].0) {
        // Backward: the answer is at most `h - 1`.
        let (mut hi, mut step) = (h - 1, 1);
        loop {
            let lo = hi.saturating_sub(step);
            if below(bp[lo].0) {
                return lo + 1 + bp[lo + 1..hi].partition_point(|p| below(p.0));
            }
            if lo == 0 {
                return 0;
            }
            hi = lo;
            step *= 2;
        }
    }
    h
}

/// A stretch `[from, until)` over which a resource's capacity is `units`. Capacities change far
/// less often than usage (shifts, not operations), and each lookup in the profile searches its
/// exceptions, calendar and week; so the engine keeps the last stretch per resource across
/// checks and asks the profile again only outside it. (Within the stretch the profile's next
/// change is `until` for every instant, so the answers are the same as asking each time.)
#[derive(Debug, Clone, Copy)]
pub struct CapacitySegment {
    units: u32,
    from: Minute,
    until: Minute,
}

impl Default for CapacitySegment {
    /// Empty: the first lookup asks the profile.
    fn default() -> Self {
        CapacitySegment {
            units: 0,
            from: Minute::MAX,
            until: Minute::MIN,
        }
    }
}

impl CapacitySegment {
    /// The capacity at `x` and the next instant it may change.
    #[inline]
    fn at(&mut self, cap: &CapacityProfile, x: Minute) -> (u32, Minute) {
        if x < self.from || x >= self.until {
            *self = CapacitySegment {
                units: cap.at(x),
                from: x,
                until: cap.next_change(x),
            };
        }
        (self.units, self.until)
    }
}

/// [`first_conflict`] with the capacity stretch `seg` kept from earlier lookups.
fn first_conflict_in(
    bp: &[(Minute, u32)],
    cap: &CapacityProfile,
    seg: &mut CapacitySegment,
    cursor: &mut usize,
    intervals: &[(Minute, Minute)],
    units: u32,
) -> Option<(Minute, Minute)> {
    for &(a, b) in intervals {
        let mut x = a;
        let mut i = seek(bp, *cursor, |t| t <= x);
        *cursor = i;
        let mut level = if i == 0 { 0 } else { bp[i - 1].1 };
        loop {
            let next_u = bp.get(i).map_or(Minute::MAX, |&(t, _)| t);
            let (c, until) = seg.at(cap, x);
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
    seg: &mut CapacitySegment,
    cursor: &mut usize,
    mut x: Minute,
    units: u32,
) -> Minute {
    let mut i = seek(bp, *cursor, |t| t <= x);
    *cursor = i;
    let mut level = if i == 0 { 0 } else { bp[i - 1].1 };
    while x != Minute::MAX {
        let (c, until) = seg.at(cap, x);
        if level + units <= c {
            return x;
        }
        let next_u = bp.get(i).map_or(Minute::MAX, |&(t, _)| t);
        x = next_u.min(until);
        while i < bp.len() && bp[i].0 <= x {
            level = bp[i].1;
            i += 1;
        }
    }
    Minute::MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_and_next_fit_on_a_step_function() {
        let cap = CapacityProfile::constant(2);
        // One unit busy over [10, 20), two over [20, 30).
        let bp = [(10, 1), (20, 2), (30, 0)];
        assert_eq!(first_conflict(&bp, &cap, &[(0, 20)], 1), None);
        assert_eq!(first_conflict(&bp, &cap, &[(0, 25)], 1), Some((20, 30)));
        assert_eq!(first_conflict(&bp, &cap, &[(5, 15)], 2), Some((10, 20)));
        let fit =
            |x, units| first_fit_from(&bp, &cap, &mut CapacitySegment::default(), &mut 2, x, units);
        assert_eq!(fit(20, 1), 30);
        assert_eq!(fit(10, 1), 10);
        assert_eq!(fit(0, 3), Minute::MAX);
    }

    #[test]
    fn seek_from_any_hint_equals_a_binary_search() {
        let bp: Vec<(Minute, u32)> = [3, 5, 5, 8, 13, 21, 34, 34, 55, 89, 144]
            .iter()
            .map(|&t| (t, 1))
            .collect();
        for n in 0..=bp.len() {
            for t in -1..150 {
                for hint in 0..=n + 2 {
                    assert_eq!(
                        seek(&bp[..n], hint, |x| x < t),
                        bp[..n].partition_point(|p| p.0 < t),
                        "n {n} t {t} hint {hint} (<)"
                    );
                    assert_eq!(
                        seek(&bp[..n], hint, |x| x <= t),
                        bp[..n].partition_point(|p| p.0 <= t),
                        "n {n} t {t} hint {hint} (<=)"
                    );
                }
            }
        }
    }
}
