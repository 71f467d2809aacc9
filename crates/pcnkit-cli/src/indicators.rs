//! `pcnkit indicators`: any indicator method over a CSV or Parquet table.

use std::path::PathBuf;

use arrow_array::RecordBatch;

use pcnkit_indicators::funnel::{FunnelKind, RateKind, RatioScale};
use pcnkit_indicators::sii::{SiiOptions, ValueType};
use pcnkit_indicators::{Confidence, Indirect, SiiErrors, Standard};

use crate::error::CliError;
use crate::{Context, input, progress};

/// Where the data is and how it is grouped (every method).
#[derive(Debug, clap::Args)]
pub struct Common {
    /// The input table (.csv or .parquet).
    #[arg(long)]
    pub input: PathBuf,
    /// Grouping columns, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub group_by: Vec<String>,
    /// Confidence levels, comma-separated (e.g. 0.95,0.998).
    #[arg(long, value_delimiter = ',', default_value = "0.95")]
    pub confidence: Vec<f64>,
    /// Keep only rows where COLUMN equals VALUE (repeatable), e.g. --where measure=diabetes.
    #[arg(long = "where", value_name = "COLUMN=VALUE")]
    pub filters: Vec<String>,
}

/// Keeps the rows whose text column equals the value, for every `COLUMN=VALUE`.
fn filter(
    batches: Vec<RecordBatch>,
    filters: &[String],
    file: &str,
) -> Result<Vec<RecordBatch>, CliError> {
    let mut out = batches;
    for f in filters {
        let (column, value) = f
            .split_once('=')
            .ok_or_else(|| CliError::Usage(format!("--where {f:?}: use COLUMN=VALUE")))?;
        out = out
            .into_iter()
            .map(|b| {
                let a = b.column_by_name(column).ok_or_else(|| {
                    CliError::Data(format!(
                        "{file}: column `{column}` (in --where) is not in the input"
                    ))
                })?;
                let text =
                    arrow_cast::display::ArrayFormatter::try_new(a.as_ref(), &Default::default())
                        .map_err(|e| CliError::Data(e.to_string()))?;
                let keep: arrow_array::BooleanArray = (0..b.num_rows())
                    .map(|r| Some(text.value(r).to_string() == value))
                    .collect();
                arrow_select::filter::filter_record_batch(&b, &keep)
                    .map_err(|e| CliError::Output(e.to_string()))
            })
            .collect::<Result<_, _>>()?;
    }
    Ok(out)
}

