//! Raw instance -> [`Problem`]: resolves names to dense ids, converts times to minutes and checks
//! every rule an instance must satisfy, collecting *all* problems (each with its YAML path) rather
//! than stopping at the first.

use super::calendar::{Availability, CalendarRules, WeekAnchor, WeeklyShift, DAY};
use super::error::Diagnostic;
use super::problem::*;
use super::raw::*;
use super::time::{minutes_between, Minute, RawInstant};
use jiff::civil::DateTime;
use std::collections::{BTreeSet, HashMap};

mod secondary;

struct Ctx {
    diags: Vec<Diagnostic>,
    origin: DateTime,
}

impl Ctx {
    fn err(&mut self, path: impl Into<String>, msg: impl Into<String>) {
        self.diags.push(Diagnostic::at(path, msg));
    }

    fn instant(&self, i: RawInstant) -> Minute {
        i.resolve(self.origin)
    }

    /// Builds a name -> index map, reporting duplicates at `path_of(i)`.
    fn index<'a>(
        &mut self,
        ids: impl Iterator<Item = &'a str>,
        what: &str,
        path_of: impl Fn(usize) -> String,
    ) -> HashMap<String, u32> {
        let mut map = HashMap::new();
        for (i, id) in ids.enumerate() {
            if id.trim().is_empty() {
                self.err(path_of(i), format!("{what} id is empty"));
            } else if map.insert(id.to_string(), i as u32).is_some() {
                self.err(path_of(i), format!("duplicate {what} id `{id}`"));
            }
        }
        map
    }

    fn lookup(
        &mut self,
        map: &HashMap<String, u32>,
        name: &str,
        what: &str,
        path: impl Into<String>,
    ) -> Option<u32> {
        let found = map.get(name).copied();
        if found.is_none() {
            let known: Vec<&str> = {
                let mut v: Vec<&str> = map.keys().map(String::as_str).collect();
                v.sort_unstable();
                v
            };
            let hint = if known.is_empty() {
                "none is declared".to_string()
            } else if known.len() <= 8 {
                format!("known: {}", known.join(", "))
            } else {
                format!("{} {what}s are declared", known.len())
            };
            self.err(path, format!("unknown {what} `{name}` ({hint})"));
        }
        found
    }

    fn nonneg(&mut self, v: i64, path: impl Into<String>, what: &str) -> Minute {
        if v < 0 {
            self.err(path, format!("{what} is negative ({v} min)"));
            0
        } else {
            v
        }
    }
}

fn weekday(s: &str) -> Option<u8> {
    let s = s.trim().to_ascii_lowercase();
    let names = [
        ["mon", "monday"],
        ["tue", "tuesday"],
        ["wed", "wednesday"],
        ["thu", "thursday"],
        ["fri", "friday"],
        ["sat", "saturday"],
        ["sun", "sunday"],
    ];
    names
        .iter()
        .position(|n| n.contains(&s.as_str()))
        .map(|i| i as u8)
}

/// Validates a parsed instance. On failure returns every problem found.
///
/// One function per section of the instance (plants, calendars, changeovers, machines, jobs),
/// then the checks across sections (transfers, changeover pairs, the objective, materials); each
/// section reports all of its problems, so one run lists everything wrong with a file.
pub fn validate(raw: &RawInstance) -> Result<Problem, Vec<Diagnostic>> {
    let origin = raw.horizon.start.0;
    let mut cx = Ctx {
        diags: Vec::new(),
        origin,
    };

    let horizon_end = raw.horizon.end.map(|e| cx.instant(e));
    if let Some(e) = horizon_end {
        if e <= 0 {
            cx.err("horizon.end", "horizon end is not after its start");
        }
    }
    let (plants, plant_ix, transfer) = plants_and_transfers(&mut cx, raw);
    let (cal_ix, calendars) = calendars(&mut cx, raw);
    let (fam_ix, co_ix, matrices) = changeover_matrices(&mut cx, raw);
    let week = week_anchor(origin);
    let mach_ix = cx.index(raw.machines.iter().map(|m| m.id.as_str()), "machine", |i| {
        format!("machines[{i}].id")
    });
    let (resources, res_ix) = secondary::resources(&mut cx, raw, &cal_ix, &calendars, week);
    let (items, item_ix) = secondary::items(&mut cx, raw);
    let names = Names {
        plant: plant_ix,
        calendar: cal_ix,
        family: fam_ix,
        changeover: co_ix,
        machine: mach_ix,
        resource: res_ix,
        item: item_ix,
    };
    let machines = machines(&mut cx, raw, &names, &calendars, &resources, week);
    let (jobs, ops) = jobs_and_operations(&mut cx, raw, &names, &machines, &resources);
    check_transfers(&mut cx, &jobs, &ops, &machines, &transfer, &plants);
    check_changeover_pairs(&mut cx, raw, &machines, &ops, &matrices);
    let objective = objective(&mut cx, raw, &jobs);
    secondary::supply_covers_demand(&mut cx, &items, &jobs, &ops);

    if !cx.diags.is_empty() {
        return Err(cx.diags);
    }
    let interrupted = match raw.interrupted_operations {
        Some(RawInterruption::Restart) => Interruption::Restart,
        Some(RawInterruption::Resume) | None => Interruption::Resume,
    };
    Ok(Problem::new(
        raw.name.clone().unwrap_or_else(|| "unnamed".to_string()),
        origin,
        horizon_end,
        objective,
        plants,
        transfer,
        calendars,
        raw.families.clone(),
        matrices,
        machines,
        jobs,
        ops,
        resources,
        items,
        interrupted,
    ))
}

