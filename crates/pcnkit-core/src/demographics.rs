//! Age bands, age-band schemes and sex, as NHS Digital publishes them.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// The oldest age a band may name. Ages are whole years.
pub const MAX_AGE: u8 = 120;

/// A range of whole years of age, inclusive, possibly open-ended (`90+`).
///
/// Parses the labels used by NHS Digital and Fingertips: `0-4`, `0_4`, `0 to 4`, `<5`, `<=4`,
/// `90+`, `95+`, `7` (a single year). Displays as `0-4`, `90+` or `7`.
///
/// ```
/// use pcnkit_core::AgeBand;
/// let band: AgeBand = "85_89".parse()?;
/// assert_eq!(band.to_string(), "85-89");
/// assert!(band.contains(87));
/// assert_eq!("95+".parse::<AgeBand>()?.upper(), None);
/// # Ok::<(), pcnkit_core::CoreError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AgeBand {
    lower: u8,
    upper: Option<u8>,
}

impl AgeBand {
    /// Ages `lower` to `upper` inclusive; `upper` must not be below `lower`, and both at most
    /// [`MAX_AGE`].
    pub fn new(lower: u8, upper: u8) -> Result<Self, CoreError> {
        if upper < lower || upper > MAX_AGE {
            return Err(CoreError::InvalidAgeBand {
                value: format!("{lower}-{upper}"),
                reason: "the upper age must be at least the lower age and at most 120",
            });
        }
        Ok(AgeBand {
            lower,
            upper: Some(upper),
        })
    }

    /// One year of age.
    pub fn single(age: u8) -> Result<Self, CoreError> {
        Self::new(age, age)
    }

    /// `lower` and over.
    pub fn open(lower: u8) -> Result<Self, CoreError> {
        if lower > MAX_AGE {
            return Err(CoreError::InvalidAgeBand {
                value: format!("{lower}+"),
                reason: "age above 120",
            });
        }
        Ok(AgeBand { lower, upper: None })
    }

    /// Youngest age in the band.
    pub fn lower(self) -> u8 {
        self.lower
    }

    /// Oldest age in the band, or `None` if open-ended.
    pub fn upper(self) -> Option<u8> {
        self.upper
    }

    /// Whether `age` is in the band.
    pub fn contains(self, age: u8) -> bool {
        age >= self.lower && self.upper.is_none_or(|u| age <= u)
    }

    /// Whether every age of `self` is inside `outer`.
    pub fn is_within(self, outer: AgeBand) -> bool {
        self.lower >= outer.lower
            && match (self.upper, outer.upper) {
                (_, None) => true,
                (None, Some(_)) => false,
                (Some(a), Some(b)) => a <= b,
            }
    }
}

impl fmt::Display for AgeBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.upper {
            None => write!(f, "{}+", self.lower),
            Some(u) if u == self.lower => write!(f, "{u}"),
            Some(u) => write!(f, "{}-{}", self.lower, u),
        }
    }
}

impl fmt::Debug for AgeBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AgeBand({self})")
    }
}

impl FromStr for AgeBand {
    type Err = CoreError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = |reason| CoreError::InvalidAgeBand {
            value: CoreError::clip(input),
            reason,
        };
        let s = input.trim();
        let age = |t: &str| -> Result<u8, CoreError> {
            let t = t.trim();
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("expected a whole number of years"));
            }
            t.parse::<u8>()
                .ok()
                .filter(|&a| a <= MAX_AGE)
                .ok_or_else(|| err("age above 120"))
        };
        if let Some(rest) = s.strip_suffix('+') {
            return AgeBand::open(age(rest)?);
        }
        if let Some(rest) = s.strip_prefix("<=") {
            return AgeBand::new(0, age(rest)?);
        }
        if let Some(rest) = s.strip_prefix('<') {
            let below = age(rest)?;
            let upper = below.checked_sub(1).ok_or_else(|| err("no ages below 0"))?;
            return AgeBand::new(0, upper);
        }
        let split = s
            .split_once(" to ")
            .or_else(|| s.split_once('-'))
            .or_else(|| s.split_once('_'));
        match split {
            Some((a, b)) => {
                AgeBand::new(age(a)?, age(b)?).map_err(|_| err("upper age below lower age"))
            }
            None => AgeBand::single(age(s)?),
        }
    }
}

