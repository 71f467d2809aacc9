//! The error type of pcnkit-indicators. Messages follow the R package's wording where it has one.

/// What can go wrong computing an indicator.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum IndicatorError {
    /// A confidence level outside [0.9, 1).
    #[error("confidence level {0} must be between 0.9 and 1")]
    Confidence(f64),
    /// The same level given twice.
    #[error("duplicate confidence level {0} (levels are compared to 4 decimal places)")]
    DuplicateConfidence(f64),
    /// A negative count or population.
    #[error("{what} cannot be negative (found {value})")]
    Negative {
        /// Which input.
        what: &'static str,
        /// The value.
        value: f64,
    },
    /// An infinite or NaN value where a number is needed.
    #[error("{what} must be a finite number (found {value})")]
    NotFinite {
        /// Which input.
        what: &'static str,
        /// The value.
        value: f64,
    },
    /// A denominator of zero or less.
    #[error("denominators must be greater than zero (found {0})")]
    Denominator(f64),
    /// A proportion's numerator above its denominator.
    #[error("numerator {numerator} is above denominator {denominator}: not a proportion")]
    NumeratorAboveDenominator {
        /// Numerator.
        numerator: f64,
        /// Denominator.
        denominator: f64,
    },
    /// Inputs of different lengths.
    #[error("{what}: expected {expected} values, found {found}")]
    Length {
        /// Which input.
        what: &'static str,
        /// Expected length.
        expected: usize,
        /// Actual length.
        found: usize,
    },
    /// A multiplier of zero or less.
    #[error("multiplier must be positive (found {0})")]
    Multiplier(f64),
    /// An Arrow column is missing or has the wrong type.
    #[error("column `{column}`: {problem}")]
    Column {
        /// The column name.
        column: String,
        /// What is wrong.
        problem: String,
    },
    /// An input the method cannot use (the message names the row or quantile and says why).
    #[error("{0}")]
    Invalid(String),
    /// Building the output failed.
    #[error("Arrow: {0}")]
    Arrow(String),
}

impl From<arrow_schema::ArrowError> for IndicatorError {
    fn from(e: arrow_schema::ArrowError) -> Self {
        IndicatorError::Arrow(e.to_string())
    }
}
