//! Funnel plot control limits and significance (the Fingertips method, as UKHSA's R package
//! `calculate_funnel_limits` / `assign_funnel_significance` describe it; no overdispersion
//! adjustment, as in both peers).
//!
//! Limits are drawn at 2σ (p = 0.975, the 95% funnel) and 3σ (p = 0.999, the 99.8% funnel)
//! around the pooled average. Deliberate choices, recorded here:
//! - **Proportions** invert the Wilson score interval in closed form (UKHSA's formula): the
//!   limit at population N is the observed proportion whose Wilson limit touches the average.
//!   As R does, the lower limit is floored at 0 and the upper capped at 100 whatever the
//!   multiplier. A row is significant when its own Wilson interval excludes the average, which
//!   is the same as lying outside the funnel at its own population (tested).
//! - **Ratios** (observed/expected) are drawn against the expected count E: the limit is O/E for
//!   the (continuous) observed count O whose exact Poisson limit touches E, found by bisection
//!   on the regularised incomplete gamma P(O, E) (one evaluation per step; the χ² quantiles
//!   above an expected count of 50,000, where they switch to their large-count form).
//!   Significance compares 1 with the row's exact (below
//!   10 events) or Byar's limits divided by E, at 95% and 99.8%. Scales: plain ratio (centre
//!   1) or ISR (×100). R's `ratio_type = "count"` variant, which subtracts 1, is not offered.
//! - **Rates** (crude or DSR) derive each row's denominator as multiplier × events / rate (the
//!   given denominator for a crude rate of 0 events; none for a DSR of 0 events), average
//!   events over derived denominators, and draw the ratio funnel at expected events
//!   E = average × denominator / multiplier, scaled by the average. DSRs from fewer than 10
//!   events get "Not applicable for events less than 10 for dsrs". A row of 0 events needs a
//!   denominator above 0 (R refuses it too). R draws its rate limits against a number of
//!   events; here they are drawn against the derived denominator, which is what the points of
//!   [`funnel_points`] are plotted against (with `years_of_data`, per year).

use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::IndicatorError;
use crate::methods::{Confidence, byars_limits, exact_limits};

/// Where an area sits against the funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum Significance {
    /// Below the 99.8% (3σ) limit.
    Low0001,
    /// Below the 95% (2σ) limit only.
    Low0025,
    /// Within the 95% limits.
    NotSignificant,
    /// Above the 95% limit only.
    High0025,
    /// Above the 99.8% limit.
    High0001,
    /// A DSR from fewer than 10 events is not assessed.
    NotApplicable,
}

impl Significance {
    /// The label as UKHSA writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Significance::Low0001 => "Low (0.001)",
            Significance::Low0025 => "Low (0.025)",
            Significance::NotSignificant => "Not significant",
            Significance::High0025 => "High (0.025)",
            Significance::High0001 => "High (0.001)",
            Significance::NotApplicable => "Not applicable for events less than 10 for dsrs",
        }
    }

    /// From an interval at 95% and one at 99.8% compared with a reference value.
    fn from_intervals(ci95: (f64, f64), ci998: (f64, f64), reference: f64) -> Self {
        if ci998.1 < reference {
            Significance::Low0001
        } else if ci95.1 < reference {
            Significance::Low0025
        } else if ci998.0 > reference {
            Significance::High0001
        } else if ci95.0 > reference {
            Significance::High0025
        } else {
            Significance::NotSignificant
        }
    }
}

/// The two funnel probabilities: 2σ (0.975) and 3σ (0.999).
pub const FUNNEL_P: [f64; 2] = [0.975, 0.999];

fn z_of(p: f64) -> f64 {
    Normal::standard().inverse_cdf(p)
}

/// The proportion funnel limits (lower, upper) at population `n` around the average `av`
/// (a fraction), at one-sided probability `p` (0.975 or 0.999), × `multiplier`.
pub fn proportion_limits(av: f64, n: f64, p: f64, multiplier: f64) -> (f64, f64) {
    let z = z_of(p);
    let z2 = z * z;
    let k = n / z2 + 1.0;
    let a = av * k;
    let root = (64.0 * av * av * k * k
        - 64.0 * (1.0 / z2 + 1.0 / n) * av * (n * (av * (n / z2 + 2.0) - 1.0) + z2 * (av - 1.0)))
        .max(0.0)
        .sqrt();
    let scale = (1.0 / z2 + 1.0 / n) * n;
    let lower = ((a - root / 8.0) / scale * multiplier).max(0.0);
    let upper = ((a + root / 8.0) / scale * multiplier).min(100.0);
    (lower, upper)
}