/// Name -> index maps of the sections that others refer to.
struct Names {
    plant: HashMap<String, u32>,
    calendar: HashMap<String, u32>,
    family: HashMap<String, u32>,
    changeover: HashMap<String, u32>,
    machine: HashMap<String, u32>,
    resource: HashMap<String, u32>,
    item: HashMap<String, u32>,
}

/// A section's values and its name -> index map.
type Transfers = Vec<Vec<Option<Minute>>>;

/// `plants` and `transfers`: the plants, their index, and `transfer[from][to]`.
fn plants_and_transfers(
    cx: &mut Ctx,
    raw: &RawInstance,
) -> (Vec<Plant>, HashMap<String, u32>, Transfers) {
    if raw.plants.is_empty() {
        cx.err("plants", "no plants: every machine belongs to a plant");
    }
    let plant_ix = cx.index(raw.plants.iter().map(|p| p.id.as_str()), "plant", |i| {
        format!("plants[{i}].id")
    });
    let plants: Vec<Plant> = raw
        .plants
        .iter()
        .map(|p| Plant { id: p.id.clone() })
        .collect();
    let mut transfer = vec![vec![None; plants.len()]; plants.len()];
    for (i, t) in raw.transfers.iter().enumerate() {
        let p = format!("transfers[{i}]");
        let from = cx.lookup(&plant_ix, &t.from, "plant", format!("{p}.from"));
        let to = cx.lookup(&plant_ix, &t.to, "plant", format!("{p}.to"));
        let time = cx.nonneg(t.time.0, format!("{p}.time"), "transfer time");
        if let (Some(a), Some(b)) = (from, to) {
            let cell = &mut transfer[a as usize][b as usize];
            if cell.is_some() {
                cx.err(
                    p,
                    format!("duplicate transfer from `{}` to `{}`", t.from, t.to),
                );
            }
            *cell = Some(time);
        }
    }

    (plants, plant_ix, transfer)
}

/// `calendars`: weekly shifts, holidays and overtime, in minutes from the horizon start.
fn calendars(cx: &mut Ctx, raw: &RawInstance) -> (HashMap<String, u32>, Vec<CalendarRules>) {
    let cal_ix = cx.index(
        raw.calendars.iter().map(|c| c.id.as_str()),
        "calendar",
        |i| format!("calendars[{i}].id"),
    );
    let calendars = raw
        .calendars
        .iter()
        .enumerate()
        .map(|(ci, c)| calendar(cx, ci, c))
        .collect();
    (cal_ix, calendars)
}

