//! The Gantt chart as SVG (written with the `svg` crate): one row per machine, grouped by plant;
//! operations coloured by job or by family; changeovers hatched; off-shift, holiday and downtime
//! shaded from each machine's `Availability`; operations of late jobs outlined; a time axis in
//! the instance's dates and clock times; a legend.
//!
//! Readable at thousands of operations: the time scale is chosen from the median operation length
//! (so a typical bar is wide enough to see and hover), labels are drawn only inside bars wide
//! enough to hold them (never overlapping), axis labels are spaced by at least their own width,
//! and every operation carries a `<title>` (hover) with its job, operation, times and due date.
//!
//! Structure (tests and the HTML page rely on it): each machine is one
//! `<g class="machine-row" data-machine=..>`, each scheduled operation one
//! `<g class="op" data-job=.. data-op=.. ..>` inside its machine's row (class `op late` when its
//! job finishes after its due date). Instances with secondary resources get one
//! `<g class="resource-row" data-resource=..>` per resource below the machines: units in use
//! against the capacity.

use super::{closures, fmt_minutes, fmt_when, Closure};
use crate::model::{MachineId, Minute, Problem};
use crate::schedule::{Schedule, ScheduledOp};
use svg::node::element::{Definitions, Element, Group, Line, Pattern, Rectangle, Style, Title};
use svg::{Document, Node};

/// What the operation colours stand for.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorBy {
    /// One colour per job.
    #[default]
    Job,
    /// One colour per product family (changeovers happen between colours).
    Family,
}

/// Options of one chart.
#[derive(Debug, Clone, Default)]
pub struct GanttOptions {
    pub color_by: ColorBy,
    /// Heading above the chart (e.g. the instance name and the schedule's label).
    pub title: String,
    /// A second line (e.g. a few KPIs).
    pub subtitle: String,
}

const LABEL_W: f64 = 160.0;
const ROW_H: f64 = 22.0;
const BAR_H: f64 = 16.0;
const PLANT_H: f64 = 20.0;
const HEAD_H: f64 = 44.0;
const AXIS_H: f64 = 34.0;
const PAD: f64 = 16.0;
const CHAR_W: f64 = 6.2; // estimated width of one character at font-size 10px
const MIN_CHART_W: f64 = 900.0;
const MAX_CHART_W: f64 = 24000.0;

/// Tableau 10: distinct, print-friendly colours for families.
const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// A distinct colour for item `i` of many (golden-angle hues, alternating lightness).
pub fn many_colour(i: usize) -> (u8, u8, u8) {
    let h = (i as f64 * 137.508) % 360.0;
    let s = [0.62, 0.48, 0.70][i % 3];
    let l = [0.62, 0.50, 0.72, 0.56][(i / 3) % 4];
    hsl_to_rgb(h, s, l)
}

fn hsl_to_rgb(h: f64, s: f64, l: f64) -> (u8, u8, u8) {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let f = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    (f(r), f(g), f(b))
}

fn hex(rgb: (u8, u8, u8)) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb.0, rgb.1, rgb.2)
}

fn parse_hex(s: &str) -> (u8, u8, u8) {
    let v = u32::from_str_radix(s.trim_start_matches('#'), 16).unwrap_or(0);
    ((v >> 16) as u8, (v >> 8) as u8, v as u8)
}

/// Black or white, whichever reads better on `rgb`.
fn text_on(rgb: (u8, u8, u8)) -> &'static str {
    let l = 0.299 * rgb.0 as f64 + 0.587 * rgb.1 as f64 + 0.114 * rgb.2 as f64;
    if l > 150.0 {
        "#111"
    } else {
        "#fff"
    }
}

/// Attribute values: the `svg` crate escapes `&`, `<`, `>` but not quotes.
fn attr(s: &str) -> String {
    s.replace('"', "'")
}

/// The fill of an operation.
pub fn op_colour(problem: &Problem, s: &ScheduledOp, by: ColorBy) -> (u8, u8, u8) {
    let op = problem.op(s.op);
    match by {
        ColorBy::Job => many_colour(op.job.idx()),
        ColorBy::Family => match op.family {
            Some(f) if f.idx() < PALETTE.len() => parse_hex(PALETTE[f.idx()]),
            Some(f) => many_colour(f.idx()),
            None => (0x9a, 0x9a, 0x9a),
        },
    }
}

