//! The Arrow tables for means, ISRs, non-independent DSRs, quantiles, SII, funnels and life
//! expectancy agree with the single-group methods.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt32Type};
use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use pcnkit_indicators::funnel::{FunnelKind, Significance};
use pcnkit_indicators::sii::SiiOptions;
use pcnkit_indicators::*;

fn table(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .unwrap()
}

fn f64s(b: &RecordBatch, name: &str) -> Vec<Option<f64>> {
    b.column_by_name(name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", b.schema()))
        .as_primitive::<Float64Type>()
        .iter()
        .collect()
}

#[test]
fn mean_table_matches_mean_and_explains_nulls() {
    let t = table(vec![
        (
            "area",
            Arc::new(StringArray::from(vec!["A", "A", "A", "B", "C", "C"])),
        ),
        (
            "x",
            Arc::new(Float64Array::from(vec![
                Some(1.0),
                Some(2.0),
                Some(4.5),
                Some(3.0),
                Some(1.0),
                None,
            ])),
        ),
    ]);
    let out = MeanSpec::new("x")
        .group_by(&["area"])
        .levels([Confidence::C95].to_vec())
        .run(&[t])
        .unwrap();
    let m = mean(&[1.0, 2.0, 4.5], &[Confidence::C95]).unwrap();
    assert_eq!(f64s(&out, "value")[0], m.value);
    assert_eq!(f64s(&out, "lowercl")[0], m.lower[0]);
    assert_eq!(f64s(&out, "value")[1], Some(3.0));
    assert_eq!(f64s(&out, "lowercl")[1], None);
    assert_eq!(f64s(&out, "value")[2], None);
    let notes = out.column_by_name("note").unwrap().as_string::<i32>();
    assert_eq!(notes.value(2), "null value in the group");
}

#[test]
fn isr_table_matches_isratio_and_israte() {
    let t = table(vec![
        (
            "area",
            Arc::new(StringArray::from(vec!["A", "A", "B", "B"])),
        ),
        ("o", Arc::new(Int64Array::from(vec![3, 9, 0, 0]))),
        ("n", Arc::new(Int64Array::from(vec![1000, 2000, 500, 500]))),
        ("rc", Arc::new(Int64Array::from(vec![30, 150, 30, 150]))),
        (
            "rn",
            Arc::new(Int64Array::from(vec![10_000, 20_000, 10_000, 20_000])),
        ),
    ]);
    let levels = [Confidence::C95, Confidence::C998];
    let limits = CountLimits::new(&levels);
    let ratio = IsrSpec::new(Observed::Counts("o"), "n", "rc", "rn")
        .group_by(&["area"])
        .levels(levels.to_vec())
        .kind(Indirect::Ratio { ref_value: 100.0 })
        .run(std::slice::from_ref(&t))
        .unwrap();
    let a = isratio(
        &[3.0, 9.0],
        &[1000.0, 2000.0],
        &[30.0, 150.0],
        &[1e4, 2e4],
        &limits,
        100.0,
    )
    .unwrap();
    assert_eq!(f64s(&ratio, "value")[0], a.value);
    assert_eq!(f64s(&ratio, "upper99_8cl")[0], a.upper[1]);
    // 0 observed: value 0, lower 0, upper 3.6888794541139354 / expected × 100 (R's behaviour).
    let expected_b = 30.0 / 1e4 * 500.0 + 150.0 / 2e4 * 500.0;
    assert_eq!(f64s(&ratio, "value")[1], Some(0.0));
    assert_eq!(f64s(&ratio, "lower95_0cl")[1], Some(0.0));
    let up = f64s(&ratio, "upper95_0cl")[1].unwrap();
    assert!((up / (3.6888794541139354 / expected_b * 100.0) - 1.0).abs() < 1e-9);
    let rate = IsrSpec::new(Observed::Counts("o"), "n", "rc", "rn")
        .group_by(&["area"])
        .levels(levels.to_vec())
        .kind(Indirect::Rate {
            multiplier: 100_000.0,
        })
        .run(&[t])
        .unwrap();
    let r = israte(
        &[3.0, 9.0],
        &[1000.0, 2000.0],
        &[30.0, 150.0],
        &[1e4, 2e4],
        &limits,
        100_000.0,
    )
    .unwrap();
    assert_eq!(f64s(&rate, "value")[0], r.value);
    assert_eq!(
        f64s(&rate, "expected")[0],
        Some(30.0 / 1e4 * 1000.0 + 150.0 / 2e4 * 2000.0)
    );
}

const BANDS: [&str; 19] = [
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
    "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
];

#[test]
fn non_independent_events_widen_the_interval() {
    // Area A: every person has one event (frequency 1): the same as the independent DSR.
    // Area B: the same events, but from half as many people with two events each.
    let (mut area, mut band, mut freq, mut persons, mut pop) =
        (vec![], vec![], vec![], vec![], vec![]);
    for (i, b) in BANDS.iter().enumerate() {
        let events = 2 * (i as i64 + 1);
        area.push("A");
        band.push(*b);
        freq.push(1i64);
        persons.push(events);
        pop.push(1000i64);
        for f in [1i64, 2] {
            area.push("B");
            band.push(*b);
            freq.push(f);
            persons.push(if f == 2 { events / 2 } else { 0 });
            pop.push(1000);
        }
    }
    let t = table(vec![
        ("area", Arc::new(StringArray::from(area))),
        ("age_band", Arc::new(StringArray::from(band))),
        ("freq", Arc::new(Int64Array::from(freq))),
        ("persons", Arc::new(Int64Array::from(persons.clone()))),
        ("pop", Arc::new(Int64Array::from(pop))),
    ]);
    let std = Standard::Esp2013 {
        age_band: "age_band",
    };
    let out = DsrSpec::new("persons", "pop", std)
        .frequency(Some("freq"))
        .group_by(&["area"])
        .levels([Confidence::C95].to_vec())
        .multiplier(100_000.0)
        .run(std::slice::from_ref(&t))
        .unwrap();
    let counts: Vec<f64> = (0..19).map(|i| 2.0 * (i as f64 + 1.0)).collect();
    let plain = dsr(
        &counts,
        &[1000.0; 19],
        &ESP2013,
        &[Confidence::C95],
        100_000.0,
    )
    .unwrap();
    let v = f64s(&out, "value");
    let (lo, hi) = (f64s(&out, "lowercl"), f64s(&out, "uppercl"));
    assert!((v[0].unwrap() / plain.value.unwrap() - 1.0).abs() < 1e-12);
    assert!((lo[0].unwrap() / plain.lower[0].unwrap() - 1.0).abs() < 1e-12);
    assert!((v[1].unwrap() / plain.value.unwrap() - 1.0).abs() < 1e-12);
    assert!(lo[1].unwrap() < lo[0].unwrap() && hi[1].unwrap() > hi[0].unwrap());
    // The population is counted once per band, not once per frequency.
    assert_eq!(f64s(&out, "pop"), vec![Some(19_000.0), Some(19_000.0)]);
    let method = out.column_by_name("method").unwrap().as_string::<i32>();
    assert_eq!(
        method.value(1),
        "Dobson, with confidence adjusted for non-independent events"
    );
    // A plain column standard cannot tell the strata apart: a clear error.
    assert!(
        DsrSpec::new("persons", "pop", Standard::Column("pop"))
            .frequency(Some("freq"))
            .group_by(&["area"])
            .levels([Confidence::C95].to_vec())
            .multiplier(1e5)
            .run(&[t])
            .is_err()
    );
}

#[test]
fn quantiles_within_groups() {
    let t = table(vec![
        (
            "la",
            Arc::new(StringArray::from(vec!["X", "X", "X", "X", "X", "Y", "Y"])),
        ),
        (
            "imd",
            Arc::new(Float64Array::from(vec![
                Some(50.0),
                Some(10.0),
                Some(30.0),
                None,
                Some(20.0),
                Some(1.0),
                Some(2.0),
            ])),
        ),
    ]);
    let out = QuantileSpec::new("imd")
        .group_by(&["la"])
        .nquantiles(2)
        .invert(true)
        .run(&[t])
        .unwrap();
    let q: Vec<Option<u32>> = out
        .column_by_name("quantile")
        .unwrap()
        .as_primitive::<UInt32Type>()
        .iter()
        .collect();
    // Highest deprivation score → quantile 1 when inverted.
    assert_eq!(
        q,
        vec![Some(1), Some(2), Some(1), None, Some(2), Some(2), Some(1)]
    );
    // The input columns, the quantile and R's metadata (nquantiles, groupvars, qinverted).
    assert_eq!(out.num_columns(), 6);
}

#[test]
fn sii_table_per_area_with_an_incomplete_area_kept() {
    let pop = [
        7291.0, 7997.0, 6105.0, 7666.0, 5790.0, 6934.0, 5918.0, 5974.0, 7147.0, 7534.0,
    ];
    let value = [
        75.9334590103081,
        78.3442382727843,
        83.8360631041654,
        83.6375399664931,
        80.4655031529559,
        81.1156759857022,
        81.6930835718562,
        84.1900062060987,
        80.5955641081472,
        86.2894349578624,
    ];
    let mut area = vec![];
    let mut q = vec![];
    let mut p = vec![];
    let mut v = vec![];
    for (name, k) in [("area1", 10), ("area2", 9)] {
        for i in 0..k {
            area.push(name);
            q.push(i as i64 + 1);
            p.push(pop[i]);
            v.push(value[i]);
        }
    }
    let n = v.len();
    let t = table(vec![
        ("area", Arc::new(StringArray::from(area))),
        ("decile", Arc::new(Int64Array::from(q))),
        ("pop", Arc::new(Float64Array::from(p))),
        ("le", Arc::new(Float64Array::from(v))),
        ("se", Arc::new(Float64Array::from(vec![0.9; n]))),
    ]);
    let out = SiiSpec::new("decile", "pop", "le", SiiErrors::Se("se"))
        .group_by(&["area"])
        .options(SiiOptions::new().repetitions(2000).clone())
        .run(&[t])
        .unwrap();
    let sii = f64s(&out, "sii");
    assert!((sii[0].unwrap() / 6.934616473668819 - 1.0).abs() < 1e-9);
    assert!((f64s(&out, "rii")[0].unwrap() / 1.0888180804446217 - 1.0).abs() < 1e-9);
    assert!(f64s(&out, "sii_lowercl")[0].unwrap() < sii[0].unwrap());
    assert_eq!(sii[1], None);
    let note = out.column_by_name("note").unwrap().as_string::<i32>();
    assert!(note.value(1).contains("incomplete quantiles"));
}

#[test]
fn funnel_tables() {
    let t = table(vec![
        ("num", Arc::new(Int64Array::from(vec![10, 30, 200, 5]))),
        (
            "den",
            Arc::new(Int64Array::from(vec![100, 100, 1000, 1000])),
        ),
    ]);
    let kind = FunnelKind::Proportion { multiplier: 100.0 };
    let limits = FunnelSpec::new("num", Some("den"), kind)
        .rate(None)
        .limits(std::slice::from_ref(&t))
        .unwrap();
    assert_eq!(limits.num_rows(), 100);
    let (l3, l2) = (
        f64s(&limits, "lower_3s_limit"),
        f64s(&limits, "lower_2s_limit"),
    );
    assert!(l3.iter().zip(&l2).all(|(a, b)| a <= b));
    let sig = FunnelSpec::new("num", Some("den"), kind)
        .rate(None)
        .significance(&[t])
        .unwrap();
    let s = sig
        .column_by_name("significance")
        .unwrap()
        .as_string::<i32>();
    assert_eq!(s.value(3), Significance::Low0001.as_str());
    assert_eq!(sig.num_columns(), 3);
}

#[test]
fn life_expectancy_table_per_area() {
    let ages = [
        0i64, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90,
    ];
    let deaths = [
        40.0, 10.0, 10.0, 10.0, 20.0, 30.0, 30.0, 40.0, 60.0, 80.0, 120.0, 180.0, 270.0, 370.0,
        550.0, 850.0, 1100.0, 1500.0, 1700.0, 1600.0,
    ];
    let pops = [
        10000.0, 42000.0, 55000.0, 53000.0, 52000.0, 58000.0, 62000.0, 64000.0, 62000.0, 60000.0,
        63000.0, 65000.0, 61000.0, 53000.0, 49000.0, 46000.0, 33000.0, 23000.0, 14000.0, 7000.0,
    ];
    let mut area = vec![];
    let (mut a, mut d, mut p) = (vec![], vec![], vec![]);
    for name in ["N", "S"] {
        for i in 0..20 {
            area.push(name);
            a.push(ages[i]);
            d.push(deaths[i]);
            p.push(if name == "S" {
                pops[i] / 200.0
            } else {
                pops[i]
            });
        }
    }
    let t = table(vec![
        ("area", Arc::new(StringArray::from(area))),
        ("age", Arc::new(Int64Array::from(a))),
        (
            "deaths",
            Arc::new(Float64Array::from(
                d.iter()
                    .enumerate()
                    .map(|(i, x)| if i >= 20 { x / 200.0 } else { *x })
                    .collect::<Vec<_>>(),
            )),
        ),
        ("pop", Arc::new(Float64Array::from(p))),
    ]);
    let out = LifeExpectancySpec::new("deaths", "pop", "age")
        .group_by(&["area"])
        .levels([Confidence::C95].to_vec())
        .run(&[t])
        .unwrap();
    assert_eq!(out.num_rows(), 40);
    let single = life::life_expectancy(&deaths, &pops, &[Confidence::C95]).unwrap();
    assert_eq!(f64s(&out, "value")[0], single.expectancy[0].value);
    assert_eq!(f64s(&out, "value")[20], None); // 972,000 / 200 = 4,860 people: suppressed
    let startage = out.column_by_name("startage").unwrap();
    assert_eq!(startage.len(), 40);
    let areas = out.column_by_name("area").unwrap().as_string::<i32>();
    assert_eq!((areas.value(0), areas.value(39)), ("N", "S"));
}

#[test]
fn sum_by_groups_before_a_dsr() {
    let t = table(vec![
        ("pcn", Arc::new(StringArray::from(vec!["A", "A", "A", "B"]))),
        (
            "band",
            Arc::new(StringArray::from(vec!["0-4", "0-4", "5-9", "0-4"])),
        ),
        ("n", Arc::new(Int64Array::from(vec![1, 2, 3, 4]))),
    ]);
    let out = sum_by(&[t], &["pcn", "band"], &["n"]).unwrap();
    assert_eq!(out.num_rows(), 3);
    assert_eq!(f64s(&out, "n"), vec![Some(3.0), Some(3.0), Some(4.0)]);
}
