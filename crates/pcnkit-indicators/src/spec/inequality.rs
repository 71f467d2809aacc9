//! Quantiles, the slope index of inequality, funnel plots and life expectancy.

use arrow_array::RecordBatch;

use super::{NQUANTILES_DEFAULT, QUANTILE_INVERT_DEFAULT, check_multiplier};
use crate::error::IndicatorError;
use crate::funnel::{FunnelKind, RateKind};
use crate::methods::{Confidence, check_levels};
use crate::sii::SiiOptions;
use crate::table::{
    SiiErrors, funnel_limits_table, funnel_points_table, funnel_significance_table,
    life_expectancy_at_ages, life_expectancy_table, quantile_table, sii_table,
};

/// Quantiles of a value within groups (R's `phe_quantile`; OHID's method).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct QuantileSpec<'a> {
    /// The column of values.
    pub value: &'a str,
    /// Grouping columns: quantiles are assigned within each group.
    pub group_by: &'a [&'a str],
    /// How many quantiles (R's default 10).
    pub nquantiles: u32,
    /// Quantile 1 holds the highest values (R's default); `false`: the lowest.
    pub invert: bool,
}

impl<'a> QuantileSpec<'a> {
    super::setters!(group_by);
    /// Deciles of `value`, highest first (R's defaults).
    pub fn new(value: &'a str) -> Self {
        QuantileSpec {
            value,
            group_by: &[],
            nquantiles: NQUANTILES_DEFAULT,
            invert: QUANTILE_INVERT_DEFAULT,
        }
    }

    /// This many quantiles.
    #[must_use]
    pub fn nquantiles(mut self, nquantiles: u32) -> Self {
        self.nquantiles = nquantiles;
        self
    }

    /// Quantile 1 for the highest values (`true`) or the lowest.
    #[must_use]
    pub fn invert(mut self, invert: bool) -> Self {
        self.invert = invert;
        self
    }

    /// Whether the options can be computed (at least one quantile).
    pub fn validate(&self) -> Result<(), IndicatorError> {
        if self.nquantiles == 0 {
            return Err(IndicatorError::Invalid(
                "nquantiles must be at least 1".to_owned(),
            ));
        }
        Ok(())
    }

    /// Every input row with its `quantile`, `nquantiles`, `groupvars` and `qinverted`.
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        self.validate()?;
        quantile_table(
            batches,
            self.value,
            self.group_by,
            self.nquantiles,
            self.invert,
        )
    }
}

/// The slope (and relative) index of inequality across quantiles (R's `phe_sii`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SiiSpec<'a> {
    /// The column of quantile numbers (1 = most deprived, as R).
    pub quantile: &'a str,
    /// The column of each quantile's population.
    pub population: &'a str,
    /// The column of each quantile's value.
    pub value: &'a str,
    /// Where each value's error comes from: a standard error, limits, or counts.
    pub errors: SiiErrors<'a>,
    /// Grouping columns: one SII per group.
    pub group_by: &'a [&'a str],
    /// Value type, transform, repetitions, levels, multiplier, RII and reliability.
    pub options: SiiOptions,
}

impl<'a> SiiSpec<'a> {
    super::setters!(group_by);
    /// An SII with R's default options.
    pub fn new(
        quantile: &'a str,
        population: &'a str,
        value: &'a str,
        errors: SiiErrors<'a>,
    ) -> Self {
        SiiSpec {
            quantile,
            population,
            value,
            errors,
            group_by: &[],
            options: SiiOptions::default(),
        }
    }

    /// With these options.
    #[must_use]
    pub fn options(mut self, options: SiiOptions) -> Self {
        self.options = options;
        self
    }

    /// Whether the options can be computed.
    pub fn validate(&self) -> Result<(), IndicatorError> {
        self.options.check()
    }

    /// The table: group columns, `sii`, its limits (and `rii` with its limits when asked),
    /// `confidence`, `statistic`, `method`, `note`.
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        self.validate()?;
        sii_table(batches, self)
    }
}

/// A funnel plot: its control limits, and each area's place against them (R's
/// `calculate_funnel_limits` and `assign_funnel_significance`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct FunnelSpec<'a> {
    /// The column of events (observed counts).
    pub numerator: &'a str,
    /// The column of the denominator (population, or expected counts for a ratio).
    pub denominator: Option<&'a str>,
    /// The column of each area's rate (rate funnels).
    pub rate: Option<&'a str>,
    /// Proportion, ratio or rate, with its scale.
    pub kind: FunnelKind,
}

impl<'a> FunnelSpec<'a> {
    /// A funnel of `numerator` over `denominator` of this kind.
    pub fn new(numerator: &'a str, denominator: Option<&'a str>, kind: FunnelKind) -> Self {
        FunnelSpec {
            numerator,
            denominator,
            rate: None,
            kind,
        }
    }

    /// The column of each area's rate (rate funnels).
    #[must_use]
    pub fn rate(mut self, rate: Option<&'a str>) -> Self {
        self.rate = rate;
        self
    }

