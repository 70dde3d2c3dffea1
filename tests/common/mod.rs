//! Random small instances for property and brute-force tests, written as YAML so that they go
//! through the same parser and validation as users' files.
#![allow(dead_code)]

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::fmt::Write;
use takt::model::{parse_instance, Problem};

pub struct GenOptions {
    pub max_jobs: usize,
    pub max_ops_per_job: usize,
    pub max_machines: usize,
    /// Include the earliness term (non-regular; brute force over sequences would not be exact).
    pub earliness: bool,
}

/// A random instance using calendars (with night shifts, holidays, overtime, downtime),
/// two plants with transfers, families with changeovers, atomic operations, alternative
/// machines, release and due dates, weights and a multi-term objective.
pub fn random_instance(seed: u64, opt: &GenOptions) -> Problem {
    let mut r = StdRng::seed_from_u64(seed);
    let mut y = String::new();
    writeln!(y, "name: random-{seed}").unwrap();
    // Horizon starts on a Monday at 06:00 or a Wednesday at 13:30.
    let start = if r.random_bool(0.5) {
        "2026-11-23T06:00"
    } else {
        "2026-11-25T13:30"
    };
    writeln!(y, "horizon: {{start: {start}}}").unwrap();
    let mut terms = vec![
        format!("makespan: {}", r.random_range(0..3)),
        format!("weighted_tardiness: {}", r.random_range(1..4)),
        format!("late_jobs: {}", r.random_range(0..50)),
        format!("flow_time: {}", r.random_range(0..2)),
        format!("changeover_time: {}", r.random_range(0..2)),
    ];
    if opt.earliness {
        terms.push(format!("earliness: {}", r.random_range(0..2)));
    }
    writeln!(y, "objective: {{{}}}", terms.join(", ")).unwrap();
    writeln!(y, "plants: [{{id: p1}}, {{id: p2}}]").unwrap();
    writeln!(
        y,
        "transfers: [{{from: p1, to: p2, time: {}}}, {{from: p2, to: p1, time: {}}}, {{from: p1, to: p1, time: {}}}]",
        r.random_range(0..300),
        r.random_range(0..300),
        r.random_range(0..20)
    )
    .unwrap();
    // Calendars: day shifts (some days), a night shift crossing midnight, holidays, overtime.
    writeln!(y, "calendars:").unwrap();
    writeln!(
        y,
        "  - {{id: day, weekly: [{{days: [mon, tue, wed, thu, fri], from: \"06:00\", to: \"{}\"}}], holidays: [{{from: 2026-11-26, to: 2026-11-26}}], overtime: [{{from: 2026-11-28T08:00, to: 2026-11-28T12:00}}]}}",
        ["14:00", "22:00", "16:30"][r.random_range(0..3)]
    )
    .unwrap();
    writeln!(
        y,
        "  - {{id: night, weekly: [{{days: [sun, mon, tue, wed, thu], from: \"22:00\", to: \"06:00\"}}, {{days: [sat], from: \"10:00\", to: \"10:00\"}}]}}"
    )
    .unwrap();
    writeln!(y, "families: [a, b, c]").unwrap();
    writeln!(y, "changeovers:").unwrap();
    let mut mat = Vec::new();
    for f in ["a", "b", "c"] {
        let row: Vec<String> = ["a", "b", "c"]
            .iter()
            .map(|g| format!("{g}: {}", if f == *g { 0 } else { r.random_range(0..60) }))
            .collect();
        mat.push(format!("{f}: {{{}}}", row.join(", ")));
    }
    writeln!(y, "  - {{id: setups, matrix: {{{}}}}}", mat.join(", ")).unwrap();

    let n_m = r.random_range(1..=opt.max_machines);
    writeln!(y, "machines:").unwrap();
    for m in 0..n_m {
        let mut fields = vec![format!("id: M{m}"), format!("plant: p{}", 1 + m % 2)];
        match r.random_range(0..3) {
            0 => fields.push("calendar: day".into()),
            1 => fields.push("calendar: night".into()),
            _ => {}
        }
        if r.random_bool(0.6) {
            fields.push("changeovers: setups".into());
            if r.random_bool(0.5) {
                fields.push(format!(
                    "initial_family: {}",
                    ["a", "b", "c"][r.random_range(0..3)]
                ));
            }
        }
        if r.random_bool(0.4) {
            let a = r.random_range(0..3000);
            fields.push(format!(
                "downtime: [{{from: {a}, to: {}}}]",
                a + r.random_range(1..600)
            ));
        }
        writeln!(y, "  - {{{}}}", fields.join(", ")).unwrap();
    }
    let n_j = r.random_range(1..=opt.max_jobs);
    writeln!(y, "jobs:").unwrap();
    for j in 0..n_j {
        writeln!(y, "  - id: J{j}").unwrap();
        writeln!(y, "    release: {}", r.random_range(0..600)).unwrap();
        if r.random_bool(0.8) {
            writeln!(y, "    due: {}", r.random_range(0..4000)).unwrap();
        }
        writeln!(y, "    weight: {}", r.random_range(1..5)).unwrap();
        if r.random_bool(0.7) {
            writeln!(y, "    family: {}", ["a", "b", "c"][r.random_range(0..3)]).unwrap();
        }
        writeln!(y, "    operations:").unwrap();
        for o in 0..r.random_range(1..=opt.max_ops_per_job) {
            let k = r.random_range(1..=n_m.min(2));
            let first = r.random_range(0..n_m);
            let ms: Vec<String> = (0..k)
                .map(|i| format!("M{}: {}", (first + i) % n_m, r.random_range(0..180)))
                .collect();
            let mut extra = String::new();
            if r.random_bool(0.25) {
                extra.push_str(", atomic: true");
            }
            if r.random_bool(0.2) {
                extra.push_str(&format!(
                    ", family: {}",
                    ["a", "b", "c"][r.random_range(0..3)]
                ));
            }
            writeln!(
                y,
                "      - {{id: o{o}, machines: {{{}}}{extra}}}",
                ms.join(", ")
            )
            .unwrap();
        }
    }
    parse_instance(&y, "random.yaml")
        .unwrap_or_else(|e| panic!("generator wrote a bad instance:\n{e}\n{y}"))
}

