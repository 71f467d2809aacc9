//! Proportions, crude rates and means, with the checks on their inputs.

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::*;

pub(crate) fn check_count(what: &'static str, value: f64) -> Result<(), IndicatorError> {
    if value < 0.0 {
        Err(IndicatorError::Negative { what, value })
    } else if !value.is_finite() {
        Err(IndicatorError::NotFinite { what, value })
    } else {
        Ok(())
    }
}

pub(crate) fn check_denominator(value: f64) -> Result<(), IndicatorError> {
    if value.is_infinite() {
        Err(IndicatorError::NotFinite {
            what: "denominator",
            value,
        })
    } else if value > 0.0 {
        Ok(())
    } else {
        Err(IndicatorError::Denominator(value))
    }
}

pub(crate) fn check_multiplier(m: f64) -> Result<(), IndicatorError> {
    if m > 0.0 && m.is_finite() {
        Ok(())
    } else {
        Err(IndicatorError::Multiplier(m))
    }
}

/// A proportion `x / n` with Wilson limits, times `multiplier` (1 for a proportion, 100 for a
/// percentage).
///
/// ```
/// use pcnkit_indicators::{proportion, Confidence};
/// let e = proportion(65.0, 100.0, &[Confidence::C95], 1.0)?;
/// assert!((e.lower[0].unwrap() - 0.5525444329688797).abs() < 1e-12);
/// # Ok::<(), pcnkit_indicators::IndicatorError>(())
/// ```
pub fn proportion(
    x: f64,
    n: f64,
    levels: &[Confidence],
    multiplier: f64,
) -> Result<Estimate, IndicatorError> {
    let mut e = Estimate::empty(levels.len());
    proportion_into(x, n, levels, multiplier, &mut e)?;
    Ok(e)
}

pub(crate) fn proportion_into(
    x: f64,
    n: f64,
    levels: &[Confidence],
    multiplier: f64,
    out: &mut impl Sink,
) -> Result<(), IndicatorError> {
    check_count("numerator", x)?;
    check_denominator(n)?;
    check_multiplier(multiplier)?;
    if x > n {
        return Err(IndicatorError::NumeratorAboveDenominator {
            numerator: x,
            denominator: n,
        });
    }
    out.point(Some(x / n * multiplier), Method::Wilson, None);
    for (i, &c) in levels.iter().enumerate() {
        let (l, u) = wilson(x, n, c);
        out.limits(i, Some(l * multiplier), Some(u * multiplier));
    }
    Ok(())
}

/// A crude rate `x / n × multiplier` with exact Poisson limits below 10 events and Byar's from
/// 10. A count of 0 gives 0 with a finite upper limit (as R; the Python port fails here).
pub fn rate(
    x: f64,
    n: f64,
    limits: &CountLimits,
    multiplier: f64,
) -> Result<Estimate, IndicatorError> {
    let mut e = Estimate::empty(limits.levels().len());
    rate_into(x, n, limits, multiplier, &mut e)?;
    Ok(e)
}

pub(crate) fn rate_into(
    x: f64,
    n: f64,
    limits: &CountLimits,
    multiplier: f64,
    out: &mut impl Sink,
) -> Result<(), IndicatorError> {
    check_count("numerator", x)?;
    check_denominator(n)?;
    check_multiplier(multiplier)?;
    scaled_into(x, n, limits, multiplier, out);
    Ok(())
}

/// A mean with Student's t limits. One value gives a mean with no limits (`note` says so).
pub fn mean(values: &[f64], levels: &[Confidence]) -> Result<Estimate, IndicatorError> {
    if values.is_empty() {
        return Err(IndicatorError::Length {
            what: "values",
            expected: 1,
            found: 0,
        });
    }
    let mut sums = MeanSums::default();
    for &v in values {
        sums.add(v)?;
    }
    let mut e = Estimate::empty(levels.len());
    sums.estimate_into(levels, &mut e)?;
    Ok(e)
}

/// Student's t quantiles for `n` values (n − 1 degrees of freedom), one per level.
pub(crate) fn t_quantiles(n: f64, levels: &[Confidence]) -> Result<Vec<f64>, IndicatorError> {
    let t = StudentsT::new(0.0, 1.0, n - 1.0).map_err(|e| IndicatorError::Arrow(e.to_string()))?;
    Ok(levels
        .iter()
        .map(|c| t.inverse_cdf(1.0 - (1.0 - c.get()) / 2.0))
        .collect())
}

/// Running count, mean and sum of squared deviations (Welford's method, which stays accurate
/// where the textbook Σx² − (Σx)²/n cancels catastrophically).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MeanSums {
    count: f64,
    mean: f64,
    m2: f64,
}

impl MeanSums {
    /// Adds a value (negative values are allowed, as R allows them).
    pub fn add(&mut self, v: f64) -> Result<(), IndicatorError> {
        if !v.is_finite() {
            return Err(IndicatorError::Invalid(format!(
                "a mean needs finite values, found {v}"
            )));
        }
        self.count += 1.0;
        let delta = v - self.mean;
        self.mean += delta / self.count;
        self.m2 += delta * (v - self.mean);
        Ok(())
    }

    /// Number of values.
    pub fn count(&self) -> f64 {
        self.count
    }

    /// Sum of the values.
    pub fn sum(&self) -> f64 {
        self.mean * self.count
    }

    /// The sample standard deviation (n − 1 denominator, as R's `sd`); none below 2 values.
    pub fn stdev(&self) -> Option<f64> {
        (self.count >= 2.0).then(|| (self.m2 / (self.count - 1.0)).sqrt())
    }

    /// The mean with Student's t limits.
    pub fn estimate(&self, levels: &[Confidence]) -> Result<Estimate, IndicatorError> {
        let mut e = Estimate::empty(levels.len());
        self.estimate_into(levels, &mut e)?;
        Ok(e)
    }

    pub(crate) fn estimate_into(
        &self,
        levels: &[Confidence],
        out: &mut impl Sink,
    ) -> Result<(), IndicatorError> {
        let n = self.count;
        if n < 2.0 {
            out.point(
                (n == 1.0).then_some(self.mean),
                Method::StudentsT,
                Some("one value: no standard deviation"),
            );
            for i in 0..levels.len() {
                out.limits(i, None, None);
            }
            return Ok(());
        }
        let quantiles = t_quantiles(n, levels)?;
        self.estimate_with(&quantiles, out);
        Ok(())
    }

    /// The estimate given the t quantiles for this count (a table computes them once per
    /// distinct count rather than once per group).
    pub(crate) fn estimate_with(&self, t_quantiles: &[f64], out: &mut impl Sink) {
        let n = self.count;
        let sd = (self.m2 / (n - 1.0)).sqrt();
        out.point(Some(self.mean), Method::StudentsT, None);
        for (i, &t) in t_quantiles.iter().enumerate() {
            let half = t * sd / n.sqrt();
            out.limits(i, Some(self.mean - half), Some(self.mean + half));
        }
    }
}
