//! ORUK v1 and CSV imports, and bad input of every kind: typed errors naming the JSON path
//! or the row and column, good records kept.

use chrono::NaiveTime;
use pcnkit_assets::csv_import::{CsvMapping, parse_opening_hours, read_csv};
use pcnkit_assets::hsds::{ImportOptions, from_json, to_service};
use pcnkit_assets::oruk_v1;
use pcnkit_assets::*;

use crate::common::*;

#[test]
fn an_oruk_v1_feed_page_imports_with_per_record_errors() {
    let text = include_str!("../data/oruk_v1_page.json");
    let got = oruk_v1::from_json(text, "Manchester directory", &oruk_v1::common_terms()).unwrap();
    assert_eq!(got.assets.len(), 1);
    let a = &got.assets[0];
    assert_eq!(a.kind, AssetKind::Library);
    assert_eq!(a.owner.as_ref().unwrap().name, "Manchester Libraries");
    assert_eq!(a.location.postcode.unwrap().to_string(), "M12 4NE");
    assert_eq!(a.location.uprn.as_deref(), Some("77012345"));
    assert_eq!(a.schedules.len(), 2);
    assert_eq!(a.schedules[0].byday(), "WE");
    assert_eq!(a.schedules[1].byday(), "FR");
    assert_eq!(
        a.schedules[1].closes_at,
        NaiveTime::from_hms_opt(15, 30, 0).unwrap()
    );
    assert_eq!(a.audience.min_age, Some(18));
    assert_eq!(a.cost.as_ref().unwrap().amount, pcnkit_core::Money::ZERO);
    assert_eq!(a.contact.phone.as_deref(), Some("0161 227 3722"));
    assert_eq!(a.accessibility, vec!["Wheelchair accessible".to_owned()]);
    assert_eq!(
        a.id,
        AssetId::from_key(
            "Manchester directory",
            "3f5c9a52-7c1e-4b84-9d0a-1b7a0c6f2e11"
        )
    );
    let errors: Vec<String> = got.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        vec![
            "Manchester directory, $.content[1].service_at_locations[0].location.latitude: 153 is outside -90 to 90".to_owned(),
            "Manchester directory, $.content[2].regular_schedules[0]: opens_at: \"25:00\" is not a time (HH:MM or HH:MM:SS)".to_owned(),
        ]
    );
    // The imported v1 record exports as valid HSDS 3.0 and reads back the same.
    let back = from_json(&to_service(a).to_string(), "x", &ImportOptions::new()).unwrap();
    assert_eq!(back.assets[0], *a);
}

#[test]
fn bad_json_is_a_typed_error_with_its_path() {
    let opts = ImportOptions::new().default_kind(AssetKind::Leisure);
    let e = from_json("{\"id\": ", "feed", &opts).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("feed: not valid JSON: EOF while parsing"),
        "{e}"
    );
    let cases = [
        (
            r#"{"name": "x", "status": "active"}"#,
            "feed, $.id: required field is missing",
        ),
        (
            r#"{"id": "not-a-uuid", "name": "x", "status": "active"}"#,
            "feed, $.id: \"not-a-uuid\" is not a UUID: invalid character: found `n` at 0",
        ),
        (
            r#"{"id": "3f5c9a52-7c1e-4b84-9d0a-1b7a0c6f2e11", "name": "x", "status": "open"}"#,
            "feed, $.status: \"open\" is not active, inactive, temporarily closed or defunct",
        ),
        (
            r#"{"id": "3f5c9a52-7c1e-4b84-9d0a-1b7a0c6f2e11", "name": "x", "status": "active", "schedules": [{"freq": "WEEKLY", "byday": "MO", "opens_at": "18:00", "closes_at": "09:00"}]}"#,
            "feed, $.schedules[0].closes_at: closing time 09:00:00 is not after opening time 18:00:00",
        ),
        (
            r#"{"id": "3f5c9a52-7c1e-4b84-9d0a-1b7a0c6f2e11", "name": "x", "status": "active", "schedules": [{"freq": "YEARLY", "byday": "MO", "opens_at": "08:00", "closes_at": "09:00"}]}"#,
            "feed, $.schedules[0].freq: \"YEARLY\" is not WEEKLY or MONTHLY",
        ),
        (
            r#"{"id": "3f5c9a52-7c1e-4b84-9d0a-1b7a0c6f2e11", "name": "x", "status": "active", "service_at_locations": [{"location": {"latitude": 52, "longitude": 181}}]}"#,
            "feed, $.service_at_locations[0].location.longitude: 181 is outside -180 to 180",
        ),
        (
            r#"{"id": "3f5c9a52-7c1e-4b84-9d0a-1b7a0c6f2e11", "name": "x", "status": "active", "minimum_age": -3}"#,
            "feed, $: minimum_age: -3 is not an age in years",
        ),
        (r#"[1]"#, "feed, $[0]: expected an object"),
    ];
    for (doc, message) in cases {
        let got = from_json(doc, "feed", &opts).unwrap();
        assert!(got.assets.is_empty(), "{doc}");
        assert_eq!(got.errors.len(), 1, "{doc}");
        assert_eq!(got.errors[0].to_string(), message);
    }
    // No category and no way to classify: an error, not a guess.
    let got = from_json(
        r#"{"id": "3f5c9a52-7c1e-4b84-9d0a-1b7a0c6f2e11", "name": "x", "status": "active"}"#,
        "feed",
        &ImportOptions::new(),
    )
    .unwrap();
    assert!(got.errors[0].to_string().contains("no category attribute"));
}

