//! KPIs of one or more schedules side by side. [`kpi_rows`] is the one list of rows; the terminal
//! table, the CSV, the JSON and the HTML table all print it, so they always agree. Every value is
//! read from [`Kpis`] (computed by `crate::eval::compute_kpis`), never recomputed here.

use super::json::Json;
use crate::eval::kpi::{ShortageKind, StockCause};
use crate::eval::Kpis;
use crate::model::{Minute, Problem};

/// How a row's values read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A count or a number of minutes (printed as is).
    Number,
    /// A share in [0, 1] (printed as a percentage).
    Share,
}

/// One KPI: a stable machine key (CSV/JSON), a label for people, a value per schedule, and which
/// direction is better (`None`: no "best" mark, e.g. utilisation).
#[derive(Debug, Clone, PartialEq)]
pub struct KpiRow {
    pub key: String,
    pub label: String,
    pub values: Vec<f64>,
    pub unit: Unit,
    pub lower_is_better: Option<bool>,
}

impl KpiRow {
    /// The value printed for people.
    pub fn text(&self, c: usize) -> String {
        match self.unit {
            Unit::Number => num(self.values[c]),
            Unit::Share => pct(self.values[c]),
        }
    }

    /// The best value of the row, if the row has a direction.
    pub fn best(&self) -> Option<f64> {
        let lower = self.lower_is_better?;
        self.values
            .iter()
            .copied()
            .reduce(|a, b| if lower { a.min(b) } else { a.max(b) })
    }

    /// Whether column `c` holds the best value (only meaningful for 2+ columns). A row whose
    /// values are all equal has no best.
    pub fn is_best(&self, c: usize) -> bool {
        !self.all_equal() && self.best() == Some(self.values[c])
    }

    /// Whether every schedule has the same value.
    pub fn all_equal(&self) -> bool {
        self.values.windows(2).all(|w| w[0] == w[1])
    }

    /// Whether this row is indented under the previous (objective terms, machines).
    pub fn is_sub(&self) -> bool {
        [
            "term.",
            "utilisation.machine.",
            "peak.resource.",
            "stock.below_",
        ]
        .iter()
        .any(|p| self.key.starts_with(p))
    }
}

pub(crate) fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.2}")
    }
}

pub(crate) fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// A KPI row read straight from [`Kpis`]: key, label, value, unit, whether lower is better.
type Plain = (
    &'static str,
    &'static str,
    fn(&Kpis) -> f64,
    Unit,
    Option<bool>,
);

/// The KPI rows every instance has, in table order.
fn plain_kpis() -> [Plain; 12] {
    use Unit::*;
    [
        (
            "deadline_misses",
            "hard deadlines missed",
            |k| k.deadline_misses as f64,
            Number,
            Some(true),
        ),
        (
            "weighted_tardiness",
            "weighted tardiness",
            |k| k.weighted_tardiness,
            Number,
            Some(true),
        ),
        (
            "total_tardiness",
            "total tardiness (min)",
            |k| k.total_tardiness as f64,
            Number,
            Some(true),
        ),
        (
            "max_tardiness",
            "max tardiness (min)",
            |k| k.max_tardiness as f64,
            Number,
            Some(true),
        ),
        (
            "late_jobs",
            "late jobs",
            |k| k.late_jobs as f64,
            Number,
            Some(true),
        ),
        (
            "on_time_rate",
            "on-time rate",
            |k| k.on_time_rate,
            Share,
            Some(false),
        ),
        (
            "makespan",
            "makespan (min)",
            |k| k.makespan as f64,
            Number,
            Some(true),
        ),
        (
            "total_flow_time",
            "total flow time (min)",
            |k| k.total_flow_time as f64,
            Number,
            Some(true),
        ),
        (
            "changeover_count",
            "changeovers",
            |k| k.changeover_count as f64,
            Number,
            Some(true),
        ),
        (
            "changeover_minutes",
            "changeover minutes",
            |k| k.changeover_minutes as f64,
            Number,
            Some(true),
        ),
        (
            "idle_minutes",
            "idle minutes",
            |k| k.idle_minutes as f64,
            Number,
            None,
        ),
        (
            "beyond_horizon",
            "ends after horizon end",
            |k| k.beyond_horizon as u8 as f64,
            Number,
            Some(true),
        ),
    ]
}