/// One calendar, `calendars[ci]`.
fn calendar(cx: &mut Ctx, ci: usize, c: &RawCalendar) -> CalendarRules {
    let origin = cx.origin;
    let p = format!("calendars[{ci}]");
    let mut weekly = Vec::new();
    for (si, s) in c.weekly.iter().enumerate() {
        if s.days.is_empty() {
            cx.err(format!("{p}.weekly[{si}].days"), "shift has no days");
        }
        for (di, d) in s.days.iter().enumerate() {
            match weekday(d) {
                Some(w) => weekly.push(WeeklyShift {
                    weekday: w,
                    from: s.from.0,
                    to: s.to.0,
                }),
                None => cx.err(
                    format!("{p}.weekly[{si}].days[{di}]"),
                    format!("`{d}` is not a weekday (mon, tue, wed, thu, fri, sat, sun)"),
                ),
            }
        }
        if s.from.0 == 24 * 60 {
            cx.err(
                format!("{p}.weekly[{si}].from"),
                "a shift cannot start at 24:00",
            );
        }
    }
    let mut holidays = Vec::new();
    for (hi, h) in c.holidays.iter().enumerate() {
        let to = h.to.map_or(h.from.0, |t| t.0);
        if to < h.from.0 {
            cx.err(
                format!("{p}.holidays[{hi}]"),
                "holiday ends before it starts",
            );
            continue;
        }
        let start = minutes_between(origin, h.from.0.to_datetime(jiff::civil::Time::midnight()));
        let end = minutes_between(origin, to.to_datetime(jiff::civil::Time::midnight())) + DAY;
        holidays.push((start, end));
    }
    let mut overtime = Vec::new();
    for (oi, o) in c.overtime.iter().enumerate() {
        let (a, b) = (cx.instant(o.from), cx.instant(o.to));
        if b <= a {
            cx.err(
                format!("{p}.overtime[{oi}]"),
                "interval is empty or ends before it starts",
            );
        }
        overtime.push((a, b));
    }
    if c.weekly.is_empty() {
        cx.err(
            format!("{p}.weekly"),
            format!("calendar `{}` has no weekly working time", c.id),
        );
    }
    CalendarRules {
        id: c.id.clone(),
        weekly,
        holidays,
        overtime,
    }
}

/// `families` and `changeovers`: the family and matrix indexes, and the matrices.
fn changeover_matrices(
    cx: &mut Ctx,
    raw: &RawInstance,
) -> (
    HashMap<String, u32>,
    HashMap<String, u32>,
    Vec<ChangeoverMatrix>,
) {
    let fam_ix = cx.index(raw.families.iter().map(String::as_str), "family", |i| {
        format!("families[{i}]")
    });
    let nf = raw.families.len();
    let co_ix = cx.index(
        raw.changeovers.iter().map(|c| c.id.as_str()),
        "changeover matrix",
        |i| format!("changeovers[{i}].id"),
    );
    let mut matrices = Vec::new();
    for (mi, c) in raw.changeovers.iter().enumerate() {
        let mut minutes = vec![vec![None; nf]; nf];
        for (a, row) in &c.matrix {
            let pa = format!("changeovers[{mi}].matrix.{a}");
            let fa = cx.lookup(&fam_ix, a, "family", pa.clone());
            for (b, d) in row {
                let pb = format!("{pa}.{b}");
                let fb = cx.lookup(&fam_ix, b, "family", pb.clone());
                let d = cx.nonneg(d.0, pb, "changeover time");
                if let (Some(fa), Some(fb)) = (fa, fb) {
                    minutes[fa as usize][fb as usize] = Some(d);
                }
            }
        }
        for (f, row) in minutes.iter_mut().enumerate() {
            row[f].get_or_insert(0);
        }
        matrices.push(ChangeoverMatrix {
            id: c.id.clone(),
            minutes,
        });
    }

    (fam_ix, co_ix, matrices)
}

