//! Practice membership of PCNs over time, and the changes that move it.

use std::fmt;

use chrono::NaiveDate;
use pcnkit_core::{PcnCode, Period, PracticeCode, SourceLocation};
use serde::{Deserialize, Serialize};

/// A practice's membership of a PCN for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Membership {
    /// The practice.
    pub practice: PracticeCode,
    /// The PCN.
    pub pcn: PcnCode,
    /// When the practice is a member (start and last day inclusive; open if still a member).
    pub period: Period,
    /// Where the record came from, when it was imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(skip)]
    pub source: Option<SourceLocation>,
}

impl Membership {
    /// A membership for a period.
    pub fn new(practice: PracticeCode, pcn: PcnCode, period: Period) -> Self {
        Membership {
            practice,
            pcn,
            period,
            source: None,
        }
    }

    /// The same membership, remembering where it was read from.
    #[must_use]
    pub fn with_source(mut self, source: SourceLocation) -> Self {
        self.source = Some(source);
        self
    }
}

impl fmt::Display for Membership {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} in {} {}", self.practice, self.pcn, self.period)?;
        if let Some(source) = &self.source {
            write!(f, " ({source})")?;
        }
        Ok(())
    }
}

/// A change to the membership timeline, kept so a registry can say how it got to where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MembershipChange {
    /// A practice joins a PCN from a date.
    Join {
        /// The practice.
        practice: PracticeCode,
        /// The PCN joined.
        pcn: PcnCode,
        /// First day of membership.
        from: NaiveDate,
    },
    /// A practice leaves its PCN; `last_day` is its last day as a member.
    Leave {
        /// The practice.
        practice: PracticeCode,
        /// Last day of membership.
        last_day: NaiveDate,
    },
    /// PCNs merge into one (which may be one of them, or new) from a date.
    MergePcns {
        /// The PCNs whose practices move.
        sources: Vec<PcnCode>,
        /// The PCN they move into.
        into: PcnCode,
        /// First day in the merged PCN.
        from: NaiveDate,
    },
    /// A PCN splits: each listed practice moves to the PCN it is listed under.
    SplitPcn {
        /// The PCN that splits.
        source: PcnCode,
        /// New PCN and the practices that go to it.
        parts: Vec<(PcnCode, Vec<PracticeCode>)>,
        /// First day in the new PCNs.
        from: NaiveDate,
    },
    /// A practice is absorbed by another: it leaves its PCN and closes the day before `from`.
    MergePractices {
        /// The practice that closes.
        absorbed: PracticeCode,
        /// The practice that continues.
        into: PracticeCode,
        /// First day of the merged practice.
        from: NaiveDate,
    },
}

impl fmt::Display for MembershipChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MembershipChange::Join {
                practice,
                pcn,
                from,
            } => write!(f, "{practice} joins {pcn} from {from}"),
            MembershipChange::Leave { practice, last_day } => {
                write!(f, "{practice} leaves its PCN after {last_day}")
            }
            MembershipChange::MergePcns {
                sources,
                into,
                from,
            } => {
                let names: Vec<String> = sources.iter().map(ToString::to_string).collect();
                write!(f, "merge of {} into {into} from {from}", names.join(", "))
            }
            MembershipChange::SplitPcn {
                source,
                parts,
                from,
            } => {
                let names: Vec<String> = parts.iter().map(|(p, _)| p.to_string()).collect();
                write!(f, "split of {source} into {} from {from}", names.join(", "))
            }
            MembershipChange::MergePractices {
                absorbed,
                into,
                from,
            } => {
                write!(f, "merger of practice {absorbed} into {into} from {from}")
            }
        }
    }
}
