//! Reports for people and tools: KPIs side by side (terminal, JSON, CSV), the Gantt chart (SVG),
//! a self-contained HTML page, per-machine dispatch lists, and why a job finishes when it does.
//!
//! Every number comes from `crate::eval` (`compute_kpis`) or straight from the schedule's times;
//! nothing here recomputes a KPI. Calendar shading and explanations read the machines'
//! compiled [`Availability`](crate::model::Availability) and the instance's calendar rules.
//!
//! - [`compare`]: the KPI rows (one definition for table, CSV, JSON and HTML);
//! - [`gantt`]: one row per machine grouped by plant, changeovers hatched, breaks shaded;
//! - [`html`]: one file, no network: Gantt, KPI table, utilisation bars (machines, plants,
//!   resources), projected stock per item, comparison;
//! - [`dispatch_list`]: per machine, the ordered operations of a period (CSV, Markdown, HTML);
//! - [`explain`]: what set each start (machine, job, calendar, or a secondary resource or
//!   material), walking back from a job's last operation, and the machines that late jobs
//!   waited for most;
//! - [`command`]: `takt report` and `takt explain` (argument structs and entry points).

pub mod command;
pub mod compare;
pub mod dispatch_list;
pub mod explain;
pub mod gantt;
pub mod html;
pub mod json;

pub use command::{explain_command, report_command, ColorBy, ExplainArgs, ReportArgs};
pub use compare::kpi_table;

use crate::model::calendar::{merge, subtract};
use crate::model::time::datetime_at;
use crate::model::{MachineId, Minute, Problem};

/// Why a machine is not working at some time (for shading and explanations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Closure {
    /// Outside the weekly shifts (nights, weekends), or before the horizon start.
    OffShift,
    /// A holiday of the machine's calendar.
    Holiday,
    /// Unplanned downtime of the machine.
    Downtime,
}

impl Closure {
    pub fn name(self) -> &'static str {
        match self {
            Closure::OffShift => "off-shift",
            Closure::Holiday => "holiday",
            Closure::Downtime => "downtime",
        }
    }
}

fn intersect(a: &[(Minute, Minute)], b: &[(Minute, Minute)]) -> Vec<(Minute, Minute)> {
    subtract(a, &subtract(a, b))
}

/// The non-working stretches of machine `m` within `[a, b)`, each with its reason: downtime
/// first, then holidays, the rest off-shift. Read from the machine's `Availability` (what the
/// decoder and the solvers use), classified with the instance's downtime and holiday rules.
pub fn closures(
    problem: &Problem,
    m: MachineId,
    a: Minute,
    b: Minute,
) -> Vec<(Minute, Minute, Closure)> {
    let machine = problem.machine(m);
    let av = &machine.availability;
    let mut gaps = Vec::new();
    let mut t = a;
    while t < b {
        let (s, e) = av.interval_after(t);
        if s > t {
            gaps.push((t, s.min(b)));
        }
        if e == Minute::MAX {
            break;
        }
        t = e.max(t + 1);
    }
    if gaps.is_empty() {
        return Vec::new();
    }
    let down = merge(machine.downtime.clone());
    let holidays = merge(
        machine
            .calendar
            .map(|c| problem.calendars[c].holidays.clone())
            .unwrap_or_default(),
    );
    let mut out = Vec::new();
    let d = intersect(&gaps, &down);
    out.extend(d.iter().map(|&(s, e)| (s, e, Closure::Downtime)));
    let rest = subtract(&gaps, &down);
    out.extend(
        intersect(&rest, &holidays)
            .into_iter()
            .map(|(s, e)| (s, e, Closure::Holiday)),
    );
    out.extend(
        subtract(&rest, &holidays)
            .into_iter()
            .map(|(s, e)| (s, e, Closure::OffShift)),
    );
    out.sort_unstable();
    out
}

/// A span of minutes for people: `45m`, `2h`, `2h 15m`, `3d 4h`, `-1h 30m`.
pub fn fmt_minutes(m: Minute) -> String {
    if m == 0 {
        return "0m".to_string();
    }
    let sign = if m < 0 { "-" } else { "" };
    let a = m.unsigned_abs();
    let (d, h, mi) = (a / 1440, (a % 1440) / 60, a % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d}d"));
    }
    if h > 0 {
        parts.push(format!("{h}h"));
    }
    if mi > 0 {
        parts.push(format!("{mi}m"));
    }
    format!("{sign}{}", parts.join(" "))
}

/// An instant for people: `Mon 2026-11-23 06:00`.
pub fn fmt_when(problem: &Problem, m: Minute) -> String {
    datetime_at(problem.horizon_start, m)
        .strftime("%a %Y-%m-%d %H:%M")
        .to_string()
}

/// Escapes text for HTML element content and double-quoted attributes.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A name made safe as a file name (machine ids, labels): anything but letters, digits, `-`,
/// `_` and `.` becomes `_`.
pub fn file_safe(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if t.is_empty() || t.starts_with('.') {
        format!("_{t}")
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_for_people() {
        assert_eq!(fmt_minutes(0), "0m");
        assert_eq!(fmt_minutes(45), "45m");
        assert_eq!(fmt_minutes(135), "2h 15m");
        assert_eq!(fmt_minutes(1440 + 60), "1d 1h");
        assert_eq!(fmt_minutes(-90), "-1h 30m");
    }

    #[test]
    fn file_names() {
        assert_eq!(file_safe("N-CNC1"), "N-CNC1");
        assert_eq!(file_safe("a/b c"), "a_b_c");
        assert_eq!(file_safe(".."), "_..");
    }
}