/// `machines`: plant, calendar and downtime (compiled into availability), changeovers.
fn machines(
    cx: &mut Ctx,
    raw: &RawInstance,
    names: &Names,
    calendars: &[CalendarRules],
    resources: &[Resource],
    week: WeekAnchor,
) -> Vec<Machine> {
    let mut machines = Vec::new();
    for (mi, m) in raw.machines.iter().enumerate() {
        let p = format!("machines[{mi}]");
        let plant = cx
            .lookup(&names.plant, &m.plant, "plant", format!("{p}.plant"))
            .unwrap_or(0);
        let calendar = m.calendar.as_ref().and_then(|c| {
            cx.lookup(&names.calendar, c, "calendar", format!("{p}.calendar"))
                .map(|i| i as usize)
        });
        let changeovers = m.changeovers.as_ref().and_then(|c| {
            cx.lookup(
                &names.changeover,
                c,
                "changeover matrix",
                format!("{p}.changeovers"),
            )
            .map(|i| i as usize)
        });
        let initial_family = m.initial_family.as_ref().and_then(|f| {
            cx.lookup(&names.family, f, "family", format!("{p}.initial_family"))
                .map(FamilyId)
        });
        let mut downtime = Vec::new();
        for (di, d) in m.downtime.iter().enumerate() {
            let (a, b) = (cx.instant(d.from), cx.instant(d.to));
            if b <= a {
                cx.err(
                    format!("{p}.downtime[{di}]"),
                    "interval is empty or ends before it starts",
                );
            }
            downtime.push((a, b));
        }
        let rules = calendar.and_then(|c| calendars.get(c));
        let availability = match Availability::compile(rules, &downtime, week) {
            Some(a) => a,
            None => {
                // Reported at the calendar already; keep going to find more problems.
                Availability::always()
            }
        };
        let changeover_require = secondary::requirements(
            cx,
            &m.changeover_require,
            &names.resource,
            resources,
            &format!("{p}.changeover_require"),
        );
        machines.push(Machine {
            changeover_require,
            id: m.id.clone(),
            plant: PlantId(plant),
            calendar,
            downtime,
            changeovers,
            initial_family,
            availability,
        });
    }

    machines
}

/// `jobs` and their `operations`, numbered job by job (a job's operations are contiguous).
fn jobs_and_operations(
    cx: &mut Ctx,
    raw: &RawInstance,
    names: &Names,
    machines: &[Machine],
    resources: &[Resource],
) -> (Vec<Job>, Vec<Operation>) {
    // Reports empty and duplicate job ids; nothing in an instance refers to a job by name, so
    // the map itself is not kept.
    cx.index(raw.jobs.iter().map(|j| j.id.as_str()), "job", |i| {
        format!("jobs[{i}].id")
    });
    let mut jobs = Vec::new();
    let mut ops = Vec::new();
    for (ji, j) in raw.jobs.iter().enumerate() {
        let p = format!("jobs[{ji}]");
        let release = j.release.map_or(0, |r| cx.instant(r));
        let due = j.due.map(|d| cx.instant(d));
        let deadline = j.deadline.map(|d| cx.instant(d));
        if let Some(d) = deadline {
            if d < release {
                cx.err(format!("{p}.deadline"), "deadline is before the release");
            }
        }
        let weight = j.weight.unwrap_or(1.0);
        if !weight.is_finite() || weight < 0.0 {
            cx.err(
                format!("{p}.weight"),
                format!("weight must be a number ≥ 0, got {weight}"),
            );
        }
        let job_family = j.family.as_ref().and_then(|f| {
            cx.lookup(&names.family, f, "family", format!("{p}.family"))
                .map(FamilyId)
        });
        if j.operations.is_empty() {
            cx.err(
                format!("{p}.operations"),
                "empty routing: a job needs at least one operation",
            );
        }
        let first_op = ops.len() as u32;
        let mut seen = BTreeSet::new();
        for (oi, o) in j.operations.iter().enumerate() {
            let op_path = format!("{p}.operations[{oi}]");
            if !seen.insert(o.id.as_str()) {
                cx.err(
                    format!("{op_path}.id"),
                    format!("duplicate operation id `{}` in job `{}`", o.id, j.id),
                );
            }
            let op = operation(
                cx,
                names,
                machines,
                resources,
                (ji, &op_path),
                release,
                job_family,
                (oi, o),
            );
            ops.push(op);
        }
        if let Some(q) = j.quantity {
            if !q.is_finite() || q <= 0.0 {
                cx.err(
                    format!("{p}.quantity"),
                    format!("quantity must be a number > 0, got {q}"),
                );
            }
        }
        let produce = secondary::quantities(cx, &j.produce, &names.item, &format!("{p}.produce"));
        jobs.push(Job {
            produce,
            id: j.id.clone(),
            release,
            due,
            deadline,
            weight,
            quantity: j.quantity,
            first_op,
            op_count: j.operations.len() as u32,
        });
    }

    (jobs, ops)
}

