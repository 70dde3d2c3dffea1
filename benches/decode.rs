//! Decode throughput: operations decoded per second on a generated 2,000-operation instance with
//! calendars, changeovers and two plants (the evaluator is the local search's inner loop), and
//! the same with operators, setters and materials (the priority decoder).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use takt::eval::{Decoder, Sequence};
use takt::generate::{generate, GenConfig};
use takt::model::parse_instance;
use takt::solve::dispatch::{construct, Rule};
use takt::solve::neighbourhood::{block_moves, critical_path, positions, reassign_moves, Move};

fn bench_decode(c: &mut Criterion) {
    // ~300 jobs × 6.5 operations ≈ 2,000 operations.
    let cfg = GenConfig {
        jobs: 300,
        machines: 20,
        plants: 2,
        seed: 7,
        ..GenConfig::default()
    };
    let problem = parse_instance(&generate(&cfg), "bench").expect("generated instance is valid");
    let seq = construct(&problem, Rule::Atc(2.0));
    let mut dec = Decoder::new(&problem);
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Elements(problem.ops().len() as u64));
    g.bench_function(
        format!("{}ops_calendars_changeovers", problem.ops().len()),
        |b| {
            b.iter(|| {
                dec.decode(&problem, black_box(&seq)).unwrap();
                black_box(dec.evaluate(&problem).value)
            })
        },
    );
    let plain = parse_instance(
        &generate(&GenConfig {
            calendars: false,
            changeovers: false,
            ..cfg.clone()
        }),
        "bench",
    )
    .unwrap();
    let seq = construct(&plain, Rule::Mwkr);
    let mut dec = Decoder::new(&plain);
    g.throughput(Throughput::Elements(plain.ops().len() as u64));
    g.bench_function(format!("{}ops_no_calendars", plain.ops().len()), |b| {
        b.iter(|| {
            dec.decode(&plain, black_box(&seq)).unwrap();
            black_box(dec.evaluate(&plain).value)
        })
    });
    // Operators with shift-varying capacity, setters for changeovers, raw materials with
    // receipts and sub-assemblies: the priority decoder.
    let secondary = parse_instance(
        &generate(&GenConfig {
            operators: 4,
            materials: true,
            ..cfg.clone()
        }),
        "bench",
    )
    .unwrap();
    let seq = takt::solve::solve_dispatch(&secondary).unwrap().sequence;
    let mut dec = Decoder::new(&secondary);
    g.throughput(Throughput::Elements(secondary.ops().len() as u64));
    g.bench_function(
        format!("{}ops_operators_materials", secondary.ops().len()),
        |b| {
            b.iter(|| {
                dec.decode(&secondary, black_box(&seq)).unwrap();
                black_box(dec.evaluate(&secondary).value)
            })
        },
    );
    g.finish();
}

/// The priority decode at plant scale (issue 14): the 10,000-operation "secondary" instance of
/// scripts/scale_bench.sh (operators, setters, materials), decoding the schedule of the
/// resource-blind MWKR rule in its start order, as local search decodes sequences.
fn bench_decode_plant(c: &mut Criterion) {
    let problem = parse_instance(
        &generate(&GenConfig {
            jobs: 1550,
            machines: 50,
            plants: 3,
            seed: 1,
            calendars: true,
            changeovers: true,
            operators: 6,
            materials: true,
            ..GenConfig::default()
        }),
        "bench",
    )
    .expect("generated instance is valid");
    let mut dec = Decoder::new(&problem);
    let blind = construct(&problem, Rule::Mwkr);
    dec.decode(&problem, &blind)
        .expect("the rule's sequence decodes");
    let seq = Sequence::from_schedule(&problem, &dec.to_schedule(&problem, &blind));
    let mut g = c.benchmark_group("decode_plant");
    g.sample_size(20);
    g.throughput(Throughput::Elements(problem.ops().len() as u64));
    g.bench_function(
        format!("{}ops_operators_materials", problem.ops().len()),
        |b| {
            b.iter(|| {
                dec.decode(&problem, black_box(&seq)).unwrap();
                black_box(dec.evaluate(&problem).value)
            })
        },
    );
    g.finish();
}

fn bench_parse(c: &mut Criterion) {
    let text = generate(&GenConfig {
        jobs: 300,
        machines: 20,
        ..GenConfig::default()
    });
    c.bench_function("parse_validate_2000ops", |b| {
        b.iter(|| parse_instance(black_box(&text), "bench").unwrap())
    });
}

/// Move evaluation as the local search does it for moves without a fast estimate: apply the move,
/// decode, evaluate, undo. Moves are the critical-block and reassignment moves of the makespan
/// critical path of a dispatching-rule schedule; one iteration evaluates one move (cycling).
fn bench_moves(c: &mut Criterion) {
    let generated = parse_instance(
        &generate(&GenConfig {
            jobs: 300,
            machines: 20,
            plants: 2,
            seed: 7,
            ..GenConfig::default()
        }),
        "bench",
    )
    .unwrap();
    let ta21 = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/benchmarks/jssp/ta21.txt"
    );
    let mut cases = vec![("generated", generated)];
    if let Ok(p) = takt::formats::read(ta21, None) {
        cases.push(("ta21", p));
    }
    let mut g = c.benchmark_group("move_eval");
    g.throughput(Throughput::Elements(1));
    for (label, problem) in &cases {
        let mut seq = construct(problem, Rule::Mwkr);
        let mut dec = Decoder::new(problem);
        dec.decode(problem, &seq).unwrap();
        let mut pos = Vec::new();
        positions(&seq, &mut pos);
        let last = (0..problem.ops().len())
            .max_by_key(|&o| dec.end[o])
            .map(|o| takt::model::OpId(o as u32))
            .unwrap();
        let mut path = Vec::new();
        critical_path(problem, &seq, &dec, &pos, last, &mut path);
        let mut moves: Vec<Move> = Vec::new();
        block_moves(&seq, &pos, &path, &mut moves);
        reassign_moves(problem, &seq, &dec, &pos, &path, &mut moves);
        assert!(!moves.is_empty());
        let mut i = 0;
        g.bench_function(
            format!("{label}_{}ops_{}moves", problem.ops().len(), moves.len()),
            |b| {
                b.iter(|| {
                    let mv = moves[i % moves.len()];
                    i += 1;
                    mv.apply(&mut seq);
                    let v = dec
                        .decode(problem, &seq)
                        .ok()
                        .map(|_| dec.evaluate(problem).value);
                    mv.undo(&mut seq);
                    black_box(v)
                })
            },
        );
    }
    g.finish();
}

criterion_group!(
    benches,
    bench_decode,
    bench_decode_plant,
    bench_parse,
    bench_moves
);
criterion_main!(benches);
