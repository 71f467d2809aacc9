//! Whole-time equivalents and patient counts.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// The contracted hours that make 1.0 WTE.
///
/// ```
/// use pcnkit_core::{HoursBasis, Wte};
/// use rust_decimal::Decimal;
/// let wte = Wte::from_hours(Decimal::from(30), HoursBasis::AGENDA_FOR_CHANGE)?;
/// assert_eq!(wte.to_string(), "0.8");
/// # Ok::<(), pcnkit_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct HoursBasis(#[schemars(with = "String")] Decimal);

impl HoursBasis {
    /// 37.5 hours a week = 1.0 WTE, the Agenda for Change full-time week (NHS Terms and Conditions
    /// of Service Handbook, section 1.1).
    pub const AGENDA_FOR_CHANGE: HoursBasis = HoursBasis(Decimal::from_parts(375, 0, 0, false, 1));

    /// A custom full-time week (e.g. a salaried GP's sessions expressed in hours); must be positive.
    pub fn new(hours: Decimal) -> Result<Self, CoreError> {
        if hours > Decimal::ZERO {
            Ok(HoursBasis(hours))
        } else {
            Err(CoreError::InvalidWte {
                value: hours.to_string(),
                reason: "the hours basis must be positive",
            })
        }
    }

    /// Hours per week at 1.0 WTE.
    pub fn hours(self) -> Decimal {
        self.0
    }
}

/// A whole-time equivalent: strictly positive. 1.0 is one full-time post.
///
/// It is not capped at 1.0 here because a WTE can describe a team; rules that limit one person
/// to 1.0 check that themselves. Serialises as a decimal string (`"0.8"`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Wte(Decimal);

impl Wte {
    /// One full-time post.
    pub const ONE: Wte = Wte(Decimal::ONE);

    /// A WTE; zero or negative is an error.
    pub fn new(value: Decimal) -> Result<Self, CoreError> {
        if value > Decimal::ZERO {
            Ok(Wte(value.normalize()))
        } else {
            Err(CoreError::InvalidWte {
                value: value.to_string(),
                reason: "must be greater than 0",
            })
        }
    }

    /// The WTE of `hours` a week on `basis`.
    pub fn from_hours(hours: Decimal, basis: HoursBasis) -> Result<Self, CoreError> {
        let wte = hours
            .checked_div(basis.0)
            .ok_or(CoreError::Overflow("WTE from hours"))?;
        Self::new(wte).map_err(|_| CoreError::InvalidWte {
            value: format!("{hours} hours"),
            reason: "hours must be greater than 0",
        })
    }

    /// The value as a decimal.
    pub fn value(self) -> Decimal {
        self.0
    }

    /// Weekly hours on `basis`.
    pub fn hours(self, basis: HoursBasis) -> Decimal {
        self.0 * basis.0
    }
}

impl fmt::Display for Wte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Wte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Wte({})", self.0)
    }
}

impl FromStr for Wte {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let v = crate::money::parse_decimal_text(s).map_err(|_| CoreError::InvalidWte {
            value: CoreError::clip(s),
            reason: "not a decimal number",
        })?;
        Wte::new(v)
    }
}

impl Serialize for Wte {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Wte {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Wte {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Wte")
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]+(\\.[0-9]+)?$",
            "description": "Whole-time equivalent as a decimal string, greater than 0 (37.5 hours a week = 1.0 for Agenda for Change staff).",
            "examples": ["0.8"],
        })
    }
}

impl crate::arrow::ArrowType for Wte {
    fn arrow_data_type() -> arrow_schema::DataType {
        crate::arrow::DECIMAL_TYPE
    }
}

/// A count of registered patients (or people): a non-negative whole number.
///
/// Sums are checked; parsing accepts thousands separators (`"1,296"`, as some published CSVs
/// write them) but rejects fractions and negatives.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct PatientCount(pub u64);

impl PatientCount {
    /// No patients.
    pub const ZERO: PatientCount = PatientCount(0);

    /// The count as an integer.
    pub fn get(self) -> u64 {
        self.0
    }

    /// `self + other`, or an error on overflow.
    pub fn checked_add(self, other: PatientCount) -> Result<PatientCount, CoreError> {
        self.0
            .checked_add(other.0)
            .map(PatientCount)
            .ok_or(CoreError::Overflow("patient count"))
    }

    /// The exact sum of many counts.
    pub fn sum<I: IntoIterator<Item = PatientCount>>(counts: I) -> Result<PatientCount, CoreError> {
        counts
            .into_iter()
            .try_fold(PatientCount::ZERO, PatientCount::checked_add)
    }

    /// `count / self × per` (e.g. per 1,000 patients), or `None` when there are no patients.
    pub fn rate_per(self, count: f64, per: f64) -> Option<f64> {
        (self.0 > 0).then(|| count / self.0 as f64 * per)
    }
}

impl fmt::Display for PatientCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for PatientCount {
    type Err = CoreError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = |reason| CoreError::InvalidCount {
            value: CoreError::clip(input),
            reason,
        };
        let s = input.trim();
        if s.is_empty() {
            return Err(err("empty"));
        }
        if s.starts_with('-') {
            return Err(err("negative"));
        }
        let digits: String = s.chars().filter(|&c| c != ',').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.is_empty() {
            return Err(err("not a whole number"));
        }
        digits
            .parse()
            .map(PatientCount)
            .map_err(|_| err("too large"))
    }
}

impl From<u64> for PatientCount {
    fn from(n: u64) -> Self {
        PatientCount(n)
    }
}

impl crate::arrow::ArrowType for PatientCount {
    fn arrow_data_type() -> arrow_schema::DataType {
        arrow_schema::DataType::UInt64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wte_must_be_positive() {
        assert!(Wte::new(Decimal::ZERO).is_err());
        assert!("-0.5".parse::<Wte>().is_err());
        assert_eq!("1.00".parse::<Wte>().unwrap(), Wte::ONE);
        let w = Wte::from_hours(Decimal::from(15), HoursBasis::AGENDA_FOR_CHANGE).unwrap();
        assert_eq!(w.value(), Decimal::new(4, 1));
        assert_eq!(w.hours(HoursBasis::AGENDA_FOR_CHANGE), Decimal::from(15));
        assert!(Wte::from_hours(Decimal::ZERO, HoursBasis::AGENDA_FOR_CHANGE).is_err());
    }

    #[test]
    fn counts_parse_like_published_files() {
        assert_eq!("1,296".parse::<PatientCount>().unwrap(), PatientCount(1296));
        for bad in ["", "-1", "1.5", "x", "99999999999999999999999"] {
            assert!(bad.parse::<PatientCount>().is_err(), "{bad}");
        }
        assert_eq!(PatientCount(0).rate_per(1.0, 1000.0), None);
        assert_eq!(PatientCount(2000).rate_per(5.0, 1000.0), Some(2.5));
    }
}
