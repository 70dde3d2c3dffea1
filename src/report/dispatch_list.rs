//! Dispatch lists: for each machine (work center), the operations it runs in a period, in start
//! order, with sequence number, job, operation, family, changeover, start, end, due date and the
//! job's slack. Written as one CSV and one Markdown file per machine, and one printable HTML page
//! with every machine (a page each when printed).
//!
//! An operation belongs to the period when the machine is busy with it (changeover included)
//! during the period: `[setup_start or start, end)` overlaps `[from, to)`; an operation of zero
//! length belongs when its instant lies in `[from, to)`. Each such operation appears exactly once,
//! on its machine's list; operations that started before the period or run past its end are noted.

use super::gantt::completions;
use super::{file_safe, fmt_minutes, fmt_when, html_escape as esc};
use crate::eval::objective::changeovers_of;
use crate::model::calendar::{DAY, WEEK};
use crate::model::time::{minutes_between, parse_datetime};
use crate::model::{MachineId, Minute, Problem};
use crate::schedule::{write_atomic, Schedule, ScheduledOp};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Whether scheduled operation `s` belongs to the period `[from, to)`.
pub fn in_period(s: &ScheduledOp, from: Minute, to: Minute) -> bool {
    let a = s.busy_from();
    if a == s.end {
        from <= a && a < to
    } else {
        a < to && s.end > from
    }
}

/// The first shift of any machine's calendar that ends after `after` (the shift in progress at
/// `after`, or the next one), skipping shifts that fall entirely on a holiday. `None` when no
/// machine has a calendar.
pub fn first_shift(problem: &Problem, after: Minute) -> Option<(Minute, Minute)> {
    let calendars: BTreeSet<usize> = problem.machines.iter().filter_map(|m| m.calendar).collect();
    let mut best: Option<(Minute, Minute)> = None;
    for c in calendars {
        let rules = &problem.calendars[c];
        if rules.weekly.is_empty() {
            continue;
        }
        let (anchor_day, _) = problem.week.day_of(after);
        let first_week = (anchor_day - problem.week.monday).div_euclid(WEEK) - 1;
        for k in first_week..first_week + 106 {
            let week = problem.week.monday + k * WEEK;
            if best.is_some_and(|(s, _)| week > s) {
                break;
            }
            for sh in &rules.weekly {
                let s = week + sh.weekday as Minute * DAY + sh.from;
                let e = s + sh.length();
                if e <= after {
                    continue;
                }
                if rules.holidays.iter().any(|&(hs, he)| hs <= s && e <= he) {
                    continue;
                }
                if best.is_none_or(|b| (s, e) < b) {
                    best = Some((s, e));
                }
            }
        }
    }
    best
}

/// An instant given on the command line: integer minutes from the horizon start, or an ISO
/// datetime or date.
pub fn parse_instant(problem: &Problem, s: &str) -> Result<Minute, String> {
    if let Ok(m) = s.trim().parse::<i64>() {
        return Ok(m);
    }
    parse_datetime(s).map(|dt| minutes_between(problem.horizon_start, dt))
}

/// The period of the lists: both ends given; only `from` (to the end of the shift holding it or
/// the next one); only `to` (from minute 0); neither (the first shift). Without calendars a
/// shift is a day.
pub fn period(
    problem: &Problem,
    from: Option<Minute>,
    to: Option<Minute>,
) -> Result<(Minute, Minute), String> {
    let (a, b) = match (from, to) {
        (Some(a), Some(b)) => (a, b),
        (None, Some(b)) => (0.min(b - 1), b),
        (Some(a), None) => (a, first_shift(problem, a).map_or(a + DAY, |(_, e)| e)),
        (None, None) => first_shift(problem, 0).unwrap_or((0, DAY)),
    };
    if a >= b {
        return Err(format!(
            "the period is empty: {} is not before {}",
            problem.datetime(a),
            problem.datetime(b)
        ));
    }
    Ok((a, b))
}

