//! Indicator methods over Arrow: DSR, rates and proportions for 10,000 areas × 19 age bands,
//! the floor of one pass over the input columns, and ratio funnels for 300 areas.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use arrow_array::RecordBatch;
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_schema::{DataType, Field, Schema};
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pcnkit_benches::indicators_input;
use pcnkit_indicators::{Confidence, DsrSpec, ProportionSpec, RateSpec, RepeatedBands, Standard};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let batch = indicators_input(10_000, 3);
    let levels = [Confidence::C95, Confidence::C998];
    let mut group = c.benchmark_group("indicators 10,000 areas x 19 bands");
    group.sample_size(20);
    group.throughput(Throughput::Elements(batch.num_rows() as u64));
    group.bench_function(
        "floor: one pass summing the two numeric columns by area",
        |b| {
            b.iter(|| {
                let counts = batch.column(2).as_primitive::<Int64Type>();
                let pops = batch.column(3).as_primitive::<Int64Type>();
                let mut sums = vec![(0i64, 0i64); 10_000];
                for i in 0..batch.num_rows() {
                    let s = &mut sums[i / 19];
                    s.0 += counts.value(i);
                    s.1 += pops.value(i);
                }
                black_box(sums)
            })
        },
    );
    group.bench_function(
        "floor: one pass over all four columns (area runs, band labels, two sums)",
        |b| {
            b.iter(|| {
                let area = batch.column(0).as_string::<i32>();
                let band = batch.column(1).as_string::<i32>();
                let counts = batch.column(2).as_primitive::<Int64Type>();
                let pops = batch.column(3).as_primitive::<Int64Type>();
                let mut sums: Vec<(i64, i64, usize)> = Vec::with_capacity(10_000);
                let mut previous = "";
                for i in 0..batch.num_rows() {
                    let a = area.value(i);
                    if a != previous || sums.is_empty() {
                        sums.push((0, 0, 0));
                        previous = a;
                    }
                    if let Some(s) = sums.last_mut() {
                        s.0 += counts.value(i);
                        s.1 += pops.value(i);
                        s.2 += band.value(i).len();
                    }
                }
                black_box(sums)
            })
        },
    );
    group.bench_function("dsr, 95% and 99.8%", |b| {
        b.iter(|| {
            DsrSpec::new(
                "count",
                "population",
                Standard::Esp2013 {
                    age_band: "age_band",
                },
            )
            .group_by(&["area"])
            .levels(levels.to_vec())
            .multiplier(100_000.0)
            .repeated_bands(RepeatedBands::Refuse)
            .run(black_box(std::slice::from_ref(&batch)))
            .unwrap()
        })
    });
    // The same DSR grouped by keys as dataframes hand them over: a pandas categorical or polars
    // enum arrives dictionary-encoded, polars strings as views (both go through Arrow's row
    // format, the text keys above through the hand-written path).
    for (name, keyed) in [
        (
            "dsr, 95% and 99.8%, dictionary keys",
            with_area_as(
                &batch,
                &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            ),
        ),
        (
            "dsr, 95% and 99.8%, string-view keys",
            with_area_as(&batch, &DataType::Utf8View),
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                DsrSpec::new(
                    "count",
                    "population",
                    Standard::Esp2013 {
                        age_band: "age_band",
                    },
                )
                .group_by(&["area"])
                .levels(levels.to_vec())
                .multiplier(100_000.0)
                .repeated_bands(RepeatedBands::Refuse)
                .run(black_box(std::slice::from_ref(&keyed)))
                .unwrap()
            })
        });
    }
    group.bench_function("crude rate, 95% and 99.8%", |b| {
        b.iter(|| {
            RateSpec::new("count", "population")
                .group_by(&["area"])
                .levels(levels.to_vec())
                .multiplier(100_000.0)
                .run(black_box(std::slice::from_ref(&batch)))
                .unwrap()
        })
    });
    group.bench_function("proportion, 95% and 99.8%", |b| {
        b.iter(|| {
            ProportionSpec::new("count", "population")
                .group_by(&["area"])
                .levels(levels.to_vec())
                .multiplier(100.0)
                .run(black_box(std::slice::from_ref(&batch)))
                .unwrap()
        })
    });
    group.finish();
}

/// The batch with its `area` column cast to `target`.
fn with_area_as(batch: &RecordBatch, target: &DataType) -> RecordBatch {
    let mut fields: Vec<Field> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    let mut columns = batch.columns().to_vec();
    columns[0] = arrow_cast::cast(&columns[0], target).unwrap();
    fields[0] = Field::new("area", target.clone(), false);
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
}

/// Ratio funnels (observed against expected counts): the 100-point limits and each area's
/// significance for 300 areas with expected counts from 5 to about 1,500 — the exact Poisson
/// limits solved by bisection at every point are the cost.
fn funnels(c: &mut Criterion) {
    use pcnkit_indicators::funnel::{FunnelInput, FunnelKind, RatioScale, funnel};
    let rows: Vec<FunnelInput> = (0..300)
        .map(|i| {
            let expected = 5.0 + 5.0 * f64::from(i);
            FunnelInput {
                numerator: (expected * (0.8 + 0.4 * f64::from(i % 7) / 6.0)).round(),
                denominator: Some(expected),
                rate: None,
            }
        })
        .collect();
    let mut group = c.benchmark_group("funnels 300 areas");
    group.sample_size(20);
    group.bench_function("ratio funnel: limits and significance", |b| {
        b.iter(|| funnel(black_box(&rows), FunnelKind::Ratio(RatioScale::Ratio)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench, funnels);
criterion_main!(benches);
