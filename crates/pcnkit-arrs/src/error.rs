//! The error type of pcnkit-arrs.

use pcnkit_core::{CoreError, FinancialYear};

/// What can go wrong loading rule tables or running the engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArrsError {
    /// A value was invalid.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A rule file could not be parsed or breaks a rule of the format.
    #[error("{file}: {path}: {message}")]
    InvalidRules {
        /// The file (built-in files are named `rules/<year>.toml`).
        file: String,
        /// Where in the file (a TOML key path or line).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// No rule set is loaded for the year.
    #[error("no ARRS rule set for {0}: built-in years are 2019/20 to 2026/27")]
    NoRulesForYear(FinancialYear),
    /// A role id is not defined.
    #[error("unknown ARRS role `{0}`")]
    UnknownRole(String),
    /// Inputs that contradict each other (e.g. staff of a PCN with no weighted population).
    #[error("{0}")]
    Invalid(String),
}