/// An indicator method.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Proportions with Wilson limits.
    #[command(
        after_help = "Example:\n  pcnkit indicators proportion --input qof.csv --numerator achieved --denominator register --group-by pcn --multiplier 100"
    )]
    Proportion {
        #[command(flatten)]
        common: Common,
        /// Numerator column.
        #[arg(long)]
        numerator: String,
        /// Denominator column.
        #[arg(long)]
        denominator: String,
        /// 1 for fractions, 100 for percentages.
        #[arg(long, default_value_t = 100.0)]
        multiplier: f64,
    },
    /// Crude rates (exact Poisson limits below 10 events, Byar's from 10).
    #[command(
        after_help = "Example:\n  pcnkit indicators rate --input admissions.csv --count admissions --denominator population --group-by pcn"
    )]
    Rate {
        #[command(flatten)]
        common: Common,
        /// Event count column.
        #[arg(long)]
        count: String,
        /// Population column.
        #[arg(long)]
        denominator: String,
        /// Per how many people.
        #[arg(long, default_value_t = 100_000.0)]
        multiplier: f64,
    },
    /// Means with Student's t limits.
    #[command(
        after_help = "Example:\n  pcnkit indicators mean --input waits.csv --value days --group-by practice"
    )]
    Mean {
        #[command(flatten)]
        common: Common,
        /// Value column.
        #[arg(long)]
        value: String,
    },
    /// Directly standardised rates (Dobson), ESP2013 matched on age-band labels by default.
    #[command(
        after_help = "Example:\n  pcnkit indicators dsr --input counts.csv --count count --population population --age-band age_band --group-by pcn --confidence 0.95,0.998"
    )]
    Dsr {
        #[command(flatten)]
        common: Common,
        /// Event count column.
        #[arg(long)]
        count: String,
        /// Population column.
        #[arg(long)]
        population: String,
        /// Age-band label column (0-4 … 90+), for ESP2013.
        #[arg(long)]
        age_band: Option<String>,
        /// A standard population column instead of ESP2013.
        #[arg(long)]
        standard: Option<String>,
        /// Per how many people.
        #[arg(long, default_value_t = 100_000.0)]
        multiplier: f64,
    },
    /// Indirectly standardised ratios (or rates with --multiplier).
    #[command(
        after_help = "Example:\n  pcnkit indicators isr --input deaths.csv --count deaths --population pop --reference-count eng_deaths --reference-population eng_pop --group-by la --ref-value 100"
    )]
    Isr {
        #[command(flatten)]
        common: Common,
        /// Observed count column.
        #[arg(long)]
        count: String,
        /// Population column.
        #[arg(long)]
        population: String,
        /// Reference count column.
        #[arg(long)]
        reference_count: String,
        /// Reference population column.
        #[arg(long)]
        reference_population: String,
        /// Ratio scale (1, or 100 for an SMR).
        #[arg(long, default_value_t = 1.0)]
        ref_value: f64,
        /// Give a rate per this many people instead of a ratio.
        #[arg(long)]
        multiplier: Option<f64>,
    },
    /// Quantiles (deprivation deciles, quintiles) within groups.
    #[command(
        after_help = "Example:\n  pcnkit indicators quantile --input imd.csv --value score --group-by la --quantiles 10"
    )]
    Quantile {
        #[command(flatten)]
        common: Common,
        /// Value column.
        #[arg(long)]
        value: String,
        /// Number of quantiles.
        #[arg(long, default_value_t = 10)]
        quantiles: u32,
        /// Quantile 1 = the lowest values (default: the highest, as for deprivation scores).
        #[arg(long)]
        no_invert: bool,
    },
    /// Slope and relative index of inequality (one row per quantile, most deprived = 1).
    #[command(
        after_help = "Example:\n  pcnkit indicators sii --input le.csv --quantile decile --population pop --value le --se se --group-by area"
    )]
    Sii {
        #[command(flatten)]
        common: Common,
        /// Quantile number column.
        #[arg(long)]
        quantile: String,
        /// Population column.
        #[arg(long)]
        population: String,
        /// Value column.
        #[arg(long)]
        value: String,
        /// Standard error column (or give --lower and --upper).
        #[arg(long)]
        se: Option<String>,
        /// 95% lower limit column.
        #[arg(long)]
        lower: Option<String>,
        /// 95% upper limit column.
        #[arg(long)]
        upper: Option<String>,
        /// normal, rate or proportion.
        #[arg(long, default_value = "normal")]
        value_type: String,
        /// Simulations.
        #[arg(long, default_value_t = 100_000)]
        repetitions: u32,
        /// Simulation seed.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Funnel plot significance of each row (proportions; ratios with --expected).
    #[command(
        after_help = "Example:\n  pcnkit indicators funnel --input screening.csv --numerator screened --denominator eligible"
    )]
    Funnel {
        #[command(flatten)]
        common: Common,
        /// Numerator (or observed count) column.
        #[arg(long)]
        numerator: String,
        /// Denominator (or expected count) column.
        #[arg(long)]
        denominator: String,
        /// The denominator is an expected count: a ratio funnel.
        #[arg(long)]
        ratio: bool,
        /// Print the 100-point limits instead of each row's significance.
        #[arg(long)]
        limits: bool,
    },
    /// Life expectancy (Chiang II) at each band's start age.
    #[command(
        after_help = "Example:\n  pcnkit indicators life-expectancy --input deaths.csv --deaths deaths --population pop --start-age age --group-by area"
    )]
    LifeExpectancy {
        #[command(flatten)]
        common: Common,
        /// Deaths column.
        #[arg(long)]
        deaths: String,
        /// Population column.
        #[arg(long)]
        population: String,
        /// Start age column (0, 1, 5, …, 90).
        #[arg(long)]
        start_age: String,
    },
}

fn levels(c: &[f64]) -> Result<Vec<Confidence>, CliError> {
    Confidence::levels(c).map_err(|e| CliError::Usage(format!("--confidence: {e}")))
}

