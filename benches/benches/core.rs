//! Parsing and arithmetic of the core vocabulary.
// Benches set up their inputs with unwrap: a failure there is a broken bench, not bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pcnkit_benches::practice_code_texts;
use pcnkit_core::{FinancialYear, Money, PracticeCode};
use std::hint::black_box;

fn parse_codes(c: &mut Criterion) {
    let texts = practice_code_texts(1_000_000, 42);
    let mut group = c.benchmark_group("core");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.sample_size(20);
    group.bench_function("parse 1M practice codes", |b| {
        b.iter(|| {
            texts
                .iter()
                .filter(|t| PracticeCode::new(black_box(t)).is_ok())
                .count()
        })
    });
    let amounts: Vec<Money> = (0..1_000_000i64)
        .map(|i| Money::from_pence(i * 37 - 5_000_000))
        .collect();
    group.bench_function("sum 1M money amounts", |b| {
        b.iter(|| Money::sum(black_box(&amounts).iter().copied()))
    });
    let years: Vec<String> = (0..100_000)
        .map(|i| format!("{}/{:02}", 1950 + i % 200, (1951 + i % 200) % 100))
        .collect();
    group.throughput(Throughput::Elements(years.len() as u64));
    group.bench_function("parse 100k financial years", |b| {
        b.iter(|| {
            years
                .iter()
                .filter(|t| black_box(t).parse::<FinancialYear>().is_ok())
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, parse_codes);
criterion_main!(benches);
