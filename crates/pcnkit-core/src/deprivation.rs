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

    /// The decile of the `position`-th (from 0, most deprived first) of `of` ranked areas:
    /// `⌈10·(position + 1) / of⌉`, so each decile holds a tenth of them. `None` when the
    /// position is not among them.
    ///
    /// ```
    /// use pcnkit_core::ImdDecile;
    /// assert_eq!(ImdDecile::of_rank(0, 4).map(|d| d.get()), Some(3));
    /// assert_eq!(ImdDecile::of_rank(3, 4).map(|d| d.get()), Some(10));
    /// assert_eq!(ImdDecile::of_rank(4, 4), None);
    /// ```
    pub fn of_rank(position: usize, of: usize) -> Option<Self> {
        if position >= of {
            return None;
        }
        let d = (position + 1).checked_mul(10)?.div_ceil(of).clamp(1, 10);
        u8::try_from(d).ok().map(ImdDecile)
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

/// Which release of the English Indices of Deprivation a figure is from: scores, ranks and
/// deciles of different releases (and LSOA boundaries) are not comparable, so every output
/// built from them names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum ImdRelease {
    /// The English Indices of Deprivation 2015 (DCLG, 2011 LSOAs).
    Iod2015,
    /// The English Indices of Deprivation 2019 (MHCLG, 2011 LSOAs).
    Iod2019,
    /// The English Indices of Deprivation 2025 (MHCLG, 2021 LSOAs).
    Iod2025,
    /// Another release, or synthetic figures, as the input names it.
    Named(String),
    /// The input does not say which release it is.
    Unstated,
}

impl ImdRelease {
    /// The release a name speaks of: `IoD2019`, `IMD 2019`, `2019`, `iod_2025`, … (case,
    /// spaces and `_`/`-` ignored); any other non-empty name as [`ImdRelease::Named`].
    ///
    /// ```
    /// use pcnkit_core::ImdRelease;
    /// assert_eq!(ImdRelease::from_name("IMD 2019"), ImdRelease::Iod2019);
    /// assert_eq!(ImdRelease::from_name("iod_2025"), ImdRelease::Iod2025);
    /// assert_eq!(ImdRelease::from_name(""), ImdRelease::Unstated);
    /// ```
    pub fn from_name(name: &str) -> Self {
        let key: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match key.as_str() {
            "" => ImdRelease::Unstated,
            "iod2015" | "imd2015" | "2015" => ImdRelease::Iod2015,
            "iod2019" | "imd2019" | "2019" => ImdRelease::Iod2019,
            "iod2025" | "imd2025" | "2025" => ImdRelease::Iod2025,
            _ => ImdRelease::Named(name.trim().to_owned()),
        }
    }

    /// The release a file name mentions (`File_2_-_IoD2019_Domains…`, `imd2025.csv`), if any.
    pub fn in_file_name(name: &str) -> Option<Self> {
        let key: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        [
            ("2015", ImdRelease::Iod2015),
            ("2019", ImdRelease::Iod2019),
            ("2025", ImdRelease::Iod2025),
        ]
        .into_iter()
        .find(|(y, _)| key.contains(&format!("iod{y}")) || key.contains(&format!("imd{y}")))
        .map(|(_, r)| r)
    }

    /// The LSOA boundaries of a published release (2011 or 2021).
    pub fn lsoa_vintage(&self) -> Option<u16> {
        match self {
            ImdRelease::Iod2015 | ImdRelease::Iod2019 => Some(2011),
            ImdRelease::Iod2025 => Some(2021),
            _ => None,
        }
    }
}

impl fmt::Display for ImdRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImdRelease::Iod2015 => f.write_str("English Indices of Deprivation 2015 (2011 LSOAs)"),
            ImdRelease::Iod2019 => f.write_str("English Indices of Deprivation 2019 (2011 LSOAs)"),
            ImdRelease::Iod2025 => f.write_str("English Indices of Deprivation 2025 (2021 LSOAs)"),
            ImdRelease::Named(n) => f.write_str(n),
            ImdRelease::Unstated => f.write_str("IMD release not stated in the input"),
        }
    }
}
