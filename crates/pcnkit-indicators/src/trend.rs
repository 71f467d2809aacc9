//! Recent trends as Fingertips marks them: over the five most recent yearly values of a series,
//! a test for a significant trend, read as Increasing / Decreasing / No significant change /
//! Cannot be calculated, and with the indicator's polarity as getting better or worse.
//!
//! Source: Office for Health Improvement and Disparities, *Fingertips trend markers* (Public
//! Health Technical Guidance,
//! <https://fingertips.phe.org.uk/static-reports/public-health-technical-guidance/Presentation/Trend_markers.html>),
//! as the UKHSA R package PHEindicatormethods implements it (`assign_trend_markers`, 2025).
//!
//! - **Proportions** (numerator and denominator): the chi-squared test for trend in
//!   proportions (Armitage): with `nᵢ` the denominators, `rᵢ` the numerators, `tᵢ` the years,
//!   `N = Σnᵢ` and `p̄ = Σrᵢ / N`, the slope `β̂ = (Σrᵢtᵢ − Σrᵢ·Σnᵢtᵢ/N) / Stt` with
//!   `Stt = Σnᵢtᵢ² − (Σnᵢtᵢ)²/N`, and `χ² = β̂²·Stt / (p̄(1 − p̄))` (what R's `prop.trend.test`
//!   computes).
//! - **Other value types** (rates, ratios, life expectancy, means, …, with their confidence
//!   limits): a weighted linear regression of the values on the years, each weighted by
//!   `1 / SEᵢ²` with the standard error from the interval, `SEᵢ = (upperᵢ − lowerᵢ) / (2z)`;
//!   `χ² = β̂² · Σwᵢ(tᵢ − t̄)²`. The statistic does not depend on the units (a multiplier
//!   scales the slope and its error alike).
//! - **Significance**: `χ²` above the 99.8% point of the chi-squared distribution with one
//!   degree of freedom (`z₀.₉₉₉² ≈ 9.5495`, the figure the R package uses).
//! - **Outliers**: a significant trend is re-estimated leaving out each point in turn; if any
//!   of those slopes has the other sign (or none), the trend is *No significant change* because
//!   of an outlier.
//! - **Cannot be calculated**: fewer than five points, a year given twice, a missing value,
//!   numerator or denominator, a missing or zero-width interval, or (proportions) all or none
//!   of the denominators being events (the test's variance is zero). The reason says which.
//!
//! Fingertips applies the test only to yearly, non-overlapping periods; pcnkit cannot tell
//! a monthly series from a yearly one by its numbers, so it is the caller's to give years
//! (monthly series belong to [`crate::spc`]).

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::DataType;

use crate::benchmark::Polarity;
use crate::error::IndicatorError;
use crate::frame::{column, floats, row_keys};
use crate::methods::Confidence;

/// How many of the most recent points the test uses.
pub const TREND_POINTS: usize = 5;

/// The significance level of the test (two-sided 99.8%).
pub const TREND_SIGNIFICANCE: f64 = 0.998;

/// The direction of a recent trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum TrendDirection {
    /// A significant increase.
    Increasing,
    /// A significant decrease.
    Decreasing,
    /// No significant change (or a significant one that an outlier explains).
    NoSignificantChange,
    /// The test cannot be applied (the reason says why).
    CannotBeCalculated,
}

impl TrendDirection {
    /// The words Fingertips shows (as the R package spells them).
    pub fn label(self) -> &'static str {
        match self {
            TrendDirection::Increasing => "Increasing",
            TrendDirection::Decreasing => "Decreasing",
            TrendDirection::NoSignificantChange => "No significant change",
            TrendDirection::CannotBeCalculated => "Cannot be calculated",
        }
    }

    /// With the indicator's polarity: "Increasing and getting better", "Decreasing and getting
    /// worse", …; with no judgement, or without a significant trend, the direction alone.
    pub fn with_polarity(self, polarity: Polarity) -> &'static str {
        match (self, polarity) {
            (TrendDirection::Increasing, Polarity::HighIsGood) => "Increasing and getting better",
            (TrendDirection::Increasing, Polarity::LowIsGood) => "Increasing and getting worse",
            (TrendDirection::Decreasing, Polarity::HighIsGood) => "Decreasing and getting worse",
            (TrendDirection::Decreasing, Polarity::LowIsGood) => "Decreasing and getting better",
            (d, _) => d.label(),
        }
    }
}

