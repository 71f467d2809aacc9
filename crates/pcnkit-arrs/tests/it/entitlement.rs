use std::collections::BTreeMap;

use pcnkit_arrs::rules::Recipient;
use pcnkit_arrs::*;
use pcnkit_core::{FinancialYear, Money};
use rust_decimal::Decimal;

use crate::{d, pennies};

fn year(s: &str) -> FinancialYear {
    s.parse().unwrap()
}

fn all_populations() -> PcnInputs {
    let mut p = PcnInputs::weighted(Decimal::from(30_000));
    p.registered = Some(Decimal::from(28_000));
    p.adjusted = Some(Decimal::from(29_000));
    p.care_home_beds = Some(Decimal::from(100));
    p.iif_points = Some(Decimal::from(40));
    p
}

#[test]
fn published_worked_example_2025_26() {
    // Management in Practice, "Practice income calculator for 2025/26 released": a PCN of
    // 30,000 weighted patients could receive up to £798,930 ARRS.
    let book = RuleBook::builtin();
    let e = entitlement(
        book,
        year("2025/26"),
        &PcnInputs::weighted(Decimal::from(30_000)),
        EntitlementOptions::default(),
    )
    .unwrap();
    assert_eq!(
        e.arrs_sum("main"),
        Some(Money::from_pounds(Decimal::from(798_930)))
    );
    assert_eq!(e.snapshot_date, Some(d(2025, 1, 1)));
    assert_eq!(
        e.arrs[0].lines[0].explanation,
        "£26.631 per patient × 30000 weighted patients = £798,930.00"
    );
    assert_eq!(
        e.arrs[0].lines[0].provenance.confidence,
        Some(rules::Confidence::S2)
    );
}

#[test]
fn every_year_has_an_entitlement_with_each_line_explained() {
    let book = RuleBook::builtin();
    let expected_arrs = [
        None,
        Some("£213,930.00"),
        Some("£369,000.00"),
        Some("£501,000.00"),
        Some("£680,130.00"),
        Some("£686,820.00"),
        Some("£798,930.00"),
    ];
    for (y, want) in book.years().zip(expected_arrs) {
        let e = entitlement(book, y, &all_populations(), EntitlementOptions::default()).unwrap();
        assert_eq!(e.arrs_sum("main").map(pennies).as_deref(), want, "{y}");
        for line in e
            .arrs
            .iter()
            .flat_map(|p| p.lines.iter())
            .chain(&e.payments)
        {
            assert_eq!(
                line.amount.is_some(),
                line.rate.is_some(),
                "{y} {}",
                line.id
            );
        }
    }
}

#[test]
fn part_year_and_per_period_rates() {
    let book = RuleBook::builtin();
    let e = entitlement(
        book,
        year("2024/25"),
        &all_populations(),
        EntitlementOptions::default(),
    )
    .unwrap();
    // The ring-fenced GP sum: £1.303 per weighted patient for 1 Oct 2024 to 31 Mar 2025.
    assert_eq!(e.arrs_sum("gp").map(pennies).as_deref(), Some("£39,090.00"));
    let e = entitlement(
        book,
        year("2022/23"),
        &all_populations(),
        EntitlementOptions::default(),
    )
    .unwrap();
    let extended = e
        .payments
        .iter()
        .find(|l| l.id == "extended_hours")
        .unwrap();
    assert_eq!(
        extended.amount.map(pennies).as_deref(),
        Some("£20,160.00"),
        "£0.720 × 28,000 for the half year"
    );
    let e = entitlement(
        book,
        year("2019/20"),
        &all_populations(),
        EntitlementOptions::default(),
    )
    .unwrap();
    let participation = e
        .payments
        .iter()
        .find(|l| l.id == "network_participation")
        .unwrap();
    assert_eq!(participation.recipient, Recipient::Practices);
    assert_eq!(
        participation.amount.map(pennies).as_deref(),
        Some("£52,920.00"),
        "£0.147 × 30,000 × 12 months"
    );
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("no population-based sum in 2019/20")),
        "{:?}",
        e.warnings
    );
    let core = e
        .payments
        .iter()
        .find(|l| l.id == "core_pcn_funding")
        .unwrap();
    assert_eq!(core.amount.map(pennies).as_deref(), Some("£42,000.00"));
}

#[test]
fn back_dated_revisions_depend_on_when_you_ask() {
    let book = RuleBook::builtin();
    let fy = year("2024/25");
    let before = entitlement(
        book,
        fy,
        &all_populations(),
        EntitlementOptions::as_known_on(d(2024, 6, 30)),
    )
    .unwrap();
    let after = entitlement(book, fy, &all_populations(), EntitlementOptions::default()).unwrap();
    let access = |e: &Entitlement| {
        e.payments
            .iter()
            .find(|l| l.id == "enhanced_access")
            .unwrap()
            .amount
            .map(pennies)
    };
    assert_eq!(
        access(&before).as_deref(),
        Some("£222,546.00"),
        "£7.674 × 29,000"
    );
    assert_eq!(
        access(&after).as_deref(),
        Some("£231,275.00"),
        "£7.975 × 29,000, back-dated"
    );
    let core = |e: &Entitlement| {
        e.payments
            .iter()
            .filter(|l| l.id == "core_pcn_funding")
            .map(|l| l.amount)
            .collect::<Vec<_>>()
    };
    assert_eq!(core(&before).len(), 2);
    assert_eq!(
        core(&after),
        [None],
        "the revised split was not found: absent, not guessed"
    );
    assert!(after.warnings.iter().any(|w| w.contains("£2.967 combined")));
}

#[test]
fn missing_populations_and_published_sums() {
    let book = RuleBook::builtin();
    let e = entitlement(
        book,
        year("2023/24"),
        &PcnInputs::default(),
        EntitlementOptions::default(),
    )
    .unwrap();
    assert_eq!(e.arrs_sum("main"), None);
    assert!(
        e.warnings
            .iter()
            .any(|w| w == "Additional Roles Reimbursement Sum: needs the PCN's weighted patients")
    );
    let mut given = PcnInputs::default();
    given.published_sums = BTreeMap::from([("main".to_owned(), "500000".parse().unwrap())]);
    let e = entitlement(book, year("2023/24"), &given, EntitlementOptions::default()).unwrap();
    assert_eq!(
        e.arrs_sum("main").map(pennies).as_deref(),
        Some("£500,000.00")
    );
    assert!(e.arrs[0].published);
    assert!(matches!(
        entitlement(book, year("2030/31"), &given, EntitlementOptions::default()),
        Err(ArrsError::NoRulesForYear(_))
    ));
}

#[test]
fn negative_populations_are_refused_not_paid() {
    let book = RuleBook::builtin();
    let fy: FinancialYear = "2025/26".parse().unwrap();
    let err = entitlement(
        book,
        fy,
        &PcnInputs::weighted(Decimal::from(-1)),
        EntitlementOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "weighted population cannot be negative (found -1)"
    );
    let mut inputs = PcnInputs::weighted(Decimal::from(30_000));
    inputs.registered = Some(Decimal::new(-5, 1));
    assert!(entitlement(book, fy, &inputs, EntitlementOptions::default()).is_err());
    // Zero is a population, not an error.
    assert!(
        entitlement(
            book,
            fy,
            &PcnInputs::weighted(Decimal::ZERO),
            EntitlementOptions::default()
        )
        .is_ok()
    );
}