/// A way of cutting ages into bands that covers every age from 0 with no gaps or overlaps,
/// ending in an open band.
///
/// ```
/// use pcnkit_core::{AgeBand, AgeBandScheme};
/// let esp = AgeBandScheme::esp2013();
/// assert_eq!(esp.bands().len(), 19);
/// assert_eq!(esp.band_of(93).to_string(), "90+");
/// // Single years published by NHS Digital regroup into the 19 bands:
/// assert_eq!(esp.band_containing("95+".parse()?)?.to_string(), "90+");
/// # Ok::<(), pcnkit_core::CoreError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "Vec<AgeBand>", into = "Vec<AgeBand>")]
pub struct AgeBandScheme {
    // Invariant (checked in `custom`): starts at 0, contiguous, last band open, all others closed.
    bands: Vec<AgeBand>,
}

impl AgeBandScheme {
    /// Any scheme from its bands in order; they must start at 0, touch without gaps or overlaps,
    /// and end with an open band.
    pub fn custom(bands: Vec<AgeBand>) -> Result<Self, CoreError> {
        let bad = |reason| CoreError::InvalidAgeBand {
            value: bands
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(","),
            reason,
        };
        let first = bands
            .first()
            .ok_or_else(|| bad("a scheme needs at least one band"))?;
        if first.lower != 0 {
            return Err(bad("the first band must start at age 0"));
        }
        for pair in bands.windows(2) {
            if let [a, b] = pair {
                match a.upper {
                    None => return Err(bad("only the last band may be open-ended")),
                    Some(u) if u16::from(u) + 1 != u16::from(b.lower) => {
                        return Err(bad("bands must follow on without gaps or overlaps"));
                    }
                    Some(_) => {}
                }
            }
        }
        if bands.last().is_some_and(|b| b.upper.is_some()) {
            return Err(bad("the last band must be open-ended (e.g. 90+)"));
        }
        Ok(AgeBandScheme { bands })
    }

    /// Single years `0`, `1`, …, `open_from - 1`, then `open_from+`. NHS Digital publishes
    /// single years to 94 and then `95+` (`single_years(95)`).
    pub fn single_years(open_from: u8) -> Result<Self, CoreError> {
        let mut bands: Vec<AgeBand> = (0..open_from.min(MAX_AGE))
            .map(|a| AgeBand {
                lower: a,
                upper: Some(a),
            })
            .collect();
        bands.push(AgeBand::open(open_from)?);
        Self::custom(bands)
    }

    /// Five-year bands `0-4`, `5-9`, … up to `open_from+` (`open_from` must be a multiple of 5).
    pub fn five_year(open_from: u8) -> Result<Self, CoreError> {
        if !open_from.is_multiple_of(5) || open_from == 0 {
            return Err(CoreError::InvalidAgeBand {
                value: format!("{open_from}+"),
                reason: "a five-year scheme must open at a positive multiple of 5",
            });
        }
        let mut bands: Vec<AgeBand> = (0..open_from / 5)
            .map(|i| AgeBand {
                lower: i * 5,
                upper: Some(i * 5 + 4),
            })
            .collect();
        bands.push(AgeBand::open(open_from)?);
        Self::custom(bands)
    }

    /// The 19 bands of the European Standard Population 2013 as UKHSA uses it: `0-4`, `5-9`, …,
    /// `85-89`, `90+`.
    pub fn esp2013() -> Self {
        let mut bands: Vec<AgeBand> = (0..18u8)
            .map(|i| AgeBand {
                lower: i * 5,
                upper: Some(i * 5 + 4),
            })
            .collect();
        bands.push(AgeBand {
            lower: 90,
            upper: None,
        });
        AgeBandScheme { bands }
    }

    /// The bands in age order.
    pub fn bands(&self) -> &[AgeBand] {
        &self.bands
    }

    /// The position of the band containing `age`.
    pub fn index_of(&self, age: u8) -> usize {
        // Bands are sorted and contiguous from 0, so the answer is the last band starting at or
        // below `age`; the last band is open, so every age has one.
        self.bands
            .partition_point(|b| b.lower <= age)
            .saturating_sub(1)
    }

    /// The band containing `age`.
    pub fn band_of(&self, age: u8) -> AgeBand {
        let i = self.index_of(age);
        self.bands.get(i).copied().unwrap_or(AgeBand {
            lower: 0,
            upper: None,
        })
    }

    /// The one band of this scheme that wholly contains `band`, for regrouping finer data; an
    /// error if `band` straddles two bands (e.g. `0-9` into five-year bands).
    pub fn band_containing(&self, band: AgeBand) -> Result<AgeBand, CoreError> {
        let outer = self.band_of(band.lower);
        if band.is_within(outer) {
            Ok(outer)
        } else {
            Err(CoreError::InvalidAgeBand {
                value: band.to_string(),
                reason: "straddles two bands of the target scheme",
            })
        }
    }
}

