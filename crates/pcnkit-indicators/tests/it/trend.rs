//! Recent trends (Fingertips trend markers): the statistics against R (`prop.trend.test` and a
//! weighted `lm`, R 4.2 from Debian, values below), each outcome and reason, and the table form.

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use pcnkit_indicators::Confidence;
use pcnkit_indicators::benchmark::Polarity;
use pcnkit_indicators::trend::{
    TrendDirection, TrendSpec, TrendValues, interval_trend, proportion_trend,
};

const COUNTS: [f64; 5] = [1367.0, 1332.0, 1199.0, 1023.0, 994.0];
const DENOMS: [f64; 5] = [44701.0, 44064.0, 42811.0, 41527.0, 40299.0];
const VALUES: [f64; 5] = [30.6, 30.2, 28.0, 24.6, 24.67];
const LOWER: [f64; 5] = [28.98, 28.63, 26.44, 23.15, 23.16];
const UPPER: [f64; 5] = [32.25, 31.9, 29.64, 26.19, 26.25];

fn close(a: f64, b: f64) {
    assert!(((a - b) / b).abs() < 1e-9, "{a} vs {b}");
}

fn proportion(counts: &[f64], denoms: &[f64]) -> Vec<(f64, Option<f64>, Option<f64>)> {
    counts
        .iter()
        .zip(denoms)
        .enumerate()
        .map(|(i, (r, n))| (2019.0 + i as f64, Some(*r), Some(*n)))
        .collect()
}

#[test]
fn proportions_match_r_prop_trend_test() {
    // R: prop.trend.test(x, n, 2019:2023)$statistic = 47.896676707588341; the slope of the
    // n-weighted regression of x/n on the year = -0.0017427638408985379.
    let t = proportion_trend(&proportion(&COUNTS, &DENOMS)).unwrap();
    close(t.chi_squared.unwrap(), 47.896676707588341);
    close(t.slope.unwrap(), -0.0017427638408985379);
    assert_eq!(t.direction, TrendDirection::Decreasing);
    assert_eq!(t.reason, "No outliers and significant trend");
    assert_eq!(
        t.direction.with_polarity(Polarity::LowIsGood),
        "Decreasing and getting better"
    );
}

#[test]
fn other_values_match_a_weighted_regression_in_r() {
    // The UKHSA R documentation's example for value_type "other"; R: lm(v ~ t, weights =
    // 1/se^2) with se = (ul - ll) / (2 qnorm(0.975)): slope -1.7515662226626696, chi-squared
    // 46.763597160534616.
    let pts: Vec<_> = (0..5)
        .map(|i| {
            (
                2019.0 + i as f64,
                Some(VALUES[i]),
                Some(LOWER[i]),
                Some(UPPER[i]),
            )
        })
        .collect();
    let t = interval_trend(&pts, Confidence::C95).unwrap();
    close(t.slope.unwrap(), -1.7515662226626696);
    close(t.chi_squared.unwrap(), 46.763597160534616);
    assert_eq!(t.direction, TrendDirection::Decreasing);
    assert_eq!(
        t.direction.with_polarity(Polarity::HighIsGood),
        "Decreasing and getting worse"
    );
}

#[test]
fn a_flat_series_is_no_significant_change() {
    // R: prop.trend.test(c(100,103,98,101,99), rep(1000,5))$statistic = 0.017746236799564392.
    let t = proportion_trend(&proportion(
        &[100.0, 103.0, 98.0, 101.0, 99.0],
        &[1000.0; 5],
    ))
    .unwrap();
    close(t.chi_squared.unwrap(), 0.017746236799564392);
    assert_eq!(t.direction, TrendDirection::NoSignificantChange);
    assert_eq!(t.reason, "No significant trend");
}

#[test]
fn a_significant_trend_made_by_one_point_is_an_outlier() {
    // Flat but for a huge last year: significant, yet without that year the slope falls.
    let t = proportion_trend(&proportion(
        &[110.0, 105.0, 100.0, 95.0, 400.0],
        &[1000.0; 5],
    ))
    .unwrap();
    assert!(t.chi_squared.unwrap() > 9.5495);
    assert_eq!(t.direction, TrendDirection::NoSignificantChange);
    assert_eq!(t.reason, "Outlier found");
}

#[test]
fn only_the_five_most_recent_years_count_in_any_order() {
    let mut pts = proportion(&COUNTS, &DENOMS);
    // An early year that would reverse nothing but must be ignored, and shuffled order.
    pts.push((2010.0, Some(1.0), Some(44000.0)));
    pts.reverse();
    let t = proportion_trend(&pts).unwrap();
    close(t.chi_squared.unwrap(), 47.896676707588341);
}

