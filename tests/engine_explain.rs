//! Explain's causes come from the placement engine: for random instances with every feature
//! (calendars, plants and transfers, changeovers, atomic and zero-length operations, releases,
//! pins, operators, setters and materials), the binding cause explain finds for each operation
//! of a decoded schedule, reading only the timed schedule, equals the cause the engine reported
//! when the decoder placed it.

mod common;

use common::{generated_with_secondary, random_instance, random_sequence, GenOptions};
use takt::eval::{Decoder, Sequence};
use takt::formats::to_raw;
use takt::model::raw::RawPin;
use takt::model::time::RawInstant;
use takt::model::validate::validate;
use takt::model::{OpId, Problem};
use takt::report::explain::analyse;
use takt::solve::dispatch::{construct, Rule};

/// Decodes `seq`, explains the schedule, and compares the causes operation by operation.
/// Returns how many operations were compared (0 when the sequence does not decode).
fn compare(p: &Problem, seq: &Sequence, what: &str) -> usize {
    let mut dec = Decoder::new(p);
    if dec.decode(p, seq).is_err() {
        return 0;
    }
    let schedule = dec.to_schedule(p, seq);
    let analysis = analyse(p, &schedule);
    for step in &analysis.steps {
        assert_eq!(
            step.cause,
            dec.cause[step.op.idx()],
            "{what}: operation {} ({:?}) at {}..{} on {:?}: explain says {:?}, the decoder {:?}",
            p.op_name(step.op),
            step.op,
            step.start,
            step.end,
            step.machine,
            step.cause,
            dec.cause[step.op.idx()]
        );
    }
    analysis.steps.len()
}

#[test]
fn explain_cause_equals_decoder_cause_on_random_sequences() {
    let opt = GenOptions {
        max_jobs: 6,
        max_ops_per_job: 4,
        max_machines: 4,
        earliness: true,
    };
    let mut compared = 0;
    for seed in 0..300u64 {
        let p = random_instance(seed, &opt);
        for k in 0..3 {
            compared += compare(
                &p,
                &random_sequence(&p, seed * 7 + k),
                &format!("seed {seed}"),
            );
        }
    }
    assert!(compared > 1000, "only {compared} operations compared");
}

#[test]
fn explain_cause_equals_decoder_cause_with_pins() {
    let opt = GenOptions {
        max_jobs: 5,
        max_ops_per_job: 3,
        max_machines: 3,
        earliness: false,
    };
    let mut compared = 0;
    for seed in 0..200u64 {
        let plain = random_instance(seed, &opt);
        let seq = random_sequence(&plain, seed);
        let mut dec = Decoder::new(&plain);
        if dec.decode(&plain, &seq).is_err() {
            continue;
        }
        // Pin every third operation where it went, later by 0 or 5 minutes (a later pin may be
        // missed: then the sequence does not decode and is skipped).
        // Through the raw instance and validation: a validated Problem is read-only.
        let mut raw = to_raw(&plain);
        let mut o = 0usize;
        for job in raw.jobs.iter_mut() {
            for op in job.operations.iter_mut() {
                if (o as u64 + seed).is_multiple_of(3) {
                    let shift = if (o as u64 + seed).is_multiple_of(2) {
                        0
                    } else {
                        5
                    };
                    op.pinned = Some(RawPin {
                        machine: plain.machines()[seq.machine_of[o].idx()].id.clone(),
                        start: RawInstant::Minutes(dec.start[o] + shift),
                    });
                }
                o += 1;
            }
        }
        // A pin validation rejects (e.g. 5 minutes later, off shift) is not an instance.
        let Ok(p) = validate(&raw) else { continue };
        compared += compare(&p, &seq, &format!("pinned seed {seed}"));
    }
    assert!(compared > 200, "only {compared} operations compared");
}

#[test]
fn explain_cause_equals_decoder_cause_with_resources_and_materials() {
    let mut compared = 0;
    let mut secondary_causes = 0;
    for seed in 0..60u64 {
        let p = generated_with_secondary(seed, 4 + (seed % 8) as usize);
        for rule in [Rule::Mwkr, Rule::Atc(2.0), Rule::Spt] {
            let mut seq = construct(&p, rule);
            compared += compare(&p, &seq, &format!("seed {seed} {}", rule.name()));
            // Another priority order: the reverse of the dispatcher's.
            if seq.priority.len() == p.ops().len() {
                for x in &mut seq.priority {
                    *x = u32::MAX - *x;
                }
                compared += compare(&p, &seq, &format!("seed {seed} reversed {}", rule.name()));
            }
            let mut dec = Decoder::new(&p);
            if dec.decode(&p, &seq).is_ok() {
                secondary_causes += (0..p.ops().len())
                    .filter(|&o| {
                        matches!(
                            dec.cause[OpId(o as u32).idx()],
                            takt::eval::Cause::Resource(_) | takt::eval::Cause::Material(_)
                        )
                    })
                    .count();
            }
        }
    }
    assert!(compared > 1000, "only {compared} operations compared");
    assert!(
        secondary_causes > 50,
        "only {secondary_causes} secondary causes seen"
    );
}
