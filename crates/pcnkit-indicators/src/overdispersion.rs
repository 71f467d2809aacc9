//! Funnel limits with overdispersion: when areas differ more than chance allows (real
//! differences in case mix, coding, population), limits from sampling error alone flag too many
//! of them. Spiegelhalter's adjustments widen the limits by an estimated dispersion:
//!
//! - every area's z-score against the pooled target θ₀, z = (y − θ₀) / s, with s the standard
//!   error under the target (proportions √(θ₀(1 − θ₀)/n); ratios of observed to expected
//!   1/√E; crude rates √(θ₀/n));
//! - **winsorised** at the 10th and 90th percentiles (type 7), so a few outliers do not
//!   inflate the estimate;
//! - the dispersion φ̂ = Σ z_w² / I; with φ̂ ≤ 1 there is no overdispersion and the limits are
//!   the usual ones;
//! - **multiplicative** adjustment: limits θ₀ ± z_α √φ̂ s(n), z-scores z / √φ̂;
//! - **additive** (random effects): τ̂² = max(0, (I φ̂ − (I − 1)) / (Σ w − Σ w² / Σ w)) with
//!   w = 1/s²; limits θ₀ ± z_α √(s(n)² + τ̂²), z-scores (y − θ₀) / √(s² + τ̂²).
//!
//! The estimated φ̂ and τ̂² are in every row of the output. Source: D. J. Spiegelhalter,
//! "Handling over-dispersion of performance indicators", *Quality and Safety in Health Care*
//! 14 (2005) 347–351; the methods NHS England and UKHSA cite for funnel plots of providers.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};

use crate::error::IndicatorError;
use crate::frame::{floats, with_columns};
use crate::funnel::{FUNNEL_P, FunnelKind, RateKind, Significance, axis};

/// How the limits are widened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub enum Adjustment {
    /// Limits scaled by √φ̂.
    Multiplicative,
    /// A between-area variance τ̂² added (random effects).
    Additive,
}

impl std::str::FromStr for Adjustment {
    type Err = IndicatorError;
    /// `multiplicative` or `additive`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "multiplicative" => Ok(Adjustment::Multiplicative),
            "additive" | "random-effects" | "random_effects" => Ok(Adjustment::Additive),
            other => Err(IndicatorError::Invalid(format!(
                "overdispersion adjustment {other:?}: multiplicative or additive"
            ))),
        }
    }
}

/// The estimated dispersion of a set of areas.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Dispersion {
    /// The pooled target θ₀ (a fraction, a ratio, or events per person).
    pub target: f64,
    /// φ̂ from the winsorised z-scores.
    pub phi: f64,
    /// τ̂² of the additive adjustment (0 without overdispersion).
    pub tau2: f64,
    /// Areas used.
    pub areas: usize,
}

