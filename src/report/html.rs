//! The HTML report: one self-contained file (inline SVG, CSS and a little JavaScript; nothing
//! loaded from the network) with the KPI table, a utilisation bar chart per plant (and per
//! secondary resource), the projected stock of each item with its shortages, where late jobs
//! waited, the Gantt chart of every schedule with hover details, and, for two or more schedules,
//! their comparison (differences to the first, and the jobs whose completion differs most).

use super::compare::{kpi_rows, num, shortage_text, KpiRow};
use super::explain::{lateness_parts, MachineLateness};
use super::gantt::completions;
use super::{fmt_minutes, fmt_when, html_escape as esc};
use crate::eval::kpi::{ItemStock, ShortageKind, StockCause};
use crate::eval::Kpis;
use crate::model::secondary::STOCK_EPS;
use crate::model::{Minute, Problem};
use crate::schedule::Schedule;

/// One schedule on the page.
pub struct PageSchedule<'a> {
    pub label: &'a str,
    pub file: &'a str,
    pub schedule: &'a Schedule,
    pub kpis: &'a Kpis,
    pub lateness: &'a [MachineLateness],
    /// Rules the referee finds broken (0 for a valid schedule).
    pub violations: usize,
    /// The Gantt chart (SVG text, see `gantt::gantt_svg`).
    pub gantt_svg: &'a str,
}

/// Colours that tell the schedules apart in bar charts.
const SCHEDULE_COLOURS: [&str; 6] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2",
];

