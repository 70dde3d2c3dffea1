//! `takt scenarios`: what-if capacity scenarios. Each scenario file (YAML, or JSON for `.json`)
//! is a small patch of the instance; the base instance and every patched one are solved with the same solver, seed and
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

use super::edit::{calendar_mut, interval, machine_mut, to_text};
use crate::eval::{compute_kpis, Kpis};
use crate::model::load::{parse_doc, read_doc, DocFormat};
use crate::model::raw::{RawCalendar, RawEligible, RawInstance, RawOperation, RawShift};
use crate::model::time::{RawClock, RawInstant};
use crate::model::validate::validate;
use crate::model::{Diagnostic, InputError, Problem};
use crate::report::compare::kpi_csv;
use crate::report::kpi_table;
use crate::schedule::write_atomic;
use crate::solve::search::SearchConfig;
use crate::solve::{SolveResult, SolverChoice};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Scenario")]
pub struct RawScenario {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub changes: Vec<RawChange>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Change")]
pub struct RawChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_shift: Option<RawAddShift>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_overtime: Option<RawAddOvertime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_machine: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_machine: Option<RawAddMachine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub move_family: Option<RawMoveFamily>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_calendar: Option<RawSetCalendar>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AddShift")]
pub struct RawAddShift {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plant: Option<String>,
    pub days: Vec<String>,
    pub from: RawClock,
    pub to: RawClock,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AddOvertime")]
pub struct RawAddOvertime {
    pub calendar: String,
    pub from: RawInstant,
    pub to: RawInstant,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AddMachine")]
pub struct RawAddMachine {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    pub like: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MoveFamily")]
pub struct RawMoveFamily {
    pub family: String,
    pub to_plant: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "SetCalendar")]
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

/// Applies a scenario's changes to the instance. Errors carry `changes[i]...` paths.
pub fn apply_scenario(
    instance: &RawInstance,
    problem: &Problem,
    sc: &RawScenario,
) -> Result<RawInstance, Vec<Diagnostic>> {
    let mut ed = ScenarioEdit::new(instance, problem);
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
            ed.err(p, format!("a change has exactly one kind (add_shift, add_overtime, remove_machine, add_machine, move_family, set_calendar); this one has {kinds}"));
            continue;
        }
        if let Some(s) = &ch.add_shift {
            ed.add_shift(&format!("{p}.add_shift"), s);
        } else if let Some(o) = &ch.add_overtime {
            ed.add_overtime(&format!("{p}.add_overtime"), o);
        } else if let Some(m) = &ch.remove_machine {
            ed.remove_machine(&format!("{p}.remove_machine"), m);
        } else if let Some(a) = &ch.add_machine {
            ed.add_machine(&format!("{p}.add_machine"), a);
        } else if let Some(f) = &ch.move_family {
            ed.move_family(&format!("{p}.move_family"), f);
        } else if let Some(s) = &ch.set_calendar {
            ed.set_calendar(&format!("{p}.set_calendar"), s);
        }
    }
    if ed.diags.is_empty() {
        Ok(ed.raw)
    } else {
        Err(ed.diags)
    }
}

/// A machine as it stands after earlier changes: id, plant, calendar.
#[derive(Debug, Clone)]
struct MachineNow {
    id: String,
    plant: String,
    calendar: Option<String>,
}

/// The instance being changed, the names as they stand after earlier changes, and every
/// problem found so far.
struct ScenarioEdit<'a> {
    problem: &'a Problem,
    raw: RawInstance,
    diags: Vec<Diagnostic>,
    machines: Vec<MachineNow>,
    calendars: Vec<String>,
    plants_hint: String,
}

