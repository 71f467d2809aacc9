//! The pcnkit side of `scripts/bench-peers` for the indicator methods: writes the bench input
//! (10,000 areas × 19 age bands, with reference counts and populations per band) as CSV,
//! computes DSR, crude rate, proportion, mean, indirectly standardised ratio and rate (95% and
//! 99.8% limits) and quintiles within areas, prints the wall time of each and writes the
//! results as CSV for comparison.
//!
//! ```text
//! cargo run --release -p pcnkit-benches --example indicators_peer -- OUT_DIR
//! ```
#![allow(clippy::print_stdout)]

use std::process::ExitCode;
use std::time::Instant;

use pcnkit_benches::indicators_input;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use pcnkit_indicators::{
    Confidence, DsrSpec, Indirect, IsrSpec, MeanSpec, Observed, ProportionSpec, QuantileSpec,
    RateSpec, RepeatedBands, Standard,
};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type Table<'a> =
    Box<dyn Fn() -> Result<arrow_array::RecordBatch, pcnkit_indicators::IndicatorError> + 'a>;

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: indicators_peer OUT_DIR")?,
    );
    let plain = indicators_input(10_000, 3);
    // Reference counts and populations per band: the totals over all areas.
    let counts = plain.column(2).as_primitive::<Int64Type>();
    let pops = plain.column(3).as_primitive::<Int64Type>();
    let (mut rc, mut rp) = ([0i64; 19], [0i64; 19]);
    for i in 0..plain.num_rows() {
        rc[i % 19] += counts.value(i);
        rp[i % 19] += pops.value(i);
    }
    let n = plain.num_rows();
    let mut fields: Vec<arrow_schema::Field> = plain
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    fields.push(arrow_schema::Field::new(
        "ref_count",
        arrow_schema::DataType::Int64,
        false,
    ));
    fields.push(arrow_schema::Field::new(
        "ref_population",
        arrow_schema::DataType::Int64,
        false,
    ));
    let mut columns = plain.columns().to_vec();
    columns.push(Arc::new(arrow_array::Int64Array::from_iter_values(
        (0..n).map(|i| rc[i % 19]),
    )));
    columns.push(Arc::new(arrow_array::Int64Array::from_iter_values(
        (0..n).map(|i| rp[i % 19]),
    )));
    let batch =
        arrow_array::RecordBatch::try_new(Arc::new(arrow_schema::Schema::new(fields)), columns)?;
    pcnkit_core::write::write_csv(&batch, &out.join("input.csv"))?;
    let levels = [Confidence::C95, Confidence::C998];
    let input = std::slice::from_ref(&batch);
    let runs: [(&str, Table<'_>); 7] = [
        (
            "dsr",
            Box::new(|| {
                DsrSpec::new(
                    "count",
                    "population",
                    Standard::Esp2013 {
                        age_band: "age_band",
                    },
                )
                .group_by(&["area"])
                .levels(levels.to_vec())
                .multiplier(100_000.0)
                .repeated_bands(RepeatedBands::Refuse)
                .run(input)
            }),
        ),
        (
            "rate",
            Box::new(|| {
                RateSpec::new("count", "population")
                    .group_by(&["area"])
                    .levels(levels.to_vec())
                    .multiplier(100_000.0)
                    .run(input)
            }),
        ),
        (
            "proportion",
            Box::new(|| {
                ProportionSpec::new("count", "population")
                    .group_by(&["area"])
                    .levels(levels.to_vec())
                    .multiplier(100.0)
                    .run(input)
            }),
        ),
        (
            "mean",
            Box::new(|| {
                MeanSpec::new("count")
                    .group_by(&["area"])
                    .levels(levels.to_vec())
                    .run(input)
            }),
        ),
        (
            "isratio",
            Box::new(|| {
                IsrSpec::new(
                    Observed::Counts("count"),
                    "population",
                    "ref_count",
                    "ref_population",
                )
                .group_by(&["area"])
                .levels(levels.to_vec())
                .kind(Indirect::Ratio { ref_value: 1.0 })
                .run(input)
            }),
        ),
        (
            "israte",
            Box::new(|| {
                IsrSpec::new(
                    Observed::Counts("count"),
                    "population",
                    "ref_count",
                    "ref_population",
                )
                .group_by(&["area"])
                .levels(levels.to_vec())
                .kind(Indirect::Rate {
                    multiplier: 100_000.0,
                })
                .run(input)
            }),
        ),
        (
            "quantile",
            Box::new(|| {
                QuantileSpec::new("count")
                    .group_by(&["area"])
                    .nquantiles(5)
                    .invert(true)
                    .run(input)
            }),
        ),
    ];
    for (name, f) in runs {
        let start = Instant::now();
        let result = f()?;
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "pcnkit {name}: {} groups, {seconds:.4} s",
            result.num_rows()
        );
        pcnkit_core::write::write_csv(&result, &out.join(format!("pcnkit_{name}.csv")))?;
    }
    Ok(())
}