/// The KPI rows for schedules with KPIs `columns`, in display order.
pub fn kpi_rows(problem: &Problem, columns: &[&Kpis]) -> Vec<KpiRow> {
    let mut rows: Vec<KpiRow> = Vec::new();
    let mut add = |key: String, label: String, f: &dyn Fn(&Kpis) -> f64, unit, lower| {
        rows.push(KpiRow {
            key,
            label,
            values: columns.iter().map(|k| f(k)).collect(),
            unit,
            lower_is_better: lower,
        });
    };
    use Unit::*;
    add(
        "objective".into(),
        "objective".into(),
        &|k| k.evaluation.value,
        Number,
        Some(true),
    );
    let w = problem.objective;
    for (i, (name, weight)) in crate::model::ObjectiveWeights::TERMS
        .iter()
        .zip(w.as_array())
        .enumerate()
    {
        if weight != 0.0 {
            add(
                format!("term.{name}"),
                format!("  {weight} × {name}"),
                &move |k: &Kpis| k.evaluation.named_terms()[i].1,
                Number,
                Some(true),
            );
        }
    }
    for (key, label, f, unit, lower) in plain_kpis() {
        if key == "beyond_horizon" && problem.horizon_end.is_none() {
            continue;
        }
        add(key.into(), label.into(), &f, unit, lower);
    }
    for (i, p) in problem.plants.iter().enumerate() {
        add(
            format!("utilisation.plant.{}", p.id),
            format!("utilisation plant {}", p.id),
            &move |k: &Kpis| k.plants[i].utilisation,
            Share,
            None,
        );
    }
    for (i, m) in problem.machines.iter().enumerate() {
        add(
            format!("utilisation.machine.{}", m.id),
            format!("  machine {}", m.id),
            &move |k: &Kpis| k.machines[i].utilisation,
            Share,
            None,
        );
    }
    // Secondary resources: unit-minutes held over unit-minutes of capacity, and the peak.
    for (i, r) in problem.resources.iter().enumerate() {
        add(
            format!("utilisation.resource.{}", r.id),
            format!("utilisation resource {}", r.id),
            &move |k: &Kpis| k.resources[i].utilisation,
            Share,
            None,
        );
        add(
            format!("peak.resource.{}", r.id),
            "  peak units in use".into(),
            &move |k: &Kpis| k.resources[i].peak as f64,
            Number,
            None,
        );
    }
    // Materials: the lowest projected stock, and how long it sits below zero / safety stock.
    for (i, it) in problem.items.iter().enumerate() {
        add(
            format!("stock.min.{}", it.id),
            format!("min stock {}", it.id),
            &move |k: &Kpis| k.items[i].min_stock,
            Number,
            Some(false),
        );
        add(
            format!("stock.below_zero_minutes.{}", it.id),
            "  minutes below zero".into(),
            &move |k: &Kpis| k.items[i].below_zero_minutes as f64,
            Number,
            Some(true),
        );
        if it.safety_stock > 0.0 {
            add(
                format!("stock.below_safety_minutes.{}", it.id),
                format!("  minutes below safety stock {}", num(it.safety_stock)),
                &move |k: &Kpis| k.items[i].below_safety_minutes as f64,
                Number,
                Some(true),
            );
        }
    }
    rows
}

