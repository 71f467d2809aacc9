//! The output schema (column names, types, nullability) of every method's table, snapshotted:
//! front ends, notebooks and Spark jobs read these columns by name, so a change is reviewed,
//! never accidental (`cargo insta review`).

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use pcnkit_indicators::funnel::{FunnelKind, RateKind, RatioScale};
use pcnkit_indicators::*;

const BANDS: [&str; 19] = [
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
    "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
];
const LIFE_AGES: [i64; 20] = [
    0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90,
];

fn table(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(columns).unwrap()
}

fn text(v: Vec<String>) -> ArrayRef {
    Arc::new(StringArray::from(v))
}

fn ints(v: Vec<i64>) -> ArrayRef {
    Arc::new(Int64Array::from(v))
}

fn floats(v: Vec<f64>) -> ArrayRef {
    Arc::new(Float64Array::from(v))
}

fn schema(name: &str, b: &RecordBatch) -> String {
    let mut out = format!("{name}\n");
    for f in b.schema().fields() {
        out.push_str(&format!(
            "  {}: {}{}\n",
            f.name(),
            f.data_type(),
            if f.is_nullable() { "" } else { " (not null)" }
        ));
    }
    out
}

#[test]
fn every_method_output_schema() {
    let areas = ["A", "B", "C"];
    let mut out = String::new();
    let c95 = vec![Confidence::C95];

    // Pairs: one row per area.
    let pairs = table(vec![
        ("area", text(areas.iter().map(|a| a.to_string()).collect())),
        ("x", ints(vec![12, 30, 7])),
        ("n", ints(vec![100, 150, 90])),
    ]);
    let b = std::slice::from_ref(&pairs);
    out += &schema(
        "proportion",
        &ProportionSpec::new("x", "n")
            .group_by(&["area"])
            .run(b)
            .unwrap(),
    );
    out += &schema(
        "rate",
        &RateSpec::new("x", "n").group_by(&["area"]).run(b).unwrap(),
    );
    out += &schema(
        "mean",
        &MeanSpec::new("x").group_by(&["area"]).run(b).unwrap(),
    );
    out += &schema(
        "proportion, two levels",
        &ProportionSpec::new("x", "n")
            .group_by(&["area"])
            .levels(vec![Confidence::C95, Confidence::C998])
            .run(b)
            .unwrap(),
    );

    // Age-banded: DSR and ISR.
    let (mut area, mut band, mut count, mut pop) = (vec![], vec![], vec![], vec![]);
    for (k, a) in areas.iter().enumerate() {
        for (i, bnd) in BANDS.iter().enumerate() {
            area.push(a.to_string());
            band.push(bnd.to_string());
            count.push((k * 5 + i + 3) as i64);
            pop.push(1000 + 10 * i as i64);
        }
    }
    let banded = table(vec![
        ("area", text(area)),
        ("age_band", text(band)),
        ("count", ints(count.clone())),
        ("population", ints(pop.clone())),
        ("ref_count", ints(count.iter().map(|c| c * 10).collect())),
        ("ref_population", ints(pop.iter().map(|p| p * 10).collect())),
    ]);
    let b = std::slice::from_ref(&banded);
    let esp = Standard::Esp2013 {
        age_band: "age_band",
    };
    out += &schema(
        "dsr",
        &DsrSpec::new("count", "population", esp)
            .group_by(&["area"])
            .run(b)
            .unwrap(),
    );
    let isr = IsrSpec::new(
        Observed::Counts("count"),
        "population",
        "ref_count",
        "ref_population",
    )
    .group_by(&["area"]);
    out += &schema("isr ratio", &isr.clone().run(b).unwrap());
    out += &schema(
        "isr rate",
        &isr.kind(Indirect::Rate {
            multiplier: 100_000.0,
        })
        .run(b)
        .unwrap(),
    );

    // Quantiles and the SII.
    let values = table(vec![
        (
            "area",
            text((0..20).map(|i| areas[i % 2].to_string()).collect()),
        ),
        ("value", floats((0..20).map(|i| i as f64 * 1.5).collect())),
    ]);
    out += &schema(
        "quantile",
        &QuantileSpec::new("value")
            .group_by(&["area"])
            .nquantiles(5)
            .run(std::slice::from_ref(&values))
            .unwrap(),
    );
    let sii_input = table(vec![
        (
            "area",
            text((0..10).map(|i| areas[i / 5].to_string()).collect()),
        ),
        (
            "quantile",
            ints((0..10).map(|i| (i % 5 + 1) as i64).collect()),
        ),
        ("population", ints(vec![10_000; 10])),
        (
            "value",
            floats((0..10).map(|i| 50.0 - (i % 5) as f64 * 4.0).collect()),
        ),
        ("se", floats(vec![1.5; 10])),
    ]);
    out += &schema(
        "sii",
        &SiiSpec::new("quantile", "population", "value", SiiErrors::Se("se"))
            .group_by(&["area"])
            .options(sii::SiiOptions::default().repetitions(1_000))
            .run(std::slice::from_ref(&sii_input))
            .unwrap(),
    );

    // Funnels.
    let funnel_input = table(vec![
        ("area", text((0..12).map(|i| format!("P{i}")).collect())),
        ("num", ints((0..12).map(|i| 20 + i * 3).collect())),
        ("den", ints((0..12).map(|i| 400 + i * 50).collect())),
        (
            "rate",
            floats((0..12).map(|i| 5000.0 + i as f64 * 10.0).collect()),
        ),
    ]);
    let fb = std::slice::from_ref(&funnel_input);
    let proportion = FunnelSpec::new(
        "num",
        Some("den"),
        FunnelKind::Proportion { multiplier: 100.0 },
    );
    out += &schema("funnel limits", &proportion.limits(fb).unwrap());
    out += &schema("funnel significance", &proportion.significance(fb).unwrap());
    out += &schema(
        "funnel limits, ratio",
        &FunnelSpec::new("num", Some("den"), FunnelKind::Ratio(RatioScale::Ratio))
            .limits(fb)
            .unwrap(),
    );
    out += &schema(
        "funnel points",
        &FunnelPointsSpec::new("num", "rate", RateKind::Crude)
            .denominator(Some("den"))
            .run(fb)
            .unwrap(),
    );

    // Life expectancy.
    let (mut area, mut age, mut deaths, mut pop) = (vec![], vec![], vec![], vec![]);
    for a in &areas[..2] {
        for (i, s) in LIFE_AGES.iter().enumerate() {
            area.push(a.to_string());
            age.push(*s);
            deaths.push(5 + (i as i64) * (i as i64));
            pop.push(5000 - 100 * i as i64);
        }
    }
    let life = table(vec![
        ("area", text(area)),
        ("startage", ints(age)),
        ("deaths", ints(deaths)),
        ("population", ints(pop)),
    ]);
    let lb = std::slice::from_ref(&life);
    let le = LifeExpectancySpec::new("deaths", "population", "startage").group_by(&["area"]);
    out += &schema("life expectancy", &le.clone().levels(c95).run(lb).unwrap());
    out += &schema(
        "life expectancy at 0 and 65",
        &le.ages(Some(vec![0, 65])).run(lb).unwrap(),
    );
    out += &schema(
        "sum_by",
        &sum_by(b, &["area"], &["count", "population"]).unwrap(),
    );

    insta::assert_snapshot!("method-schemas", out);
}
