//! QOF- and IIF-style achievement, points and payment, as typed indicator definitions.
//!
//! The Quality and Outcomes Framework (practices) and the Investment and Impact Fund (PCNs)
//! share one structure (`pcn-contract-facts.md` §4.5 and §6):
//! - achievement D = A ÷ (B − C) × 100, where A is the patients for whom the task or outcome
//!   was achieved, B the patients on the register and C the personalised care adjustments
//!   (PCAs) and exceptions;
//! - points H = (D − E) ÷ (F − E) × G between the lower threshold E and the upper threshold F
//!   (G points available): none at or below E, all at or above F;
//! - payment = points × value of a point × list-size adjustment × prevalence adjustment
//!   (where the indicator is prevalence-adjusted). The list-size adjustment is the list
//!   divided by the national average list (QOF's Contractor Population Index; for the IIF the
//!   PCN list over the national average PCN list); the prevalence adjustment is the local
//!   prevalence over the national prevalence.
//!
//! Everything is exact decimal arithmetic; nothing is rounded, because the sources give no
//! rounding rule for points or payments (round with [`Money::round_to_penny`] where a
//! statement does). Per-indicator thresholds and points change every year and are **not**
//! built in: the sources gathered for this project do not settle them (see
//! `pcn-contract-facts.md` §4.5, "Per-indicator thresholds and points … NF"), so the caller
//! gives them in an [`IndicatorDefinition`], with the document they come from. Point values
//! that are sourced are in [`point_value`].

use pcnkit_core::{FinancialYear, Money};
use rust_decimal::Decimal;

use crate::error::IndicatorError;

/// Which scheme an indicator belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum Scheme {
    /// Quality and Outcomes Framework (practice level).
    Qof,
    /// Network Contract DES Investment and Impact Fund (PCN level).
    Iif,
}

/// A QOF or IIF indicator: thresholds, points and whether payment is prevalence-adjusted.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct IndicatorDefinition {
    /// The indicator's code, e.g. `DM012` or `HI-03`.
    pub id: String,
    /// What it measures.
    pub description: String,
    /// QOF or IIF.
    pub scheme: Scheme,
    /// Points available (G).
    pub points: Decimal,
    /// Lower threshold, percent (E).
    pub lower_threshold: Decimal,
    /// Upper threshold, percent (F).
    pub upper_threshold: Decimal,
    /// Whether payment is adjusted for prevalence.
    pub prevalence_adjusted: bool,
    /// The document the thresholds and points come from (guidance, year, section).
    pub source: String,
}

impl IndicatorDefinition {
    /// A definition, checked: thresholds within 0–100 with lower below upper, points ≥ 0.
    pub fn new(
        id: impl Into<String>,
        scheme: Scheme,
        points: Decimal,
        lower_threshold: Decimal,
        upper_threshold: Decimal,
        source: impl Into<String>,
    ) -> Result<Self, IndicatorError> {
        let id = id.into();
        let hundred = Decimal::ONE_HUNDRED;
        if lower_threshold < Decimal::ZERO
            || upper_threshold > hundred
            || lower_threshold >= upper_threshold
        {
            return Err(IndicatorError::Invalid(format!(
                "indicator {id}: thresholds must satisfy 0 ≤ lower < upper ≤ 100, found {lower_threshold} and {upper_threshold}"
            )));
        }
        if points < Decimal::ZERO {
            return Err(IndicatorError::Invalid(format!(
                "indicator {id}: points cannot be negative ({points})"
            )));
        }
        Ok(IndicatorDefinition {
            id,
            description: String::new(),
            scheme,
            points,
            lower_threshold,
            upper_threshold,
            prevalence_adjusted: false,
            source: source.into(),
        })
    }

