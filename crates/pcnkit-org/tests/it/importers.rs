//! The importers on small hand-made files in `tests/data`, good rows and bad.

use pcnkit_core::{AgeBand, PatientCount, PcnCode, Sex};
use pcnkit_org::import::*;

use crate::{d, fixture};

/// An importer of any record type, reading an opened file.
type Reader<T> = fn(
    Box<dyn std::io::Read + Send>,
    ImportOptions<'static>,
) -> Result<Imported<T>, pcnkit_org::OrgError>;

fn run<T>(name: &str, read: Reader<T>) -> Imported<T> {
    let path = fixture(name);
    read(open(&path).unwrap(), ImportOptions::new(name)).unwrap()
}

fn messages(errors: &[pcnkit_core::DataError]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

#[test]
fn epraccur_keeps_good_rows_and_names_each_bad_one() {
    let imported = run("epraccur_small.csv", read_epraccur);
    assert_eq!(imported.rows, 7);
    assert_eq!(imported.records.len(), 4);
    assert_eq!(
        messages(&imported.errors),
        [
            "epraccur_small.csv, line 3, field `Postcode`: invalid postcode \"TS18 1H\": expected a UK postcode such as TS18 1HU",
            "epraccur_small.csv, line 4, field `Status Code`: malformed record: unknown status code \"X\" (expected A, C, D or P)",
            "epraccur_small.csv, line 5, field `Organisation Code`: malformed record: expected 27 fields, found 3",
        ]
    );
    let welsh = imported
        .records
        .iter()
        .find(|r| r.code.as_str() == "W91016")
        .unwrap()
        .to_practice()
        .unwrap();
    assert_eq!(
        (welsh.sub_icb, welsh.icb, welsh.region),
        (None, None, None),
        "Welsh board, Q99 and W00 are not English areas"
    );
    let ooh = imported
        .records
        .iter()
        .find(|r| r.code.as_str() == "Y00001")
        .unwrap();
    assert!(!ooh.is_gp_practice());
    assert_eq!(ooh.close_date, Some(d(2020, 3, 31)));
    assert!(imported.records[1].amended);
}

#[test]
fn strict_mode_stops_at_the_first_bad_row() {
    let path = fixture("epraccur_small.csv");
    let err = read_epraccur(
        open(&path).unwrap(),
        ImportOptions::new("epraccur_small.csv").strict(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "epraccur_small.csv, line 3, field `Postcode`: invalid postcode \"TS18 1H\": expected a UK postcode such as TS18 1HU"
    );
}

#[test]
fn epcn_details_check_dates() {
    let imported = run("epcn_details_small.csv", read_epcn_details);
    assert_eq!(imported.records.len(), 2);
    assert_eq!(
        messages(&imported.errors),
        [
            "epcn_details_small.csv, line 4, field `Close Date`: close date 2019-06-01 is before open date 2019-07-01"
        ]
    );
    assert_eq!(
        imported.records[0]
            .postcode
            .map(|p| p.to_string())
            .as_deref(),
        Some("TS18 1HU")
    );
}

#[test]
fn epcn_members_read_sub_icb_era_headers() {
    let imported = run("epcn_members_small.csv", read_epcn_members);
    assert_eq!(imported.records.len(), 3);
    assert_eq!(
        messages(&imported.errors),
        [
            "epcn_members_small.csv, line 5, field `Practice to PCN Relationship End Date`: invalid period: end 2020-03-31 is before start 2020-04-01",
            "epcn_members_small.csv, line 6, field `Practice Sub ICB Location and PCN Sub ICB Location match?`: malformed record: \"MAYBE\" is not TRUE or FALSE",
        ]
    );
    assert_eq!(imported.records[2].same_sub_icb, Some(false));
    assert_eq!(
        imported.records[0].period.end_inclusive(),
        Some(d(2022, 3, 31))
    );
}

#[test]
fn registered_patients_read_bands_totals_and_levels() {
    let imported = run(
        "gp-reg-pat-prac-quin-age_small.csv",
        read_registered_patients,
    );
    assert_eq!(
        messages(&imported.errors),
        [
            "gp-reg-pat-prac-quin-age_small.csv, line 7, field `NUMBER_OF_PATIENTS`: invalid patient count \"-3\": negative",
            "gp-reg-pat-prac-quin-age_small.csv, line 8, field `SEX`: invalid sex \"BOTH\": expected MALE, FEMALE or UNKNOWN (also M, F, U, I, OTHER, NOT KNOWN); ALL is a total, not a sex",
            "gp-reg-pat-prac-quin-age_small.csv, line 11, field `ORG_TYPE`: malformed record: unknown organisation type \"STP\"",
        ]
    );
    let r = &imported.records;
    assert_eq!(r.len(), 7);
    assert_eq!(
        (r[0].sex, r[0].age_band, r[0].patients),
        (None, None, PatientCount(1000))
    );
    assert_eq!(
        (r[4].sex, r[4].age_band),
        (Some(Sex::Female), Some(AgeBand::open(95).unwrap()))
    );
    assert_eq!(r[5].org, OrgRef::Pcn(None), "pseudo-code U is 'no PCN'");
    assert!(matches!(r[6].org, OrgRef::Icb(_)));
    assert_eq!(r.iter().filter_map(|x| x.to_list_size()).count(), 5);
}

#[test]
fn practice_lsoa_skips_unknown_lsoas_with_a_reason() {
    let imported = run("gp-reg-pat-prac-lsoa-all_small.csv", read_practice_lsoa);
    assert_eq!(imported.records.len(), 3);
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(imported.skipped[0].reason, "no LSOA recorded (NO2011)");
    assert_eq!(imported.skipped[0].location.line, Some(5));
    assert_eq!(
        messages(&imported.errors),
        [
            "gp-reg-pat-prac-lsoa-all_small.csv, line 6, field `LSOA_CODE`: invalid LSOA code \"E02000001\": expected E01 or W01 followed by six digits"
        ]
    );
}

#[test]
fn practice_map_reads_pseudo_pcn_and_reports_typos() {
    let imported = run("gp-reg-pat-prac-map_small.csv", read_practice_map);
    assert_eq!(imported.records.len(), 2);
    assert_eq!(imported.records[1].pcn, None);
    assert_eq!(
        messages(&imported.errors),
        [
            "gp-reg-pat-prac-map_small.csv, line 4, field `PRACTICE_CODE`: invalid GP practice code \"A8100\": expected one letter followed by five digits"
        ]
    );
    let registry = registry_from_practice_map(&imported.records)
        .build()
        .unwrap();
    let a81001 = "A81001".parse().unwrap();
    assert_eq!(
        registry.pcn_of(a81001, d(2026, 8, 1)),
        PcnCode::new("U89141").ok()
    );
    assert_eq!(
        registry.pcn_of(a81001, d(2026, 7, 31)),
        None,
        "membership is known from the extract date"
    );
}

#[test]
fn lsoa_lookup_skips_wales_and_rejects_unknown_area_types() {
    let imported = run("regions_lsoa_small.csv", read_lsoa_sub_icb_lookup);
    assert_eq!(imported.records.len(), 1);
    assert_eq!(imported.skipped.len(), 1);
    assert!(
        imported.skipped[0]
            .reason
            .starts_with("Welsh LSOA W01001869")
    );
    assert_eq!(
        messages(&imported.errors),
        [
            "regions_lsoa_small.csv, line 4, field `region_type`: malformed record: unknown area type \"CCG\" (expected SICBL or LHB)"
        ]
    );
}

#[test]
fn missing_columns_and_empty_files_are_clear_errors() {
    let err = read_registered_patients(
        "EXTRACT_DATE,CODE,SEX\n".as_bytes(),
        ImportOptions::new("cut.csv"),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cut.csv, line 1, field `NUMBER_OF_PATIENTS`: required column is missing from the header"
    );
    let err = read_practice_map("".as_bytes(), ImportOptions::new("empty.csv")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "empty.csv, line 1, field `EXTRACT_DATE`: required column is missing from the header"
    );
    let empty = read_epraccur("".as_bytes(), ImportOptions::new("empty.csv")).unwrap();
    assert_eq!(
        (empty.rows, empty.records.len(), empty.errors.len()),
        (0, 0, 0)
    );
    let Err(err) = open(std::path::Path::new("/no/such/file.csv")) else {
        panic!("a missing file opened")
    };
    assert!(
        err.to_string().starts_with("/no/such/file.csv: I/O error"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_is_a_row_error_not_a_panic() {
    let mut bytes = b"PUBLICATION,EXTRACT_DATE,TYPE,CODE,SEX,AGE,NUMBER_OF_PATIENTS\nX,01JAN2021,GP,A81001,ALL,ALL,5\nX,01JAN2021,GP,A8".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b"001,ALL,ALL,5\n");
    let imported =
        read_registered_patients(bytes.as_slice(), ImportOptions::new("bin.csv")).unwrap();
    assert_eq!(imported.records.len(), 1);
    assert_eq!(
        messages(&imported.errors),
        ["bin.csv, line 3, field `CODE`: malformed record: not valid UTF-8"]
    );
}
