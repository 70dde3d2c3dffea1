//! The referee against hand-computed fixtures: a valid schedule that is not left-justified, then
//! one schedule per rule that breaks exactly that rule (tests/fixtures/check/<rule>.csv|.yaml).

mod common;
use common::show;

use std::path::{Path, PathBuf};
use std::time::Instant;
use takt::check::calendar::first_monday;
use takt::check::{check, Rule, Violation};
use takt::model::{load_instance, parse_instance, Minute, OpId, Problem};
use takt::schedule::{parse_schedule, read_schedule, Format, Schedule, ScheduledOp};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(name)
}

fn instance() -> Problem {
    load_instance(&fixture("instance.yaml")).expect("fixture instance is valid")
}

fn schedule(p: &Problem, name: &str) -> Schedule {
    read_schedule(p, &fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn op(p: &Problem, job: &str, op: &str) -> OpId {
    p.op_by_id(p.job_by_id(job).unwrap(), op).unwrap()
}

#[test]
fn valid_schedule_has_no_violation() {
    let p = instance();
    let s = schedule(&p, "valid.csv");
    assert_eq!(s.ops.len(), p.ops().len());
    let v = check(&p, &s);
    assert!(v.is_empty(), "unexpected violations:{}", show(&v));

    // It is not left-justified: WO-1001/mill's changeover could start right when WO-1002/mill
    // ends (minute 180, working time), but starts at 200.
    let mill = s
        .ops
        .iter()
        .find(|e| e.op == op(&p, "WO-1001", "mill"))
        .unwrap();
    let pinned = s
        .ops
        .iter()
        .find(|e| e.op == op(&p, "WO-1002", "mill"))
        .unwrap();
    assert_eq!((pinned.end, mill.setup_start), (180, Some(200)));
}

/// (rule, operation at fault, machine named in the message, amount in minutes)
const EXPECTED: [(Rule, &str, Option<&str>, Option<Minute>); 13] = [
    (Rule::Missing, "WO-1005/deburr", None, None),
    (Rule::Duplicate, "WO-1001/mill", Some("S-CNC1"), None),
    (Rule::NotEligible, "WO-1005/deburr", Some("S-PAINT"), None),
    // ends 30 working min early: 270 of 300 min.
    (Rule::Duration, "WO-1003/drill", Some("N-CNC1"), Some(30)),
    // starts Friday 22:00, 8 h before the Saturday overtime.
    (Rule::Calendar, "WO-1004/finish", Some("S-CNC1"), Some(480)),
    // [800, 890) runs into the downtime from 840.
    (Rule::Atomic, "WO-1001/paint", Some("S-PAINT"), Some(50)),
    // starts at 3660, release 3690.
    (Rule::Release, "WO-1004/mill", Some("N-CNC1"), Some(30)),
    // starts 600; mill ends 365 + 240 min transfer north -> south = 605.
    (Rule::Precedence, "WO-1001/paint", Some("S-PAINT"), Some(5)),
    // starts 300 while WO-1001/mill runs to 365.
    (Rule::Overlap, "WO-1005/deburr", Some("N-CNC1"), Some(65)),
    // steel -> alu takes 45 min, [215, 245) holds 30.
    (Rule::Changeover, "WO-1001/mill", Some("N-CNC1"), Some(15)),
    (Rule::Pinned, "WO-1002/mill", Some("N-CNC1"), Some(10)),
    // completes 1290, deadline 960.
    (Rule::Deadline, "WO-1001/paint", None, Some(330)),
    // changeover [-10, 20).
    (Rule::BeforeHorizon, "WO-1006/cut", Some("N-SAW"), Some(10)),
];

#[test]
fn each_fixture_breaks_exactly_its_rule() {
    let p = instance();
    for rule in Rule::ALL {
        let Some(&(_, name, machine, amount)) = EXPECTED.iter().find(|e| e.0 == rule) else {
            // The secondary-resource and material rules have their own instance.
            assert!(
                SECONDARY
                    .iter()
                    .any(|c| c.file == format!("{}.csv", rule.code())),
                "no fixture for rule {rule}"
            );
            continue;
        };
        let file = ["csv", "yaml"]
            .iter()
            .map(|ext| format!("{}.{ext}", rule.code()))
            .find(|f| fixture(f).exists())
            .unwrap_or_else(|| panic!("no fixture for rule {rule}"));
        let v = check(&p, &schedule(&p, &file));
        assert_eq!(
            v.len(),
            1,
            "{file}: expected one {rule} violation, got:{}",
            show(&v)
        );
        let v = &v[0];
        assert_eq!(v.rule, rule, "{file}:{}", show(std::slice::from_ref(v)));
        let at_fault = v.op.map(|o| p.op_name(o));
        assert_eq!(at_fault.as_deref(), Some(name), "{file}: {v}");
        assert_eq!(v.amount, amount, "{file}: {v}");
        // The message names the operation, the machine and by how much.
        assert!(v.message.contains(name), "{file}: {v}");
        if let Some(m) = machine {
            assert!(v.message.contains(m), "{file}: {v}");
        }
        if let Some(a) = amount {
            assert!(v.message.contains(&format!("{a} min")), "{file}: {v}");
        }
    }
}

#[test]
fn rule_codes_are_distinct() {
    let mut codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), Rule::ALL.len());
}

