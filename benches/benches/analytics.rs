//! Disclosure control and benchmarking over a national practice table (6,500 practices × 50
//! indicators), and XmR charts over 1,250 PCNs × 60 months, each beside one pass over the same
//! columns in the same run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt64Type};
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pcnkit_indicators::benchmark::{BenchmarkSpec, Comparator, Polarity};
use pcnkit_indicators::disclosure::{DisclosureSpec, Policy};
use pcnkit_indicators::spc::{Direction, SpcOptions};
use pcnkit_indicators::spc_table::SpcSpec;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// 6,500 practices × 50 indicators: counts (a fifth of them small), a denominator, a value and
/// its limits.
fn practices() -> RecordBatch {
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    let n = 6_500 * 50;
    let mut indicator = Vec::with_capacity(n);
    let mut practice = Vec::with_capacity(n);
    let (mut count, mut pop, mut value, mut lower, mut upper) =
        (vec![], vec![], vec![], vec![], vec![]);
    for p in 0..6_500 {
        for i in 0..50 {
            indicator.push(format!("I{i:02}"));
            practice.push(format!("P{p:05}"));
            let c: u64 = if rng.random_bool(0.2) {
                rng.random_range(0..8)
            } else {
                rng.random_range(8..900)
            };
            let d: u64 = rng.random_range(2_000..15_000);
            count.push(c);
            pop.push(d);
            let v = c as f64 / d as f64 * 100.0;
            value.push(v);
            lower.push(v * 0.9);
            upper.push(v * 1.1);
        }
    }
    RecordBatch::try_from_iter([
        (
            "indicator",
            Arc::new(StringArray::from(indicator)) as ArrayRef,
        ),
        ("practice", Arc::new(StringArray::from(practice))),
        ("count", Arc::new(UInt64Array::from(count))),
        ("population", Arc::new(UInt64Array::from(pop))),
        ("value", Arc::new(Float64Array::from(value))),
        ("lowercl", Arc::new(Float64Array::from(lower))),
        ("uppercl", Arc::new(Float64Array::from(upper))),
    ])
    .unwrap()
}

/// 1,250 PCNs × 60 months of activity.
fn months() -> RecordBatch {
    let mut rng = ChaCha8Rng::seed_from_u64(60);
    let (mut pcn, mut month, mut value) = (vec![], vec![], vec![]);
    for p in 0..1_250 {
        for m in 0..60 {
            pcn.push(format!("U{p:05}"));
            month.push(format!("{}-{:02}", 2021 + m / 12, m % 12 + 1));
            value.push(10_000.0 + rng.random_range(-500.0..500.0));
        }
    }
    RecordBatch::try_from_iter([
        ("pcn", Arc::new(StringArray::from(pcn)) as ArrayRef),
        ("month", Arc::new(StringArray::from(month))),
        ("value", Arc::new(Float64Array::from(value))),
    ])
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let t = practices();
    let mut group = c.benchmark_group("analytics: 6,500 practices x 50 indicators");
    group.sample_size(10);
    group.throughput(Throughput::Elements(t.num_rows() as u64));
    group.bench_function("floor: one pass over the two count columns", |b| {
        b.iter(|| {
            let c = t.column(2).as_primitive::<UInt64Type>();
            let d = t.column(3).as_primitive::<UInt64Type>();
            let mut small = 0u64;
            for i in 0..t.num_rows() {
                small += u64::from((1..=7).contains(&c.value(i))) + u64::from(d.value(i) % 5 == 0);
            }
            black_box(small)
        })
    });
    let policy = Policy::builtin("nhs-england").unwrap();
    group.bench_function("disclosure: NHS England rule, primary only", |b| {
        b.iter(|| {
            DisclosureSpec::new(policy.clone(), &["count", "population"])
                .run(std::slice::from_ref(&t))
                .unwrap()
        })
    });
    group.bench_function(
        "disclosure: NHS England rule with secondary suppression within each indicator's total",
        |b| {
            b.iter(|| {
                DisclosureSpec::new(policy.clone(), &["count", "population"])
                    .margin(&["indicator"])
                    .run(std::slice::from_ref(&t))
                    .unwrap()
            })
        },
    );
    group.bench_function(
        "floor: one pass over value and limits against a value",
        |b| {
            b.iter(|| {
                let l = t.column(5).as_primitive::<Float64Type>();
                let u = t.column(6).as_primitive::<Float64Type>();
                let mut n = 0u64;
                for i in 0..t.num_rows() {
                    n += u64::from(l.value(i) > 5.0) + u64::from(u.value(i) < 5.0);
                }
                black_box(n)
            })
        },
    );
    group.bench_function("benchmark: interval against a value, by indicator", |b| {
        b.iter(|| {
            BenchmarkSpec::new(
                "value",
                "lowercl",
                "uppercl",
                Comparator::Value(5.0),
                Polarity::LowIsGood,
            )
            .group_by(&["indicator"])
            .run(std::slice::from_ref(&t))
            .unwrap()
        })
    });
    group.finish();

    let m = months();
    let mut group = c.benchmark_group("analytics: SPC 1,250 PCNs x 60 months");
    group.sample_size(10);
    group.throughput(Throughput::Elements(m.num_rows() as u64));
    group.bench_function(
        "floor: one pass computing each PCN's mean and mean moving range",
        |b| {
            b.iter(|| {
                let v = m.column(2).as_primitive::<Float64Type>();
                let mut out = Vec::with_capacity(1_250);
                for p in 0..1_250 {
                    let s = &v.values()[p * 60..(p + 1) * 60];
                    let mean = s.iter().sum::<f64>() / 60.0;
                    let mr = s.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / 59.0;
                    out.push((mean, mr));
                }
                black_box(out)
            })
        },
    );
    group.bench_function("spc: XmR charts with every rule, one per PCN", |b| {
        b.iter(|| {
            SpcSpec::new(
                "value",
                "month",
                SpcOptions::default().direction(Direction::Increase),
            )
            .group_by(&["pcn"])
            .run(std::slice::from_ref(&m))
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
