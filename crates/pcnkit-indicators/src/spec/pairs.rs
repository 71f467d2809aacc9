//! Proportions, crude rates and means: a numerator (or value) and a denominator per group.

use arrow_array::RecordBatch;

use super::{PROPORTION_MULTIPLIER_DEFAULT, RATE_MULTIPLIER_DEFAULT, check_multiplier};
use crate::error::IndicatorError;
use crate::methods::{Confidence, check_levels};
use crate::table::{mean_table, proportion_table, rate_table};

/// A proportion with Wilson score limits (R's `phe_proportion`): `numerator` out of
/// `denominator` per group, or per row without `group_by`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ProportionSpec<'a> {
    /// The column of successes.
    pub numerator: &'a str,
    /// The column of trials.
    pub denominator: &'a str,
    /// Grouping columns (none: one result per row).
    pub group_by: &'a [&'a str],
    /// Confidence levels (R's default: 95%; empty: no interval).
    pub levels: Vec<Confidence>,
    /// The value is the proportion × this (R's default 1: a fraction; 100: a percentage).
    pub multiplier: f64,
}

impl<'a> ProportionSpec<'a> {
    super::setters!(group_by, levels, multiplier);
    /// `numerator` out of `denominator`, with R's defaults.
    pub fn new(numerator: &'a str, denominator: &'a str) -> Self {
        ProportionSpec {
            numerator,
            denominator,
            group_by: &[],
            levels: vec![super::CONFIDENCE_DEFAULT],
            multiplier: PROPORTION_MULTIPLIER_DEFAULT,
        }
    }

    /// Whether the options can be computed (levels as a set, a positive multiplier).
    pub fn validate(&self) -> Result<(), IndicatorError> {
        check_levels(&self.levels)?;
        check_multiplier(self.multiplier)
    }

    /// The table: group columns, `numerator`, `denominator`, `value`, limits, `confidence`,
    /// `statistic`, `method`, `note`.
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        self.validate()?;
        proportion_table(
            batches,
            self.numerator,
            self.denominator,
            self.group_by,
            &self.levels,
            self.multiplier,
        )
    }
}

/// A crude rate with exact Poisson limits below 10 events and Byar's from 10 (R's
/// `phe_rate`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RateSpec<'a> {
    /// The column of events.
    pub count: &'a str,
    /// The column of the population (or person-time).
    pub denominator: &'a str,
    /// Grouping columns (none: one result per row).
    pub group_by: &'a [&'a str],
    /// Confidence levels (R's default: 95%; empty: no interval).
    pub levels: Vec<Confidence>,
    /// Per this many (R's default 100,000).
    pub multiplier: f64,
    /// Events per person, for events a person can have more than once: a column of
    /// frequencies (see [`RateSpec::frequency`]).
    pub frequency: Option<&'a str>,
}

/// The columns a crude rate with event frequencies is computed through (never in the output).
const ONE_STRATUM: &str = "__pcnkit_one_stratum";
const OWN_WEIGHT: &str = "__pcnkit_own_population";

impl<'a> RateSpec<'a> {
    super::setters!(group_by, levels, multiplier);
    /// `count` per `denominator`, with R's defaults.
    pub fn new(count: &'a str, denominator: &'a str) -> Self {
        RateSpec {
            count,
            denominator,
            group_by: &[],
            levels: vec![super::CONFIDENCE_DEFAULT],
            multiplier: RATE_MULTIPLIER_DEFAULT,
            frequency: None,
        }
    }

    /// Crude-rate intervals for non-independent events: each row's `count` is the number of
    /// persons with `frequency` events (the layout of R's `calculate_dsr(independent_events =
    /// FALSE, eventfreq = …)`), and the group's `denominator` repeats on each of its rows. The
    /// rate is UKHSA's DSR for non-independent events over one stratum whose standard
    /// population is the group's own: its value is events / denominator, its limits Dobson's
    /// with the variance Σ frequency² × persons (wider than Byar's when people have repeated
    /// events; equal to Byar's when every frequency is 1). As for a DSR, a group with fewer
    /// than 10 events has no value (the limits rest on Byar's approximation) and says so.
    #[must_use]
    pub fn frequency(mut self, frequency: Option<&'a str>) -> Self {
        self.frequency = frequency;
        self
    }

    /// Whether the options can be computed.
    pub fn validate(&self) -> Result<(), IndicatorError> {
        check_levels(&self.levels)?;
        check_multiplier(self.multiplier)
    }

    /// The table (as [`ProportionSpec::run`], with the count and denominator columns; with a
    /// frequency, the DSR's columns).
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        self.validate()?;
        if let Some(frequency) = self.frequency {
            let with: Vec<RecordBatch> = batches
                .iter()
                .map(|b| {
                    let n = b.num_rows();
                    let own = arrow_cast::cast(
                        crate::frame::column(b, self.denominator)?,
                        &arrow_schema::DataType::Float64,
                    )?;
                    crate::frame::with_columns(
                        b,
                        vec![
                            (
                                ONE_STRATUM,
                                std::sync::Arc::new(arrow_array::StringArray::from_iter_values(
                                    std::iter::repeat_n("all ages", n),
                                )) as arrow_array::ArrayRef,
                            ),
                            (OWN_WEIGHT, own),
                        ],
                    )
                })
                .collect::<Result<_, _>>()?;
            let out = crate::DsrSpec::new(
                self.count,
                self.denominator,
                crate::Standard::ColumnWithBands {
                    weight: OWN_WEIGHT,
                    age_band: ONE_STRATUM,
                },
            )
            .group_by(self.group_by)
            .levels(self.levels.clone())
            .multiplier(self.multiplier)
            .frequency(Some(frequency))
            .run(&with)?;
            // It is a crude rate: say so, not "dsr".
            let statistic = format!(
                "rate per {} (non-independent events)",
                crate::table::describe_multiplier(self.multiplier)
            );
            let columns: Vec<arrow_array::ArrayRef> = out
                .schema()
                .fields()
                .iter()
                .zip(out.columns())
                .map(|(f, c)| {
                    if f.name() == "statistic" {
                        std::sync::Arc::new(arrow_array::StringArray::from_iter_values(
                            std::iter::repeat_n(statistic.as_str(), out.num_rows()),
                        )) as arrow_array::ArrayRef
                    } else {
                        std::sync::Arc::clone(c)
                    }
                })
                .collect();
            return Ok(RecordBatch::try_new(out.schema(), columns)?);
        }
        rate_table(
            batches,
            self.count,
            self.denominator,
            self.group_by,
            &self.levels,
            self.multiplier,
        )
    }
}

/// A mean with Student's t limits (R's `phe_mean`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MeanSpec<'a> {
    /// The column of values.
    pub value: &'a str,
    /// Grouping columns (none: one mean of every row).
    pub group_by: &'a [&'a str],
    /// Confidence levels (R's default: 95%; empty: no interval).
    pub levels: Vec<Confidence>,
}

impl<'a> MeanSpec<'a> {
    super::setters!(group_by, levels);
    /// The mean of `value`, with R's defaults.
    pub fn new(value: &'a str) -> Self {
        MeanSpec {
            value,
            group_by: &[],
            levels: vec![super::CONFIDENCE_DEFAULT],
        }
    }

    /// Whether the options can be computed.
    pub fn validate(&self) -> Result<(), IndicatorError> {
        check_levels(&self.levels)
    }

    /// The table: group columns, `value_sum`, `value_count`, `stdev`, `value`, limits, …
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        self.validate()?;
        mean_table(batches, self.value, self.group_by, &self.levels)
    }
}
