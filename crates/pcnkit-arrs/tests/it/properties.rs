use pcnkit_arrs::*;
use pcnkit_core::{FinancialYear, Money};
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::d;

fn member() -> impl Strategy<Value = StaffMember> {
    (
        prop::sample::select(vec![
            "clinical_pharmacist",
            "pharmacy_technician",
            "advanced_practitioner",
            "consultant_nurse",
            "healthcare_support_worker",
        ]),
        1u32..=100,
        0i64..365,
        proptest::option::of(0i64..400),
        10_000i64..150_000,
    )
        .prop_map(|(role, wte, start, length, cost)| {
            let start_date = d(2025, 4, 1) + chrono::Days::new(start as u64);
            let mut s = StaffMember::new(
                "s",
                role,
                pcnkit_core::Wte::new(Decimal::new(wte.into(), 2)).unwrap(),
                start_date,
                Money::from_pounds(Decimal::from(cost)),
            );
            s.end = length.map(|l| start_date + chrono::Days::new(l as u64));
            s
        })
}

fn run(staff: &[StaffMember], weighted: i64) -> ClaimsReport {
    let book = RuleBook::builtin().unwrap();
    let fy: FinancialYear = "2025/26".parse().unwrap();
    let inputs = PcnInputs::weighted(Decimal::from(weighted));
    let e = entitlement(book, fy, &inputs, EntitlementOptions::default()).unwrap();
    claims(book, fy, &inputs, &e, staff).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_claim_never_exceeds_the_pro_rata_maximum_or_the_cost(s in member()) {
        let report = run(std::slice::from_ref(&s), 1_000_000);
        for l in &report.lines {
            let c = l.claim.unwrap();
            prop_assert!(c <= l.maximum.unwrap());
            prop_assert!(c <= l.cost);
            prop_assert!(c >= Money::ZERO);
        }
    }

    #[test]
    fn totals_never_exceed_the_entitlement(team in proptest::collection::vec(member(), 0..12), weighted in 0i64..20_000) {
        let report = run(&team, weighted);
        let total = report.total().unwrap().value().unwrap();
        prop_assert!(total <= Money::from_pounds(Decimal::new(26_631, 3) * Decimal::from(weighted)));
        prop_assert!(report.headroom("main").unwrap() >= Money::ZERO);
    }

    #[test]
    fn claims_are_additive_over_months_and_staff(team in proptest::collection::vec(member(), 1..6)) {
        let together = run(&team, 10_000_000);
        let mut ids = team.clone();
        for (i, s) in ids.iter_mut().enumerate() { s.id = format!("s{i}"); }
        let together_ids = run(&ids, 10_000_000);
        prop_assert_eq!(together.total().unwrap().value().unwrap(), together_ids.total().unwrap().value().unwrap());
        // Exact up to Decimal's 28 significant digits: summing in another order may differ in
        // the last digit, far below a penny.
        let close = |a: Money, b: Money| (a.pounds() - b.pounds()).abs() < Decimal::new(1, 18);
        let separately = Money::sum(ids.iter().map(|s| run(std::slice::from_ref(s), 10_000_000).total().unwrap().value().unwrap())).unwrap();
        prop_assert!(close(together_ids.total().unwrap().value().unwrap(), separately));
        let by_month = Money::sum(together_ids.by_month().unwrap().into_values().map(|t| t.value().unwrap())).unwrap();
        prop_assert!(close(by_month, together_ids.total().unwrap().value().unwrap()));
    }

    #[test]
    fn more_wte_never_lowers_a_claim(s in member(), extra in 0u32..50) {
        let mut bigger = s.clone();
        let wte = (s.wte.value() + Decimal::new(extra.into(), 2)).min(Decimal::ONE);
        bigger.wte = pcnkit_core::Wte::new(wte).unwrap();
        let a = run(std::slice::from_ref(&s), 10_000_000).total().unwrap().value().unwrap();
        let b = run(std::slice::from_ref(&bigger), 10_000_000).total().unwrap().value().unwrap();
        prop_assert!(b >= a);
    }

    #[test]
    fn rounded_monthly_lines_add_up_to_the_rounded_total_within_a_penny_per_line(team in proptest::collection::vec(member(), 1..6)) {
        let report = run(&team, 10_000_000);
        let rounded: Money = Money::sum(report.lines.iter().map(|l| l.claim.unwrap().round_to_penny(pcnkit_core::Rounding::HalfUp))).unwrap();
        let exact = report.total().unwrap().value().unwrap();
        let tolerance = Money::from_pence(report.lines.len() as i64);
        prop_assert!(rounded.checked_sub(exact).unwrap().pounds().abs() <= tolerance.pounds());
    }
}
