//! Requests (issue 17): every method asked for by name and value gives exactly what its spec
//! gives, with the same defaults; what is wrong in a request is an error naming it.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use pcnkit_indicators::request::{IndicatorRequest, METHODS};
use pcnkit_indicators::*;
use serde_json::json;

const BANDS: [&str; 19] = [
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
    "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
];

fn request(v: serde_json::Value) -> IndicatorRequest {
    serde_json::from_value(v).unwrap()
}

fn run(v: serde_json::Value, data: &RecordBatch) -> RecordBatch {
    request(v).run(std::slice::from_ref(data), None).unwrap()
}

/// Areas with a numerator, denominator, value and limits, in two regions.
fn areas() -> RecordBatch {
    let n = 12;
    let area: Vec<String> = (0..n).map(|i| format!("A{i:02}")).collect();
    let region: Vec<&str> = (0..n).map(|i| if i < 6 { "R1" } else { "R2" }).collect();
    let x: Vec<i64> = (0..n).map(|i| 10 + 7 * i).collect();
    let d: Vec<i64> = (0..n).map(|i| 200 + 11 * i).collect();
    let v: Vec<f64> = (0..n).map(|i| 20.0 + 3.5 * i as f64).collect();
    RecordBatch::try_from_iter([
        ("area", Arc::new(StringArray::from(area)) as ArrayRef),
        ("region", Arc::new(StringArray::from(region)) as ArrayRef),
        ("x", Arc::new(Int64Array::from(x)) as ArrayRef),
        ("n", Arc::new(Int64Array::from(d)) as ArrayRef),
        ("v", Arc::new(Float64Array::from(v.clone())) as ArrayRef),
        (
            "lo",
            Arc::new(Float64Array::from_iter_values(v.iter().map(|v| v - 4.0))) as ArrayRef,
        ),
        (
            "hi",
            Arc::new(Float64Array::from_iter_values(v.iter().map(|v| v + 4.0))) as ArrayRef,
        ),
    ])
    .unwrap()
}

/// Two areas by the 19 ESP2013 bands.
fn banded() -> RecordBatch {
    let (mut area, mut band, mut count, mut pop) = (vec![], vec![], vec![], vec![]);
    for a in ["E1", "E2"] {
        for (i, b) in BANDS.iter().enumerate() {
            area.push(a);
            band.push(*b);
            count.push(3 * (i as i64 + 1) + if a == "E2" { 2 } else { 0 });
            pop.push(10_000_i64);
        }
    }
    RecordBatch::try_from_iter([
        ("area", Arc::new(StringArray::from(area)) as ArrayRef),
        ("age_band", Arc::new(StringArray::from(band)) as ArrayRef),
        (
            "deaths",
            Arc::new(Int64Array::from(count.clone())) as ArrayRef,
        ),
        ("population", Arc::new(Int64Array::from(pop)) as ArrayRef),
        (
            "ref_deaths",
            Arc::new(Int64Array::from_iter_values(count.iter().map(|c| c * 20))) as ArrayRef,
        ),
        (
            "ref_population",
            Arc::new(Int64Array::from(vec![180_000_i64; count.len()])) as ArrayRef,
        ),
    ])
    .unwrap()
}

#[test]
fn pairs_and_means_equal_their_specs_with_the_same_defaults() {
    let data = areas();
    let one = std::slice::from_ref(&data);
    assert_eq!(
        run(
            json!({"method": "proportion", "numerator": "x", "denominator": "n"}),
            &data
        ),
        ProportionSpec::new("x", "n").run(one).unwrap()
    );
    assert_eq!(
        run(
            json!({"method": "proportion", "numerator": "x", "denominator": "n",
                   "group_by": ["region"], "confidence": [0.95, 0.998], "multiplier": 100}),
            &data
        ),
        ProportionSpec::new("x", "n")
            .group_by(&["region"])
            .levels(vec![Confidence::C95, Confidence::C998])
            .multiplier(100.0)
            .run(one)
            .unwrap()
    );
    assert_eq!(
        run(
            json!({"method": "rate", "numerator": "x", "denominator": "n", "type": "standard"}),
            &data
        ),
        select_output(
            &RateSpec::new("x", "n").run(one).unwrap(),
            OutputType::Standard
        )
        .unwrap()
    );
    assert_eq!(
        run(
            json!({"method": "mean", "value": "v", "group_by": ["region"], "confidence": []}),
            &data
        ),
        MeanSpec::new("v")
            .group_by(&["region"])
            .levels(vec![])
            .run(one)
            .unwrap()
    );
}

