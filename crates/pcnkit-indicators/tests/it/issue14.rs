//! Regression tests for the defects a comparison with the UKHSA R package found (issue 14);
//! defects 1 and 2 are also covered by `ukhsa_testdata` (standard errors on the log/logit
//! scale; frequency rows that disagree).

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use pcnkit_indicators::funnel::{FunnelInput, FunnelKind, RateKind, funnel};
use pcnkit_indicators::life::life_expectancy;
use pcnkit_indicators::sii::{SiiOptions, SiiQuantile, ValueType, sii};
use pcnkit_indicators::*;

const AGES: [i64; 20] = [
    0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90,
];

fn deaths() -> [f64; 20] {
    [
        3.0, 1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0, 15.0, 22.0, 35.0, 50.0, 80.0, 120.0,
        180.0, 250.0, 300.0, 400.0,
    ]
}

fn populations() -> [f64; 20] {
    [
        1000.0, 4000.0, 5000.0, 5000.0, 5000.0, 5000.0, 5000.0, 5000.0, 5000.0, 5000.0, 5000.0,
        5000.0, 5000.0, 4500.0, 4000.0, 3500.0, 3000.0, 2000.0, 1200.0, 800.0,
    ]
}

/// Defect 1: a rate's standard error is on the log scale, so an se of 0 on a rate whose
/// limits say otherwise is not used as a natural-scale se. Given an se equal to the one its
/// limits give on the log scale, the two paths agree (they differed by 7% for rates).
#[test]
fn sii_standard_errors_live_on_the_transformed_scale() {
    for vt in [ValueType::Rate, ValueType::Proportion] {
        let (lims, ses): (Vec<SiiQuantile>, Vec<SiiQuantile>) = (0..5)
            .map(|i| {
                let v = 0.1 + 0.05 * f64::from(i);
                let (lo, hi) = (v * 0.9, v * 1.1);
                let fwd = |x: f64| match vt {
                    ValueType::Rate => x.ln(),
                    _ => (x / (1.0 - x)).ln(),
                };
                let se = (fwd(hi) - fwd(lo)) / (2.0 * 1.959963984540054);
                (
                    SiiQuantile::with_limits(1000.0, v, lo, hi),
                    SiiQuantile::with_se(1000.0, v, se),
                )
            })
            .unzip();
        let o = SiiOptions::new().value_type(vt).repetitions(5000);
        let a = sii(&lims, &o).unwrap();
        let b = sii(&ses, &o).unwrap();
        assert!(
            (a.sii_lower[0] / b.sii_lower[0] - 1.0).abs() < 1e-9,
            "{vt:?}"
        );
        assert!(
            (a.sii_upper[0] / b.sii_upper[0] - 1.0).abs() < 1e-9,
            "{vt:?}"
        );
    }
}

/// The SII from counts: a rate's se is 1/√x on the log scale, so it equals the limits path
/// given log-symmetric limits of that width.
#[test]
fn sii_from_counts() {
    let q: Vec<SiiQuantile> = (0..5)
        .map(|i| {
            SiiQuantile::with_count(10_000.0, 10.0 + f64::from(i), 100.0 + 10.0 * f64::from(i))
        })
        .collect();
    let with_se: Vec<SiiQuantile> = q
        .iter()
        .map(|x| SiiQuantile::with_se(x.population, x.value, 1.0 / x.count.unwrap().sqrt()))
        .collect();
    let o = SiiOptions::new()
        .value_type(ValueType::Rate)
        .repetitions(2000);
    assert_eq!(sii(&q, &o).unwrap(), sii(&with_se, &o).unwrap());
    // A normal value has no count-based standard error.
    let e = sii(&q, &SiiOptions::new().repetitions(2000)).unwrap_err();
    assert!(e.to_string().contains("give a standard error"), "{e}");
}

