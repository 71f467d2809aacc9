//! Every method as one owned, serialisable request: the form in which front ends that speak
//! in names and values (the HTTP API's JSON, R's argument lists) ask for a method.
//!
//! A request names its columns and options as the [`spec`](crate::spec) builders do, with
//! the same defaults (absent means "the crate's default", never 0), is checked as a whole
//! (an unknown field is an error, not ignored: a misspelt `multiplyer` must not silently give
//! the default), and runs over Arrow batches. The front ends convert and render; what a word
//! means (`"isr"`, `"nhs-england"`, `"lower"`) is parsed here, by the types that own it.
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{Int64Array, RecordBatch};
//! use pcnkit_indicators::request::IndicatorRequest;
//! let batch = RecordBatch::try_from_iter([
//!     ("x", Arc::new(Int64Array::from(vec![65])) as _),
//!     ("n", Arc::new(Int64Array::from(vec![100])) as _),
//! ])?;
//! let request: IndicatorRequest = serde_json::from_str(
//!     r#"{"method": "proportion", "numerator": "x", "denominator": "n", "confidence": [0.95, 0.998]}"#,
//! )?;
//! let out = request.run(&[batch], None)?;
//! assert!(out.column_by_name("lower99_8cl").is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use arrow_array::RecordBatch;
use serde::{Deserialize, Serialize};

use crate::benchmark::{BenchmarkSpec, Comparator, Polarity};
use crate::disclosure::{Derived, DisclosureSpec, Policy, TotalRows};
use crate::error::IndicatorError;
use crate::funnel::{FunnelKind, RateKind, RatioScale};
use crate::sii::{SiiOptions, ValueType};
use crate::spc::{Direction, Missing, SpcOptions};
use crate::spc_table::SpcSpec;
use crate::trend::{TrendSpec, TrendValues};
use crate::{
    Confidence, DsrSpec, FunnelPointsSpec, FunnelSpec, Indirect, IsrSpec, LifeExpectancySpec,
    MeanSpec, Observed, OutputType, ProportionSpec, QuantileSpec, RateSpec, SiiErrors, SiiSpec,
    Standard,
};

/// One method with its columns and options. The `method` field names it (`proportion`,
/// `rate`, `mean`, `dsr`, `isr`, `quantiles`, `sii`, `funnel_limits`, `funnel_significance`,
/// `funnel_points`, `life_expectancy`, `disclose`, `benchmark`, `trend`, `spc`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
#[non_exhaustive]
pub enum IndicatorRequest {
    /// Proportions with Wilson score limits.
    Proportion(PairRequest),
    /// Crude rates: exact Poisson below 10 events, Byar's from 10.
    Rate(RateRequest),
    /// Means with Student's t limits.
    Mean(MeanRequest),
    /// Directly standardised rates (Dobson limits).
    Dsr(DsrRequest),
    /// Indirectly standardised ratios or rates.
    Isr(IsrRequest),
    /// OHID deprivation quantiles.
    Quantiles(QuantilesRequest),
    /// Slope and relative index of inequality.
    Sii(SiiRequest),
    /// Funnel plot control limits.
    FunnelLimits(FunnelRequest),
    /// Each row's significance against the funnel.
    FunnelSignificance(FunnelRequest),
    /// Each row's point on a rate funnel.
    FunnelPoints(FunnelPointsRequest),
    /// Life expectancy (Chiang II).
    LifeExpectancy(LifeExpectancyRequest),
    /// Small-number disclosure control.
    Disclose(DiscloseRequest),
    /// Benchmarking against a comparator, or quintiles.
    Benchmark(BenchmarkRequest),
    /// Fingertips recent trends.
    Trend(TrendRequest),
    /// XmR (SPC) charts.
    Spc(SpcRequest),
}

/// The names of the methods, as the `method` field takes them.
pub const METHODS: [&str; 15] = [
    "proportion",
    "rate",
    "mean",
    "dsr",
    "isr",
    "quantiles",
    "sii",
    "funnel_limits",
    "funnel_significance",
    "funnel_points",
    "life_expectancy",
    "disclose",
    "benchmark",
    "trend",
    "spc",
];