#[test]
fn standardised_rates_and_ratios_equal_their_specs() {
    let data = banded();
    let one = std::slice::from_ref(&data);
    let esp = Standard::Esp2013 {
        age_band: "age_band",
    };
    assert_eq!(
        run(
            json!({"method": "dsr", "count": "deaths", "denominator": "population",
                   "age_band": "age_band", "group_by": ["area"]}),
            &data
        ),
        DsrSpec::new("deaths", "population", esp)
            .group_by(&["area"])
            .run(one)
            .unwrap()
    );
    // A named standard is the same as attaching it and naming the column.
    let who = standards::StandardPopulation::named("who2000").unwrap();
    let attached = who.attach(&data, "age_band", "w").unwrap();
    let by_column = DsrSpec::new("deaths", "population", Standard::Column("w"))
        .group_by(&["area"])
        .run(&[attached])
        .unwrap();
    let named = run(
        json!({"method": "dsr", "count": "deaths", "denominator": "population",
               "age_band": "age_band", "standard": "who2000", "group_by": ["area"]}),
        &data,
    );
    assert_eq!(
        named.column_by_name("value"),
        by_column.column_by_name("value")
    );
    assert_eq!(
        named.column_by_name("lowercl"),
        by_column.column_by_name("lowercl")
    );
    assert_eq!(
        run(
            json!({"method": "isr", "count": "deaths", "denominator": "population",
                   "reference_count": "ref_deaths", "reference_denominator": "ref_population",
                   "group_by": ["area"], "rate": true}),
            &data
        ),
        IsrSpec::new(
            Observed::Counts("deaths"),
            "population",
            "ref_deaths",
            "ref_population"
        )
        .group_by(&["area"])
        .kind(Indirect::Rate {
            multiplier: RATE_MULTIPLIER_DEFAULT
        })
        .run(one)
        .unwrap()
    );
    // Observed totals per group, R's obs_df.
    let totals = RecordBatch::try_from_iter([
        (
            "area",
            Arc::new(StringArray::from(vec!["E1", "E2"])) as ArrayRef,
        ),
        (
            "observed",
            Arc::new(Int64Array::from(vec![600, 640])) as ArrayRef,
        ),
    ])
    .unwrap();
    let r = request(
        json!({"method": "isr", "count": "observed", "denominator": "population",
        "reference_count": "ref_deaths", "reference_denominator": "ref_population",
        "group_by": ["area"]}),
    );
    let got = r.run(one, Some(std::slice::from_ref(&totals))).unwrap();
    let want = IsrSpec::new(
        Observed::Totals {
            table: std::slice::from_ref(&totals),
            column: "observed",
        },
        "population",
        "ref_deaths",
        "ref_population",
    )
    .group_by(&["area"])
    .run(one)
    .unwrap();
    assert_eq!(got, want);
}