/// One operation, `jobs[ji].operations[oi]`.
#[allow(clippy::too_many_arguments)]
fn operation(
    cx: &mut Ctx,
    names: &Names,
    machines: &[Machine],
    resources: &[Resource],
    (ji, op_path): (usize, &str),
    release: Minute,
    job_family: Option<FamilyId>,
    (oi, o): (usize, &RawOperation),
) -> Operation {
    let origin = cx.origin;
    let family = match &o.family {
        Some(f) => cx
            .lookup(&names.family, f, "family", format!("{op_path}.family"))
            .map(FamilyId),
        None => job_family,
    };
    let (modes, no_machines) = modes(cx, names, machines, o, op_path);
    let pinned = o.pinned.as_ref().and_then(|pin| {
                let pp = format!("{op_path}.pinned");
                let m = cx.lookup(&names.machine, &pin.machine, "machine", format!("{pp}.machine"))?;
                let start = cx.instant(pin.start);
                if !modes.iter().any(|x| x.machine.0 == m) && !no_machines {
                    cx.err(
                        format!("{pp}.machine"),
                        format!(
                            "pinned to `{}`, which is not among the operation's machines",
                            pin.machine
                        ),
                    );
                    return None;
                }
                if start < 0 {
                    cx.err(
                        format!("{pp}.start"),
                        "pinned start is before the horizon start",
                    );
                } else if start < release {
                    cx.err(
                        format!("{pp}.start"),
                        "pinned start is before the job's release",
                    );
                } else {
                    let av = &machines[m as usize].availability;
                    if !av.is_working(start) {
                        let next = av.next_working(start);
                        cx.err(
                            format!("{pp}.start"),
                            format!(
                                "pinned start {} is not working time on machine `{}` (next working instant: {})",
                                crate::model::time::format_datetime(crate::model::time::datetime_at(origin, start)),
                                pin.machine,
                                crate::model::time::format_datetime(crate::model::time::datetime_at(origin, next)),
                            ),
                        );
                    }
                }
                Some(Pin {
                    machine: MachineId(m),
                    start,
                })
            });
    let not_before = o.not_before.map(|t| cx.instant(t));
    if let (Some(nb), Some(pin)) = (not_before, pinned) {
        if pin.start < nb {
            cx.err(
                format!("{op_path}.pinned.start"),
                "pinned start is before the operation's `not_before`",
            );
        }
    }
    let require = secondary::requirements(
        cx,
        &o.require,
        &names.resource,
        resources,
        &format!("{op_path}.require"),
    );
    let consume = secondary::quantities(cx, &o.consume, &names.item, &format!("{op_path}.consume"));
    Operation {
        require,
        consume,
        id: o.id.clone(),
        job: JobId(ji as u32),
        index: oi as u32,
        family,
        modes,
        atomic: o.atomic,
        pinned,
        not_before,
    }
}

/// The machines an operation may run on, with its duration on each (`machines`, `duration`);
/// also whether it lists no machine at all.
fn modes(
    cx: &mut Ctx,
    names: &Names,
    machines: &[Machine],
    o: &RawOperation,
    op_path: &str,
) -> (Vec<Mode>, bool) {
    let entries: Vec<(String, String, i64)> = match (&o.machines, o.duration) {
        (RawEligible::WithDurations(v), None) => v
            .iter()
            .map(|(m, d)| (m.clone(), format!("{op_path}.machines.{m}"), d.0))
            .collect(),
        (RawEligible::WithDurations(_), Some(_)) => {
            cx.err(
                format!("{op_path}.duration"),
                "give durations per machine or `duration` with a list of machines, not both",
            );
            Vec::new()
        }
        (RawEligible::List(v), Some(d)) => v
            .iter()
            .enumerate()
            .map(|(k, m)| (m.clone(), format!("{op_path}.machines[{k}]"), d.0))
            .collect(),
        (RawEligible::List(v), None) if v.is_empty() => Vec::new(),
        (RawEligible::List(_), None) => {
            cx.err(
                        format!("{op_path}.duration"),
                        "machines are listed without durations: add `duration` or write `machines: {M: 2h}`",
                    );
            Vec::new()
        }
    };
    let no_machines = match &o.machines {
        RawEligible::WithDurations(v) => v.is_empty(),
        RawEligible::List(v) => v.is_empty(),
    };
    if no_machines {
        cx.err(
            format!("{op_path}.machines"),
            "operation has no eligible machine",
        );
    }
    let mut modes: Vec<Mode> = Vec::new();
    for (name, path, d) in entries {
        let dur_path = if o.duration.is_some() {
            format!("{op_path}.duration")
        } else {
            path.clone()
        };
        let d = cx.nonneg(d, dur_path.clone(), "duration");
        if let Some(m) = cx.lookup(&names.machine, &name, "machine", path.clone()) {
            let m = MachineId(m);
            if modes.iter().any(|x| x.machine == m) {
                cx.err(path, format!("machine `{name}` is listed twice"));
                continue;
            }
            if o.atomic {
                let longest = machines[m.idx()].availability.longest_recurring_interval();
                if d > longest {
                    cx.err(
                                dur_path,
                                format!(
                                    "atomic operation of {d} min can never fit in one working interval of machine `{name}` (longest is {longest} min)"
                                ),
                            );
                }
            }
            modes.push(Mode {
                machine: m,
                duration: d,
            });
        }
    }
    (modes, no_machines)
}

