//! Method specs (issue 15): one options type per method, defaults in one place.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use pcnkit_indicators::*;

const BANDS: [&str; 19] = [
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
    "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
];

/// Two sets of rows of one PCN, each with every band: (practice, measure) of each.
fn practices(sets: [(&str, &str); 2]) -> RecordBatch {
    let (mut pcn, mut practice, mut band, mut measure, mut count, mut pop) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for (p, m) in sets {
        for (i, b) in BANDS.iter().enumerate() {
            pcn.push("U1");
            practice.push(p);
            band.push(*b);
            measure.push(m);
            count.push((i + 1) as f64);
            pop.push(1000.0);
        }
    }
    RecordBatch::try_from_iter([
        ("pcn", Arc::new(StringArray::from(pcn)) as ArrayRef),
        (
            "practice",
            Arc::new(StringArray::from(practice)) as ArrayRef,
        ),
        ("age_band", Arc::new(StringArray::from(band)) as ArrayRef),
        ("measure", Arc::new(StringArray::from(measure)) as ArrayRef),
        ("count", Arc::new(Float64Array::from(count)) as ArrayRef),
        ("population", Arc::new(Float64Array::from(pop)) as ArrayRef),
    ])
    .unwrap()
}

#[test]
fn dsr_spec_sums_practices_refuses_on_request_and_never_sums_measures() {
    let esp = Standard::Esp2013 {
        age_band: "age_band",
    };
    let spec = DsrSpec::new("count", "population", esp).group_by(&["pcn"]);
    assert_eq!(spec.multiplier, DSR_MULTIPLIER_DEFAULT);
    let input = practices([("P1", "diabetes"), ("P2", "diabetes")]);
    let summed = spec.run(std::slice::from_ref(&input)).unwrap();
    // The same as summing by hand first.
    let by_hand = sum_by(
        std::slice::from_ref(&input),
        &["pcn", "age_band"],
        &["count", "population"],
    )
    .unwrap();
    let direct = DsrSpec::new("count", "population", esp)
        .group_by(&["pcn"])
        .levels([Confidence::C95].to_vec())
        .multiplier(1e5)
        .repeated_bands(RepeatedBands::Refuse)
        .run(&[by_hand])
        .unwrap();
    assert_eq!(summed, direct);
    let value = |b: &RecordBatch| {
        b.column_by_name("value")
            .unwrap()
            .as_primitive::<Float64Type>()
            .value(0)
    };
    assert!(value(&summed) > 0.0);
    // Refused on request: the only group is bad, so it is an error naming the band.
    let e = spec
        .clone()
        .repeated_bands("refuse".parse().unwrap())
        .run(std::slice::from_ref(&input))
        .unwrap_err();
    assert!(e.to_string().contains("age band 0-4 appears twice"), "{e}");
    // Two measures of one practice, PCN and band are never added together.
    let e = spec
        .run(&[practices([("P1", "diabetes"), ("P1", "copd")])])
        .unwrap_err();
    assert!(e.to_string().contains("column `measure`: varies"), "{e}");
    assert!("add".parse::<RepeatedBands>().is_err());
}
