//! `takt bench`, `takt convert`, `takt generate` through their library entry points: the bench's
//! columns and gaps against bks.csv (with injected solvers whose answers are known), loud refusal
//! of invalid schedules, the peer comparison, set resolution, the convert round trip, and the
//! generator's validity and determinism.

mod common;
use common::fixed_iterations;

use std::path::{Path, PathBuf};
use takt::bench::{self, set, BenchArgs, Instance, RunConfig, SolverRun, Status, CSV_COLUMNS};
use takt::check::check;
use takt::convert::ConvertArgs;
use takt::generate::GenerateArgs;
use takt::model::{load_instance, Problem};
use takt::solve::search::search;
use takt::solve::SolverChoice;
use takt::solve::{solve_dispatch, SolveResult};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/shared")
}

fn three() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bench/three.txt")
        .display()
        .to_string()
}

fn load_three() -> Vec<Instance> {
    let entries = set::resolve(&three()).unwrap();
    set::load(&entries).unwrap()
}

fn dispatch(p: &Problem) -> SolveResult {
    solve_dispatch(p).unwrap()
}

/// The CSV as (header, rows of name -> value).
fn read_csv(text: &str) -> (Vec<String>, Vec<std::collections::HashMap<String, String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            h.iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect();
    (h, rows)
}

#[test]
fn the_three_instance_set_resolves_with_best_known_values() {
    let insts = load_three();
    let names: Vec<&str> = insts.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["ft06", "la01", "mk01"]);
    let fam: Vec<(&str, &str)> = insts
        .iter()
        .map(|i| (i.family.as_str(), i.subset.as_str()))
        .collect();
    assert_eq!(fam, [("jssp", "ft"), ("jssp", "la"), ("fjsp", "mk")]);
    let ub: Vec<i64> = insts
        .iter()
        .map(|i| i.bks.as_ref().unwrap().upper_bound)
        .collect();
    assert_eq!(ub, [55, 666, 40]);
    assert_eq!(insts[0].problem.ops().len(), 36);
}

#[test]
fn csv_has_the_columns_and_gaps_from_bks() {
    let insts = load_three();
    let tmp = tempfile::tempdir().unwrap();
    let csv_path = tmp.path().join("out.csv");
    let cfg = RunConfig {
        seeds: vec![0],
        csv: Some(csv_path.clone()),
        ..RunConfig::default()
    };
    // A fake solver with a known answer (the dispatching rules) and a known history.
    let solver = |p: &Problem, _seed: u64| -> Result<SolverRun, String> {
        let r = dispatch(p);
        let v = r.evaluation.value;
        std::thread::sleep(std::time::Duration::from_millis(20));
        Ok(SolverRun {
            result: r,
            history: vec![(0.001, v + 10.0), (0.004, v), (0.009, v)],
            bound: None,
        })
    };
    let mut log = Vec::new();
    let report = bench::run(&insts, &cfg, solver, &mut log).unwrap();
    assert_eq!(report.failed_runs(), 0);
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert_eq!(text, report.to_csv().unwrap());
    let (header, rows) = read_csv(&text);
    assert_eq!(header, CSV_COLUMNS);
    assert_eq!(rows.len(), 3);
    for (inst, row) in insts.iter().zip(&rows) {
        let obj = dispatch(&inst.problem).evaluation.value;
        let b = inst.bks.as_ref().unwrap();
        let ub = b.upper_bound as f64;
        let lb = b.lower_bound.unwrap() as f64;
        assert_eq!(row["instance"], inst.name);
        assert_eq!(row["status"], "ok");
        assert_eq!(row["objective"].parse::<f64>().unwrap(), obj);
        assert_eq!(row["bks_ub"], b.upper_bound.to_string());
        assert_eq!(row["bks_lb"], b.lower_bound.unwrap().to_string());
        assert_eq!(row["bks_optimal"], "true");
        // takt's own certified bound on every row, never above the proven optimum; no MIP bound.
        let bound: f64 = row["bound"].parse().unwrap();
        assert_eq!(bound, takt::solve::bound::lower_bound(&inst.problem).value);
        assert!(bound > 0.0 && bound <= ub, "{bound}");
        assert_eq!(
            row["mip_bound"], "",
            "the dispatching rules have no MIP bound"
        );
        let gap_bound: f64 = row["gap_bound_pct"].parse().unwrap();
        assert!(
            (gap_bound - 100.0 * (obj - bound) / obj).abs() < 1e-3,
            "{gap_bound}"
        );
        let gap: f64 = row["gap_ub_pct"].parse().unwrap();
        assert!((gap - 100.0 * (obj - ub) / ub).abs() < 1e-3, "{gap}");
        let gap_lb: f64 = row["gap_lb_pct"].parse().unwrap();
        assert!((gap_lb - 100.0 * (obj - lb) / lb).abs() < 1e-3);
        assert_eq!(row["at_bks"], (obj <= ub).to_string());
        assert_eq!(
            row["time_to_best_s"], "0.004",
            "the first entry at the final value"
        );
        assert!(row["wall_s"].parse::<f64>().unwrap() >= 0.02);
        assert_eq!(row["seed"], "0");
        assert_eq!(row["family"], inst.family);
        assert_eq!(row["subset"], inst.subset);
    }
    // ft06 by dispatch: known to be above 55, so a positive gap.
    assert!(rows[0]["gap_ub_pct"].parse::<f64>().unwrap() > 0.0);
    let table = report.summary_table();
    assert!(table.contains("| jssp/ft | 1 | 0 | 1 |"), "{table}");
    assert!(table.contains("**jssp**"), "{table}");
    assert!(table.contains("**all**"), "{table}");
    assert!(report.verdict().contains("All 3 run(s) passed the referee"));
}