/// Renders KPIs of one or more schedules side by side (the terminal table; best value per row
/// marked with `*` when there are two or more columns).
pub fn kpi_table(problem: &Problem, columns: &[(&str, &Kpis)]) -> String {
    let kpis: Vec<&Kpis> = columns.iter().map(|(_, k)| *k).collect();
    let rows = kpi_rows(problem, &kpis);
    let label_w = rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0);
    let mark = columns.len() > 1;
    let col_w: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(c, (name, _))| {
            rows.iter()
                .map(|r| r.text(c).len() + 2)
                .chain([name.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = format!("{:label_w$}", "");
    for (c, (name, _)) in columns.iter().enumerate() {
        out.push_str(&format!("  {:>w$}", name, w = col_w[c]));
    }
    out.push('\n');
    for r in &rows {
        out.push_str(&format!("{:label_w$}", r.label));
        for (c, &w) in col_w.iter().enumerate() {
            let t = r.text(c);
            let cell = if mark && r.is_best(c) {
                format!("{t} *")
            } else {
                format!("{t}  ")
            };
            out.push_str(&format!("  {cell:>w$}"));
        }
        out.push('\n');
    }
    if mark {
        out.push_str("(* best)\n");
    }
    out
}

/// The KPI rows as CSV: a header `kpi,<label>...`, then one row per KPI key with the raw values
/// (minutes, counts; shares in [0, 1]) in full precision.
pub fn kpi_csv(problem: &Problem, columns: &[(&str, &Kpis)]) -> String {
    let kpis: Vec<&Kpis> = columns.iter().map(|(_, k)| *k).collect();
    let rows = kpi_rows(problem, &kpis);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["kpi".to_string()];
    header.extend(columns.iter().map(|(l, _)| l.to_string()));
    w.write_record(&header).expect("writing to memory");
    for r in &rows {
        let mut rec = vec![r.key.clone()];
        rec.extend(r.values.iter().map(|v| format!("{v}")));
        w.write_record(&rec).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 strings")
}

/// The KPIs of column `c` as a flat JSON object `{key: value}` (the same keys as the CSV).
pub fn kpi_object(rows: &[KpiRow], c: usize) -> Json {
    Json::obj(rows.iter().map(|r| {
        let v = r.values[c];
        let j = if v.fract() == 0.0 && v.abs() < 1e15 && r.unit == Unit::Number {
            Json::Int(v as i64)
        } else {
            Json::Num(v)
        };
        (r.key.clone(), j)
    }))
}

/// A quantity: an integer when it is one.
fn qty(v: f64) -> Json {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        Json::Int(v as i64)
    } else {
        Json::Num(v)
    }
}

/// An instant as minutes and datetime, under keys `key` and `key_time`.
fn instant(problem: &Problem, key: &str, t: Option<Minute>) -> [(String, Json); 2] {
    [
        (key.to_string(), t.map_or(Json::Null, Json::Int)),
        (
            format!("{key}_time"),
            t.map_or(Json::Null, |t| Json::str(problem.datetime(t))),
        ),
    ]
}

/// What changed a stock, as JSON fields.
pub fn stock_cause_json(problem: &Problem, c: StockCause) -> Vec<(String, Json)> {
    let mut v = vec![];
    match c {
        StockCause::Receipt => v.push(("cause".to_string(), Json::str("receipt"))),
        StockCause::Consumption(o) => {
            v.push(("cause".to_string(), Json::str("consumption")));
            v.push((
                "job".to_string(),
                Json::str(&problem.job(problem.op(o).job).id),
            ));
            v.push(("operation".to_string(), Json::str(&problem.op(o).id)));
        }
        StockCause::Production(j) => {
            v.push(("cause".to_string(), Json::str("production")));
            v.push(("job".to_string(), Json::str(&problem.job(j).id)));
        }
    }
    v
}

fn resources_json(problem: &Problem, k: &Kpis) -> Json {
    Json::Arr(
        k.resources
            .iter()
            .map(|r| {
                let mut v = vec![
                    ("resource".to_string(), Json::str(&r.resource)),
                    ("busy_unit_minutes".to_string(), Json::Int(r.busy)),
                    ("available_unit_minutes".to_string(), Json::Int(r.available)),
                    ("utilisation".to_string(), Json::Num(r.utilisation)),
                    ("peak".to_string(), Json::Int(r.peak as i64)),
                ];
                v.extend(instant(problem, "peak_at", r.peak_at));
                v.push((
                    "over_capacity_minutes".to_string(),
                    Json::Int(r.over_capacity),
                ));
                Json::Obj(v)
            })
            .collect(),
    )
}

fn items_json(problem: &Problem, k: &Kpis) -> Json {
    Json::Arr(
        k.items
            .iter()
            .map(|it| {
                let mut v = vec![
                    ("item".to_string(), Json::str(&it.item)),
                    ("initial".to_string(), qty(it.initial)),
                    ("safety_stock".to_string(), qty(it.safety_stock)),
                    ("min_stock".to_string(), qty(it.min_stock)),
                ];
                v.extend(instant(problem, "min_at", Some(it.min_at)));
                v.push(("final_stock".to_string(), qty(it.final_stock)));
                v.push((
                    "below_zero_minutes".to_string(),
                    Json::Int(it.below_zero_minutes),
                ));
                v.push((
                    "below_safety_minutes".to_string(),
                    Json::Int(it.below_safety_minutes),
                ));
                v.push((
                    "shortages".to_string(),
                    Json::Arr(
                        it.shortages
                            .iter()
                            .map(|s| {
                                let mut o = vec![(
                                    "kind".to_string(),
                                    Json::str(match s.kind {
                                        ShortageKind::Negative => "negative",
                                        ShortageKind::BelowSafety => "below_safety",
                                    }),
                                )];
                                o.extend(instant(problem, "from", Some(s.from)));
                                o.extend(instant(problem, "to", s.to));
                                o.push(("lowest".to_string(), qty(s.lowest)));
                                Json::Obj(o)
                            })
                            .collect(),
                    ),
                ));
                v.push((
                    "timeline".to_string(),
                    Json::Arr(
                        it.timeline
                            .iter()
                            .map(|e| {
                                let mut o = instant(problem, "at", Some(e.at)).to_vec();
                                o.push(("change".to_string(), qty(e.change)));
                                o.push(("stock".to_string(), qty(e.stock)));
                                o.extend(stock_cause_json(problem, e.cause));
                                Json::Obj(o)
                            })
                            .collect(),
                    ),
                ));
                Json::Obj(v)
            })
            .collect(),
    )
}

/// The structured KPIs of one schedule: objective and terms, the busy/available minutes behind
/// each utilisation, and (for instances that have them) resources and projected stocks.
pub fn kpi_details(problem: &Problem, k: &Kpis) -> Json {
    let mut details = kpi_details_base(problem, k);
    if let Json::Obj(v) = &mut details {
        if !problem.resources.is_empty() {
            v.push(("resources".to_string(), resources_json(problem, k)));
        }
        if !problem.items.is_empty() {
            v.push(("items".to_string(), items_json(problem, k)));
        }
    }
    details
}

fn kpi_details_base(problem: &Problem, k: &Kpis) -> Json {
    let ev = &k.evaluation;
    Json::obj([
        (
            "objective",
            Json::obj([
                ("value", Json::Num(ev.value)),
                (
                    "terms",
                    Json::obj(
                        ev.named_terms()
                            .iter()
                            .zip(problem.objective.as_array())
                            .map(|((n, v), w)| {
                                (
                                    n.to_string(),
                                    Json::obj([("weight", Json::Num(w)), ("value", Json::Num(*v))]),
                                )
                            }),
                    ),
                ),
                ("deadline_excess", Json::Int(ev.terms.deadline_excess)),
            ]),
        ),
        ("makespan_time", Json::str(problem.datetime(k.makespan))),
        ("window_end", Json::Int(k.window_end)),
        ("jobs_with_due", Json::Int(k.jobs_with_due as i64)),
        (
            "plants",
            Json::Arr(
                k.plants
                    .iter()
                    .map(|p| {
                        Json::obj([
                            ("plant", Json::str(&p.plant)),
                            ("busy", Json::Int(p.busy)),
                            ("available", Json::Int(p.available)),
                            ("utilisation", Json::Num(p.utilisation)),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "machines",
            Json::Arr(
                k.machines
                    .iter()
                    .map(|m| {
                        Json::obj([
                            ("machine", Json::str(&m.machine)),
                            ("plant", Json::str(&m.plant)),
                            ("busy", Json::Int(m.busy)),
                            ("available", Json::Int(m.available)),
                            ("utilisation", Json::Num(m.utilisation)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ])
}

/// A stretch of low stock for people: `below safety stock 5 from Mon ... to Tue ... (4h), lowest 2`.
pub fn shortage_text(
    problem: &Problem,
    it: &crate::eval::kpi::ItemStock,
    s: &crate::eval::kpi::Shortage,
) -> String {
    let what = match s.kind {
        ShortageKind::BelowSafety => format!("below safety stock {}", num(it.safety_stock)),
        ShortageKind::Negative => "SHORTAGE: below zero".to_string(),
    };
    let until = match s.to {
        Some(t) => format!(
            " to {} ({})",
            super::fmt_when(problem, t),
            super::fmt_minutes(t - s.from)
        ),
        None => " on (never recovers)".to_string(),
    };
    format!(
        "{what} from {}{until}, lowest {}",
        super::fmt_when(problem, s.from),
        num(s.lowest)
    )
}

/// The materials section of the terminal report: per schedule and item, the lowest projected
/// stock and when, and every stretch below zero or below the safety stock. Empty without items.
pub fn materials_text(problem: &Problem, columns: &[(&str, &Kpis)]) -> String {
    let mut out = String::new();
    if problem.items.is_empty() {
        return out;
    }
    let w = problem
        .items
        .iter()
        .map(|i| i.id.chars().count())
        .max()
        .unwrap_or(0);
    for (label, k) in columns {
        out.push_str(&format!("\nProjected stock ({label}):\n"));
        for it in &k.items {
            let mut line = format!(
                "  {:w$}  initial {}, min {} at {}, final {}",
                it.item,
                num(it.initial),
                num(it.min_stock),
                super::fmt_when(problem, it.min_at),
                num(it.final_stock)
            );
            if it.shortages.is_empty() {
                if it.safety_stock > 0.0 {
                    line.push_str(&format!(
                        "; never below safety stock {}",
                        num(it.safety_stock)
                    ));
                } else {
                    line.push_str("; never below zero");
                }
            }
            out.push_str(&line);
            out.push('\n');
            for s in &it.shortages {
                out.push_str(&format!("  {:w$}  {}\n", "", shortage_text(problem, it, s)));
            }
        }
    }
    out
}