/// Defect 3: a band whose deaths exceed P/(n·a) has its probability of dying capped at 1;
/// earlier ages keep their values and later ones say nobody reaches them.
#[test]
fn life_expectancy_caps_extreme_mortality() {
    let mut d = deaths();
    let p = populations();
    d[18] = 700.0; // 85-89: 700 deaths in 1,200 people > 1,200 / (5 × 0.5)
    let t = life_expectancy(&d, &p, &[Confidence::C95]).unwrap();
    assert!(t.expectancy[0].value.is_some(), "{:?}", t.expectancy[0]);
    assert!(t.expectancy[18].value.is_some());
    let last = &t.expectancy[19];
    assert!(last.value.is_none());
    assert!(
        last.note.unwrap().contains("no one reaches this age"),
        "{last:?}"
    );
}

/// Defect 9: an interval wider than 20 years blanks the value and keeps the limits, as R.
#[test]
fn life_expectancy_keeps_the_limits_of_a_wide_interval() {
    let (mut d, mut p) = (deaths(), populations());
    // 90+: one death in ten people, e = 10 years with a standard error of 10.
    d[19] = 1.0;
    p[19] = 10.0;
    let t = life_expectancy(&d, &p, &[Confidence::C95]).unwrap();
    let wide: Vec<_> = t
        .expectancy
        .iter()
        .filter(|e| e.note == Some("confidence interval wider than 20 years"))
        .collect();
    assert!(!wide.is_empty(), "{t:?}");
    for e in wide {
        assert!(e.value.is_none());
        let (lo, hi) = (e.lower[0].unwrap(), e.upper[0].unwrap());
        assert!(hi - lo > 20.0, "{e:?}");
    }
}

fn le_batch(areas: &[(&str, [f64; 20])]) -> RecordBatch {
    let mut area = Vec::new();
    let mut age = Vec::new();
    let mut dth = Vec::new();
    let mut pop = Vec::new();
    for (name, d) in areas {
        for i in 0..20 {
            area.push(*name);
            age.push(AGES[i]);
            dth.push(d[i]);
            pop.push(populations()[i]);
        }
    }
    RecordBatch::try_from_iter([
        ("area", Arc::new(StringArray::from(area)) as ArrayRef),
        ("age", Arc::new(Int64Array::from(age)) as ArrayRef),
        ("deaths", Arc::new(Float64Array::from(dth)) as ArrayRef),
        ("pop", Arc::new(Float64Array::from(pop)) as ArrayRef),
    ])
    .unwrap()
}

/// Defect 4: one area with negative deaths, or deaths above its population, gets null rows
/// saying so; the other areas are computed as they would be alone.
#[test]
fn one_bad_area_does_not_sink_a_life_expectancy_call() {
    let mut negative = deaths();
    negative[3] = -1.0;
    let mut above = deaths();
    above[19] = 900.0;
    let good = deaths();
    let all = le_batch(&[("bad", negative), ("good", good), ("over", above)]);
    let alone = le_batch(&[("good", good)]);
    let le = |b: RecordBatch| {
        LifeExpectancySpec::new("deaths", "pop", "age")
            .group_by(&["area"])
            .levels([Confidence::C95].to_vec())
            .run(&[b])
            .unwrap()
    };
    let out = le(all);
    let single = le(alone);
    let value = out
        .column_by_name("value")
        .unwrap()
        .as_primitive::<Float64Type>();
    let note = out.column_by_name("note").unwrap().as_string::<i32>();
    let single_value = single
        .column_by_name("value")
        .unwrap()
        .as_primitive::<Float64Type>();
    assert_eq!(out.num_rows(), 60);
    for r in 0..20 {
        assert!(value.is_null(r));
        assert!(
            note.value(r).contains("cannot be negative"),
            "{}",
            note.value(r)
        );
        assert_eq!(value.is_null(20 + r), single_value.is_null(r));
        if !single_value.is_null(r) {
            assert_eq!(value.value(20 + r), single_value.value(r));
        }
        assert!(value.is_null(40 + r));
        assert!(
            note.value(40 + r).contains("exceed the population"),
            "{}",
            note.value(40 + r)
        );
    }
    // A missing band is that area's problem too.
    let short = le_batch(&[("good", good)]).slice(0, 19);
    let both = arrow_select::concat::concat_batches(
        &short.schema(),
        &[le_batch(&[("other", good)]), short.clone()],
    )
    .unwrap();
    let out = le(both);
    let note = out.column_by_name("note").unwrap().as_string::<i32>();
    assert!(
        note.value(25).contains("has 19 of the 20 age bands"),
        "{}",
        note.value(25)
    );
    assert!(
        out.column_by_name("value")
            .unwrap()
            .as_primitive::<Float64Type>()
            .is_valid(0)
    );
}