#[test]
fn several_seeds_give_a_median_row() {
    let insts = load_three();
    let cfg = RunConfig {
        seeds: vec![4, 5, 6],
        ..RunConfig::default()
    };
    // Objective shifts with the seed: seed 4 -> dispatch, 5 -> worse, 6 -> much worse; the
    // median is the seed-5 value. Built by delaying one job (valid schedules all).
    let solver = |p: &Problem, seed: u64| -> Result<SolverRun, String> {
        let mut r = dispatch(p);
        let shift = (seed - 4) as i64 * 7;
        if shift > 0 {
            // Push every operation `shift` minutes later: still valid, makespan + shift.
            for o in &mut r.schedule.ops {
                o.start += shift;
                o.end += shift;
                o.setup_start = o.setup_start.map(|s| s + shift);
            }
            r.evaluation = takt::eval::evaluate_schedule(p, &r.schedule);
        }
        Ok(r.into())
    };
    let report = bench::run(&insts, &cfg, solver, &mut Vec::new()).unwrap();
    assert_eq!(report.failed_runs(), 0);
    let (_, rows) = read_csv(&report.to_csv().unwrap());
    assert_eq!(rows.len(), 3 * 4);
    let med = &rows[3];
    assert_eq!(med["seed"], "median");
    let base = dispatch(&insts[0].problem).evaluation.value;
    assert_eq!(med["objective"].parse::<f64>().unwrap(), base + 7.0);
    assert_eq!(rows[2]["objective"].parse::<f64>().unwrap(), base + 14.0);
}

#[test]
fn an_invalid_schedule_is_refused_loudly_and_never_averaged() {
    let insts = load_three();
    let tmp = tempfile::tempdir().unwrap();
    let csv_path = tmp.path().join("bad.csv");
    let cfg = RunConfig {
        seeds: vec![0, 1, 2],
        csv: Some(csv_path.clone()),
        quiet: true,
        ..RunConfig::default()
    };
    // On la01, seed 1 drops one operation from an otherwise good schedule.
    let solver = |p: &Problem, seed: u64| -> Result<SolverRun, String> {
        let mut r = dispatch(p);
        if p.name() == "la01" && seed == 1 {
            r.schedule.ops.pop();
        }
        Ok(r.into())
    };
    let mut log = Vec::new();
    let report = bench::run(&insts, &cfg, solver, &mut log).unwrap();
    let log = String::from_utf8(log).unwrap();
    assert!(
        log.contains("!!! INVALID la01 (seed 1)"),
        "loud even when quiet: {log}"
    );
    assert!(log.contains("missing"), "{log}");
    assert_eq!(report.failed_runs(), 1);
    let (_, rows) = read_csv(&std::fs::read_to_string(&csv_path).unwrap());
    let la01: Vec<_> = rows.iter().filter(|r| r["instance"] == "la01").collect();
    assert_eq!(la01.len(), 4);
    assert_eq!(la01[1]["status"], "INVALID");
    assert_eq!(
        la01[1]["objective"], "",
        "no objective for an invalid schedule"
    );
    assert!(la01[1]["message"].contains("referee"));
    assert_eq!(la01[0]["status"], "ok");
    // The instance's result is the failure, not the median of the good runs.
    assert_eq!(la01[3]["seed"], "median");
    assert_eq!(la01[3]["status"], "INVALID");
    assert_eq!(la01[3]["objective"], "");
    assert_eq!(la01[3]["gap_ub_pct"], "");
    let summary = report.summary_table();
    assert!(summary.contains("| jssp/la | 1 | **1** |"), "{summary}");
    let verdict = report.verdict();
    assert!(verdict.contains("FAILED: 1 of 9 run(s)"), "{verdict}");
    assert!(verdict.contains("la01 seed 1: **INVALID**"), "{verdict}");
    assert!(report.instance_table().contains("INVALID"));
}

