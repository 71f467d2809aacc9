//! Spatial search over a large register: nearest 20 assets of one kind to a point, with the
//! R-tree and with a linear scan, on 1,000,000 assets (10,000 when run as a test).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use pcnkit_assets::{AssetKind, GeoPoint, Query, Register};
use pcnkit_benches::SplitMix64;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let full = std::env::args().any(|a| a == "--bench");
    let n = if full { 1_000_000 } else { 10_000 };
    let at = NaiveDate::from_ymd_opt(2026, 11, 24)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let assets = pcnkit_benches::assets(n, 7);
    let register = Register::from_assets(assets, "bench", at).unwrap();
    let query = Query::new().kind(AssetKind::Pharmacy);
    let mut rng = SplitMix64::new(11);
    let points: Vec<GeoPoint> = (0..1000)
        .map(|_| {
            GeoPoint::new(
                50.5 + rng.below(4_500_000) as f64 / 1e6,
                -4.5 + rng.below(5_500_000) as f64 / 1e6,
            )
            .unwrap()
        })
        .collect();
    let mut group = c.benchmark_group(format!("assets {n}"));
    let mut i = 0;
    group.bench_function("nearest 20 pharmacies (R-tree)", |b| {
        b.iter(|| {
            i = (i + 1) % points.len();
            black_box(register.nearest(points[i], 20, &query).len())
        })
    });
    group.bench_function("nearest 20 pharmacies (linear scan)", |b| {
        b.iter(|| {
            i = (i + 1) % points.len();
            let p = points[i];
            let mut best: Vec<(f64, &pcnkit_assets::Asset)> = register
                .filter(&query)
                .filter_map(|a| a.location.point.map(|q| (p.distance_m(&q), a)))
                .collect();
            let k = 19.min(best.len() - 1);
            best.select_nth_unstable_by(k, |a, b| a.0.total_cmp(&b.0));
            best.truncate(20);
            black_box(best.len())
        })
    });
    group.bench_function("within 1 km, any kind (R-tree)", |b| {
        b.iter(|| {
            i = (i + 1) % points.len();
            black_box(register.within(points[i], 1000.0, &Query::new()).len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
