//! `pcnkit indicators trend`: Fingertips' recent trend markers over the last five years of each
//! series. The method is `pcnkit_indicators::trend`'s; this module turns the flags into its spec.

use std::path::PathBuf;

use pcnkit_indicators::Confidence;
use pcnkit_indicators::benchmark::Polarity;
use pcnkit_indicators::trend::{TrendSpec, TrendValues};

use crate::Context;
use crate::error::CliError;

/// The flags of `trend`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The table (.csv or .parquet): one row per area and year.
    #[arg(long)]
    pub input: PathBuf,
    /// The year column: a number, or text beginning with a year (2019/20).
    #[arg(long)]
    pub year: String,
    /// A proportion's numerator column (with --denominator): the chi-squared test for trend.
    #[arg(long, requires = "denominator", conflicts_with = "value")]
    pub numerator: Option<String>,
    /// A proportion's denominator column.
    #[arg(long, requires = "numerator")]
    pub denominator: Option<String>,
    /// Any other value's column (with --lower and --upper): the weighted regression.
    #[arg(long, requires_all = ["lower", "upper"])]
    pub value: Option<String>,
    /// The lower confidence limit column.
    #[arg(long)]
    pub lower: Option<String>,
    /// The upper confidence limit column.
    #[arg(long)]
    pub upper: Option<String>,
    /// The level of those limits (default 95%).
    #[arg(long)]
    pub confidence: Option<f64>,
    /// high-is-good, low-is-good or no-judgement (the default): getting better or worse.
    #[arg(long)]
    pub polarity: Option<String>,
    /// One series per group of these columns (e.g. area,indicator), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub group_by: Vec<String>,
}

/// Runs `pcnkit indicators trend`.
pub fn run(ctx: &Context, a: &Args) -> Result<(), CliError> {
    let values = match (&a.numerator, &a.denominator, &a.value, &a.lower, &a.upper) {
        (Some(numerator), Some(denominator), None, _, _) => TrendValues::Proportion {
            numerator,
            denominator,
        },
        (None, None, Some(value), Some(lower), Some(upper)) => TrendValues::Interval {
            value,
            lower,
            upper,
            confidence: match a.confidence {
                Some(c) => {
                    Confidence::new(c).map_err(|e| CliError::Usage(format!("--confidence: {e}")))?
                }
                None => Confidence::C95,
            },
        },
        _ => {
            return Err(CliError::Usage(
                "give --numerator and --denominator (a proportion), or --value, --lower and --upper".to_owned(),
            ));
        }
    };
    let polarity = match &a.polarity {
        Some(p) => p.parse().map_err(|e: pcnkit_indicators::IndicatorError| {
            CliError::Usage(format!("--polarity: {e}"))
        })?,
        None => Polarity::NoJudgement,
    };
    let batches = crate::input::read_table(&a.input)?;
    let group: Vec<&str> = a.group_by.iter().map(String::as_str).collect();
    let out = TrendSpec::new(values, &a.year)
        .group_by(&group)
        .polarity(polarity)
        .run(&batches)
        .map_err(|e| CliError::Data(format!("{}: {e}", a.input.display())))?;
    ctx.emit(&out)
}
