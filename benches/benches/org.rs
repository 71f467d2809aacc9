//! National-scale import of registered-patient counts, registry build and snapshot.
// Benches set up their inputs with unwrap: a failure there is a broken bench, not bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pcnkit_benches::national::{pcn_code, practice_code, quin_age_csv};
use pcnkit_core::{PcnCode, Period, PracticeCode};
use pcnkit_org::import::{ImportOptions, read_registered_patients};
use pcnkit_org::{Level, Membership, Pcn, Practice, Registry};
use std::hint::black_box;

const PRACTICES: u32 = 6_500;
const MONTHS: u32 = 12;

fn national(c: &mut Criterion) {
    let csv = quin_age_csv(PRACTICES, MONTHS, 7);
    let rows = u64::from(PRACTICES * MONTHS * 38);
    let mut group = c.benchmark_group("org national");
    group.sample_size(10);
    group.throughput(Throughput::Elements(rows));
    group.bench_function("import 2.96M registered-patient rows", |b| {
        b.iter(|| {
            let imported = read_registered_patients(
                black_box(csv.as_bytes()),
                ImportOptions::new("national.csv"),
            )
            .unwrap();
            assert!(imported.errors.is_empty());
            imported.records.len()
        })
    });
    let imported =
        read_registered_patients(csv.as_bytes(), ImportOptions::new("national.csv")).unwrap();
    let counts: Vec<_> = imported
        .records
        .iter()
        .filter_map(|r| r.to_list_size())
        .collect();
    let start = NaiveDate::from_ymd_opt(2019, 7, 1).unwrap();
    let build = || {
        let mut b = Registry::builder();
        for i in 0..PRACTICES {
            let practice = PracticeCode::new(&practice_code(i)).unwrap();
            let pcn = PcnCode::new(&pcn_code(i)).unwrap();
            b.practice(Practice::new(practice, "Practice"));
            b.pcn_if_absent(Pcn::new(pcn, "PCN"));
            b.membership(Membership::new(practice, pcn, Period::starting(start)));
        }
        b.list_sizes(counts.iter().cloned());
        b.build().unwrap()
    };
    group.bench_function("build registry (6,500 practices, 12 extracts)", |b| {
        b.iter(build)
    });
    let registry = build();
    let date = NaiveDate::from_ymd_opt(2025, 2, 15).unwrap();
    group.throughput(Throughput::Elements(u64::from(PRACTICES)));
    group.bench_function("snapshot as at a date", |b| {
        b.iter(|| registry.snapshot(black_box(date)).rows.len())
    });
    group.bench_function("roll up to PCNs", |b| {
        b.iter(|| registry.rollup(Level::Pcn, black_box(date)).unwrap().len())
    });
    group.finish();
}

criterion_group!(benches, national);
criterion_main!(benches);
