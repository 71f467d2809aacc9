//! The requests of inequality and variation: quantiles, the SII, funnels and life expectancy.

use super::*;

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

impl QuantilesRequest {
    pub(super) fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
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
    pub(super) fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
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

impl FunnelRequest {
    pub(super) fn run(
        &self,
        data: &[RecordBatch],
        significance: bool,
    ) -> Result<RecordBatch, RequestError> {
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
    pub(super) fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
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
    pub(super) fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
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