#[test]
fn precedence_message_names_the_transfer() {
    let p = instance();
    let v = check(&p, &schedule(&p, "precedence.csv"));
    assert!(
        v[0].message.contains(
            "WO-1001/paint on S-PAINT starts 5 min before its predecessor WO-1001/mill on N-CNC1 ends + 240 min transfer"
        ),
        "{}",
        v[0]
    );
}

#[test]
fn every_violation_is_reported_not_just_the_first() {
    let p = instance();
    let mut s = schedule(&p, "valid.csv");
    let deburr = op(&p, "WO-1005", "deburr");
    let pinned = op(&p, "WO-1002", "mill");
    s.ops.retain(|e| e.op != deburr);
    for e in s.ops.iter_mut().filter(|e| e.op == pinned) {
        e.start += 5;
        e.end += 5;
    }
    let mut got: Vec<(Rule, String)> = check(&p, &s)
        .into_iter()
        .map(|v| (v.rule, p.op_name(v.op.unwrap())))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (Rule::Missing, "WO-1005/deburr".to_string()),
            (Rule::Pinned, "WO-1002/mill".to_string())
        ]
    );
}

#[test]
fn zero_length_operation_may_touch_but_not_sit_inside() {
    let p = instance();
    let inspect = op(&p, "WO-1006", "inspect");
    let with_inspect_at = |t: Minute| {
        let mut s = schedule(&p, "valid.csv");
        for e in s.ops.iter_mut().filter(|e| e.op == inspect) {
            e.start = t;
            e.end = t;
        }
        check(&p, &s)
    };
    // paint runs [700, 790) on S-PAINT: touching either end is fine.
    assert!(
        with_inspect_at(700).is_empty(),
        "{}",
        show(&with_inspect_at(700))
    );
    assert!(with_inspect_at(790).is_empty());
    let v = with_inspect_at(750);
    assert_eq!(v.len(), 1, "{}", show(&v));
    assert_eq!((v[0].rule, v[0].op), (Rule::Overlap, Some(inspect)));
    // Inside the downtime: not a working instant.
    let v = with_inspect_at(900);
    assert_eq!(v.len(), 1, "{}", show(&v));
    assert_eq!((v[0].rule, v[0].op), (Rule::Calendar, Some(inspect)));
}

#[test]
fn idle_tail_and_early_end_of_a_resumable_operation() {
    let p = instance();
    let turn = op(&p, "WO-1003", "turn");
    let with_turn = |start: Minute, end: Minute| {
        let mut s = schedule(&p, "valid.csv");
        for e in s.ops.iter_mut().filter(|e| e.op == turn) {
            e.start = start;
            e.end = end;
        }
        check(&p, &s)
    };
    // turn needs 600 working min from 750 (Mon 18:30): 210 on Monday, 390 on Tuesday, to 1830.
    // Ending at Monday 22:00 + 8 h of night: only the idle tail is wrong (it holds 210 min too).
    let v = with_turn(750, 1440);
    let rules: Vec<Rule> = v.iter().map(|v| v.rule).collect();
    assert_eq!(rules, vec![Rule::Calendar, Rule::Duration], "{}", show(&v));
    assert_eq!(v[0].amount, Some(480), "{}", v[0]);
    assert_eq!(v[1].amount, Some(390), "{}", v[1]);
    // Starting in the night before Tuesday 06:00 and holding its 600 min: the start is wrong,
    // the duration is not (its changeover and successor suffer too, and are reported).
    let v = with_turn(1400, 1830 + 210);
    let rules: Vec<Rule> = v.iter().map(|v| v.rule).collect();
    assert!(rules.contains(&Rule::Calendar), "{}", show(&v));
    assert!(!rules.contains(&Rule::Duration), "{}", show(&v));
}

