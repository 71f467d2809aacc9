//! The pcnkit side of `scripts/bench-peers` for the indicator methods: writes the bench input
//! (10,000 areas × 19 age bands) as CSV, computes DSR, crude rate and proportion with 95% and
//! 99.8% limits, prints the wall time of each and writes the results as CSV for comparison.
//!
//! ```text
//! cargo run --release -p pcnkit-benches --example indicators_peer -- OUT_DIR
//! ```
#![allow(clippy::print_stdout)]

use std::process::ExitCode;
use std::time::Instant;

use pcnkit_benches::indicators_input;
use pcnkit_indicators::{Confidence, Standard, dsr_table, proportion_table, rate_table};

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
    let batch = indicators_input(10_000, 3);
    pcnkit_org::export::write_csv(&batch, &out.join("input.csv"))?;
    let levels = [Confidence::C95, Confidence::C998];
    let input = std::slice::from_ref(&batch);
    let runs: [(&str, Table<'_>); 3] = [
        (
            "dsr",
            Box::new(|| {
                dsr_table(
                    input,
                    "count",
                    "population",
                    Standard::Esp2013 {
                        age_band: "age_band",
                    },
                    &["area"],
                    &levels,
                    100_000.0,
                )
            }),
        ),
        (
            "rate",
            Box::new(|| rate_table(input, "count", "population", &["area"], &levels, 100_000.0)),
        ),
        (
            "proportion",
            Box::new(|| proportion_table(input, "count", "population", &["area"], &levels, 100.0)),
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
        pcnkit_org::export::write_csv(&result, &out.join(format!("pcnkit_{name}.csv")))?;
    }
    Ok(())
}