#[test]
fn inequality_funnels_and_life_expectancy_equal_their_specs() {
    let data = areas();
    let one = std::slice::from_ref(&data);
    assert_eq!(
        run(
            json!({"method": "quantiles", "value": "v", "nquantiles": 4}),
            &data
        ),
        QuantileSpec::new("v").nquantiles(4).run(one).unwrap()
    );
    // One row per quintile, as the SII takes them.
    let q = RecordBatch::try_from_iter([
        (
            "quantile",
            Arc::new(Int64Array::from_iter_values(1..=5)) as ArrayRef,
        ),
        (
            "n",
            Arc::new(Int64Array::from(vec![1000, 1100, 900, 1050, 980])) as ArrayRef,
        ),
        (
            "v",
            Arc::new(Float64Array::from(vec![80.0, 72.0, 65.0, 61.0, 50.0])) as ArrayRef,
        ),
        (
            "lo",
            Arc::new(Float64Array::from(vec![75.0, 68.0, 60.0, 57.0, 45.0])) as ArrayRef,
        ),
        (
            "hi",
            Arc::new(Float64Array::from(vec![85.0, 76.0, 70.0, 65.0, 55.0])) as ArrayRef,
        ),
    ])
    .unwrap();
    assert_eq!(
        request(
            json!({"method": "sii", "quantile": "quantile", "population": "n",
            "value": "v", "lower": "lo", "upper": "hi", "repetitions": 1000})
        )
        .run(std::slice::from_ref(&q), None)
        .unwrap(),
        SiiSpec::new("quantile", "n", "v", SiiErrors::Limits("lo", "hi"))
            .options(sii::SiiOptions::new().repetitions(1000))
            .run(std::slice::from_ref(&q))
            .unwrap()
    );
    let kind = request::funnel_kind("proportion", None, None, None).unwrap();
    assert_eq!(
        run(
            json!({"method": "funnel_limits", "numerator": "x", "denominator": "n",
                   "statistic": "proportion"}),
            &data
        ),
        FunnelSpec::new("x", Some("n"), kind).limits(one).unwrap()
    );
    assert_eq!(
        run(
            json!({"method": "funnel_significance", "numerator": "x", "denominator": "n",
                   "statistic": "proportion"}),
            &data
        ),
        FunnelSpec::new("x", Some("n"), kind)
            .significance(one)
            .unwrap()
    );
    let od = overdispersion::OverdispersionSpec::new(
        "x",
        "n",
        kind,
        overdispersion::Adjustment::Multiplicative,
    );
    assert_eq!(
        run(
            json!({"method": "funnel_significance", "numerator": "x", "denominator": "n",
                   "statistic": "proportion", "overdispersion": "multiplicative"}),
            &data
        ),
        od.significance(one).unwrap()
    );
    assert_eq!(
        run(
            json!({"method": "funnel_points", "numerator": "x", "rate": "v",
                   "rate_type": "crude", "years_of_data": 3}),
            &data
        ),
        FunnelPointsSpec::new("x", "v", funnel::RateKind::Crude)
            .years_of_data(3.0)
            .run(one)
            .unwrap()
    );
    // Life expectancy over the 20 standard bands.
    let ages = [
        0u32, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90,
    ];
    let life = RecordBatch::try_from_iter([
        (
            "start",
            Arc::new(Int64Array::from_iter_values(
                ages.iter().map(|a| i64::from(*a)),
            )) as ArrayRef,
        ),
        (
            "deaths",
            Arc::new(Float64Array::from_iter_values(
                (0..20).map(|i| 5.0 + f64::from(i) * f64::from(i)),
            )) as ArrayRef,
        ),
        (
            "pop",
            Arc::new(Float64Array::from_iter_values(
                (0..20).map(|i| if i == 1 { 4000.0 } else { 5000.0 }),
            )) as ArrayRef,
        ),
    ])
    .unwrap();
    assert_eq!(
        request(
            json!({"method": "life_expectancy", "deaths": "deaths", "population": "pop",
            "start_age": "start", "ages": [0, 65]})
        )
        .run(std::slice::from_ref(&life), None)
        .unwrap(),
        LifeExpectancySpec::new("deaths", "pop", "start")
            .ages(Some(vec![0, 65]))
            .run(std::slice::from_ref(&life))
            .unwrap()
    );
}

