//! Prevalence by area and deprivation quintile from person rows.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt8Type, UInt64Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, DictionaryArray, RecordBatch, StringArray, UInt8Array,
    types::Int32Type,
};
use arrow_schema::{Field, Schema};
use pcnkit_indicators::prevalence::*;
use pcnkit_indicators::*;

fn persons(dictionary: bool) -> RecordBatch {
    // practice, decile, flag
    let rows: Vec<(&str, Option<u8>, bool)> = vec![
        ("P1", Some(1), true),
        ("P1", Some(2), false),
        ("P2", Some(1), true),
        ("P2", Some(10), false),
        ("P3", Some(9), true),
        ("P3", None, true),
        ("P1", Some(10), false),
    ];
    let practice: ArrayRef = if dictionary {
        Arc::new(
            rows.iter()
                .map(|r| r.0)
                .collect::<DictionaryArray<Int32Type>>(),
        )
    } else {
        Arc::new(StringArray::from(
            rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        ))
    };
    let decile: ArrayRef = Arc::new(UInt8Array::from(
        rows.iter().map(|r| r.1).collect::<Vec<_>>(),
    ));
    let flag: ArrayRef = Arc::new(BooleanArray::from(
        rows.iter().map(|r| r.2).collect::<Vec<_>>(),
    ));
    let schema = Schema::new(vec![
        Field::new("practice", practice.data_type().clone(), false),
        Field::new("decile", decile.data_type().clone(), true),
        Field::new("flag", flag.data_type().clone(), false),
    ]);
    RecordBatch::try_new(Arc::new(schema), vec![practice, decile, flag]).unwrap()
}

#[test]
fn counts_by_area_and_quintile_with_gap() {
    let lookup = AreaLookup::from_pairs([("P1", "PCN A"), ("P2", "PCN A"), ("P3", "PCN B")]);
    for dictionary in [true, false] {
        let out = prevalence_by_quintile(
            &[persons(dictionary)],
            "practice",
            "decile",
            "flag",
            &lookup,
            &[Confidence::C95],
        )
        .unwrap();
        let area = out.column_by_name("area").unwrap().as_string::<i32>();
        let q = out
            .column_by_name("quintile")
            .unwrap()
            .as_primitive::<UInt8Type>();
        let n = out
            .column_by_name("persons")
            .unwrap()
            .as_primitive::<UInt64Type>();
        let c = out
            .column_by_name("cases")
            .unwrap()
            .as_primitive::<UInt64Type>();
        let rows: Vec<(String, Option<u8>, u64, u64)> = (0..out.num_rows())
            .map(|r| {
                (
                    area.value(r).to_owned(),
                    q.is_valid(r).then(|| q.value(r)),
                    n.value(r),
                    c.value(r),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("PCN A".to_owned(), Some(1), 3, 2),
                ("PCN A".to_owned(), Some(5), 2, 0),
                ("PCN B".to_owned(), Some(5), 1, 1),
                ("PCN B".to_owned(), None, 1, 1),
            ]
        );
        let v = out
            .column_by_name("value")
            .unwrap()
            .as_primitive::<Float64Type>();
        assert!((v.value(0) - 200.0 / 3.0).abs() < 1e-12);
        let gap = deprivation_gap(&out).unwrap();
        let abs = gap
            .column_by_name("absolute_gap")
            .unwrap()
            .as_primitive::<Float64Type>();
        assert!((abs.value(0) - 200.0 / 3.0).abs() < 1e-12);
        assert!(abs.is_null(1)); // PCN B has no quintile-1 persons
        let rel = gap
            .column_by_name("relative_gap")
            .unwrap()
            .as_primitive::<Float64Type>();
        assert!(rel.is_null(0)); // Q5 prevalence is 0
    }
}

#[test]
fn unknown_practices_and_bad_deciles_are_errors_naming_the_row() {
    let lookup = AreaLookup::from_pairs([("P1", "A"), ("P2", "A")]);
    for dictionary in [true, false] {
        let e = prevalence_by_quintile(
            &[persons(dictionary)],
            "practice",
            "decile",
            "flag",
            &lookup,
            &[Confidence::C95],
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "column `practice`: row 4: practice P3 is not in the area lookup"
        );
    }
    let lookup = AreaLookup::from_pairs([("P1", "A"), ("P2", "A"), ("P3", "B")]);
    let mut b = persons(false);
    let mut cols = b.columns().to_vec();
    cols[1] = Arc::new(UInt8Array::from(vec![
        Some(1),
        Some(11),
        None,
        None,
        None,
        None,
        None,
    ]));
    b = RecordBatch::try_new(b.schema(), cols).unwrap();
    let e = prevalence_by_quintile(
        &[b],
        "practice",
        "decile",
        "flag",
        &lookup,
        &[Confidence::C95],
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "column `decile`: row 1: deprivation decile must be 1 to 10, found 11"
    );
}

#[test]
fn lookup_from_the_demo_registry() {
    let ics = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default()).unwrap();
    let date = ics.extract_date;
    // Practices without a PCN go under "no PCN", so their patients are still counted.
    let lookup = AreaLookup::from_pairs(
        ics.registry
            .practice_areas(pcnkit_org::Level::Pcn, date)
            .map(|(p, area)| {
                (
                    p.code.to_string(),
                    area.unwrap_or_else(|| "no PCN".to_owned()),
                )
            }),
    );
    assert_eq!(lookup.areas().len(), 30);
}