/// For each machine (in instance order), the indices into `schedule.ops` of its operations in the
/// period, ordered by start.
pub fn dispatch_lists(
    problem: &Problem,
    schedule: &Schedule,
    from: Minute,
    to: Minute,
) -> Vec<(MachineId, Vec<usize>)> {
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); problem.machines.len()];
    for (i, s) in schedule.ops.iter().enumerate() {
        if in_period(s, from, to) {
            lists[s.machine.idx()].push(i);
        }
    }
    lists
        .into_iter()
        .enumerate()
        .map(|(m, mut v)| {
            v.sort_by_key(|&i| {
                let s = &schedule.ops[i];
                (s.start, s.busy_from(), s.end, s.op)
            });
            (MachineId(m as u32), v)
        })
        .collect()
}

/// One row of a dispatch list, ready to print.
struct Entry {
    seq: usize,
    job: String,
    op: String,
    family: String,
    setup: Minute,
    setup_start: Option<Minute>,
    start: Minute,
    end: Minute,
    due: Option<Minute>,
    slack: Option<Minute>,
    note: String,
}

fn entries(
    problem: &Problem,
    schedule: &Schedule,
    list: &[usize],
    setups: &[Minute],
    completion: &[Option<Minute>],
    from: Minute,
    to: Minute,
) -> Vec<Entry> {
    list.iter()
        .enumerate()
        .map(|(n, &i)| {
            let s = &schedule.ops[i];
            let op = problem.op(s.op);
            let job = problem.job(op.job);
            let mut notes = Vec::new();
            if s.busy_from() < from {
                notes.push("started before the period");
            }
            if s.end > to {
                notes.push("runs past the period");
            }
            Entry {
                seq: n + 1,
                job: job.id.clone(),
                op: op.id.clone(),
                family: op
                    .family
                    .map(|f| problem.families[f.idx()].clone())
                    .unwrap_or_default(),
                setup: setups[i],
                setup_start: s.setup_start.filter(|&ss| ss < s.start),
                start: s.start,
                end: s.end,
                due: job.due,
                slack: job.due.zip(completion[op.job.idx()]).map(|(d, c)| d - c),
                note: notes.join("; "),
            }
        })
        .collect()
}

