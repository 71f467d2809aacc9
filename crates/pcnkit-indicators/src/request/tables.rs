//! The requests over whole tables: disclosure control, benchmarking, recent trends and SPC.

use super::*;

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

impl DiscloseRequest {
    pub(super) fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
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
    pub(super) fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
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
    pub(super) fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
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
    pub(super) fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
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