#[test]
fn objective_mismatch_no_schedule_and_below_lower_bound_are_failures() {
    let mut insts = load_three();
    // A solver that claims a better objective than its schedule has.
    let liar = |p: &Problem, _: u64| -> Result<SolverRun, String> {
        let mut r = dispatch(p);
        r.evaluation.value -= 1.0;
        Ok(r.into())
    };
    let mut log = Vec::new();
    let rep = bench::run(&insts[..1], &RunConfig::default(), liar, &mut log).unwrap();
    assert_eq!(rep.instances[0].runs[0].status, Status::Invalid);
    assert!(String::from_utf8_lossy(&log).contains("objective mismatch"));

    let none = |_: &Problem, _: u64| -> Result<SolverRun, String> { Err("gave up".into()) };
    let mut log = Vec::new();
    let rep = bench::run(&insts[..1], &RunConfig::default(), none, &mut log).unwrap();
    assert_eq!(rep.instances[0].runs[0].status, Status::NoSchedule);
    assert!(String::from_utf8_lossy(&log).contains("!!! NO_SCHEDULE ft06"));

    // A lower bound above a valid schedule's objective: something upstream is wrong.
    let b = insts[0].bks.as_mut().unwrap();
    b.lower_bound = Some(10_000);
    b.upper_bound = 10_000;
    let mut log = Vec::new();
    let rep = bench::run(
        &insts[..1],
        &RunConfig::default(),
        |p, _| Ok(dispatch(p).into()),
        &mut log,
    )
    .unwrap();
    assert_eq!(rep.instances[0].runs[0].status, Status::BelowLowerBound);
    assert_eq!(rep.failed_runs(), 1);
}

#[test]
fn compare_puts_takt_and_the_peer_side_by_side() {
    let insts = load_three();
    let report = bench::run(
        &insts,
        &RunConfig::default(),
        |p, _| Ok(dispatch(p).into()),
        &mut Vec::new(),
    )
    .unwrap();
    let peer_csv = shared().join("peers/cpsat_30s.csv");
    let peer = bench::read_peer_csv(&peer_csv).unwrap();
    let text = report.compare(&peer, "cpsat_30s.csv");
    assert!(text.contains("takt vs ortools-cpsat"), "{text}");
    assert!(text.contains("3 common instance(s)"), "{text}");
    // The peer proved all three optimal: its gap is 0, takt's dispatch gap is positive on ft06.
    assert!(text.contains("| ft06 | 55 |"), "{text}");
    assert!(text.contains("| 55 | 0.00 | 55 | OPTIMAL |"), "{text}");
    assert!(text.contains("| **all** | 3 | 3 |"), "{text}");

    // A small hand-made peer: ratio of the mean gaps.
    let peer = bench::parse_peer_csv(
        "family,instance,solver,version,workers,time_limit_s,objective,best_bound,status,wall_s\n\
         jssp,ft06,x,1,2,30,66,40,FEASIBLE,30\n",
        "p.csv",
    )
    .unwrap();
    let text = report.compare(&peer, "p.csv");
    let takt_gap = 100.0 * (dispatch(&insts[0].problem).evaluation.value - 55.0) / 55.0;
    let ratio = takt_gap / 20.0;
    assert!(
        text.contains(&format!("| 20.00 | {ratio:.2} |")),
        "peer gap 20 %, ratio {ratio:.2}: {text}"
    );
}