/// Defect 4 for proportions: a numerator above its denominator in one area nulls that area.
#[test]
fn one_bad_area_does_not_sink_a_proportion_call() {
    let b = RecordBatch::try_from_iter([
        (
            "area",
            Arc::new(StringArray::from(vec!["A", "B"])) as ArrayRef,
        ),
        (
            "x",
            Arc::new(Float64Array::from(vec![5.0, 50.0])) as ArrayRef,
        ),
        (
            "n",
            Arc::new(Float64Array::from(vec![10.0, 20.0])) as ArrayRef,
        ),
    ])
    .unwrap();
    let out = ProportionSpec::new("x", "n")
        .group_by(&["area"])
        .levels([Confidence::C95].to_vec())
        .multiplier(1.0)
        .run(&[b])
        .unwrap();
    let value = out
        .column_by_name("value")
        .unwrap()
        .as_primitive::<Float64Type>();
    let note = out.column_by_name("note").unwrap().as_string::<i32>();
    assert_eq!(value.value(0), 0.5);
    assert!(value.is_null(1));
    assert!(
        note.value(1).contains("50") && note.value(1).contains("20"),
        "{}",
        note.value(1)
    );
    // An impossible option is still an error for the whole call.
    let b = RecordBatch::try_from_iter([
        ("x", Arc::new(Float64Array::from(vec![5.0])) as ArrayRef),
        ("n", Arc::new(Float64Array::from(vec![10.0])) as ArrayRef),
    ])
    .unwrap();
    assert!(
        ProportionSpec::new("x", "n")
            .group_by(&[])
            .levels([Confidence::C95].to_vec())
            .multiplier(-1.0)
            .run(&[b])
            .is_err()
    );
}

/// Defect 5: a rate funnel row of 0 events needs a denominator above 0.
#[test]
fn rate_funnels_refuse_zero_events_without_a_denominator() {
    for kind in [RateKind::Crude, RateKind::Dsr] {
        for denominator in [None, Some(0.0)] {
            let rows = [
                FunnelInput {
                    numerator: 50.0,
                    denominator: Some(10_000.0),
                    rate: Some(500.0),
                },
                FunnelInput {
                    numerator: 0.0,
                    denominator,
                    rate: Some(0.0),
                },
            ];
            let e = funnel(
                &rows,
                FunnelKind::Rate {
                    kind,
                    multiplier: 100_000.0,
                },
            )
            .unwrap_err();
            assert!(e.to_string().contains("row 1"), "{e}");
            assert!(e.to_string().contains("0 events"), "{e}");
        }
    }
}