/// Working sub-intervals of `[a, b)` on machine `m` (the whole interval when `a == b`).
fn working_segments(
    problem: &Problem,
    m: MachineId,
    a: Minute,
    b: Minute,
) -> Vec<(Minute, Minute)> {
    if b <= a {
        return vec![(a, a)];
    }
    let mut out = problem.machine(m).availability.working_intervals(a, b);
    if out.is_empty() {
        out.push((a, b)); // not working time at all: the referee flags it; draw it anyway
    }
    out
}

/// The chart's time window and scale.
struct Scale {
    t0: Minute,
    t1: Minute,
    ppm: f64,
}

impl Scale {
    fn x(&self, t: Minute) -> f64 {
        LABEL_W + (t - self.t0) as f64 * self.ppm
    }
    fn width(&self) -> f64 {
        (self.t1 - self.t0) as f64 * self.ppm
    }
}

fn scale_for(problem: &Problem, schedule: &Schedule) -> Scale {
    let first = schedule
        .ops
        .iter()
        .map(|s| s.busy_from())
        .min()
        .unwrap_or(0)
        .min(0);
    let last = schedule.ops.iter().map(|s| s.end).max().unwrap_or(0);
    let last = last.max(first + 60);
    // Whole hours of the clock.
    let (d0, _) = problem.week.day_of(first);
    let t0 = d0 + (first - d0).div_euclid(60) * 60;
    let (d1, _) = problem.week.day_of(last);
    let t1 = d1 + ((last - d1) + 59).div_euclid(60) * 60;
    let span = (t1 - t0).max(1) as f64;
    let mut lens: Vec<Minute> = schedule
        .ops
        .iter()
        .map(|s| (s.end - s.start).max(1))
        .collect();
    lens.sort_unstable();
    let median = lens.get(lens.len() / 2).copied().unwrap_or(60).max(1) as f64;
    let ppm = (36.0 / median).clamp(
        MIN_CHART_W / span,
        (MAX_CHART_W / span).max(MIN_CHART_W / span),
    );
    Scale { t0, t1, ppm }
}

/// A `<text>` element. (The crate's own `Text` element prints its content between newlines,
/// which some consumers keep; a plain element prints it as is.)
fn text(x: f64, y: f64, s: &str) -> Element {
    Element::new("text")
        .set("x", round(x))
        .set("y", round(y))
        .add(svg::node::Text::new(s))
}

/// Builder methods for plain elements, like the crate's typed elements have.
trait Build {
    fn set(self, name: &str, value: impl Into<svg::node::Value>) -> Self;
    fn add(self, node: impl Into<Box<dyn Node>>) -> Self;
}

