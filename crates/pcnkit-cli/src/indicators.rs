//! `pcnkit indicators`: any indicator method over a CSV or Parquet table.

use std::path::PathBuf;

use arrow_array::RecordBatch;

use pcnkit_indicators::funnel::{FunnelKind, RateKind};
use pcnkit_indicators::sii::{SiiOptions, ValueType};
use pcnkit_indicators::{
    Confidence, FunnelPointsSpec, FunnelSpec, Indirect, IsrSpec, LifeExpectancySpec, MeanSpec,
    Observed, OutputType, ProportionSpec, QuantileSpec, RateSpec, SiiErrors, SiiSpec, Standard,
};

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
    /// Confidence levels, comma-separated (e.g. 0.95,0.998 or 95,99.8), or `none` for no
    /// interval [default: 0.95, the library's].
    #[arg(long)]
    pub confidence: Option<String>,
    /// How much of the result: value, lower, upper, standard (no metadata) or full [default:
    /// full, the library's].
    #[arg(long = "type", value_name = "TYPE")]
    pub output: Option<String>,
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
        /// 1 for fractions (the default, as R), 100 for percentages.
        #[arg(long)]
        multiplier: Option<f64>,
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
        /// Per how many people (default 100,000, as R).
        #[arg(long)]
        multiplier: Option<f64>,
        /// Events per person, for events a person can have more than once: each row's count is
        /// the persons with this many events and the group's population repeats on each row;
        /// the limits are UKHSA's for non-independent events (a DSR of one stratum).
        #[arg(long)]
        frequency: Option<String>,
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
        /// A built-in standard population instead of ESP2013, by name: esp1976 or who2000 (matched on
        /// --age-band).
        #[arg(long, conflicts_with = "standard", requires = "age_band")]
        named_standard: Option<String>,
        /// Per how many people (default 100,000, as R).
        #[arg(long)]
        multiplier: Option<f64>,
        /// Refuse repeated age bands in a group instead of summing them (practices, sexes).
        #[arg(long)]
        no_sum: bool,
    },
    /// Indirectly standardised ratios (or rates with --multiplier).
    #[command(
        after_help = "Example:\n  pcnkit indicators isr --input deaths.csv --count deaths --population pop --reference-count eng_deaths --reference-population eng_pop --group-by la --ref-value 100"
    )]
    Isr {
        #[command(flatten)]
        common: Common,
        /// Observed count column (or give --totals and --total).
        #[arg(long)]
        count: Option<String>,
        /// A table of observed totals per group (events not broken down by age), joined on
        /// the --group-by columns.
        #[arg(long)]
        totals: Option<PathBuf>,
        /// The column of observed totals in --totals.
        #[arg(long)]
        total: Option<String>,
        /// Population column.
        #[arg(long)]
        population: String,
        /// Reference count column.
        #[arg(long)]
        reference_count: String,
        /// Reference population column.
        #[arg(long)]
        reference_population: String,
        /// Ratio scale (1, the default, or 100 for an SMR).
        #[arg(long)]
        ref_value: Option<f64>,
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
        /// Number of quantiles (default 10, as R).
        #[arg(long)]
        quantiles: Option<u32>,
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
        /// Event count column (rates and proportions; a proportion's missing value is
        /// count / population).
        #[arg(long)]
        count: Option<String>,
        /// normal, rate or proportion [default: normal, the library's].
        #[arg(long)]
        value_type: Option<String>,
        /// Fit on the log (rates) or logit (proportions) scale.
        #[arg(long)]
        transform: bool,
        /// Scales the SII (default 1); negative where a lower value is worse.
        #[arg(long, allow_hyphen_values = true)]
        multiplier: Option<f64>,
        /// Also report how much the simulated limits vary over 10 runs (columns *_mad).
        #[arg(long)]
        reliability: bool,
        /// Simulations (default the crate's: 100,000, as R).
        #[arg(long)]
        repetitions: Option<u32>,
        /// Simulation seed (default the crate's).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Funnel plot significance of each row (proportions; ratios with --ratio; rates with
    /// --rate).
    #[command(
        after_help = "Examples:\n  pcnkit indicators funnel --input screening.csv --numerator screened --denominator eligible\n  pcnkit indicators funnel --input dsrs.csv --numerator deaths --rate dsr --rate-type dsr --points --years 3"
    )]
    Funnel {
        #[command(flatten)]
        common: Common,
        /// Numerator (or observed count, or events) column.
        #[arg(long)]
        numerator: String,
        /// Denominator (or expected count) column; for rates, needed on rows of 0 events.
        #[arg(long)]
        denominator: Option<String>,
        /// The denominator is an expected count: a ratio funnel.
        #[arg(long)]
        ratio: bool,
        /// A rate column: a rate funnel.
        #[arg(long)]
        rate: Option<String>,
        /// crude or dsr: needed with --rate (as R's rate_type; the two have different limits).
        #[arg(long)]
        rate_type: Option<String>,
        /// Scale of the funnel: 100 (the default, as R) for percentages, or per how many
        /// people for rates.
        #[arg(long)]
        multiplier: Option<f64>,
        /// Print the 100-point limits instead of each row's significance.
        #[arg(long)]
        limits: bool,
        /// Print each row's point to chart (rate funnels): rate_chart, denominator_derived.
        #[arg(long)]
        points: bool,
        /// Years of data pooled in each rate (rate funnel points) [default: 1].
        #[arg(long)]
        years: Option<f64>,
        /// Widen the limits for overdispersion (Spiegelhalter): multiplicative or additive
        /// (proportions, ratios and crude rates with --denominator); adds z, z_adjusted, phi
        /// and tau2.
        #[arg(long)]
        overdispersion: Option<String>,
    },
    /// Small-number disclosure control of any table: counts suppressed and rounded by a
    /// published policy, secondary suppression within the totals it declares, percentages
    /// from the protected counts, a note per affected row.
    #[command(
        after_help = "Examples:\n  pcnkit indicators disclose --input counts.csv --policy nhs-england --counts count,population --margin pcn --percent percent=count/population\n  pcnkit indicators disclose --input dsr.csv --policy nhs-england --counts count --standardised value,lowercl,uppercl"
    )]
    Disclose(crate::disclose::Args),
    /// Each area against a comparator (England, the ICB, a parent row, a given value) by
    /// interval overlap or quintiles, with polarity: Better/Similar/Worse or
    /// Higher/Similar/Lower and Fingertips' colours.
    #[command(
        after_help = "Example:\n  pcnkit indicators benchmark --input dsr.csv --comparator-row area=England --polarity low-is-good --group-by indicator"
    )]
    Benchmark(crate::benchmark::Args),
    /// XmR charts of series (Making Data Count): limits, the special cause rules, variation by
    /// improvement direction and assurance against a target, one chart per group.
    #[command(
        after_help = "Example:\n  pcnkit indicators spc --input appointments.csv --value appointments --period month --group-by pcn --direction increase --summary"
    )]
    Spc(crate::spc::Args),
    /// Recent trends as Fingertips marks them: over the last five years of each series,
    /// increasing, decreasing, no significant change or cannot be calculated (and getting
    /// better or worse with a polarity).
    #[command(
        after_help = "Examples:\n  pcnkit indicators trend --input years.csv --year year --numerator count --denominator population --group-by area --polarity high-is-good\n  pcnkit indicators trend --input dsr.csv --year year --value value --lower lowercl --upper uppercl --group-by area"
    )]
    Trend(crate::trend::Args),
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
        /// Only these start ages, comma-separated (e.g. 0,65); default every age.
        #[arg(long, value_delimiter = ',')]
        ages: Vec<u32>,
        /// The open top band starts at this age: 90 (default, as R) or 85, 80, … for data
        /// published with an earlier open band.
        #[arg(long)]
        top_age: Option<u32>,
    },
}

