//! The referee against the decoder on random tiny instances with secondary resources and a
//! material: every schedule the decoder produces passes the referee, and moving an operation
//! into another's hold of a capacity-1 resource is caught.
//!
//! Instances: one to three machines (always working, day or night calendar, changeovers that may
//! need a setter), a crew whose capacity varies by shift (with an optional calendar and a dated
//! exception), two molds of capacity 1 as alternatives, and one item with stock, a receipt and a
//! producing job. The decoder may refuse a sequence (`MaterialShortage`, `ResourceUnavailable`);
//! those are skipped, but most must decode.

mod common;
use common::{fixed_iterations, random_sequence, show};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::fmt::Write;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};
use takt::check::{check, Rule};
use takt::eval::{DecodeError, Decoder, Sequence};
use takt::model::{parse_instance, MachineId, OpId, Problem, ResourceId};
use takt::schedule::Schedule;

/// A random instance and its YAML (for failure messages).
fn instance(seed: u64) -> (Problem, String) {
    let mut r = StdRng::seed_from_u64(seed);
    let mut y = String::new();
    writeln!(y, "name: secondary-{seed}").unwrap();
    let start = if r.random_bool(0.5) {
        "2026-11-23T06:00"
    } else {
        "2026-11-25T13:30"
    };
    writeln!(y, "horizon: {{start: {start}}}").unwrap();
    writeln!(y, "objective: {{makespan: 1, weighted_tardiness: 1}}").unwrap();
    writeln!(y, "plants: [{{id: p}}]").unwrap();
    writeln!(y, "calendars:").unwrap();
    writeln!(
        y,
        "  - {{id: day, weekly: [{{days: [mon, tue, wed, thu, fri], from: \"06:00\", to: \"18:00\"}}], holidays: [{{from: 2026-11-26, to: 2026-11-26}}]}}"
    )
    .unwrap();
    writeln!(
        y,
        "  - {{id: night, weekly: [{{days: [sun, mon, tue, wed, thu], from: \"22:00\", to: \"06:00\"}}, {{days: [sat], from: \"10:00\", to: \"10:00\"}}]}}"
    )
    .unwrap();
    writeln!(y, "families: [a, b]").unwrap();
    writeln!(
        y,
        "changeovers: [{{id: ab, matrix: {{a: {{b: {}}}, b: {{a: {}}}}}}}]",
        r.random_range(1..40),
        r.random_range(1..40)
    )
    .unwrap();

    // The crew: a base capacity, shifts, maybe a calendar and an exception.
    writeln!(y, "resources:").unwrap();
    let mut crew = vec!["id: crew".to_string()];
    let mut crew_max = 0;
    let mut late = 1;
    if r.random_bool(0.7) {
        let early = r.random_range(1..3);
        late = r.random_range(0..2);
        crew_max = early;
        crew.push(format!(
            "shifts: [{{days: [mon, tue, wed, thu, fri], from: \"06:00\", to: \"14:00\", capacity: {early}}}, {{days: [mon, tue, wed, thu, fri, sat, sun], from: \"22:00\", to: \"06:00\", capacity: {late}}}]"
        ));
    }
    let base = r.random_range(if crew_max == 0 { 1 } else { 0 }..3);
    crew.push(format!("capacity: {base}"));
    let crew_day = r.random_bool(0.3);
    if crew_day {
        crew.push("calendar: day".into());
    }
    // A crew never available while the machine works makes no schedule at all (see
    // `decoder_gives_up_when_a_resource_never_meets_the_machine`): keep it available at some
    // minute the night calendar works, so that schedules exist to check.
    let crew_at_night = !crew_day && (base > 0 || late > 0);
    if r.random_bool(0.4) {
        let a = r.random_range(0..3000);
        crew.push(format!(
            "exceptions: [{{from: {a}, to: {}, capacity: {}}}]",
            a + r.random_range(30..600),
            r.random_range(0..3)
        ));
    }
    writeln!(y, "  - {{{}}}", crew.join(", ")).unwrap();
    writeln!(y, "  - {{id: mold-A, capacity: 1}}").unwrap();
    writeln!(y, "  - {{id: mold-B, capacity: 1}}").unwrap();
    let setter_day = r.random_bool(0.3);
    let setter_calendar = if setter_day { ", calendar: day" } else { "" };
    writeln!(y, "  - {{id: setter, capacity: 1{setter_calendar}}}").unwrap();

    let n_m = r.random_range(1..=3);
    writeln!(y, "machines:").unwrap();
    for m in 0..n_m {
        let mut f = vec![format!("id: M{m}"), "plant: p".to_string()];
        // M0 always works, so that mutations can move its operations freely.
        let mut night = false;
        if m > 0 {
            match r.random_range(0..3) {
                0 => f.push("calendar: day".into()),
                1 if crew_at_night => {
                    f.push("calendar: night".into());
                    night = true;
                }
                _ => {}
            }
        }
        if r.random_bool(0.6) {
            f.push("changeovers: ab".into());
            f.push(format!(
                "initial_family: {}",
                ["a", "b"][r.random_range(0..2)]
            ));
            if !(night && setter_day) && r.random_bool(0.6) {
                f.push("changeover_require: [{resource: setter}]".into());
            }
        }
        writeln!(y, "  - {{{}}}", f.join(", ")).unwrap();
    }

    let n_j = r.random_range(1..=4);
    let mut demand = 0;
    let mut produced = 0;
    let mut jobs = String::new();
    for j in 0..n_j {
        writeln!(jobs, "  - id: J{j}").unwrap();
        writeln!(jobs, "    release: {}", r.random_range(0..600)).unwrap();
        writeln!(jobs, "    due: {}", r.random_range(0..3000)).unwrap();
        if r.random_bool(0.5) {
            writeln!(jobs, "    family: {}", ["a", "b"][r.random_range(0..2)]).unwrap();
        }
        if r.random_bool(0.3) {
            let q = r.random_range(1..6);
            produced += q;
            writeln!(jobs, "    produce: {{steel: {q}}}").unwrap();
        }
        writeln!(jobs, "    operations:").unwrap();
        for o in 0..r.random_range(1..=3) {
            let k = r.random_range(1..=n_m.min(2));
            let first = r.random_range(0..n_m);
            let ms: Vec<String> = (0..k)
                .map(|i| {
                    // No zero durations: zero-length operations tied at one instant make the
                    // decoder and the referee disagree on the family before (reported apart).
                    let d = r.random_range(1..150);
                    format!("M{}: {d}", (first + i) % n_m)
                })
                .collect();
            let mut extra = String::new();
            if r.random_bool(0.2) {
                extra += ", atomic: true";
            }
            let mut req = Vec::new();
            if r.random_bool(0.5) {
                req.push("{resource: crew}");
            }
            match r.random_range(0..5) {
                0 | 1 => req.push("{one_of: [mold-A, mold-B]}"),
                2 => req.push("{resource: mold-A}"),
                _ => {}
            }
            if !req.is_empty() {
                extra += &format!(", require: [{}]", req.join(", "));
            }
            if r.random_bool(0.4) {
                let q = r.random_range(1..6);
                demand += q;
                extra += &format!(", consume: {{steel: {q}}}");
            }
            writeln!(
                jobs,
                "      - {{id: o{o}, machines: {{{}}}{extra}}}",
                ms.join(", ")
            )
            .unwrap();
        }
    }
    let stock = r.random_range(0..8);
    let short = (demand - stock - produced).max(0);
    writeln!(
        y,
        "items: [{{id: steel, stock: {stock}, receipts: [{{at: {}, qty: {}}}]}}]",
        r.random_range(0..2000),
        short + r.random_range(1..4)
    )
    .unwrap();
    writeln!(y, "jobs:").unwrap();
    y += &jobs;
    let p = parse_instance(&y, "secondary.yaml")
        .unwrap_or_else(|e| panic!("generator wrote a bad instance:\n{e}\n{y}"));
    (p, y)
}

