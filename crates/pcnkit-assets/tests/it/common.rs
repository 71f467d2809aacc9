//! Shared builders.

use chrono::{NaiveDate, NaiveDateTime};
use pcnkit_assets::*;

pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

/// A fully filled asset (every model field set).
pub fn full_asset() -> Asset {
    let mut a = Asset::new(
        Source {
            name: "Test directory".into(),
            key: "FB-1".into(),
        },
        "Riverside food bank",
        AssetKind::FoodSupport,
    );
    a.description = Some("Food parcels and a warm space.".into());
    a.owner = Some(Owner {
        name: "Riverside Trust".into(),
        charity_number: Some("1123456".into()),
        company_number: Some("07654321".into()),
    });
    a.needs = vec![
        Need::Food,
        Need::Financial,
        Need::Other("warm space".into()),
    ];
    a.audience = Audience {
        min_age: Some(18),
        max_age: Some(99),
        eligibility: Some("Referral voucher needed".into()),
    };
    a.location = Location {
        address: vec!["St Mary's Hall".into(), "12 River Street".into()],
        town: Some("Manchester".into()),
        postcode: Some("M1 1AA".parse().unwrap()),
        point: Some(GeoPoint::new(53.4808, -2.2426).unwrap()),
        lsoa: Some("E01005131".parse().unwrap()),
        uprn: Some("77123456".into()),
    };
    let mut monthly = Schedule::weekly(
        vec![Weekday::MO],
        "18:00".parse().unwrap(),
        "20:00".parse().unwrap(),
    )
    .unwrap();
    monthly.recurrence = Recurrence::Monthly(vec![(1, Weekday::MO), (-1, Weekday::FR)]);
    monthly.valid_from = Some(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    monthly.valid_to = Some(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    monthly.description = Some("Term time only".into());
    a.schedules = vec![
        Schedule::weekly(
            vec![Weekday::TU, Weekday::TH],
            "10:00".parse().unwrap(),
            "13:30".parse().unwrap(),
        )
        .unwrap(),
        monthly,
    ];
    a.cost = Some(Cost {
        amount: "2.50".parse().unwrap(),
        description: Some("per visit".into()),
    });
    a.accessibility = vec!["Step-free access".into(), "Hearing loop".into()];
    a.contact = Contact {
        name: Some("Sam Patel".into()),
        email: Some("help@riverside.example".into()),
        phone: Some("0161 000 0000".into()),
        website: Some("https://riverside.example/food".into()),
    };
    a.referral = vec![ReferralRoute::LinkWorker, ReferralRoute::SelfReferral];
    a.status = AssetStatus::Active;
    a.last_verified = Some(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap());
    a
}

/// The shared data directory, or `None` with a message (tests on real files then skip).
pub fn data_dir() -> Option<std::path::PathBuf> {
    match std::env::var_os("PCNKIT_DATA_DIR") {
        Some(d) if std::path::Path::new(&d).join("hsds-3.0").is_dir() => Some(d.into()),
        _ => {
            eprintln!(
                "SKIPPED: PCNKIT_DATA_DIR not set or without hsds-3.0 (schema validation on the published HSDS files)"
            );
            None
        }
    }
}