/// A random sequence that respects routings: a random interleaving of jobs, each operation on a
/// random eligible machine, machines processing in interleaving order.
pub fn random_sequence(problem: &Problem, seed: u64) -> takt::eval::Sequence {
    use takt::model::{MachineId, OpId};
    let mut r = StdRng::seed_from_u64(seed);
    let mut next: Vec<u32> = problem.jobs().iter().map(|j| j.first_op).collect();
    let mut machine_of = vec![MachineId(0); problem.ops().len()];
    let mut order = vec![Vec::new(); problem.machines().len()];
    loop {
        let open: Vec<usize> = (0..problem.jobs().len())
            .filter(|&j| next[j] < problem.jobs()[j].first_op + problem.jobs()[j].op_count)
            .collect();
        if open.is_empty() {
            break;
        }
        let j = open[r.random_range(0..open.len())];
        let o = OpId(next[j]);
        next[j] += 1;
        let modes = &problem.op(o).modes;
        let m = modes[r.random_range(0..modes.len())].machine;
        machine_of[o.idx()] = m;
        order[m.idx()].push(o);
    }
    takt::eval::Sequence::new(machine_of, order)
}

pub mod cli;
pub mod files;
pub mod naive;

use takt::check::Violation;
use takt::eval::{Decoder, Sequence};
use takt::generate::{generate, GenConfig};
use takt::model::{MachineId, OpId};
use takt::solve::search::SearchConfig;

/// A generated instance of `jobs` jobs with operators, setters and materials, its machines,
/// plants and features varied by `seed`: what the placement engine's secondary rules are
/// tested on.
pub fn generated_with_secondary(seed: u64, jobs: usize) -> Problem {
    let yaml = generate(&GenConfig {
        jobs,
        machines: 2 + (seed % 4) as usize,
        plants: 1 + (seed % 3) as usize,
        seed,
        calendars: seed.is_multiple_of(2),
        changeovers: !seed.is_multiple_of(3),
        tightness: 2.0,
        operators: 1 + (seed % 3) as usize,
        materials: seed % 4 != 1,
    });
    parse_instance(&yaml, "generated.yaml").expect("generated instances are valid")
}

/// A search run with an iteration limit and no time limit (reproducible for the seed), quiet.
pub fn fixed_iterations(iterations: u64, threads: usize, seed: u64) -> SearchConfig {
    SearchConfig::limited(None, Some(iterations), None)
        .threads(threads)
        .seed(seed)
}

/// The referee's violations, one a line, for assertion messages.
pub fn show(v: &[Violation]) -> String {
    v.iter().map(|v| format!("\n  {v}")).collect()
}

/// The best objective over every decodable sequence that keeps every hard deadline ([`None`]
/// when there is none): the optimum for a regular objective, since every regular objective has
/// an optimal semi-active schedule and the decoder builds those.
pub fn best_over_sequences(p: &Problem) -> Option<f64> {
    let mut dec = Decoder::new(p);
    let mut best: Option<f64> = None;
    for_each_sequence(p, &mut |seq| {
        if dec.decode(p, seq).is_ok() {
            let ev = dec.evaluate(p);
            if ev.feasible() && best.is_none_or(|b| ev.value < b) {
                best = Some(ev.value);
            }
        }
    });
    best
}

/// Every ordering of `v`.
pub fn permutations(v: &[OpId]) -> Vec<Vec<OpId>> {
    if v.len() <= 1 {
        return vec![v.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..v.len() {
        let mut rest = v.to_vec();
        let x = rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, x);
            out.push(p);
        }
    }
    out
}

/// Calls `f` with every sequence (assignment × per-machine permutation).
pub fn for_each_sequence(p: &Problem, f: &mut dyn FnMut(&Sequence)) {
    let n = p.ops().len();
    let mut choice = vec![0usize; n];
    loop {
        let machine_of: Vec<MachineId> = (0..n)
            .map(|o| p.ops()[o].modes[choice[o]].machine)
            .collect();
        let per_machine: Vec<Vec<Vec<OpId>>> = (0..p.machines().len())
            .map(|m| {
                let ops: Vec<OpId> = (0..n as u32)
                    .map(OpId)
                    .filter(|o| machine_of[o.idx()].idx() == m)
                    .collect();
                permutations(&ops)
            })
            .collect();
        let mut pick = vec![0usize; per_machine.len()];
        loop {
            let order = per_machine
                .iter()
                .zip(&pick)
                .map(|(ps, &i)| ps[i].clone())
                .collect();
            f(&Sequence::new(machine_of.clone(), order));
            let mut k = 0;
            while k < pick.len() {
                pick[k] += 1;
                if pick[k] < per_machine[k].len() {
                    break;
                }
                pick[k] = 0;
                k += 1;
            }
            if k == pick.len() {
                break;
            }
        }
        let mut k = 0;
        while k < n {
            choice[k] += 1;
            if choice[k] < p.ops()[k].modes.len() {
                break;
            }
            choice[k] = 0;
            k += 1;
        }
        if k == n {
            break;
        }
    }
}