#[test]
fn bench_command_runs_the_heuristic_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let csv_path = tmp.path().join("bench.csv");
    let args = BenchArgs {
        iterations: Some(300),
        threads: 1,
        csv: Some(csv_path.clone()),
        compare: Some(shared().join("peers/cpsat_30s.csv")),
        quiet: true,
        ..BenchArgs::new(three())
    };
    assert!(args.command_line().contains("--iterations 300"));
    assert!(bench::bench_command(&args).unwrap());
    let (header, rows) = read_csv(&std::fs::read_to_string(&csv_path).unwrap());
    assert_eq!(header, CSV_COLUMNS);
    assert_eq!(rows.len(), 3);
    for r in &rows {
        assert_eq!(r["status"], "ok");
        assert_eq!(r["solver"], "heuristic");
        assert_eq!(r["iterations"], "300");
        assert!(r["gap_ub_pct"].parse::<f64>().unwrap() >= 0.0);
    }
    // Time-limited runs: the search's own stop at its time limit must not end the bench.
    let timed = BenchArgs {
        time_limit: Some(std::time::Duration::from_millis(150)),
        threads: 2,
        limit: Some(2),
        csv: Some(csv_path.clone()),
        quiet: true,
        ..BenchArgs::new(three())
    };
    assert!(bench::bench_command(&timed).unwrap());
    let (_, rows) = read_csv(&std::fs::read_to_string(&csv_path).unwrap());
    assert_eq!(rows.len(), 2, "both instances ran");
    assert!(rows.iter().all(|r| r["message"].is_empty()), "{rows:?}");
    // Bad input is an error (exit 2), before anything runs.
    let bad = BenchArgs {
        compare: Some(tmp.path().join("no-such-peer.csv")),
        ..BenchArgs::new(three())
    };
    assert!(bench::bench_command(&bad).is_err());
    assert!(bench::bench_command(&BenchArgs::new("/no/such/set")).is_err());
    let bad_csv = BenchArgs {
        csv: Some(tmp.path().join("x.txt")),
        ..BenchArgs::new(three())
    };
    assert!(bench::bench_command(&bad_csv).is_err());
    let _ = SolverChoice::Dispatch;
}

#[test]
fn sets_resolve_from_directories_families_lists_and_manifests() {
    let bm = shared().join("benchmarks");
    let smwt = set::resolve(&bm.join("smwt").display().to_string()).unwrap();
    assert_eq!(smwt.len(), 300, "3 files × 100 instances");
    assert_eq!(smwt[0].index, Some(1));
    let jssp = set::resolve(&bm.join("jssp").display().to_string()).unwrap();
    assert_eq!(jssp.len(), 132);
    // The peer's own manifest (FAMILY PATH [INDEX [FIRST]], paths relative to it).
    let m = set::resolve(
        &shared()
            .join("peers/manifest_shared.txt")
            .display()
            .to_string(),
    )
    .unwrap();
    assert_eq!(m.len(), 187);
    // One instance file, and `#k`.
    let one = set::resolve(&bm.join("smwt/wt40.txt#17").display().to_string()).unwrap();
    assert_eq!(one.len(), 1);
    let loaded = set::load(&one).unwrap();
    assert_eq!(loaded[0].name, "wt40_017");
    assert_eq!(loaded[0].subset, "wt40");
    assert!(loaded[0].bks.is_some());
    // The manifest written for the peer script names the same files.
    let entries = set::resolve(&three()).unwrap();
    let man = bench::manifest(&entries, &mut Vec::new()).unwrap();
    let lines: Vec<&str> = man.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("jssp /") && lines[0].ends_with("jssp/ft06.txt"));
    assert!(lines[2].starts_with("fjsp /") && lines[2].ends_with("mk01.fjs"));
    // A list naming a missing file: the line is reported.
    let tmp = tempfile::tempdir().unwrap();
    let list = tmp.path().join("l.txt");
    std::fs::write(&list, "# c\njssp/ft06.txt\nnope/x.txt\n").unwrap();
    let e = set::resolve(&list.display().to_string()).unwrap_err();
    assert_eq!(e.diagnostics()[0].location, Some((3, 1)), "{e}");
}

