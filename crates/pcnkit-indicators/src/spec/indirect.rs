//! Indirectly standardised ratios and rates (R's `calculate_ISRatio`, `calculate_ISRate`).

use arrow_array::RecordBatch;

use super::ISR_REF_VALUE_DEFAULT;
use crate::error::IndicatorError;
use crate::methods::{Confidence, check_levels};
use crate::table::{Indirect, Observed, isr_table_observed};

/// An indirectly standardised ratio or rate: observed events against those expected from a
/// reference population's rates, per group.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct IsrSpec<'a> {
    /// Where the observed events come from: a count column summed per group, or a table of
    /// totals per group (R's `obs_df`).
    pub observed: Observed<'a>,
    /// The column of the local population per band.
    pub population: &'a str,
    /// The column of the reference events per band.
    pub reference_count: &'a str,
    /// The column of the reference population per band.
    pub reference_population: &'a str,
    /// Grouping columns.
    pub group_by: &'a [&'a str],
    /// Confidence levels (R's default: 95%; empty: no interval).
    pub levels: Vec<Confidence>,
    /// A ratio (× `ref_value`, R's default 1) or a rate (× the reference rate, per
    /// `multiplier`).
    pub kind: Indirect,
}

impl<'a> IsrSpec<'a> {
    super::setters!(group_by, levels);
    /// A ratio of observed to expected (R's `calculate_ISRatio` defaults).
    pub fn new(
        observed: Observed<'a>,
        population: &'a str,
        reference_count: &'a str,
        reference_population: &'a str,
    ) -> Self {
        IsrSpec {
            observed,
            population,
            reference_count,
            reference_population,
            group_by: &[],
            levels: vec![super::CONFIDENCE_DEFAULT],
            kind: Indirect::Ratio {
                ref_value: ISR_REF_VALUE_DEFAULT,
            },
        }
    }

    /// A ratio or a rate.
    #[must_use]
    pub fn kind(mut self, kind: Indirect) -> Self {
        self.kind = kind;
        self
    }

    /// Whether the options can be computed.
    pub fn validate(&self) -> Result<(), IndicatorError> {
        check_levels(&self.levels)
    }

    /// The table: group columns, `observed`, `expected` (and `ref_rate` for rates), `value`,
    /// limits, `confidence`, `statistic`, `method`, `note`.
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        self.validate()?;
        isr_table_observed(batches, self)
    }
}
