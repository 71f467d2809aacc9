//! Benchmarking against a comparator, with polarity, and quintiles.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use pcnkit_indicators::benchmark::{
    BenchmarkSpec, Comparator, Comparison, Method, Polarity, colours_table, compare,
};

fn words(b: &RecordBatch, c: &str) -> Vec<Option<String>> {
    b.column_by_name(c)
        .unwrap()
        .as_string::<i32>()
        .iter()
        .map(|v| v.map(str::to_owned))
        .collect()
}

fn table() -> RecordBatch {
    RecordBatch::try_from_iter([
        (
            "area",
            Arc::new(StringArray::from(vec!["England", "A", "B", "C", "D"])) as ArrayRef,
        ),
        (
            "value",
            Arc::new(Float64Array::from(vec![
                Some(50.0),
                Some(60.0),
                Some(45.0),
                Some(52.0),
                None,
            ])),
        ),
        (
            "lower",
            Arc::new(Float64Array::from(vec![
                Some(49.0),
                Some(55.0),
                Some(40.0),
                Some(47.0),
                None,
            ])),
        ),
        (
            "upper",
            Arc::new(Float64Array::from(vec![
                Some(51.0),
                Some(65.0),
                Some(49.5),
                Some(57.0),
                None,
            ])),
        ),
    ])
    .unwrap()
}

#[test]
fn intervals_against_a_value_with_each_polarity() {
    let area = (Some(60.0), Some(55.0), Some(65.0));
    assert_eq!(
        compare(area, (Some(50.0), None, None), Polarity::HighIsGood),
        Comparison::Better
    );
    assert_eq!(
        compare(area, (Some(50.0), None, None), Polarity::LowIsGood),
        Comparison::Worse
    );
    assert_eq!(
        compare(area, (Some(50.0), None, None), Polarity::NoJudgement),
        Comparison::Higher
    );
    assert_eq!(
        compare(area, (Some(60.0), None, None), Polarity::HighIsGood),
        Comparison::Similar
    );
    // Interval to interval: overlapping is similar even when the value is outside.
    assert_eq!(
        compare(
            area,
            (Some(52.0), Some(50.0), Some(56.0)),
            Polarity::HighIsGood
        ),
        Comparison::Similar
    );
    assert_eq!(
        compare(
            (None, None, None),
            (Some(1.0), None, None),
            Polarity::HighIsGood
        ),
        Comparison::NotCompared
    );
    assert_eq!(
        compare(area, (None, None, None), Polarity::HighIsGood),
        Comparison::NotCompared
    );
}

#[test]
fn against_the_england_row_with_fingertips_colours() {
    let out = BenchmarkSpec::new(
        "value",
        "lower",
        "upper",
        Comparator::Row {
            column: "area",
            value: "England",
            with_interval: false,
        },
        Polarity::LowIsGood,
    )
    .run(&[table()])
    .unwrap();
    let c = words(&out, "comparison");
    assert_eq!(
        c.iter().map(|v| v.as_deref().unwrap()).collect::<Vec<_>>(),
        ["Not compared", "Worse", "Better", "Similar", "Not compared"]
    );
    let colours = words(&out, "comparison_colour");
    assert_eq!(colours[1].as_deref(), Some("#C00000"));
    assert_eq!(colours[2].as_deref(), Some("#92D050"));
    assert_eq!(colours[4].as_deref(), Some("#C9C9C9"));
    let legend = colours_table().unwrap();
    assert_eq!(legend.num_rows(), 6);
    assert!(
        words(&legend, "source")[0]
            .as_deref()
            .unwrap()
            .contains("fingertipscharts")
    );
}

#[test]
fn quintiles_with_and_without_judgement() {
    let values: Vec<f64> = (1..=10).map(f64::from).collect();
    let t = RecordBatch::try_from_iter([
        ("value", Arc::new(Float64Array::from(values)) as ArrayRef),
        ("l", Arc::new(Float64Array::from(vec![0.0; 10]))),
        ("u", Arc::new(Float64Array::from(vec![0.0; 10]))),
    ])
    .unwrap();
    let run = |p| {
        BenchmarkSpec::new("value", "l", "u", Comparator::Value(0.0), p)
            .method(Method::Quintiles)
            .run(std::slice::from_ref(&t))
            .unwrap()
    };
    let plain = words(&run(Polarity::NoJudgement), "comparison");
    assert_eq!(plain[0].as_deref(), Some("Lowest"));
    assert_eq!(plain[9].as_deref(), Some("Highest"));
    let good = words(&run(Polarity::HighIsGood), "comparison");
    assert_eq!(good[9].as_deref(), Some("Best"));
    assert_eq!(good[0].as_deref(), Some("Worst"));
    // Quintile colours are not sourced: null, not a guess.
    assert!(
        words(&run(Polarity::HighIsGood), "comparison_colour")
            .iter()
            .all(Option::is_none)
    );
    assert!("sideways".parse::<Polarity>().is_err());
}