/// Per-unit value and standard error under the target.
fn unit(kind: FunnelKind, x: f64, n: f64, target: f64) -> (f64, f64) {
    match kind {
        FunnelKind::Ratio(_) => (x / n, 1.0 / n.sqrt()),
        FunnelKind::Rate { .. } => (x / n, (target / n).sqrt()),
        _ => (x / n, (target * (1.0 - target) / n).sqrt()),
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    // R's type 7: linear between the order statistics at (n − 1) p.
    let h = (sorted.len() as f64 - 1.0) * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    let (a, b) = (sorted[lo], sorted[hi.min(sorted.len() - 1)]);
    a + (h - h.floor()) * (b - a)
}

/// Estimates the dispersion of areas with numerators `x` and denominators `n` (expected counts
/// for a ratio). Needs at least two areas with a denominator above zero.
pub fn estimate(rows: &[(f64, f64)], kind: FunnelKind) -> Result<Dispersion, IndicatorError> {
    if let FunnelKind::Rate {
        kind: RateKind::Dsr,
        ..
    } = kind
    {
        return Err(IndicatorError::Invalid(
            "overdispersion is estimated for proportions, ratios and crude rates, not DSRs"
                .to_owned(),
        ));
    }
    let used: Vec<(f64, f64)> = rows.iter().copied().filter(|(_, n)| *n > 0.0).collect();
    if used.len() < 2 {
        return Err(IndicatorError::Invalid(
            "overdispersion needs at least two areas".to_owned(),
        ));
    }
    let (sx, sn): (f64, f64) = used.iter().fold((0.0, 0.0), |a, r| (a.0 + r.0, a.1 + r.1));
    let target = match kind {
        FunnelKind::Ratio(_) => 1.0,
        _ => sx / sn,
    };
    if target.is_nan()
        || target <= 0.0
        || (matches!(kind, FunnelKind::Proportion { .. }) && target >= 1.0)
    {
        return Err(IndicatorError::Invalid(format!(
            "the pooled target {target} leaves no sampling variance to compare with"
        )));
    }
    let mut z: Vec<f64> = used
        .iter()
        .map(|(x, n)| {
            let (y, s) = unit(kind, *x, *n, target);
            (y - target) / s
        })
        .collect();
    let mut sorted = z.clone();
    sorted.sort_by(f64::total_cmp);
    let (lo, hi) = (percentile(&sorted, 0.1), percentile(&sorted, 0.9));
    for v in &mut z {
        *v = v.clamp(lo, hi);
    }
    let i = z.len() as f64;
    let phi = z.iter().map(|v| v * v).sum::<f64>() / i;
    let w: Vec<f64> = used
        .iter()
        .map(|(x, n)| {
            let s = unit(kind, *x, *n, target).1;
            1.0 / (s * s)
        })
        .collect();
    let sw: f64 = w.iter().sum();
    let sw2: f64 = w.iter().map(|v| v * v).sum();
    let tau2 = ((i * phi - (i - 1.0)) / (sw - sw2 / sw)).max(0.0);
    Ok(Dispersion {
        target,
        phi,
        tau2,
        areas: used.len(),
    })
}

/// The standard error of the adjusted limits at denominator `n`.
fn spread(d: &Dispersion, kind: FunnelKind, n: f64, adjustment: Adjustment) -> f64 {
    let s = unit(kind, 0.0, n, d.target).1;
    match adjustment {
        Adjustment::Multiplicative => s * d.phi.max(1.0).sqrt(),
        Adjustment::Additive => (s * s + d.tau2).sqrt(),
    }
}

fn scale(kind: FunnelKind) -> f64 {
    match kind {
        FunnelKind::Proportion { multiplier } | FunnelKind::Rate { multiplier, .. } => multiplier,
        FunnelKind::Ratio(crate::funnel::RatioScale::Isr) => 100.0,
        _ => 1.0,
    }
}

/// Funnel limits and significance adjusted for overdispersion. See the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct OverdispersionSpec<'a> {
    numerator: &'a str,
    denominator: &'a str,
    kind: FunnelKind,
    adjustment: Adjustment,
}

impl<'a> OverdispersionSpec<'a> {
    /// `numerator` over `denominator` (the expected count for a ratio) as `kind`, widened by
    /// `adjustment`.
    pub fn new(
        numerator: &'a str,
        denominator: &'a str,
        kind: FunnelKind,
        adjustment: Adjustment,
    ) -> Self {
        OverdispersionSpec {
            numerator,
            denominator,
            kind,
            adjustment,
        }
    }

    fn dispersion(
        &self,
        batch: &RecordBatch,
    ) -> Result<(Vec<(f64, f64)>, Dispersion), IndicatorError> {
        let (x, n) = (
            floats(batch, self.numerator)?,
            floats(batch, self.denominator)?,
        );
        let rows: Vec<(f64, f64)> = x
            .iter()
            .zip(&n)
            .map(|(x, n)| (x.unwrap_or(f64::NAN), n.unwrap_or(f64::NAN)))
            .collect();
        let usable: Vec<(f64, f64)> = rows
            .iter()
            .copied()
            .filter(|(x, n)| x.is_finite() && n.is_finite())
            .collect();
        let d = estimate(&usable, self.kind)?;
        Ok((rows, d))
    }

