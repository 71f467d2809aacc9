//! Errors of the core vocabulary and the location type that data errors carry.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// What went wrong when building one of the core values.
///
/// Every variant names the offending input and says what was expected, so a message can be shown
/// to a person unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    /// An organisation or area code did not have the published format.
    #[error("invalid {kind} {value:?}: expected {expected}")]
    InvalidCode {
        /// Which kind of code was being parsed.
        kind: CodeKind,
        /// The rejected input (truncated to 64 characters).
        value: String,
        /// A description of the accepted formats.
        expected: &'static str,
    },
    /// A financial year could not be parsed or is out of range.
    #[error(
        "invalid financial year {value:?}: expected a form like 2024/25, 2024-25, 2024/2025 or FY2024, for a year from 1900 to 2199"
    )]
    InvalidFinancialYear {
        /// The rejected input.
        value: String,
    },
    /// A calendar month could not be parsed or is out of range.
    #[error("invalid month {value:?}: expected YYYY-MM with a month from 01 to 12")]
    InvalidMonth {
        /// The rejected input.
        value: String,
    },
    /// A date could not be parsed.
    #[error("invalid date {value:?}: expected {expected}")]
    InvalidDate {
        /// The rejected input.
        value: String,
        /// The accepted formats.
        expected: &'static str,
    },
    /// A period's end lies before its start.
    #[error("invalid period: end {end} is before start {start}")]
    InvalidPeriod {
        /// First day of the period.
        start: chrono::NaiveDate,
        /// The (inclusive) end that was given.
        end: chrono::NaiveDate,
    },
    /// An IMD decile or quintile out of range.
    #[error("invalid deprivation {value:?}: expected {expected}")]
    InvalidDeprivation {
        /// The rejected input.
        value: String,
        /// What is accepted.
        expected: &'static str,
    },
    /// A money amount could not be parsed.
    #[error("invalid money amount {value:?}: {reason}")]
    InvalidMoney {
        /// The rejected input.
        value: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A whole-time equivalent was zero, negative or unparseable.
    #[error("invalid whole-time equivalent {value:?}: {reason}")]
    InvalidWte {
        /// The rejected input.
        value: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// An age band label or scheme was not understood.
    #[error("invalid age band {value:?}: {reason}")]
    InvalidAgeBand {
        /// The rejected input.
        value: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A sex value was not one NHS Digital publishes.
    #[error(
        "invalid sex {value:?}: expected MALE, FEMALE or UNKNOWN (also M, F, U, I, OTHER, NOT KNOWN); ALL is a total, not a sex"
    )]
    InvalidSex {
        /// The rejected input.
        value: String,
    },
    /// A patient count was negative, fractional or not a number.
    #[error("invalid patient count {value:?}: {reason}")]
    InvalidCount {
        /// The rejected input.
        value: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A calculation would leave the representable range.
    #[error("arithmetic overflow while computing {0}")]
    Overflow(&'static str),
    /// Converting records to or from Arrow failed.
    #[error("Arrow conversion failed: {0}")]
    Arrow(String),
    /// A file could not be written (its path and why).
    #[error("could not write {0}")]
    Write(String),
}

impl CoreError {
    /// Keeps error messages bounded when a whole line of garbage is passed as a value.
    pub(crate) fn clip(value: &str) -> String {
        const MAX: usize = 64;
        if value.chars().count() <= MAX {
            value.to_owned()
        } else {
            let mut s: String = value.chars().take(MAX).collect();
            s.push('…');
            s
        }
    }
}

/// The kinds of code pcnkit validates; used in [`CoreError::InvalidCode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum CodeKind {
    /// Any ODS organisation code.
    Ods,
    /// GP practice ODS code.
    Practice,
    /// Primary Care Network ODS code.
    Pcn,
    /// Integrated Care Board ODS code.
    Icb,
    /// Sub-ICB location ODS code.
    SubIcb,
    /// NHS England region ODS code.
    Region,
    /// ONS Lower layer Super Output Area code.
    Lsoa,
    /// ONS local authority district code.
    LocalAuthority,
    /// ONS Integrated Care Board code.
    OnsIcb,
    /// ONS Sub-ICB location code.
    OnsSubIcb,
    /// ONS NHS England region code.
    OnsRegion,
    /// UK postcode.
    Postcode,
}

impl fmt::Display for CodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CodeKind::Ods => "ODS code",
            CodeKind::Practice => "GP practice code",
            CodeKind::Pcn => "PCN code",
            CodeKind::Icb => "ICB code",
            CodeKind::SubIcb => "sub-ICB location code",
            CodeKind::Region => "NHS region code",
            CodeKind::Lsoa => "LSOA code",
            CodeKind::LocalAuthority => "local authority code",
            CodeKind::OnsIcb => "ONS ICB code",
            CodeKind::OnsSubIcb => "ONS sub-ICB location code",
            CodeKind::OnsRegion => "ONS NHS region code",
            CodeKind::Postcode => "postcode",
        })
    }
}

/// Where in an input a value came from: file, line (1-based, as an editor shows it) and field.
///
/// Every data error in pcnkit carries one, so a person can open the file at the right place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceLocation {
    /// The file (or stream) name, if known.
    pub file: Option<Arc<str>>,
    /// The 1-based line number, if known.
    pub line: Option<u64>,
    /// The column or JSON path, if known.
    pub field: Option<String>,
}

impl SourceLocation {
    /// A location in a named file.
    pub fn file(file: impl Into<Arc<str>>) -> Self {
        SourceLocation {
            file: Some(file.into()),
            line: None,
            field: None,
        }
    }

    /// This location at a given 1-based line.
    #[must_use]
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// This location at a given field.
    #[must_use]
    pub fn at_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            sep = ", ";
        }
        if let Some(line) = self.line {
            write!(f, "{sep}line {line}")?;
            sep = ", ";
        }
        if let Some(field) = &self.field {
            write!(f, "{sep}field `{field}`")?;
            sep = ", ";
        }
        if sep.is_empty() {
            f.write_str("<input>")?;
        }
        Ok(())
    }
}

/// What was wrong with one piece of input data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DataErrorKind {
    /// A value was present but invalid.
    #[error(transparent)]
    Invalid(#[from] CoreError),
    /// A required value was empty.
    #[error("required value is empty")]
    Missing,
    /// A required column is not in the header.
    #[error("required column is missing from the header")]
    MissingColumn,
    /// The record could not be read at all (wrong number of fields, bad encoding, bad JSON…).
    #[error("malformed record: {0}")]
    Malformed(String),
    /// The record is well formed but contradicts another record or a rule.
    #[error("{0}")]
    Conflict(String),
    /// A value was present but is not acceptable here (the message quotes it and says why).
    #[error("{0}")]
    BadValue(String),
    /// Reading the input failed.
    #[error("I/O error: {0}")]
    Io(String),
}

/// A data error: what was wrong ([`DataErrorKind`]) and where ([`SourceLocation`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {kind}")]
pub struct DataError {
    /// Where the bad value is.
    pub location: SourceLocation,
    /// What is wrong with it.
    pub kind: DataErrorKind,
}

impl DataError {
    /// A data error at a location.
    pub fn new(location: SourceLocation, kind: impl Into<DataErrorKind>) -> Self {
        DataError {
            location,
            kind: kind.into(),
        }
    }
}