/// A recent trend: its direction, why, and the statistics behind it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct RecentTrend {
    /// Increasing, decreasing, no significant change or cannot be calculated.
    pub direction: TrendDirection,
    /// Why: "No outliers and significant trend", "No significant trend", "Outlier found",
    /// "Not enough data points", "Duplicate years", "Missing values", ….
    pub reason: String,
    /// The slope per year of the five points (per unit of the value; proportions as a
    /// fraction), when it could be estimated.
    pub slope: Option<f64>,
    /// The chi-squared statistic, when it could be computed.
    pub chi_squared: Option<f64>,
}

impl RecentTrend {
    fn cannot(reason: impl Into<String>) -> Self {
        RecentTrend {
            direction: TrendDirection::CannotBeCalculated,
            reason: reason.into(),
            slope: None,
            chi_squared: None,
        }
    }
}

/// One year of a proportion: the year, numerator and denominator (`None` when missing).
pub type ProportionPoint = (f64, Option<f64>, Option<f64>);

/// One year of any other value: the year, value, lower and upper limit.
pub type IntervalPoint = (f64, Option<f64>, Option<f64>, Option<f64>);

/// A point of the fit: year, value (a numerator for proportions) and weight (a denominator).
type Point = (f64, f64, f64);

/// A fit: the slope and chi-squared of some points, when they can be estimated.
type Fit = fn(&[Point]) -> Option<(f64, f64)>;

/// One group's result: rows, the years tested, the trend.
type GroupTrend = (usize, Option<(Option<f64>, Option<f64>)>, RecentTrend);

/// The critical value: the 99.8% point of chi-squared with one degree of freedom.
fn critical() -> f64 {
    let z = Confidence::C998.z();
    z * z
}

/// The slope and chi-squared of the test for trend in proportions over `(t, r, n)`.
fn armitage(points: &[Point]) -> Option<(f64, f64)> {
    let n: f64 = points.iter().map(|p| p.2).sum();
    let r: f64 = points.iter().map(|p| p.1).sum();
    let nt: f64 = points.iter().map(|p| p.2 * p.0).sum();
    let ntt: f64 = points.iter().map(|p| p.2 * p.0 * p.0).sum();
    let rt: f64 = points.iter().map(|p| p.1 * p.0).sum();
    let p = r / n;
    let stt = ntt - nt * nt / n;
    if !(n > 0.0 && stt > 0.0 && p > 0.0 && p < 1.0) {
        return None;
    }
    let slope = (rt - r * nt / n) / stt;
    let chi = slope * slope * stt / (p * (1.0 - p));
    (slope.is_finite() && chi.is_finite()).then_some((slope, chi))
}

/// The slope and chi-squared of an inverse-variance weighted regression over `(t, y, w)`.
fn weighted(points: &[Point]) -> Option<(f64, f64)> {
    let sw: f64 = points.iter().map(|p| p.2).sum();
    let tbar = points.iter().map(|p| p.2 * p.0).sum::<f64>() / sw;
    let ybar = points.iter().map(|p| p.2 * p.1).sum::<f64>() / sw;
    let stt: f64 = points.iter().map(|p| p.2 * (p.0 - tbar).powi(2)).sum();
    let sty: f64 = points
        .iter()
        .map(|p| p.2 * (p.0 - tbar) * (p.1 - ybar))
        .sum();
    if !(sw > 0.0 && stt > 0.0) {
        return None;
    }
    let slope = sty / stt;
    let chi = slope * slope * stt;
    (slope.is_finite() && chi.is_finite()).then_some((slope, chi))
}