    /// Whether the options can be computed: a positive scale; a rate funnel needs its rate
    /// column, the others a denominator.
    pub fn validate(&self) -> Result<(), IndicatorError> {
        match self.kind {
            FunnelKind::Rate { multiplier, .. } => {
                if self.rate.is_none() {
                    return Err(IndicatorError::Invalid(
                        "a rate funnel needs the column of each area's rate".to_owned(),
                    ));
                }
                check_multiplier(multiplier)
            }
            FunnelKind::Proportion { multiplier } if self.denominator.is_some() => {
                check_multiplier(multiplier)
            }
            FunnelKind::Ratio(_) if self.denominator.is_some() => Ok(()),
            _ => Err(IndicatorError::Invalid(
                "proportion and ratio funnels need a denominator column".to_owned(),
            )),
        }
    }

    /// The limits over 100 points of the x axis.
    pub fn limits(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        self.validate()?;
        funnel_limits_table(
            batches,
            self.numerator,
            self.denominator,
            self.rate,
            self.kind,
        )
    }

    /// Every input row with its `significance`.
    pub fn significance(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        self.validate()?;
        funnel_significance_table(
            batches,
            self.numerator,
            self.denominator,
            self.rate,
            self.kind,
        )
    }
}

/// Each row of a rate funnel with its point to chart (R's `calculate_funnel_points`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct FunnelPointsSpec<'a> {
    /// The column of events.
    pub numerator: &'a str,
    /// The column of the denominator, when given.
    pub denominator: Option<&'a str>,
    /// The column of each area's rate.
    pub rate: &'a str,
    /// Crude or directly standardised.
    pub kind: RateKind,
    /// The rate is per this many (R's default 100,000).
    pub multiplier: f64,
    /// Years of data the rate covers (R's default 1).
    pub years_of_data: f64,
}

impl<'a> FunnelPointsSpec<'a> {
    super::setters!(multiplier);
    /// The points of a crude or standardised rate over one year, scaled as the funnel limits
    /// are by default (`FUNNEL_MULTIPLIER_DEFAULT`).
    pub fn new(numerator: &'a str, rate: &'a str, kind: RateKind) -> Self {
        FunnelPointsSpec {
            numerator,
            denominator: None,
            rate,
            kind,
            multiplier: super::FUNNEL_MULTIPLIER_DEFAULT,
            years_of_data: crate::funnel::YEARS_OF_DATA_DEFAULT,
        }
    }

    /// The column of the denominator.
    #[must_use]
    pub fn denominator(mut self, denominator: Option<&'a str>) -> Self {
        self.denominator = denominator;
        self
    }

    /// Years of data.
    #[must_use]
    pub fn years_of_data(mut self, years: f64) -> Self {
        self.years_of_data = years;
        self
    }

    /// Whether the options can be computed.
    pub fn validate(&self) -> Result<(), IndicatorError> {
        check_multiplier(self.multiplier)?;
        if !(self.years_of_data.is_finite() && self.years_of_data > 0.0) {
            return Err(IndicatorError::Invalid(format!(
                "years of data must be above 0, got {}",
                self.years_of_data
            )));
        }
        Ok(())
    }

    /// Every input row with `rate_chart` and `denominator_derived`.
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        self.validate()?;
        funnel_points_table(
            batches,
            self.numerator,
            self.denominator,
            self.rate,
            self.kind,
            self.multiplier,
            self.years_of_data,
        )
    }
}

/// Life expectancy by Chiang's method II (R's `phe_life_expectancy`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LifeExpectancySpec<'a> {
    /// The column of deaths per age band.
    pub deaths: &'a str,
    /// The column of the population per age band.
    pub population: &'a str,
    /// The column of each band's start age.
    pub start_age: &'a str,
    /// Grouping columns: one life table per group.
    pub group_by: &'a [&'a str],
    /// Confidence levels (R's default: 95%; empty: no interval).
    pub levels: Vec<Confidence>,
    /// Only these ages (R's `le_age`); `None`: every band's start age.
    pub ages: Option<Vec<u32>>,
    /// The start of the open top band: 90 (R's, the default) or 85, 80, … for data published
    /// with an earlier open band.
    pub top_age: u32,
}

impl<'a> LifeExpectancySpec<'a> {
    super::setters!(group_by, levels);
    /// Life expectancy at every band's start age, with R's defaults.
    pub fn new(deaths: &'a str, population: &'a str, start_age: &'a str) -> Self {
        LifeExpectancySpec {
            deaths,
            population,
            start_age,
            group_by: &[],
            levels: vec![super::CONFIDENCE_DEFAULT],
            ages: None,
            top_age: crate::life::LIFE_TABLE_AGES[19],
        }
    }

    /// The open top band starts at this age (90 by default; 85 for an 85+ band).
    #[must_use]
    pub fn top_age(mut self, age: u32) -> Self {
        self.top_age = age;
        self
    }

    /// Only at these ages.
    #[must_use]
    pub fn ages(mut self, ages: Option<Vec<u32>>) -> Self {
        self.ages = ages;
        self
    }

    /// Whether the options can be computed.
    pub fn validate(&self) -> Result<(), IndicatorError> {
        check_levels(&self.levels)
    }

    /// The table: group columns, `startage`, `value`, limits, `pops_used`, `dths_used`, …
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        self.validate()?;
        let table = life_expectancy_table(
            batches,
            self.deaths,
            self.population,
            self.start_age,
            self.group_by,
            &self.levels,
            self.top_age,
        )?;
        match &self.ages {
            Some(ages) => life_expectancy_at_ages(&table, ages),
            None => Ok(table),
        }
    }
}
