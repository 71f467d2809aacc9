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
    let book = RuleBook::builtin();
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

/// Any role of the rule book, including those whose 2025/26 maxima are not in the sources.
fn any_member() -> impl Strategy<Value = StaffMember> {
    (
        prop::sample::select(vec![
            "clinical_pharmacist",
            "pharmacy_technician",
            "care_coordinator",
            "paramedic",
            "social_prescribing_link_worker",
            "first_contact_physiotherapist",
            "advanced_practitioner",
        ]),
        1u32..=100,
        0i64..365,
        10_000i64..150_000,
    )
        .prop_map(|(role, wte, start, cost)| {
            let mut s = StaffMember::new(
                "s",
                role,
                pcnkit_core::Wte::new(Decimal::new(wte.into(), 2)).unwrap(),
                d(2025, 4, 1) + chrono::Days::new(start as u64),
                Money::from_pounds(Decimal::from(cost)),
            );
            s.mental_health_provider_agreement = true;
            s
        })
}

/// A staff table as CSV text, one line per member.
fn table(team: &[StaffMember]) -> Vec<String> {
    team.iter()
        .enumerate()
        .map(|(i, s)| {
            format!(
                "s{i},U90000,{},{},{},{}\n",
                s.role,
                s.wte,
                s.start,
                s.annual_cost.pounds()
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// A claims total is the exact sum of its known lines, and incomplete exactly when a line
    /// is unknown; the headroom is known exactly when the total is, and its bound is the
    /// entitlement less the known part.
    #[test]
    fn totals_are_their_known_lines_and_incomplete_exactly_when_a_line_is_unknown(
        team in proptest::collection::vec(any_member(), 0..10),
        weighted in 1_000i64..60_000,
    ) {
        let mut team = team;
        for (i, s) in team.iter_mut().enumerate() { s.id = format!("s{i}"); }
        let report = run(&team, weighted);
        let total = report.total().unwrap();
        let known = Money::sum(report.lines.iter().filter_map(|l| l.claim)).unwrap();
        let unknown = report.lines.iter().filter(|l| l.claim.is_none()).count() as u64;
        prop_assert_eq!(total.known(), known);
        prop_assert_eq!(total.unknown(), unknown);
        prop_assert_eq!(total.is_complete(), unknown == 0);
        let main = report.pools.iter().find(|p| p.pool == "main").unwrap();
        prop_assert_eq!(main.headroom.is_some(), main.claimed.is_complete());
        let entitlement = main.entitlement.unwrap();
        prop_assert_eq!(main.headroom_at_most, Some(entitlement.checked_sub(main.claimed.known()).unwrap()));
        for l in &report.lines {
            // An unknown line says why and has a bound; a known one has neither.
            prop_assert_eq!(l.claim.is_none(), l.unknown.is_some());
            prop_assert_eq!(l.claim.is_none(), l.claim_at_most.is_some());
        }
    }

    /// Adding a bad row anywhere in a staff table never changes the money of the other rows:
    /// the bad row is an error naming its line, and the claims are those of the good rows.
    #[test]
    fn a_bad_staff_row_never_changes_the_money_of_the_others(
        team in proptest::collection::vec(member(), 1..6),
        at in 0usize..6,
        bad in prop::sample::select(vec![
            "zz,U90000,wizard,1.0,2025-04-01,50000\n",
            "zz,U90000,clinical_pharmacist,1.5,2025-04-01,50000\n",
            "s0,U90000,clinical_pharmacist,1.0,2025-04-01,50000\n",
            "zz,U90000,clinical_pharmacist,1.0,-026-01-01,50000\n",
            "zz,U90000,clinical_pharmacist,1.0,2025-04-01,-5\n",
            "zz,U90000,clinical_pharmacist,lots,2025-04-01,50000\n",
        ]),
    ) {
        let book = RuleBook::builtin();
        let header = "id,pcn,role,wte,start,annual_cost\n";
        let good = table(&team);
        let mut with_bad = good.clone();
        let mut at = at.min(with_bad.len());
        if bad.starts_with("s0,") {
            // A repeated id is the later line's error: put it after the first.
            at = at.max(1);
        }
        with_bad.insert(at, bad.to_owned());
        let read = |rows: &[String]| {
            let text = format!("{header}{}", rows.concat());
            read_staff(text.as_bytes(), pcnkit_core::read::ImportOptions::new("staff.csv"), StaffTableChecks::new(book)).unwrap()
        };
        let clean = read(&good);
        let dirty = read(&with_bad);
        prop_assert!(clean.errors.is_empty());
        prop_assert_eq!(dirty.errors.len(), 1);
        prop_assert_eq!(dirty.errors[0].location.line, Some(at as u64 + 2));
        prop_assert!(dirty.accounts_for_every_row());
        let strip = |mut v: Vec<StaffMember>| { for s in &mut v { s.source = None; } v };
        let (a, b) = (strip(clean.records), strip(dirty.records));
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(run(&a, 30_000), run(&b, 30_000));
    }
}