    /// Every input row with `z` (unadjusted), `z_adjusted`, `significance` (against the
    /// adjusted limits), and the estimate's `phi` and `tau2`.
    pub fn significance(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        let Some(first) = batches.first() else {
            return Err(IndicatorError::Invalid("no table".to_owned()));
        };
        let batch = arrow_select::concat::concat_batches(&first.schema(), batches)?;
        let (rows, d) = self.dispersion(&batch)?;
        let (z2, z3) = (
            crate::methods::Confidence::C95.z(),
            crate::methods::Confidence::C998.z(),
        );
        let mut z = Vec::with_capacity(rows.len());
        let mut za = Vec::with_capacity(rows.len());
        let mut sig = Vec::with_capacity(rows.len());
        for (x, n) in &rows {
            if !(x.is_finite() && n.is_finite() && *n > 0.0) {
                z.push(None);
                za.push(None);
                sig.push(None);
                continue;
            }
            let (y, s) = unit(self.kind, *x, *n, d.target);
            let raw = (y - d.target) / s;
            let adj = (y - d.target) / spread(&d, self.kind, *n, self.adjustment);
            z.push(Some(raw));
            za.push(Some(adj));
            let g = if adj > z3 {
                Significance::High0001
            } else if adj > z2 {
                Significance::High0025
            } else if adj < -z3 {
                Significance::Low0001
            } else if adj < -z2 {
                Significance::Low0025
            } else {
                Significance::NotSignificant
            };
            sig.push(Some(g.as_str()));
        }
        let n = rows.len();
        with_columns(
            &batch,
            vec![
                ("z", Arc::new(Float64Array::from(z)) as ArrayRef),
                ("z_adjusted", Arc::new(Float64Array::from(za))),
                ("significance", Arc::new(StringArray::from(sig))),
                ("phi", Arc::new(Float64Array::from(vec![d.phi; n]))),
                ("tau2", Arc::new(Float64Array::from(vec![d.tau2; n]))),
            ],
        )
    }

    /// The adjusted limits over the funnel's 100-point axis: `x`, `lower_2s_limit`,
    /// `upper_2s_limit`, `lower_3s_limit`, `upper_3s_limit`, `baseline` (× the kind's
    /// multiplier), `phi`, `tau2` and `adjustment`.
    pub fn limits(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        let Some(first) = batches.first() else {
            return Err(IndicatorError::Invalid("no table".to_owned()));
        };
        let batch = arrow_select::concat::concat_batches(&first.schema(), batches)?;
        let (rows, d) = self.dispersion(&batch)?;
        let ns: Vec<f64> = rows
            .iter()
            .map(|r| r.1)
            .filter(|n| n.is_finite() && *n > 0.0)
            .collect();
        let (min, max) = ns
            .iter()
            .fold((f64::INFINITY, 0.0f64), |a, n| (a.0.min(*n), a.1.max(*n)));
        let x = axis(min, max);
        let m = scale(self.kind);
        let at = |p: f64, sign: f64| -> Vec<f64> {
            let z = statrs::distribution::ContinuousCDF::inverse_cdf(
                &statrs::distribution::Normal::standard(),
                p,
            );
            x.iter()
                .map(|n| {
                    let v = d.target + sign * z * spread(&d, self.kind, *n, self.adjustment);
                    let v = if matches!(self.kind, FunnelKind::Proportion { .. }) {
                        v.clamp(0.0, 1.0)
                    } else {
                        v.max(0.0)
                    };
                    v * m
                })
                .collect()
        };
        let k = x.len();
        Ok(RecordBatch::try_from_iter([
            ("x", Arc::new(Float64Array::from(x.clone())) as ArrayRef),
            (
                "lower_2s_limit",
                Arc::new(Float64Array::from(at(FUNNEL_P[0], -1.0))),
            ),
            (
                "upper_2s_limit",
                Arc::new(Float64Array::from(at(FUNNEL_P[0], 1.0))),
            ),
            (
                "lower_3s_limit",
                Arc::new(Float64Array::from(at(FUNNEL_P[1], -1.0))),
            ),
            (
                "upper_3s_limit",
                Arc::new(Float64Array::from(at(FUNNEL_P[1], 1.0))),
            ),
            (
                "baseline",
                Arc::new(Float64Array::from(vec![d.target * m; k])),
            ),
            ("phi", Arc::new(Float64Array::from(vec![d.phi; k]))),
            ("tau2", Arc::new(Float64Array::from(vec![d.tau2; k]))),
            (
                "adjustment",
                Arc::new(StringArray::from(vec![
                    match self.adjustment {
                        Adjustment::Multiplicative => "multiplicative",
                        Adjustment::Additive => "additive",
                    };
                    k
                ])),
            ),
        ])?)
    }
}