/// Applies the test and the outlier check to complete points with `fit` giving (slope, χ²).
fn decide(points: &[Point], fit: Fit) -> RecentTrend {
    let Some((slope, chi)) = fit(points) else {
        return RecentTrend::cannot(
            "the test's variance is zero (every value the same, or all or none of the denominators events)",
        );
    };
    let base = RecentTrend {
        direction: TrendDirection::NoSignificantChange,
        reason: "No significant trend".to_owned(),
        slope: Some(slope),
        chi_squared: Some(chi),
    };
    if chi <= critical() {
        return base;
    }
    let outlier = (0..points.len()).any(|j| {
        let rest: Vec<Point> = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| (i != j).then_some(*p))
            .collect();
        // A slope that cannot be estimated without this point, or is 0, counts as another sign
        // (R's sign() is 0 there and compares unequal).
        fit(&rest).is_none_or(|(s, _)| s.signum() != slope.signum() || s == 0.0)
    });
    if outlier {
        RecentTrend {
            reason: "Outlier found".to_owned(),
            ..base
        }
    } else {
        RecentTrend {
            direction: if slope < 0.0 {
                TrendDirection::Decreasing
            } else {
                TrendDirection::Increasing
            },
            reason: "No outliers and significant trend".to_owned(),
            ..base
        }
    }
}

/// The last [`TREND_POINTS`] of a series sorted by year, or why there are not enough, or a
/// year given twice.
fn recent<T: Copy>(points: &[T], year: impl Fn(&T) -> f64) -> Result<Vec<T>, RecentTrend> {
    let mut sorted: Vec<T> = points.to_vec();
    sorted.sort_by(|a, b| year(a).total_cmp(&year(b)));
    if let Some(w) = sorted.windows(2).find(|w| year(&w[0]) == year(&w[1])) {
        return Err(RecentTrend::cannot(format!(
            "Duplicate years ({} twice)",
            year(&w[0])
        )));
    }
    if sorted.len() < TREND_POINTS {
        return Err(RecentTrend::cannot(format!(
            "Not enough data points ({} of {TREND_POINTS})",
            sorted.len()
        )));
    }
    Ok(sorted.split_off(sorted.len() - TREND_POINTS))
}

/// The recent trend of a proportion from the numerators and denominators of its years (any
/// order; the five most recent are used).
///
/// ```
/// use pcnkit_indicators::trend::{proportion_trend, TrendDirection};
/// let years = [(2019.0, Some(1367.0), Some(44701.0)), (2020.0, Some(1332.0), Some(44064.0)),
///     (2021.0, Some(1199.0), Some(42811.0)), (2022.0, Some(1023.0), Some(41527.0)),
///     (2023.0, Some(994.0), Some(40299.0))];
/// let t = proportion_trend(&years)?;
/// assert_eq!(t.direction, TrendDirection::Decreasing);
/// # Ok::<(), pcnkit_indicators::IndicatorError>(())
/// ```
pub fn proportion_trend(points: &[ProportionPoint]) -> Result<RecentTrend, IndicatorError> {
    check_years(points.iter().map(|p| p.0))?;
    let recent = match recent(points, |p| p.0) {
        Ok(r) => r,
        Err(t) => return Ok(t),
    };
    let mut complete = Vec::with_capacity(TREND_POINTS);
    for (t, r, n) in recent {
        let (Some(r), Some(n)) = (r, n) else {
            return Ok(RecentTrend::cannot(format!(
                "Missing values (numerator or denominator of {t})"
            )));
        };
        crate::methods::check_count("numerator", r)?;
        if !(n > 0.0 && n.is_finite()) {
            return Err(IndicatorError::Denominator(n));
        }
        if r > n {
            return Err(IndicatorError::NumeratorAboveDenominator {
                numerator: r,
                denominator: n,
            });
        }
        complete.push((t, r, n));
    }
    Ok(decide(&complete, armitage))
}