    /// Sets the description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = d.into();
        self
    }

    /// Marks the indicator as prevalence-adjusted.
    pub fn prevalence_adjusted(mut self, yes: bool) -> Self {
        self.prevalence_adjusted = yes;
        self
    }

    /// Achievement and points for one practice or PCN.
    pub fn achievement(&self, counts: AchievementCounts) -> Result<Achievement, IndicatorError> {
        let AchievementCounts {
            achieved,
            register,
            adjustments,
        } = counts;
        if adjustments > register {
            return Err(IndicatorError::Invalid(format!(
                "indicator {}: {adjustments} personalised care adjustments exceed the register of {register}",
                self.id
            )));
        }
        let denominator = register - adjustments;
        if achieved > denominator {
            return Err(IndicatorError::NumeratorAboveDenominator {
                numerator: achieved as f64,
                denominator: denominator as f64,
            });
        }
        if denominator == 0 {
            return Err(IndicatorError::Invalid(format!(
                "indicator {}: no eligible patients (register {register}, adjustments {adjustments}): achievement is undefined",
                self.id
            )));
        }
        let percent = Decimal::from(achieved) * Decimal::ONE_HUNDRED / Decimal::from(denominator);
        let points = if percent <= self.lower_threshold {
            Decimal::ZERO
        } else if percent >= self.upper_threshold {
            self.points
        } else {
            (percent - self.lower_threshold) / (self.upper_threshold - self.lower_threshold)
                * self.points
        };
        Ok(Achievement {
            id: self.id.clone(),
            denominator,
            percent,
            points,
        })
    }
}

/// The counts an indicator is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AchievementCounts {
    /// A: patients for whom the task or outcome was achieved.
    pub achieved: u64,
    /// B: patients on the register (or in the cohort).
    pub register: u64,
    /// C: personalised care adjustments and exceptions.
    pub adjustments: u64,
}

/// Achievement of one indicator.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Achievement {
    /// The indicator.
    pub id: String,
    /// B − C.
    pub denominator: u64,
    /// D, percent.
    pub percent: Decimal,
    /// H, points earned (unrounded).
    pub points: Decimal,
}

/// What turns points into pounds for one practice or PCN.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PaymentBasis {
    /// Value of one point.
    pub point_value: Money,
    /// Local list size.
    pub list_size: u64,
    /// National average list size (practice for QOF, PCN for IIF) of the year.
    pub national_average_list: u64,
    /// Local prevalence of the indicator's condition (a fraction), when adjusted.
    pub prevalence: Option<Decimal>,
    /// National prevalence (a fraction), when adjusted.
    pub national_prevalence: Option<Decimal>,
}

/// The payment for an achievement: points × point value × list-size adjustment × prevalence
/// adjustment (for prevalence-adjusted indicators). Exact, unrounded.
pub fn payment(
    definition: &IndicatorDefinition,
    achievement: &Achievement,
    basis: &PaymentBasis,
) -> Result<Money, IndicatorError> {
    if basis.national_average_list == 0 {
        return Err(IndicatorError::Invalid(
            "the national average list size must be positive".to_owned(),
        ));
    }
    let mut factor = achievement.points * Decimal::from(basis.list_size)
        / Decimal::from(basis.national_average_list);
    if definition.prevalence_adjusted {
        match (basis.prevalence, basis.national_prevalence) {
            (Some(p), Some(n)) if n > Decimal::ZERO && p >= Decimal::ZERO => {
                factor = factor * p / n;
            }
            _ => {
                return Err(IndicatorError::Invalid(format!(
                    "indicator {} is prevalence-adjusted: give local and national prevalence (national above 0)",
                    definition.id
                )));
            }
        }
    }
    basis
        .point_value
        .checked_mul(factor)
        .map_err(|e| IndicatorError::Invalid(e.to_string()))
}

/// A published value of one point, with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct PointValue {
    /// QOF or IIF.
    pub scheme: Scheme,
    /// The financial year.
    pub year: FinancialYear,
    /// Pounds per point.
    pub value: Money,
    /// Where the figure comes from, with its confidence mark: `S2; Pulse Intelligence, …`.
    pub source: String,
}