/// Why a request could not be answered: an option that cannot be used (a front end's argument
/// error: 400 over HTTP, `InvalidArgument` in Python, `pcnkit_argument_error` in R), or the
/// method's own error over the data.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// An option that cannot be used: a word the method does not know, options that do not
    /// go together, a confidence level out of range.
    #[error("{0}")]
    Argument(IndicatorError),
    /// The method's error over the data (a missing column, data no group can use).
    #[error(transparent)]
    Method(#[from] IndicatorError),
}

fn argument(text: impl Into<String>) -> RequestError {
    RequestError::Argument(IndicatorError::Invalid(text.into()))
}

fn word<T>(field: &str, text: &str) -> Result<T, RequestError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e: T::Err| argument(format!("{field}: {e}")))
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Absent: the crate's default level (95%); an empty list: no interval.
fn levels(confidence: Option<&[f64]>) -> Result<Vec<Confidence>, RequestError> {
    match confidence {
        None => Ok(vec![crate::CONFIDENCE_DEFAULT]),
        Some(values) => Confidence::levels(values).map_err(RequestError::Argument),
    }
}

/// R's `type`, applied after the method (absent: `full`).
fn shaped(out: RecordBatch, output_type: Option<&str>) -> Result<RecordBatch, RequestError> {
    let output: OutputType = match output_type {
        Some(t) => word("type", t)?,
        None => OutputType::default(),
    };
    Ok(crate::select_output(&out, output)?)
}

/// A proportion: numerator and denominator columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PairRequest {
    /// The numerator column.
    numerator: String,
    /// The denominator column.
    denominator: String,
    /// Group by these columns (none: one value per row).
    #[serde(default)]
    group_by: Vec<String>,
    /// Confidence levels (absent: 0.95; an empty list: no interval).
    confidence: Option<Vec<f64>>,
    /// The multiplier (absent: 1, a proportion; 100 for a percentage).
    multiplier: Option<f64>,
    /// R's `type`: `full` (absent), `standard`, `value`, `lower` or `upper`.
    #[serde(rename = "type")]
    output_type: Option<String>,
}

/// A crude rate: count and denominator columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateRequest {
    /// The count column.
    numerator: String,
    /// The denominator (population) column.
    denominator: String,
    /// Group by these columns (none: one value per row).
    #[serde(default)]
    group_by: Vec<String>,
    /// Confidence levels (absent: 0.95; an empty list: no interval).
    confidence: Option<Vec<f64>>,
    /// The multiplier (absent: per 100,000).
    multiplier: Option<f64>,
    /// For events a person can have more than once: the column of events per person.
    frequency: Option<String>,
    /// R's `type`: `full` (absent), `standard`, `value`, `lower` or `upper`.
    #[serde(rename = "type")]
    output_type: Option<String>,
}

/// A mean: the value column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeanRequest {
    /// The value column.
    value: String,
    /// Group by these columns (none: one group).
    #[serde(default)]
    group_by: Vec<String>,
    /// Confidence levels (absent: 0.95; an empty list: no interval).
    confidence: Option<Vec<f64>>,
    /// R's `type`: `full` (absent), `standard`, `value`, `lower` or `upper`.
    #[serde(rename = "type")]
    output_type: Option<String>,
}

/// A directly standardised rate: counts and populations by age band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DsrRequest {
    /// The count column.
    count: String,
    /// The population column.
    denominator: String,
    /// The age-band column: ESP2013 (or `standard`) matched on its labels.
    age_band: Option<String>,
    /// A column holding the standard population of each row, instead of a built-in one.
    standard_population: Option<String>,
    /// A built-in standard other than ESP2013: `esp1976` or `who2000` (needs `age_band`).
    standard: Option<String>,
    /// Group by these columns (none: one group).
    #[serde(default)]
    group_by: Vec<String>,
    /// Confidence levels (absent: 0.95; an empty list: no interval).
    confidence: Option<Vec<f64>>,
    /// The multiplier (absent: per 100,000).
    multiplier: Option<f64>,
    /// For events a person can have more than once: the column of events per person.
    frequency: Option<String>,
    /// What several rows of one band in a group do: `sum` (absent) or `refuse`.
    repeated_bands: Option<String>,
    /// R's `type`: `full` (absent), `standard`, `value`, `lower` or `upper`.
    #[serde(rename = "type")]
    output_type: Option<String>,
}