#[test]
fn what_cannot_be_calculated_says_why() {
    let four = proportion(&COUNTS[..4], &DENOMS[..4]);
    let t = proportion_trend(&four).unwrap();
    assert_eq!(t.direction, TrendDirection::CannotBeCalculated);
    assert_eq!(t.reason, "Not enough data points (4 of 5)");

    let mut missing = proportion(&COUNTS, &DENOMS);
    missing[2].1 = None;
    let t = proportion_trend(&missing).unwrap();
    assert_eq!(t.direction, TrendDirection::CannotBeCalculated);
    assert!(t.reason.starts_with("Missing values"), "{}", t.reason);
    assert_eq!(t.slope, None);

    let mut twice = proportion(&COUNTS, &DENOMS);
    twice[4].0 = 2022.0;
    let t = proportion_trend(&twice).unwrap();
    assert!(t.reason.starts_with("Duplicate years"), "{}", t.reason);

    let none = proportion(&[0.0; 5], &[100.0; 5]);
    assert_eq!(
        proportion_trend(&none).unwrap().direction,
        TrendDirection::CannotBeCalculated
    );

    let flat: Vec<_> = (0..5)
        .map(|i| (2019.0 + i as f64, Some(1.0), Some(1.0), Some(1.0)))
        .collect();
    let t = interval_trend(&flat, Confidence::C95).unwrap();
    assert_eq!(t.direction, TrendDirection::CannotBeCalculated);
    assert!(t.reason.contains("no width"), "{}", t.reason);
}

#[test]
fn bad_inputs_are_errors_not_trends() {
    let mut above = proportion(&COUNTS, &DENOMS);
    above[0].1 = Some(50000.0);
    assert!(proportion_trend(&above).is_err());
    let mut negative = proportion(&COUNTS, &DENOMS);
    negative[0].1 = Some(-1.0);
    assert!(proportion_trend(&negative).is_err());
    let mut nan = proportion(&COUNTS, &DENOMS);
    nan[0].0 = f64::NAN;
    assert!(proportion_trend(&nan).is_err());
}

#[test]
fn the_table_form_gives_one_row_per_group() {
    let mut area = Vec::new();
    let mut year = Vec::new();
    let mut count = Vec::new();
    let mut denom = Vec::new();
    for (a, counts) in [
        ("A", COUNTS.to_vec()),
        ("B", vec![100.0, 103.0, 98.0, 101.0, 99.0]),
    ] {
        for (i, c) in counts.iter().enumerate() {
            area.push(a);
            year.push(format!("{}/{}", 2019 + i, 20 + i));
            count.push(*c);
            denom.push(if a == "A" { DENOMS[i] } else { 1000.0 });
        }
    }
    area.push("C");
    year.push("2023/24".to_owned());
    count.push(1.0);
    denom.push(10.0);
    let batch = RecordBatch::try_from_iter([
        ("area", Arc::new(StringArray::from(area)) as ArrayRef),
        ("year", Arc::new(StringArray::from(year)) as ArrayRef),
        ("count", Arc::new(Float64Array::from(count)) as ArrayRef),
        (
            "denominator",
            Arc::new(Float64Array::from(denom)) as ArrayRef,
        ),
    ])
    .unwrap();
    let spec = TrendSpec::new(
        TrendValues::Proportion {
            numerator: "count",
            denominator: "denominator",
        },
        "year",
    )
    .group_by(&["area"])
    .polarity(Polarity::LowIsGood);
    let out = spec.run(&[batch]).unwrap();
    assert_eq!(out.num_rows(), 3);
    let text = |name: &str, i: usize| {
        out.column_by_name(name)
            .unwrap()
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap()
            .value(i)
            .to_owned()
    };
    assert_eq!(text("area", 0), "A");
    assert_eq!(
        text("trend_with_polarity", 0),
        "Decreasing and getting better"
    );
    assert_eq!(text("trend", 1), "No significant change");
    assert_eq!(text("trend", 2), "Cannot be calculated");
    let from = out
        .column_by_name("from_year")
        .unwrap()
        .as_any()
        .downcast_ref::<Float64Array>()
        .unwrap();
    assert_eq!(from.value(0), 2019.0);
    assert!(from.is_null(2));

    // A year that is not one is an error naming the column.
    let bad = RecordBatch::try_from_iter([
        ("year", Arc::new(StringArray::from(vec!["Q1"])) as ArrayRef),
        ("count", Arc::new(Int64Array::from(vec![1])) as ArrayRef),
        (
            "denominator",
            Arc::new(Int64Array::from(vec![2])) as ArrayRef,
        ),
    ])
    .unwrap();
    let err = spec.clone().group_by(&[]).run(&[bad]).unwrap_err();
    assert!(err.to_string().contains("`year`"), "{err}");
}