const CSS: &str = r#"
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#1d2329;background:#fff}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d5dbe1;padding-bottom:4px}
h3{font-size:14px;margin:16px 0 6px}
.meta{color:#555;font-size:13px}
table{border-collapse:collapse;font-size:13px}
th,td{padding:3px 10px;border-bottom:1px solid #eceff2;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
thead th{background:#f3f5f7;position:sticky;top:0}
td.sub{padding-left:24px;color:#444}
td.best{font-weight:bold;background:#e3f2e6}
td.better{color:#1a7f37}
td.worse{color:#b42318}
.warn{color:#b42318;font-weight:bold}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin-right:4px}
.bars td{border:none;padding:1px 8px}
.bar{background:#eef1f4;width:320px;height:12px;position:relative;border-radius:2px}
.bar span{position:absolute;left:0;top:0;bottom:0;border-radius:2px}
.plant-total td{font-weight:bold;padding-top:6px}
.scroll{overflow:auto;border:1px solid #d5dbe1;max-height:80vh}
.scroll.fit svg{width:100%;height:auto}
.tools{font-size:13px;margin:4px 0}
#tip{position:fixed;display:none;pointer-events:none;white-space:pre;background:#1d2329;color:#fff;font-size:12px;line-height:1.4;padding:6px 8px;border-radius:4px;box-shadow:0 2px 6px rgba(0,0,0,.3);z-index:10}
.note{font-size:12px;color:#555;max-width:900px}
.overview{display:flex;flex-wrap:wrap;gap:8px 48px;align-items:flex-start}
.bars td:first-child{width:150px}
.low{color:#b06a00;font-weight:bold}
tr.short td{background:#fbe0e0}
tr.lowrow td{background:#fff1dc}
.item{margin:8px 0 16px}
"#;

const JS: &str = r#"
(function(){
  var tip=document.getElementById('tip');
  document.querySelectorAll('svg .op').forEach(function(g){
    var t=g.querySelector('title');
    if(t){g.setAttribute('data-tip',t.textContent);t.parentNode.removeChild(t);}
  });
  document.addEventListener('mousemove',function(e){
    var g=e.target&&e.target.closest?e.target.closest('.op'):null;
    if(!g){tip.style.display='none';return;}
    tip.textContent=g.getAttribute('data-tip');
    tip.style.display='block';
    var r=tip.getBoundingClientRect(),x=e.clientX+14,y=e.clientY+14;
    if(x+r.width>window.innerWidth)x=Math.max(0,e.clientX-r.width-10);
    if(y+r.height>window.innerHeight)y=Math.max(0,e.clientY-r.height-10);
    tip.style.left=x+'px';tip.style.top=y+'px';
  });
  document.querySelectorAll('input.fit').forEach(function(cb){
    cb.addEventListener('change',function(){
      document.getElementById(cb.getAttribute('data-target')).classList.toggle('fit',cb.checked);
    });
  });
})();
"#;

/// The whole page.
pub fn report_page(problem: &Problem, instance_file: &str, schedules: &[PageSchedule]) -> String {
    let mut h = String::with_capacity(1 << 20);
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>takt report: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&problem.name)
    ));
    h.push_str(&format!("<h1>{}</h1>\n", esc(&problem.name)));
    h.push_str(&format!(
        "<p class=\"meta\">Instance <code>{}</code>: {} jobs, {} operations, {} machines in {} plant(s); \
         horizon from {}{}. Schedules: {}.</p>\n",
        esc(instance_file),
        problem.jobs.len(),
        problem.ops.len(),
        problem.machines.len(),
        problem.plants.len(),
        esc(&fmt_when(problem, 0)),
        problem
            .horizon_end
            .map(|e| format!(" to {}", esc(&fmt_when(problem, e))))
            .unwrap_or_default(),
        schedules
            .iter()
            .enumerate()
            .map(|(i, s)| format!(
                "<span class=\"swatch\" style=\"background:{}\"></span><b>{}</b> (<code>{}</code>)",
                SCHEDULE_COLOURS[i % SCHEDULE_COLOURS.len()],
                esc(s.label),
                esc(s.file)
            ))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    for s in schedules {
        if s.violations > 0 {
            h.push_str(&format!(
                "<p class=\"warn\">{}: the referee finds {} broken rule(s); run <code>takt check</code>. \
                 The numbers below are computed from the times as written.</p>\n",
                esc(s.label),
                s.violations
            ));
        }
        if s.kpis.beyond_horizon {
            h.push_str(&format!(
                "<p class=\"warn\">{}: the schedule ends after the horizon end.</p>\n",
                esc(s.label)
            ));
        }
    }
    let kpis: Vec<&Kpis> = schedules.iter().map(|s| s.kpis).collect();
    let rows = kpi_rows(problem, &kpis);
    h.push_str("<div class=\"overview\">\n<div>\n");
    kpi_section(&mut h, schedules, &rows);
    h.push_str("</div>\n<div>\n");
    utilisation_section(&mut h, problem, schedules);
    h.push_str("</div>\n</div>\n");
    gantt_section(&mut h, schedules);
    if schedules.len() > 1 {
        comparison_section(&mut h, problem, schedules, &rows);
    }
    if !problem.items.is_empty() {
        materials_section(&mut h, problem, schedules);
    }
    lateness_section(&mut h, problem, schedules);
    h.push_str(&format!(
        "<div id=\"tip\"></div>\n<p class=\"note\">Made by takt {}. Self-contained: no network needed.</p>\n<script>{JS}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    ));
    h
}

fn gantt_section(h: &mut String, schedules: &[PageSchedule]) {
    h.push_str("<h2>Gantt</h2>\n<p class=\"note\">One row per machine, grouped by plant. Grey: off-shift; \
                lilac: holiday; red hatching: downtime; black hatching: changeover; red outline: a job that \
                finishes after its due date. Hover an operation for its job, times and due date.</p>\n");
    for (i, s) in schedules.iter().enumerate() {
        let id = format!("gantt-{i}");
        h.push_str(&format!(
            "<h3>{}</h3>\n<div class=\"tools\"><label><input type=\"checkbox\" class=\"fit\" data-target=\"{id}\"> fit to width</label></div>\n<div class=\"scroll\" id=\"{id}\">\n{}\n</div>\n",
            esc(s.label),
            s.gantt_svg
        ));
    }
}

fn kpi_section(h: &mut String, schedules: &[PageSchedule], rows: &[KpiRow]) {
    h.push_str("<h2>KPIs</h2>\n<table class=\"kpis\">\n<thead><tr><th></th>");
    for s in schedules {
        h.push_str(&format!("<th>{}</th>", esc(s.label)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    let mark = schedules.len() > 1;
    for r in rows {
        h.push_str(&format!(
            "<tr data-kpi=\"{}\"><td{}>{}</td>",
            esc(&r.key),
            if r.is_sub() { " class=\"sub\"" } else { "" },
            esc(r.label.trim())
        ));
        for c in 0..schedules.len() {
            let best = mark && r.is_best(c);
            h.push_str(&format!(
                "<td{}>{}</td>",
                if best { " class=\"best\"" } else { "" },
                esc(&r.text(c))
            ));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    if mark {
        h.push_str("<p class=\"note\">Green: the best value of the row.</p>\n");
    }
}

fn comparison_section(
    h: &mut String,
    problem: &Problem,
    schedules: &[PageSchedule],
    rows: &[KpiRow],
) {
    let base = schedules[0].label;
    h.push_str(&format!(
        "<h2>Comparison</h2>\n<h3>Differences to {}</h3>\n<table class=\"compare\">\n<thead><tr><th></th><th>{}</th>\n",
        esc(base),
        esc(base)
    ));
    for s in &schedules[1..] {
        h.push_str(&format!("<th>{}</th><th>Δ</th>", esc(s.label)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    let same = rows.iter().filter(|r| r.all_equal()).count();
    for r in rows.iter().filter(|r| !r.all_equal()) {
        h.push_str(&format!(
            "<tr><td{}>{}</td><td>{}</td>",
            if r.is_sub() { " class=\"sub\"" } else { "" },
            esc(r.label.trim()),
            esc(&r.text(0))
        ));
        for c in 1..schedules.len() {
            let d = r.values[c] - r.values[0];
            let class = match r.lower_is_better {
                Some(lower) if d != 0.0 => {
                    if (d < 0.0) == lower {
                        " class=\"better\""
                    } else {
                        " class=\"worse\""
                    }
                }
                _ => "",
            };
            let dt = if d == 0.0 {
                "=".to_string()
            } else if r.unit == super::compare::Unit::Share {
                format!("{:+.1} pt", d * 100.0)
            } else if d.fract() == 0.0 {
                format!("{:+}", d as i64)
            } else {
                format!("{d:+.2}")
            };
            h.push_str(&format!(
                "<td>{}</td><td{class}>{}</td>",
                esc(&r.text(c)),
                dt
            ));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    if same > 0 {
        h.push_str(&format!(
            "<p class=\"note\">{same} KPI(s) are the same in every schedule and left out here.</p>\n"
        ));
    }

    // Jobs whose completion differs most between the schedules.
    let comps: Vec<Vec<Option<i64>>> = schedules
        .iter()
        .map(|s| completions(problem, s.schedule))
        .collect();
    let mut diff: Vec<(i64, usize)> = (0..problem.jobs.len())
        .filter_map(|j| {
            let v: Vec<i64> = comps.iter().filter_map(|c| c[j]).collect();
            let (lo, hi) = (v.iter().min()?, v.iter().max()?);
            (hi > lo).then_some((hi - lo, j))
        })
        .collect();
    diff.sort_by_key(|&(d, j)| (std::cmp::Reverse(d), j));
    const SHOWN: usize = 25;
    h.push_str(&format!(
        "<h3>Jobs whose completion differs most</h3>\n<p class=\"note\">{} job(s) finish at different times{}. Completion, and lateness when late.</p>\n",
        diff.len(),
        if diff.len() > SHOWN {
            format!("; the {SHOWN} largest differences")
        } else {
            String::new()
        }
    ));
    if diff.is_empty() {
        return;
    }
    h.push_str("<table class=\"jobs\">\n<thead><tr><th>job</th><th>due</th>");
    for s in schedules {
        h.push_str(&format!("<th>{}</th>", esc(s.label)));
    }
    h.push_str("<th>spread</th></tr></thead>\n<tbody>\n");
    for &(d, j) in diff.iter().take(SHOWN) {
        let job = &problem.jobs[j];
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td>",
            esc(&job.id),
            job.due
                .map(|d| esc(&fmt_when(problem, d)))
                .unwrap_or_else(|| "–".into())
        ));
        let best = comps.iter().filter_map(|c| c[j]).min();
        for c in &comps {
            match c[j] {
                Some(t) => {
                    let late = job.due.filter(|&d| t > d).map(|d| t - d);
                    h.push_str(&format!(
                        "<td{}>{}{}</td>",
                        if Some(t) == best {
                            " class=\"best\""
                        } else {
                            ""
                        },
                        esc(&fmt_when(problem, t)),
                        late.map(|l| format!(" <span class=\"warn\">+{}</span>", fmt_minutes(l)))
                            .unwrap_or_default()
                    ));
                }
                None => h.push_str("<td>–</td>"),
            }
        }
        h.push_str(&format!("<td>{}</td></tr>\n", fmt_minutes(d)));
    }
    h.push_str("</tbody>\n</table>\n");
}

fn utilisation_section(h: &mut String, problem: &Problem, schedules: &[PageSchedule]) {
    h.push_str(
        "<h2>Utilisation</h2>\n<p class=\"note\">Busy minutes (operations and changeovers) over the \
         working minutes the calendar makes available up to the horizon end (or the makespan).</p>\n",
    );
    let bar = |h: &mut String, label: &str, class: &str, vals: Vec<(f64, i64, i64)>| {
        h.push_str(&format!(
            "<tr class=\"{class}\"><td>{}</td><td>",
            esc(label)
        ));
        for (i, (u, _, _)) in vals.iter().enumerate() {
            h.push_str(&format!(
                "<div class=\"bar\" title=\"{}\"><span style=\"width:{:.2}%;background:{}\"></span></div>",
                esc(schedules[i].label),
                (u * 100.0).clamp(0.0, 100.0),
                SCHEDULE_COLOURS[i % SCHEDULE_COLOURS.len()]
            ));
        }
        h.push_str("</td><td>");
        let texts: Vec<String> = vals
            .iter()
            .map(|(u, b, a)| {
                format!(
                    "{:.1}% <span class=\"meta\">({} / {})</span>",
                    u * 100.0,
                    fmt_minutes(*b),
                    fmt_minutes(*a)
                )
            })
            .collect();
        h.push_str(&texts.join("<br>"));
        h.push_str("</td></tr>\n");
    };
    for (p, plant) in problem.plants.iter().enumerate() {
        h.push_str(&format!(
            "<h3>Plant {}</h3>\n<table class=\"bars\">\n",
            esc(&plant.id)
        ));
        bar(
            h,
            &format!("plant {}", plant.id),
            "plant-total",
            schedules
                .iter()
                .map(|s| {
                    let u = &s.kpis.plants[p];
                    (u.utilisation, u.busy, u.available)
                })
                .collect(),
        );
        for (m, machine) in problem.machines.iter().enumerate() {
            if machine.plant.idx() != p {
                continue;
            }
            bar(
                h,
                &machine.id,
                "machine",
                schedules
                    .iter()
                    .map(|s| {
                        let u = &s.kpis.machines[m];
                        (u.utilisation, u.busy, u.available)
                    })
                    .collect(),
            );
        }
        h.push_str("</table>\n");
    }
    if !problem.resources.is_empty() {
        resource_bars(h, problem, schedules);
    }
}

/// Secondary resources: unit-minutes held over unit-minutes of capacity, with the peak.
fn resource_bars(h: &mut String, problem: &Problem, schedules: &[PageSchedule]) {
    h.push_str(
        "<h3>Resources</h3>\n<p class=\"note\">Units × working minutes held by operations and \
         changeovers over the unit-minutes the capacity offers; peak: most units in use at once.</p>\n\
         <table class=\"bars resources\">\n",
    );
    for (r, res) in problem.resources.iter().enumerate() {
        h.push_str(&format!(
            "<tr class=\"resource\" data-resource=\"{}\"><td>{}</td><td>",
            esc(&res.id),
            esc(&res.id)
        ));
        for (i, s) in schedules.iter().enumerate() {
            let u = &s.kpis.resources[r];
            h.push_str(&format!(
                "<div class=\"bar\" title=\"{}\"><span style=\"width:{:.2}%;background:{}\"></span></div>",
                esc(s.label),
                (u.utilisation * 100.0).clamp(0.0, 100.0),
                SCHEDULE_COLOURS[i % SCHEDULE_COLOURS.len()]
            ));
        }
        h.push_str("</td><td>");
        let texts: Vec<String> = schedules
            .iter()
            .map(|s| {
                let u = &s.kpis.resources[r];
                let mut t = format!(
                    "{:.1}% <span class=\"meta\">({} / {} unit-min; peak {}{})</span>",
                    u.utilisation * 100.0,
                    u.busy,
                    u.available,
                    u.peak,
                    u.peak_at
                        .map(|p| format!(" at {}", esc(&fmt_when(problem, p))))
                        .unwrap_or_default()
                );
                if u.over_capacity > 0 {
                    t.push_str(&format!(
                        " <span class=\"warn\">over capacity {}</span>",
                        fmt_minutes(u.over_capacity)
                    ));
                }
                t
            })
            .collect();
        h.push_str(&texts.join("<br>"));
        h.push_str("</td></tr>\n");
    }
    h.push_str("</table>\n");
}

/// Materials: per schedule and item, the projected stock as a step chart (zero and safety
/// stock marked, stretches below them shaded) and the table of its changes.
fn materials_section(h: &mut String, problem: &Problem, schedules: &[PageSchedule]) {
    h.push_str(
        "<h2>Materials</h2>\n<p class=\"note\">Projected stock per item: initial stock, plus \
         receipts and productions (at a job's completion), minus consumptions (at an operation's \
         start). Orange: below the safety stock; red: below zero (infeasible).</p>\n",
    );
    for s in schedules {
        h.push_str(&format!("<h3>{}</h3>\n", esc(s.label)));
        for it in &s.kpis.items {
            let flag = if it
                .shortages
                .iter()
                .any(|x| x.kind == ShortageKind::Negative)
            {
                " <span class=\"warn\">SHORTAGE</span>"
            } else if !it.shortages.is_empty() {
                " <span class=\"low\">below safety stock</span>"
            } else {
                ""
            };
            h.push_str(&format!(
                "<div class=\"item\" data-item=\"{}\">\n<p><b>{}</b>{flag}: initial {}, min {} at {}, final {}{}</p>\n",
                esc(&it.item),
                esc(&it.item),
                num(it.initial),
                num(it.min_stock),
                esc(&fmt_when(problem, it.min_at)),
                num(it.final_stock),
                if it.safety_stock > 0.0 {
                    format!(", safety stock {}", num(it.safety_stock))
                } else {
                    String::new()
                }
            ));
            if !it.shortages.is_empty() {
                h.push_str("<ul class=\"shortages\">\n");
                for x in &it.shortages {
                    h.push_str(&format!(
                        "<li class=\"{}\">{}</li>\n",
                        if x.kind == ShortageKind::Negative {
                            "warn"
                        } else {
                            "low"
                        },
                        esc(&shortage_text(problem, it, x))
                    ));
                }
                h.push_str("</ul>\n");
            }
            h.push_str(&stock_chart(problem, it, s.kpis.makespan));
            h.push_str(
                "\n<details><summary>stock changes</summary>\n<table class=\"stock\">\n<thead><tr><th>instant</th><th>change</th><th>stock after</th><th>cause</th></tr></thead>\n<tbody>\n",
            );
            h.push_str(&format!(
                "<tr><td>{}</td><td></td><td>{}</td><td style=\"text-align:left\">initial stock</td></tr>\n",
                esc(&fmt_when(problem, 0)),
                num(it.initial)
            ));
            for e in &it.timeline {
                let class = if e.stock < -STOCK_EPS {
                    " class=\"short\""
                } else if e.stock < it.safety_stock - STOCK_EPS {
                    " class=\"lowrow\""
                } else {
                    ""
                };
                let cause = match e.cause {
                    StockCause::Receipt => "receipt".to_string(),
                    StockCause::Consumption(o) => format!("consumed by {}", problem.op_name(o)),
                    StockCause::Production(j) => format!("produced by job {}", problem.job(j).id),
                };
                h.push_str(&format!(
                    "<tr{class}><td>{}</td><td>{}{}</td><td>{}</td><td style=\"text-align:left\">{}</td></tr>\n",
                    esc(&fmt_when(problem, e.at)),
                    if e.change > 0.0 { "+" } else { "" },
                    num(e.change),
                    num(e.stock),
                    esc(&cause)
                ));
            }
            h.push_str("</tbody>\n</table>\n</details>\n</div>\n");
        }
    }
}

/// A small SVG step chart of one item's stock from minute 0 to `until` (the report passes the
/// makespan) or the last change, when later: the level, the zero line, the safety stock dashed,
/// and the stretches below them shaded. Well-formed XML.
pub fn stock_chart(problem: &Problem, it: &ItemStock, until: Minute) -> String {
    const W: f64 = 520.0;
    const H: f64 = 120.0;
    const L: f64 = 44.0;
    const T: f64 = 8.0;
    const B: f64 = 20.0;
    let t1 = it.timeline.last().map_or(until, |e| e.at.max(until)).max(1);
    let mut lo = it.min_stock.min(0.0);
    let mut hi = it.initial.max(it.safety_stock);
    for e in &it.timeline {
        hi = hi.max(e.stock);
        lo = lo.min(e.stock);
    }
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let x = |t: Minute| L + (t.clamp(0, t1) as f64 / t1 as f64) * (W - L - 8.0);
    let y = |v: f64| T + (hi - v) / (hi - lo) * (H - T - B);
    let mut g = String::new();
    g.push_str(&format!(
        "<svg class=\"stock-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" \
         viewBox=\"0 0 {W} {H}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"10\">\
         <title>{}</title><rect x=\"0\" y=\"0\" width=\"{W}\" height=\"{H}\" fill=\"#fff\"/>",
        esc(&format!("projected stock of {}", it.item))
    ));
    for sh in &it.shortages {
        let (a, b) = (x(sh.from), x(sh.to.unwrap_or(t1)));
        g.push_str(&format!(
            "<rect class=\"{}\" x=\"{a:.1}\" y=\"{T}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
            if sh.kind == ShortageKind::Negative {
                "shortage negative"
            } else {
                "shortage below-safety"
            },
            (b - a).max(1.0),
            H - T - B,
            if sh.kind == ShortageKind::Negative {
                "#f7c6c6"
            } else {
                "#fde3c4"
            }
        ));
    }
    g.push_str(&format!(
        "<line class=\"zero\" x1=\"{L}\" x2=\"{:.1}\" y1=\"{y0:.1}\" y2=\"{y0:.1}\" stroke=\"#888\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">0</text>",
        W - 8.0,
        L - 4.0,
        y(0.0) + 3.0,
        y0 = y(0.0)
    ));
    if it.safety_stock > 0.0 {
        let ys = y(it.safety_stock);
        g.push_str(&format!(
            "<line class=\"safety\" x1=\"{L}\" x2=\"{:.1}\" y1=\"{ys:.1}\" y2=\"{ys:.1}\" stroke=\"#e08a00\" stroke-dasharray=\"4 3\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#b06a00\">{}</text>",
            W - 8.0,
            L - 4.0,
            ys + 3.0,
            num(it.safety_stock)
        ));
    }
    g.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
        L - 4.0,
        y(hi) + 8.0,
        num(hi)
    ));
    // The step line.
    let mut pts = vec![(x(0), y(it.initial))];
    let mut level = it.initial;
    for e in &it.timeline {
        let xe = x(e.at);
        pts.push((xe, y(level)));
        level = e.stock;
        pts.push((xe, y(level)));
    }
    pts.push((x(t1), y(level)));
    let path: Vec<String> = pts.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
    g.push_str(&format!(
        "<polyline class=\"level\" points=\"{}\" fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"1.5\"/>",
        path.join(" ")
    ));
    // Axis: start and end instants.
    g.push_str(&format!(
        "<text x=\"{L}\" y=\"{:.1}\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text></svg>",
        H - 5.0,
        esc(&fmt_when(problem, 0)),
        W - 8.0,
        H - 5.0,
        esc(&fmt_when(problem, t1))
    ));
    g
}

fn lateness_section(h: &mut String, problem: &Problem, schedules: &[PageSchedule]) {
    h.push_str(
        "<h2>Where late jobs waited</h2>\n<p class=\"note\">For each late job, the chain of causes \
         that set its completion (see <code>takt explain</code>) is split into pieces of time; \
         summed over late jobs, per machine: other jobs working on it, changeovers, closed time and \
         idle time. Machines are ordered by the time late jobs waited for other jobs' work and \
         changeovers on them: the first is the bottleneck for the late jobs.</p>\n",
    );
    for s in schedules {
        h.push_str(&format!(
            "<h3>{}: {} late job(s)</h3>\n",
            esc(s.label),
            s.kpis.late_jobs
        ));
        if s.lateness.is_empty() {
            h.push_str("<p class=\"meta\">No late job waited for a machine.</p>\n");
            continue;
        }
        h.push_str(
            "<table class=\"lateness\">\n<thead><tr><th>machine</th><th>waited</th><th>late jobs</th><th>causes</th></tr></thead>\n<tbody>\n",
        );
        for r in s.lateness.iter().take(15) {
            let Some(m) = r.machine else { continue };
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td style=\"text-align:left\">{}</td></tr>\n",
                esc(&problem.machine(m).id),
                fmt_minutes(r.total()),
                r.late_jobs,
                esc(&lateness_parts(problem, r).join("; "))
            ));
        }
        h.push_str("</tbody>\n</table>\n");
    }
}