/// An indirectly standardised ratio (or rate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IsrRequest {
    /// The observed count column (of the rows, or of the totals table when one is given).
    count: String,
    /// The population column.
    denominator: String,
    /// The reference count column.
    reference_count: String,
    /// The reference population column.
    reference_denominator: String,
    /// Group by these columns.
    #[serde(default)]
    group_by: Vec<String>,
    /// Confidence levels (absent: 0.95; an empty list: no interval).
    confidence: Option<Vec<f64>>,
    /// A rate (true) rather than a ratio (false, absent).
    #[serde(default)]
    rate: bool,
    /// A rate per this many (absent: 100,000), or a ratio times this (absent: 1).
    scale: Option<f64>,
    /// R's `type`: `full` (absent), `standard`, `value`, `lower` or `upper`.
    #[serde(rename = "type")]
    output_type: Option<String>,
}

/// Quantiles of a value within groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantilesRequest {
    /// The value column (e.g. an IMD score).
    value: String,
    /// Quantiles within these groups.
    #[serde(default)]
    group_by: Vec<String>,
    /// How many quantiles (absent: 10).
    nquantiles: Option<u32>,
    /// Highest values in quantile 1 (absent: true, as the OHID method for IMD scores).
    invert: Option<bool>,
}

/// The slope and relative index of inequality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiiRequest {
    /// The quantile column.
    quantile: String,
    /// The population column.
    population: String,
    /// The value column.
    value: String,
    /// The standard error column (or give `lower` and `upper`, or `count`).
    se: Option<String>,
    /// The lower 95% limit column.
    lower: Option<String>,
    /// The upper 95% limit column.
    upper: Option<String>,
    /// The count column (standard errors from counts).
    count: Option<String>,
    /// Group by these columns.
    #[serde(default)]
    group_by: Vec<String>,
    /// Confidence levels (absent: 0.95; an empty list: no interval).
    confidence: Option<Vec<f64>>,
    /// `normal` (absent), `rate` or `proportion`.
    value_type: Option<String>,
    /// Transform rates and proportions before the regression.
    #[serde(default)]
    transform: bool,
    /// The multiplier of the values (absent: 1).
    multiplier: Option<f64>,
    /// Monte Carlo repetitions (absent: 100,000; at least 1,000).
    #[schemars(range(min = 1000, max = 10_000_000))]
    repetitions: Option<u32>,
    /// The seed of the simulation (absent: 2026).
    seed: Option<u64>,
    /// Report R's reliability statistic.
    #[serde(default)]
    reliability: bool,
    /// R's `type`: `full` (absent), `standard`, `value`, `lower` or `upper`.
    #[serde(rename = "type")]
    output_type: Option<String>,
}

/// A funnel plot: control limits or each row's significance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunnelRequest {
    /// The numerator (or observed count) column.
    numerator: String,
    /// The denominator (or expected count) column.
    denominator: Option<String>,
    /// The rate column (rate funnels).
    rate: Option<String>,
    /// `proportion`, `ratio` or `rate`.
    statistic: String,
    /// The multiplier (absent: 100).
    multiplier: Option<f64>,
    /// Ratio funnels: `count` (absent) or `isr`.
    ratio_type: Option<String>,
    /// Rate funnels: `dsr` or `crude`.
    rate_type: Option<String>,
    /// Limits widened for overdispersion (Spiegelhalter): `multiplicative` or `additive`.
    overdispersion: Option<String>,
}

/// Each row's point on a rate funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunnelPointsRequest {
    /// The count column.
    numerator: String,
    /// The denominator column (absent: derived from the rate).
    denominator: Option<String>,
    /// The rate column.
    rate: String,
    /// `dsr` or `crude` (required: no front end picks one for the user).
    rate_type: Option<String>,
    /// The multiplier (absent: 100).
    multiplier: Option<f64>,
    /// Years of data (absent: 1).
    years_of_data: Option<f64>,
}

/// Life expectancy from deaths and populations by the 20 standard age bands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LifeExpectancyRequest {
    /// The deaths column.
    deaths: String,
    /// The population column.
    population: String,
    /// The column of each band's start age (0, 1, 5, …, 90).
    start_age: String,
    /// Group by these columns.
    #[serde(default)]
    group_by: Vec<String>,
    /// Confidence levels (absent: 0.95; an empty list: no interval).
    confidence: Option<Vec<f64>>,
    /// Only at these start ages (absent: every one).
    ages: Option<Vec<u32>>,
    /// The start age of the open top band (absent: 90).
    top_age: Option<u32>,
    /// R's `type`: `full` (absent), `standard`, `value`, `lower` or `upper`.
    #[serde(rename = "type")]
    output_type: Option<String>,
}