fn csv_text(problem: &Problem, rows: &[Entry]) -> std::io::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "seq",
        "job",
        "operation",
        "family",
        "setup_minutes",
        "setup_start",
        "start",
        "end",
        "due",
        "slack_minutes",
        "note",
    ])?;
    for r in rows {
        w.write_record([
            r.seq.to_string(),
            r.job.clone(),
            r.op.clone(),
            r.family.clone(),
            r.setup.to_string(),
            r.setup_start
                .map(|t| problem.datetime(t))
                .unwrap_or_default(),
            problem.datetime(r.start),
            problem.datetime(r.end),
            r.due.map(|t| problem.datetime(t)).unwrap_or_default(),
            r.slack.map(|s| s.to_string()).unwrap_or_default(),
            r.note.clone(),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    String::from_utf8(bytes).map_err(std::io::Error::other)
}

fn slack_text(slack: Option<Minute>) -> String {
    match slack {
        None => "–".into(),
        Some(s) if s < 0 => format!("{} LATE", fmt_minutes(-s)),
        Some(s) => fmt_minutes(s),
    }
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn markdown(
    problem: &Problem,
    label: &str,
    m: MachineId,
    rows: &[Entry],
    from: Minute,
    to: Minute,
) -> String {
    let machine = problem.machine(m);
    let mut md = String::new();
    md.push_str(&format!(
        "# Dispatch list: {} (plant {})\n\n",
        md_cell(&machine.id),
        md_cell(&problem.plants[machine.plant.idx()].id)
    ));
    md.push_str(&format!(
        "Instance {}, schedule {}. Period {} to {}.\n\n",
        md_cell(&problem.name),
        md_cell(label),
        fmt_when(problem, from),
        fmt_when(problem, to)
    ));
    if rows.is_empty() {
        md.push_str("Nothing scheduled on this machine in the period.\n");
        return md;
    }
    md.push_str(
        "| # | job | operation | family | changeover | start | end | due | slack | note |\n",
    );
    md.push_str("|---:|---|---|---|---|---|---|---|---:|---|\n");
    for r in rows {
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.seq,
            md_cell(&r.job),
            md_cell(&r.op),
            md_cell(&r.family),
            if r.setup > 0 {
                format!(
                    "{} from {}",
                    fmt_minutes(r.setup),
                    r.setup_start
                        .map(|t| fmt_when(problem, t))
                        .unwrap_or_default()
                )
            } else {
                String::new()
            },
            fmt_when(problem, r.start),
            fmt_when(problem, r.end),
            r.due.map(|d| fmt_when(problem, d)).unwrap_or_default(),
            slack_text(r.slack),
            md_cell(&r.note)
        ));
    }
    md.push_str("\nSlack: the job's due date minus its completion in this schedule.\n");
    md
}

fn html_page(
    problem: &Problem,
    label: &str,
    lists: &[(MachineId, Vec<Entry>)],
    from: Minute,
    to: Minute,
) -> String {
    let mut h = String::new();
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Dispatch lists: {}</title>\n<style>\n\
         body{{font-family:Helvetica,Arial,sans-serif;margin:20px;color:#111}}\n\
         section{{page-break-after:always;break-after:page;margin-bottom:32px}}\n\
         h1{{font-size:18px;margin:0 0 4px}} p{{margin:2px 0 10px;font-size:12px}}\n\
         table{{border-collapse:collapse;font-size:12px;width:100%}}\n\
         th,td{{border:1px solid #999;padding:3px 6px;text-align:left}} th{{background:#eee}}\n\
         td.late{{color:#b00;font-weight:bold}} td.check{{width:40px}}\n\
         @media print{{body{{margin:0}}}}\n</style>\n</head>\n<body>\n",
        esc(&problem.name)
    ));
    for (m, rows) in lists {
        let machine = problem.machine(*m);
        h.push_str(&format!(
            "<section>\n<h1>{} <small>(plant {})</small></h1>\n<p>Instance {}, schedule {}. Period {} to {}.</p>\n",
            esc(&machine.id),
            esc(&problem.plants[machine.plant.idx()].id),
            esc(&problem.name),
            esc(label),
            esc(&fmt_when(problem, from)),
            esc(&fmt_when(problem, to))
        ));
        if rows.is_empty() {
            h.push_str("<p>Nothing scheduled on this machine in the period.</p>\n</section>\n");
            continue;
        }
        h.push_str("<table>\n<tr><th>#</th><th>job</th><th>operation</th><th>family</th><th>changeover</th><th>start</th><th>end</th><th>due</th><th>slack</th><th>note</th><th>done</th></tr>\n");
        for r in rows {
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td{}>{}</td><td>{}</td><td class=\"check\"></td></tr>\n",
                r.seq,
                esc(&r.job),
                esc(&r.op),
                esc(&r.family),
                if r.setup > 0 { fmt_minutes(r.setup) } else { String::new() },
                esc(&fmt_when(problem, r.start)),
                esc(&fmt_when(problem, r.end)),
                r.due.map(|d| esc(&fmt_when(problem, d))).unwrap_or_default(),
                if r.slack.is_some_and(|s| s < 0) { " class=\"late\"" } else { "" },
                esc(&slack_text(r.slack)),
                esc(&r.note)
            ));
        }
        h.push_str("</table>\n</section>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}

/// Writes the dispatch lists of `schedule` for `[from, to)` into `dir` (created if needed):
/// `<machine>.csv` and `<machine>.md` per machine and `dispatch.html` with all of them. Each file
/// is written atomically. Returns the files written.
pub fn write_dispatch_lists(
    problem: &Problem,
    schedule: &Schedule,
    label: &str,
    dir: &Path,
    from: Minute,
    to: Minute,
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let setups = changeovers_of(problem, schedule);
    let completion = completions(problem, schedule);
    let mut written = Vec::new();
    let mut all = Vec::new();
    let mut used_names = BTreeSet::new();
    for (m, list) in dispatch_lists(problem, schedule, from, to) {
        let rows = entries(problem, schedule, &list, &setups, &completion, from, to);
        let mut name = file_safe(&problem.machine(m).id);
        while !used_names.insert(name.to_lowercase()) {
            name.push('_');
        }
        let csv_path = dir.join(format!("{name}.csv"));
        write_atomic(&csv_path, &csv_text(problem, &rows)?)?;
        let md_path = dir.join(format!("{name}.md"));
        write_atomic(&md_path, &markdown(problem, label, m, &rows, from, to))?;
        written.push(csv_path);
        written.push(md_path);
        all.push((m, rows));
    }
    let html = dir.join("dispatch.html");
    write_atomic(&html, &html_page(problem, label, &all, from, to))?;
    written.push(html);
    Ok(written)
}
