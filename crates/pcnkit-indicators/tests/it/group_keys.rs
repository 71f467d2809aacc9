//! Group keys of every type a dataframe hands over (pandas categoricals and polars enums as
//! dictionaries, string views, large strings, dates, 64-bit unsigned integers) group exactly as
//! the same keys given as plain text, across batches that each carry their own dictionary.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::types::Int8Type;
use arrow_array::{
    Array, ArrayRef, Date32Array, DictionaryArray, Int64Array, RecordBatch, StringArray,
    UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use pcnkit_indicators::*;

const BANDS: [&str; 19] = [
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
    "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
];

/// Two batches, unsorted, the second starting with another area (so a dictionary made per
/// batch numbers the areas differently in each).
fn batches(areas: [&[&str]; 2]) -> Vec<RecordBatch> {
    areas
        .iter()
        .enumerate()
        .map(|(b, list)| {
            let (mut area, mut band, mut count, mut pop) = (vec![], vec![], vec![], vec![]);
            for (i, band_name) in BANDS.iter().enumerate() {
                for (k, a) in list.iter().enumerate() {
                    area.push(*a);
                    band.push(*band_name);
                    count.push((b * 7 + k * 3 + i) as i64);
                    pop.push(900 + (b * 50 + k * 20 + i * 10) as i64);
                }
            }
            RecordBatch::try_new(
                Arc::new(Schema::new(vec![
                    Field::new("area", DataType::Utf8, false),
                    Field::new("age_band", DataType::Utf8, false),
                    Field::new("deaths", DataType::Int64, false),
                    Field::new("population", DataType::Int64, false),
                ])),
                vec![
                    Arc::new(StringArray::from(area)),
                    Arc::new(StringArray::from(band)),
                    Arc::new(Int64Array::from(count)),
                    Arc::new(Int64Array::from(pop)),
                ],
            )
            .unwrap()
        })
        .collect()
}

/// The batches with the `area` column replaced by `convert(area)`.
fn with_area(
    batches: &[RecordBatch],
    convert: impl Fn(&StringArray) -> ArrayRef,
) -> Vec<RecordBatch> {
    with_column(batches, 0, |a| convert(a.as_string::<i32>()))
}

/// The batches with column `index` replaced by `convert(column)` (same name, new type).
fn with_column(
    batches: &[RecordBatch],
    index: usize,
    convert: impl Fn(&ArrayRef) -> ArrayRef,
) -> Vec<RecordBatch> {
    batches
        .iter()
        .map(|b| {
            let mut columns = b.columns().to_vec();
            columns[index] = convert(&columns[index]);
            let mut fields: Vec<Field> = b
                .schema()
                .fields()
                .iter()
                .map(|f| f.as_ref().clone())
                .collect();
            fields[index] = Field::new(
                fields[index].name(),
                columns[index].data_type().clone(),
                false,
            );
            RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
        })
        .collect()
}

fn values(out: &RecordBatch) -> Vec<(String, Option<f64>, Option<f64>)> {
    let keys =
        arrow_cast::display::ArrayFormatter::try_new(out.column(0).as_ref(), &Default::default())
            .unwrap();
    let v = out
        .column_by_name("value")
        .unwrap()
        .as_primitive::<Float64Type>();
    let l = out
        .column_by_name("lowercl")
        .unwrap()
        .as_primitive::<Float64Type>();
    (0..out.num_rows())
        .map(|r| {
            (
                keys.value(r).to_string(),
                v.is_valid(r).then(|| v.value(r)),
                l.is_valid(r).then(|| l.value(r)),
            )
        })
        .collect()
}

fn dsr(batches: &[RecordBatch]) -> RecordBatch {
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
    .run(batches)
    .unwrap()
}

const AREAS: [&[&str]; 2] = [&["U1", "U2", "U3"], &["U3", "U4", "U1"]];

#[test]
fn dictionary_keys_with_a_dictionary_per_batch_group_as_text() {
    let text = batches(AREAS);
    let expected = values(&dsr(&text));
    assert_eq!(expected.len(), 4, "U1..U4, in order of first appearance");
    let dict = with_area(&text, |a| {
        Arc::new(a.iter().collect::<DictionaryArray<Int8Type>>())
    });
    // The two batches' dictionaries really differ (U3 is 0 in the second, 2 in the first).
    assert_ne!(
        dict[0].column(0).as_dictionary::<Int8Type>().values(),
        dict[1].column(0).as_dictionary::<Int8Type>().values()
    );
    let out = dsr(&dict);
    assert_eq!(
        out.column(0).data_type(),
        dict[0].column(0).data_type(),
        "key type kept"
    );
    assert_eq!(values(&out), expected);
}

#[test]
fn a_dictionary_that_repeats_a_value_is_one_group() {
    // Dictionaries need not be unique (arrow allows it; concatenating categoricals makes them):
    // keys 0 and 1 both mean "U1".
    let text = batches([&["U1", "U1"], &["U1"]]);
    let dict = with_area(&text, |a| {
        let keys: Vec<i8> = (0..a.len()).map(|r| (r % 2) as i8).collect();
        Arc::new(
            DictionaryArray::<Int8Type>::try_new(
                keys.into(),
                Arc::new(StringArray::from(vec!["U1", "U1"])),
            )
            .unwrap(),
        )
    });
    let proportions = |b: &[RecordBatch]| {
        values(
            &ProportionSpec::new("deaths", "population")
                .group_by(&["area"])
                .levels([Confidence::C95].to_vec())
                .multiplier(1.0)
                .run(b)
                .unwrap(),
        )
    };
    let expected = proportions(&text);
    assert_eq!(expected.len(), 1);
    assert_eq!(proportions(&dict), expected);
}

#[test]
fn string_views_and_large_strings_group_as_text() {
    let text = batches(AREAS);
    let expected = values(&dsr(&text));
    for target in [DataType::Utf8View, DataType::LargeUtf8] {
        let other = with_area(&text, |a| arrow_cast::cast(a, &target).unwrap());
        let out = dsr(&other);
        assert_eq!(out.column(0).data_type(), &target);
        assert_eq!(values(&out), expected, "{target}");
    }
}

#[test]
fn dates_and_unsigned_64_bit_keys_group_by_value() {
    let text = batches(AREAS);
    let expected: Vec<_> = values(&dsr(&text))
        .into_iter()
        .map(|(_, v, l)| (v, l))
        .collect();
    let number = |s: &str| s.trim_start_matches('U').parse::<u64>().unwrap();
    let unsigned = with_area(&text, |a| {
        Arc::new(
            a.iter()
                .map(|s| s.map(|s| u64::MAX - number(s)))
                .collect::<UInt64Array>(),
        )
    });
    let dates = with_area(&text, |a| {
        Arc::new(
            a.iter()
                .map(|s| s.map(|s| 20_000 + number(s) as i32))
                .collect::<Date32Array>(),
        )
    });
    for other in [unsigned, dates] {
        let got: Vec<_> = values(&dsr(&other))
            .into_iter()
            .map(|(_, v, l)| (v, l))
            .collect();
        assert_eq!(got, expected, "{}", other[0].column(0).data_type());
    }
}

#[test]
fn floating_point_keys_are_refused_with_the_reason() {
    let text = batches(AREAS);
    let floats = with_area(&text, |a| {
        Arc::new(
            a.iter()
                .map(|s| s.map(|s| s.len() as f64))
                .collect::<arrow_array::Float64Array>(),
        )
    });
    let err = DsrSpec::new(
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
    .run(&floats)
    .unwrap_err();
    assert!(err.to_string().contains("floating-point"), "{err}");
}

#[test]
fn age_bands_as_dictionaries_views_or_large_strings_read_as_text() {
    let text = batches(AREAS);
    let expected = values(&dsr(&text));
    let with_bands = |target: &DataType| -> Vec<RecordBatch> {
        with_column(&text, 1, |c| arrow_cast::cast(c, target).unwrap())
    };
    for target in [
        DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8)),
        DataType::Dictionary(Box::new(DataType::UInt32), Box::new(DataType::Utf8View)),
        DataType::Utf8View,
        DataType::LargeUtf8,
    ] {
        assert_eq!(values(&dsr(&with_bands(&target))), expected, "{target}");
    }
    // A number is not an age band, and the message says what was found.
    let err = DsrSpec::new(
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
    .run(&with_column(&text, 1, |c| {
        Arc::new(Int64Array::from(vec![1; c.len()]))
    }))
    .unwrap_err();
    assert!(err.to_string().contains("found Int64"), "{err}");
}

#[test]
fn a_measure_column_that_varies_is_found_in_any_text_layout() {
    let mut text = batches(AREAS);
    // Add a `measure` column that differs within area U1.
    text = text
        .iter()
        .map(|b| {
            let measure: Vec<&str> = (0..b.num_rows())
                .map(|r| if r == 0 { "diabetes" } else { "asthma" })
                .collect();
            let mut fields: Vec<Field> = b
                .schema()
                .fields()
                .iter()
                .map(|f| f.as_ref().clone())
                .collect();
            let mut columns = b.columns().to_vec();
            fields.push(Field::new("measure", DataType::Utf8, false));
            columns.push(Arc::new(StringArray::from(measure)));
            RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
        })
        .collect();
    let target = DataType::Dictionary(Box::new(DataType::Int16), Box::new(DataType::Utf8));
    let dict = with_column(&text, 4, |c| arrow_cast::cast(c, &target).unwrap());
    for input in [&text, &dict] {
        let varying = varying_text_columns(input, &["area", "age_band"]).unwrap();
        assert_eq!(varying.len(), 1, "{varying:?}");
        assert_eq!(varying[0].0, "measure");
    }
}