/// Defect 6: proportions' limits outside 0–1 are named, not called "incomplete quantiles".
#[test]
fn sii_names_proportion_limits_outside_0_1() {
    let mut area = Vec::new();
    let mut q = Vec::new();
    let (mut lo, mut hi) = (Vec::new(), Vec::new());
    for (a, bad) in [("A", false), ("B", true)] {
        for i in 1..=5 {
            area.push(a);
            q.push(i);
            lo.push(0.1);
            hi.push(if bad && i == 4 { 11.0 } else { 0.2 });
        }
    }
    let b = RecordBatch::try_from_iter([
        ("area", Arc::new(StringArray::from(area)) as ArrayRef),
        ("q", Arc::new(Int64Array::from(q)) as ArrayRef),
        (
            "pop",
            Arc::new(Float64Array::from(vec![1000.0; 10])) as ArrayRef,
        ),
        (
            "v",
            Arc::new(Float64Array::from(vec![0.15; 10])) as ArrayRef,
        ),
        ("lo", Arc::new(Float64Array::from(lo)) as ArrayRef),
        ("hi", Arc::new(Float64Array::from(hi)) as ArrayRef),
    ])
    .unwrap();
    let out = SiiSpec::new("q", "pop", "v", SiiErrors::Limits("lo", "hi"))
        .group_by(&["area"])
        .options(
            SiiOptions::new()
                .value_type(ValueType::Proportion)
                .repetitions(1000)
                .clone(),
        )
        .run(&[b])
        .unwrap();
    let note = out.column_by_name("note").unwrap().as_string::<i32>();
    assert!(note.is_null(0));
    assert!(note.value(1).contains("quantile 4"), "{}", note.value(1));
    assert!(
        note.value(1).contains("between 0 and 1"),
        "{}",
        note.value(1)
    );
}

/// Defect 7: a level named twice is refused by every table, however the levels were built.
#[test]
fn duplicate_confidence_levels_are_refused_everywhere() {
    let b = RecordBatch::try_from_iter([
        ("x", Arc::new(Float64Array::from(vec![5.0])) as ArrayRef),
        ("n", Arc::new(Float64Array::from(vec![10.0])) as ArrayRef),
    ])
    .unwrap();
    let twice = [
        Confidence::C95,
        Confidence::new(0.98).unwrap(),
        Confidence::new(98.0).unwrap(),
    ];
    for out in [
        ProportionSpec::new("x", "n")
            .group_by(&[])
            .levels(twice.to_vec())
            .multiplier(1.0)
            .run(std::slice::from_ref(&b)),
        RateSpec::new("x", "n")
            .group_by(&[])
            .levels(twice.to_vec())
            .multiplier(1.0)
            .run(std::slice::from_ref(&b)),
    ] {
        assert!(
            matches!(out, Err(IndicatorError::DuplicateConfidence(_))),
            "{out:?}"
        );
    }
    assert!(Confidence::levels(&[0.95, 0.98, 0.98]).is_err());
}

fn two_areas() -> RecordBatch {
    RecordBatch::try_from_iter([
        (
            "area",
            Arc::new(StringArray::from(vec!["A", "B"])) as ArrayRef,
        ),
        (
            "x",
            Arc::new(Float64Array::from(vec![5.0, 50.0])) as ArrayRef,
        ),
        (
            "n",
            Arc::new(Float64Array::from(vec![10.0, 200.0])) as ArrayRef,
        ),
    ])
    .unwrap()
}

fn names(b: &RecordBatch) -> Vec<String> {
    b.schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect()
}

/// R's `type`: value, lower, upper, standard, full; `note` kept in every form.
#[test]
fn output_types_select_columns_as_r() {
    let levels = [Confidence::C95, Confidence::C998];
    let full = ProportionSpec::new("x", "n")
        .group_by(&["area"])
        .levels(levels.to_vec())
        .multiplier(1.0)
        .run(&[two_areas()])
        .unwrap();
    let pick = |t: &str| names(&select_output(&full, t.parse().unwrap()).unwrap());
    assert_eq!(pick("full"), names(&full));
    assert_eq!(
        pick("standard"),
        [
            "area",
            "x",
            "n",
            "value",
            "lower95_0cl",
            "upper95_0cl",
            "lower99_8cl",
            "upper99_8cl",
            "note"
        ]
    );
    assert_eq!(pick("value"), ["area", "x", "n", "value", "note"]);
    assert_eq!(
        pick("lower"),
        ["area", "x", "n", "lower95_0cl", "lower99_8cl", "note"]
    );
    assert_eq!(
        pick("upper"),
        ["area", "x", "n", "upper95_0cl", "upper99_8cl", "note"]
    );
    assert!("wide".parse::<OutputType>().is_err());
}

