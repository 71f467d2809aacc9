//! Community health and wellbeing workers proportionate to need (issue 19).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pcnkit_core::{ImdDecile, Money};
use pcnkit_plan::chww::{ChwwConfig, NeedArea, Weighting, Workforce, households_from, plan_chww};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn area(code: &str, households: u64, decile: u8) -> NeedArea {
    NeedArea::new(code, households, ImdDecile::new(decile).unwrap())
}

/// One area of 1,000 households in each decile.
fn ten() -> Vec<NeedArea> {
    (1..=10u8)
        .map(|d| area(&format!("A{d:02}"), 1_000, d))
        .collect()
}

#[test]
fn equal_weighting_covers_every_decile_alike() {
    let plan = plan_chww(
        &ten(),
        &ChwwConfig::new(Workforce::Workers(20), 100, Weighting::Equal),
        "test deciles",
    )
    .unwrap();
    assert!(
        plan.areas.iter().all(|a| a.workers == 2),
        "{:?}",
        plan.areas
    );
    assert_eq!(plan.households_covered, 2_000);
    assert_eq!(plan.most_deprived_quintile_coverage, Some(0.2));
    assert!(plan.sii.unwrap().abs() < 1e-12);
}

#[test]
fn proportionate_weighting_puts_more_where_need_is_greater() {
    let plan = plan_chww(
        &ten(),
        &ChwwConfig::new(Workforce::Workers(55), 100, Weighting::Proportionate),
        "test deciles",
    )
    .unwrap();
    // Claims 10:9:…:1 over 55 workers: exactly 10, 9, …, 1.
    let got: Vec<u64> = plan.areas.iter().map(|a| a.workers).collect();
    assert_eq!(got, vec![10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert_eq!(plan.most_deprived_quintile_coverage, Some(0.95));
    // Coverage falls from most to least deprived: the SII is negative (−1 over the range).
    let sii = plan.sii.unwrap();
    assert!((sii + 1.0).abs() < 1e-9, "{sii}");
    assert!(plan.findings.iter().any(|f| f.rule == "plan.chww.patch"));
}

#[test]
fn an_area_never_gets_more_workers_than_its_households_fill() {
    let areas = vec![area("A", 250, 1), area("B", 10_000, 10)];
    let plan = plan_chww(
        &areas,
        &ChwwConfig::new(Workforce::Workers(20), 100, Weighting::Proportionate),
        "x",
    )
    .unwrap();
    assert_eq!(plan.areas[0].workers, 3); // ⌈250 / 100⌉, though its claim would take more
    assert_eq!(plan.areas[0].households_covered, 250);
    assert_eq!(plan.areas[1].workers, 17);
    // Fewer than 5 deciles with households: no SII, and why.
    assert!(plan.sii.is_none() && plan.sii_note.is_some());
}

#[test]
fn workers_beyond_every_household_are_said_not_placed() {
    let plan = plan_chww(
        &[area("A", 150, 3)],
        &ChwwConfig::new(Workforce::Workers(5), 100, Weighting::Equal),
        "x",
    )
    .unwrap();
    assert_eq!((plan.workers, plan.workers_placed), (5, 2));
    assert!(plan.findings.iter().any(|f| f.rule == "plan.chww.unplaced"));
}

#[test]
fn a_budget_pays_for_whole_workers() {
    let w = Workforce::Budget {
        budget: Money::from_pounds(Decimal::from(100_000)),
        cost_per_worker: Money::from_pounds(Decimal::from(30_000)),
    };
    assert_eq!(
        w.workers().unwrap(),
        (3, Some(Money::from_pounds(Decimal::from(10_000))))
    );
    let zero = Workforce::Budget {
        budget: Money::from_pounds(Decimal::from(1)),
        cost_per_worker: Money::ZERO,
    };
    assert!(zero.workers().is_err());
}

#[test]
fn weightings_by_name_and_what_they_need() {
    assert_eq!("equal".parse::<Weighting>().unwrap(), Weighting::Equal);
    assert_eq!(
        "Proportionate".parse::<Weighting>().unwrap(),
        Weighting::Proportionate
    );
    assert!(matches!(
        "3,3,2,2,1,1,1,1,1,1".parse::<Weighting>().unwrap(),
        Weighting::Deciles(_)
    ));
    assert!("1,2".parse::<Weighting>().is_err());
    assert!("-1,1,1,1,1,1,1,1,1,1".parse::<Weighting>().is_err());
    // By score, an area without one is an error naming it, never a score of 0.
    let e = plan_chww(
        &[area("E01000001", 100, 1)],
        &ChwwConfig::new(Workforce::Workers(1), 100, Weighting::Score),
        "x",
    )
    .unwrap_err();
    assert!(e.to_string().contains("E01000001"), "{e}");
    let ok = plan_chww(
        &[
            area("A", 100, 1).with_score(40.0),
            area("B", 100, 9).with_score(10.0),
        ],
        &ChwwConfig::new(Workforce::Workers(1), 100, Weighting::Score),
        "x",
    )
    .unwrap();
    assert_eq!(ok.areas[0].workers, 1);
    assert!(
        plan_chww(
            &[],
            &ChwwConfig::new(Workforce::Workers(1), 100, Weighting::Equal),
            "x"
        )
        .is_err()
    );
    assert!(
        plan_chww(
            &ten(),
            &ChwwConfig::new(Workforce::Workers(1), 0, Weighting::Equal),
            "x"
        )
        .is_err()
    );
}

#[test]
fn households_from_a_population() {
    assert_eq!(households_from(1_000.0, Decimal::new(25, 1)).unwrap(), 400);
    assert_eq!(households_from(1_001.0, Decimal::new(2, 0)).unwrap(), 501); // halves up
    assert!(households_from(1_000.0, Decimal::ZERO).is_err());
    assert!(households_from(f64::NAN, Decimal::ONE).is_err());
}

proptest! {
    #[test]
    fn every_worker_is_placed_or_said_and_no_area_is_overfilled(
        sizes in proptest::collection::vec((0u64..3_000, 1u8..=10), 1..30),
        workers in 0u64..200,
        patch in 1u64..300,
        proportionate in any::<bool>(),
    ) {
        let areas: Vec<NeedArea> = sizes
            .iter()
            .enumerate()
            .map(|(i, (h, d))| area(&format!("A{i:03}"), *h, *d))
            .collect();
        let weighting = if proportionate { Weighting::Proportionate } else { Weighting::Equal };
        let config = ChwwConfig::new(Workforce::Workers(workers), patch, weighting);
        let plan = plan_chww(&areas, &config, "x").unwrap();
        let capacity: u64 = areas.iter().map(|a| a.households.div_ceil(patch)).sum();
        prop_assert_eq!(plan.workers_placed, workers.min(capacity));
        prop_assert_eq!(plan.areas.iter().map(|a| a.workers).sum::<u64>(), plan.workers_placed);
        for a in &plan.areas {
            prop_assert!(a.workers <= a.households.div_ceil(patch));
            prop_assert!(a.households_covered <= a.households);
        }
        // The same inputs give the same plan.
        prop_assert_eq!(plan_chww(&areas, &config, "x").unwrap(), plan);
    }
}