impl Build for Element {
    fn set(mut self, name: &str, value: impl Into<svg::node::Value>) -> Self {
        self.assign(name, value);
        self
    }
    fn add(mut self, node: impl Into<Box<dyn Node>>) -> Self {
        self.append(node);
        self
    }
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn rect(x: f64, y: f64, w: f64, h: f64) -> Rectangle {
    Rectangle::new()
        .set("x", round(x))
        .set("y", round(y))
        .set("width", round(w.max(0.0)))
        .set("height", round(h))
}

/// The hover text of an operation.
pub fn op_tooltip(problem: &Problem, s: &ScheduledOp, completion: Option<Minute>) -> String {
    let op = problem.op(s.op);
    let job = problem.job(op.job);
    let mut t = format!(
        "{} / {} on {}\n{} → {}",
        job.id,
        op.id,
        problem.machine(s.machine).id,
        fmt_when(problem, s.start),
        fmt_when(problem, s.end)
    );
    if let Some(f) = op.family {
        t.push_str(&format!("\nfamily {}", problem.families[f.idx()]));
    }
    if let Some(ss) = s.setup_start.filter(|&ss| ss < s.start) {
        t.push_str(&format!(
            "\nchangeover from {} ({})",
            fmt_when(problem, ss),
            fmt_minutes(
                problem
                    .machine(s.machine)
                    .availability
                    .working_minutes(ss, s.start)
            )
        ));
    }
    match (job.due, completion) {
        (Some(d), Some(c)) if c > d => t.push_str(&format!(
            "\ndue {}: job late by {}",
            fmt_when(problem, d),
            fmt_minutes(c - d)
        )),
        (Some(d), _) => t.push_str(&format!("\ndue {}", fmt_when(problem, d))),
        (None, _) => t.push_str("\nno due date"),
    }
    t
}

/// Completion of each job in `schedule` (latest end of its scheduled operations).
pub fn completions(problem: &Problem, schedule: &Schedule) -> Vec<Option<Minute>> {
    let mut c: Vec<Option<Minute>> = vec![None; problem.jobs.len()];
    for s in &schedule.ops {
        let j = problem.op(s.op).job.idx();
        c[j] = Some(c[j].map_or(s.end, |x: Minute| x.max(s.end)));
    }
    c
}

/// The Gantt chart of `schedule` as an SVG document (no XML declaration, so it can be inlined
/// into HTML as is).
pub fn gantt_svg(problem: &Problem, schedule: &Schedule, opts: &GanttOptions) -> String {
    let sc = scale_for(problem, schedule);
    let chart_w = sc.width();
    let total_w = (LABEL_W + chart_w + PAD).ceil();
    let completion = completions(problem, schedule);
    let late: Vec<bool> = problem
        .jobs
        .iter()
        .zip(&completion)
        .map(|(j, c)| matches!((j.due, c), (Some(d), Some(c)) if *c > d))
        .collect();

    // Rows: plants in order, each with its machines.
    let mut y = HEAD_H + AXIS_H;
    let rows_top = y;
    let mut body = Group::new().set("class", "rows");
    let mut ops_of: Vec<Vec<usize>> = vec![Vec::new(); problem.machines.len()];
    for (i, s) in schedule.ops.iter().enumerate() {
        ops_of[s.machine.idx()].push(i);
    }
    let mut machine_no = 0usize;
    for (p, plant) in problem.plants.iter().enumerate() {
        let machines: Vec<usize> = (0..problem.machines.len())
            .filter(|&m| problem.machines[m].plant.idx() == p)
            .collect();
        if machines.is_empty() {
            continue;
        }
        let header = Group::new()
            .set("class", "plant")
            .set("data-plant", attr(&plant.id))
            .add(rect(0.0, y, total_w, PLANT_H).set("fill", "#dfe6ee"))
            .add(
                text(8.0, y + 14.0, &format!("plant {}", plant.id))
                    .set("font-weight", "bold")
                    .set("font-size", 12),
            );
        body = body.add(header);
        y += PLANT_H;
        for m in machines {
            let mid = MachineId(m as u32);
            let machine = &problem.machines[m];
            let mut row = Group::new()
                .set("class", "machine-row")
                .set("data-machine", attr(&machine.id))
                .set("data-plant", attr(&plant.id))
                .add(rect(0.0, y, total_w, ROW_H).set(
                    "fill",
                    if machine_no.is_multiple_of(2) {
                        "#ffffff"
                    } else {
                        "#f6f7f9"
                    },
                ));
            machine_no += 1;
            let label: String = if machine.id.chars().count() > 24 {
                format!("{}…", machine.id.chars().take(23).collect::<String>())
            } else {
                machine.id.clone()
            };
            row = row.add(
                text(8.0, y + 15.0, &label)
                    .set("font-size", 11)
                    .add(Title::new(machine.id.clone())),
            );
            // Closed time, shaded under the bars.
            for (a, b, kind) in closures(problem, mid, sc.t0.max(0), sc.t1) {
                let fill = match kind {
                    Closure::OffShift => "#e4e4e4",
                    Closure::Holiday => "#d5cce8",
                    Closure::Downtime => "url(#downtime-hatch)",
                };
                row = row.add(
                    rect(sc.x(a), y + 1.0, sc.x(b) - sc.x(a), ROW_H - 2.0)
                        .set("class", format!("closed {}", kind.name()))
                        .set("fill", fill),
                );
            }
            let top = y + (ROW_H - BAR_H) / 2.0;
            for &i in &ops_of[m] {
                row = row.add(op_group(
                    problem,
                    &schedule.ops[i],
                    &sc,
                    top,
                    opts.color_by,
                    late[problem.op(schedule.ops[i].op).job.idx()],
                    completion[problem.op(schedule.ops[i].op).job.idx()],
                ));
            }
            body = body.add(row);
            y += ROW_H;
        }
    }
    if !problem.resources.is_empty() {
        let (group, h) = resource_rows(problem, schedule, &sc, y, total_w);
        body = body.add(group);
        y += h;
    }
    let rows_bottom = y;

    // Axis and grid lines (drawn over row backgrounds, under nothing else important).
    let (axis, grid) = axis(problem, &sc, rows_top, rows_bottom);
    let mut doc_h = rows_bottom + PAD;
    let (legend, legend_h) = legend(problem, schedule, opts.color_by, total_w, doc_h);
    doc_h += legend_h + PAD;

    let mut doc = Document::new()
        .set("width", total_w)
        .set("height", doc_h.ceil())
        .set("viewBox", (0, 0, total_w, doc_h.ceil()))
        .set("font-family", "Helvetica, Arial, sans-serif")
        .set("font-size", 10)
        .set("class", "takt-gantt")
        .add(Title::new(opts.title.clone()))
        .add(Style::new(
            ".op:hover .work{stroke:#000;stroke-width:2} .op{cursor:default} .oplabel{pointer-events:none}",
        ))
        .add(defs())
        .add(rect(0.0, 0.0, total_w, doc_h.ceil()).set("fill", "#fff"))
        .add(
            text(8.0, 18.0, &opts.title)
                .set("font-size", 15)
                .set("font-weight", "bold"),
        )
        .add(text(8.0, 34.0, &opts.subtitle).set("font-size", 11).set("fill", "#444"))
        .add(axis)
        .add(body)
        .add(grid);
    if let Some(h) = problem.horizon_end {
        if h > sc.t0 && h < sc.t1 {
            let x = sc.x(h);
            doc = doc.add(
                Group::new()
                    .set("class", "horizon-end")
                    .add(
                        Line::new()
                            .set("x1", round(x))
                            .set("x2", round(x))
                            .set("y1", rows_top - 4.0)
                            .set("y2", rows_bottom)
                            .set("stroke", "#c00")
                            .set("stroke-width", 1.5)
                            .set("stroke-dasharray", "6 3"),
                    )
                    .add(text(x + 3.0, rows_top - 6.0, "horizon end").set("fill", "#c00")),
            );
        }
    }
    doc.add(legend).to_string()
}

const RES_H: f64 = 34.0;

/// One row per secondary resource below the machines: its units in use over time (bars whose
/// height is the units, red where they exceed the capacity) against its capacity (a step line),
/// on a scale shared by the row (the larger of the peak and the highest capacity shown). Each
/// row is a `<g class="resource-row" data-resource=..>`; returns the group and its height.
fn resource_rows(
    problem: &Problem,
    schedule: &Schedule,
    sc: &Scale,
    y0: f64,
    total_w: f64,
) -> (Group, f64) {
    let holds = crate::eval::kpi::resource_holds(problem, schedule);
    let usage = crate::eval::kpi::usage_profiles(problem, &holds);
    let mut g = Group::new().set("class", "resources");
    let mut y = y0;
    g = g.add(
        Group::new()
            .set("class", "plant")
            .add(rect(0.0, y, total_w, PLANT_H).set("fill", "#e6e1ee"))
            .add(
                text(8.0, y + 14.0, "resources (units in use / capacity)")
                    .set("font-weight", "bold")
                    .set("font-size", 12),
            ),
    );
    y += PLANT_H;
    let (a, b) = (sc.t0.max(0), sc.t1);
    for (r, res) in problem.resources.iter().enumerate() {
        // Capacity steps within the chart.
        let mut cap: Vec<(Minute, Minute, u32)> = Vec::new();
        let mut t = a;
        while t < b {
            let next = res.profile.next_change(t).min(b).max(t + 1);
            cap.push((t, next, res.profile.at(t)));
            t = next;
        }
        let steps = &usage[r];
        let top_units = cap
            .iter()
            .map(|c| c.2)
            .chain(steps.iter().map(|s| s.1))
            .max()
            .unwrap_or(0)
            .max(1) as f64;
        let (top, h) = (y + 4.0, RES_H - 8.0);
        let ypos = |u: f64| top + h - u / top_units * h;
        let mut row = Group::new()
            .set("class", "resource-row")
            .set("data-resource", attr(&res.id))
            .add(rect(0.0, y, total_w, RES_H).set("fill", "#fbfaff"))
            .add(
                text(8.0, y + 15.0, &res.id)
                    .set("font-size", 11)
                    .add(Title::new(res.id.clone())),
            )
            .add(
                text(8.0, y + 27.0, &format!("max {}", top_units as u32))
                    .set("font-size", 9)
                    .set("fill", "#666"),
            );
        for (k, &(from, units)) in steps.iter().enumerate() {
            let to = steps.get(k + 1).map_or(from, |n| n.0);
            if units == 0 || to <= from {
                continue;
            }
            // Split at capacity changes, to show where the units exceed the capacity.
            let mut pieces: Vec<(Minute, Minute, u32)> = Vec::new();
            let mut t = from;
            while t < to {
                let next = res.profile.next_change(t).min(to).max(t + 1);
                pieces.push((t, next, res.profile.at(t)));
                t = next;
            }
            for (p0, p1, c) in pieces {
                let over = units > c;
                row = row.add(
                    rect(
                        sc.x(p0),
                        ypos(units as f64),
                        (sc.x(p1) - sc.x(p0)).max(0.8),
                        units as f64 / top_units * h,
                    )
                    .set("class", if over { "usage over" } else { "usage" })
                    .set("fill", if over { "#d62728" } else { "#8fa9c8" })
                    .add(Title::new(format!(
                        "{}: {} of {} unit(s) in use\n{} → {}",
                        res.id,
                        units,
                        c,
                        fmt_when(problem, p0),
                        fmt_when(problem, p1)
                    ))),
                );
            }
        }
        // The capacity as a step line.
        let mut pts: Vec<String> = Vec::new();
        for &(c0, c1, c) in &cap {
            let yc = round(ypos(c as f64));
            pts.push(format!("{},{}", round(sc.x(c0)), yc));
            pts.push(format!("{},{}", round(sc.x(c1)), yc));
        }
        if !pts.is_empty() {
            row = row.add(
                Element::new("polyline")
                    .set("class", "capacity")
                    .set("points", pts.join(" "))
                    .set("fill", "none")
                    .set("stroke", "#333")
                    .set("stroke-width", 1.2),
            );
        }
        g = g.add(row);
        y += RES_H;
    }
    (g, y - y0)
}

fn defs() -> Definitions {
    let hatch = |id: &str, bg: &str, fg: &str| {
        Pattern::new()
            .set("id", id)
            .set("width", 6)
            .set("height", 6)
            .set("patternUnits", "userSpaceOnUse")
            .set("patternTransform", "rotate(45)")
            .add(rect(0.0, 0.0, 6.0, 6.0).set("fill", bg))
            .add(
                Line::new()
                    .set("x1", 0)
                    .set("y1", 0)
                    .set("x2", 0)
                    .set("y2", 6)
                    .set("stroke", fg)
                    .set("stroke-width", 3),
            )
    };
    Definitions::new()
        .add(hatch("setup-hatch", "#ffffff", "#555555"))
        .add(hatch("downtime-hatch", "#f7d4d4", "#d66"))
}

fn op_group(
    problem: &Problem,
    s: &ScheduledOp,
    sc: &Scale,
    top: f64,
    by: ColorBy,
    late: bool,
    completion: Option<Minute>,
) -> Group {
    let op = problem.op(s.op);
    let job = problem.job(op.job);
    let rgb = op_colour(problem, s, by);
    let mut g = Group::new()
        .set("class", if late { "op late" } else { "op" })
        .set("data-job", attr(&job.id))
        .set("data-op", attr(&op.id))
        .set("data-machine", attr(&problem.machine(s.machine).id))
        .set("data-start", problem.datetime(s.start))
        .set("data-end", problem.datetime(s.end))
        .set(
            "data-due",
            job.due.map(|d| problem.datetime(d)).unwrap_or_default(),
        )
        .add(Title::new(op_tooltip(problem, s, completion)));
    if let Some(f) = op.family {
        g = g.set("data-family", attr(&problem.families[f.idx()]));
    }
    if let Some(ss) = s.setup_start.filter(|&ss| ss < s.start) {
        g = g.set("data-setup-start", problem.datetime(ss));
        for (a, b) in working_segments(problem, s.machine, ss, s.start) {
            g = g.add(
                rect(
                    sc.x(a),
                    top + 2.0,
                    (sc.x(b) - sc.x(a)).max(0.8),
                    BAR_H - 4.0,
                )
                .set("class", "setup")
                .set("fill", "url(#setup-hatch)")
                .set("stroke", "#555")
                .set("stroke-width", 0.5),
            );
        }
    }
    let segs = working_segments(problem, s.machine, s.start, s.end);
    if segs.len() > 1 {
        // A resumable operation paused over breaks: a thin line joins its working pieces.
        let (a, b) = (segs[0].0, segs[segs.len() - 1].1);
        g = g.add(
            Line::new()
                .set("class", "pause")
                .set("x1", round(sc.x(a)))
                .set("x2", round(sc.x(b)))
                .set("y1", round(top + BAR_H / 2.0))
                .set("y2", round(top + BAR_H / 2.0))
                .set("stroke", hex(rgb))
                .set("stroke-width", 2)
                .set("stroke-dasharray", "2 2"),
        );
    }
    let mut widest = (0.0f64, 0.0f64);
    for &(a, b) in &segs {
        let (x, w) = (sc.x(a), (sc.x(b) - sc.x(a)).max(0.8));
        if w > widest.1 {
            widest = (x, w);
        }
        let mut r = rect(x, top, w, BAR_H)
            .set("class", "work")
            .set("fill", hex(rgb));
        r = if late {
            r.set("stroke", "#c00000").set("stroke-width", 2)
        } else {
            r.set("stroke", "#ffffff").set("stroke-width", 0.5)
        };
        g = g.add(r);
    }
    // A label only where it fits inside the bar.
    let full = format!("{}/{}", job.id, op.id);
    let room = widest.1 - 6.0;
    let label = [full.as_str(), job.id.as_str()]
        .into_iter()
        .find(|t| t.chars().count() as f64 * CHAR_W <= room);
    if let Some(t) = label {
        g = g.add(
            text(widest.0 + 3.0, top + BAR_H - 4.5, t)
                .set("class", "oplabel")
                .set("fill", text_on(rgb)),
        );
    }
    g
}

/// The time axis (dates and clock times above the rows) and the grid lines over the rows.
fn axis(problem: &Problem, sc: &Scale, rows_top: f64, rows_bottom: f64) -> (Group, Group) {
    let mut axis = Group::new().set("class", "axis");
    let mut grid = Group::new()
        .set("class", "grid")
        .set("pointer-events", "none");
    let day_y = rows_top - AXIS_H;
    axis = axis.add(rect(LABEL_W, day_y, sc.width(), AXIS_H).set("fill", "#f3f3f3"));
    // Clock ticks: the finest step whose labels are at least 48 px apart.
    const STEPS: [Minute; 9] = [15, 30, 60, 120, 180, 360, 720, 1440, 10080];
    let step = STEPS
        .iter()
        .copied()
        .find(|&s| s as f64 * sc.ppm >= 48.0)
        .unwrap_or(10080);
    // Day labels: every k days so that labels are at least 84 px apart.
    let day_px = 1440.0 * sc.ppm;
    let k = [1i64, 2, 7, 14, 28, 56, 112]
        .into_iter()
        .find(|&k| k as f64 * day_px >= 84.0)
        .unwrap_or(364);
    let (mut day, _) = problem.week.day_of(sc.t0);
    let mut n = 0i64;
    while day < sc.t1 {
        if day >= sc.t0 {
            let x = sc.x(day);
            grid = grid.add(
                Line::new()
                    .set("x1", round(x))
                    .set("x2", round(x))
                    .set("y1", day_y)
                    .set("y2", rows_bottom)
                    .set("stroke", "#333")
                    .set("stroke-opacity", 0.35)
                    .set("stroke-width", 0.8),
            );
        }
        if n % k == 0 {
            let x = sc.x(day.max(sc.t0));
            let dt = crate::model::time::datetime_at(problem.horizon_start, day);
            let label = if k >= 7 {
                dt.strftime("%d %b %Y").to_string()
            } else {
                dt.strftime("%a %d %b").to_string()
            };
            if sc.x(day + k * 1440).min(sc.x(sc.t1)) - x >= label.len() as f64 * CHAR_W
                || day >= sc.t0
            {
                axis = axis.add(
                    text(x + 3.0, day_y + 13.0, &label)
                        .set("font-weight", "bold")
                        .set("font-size", 10.5),
                );
            }
        }
        day += 1440;
        n += 1;
    }
    if step < 1440 {
        // Ticks at whole multiples of `step` on the clock (every step divides a day).
        let (d0, _) = problem.week.day_of(sc.t0);
        let mut t = d0 + (sc.t0 - d0).div_euclid(step) * step;
        if t < sc.t0 {
            t += step;
        }
        while t < sc.t1 {
            let x = sc.x(t);
            let midnight = (t - d0).rem_euclid(1440) == 0;
            if !midnight && t > sc.t0 {
                grid = grid.add(
                    Line::new()
                        .set("x1", round(x))
                        .set("x2", round(x))
                        .set("y1", rows_top - 14.0)
                        .set("y2", rows_bottom)
                        .set("stroke", "#000")
                        .set("stroke-opacity", 0.12)
                        .set("stroke-width", 0.6),
                );
            }
            if sc.x(t + step).min(sc.x(sc.t1)) - x >= 34.0 {
                let dt = crate::model::time::datetime_at(problem.horizon_start, t);
                axis = axis.add(
                    text(x + 2.0, rows_top - 4.0, &dt.strftime("%H:%M").to_string())
                        .set("fill", "#333"),
                );
            }
            t += step;
        }
    }
    (axis, grid)
}

/// The legend, laid out in rows that fit `width`; returns it and its height.
fn legend(
    problem: &Problem,
    schedule: &Schedule,
    by: ColorBy,
    width: f64,
    y0: f64,
) -> (Group, f64) {
    enum Swatch {
        Fill(String),
        Outline,
        Dashed,
    }
    let mut items: Vec<(Swatch, String)> = Vec::new();
    match by {
        ColorBy::Family => {
            let mut used = vec![false; problem.families.len()];
            let mut none = false;
            for s in &schedule.ops {
                match problem.op(s.op).family {
                    Some(f) => used[f.idx()] = true,
                    None => none = true,
                }
            }
            for (i, f) in problem.families.iter().enumerate() {
                if used[i] {
                    let c = if i < PALETTE.len() {
                        PALETTE[i].to_string()
                    } else {
                        hex(many_colour(i))
                    };
                    items.push((Swatch::Fill(c), format!("family {f}")));
                }
            }
            if none {
                items.push((Swatch::Fill("#9a9a9a".into()), "no family".into()));
            }
        }
        ColorBy::Job => {
            let mut used = vec![false; problem.jobs.len()];
            for s in &schedule.ops {
                used[problem.op(s.op).job.idx()] = true;
            }
            let jobs: Vec<usize> = (0..used.len()).filter(|&j| used[j]).collect();
            const SHOWN: usize = 24;
            for &j in jobs.iter().take(SHOWN) {
                items.push((
                    Swatch::Fill(hex(many_colour(j))),
                    problem.jobs[j].id.clone(),
                ));
            }
            if jobs.len() > SHOWN {
                items.push((
                    Swatch::Fill("#ffffff".into()),
                    format!(
                        "… {} more jobs (hover a bar for its job)",
                        jobs.len() - SHOWN
                    ),
                ));
            }
        }
    }
    items.push((
        Swatch::Fill("url(#setup-hatch)".into()),
        "changeover".into(),
    ));
    items.push((Swatch::Fill("#e4e4e4".into()), "off-shift".into()));
    items.push((Swatch::Fill("#d5cce8".into()), "holiday".into()));
    items.push((
        Swatch::Fill("url(#downtime-hatch)".into()),
        "downtime".into(),
    ));
    items.push((Swatch::Outline, "late job (finishes after due)".into()));
    if problem.horizon_end.is_some() {
        items.push((Swatch::Dashed, "horizon end".into()));
    }
    let mut g = Group::new().set("class", "legend");
    let (mut x, mut y) = (8.0, y0 + 4.0);
    let line_h = 18.0;
    for (sw, label) in items {
        let w = 18.0 + 6.0 + label.chars().count() as f64 * CHAR_W + 18.0;
        if x + w > width && x > 8.0 {
            x = 8.0;
            y += line_h;
        }
        let swatch = match &sw {
            Swatch::Fill(c) => rect(x, y, 18.0, 11.0)
                .set("fill", c.as_str())
                .set("stroke", "#777")
                .set("stroke-width", 0.5),
            Swatch::Outline => rect(x, y, 18.0, 11.0)
                .set("fill", "#ddd")
                .set("stroke", "#c00000")
                .set("stroke-width", 2),
            Swatch::Dashed => Rectangle::new().set("width", 0).set("height", 0),
        };
        if matches!(sw, Swatch::Dashed) {
            g = g.add(
                Line::new()
                    .set("x1", round(x + 9.0))
                    .set("x2", round(x + 9.0))
                    .set("y1", round(y - 2.0))
                    .set("y2", round(y + 13.0))
                    .set("stroke", "#c00")
                    .set("stroke-width", 1.5)
                    .set("stroke-dasharray", "4 2"),
            );
        }
        g = g.add(swatch).add(text(x + 24.0, y + 9.5, &label));
        x += w;
    }
    (g, y - y0 + line_h)
}