/// "No interval": an empty set of levels gives values without limit columns.
#[test]
fn no_interval() {
    let out = ProportionSpec::new("x", "n")
        .group_by(&["area"])
        .levels([].to_vec())
        .multiplier(1.0)
        .run(&[two_areas()])
        .unwrap();
    assert_eq!(
        names(&out),
        [
            "area",
            "x",
            "n",
            "value",
            "confidence",
            "statistic",
            "method",
            "note"
        ]
    );
    let conf = out.column_by_name("confidence").unwrap().as_string::<i32>();
    assert_eq!(conf.value(0), "none");
    assert_eq!(Confidence::parse_levels("none").unwrap(), vec![]);
    assert_eq!(Confidence::parse_levels("95, 0.998").unwrap().len(), 2);
    assert!(Confidence::parse_levels("0.95,95").is_err());
}

/// Life expectancy's `pops_used`/`dths_used` (from each age onwards) and a choice of ages.
#[test]
fn life_expectancy_inputs_used_and_ages() {
    let out = LifeExpectancySpec::new("deaths", "pop", "age")
        .group_by(&["area"])
        .levels([Confidence::C95].to_vec())
        .run(&[le_batch(&[("good", deaths())])])
        .unwrap();
    let pops = out
        .column_by_name("pops_used")
        .unwrap()
        .as_primitive::<Float64Type>();
    let dths = out
        .column_by_name("dths_used")
        .unwrap()
        .as_primitive::<Float64Type>();
    assert_eq!(pops.value(0), populations().iter().sum::<f64>());
    assert_eq!(dths.value(19), deaths()[19]);
    assert_eq!(pops.value(18), populations()[18] + populations()[19]);
    let at = life_expectancy_at_ages(&out, &[0, 65]).unwrap();
    assert_eq!(at.num_rows(), 2);
    assert!(life_expectancy_at_ages(&out, &[64]).is_err());
}

/// SII quantiles from counts in a table (a proportion's value from its count when the value
/// is missing), and the reliability statistic's columns.
#[test]
fn sii_table_counts_and_reliability() {
    let b = RecordBatch::try_from_iter([
        (
            "q",
            Arc::new(Int64Array::from(vec![1, 2, 3, 4, 5])) as ArrayRef,
        ),
        (
            "pop",
            Arc::new(Float64Array::from(vec![1000.0; 5])) as ArrayRef,
        ),
        (
            "v",
            Arc::new(Float64Array::from(vec![None::<f64>; 5])) as ArrayRef,
        ),
        (
            "x",
            Arc::new(Float64Array::from(vec![300.0, 250.0, 200.0, 150.0, 100.0])) as ArrayRef,
        ),
    ])
    .unwrap();
    let options = SiiOptions::new()
        .value_type(ValueType::Proportion)
        .repetitions(1000)
        .reliability(true);
    let out = SiiSpec::new("q", "pop", "v", SiiErrors::Counts("x"))
        .group_by(&[])
        .options(options.clone())
        .run(&[b])
        .unwrap();
    let sii_value = out
        .column_by_name("sii")
        .unwrap()
        .as_primitive::<Float64Type>()
        .value(0);
    // Values 0.30 down to 0.10 in equal fifths: a slope of -0.25 across the population.
    assert!((sii_value + 0.25).abs() < 1e-12, "{sii_value}");
    // R's full form says what was computed and how; the standard form leaves that out.
    let text = |c: &str| {
        out.column_by_name(c)
            .unwrap()
            .as_string::<i32>()
            .value(0)
            .to_owned()
    };
    assert!(
        text("statistic").contains("of a proportion"),
        "{}",
        text("statistic")
    );
    assert!(
        text("method").contains("1000 repetitions"),
        "{}",
        text("method")
    );
    let standard = select_output(&out, OutputType::Standard).unwrap();
    assert!(standard.column_by_name("method").is_none());
    assert!(standard.column_by_name("sii").is_some());
    for c in [
        "sii_lowercl_mad",
        "sii_uppercl_mad",
        "rii_lowercl_mad",
        "rii_uppercl_mad",
    ] {
        let m = out
            .column_by_name(c)
            .unwrap()
            .as_primitive::<Float64Type>()
            .value(0);
        assert!(m > 0.0 && m < 0.05, "{c} {m}");
    }
}

