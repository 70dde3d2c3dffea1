//! `takt scenarios`: what-if capacity scenarios. Each scenario file is a small patch of the
//! instance; the base instance and every patched one are solved with the same solver, seed and
//! limits, and the KPIs are printed side by side (base first).
//!
//! ```yaml
//! name: saturday-shift-south
//! changes:
//!   - add_shift: {plant: south, days: [sat], from: "06:00", to: "14:00"}   # or calendar: id
//!   - add_overtime: {calendar: two-shift, from: 2026-11-28T06:00, to: 2026-11-28T14:00}
//!   - remove_machine: S-CNC1
//!   - add_machine: {id: S-CNC2, plant: south, like: S-CNC1}               # calendar: optional
//!   - move_family: {family: alu, to_plant: north}
//!   - set_calendar: {machine: S-PAINT, calendar: two-shift}
//! ```
//!
//! - `add_shift` with `calendar` adds the weekly shift to that calendar (every machine using it,
//!   in every plant); with `plant` it adds it only for the plant's machines: each calendar they
//!   use is copied as `<calendar>+<plant>` with the shift, and those machines switch to the
//!   copy (machines without a calendar always work already).
//! - `remove_machine`: the machine goes, and every operation loses it as an alternative; an
//!   operation with no machine left, or pinned to it, is an error naming it.
//! - `add_machine`: a copy of `like` (plant and calendar replaced when given; changeovers and
//!   initial family kept; no downtime), eligible for every operation `like` runs, with the same
//!   durations. It is appended after the other machines, and after the other alternatives of
//!   each operation.
//! - `move_family`: operations of the family (their own or their job's) keep only machines of
//!   the plant; one with none there is an error naming it.

