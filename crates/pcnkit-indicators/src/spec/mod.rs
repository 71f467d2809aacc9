//! One options type per method, holding its defaults and validation, so that every front end
//! (the CLI, Python, and later R and Spark) asks the same question the same way and cannot
//! drift: a front end converts its arguments into a spec and calls [`DsrSpec::run`].
//!
//! Every method has one: [`ProportionSpec`], [`RateSpec`], [`MeanSpec`], [`DsrSpec`],
//! [`IsrSpec`], [`QuantileSpec`], [`SiiSpec`], [`FunnelSpec`], [`FunnelPointsSpec`],
//! [`LifeExpectancySpec`]. Each is made with the columns it needs (`new`) and R's defaults,
//! changed with builder methods, checked as a whole (`validate`: confidence levels as a set, a
//! positive multiplier, …) and run on Arrow batches (`run`). The defaults of every method
//! (R's) are the constants here.

/// The builder methods specs share, with one meaning everywhere: `group_by`, `levels`,
/// `multiplier` (each spec has the fields they set).
macro_rules! setters {
    (group_by) => {
        /// Grouped by these columns (none: as the method documents, per row or one group).
        #[must_use]
        pub fn group_by(mut self, group_by: &'a [&'a str]) -> Self {
            self.group_by = group_by;
            self
        }
    };
    (levels) => {
        /// With these confidence levels (validated as a set; empty: no interval).
        #[must_use]
        pub fn levels(mut self, levels: Vec<Confidence>) -> Self {
            self.levels = levels;
            self
        }
    };
    (multiplier) => {
        /// Scaled by this multiplier (the value per this many; must be positive).
        #[must_use]
        pub fn multiplier(mut self, multiplier: f64) -> Self {
            self.multiplier = multiplier;
            self
        }
    };
    ($($name:ident),+) => {
        $(setters!($name);)+
    };
}
use setters;

mod dsr;
mod indirect;
mod inequality;
mod pairs;

pub use dsr::{DsrSpec, RepeatedBands};
pub use indirect::IsrSpec;
pub use inequality::{FunnelPointsSpec, FunnelSpec, LifeExpectancySpec, QuantileSpec, SiiSpec};
pub use pairs::{MeanSpec, ProportionSpec, RateSpec};

use crate::error::IndicatorError;

/// The confidence level of every method's interval when a caller does not say: 95%, as R.
pub const CONFIDENCE_DEFAULT: crate::Confidence = crate::Confidence::C95;

/// The multiplier of a DSR when a caller does not say: per 100,000, as R's `phe_dsr`.
pub const DSR_MULTIPLIER_DEFAULT: f64 = 100_000.0;

/// The multiplier of a proportion when a caller does not say: 1 (a fraction), as R's
/// `phe_proportion`. Every front end takes its default from here.
pub const PROPORTION_MULTIPLIER_DEFAULT: f64 = 1.0;

/// The multiplier of a crude rate, and of an indirectly standardised rate, when a caller does
/// not say: per 100,000, as R's `phe_rate` and `calculate_ISRate`.
pub const RATE_MULTIPLIER_DEFAULT: f64 = 100_000.0;

/// The reference value of an indirectly standardised ratio when a caller does not say: 1 (100
/// gives an SMR), as R's `calculate_ISRatio`.
pub const ISR_REF_VALUE_DEFAULT: f64 = 1.0;

/// How many quantiles when a caller does not say: deciles, as R's `phe_quantile`.
pub const NQUANTILES_DEFAULT: u32 = 10;

/// The multiplier of a funnel when a caller does not say: 100, as R's funnel functions.
pub const FUNNEL_MULTIPLIER_DEFAULT: f64 = 100.0;

/// Whether quantile 1 holds the highest values when a caller does not say: yes, as in the R
/// package (`invert = TRUE`) and for deprivation scores, where quantile 1 is the most deprived.
/// Every front end takes its default from here.
pub const QUANTILE_INVERT_DEFAULT: bool = true;

/// A multiplier must be a positive finite number.
pub(crate) fn check_multiplier(multiplier: f64) -> Result<(), IndicatorError> {
    if multiplier.is_finite() && multiplier > 0.0 {
        Ok(())
    } else {
        Err(IndicatorError::Multiplier(multiplier))
    }
}
