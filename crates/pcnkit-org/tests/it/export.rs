//! Arrow, Parquet and CSV export with stable schemas, round-tripped.

use pcnkit_core::arrow::{ArrowRecord, from_record_batch};
use pcnkit_core::{AgeBand, PatientCount, Sex};
use pcnkit_org::export::*;
use pcnkit_org::import::*;
use pcnkit_org::*;
use proptest::prelude::*;

use crate::{d, fixture};

fn registry() -> Registry {
    let path = fixture("gp-reg-pat-prac-map_small.csv");
    let map = read_practice_map(open(&path).unwrap(), ImportOptions::new("map")).unwrap();
    let mut b = registry_from_practice_map(&map.records);
    let path = fixture("gp-reg-pat-prac-quin-age_small.csv");
    let counts =
        read_registered_patients(open(&path).unwrap(), ImportOptions::new("quin")).unwrap();
    b.list_sizes(counts.records.iter().filter_map(|r| r.to_list_size()));
    b.build().unwrap()
}

#[test]
fn tables_have_their_documented_schemas_and_round_trip() {
    let r = registry();
    let practices = practices_table(&r).unwrap();
    assert_eq!(practices.schema(), PracticeRow::arrow_schema());
    assert_eq!(practices.num_rows(), 2);
    let rows: Vec<PracticeRow> = from_record_batch(&practices).unwrap();
    assert_eq!(rows[0].practice.as_str(), "A81001");
    assert_eq!(rows[0].status, PracticeStatus::Active);

    let memberships: Vec<MembershipRow> =
        from_record_batch(&memberships_table(&r).unwrap()).unwrap();
    assert_eq!(memberships.len(), 1);
    assert_eq!(
        (memberships[0].start, memberships[0].end),
        (d(2026, 8, 1), None)
    );

    let lists = list_sizes_table(&r).unwrap();
    let back: Vec<ListSizeRecord> = from_record_batch(&lists).unwrap();
    assert_eq!(back.len(), 5, "one total and four age/sex cells");
    let rebuilt = ListSizes::from_records(back).unwrap();
    let date = d(2024, 4, 1);
    assert_eq!(
        rebuilt.on("A81001".parse().unwrap(), date),
        r.list_size("A81001".parse().unwrap(), date)
    );

    let snapshot = r.snapshot(d(2026, 8, 1));
    let table = snapshot_table(&snapshot).unwrap();
    let rows: Vec<SnapshotTableRow> = from_record_batch(&table).unwrap();
    assert_eq!(rows[0].patients, Some(PatientCount(1000)));
    assert_eq!(rows[1].pcn, None);

    let rollup = rollup_table(&r.rollup(Level::Icb, d(2026, 8, 1)).unwrap()).unwrap();
    let rows: Vec<RollupRow> = from_record_batch(&rollup).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].code.as_deref(), Some("QHM"));
    assert_eq!(rows[0].missing_list_sizes, 1);
    // A practice without a list makes the area's patients unknown, not the others' sum.
    assert_eq!(rows[0].patients, None);
    assert_eq!(rows[0].patients_known, PatientCount(1000));
    assert_eq!(pcns_table(&r).unwrap().num_rows(), 1);
}

#[test]
fn parquet_and_csv_files_are_written_and_read_back() {
    let r = registry();
    let dir = tempfile::tempdir().unwrap();
    let batch = snapshot_table(&r.snapshot(d(2026, 8, 1))).unwrap();
    let parquet_path = dir.path().join("snapshot.parquet");
    pcnkit_core::write::write_parquet(&batch, &parquet_path).unwrap();
    let file = std::fs::File::open(&parquet_path).unwrap();
    let reader =
        parquet::arrow::arrow_reader::ParquetRecordBatchReader::try_new(file, 1024).unwrap();
    let batches: Vec<_> = reader.collect::<Result<_, _>>().unwrap();
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0], batch);

    let csv_path = dir.path().join("snapshot.csv");
    pcnkit_core::write::write_csv(&batch, &csv_path).unwrap();
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert!(text.starts_with(
        "date,practice,practice_name,pcn,pcn_name,sub_icb,icb,region,patients,extract_date\n"
    ));
    assert!(text.contains(
        "2026-08-01,A81001,THE DENSHAM SURGERY,U89141,STOCKTON PCN,16C,QHM,Y63,1000,2024-04-01"
    ));

    let err =
        pcnkit_core::write::write_csv(&batch, &dir.path().join("no/such/dir.csv")).unwrap_err();
    assert!(err.to_string().starts_with("could not write "), "{err}");
}

proptest! {
    #[test]
    fn list_size_records_round_trip_through_arrow(cells in proptest::collection::vec((0u8..=95, 0usize..3, 0u64..100_000, any::<bool>()), 0..50)) {
        let date = d(2024, 1, 1);
        let records: Vec<ListSizeRecord> = cells
            .iter()
            .map(|&(age, sex, n, total)| {
                let (s, a) = if total { (None, None) } else { (Some(Sex::ALL[sex]), Some(AgeBand::single(age).unwrap())) };
                ListSizeRecord::new("A81001".parse().unwrap(), date, s, a, PatientCount(n))
            })
            .collect();
        let batch = pcnkit_core::arrow::to_record_batch(&records).unwrap();
        prop_assert_eq!(from_record_batch::<ListSizeRecord>(&batch).unwrap(), records);
    }
}

#[test]
fn public_records_have_json_schemas_their_json_satisfies() {
    use pcnkit_core::json::schema_for;
    let r = registry();
    let check = |schema: serde_json::Value, value: serde_json::Value| {
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?} in {value}");
    };
    for p in r.practices() {
        check(schema_for::<Practice>(), serde_json::to_value(p).unwrap());
    }
    let mut pcn = r.pcns().next().unwrap().clone();
    let period = pcnkit_core::Period::starting(d(2019, 7, 1));
    pcn.clinical_directors
        .push(ClinicalDirector::new("Dr A", period));
    let mut agreement = NetworkAgreement::new(period);
    agreement.schedules.push(AgreementSchedule::new(
        AgreementScheduleKind::Other("Estates".into()),
        vec!["Shared".into()],
    ));
    pcn.agreement = Some(agreement);
    check(schema_for::<Pcn>(), serde_json::to_value(&pcn).unwrap());
    for m in r.memberships() {
        check(schema_for::<Membership>(), serde_json::to_value(m).unwrap());
    }
    check(
        schema_for::<Snapshot>(),
        serde_json::to_value(r.snapshot(d(2026, 8, 1))).unwrap(),
    );
    check(
        schema_for::<Vec<AreaPopulation>>(),
        serde_json::to_value(r.rollup(Level::Region, d(2026, 8, 1)).unwrap()).unwrap(),
    );
    let partner = Partner::new(
        pcn.code,
        PartnerKind::CommunityPharmacy,
        "Demo Pharmacy",
        period,
    );
    check(
        schema_for::<Partner>(),
        serde_json::to_value(&partner).unwrap(),
    );
    // A JSON document with a bad code is rejected by the schema as well as by serde.
    let mut bad = serde_json::to_value(r.practices().next().unwrap()).unwrap();
    bad["code"] = "A8100".into();
    assert!(!jsonschema::is_valid(&schema_for::<Practice>(), &bad));
    assert!(serde_json::from_value::<Practice>(bad).is_err());
}
