use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use pcnkit_indicators::*;

const BANDS: [&str; 19] = [
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
    "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
];

fn dsr_input() -> RecordBatch {
    let mut area = Vec::new();
    let mut band = Vec::new();
    let mut count = Vec::new();
    let mut pop = Vec::new();
    for (a, scale) in [("A", 1i64), ("B", 3), ("C", 0)] {
        for (i, b) in BANDS.iter().enumerate() {
            area.push(a);
            band.push(*b);
            count.push(scale * (i as i64 + 1));
            pop.push(1000 + 10 * i as i64);
        }
    }
    let schema = Schema::new(vec![
        Field::new("area", DataType::Utf8, false),
        Field::new("age_band", DataType::Utf8, false),
        Field::new("deaths", DataType::Int64, false),
        Field::new("population", DataType::Int64, false),
    ]);
    RecordBatch::try_new(
        Arc::new(schema),
        vec![
            Arc::new(StringArray::from(area)),
            Arc::new(StringArray::from(band)),
            Arc::new(Int64Array::from(count)),
            Arc::new(Int64Array::from(pop)),
        ],
    )
    .unwrap()
}

#[test]
fn dsr_table_matches_the_single_group_method_and_names_columns_as_r() {
    let input = dsr_input();
    let levels = [Confidence::C95, Confidence::C998];
    let out = DsrSpec::new(
        "deaths",
        "population",
        Standard::Esp2013 {
            age_band: "age_band",
        },
    )
    .group_by(&["area"])
    .levels(levels.to_vec())
    .multiplier(100_000.0)
    .repeated_bands(RepeatedBands::Refuse)
    .run(std::slice::from_ref(&input))
    .unwrap();
    let schema = out.schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(
        names,
        [
            "area",
            "deaths",
            "population",
            "value",
            "lower95_0cl",
            "upper95_0cl",
            "lower99_8cl",
            "upper99_8cl",
            "confidence",
            "statistic",
            "method",
            "note"
        ]
    );
    let counts: Vec<f64> = (1..=19).map(f64::from).collect();
    let pops: Vec<f64> = (0..19).map(|i| 1000.0 + 10.0 * f64::from(i)).collect();
    let direct = dsr(&counts, &pops, &ESP2013, &levels, 100_000.0).unwrap();
    let value = out
        .column_by_name("value")
        .unwrap()
        .as_primitive::<Float64Type>();
    assert_eq!(value.value(0), direct.value.unwrap());
    let upper = out
        .column_by_name("upper99_8cl")
        .unwrap()
        .as_primitive::<Float64Type>();
    assert_eq!(upper.value(0), direct.upper[1].unwrap());
    // Area C has no events: a null value with the reason, not NaN.
    assert!(value.is_null(2));
    assert_eq!(
        out.column_by_name("note")
            .unwrap()
            .as_string::<i32>()
            .value(2),
        "dsr not calculated for a total count below 10"
    );
    assert_eq!(
        out.column_by_name("confidence")
            .unwrap()
            .as_string::<i32>()
            .value(0),
        "95%, 99.8%"
    );
    assert_eq!(
        out.column_by_name("statistic")
            .unwrap()
            .as_string::<i32>()
            .value(0),
        "dsr per 100000"
    );
}

#[test]
fn a_group_missing_an_esp_band_gets_a_null_row_saying_so() {
    // Area A loses its last band; B and C are computed as before (issue 14: one bad group
    // must not sink a grouped call).
    let full = dsr_input();
    let input = arrow_select::concat::concat_batches(
        &full.schema(),
        &[full.slice(0, 18), full.slice(19, 38)],
    )
    .unwrap();
    let dsr = |b: RecordBatch| {
        DsrSpec::new(
            "deaths",
            "population",
            Standard::Esp2013 {
                age_band: "age_band",
            },
        )
        .group_by(&["area"])
        .levels([Confidence::C95].to_vec())
        .multiplier(100_000.0)
        .repeated_bands(RepeatedBands::Refuse)
        .run(&[b])
        .unwrap()
    };
    let out = dsr(input);
    let whole = dsr(full);
    let values = out
        .column_by_name("value")
        .unwrap()
        .as_primitive::<Float64Type>();
    let notes = out.column_by_name("note").unwrap().as_string::<i32>();
    assert!(values.is_null(0));
    assert_eq!(
        notes.value(0),
        "has 18 of the 19 ESP2013 age bands: every band is needed, with a count of 0 where \
         there were no events"
    );
    let expected = whole
        .column_by_name("value")
        .unwrap()
        .as_primitive::<Float64Type>();
    assert_eq!(values.value(1), expected.value(1));
    assert!(notes.is_null(1));
    assert!(out.column_by_name("deaths").unwrap().is_null(0));
}

#[test]
fn grouped_proportions_sum_first_and_nulls_are_explained() {
    let schema = Arc::new(Schema::new(vec![
        Field::new("pcn", DataType::Utf8, false),
        Field::new("num", DataType::Float64, true),
        Field::new("den", DataType::Float64, false),
    ]));
    let batch = |pcn: Vec<&str>, num: Vec<Option<f64>>, den: Vec<f64>| {
        RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(pcn)),
                Arc::new(Float64Array::from(num)),
                Arc::new(Float64Array::from(den)),
            ],
        )
        .unwrap()
    };
    let batches = [
        batch(
            vec!["X", "Y"],
            vec![Some(30.0), Some(1.0)],
            vec![50.0, 10.0],
        ),
        batch(vec!["X", "Y"], vec![Some(35.0), None], vec![50.0, 10.0]),
    ];
    let out = ProportionSpec::new("num", "den")
        .group_by(&["pcn"])
        .levels([Confidence::C95].to_vec())
        .multiplier(1.0)
        .run(&batches)
        .unwrap();
    assert_eq!(out.num_rows(), 2);
    let lower = out
        .column_by_name("lowercl")
        .unwrap()
        .as_primitive::<Float64Type>();
    let direct = proportion(65.0, 100.0, &[Confidence::C95], 1.0).unwrap();
    assert_eq!(lower.value(0), direct.lower[0].unwrap());
    assert!(lower.is_null(1));
    assert_eq!(
        out.column_by_name("note")
            .unwrap()
            .as_string::<i32>()
            .value(1),
        "null numerator or denominator in the group"
    );
    let err = RateSpec::new("num", "missing")
        .group_by(&["pcn"])
        .levels([Confidence::C95].to_vec())
        .multiplier(100_000.0)
        .run(&batches)
        .unwrap_err();
    assert_eq!(err.to_string(), "column `missing`: not in the input");
    let err = RateSpec::new("num", "pcn")
        .group_by(&[])
        .levels([Confidence::C95].to_vec())
        .multiplier(100_000.0)
        .run(&batches)
        .unwrap_err();
    assert_eq!(err.to_string(), "column `pcn`: must be numeric, found Utf8");
}
