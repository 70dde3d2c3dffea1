//! The events file of `takt reschedule`: what happened since the plan was made. Parsed with the
//! instance's machinery (unknown fields are errors, parse errors carry line:column and YAML
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

use crate::model::load::parse_yaml;
use crate::model::raw::RawJob;
use crate::model::time::{Minute, RawDuration, RawInstant};
use crate::model::{Diagnostic, InputError, JobId, MachineId, OpId, Problem};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvents {
    #[serde(default)]
    pub name: Option<String>,
    pub events: Vec<RawEvent>,
}

/// One event: exactly one of the fields is given.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    #[serde(default)]
    pub breakdown: Option<RawBreakdown>,
    #[serde(default)]
    pub rush_order: Option<RawJob>,
    #[serde(default)]
    pub cancel: Option<RawJobRef>,
    #[serde(default)]
    pub change_order: Option<RawChangeOrder>,
    #[serde(default)]
    pub material_delay: Option<RawDelay>,
    #[serde(default)]
    pub quality_hold: Option<RawHold>,
    #[serde(default)]
    pub calendar_change: Option<RawCalendarChange>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreakdown {
    pub machine: String,
    pub from: RawInstant,
    #[serde(default)]
    pub until: Option<RawInstant>,
    /// Estimated repair time (instead of `until`).
    #[serde(default)]
    pub repair: Option<RawDuration>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawJobRef {
    pub job: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChangeOrder {
    pub job: String,
    #[serde(default)]
    pub due: Option<RawInstant>,
    #[serde(default)]
    pub deadline: Option<RawInstant>,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub quantity: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDelay {
    pub job: String,
    #[serde(default)]
    pub operation: Option<String>,
    pub until: RawInstant,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHold {
    pub job: String,
    pub operation: String,
    pub until: RawInstant,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendarChange {
    pub calendar: String,
    #[serde(default)]
    pub add_overtime: Option<RawSpan>,
    #[serde(default)]
    pub cancel_shift: Option<RawSpan>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// A new job: its YAML as written (added to the instance's jobs as is).
    RushOrder {
        id: String,
        job: serde_yaml::Value,
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
pub fn load_events(path: &std::path::Path, problem: &Problem) -> Result<Events, InputError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| InputError::Io {
        file: file.clone(),
        source,
    })?;
    parse_events(&text, &file, problem)
}

/// Parses and checks events text; `file` names it in errors.
pub fn parse_events(text: &str, file: &str, problem: &Problem) -> Result<Events, InputError> {
    let raw: RawEvents = parse_yaml(text).map_err(|d| InputError::invalid(file, vec![d]))?;
    let value: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| InputError::invalid(file, vec![yaml_diag(e)]))?;
    let mut diags = Vec::new();
    let mut list = Vec::new();
    let origin = problem.horizon_start;
    let at = |i: RawInstant| i.resolve(origin);
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
            diags.push(Diagnostic::at(
                &p,
                format!(
                    "an event has exactly one kind (breakdown, rush_order, cancel, change_order, material_delay, quality_hold, calendar_change); this one has {given}"
                ),
            ));
            continue;
        }
        let job = |name: &str, path: String, diags: &mut Vec<Diagnostic>| {
            let j = problem.job_by_id(name);
            if j.is_none() {
                diags.push(Diagnostic::at(
                    path,
                    format!("unknown job `{name}` (not in the instance)"),
                ));
            }
            j
        };
        let op = |j: Option<JobId>, name: &str, path: String, diags: &mut Vec<Diagnostic>| {
            let j = j?;
            let o = problem.op_by_id(j, name);
            if o.is_none() {
                let known: Vec<&str> = problem
                    .job(j)
                    .ops()
                    .map(|o| problem.op(o).id.as_str())
                    .collect();
                diags.push(Diagnostic::at(
                    path,
                    format!(
                        "job `{}` has no operation `{name}` (it has: {})",
                        problem.job(j).id,
                        known.join(", ")
                    ),
                ));
            }
            o
        };
        if let Some(b) = &ev.breakdown {
            let p = format!("{p}.breakdown");
            let m = problem.machine_by_id(&b.machine);
            if m.is_none() {
                let mut known: Vec<&str> = problem.machines.iter().map(|m| m.id.as_str()).collect();
                known.sort_unstable();
                let hint = if known.len() <= 8 {
                    format!("known: {}", known.join(", "))
                } else {
                    format!("{} machines are declared", known.len())
                };
                diags.push(Diagnostic::at(
                    format!("{p}.machine"),
                    format!("unknown machine `{}` ({hint})", b.machine),
                ));
            }
            let from = at(b.from);
            let until = match (b.until, b.repair) {
                (Some(u), None) => Some(at(u)),
                (None, Some(r)) => {
                    if r.0 <= 0 {
                        diags.push(Diagnostic::at(
                            format!("{p}.repair"),
                            format!("repair time must be positive, got {} min", r.0),
                        ));
                        None
                    } else {
                        Some(from + r.0)
                    }
                }
                _ => {
                    diags.push(Diagnostic::at(
                        &p,
                        "give either `until` (repair end) or `repair` (estimated repair time)",
                    ));
                    None
                }
            };
            if let Some(u) = until {
                if b.until.is_some() && u <= from {
                    diags.push(Diagnostic::at(
                        format!("{p}.until"),
                        format!(
                            "`until` ({}) is not after `from` ({})",
                            problem.datetime(u),
                            problem.datetime(from)
                        ),
                    ));
                } else if let Some(m) = m {
                    list.push((
                        i,
                        Event::Breakdown {
                            machine: m,
                            from,
                            until: u,
                        },
                    ));
                }
            }
        } else if let Some(j) = &ev.rush_order {
            let jv = value
                .get("events")
                .and_then(|e| e.get(i))
                .and_then(|e| e.get("rush_order"))
                .cloned()
                .unwrap_or(serde_yaml::Value::Null);
            if problem.job_by_id(&j.id).is_some() {
                diags.push(Diagnostic::at(
                    format!("{p}.rush_order.id"),
                    format!("job `{}` is already in the instance", j.id),
                ));
            } else if list
                .iter()
                .any(|(_, e)| matches!(e, Event::RushOrder { id, .. } if *id == j.id))
            {
                diags.push(Diagnostic::at(
                    format!("{p}.rush_order.id"),
                    format!("job `{}` is added by an earlier rush order", j.id),
                ));
            } else {
                list.push((
                    i,
                    Event::RushOrder {
                        id: j.id.clone(),
                        job: jv,
                    },
                ));
            }
        } else if let Some(c) = &ev.cancel {
            if let Some(j) = job(&c.job, format!("{p}.cancel.job"), &mut diags) {
                list.push((i, Event::Cancel { job: j }));
            }
        } else if let Some(c) = &ev.change_order {
            let p = format!("{p}.change_order");
            let j = job(&c.job, format!("{p}.job"), &mut diags);
            if c.due.is_none() && c.deadline.is_none() && c.weight.is_none() && c.quantity.is_none()
            {
                diags.push(Diagnostic::at(
                    &p,
                    "nothing to change: give due, deadline, weight or quantity",
                ));
            }
            if let Some(w) = c.weight {
                if !(w.is_finite() && w >= 0.0) {
                    diags.push(Diagnostic::at(
                        format!("{p}.weight"),
                        format!("weight must be a number ≥ 0, got {w}"),
                    ));
                }
            }
            let mut quantity = None;
            if let (Some(q), Some(j)) = (c.quantity, j) {
                if !(q.is_finite() && q > 0.0) {
                    diags.push(Diagnostic::at(
                        format!("{p}.quantity"),
                        format!("quantity must be a number > 0, got {q}"),
                    ));
                } else if let Some(old) = problem.job(j).quantity {
                    quantity = Some((old, q));
                } else {
                    diags.push(Diagnostic::at(
                        format!("{p}.quantity"),
                        format!(
                            "job `{}` has no quantity in the instance, so its durations cannot be scaled",
                            problem.job(j).id
                        ),
                    ));
                }
            }
            if let Some(j) = j {
                list.push((
                    i,
                    Event::ChangeOrder {
                        job: j,
                        due: c.due.map(at),
                        deadline: c.deadline.map(at),
                        weight: c.weight,
                        quantity,
                    },
                ));
            }
        } else if let Some(d) = &ev.material_delay {
            let p = format!("{p}.material_delay");
            let j = job(&d.job, format!("{p}.job"), &mut diags);
            let o = d
                .operation
                .as_deref()
                .map(|name| op(j, name, format!("{p}.operation"), &mut diags));
            match (j, o) {
                (Some(j), None) => list.push((
                    i,
                    Event::MaterialDelay {
                        job: j,
                        op: None,
                        until: at(d.until),
                    },
                )),
                (Some(j), Some(Some(o))) => list.push((
                    i,
                    Event::MaterialDelay {
                        job: j,
                        op: Some(o),
                        until: at(d.until),
                    },
                )),
                _ => {}
            }
        } else if let Some(h) = &ev.quality_hold {
            let p = format!("{p}.quality_hold");
            let j = job(&h.job, format!("{p}.job"), &mut diags);
            if let Some(o) = op(j, &h.operation, format!("{p}.operation"), &mut diags) {
                list.push((
                    i,
                    Event::QualityHold {
                        job: j.expect("op implies job"),
                        op: o,
                        until: at(h.until),
                    },
                ));
            }
        } else if let Some(c) = &ev.calendar_change {
            let p = format!("{p}.calendar_change");
            let cal = problem.calendars.iter().position(|k| k.id == c.calendar);
            if cal.is_none() {
                let known: Vec<&str> = problem.calendars.iter().map(|k| k.id.as_str()).collect();
                diags.push(Diagnostic::at(
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
                    diags.push(Diagnostic::at(
                        &p,
                        "give exactly one of `add_overtime: {from, to}` and `cancel_shift: {from, to}`",
                    ));
                    continue;
                }
            };
            let (from, to) = (at(span.from), at(span.to));
            if to <= from {
                diags.push(Diagnostic::at(
                    format!("{p}.{key}.to"),
                    format!(
                        "`to` ({}) is not after `from` ({})",
                        problem.datetime(to),
                        problem.datetime(from)
                    ),
                ));
            } else if let Some(calendar) = cal {
                list.push((
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
    if diags.is_empty() {
        Ok(Events {
            file: file.to_string(),
            list,
        })
    } else {
        Err(InputError::invalid(file, diags))
    }
}

/// A YAML syntax error as a diagnostic (the typed parse reports these first, so this is a
/// fallback).
pub(crate) fn yaml_diag(e: serde_yaml::Error) -> Diagnostic {
    Diagnostic {
        path: String::new(),
        location: e.location().map(|l| (l.line(), l.column())),
        message: e.to_string(),
    }
}