/// A percentage recomputed from the protected counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PercentageRequest {
    /// The output column.
    column: String,
    /// The numerator count column.
    numerator: String,
    /// The denominator count column.
    denominator: String,
    /// 100 for a percentage (absent: 100).
    multiplier: Option<f64>,
}

/// Total rows of a category (e.g. `sex` = `Persons`), protected with their parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TotalRowsRequest {
    /// The category column.
    category: String,
    /// The label of its total rows.
    label: String,
    /// The columns that identify a set of parts and their total.
    #[serde(default)]
    within: Vec<String>,
}

/// The national row, exempt where the policy says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NationalRequest {
    /// The column naming it.
    column: String,
    /// Its value there (e.g. `England`).
    value: String,
}

/// Disclosure control of a table of counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiscloseRequest {
    /// `nhs-england`, `opensafely` or `custom:MIN-MAX:BASE`.
    policy: String,
    /// The count columns.
    counts: Vec<String>,
    /// Margins: sets of key columns whose rows sum to a total (secondary suppression).
    #[serde(default)]
    margins: Vec<Vec<String>>,
    /// Total rows of a category.
    total_rows: Option<TotalRowsRequest>,
    /// The national row.
    national: Option<NationalRequest>,
    /// Percentages recomputed from the protected counts.
    #[serde(default)]
    percentages: Vec<PercentageRequest>,
    /// Standardised rates and limits (released where the policy exempts them).
    #[serde(default)]
    standardised: Vec<String>,
    /// Other columns computed from the counts (suppressed with them).
    #[serde(default)]
    derived: Vec<String>,
}

/// What each area is compared with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ComparatorRequest {
    /// A given value, with its interval when both limits are given.
    Value {
        /// The value.
        value: f64,
        /// Its lower limit.
        lower: Option<f64>,
        /// Its upper limit.
        upper: Option<f64>,
    },
    /// The row of each group whose `column` is `value` (e.g. `area` = `England`).
    Row {
        /// The column naming the comparator row.
        column: String,
        /// Its value in that column.
        value: String,
        /// Compare with the row's interval too.
        #[serde(default)]
        with_interval: bool,
    },
    /// Each row's own comparator in columns.
    Columns {
        /// The comparator's value column.
        value: String,
        /// Its lower limit column (interval against interval, with `upper`).
        lower: Option<String>,
        /// Its upper limit column.
        upper: Option<String>,
    },
}

/// Benchmarking a table of values with their limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BenchmarkRequest {
    /// The value column.
    value: String,
    /// The lower limit column.
    lower: String,
    /// The upper limit column.
    upper: String,
    /// `high-is-good`, `low-is-good` or `no-judgement`.
    polarity: String,
    /// The comparator (not needed with `quintiles`).
    comparator: Option<ComparatorRequest>,
    /// Quintiles of the value within each group instead of a comparison.
    #[serde(default)]
    quintiles: bool,
    /// Group by these columns.
    #[serde(default)]
    group_by: Vec<String>,
}

/// Fingertips recent trends, over the five most recent years of each group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrendRequest {
    /// The year column.
    year: String,
    /// A proportion's numerator column (with `denominator`).
    numerator: Option<String>,
    /// A proportion's denominator column.
    denominator: Option<String>,
    /// Any other value's column (with `lower` and `upper`).
    value: Option<String>,
    /// Its lower limit column.
    lower: Option<String>,
    /// Its upper limit column.
    upper: Option<String>,
    /// The level of those limits (absent: 0.95).
    confidence: Option<f64>,
    /// `high-is-good`, `low-is-good` or `no-judgement` (absent).
    polarity: Option<String>,
    /// Group by these columns.
    #[serde(default)]
    group_by: Vec<String>,
}

/// XmR charts, one per group, points in period order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpcRequest {
    /// The value column.
    value: String,
    /// The period column.
    period: String,
    /// One chart per group of these columns.
    #[serde(default)]
    group_by: Vec<String>,
    /// `increase` or `decrease` is an improvement (absent: `neutral`).
    direction: Option<String>,
    /// A target value.
    target: Option<f64>,
    /// Points in a shift (absent: 7).
    run: Option<usize>,
    /// Points in a trend (absent: 7).
    trend: Option<usize>,
    /// Periods at which the limits are recalculated.
    #[serde(default)]
    rebase: Vec<String>,
    /// Limits from the first this many points.
    baseline: Option<usize>,
    /// A missing value is an error, not a gap.
    #[serde(default)]
    refuse_missing: bool,
    /// One row per chart instead of the points.
    #[serde(default)]
    summary: bool,
}