impl<'a> ScenarioEdit<'a> {
    fn new(instance: &RawInstance, problem: &'a Problem) -> Self {
        ScenarioEdit {
            problem,
            raw: instance.clone(),
            diags: Vec::new(),
            machines: problem
                .machines
                .iter()
                .map(|m| MachineNow {
                    id: m.id.clone(),
                    plant: problem.plants[m.plant.idx()].id.clone(),
                    calendar: m.calendar.map(|c| problem.calendars[c].id.clone()),
                })
                .collect(),
            calendars: problem.calendars.iter().map(|c| c.id.clone()).collect(),
            plants_hint: problem
                .plants
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.diags.push(Diagnostic::at(path, message));
    }

    fn plant_known(&self, p: &str) -> bool {
        self.problem.plants.iter().any(|x| x.id == p)
    }

    fn machine_known(&self, id: &str) -> bool {
        self.machines.iter().any(|m| m.id == id)
    }

    fn unknown_calendar(&mut self, path: String, c: &str) {
        let known = self.calendars.join(", ");
        self.err(path, format!("unknown calendar `{c}` (known: {known})"));
    }

    fn unknown_plant(&mut self, path: String, pl: &str) {
        let known = self.plants_hint.clone();
        self.err(path, format!("unknown plant `{pl}` (known: {known})"));
    }

    fn add_shift(&mut self, p: &str, s: &RawAddShift) {
        for (d, day) in s.days.iter().enumerate() {
            if !WEEKDAYS.contains(&day.trim().to_ascii_lowercase().as_str()) {
                self.err(
                    format!("{p}.days[{d}]"),
                    format!("`{day}` is not a weekday (mon, tue, ... sun)"),
                );
            }
        }
        if s.days.is_empty() {
            self.err(format!("{p}.days"), "no days given");
        }
        let shift = RawShift {
            days: s.days.clone(),
            from: s.from,
            to: s.to,
        };
        match (&s.calendar, &s.plant) {
            (Some(c), None) => {
                if !self.calendars.contains(c) {
                    self.unknown_calendar(format!("{p}.calendar"), c);
                } else if let Some(cv) = calendar_mut(&mut self.raw, c) {
                    cv.weekly.push(shift);
                }
            }
            (None, Some(pl)) => self.add_shift_to_plant(p, pl, shift),
            _ => self.err(
                p,
                "give exactly one of `calendar` (that calendar everywhere) and `plant` (the plant's machines)",
            ),
        }
    }

    /// Copies each calendar the plant's machines use as `<calendar>+<plant>` with the shift,
    /// and switches those machines to the copy.
    fn add_shift_to_plant(&mut self, p: &str, pl: &str, shift: RawShift) {
        if !self.plant_known(pl) {
            self.unknown_plant(format!("{p}.plant"), pl);
            return;
        }
        let mut used: Vec<String> = self
            .machines
            .iter()
            .filter(|m| m.plant == pl)
            .filter_map(|m| m.calendar.clone())
            .collect();
        used.sort();
        used.dedup();
        if used.is_empty() {
            self.err(
                format!("{p}.plant"),
                format!("no machine of plant `{pl}` has a calendar (they always work)"),
            );
        }
        for c in used {
            let copy = format!("{c}+{pl}");
            if calendar_mut(&mut self.raw, &copy).is_none() {
                let mut cv =
                    calendar_mut(&mut self.raw, &c)
                        .cloned()
                        .unwrap_or_else(|| RawCalendar {
                            id: String::new(),
                            weekly: Vec::new(),
                            holidays: Vec::new(),
                            overtime: Vec::new(),
                        });
                cv.id = copy.clone();
                self.raw.calendars.push(cv);
                self.calendars.push(copy.clone());
            }
            if let Some(cv) = calendar_mut(&mut self.raw, &copy) {
                cv.weekly.push(shift.clone());
            }
            for m in self.machines.iter_mut().filter(|m| m.plant == pl) {
                if m.calendar.as_deref() == Some(c.as_str()) {
                    m.calendar = Some(copy.clone());
                    if let Some(mv) = machine_mut(&mut self.raw, &m.id) {
                        mv.calendar = Some(copy.clone());
                    }
                }
            }
        }
    }

    fn add_overtime(&mut self, p: &str, o: &RawAddOvertime) {
        let origin = self.problem.horizon_start;
        let (a, b) = (o.from.resolve(origin), o.to.resolve(origin));
        if b <= a {
            self.err(format!("{p}.to"), "`to` is not after `from`");
        } else if !self.calendars.contains(&o.calendar) {
            self.unknown_calendar(format!("{p}.calendar"), &o.calendar);
        } else if let Some(cv) = calendar_mut(&mut self.raw, &o.calendar) {
            cv.overtime.push(interval(self.problem, a, b));
        }
    }

    fn remove_machine(&mut self, p: &str, m: &str) {
        if !self.machine_known(m) {
            self.err(p, format!("unknown machine `{m}`"));
            return;
        }
        self.machines.retain(|x| x.id != m);
        self.raw.machines.retain(|x| x.id != m);
        let diags = &mut self.diags;
        for_each_op(&mut self.raw, |job, op, ov| {
            if ov.pinned.as_ref().is_some_and(|pin| pin.machine == m) {
                diags.push(Diagnostic::at(
                    p,
                    format!("operation {job}/{op} is pinned to `{m}`"),
                ));
                return;
            }
            if retain_machines(ov, |x| x != m) == 0 {
                diags.push(Diagnostic::at(
                    p,
                    format!("operation {job}/{op} has no machine left without `{m}`"),
                ));
            }
        });
    }

    fn add_machine(&mut self, p: &str, a: &RawAddMachine) {
        if self.machine_known(&a.id) {
            self.err(
                format!("{p}.id"),
                format!("machine `{}` already exists", a.id),
            );
            return;
        }
        let Some(like) = self.machines.iter().find(|m| m.id == a.like).cloned() else {
            self.err(format!("{p}.like"), format!("unknown machine `{}`", a.like));
            return;
        };
        if let Some(pl) = &a.plant {
            if !self.plant_known(pl) {
                self.unknown_plant(format!("{p}.plant"), pl);
                return;
            }
        }
        if let Some(c) = &a.calendar {
            if !self.calendars.contains(c) {
                self.unknown_calendar(format!("{p}.calendar"), c);
                return;
            }
        }
        // `like` stands in the instance: the names follow its machines change by change.
        let Some(mut mv) = machine_mut(&mut self.raw, &a.like).cloned() else {
            return;
        };
        mv.id = a.id.clone();
        if let Some(pl) = &a.plant {
            mv.plant = pl.clone();
        }
        if let Some(c) = &a.calendar {
            mv.calendar = Some(c.clone());
        }
        mv.downtime.clear();
        self.raw.machines.push(mv);
        self.machines.push(MachineNow {
            id: a.id.clone(),
            plant: a.plant.clone().unwrap_or(like.plant),
            calendar: a.calendar.clone().or(like.calendar),
        });
        for_each_op(&mut self.raw, |_, _, ov| {
            add_alternative(ov, &a.like, &a.id)
        });
    }

    fn move_family(&mut self, p: &str, f: &RawMoveFamily) {
        let problem = self.problem;
        let Some(fam) = problem.families.iter().position(|x| *x == f.family) else {
            self.err(
                format!("{p}.family"),
                format!(
                    "unknown family `{}` (known: {})",
                    f.family,
                    problem.families.join(", ")
                ),
            );
            return;
        };
        if !self.plant_known(&f.to_plant) {
            self.unknown_plant(format!("{p}.to_plant"), &f.to_plant);
            return;
        }
        let in_plant: Vec<String> = self
            .machines
            .iter()
            .filter(|m| m.plant == f.to_plant)
            .map(|m| m.id.clone())
            .collect();
        let of_family: Vec<(String, String)> = problem
            .ops
            .iter()
            .filter(|o| o.family.is_some_and(|x| x.idx() == fam))
            .map(|o| (problem.job(o.job).id.clone(), o.id.clone()))
            .collect();
        let diags = &mut self.diags;
        for_each_op(&mut self.raw, |job, op, ov| {
            if !of_family.iter().any(|(j, o)| j == job && o == op) {
                return;
            }
            if ov
                .pinned
                .as_ref()
                .is_some_and(|pin| !in_plant.contains(&pin.machine))
            {
                diags.push(Diagnostic::at(
                    p,
                    format!(
                        "operation {job}/{op} is pinned to a machine outside plant `{}`",
                        f.to_plant
                    ),
                ));
                return;
            }
            if retain_machines(ov, |x| in_plant.iter().any(|m| m == x)) == 0 {
                diags.push(Diagnostic::at(
                    p,
                    format!(
                        "operation {job}/{op} has no machine in plant `{}`",
                        f.to_plant
                    ),
                ));
            }
        });
    }

    fn set_calendar(&mut self, p: &str, s: &RawSetCalendar) {
        if !self.machine_known(&s.machine) {
            self.err(
                format!("{p}.machine"),
                format!("unknown machine `{}`", s.machine),
            );
        } else if !self.calendars.contains(&s.calendar) {
            self.unknown_calendar(format!("{p}.calendar"), &s.calendar);
        } else {
            if let Some(mv) = machine_mut(&mut self.raw, &s.machine) {
                mv.calendar = Some(s.calendar.clone());
            }
            if let Some(m) = self.machines.iter_mut().find(|m| m.id == s.machine) {
                m.calendar = Some(s.calendar.clone());
            }
        }
    }
}

/// Calls `f(job id, op id, operation)` for every operation.
fn for_each_op(raw: &mut RawInstance, mut f: impl FnMut(&str, &str, &mut RawOperation)) {
    for job in &mut raw.jobs {
        for op in &mut job.operations {
            let id = op.id.clone();
            f(&job.id, &id, op);
        }
    }
}

/// Keeps the eligible machines `keep` accepts; returns how many are left.
fn retain_machines(op: &mut RawOperation, keep: impl Fn(&str) -> bool) -> usize {
    match &mut op.machines {
        RawEligible::WithDurations(modes) => {
            modes.retain(|(m, _)| keep(m));
            modes.len()
        }
        RawEligible::List(machines) => {
            machines.retain(|m| keep(m));
            machines.len()
        }
    }
}

/// Adds `new` as an alternative wherever `like` is eligible, with `like`'s duration.
fn add_alternative(op: &mut RawOperation, like: &str, new: &str) {
    match &mut op.machines {
        RawEligible::WithDurations(modes) => {
            if let Some(d) = modes.iter().find(|(m, _)| m == like).map(|(_, d)| *d) {
                modes.push((new.to_string(), d));
            }
        }
        RawEligible::List(machines) => {
            if machines.iter().any(|m| m == like) {
                machines.push(new.to_string());
            }
        }
    }
}

/// One scenario read, applied and validated.
pub struct Scenario {
    pub name: String,
    /// The instance with the changes applied, as written.
    pub instance: RawInstance,
    pub problem: Problem,
}

/// Reads a scenario file (YAML, or JSON for `.json`) and applies it to the instance.
pub fn load_scenario(
    path: &Path,
    instance: &RawInstance,
    base: &Problem,
) -> Result<Scenario, InputError> {
    let raw: RawScenario = read_doc(path)?;
    let stem = path.file_stem().and_then(|s| s.to_str());
    apply_checked(raw, &path.display().to_string(), stem, instance, base)
}

/// Parses scenario text in `format` and applies it to the instance; `origin` names it in
/// errors (and the scenario when it has no `name`).
pub fn scenario_from_str(
    text: &str,
    format: DocFormat,
    origin: &str,
    instance: &RawInstance,
    base: &Problem,
) -> Result<Scenario, InputError> {
    let raw: RawScenario = parse_doc(text, format, origin)?;
    apply_checked(raw, origin, Some(origin), instance, base)
}

/// Applies a parsed scenario and validates the result; errors name `file`.
fn apply_checked(
    raw: RawScenario,
    file: &str,
    default_name: Option<&str>,
    instance: &RawInstance,
    base: &Problem,
) -> Result<Scenario, InputError> {
    let patched = apply_scenario(instance, base, &raw).map_err(|d| InputError::invalid(file, d))?;
    let problem = validate(&patched).map_err(|d| {
        InputError::invalid(
            file,
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
    let name = raw
        .name
        .unwrap_or_else(|| default_name.unwrap_or("scenario").to_string());
    Ok(Scenario {
        name,
        instance: patched,
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
    let (value, base) = super::edit::load_raw(&opts.instance)?;
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
            write_atomic(&path, &to_text(&header, &s.instance)).map_err(|source| {
                InputError::Io {
                    file: path.display().to_string(),
                    source,
                }
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