/// Significance of `x` out of `n` against the average proportion `av` (a fraction).
pub fn proportion_significance(x: f64, n: f64, av: f64) -> Significance {
    let ci95 = crate::methods::wilson(x, n, Confidence::C95);
    let ci998 = crate::methods::wilson(x, n, Confidence::C998);
    Significance::from_intervals(ci95, ci998, av)
}

/// The exact Poisson lower limit of a (continuous) count `o` at one-sided probability `p`.
fn exact_lower(o: f64, p: f64) -> f64 {
    if o <= 0.0 {
        return 0.0;
    }
    crate::methods::chi_square_quantile(2.0 * o, 1.0 - p) / 2.0
}

/// The exact Poisson upper limit of a count `o`.
fn exact_upper(o: f64, p: f64) -> f64 {
    crate::methods::chi_square_quantile(2.0 * o + 2.0, p) / 2.0
}

/// Solves `f(o) = target` for o ≥ 0 by bisection, f increasing.
fn bisect(target: f64, f: impl Fn(f64) -> f64) -> f64 {
    let mut lo = 0.0;
    let mut hi = (target * 2.0 + 10.0).max(1.0);
    while f(hi) < target {
        hi *= 2.0;
        if !hi.is_finite() {
            return f64::NAN;
        }
    }
    // 200 halvings reach the f64 resolution of any bracket.
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if f(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= f64::EPSILON * hi {
            break;
        }
    }
    (lo + hi) / 2.0
}

/// The ratio (O/E) funnel limits (lower, upper) at expected count `expected` and one-sided
/// probability `p`, centred on 1.
pub fn ratio_limits(expected: f64, p: f64) -> (f64, f64) {
    if expected.is_nan() || expected <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    if expected > DIRECT_GAMMA_MAX {
        // Upper: the observed count whose exact lower limit is the expected count.
        let o_hi = bisect(expected, |o| exact_lower(o, p));
        // Lower: the observed count whose exact upper limit is the expected count.
        let o_lo = if exact_upper(0.0, p) >= expected {
            0.0
        } else {
            bisect(expected, |o| exact_upper(o, p))
        };
        return (o_lo / expected, o_hi / expected);
    }
    // The same two equations without inverting a distribution at every step: the exact lower
    // limit of o is E exactly when P(o, E) = 1 − p, the exact upper limit of o is E exactly
    // when P(o + 1, E) = p (P the regularised lower incomplete gamma, falling as o grows).
    // One incomplete gamma per bisection step instead of a whole quantile search.
    let rising = |shift: f64| move |o: f64| 1.0 - lower_gamma(o + shift, expected);
    let o_hi = bisect(p, rising(0.0));
    let o_lo = if exact_upper(0.0, p) >= expected {
        0.0
    } else {
        bisect(1.0 - p, rising(1.0))
    };
    (o_lo / expected, o_hi / expected)
}

/// Up to this expected count [`ratio_limits`] solves the incomplete gamma equation directly;
/// above it the quantiles use the large-count approximation (see `chi_square_quantile`), so
/// the limits are found through them to stay consistent with [`exact_limits`].
///
/// [`exact_limits`]: crate::methods::exact_limits
const DIRECT_GAMMA_MAX: f64 = 5.0e4;

/// The regularised lower incomplete gamma P(a, x); NaN where statrs cannot evaluate it.
fn lower_gamma(a: f64, x: f64) -> f64 {
    statrs::function::gamma::checked_gamma_lr(a, x).unwrap_or(f64::NAN)
}

/// Significance of `observed` events against `expected` (ratio centred on 1).
pub fn ratio_significance(observed: f64, expected: f64) -> Significance {
    let ci = |c: Confidence| {
        let (lo, hi) = if observed < 10.0 {
            exact_limits(observed, c)
        } else {
            byars_limits(observed, c)
        };
        (lo / expected, hi / expected)
    };
    Significance::from_intervals(ci(Confidence::C95), ci(Confidence::C998), 1.0)
}

/// The scale of a ratio funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum RatioScale {
    /// Observed / expected, centred on 1.
    Ratio,
    /// Indirectly standardised ratio × 100, centred on 100.
    Isr,
}