/// A random sequence, with random decoding priorities half of the time.
fn sequence(p: &Problem, seed: u64) -> Sequence {
    let mut seq = random_sequence(p, seed);
    let mut r = StdRng::seed_from_u64(seed ^ 0x5eed);
    if r.random_bool(0.5) {
        let mut prio: Vec<u32> = (0..p.ops().len() as u32).collect();
        for i in (1..prio.len()).rev() {
            prio.swap(i, r.random_range(0..=i));
        }
        seq.priority = prio;
    }
    seq
}

/// The schedule's rows, for failure messages.
fn rows(p: &Problem, s: &Schedule) -> String {
    let mut out = String::new();
    for e in &s.ops {
        let c = s.resources.get(&e.op);
        writeln!(
            out,
            "  {} on {}: setup_start {:?}, [{}, {}), resources {:?}",
            p.op_name(e.op),
            p.machine(e.machine).id,
            e.setup_start,
            e.start,
            e.end,
            c
        )
        .unwrap();
    }
    out
}

/// The resources an operation holds in `s` (its requirements, resolved as the referee does).
fn held(p: &Problem, s: &Schedule, o: OpId) -> Vec<ResourceId> {
    let req = &p.op(o).require;
    match s.resources.get(&o).filter(|c| !c.require.is_empty()) {
        Some(c) => c.require.clone(),
        None => req
            .iter()
            .filter(|r| r.options.len() == 1)
            .map(|r| r.options[0])
            .collect(),
    }
}