fn levels(c: &str) -> Result<Vec<Confidence>, CliError> {
    Confidence::parse_levels(c).map_err(|e| CliError::Usage(format!("--confidence: {e}")))
}

/// The column a built-in standard population is attached as.
const NAMED_STANDARD: &str = "__pcnkit_standard";

/// Runs `pcnkit indicators …`.
pub fn run(ctx: &Context, command: Command) -> Result<(), CliError> {
    let common = match &command {
        Command::Disclose(args) => return crate::disclose::run(ctx, args),
        Command::Benchmark(args) => return crate::benchmark::run(ctx, args),
        Command::Spc(args) => return crate::spc::run(ctx, args),
        Command::Trend(args) => return crate::trend::run(ctx, args),
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
    let lv = match &common.confidence {
        Some(c) => levels(c)?,
        None => vec![pcnkit_indicators::CONFIDENCE_DEFAULT],
    };
    let output: OutputType = match &common.output {
        Some(t) => t
            .parse()
            .map_err(|e| CliError::Usage(format!("--type: {e}")))?,
        None => OutputType::default(),
    };
    let group: Vec<&str> = common.group_by.iter().map(String::as_str).collect();
    let fail = |e: pcnkit_indicators::IndicatorError| CliError::Data(format!("{file}: {e}"));
    let out = match &command {
        Command::Proportion {
            numerator,
            denominator,
            multiplier,
            ..
        } => {
            let mut spec = ProportionSpec::new(numerator, denominator)
                .group_by(&group)
                .levels(lv.clone());
            if let Some(m) = multiplier {
                spec = spec.multiplier(*m);
            }
            spec.run(&batches)
        }
        Command::Rate {
            count,
            denominator,
            multiplier,
            frequency,
            ..
        } => {
            let mut spec = RateSpec::new(count, denominator)
                .group_by(&group)
                .levels(lv.clone())
                .frequency(frequency.as_deref());
            if let Some(m) = multiplier {
                spec = spec.multiplier(*m);
            }
            spec.run(&batches)
        }
        Command::Mean { value, .. } => MeanSpec::new(value)
            .group_by(&group)
            .levels(lv.clone())
            .run(&batches),
        Command::Dsr {
            count,
            population,
            age_band,
            standard,
            named_standard,
            multiplier,
            no_sum,
            ..
        } => {
            let named;
            let input = match (named_standard, age_band) {
                (Some(n), Some(a)) => {
                    let standard = pcnkit_indicators::standards::StandardPopulation::named(n)
                        .map_err(|e| CliError::Usage(format!("--named-standard: {e}")))?;
                    named = batches
                        .iter()
                        .map(|b| standard.attach(b, a, NAMED_STANDARD))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(fail)?;
                    &named[..]
                }
                _ => &batches[..],
            };
            let std = match (age_band, standard, named_standard) {
                (_, _, Some(_)) => Standard::Column(NAMED_STANDARD),
                (_, Some(s), None) => Standard::Column(s),
                (Some(a), None, None) => Standard::Esp2013 { age_band: a },
                (None, None, None) => {
                    return Err(CliError::Usage(
                        "dsr needs --age-band (for ESP2013) or --standard".to_owned(),
                    ));
                }
            };
            let mut spec = pcnkit_indicators::DsrSpec::new(count, population, std)
                .group_by(&group)
                .levels(lv.clone());
            if let Some(m) = multiplier {
                spec = spec.multiplier(*m);
            }
            if *no_sum {
                spec = spec.repeated_bands(pcnkit_indicators::RepeatedBands::Refuse);
            }
            spec.run(input)
        }
        Command::Isr {
            count,
            totals,
            total,
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
                    ref_value: ref_value.unwrap_or(pcnkit_indicators::ISR_REF_VALUE_DEFAULT),
                },
            };
            let table = match totals {
                Some(path) => input::read_table(path)?,
                None => Vec::new(),
            };
            let observed = match (count, totals, total) {
                (Some(c), None, None) => Observed::Counts(c),
                (None, Some(_), Some(t)) => Observed::Totals {
                    table: &table,
                    column: t,
                },
                _ => {
                    return Err(CliError::Usage(
                        "isr needs --count, or --totals and --total".to_owned(),
                    ));
                }
            };
            IsrSpec::new(observed, population, reference_count, reference_population)
                .group_by(&group)
                .levels(lv.clone())
                .kind(kind)
                .run(&batches)
        }
        Command::Quantile {
            value,
            quantiles,
            no_invert,
            ..
        } => {
            let mut spec = QuantileSpec::new(value).group_by(&group);
            if let Some(n) = quantiles {
                spec = spec.nquantiles(*n);
            }
            if *no_invert {
                spec = spec.invert(false);
            }
            spec.run(&batches)
        }
        Command::Sii {
            quantile,
            population,
            value,
            se,
            lower,
            upper,
            count,
            value_type,
            transform,
            multiplier,
            reliability,
            repetitions,
            seed,
            ..
        } => {
            let errors = match (se, lower, upper, count) {
                (Some(s), None, None, None) => SiiErrors::Se(s),
                (None, Some(l), Some(u), None) => SiiErrors::Limits(l, u),
                (None, None, None, Some(c)) => SiiErrors::Counts(c),
                _ => {
                    return Err(CliError::Usage(
                        "sii needs one of --se, --lower with --upper, or --count".to_owned(),
                    ));
                }
            };
            let defaults = SiiOptions::default();
            let vt: ValueType = match value_type {
                Some(v) => v
                    .parse()
                    .map_err(|e| CliError::Usage(format!("--value-type: {e}")))?,
                None => defaults.value_type,
            };
            let options = SiiOptions::new()
                .value_type(vt)
                .transform(*transform)
                .multiplier(multiplier.unwrap_or(defaults.multiplier))
                .reliability(*reliability)
                .repetitions(repetitions.unwrap_or(defaults.repetitions))
                .seed(seed.unwrap_or(defaults.seed))
                .levels(lv.clone());
            SiiSpec::new(quantile, population, value, errors)
                .group_by(&group)
                .options(options)
                .run(&batches)
        }
        Command::Funnel {
            numerator,
            denominator,
            ratio,
            rate,
            rate_type,
            multiplier,
            limits,
            points,
            years,
            overdispersion,
            ..
        } => {
            let rate_kind: Option<RateKind> = rate_type
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|e| CliError::Usage(format!("--rate-type: {e}")))?;
            let scale = multiplier.unwrap_or(pcnkit_indicators::FUNNEL_MULTIPLIER_DEFAULT);
            let statistic = match (rate, ratio) {
                (Some(_), false) => "rate",
                (None, true) => "ratio",
                (None, false) => "proportion",
                (Some(_), true) => {
                    return Err(CliError::Usage(
                        "give --ratio or --rate, not both".to_owned(),
                    ));
                }
            };
            let kind = FunnelKind::from_words(
                statistic,
                scale,
                pcnkit_indicators::funnel::RATIO_TYPE_DEFAULT,
                rate_kind,
            )
            .map_err(|e| CliError::Usage(format!("--rate-type: {e}")))?;
            match (rate, *points, *limits) {
                (_, true, true) => {
                    return Err(CliError::Usage(
                        "give --points or --limits, not both".to_owned(),
                    ));
                }
                (Some(r), true, false) => {
                    let Some(rate_kind) = rate_kind else {
                        return Err(CliError::Usage(
                            "--points needs --rate-type crude or dsr".to_owned(),
                        ));
                    };
                    FunnelPointsSpec::new(numerator, r, rate_kind)
                        .denominator(denominator.as_deref())
                        .multiplier(scale)
                        .years_of_data(
                            years.unwrap_or(pcnkit_indicators::funnel::YEARS_OF_DATA_DEFAULT),
                        )
                        .run(&batches)
                }
                (None, true, false) => {
                    return Err(CliError::Usage(
                        "--points is for rate funnels: give --rate".to_owned(),
                    ));
                }
                (_, false, as_limits) if overdispersion.is_some() => {
                    let adjustment: pcnkit_indicators::overdispersion::Adjustment = overdispersion
                        .as_deref()
                        .unwrap_or_default()
                        .parse()
                        .map_err(|e: pcnkit_indicators::IndicatorError| {
                            CliError::Usage(format!("--overdispersion: {e}"))
                        })?;
                    let Some(den) = denominator.as_deref() else {
                        return Err(CliError::Usage(
                            "--overdispersion needs --denominator (or the expected counts)"
                                .to_owned(),
                        ));
                    };
                    let spec = pcnkit_indicators::overdispersion::OverdispersionSpec::new(
                        numerator, den, kind, adjustment,
                    );
                    if as_limits {
                        spec.limits(&batches)
                    } else {
                        spec.significance(&batches)
                    }
                }
                (_, false, true) => FunnelSpec::new(numerator, denominator.as_deref(), kind)
                    .rate(rate.as_deref())
                    .limits(&batches),
                (_, false, false) => FunnelSpec::new(numerator, denominator.as_deref(), kind)
                    .rate(rate.as_deref())
                    .significance(&batches),
            }
        }
        // Returned above; kept whole so the match needs no panic.
        Command::Disclose(args) => return crate::disclose::run(ctx, args),
        Command::Benchmark(args) => return crate::benchmark::run(ctx, args),
        Command::Spc(args) => return crate::spc::run(ctx, args),
        Command::Trend(args) => return crate::trend::run(ctx, args),
        Command::LifeExpectancy {
            deaths,
            population,
            start_age,
            ages,
            top_age,
            ..
        } => {
            let mut spec = LifeExpectancySpec::new(deaths, population, start_age)
                .group_by(&group)
                .levels(lv.clone())
                .ages((!ages.is_empty()).then(|| ages.clone()));
            if let Some(t) = top_age {
                spec = spec.top_age(*t);
            }
            spec.run(&batches)
        }
    }
    .map_err(fail)?;
    spin.finish_and_clear();
    // Rows without a value are in the output with their reason; say so on stderr too (as R
    // warns, and whatever --quiet, which silences progress only), so a null is not missed.
    if let Some(line) = rows_without_value(&out) {
        eprintln!("warning: {file}: {line}");
    }
    let out = pcnkit_indicators::select_output(&out, output).map_err(fail)?;
    ctx.emit(&out)
}

/// How many rows of a result have no value but a note, and the first note.
fn rows_without_value(out: &RecordBatch) -> Option<String> {
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    let value = out
        .column_by_name("value")
        .or_else(|| out.column_by_name("sii"))?;
    let note = out.column_by_name("note")?.as_string_opt::<i32>()?;
    let rows: Vec<usize> = (0..out.num_rows())
        .filter(|&r| value.is_null(r) && note.is_valid(r))
        .collect();
    let first = *rows.first()?;
    Some(format!(
        "{} of {} rows have no value; the note column says why (first, row {}: {})",
        rows.len(),
        out.num_rows(),
        first + 1,
        note.value(first)
    ))
}
