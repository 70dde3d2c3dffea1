//! Plant-scale behaviour that is not about speed: generated deadlines are feasible by
//! construction, and a search that ends with missed hard deadlines still writes its schedule,
//! names the jobs and exits 1 (never an internal error).

mod common;
use common::cli::{takt, text};
use takt::check::{check, Rule};
use takt::generate::{add_deadlines, generate, generate_raw, GenConfig};
use takt::model::parse_instance;
use takt::model::time::RawInstant;
use takt::model::write::yaml_text;

fn base(jobs: usize, seed: u64) -> String {
    generate(&GenConfig {
        jobs,
        machines: 8,
        plants: 2,
        seed,
        ..GenConfig::default()
    })
}

#[test]
fn generated_deadlines_are_met_by_their_witness() {
    for seed in 1..=4 {
        let (yaml, witness) = add_deadlines(&base(60, seed), 0.3, seed).unwrap();
        let p = parse_instance(&yaml, "generated.yaml").unwrap();
        let with_deadline = p.jobs().iter().filter(|j| j.deadline.is_some()).count();
        assert!(
            (5..=35).contains(&with_deadline),
            "seed {seed}: {with_deadline} deadlines for a share of 0.3 of 60 jobs"
        );
        let v = check(&p, &witness);
        assert!(
            v.is_empty(),
            "seed {seed}: {:?}",
            v.first().map(|v| &v.message)
        );
        // Tight: some deadline is within a day of the witness's completion.
        assert!(p.jobs().iter().any(|j| j.deadline.is_some_and(|d| {
            let c = witness
                .ops
                .iter()
                .filter(|s| s.op == j.last_op())
                .map(|s| s.end)
                .max()
                .unwrap();
            d - c <= 24 * 60
        })));
    }
}

#[test]
fn generate_deadlines_flag_writes_deadlines_and_refuses_a_bad_share() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("g.yaml");
    let o = takt(&[
        "generate",
        "--jobs",
        "40",
        "--machines",
        "6",
        "--seed",
        "5",
        "--calendars",
        "--deadlines",
        "0.25",
        "-q",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let yaml = std::fs::read_to_string(&out).unwrap();
    assert!(yaml.matches("deadline:").count() >= 3, "{yaml}");
    let o = takt(&["generate", "--deadlines", "1.5"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--deadlines"), "{}", text(&o));
}

/// Two jobs get a deadline an hour after their release, which their work cannot meet.
fn impossible_deadlines(jobs: usize, seed: u64) -> (String, Vec<String>) {
    let mut raw = generate_raw(&GenConfig {
        jobs,
        machines: 8,
        plants: 2,
        seed,
        ..GenConfig::default()
    });
    let mut named = Vec::new();
    for job in raw.jobs.iter_mut().filter(|j| j.id.ends_with('3')).take(2) {
        let release = match job.release {
            Some(RawInstant::Minutes(m)) => m,
            None => 0,
            Some(other) => panic!("the generator writes releases in minutes, not {other:?}"),
        };
        job.deadline = Some(RawInstant::Minutes(release + 60));
        named.push(job.id.clone());
    }
    (yaml_text(&raw, ""), named)
}

#[test]
fn missed_deadlines_still_write_the_schedule_name_the_jobs_and_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let (yaml, named) = impossible_deadlines(40, 7);
    assert_eq!(named.len(), 2);
    let inst = tmp.path().join("miss.yaml");
    std::fs::write(&inst, yaml).unwrap();
    for solver in [&["--solver", "dispatch"][..], &["--iterations", "200"][..]] {
        let out = tmp.path().join("out.yaml");
        let _ = std::fs::remove_file(&out);
        let mut args = vec![
            "solve",
            inst.to_str().unwrap(),
            "-q",
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(solver);
        let o = takt(&args);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(1), "{t}");
        assert!(!t.contains("internal error"), "{t}");
        for job in &named {
            assert!(t.contains(&format!("missed deadline: job {job} ")), "{t}");
        }
        // The schedule is written, and the referee finds nothing but the missed deadlines.
        assert!(out.exists(), "{t}");
        let p = takt::model::load_instance(&inst).unwrap();
        let s = takt::schedule::read_schedule(&p, &out).unwrap();
        let v = check(&p, &s);
        assert_eq!(v.len(), 2, "{v:?}");
        assert!(v.iter().all(|v| v.rule == Rule::Deadline), "{v:?}");
    }
}