/// Which kind of rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum RateKind {
    /// A crude rate.
    Crude,
    /// A directly standardised rate.
    Dsr,
}

/// What a funnel is drawn for.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub enum FunnelKind {
    /// Proportions (numerator/denominator × multiplier).
    Proportion {
        /// 1 for fractions, 100 for percentages.
        multiplier: f64,
    },
    /// Ratios of observed to expected counts.
    Ratio(RatioScale),
    /// Rates per `multiplier`.
    Rate {
        /// Crude or DSR.
        kind: RateKind,
        /// E.g. 100,000.
        multiplier: f64,
    },
}

impl std::str::FromStr for RateKind {
    type Err = IndicatorError;
    /// `crude` or `dsr`, R's `rate_type`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "crude" => Ok(RateKind::Crude),
            "dsr" => Ok(RateKind::Dsr),
            other => Err(IndicatorError::Invalid(format!(
                "rate type {other:?}: use \"crude\" or \"dsr\""
            ))),
        }
    }
}

impl std::str::FromStr for RatioScale {
    type Err = IndicatorError;
    /// `count` (observed / expected) or `isr`, R's `ratio_type`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "count" => Ok(RatioScale::Ratio),
            "isr" => Ok(RatioScale::Isr),
            other => Err(IndicatorError::Invalid(format!(
                "ratio type {other:?}: use \"count\" or \"isr\""
            ))),
        }
    }
}

/// R's `ratio_type` when a caller does not say: `count`.
pub const RATIO_TYPE_DEFAULT: RatioScale = RatioScale::Ratio;

/// Years of data pooled in each rate of a funnel's points when a caller does not say: 1.
pub const YEARS_OF_DATA_DEFAULT: f64 = 1.0;

impl FunnelKind {
    /// A funnel from the words R's funnel functions take: `statistic` `proportion`, `ratio`
    /// (with `ratio`) or `rate` (with `rate_type`, which a rate funnel needs, as in R: crude
    /// and directly standardised rates have different limits, so there is no default).
    pub fn from_words(
        statistic: &str,
        multiplier: f64,
        ratio: RatioScale,
        rate_type: Option<RateKind>,
    ) -> Result<Self, IndicatorError> {
        Ok(match statistic.trim().to_ascii_lowercase().as_str() {
            "proportion" => FunnelKind::Proportion { multiplier },
            "ratio" => FunnelKind::Ratio(ratio),
            "rate" => FunnelKind::Rate {
                kind: rate_type.ok_or_else(|| {
                    IndicatorError::Invalid(
                        "a rate funnel needs its rate type: crude or dsr (R's rate_type)"
                            .to_owned(),
                    )
                })?,
                multiplier,
            },
            other => {
                return Err(IndicatorError::Invalid(format!(
                    "statistic {other:?}: use \"proportion\", \"ratio\" or \"rate\""
                )));
            }
        })
    }
}

/// One area's input to a funnel: for proportions numerator and denominator; for ratios
/// observed and expected; for rates events, the rate and (for crude rates of 0 events) the
/// denominator.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FunnelInput {
    /// Numerator, observed count or events.
    pub numerator: f64,
    /// Denominator or expected count (rates: optional, derived from the rate).
    pub denominator: Option<f64>,
    /// The rate (rates only).
    pub rate: Option<f64>,
}

/// Funnel control limits over an x-axis of 100 points, with the pooled average.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Funnel {
    /// The pooled average (× multiplier; 1 or 100 for ratios).
    pub average: f64,
    /// The x-axis: population (proportions), expected count (ratios) or denominator (rates).
    pub x: Vec<f64>,
    /// 95% (2σ) lower limits.
    pub lower_2s: Vec<f64>,
    /// 95% (2σ) upper limits.
    pub upper_2s: Vec<f64>,
    /// 99.8% (3σ) lower limits.
    pub lower_3s: Vec<f64>,
    /// 99.8% (3σ) upper limits.
    pub upper_3s: Vec<f64>,
    /// Each input row's significance, in input order.
    pub significance: Vec<Significance>,
}

/// Rounds down to `digits` significant figures.
fn floor_sig(x: f64, digits: i32) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let scale = 10f64.powi(digits - 1 - x.log10().floor() as i32);
    (x * scale).floor() / scale
}

