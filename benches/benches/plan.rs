//! Workforce planning at national scale (issue 19): community health and wellbeing workers
//! across every LSOA in England (32,844; 1,000 when run as a test), and GP population-health
//! lead patches for a large ICB's PCNs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use pcnkit_benches::SplitMix64;
use pcnkit_core::ImdDecile;
use pcnkit_plan::chww::{ChwwConfig, NeedArea, Weighting, Workforce, plan_chww};
use pcnkit_plan::leads::{Adjacency, LeadPlanConfig, PcnArea, plan_leads};
use std::hint::black_box;

fn areas(n: usize, seed: u64) -> Vec<NeedArea> {
    let mut rng = SplitMix64::new(seed);
    (0..n)
        .map(|i| {
            let decile = ImdDecile::new(1 + (rng.below(10) as u8)).unwrap();
            NeedArea::new(format!("E01{i:06}"), 400 + rng.below(500), decile)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let full = std::env::args().any(|a| a == "--bench");
    let n = if full { 32_844 } else { 1_000 };
    let lsoas = areas(n, 19);
    let mut group = c.benchmark_group(format!("plan {n} LSOAs"));
    for workers in [1_000u64, 10_000] {
        let config = ChwwConfig::new(Workforce::Workers(workers), 120, Weighting::Proportionate);
        group.bench_function(format!("CHWWs: {workers} workers, proportionate"), |b| {
            b.iter(|| black_box(plan_chww(&lsoas, &config, "bench").unwrap().workers_placed))
        });
    }
    group.finish();

    // A large ICB: 40 PCNs of 25,000-60,000 patients in a ring of neighbourhoods, each
    // bordering the next two.
    let mut rng = SplitMix64::new(5);
    let codes: Vec<pcnkit_core::PcnCode> = (0..40)
        .map(|i| format!("U{:05}", 10_000 + i).parse().unwrap())
        .collect();
    let pcns: Vec<PcnArea> = codes
        .iter()
        .map(|c| {
            PcnArea::new(
                *c,
                25_000 + rng.below(35_000),
                Some(10.0 + rng.below(40) as f64),
            )
        })
        .collect();
    let pairs = (0..codes.len()).flat_map(|i| {
        [
            (codes[i], codes[(i + 1) % 40]),
            (codes[i], codes[(i + 2) % 40]),
        ]
    });
    let map = Adjacency::from_pairs(pairs, "bench ring");
    let config =
        LeadPlanConfig::new(pcnkit_org::rules::PopulationHealthGpPolicy::proposed().unwrap());
    let mut group = c.benchmark_group("plan leads");
    group.sample_size(10);
    group.bench_function("40 PCNs, fewest leads", |b| {
        b.iter(|| black_box(plan_leads(&pcns, &map, &config).unwrap().patches.len()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