/// The recent trend of any other value from its values and confidence limits at `confidence`
/// (any order; the five most recent are used).
pub fn interval_trend(
    points: &[IntervalPoint],
    confidence: Confidence,
) -> Result<RecentTrend, IndicatorError> {
    check_years(points.iter().map(|p| p.0))?;
    let recent = match recent(points, |p| p.0) {
        Ok(r) => r,
        Err(t) => return Ok(t),
    };
    let mut complete = Vec::with_capacity(TREND_POINTS);
    for (t, y, lower, upper) in recent {
        let Some(y) = y.filter(|y| y.is_finite()) else {
            return Ok(RecentTrend::cannot(format!("Missing values ({t})")));
        };
        let (Some(lower), Some(upper)) = (lower, upper) else {
            return Ok(RecentTrend::cannot(format!(
                "Missing at least one confidence interval value ({t})"
            )));
        };
        let se = (upper - lower) / (2.0 * confidence.z());
        if !(se > 0.0 && se.is_finite()) {
            return Ok(RecentTrend::cannot(format!(
                "the interval of {t} ({lower} to {upper}) has no width, so no standard error"
            )));
        }
        complete.push((t, y, 1.0 / (se * se)));
    }
    Ok(decide(&complete, weighted))
}

fn check_years(years: impl Iterator<Item = f64>) -> Result<(), IndicatorError> {
    for y in years {
        if !y.is_finite() {
            return Err(IndicatorError::NotFinite {
                what: "year",
                value: y,
            });
        }
    }
    Ok(())
}

/// What the series are.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TrendValues<'a> {
    /// A proportion: its numerator and denominator columns.
    Proportion {
        /// Numerator column.
        numerator: &'a str,
        /// Denominator column.
        denominator: &'a str,
    },
    /// Any other value with its confidence limits.
    Interval {
        /// Value column.
        value: &'a str,
        /// Lower limit column.
        lower: &'a str,
        /// Upper limit column.
        upper: &'a str,
        /// The level of the limits.
        confidence: Confidence,
    },
}

/// Recent trends of a table: one series per group, years in a `year` column (a number, or
/// text beginning with a four-digit year such as `2019/20`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TrendSpec<'a> {
    values: TrendValues<'a>,
    year: &'a str,
    group_by: Vec<&'a str>,
    polarity: Polarity,
}

impl<'a> TrendSpec<'a> {
    /// Trends of `values` over `year`, no judgement of direction.
    pub fn new(values: TrendValues<'a>, year: &'a str) -> Self {
        TrendSpec {
            values,
            year,
            group_by: Vec::new(),
            polarity: Polarity::NoJudgement,
        }
    }

