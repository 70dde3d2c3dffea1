//! Decode throughput: operations decoded per second on a generated 2,000-operation instance with
//! calendars, changeovers and two plants (the evaluator is the local search's inner loop).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use takt::eval::Decoder;
use takt::generate::{generate, GenConfig};
use takt::model::parse_instance;
use takt::solve::dispatch::{construct, Rule};

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
    g.throughput(Throughput::Elements(problem.ops.len() as u64));
    g.bench_function(
        format!("{}ops_calendars_changeovers", problem.ops.len()),
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
    g.throughput(Throughput::Elements(plain.ops.len() as u64));
    g.bench_function(format!("{}ops_no_calendars", plain.ops.len()), |b| {
        b.iter(|| {
            dec.decode(&plain, black_box(&seq)).unwrap();
            black_box(dec.evaluate(&plain).value)
        })
    });
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

criterion_group!(benches, bench_decode, bench_parse);
criterion_main!(benches);
