//! Brute force on tiny instances: every assignment and every machine order is decoded, and each
//! decoded schedule is compared with a naive minute-by-minute simulator written in the test.
//! The evaluator's best over all sequences must equal the naive simulator's optimum; since
//! every regular objective has an optimal semi-active schedule, that is the true optimum.

mod common;
use common::naive::simulate;
use common::{for_each_sequence, random_instance, GenOptions};
use takt::eval::Decoder;
use takt::model::{MachineId, OpId};

#[test]
fn decoder_matches_naive_simulator_and_finds_the_optimum() {
    let opts = GenOptions {
        max_jobs: 3,
        max_ops_per_job: 2,
        max_machines: 2,
        earliness: false,
    };
    let mut instances = 0;
    for seed in 0..300u64 {
        let p = random_instance(seed, &opts);
        if p.ops().len() > 6 {
            continue;
        }
        instances += 1;
        let mut dec = Decoder::new(&p);
        let mut best_decoder = f64::INFINITY;
        let mut best_naive = f64::INFINITY;
        let mut sequences = 0;
        for_each_sequence(&p, &mut |seq| {
            let naive = simulate(&p, seq);
            match dec.decode(&p, seq) {
                Ok(()) => {
                    let naive =
                        naive.expect("naive simulator deadlocks where the decoder does not");
                    for (o, &(ss, s, e)) in naive.iter().enumerate() {
                        assert_eq!(
                            (dec.setup_start[o], dec.start[o], dec.end[o]),
                            (ss, s, e),
                            "seed {seed}: op {} differs from the naive simulator",
                            p.op_name(OpId(o as u32))
                        );
                    }
                    sequences += 1;
                    best_decoder = best_decoder.min(dec.evaluate(&p).value);
                    // The objective from the naive times, computed here.
                    let mut value = 0.0;
                    let w = p.objective();
                    let mut makespan = 0;
                    let mut changeover = 0;
                    for (mi, order) in seq.order.iter().enumerate() {
                        let m = MachineId(mi as u32);
                        let mut fam = p.machine(m).initial_family;
                        for &o in order {
                            changeover += p.changeover(m, fam, p.op(o).family);
                            fam = p.op(o).family;
                        }
                    }
                    for job in p.jobs() {
                        let c = naive[job.last_op().idx()].2;
                        makespan = makespan.max(c);
                        value += w.flow_time * job.weight * (c - job.release) as f64;
                        if let Some(d) = job.due {
                            value += w.weighted_tardiness * job.weight * (c - d).max(0) as f64;
                            value += w.late_jobs * if c > d { job.weight } else { 0.0 };
                        }
                    }
                    value += w.makespan * makespan as f64 + w.changeover_time * changeover as f64;
                    best_naive = best_naive.min(value);
                }
                Err(_) => assert!(
                    naive.is_none(),
                    "seed {seed}: decoder fails where the naive simulator does not"
                ),
            }
        });
        assert!(sequences > 0);
        assert!(
            (best_decoder - best_naive).abs() < 1e-6,
            "seed {seed}: evaluator's best {best_decoder} != naive optimum {best_naive}"
        );
        // The constructive solver can never beat the optimum.
        let r = takt::solve::solve_dispatch(&p).unwrap();
        assert!(r.evaluation.value >= best_naive - 1e-6);
    }
    assert!(
        instances >= 20,
        "too few tiny instances generated: {instances}"
    );
}