const FAMILIES: &str = r#"
name: families
horizon: {start: 2026-11-23T00:00}
plants: [{id: p}]
families: [a, b]
changeovers: [{id: m, matrix: {a: {b: 10}, b: {a: 7}}}]
machines:
  - {id: M, plant: p, changeovers: m, initial_family: a}
  - {id: FREE, plant: p, changeovers: m}
jobs:
  - {id: J1, family: b, operations: [{id: x, machines: {M: 5}}]}
  - {id: J2, operations: [{id: y, machines: {M: 5}}]}
  - {id: J3, family: a, operations: [{id: z, machines: {M: 5, FREE: 5}}]}
  - {id: J4, family: b, operations: [{id: w, machines: {FREE: 5}}]}
"#;

fn families(csv: &str) -> (Problem, Vec<Violation>) {
    let p = parse_instance(FAMILIES, "families.yaml").unwrap();
    let s = parse_schedule(&p, csv, Format::Csv, "inline.csv").unwrap();
    let v = check(&p, &s);
    (p, v)
}

#[test]
fn an_operation_without_family_leaves_no_family_before() {
    // x: a -> b needs 10 min; y has no family; z (a) follows y: no family before, so no
    // changeover (b -> a would be 7). On FREE (no initial family) the first operation needs
    // none; then a -> b takes 10.
    let (_, v) = families(
        "job,operation,machine,setup_start,start,end\n\
         J1,x,M,0,10,15\nJ2,y,M,,15,20\nJ3,z,M,,20,25\nJ3,z,FREE,,0,5\nJ4,w,FREE,5,15,20\n",
    );
    // (z is in twice on purpose: the only violation is the duplicate.)
    assert_eq!(v.len(), 1, "{}", show(&v));
    assert_eq!(v[0].rule, Rule::Duplicate);

    // A setup where none is due, and a missing one where one is.
    let (p, v) = families(
        "job,operation,machine,setup_start,start,end\n\
         J1,x,M,,10,15\nJ2,y,M,,15,20\nJ3,z,M,20,30,35\nJ4,w,FREE,,0,5\n",
    );
    let got: Vec<(Rule, String, Option<Minute>)> = v
        .iter()
        .map(|v| (v.rule, p.op_name(v.op.unwrap()), v.amount))
        .collect();
    assert_eq!(
        got,
        vec![
            (Rule::Changeover, "J1/x".to_string(), Some(10)),
            (Rule::Changeover, "J3/z".to_string(), Some(10)),
        ],
        "{}",
        show(&v)
    );
}

#[test]
fn changeover_must_hold_exactly_its_minutes() {
    // Changeover from 0 but x starts at 12.
    let (_, v) = families(
        "job,operation,machine,setup_start,start,end\n\
         J1,x,M,0,12,17\nJ2,y,M,,17,22\nJ3,z,M,,22,27\nJ4,w,FREE,,0,5\n",
    );
    // On a machine without a calendar every minute works: [0, 12) holds 12, not 10.
    assert_eq!(v.len(), 1, "{}", show(&v));
    assert_eq!((v[0].rule, v[0].amount), (Rule::Changeover, Some(2)));
}

