//! `pcnkit indicators disclose`: a disclosure control policy applied to any table (raw counts
//! or a method's output written as CSV or Parquet). The policy and the whole method are
//! `pcnkit_indicators::disclosure`'s; this module turns the flags into a `DisclosureSpec`.

use std::path::PathBuf;

use pcnkit_indicators::disclosure::{Derived, DisclosureSpec, Policy, TotalRows};

use crate::Context;
use crate::error::CliError;

/// The flags of `disclose`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The table (.csv or .parquet).
    #[arg(long)]
    pub input: PathBuf,
    /// nhs-england (counts 1–7 suppressed, the rest rounded to 5; national figures and
    /// standardised rates exempt), opensafely (counts of 7 or fewer redacted, then rounded to
    /// 5), or custom:MIN-MAX:BASE (e.g. custom:1-9:10; BASE `none` keeps counts unrounded).
    #[arg(long)]
    pub policy: String,
    /// The count columns to protect, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub counts: Vec<String>,
    /// Columns whose groups have published totals, comma-separated (repeat the flag for each
    /// margin of a table of several dimensions; an empty value is the grand total).
    #[arg(long = "margin", value_name = "COLUMNS")]
    pub margins: Vec<String>,
    /// Total rows in the table: CATEGORY=LABEL:WITHIN,COLUMNS (e.g. band=Total:pcn).
    #[arg(long)]
    pub total_rows: Option<String>,
    /// National rows: COLUMN=VALUE (e.g. area=England), exempt where the policy says so.
    #[arg(long)]
    pub national: Option<String>,
    /// A percentage recomputed from the protected counts: OUT=NUMERATOR/DENOMINATOR
    /// (repeatable; ×100).
    #[arg(long = "percent", value_name = "OUT=NUM/DEN")]
    pub percentages: Vec<String>,
    /// Standardised columns (a DSR and its limits), comma-separated: exempt where the policy
    /// says so, else suppressed with their counts.
    #[arg(long, value_delimiter = ',')]
    pub standardised: Vec<String>,
    /// Other columns computed from the counts, comma-separated: suppressed with their counts
    /// and where the counts are rounded (recompute them from the protected counts).
    #[arg(long, value_delimiter = ',')]
    pub derived: Vec<String>,
}

fn usage(flag: &str, what: &str) -> CliError {
    CliError::Usage(format!("--{flag}: {what}"))
}

/// Runs `pcnkit indicators disclose`.
pub fn run(ctx: &Context, a: &Args) -> Result<(), CliError> {
    let policy: Policy = a
        .policy
        .parse()
        .map_err(|e: pcnkit_indicators::IndicatorError| usage("policy", &e.to_string()))?;
    let batches = crate::input::read_table(&a.input)?;
    let counts: Vec<&str> = a.counts.iter().map(String::as_str).collect();
    let margins: Vec<Vec<&str>> = a
        .margins
        .iter()
        .map(|m| {
            m.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .collect();
    let mut spec = DisclosureSpec::new(policy, &counts);
    for m in &margins {
        spec = spec.margin(m);
    }
    let total_rows = match &a.total_rows {
        Some(t) => {
            let (category, rest) = t
                .split_once('=')
                .ok_or_else(|| usage("total-rows", "CATEGORY=LABEL:WITHIN,COLUMNS"))?;
            let (label, within) = rest.split_once(':').unwrap_or((rest, ""));
            Some((
                category,
                label,
                within
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>(),
            ))
        }
        None => None,
    };
    if let Some((category, label, within)) = &total_rows {
        spec = spec.totals(TotalRows::new(category, label, within));
    }
    if let Some(n) = &a.national {
        let (column, value) = n
            .split_once('=')
            .ok_or_else(|| usage("national", "COLUMN=VALUE"))?;
        spec = spec.national(column, value);
    }
    let percentages: Vec<(&str, &str, &str)> = a
        .percentages
        .iter()
        .map(|p| {
            let (out, ratio) = p.split_once('=')?;
            let (num, den) = ratio.split_once('/')?;
            Some((out, num, den))
        })
        .collect::<Option<_>>()
        .ok_or_else(|| usage("percent", "OUT=NUMERATOR/DENOMINATOR"))?;
    for (column, numerator, denominator) in percentages {
        spec = spec.derived(Derived::Percentage {
            column,
            numerator,
            denominator,
            multiplier: 100.0,
        });
    }
    for c in &a.standardised {
        spec = spec.derived(Derived::Standardised {
            column: c,
            counts: counts.clone(),
        });
    }
    for c in &a.derived {
        spec = spec.derived(Derived::Simple {
            column: c,
            counts: counts.clone(),
        });
    }
    let file = a.input.display().to_string();
    let out = spec
        .run(&batches)
        .map_err(|e| CliError::Data(format!("{file}: {e}")))?;
    ctx.emit(&out)
}
