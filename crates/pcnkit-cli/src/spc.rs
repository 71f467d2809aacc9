//! `pcnkit indicators spc`: XmR charts of monthly series, Making Data Count style. The method
//! is `pcnkit_indicators::spc`'s; this module turns the flags into its spec.

use std::path::PathBuf;

use pcnkit_indicators::spc::{Direction, Missing, SpcOptions};
use pcnkit_indicators::spc_table::SpcSpec;

use crate::Context;
use crate::error::CliError;

/// The flags of `spc`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The table (.csv or .parquet).
    #[arg(long)]
    pub input: PathBuf,
    /// The value column.
    #[arg(long)]
    pub value: String,
    /// The period column (points are ordered by it within each chart).
    #[arg(long)]
    pub period: String,
    /// One chart per group of these columns, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub group_by: Vec<String>,
    /// Improvement direction: increase, decrease or neutral [default: neutral].
    #[arg(long)]
    pub direction: Option<String>,
    /// A target, for assurance (on the last segment's limits).
    #[arg(long, allow_hyphen_values = true)]
    pub target: Option<f64>,
    /// Points in a run on one side of the mean that signal, 6 to 8 [default: 7].
    #[arg(long)]
    pub run: Option<usize>,
    /// Points in a trend that signal, 5 to 8 [default: 7].
    #[arg(long)]
    pub trend: Option<usize>,
    /// Start a new segment at these periods, comma-separated (e.g. 2025-10).
    #[arg(long, value_delimiter = ',')]
    pub rebase: Vec<String>,
    /// Each segment's limits from its first N values (a fixed baseline).
    #[arg(long)]
    pub baseline: Option<usize>,
    /// Refuse missing values instead of breaking the series at them.
    #[arg(long)]
    pub refuse_missing: bool,
    /// One row per chart (latest variation, assurance, notes) instead of one per point.
    #[arg(long)]
    pub summary: bool,
}

/// Runs `pcnkit indicators spc`.
pub fn run(ctx: &Context, a: &Args) -> Result<(), CliError> {
    let mut options = SpcOptions::default();
    if let Some(d) = &a.direction {
        let d: Direction = d.parse().map_err(|e: pcnkit_indicators::IndicatorError| {
            CliError::Usage(format!("--direction: {e}"))
        })?;
        options = options.direction(d);
    }
    if let Some(r) = a.run {
        options = options.run(r);
    }
    if let Some(t) = a.trend {
        options = options.trend(t);
    }
    options = options.baseline(a.baseline).target(a.target);
    if a.refuse_missing {
        options = options.missing(Missing::Refuse);
    }
    options
        .validate()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let batches = crate::input::read_table(&a.input)?;
    let group: Vec<&str> = a.group_by.iter().map(String::as_str).collect();
    let rebase: Vec<&str> = a.rebase.iter().map(String::as_str).collect();
    let spec = SpcSpec::new(&a.value, &a.period, options)
        .group_by(&group)
        .rebase_at(&rebase);
    let out = if a.summary {
        spec.summary(&batches)
    } else {
        spec.run(&batches)
    }
    .map_err(|e| CliError::Data(format!("{}: {e}", a.input.display())))?;
    ctx.emit(&out)
}