/// A generated instance of 2,000 operations on 20 machines with calendars (night shifts,
/// holidays, overtime, downtime), changeovers, transfers and atomic operations, scheduled
/// greedily with the decoder's compiled calendar (`Availability`). The referee computes working
/// time independently and must accept it, quickly; and it must notice a one-minute change.
#[test]
fn large_greedy_schedule_agrees_with_the_compiled_calendar_and_checks_fast() {
    let machines = 20;
    let (jobs, ops_per_job) = (200, 10);
    let mut y = String::from(
        r#"name: large
horizon: {start: 2026-11-25T13:00}
plants: [{id: p0}, {id: p1}]
transfers: [{from: p0, to: p1, time: 45m}, {from: p1, to: p0, time: 1h}, {from: p1, to: p1, time: 5}]
calendars:
  - id: two-shift
    weekly: [{days: [mon, tue, wed, thu, fri], from: "06:00", to: "22:00"}, {days: [sat], from: "22:00", to: "04:00"}]
    holidays: [{from: 2026-12-08, to: 2026-12-09}]
    overtime: [{from: 2026-12-05T08:00, to: 2026-12-05T12:00}, {from: 2026-12-08T06:00, to: 2026-12-08T10:00}]
families: [f0, f1, f2]
changeovers: [{id: c, matrix: {f0: {f1: 15, f2: 20}, f1: {f0: 25, f2: 10}, f2: {f0: 5, f1: 30}}}]
machines:
"#,
    );
    for m in 0..machines {
        let cal = if m % 2 == 0 {
            ", calendar: two-shift"
        } else {
            ""
        };
        let down = if m % 3 == 0 {
            format!(
                ", downtime: [{{from: {}, to: {}}}]",
                500 + 97 * m,
                800 + 97 * m
            )
        } else {
            String::new()
        };
        y += &format!(
            "  - {{id: M{m}, plant: p{}{cal}, changeovers: c, initial_family: f{}{down}}}\n",
            m % 2,
            m % 3
        );
    }
    y += "jobs:\n";
    for j in 0..jobs {
        y += &format!("  - id: J{j}\n    operations:\n");
        for k in 0..ops_per_job {
            let d = 30 + (j * 7 + k * 13) % 90;
            let (a, b) = ((j + k) % machines, (j + k + 7) % machines);
            let fam = if (j + k) % 7 == 0 {
                String::new()
            } else {
                format!(", family: f{}", (j * 3 + k) % 3)
            };
            let atomic = if k % 5 == 2 { ", atomic: true" } else { "" };
            y += &format!(
                "      - {{id: o{k}, machines: {{M{a}: {d}, M{b}: {}}}{fam}{atomic}}}\n",
                d / 2
            );
        }
    }
    let p = parse_instance(&y, "large.yaml").unwrap();
    assert_eq!(p.ops().len(), 2000);
    // Horizon start on a Wednesday 13:00: both agree where the week begins.
    assert_eq!(first_monday(p.horizon_start()), p.week().monday);
    assert_eq!(p.week().monday, -(2 * 24 * 60 + 13 * 60));

    // Greedy: each operation on its first machine, as early as the rules allow.
    let mut free = vec![0 as Minute; machines];
    let mut fam: Vec<_> = p.machines().iter().map(|m| m.initial_family).collect();
    let mut ops: Vec<ScheduledOp> = Vec::new();
    for job in p.jobs() {
        let mut prev: Option<ScheduledOp> = None;
        for o in job.ops() {
            let op = p.op(o);
            let mode = op.modes[0];
            let (m, d) = (mode.machine, mode.duration);
            let av = &p.machine(m).availability;
            let ready = prev.map_or(job.release, |q| q.end + p.transfer_time(q.machine, m));
            let c = p.changeover(m, fam[m.idx()], op.family);
            let mut t = free[m.idx()];
            let (ss, s) = loop {
                let ss = av.next_working(t);
                let s = av.advance(ss, c);
                if !av.is_working(s) {
                    t = s; // the changeover would end at a break: start it in the next interval
                } else if s < ready {
                    t = ss + (ready - s);
                } else if op.atomic && av.interval_after(s).1 - s < d {
                    t = av.interval_after(s).1;
                } else {
                    break (ss, s);
                }
            };
            let end = if op.atomic { s + d } else { av.advance(s, d) };
            let e = ScheduledOp {
                op: o,
                machine: m,
                setup_start: (c > 0).then_some(ss),
                start: s,
                end,
            };
            ops.push(e);
            free[m.idx()] = end;
            fam[m.idx()] = op.family;
            prev = Some(e);
        }
    }
    let mut s = Schedule {
        ops,
        ..Default::default()
    };
    assert!(s.ops.iter().any(|e| e.setup_start.is_some()));

    let t0 = Instant::now();
    let v = check(&p, &s);
    let took = t0.elapsed();
    assert!(
        v.is_empty(),
        "{} violations:{}",
        v.len(),
        show(&v[..v.len().min(10)])
    );
    eprintln!("referee: 2000 operations checked in {took:?}");
    assert!(took.as_secs_f64() < 1.0, "took {took:?}");

    // One minute less on one resumable operation is noticed, and attributed to it.
    let i = (1000..)
        .find(|&i| !p.op(s.ops[i].op).atomic && s.ops[i].end > s.ops[i].start)
        .unwrap();
    s.ops[i].end -= 1;
    let v = check(&p, &s);
    assert!(!v.is_empty());
    assert!(
        v.iter()
            .all(|v| v.op == Some(s.ops[i].op) || v.rule == Rule::Precedence),
        "{}",
        show(&v)
    );
    assert!(
        v.iter()
            .any(|v| v.rule == Rule::Duration && v.op == Some(s.ops[i].op)),
        "{}",
        show(&v)
    );
}