impl IndicatorRequest {
    /// The method's name, as the `method` field gives it.
    pub fn name(&self) -> &'static str {
        match self {
            IndicatorRequest::Proportion(_) => "proportion",
            IndicatorRequest::Rate(_) => "rate",
            IndicatorRequest::Mean(_) => "mean",
            IndicatorRequest::Dsr(_) => "dsr",
            IndicatorRequest::Isr(_) => "isr",
            IndicatorRequest::Quantiles(_) => "quantiles",
            IndicatorRequest::Sii(_) => "sii",
            IndicatorRequest::FunnelLimits(_) => "funnel_limits",
            IndicatorRequest::FunnelSignificance(_) => "funnel_significance",
            IndicatorRequest::FunnelPoints(_) => "funnel_points",
            IndicatorRequest::LifeExpectancy(_) => "life_expectancy",
            IndicatorRequest::Disclose(_) => "disclose",
            IndicatorRequest::Benchmark(_) => "benchmark",
            IndicatorRequest::Trend(_) => "trend",
            IndicatorRequest::Spc(_) => "spc",
        }
    }

    /// Runs the method over `data`. `totals` is the ISR's table of observed totals per group
    /// (R's `obs_df`); any other method given one is an error (it would be ignored).
    pub fn run(
        &self,
        data: &[RecordBatch],
        totals: Option<&[RecordBatch]>,
    ) -> Result<RecordBatch, RequestError> {
        if totals.is_some() && !matches!(self, IndicatorRequest::Isr(_)) {
            return Err(argument(format!(
                "a table of totals is only taken by isr, not {}",
                self.name()
            )));
        }
        match self {
            IndicatorRequest::Proportion(r) => r.run(data),
            IndicatorRequest::Rate(r) => r.run(data),
            IndicatorRequest::Mean(r) => r.run(data),
            IndicatorRequest::Dsr(r) => r.run(data),
            IndicatorRequest::Isr(r) => r.run(data, totals),
            IndicatorRequest::Quantiles(r) => r.run(data),
            IndicatorRequest::Sii(r) => r.run(data),
            IndicatorRequest::FunnelLimits(r) => r.run(data, false),
            IndicatorRequest::FunnelSignificance(r) => r.run(data, true),
            IndicatorRequest::FunnelPoints(r) => r.run(data),
            IndicatorRequest::LifeExpectancy(r) => r.run(data),
            IndicatorRequest::Disclose(r) => r.run(data),
            IndicatorRequest::Benchmark(r) => r.run(data),
            IndicatorRequest::Trend(r) => r.run(data),
            IndicatorRequest::Spc(r) => r.run(data),
        }
    }
}

impl PairRequest {
    fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        let group = strs(&self.group_by);
        let mut spec = ProportionSpec::new(&self.numerator, &self.denominator)
            .group_by(&group)
            .levels(levels(self.confidence.as_deref())?);
        if let Some(m) = self.multiplier {
            spec = spec.multiplier(m);
        }
        shaped(spec.run(data)?, self.output_type.as_deref())
    }
}

impl RateRequest {
    fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        let group = strs(&self.group_by);
        let mut spec = RateSpec::new(&self.numerator, &self.denominator)
            .group_by(&group)
            .levels(levels(self.confidence.as_deref())?)
            .frequency(self.frequency.as_deref());
        if let Some(m) = self.multiplier {
            spec = spec.multiplier(m);
        }
        shaped(spec.run(data)?, self.output_type.as_deref())
    }
}

impl MeanRequest {
    fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        let group = strs(&self.group_by);
        let out = MeanSpec::new(&self.value)
            .group_by(&group)
            .levels(levels(self.confidence.as_deref())?)
            .run(data)?;
        shaped(out, self.output_type.as_deref())
    }
}

