//! Rule family "machine": a machine is a unary resource with a calendar. An operation starts
//! after the machine's previous operation ends, after a changeover from the family the machine
//! ran before (in working time, right before the operation), inside working time (resumable
//! operations pause over closed time; atomic ones need one working interval long enough).
//!
//! The placement function [`place`] is the innermost step of every placement: the other rules
//! only raise the lower bounds (`free`, `ready`) it is called with.

use super::Placement;
use crate::model::{Availability, FamilyId, MachineId, Minute, OpId, Problem};

/// What a machine offers the next operation in its sequence: free from `free` (the previous
/// operation's end, 0 before the first), last ran family `family` (its initial family before
/// the first), `prev` the previous operation. Per machine, this is all the state the rule keeps,
/// which is what forward re-timing needs to restart a machine mid-sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MachineSlot {
    pub free: Minute,
    pub family: Option<FamilyId>,
    pub prev: Option<OpId>,
}

impl MachineSlot {
    /// An empty machine (nothing placed on it yet).
    pub fn empty(problem: &Problem, m: MachineId) -> MachineSlot {
        MachineSlot {
            free: 0,
            family: problem.machine(m).initial_family,
            prev: None,
        }
    }

    /// The machine right after operation `o` (ending at `end`).
    pub fn after(problem: &Problem, o: OpId, end: Minute) -> MachineSlot {
        MachineSlot {
            free: end,
            family: problem.compact().core(o).family(),
            prev: Some(o),
        }
    }

    /// The slot when `prev` (if any) is the previous operation on `m` and ends at `prev_end`.
    #[inline]
    pub fn of(problem: &Problem, m: MachineId, prev: Option<OpId>, prev_end: Minute) -> Self {
        match prev {
            Some(q) => MachineSlot::after(problem, q, prev_end),
            None => MachineSlot::empty(problem, m),
        }
    }

    /// Changeover working minutes before an operation of family `to` on `m`.
    #[inline]
    pub fn setup(&self, problem: &Problem, m: MachineId, to: Option<FamilyId>) -> Minute {
        problem.changeover(m, self.family, to)
    }
}

/// The earliest placement of an operation on a machine with availability `av`, when the machine
/// is free from `machine_free`, the operation may start from `ready`, needs a changeover of
/// `setup` working minutes and `duration` working minutes (in one interval if `atomic`).
///
/// With a changeover, the setup holds `setup` working minutes ending exactly at the start, and
/// the minute before the start is working (the setup runs immediately before the operation); it
/// may overlap the wait for `ready` (anticipatory setup) but not precede `machine_free`.
pub fn place(
    av: &Availability,
    machine_free: Minute,
    ready: Minute,
    setup: Minute,
    duration: Minute,
    atomic: bool,
) -> Placement {
    let ready = ready.max(0);
    let machine_free = machine_free.max(0);
    let mut t = if setup == 0 {
        ready.max(machine_free)
    } else {
        let s0 = av.next_working(machine_free);
        ready.max(av.advance(s0, setup))
    };
    loop {
        let (s, e) = av.interval_after(t);
        if s > t {
            t = s;
        }
        if setup > 0 && t == s {
            // The minute before `t` is not working: the setup would not end right at the start.
            t = s + 1;
            if t >= e {
                continue;
            }
        }
        if atomic && t.saturating_add(duration) > e {
            t = e;
            continue;
        }
        break;
    }
    span_at(av, t, setup, duration, atomic)
}

/// The placement of an operation that starts at `start` (already known feasible for the
/// calendar): its end after `duration` working minutes and its changeover's start. Used for
/// times read from elsewhere (the MIP's own starts).
pub fn span_at(
    av: &Availability,
    start: Minute,
    setup: Minute,
    duration: Minute,
    atomic: bool,
) -> Placement {
    let end = if atomic {
        start + duration
    } else {
        av.advance(start, duration)
    };
    let setup_start = if setup > 0 {
        av.retreat(start, setup)
            .expect("the start is at least the end of a full setup")
    } else {
        start
    };
    Placement {
        setup_start,
        start,
        end,
    }
}

/// Like [`span_at`], but `None` for the changeover start when the calendar has no `setup`
/// working minutes before `start` (times not produced by [`place`]).
pub fn setup_start_before(av: &Availability, start: Minute, setup: Minute) -> Option<Minute> {
    if setup > 0 {
        av.retreat(start, setup)
    } else {
        None
    }
}

/// The end of `duration` working minutes from `start` (atomic: wall-clock, as the start is in
/// an interval long enough).
pub fn end_of(av: &Availability, start: Minute, duration: Minute, atomic: bool) -> Minute {
    if atomic {
        start + duration
    } else {
        av.advance(start, duration)
    }
}

/// The latest end of an operation that must leave `setup` working minutes of changeover before
/// a fixed start `start` on the same machine (`Minute::MIN` when the calendar has no room).
pub fn latest_end_before(av: &Availability, start: Minute, setup: Minute) -> Minute {
    if setup > 0 {
        av.retreat(start, setup).unwrap_or(Minute::MIN)
    } else {
        start
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::{WeekAnchor, DAY};

    fn shifts() -> Availability {
        // Working 8:00-16:00 every day for three weeks (closed time as downtime).
        let mut down = vec![(0, 8 * 60)];
        for d in 0..21 {
            down.push((d * DAY + 16 * 60, (d + 1) * DAY + 8 * 60));
        }
        Availability::compile(None, &down, WeekAnchor { monday: 0 }).unwrap()
    }

    #[test]
    fn always_available_is_max_of_bounds() {
        let av = Availability::always();
        let p = place(&av, 10, 30, 0, 5, false);
        assert_eq!((p.setup_start, p.start, p.end), (30, 30, 35));
        let p = place(&av, 30, 10, 7, 5, false);
        assert_eq!((p.setup_start, p.start, p.end), (30, 37, 42));
        // Anticipatory setup: it runs during the wait for `ready`.
        let p = place(&av, 0, 50, 7, 5, false);
        assert_eq!((p.setup_start, p.start, p.end), (43, 50, 55));
    }

    #[test]
    fn calendar_pauses_resumable_and_moves_atomic() {
        let av = shifts();
        let p = place(&av, 0, 15 * 60, 0, 120, false);
        assert_eq!(p.start, 15 * 60);
        assert_eq!(p.end, DAY + 9 * 60);
        let p = place(&av, 0, 15 * 60, 0, 120, true);
        assert_eq!((p.start, p.end), (DAY + 8 * 60, DAY + 10 * 60));
    }

    #[test]
    fn changeover_ends_right_before_the_start_in_working_time() {
        let av = shifts();
        // Setup of 30 from a free machine at 0: the start cannot be the shift's first minute.
        let p = place(&av, 0, 0, 30, 60, false);
        assert_eq!((p.setup_start, p.start), (8 * 60, 8 * 60 + 30));
        // Ready at the start of the next shift: setup ends at that instant minus nothing -> +1.
        let p = place(&av, 0, DAY + 8 * 60, 30, 60, false);
        assert!(av.is_working(p.start - 1));
        assert_eq!(av.working_minutes(p.setup_start, p.start), 30);
        assert_eq!(span_at(&av, p.start, 30, 60, false), p);
    }

    #[test]
    fn latest_end_leaves_room_for_the_changeover() {
        let av = shifts();
        assert_eq!(latest_end_before(&av, 9 * 60, 0), 9 * 60);
        assert_eq!(latest_end_before(&av, DAY + 8 * 60 + 10, 30), 16 * 60 - 20);
        assert_eq!(latest_end_before(&av, 8 * 60 + 10, 30), Minute::MIN);
    }
}