/// The QOF point values: `data/qof-point-values.toml`, each with its sources.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct QofFile {
    sources: std::collections::BTreeMap<String, QofSource>,
    values: Vec<QofValue>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct QofSource {
    title: String,
    #[allow(dead_code)] // Read for completeness of the format; the title names the source.
    url: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct QofValue {
    year: FinancialYear,
    amount: Decimal,
    confidence: String,
    sources: Vec<String>,
    #[allow(dead_code)] // Kept in the file for readers; not part of the value.
    note: Option<String>,
}

/// The QOF values from the data file, checked: every value cites known sources and is
/// positive, no year twice. The tests load it, so a released build always has it.
fn qof_point_values() -> Result<Vec<PointValue>, IndicatorError> {
    let file: QofFile = toml::from_str(include_str!("../data/qof-point-values.toml"))
        .map_err(|e| IndicatorError::Invalid(format!("data/qof-point-values.toml: {e}")))?;
    let mut out: Vec<PointValue> = Vec::with_capacity(file.values.len());
    for v in file.values {
        let titles = v
            .sources
            .iter()
            .map(|k| {
                file.sources.get(k).map(|s| s.title.clone()).ok_or_else(|| {
                    IndicatorError::Invalid(format!(
                        "data/qof-point-values.toml: {}: unknown source `{k}`",
                        v.year
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if v.amount <= Decimal::ZERO || titles.is_empty() || out.iter().any(|p| p.year == v.year) {
            return Err(IndicatorError::Invalid(format!(
                "data/qof-point-values.toml: {}: a value must be positive, sourced and given once",
                v.year
            )));
        }
        out.push(PointValue {
            scheme: Scheme::Qof,
            year: v.year,
            value: Money::from_pounds(v.amount),
            source: format!("{}; {}", v.confidence, titles.join("; ")),
        });
    }
    Ok(out)
}

/// The IIF point values: the `iif_point_value` payment of each year of the ARRS rule book (one
/// home for every Network Contract DES figure), where a value was found.
fn iif_point_values() -> Vec<PointValue> {
    let book = pcnkit_arrs::RuleBook::builtin();
    book.years()
        .filter_map(|year| {
            let set = book.year(year).ok()?;
            let payment = set.payments.iter().find(|p| p.id == "iif_point_value")?;
            let rate = payment.rates.iter().find(|r| r.amount.is_some())?;
            Some(PointValue {
                scheme: Scheme::Iif,
                year,
                value: Money::from_pounds(rate.amount?),
                source: book.provenance(&rate.figure()).to_string(),
            })
        })
        .collect()
}

/// The sourced point values: QOF from `data/qof-point-values.toml`, IIF from the ARRS rule
/// book. Years missing were not found in the sources gathered for this project: give those
/// yourself. Both files are checked by the tests; were one unreadable, its values would be
/// missing (unknown), never wrong.
pub fn point_values() -> Vec<PointValue> {
    loaded_point_values().to_vec()
}

/// The point values, loaded once.
fn loaded_point_values() -> &'static [PointValue] {
    static VALUES: std::sync::OnceLock<Vec<PointValue>> = std::sync::OnceLock::new();
    VALUES.get_or_init(|| {
        let mut all = qof_point_values().unwrap_or_default();
        all.extend(iif_point_values());
        all
    })
}

/// The sourced value of a point for a scheme and year, if one is known.
pub fn point_value(scheme: Scheme, year: FinancialYear) -> Option<PointValue> {
    loaded_point_values()
        .iter()
        .find(|p| p.scheme == scheme && p.year == year)
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_point_value_files_load_whole() {
        let qof = qof_point_values().unwrap();
        assert_eq!(qof.len(), 3);
        pcnkit_arrs::RuleBook::builtin().check().unwrap();
        let year = |y| FinancialYear::new(y).unwrap();
        let v = |s, y| point_value(s, year(y)).map(|p| p.value.to_string());
        assert_eq!(v(Scheme::Qof, 2021), Some("£201.16".to_owned()));
        assert_eq!(v(Scheme::Qof, 2024), Some("£220.62".to_owned()));
        assert_eq!(v(Scheme::Qof, 2025), Some("£225.49".to_owned()));
        assert_eq!(v(Scheme::Iif, 2020), Some("£111.00".to_owned()));
        assert_eq!(v(Scheme::Iif, 2024), Some("£198.00".to_owned()));
        assert_eq!(v(Scheme::Iif, 2025), None, "NF for 2025/26");
        let iif = point_value(Scheme::Iif, year(2024)).unwrap();
        assert!(iif.source.starts_with("S2; "), "{}", iif.source);
    }
}