impl DsrRequest {
    fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        // A named built-in standard is attached as a weight column, then used as one.
        const ATTACHED: &str = "__pcnkit_standard_population";
        let attached;
        let (data, weight) = match (&self.standard, &self.standard_population) {
            (Some(_), Some(_)) => {
                return Err(argument(
                    "give standard (a built-in name) or standard_population (a column), not both",
                ));
            }
            (Some(name), None) if name.trim().eq_ignore_ascii_case("esp2013") => (data, None),
            (Some(name), None) => {
                let band = self.age_band.as_deref().ok_or_else(|| {
                    argument(format!(
                        "standard {name:?} is matched on age-band labels: give age_band"
                    ))
                })?;
                let standard = crate::standards::StandardPopulation::named(name)
                    .map_err(RequestError::Argument)?;
                attached = data
                    .iter()
                    .map(|b| standard.attach(b, band, ATTACHED))
                    .collect::<Result<Vec<_>, _>>()?;
                (attached.as_slice(), Some(ATTACHED))
            }
            (None, column) => (data, column.as_deref()),
        };
        let standard = match (weight, &self.age_band) {
            (Some(w), Some(a)) if self.frequency.is_some() => Standard::ColumnWithBands {
                weight: w,
                age_band: a,
            },
            (Some(w), _) => Standard::Column(w),
            (None, Some(a)) => Standard::Esp2013 { age_band: a },
            (None, None) => {
                return Err(argument(
                    "give age_band (ESP2013 matched on its labels) or standard_population",
                ));
            }
        };
        let group = strs(&self.group_by);
        let mut spec = DsrSpec::new(&self.count, &self.denominator, standard)
            .group_by(&group)
            .levels(levels(self.confidence.as_deref())?)
            .frequency(self.frequency.as_deref());
        if let Some(m) = self.multiplier {
            spec = spec.multiplier(m);
        }
        if let Some(r) = &self.repeated_bands {
            spec = spec.repeated_bands(word("repeated_bands", r)?);
        }
        shaped(spec.run(data)?, self.output_type.as_deref())
    }
}

impl IsrRequest {
    fn run(
        &self,
        data: &[RecordBatch],
        totals: Option<&[RecordBatch]>,
    ) -> Result<RecordBatch, RequestError> {
        let kind = if self.rate {
            Indirect::Rate {
                multiplier: self.scale.unwrap_or(crate::RATE_MULTIPLIER_DEFAULT),
            }
        } else {
            Indirect::Ratio {
                ref_value: self.scale.unwrap_or(crate::ISR_REF_VALUE_DEFAULT),
            }
        };
        let observed = match totals {
            Some(table) => Observed::Totals {
                table,
                column: &self.count,
            },
            None => Observed::Counts(&self.count),
        };
        let group = strs(&self.group_by);
        let out = IsrSpec::new(
            observed,
            &self.denominator,
            &self.reference_count,
            &self.reference_denominator,
        )
        .group_by(&group)
        .levels(levels(self.confidence.as_deref())?)
        .kind(kind)
        .run(data)?;
        shaped(out, self.output_type.as_deref())
    }
}

impl QuantilesRequest {
    fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        let group = strs(&self.group_by);
        let mut spec = QuantileSpec::new(&self.value).group_by(&group);
        if let Some(n) = self.nquantiles {
            spec = spec.nquantiles(n);
        }
        if let Some(i) = self.invert {
            spec = spec.invert(i);
        }
        spec.run(data).map_err(RequestError::from)
    }
}

impl SiiRequest {
    fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        let errors = match (&self.se, &self.lower, &self.upper, &self.count) {
            (Some(s), None, None, None) => SiiErrors::Se(s),
            (None, Some(l), Some(u), None) => SiiErrors::Limits(l, u),
            (None, None, None, Some(c)) => SiiErrors::Counts(c),
            _ => {
                return Err(argument(
                    "give one of se, lower and upper (95% limits), or count",
                ));
            }
        };
        let defaults = SiiOptions::default();
        let value_type: ValueType = match &self.value_type {
            Some(v) => word("value_type", v)?,
            None => defaults.value_type,
        };
        let options = SiiOptions::new()
            .value_type(value_type)
            .transform(self.transform)
            .multiplier(self.multiplier.unwrap_or(defaults.multiplier))
            .reliability(self.reliability)
            .repetitions(self.repetitions.unwrap_or(defaults.repetitions))
            .seed(self.seed.unwrap_or(defaults.seed))
            .levels(levels(self.confidence.as_deref())?);
        let group = strs(&self.group_by);
        let out = SiiSpec::new(&self.quantile, &self.population, &self.value, errors)
            .group_by(&group)
            .options(options)
            .run(data)?;
        shaped(out, self.output_type.as_deref())
    }
}

