//! Confidence limits of a proportion (Wilson) and of a count (exact Poisson, Byars), and the chi-squared quantile they rest on.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::*;

/// Wilson score limits for `x` successes out of `n`.
pub fn wilson(x: f64, n: f64, c: Confidence) -> (f64, f64) {
    let z = c.z();
    let z2 = z * z;
    let root = z * (z2 + 4.0 * x * (1.0 - x / n)).sqrt();
    let denominator = 2.0 * (n + z2);
    // Exact at the boundaries, where rounding would otherwise leave 1e-17 instead of 0 or 1.
    let lower = if x == 0.0 {
        0.0
    } else {
        (2.0 * x + z2 - root) / denominator
    };
    let upper = if x == n {
        1.0
    } else {
        (2.0 * x + z2 + root) / denominator
    };
    (lower, upper)
}

/// Exact Poisson limits for a count: half the chi-square quantiles with 2x and 2x + 2 degrees of
/// freedom; the lower limit of 0 is 0 (the R behaviour; a chi-square of 0 degrees of freedom).
pub fn exact_limits(x: f64, c: Confidence) -> (f64, f64) {
    let tail = (1.0 - c.get()) / 2.0;
    let lower = if x <= 0.0 {
        0.0
    } else {
        chi_square_quantile(2.0 * x, tail) / 2.0
    };
    let upper = chi_square_quantile(2.0 * x + 2.0, 1.0 - tail) / 2.0;
    (lower, upper)
}

/// Above this many degrees of freedom the Wilson–Hilferty approximation is used: statrs'
/// incomplete-gamma continued fraction stops converging for very large arguments (found by
/// the `indicators_arrow` fuzz target: an integer overflow after 2³¹ iterations), and at this
/// size the approximation's relative error is below 1e-9.
const LARGE_DF: f64 = 2.0e5;

pub(crate) fn chi_square_quantile(df: f64, p: f64) -> f64 {
    if !df.is_finite() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if df > LARGE_DF {
        let z = standard_normal().inverse_cdf(p);
        let k = 2.0 / (9.0 * df);
        return df * (1.0 - k + z * k.sqrt()).powi(3);
    }
    match ChiSquared::new(df) {
        Ok(d) => d.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// Byar's approximation to Poisson limits for a count.
pub fn byars_limits(x: f64, c: Confidence) -> (f64, f64) {
    let z = c.z();
    let lower = x * (1.0 - 1.0 / (9.0 * x) - z / (3.0 * x.sqrt())).powi(3);
    let x1 = x + 1.0;
    let upper = x1 * (1.0 - 1.0 / (9.0 * x1) + z / (3.0 * x1.sqrt())).powi(3);
    (lower, upper)
}

/// Poisson limits for a count, with exact limits for the integer counts 0 to 9 precomputed once
/// per level (the hot path of a national run sees few distinct small counts).
#[derive(Debug, Clone)]
pub struct CountLimits {
    levels: Vec<Confidence>,
    table: Vec<[(f64, f64); 10]>,
}

impl CountLimits {
    /// Limits for these levels.
    pub fn new(levels: &[Confidence]) -> Self {
        let table = levels
            .iter()
            .map(|&c| std::array::from_fn(|x| exact_limits(x as f64, c)))
            .collect();
        CountLimits {
            levels: levels.to_vec(),
            table,
        }
    }

    /// The levels.
    pub fn levels(&self) -> &[Confidence] {
        &self.levels
    }

    /// Limits of count `x` at level number `i`, and the method: exact below 10, Byar's from 10.
    pub fn limits(&self, x: f64, i: usize) -> ((f64, f64), Method) {
        if x < 10.0 {
            let small = (x.fract() == 0.0 && x >= 0.0)
                .then(|| self.table.get(i).and_then(|t| t.get(x as usize)))
                .flatten();
            let limits = small.copied().unwrap_or_else(|| {
                exact_limits(x, self.levels.get(i).copied().unwrap_or(Confidence::C95))
            });
            (limits, Method::Exact)
        } else {
            (
                byars_limits(x, self.levels.get(i).copied().unwrap_or(Confidence::C95)),
                Method::Byars,
            )
        }
    }
}

/// Every input slice has the length of the counts.
pub(crate) fn check_lengths(
    expected: usize,
    inputs: &[(&'static str, usize)],
) -> Result<(), IndicatorError> {
    match inputs.iter().find(|(_, found)| *found != expected) {
        Some(&(what, found)) => Err(IndicatorError::Length {
            what,
            expected,
            found,
        }),
        None => Ok(()),
    }
}
