//! The property each fuzz target checks, as plain functions: the core value parsers, every
//! pcnkit-org importer, and the pcnkit-arrs rule-file loader.
//!
//! A target panics (which libFuzzer reports as a crash) only when a parser breaks its contract:
//! it panicked itself, or it accepted a value whose printed form does not parse back to the same
//! value. The same functions replay the committed corpus in `tests/replay.rs`, so a found crash
//! becomes an ordinary regression test by adding its input to `corpus/<target>/`.

#![deny(missing_docs)]
// The checks assert on purpose: a failed assertion is the fuzzer's crash signal.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Display;
use std::str::FromStr;

use pcnkit_core::{
    AgeBand, FinancialYear, IcbCode, LocalAuthorityCode, LsoaCode, Money, Month, OdsCode,
    OnsIcbCode, OnsRegionCode, OnsSubIcbCode, PatientCount, PcnCode, PracticeCode, RegionCode, Sex,
    SubIcbCode, Wte, parse_nhs_date,
};

/// Every string parser of pcnkit-core: no panic on any input, and print → parse round trips
/// for every accepted value (text and JSON).
pub fn core_values(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    round_trip::<PracticeCode>(text);
    round_trip::<PcnCode>(text);
    round_trip::<IcbCode>(text);
    round_trip::<SubIcbCode>(text);
    round_trip::<RegionCode>(text);
    round_trip::<OdsCode>(text);
    round_trip::<LsoaCode>(text);
    round_trip::<LocalAuthorityCode>(text);
    round_trip::<OnsIcbCode>(text);
    round_trip::<OnsSubIcbCode>(text);
    round_trip::<OnsRegionCode>(text);
    round_trip::<pcnkit_core::Postcode>(text);
    round_trip::<FinancialYear>(text);
    round_trip::<Month>(text);
    round_trip::<Money>(text);
    round_trip::<Wte>(text);
    round_trip::<AgeBand>(text);
    round_trip::<Sex>(text);
    round_trip::<PatientCount>(text);
    let _ = parse_nhs_date(text);
    // JSON input to the serde forms must never panic either.
    let _ = serde_json::from_str::<pcnkit_core::Period>(text);
    let _ = serde_json::from_str::<pcnkit_core::AgeBandScheme>(text);
}

fn round_trip<T>(text: &str)
where
    T: FromStr
        + Display
        + PartialEq
        + std::fmt::Debug
        + serde::Serialize
        + serde::de::DeserializeOwned,
{
    if let Ok(value) = text.parse::<T>() {
        let printed = value.to_string();
        let again = printed.parse::<T>().ok();
        assert_eq!(
            again.as_ref(),
            Some(&value),
            "{text:?} printed as {printed:?} did not parse back"
        );
        let json = serde_json::to_string(&value).expect("serialise");
        let back: T = serde_json::from_str(&json).expect("deserialise our own JSON");
        assert_eq!(back, value, "JSON round trip of {text:?} via {json}");
    }
}

/// Runs one importer on `data` in both modes and checks they agree: no panic; every record and
/// skip comes from a counted row; strict mode fails exactly when the lenient mode found errors,
/// and otherwise returns the same records.
fn importer<T: PartialEq + std::fmt::Debug>(
    data: &[u8],
    read: fn(&[u8], ImportOptions<'static>) -> Result<Imported<T>, pcnkit_org::OrgError>,
) {
    let lenient = read(data, ImportOptions::new("fuzz.csv"));
    let strict = read(data, ImportOptions::new("fuzz.csv").strict());
    match (lenient, strict) {
        (Ok(l), Ok(s)) => {
            assert!(
                l.errors.is_empty(),
                "strict accepted what lenient rejected: {:?}",
                l.errors
            );
            assert_eq!(l.records, s.records);
            assert!(l.records.len() + l.skipped.len() <= l.rows as usize);
        }
        (Ok(l), Err(_)) => assert!(
            !l.errors.is_empty(),
            "strict failed but lenient found no error"
        ),
        (Err(l), Err(s)) => assert_eq!(
            l.to_string(),
            s.to_string(),
            "a fatal error must not depend on the mode"
        ),
        (Err(l), Ok(_)) => panic!("lenient failed ({l}) but strict succeeded"),
    }
}

macro_rules! importer_targets {
    ($($name:ident => $read:path),+ $(,)?) => {$(
        #[doc = concat!("Fuzz check of `", stringify!($read), "`.")]
        pub fn $name(data: &[u8]) {
            importer(data, |d, o| $read(d, o));
        }
    )+};
}

use pcnkit_org::import::{self as imp, ImportOptions, Imported};

importer_targets!(
    epraccur => imp::read_epraccur,
    epcn_details => imp::read_epcn_details,
    epcn_members => imp::read_epcn_members,
    registered_patients => imp::read_registered_patients,
    practice_map => imp::read_practice_map,
    practice_lsoa => imp::read_practice_lsoa,
    lsoa_lookup => imp::read_lsoa_sub_icb_lookup,
    sub_icb_lookup => imp::read_sub_icb_lookup,
);

/// The ARRS rule-file loader: any text either loads into a book whose every figure has
/// provenance, or is a typed error; never a panic.
pub fn arrs_rules(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(base) = pcnkit_arrs::RuleBook::builtin() else {
        panic!("the built-in rules must load")
    };
    if let Ok(book) = base.clone().with_year_toml("fuzz.toml", text) {
        for year in book.years() {
            for f in book.figures(year).expect("a loaded year lists its figures") {
                assert!(
                    f.amount.is_none() || f.provenance.confidence.is_some(),
                    "{f:?}"
                );
            }
        }
    }
}
