//! The referee: checks a timed schedule (anyone's, even hand-written) against every rule of the
//! instance, from scratch, and lists each violation.
//!
//! It is written independently of the decoder on purpose: it never uses the compiled
//! [`crate::model::Availability`] but computes working time from the calendar rules as written
//! (see [`calendar`]). A schedule need not be left-justified: idle gaps are legal.
//!
//! One file per rule family:
//! - [`coverage`]: every operation exactly once, on an eligible machine, not before minute 0;
//! - [`timing`]: duration, calendar (resumable operations) and atomic operations;
//! - [`precedence`]: job release, routing order with transfer times;
//! - [`machine`]: one operation at a time per machine, changeovers;
//! - [`pins`]: pinned operations; [`deadlines`]: hard deadlines;
//! - [`resources`]: secondary-resource choices and capacities; [`materials`]: stock never negative.

pub mod calendar;
mod coverage;
mod deadlines;
mod machine;
mod materials;
mod pins;
mod precedence;
mod resources;
mod timing;

use crate::model::{Minute, OpId, Problem};
use crate::schedule::{Schedule, ScheduledOp};
use std::fmt;

/// The rule a violation breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// An operation is not in the schedule.
    Missing,
    /// An operation is in the schedule more than once.
    Duplicate,
    /// An operation is on a machine that is not among its eligible machines.
    NotEligible,
    /// An operation does not hold exactly its duration (working minutes; wall-clock if atomic).
    Duration,
    /// A resumable operation starts at a non-working instant or ends after an idle tail (or its
    /// times are beyond what the referee can check).
    Calendar,
    /// An atomic operation is not inside one working interval.
    Atomic,
    /// An operation starts before its job's release.
    Release,
    /// An operation starts before its predecessor ends plus the transfer time.
    Precedence,
    /// Two operations (with their changeovers) overlap on a machine.
    Overlap,
    /// A changeover is missing, of the wrong length, outside working time, or not due.
    Changeover,
    /// A pinned operation is not on its pinned machine or start.
    Pinned,
    /// A job completes after its hard deadline.
    Deadline,
    /// An operation or its changeover starts before minute 0.
    BeforeHorizon,
    /// A secondary-resource requirement has no valid resource chosen (missing, not among the
    /// options, or a list of the wrong length).
    ResourceChoice,
    /// More units of a secondary resource are in use than its capacity at that instant.
    ResourceCapacity,
    /// An item's stock is negative at some instant.
    Stock,
}

impl Rule {
    /// Every rule, in a fixed order.
    pub const ALL: [Rule; 16] = [
        Rule::Missing,
        Rule::Duplicate,
        Rule::NotEligible,
        Rule::Duration,
        Rule::Calendar,
        Rule::Atomic,
        Rule::Release,
        Rule::Precedence,
        Rule::Overlap,
        Rule::Changeover,
        Rule::Pinned,
        Rule::Deadline,
        Rule::BeforeHorizon,
        Rule::ResourceChoice,
        Rule::ResourceCapacity,
        Rule::Stock,
    ];

    /// Short stable name, for output and file names.
    pub fn code(&self) -> &'static str {
        match self {
            Rule::Missing => "missing",
            Rule::Duplicate => "duplicate",
            Rule::NotEligible => "not_eligible",
            Rule::Duration => "duration",
            Rule::Calendar => "calendar",
            Rule::Atomic => "atomic",
            Rule::Release => "release",
            Rule::Precedence => "precedence",
            Rule::Overlap => "overlap",
            Rule::Changeover => "changeover",
            Rule::Pinned => "pinned",
            Rule::Deadline => "deadline",
            Rule::BeforeHorizon => "before_horizon",
            Rule::ResourceChoice => "resource_choice",
            Rule::ResourceCapacity => "resource_capacity",
            Rule::Stock => "stock",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub rule: Rule,
    /// The operation at fault (for a deadline, the job's last operation).
    pub op: Option<OpId>,
    /// For people: names the operation as `JOB/OP`, the machine and by how much.
    pub message: String,
    /// By how much, where that has a meaning: minutes for timing rules, units over capacity for
    /// `resource_capacity`, the shortage (rounded up to a whole number) for `stock`.
    pub amount: Option<Minute>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: {}", self.rule, self.message)
    }
}

/// Checks `schedule` against every rule of `problem`; returns every violation found (empty when
/// the schedule is valid), in a deterministic order.
pub fn check(problem: &Problem, schedule: &Schedule) -> Vec<Violation> {
    let mut cx = Ctx::new(problem, schedule);
    coverage::check(&mut cx);
    let windows = timing::windows(&mut cx);
    timing::check(&mut cx, &windows);
    precedence::check(&mut cx);
    machine::check(&mut cx, &windows);
    pins::check(&mut cx);
    deadlines::check(&mut cx);
    resources::check(&mut cx, &windows, &schedule.resources);
    materials::check(&mut cx);
    cx.out
}

/// What every rule family reads, and where violations go.
struct Ctx<'a> {
    problem: &'a Problem,
    entries: &'a [ScheduledOp],
    /// For each operation, the indices of its entries in `entries` (normally exactly one).
    by_op: Vec<Vec<usize>>,
    out: Vec<Violation>,
}

impl<'a> Ctx<'a> {
    fn new(problem: &'a Problem, schedule: &'a Schedule) -> Self {
        let mut by_op = vec![Vec::new(); problem.ops.len()];
        for (i, s) in schedule.ops.iter().enumerate() {
            by_op[s.op.idx()].push(i);
        }
        Ctx {
            problem,
            entries: &schedule.ops,
            by_op,
            out: Vec::new(),
        }
    }

    fn report(&mut self, rule: Rule, op: Option<OpId>, amount: Option<Minute>, message: String) {
        self.out.push(Violation {
            rule,
            op,
            message,
            amount,
        });
    }

    /// `JOB/OP`.
    fn name(&self, o: OpId) -> String {
        self.problem.op_name(o)
    }

    /// The machine id of an entry.
    fn machine(&self, s: &ScheduledOp) -> &'a str {
        &self.problem.machine(s.machine).id
    }

    /// `1234 (2026-11-24T02:34)`: minutes and the datetime, for messages.
    fn at(&self, t: Minute) -> String {
        format!("{t} ({})", self.problem.datetime(t))
    }

    /// A family's name, or `none`.
    fn family(&self, f: Option<crate::model::FamilyId>) -> &'a str {
        match f {
            Some(f) => &self.problem.families[f.idx()],
            None => "none",
        }
    }
}
