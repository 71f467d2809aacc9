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

mod inequality;
mod rates;
mod tables;

pub use inequality::{
    FunnelPointsRequest, FunnelRequest, LifeExpectancyRequest, QuantilesRequest, SiiRequest,
    funnel_kind,
};
pub use rates::{DsrRequest, IsrRequest, MeanRequest, PairRequest, RateRequest};
pub use tables::{
    BenchmarkRequest, ComparatorRequest, DiscloseRequest, NationalRequest, PercentageRequest,
    SpcRequest, TotalRowsRequest, TrendRequest,
};

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
