//! Brute force on tiny instances: every assignment and every machine order is decoded, and each
//! decoded schedule is compared with a naive minute-by-minute simulator written in the test.
//! The evaluator's best over all sequences must equal the naive simulator's optimum; since
//! every regular objective has an optimal semi-active schedule, that is the true optimum.

mod common;
use common::naive::simulate;
use common::{random_instance, GenOptions};
use takt::eval::{Decoder, Sequence};
use takt::model::{MachineId, OpId, Problem};

fn permutations(v: &[OpId]) -> Vec<Vec<OpId>> {
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
fn for_each_sequence(p: &Problem, f: &mut dyn FnMut(&Sequence)) {
    let n = p.ops.len();
    let mut choice = vec![0usize; n];
    loop {
        let machine_of: Vec<MachineId> =
            (0..n).map(|o| p.ops[o].modes[choice[o]].machine).collect();
        let per_machine: Vec<Vec<Vec<OpId>>> = (0..p.machines.len())
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
            f(&Sequence {
                machine_of: machine_of.clone(),
                order,
            });
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
            if choice[k] < p.ops[k].modes.len() {
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
        if p.ops.len() > 6 {
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
                    let w = p.objective;
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
                    for job in &p.jobs {
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
