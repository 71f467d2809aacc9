//! A national ARRS run: 1,250 PCNs, 40,000 staff records, 12 months.
// Benches set up their inputs with unwrap: a failure there is a broken bench, not bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pcnkit_arrs::{
    ClaimsOptions, EntitlementOptions, PcnInputs, RuleBook, StaffMember, claims_with, entitlement,
    summarise,
};
use pcnkit_benches::SplitMix64;
use pcnkit_core::PcnCode;
use pcnkit_core::{FinancialYear, Money, Wte};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::hint::black_box;

const PCNS: usize = 1_250;
const STAFF: usize = 40_000;
const ROLES: [&str; 6] = [
    "clinical_pharmacist",
    "pharmacy_technician",
    "advanced_practitioner",
    "enhanced_practice_nurse",
    "general_practice_nurse_new",
    "healthcare_support_worker",
];

fn national(c: &mut Criterion) {
    let book = RuleBook::builtin();
    let year: FinancialYear = "2025/26".parse().unwrap();
    let mut rng = SplitMix64::new(11);
    let inputs: Vec<PcnInputs> = (0..PCNS)
        .map(|_| {
            let mut p = PcnInputs::weighted(Decimal::from(30_000 + rng.below(40_000)));
            p.registered = p.weighted;
            p
        })
        .collect();
    let mut staff: Vec<Vec<StaffMember>> = vec![Vec::new(); PCNS];
    for i in 0..STAFF {
        let role = ROLES[rng.below(ROLES.len() as u64) as usize];
        let wte = Wte::new(Decimal::new(20 + rng.below(81) as i64, 2)).unwrap();
        let start =
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(rng.below(700));
        let cost = Money::from_pounds(Decimal::from(25_000 + rng.below(60_000)));
        let mut s = StaffMember::new(format!("S{i}"), role, wte, start, cost);
        if rng.below(5) == 0 {
            s.end = Some(start + chrono::Days::new(30 + rng.below(400)));
        }
        staff[i % PCNS].push(s);
    }
    let mut group = c.benchmark_group("arrs national");
    group.sample_size(10);
    group.throughput(Throughput::Elements((STAFF * 12) as u64));
    for (name, options) in [
        (
            "entitlement + 12 months of claims: 1,250 PCNs, 40,000 staff",
            ClaimsOptions::default(),
        ),
        (
            "entitlement + 12 months of claims with explain traces: 1,250 PCNs, 40,000 staff",
            ClaimsOptions::explained(),
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut total = pcnkit_core::MoneyTotal::ZERO;
                for (p, s) in inputs.iter().zip(&staff) {
                    let e = entitlement(book, year, p, EntitlementOptions::default()).unwrap();
                    let report = claims_with(book, year, p, &e, black_box(s), options).unwrap();
                    total = total.checked_add(report.total().unwrap()).unwrap();
                }
                total
            })
        });
    }
    // The national run as a library user makes it: every PCN's entitlement, claims and
    // summary from one staff list (`summarise`, PCNs in parallel).
    let codes: Vec<PcnCode> = (0..PCNS)
        .map(|i| format!("U{:05}", 10_000 + i).parse().unwrap())
        .collect();
    let pcns: BTreeMap<PcnCode, PcnInputs> =
        codes.iter().copied().zip(inputs.iter().cloned()).collect();
    let everyone: Vec<StaffMember> = staff
        .iter()
        .zip(&codes)
        .flat_map(|(list, code)| {
            list.iter().cloned().map(move |mut s| {
                s.pcn = Some(*code);
                s
            })
        })
        .collect();
    group.bench_function(
        "national summary (summarise): 1,250 PCNs, 40,000 staff, 12 months",
        |b| b.iter(|| summarise(book, year, &pcns, black_box(&everyone)).unwrap()),
    );
    group.finish();
}

criterion_group!(benches, national);
criterion_main!(benches);