/// A funnel from R's words, parsed by the types that own them.
pub fn funnel_kind(
    statistic: &str,
    multiplier: Option<f64>,
    ratio_type: Option<&str>,
    rate_type: Option<&str>,
) -> Result<FunnelKind, IndicatorError> {
    let ratio: RatioScale = match ratio_type {
        Some(r) => r.parse()?,
        None => crate::funnel::RATIO_TYPE_DEFAULT,
    };
    let rate: Option<RateKind> = rate_type.map(str::parse).transpose()?;
    FunnelKind::from_words(
        statistic,
        multiplier.unwrap_or(crate::FUNNEL_MULTIPLIER_DEFAULT),
        ratio,
        rate,
    )
}

impl FunnelRequest {
    fn run(&self, data: &[RecordBatch], significance: bool) -> Result<RecordBatch, RequestError> {
        let kind = funnel_kind(
            &self.statistic,
            self.multiplier,
            self.ratio_type.as_deref(),
            self.rate_type.as_deref(),
        )
        .map_err(RequestError::Argument)?;
        if let Some(a) = &self.overdispersion {
            let adjustment: crate::overdispersion::Adjustment =
                a.parse().map_err(RequestError::Argument)?;
            let Some(den) = self.denominator.as_deref() else {
                return Err(argument(
                    "overdispersion needs the denominator (or expected counts)",
                ));
            };
            let spec = crate::overdispersion::OverdispersionSpec::new(
                &self.numerator,
                den,
                kind,
                adjustment,
            );
            return if significance {
                spec.significance(data).map_err(RequestError::from)
            } else {
                spec.limits(data).map_err(RequestError::from)
            };
        }
        let spec = FunnelSpec::new(&self.numerator, self.denominator.as_deref(), kind)
            .rate(self.rate.as_deref());
        if significance {
            spec.significance(data).map_err(RequestError::from)
        } else {
            spec.limits(data).map_err(RequestError::from)
        }
    }
}

impl FunnelPointsRequest {
    fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        let FunnelKind::Rate { kind, .. } =
            funnel_kind("rate", self.multiplier, None, self.rate_type.as_deref())
                .map_err(RequestError::Argument)?
        else {
            return Err(argument("rate_type: use \"dsr\" or \"crude\""));
        };
        FunnelPointsSpec::new(&self.numerator, &self.rate, kind)
            .denominator(self.denominator.as_deref())
            .multiplier(self.multiplier.unwrap_or(crate::FUNNEL_MULTIPLIER_DEFAULT))
            .years_of_data(
                self.years_of_data
                    .unwrap_or(crate::funnel::YEARS_OF_DATA_DEFAULT),
            )
            .run(data)
            .map_err(RequestError::from)
    }
}

impl LifeExpectancyRequest {
    fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        let group = strs(&self.group_by);
        let mut spec = LifeExpectancySpec::new(&self.deaths, &self.population, &self.start_age)
            .group_by(&group)
            .levels(levels(self.confidence.as_deref())?)
            .ages(self.ages.clone());
        if let Some(t) = self.top_age {
            spec = spec.top_age(t);
        }
        shaped(spec.run(data)?, self.output_type.as_deref())
    }
}

impl DiscloseRequest {
    fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        let policy: Policy = self.policy.parse().map_err(RequestError::Argument)?;
        let counts = strs(&self.counts);
        let mut spec = DisclosureSpec::new(policy, &counts);
        let margins: Vec<Vec<&str>> = self.margins.iter().map(|m| strs(m)).collect();
        for m in &margins {
            spec = spec.margin(m);
        }
        let within: Vec<&str> = self
            .total_rows
            .as_ref()
            .map(|t| strs(&t.within))
            .unwrap_or_default();
        if let Some(t) = &self.total_rows {
            spec = spec.totals(TotalRows::new(&t.category, &t.label, &within));
        }
        if let Some(n) = &self.national {
            spec = spec.national(&n.column, &n.value);
        }
        for p in &self.percentages {
            spec = spec.derived(Derived::Percentage {
                column: &p.column,
                numerator: &p.numerator,
                denominator: &p.denominator,
                multiplier: p.multiplier.unwrap_or(100.0),
            });
        }
        for c in &self.standardised {
            spec = spec.derived(Derived::Standardised {
                column: c,
                counts: counts.clone(),
            });
        }
        for c in &self.derived {
            spec = spec.derived(Derived::Simple {
                column: c,
                counts: counts.clone(),
            });
        }
        spec.run(data).map_err(RequestError::from)
    }
}