// ---------------------------------------------------------------------------------------------
// Secondary resources and materials (tests/fixtures/check/secondary): one instance, a valid
// schedule, and one file per broken case, each giving exactly one violation.

fn secondary_fixture(name: &str) -> PathBuf {
    fixture("secondary").join(name)
}

fn secondary_instance() -> Problem {
    load_instance(&secondary_fixture("instance.yaml")).expect("secondary fixture is valid")
}

fn secondary_schedule(p: &Problem, name: &str) -> Schedule {
    read_schedule(p, &secondary_fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

struct SecondaryCase {
    file: &'static str,
    rule: Rule,
    /// The operation at fault.
    op: &'static str,
    /// The amount: units over capacity, or the shortage.
    amount: Option<Minute>,
    /// A piece of the message: the resource or item, the instant, the units in use vs capacity.
    says: &'static str,
}

const SECONDARY: &[SecondaryCase] = &[
    // Three crew operations at 06:00, on the day shift of 2.
    SecondaryCase {
        file: "resource_capacity.csv",
        rule: Rule::ResourceCapacity,
        op: "C3/a",
        amount: Some(1),
        says: "resource crew: 3 units in use at 0 (2026-11-23T06:00) but its capacity is 2 (1 over)",
    },
    // Two crew operations at 18:00, on the night shift of 1.
    SecondaryCase {
        file: "crew_night.csv",
        rule: Rule::ResourceCapacity,
        op: "C2/a",
        amount: Some(1),
        says: "resource crew: 2 units in use at 720 (2026-11-23T18:00) but its capacity is 1 (1 over), by C1/a (1 unit), C2/a (1 unit); over capacity during [720, 780)",
    },
    // T2 on M2 from 70 while T1 holds the tool on M1 until 90.
    SecondaryCase {
        file: "tool.csv",
        rule: Rule::ResourceCapacity,
        op: "T2/a",
        amount: Some(1),
        says: "resource tool: 2 units in use at 70 (2026-11-23T07:10) but its capacity is 1 (1 over), by T1/a (1 unit), T2/a (1 unit); over capacity during [70, 90)",
    },
    // S2's changeover [150, 180) needs the setter, busy with S1's changeover [140, 170).
    SecondaryCase {
        file: "setter.csv",
        rule: Rule::ResourceCapacity,
        op: "S2/a",
        amount: Some(1),
        says: "resource setter: 2 units in use at 150 (2026-11-23T08:30) but its capacity is 1 (1 over), by S1/a's changeover (1 unit), S2/a's changeover (1 unit); over capacity during [150, 170)",
    },
    // crew is not one of K1/a's molds.
    SecondaryCase {
        file: "resource_choice.csv",
        rule: Rule::ResourceChoice,
        op: "K1/a",
        amount: None,
        says: "K1/a: requirement 1 uses crew, which is not among its options (mold-A, mold-B)",
    },
    // K1/a takes 10 steel at 200; 5 in stock, the receipt of 10 comes at 300.
    SecondaryCase {
        file: "stock.csv",
        rule: Rule::Stock,
        op: "K1/a",
        amount: Some(5),
        says: "item steel: stock is -5 at 200 (2026-11-23T09:20) (K1/a takes 10), 5 short",
    },
    // U1/a takes the part at 200, P1 produces it at 350.
    SecondaryCase {
        file: "part_shortage.csv",
        rule: Rule::Stock,
        op: "U1/a",
        amount: Some(1),
        says: "item part: stock is -1 at 200 (2026-11-23T09:20) (U1/a takes 1), 1 short",
    },
];

/// The valid schedule uses every feature: crews on the day shift, the tool on two machines one
/// after the other, two changeovers with the setter, a chosen mold, steel consumed when its
/// receipt arrives, and the part consumed at the very minute the job producing it completes.
#[test]
fn valid_secondary_schedule_has_no_violation() {
    let p = secondary_instance();
    let s = secondary_schedule(&p, "valid.csv");
    assert_eq!(s.ops.len(), p.ops().len());
    let v = check(&p, &s);
    assert!(v.is_empty(), "unexpected violations:{}", show(&v));
    let u1 = s.ops.iter().find(|e| e.op == op(&p, "U1", "a")).unwrap();
    let p1 = s.ops.iter().find(|e| e.op == op(&p, "P1", "a")).unwrap();
    assert_eq!(
        u1.start, p1.end,
        "consumption fed by a completion at the same instant"
    );
}

#[test]
fn each_secondary_fixture_breaks_exactly_its_rule() {
    let p = secondary_instance();
    for c in SECONDARY {
        let v = check(&p, &secondary_schedule(&p, c.file));
        assert_eq!(
            v.len(),
            1,
            "{}: expected one violation, got:{}",
            c.file,
            show(&v)
        );
        let v = &v[0];
        assert_eq!(v.rule, c.rule, "{}: {v}", c.file);
        assert_eq!(
            v.op.map(|o| p.op_name(o)).as_deref(),
            Some(c.op),
            "{}: {v}",
            c.file
        );
        assert_eq!(v.amount, c.amount, "{}: {v}", c.file);
        assert!(v.message.contains(c.says), "{}: {v}", c.file);
    }
    // Every new rule has a fixture named after it.
    for rule in [Rule::ResourceChoice, Rule::ResourceCapacity, Rule::Stock] {
        let file = format!("{}.csv", rule.code());
        assert!(
            SECONDARY.iter().any(|c| c.file == file && c.rule == rule),
            "{file}"
        );
    }
}

/// The valid secondary schedule with some rows replaced (`job,operation,machine,...` lines).
fn secondary_with(p: &Problem, rows: &[&str]) -> Vec<Violation> {
    let text = std::fs::read_to_string(secondary_fixture("valid.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for r in rows {
        let key: Vec<&str> = r.splitn(3, ',').take(2).collect();
        let i = lines
            .iter()
            .position(|l| l.splitn(3, ',').take(2).eq(key.iter().copied()))
            .unwrap_or_else(|| panic!("no row {key:?}"));
        lines[i] = r.to_string();
    }
    let s = parse_schedule(p, &lines.join("\n"), Format::Csv, "inline.csv").unwrap();
    check(p, &s)
}

#[test]
fn resource_choice_missing_or_of_the_wrong_length() {
    let p = secondary_instance();
    // No mold named: K1/a has two options, so the schedule must say which.
    let v = secondary_with(&p, &["K1,a,M3,,300,330,,"]);
    assert_eq!(v.len(), 1, "{}", show(&v));
    assert_eq!(v[0].rule, Rule::ResourceChoice);
    assert!(
        v[0].message.contains(
            "K1/a: no resource chosen for requirement 1 (1 unit(s) of one of mold-A, mold-B)"
        ),
        "{}",
        v[0]
    );
    // Two molds for one requirement.
    let v = secondary_with(&p, &["K1,a,M3,,300,330,mold-A;mold-B,"]);
    assert_eq!(v.len(), 1, "{}", show(&v));
    assert!(
        v[0].message.contains(
            "K1/a: the schedule names 2 resource(s) (mold-A, mold-B) for 1 requirement(s)"
        ),
        "{}",
        v[0]
    );
    // A changeover's resource that is not its machine's `changeover_require`.
    let v = secondary_with(&p, &["S1,a,M1,90,120,150,,tool"]);
    assert_eq!(v.len(), 1, "{}", show(&v));
    assert_eq!(
        (v[0].rule, v[0].op),
        (Rule::ResourceChoice, Some(op(&p, "S1", "a")))
    );
    assert!(
        v[0].message.contains("the changeover before S1/a on M1"),
        "{}",
        v[0]
    );
    // The other mold is as good.
    assert!(secondary_with(&p, &["K1,a,M3,,300,330,mold-B,"]).is_empty());
}

#[test]
fn capacity_that_drops_during_a_busy_period_is_checked_where_it_drops() {
    let p = secondary_instance();
    // Two crew operations over 18:00: 2 units are fine on the day shift, not on the night.
    let v = secondary_with(&p, &["C1,a,M1,,690,750,,", "C2,a,M2,,690,750,crew,"]);
    assert_eq!(v.len(), 1, "{}", show(&v));
    assert_eq!((v[0].rule, v[0].amount), (Rule::ResourceCapacity, Some(1)));
    assert!(
        v[0].message.contains("at 720 (2026-11-23T18:00)") && v[0].message.contains("[720, 750)"),
        "{}",
        v[0]
    );
    // Three at night: 2 over, one violation for the whole period.
    let v = secondary_with(
        &p,
        &[
            "C1,a,M1,,720,780,,",
            "C2,a,M2,,730,790,crew,",
            "C3,a,M3,,740,800,,",
        ],
    );
    assert_eq!(v.len(), 1, "{}", show(&v));
    assert_eq!(v[0].amount, Some(2), "{}", v[0]);
    assert!(
        v[0].message.contains("3 units in use at 740") && v[0].message.contains("[730, 790)"),
        "{}",
        v[0]
    );
    assert_eq!(v[0].op, Some(op(&p, "C3", "a")));
}

const PAUSED: &str = r#"
name: paused
horizon: {start: 2026-11-23T06:00}
plants: [{id: p}]
calendars: [{id: day, weekly: [{days: [mon, tue, wed, thu, fri], from: "06:00", to: "18:00"}]}]
resources:
  # crew works the day calendar; 2 on Tuesday 08:00-09:00 (minutes 1560-1620)
  - {id: crew, capacity: 1, calendar: day, exceptions: [{from: 2026-11-24T08:00, to: 2026-11-24T09:00, capacity: 2}]}
  - {id: guard, capacity: 1}
machines:
  - {id: D, plant: p, calendar: day}
  - {id: N, plant: p}
jobs:
  - {id: A, operations: [{id: a, machines: {D: 120}, require: [{resource: crew}, {resource: guard}]}]}
  - {id: B, operations: [{id: a, machines: {N: 60}, require: [{resource: guard}]}]}
  - {id: C, operations: [{id: a, machines: {N: 60}, require: [{resource: crew}]}]}
  - {id: E, operations: [{id: a, machines: {D: 60}, require: [{resource: crew}]}]}
"#;

fn paused(rows: &str) -> (Problem, Vec<Violation>) {
    let p = parse_instance(PAUSED, "paused.yaml").unwrap();
    let csv = format!("job,operation,machine,setup_start,start,end\n{rows}");
    let s = parse_schedule(&p, &csv, Format::Csv, "inline.csv").unwrap();
    let v = check(&p, &s);
    (p, v)
}

#[test]
fn a_paused_operation_holds_nothing_and_calendars_and_exceptions_set_the_capacity() {
    // A runs Monday 17:00-18:00 and Tuesday 06:00-07:00 on D; paused over the night, it does
    // not hold the guard, whom B uses at 20:00 on N (a machine that always works).
    // C and E use the crew together on Tuesday 08:00, when it has 2.
    let (_, v) = paused("A,a,D,,660,1500\nB,a,N,,840,900\nC,a,N,,1560,1620\nE,a,D,,1560,1620\n");
    assert!(v.is_empty(), "{}", show(&v));
    // B at 17:30 meets A's first part.
    let (p, v) = paused("A,a,D,,660,1500\nB,a,N,,690,750\nC,a,N,,1560,1620\nE,a,D,,1560,1620\n");
    assert_eq!(v.len(), 1, "{}", show(&v));
    assert_eq!(
        (v[0].rule, v[0].op, v[0].amount),
        (Rule::ResourceCapacity, Some(op(&p, "B", "a")), Some(1))
    );
    assert!(v[0].message.contains("resource guard") && v[0].message.contains("[690, 720)"));
    // C on N at 19:00: the crew's calendar gives 0 then.
    let (p, v) = paused("A,a,D,,660,1500\nB,a,N,,840,900\nC,a,N,,780,840\nE,a,D,,1560,1620\n");
    assert_eq!(v.len(), 1, "{}", show(&v));
    assert_eq!(
        (v[0].rule, v[0].op, v[0].amount),
        (Rule::ResourceCapacity, Some(op(&p, "C", "a")), Some(1))
    );
    assert!(v[0].message.contains("its capacity is 0"), "{}", v[0]);
    // C and E together after the exception ends (09:00): 2 units, capacity 1 again.
    let (_, v) = paused("A,a,D,,660,1500\nB,a,N,,840,900\nC,a,N,,1620,1680\nE,a,D,,1590,1650\n");
    assert_eq!(v.len(), 1, "{}", show(&v));
    assert_eq!(v[0].amount, Some(1));
    assert!(
        v[0].message.contains("at 1620") && v[0].message.contains("[1620, 1650)"),
        "{}",
        v[0]
    );
}
