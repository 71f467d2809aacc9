//! The statistical methods for one group, from the formulas in the UKHSA documentation (as
//! implemented by the R package PHEindicatormethods; no code of the GPL-licensed peers was used).

use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::IndicatorError;

mod crude;
mod limits;
mod quantile;
mod standardised;

pub use crude::*;
pub use limits::*;
pub use quantile::*;
pub use standardised::*;

/// A confidence level in [0.9, 1): 0.95 and 0.998 are the Fingertips levels. The normal
/// quantile is computed once, when the level is made, not per row.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Confidence {
    level: f64,
    z: f64,
}

impl Confidence {
    /// 95% (z = 1.959963984540054, as `indicator-methods.md` gives it; tested against the
    /// computed quantile).
    pub const C95: Confidence = Confidence {
        level: 0.95,
        z: 1.959963984540054,
    };
    /// 99.8% (z = 3.090232306167813).
    pub const C998: Confidence = Confidence {
        level: 0.998,
        z: 3.090232306167813,
    };

    /// A level from a fraction in [0.9, 1) or, as R accepts, a percentage in [90, 100).
    pub fn new(level: f64) -> Result<Self, IndicatorError> {
        let c = if (90.0..100.0).contains(&level) {
            level / 100.0
        } else {
            level
        };
        if (0.9..1.0).contains(&c) {
            Ok(Confidence {
                level: c,
                z: standard_normal().inverse_cdf(1.0 - (1.0 - c) / 2.0),
            })
        } else {
            Err(IndicatorError::Confidence(level))
        }
    }

    /// Several levels, rejecting duplicates (compared to 4 decimal places). Any set of levels
    /// is accepted for every method, where R takes one level or 95% with 99.8% for some of
    /// them (a deliberate difference: the methods do not depend on which levels are asked).
    pub fn levels(levels: &[f64]) -> Result<Vec<Confidence>, IndicatorError> {
        let mut out: Vec<Confidence> = Vec::with_capacity(levels.len());
        for &l in levels {
            let c = Confidence::new(l)?;
            out.push(c);
        }
        check_levels(&out)?;
        Ok(out)
    }

    /// The level to 4 decimal places, the precision at which two levels are the same one.
    fn key(self) -> i64 {
        (self.level * 1e4).round() as i64
    }

    /// Levels from text as a user types them: `none` (no interval), or levels separated by
    /// commas as fractions or percentages (`0.95,0.998`, `95, 99.8`). Every front end parses
    /// with this, so they accept the same things.
    pub fn parse_levels(text: &str) -> Result<Vec<Confidence>, IndicatorError> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("none") {
            return Ok(Vec::new());
        }
        let numbers = text
            .split(',')
            .map(|part| {
                part.trim().parse::<f64>().map_err(|_| {
                    IndicatorError::Invalid(format!(
                        "confidence {part:?}: give levels such as 0.95,0.998 or none"
                    ))
                })
            })
            .collect::<Result<Vec<f64>, _>>()?;
        Confidence::levels(&numbers)
    }

    /// The level as a fraction.
    pub fn get(self) -> f64 {
        self.level
    }

    /// The two-sided normal quantile, z = Φ⁻¹(1 − (1 − c)/2).
    pub fn z(self) -> f64 {
        self.z
    }

    /// The label used in R's column names: `95_0` for 0.95, `99_8` for 0.998.
    pub fn label(self) -> String {
        format!("{:.1}", self.level * 100.0).replace('.', "_")
    }

    /// The percentage as R writes it in the `confidence` column: `95%`, `99.8%`.
    pub fn percent(self) -> String {
        let p = self.level * 100.0;
        let s = format!("{p:.1}");
        format!("{}%", s.strip_suffix(".0").unwrap_or(&s))
    }
}

/// Refuses a set of levels that names one level twice (to 4 decimal places): its limit
/// columns would share a name. Every method and table checks this, whoever built the levels.
pub fn check_levels(levels: &[Confidence]) -> Result<(), IndicatorError> {
    for (i, c) in levels.iter().enumerate() {
        if levels
            .get(..i)
            .is_some_and(|before| before.iter().any(|o| o.key() == c.key()))
        {
            return Err(IndicatorError::DuplicateConfidence(c.level));
        }
    }
    Ok(())
}

fn standard_normal() -> Normal {
    // Mean 0 and standard deviation 1 are valid parameters, so construction cannot fail.
    Normal::standard()
}

/// How an interval was computed (the `method` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum Method {
    /// Wilson score interval (proportions).
    Wilson,
    /// Exact Poisson (counts below 10).
    Exact,
    /// Byar's approximation (counts of 10 or more).
    Byars,
    /// Dobson's method (directly standardised rates).
    Dobson,
    /// Student's t-distribution (means).
    StudentsT,
    /// Dobson's method with the variance adjusted for people with several events.
    DobsonNonIndependent,
    /// Chiang II abridged life table (life expectancy).
    ChiangII,
    /// Limits simulated by Monte Carlo (slope and relative index of inequality).
    Simulation,
}

impl Method {
    /// The name as the R package writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Wilson => "Wilson",
            Method::Exact => "Exact",
            Method::Byars => "Byars",
            Method::Dobson => "Dobson",
            Method::StudentsT => "Student's t-distribution",
            Method::DobsonNonIndependent => {
                "Dobson, with confidence adjusted for non-independent events"
            }
            Method::ChiangII => "Chiang, using Silcocks et al for confidence limits",
            Method::Simulation => "simulation",
        }
    }
}

/// An estimate with one interval per confidence level. `value` and the limits are `None` where
/// the method defines no value (a DSR of fewer than 10 events; a mean of one observation), and
/// `note` then says why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Estimate {
    /// The point estimate (already multiplied).
    pub value: Option<f64>,
    /// Lower limits, one per level, in the order the levels were given.
    pub lower: Vec<Option<f64>>,
    /// Upper limits.
    pub upper: Vec<Option<f64>>,
    /// The method.
    pub method: Method,
    /// Why a value or limit is missing.
    pub note: Option<&'static str>,
}

/// Where a method writes its result: an [`Estimate`] for one group, or the output columns of
/// a table (so a table of 10,000 groups allocates no per-group vectors).
pub(crate) trait Sink {
    /// The point estimate, method and note of the current group.
    fn point(&mut self, value: Option<f64>, method: Method, note: Option<&'static str>);
    /// The limits at level number `level` (called once per level, in order).
    fn limits(&mut self, level: usize, lower: Option<f64>, upper: Option<f64>);
}

impl Estimate {
    pub(crate) fn empty(levels: usize) -> Self {
        Estimate {
            value: None,
            lower: Vec::with_capacity(levels),
            upper: Vec::with_capacity(levels),
            method: Method::Wilson,
            note: None,
        }
    }
}

impl Sink for Estimate {
    fn point(&mut self, value: Option<f64>, method: Method, note: Option<&'static str>) {
        self.value = value;
        self.method = method;
        self.note = note;
    }

    fn limits(&mut self, _level: usize, lower: Option<f64>, upper: Option<f64>) {
        self.lower.push(lower);
        self.upper.push(upper);
    }
}
