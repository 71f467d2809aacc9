//! Community pharmacy payment schemes (issue 19).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pcnkit_core::{FinancialYear, Money};
use pcnkit_plan::pharmacy::{PharmacySchemes, Referrals, YearFee, estimate};
use rust_decimal::Decimal;

fn fy(y: i32) -> FinancialYear {
    FinancialYear::from_start_year_const(y)
}

#[test]
fn the_consultation_service_paid_14_pounds_from_october_2019() {
    let book = PharmacySchemes::builtin().unwrap();
    let cpcs = book.get("cpcs").unwrap();
    match cpcs.fee_in(fy(2020)) {
        YearFee::Fee {
            amount,
            days,
            period,
        } => {
            assert_eq!(amount, Money::from_pounds(Decimal::from(14)));
            assert_eq!(days, 365);
            assert!(!period.fee.sources.is_empty());
        }
        other => panic!("{other:?}"),
    }
    // 2019/20: from 29 October 2019 only, so the estimate says which days it ran.
    let e = estimate(
        &book,
        cpcs,
        fy(2019),
        Referrals::Count(Decimal::from(100)),
        None,
    )
    .unwrap();
    assert_eq!(e.payment, Some(Money::from_pounds(Decimal::from(1_400))));
    assert!(e.note.unwrap().contains("days"));
    assert!(e.source.contains("thepharmacist.co.uk"), "{}", e.source);
    // It ended on 30 January 2024: none in 2024/25, and no £0 either.
    let e = estimate(
        &book,
        cpcs,
        fy(2024),
        Referrals::Count(Decimal::from(100)),
        None,
    )
    .unwrap();
    assert_eq!((e.fee, e.payment), (None, None));
    assert!(e.note.unwrap().contains("did not run"));
}

#[test]
fn pharmacy_first_from_a_rate_per_1000_patients() {
    let book = PharmacySchemes::builtin().unwrap();
    let pf = book.get("pharmacy_first").unwrap();
    // 2023/24: £15 from 31 January 2024 (61 of 366 days); 12 a year per 1,000 patients of
    // 40,000 = 480 a year, so 80 over those days: £1,200, not a whole year's £7,200.
    let e = estimate(
        &book,
        pf,
        fy(2023),
        Referrals::Per1000(Decimal::from(12)),
        Some(40_000),
    )
    .unwrap();
    assert_eq!(e.units, Some(Decimal::from(80)));
    assert_eq!(e.payment, Some(Money::from_pounds(Decimal::from(1_200))));
    assert!(e.note.unwrap().contains("61 of the 366 days"));
    // A full year at the same rate, under the CPCS in 2022/23: 480 × £14.
    let cpcs = book.get("cpcs").unwrap();
    let e = estimate(
        &book,
        cpcs,
        fy(2022),
        Referrals::Per1000(Decimal::from(12)),
        Some(40_000),
    )
    .unwrap();
    assert_eq!(e.payment, Some(Money::from_pounds(Decimal::from(6_720))));
    assert_eq!(e.note, None);
    // 2025/26: the fee is not confirmed, so the payment is unknown with the reason.
    let e = estimate(
        &book,
        pf,
        fy(2025),
        Referrals::Per1000(Decimal::from(12)),
        Some(40_000),
    )
    .unwrap();
    assert_eq!(e.payment, None);
    assert!(e.note.unwrap().contains("not confirmed"));
    // Patients unknown: units and payment unknown.
    let e = estimate(
        &book,
        pf,
        fy(2023),
        Referrals::Per1000(Decimal::from(12)),
        None,
    )
    .unwrap();
    assert_eq!((e.units, e.payment), (None, None));
    assert!(
        estimate(
            &book,
            pf,
            fy(2023),
            Referrals::Count(Decimal::from(-1)),
            None
        )
        .is_err()
    );
    assert!(book.get("nope").is_err());
}

#[test]
fn another_scheme_is_rule_data() {
    let text = r#"
[sources.LOCAL]
title = "An ICB's minor ailments agreement"

[[schemes]]
id = "minor_ailments"
name = "Local minor ailments service"
unit = "consultation"
starts = { date = "2025-04-01", confidence = "Local", sources = ["LOCAL"] }
fees = [{ effective_from = "2025-04-01", fee = { amount = "9.50", confidence = "Local", sources = ["LOCAL"] } }]
"#;
    let book = PharmacySchemes::from_toml("local.toml", text).unwrap();
    let s = book.get("minor_ailments").unwrap();
    let e = estimate(
        &book,
        s,
        fy(2025),
        Referrals::Count(Decimal::from(10)),
        None,
    )
    .unwrap();
    assert_eq!(e.payment, Some(Money::from_pounds(Decimal::new(9500, 2))));
    // A fee without a source, a source not listed, an unknown field: each refused, named.
    let no_source = text.replace(", sources = [\"LOCAL\"] } }]", " } }]");
    assert!(
        PharmacySchemes::from_toml("x.toml", &no_source)
            .unwrap_err()
            .to_string()
            .contains("source")
    );
    let unlisted = text.replace("[sources.LOCAL]", "[sources.OTHER]");
    assert!(PharmacySchemes::from_toml("x.toml", &unlisted).is_err());
    let unknown = text.replace("unit = ", "units = ");
    assert!(PharmacySchemes::from_toml("x.toml", &unknown).is_err());
}