const INSTANCES: u64 = 2000;
const SEQUENCES: u64 = 6;

/// Runs `body` in a thread that reports what it is about to do through its argument; fails naming
/// the last step when a step takes longer than `limit` (a hang fails the test, not the run).
fn with_watchdog(limit: Duration, body: impl FnOnce(&dyn Fn(String)) + Send + 'static) {
    let (tx, rx) = mpsc::channel::<Option<String>>();
    let worker = thread::spawn(move || {
        let progress = |step: String| {
            let _ = tx.send(Some(step));
        };
        body(&progress);
        let _ = tx.send(None);
    });
    let mut last = String::from("the start");
    loop {
        match rx.recv_timeout(limit) {
            Ok(Some(step)) => last = step,
            Ok(None) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => panic!("no progress for {limit:?} after {last}"),
        }
    }
    if let Err(e) = worker.join() {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn decoded_schedules_with_resources_and_materials_pass_the_referee() {
    with_watchdog(Duration::from_secs(60), decoded_schedules_pass);
}

fn decoded_schedules_pass(progress: &dyn Fn(String)) {
    let (mut decoded, mut refused, mut with_choice, mut with_setup_resource) = (0, 0, 0, 0);
    for seed in 0..INSTANCES {
        let (p, yaml) = instance(seed);
        let mut dec = Decoder::new(&p);
        for k in 0..SEQUENCES {
            let sseed = seed * 1000 + k;
            let seq = sequence(&p, sseed);
            progress(format!("decoding seed {seed}/{sseed}: {seq:?}\n{yaml}"));
            match dec.decode(&p, &seq) {
                Ok(()) => {}
                Err(
                    DecodeError::MaterialShortage { .. } | DecodeError::ResourceUnavailable { .. },
                ) => {
                    refused += 1;
                    continue;
                }
                Err(e) => panic!("seed {seed}/{sseed}: {e}\n{yaml}"),
            }
            decoded += 1;
            let s = dec.to_schedule(&p, &seq);
            if s.resources.values().any(|c| !c.require.is_empty()) {
                with_choice += 1;
            }
            if s.resources.values().any(|c| !c.changeover.is_empty()) {
                with_setup_resource += 1;
            }
            let v = check(&p, &s);
            assert!(
                v.is_empty(),
                "seed {seed}/{sseed}: the referee rejects a decoded schedule:{}\nsequence: {seq:?}\nschedule:\n{}\n{yaml}",
                show(&v),
                rows(&p, &s)
            );
        }
    }
    eprintln!(
        "decoded {decoded}, refused {refused}; {with_choice} with resource choices, {with_setup_resource} with changeover resources"
    );
    let total = INSTANCES * SEQUENCES;
    assert!(decoded * 2 > total, "only {decoded} of {total} decode");
    assert!(with_choice > 100 && with_setup_resource > 20);
}

/// Moving an operation (on an always-working machine) to start where another operation holds the
/// same capacity-1 mold must give a `resource_capacity` violation naming that mold.
#[test]
fn moving_an_operation_into_a_busy_mold_is_caught() {
    with_watchdog(Duration::from_secs(60), mutation_is_caught);
}

fn mutation_is_caught(progress: &dyn Fn(String)) {
    let mut mutated = 0;
    for seed in 0..INSTANCES {
        let (p, yaml) = instance(seed);
        let mut dec = Decoder::new(&p);
        let seq = sequence(&p, seed);
        progress(format!("decoding seed {seed}: {seq:?}\n{yaml}"));
        if dec.decode(&p, &seq).is_err() {
            continue;
        }
        let s = dec.to_schedule(&p, &seq);
        let always = p.machine_by_id("M0").unwrap();
        let molds = [
            p.resource_by_id("mold-A").unwrap(),
            p.resource_by_id("mold-B").unwrap(),
        ];
        // (x, moved to start where y starts, and the mold both hold)
        let pair = s.ops.iter().enumerate().find_map(|(xi, x)| {
            if x.machine != always || x.end <= x.start {
                return None;
            }
            let xs = held(&p, &s, x.op);
            s.ops.iter().enumerate().find_map(|(yi, y)| {
                let shared = held(&p, &s, y.op)
                    .into_iter()
                    .find(|r| molds.contains(r) && xs.contains(r))?;
                (yi != xi && y.end > y.start && y.start != x.start).then_some((xi, yi, shared))
            })
        });
        let Some((xi, yi, mold)) = pair else { continue };
        let mut m = s.clone();
        let delta = s.ops[yi].start - s.ops[xi].start;
        let x = &mut m.ops[xi];
        x.start += delta;
        x.end += delta;
        x.setup_start = x.setup_start.map(|t| t + delta);
        let v = check(&p, &m);
        let name = &p.resources()[mold.idx()].id;
        assert!(
            v.iter().any(|v| v.rule == Rule::ResourceCapacity
                && v.message.contains(&format!("resource {name}:"))
                && v.amount == Some(1)),
            "seed {seed}: moving {} onto {} went unnoticed:{}\n{yaml}",
            p.op_name(s.ops[xi].op),
            p.op_name(s.ops[yi].op),
            show(&v)
        );
        mutated += 1;
    }
    eprintln!("{mutated} mutations caught");
    assert!(
        mutated > 30,
        "only {mutated} instances had a pair to mutate"
    );
}

/// The solvers' schedules (dispatch rules, then a short local search with a fixed iteration
/// budget) pass the referee.
#[test]
fn solver_schedules_with_resources_and_materials_pass_the_referee() {
    with_watchdog(Duration::from_secs(60), solver_schedules_pass);
}

fn solver_schedules_pass(progress: &dyn Fn(String)) {
    use takt::solve::search::search;
    let (mut solved, mut failed) = (0, 0);
    for seed in 0..200 {
        let (p, yaml) = instance(seed);
        progress(format!("solving seed {seed}\n{yaml}"));
        let cfg = fixed_iterations(200, 1, seed);
        let Ok(out) = search(&p, &cfg) else {
            failed += 1;
            continue;
        };
        let s = out.result.schedule;
        let v = check(&p, &s);
        assert!(
            v.is_empty(),
            "seed {seed}: the referee rejects the search's schedule:{}\nschedule:\n{}\n{yaml}",
            show(&v),
            rows(&p, &s)
        );
        solved += 1;
    }
    eprintln!("solved {solved}, no schedule for {failed}");
    assert!(solved > 150, "only {solved} of 200 solved");
}

/// 2,000 operations on 20 machines sharing a shift-dependent crew (with a calendar and an
/// exception), ten molds as alternatives, a setter for changeovers and one item with receipts
/// and production: the decoded schedule passes the referee, quickly.
#[test]
fn large_decoded_schedule_with_resources_checks_fast() {
    let (machines, jobs, ops_per_job) = (20, 200, 10);
    let mut y = String::from(
        r#"name: large-secondary
horizon: {start: 2026-11-25T13:00}
plants: [{id: p}]
calendars:
  - {id: two-shift, weekly: [{days: [mon, tue, wed, thu, fri], from: "06:00", to: "22:00"}, {days: [sat], from: "22:00", to: "04:00"}], holidays: [{from: 2026-12-08, to: 2026-12-08}]}
families: [f0, f1, f2]
changeovers: [{id: c, matrix: {f0: {f1: 15, f2: 20}, f1: {f0: 25, f2: 10}, f2: {f0: 5, f1: 30}}}]
resources:
  - id: crew
    capacity: 4
    shifts:
      - {days: [mon, tue, wed, thu, fri], from: "06:00", to: "14:00", capacity: 12}
      - {days: [mon, tue, wed, thu, fri], from: "14:00", to: "22:00", capacity: 8}
    exceptions: [{from: 2026-12-01T06:00, to: 2026-12-01T14:00, capacity: 5}]
  - {id: setter, capacity: 2}
"#,
    );
    for k in 0..10 {
        y += &format!("  - {{id: mold-{k}, capacity: 1}}\n");
    }
    y += "items: [{id: steel, stock: 100, receipts: [{at: 2026-11-27T08:00, qty: 400}, {at: 2026-12-02T08:00, qty: 400}]}]\n";
    y += "machines:\n";
    for m in 0..machines {
        let cal = if m % 2 == 0 {
            ", calendar: two-shift"
        } else {
            ""
        };
        y += &format!(
            "  - {{id: M{m}, plant: p{cal}, changeovers: c, initial_family: f{}, changeover_require: [{{resource: setter}}]}}\n",
            m % 3
        );
    }
    y += "jobs:\n";
    for j in 0..jobs {
        y += &format!("  - id: J{j}\n");
        if j % 10 == 0 {
            y += "    produce: {steel: 20}\n";
        }
        y += "    operations:\n";
        for k in 0..ops_per_job {
            let d = 30 + (j * 7 + k * 13) % 90;
            let (a, b) = ((j + k) % machines, (j + k + 7) % machines);
            let fam = (j * 3 + k) % 3;
            let mut req = vec!["{resource: crew}".to_string()];
            if k % 3 == 0 {
                let m0 = (j + k) % 10;
                req.push(format!("{{one_of: [mold-{m0}, mold-{}]}}", (m0 + 1) % 10));
            }
            let consume = if k == 0 { ", consume: {steel: 2}" } else { "" };
            y += &format!(
                "      - {{id: o{k}, machines: {{M{a}: {d}, M{b}: {}}}, family: f{fam}, require: [{}]{consume}}}\n",
                d / 2,
                req.join(", ")
            );
        }
    }
    with_watchdog(Duration::from_secs(120), move |progress| {
        let p = parse_instance(&y, "large-secondary.yaml").unwrap();
        assert_eq!(p.ops().len(), 2000);
        let seq = random_sequence(&p, 7);
        progress("decoding".into());
        let t0 = Instant::now();
        let mut dec = Decoder::new(&p);
        dec.decode(&p, &seq).unwrap();
        let decoding = t0.elapsed();
        let s = dec.to_schedule(&p, &seq);
        assert_eq!(s.ops.len(), 2000);
        assert!(s.resources.len() >= 2000 && s.ops.iter().any(|e| e.setup_start.is_some()));
        let makespan = s.ops.iter().map(|e| e.end).max().unwrap();
        progress("checking".into());
        let t0 = Instant::now();
        let v = check(&p, &s);
        let took = t0.elapsed();
        eprintln!(
            "decoded in {decoding:?} (makespan {makespan} min); referee: 2000 operations with resources checked in {took:?}"
        );
        assert!(
            v.is_empty(),
            "{} violations:{}",
            v.len(),
            show(&v[..v.len().min(10)])
        );
        assert!(took.as_secs_f64() < 2.0, "took {took:?}");
    });
}

/// A decoder bug these tests found (it looped for ever): an operation whose machine works only
/// at night needs a crew that works only by day (or its changeover needs such a setter), so no
/// start ever fits. The decoder must give up with `DecodeError::ResourceUnavailable`.
#[test]
fn decoder_gives_up_when_a_resource_never_meets_the_machine() {
    const COMMON: &str = r#"
name: never-meets
horizon: {start: 2026-11-23T06:00}
plants: [{id: p}]
calendars:
  - {id: day, weekly: [{days: [mon, tue, wed, thu, fri], from: "06:00", to: "18:00"}]}
  - {id: night, weekly: [{days: [sun, mon, tue, wed, thu], from: "22:00", to: "06:00"}]}
families: [a, b]
changeovers: [{id: ab, matrix: {a: {b: 10}, b: {a: 10}}}]
resources:
  - {id: crew, capacity: 1, calendar: day}
"#;
    let operation = format!(
        "{COMMON}machines:\n  - {{id: M1, plant: p, calendar: night}}\n\
         jobs:\n  - {{id: J, operations: [{{id: o, machines: {{M1: 60}}, require: [{{resource: crew}}]}}]}}\n"
    );
    let changeover = format!(
        "{COMMON}machines:\n  - {{id: M1, plant: p, calendar: night, changeovers: ab, initial_family: a, changeover_require: [{{resource: crew}}]}}\n\
         jobs:\n  - {{id: J, family: b, operations: [{{id: o, machines: {{M1: 60}}}}]}}\n"
    );
    for y in [operation, changeover] {
        with_watchdog(Duration::from_secs(10), move |progress| {
            let p = parse_instance(&y, "never-meets.yaml").unwrap();
            let seq = Sequence::new(vec![MachineId(0)], vec![vec![OpId(0)]]);
            progress(format!("decoding\n{y}"));
            let r = Decoder::new(&p).decode(&p, &seq);
            assert!(
                matches!(r, Err(DecodeError::ResourceUnavailable { .. })),
                "{r:?}\n{y}"
            );
        });
    }
}
