//! The error type of pcnkit-org.

use chrono::NaiveDate;
use pcnkit_core::{CoreError, DataError, PcnCode, PracticeCode};

use crate::membership::Membership;

/// Everything that can go wrong building or querying the organisation model.
///
/// Conflicts name both records involved (with the file and line they came from, when known), so
/// the person fixing the data can find them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrgError {
    /// A value was invalid.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A data file had a bad row (file, line, field).
    #[error(transparent)]
    Data(#[from] DataError),
    /// A practice would be in two PCNs on the same day.
    #[error("practice {practice} is in two PCNs on {date}: {first} and {second}")]
    OverlappingMembership {
        /// The practice.
        practice: PracticeCode,
        /// The first day both memberships hold.
        date: NaiveDate,
        /// One membership.
        first: Box<Membership>,
        /// The other.
        second: Box<Membership>,
    },
    /// A membership names a practice the registry does not know.
    #[error("unknown practice {practice} in {record}")]
    UnknownPractice {
        /// The practice code.
        practice: PracticeCode,
        /// The record that named it.
        record: String,
    },
    /// A membership or query names a PCN the registry does not know.
    #[error("unknown PCN {pcn} in {record}")]
    UnknownPcn {
        /// The PCN code.
        pcn: PcnCode,
        /// The record or query that named it.
        record: String,
    },
    /// The same organisation was defined twice with different details.
    #[error("{kind} {code} is defined twice with different details: {first} and {second}")]
    Duplicate {
        /// What kind of record.
        kind: &'static str,
        /// Its code.
        code: String,
        /// Where the first definition came from.
        first: String,
        /// Where the second came from.
        second: String,
    },
    /// A population was asked for a date before any list-size extract of a member practice.
    #[error("no registered list size for practice {practice} on or before {date}")]
    NoListSize {
        /// The practice.
        practice: PracticeCode,
        /// The date asked for.
        date: NaiveDate,
    },
    /// A population by age and sex was asked for, but a member practice's list is all persons
    /// only (as in the `gp-reg-pat-prac-all` file).
    #[error("practice {practice}'s list on {date} has no age/sex breakdown (all persons only)")]
    NoAgeSexBreakdown {
        /// The practice.
        practice: PracticeCode,
        /// The date asked for.
        date: NaiveDate,
    },
    /// A built-in data file of the crate did not load (the tests load every one, so a released
    /// build never returns this).
    #[error("built-in data {file}: {problem}")]
    BuiltinData {
        /// The file.
        file: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// A membership change (join, leave, merge, split) could not be applied.
    #[error("cannot apply {change}: {reason}")]
    InvalidChange {
        /// The change, described.
        change: String,
        /// Why not.
        reason: String,
    },
    /// Writing an export failed.
    #[error("export failed: {0}")]
    Export(String),
    /// An argument outside what the function accepts (an unknown file kind).
    #[error("{0}")]
    Invalid(String),
}