    /// One series per group of these columns.
    #[must_use]
    pub fn group_by(mut self, columns: &[&'a str]) -> Self {
        self.group_by = columns.to_vec();
        self
    }

    /// The indicator's polarity, for getting better or worse.
    #[must_use]
    pub fn polarity(mut self, polarity: Polarity) -> Self {
        self.polarity = polarity;
        self
    }

    fn years(&self, batch: &RecordBatch) -> Result<Vec<Option<f64>>, IndicatorError> {
        let col = column(batch, self.year)?;
        if col.data_type().is_numeric() {
            return floats(batch, self.year);
        }
        let text = arrow_cast::cast(col, &DataType::Utf8)?;
        let text = text.as_string::<i32>();
        (0..text.len())
            .map(|i| {
                if text.is_null(i) {
                    return Ok(None);
                }
                let s = text.value(i).trim();
                let head: String = s.chars().take(4).collect();
                let rest = &s[head.len()..];
                match head.parse::<u16>() {
                    Ok(y)
                        if head.len() == 4
                            && (rest.is_empty() || rest.starts_with(['/', '-', ' '])) =>
                    {
                        Ok(Some(f64::from(y)))
                    }
                    _ => Err(IndicatorError::Column {
                        column: self.year.to_owned(),
                        problem: format!(
                            "row {i}: {s:?} is not a year (a number, or text beginning with one, such as 2019/20)"
                        ),
                    }),
                }
            })
            .collect()
    }

    /// One row per group, in order of first appearance: the group columns, `points` (rows in
    /// the group), `from_year` and `to_year` (of the points tested), `slope`, `chi_squared`,
    /// `trend`, `trend_with_polarity`, `reason`. A null year is an error naming the row.
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        let Some(first) = batches.first() else {
            return Err(IndicatorError::Invalid("no table to test".to_owned()));
        };
        let batch = arrow_select::concat::concat_batches(&first.schema(), batches)?;
        let years = self.years(&batch)?;
        if let Some(i) = years.iter().position(Option::is_none) {
            return Err(IndicatorError::Column {
                column: self.year.to_owned(),
                problem: format!("row {i}: no year"),
            });
        }
        let years: Vec<f64> = years.into_iter().flatten().collect();
        let groups = crate::frame::groups_in_order(&row_keys(&batch, &self.group_by)?);
        let (a, b, c) = match &self.values {
            TrendValues::Proportion {
                numerator,
                denominator,
            } => (
                floats(&batch, numerator)?,
                floats(&batch, denominator)?,
                None,
            ),
            TrendValues::Interval {
                value,
                lower,
                upper,
                ..
            } => (
                floats(&batch, value)?,
                floats(&batch, lower)?,
                Some(floats(&batch, upper)?),
            ),
        };
        let mut results = Vec::with_capacity(groups.len());
        for rows in &groups {
            let trend = match (&self.values, &c) {
                (TrendValues::Interval { confidence, .. }, Some(c)) => {
                    let pts: Vec<IntervalPoint> =
                        rows.iter().map(|&i| (years[i], a[i], b[i], c[i])).collect();
                    interval_trend(&pts, *confidence)
                }
                _ => {
                    let pts: Vec<ProportionPoint> =
                        rows.iter().map(|&i| (years[i], a[i], b[i])).collect();
                    proportion_trend(&pts)
                }
            }
            .map_err(|e| IndicatorError::Invalid(format!("rows {rows:?}: {e}")))?;
            let mut ys: Vec<f64> = rows.iter().map(|&i| years[i]).collect();
            ys.sort_by(f64::total_cmp);
            let tested = &ys[ys.len().saturating_sub(TREND_POINTS)..];
            let span = (trend.direction != TrendDirection::CannotBeCalculated)
                .then(|| (tested.first().copied(), tested.last().copied()));
            results.push((rows.len(), span, trend));
        }
        let mut columns: Vec<(String, ArrayRef)> =
            crate::frame::group_columns(&batch, &self.group_by, &groups)?;
        columns.push((
            "points".to_owned(),
            Arc::new(UInt64Array::from_iter_values(
                results.iter().map(|r| r.0 as u64),
            )),
        ));
        let float = |f: &dyn Fn(&GroupTrend) -> Option<f64>| -> ArrayRef {
            Arc::new(results.iter().map(f).collect::<Float64Array>())
        };
        columns.push(("from_year".to_owned(), float(&|r| r.1.and_then(|s| s.0))));
        columns.push(("to_year".to_owned(), float(&|r| r.1.and_then(|s| s.1))));
        columns.push(("slope".to_owned(), float(&|r| r.2.slope)));
        columns.push(("chi_squared".to_owned(), float(&|r| r.2.chi_squared)));
        columns.push((
            "trend".to_owned(),
            Arc::new(StringArray::from_iter_values(
                results.iter().map(|r| r.2.direction.label()),
            )),
        ));
        columns.push((
            "trend_with_polarity".to_owned(),
            Arc::new(StringArray::from_iter_values(
                results
                    .iter()
                    .map(|r| r.2.direction.with_polarity(self.polarity)),
            )),
        ));
        columns.push((
            "reason".to_owned(),
            Arc::new(StringArray::from_iter_values(
                results.iter().map(|r| r.2.reason.as_str()),
            )),
        ));
        pcnkit_core::arrow::nullable_batch(columns)
            .map_err(|e| IndicatorError::Arrow(e.to_string()))
    }
}