/// Cross-plant moves a routing can need must have a transfer time.
fn check_transfers(
    cx: &mut Ctx,
    jobs: &[Job],
    ops: &[Operation],
    machines: &[Machine],
    transfer: &[Vec<Option<Minute>>],
    plants: &[Plant],
) {
    let mut missing_transfer = BTreeSet::new();
    for (ji, j) in jobs.iter().enumerate() {
        for k in 1..j.op_count as usize {
            let (a, b) = (
                &ops[j.first_op as usize + k - 1],
                &ops[j.first_op as usize + k],
            );
            for ma in &a.modes {
                for mb in &b.modes {
                    let (pa, pb) = (
                        machines[ma.machine.idx()].plant,
                        machines[mb.machine.idx()].plant,
                    );
                    if pa != pb
                        && transfer[pa.idx()][pb.idx()].is_none()
                        && missing_transfer.insert((pa, pb))
                    {
                        cx.err(
                            format!("jobs[{ji}].operations[{k}].machines"),
                            format!(
                                "no transfer time from plant `{}` to `{}`, which this routing can need (add it under `transfers`)",
                                plants[pa.idx()].id, plants[pb.idx()].id
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// Every changeover pair a machine can meet must be in its matrix.
fn check_changeover_pairs(
    cx: &mut Ctx,
    raw: &RawInstance,
    machines: &[Machine],
    ops: &[Operation],
    matrices: &[ChangeoverMatrix],
) {
    let mut missing_pair = BTreeSet::new();
    for (mi, m) in machines.iter().enumerate() {
        let Some(c) = m.changeovers else { continue };
        let to: BTreeSet<FamilyId> = ops
            .iter()
            .filter(|o| o.modes.iter().any(|x| x.machine.idx() == mi))
            .filter_map(|o| o.family)
            .collect();
        let mut from = to.clone();
        from.extend(m.initial_family);
        for &a in &from {
            for &b in &to {
                if matrices[c].minutes[a.idx()][b.idx()].is_none() && missing_pair.insert((c, a, b))
                {
                    cx.err(
                        format!("changeovers[{c}].matrix"),
                        format!(
                            "changeover matrix `{}` has no time from family `{}` to `{}`, which machine `{}` can need",
                            matrices[c].id, raw.families[a.idx()], raw.families[b.idx()], m.id
                        ),
                    );
                }
            }
        }
    }
}

/// `objective`: the weights by term name; the documented default when absent.
fn objective(cx: &mut Ctx, raw: &RawInstance, jobs: &[Job]) -> ObjectiveWeights {
    let mut objective = ObjectiveWeights::default();
    match &raw.objective {
        Some(terms) => {
            if terms.is_empty() {
                cx.err("objective", "objective has no terms");
            }
            for (name, w) in terms {
                match objective.get_mut(name) {
                    Some(slot) => {
                        if !w.is_finite() || *w < 0.0 {
                            cx.err(
                                format!("objective.{name}"),
                                format!("weight must be a number ≥ 0, got {w}"),
                            );
                        }
                        *slot = *w;
                    }
                    None => cx.err(
                        format!("objective.{name}"),
                        format!(
                            "unknown objective term `{name}` (known: {})",
                            ObjectiveWeights::TERMS.join(", ")
                        ),
                    ),
                }
            }
        }
        None => {
            // The documented default: weighted tardiness if any job has a due date, else makespan.
            if jobs.iter().any(|j| j.due.is_some()) {
                objective.weighted_tardiness = 1.0;
            } else {
                objective.makespan = 1.0;
            }
        }
    }

    objective
}