const SHEET: &str = "\
key,name,kind,needs,min_age,postcode,latitude,longitude,opening_hours,cost,referral,status,last_verified
1,Health walk,park,physical_activity;loneliness,,M1 1AA,53.48,-2.24,Tue 10:00-11:30,free,self_referral,active,01/09/2026
2,Debt advice drop-in,advice,financial,18,M2 2BB,53.47,-2.25,Mon-Fri 09:00-17:00; 1st Sat 10:00-12:00,0,link_worker;gp,active,2026-10-01
3,Bad postcode,library,,,NOT A POSTCODE,,,,,,,
4,Bad kind,spaceport,,,,,,,,,,
5,Bad hours,library,,,,,,Mon 17:00-09:00,,,,
6,Out of range,library,,,,91,0,,,,,
7,Bad date,library,,,,,,,,,,31/02/2026
8,,library,,,,,,,,,,
";

#[test]
fn a_csv_register_keeps_good_rows_and_names_bad_ones() {
    let got = read_csv(SHEET.as_bytes(), "sheet.csv", &CsvMapping::default()).unwrap();
    assert_eq!(got.assets.len(), 2);
    assert_eq!(got.assets[0].kind, AssetKind::GreenSpace);
    assert_eq!(
        got.assets[0].needs,
        vec![Need::PhysicalActivity, Need::Loneliness]
    );
    assert_eq!(got.assets[1].schedules.len(), 2);
    assert_eq!(got.assets[1].schedules[0].byday(), "MO,TU,WE,TH,FR");
    assert_eq!(got.assets[1].schedules[1].byday(), "1SA");
    assert_eq!(
        got.assets[1].referral,
        vec![ReferralRoute::LinkWorker, ReferralRoute::Clinician]
    );
    let errors: Vec<String> = got.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        vec![
            "sheet.csv, row 4, column postcode: invalid postcode \"NOT A POSTCODE\": expected a UK postcode such as TS18 1HU".to_owned(),
            "sheet.csv, row 5, column kind: kind: unknown asset kind \"spaceport\" (known: green_space, leisure, library, community_centre, faith_group, voluntary_service, peer_support, food_support, advice, arts_and_culture, pharmacy)".to_owned(),
            "sheet.csv, row 6, column opening_hours: closes_at: closing time 09:00:00 is not after opening time 17:00:00".to_owned(),
            "sheet.csv, row 7, column latitude/longitude: latitude: 91 is outside -90 to 90".to_owned(),
            "sheet.csv, row 8, column last_verified: \"31/02/2026\" is not a date (YYYY-MM-DD or DD/MM/YYYY)".to_owned(),
            "sheet.csv, row 9, column name: a name is required".to_owned(),
        ]
    );
    // A missing required column is one error for the file.
    let e = read_csv(
        "name,kind\nx,park\n".as_bytes(),
        "s.csv",
        &CsvMapping::default(),
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "s.csv, header: missing column \"key\"");
}

#[test]
fn opening_hours_text() {
    let s = parse_opening_hours("Mon,Wed 09:00-12:00; last Fri 18:00-21:00").unwrap();
    assert_eq!(s[0].byday(), "MO,WE");
    assert_eq!(s[1].byday(), "-1FR");
    assert!(parse_opening_hours("Mon 9am-5pm").is_err());
    assert!(parse_opening_hours("Fri-Mon 09:00-10:00").is_err());
    assert!(parse_opening_hours("Someday 09:00-10:00").is_err());
    let _ = full_asset();
}
