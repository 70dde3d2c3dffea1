//! Solver schedules on instances with operators, setters and materials pass the referee, and
//! the objective every solver reports is the one recomputed from the schedule.

mod common;
use common::fixed_iterations;

use proptest::prelude::*;
use std::process::Command;
use takt::check::check;
use takt::eval::evaluate_schedule;
use takt::generate::{generate, GenConfig};
use takt::model::parse_instance;
use takt::solve::search::search;

fn takt() -> Command {
    Command::new(env!("CARGO_BIN_EXE_takt"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn heuristic_schedules_with_resources_and_materials_pass_the_referee(
        seed in any::<u64>(),
        jobs in 3usize..14,
        machines in 2usize..7,
        plants in 1usize..4,
        operators in 1usize..4,
        calendars in any::<bool>(),
        changeovers in any::<bool>(),
        materials in any::<bool>(),
    ) {
        let yaml = generate(&GenConfig {
            jobs,
            machines,
            plants,
            seed,
            calendars,
            changeovers,
            tightness: 2.0,
            operators,
            materials,
        });
        let p = parse_instance(&yaml, "generated.yaml").expect("generated instances are valid");
        prop_assert!(p.has_secondary());
        let out = search(&p, &fixed_iterations(300, 1, seed));
        let out = match out {
            Ok(o) => o,
            Err(e) => return Err(TestCaseError::fail(format!("seed {seed}: no schedule: {e}"))),
        };
        let v = check(&p, &out.result.schedule);
        prop_assert!(v.is_empty(), "seed {seed}: {:?}", v.iter().map(|v| &v.message).collect::<Vec<_>>());
        let again = evaluate_schedule(&p, &out.result.schedule);
        prop_assert!((again.value - out.result.evaluation.value).abs() <= 1e-6 * again.value.abs().max(1.0));
        // The dispatching start is valid too, and never better than the search's result.
        let d = takt::solve::solve_dispatch(&p).unwrap();
        prop_assert!(check(&p, &d.schedule).is_empty());
        prop_assert!(!d.evaluation.better_than(&out.result.evaluation));
    }
}

#[test]
fn mip_refuses_secondary_resources_by_name_and_auto_falls_back() {
    let dir = tempfile::tempdir().unwrap();
    for (example, feature) in [
        ("operators-and-molds", "secondary resources"),
        ("materials-mrp", "materials"),
    ] {
        let inst = format!("instances/examples/{example}.yaml");
        let out = dir.path().join(format!("{example}.yaml"));
        let r = takt()
            .args(["solve", &inst, "--solver", "mip", "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(r.status.code(), Some(2), "{example}");
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(err.contains(feature), "{example}: {err}");
        assert!(!out.exists(), "nothing written when the MIP refuses");

        let r = takt()
            .args([
                "solve",
                &inst,
                "--solver",
                "auto",
                "--iterations",
                "500",
                "--quiet",
                "-o",
            ])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            r.status.code(),
            Some(0),
            "{example}: {}",
            String::from_utf8_lossy(&r.stderr)
        );
        let r = takt().args(["check", &inst]).arg(&out).output().unwrap();
        assert_eq!(
            r.status.code(),
            Some(0),
            "{example}: {}",
            String::from_utf8_lossy(&r.stdout)
        );
    }
}

#[test]
fn schedule_files_carry_the_chosen_resources() {
    let dir = tempfile::tempdir().unwrap();
    let inst = "instances/examples/operators-and-molds.yaml";
    let out = dir.path().join("s.csv");
    let r = takt()
        .args(["solve", inst, "--iterations", "500", "--quiet", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(0));
    let text = std::fs::read_to_string(&out).unwrap();
    let header = text.lines().next().unwrap();
    assert!(
        header.ends_with("resources,changeover_resources"),
        "{header}"
    );
    // Every molding operation names an operator crew and one mold of its alternatives.
    for line in text.lines().skip(1).filter(|l| l.contains(",mold,")) {
        assert!(line.contains("operators;mold-"), "{line}");
    }
    // Reading the file back gives the same choices, and the referee judges those choices.
    let p = takt::model::load_instance(std::path::Path::new(inst)).unwrap();
    let s = takt::schedule::read_schedule(&p, &out).unwrap();
    assert!(!s.resources.is_empty());
    assert!(check(&p, &s).is_empty());
    // Swapping every A-mold choice to the other A-mold may be valid or not, but dropping the
    // choice for an operation with alternatives can never pass.
    let mut broken = s.clone();
    let (&op, _) = broken
        .resources
        .iter()
        .find(|(&o, _)| p.op(o).require.iter().any(|r| r.options.len() > 1))
        .unwrap();
    broken.resources.remove(&op);
    assert!(!check(&p, &broken).is_empty());
}
