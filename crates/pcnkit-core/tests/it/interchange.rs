use chrono::NaiveDate;
use pcnkit_core::arrow::{ArrowRecord, field, from_record_batch, to_record_batch};
use pcnkit_core::json::{JsonSchema, schema_for};
use pcnkit_core::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A record holding every core value type, as domain records will.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
struct Everything {
    practice: PracticeCode,
    pcn: Option<PcnCode>,
    icb: IcbCode,
    sub_icb: SubIcbCode,
    region: RegionCode,
    lsoa: LsoaCode,
    year: FinancialYear,
    month: Month,
    date: NaiveDate,
    period: Period,
    amount: Money,
    wte: Wte,
    patients: PatientCount,
    age_band: AgeBand,
    sex: Sex,
}

impl ArrowRecord for Everything {
    fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
        vec![
            field::<PracticeCode>("practice"),
            field::<Option<PcnCode>>("pcn"),
            field::<IcbCode>("icb"),
            field::<SubIcbCode>("sub_icb"),
            field::<RegionCode>("region"),
            field::<LsoaCode>("lsoa"),
            field::<FinancialYear>("year"),
            field::<Month>("month"),
            field::<NaiveDate>("date"),
            field::<Period>("period"),
            field::<Money>("amount"),
            field::<Wte>("wte"),
            field::<PatientCount>("patients"),
            field::<AgeBand>("age_band"),
            field::<Sex>("sex"),
        ]
    }
}

fn everything() -> impl Strategy<Value = Everything> {
    let codes = (
        "[A-Z][0-9]{5}",
        proptest::option::of("U[0-9]{5}"),
        "Q[A-Z0-9]{2}",
        "[0-9]{2}[A-Z]",
        "Y[0-9]{2}",
        "[EW]01[0-9]{6}",
    );
    let time = (
        1990i32..2150,
        1u32..=12,
        1u32..=28,
        0u64..1000,
        any::<bool>(),
    );
    let amounts = (
        any::<i64>(),
        0u32..=8,
        1i64..2_000_000,
        0u64..70_000_000,
        0u8..=95,
        0usize..3,
    );
    (codes, time, amounts).prop_map(|(c, t, a)| {
        let date = NaiveDate::from_ymd_opt(t.0, t.1, t.2).unwrap();
        let end = if t.4 {
            None
        } else {
            date.checked_add_days(chrono::Days::new(t.3))
        };
        Everything {
            practice: c.0.parse().unwrap(),
            pcn: c.1.map(|s| s.parse().unwrap()),
            icb: c.2.parse().unwrap(),
            sub_icb: c.3.parse().unwrap(),
            region: c.4.parse().unwrap(),
            lsoa: c.5.parse().unwrap(),
            year: FinancialYear::of(date).unwrap(),
            month: Month::of(date).unwrap(),
            date,
            period: Period::new(date, end).unwrap(),
            // Keep within Decimal128(38, 18): at most 20 integer digits.
            amount: Money::from_pounds(Decimal::new(a.0 / 1_000_000, a.1)),
            wte: Wte::new(Decimal::new(a.2, 6)).unwrap(),
            patients: PatientCount(a.3),
            age_band: AgeBandScheme::esp2013().band_of(a.4),
            sex: Sex::ALL[a.5],
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arrow_round_trip_is_lossless(rows in proptest::collection::vec(everything(), 0..40)) {
        let batch = to_record_batch(&rows).unwrap();
        prop_assert_eq!(batch.schema(), Everything::arrow_schema());
        prop_assert_eq!(from_record_batch::<Everything>(&batch).unwrap(), rows);
    }

    #[test]
    fn json_round_trip_is_lossless_and_valid(row in everything()) {
        let json = serde_json::to_value(&row).unwrap();
        let schema = schema_for::<Everything>();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator.iter_errors(&json).map(|e| e.to_string()).collect();
        prop_assert!(errors.is_empty(), "{:?}", errors);
        prop_assert_eq!(serde_json::from_value::<Everything>(json).unwrap(), row);
    }
}

#[test]
fn arrow_rejects_a_batch_with_the_wrong_schema() {
    #[derive(Debug, Serialize, Deserialize)]
    struct Other {
        practice: String,
    }
    impl ArrowRecord for Other {
        fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
            vec![field::<String>("practice")]
        }
    }
    let batch = to_record_batch(&[Other {
        practice: "nope".into(),
    }])
    .unwrap();
    let err = from_record_batch::<Everything>(&batch).unwrap_err();
    assert!(err.to_string().contains("expected 15 columns"), "{err}");
    // Same shape, but a value that is not a valid code: a typed error, not a panic.
    #[derive(Debug, Serialize, Deserialize)]
    struct Code {
        practice: String,
    }
    impl ArrowRecord for Code {
        fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
            vec![field::<PracticeCode>("practice")]
        }
    }
    #[derive(Debug, Serialize, Deserialize)]
    struct Typed {
        #[allow(dead_code)]
        practice: PracticeCode,
    }
    impl ArrowRecord for Typed {
        fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
            vec![field::<PracticeCode>("practice")]
        }
    }
    let batch = to_record_batch(&[Code {
        practice: "nope".into(),
    }])
    .unwrap();
    let err = from_record_batch::<Typed>(&batch).unwrap_err();
    assert!(
        err.to_string().contains("invalid GP practice code"),
        "{err}"
    );
}

#[test]
fn money_with_too_many_decimal_places_is_not_silently_rounded_into_arrow() {
    #[derive(Debug, Serialize, Deserialize)]
    struct Row {
        amount: Money,
    }
    impl ArrowRecord for Row {
        fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
            vec![field::<Money>("amount")]
        }
    }
    let third = Money::from_pence(100)
        .checked_div(Decimal::from(3))
        .unwrap();
    assert!(third.pounds().scale() > 18);
    let result = to_record_batch(&[Row { amount: third }]);
    assert!(result.is_err(), "expected an error, got {result:?}");
}

#[test]
fn json_schemas_are_generated_for_every_core_type() {
    for schema in [
        schema_for::<PracticeCode>(),
        schema_for::<FinancialYear>(),
        schema_for::<Period>(),
        schema_for::<Money>(),
        schema_for::<Wte>(),
        schema_for::<AgeBandScheme>(),
        schema_for::<Sex>(),
    ] {
        assert!(jsonschema::validator_for(&schema).is_ok(), "{schema}");
    }
    let period = schema_for::<Period>();
    assert!(jsonschema::is_valid(
        &period,
        &serde_json::json!({"start": "2024-04-01", "end": null})
    ));
    assert!(!jsonschema::is_valid(
        &period,
        &serde_json::json!({"start": "2024-04-01", "end": null, "x": 1})
    ));
}
