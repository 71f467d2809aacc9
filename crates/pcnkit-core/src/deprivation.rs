//! Index of Multiple Deprivation deciles and quintiles: one definition of the range and of how
//! a decile (or a mean of deciles) maps to a quintile, for every crate (they were converted
//! four different ways: the LSOA reader, asset coverage, prevalence and the report).

use std::fmt;

use crate::error::CoreError;

/// An IMD decile: 1 (the most deprived tenth of LSOAs in England) to 10 (the least).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct ImdDecile(u8);

/// An IMD quintile: 1 (the most deprived fifth) to 5 (the least): deciles 1–2 are quintile 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct ImdQuintile(u8);

impl<'de> serde::Deserialize<'de> for ImdDecile {
    /// A decile from its number, checked: 0 or 11 is an error, never a decile.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u8::deserialize(d)?;
        ImdDecile::new(n).map_err(serde::de::Error::custom)
    }
}

impl<'de> serde::Deserialize<'de> for ImdQuintile {
    /// A quintile from its number, checked.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u8::deserialize(d)?;
        ImdQuintile::new(n).map_err(serde::de::Error::custom)
    }
}

impl ImdDecile {
    /// A decile from 1 to 10.
    ///
    /// ```
    /// use pcnkit_core::ImdDecile;
    /// assert_eq!(ImdDecile::new(3)?.quintile().get(), 2);
    /// assert!(ImdDecile::new(11).is_err());
    /// # Ok::<(), pcnkit_core::CoreError>(())
    /// ```
    pub fn new(decile: u8) -> Result<Self, CoreError> {
        if (1..=10).contains(&decile) {
            Ok(ImdDecile(decile))
        } else {
            Err(CoreError::InvalidDeprivation {
                value: decile.to_string(),
                expected: "a decile from 1 to 10",
            })
        }
    }

    /// The decile, 1 to 10.
    pub fn get(self) -> u8 {
        self.0
    }

    /// Its quintile: deciles 1 and 2 are quintile 1, …, 9 and 10 quintile 5.
    pub fn quintile(self) -> ImdQuintile {
        ImdQuintile(self.0.div_ceil(2))
    }
}

impl ImdQuintile {
    /// Every quintile, most deprived first.
    pub fn all() -> impl Iterator<Item = ImdQuintile> {
        (1..=5).map(ImdQuintile)
    }

    /// A quintile from 1 to 5.
    pub fn new(quintile: u8) -> Result<Self, CoreError> {
        if (1..=5).contains(&quintile) {
            Ok(ImdQuintile(quintile))
        } else {
            Err(CoreError::InvalidDeprivation {
                value: quintile.to_string(),
                expected: "a quintile from 1 to 5",
            })
        }
    }

    /// The quintile of a mean of deciles (a practice's patients, weighted by where they
    /// live), rounding half-way cases towards the more deprived quintile as the decile mapping
    /// does (a mean of 2.0 is quintile 1, of 2.1 quintile 2). `None` for a mean outside 1–10 or
    /// not a number.
    ///
    /// ```
    /// use pcnkit_core::ImdQuintile;
    /// assert_eq!(ImdQuintile::of_mean_decile(2.0).map(|q| q.get()), Some(1));
    /// assert_eq!(ImdQuintile::of_mean_decile(2.1).map(|q| q.get()), Some(2));
    /// assert_eq!(ImdQuintile::of_mean_decile(0.5), None);
    /// ```
    pub fn of_mean_decile(mean: f64) -> Option<Self> {
        if !(1.0..=10.0).contains(&mean) {
            return None;
        }
        // ⌈mean / 2⌉ is 1 to 5 for a mean in [1, 10].
        let q = (mean / 2.0).ceil() as u8;
        Some(ImdQuintile(q.clamp(1, 5)))
    }

    /// The quintile, 1 to 5.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for ImdDecile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for ImdQuintile {
    /// `Q1` … `Q5`, as the report labels them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Q{}", self.0)
    }
}
