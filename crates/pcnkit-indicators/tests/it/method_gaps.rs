//! Method gaps users asked for (issue 16): crude-rate intervals for non-independent events.

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};

fn close(a: f64, b: f64) {
    assert!(((a - b) / b).abs() < 1e-9, "{a} vs {b}");
}

/// Crude-rate intervals for non-independent events (issue 16, method gaps): UKHSA's DSR for
/// non-independent events over one stratum. By hand: 20 persons with 1 event, 5 with 2 and 2
/// with 3 in 1,000 people: 36 events, variance 20 + 20 + 18 = 58; the limits are
/// (36 + √(58/36)(B − 36)) / 1,000 with B Byar's limits of 36.
#[test]
fn crude_rates_for_non_independent_events() {
    use arrow_array::cast::AsArray;
    use arrow_array::types::Float64Type;
    use pcnkit_indicators::RateSpec;
    let batch = RecordBatch::try_from_iter([
        (
            "area",
            Arc::new(StringArray::from(vec!["A"; 3])) as ArrayRef,
        ),
        (
            "persons",
            Arc::new(Float64Array::from(vec![20.0, 5.0, 2.0])) as ArrayRef,
        ),
        (
            "freq",
            Arc::new(Float64Array::from(vec![1.0, 2.0, 3.0])) as ArrayRef,
        ),
        (
            "pop",
            Arc::new(Float64Array::from(vec![1000.0; 3])) as ArrayRef,
        ),
    ])
    .unwrap();
    let out = RateSpec::new("persons", "pop")
        .group_by(&["area"])
        .frequency(Some("freq"))
        .run(std::slice::from_ref(&batch))
        .unwrap();
    let f = |name: &str| {
        out.column_by_name(name)
            .unwrap()
            .as_primitive::<Float64Type>()
            .value(0)
    };
    let (o, v, z) = (36.0f64, 58.0f64, 1.959963984540054f64);
    let byar_l = o * (1.0 - 1.0 / (9.0 * o) - z / (3.0 * o.sqrt())).powi(3);
    let byar_u = (o + 1.0) * (1.0 - 1.0 / (9.0 * (o + 1.0)) + z / (3.0 * (o + 1.0).sqrt())).powi(3);
    let spread = (v / o).sqrt();
    close(f("value"), 3600.0);
    close(
        f("lowercl"),
        (o + spread * (byar_l - o)) / 1000.0 * 100_000.0,
    );
    close(
        f("uppercl"),
        (o + spread * (byar_u - o)) / 1000.0 * 100_000.0,
    );
    // Every frequency 1: Byar's limits, the plain crude rate's from 10 events.
    let ones = RecordBatch::try_from_iter([
        (
            "persons",
            Arc::new(Float64Array::from(vec![36.0])) as ArrayRef,
        ),
        ("freq", Arc::new(Float64Array::from(vec![1.0])) as ArrayRef),
        (
            "pop",
            Arc::new(Float64Array::from(vec![1000.0])) as ArrayRef,
        ),
    ])
    .unwrap();
    let a = RateSpec::new("persons", "pop")
        .frequency(Some("freq"))
        .run(std::slice::from_ref(&ones))
        .unwrap();
    let b = RateSpec::new("persons", "pop").run(&[ones]).unwrap();
    for name in ["value", "lowercl", "uppercl"] {
        let g = |t: &RecordBatch| {
            t.column_by_name(name)
                .unwrap()
                .as_primitive::<Float64Type>()
                .value(0)
        };
        close(g(&a), g(&b));
    }
    // Populations that differ within a group are not one stratum: refused, never summed.
    let bad = RecordBatch::try_from_iter([
        (
            "persons",
            Arc::new(Float64Array::from(vec![20.0, 5.0])) as ArrayRef,
        ),
        (
            "freq",
            Arc::new(Float64Array::from(vec![1.0, 2.0])) as ArrayRef,
        ),
        (
            "pop",
            Arc::new(Float64Array::from(vec![1000.0, 900.0])) as ArrayRef,
        ),
    ])
    .unwrap();
    let r = RateSpec::new("persons", "pop")
        .frequency(Some("freq"))
        .run(&[bad]);
    match r {
        Err(_) => {}
        Ok(t) => assert!(t.column_by_name("value").unwrap().is_null(0), "{t:?}"),
    }
    let text = |name: &str| {
        out.column_by_name(name)
            .unwrap()
            .as_string::<i32>()
            .value(0)
            .to_owned()
    };
    assert_eq!(
        text("statistic"),
        "rate per 100000 (non-independent events)"
    );
    assert_eq!(
        text("method"),
        "Dobson, with confidence adjusted for non-independent events"
    );
}