/// Runs `pcnkit indicators …`.
pub fn run(ctx: &Context, command: Command) -> Result<(), CliError> {
    let common = match &command {
        Command::Proportion { common, .. }
        | Command::Rate { common, .. }
        | Command::Mean { common, .. }
        | Command::Dsr { common, .. }
        | Command::Isr { common, .. }
        | Command::Quantile { common, .. }
        | Command::Sii { common, .. }
        | Command::Funnel { common, .. }
        | Command::LifeExpectancy { common, .. } => common,
    };
    let spin = progress::spinner(ctx.quiet, "reading the input");
    let file = common.input.display().to_string();
    let batches = filter(input::read_table(&common.input)?, &common.filters, &file)?;
    spin.set_message("computing");
    let lv = levels(&common.confidence)?;
    let group: Vec<&str> = common.group_by.iter().map(String::as_str).collect();
    let fail = |e: pcnkit_indicators::IndicatorError| CliError::Data(format!("{file}: {e}"));
    let out = match &command {
        Command::Proportion {
            numerator,
            denominator,
            multiplier,
            ..
        } => pcnkit_indicators::proportion_table(
            &batches,
            numerator,
            denominator,
            &group,
            &lv,
            *multiplier,
        ),
        Command::Rate {
            count,
            denominator,
            multiplier,
            ..
        } => pcnkit_indicators::rate_table(&batches, count, denominator, &group, &lv, *multiplier),
        Command::Mean { value, .. } => pcnkit_indicators::mean_table(&batches, value, &group, &lv),
        Command::Dsr {
            count,
            population,
            age_band,
            standard,
            multiplier,
            ..
        } => {
            let std = match (age_band, standard) {
                (_, Some(s)) => Standard::Column(s),
                (Some(a), None) => Standard::Esp2013 { age_band: a },
                (None, None) => {
                    return Err(CliError::Usage(
                        "dsr needs --age-band (for ESP2013) or --standard".to_owned(),
                    ));
                }
            };
            // Several rows per group and band (practices, sexes) are summed first, but only
            // rows of one measure: a text column that varies within a group and band (the demo
            // counts hold seven measures) would be summed into one figure, so it is refused.
            let mut keys = group.clone();
            let band_or_std = age_band
                .as_deref()
                .or(standard.as_deref())
                .unwrap_or_default();
            keys.push(band_or_std);
            // Rows of different practices or sexes are what is summed; any other text column
            // must be constant within a group, band, practice and sex.
            let mut units = keys.clone();
            if let Some(b) = batches.first() {
                for c in ["practice", "practice_code", "sex"] {
                    if b.column_by_name(c).is_some() && !units.contains(&c) {
                        units.push(c);
                    }
                }
            }
            let varying = pcnkit_indicators::varying_text_columns(&batches, &units).map_err(fail)?;
            if let Some((column, values)) = varying.first() {
                return Err(CliError::Data(format!(
                    "column {column} varies within a group and age band ({}): the rows measure different things and would be summed into one; filter one (--where {column}={}) or add it to --group-by",
                    values.join(", "),
                    values.first().map_or("…", String::as_str)
                )));
            }
            let summed = if standard.is_some() {
                batches.clone()
            } else {
                vec![
                    pcnkit_indicators::sum_by(
                        &batches,
                        &keys,
                        &[count.as_str(), population.as_str()],
                    )
                    .map_err(fail)?,
                ]
            };
            pcnkit_indicators::dsr_table(&summed, count, population, std, &group, &lv, *multiplier)
        }
        Command::Isr {
            count,
            population,
            reference_count,
            reference_population,
            ref_value,
            multiplier,
            ..
        } => {
            let kind = match multiplier {
                Some(m) => Indirect::Rate { multiplier: *m },
                None => Indirect::Ratio {
                    ref_value: *ref_value,
                },
            };
            pcnkit_indicators::isr_table(
                &batches,
                count,
                population,
                reference_count,
                reference_population,
                &group,
                &lv,
                kind,
            )
        }
        Command::Quantile {
            value,
            quantiles,
            no_invert,
            ..
        } => pcnkit_indicators::quantile_table(
            &batches,
            value,
            &group,
            *quantiles,
            pcnkit_indicators::QUANTILE_INVERT_DEFAULT && !no_invert,
        ),
        Command::Sii {
            quantile,
            population,
            value,
            se,
            lower,
            upper,
            value_type,
            repetitions,
            seed,
            ..
        } => {
            let errors = match (se, lower, upper) {
                (Some(s), _, _) => SiiErrors::Se(s),
                (None, Some(l), Some(u)) => SiiErrors::Limits(l, u),
                _ => {
                    return Err(CliError::Usage(
                        "sii needs --se, or --lower and --upper".to_owned(),
                    ));
                }
            };
            let vt: ValueType = value_type
                .parse()
                .map_err(|e| CliError::Usage(format!("--value-type: {e}")))?;
            let options = SiiOptions::new()
                .value_type(vt)
                .repetitions(*repetitions)
                .seed(*seed)
                .levels(lv.clone());
            pcnkit_indicators::sii_table(
                &batches, quantile, population, value, errors, &group, &options,
            )
        }
        Command::Funnel {
            numerator,
            denominator,
            ratio,
            limits,
            ..
        } => {
            let kind = if *ratio {
                FunnelKind::Ratio(RatioScale::Ratio)
            } else {
                FunnelKind::Proportion { multiplier: 100.0 }
            };
            let _ = RateKind::Crude;
            if *limits {
                pcnkit_indicators::funnel_limits_table(
                    &batches,
                    numerator,
                    Some(denominator),
                    None,
                    kind,
                )
            } else {
                pcnkit_indicators::funnel_significance_table(
                    &batches,
                    numerator,
                    Some(denominator),
                    None,
                    kind,
                )
            }
        }
        Command::LifeExpectancy {
            deaths,
            population,
            start_age,
            ..
        } => pcnkit_indicators::life_expectancy_table(
            &batches, deaths, population, start_age, &group, &lv,
        ),
    }
    .map_err(fail)?;
    spin.finish_and_clear();
    ctx.emit(&out)
}