/// The built-in ESP1976 gives R's DSR on the UKHSA package's 1976 test data (its labels
/// corrected: the test data writes the 55-59 band as "55-69").
#[test]
fn the_built_in_esp1976_gives_r_s_dsr() {
    use std::sync::Arc;

    use arrow_array::cast::AsArray;
    use arrow_array::types::Float64Type;
    use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    use pcnkit_indicators::standards::StandardPopulation;
    use pcnkit_indicators::{DsrSpec, Standard};

    let bands = [
        "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
        "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+",
    ];
    let count = [
        127.0, 25.0, 18.0, 21.0, 12.0, 27.0, 48.0, 27.0, 29.0, 32.0, 32.0, 34.0, 45.0, 65.0, 38.0,
        68.0, 74.0, 82.0,
    ];
    let pop = [
        636.0, 558.0, 609.0, 543.0, 384.0, 594.0, 669.0, 843.0, 660.0, 576.0, 606.0, 522.0, 426.0,
        273.0, 300.0, 288.0, 153.0, 123.0,
    ];
    let t = RecordBatch::try_from_iter([
        (
            "age_band",
            Arc::new(StringArray::from(bands.to_vec())) as ArrayRef,
        ),
        ("count", Arc::new(Float64Array::from(count.to_vec()))),
        ("pop", Arc::new(Float64Array::from(pop.to_vec()))),
    ])
    .unwrap();
    let esp = StandardPopulation::named("esp1976").unwrap();
    assert_eq!(esp.bands.iter().map(|b| b.1).sum::<f64>(), 100_000.0);
    let with = esp.attach(&t, "age_band", "esp1976").unwrap();
    let out = DsrSpec::new("count", "pop", Standard::Column("esp1976"))
        .multiplier(10_000.0)
        .run(&[with])
        .unwrap();
    let v = out
        .column_by_name("value")
        .unwrap()
        .as_primitive::<Float64Type>()
        .value(0);
    assert!((v - 859.2097585022366).abs() < 1e-9, "{v}");
    // A band the standard lacks is named.
    let bad = RecordBatch::try_from_iter([(
        "age_band",
        Arc::new(StringArray::from(vec!["90+"])) as ArrayRef,
    )])
    .unwrap();
    assert!(
        esp.attach(&bad, "age_band", "w")
            .unwrap_err()
            .to_string()
            .contains("90+")
    );
    assert!(StandardPopulation::named("who").is_err());
}

