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
}

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
        }
    }

    /// Whether the options can be computed.
    pub fn validate(&self) -> Result<(), IndicatorError> {
        check_levels(&self.levels)?;
        check_multiplier(self.multiplier)
    }

    /// The table (as [`ProportionSpec::run`], with the count and denominator columns).
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        self.validate()?;
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