use super::yaml::{by_id, interval, scalar, seq_mut, set, to_text, validate_value};
use crate::eval::{compute_kpis, Kpis};
use crate::model::load::parse_yaml;
use crate::model::time::{RawClock, RawInstant};
use crate::model::{Diagnostic, InputError, Problem};
use crate::report::compare::kpi_csv;
use crate::report::kpi_table;
use crate::schedule::write_atomic;
use crate::solve::search::SearchConfig;
use crate::solve::{SolveResult, SolverChoice};
use serde::Deserialize;
use serde_yaml::{Mapping, Value};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    #[serde(default)]
    pub name: Option<String>,
    pub changes: Vec<RawChange>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    #[serde(default)]
    pub add_shift: Option<RawAddShift>,
    #[serde(default)]
    pub add_overtime: Option<RawAddOvertime>,
    #[serde(default)]
    pub remove_machine: Option<String>,
    #[serde(default)]
    pub add_machine: Option<RawAddMachine>,
    #[serde(default)]
    pub move_family: Option<RawMoveFamily>,
    #[serde(default)]
    pub set_calendar: Option<RawSetCalendar>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAddShift {
    #[serde(default)]
    pub calendar: Option<String>,
    #[serde(default)]
    pub plant: Option<String>,
    pub days: Vec<String>,
    pub from: RawClock,
    pub to: RawClock,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAddOvertime {
    pub calendar: String,
    pub from: RawInstant,
    pub to: RawInstant,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAddMachine {
    pub id: String,
    #[serde(default)]
    pub plant: Option<String>,
    #[serde(default)]
    pub calendar: Option<String>,
    pub like: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMoveFamily {
    pub family: String,
    pub to_plant: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSetCalendar {
    pub machine: String,
    pub calendar: String,
}

/// Options of `takt scenarios`.
#[derive(Debug, Clone)]
pub struct ScenarioOptions {
    pub instance: PathBuf,
    pub scenarios: Vec<PathBuf>,
    /// The solver every column runs (the base and each scenario alike).
    pub solver: SolverChoice,
    pub search: SearchConfig,
    pub write_instances: Option<PathBuf>,
    pub json: bool,
    pub csv: bool,
    pub quiet: bool,
}

fn clock(m: i64) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

const WEEKDAYS: [&str; 14] = [
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Applies a scenario's changes to the instance value. Errors carry `changes[i]...` paths.
pub fn apply_scenario(
    instance: &Value,
    problem: &Problem,
    sc: &RawScenario,
) -> Result<Value, Vec<Diagnostic>> {
    let mut v = instance.clone();
    let mut diags = Vec::new();
    let mut err = |p: String, m: String| diags.push(Diagnostic::at(p, m));
    // Names as they stand after earlier changes.
    let mut machines: Vec<(String, String, Option<String>)> = problem
        .machines
        .iter()
        .map(|m| {
            (
                m.id.clone(),
                problem.plants[m.plant.idx()].id.clone(),
                m.calendar.map(|c| problem.calendars[c].id.clone()),
            )
        })
        .collect();
    let mut calendars: Vec<String> = problem.calendars.iter().map(|c| c.id.clone()).collect();
    let plant_known = |p: &str| problem.plants.iter().any(|x| x.id == p);
    let plants_hint = problem
        .plants
        .iter()
        .map(|p| p.id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    for (i, ch) in sc.changes.iter().enumerate() {
        let p = format!("changes[{i}]");
        let kinds = [
            ch.add_shift.is_some(),
            ch.add_overtime.is_some(),
            ch.remove_machine.is_some(),
            ch.add_machine.is_some(),
            ch.move_family.is_some(),
            ch.set_calendar.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if kinds != 1 {
            err(p, format!("a change has exactly one kind (add_shift, add_overtime, remove_machine, add_machine, move_family, set_calendar); this one has {kinds}"));
            continue;
        }
        let machine_known = |machines: &[(String, String, Option<String>)], id: &str| {
            machines.iter().any(|m| m.0 == id)
        };
        if let Some(s) = &ch.add_shift {
            let p = format!("{p}.add_shift");
            for (d, day) in s.days.iter().enumerate() {
                if !WEEKDAYS.contains(&day.trim().to_ascii_lowercase().as_str()) {
                    err(
                        format!("{p}.days[{d}]"),
                        format!("`{day}` is not a weekday (mon, tue, ... sun)"),
                    );
                }
            }
            if s.days.is_empty() {
                err(format!("{p}.days"), "no days given".into());
            }
            let mut shift = Mapping::new();
            shift.insert(
                "days".into(),
                Value::Sequence(s.days.iter().map(|d| d.clone().into()).collect()),
            );
            shift.insert("from".into(), clock(s.from.0).into());
            shift.insert("to".into(), clock(s.to.0).into());
            let shift = Value::Mapping(shift);
            match (&s.calendar, &s.plant) {
                (Some(c), None) => {
                    if !calendars.contains(c) {
                        err(
                            format!("{p}.calendar"),
                            format!("unknown calendar `{c}` (known: {})", calendars.join(", ")),
                        );
                    } else if let Some(cv) = by_id(seq_mut(&mut v, "calendars"), c) {
                        seq_mut(cv, "weekly").push(shift);
                    }
                }
                (None, Some(pl)) => {
                    if !plant_known(pl) {
                        err(
                            format!("{p}.plant"),
                            format!("unknown plant `{pl}` (known: {plants_hint})"),
                        );
                        continue;
                    }
                    // Calendars used by the plant's machines: copy each with the extra shift.
                    let used: Vec<String> = {
                        let mut u: Vec<String> = machines
                            .iter()
                            .filter(|m| m.1 == *pl)
                            .filter_map(|m| m.2.clone())
                            .collect();
                        u.sort();
                        u.dedup();
                        u
                    };
                    if used.is_empty() {
                        err(
                            format!("{p}.plant"),
                            format!("no machine of plant `{pl}` has a calendar (they always work)"),
                        );
                    }
                    for c in used {
                        let copy = format!("{c}+{pl}");
                        let cals = seq_mut(&mut v, "calendars");
                        if by_id(cals, &copy).is_none() {
                            let mut cv = by_id(cals, &c).cloned().unwrap_or(Value::Null);
                            set(&mut cv, "id", copy.clone().into());
                            cals.push(cv);
                            calendars.push(copy.clone());
                        }
                        if let Some(cv) = by_id(cals, &copy) {
                            seq_mut(cv, "weekly").push(shift.clone());
                        }
                        for m in machines.iter_mut().filter(|m| m.1 == *pl) {
                            if m.2.as_deref() == Some(c.as_str()) {
                                m.2 = Some(copy.clone());
                                if let Some(mv) = by_id(seq_mut(&mut v, "machines"), &m.0) {
                                    set(mv, "calendar", copy.clone().into());
                                }
                            }
                        }
                    }
                }
                _ => err(
                    p,
                    "give exactly one of `calendar` (that calendar everywhere) and `plant` (the plant's machines)".into(),
                ),
            }
        } else if let Some(o) = &ch.add_overtime {
            let p = format!("{p}.add_overtime");
            let (a, b) = (
                o.from.resolve(problem.horizon_start),
                o.to.resolve(problem.horizon_start),
            );
            if b <= a {
                err(format!("{p}.to"), "`to` is not after `from`".into());
            } else if !calendars.contains(&o.calendar) {
                err(
                    format!("{p}.calendar"),
                    format!(
                        "unknown calendar `{}` (known: {})",
                        o.calendar,
                        calendars.join(", ")
                    ),
                );
            } else if let Some(cv) = by_id(seq_mut(&mut v, "calendars"), &o.calendar) {
                seq_mut(cv, "overtime").push(interval(problem, a, b));
            }
        } else if let Some(m) = &ch.remove_machine {
            let p = format!("{p}.remove_machine");
            if !machine_known(&machines, m) {
                err(p, format!("unknown machine `{m}`"));
                continue;
            }
            machines.retain(|x| x.0 != *m);
            seq_mut(&mut v, "machines")
                .retain(|mv| mv.get("id").and_then(scalar).as_deref() != Some(m));
            for_each_op(&mut v, |job, op, ov| {
                if pinned_to(ov).as_deref() == Some(m.as_str()) {
                    err(
                        p.clone(),
                        format!("operation {job}/{op} is pinned to `{m}`"),
                    );
                    return;
                }
                let left = retain_machines(ov, |x| x != m);
                if left == 0 {
                    err(
                        p.clone(),
                        format!("operation {job}/{op} has no machine left without `{m}`"),
                    );
                }
            });
        } else if let Some(a) = &ch.add_machine {
            let p = format!("{p}.add_machine");
            if machine_known(&machines, &a.id) {
                err(
                    format!("{p}.id"),
                    format!("machine `{}` already exists", a.id),
                );
                continue;
            }
            let Some(like) = machines.iter().find(|m| m.0 == a.like).cloned() else {
                err(format!("{p}.like"), format!("unknown machine `{}`", a.like));
                continue;
            };
            if let Some(pl) = &a.plant {
                if !plant_known(pl) {
                    err(
                        format!("{p}.plant"),
                        format!("unknown plant `{pl}` (known: {plants_hint})"),
                    );
                    continue;
                }
            }
            if let Some(c) = &a.calendar {
                if !calendars.contains(c) {
                    err(
                        format!("{p}.calendar"),
                        format!("unknown calendar `{c}` (known: {})", calendars.join(", ")),
                    );
                    continue;
                }
            }
            let ms = seq_mut(&mut v, "machines");
            let mut mv = by_id(ms, &a.like).cloned().unwrap_or(Value::Null);
            set(&mut mv, "id", a.id.clone().into());
            if let Some(pl) = &a.plant {
                set(&mut mv, "plant", pl.clone().into());
            }
            if let Some(c) = &a.calendar {
                set(&mut mv, "calendar", c.clone().into());
            }
            super::yaml::remove(&mut mv, "downtime");
            ms.push(mv);
            machines.push((
                a.id.clone(),
                a.plant.clone().unwrap_or(like.1.clone()),
                a.calendar.clone().or(like.2.clone()),
            ));
            for_each_op(&mut v, |_, _, ov| add_alternative(ov, &a.like, &a.id));
        } else if let Some(f) = &ch.move_family {
            let p = format!("{p}.move_family");
            let Some(fam) = problem.families.iter().position(|x| *x == f.family) else {
                err(
                    format!("{p}.family"),
                    format!(
                        "unknown family `{}` (known: {})",
                        f.family,
                        problem.families.join(", ")
                    ),
                );
                continue;
            };
            if !plant_known(&f.to_plant) {
                err(
                    format!("{p}.to_plant"),
                    format!("unknown plant `{}` (known: {plants_hint})", f.to_plant),
                );
                continue;
            }
            let in_plant: Vec<String> = machines
                .iter()
                .filter(|m| m.1 == f.to_plant)
                .map(|m| m.0.clone())
                .collect();
            let of_family: Vec<(String, String)> = problem
                .ops
                .iter()
                .filter(|o| o.family.is_some_and(|x| x.idx() == fam))
                .map(|o| (problem.job(o.job).id.clone(), o.id.clone()))
                .collect();
            for_each_op(&mut v, |job, op, ov| {
                if !of_family.iter().any(|(j, o)| j == job && o == op) {
                    return;
                }
                if pinned_to(ov).is_some_and(|m| !in_plant.contains(&m)) {
                    err(
                        p.clone(),
                        format!(
                            "operation {job}/{op} is pinned to a machine outside plant `{}`",
                            f.to_plant
                        ),
                    );
                    return;
                }
                if retain_machines(ov, |x| in_plant.iter().any(|m| m == x)) == 0 {
                    err(
                        p.clone(),
                        format!(
                            "operation {job}/{op} has no machine in plant `{}`",
                            f.to_plant
                        ),
                    );
                }
            });
        } else if let Some(s) = &ch.set_calendar {
            let p = format!("{p}.set_calendar");
            if !machine_known(&machines, &s.machine) {
                err(
                    format!("{p}.machine"),
                    format!("unknown machine `{}`", s.machine),
                );
            } else if !calendars.contains(&s.calendar) {
                err(
                    format!("{p}.calendar"),
                    format!(
                        "unknown calendar `{}` (known: {})",
                        s.calendar,
                        calendars.join(", ")
                    ),
                );
            } else {
                if let Some(mv) = by_id(seq_mut(&mut v, "machines"), &s.machine) {
                    set(mv, "calendar", s.calendar.clone().into());
                }
                if let Some(m) = machines.iter_mut().find(|m| m.0 == s.machine) {
                    m.2 = Some(s.calendar.clone());
                }
            }
        }
    }
    if diags.is_empty() {
        Ok(v)
    } else {
        Err(diags)
    }
}

/// Calls `f(job id, op id, op value)` for every operation.
fn for_each_op(v: &mut Value, mut f: impl FnMut(&str, &str, &mut Value)) {
    for jv in seq_mut(v, "jobs").iter_mut() {
        let job = jv.get("id").and_then(scalar).unwrap_or_default();
        for ov in seq_mut(jv, "operations").iter_mut() {
            let op = ov.get("id").and_then(scalar).unwrap_or_default();
            f(&job, &op, ov);
        }
    }
}

fn pinned_to(ov: &Value) -> Option<String> {
    ov.get("pinned")?.get("machine").and_then(scalar)
}

/// Keeps the eligible machines `keep` accepts; returns how many are left.
fn retain_machines(ov: &mut Value, keep: impl Fn(&str) -> bool) -> usize {
    match ov.get_mut("machines") {
        Some(Value::Mapping(m)) => {
            m.retain(|k, _| scalar(k).is_some_and(|k| keep(&k)));
            m.len()
        }
        Some(Value::Sequence(s)) => {
            s.retain(|k| scalar(k).is_some_and(|k| keep(&k)));
            s.len()
        }
        Some(x) => {
            if scalar(x).is_some_and(|k| keep(&k)) {
                1
            } else {
                *x = Value::Sequence(Vec::new());
                0
            }
        }
        None => 0,
    }
}

/// Adds `new` as an alternative wherever `like` is eligible, with `like`'s duration.
fn add_alternative(ov: &mut Value, like: &str, new: &str) {
    match ov.get_mut("machines") {
        Some(Value::Mapping(m)) => {
            let d = m
                .iter()
                .find(|(k, _)| scalar(k).as_deref() == Some(like))
                .map(|(_, d)| d.clone());
            if let Some(d) = d {
                m.insert(new.into(), d);
            }
        }
        Some(Value::Sequence(s)) if s.iter().any(|k| scalar(k).as_deref() == Some(like)) => {
            s.push(new.into());
        }
        Some(x) if scalar(x).as_deref() == Some(like) => {
            *x = Value::Sequence(vec![like.into(), new.into()]);
        }
        _ => {}
    }
}

/// One scenario read, applied and validated.
pub struct Scenario {
    pub name: String,
    pub value: Value,
    pub problem: Problem,
}

/// Reads a scenario file and applies it to the instance.
pub fn load_scenario(
    path: &Path,
    instance: &Value,
    base: &Problem,
) -> Result<Scenario, InputError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| InputError::Io {
        file: file.clone(),
        source,
    })?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("scenario");
    parse_scenario(&text, &file, stem, instance, base)
}

/// Parses scenario text (`file` names it in errors; `default_name` is the name when the text
/// has none) and applies it to the instance (the Python binding passes text, not files).
pub fn parse_scenario(
    text: &str,
    file: &str,
    default_name: &str,
    instance: &Value,
    base: &Problem,
) -> Result<Scenario, InputError> {
    let file = file.to_string();
    let raw: RawScenario = parse_yaml(text).map_err(|d| InputError::invalid(&file, vec![d]))?;
    let value = apply_scenario(instance, base, &raw).map_err(|d| InputError::invalid(&file, d))?;
    let problem = validate_value(&value).map_err(|d| {
        InputError::invalid(
            &file,
            d.into_iter()
                .map(|mut d| {
                    d.message = format!(
                        "with the changes applied, the instance breaks a rule at {}: {}",
                        if d.path.is_empty() { "(top)" } else { &d.path },
                        d.message
                    );
                    d.path = String::new();
                    d
                })
                .collect(),
        )
    })?;
    let name = raw.name.unwrap_or_else(|| default_name.to_string());
    Ok(Scenario {
        name,
        value,
        problem,
    })
}

/// Solves one instance as every column is solved.
pub fn solve_one(problem: &Problem, opts: &ScenarioOptions) -> Result<SolveResult, String> {
    crate::solve::run(problem, opts.solver, &opts.search)
        .map(|s| s.result)
        .map_err(|e| e.to_string())
}

/// `takt scenarios`: solves the base and each scenario, prints the KPIs side by side.
/// `Ok(false)` when a column has no schedule or misses a hard deadline.
pub fn scenarios_command(opts: &ScenarioOptions) -> Result<bool, InputError> {
    let (value, base) = super::yaml::load_value(&opts.instance)?;
    // Read every scenario first: all input errors before any solving.
    let mut scenarios = Vec::new();
    let mut errors: Vec<InputError> = Vec::new();
    for path in &opts.scenarios {
        match load_scenario(path, &value, &base) {
            Ok(s) => scenarios.push(s),
            Err(e) => errors.push(e),
        }
    }
    // Every file's errors: all but the last printed here, the last returned (exit 2).
    if let Some(last) = errors.pop() {
        for e in errors {
            eprintln!("{e}");
        }
        return Err(last);
    }
    if let Some(dir) = &opts.write_instances {
        std::fs::create_dir_all(dir).map_err(|source| InputError::Io {
            file: dir.display().to_string(),
            source,
        })?;
        for s in &scenarios {
            let path = dir.join(format!("{}.yaml", crate::report::file_safe(&s.name)));
            let header = format!(
                "{} with scenario `{}` applied by takt scenarios",
                opts.instance.display(),
                s.name
            );
            write_atomic(&path, &to_text(&header, &s.value)).map_err(|source| InputError::Io {
                file: path.display().to_string(),
                source,
            })?;
            if !opts.quiet {
                eprintln!("wrote {}", path.display());
            }
        }
    }
    let mut columns: Vec<(String, Problem)> = vec![("base".to_string(), base)];
    columns.extend(scenarios.into_iter().map(|s| (s.name, s.problem)));
    let mut ok = true;
    let mut kpis: Vec<Kpis> = Vec::new();
    for (name, p) in &columns {
        if !opts.quiet {
            eprintln!("solving {name}: {}", p.summary());
        }
        match solve_one(p, opts) {
            Ok(r) => {
                ok &= r.evaluation.feasible();
                kpis.push(compute_kpis(p, &r.schedule));
            }
            Err(e) => {
                eprintln!("{name}: {e}");
                return Ok(false);
            }
        }
    }
    // Labels: the base's machines, then machines scenarios add; KPIs remapped to that list.
    let label = union_problem(&columns);
    let kpis: Vec<Kpis> = kpis.into_iter().map(|k| remap(&label, k)).collect();
    let cols: Vec<(&str, &Kpis)> = columns
        .iter()
        .zip(&kpis)
        .map(|((n, _), k)| (n.as_str(), k))
        .collect();
    if opts.csv {
        print!("{}", kpi_csv(&label, &cols));
    } else if opts.json {
        let k: Vec<&Kpis> = kpis.iter().collect();
        let rows = crate::report::compare::kpi_rows(&label, &k);
        let arr = crate::report::json::Json::Arr(
            columns
                .iter()
                .enumerate()
                .map(|(c, (n, _))| {
                    crate::report::json::Json::obj([
                        ("name", crate::report::json::Json::str(n.clone())),
                        ("kpis", crate::report::compare::kpi_object(&rows, c)),
                    ])
                })
                .collect(),
        );
        println!("{}", arr.pretty());
    } else {
        println!("{}", columns[0].1.summary());
        print!("{}", kpi_table(&label, &cols));
    }
    Ok(ok)
}

/// The base problem with the machines scenarios add appended (for KPI labels).
fn union_problem(columns: &[(String, Problem)]) -> Problem {
    let mut label = columns[0].1.clone();
    for (_, p) in &columns[1..] {
        for m in &p.machines {
            if !label.machines.iter().any(|x| x.id == m.id) {
                let mut m = m.clone();
                m.plant = label
                    .plants
                    .iter()
                    .position(|x| x.id == p.plants[m.plant.idx()].id)
                    .map_or(m.plant, |i| crate::model::PlantId(i as u32));
                label.machines.push(m);
            }
        }
    }
    label
}

/// KPIs with one machine entry per machine of `label`, in its order (0 where a machine is absent).
fn remap(label: &Problem, mut k: Kpis) -> Kpis {
    let old = std::mem::take(&mut k.machines);
    k.machines = label
        .machines
        .iter()
        .map(|m| {
            old.iter().find(|x| x.machine == m.id).cloned().unwrap_or(
                crate::eval::kpi::MachineUse {
                    machine: m.id.clone(),
                    plant: label.plants[m.plant.idx()].id.clone(),
                    busy: 0,
                    available: 0,
                    utilisation: 0.0,
                },
            )
        })
        .collect();
    k
}