/// The built-in WHO World Standard (2000-2025) in UKHSA's 19 bands: its published weights sum
/// to 100,035, and a DSR with it equals the direct formula (R: sum(c/p*w)/sum(w)*1e5 =
/// 6925.7259959014355 for counts 10, 20, ..., 190 in populations of 1,000).
#[test]
fn the_built_in_who2000_standard_gives_the_direct_formula() {
    use std::sync::Arc;

    use arrow_array::cast::AsArray;
    use arrow_array::types::Float64Type;
    use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    use pcnkit_indicators::standards::StandardPopulation;
    use pcnkit_indicators::{DsrSpec, Standard};

    let who = StandardPopulation::named("WHO2000").unwrap();
    assert_eq!(who.bands.iter().map(|b| b.1).sum::<f64>(), 100_035.0);
    let labels: Vec<String> = (0..18)
        .map(|i| format!("{}-{}", i * 5, i * 5 + 4))
        .chain(["90+".to_owned()])
        .collect();
    let t = RecordBatch::try_from_iter([
        ("age_band", Arc::new(StringArray::from(labels)) as ArrayRef),
        (
            "count",
            Arc::new(Float64Array::from_iter_values(
                (1..=19).map(|i| f64::from(i) * 10.0),
            )),
        ),
        ("pop", Arc::new(Float64Array::from(vec![1000.0; 19]))),
    ])
    .unwrap();
    let with = who.attach(&t, "age_band", "who").unwrap();
    let out = DsrSpec::new("count", "pop", Standard::Column("who"))
        .run(&[with])
        .unwrap();
    let v = out
        .column_by_name("value")
        .unwrap()
        .as_primitive::<Float64Type>()
        .value(0);
    assert!((v - 6925.7259959014355).abs() < 1e-9, "{v}");
}

/// Life expectancy with an 85+ open band: the open band's expectancy is its population over
/// its deaths, and life expectancy at birth stays close to the 90+ table's.
#[test]
fn life_expectancy_with_an_85_plus_top_band() {
    use std::sync::Arc;

    use arrow_array::cast::AsArray;
    use arrow_array::types::Float64Type;
    use arrow_array::{ArrayRef, Float64Array, RecordBatch, UInt32Array};
    use pcnkit_indicators::LifeExpectancySpec;

    let ages: Vec<u32> = [0, 1].into_iter().chain((5..=90).step_by(5)).collect();
    let deaths = [
        5.0, 1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 80.0,
        110.0, 140.0, 160.0, 200.0,
    ];
    let pops = [
        1000.0, 4000.0, 5000.0, 5000.0, 5000.0, 5000.0, 5000.0, 5000.0, 5000.0, 5000.0, 5000.0,
        5000.0, 5000.0, 5000.0, 5000.0, 5000.0, 5000.0, 5000.0, 2000.0, 1000.0,
    ];
    let table = |a: Vec<u32>, d: Vec<f64>, p: Vec<f64>| {
        RecordBatch::try_from_iter([
            ("age", Arc::new(UInt32Array::from(a)) as ArrayRef),
            ("deaths", Arc::new(Float64Array::from(d))),
            ("pop", Arc::new(Float64Array::from(p))),
        ])
        .unwrap()
    };
    let full = LifeExpectancySpec::new("deaths", "pop", "age")
        .run(&[table(ages.clone(), deaths.to_vec(), pops.to_vec())])
        .unwrap();
    // 85-89 and 90+ merged into 85+.
    let mut d85 = deaths[..18].to_vec();
    d85.push(deaths[18] + deaths[19]);
    let mut p85 = pops[..18].to_vec();
    p85.push(pops[18] + pops[19]);
    let short = LifeExpectancySpec::new("deaths", "pop", "age")
        .top_age(85)
        .run(&[table(ages[..19].to_vec(), d85, p85)])
        .unwrap();
    assert_eq!(short.num_rows(), 19);
    let v = |b: &RecordBatch, i: usize| {
        b.column_by_name("value")
            .unwrap()
            .as_primitive::<Float64Type>()
            .value(i)
    };
    assert!(
        (v(&short, 18) - 3000.0 / 360.0).abs() < 1e-9,
        "{}",
        v(&short, 18)
    );
    assert!(
        (v(&short, 0) - v(&full, 0)).abs() < 0.5,
        "{} {}",
        v(&short, 0),
        v(&full, 0)
    );
    // 90+ rows are refused when the table ends at 85+.
    let e = LifeExpectancySpec::new("deaths", "pop", "age")
        .top_age(87)
        .run(&[table(ages, deaths.to_vec(), pops.to_vec())]);
    assert!(e.is_err());
}