/// Rounds up to `digits` significant figures.
fn ceil_sig(x: f64, digits: i32) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let scale = 10f64.powi(digits - 1 - x.log10().floor() as i32);
    (x * scale).ceil() / scale
}

/// The 100-point x-axis from the smallest and largest denominators: geometric steps from
/// max(1, axis minimum) to the axis maximum, each at least one more than the last.
pub fn axis(min: f64, max: f64) -> Vec<f64> {
    let axis_min = if max > 2.0 * min {
        0.0
    } else {
        floor_sig(min * 0.95, 1)
    };
    let axis_max = ceil_sig(max * 1.05, 2);
    let mut points = Vec::with_capacity(100);
    let mut prev = axis_min.max(1.0);
    points.push(prev);
    for j in 2..=100 {
        let step = (axis_max / prev).powf(1.0 / (101.0 - j as f64)) * prev;
        prev = step.round().max(prev + 1.0);
        points.push(prev);
    }
    points
}

fn check(row: usize, what: &str, v: Option<f64>) -> Result<f64, IndicatorError> {
    match v {
        Some(x) if x.is_finite() && x >= 0.0 => Ok(x),
        Some(x) => Err(IndicatorError::Invalid(format!(
            "row {row}: {what} must be zero or more, found {x}"
        ))),
        None => Err(IndicatorError::Invalid(format!(
            "row {row}: {what} must be given for every record, even when 0"
        ))),
    }
}

/// A rate funnel row's denominator: its own for a row of 0 events, else derived from the rate.
enum RateRow {
    /// No events: the row's denominator (given, above 0).
    NoEvents(f64),
    /// Multiplier × events / rate.
    Derived(f64),
}

/// Checks a rate funnel row with `o` events and finds its denominator. With no events the
/// rate says nothing about the population behind it, so the denominator must be given (R
/// refuses these rows too); without it such a row would be placed nowhere and called "Not
/// significant".
fn rate_denominator(
    i: usize,
    o: f64,
    r: &FunnelInput,
    multiplier: f64,
) -> Result<RateRow, IndicatorError> {
    if o == 0.0 {
        let d = check(
            i,
            "denominator (needed for a row of 0 events)",
            r.denominator,
        )?;
        if d <= 0.0 {
            return Err(IndicatorError::Invalid(format!(
                "row {i}: a row of 0 events needs a denominator above 0, found {d}"
            )));
        }
        return Ok(RateRow::NoEvents(d));
    }
    let rate = check(i, "rate", r.rate)?;
    if rate <= 0.0 {
        return Err(IndicatorError::Invalid(format!(
            "row {i}: a rate of 0 with {o} events"
        )));
    }
    Ok(RateRow::Derived(multiplier * o / rate))
}