#[test]
fn convert_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let src = shared().join("benchmarks/jssp/ft06.txt");
    let out = tmp.path().join("ft06.yaml");
    let args = ConvertArgs {
        file: src.display().to_string(),
        format: Some(takt::formats::Format::Jssp),
        output: Some(out.clone()),
        quiet: true,
    };
    assert!(takt::convert::convert_command(&args).unwrap());
    let orig = takt::formats::read(&src.display().to_string(), None).unwrap();
    let back = load_instance(&out).unwrap();
    assert_eq!(back.name(), "ft06");
    assert_eq!(back.jobs().len(), 6);
    assert_eq!(back.ops().len(), 36);
    assert_eq!(back.machines().len(), orig.machines().len());
    for (a, b) in orig.ops().iter().zip(back.ops()) {
        assert_eq!(a.job, b.job);
        let ma: Vec<(String, i64)> = a
            .modes
            .iter()
            .map(|m| (orig.machine(m.machine).id.clone(), m.duration))
            .collect();
        let mb: Vec<(String, i64)> = b
            .modes
            .iter()
            .map(|m| (back.machine(m.machine).id.clone(), m.duration))
            .collect();
        assert_eq!(ma, mb);
    }
    assert_eq!(orig.objective().as_array(), back.objective().as_array());
    assert_eq!(takt::formats::to_yaml(&orig), takt::formats::to_yaml(&back));
    // The converted instance has the same optimum structure: the referee accepts a schedule
    // of one on the other (same ids).
    let r = dispatch(&orig);
    assert!(check(&back, &r.schedule).is_empty());
    // One instance of a multi-instance file, and a non-YAML output name refused.
    let wt = ConvertArgs {
        file: format!("{}#17", shared().join("benchmarks/smwt/wt40.txt").display()),
        format: None,
        output: Some(tmp.path().join("wt.yml")),
        quiet: true,
    };
    assert!(takt::convert::convert_command(&wt).unwrap());
    assert_eq!(
        load_instance(&tmp.path().join("wt.yml")).unwrap().name(),
        "wt40_017"
    );
    let bad = ConvertArgs {
        output: Some(tmp.path().join("x.csv")),
        ..args.clone()
    };
    assert!(takt::convert::convert_command(&bad).is_err());
    assert!(!tmp.path().join("x.csv").exists());
}

#[test]
fn generate_is_valid_solvable_and_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let gen = |seed: u64, name: &str| {
        let out = tmp.path().join(name);
        let args = GenerateArgs {
            jobs: 12,
            machines: 5,
            plants: 2,
            seed,
            calendars: true,
            changeovers: true,
            tightness: 2.0,
            operators: 0,
            materials: false,
            deadlines: None,
            load: None,
            output: Some(out.clone()),
            quiet: true,
        };
        assert!(takt::generate::generate_command(&args).unwrap());
        out
    };
    let a = gen(11, "a.yaml");
    let b = gen(11, "b.yaml");
    let c = gen(12, "c.yaml");
    let ta = std::fs::read_to_string(&a).unwrap();
    assert_eq!(
        ta,
        std::fs::read_to_string(&b).unwrap(),
        "same seed, same file"
    );
    assert_ne!(ta, std::fs::read_to_string(&c).unwrap());
    let p = load_instance(&a).unwrap();
    assert_eq!(p.jobs().len(), 12);
    assert_eq!(p.machines().len(), 5);
    assert_eq!(p.plants().len(), 2);
    assert!(!p.calendars().is_empty() && !p.changeover_matrices().is_empty());
    assert!(p.jobs().iter().all(|j| (3..=10).contains(&j.op_count)));
    let out = search(&p, &fixed_iterations(300, 1, 3)).unwrap();
    let v = check(&p, &out.result.schedule);
    assert!(v.is_empty(), "{v:?}");
    // Plain (no calendars, no changeovers), and a bad output name.
    let plain = GenerateArgs {
        jobs: 3,
        machines: 1,
        plants: 1,
        seed: 1,
        calendars: false,
        changeovers: false,
        tightness: 3.0,
        operators: 0,
        materials: false,
        deadlines: None,
        load: None,
        output: Some(tmp.path().join("plain.yaml")),
        quiet: true,
    };
    assert!(takt::generate::generate_command(&plain).unwrap());
    let q = load_instance(&tmp.path().join("plain.yaml")).unwrap();
    assert!(q.calendars().is_empty() && q.changeover_matrices().is_empty());
    let bad = GenerateArgs {
        output: Some(tmp.path().join("plain.txt")),
        ..plain
    };
    assert!(takt::generate::generate_command(&bad).is_err());
}

