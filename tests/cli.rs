//! End-to-end: every shipped example is solved by the CLI, the schedule file is written in both
//! formats, and the referee (`takt check`) accepts it; the file reads back to the same schedule.
//! `takt bench`'s CSV names an instance the same from any checkout.

mod common;
use common::cli::{takt, text};
use common::files::{examples, root, shared_benchmark};
use common::fixed_iterations;
use std::path::Path;
use std::process::Command;

#[test]
fn every_example_solves_and_passes_the_referee() {
    let tmp = tempfile::tempdir().unwrap();
    let list = examples();
    assert!(
        list.len() >= 4,
        "expected at least 4 examples, found {}",
        list.len()
    );
    for ex in list {
        let ex_s = ex.to_str().unwrap();
        for ext in ["yaml", "csv"] {
            let out = tmp.path().join(format!(
                "{}.{ext}",
                ex.file_stem().unwrap().to_str().unwrap()
            ));
            let out_s = out.to_str().unwrap();
            let r = takt(&[
                "solve",
                ex_s,
                "-o",
                out_s,
                "--quiet",
                "--iterations",
                "300",
                "--seed",
                "3",
            ]);
            let stdout = String::from_utf8_lossy(&r.stdout);
            assert_eq!(
                r.status.code(),
                Some(0),
                "{ex_s}: {stdout}{}",
                String::from_utf8_lossy(&r.stderr)
            );
            assert!(stdout.contains("objective"), "{ex_s}: KPIs printed");
            assert!(out.exists());
            let c = takt(&["check", ex_s, out_s]);
            assert_eq!(
                c.status.code(),
                Some(0),
                "{ex_s} {ext}: {}",
                String::from_utf8_lossy(&c.stdout)
            );
            // The file reads back to the schedule the solver found.
            let p = takt::model::load_instance(&ex).unwrap();
            let read = takt::schedule::read_schedule(&p, &out).unwrap();
            // Same seed and iteration limit in the library: the same schedule (reproducible).
            let cfg = fixed_iterations(300, 1, 3);
            let mut again = takt::solve::search::search(&p, &cfg)
                .unwrap()
                .result
                .schedule;
            let mut read_ops = read.ops.clone();
            read_ops.sort_by_key(|s| s.op);
            again.ops.sort_by_key(|s| s.op);
            assert_eq!(read_ops, again.ops, "{ex_s} {ext}: round trip");
        }
    }
}

#[test]
fn check_reports_violations_with_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = root().join("instances/examples/two-plant-demo.yaml");
    let out = tmp.path().join("s.csv");
    let r = takt(&[
        "solve",
        ex.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
        "--solver",
        "dispatch",
    ]);
    assert_eq!(r.status.code(), Some(0));
    // Move every operation 1 minute earlier than allowed: start at -1.
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let cols: Vec<&str> = lines[1].split(',').collect();
    let mut cols: Vec<String> = cols.iter().map(|s| s.to_string()).collect();
    cols[5] = "-1".into(); // start
    lines[1] = cols.join(",");
    std::fs::write(&out, lines.join("\n")).unwrap();
    let c = takt(&["check", ex.to_str().unwrap(), out.to_str().unwrap()]);
    assert_eq!(
        c.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&c.stdout)
    );
}

#[test]
fn output_with_unknown_extension_is_refused_before_solving() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = root().join("instances/examples/two-plant-demo.yaml");
    let out = tmp.path().join("s.txt");
    let r = takt(&["solve", ex.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("s.txt"));
    assert!(!out.exists());
}

#[test]
fn mip_solver_and_model_export_from_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = root().join("instances/examples/two-plant-demo.yaml");
    let ex_s = ex.to_str().unwrap();
    let out = tmp.path().join("mip.yaml");
    let r = takt(&[
        "solve",
        ex_s,
        "--solver",
        "mip",
        "--time-limit",
        "30s",
        "-q",
        "-o",
        out.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&r.stdout);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&r.stderr)
    );
    // A proof on a 3-operation instance; the file carries status, bound and gap.
    assert!(stdout.contains("status: optimal"), "{stdout}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("status: optimal") && text.contains("bound:") && text.contains("gap:"),
        "{text}"
    );
    assert_eq!(
        takt(&["check", ex_s, out.to_str().unwrap()]).status.code(),
        Some(0)
    );

    let lp = tmp.path().join("model.lp");
    let r = takt(&["export-model", ex_s, "-o", lp.to_str().unwrap()]);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(std::fs::read_to_string(&lp).unwrap().contains("min"));
    let bad = tmp.path().join("model.txt");
    let r = takt(&["export-model", ex_s, "-o", bad.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
    assert!(!bad.exists());
}

/// `takt bench --csv`: the `path` column names an instance under the benchmarks root relative
/// to it (the same from any checkout or working directory), any other by its path as given (a
/// list file's line: where it was found). The root is the vendored copy, or $TAKT_BENCHMARKS.
#[test]
fn bench_csv_paths_are_relative_to_the_benchmarks_root() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // An instance outside the root, and a list naming it after two under the root.
    std::fs::create_dir(dir.join("gen")).unwrap();
    let cfg = takt::generate::GenConfig {
        jobs: 4,
        machines: 3,
        ..Default::default()
    };
    std::fs::write(dir.join("gen/g.yaml"), takt::generate::generate(&cfg)).unwrap();
    std::fs::write(
        dir.join("list.txt"),
        "jssp/ft06.txt\nsmwt/wt40.txt#17\ngen/g.yaml\n",
    )
    .unwrap();
    // Another root holding one job shop.
    std::fs::create_dir_all(dir.join("other/jssp")).unwrap();
    std::fs::copy(
        shared_benchmark("jssp/ft06.txt"),
        dir.join("other/jssp/ft06.txt"),
    )
    .unwrap();
    // `takt bench SET` run in `dir` (TAKT_BENCHMARKS = `root` if given): the path column.
    let bench = |set: &str, root: Option<&Path>| -> Vec<String> {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_takt"));
        cmd.current_dir(dir).args([
            "bench",
            set,
            "--solver",
            "dispatch",
            "--threads",
            "1",
            "--quiet",
            "--csv",
            "b.csv",
        ]);
        match root {
            Some(r) => cmd.env("TAKT_BENCHMARKS", r),
            None => cmd.env_remove("TAKT_BENCHMARKS"),
        };
        let out = cmd.output().expect("takt runs");
        assert_eq!(out.status.code(), Some(0), "{set}: {}", text(&out));
        let mut reader = csv::Reader::from_path(dir.join("b.csv")).unwrap();
        let col = reader.headers().unwrap().iter().position(|h| h == "path");
        let col = col.expect("a path column");
        reader
            .records()
            .map(|r| r.unwrap()[col].to_string())
            .collect()
    };
    let g = std::fs::canonicalize(dir.join("gen/g.yaml")).unwrap();
    let g = g.display().to_string();
    assert_eq!(
        bench("list.txt", None),
        ["jssp/ft06.txt", "smwt/wt40.txt#17", g.as_str()]
    );
    assert_eq!(bench("gen", None), ["gen/g.yaml"]);
    let la01 = shared_benchmark("jssp/la01.txt");
    assert_eq!(bench(&la01, None), ["jssp/la01.txt"]);
    // With $TAKT_BENCHMARKS the root is that directory: the vendored copy is outside it.
    let other = dir.join("other");
    assert_eq!(bench("jssp", Some(&other)), ["jssp/ft06.txt"]);
    assert_eq!(bench(&la01, Some(&other)), [la01.as_str()]);
}