/// Funnel limits and each row's significance.
pub fn funnel(rows: &[FunnelInput], kind: FunnelKind) -> Result<Funnel, IndicatorError> {
    if rows.is_empty() {
        return Err(IndicatorError::Invalid(
            "a funnel needs at least one row".to_owned(),
        ));
    }
    // Per row: (numerator, denominator on the axis scale).
    let mut pairs = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let o = check(i, "numerator", Some(r.numerator))?;
        let d = match kind {
            FunnelKind::Proportion { .. } | FunnelKind::Ratio(_) => {
                let d = check(i, "denominator", r.denominator)?;
                if d <= 0.0 {
                    return Err(IndicatorError::Denominator(d));
                }
                if matches!(kind, FunnelKind::Proportion { .. }) && o > d {
                    return Err(IndicatorError::NumeratorAboveDenominator {
                        numerator: o,
                        denominator: d,
                    });
                }
                Some(d)
            }
            FunnelKind::Rate {
                kind: rk,
                multiplier,
            } => {
                match (rate_denominator(i, o, r, multiplier)?, rk) {
                    // A DSR of 0 events is not assessed and does not move the average.
                    (RateRow::NoEvents(_), RateKind::Dsr) => None,
                    (RateRow::NoEvents(d) | RateRow::Derived(d), _) => Some(d),
                }
            }
        };
        pairs.push((o, d));
    }
    let (sum_o, sum_d) = pairs
        .iter()
        .filter_map(|&(o, d)| d.map(|d| (o, d)))
        .fold((0.0, 0.0), |(a, b), (o, d)| (a + o, b + d));
    let dens: Vec<f64> = pairs.iter().filter_map(|p| p.1).collect();
    let min = dens.iter().copied().fold(f64::INFINITY, f64::min);
    let max = dens.iter().copied().fold(0.0, f64::max);
    let x = axis(min, max);
    let n = x.len();
    let mut out = Funnel {
        average: 0.0,
        x,
        lower_2s: Vec::with_capacity(n),
        upper_2s: Vec::with_capacity(n),
        lower_3s: Vec::with_capacity(n),
        upper_3s: Vec::with_capacity(n),
        significance: Vec::with_capacity(rows.len()),
    };
    let push = |out: &mut Funnel, l2: (f64, f64), l3: (f64, f64)| {
        out.lower_2s.push(l2.0);
        out.upper_2s.push(l2.1);
        out.lower_3s.push(l3.0);
        out.upper_3s.push(l3.1);
    };
    match kind {
        FunnelKind::Proportion { multiplier } => {
            let av = sum_o / sum_d;
            out.average = av * multiplier;
            for i in 0..n {
                let x = out.x[i];
                push(
                    &mut out,
                    proportion_limits(av, x, FUNNEL_P[0], multiplier),
                    proportion_limits(av, x, FUNNEL_P[1], multiplier),
                );
            }
            for &(o, d) in &pairs {
                out.significance
                    .push(proportion_significance(o, d.unwrap_or(f64::NAN), av));
            }
        }
        FunnelKind::Ratio(scale) => {
            let k = match scale {
                RatioScale::Ratio => 1.0,
                RatioScale::Isr => 100.0,
            };
            out.average = k;
            for i in 0..n {
                let e = out.x[i];
                let (a, b) = ratio_limits(e, FUNNEL_P[0]);
                let (c, d) = ratio_limits(e, FUNNEL_P[1]);
                push(&mut out, (a * k, b * k), (c * k, d * k));
            }
            for &(o, d) in &pairs {
                out.significance
                    .push(ratio_significance(o, d.unwrap_or(f64::NAN)));
            }
        }
        FunnelKind::Rate {
            kind: rk,
            multiplier,
        } => {
            let av = sum_o / sum_d;
            out.average = av * multiplier;
            for i in 0..n {
                let e = av * out.x[i];
                let (a, b) = ratio_limits(e, FUNNEL_P[0]);
                let (c, d) = ratio_limits(e, FUNNEL_P[1]);
                let s = av * multiplier;
                push(&mut out, (a * s, b * s), (c * s, d * s));
            }
            for &(o, d) in &pairs {
                out.significance.push(match (rk, d) {
                    (RateKind::Dsr, _) if o < 10.0 => Significance::NotApplicable,
                    (_, Some(d)) => ratio_significance(o, av * d),
                    (_, None) => Significance::NotApplicable,
                });
            }
        }
    }
    Ok(out)
}

/// One row's point on a rate funnel (R's `calculate_funnel_points`): the rate to chart and
/// the denominator it stands for, per year of data.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct FunnelPoint {
    /// The rate to chart (none for a DSR of fewer than 10 events, which is not charted).
    pub rate_chart: Option<f64>,
    /// The denominator per year: `multiplier × events / rate / years_of_data`, or for a row
    /// of 0 events (crude rates), its denominator / `years_of_data`.
    pub denominator_derived: Option<f64>,
}

/// Each row's point on a rate funnel, for `years_of_data` years pooled (a positive number).
/// A row of 0 events needs its denominator (its rate says nothing about the population).
pub fn funnel_points(
    rows: &[FunnelInput],
    kind: RateKind,
    multiplier: f64,
    years_of_data: f64,
) -> Result<Vec<FunnelPoint>, IndicatorError> {
    if !(years_of_data.is_finite() && years_of_data > 0.0) {
        return Err(IndicatorError::Invalid(format!(
            "years of data must be above 0, found {years_of_data}"
        )));
    }
    crate::methods::check_multiplier(multiplier)?;
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let o = check(i, "numerator", Some(r.numerator))?;
            if kind == RateKind::Dsr && o < 10.0 {
                return Ok(FunnelPoint {
                    rate_chart: None,
                    denominator_derived: None,
                });
            }
            let (RateRow::NoEvents(d) | RateRow::Derived(d)) =
                rate_denominator(i, o, r, multiplier)?;
            Ok(FunnelPoint {
                rate_chart: r.rate,
                denominator_derived: Some(d / years_of_data),
            })
        })
        .collect()
}
