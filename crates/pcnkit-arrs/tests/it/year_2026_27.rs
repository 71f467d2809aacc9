//! The 2026/27 year (third pass of the contract facts) and an ICB's Local Variation
//! Arrangement loaded from the example file through the same checks as a year file.

use pcnkit_arrs::rules::{Condition, Confidence};
use pcnkit_arrs::*;
use pcnkit_core::{FinancialYear, Money};
use rust_decimal::Decimal;

use crate::d;

fn fy() -> FinancialYear {
    "2026/27".parse().unwrap()
}

fn inputs() -> PcnInputs {
    let mut p = PcnInputs::weighted(Decimal::from(40_000));
    p.registered = Some(Decimal::from(38_000));
    p.adjusted = Some(Decimal::from(39_000));
    p
}

const EXAMPLE: &str = include_str!("../../examples/local-variation-2026-27.toml");

#[test]
fn the_2026_27_structure_follows_the_sources() {
    let book = RuleBook::builtin();
    let set = book.year(fy()).unwrap();
    // CASP and CAIP are removed from the DES.
    assert!(
        set.payments
            .iter()
            .all(|p| !p.id.starts_with("capacity_access"))
    );
    // Any GP may be engaged: no two-years-from-CCT condition.
    let gp = set.role("gp").unwrap();
    assert!(!gp.conditions.contains(&Condition::GpWithinTwoYearsOfCct));
    assert!(gp.maxima[0].national.amount.is_none());
    assert!(
        gp.maxima[0].london.as_ref().is_some_and(|l| l
            .note
            .as_deref()
            .unwrap()
            .contains("no inner/outer split"))
    );
    // No per-role maximum was found, and none is carried over from 2025/26.
    assert!(
        set.roles
            .iter()
            .all(|r| r.maxima.iter().all(|m| m.national.amount.is_none()))
    );
    // The mental health practitioner tables are a note, not a flat percentage.
    let mhp = set.role("mental_health_practitioner").unwrap();
    let percent = set.percent(mhp).unwrap();
    assert!(percent.amount.is_none());
    assert!(percent.note.as_deref().unwrap().contains("Table 3a: 50%"));
    assert_eq!(percent.confidence, Some(Confidence::S));
    // The ARRS rate and the snapshot date were not found.
    assert!(set.pool("main").unwrap().rates[0].amount.is_none());
    assert!(set.snapshot.date.is_none() && set.snapshot.note.is_some());
}

#[test]
fn a_2026_27_entitlement_says_what_is_unknown_and_pays_the_practice_scheme() {
    let book = RuleBook::builtin();
    let e = entitlement(book, fy(), &inputs(), EntitlementOptions::default()).unwrap();
    assert_eq!(e.snapshot_date, None);
    assert_eq!(
        e.arrs_sum("main"),
        None,
        "the rate per weighted patient is NF"
    );
    let scheme = e
        .payments
        .iter()
        .find(|l| l.id == "practice_gp_reimbursement")
        .unwrap();
    // £4.57 × 39,000 adjusted population, to the practices.
    assert_eq!(
        scheme.amount,
        Some(Money::from_pounds(Decimal::new(178_230, 0)))
    );
    assert_eq!(scheme.recipient, rules::Recipient::Practices);
    let enhanced = e
        .payments
        .iter()
        .find(|l| l.id == "enhanced_access")
        .unwrap();
    assert_eq!(enhanced.amount, None);
}

#[test]
fn a_2026_27_claim_is_unknown_with_the_reason_never_zero() {
    let book = RuleBook::builtin();
    let e = entitlement(book, fy(), &inputs(), EntitlementOptions::default()).unwrap();
    // A GP qualified long ago is now eligible (in 2025/26 the CCT rule refused them).
    let mut gp = StaffMember::new(
        "GP1",
        "gp",
        "1".parse().unwrap(),
        d(2026, 4, 1),
        "110000".parse().unwrap(),
    );
    gp.cct_date = Some(d(2010, 8, 1));
    let mut baseline = StaffMember::new(
        "CP1",
        "clinical_pharmacist",
        "1".parse().unwrap(),
        d(2026, 4, 1),
        "60000".parse().unwrap(),
    );
    baseline.in_baseline = true;
    let mhp = StaffMember::new(
        "MH1",
        "mental_health_practitioner",
        "1".parse().unwrap(),
        d(2026, 4, 1),
        "50000".parse().unwrap(),
    );
    let report = claims(book, fy(), &inputs(), &e, &[gp, baseline, mhp]).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.lines.len(), 36);
    assert!(
        report
            .lines
            .iter()
            .all(|l| l.claim.is_none() && l.unknown.is_some())
    );
    let reason = |id: &str| {
        report
            .lines
            .iter()
            .find(|l| &*l.staff == id)
            .unwrap()
            .unknown
            .clone()
            .unwrap()
    };
    assert!(reason("GP1").contains("not found"), "{}", reason("GP1"));
    assert!(
        reason("CP1").contains("give no baseline"),
        "{}",
        reason("CP1")
    );
    assert!(reason("MH1").contains("not found"), "{}", reason("MH1"));
    let total = report.total().unwrap();
    assert_eq!(total.value(), None);
    assert_eq!(total.unknown(), 36);
}