impl BenchmarkRequest {
    fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        use crate::benchmark::Method;
        let polarity: Polarity = self.polarity.parse().map_err(RequestError::Argument)?;
        let comparator = match (&self.comparator, self.quintiles) {
            (
                Some(ComparatorRequest::Value {
                    value,
                    lower,
                    upper,
                }),
                _,
            ) => match (lower, upper) {
                (Some(l), Some(u)) => Comparator::Interval {
                    value: *value,
                    lower: *l,
                    upper: *u,
                },
                (None, None) => Comparator::Value(*value),
                _ => {
                    return Err(argument(
                        "comparator: give both lower and upper, or neither",
                    ));
                }
            },
            (
                Some(ComparatorRequest::Row {
                    column,
                    value,
                    with_interval,
                }),
                _,
            ) => Comparator::Row {
                column,
                value,
                with_interval: *with_interval,
            },
            (
                Some(ComparatorRequest::Columns {
                    value,
                    lower,
                    upper,
                }),
                _,
            ) => Comparator::Columns {
                value,
                limits: match (lower, upper) {
                    (Some(l), Some(u)) => Some((l.as_str(), u.as_str())),
                    (None, None) => None,
                    _ => {
                        return Err(argument(
                            "comparator: give both lower and upper columns, or neither",
                        ));
                    }
                },
            },
            // Quintiles compare each value with the others of its group, not a comparator.
            (None, true) => Comparator::Value(f64::NAN),
            (None, false) => {
                return Err(argument(
                    "comparator: a value, a row or columns (or quintiles: true)",
                ));
            }
        };
        let group = strs(&self.group_by);
        BenchmarkSpec::new(&self.value, &self.lower, &self.upper, comparator, polarity)
            .group_by(&group)
            .method(if self.quintiles {
                Method::Quintiles
            } else {
                Method::Interval
            })
            .run(data)
            .map_err(RequestError::from)
    }
}

impl TrendRequest {
    fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        let values = match (
            (&self.numerator, &self.denominator),
            (&self.value, &self.lower, &self.upper),
        ) {
            ((Some(numerator), Some(denominator)), (None, None, None)) => TrendValues::Proportion {
                numerator,
                denominator,
            },
            ((None, None), (Some(value), Some(lower), Some(upper))) => TrendValues::Interval {
                value,
                lower,
                upper,
                confidence: match self.confidence {
                    Some(c) => Confidence::new(c).map_err(RequestError::Argument)?,
                    None => Confidence::C95,
                },
            },
            _ => {
                return Err(argument(
                    "give numerator and denominator (a proportion), or value, lower and upper",
                ));
            }
        };
        let polarity = match &self.polarity {
            Some(p) => p.parse().map_err(RequestError::Argument)?,
            None => Polarity::NoJudgement,
        };
        let group = strs(&self.group_by);
        TrendSpec::new(values, &self.year)
            .group_by(&group)
            .polarity(polarity)
            .run(data)
            .map_err(RequestError::from)
    }
}

impl SpcRequest {
    fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        let mut options = SpcOptions::default();
        if let Some(d) = &self.direction {
            let d: Direction = d.parse().map_err(RequestError::Argument)?;
            options = options.direction(d);
        }
        if let Some(r) = self.run {
            options = options.run(r);
        }
        if let Some(t) = self.trend {
            options = options.trend(t);
        }
        options = options.baseline(self.baseline).target(self.target);
        if self.refuse_missing {
            options = options.missing(Missing::Refuse);
        }
        options.validate().map_err(RequestError::Argument)?;
        let group = strs(&self.group_by);
        let rebase = strs(&self.rebase);
        let spec = SpcSpec::new(&self.value, &self.period, options)
            .group_by(&group)
            .rebase_at(&rebase);
        if self.summary {
            spec.summary(data).map_err(RequestError::from)
        } else {
            spec.run(data).map_err(RequestError::from)
        }
    }
}