impl TryFrom<Vec<AgeBand>> for AgeBandScheme {
    type Error = CoreError;
    fn try_from(bands: Vec<AgeBand>) -> Result<Self, Self::Error> {
        Self::custom(bands)
    }
}

impl From<AgeBandScheme> for Vec<AgeBand> {
    fn from(s: AgeBandScheme) -> Self {
        s.bands
    }
}

impl fmt::Debug for AgeBandScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.bands.iter().map(ToString::to_string))
            .finish()
    }
}

/// Sex as NHS Digital publishes registered-patient counts: male, female, and a value for
/// unknown, indeterminate or other (kept, never dropped).
///
/// `ALL` in NHS files is a total across sexes, not a sex, so it does not parse; importers treat
/// it as a total row.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Male.
    Male,
    /// Female.
    Female,
    /// Unknown, indeterminate, not specified or other.
    Unknown,
}

impl Sex {
    /// All three values, in the order used for output columns.
    pub const ALL: [Sex; 3] = [Sex::Male, Sex::Female, Sex::Unknown];

    /// `male`, `female` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
            Sex::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Sex {
    type Err = CoreError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let s = input.trim().to_ascii_uppercase();
        match s.as_str() {
            "M" | "MALE" => Ok(Sex::Male),
            "F" | "FEMALE" => Ok(Sex::Female),
            "U" | "UNKNOWN" | "I" | "INDETERMINATE" | "O" | "OTHER" | "NOT KNOWN"
            | "NOT SPECIFIED" | "UNSPECIFIED" => Ok(Sex::Unknown),
            _ => Err(CoreError::InvalidSex {
                value: CoreError::clip(input),
            }),
        }
    }
}

impl Serialize for AgeBand {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AgeBand {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for AgeBand {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("AgeBand")
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{1,3}(-[0-9]{1,3}|\\+)?$",
            "description": "Whole years of age, inclusive: 0-4, 90+ (open-ended) or 7 (one year).",
            "examples": ["0-4", "90+", "7"],
        })
    }
}

impl crate::arrow::ArrowType for AgeBand {
    fn arrow_data_type() -> arrow_schema::DataType {
        arrow_schema::DataType::Utf8
    }
}

impl crate::arrow::ArrowType for Sex {
    fn arrow_data_type() -> arrow_schema::DataType {
        arrow_schema::DataType::Utf8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_published_labels() {
        let cases = [
            ("0_4", "0-4"),
            ("0 to 4", "0-4"),
            ("<5", "0-4"),
            ("<=4", "0-4"),
            ("95+", "95+"),
            ("7", "7"),
            (" 10-14 ", "10-14"),
        ];
        for (input, shown) in cases {
            assert_eq!(
                input.parse::<AgeBand>().unwrap().to_string(),
                shown,
                "{input}"
            );
        }
        for bad in ["", "5-4", "x", "-4", "121", "<0", "4-", "1e2"] {
            assert!(bad.parse::<AgeBand>().is_err(), "{bad}");
        }
    }

    #[test]
    fn schemes_cover_every_age() {
        let single = AgeBandScheme::single_years(95).unwrap();
        assert_eq!(single.bands().len(), 96);
        assert_eq!(single.band_of(120).to_string(), "95+");
        let five = AgeBandScheme::five_year(90).unwrap();
        assert_eq!(five, AgeBandScheme::esp2013());
        assert!(
            AgeBandScheme::custom(vec![
                AgeBand::new(0, 4).unwrap(),
                AgeBand::new(6, 9).unwrap()
            ])
            .is_err()
        );
        assert!(AgeBandScheme::custom(vec![AgeBand::new(1, 4).unwrap()]).is_err());
        assert!(
            AgeBandScheme::custom(vec![AgeBand::open(0).unwrap(), AgeBand::open(5).unwrap()])
                .is_err()
        );
        assert!(AgeBandScheme::five_year(92).is_err());
        assert!(
            AgeBandScheme::esp2013()
                .band_containing("0-9".parse().unwrap())
                .is_err()
        );
    }

    #[test]
    fn scheme_json_is_a_list_of_labels() {
        let s = AgeBandScheme::five_year(10).unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"["0-4","5-9","10+"]"#);
        assert!(serde_json::from_str::<AgeBandScheme>(r#"["0-4","6-9","10+"]"#).is_err());
    }

    #[test]
    fn sex_keeps_unknown_and_rejects_totals() {
        assert_eq!("FEMALE".parse::<Sex>().unwrap(), Sex::Female);
        assert_eq!("I".parse::<Sex>().unwrap(), Sex::Unknown);
        assert!("ALL".parse::<Sex>().is_err());
        assert_eq!(serde_json::to_string(&Sex::Male).unwrap(), "\"male\"");
    }
}
