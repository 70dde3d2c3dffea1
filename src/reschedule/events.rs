//! The events file of `takt reschedule` (YAML, or JSON for `.json`): what happened since the
//! plan was made. Parsed with the instance's machinery (unknown fields are errors, parse errors carry line:column and YAML
//! path), then checked against the instance, collecting every problem with its YAML path
//! (`events[2].breakdown.machine`).
//!
//! ```yaml
//! events:
//!   - breakdown: {machine: N-CNC1, from: 2026-11-24T08:00, repair: 4h}   # or until: <instant>
//!   - rush_order: {id: WO-9001, due: 2026-11-25T12:00, operations: [...]} # a job, as in instances
//!   - cancel: {job: WO-1003}
//!   - change_order: {job: WO-1001, due: 2026-11-26T12:00, quantity: 150}  # due, deadline, weight, quantity
//!   - material_delay: {job: WO-1004, until: 2026-11-24T14:00}             # operation: optional
//!   - quality_hold: {job: WO-1001, operation: paint, until: 2026-11-25T06:00}
//!   - calendar_change: {calendar: two-shift, add_overtime: {from: ..., to: ...}}
//!   - calendar_change: {calendar: two-shift, cancel_shift: {from: ..., to: ...}}
//! ```

use crate::model::load::{parse_doc, read_doc, DocFormat};
use crate::model::raw::RawJob;
use crate::model::time::{Minute, RawDuration, RawInstant};
use crate::model::{Diagnostic, InputError, JobId, MachineId, OpId, Problem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Events")]
pub struct RawEvents {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub events: Vec<RawEvent>,
}

/// One event: exactly one of the fields is given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Event")]
pub struct RawEvent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<RawBreakdown>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rush_order: Option<RawJob>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel: Option<RawJobRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_order: Option<RawChangeOrder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material_delay: Option<RawDelay>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_hold: Option<RawHold>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar_change: Option<RawCalendarChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Breakdown")]
pub struct RawBreakdown {
    pub machine: String,
    pub from: RawInstant,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<RawInstant>,
    /// Estimated repair time (instead of `until`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair: Option<RawDuration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "JobRef")]
pub struct RawJobRef {
    pub job: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ChangeOrder")]
pub struct RawChangeOrder {
    pub job: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<RawInstant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<RawInstant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Delay")]
pub struct RawDelay {
    pub job: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    pub until: RawInstant,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Hold")]
pub struct RawHold {
    pub job: String,
    pub operation: String,
    pub until: RawInstant,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CalendarChange")]
pub struct RawCalendarChange {
    pub calendar: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_overtime: Option<RawSpan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_shift: Option<RawSpan>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Span")]
pub struct RawSpan {
    pub from: RawInstant,
    pub to: RawInstant,
}

/// A checked event, in the instance's ids and minutes.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The machine is down over [from, until).
    Breakdown {
        machine: MachineId,
        from: Minute,
        until: Minute,
    },
    /// A new job, as written (added to the instance's jobs as is).
    RushOrder {
        id: String,
        job: RawJob,
    },
    Cancel {
        job: JobId,
    },
    ChangeOrder {
        job: JobId,
        due: Option<Minute>,
        deadline: Option<Minute>,
        weight: Option<f64>,
        /// (old, new) quantity: durations of operations not yet started scale by new/old.
        quantity: Option<(f64, f64)>,
    },
    /// Operations not startable before `until`: `op`, or every operation of the job not yet
    /// started when `op` is `None`.
    MaterialDelay {
        job: JobId,
        op: Option<OpId>,
        until: Minute,
    },
    QualityHold {
        job: JobId,
        op: OpId,
        until: Minute,
    },
    /// Overtime [from, to) added to the calendar (`add == true`), or working time in [from, to)
    /// cancelled on every machine that uses it.
    CalendarChange {
        calendar: usize,
        add: bool,
        from: Minute,
        to: Minute,
    },
}

impl Event {
    /// The event's kind as written.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Breakdown { .. } => "breakdown",
            Event::RushOrder { .. } => "rush_order",
            Event::Cancel { .. } => "cancel",
            Event::ChangeOrder { .. } => "change_order",
            Event::MaterialDelay { .. } => "material_delay",
            Event::QualityHold { .. } => "quality_hold",
            Event::CalendarChange { .. } => "calendar_change",
        }
    }

    /// The existing job the event is about, if any.
    pub fn job(&self) -> Option<JobId> {
        match self {
            Event::Cancel { job }
            | Event::ChangeOrder { job, .. }
            | Event::MaterialDelay { job, .. }
            | Event::QualityHold { job, .. } => Some(*job),
            _ => None,
        }
    }
}

/// The checked events of one file, each with its index in the file (for messages).
#[derive(Debug, Clone)]
pub struct Events {
    pub file: String,
    pub list: Vec<(usize, Event)>,
}

impl Events {
    /// Every breakdown: (index, machine, from, until).
    pub fn breakdowns(&self) -> impl Iterator<Item = (usize, MachineId, Minute, Minute)> + '_ {
        self.list.iter().filter_map(|(i, e)| match e {
            Event::Breakdown {
                machine,
                from,
                until,
            } => Some((*i, *machine, *from, *until)),
            _ => None,
        })
    }
}

/// Reads and checks an events file against the instance.
/// YAML, or JSON for `.json`.
pub fn load_events(path: &std::path::Path, problem: &Problem) -> Result<Events, InputError> {
    let raw: RawEvents = read_doc(path)?;
    check_events(&raw, &path.display().to_string(), problem)
}

/// Parses and checks YAML events text; `file` names it in errors.
pub fn parse_events(text: &str, file: &str, problem: &Problem) -> Result<Events, InputError> {
    events_from_str(text, DocFormat::Yaml, file, problem)
}

/// Parses and checks events text in `format`; `origin` names it in errors.
pub fn events_from_str(
    text: &str,
    format: DocFormat,
    origin: &str,
    problem: &Problem,
) -> Result<Events, InputError> {
    let raw: RawEvents = parse_doc(text, format, origin)?;
    check_events(&raw, origin, problem)
}

/// Checks parsed events against the instance, collecting every problem with its path.
pub fn check_events(raw: &RawEvents, file: &str, problem: &Problem) -> Result<Events, InputError> {
    let mut ck = Checker {
        problem,
        diags: Vec::new(),
        list: Vec::new(),
    };
    for (i, ev) in raw.events.iter().enumerate() {
        let p = format!("events[{i}]");
        let given = [
            ev.breakdown.is_some(),
            ev.rush_order.is_some(),
            ev.cancel.is_some(),
            ev.change_order.is_some(),
            ev.material_delay.is_some(),
            ev.quality_hold.is_some(),
            ev.calendar_change.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if given != 1 {
            ck.diags.push(Diagnostic::at(
                &p,
                format!(
                    "an event has exactly one kind (breakdown, rush_order, cancel, change_order, material_delay, quality_hold, calendar_change); this one has {given}"
                ),
            ));
            continue;
        }
        if let Some(b) = &ev.breakdown {
            ck.breakdown(i, &format!("{p}.breakdown"), b);
        } else if let Some(j) = &ev.rush_order {
            ck.rush_order(i, &format!("{p}.rush_order"), j);
        } else if let Some(c) = &ev.cancel {
            if let Some(j) = ck.job(&c.job, format!("{p}.cancel.job")) {
                ck.list.push((i, Event::Cancel { job: j }));
            }
        } else if let Some(c) = &ev.change_order {
            ck.change_order(i, &format!("{p}.change_order"), c);
        } else if let Some(d) = &ev.material_delay {
            ck.material_delay(i, &format!("{p}.material_delay"), d);
        } else if let Some(h) = &ev.quality_hold {
            ck.quality_hold(i, &format!("{p}.quality_hold"), h);
        } else if let Some(c) = &ev.calendar_change {
            ck.calendar_change(i, &format!("{p}.calendar_change"), c);
        }
    }
    if ck.diags.is_empty() {
        Ok(Events {
            file: file.to_string(),
            list: ck.list,
        })
    } else {
        Err(InputError::invalid(file, ck.diags))
    }
}

/// Checks events one by one: the events that apply, and every problem found.
struct Checker<'a> {
    problem: &'a Problem,
    diags: Vec<Diagnostic>,
    list: Vec<(usize, Event)>,
}

impl Checker<'_> {
    fn at(&self, i: RawInstant) -> Minute {
        i.resolve(self.problem.horizon_start)
    }

    fn job(&mut self, name: &str, path: String) -> Option<JobId> {
        let j = self.problem.job_by_id(name);
        if j.is_none() {
            self.diags.push(Diagnostic::at(
                path,
                format!("unknown job `{name}` (not in the instance)"),
            ));
        }
        j
    }

    fn op(&mut self, j: Option<JobId>, name: &str, path: String) -> Option<OpId> {
        let problem = self.problem;
        let j = j?;
        let o = problem.op_by_id(j, name);
        if o.is_none() {
            let known: Vec<&str> = problem
                .job(j)
                .ops()
                .map(|o| problem.op(o).id.as_str())
                .collect();
            self.diags.push(Diagnostic::at(
                path,
                format!(
                    "job `{}` has no operation `{name}` (it has: {})",
                    problem.job(j).id,
                    known.join(", ")
                ),
            ));
        }
        o
    }

    fn breakdown(&mut self, i: usize, p: &str, b: &RawBreakdown) {
        let problem = self.problem;
        let m = problem.machine_by_id(&b.machine);
        if m.is_none() {
            let mut known: Vec<&str> = problem.machines.iter().map(|m| m.id.as_str()).collect();
            known.sort_unstable();
            let hint = if known.len() <= 8 {
                format!("known: {}", known.join(", "))
            } else {
                format!("{} machines are declared", known.len())
            };
            self.diags.push(Diagnostic::at(
                format!("{p}.machine"),
                format!("unknown machine `{}` ({hint})", b.machine),
            ));
        }
        let from = self.at(b.from);
        let until = match (b.until, b.repair) {
            (Some(u), None) => Some(self.at(u)),
            (None, Some(r)) if r.0 <= 0 => {
                self.diags.push(Diagnostic::at(
                    format!("{p}.repair"),
                    format!("repair time must be positive, got {} min", r.0),
                ));
                None
            }
            (None, Some(r)) => Some(from + r.0),
            _ => {
                self.diags.push(Diagnostic::at(
                    p,
                    "give either `until` (repair end) or `repair` (estimated repair time)",
                ));
                None
            }
        };
        let Some(until) = until else {
            return;
        };
        if b.until.is_some() && until <= from {
            self.diags.push(Diagnostic::at(
                format!("{p}.until"),
                format!(
                    "`until` ({}) is not after `from` ({})",
                    problem.datetime(until),
                    problem.datetime(from)
                ),
            ));
        } else if let Some(machine) = m {
            self.list.push((
                i,
                Event::Breakdown {
                    machine,
                    from,
                    until,
                },
            ));
        }
    }

    fn rush_order(&mut self, i: usize, p: &str, j: &RawJob) {
        if self.problem.job_by_id(&j.id).is_some() {
            self.diags.push(Diagnostic::at(
                format!("{p}.id"),
                format!("job `{}` is already in the instance", j.id),
            ));
        } else if self
            .list
            .iter()
            .any(|(_, e)| matches!(e, Event::RushOrder { id, .. } if *id == j.id))
        {
            self.diags.push(Diagnostic::at(
                format!("{p}.id"),
                format!("job `{}` is added by an earlier rush order", j.id),
            ));
        } else {
            self.list.push((
                i,
                Event::RushOrder {
                    id: j.id.clone(),
                    job: j.clone(),
                },
            ));
        }
    }

    fn change_order(&mut self, i: usize, p: &str, c: &RawChangeOrder) {
        let problem = self.problem;
        let j = self.job(&c.job, format!("{p}.job"));
        if c.due.is_none() && c.deadline.is_none() && c.weight.is_none() && c.quantity.is_none() {
            self.diags.push(Diagnostic::at(
                p,
                "nothing to change: give due, deadline, weight or quantity",
            ));
        }
        if let Some(w) = c.weight {
            if !(w.is_finite() && w >= 0.0) {
                self.diags.push(Diagnostic::at(
                    format!("{p}.weight"),
                    format!("weight must be a number ≥ 0, got {w}"),
                ));
            }
        }
        let mut quantity = None;
        if let (Some(q), Some(j)) = (c.quantity, j) {
            if !(q.is_finite() && q > 0.0) {
                self.diags.push(Diagnostic::at(
                    format!("{p}.quantity"),
                    format!("quantity must be a number > 0, got {q}"),
                ));
            } else if let Some(old) = problem.job(j).quantity {
                quantity = Some((old, q));
            } else {
                self.diags.push(Diagnostic::at(
                    format!("{p}.quantity"),
                    format!(
                        "job `{}` has no quantity in the instance, so its durations cannot be scaled",
                        problem.job(j).id
                    ),
                ));
            }
        }
        if let Some(j) = j {
            let event = Event::ChangeOrder {
                job: j,
                due: c.due.map(|d| self.at(d)),
                deadline: c.deadline.map(|d| self.at(d)),
                weight: c.weight,
                quantity,
            };
            self.list.push((i, event));
        }
    }

    fn material_delay(&mut self, i: usize, p: &str, d: &RawDelay) {
        let j = self.job(&d.job, format!("{p}.job"));
        let o = d
            .operation
            .as_deref()
            .map(|name| self.op(j, name, format!("{p}.operation")));
        let until = self.at(d.until);
        match (j, o) {
            (Some(job), None) => self.list.push((
                i,
                Event::MaterialDelay {
                    job,
                    op: None,
                    until,
                },
            )),
            (Some(job), Some(Some(o))) => self.list.push((
                i,
                Event::MaterialDelay {
                    job,
                    op: Some(o),
                    until,
                },
            )),
            _ => {}
        }
    }

    fn quality_hold(&mut self, i: usize, p: &str, h: &RawHold) {
        let j = self.job(&h.job, format!("{p}.job"));
        if let Some(o) = self.op(j, &h.operation, format!("{p}.operation")) {
            let until = self.at(h.until);
            self.list.push((
                i,
                Event::QualityHold {
                    job: j.expect("op implies job"),
                    op: o,
                    until,
                },
            ));
        }
    }

    fn calendar_change(&mut self, i: usize, p: &str, c: &RawCalendarChange) {
        let problem = self.problem;
        let cal = problem.calendars.iter().position(|k| k.id == c.calendar);
        if cal.is_none() {
            let known: Vec<&str> = problem.calendars.iter().map(|k| k.id.as_str()).collect();
            self.diags.push(Diagnostic::at(
                format!("{p}.calendar"),
                format!(
                    "unknown calendar `{}` (known: {})",
                    c.calendar,
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        }
        let (add, span, key) = match (&c.add_overtime, &c.cancel_shift) {
            (Some(s), None) => (true, s, "add_overtime"),
            (None, Some(s)) => (false, s, "cancel_shift"),
            _ => {
                self.diags.push(Diagnostic::at(
                    p,
                    "give exactly one of `add_overtime: {from, to}` and `cancel_shift: {from, to}`",
                ));
                return;
            }
        };
        let (from, to) = (self.at(span.from), self.at(span.to));
        if to <= from {
            self.diags.push(Diagnostic::at(
                format!("{p}.{key}.to"),
                format!(
                    "`to` ({}) is not after `from` ({})",
                    problem.datetime(to),
                    problem.datetime(from)
                ),
            ));
        } else if let Some(calendar) = cal {
            self.list.push((
                i,
                Event::CalendarChange {
                    calendar,
                    add,
                    from,
                    to,
                },
            ));
        }
    }
}