#[test]
fn the_example_local_variation_loads_and_names_its_arrangement() {
    let book = RuleBook::builtin()
        .clone()
        .with_local_variation("local-variation-2026-27.toml", EXAMPLE)
        .unwrap();
    let set = book.year(fy()).unwrap();
    let lva = set.local_variation.as_ref().unwrap();
    assert_eq!(lva.icb, "NHS Kent and Medway ICB");
    assert_eq!(lva.effective_from, Some(d(2026, 5, 1)));
    // The national rules are kept, the local payment added.
    assert!(
        set.payments
            .iter()
            .any(|p| p.id == "practice_gp_reimbursement")
    );
    let e = entitlement(&book, fy(), &inputs(), EntitlementOptions::default()).unwrap();
    let snh = e
        .payments
        .iter()
        .find(|l| l.id == "single_neighbourhood_health_offer")
        .unwrap();
    assert_eq!(
        snh.amount, None,
        "the published figure is a total, not a rate"
    );
    // The national year is untouched in the built-in book.
    assert!(
        RuleBook::builtin()
            .year(fy())
            .unwrap()
            .local_variation
            .is_none()
    );
}

#[test]
fn a_local_rate_marked_local_is_paid_and_says_where_it_came_from() {
    // An ICB's own agreed rate (a test figure, not a published one), from 1 May.
    let text = EXAMPLE.replace(
        r#"rates = [{ basis = "registered", per = "year", effective_from = "2026-05-01", confidence = "S","#,
        r#"rates = [{ basis = "registered", per = "year", effective_from = "2026-05-01", amount = "3.65", confidence = "Local","#,
    );
    assert_ne!(text, EXAMPLE);
    let book = RuleBook::builtin()
        .clone()
        .with_local_variation("icb.toml", &text)
        .unwrap();
    let e = entitlement(&book, fy(), &inputs(), EntitlementOptions::default()).unwrap();
    let snh = e
        .payments
        .iter()
        .find(|l| l.id == "single_neighbourhood_health_offer")
        .unwrap();
    // £3.65 × 38,000 registered × 335/365 days (1 May to 31 March).
    let expected = Money::from_pounds(
        Decimal::new(365, 2) * Decimal::from(38_000) * Decimal::from(335) / Decimal::from(365),
    );
    assert_eq!(
        snh.amount
            .map(|m| m.round_to_penny(pcnkit_core::Rounding::HalfUp)),
        Some(expected.round_to_penny(pcnkit_core::Rounding::HalfUp))
    );
    assert_eq!(snh.provenance.confidence, Some(Confidence::Local));
}

#[test]
fn a_local_variation_is_checked_like_a_year_file() {
    let book = RuleBook::builtin().clone();
    let refused = |text: &str| {
        book.clone()
            .with_local_variation("icb.toml", text)
            .unwrap_err()
            .to_string()
    };
    // The IIF cannot be varied.
    let iif = format!(
        "{EXAMPLE}\n[[payments]]\nid = \"iif_point_value\"\nname = \"IIF\"\nrates = [{{ basis = \"points\", per = \"unit\", amount = \"300\", confidence = \"Local\", sources = [\"PULSE-KENT\"] }}]\n"
    );
    assert!(
        refused(&iif).contains("Investment and Impact Fund cannot be varied"),
        "{}",
        refused(&iif)
    );
    // An unknown source is named with the file and the place.
    let unknown = EXAMPLE.replace(
        r#"sources = ["PULSE-KENT", "PULSE-GP-LVA"], note"#,
        r#"sources = ["NO-SUCH"], note"#,
    );
    let message = refused(&unknown);
    assert!(
        message.starts_with("icb.toml: payments[") && message.contains("unknown source `NO-SUCH`"),
        "{message}"
    );
    // A year with no national rules, and a start outside the year.
    assert!(
        refused(&EXAMPLE.replace(r#"year = "2026/27""#, r#"year = "2030/31""#))
            .contains("no national rules for 2030/31")
    );
    assert!(
        refused(&EXAMPLE.replace(
            r#"effective_from = "2026-05-01"
sources"#,
            r#"effective_from = "2027-05-01"
sources"#
        ))
        .contains("outside 2026/27")
    );
    // Two variations of one year are not stacked silently.
    let once = book
        .clone()
        .with_local_variation("icb.toml", EXAMPLE)
        .unwrap();
    let twice = once
        .with_local_variation("again.toml", EXAMPLE)
        .unwrap_err()
        .to_string();
    assert!(twice.contains("already carries the variation"), "{twice}");
}
