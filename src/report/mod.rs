//! Human-readable output: the KPI table (one column per schedule, best value per row marked).

use crate::eval::Kpis;
use crate::model::Problem;

/// One row of the KPI table: label, value per schedule, and whether lower is better (None: no
/// "best" mark).
struct Row {
    label: String,
    values: Vec<f64>,
    text: Vec<String>,
    lower_is_better: Option<bool>,
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.2}")
    }
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// Renders KPIs of one or more schedules side by side.
pub fn kpi_table(problem: &Problem, columns: &[(&str, &Kpis)]) -> String {
    let mut rows: Vec<Row> = Vec::new();
    let mut add = |label: &str,
                   f: &dyn Fn(&Kpis) -> f64,
                   fmt: &dyn Fn(f64) -> String,
                   lower: Option<bool>| {
        let values: Vec<f64> = columns.iter().map(|(_, k)| f(k)).collect();
        rows.push(Row {
            label: label.to_string(),
            text: values.iter().map(|&v| fmt(v)).collect(),
            values,
            lower_is_better: lower,
        });
    };
    add("objective", &|k| k.evaluation.value, &num, Some(true));
    let w = problem.objective;
    for ((name, weight), i) in crate::model::ObjectiveWeights::TERMS
        .iter()
        .zip(w.as_array())
        .zip(0..)
    {
        if weight != 0.0 {
            let label = format!("  {weight} × {name}");
            add(
                &label,
                &move |k: &Kpis| k.evaluation.named_terms()[i].1,
                &num,
                Some(true),
            );
        }
    }
    add(
        "hard deadlines missed",
        &|k| k.deadline_misses as f64,
        &num,
        Some(true),
    );
    add(
        "weighted tardiness",
        &|k| k.weighted_tardiness,
        &num,
        Some(true),
    );
    add(
        "total tardiness (min)",
        &|k| k.total_tardiness as f64,
        &num,
        Some(true),
    );
    add(
        "max tardiness (min)",
        &|k| k.max_tardiness as f64,
        &num,
        Some(true),
    );
    add("late jobs", &|k| k.late_jobs as f64, &num, Some(true));
    add("on-time rate", &|k| k.on_time_rate, &pct, Some(false));
    add("makespan (min)", &|k| k.makespan as f64, &num, Some(true));
    add(
        "total flow time (min)",
        &|k| k.total_flow_time as f64,
        &num,
        Some(true),
    );
    add(
        "changeovers",
        &|k| k.changeover_count as f64,
        &num,
        Some(true),
    );
    add(
        "changeover minutes",
        &|k| k.changeover_minutes as f64,
        &num,
        Some(true),
    );
    add("idle minutes", &|k| k.idle_minutes as f64, &num, None);
    for (i, p) in problem.plants.iter().enumerate() {
        add(
            &format!("utilisation plant {}", p.id),
            &move |k: &Kpis| k.plants[i].utilisation,
            &pct,
            None,
        );
    }
    for (i, m) in problem.machines.iter().enumerate() {
        add(
            &format!("  machine {}", m.id),
            &move |k: &Kpis| k.machines[i].utilisation,
            &pct,
            None,
        );
    }

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
                .map(|r| r.text[c].len() + 2)
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
        let best = r.lower_is_better.map(|lower| {
            r.values.iter().copied().fold(
                if lower {
                    f64::INFINITY
                } else {
                    f64::NEG_INFINITY
                },
                |a, b| {
                    if lower {
                        a.min(b)
                    } else {
                        a.max(b)
                    }
                },
            )
        });
        for (c, t) in r.text.iter().enumerate() {
            let star = mark && best == Some(r.values[c]);
            let cell = if star {
                format!("{t} *")
            } else {
                format!("{t}  ")
            };
            out.push_str(&format!("  {:>w$}", cell, w = col_w[c]));
        }
        out.push('\n');
    }
    if mark {
        out.push_str("(* best)\n");
    }
    out
}