#[test]
fn bench_runs_generated_yaml_instances_without_bks() {
    let tmp = tempfile::tempdir().unwrap();
    let args = GenerateArgs {
        jobs: 6,
        machines: 4,
        plants: 2,
        seed: 2,
        calendars: true,
        changeovers: true,
        tightness: 3.0,
        operators: 0,
        materials: false,
        deadlines: None,
        load: None,
        output: Some(tmp.path().join("g.yaml")),
        quiet: true,
    };
    assert!(takt::generate::generate_command(&args).unwrap());
    let insts = set::load(&set::resolve(&tmp.path().display().to_string()).unwrap()).unwrap();
    assert_eq!(insts.len(), 1);
    assert_eq!(insts[0].family, "takt");
    assert!(insts[0].bks.is_none());
    let rep = bench::run(
        &insts,
        &RunConfig::default(),
        |p, _| Ok(dispatch(p).into()),
        &mut Vec::new(),
    )
    .unwrap();
    let r = &rep.instances[0].runs[0];
    assert!(r.objective.is_some() && r.gap_ub.is_none());
}

/// The argument structs as main.rs uses them: `takt bench|convert|generate ...`.
#[derive(clap::Parser)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(clap::Subcommand)]
enum Cmd {
    Bench(BenchArgs),
    Convert(ConvertArgs),
    Generate(GenerateArgs),
}

#[test]
fn command_lines_parse() {
    use clap::{CommandFactory, Parser};
    Cli::command().debug_assert();
    let parse = |s: &str| Cli::try_parse_from(s.split_whitespace());
    let Cmd::Bench(b) = parse(
        "takt bench ../shared/benchmarks/jssp --time-limit 30s --threads 2 --seeds 3 \
         --solver dispatch --csv out.csv --compare p.csv --limit 4 --quiet",
    )
    .unwrap()
    .cmd
    else {
        panic!("bench")
    };
    assert_eq!(b.time_limit, Some(std::time::Duration::from_secs(30)));
    assert_eq!((b.threads, b.seeds, b.limit), (2, 3, Some(4)));
    assert_eq!(b.solver, SolverChoice::Dispatch);
    assert!(b.quiet && b.csv.is_some() && b.compare.is_some());
    let Cmd::Bench(d) = parse("takt bench jssp").unwrap().cmd else {
        panic!()
    };
    assert_eq!(
        d.effective_time_limit(),
        Some(std::time::Duration::from_secs(30))
    );
    assert_eq!((d.threads, d.seeds, d.seed), (2, 1, 0));
    let Cmd::Convert(c) = parse("takt convert ft06.txt --format jssp -o ft06.yaml")
        .unwrap()
        .cmd
    else {
        panic!()
    };
    assert_eq!(c.format, Some(takt::formats::Format::Jssp));
    assert!(parse("takt convert ft06.txt --format xyz").is_err());
    let Cmd::Generate(g) = parse(
        "takt generate --jobs 50 --machines 8 --plants 3 --seed 9 --calendars --changeovers -o g.yaml",
    )
    .unwrap()
    .cmd
    else {
        panic!()
    };
    assert_eq!((g.jobs, g.machines, g.plants, g.seed), (50, 8, 3, 9));
    assert!(g.calendars && g.changeovers && !g.quiet);
    assert!(parse("takt generate --jobs 0").is_err());
    assert!(parse("takt bench x --time-limit soon").is_err());
}

#[test]
fn mip_and_auto_rows_carry_the_mip_bound_and_a_gap_to_our_bound() {
    let tmp = tempfile::tempdir().unwrap();
    let ft06 = shared()
        .join("benchmarks/jssp/ft06.txt")
        .display()
        .to_string();
    for solver in [SolverChoice::Mip, SolverChoice::Auto] {
        let csv_path = tmp.path().join(format!("{}.csv", solver.name()));
        let args = BenchArgs {
            time_limit: Some(std::time::Duration::from_secs(20)),
            threads: 1,
            solver,
            csv: Some(csv_path.clone()),
            quiet: true,
            ..BenchArgs::new(ft06.clone())
        };
        assert!(bench::bench_command(&args).unwrap());
        let (_, rows) = read_csv(&std::fs::read_to_string(&csv_path).unwrap());
        let r = &rows[0];
        assert_eq!(r["status"], "ok", "{r:?}");
        assert_eq!(r["solver"], solver.name());
        let obj: f64 = r["objective"].parse().unwrap();
        let bound: f64 = r["bound"].parse().unwrap();
        let mip: f64 = r["mip_bound"].parse().unwrap();
        // ft06's optimum is 55; the MIP proves it within 20 s, and the row's bound is the
        // better of the MIP's and takt's own.
        assert!(
            bound >= mip && bound <= obj + 1e-6 && bound <= 55.0 + 1e-6,
            "{r:?}"
        );
        assert!(r["gap_bound_pct"].parse::<f64>().unwrap() >= 0.0);
    }
}