#[test]
fn disclosure_benchmarking_trends_and_spc_equal_their_specs() {
    use pcnkit_indicators::benchmark::{BenchmarkSpec, Comparator, Polarity};
    use pcnkit_indicators::disclosure::{Derived, DisclosureSpec, Policy};
    let data = areas();
    let one = std::slice::from_ref(&data);
    let policy: Policy = "nhs-england".parse().unwrap();
    assert_eq!(
        run(
            json!({"method": "disclose", "policy": "nhs-england", "counts": ["x", "n"],
                   "percentages": [{"column": "pct", "numerator": "x", "denominator": "n"}]}),
            &data
        ),
        DisclosureSpec::new(policy, &["x", "n"])
            .derived(Derived::Percentage {
                column: "pct",
                numerator: "x",
                denominator: "n",
                multiplier: 100.0
            })
            .run(one)
            .unwrap()
    );
    assert_eq!(
        run(
            json!({"method": "benchmark", "value": "v", "lower": "lo", "upper": "hi",
                   "polarity": "high-is-good",
                   "comparator": {"value": {"value": 40.0, "lower": 38.0, "upper": 42.0}}}),
            &data
        ),
        BenchmarkSpec::new(
            "v",
            "lo",
            "hi",
            Comparator::Interval {
                value: 40.0,
                lower: 38.0,
                upper: 42.0
            },
            Polarity::HighIsGood
        )
        .run(one)
        .unwrap()
    );
    assert_eq!(
        run(
            json!({"method": "benchmark", "value": "v", "lower": "lo", "upper": "hi",
                   "polarity": "low-is-good", "group_by": ["region"],
                   "comparator": {"row": {"column": "area", "value": "A03"}}}),
            &data
        ),
        BenchmarkSpec::new(
            "v",
            "lo",
            "hi",
            Comparator::Row {
                column: "area",
                value: "A03",
                with_interval: false
            },
            Polarity::LowIsGood
        )
        .group_by(&["region"])
        .run(one)
        .unwrap()
    );
    // Years as the series: the areas' index read as a year.
    let yearly = RecordBatch::try_from_iter([
        (
            "year",
            Arc::new(Int64Array::from_iter_values(2013..2025)) as ArrayRef,
        ),
        ("x", data.column_by_name("x").unwrap().clone()),
        ("n", data.column_by_name("n").unwrap().clone()),
        ("v", data.column_by_name("v").unwrap().clone()),
    ])
    .unwrap();
    let years = std::slice::from_ref(&yearly);
    assert_eq!(
        run(
            json!({"method": "trend", "year": "year", "numerator": "x", "denominator": "n",
                   "polarity": "high-is-good"}),
            &yearly
        ),
        trend::TrendSpec::new(
            trend::TrendValues::Proportion {
                numerator: "x",
                denominator: "n"
            },
            "year"
        )
        .polarity(Polarity::HighIsGood)
        .run(years)
        .unwrap()
    );
    let options = spc::SpcOptions::default().direction(spc::Direction::Increase);
    assert_eq!(
        run(
            json!({"method": "spc", "value": "v", "period": "year", "direction": "increase"}),
            &yearly
        ),
        spc_table::SpcSpec::new("v", "year", options.clone())
            .run(years)
            .unwrap()
    );
    assert_eq!(
        run(
            json!({"method": "spc", "value": "v", "period": "year", "direction": "increase",
                   "summary": true}),
            &yearly
        ),
        spc_table::SpcSpec::new("v", "year", options)
            .summary(years)
            .unwrap()
    );
}

#[test]
fn every_method_is_named_and_every_mistake_named() {
    for m in METHODS {
        // Each name parses as a method (its missing columns are the error), none unknown.
        let e = serde_json::from_value::<IndicatorRequest>(json!({"method": m})).unwrap_err();
        assert!(e.to_string().contains("missing field"), "{m}: {e}");
    }
    let e = serde_json::from_value::<IndicatorRequest>(json!({"method": "median"})).unwrap_err();
    assert!(e.to_string().contains("unknown variant"), "{e}");
    // A misspelt option is an error, never the default in silence.
    let e = serde_json::from_value::<IndicatorRequest>(
        json!({"method": "rate", "numerator": "x", "denominator": "n", "multiplyer": 1000}),
    )
    .unwrap_err();
    assert!(e.to_string().contains("multiplyer"), "{e}");
    let data = areas();
    let one = std::slice::from_ref(&data);
    let bad = |v| request(v).run(one, None).unwrap_err().to_string();
    assert!(
        bad(
            json!({"method": "proportion", "numerator": "x", "denominator": "n", "type": "lowest"})
        )
        .starts_with("type:")
    );
    assert!(
        bad(json!({"method": "proportion", "numerator": "x", "denominator": "nope"}))
            .contains("nope")
    );
    assert!(
        bad(json!({"method": "sii", "quantile": "q", "population": "n", "value": "v"}))
            .contains("se")
    );
    let r = request(json!({"method": "proportion", "numerator": "x", "denominator": "n"}));
    assert!(
        r.run(one, Some(one))
            .unwrap_err()
            .to_string()
            .contains("only taken by isr")
    );
    // The request serialises back to what was asked.
    let back = serde_json::to_value(&r).unwrap();
    assert_eq!(back["method"], "proportion");
    assert_eq!(back["numerator"], "x");
}
