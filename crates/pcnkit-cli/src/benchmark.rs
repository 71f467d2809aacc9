//! `pcnkit indicators benchmark`: each area against a comparator, as Fingertips shows it. The
//! method is `pcnkit_indicators::benchmark`'s; this module turns the flags into its spec.

use std::path::PathBuf;

use pcnkit_indicators::benchmark::{BenchmarkSpec, Comparator, Method, Polarity};

use crate::Context;
use crate::error::CliError;

/// The flags of `benchmark`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The table (.csv or .parquet): a method's output, or any values with limits.
    #[arg(long)]
    pub input: PathBuf,
    /// The value column.
    #[arg(long, default_value = "value")]
    pub value: String,
    /// The lower limit column (the 95% or 99.8% one: the comparison is at that level).
    #[arg(long, default_value = "lowercl")]
    pub lower: String,
    /// The upper limit column.
    #[arg(long, default_value = "uppercl")]
    pub upper: String,
    /// high-is-good, low-is-good or no-judgement.
    #[arg(long)]
    pub polarity: String,
    /// The comparator row of each group: COLUMN=VALUE (e.g. area=England).
    #[arg(long, conflicts_with_all = ["comparator_value", "comparator_column"])]
    pub comparator_row: Option<String>,
    /// Compare with the comparator row's interval, not only its value.
    #[arg(long)]
    pub with_interval: bool,
    /// A given comparator value (with --comparator-interval LOWER,UPPER for its interval).
    #[arg(long, allow_hyphen_values = true, conflicts_with = "comparator_column")]
    pub comparator_value: Option<f64>,
    /// The given comparator's interval: LOWER,UPPER.
    #[arg(long, requires = "comparator_value", allow_hyphen_values = true)]
    pub comparator_interval: Option<String>,
    /// Each row's comparator in a column: COLUMN, or COLUMN:LOWER,UPPER to compare with its
    /// interval too.
    #[arg(long)]
    pub comparator_column: Option<String>,
    /// Compare within the groups of these columns (e.g. indicator), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub group_by: Vec<String>,
    /// Quintiles of the value within each group instead of intervals.
    #[arg(long)]
    pub quintiles: bool,
}

fn usage(flag: &str, what: &str) -> CliError {
    CliError::Usage(format!("--{flag}: {what}"))
}

/// Runs `pcnkit indicators benchmark`.
pub fn run(ctx: &Context, a: &Args) -> Result<(), CliError> {
    let polarity: Polarity = a
        .polarity
        .parse()
        .map_err(|e: pcnkit_indicators::IndicatorError| usage("polarity", &e.to_string()))?;
    let comparator = match (&a.comparator_row, a.comparator_value, &a.comparator_column) {
        (Some(row), None, None) => {
            let (column, value) = row
                .split_once('=')
                .ok_or_else(|| usage("comparator-row", "COLUMN=VALUE"))?;
            Comparator::Row {
                column,
                value,
                with_interval: a.with_interval,
            }
        }
        (None, Some(value), None) => match &a.comparator_interval {
            Some(i) => {
                let bad = || usage("comparator-interval", "LOWER,UPPER");
                let (l, u) = i.split_once(',').ok_or_else(bad)?;
                Comparator::Interval {
                    value,
                    lower: l.trim().parse().map_err(|_| bad())?,
                    upper: u.trim().parse().map_err(|_| bad())?,
                }
            }
            None => Comparator::Value(value),
        },
        (None, None, Some(c)) => match c.split_once(':') {
            Some((value, limits)) => {
                let (l, u) = limits
                    .split_once(',')
                    .ok_or_else(|| usage("comparator-column", "COLUMN or COLUMN:LOWER,UPPER"))?;
                Comparator::Columns {
                    value,
                    limits: Some((l, u)),
                }
            }
            None => Comparator::Columns {
                value: c,
                limits: None,
            },
        },
        (None, None, None) if a.quintiles => Comparator::Value(f64::NAN),
        _ => {
            return Err(CliError::Usage(
                "give one comparator: --comparator-row, --comparator-value or --comparator-column (or --quintiles)".to_owned(),
            ));
        }
    };
    let batches = crate::input::read_table(&a.input)?;
    let group: Vec<&str> = a.group_by.iter().map(String::as_str).collect();
    let out = BenchmarkSpec::new(&a.value, &a.lower, &a.upper, comparator, polarity)
        .group_by(&group)
        .method(if a.quintiles {
            Method::Quintiles
        } else {
            Method::Interval
        })
        .run(&batches)
        .map_err(|e| CliError::Data(format!("{}: {e}", a.input.display())))?;
    ctx.emit(&out)
}
