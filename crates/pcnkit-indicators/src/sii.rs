//! Slope index of inequality (SII) and relative index of inequality (RII), as UKHSA computes
//! them (the R package's `phe_sii`; the Python port has none).
//!
//! Input is one row per quantile of deprivation, ordered from the most to the least deprived,
//! each with its population, value and either a standard error or 95% limits. The SII is the
//! slope of a population-weighted regression of the value on the mid-point of each quantile's
//! share of the cumulative population, so it reads as "the gap in the value between the most
//! and least deprived ends of the population, allowing for everyone in between".
//!
//! The confidence interval is simulated (Monte Carlo), as UKHSA does: the values are redrawn
//! from normal distributions with their standard errors `repetitions` times and the fit is
//! redone. The random draws come from a seeded ChaCha8 generator, so a result is reproducible
//! from its [`SiiOptions::seed`]; it cannot match R's random stream draw for draw, and agrees
//! with R to simulation error (tested: the simulated interval of the untransformed fit meets its
//! closed form, because the slope is linear in the values).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::error::IndicatorError;
use crate::methods::Confidence;

/// What kind of value the quantiles hold: it decides the scale on which standard errors are
/// derived from limits, and the transform (R's `value_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ValueType {
    /// Any value on a natural scale (e.g. life expectancy): R's value_type 0.
    Normal,
    /// A rate: standard errors on the log scale; value_type 1.
    Rate,
    /// A proportion in [0, 1]: standard errors on the logit scale; value_type 2.
    Proportion,
}

impl std::str::FromStr for ValueType {
    type Err = IndicatorError;

    /// `normal`, `rate` or `proportion` (R's names), or R's numbers 0, 1, 2.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "normal" | "0" => Ok(ValueType::Normal),
            "rate" | "1" => Ok(ValueType::Rate),
            "proportion" | "2" => Ok(ValueType::Proportion),
            other => Err(IndicatorError::Invalid(format!(
                "value type {other:?}: use normal, rate or proportion"
            ))),
        }
    }
}

impl ValueType {
    fn forward(self, x: f64) -> f64 {
        match self {
            ValueType::Normal => x,
            ValueType::Rate => x.ln(),
            ValueType::Proportion => (x / (1.0 - x)).ln(),
        }
    }

    fn back(self, y: f64) -> f64 {
        match self {
            ValueType::Normal => y,
            ValueType::Rate => y.exp(),
            ValueType::Proportion => 1.0 / (1.0 + (-y).exp()),
        }
    }
}

/// One quantile of deprivation.
///
/// Its uncertainty comes from the first of these that is given: a standard error, the 95%
/// limits, or (rates and proportions only) the count of events.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SiiQuantile {
    /// Population of the quantile (must be positive).
    pub population: f64,
    /// The indicator value.
    pub value: f64,
    /// The value's standard error: on the natural scale for [`ValueType::Normal`], on the log
    /// scale for rates and the logit scale for proportions (as UKHSA's method defines it).
    pub se: Option<f64>,
    /// The 95% lower limit (used when `se` is `None`).
    pub lower95: Option<f64>,
    /// The 95% upper limit.
    pub upper95: Option<f64>,
    /// The count of events (used when neither `se` nor limits are given): the standard error
    /// is then 1/√x on the log scale for a rate, √(1/x + 1/(n − x)) on the logit scale for a
    /// proportion of a population n (the delta method for a Poisson and a binomial count).
    pub count: Option<f64>,
}

impl SiiQuantile {
    /// A quantile with a standard error.
    pub fn with_se(population: f64, value: f64, se: f64) -> Self {
        SiiQuantile {
            population,
            value,
            se: Some(se),
            lower95: None,
            upper95: None,
            count: None,
        }
    }

    /// A quantile with 95% limits.
    pub fn with_limits(population: f64, value: f64, lower95: f64, upper95: f64) -> Self {
        SiiQuantile {
            population,
            value,
            se: None,
            lower95: Some(lower95),
            upper95: Some(upper95),
            count: None,
        }
    }

    /// A quantile with a count of events (rates and proportions).
    pub fn with_count(population: f64, value: f64, count: f64) -> Self {
        SiiQuantile {
            population,
            value,
            se: None,
            lower95: None,
            upper95: None,
            count: Some(count),
        }
    }
}

/// How to compute an SII.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SiiOptions {
    /// The kind of value.
    pub value_type: ValueType,
    /// Fit on the log (rates) or logit (proportions) scale (R's `transform = TRUE`).
    pub transform: bool,
    /// Scales the SII; a negative multiplier flips its sign and inverts the RII, for indicators
    /// where a lower value is worse.
    pub multiplier: f64,
    /// Number of simulations for the interval (at least 1,000; R's default 100,000).
    pub repetitions: u32,
    /// Seed of the simulation, for reproducible limits.
    pub seed: u64,
    /// Confidence levels of the simulated interval.
    pub levels: Vec<Confidence>,
    /// Also run the simulation 9 more times and report how much the limits vary (R's
    /// `reliability_stat`; ten times the run time).
    pub reliability: bool,
}

impl Default for SiiOptions {
    fn default() -> Self {
        SiiOptions {
            value_type: ValueType::Normal,
            transform: false,
            multiplier: 1.0,
            repetitions: 100_000,
            seed: 2026,
            levels: vec![Confidence::C95],
            reliability: false,
        }
    }
}

impl SiiOptions {
    /// The defaults (normal values, 100,000 repetitions, seed 2026, 95%).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the kind of value.
    pub fn value_type(mut self, v: ValueType) -> Self {
        self.value_type = v;
        self
    }

    /// Fits on the transformed scale.
    pub fn transform(mut self, t: bool) -> Self {
        self.transform = t;
        self
    }

    /// Sets the multiplier.
    pub fn multiplier(mut self, m: f64) -> Self {
        self.multiplier = m;
        self
    }

    /// Sets the number of repetitions.
    pub fn repetitions(mut self, r: u32) -> Self {
        self.repetitions = r;
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, s: u64) -> Self {
        self.seed = s;
        self
    }

    /// Sets the confidence levels.
    pub fn levels(mut self, levels: Vec<Confidence>) -> Self {
        self.levels = levels;
        self
    }

    /// Asks for the reliability statistic (see [`Sii::mad`]).
    pub fn reliability(mut self, on: bool) -> Self {
        self.reliability = on;
        self
    }

    /// Checks the options themselves, whatever the data: wrong options are an error for every
    /// area, where a bad area's data only nulls that area (see [`crate::table`]).
    pub fn check(&self) -> Result<(), IndicatorError> {
        if self.repetitions < 1000 {
            return Err(IndicatorError::Invalid(format!(
                "at least 1000 repetitions are needed, found {}",
                self.repetitions
            )));
        }
        if self.multiplier == 0.0 || !self.multiplier.is_finite() {
            return Err(IndicatorError::Multiplier(self.multiplier));
        }
        if self.transform && self.value_type == ValueType::Normal {
            return Err(IndicatorError::Invalid(
                "transform needs a rate or a proportion value type".to_owned(),
            ));
        }
        crate::methods::check_levels(&self.levels)
    }
}

/// The slope and relative index of inequality with simulated limits (one per level).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Sii {
    /// The slope index of inequality (× multiplier).
    pub sii: f64,
    /// Lower limits of the SII.
    pub sii_lower: Vec<f64>,
    /// Upper limits of the SII.
    pub sii_upper: Vec<f64>,
    /// The relative index of inequality.
    pub rii: f64,
    /// Lower limits of the RII.
    pub rii_lower: Vec<f64>,
    /// Upper limits of the RII.
    pub rii_upper: Vec<f64>,
    /// The fitted value at the most deprived end (the regression intercept, back-transformed).
    pub intercept: f64,
    /// With [`SiiOptions::reliability`]: the mean absolute difference between the first
    /// simulation's limits and those of 9 more (SII lower, SII upper, RII lower, RII upper;
    /// one per level), a measure of how much the simulated limits vary.
    pub mad: Option<[Vec<f64>; 4]>,
}

/// How many simulations the reliability statistic runs (R: 10).
const RELIABILITY_RUNS: u64 = 10;

/// 1.959963984540054: the z of the 95% limits that standard errors are derived from, whatever
/// the levels asked for (UKHSA's method).
const Z95: f64 = 1.959963984540054;

/// Weighted least squares of y on b with weights a (Σa = 1): (intercept, slope).
fn fit(a: &[f64], b: &[f64], y: &[f64]) -> (f64, f64) {
    let mut mb = 0.0;
    let mut my = 0.0;
    for ((&a, &b), &y) in a.iter().zip(b).zip(y) {
        mb += a * b;
        my += a * y;
    }
    let mut sxy = 0.0;
    let mut sxx = 0.0;
    for ((&a, &b), &y) in a.iter().zip(b).zip(y) {
        sxy += a * (b - mb) * (y - my);
        sxx += a * (b - mb) * (b - mb);
    }
    let slope = sxy / sxx;
    (my - slope * mb, slope)
}

/// Checks 95% limits before they are transformed: a proportion's must lie in [0, 1] and a
/// rate's be positive, or the log/logit would silently give NaN or infinity.
fn check_limits(vt: ValueType, quantile: usize, lo: f64, hi: f64) -> Result<(), IndicatorError> {
    let bad = |what: &str| {
        Err(IndicatorError::Invalid(format!(
            "quantile {quantile}: {what}, found lower {lo} and upper {hi}"
        )))
    };
    if !(lo.is_finite() && hi.is_finite()) || lo > hi {
        return bad("the 95% limits must be finite with lower ≤ upper");
    }
    match vt {
        ValueType::Proportion if !(lo > 0.0 && hi < 1.0) => {
            bad("a proportion's 95% limits must lie strictly between 0 and 1")
        }
        ValueType::Rate if lo <= 0.0 => bad("a rate's 95% limits must be above 0"),
        _ => Ok(()),
    }
}

/// The standard error of a rate (log scale) or proportion (logit scale) from its count.
fn count_se(
    vt: ValueType,
    quantile: usize,
    x: f64,
    population: f64,
) -> Result<f64, IndicatorError> {
    let bad = |what: &str| {
        Err(IndicatorError::Invalid(format!(
            "quantile {quantile}: {what}, found a count of {x} in a population of {population}"
        )))
    };
    match vt {
        _ if !(x.is_finite() && x > 0.0) => bad("the count must be above 0"),
        ValueType::Rate => Ok(1.0 / x.sqrt()),
        ValueType::Proportion if x >= population => bad("the count must be below the population"),
        ValueType::Proportion => Ok((1.0 / x + 1.0 / (population - x)).sqrt()),
        ValueType::Normal => bad("a count gives no standard error for a normal value"),
    }
}

/// The SII and RII of one area's quantiles (ordered most to least deprived).
pub fn sii(quantiles: &[SiiQuantile], options: &SiiOptions) -> Result<Sii, IndicatorError> {
    let q = quantiles.len();
    if !(5..=100).contains(&q) {
        return Err(IndicatorError::Invalid(format!(
            "an SII needs between 5 and 100 quantiles, found {q}"
        )));
    }
    options.check()?;
    let vt = options.value_type;
    let total: f64 = quantiles.iter().map(|r| r.population).sum();
    let mut a = Vec::with_capacity(q);
    let mut b = Vec::with_capacity(q);
    let mut value = Vec::with_capacity(q);
    let mut se = Vec::with_capacity(q);
    // The values as given (or from counts), for the untransformed point fit.
    let mut natural = Vec::with_capacity(q);
    // Whether a quantile's simulated draws are on the transformed scale (its se came from
    // limits of a rate or proportion) and so must be taken back before an untransformed fit.
    let mut transformed = Vec::with_capacity(q);
    let mut cumulative = 0.0;
    for (j, r) in quantiles.iter().enumerate() {
        if !(r.population.is_finite() && r.population > 0.0) {
            return Err(IndicatorError::Invalid(format!(
                "quantile {}: population must be positive, found {}",
                j + 1,
                r.population
            )));
        }
        // R's `x`: a proportion's value may come from its count and population.
        let given = match (r.value.is_finite(), r.count, vt) {
            (true, ..) => r.value,
            (false, Some(x), ValueType::Proportion) => x / r.population,
            _ => f64::NAN,
        };
        if !given.is_finite() {
            return Err(IndicatorError::Invalid(format!(
                "quantile {}: the value is missing",
                j + 1
            )));
        }
        let r = &SiiQuantile { value: given, ..*r };
        if vt == ValueType::Proportion && !(0.0..=1.0).contains(&r.value) {
            return Err(IndicatorError::Invalid(format!(
                "quantile {}: a proportion must be between 0 and 1, found {}",
                j + 1,
                r.value
            )));
        }
        if vt == ValueType::Rate && r.value <= 0.0 && options.transform {
            return Err(IndicatorError::Invalid(format!(
                "quantile {}: a rate must be positive to be log-transformed, found {}",
                j + 1,
                r.value
            )));
        }
        let share = r.population / total;
        a.push(share);
        b.push(cumulative + share / 2.0);
        cumulative += share;
        // Standard errors of rates and proportions live on the log or logit scale, whether
        // given or derived from limits or counts; those of other values on their own scale.
        let quantile = j + 1;
        let s = match (r.se, r.lower95, r.upper95, r.count) {
            (Some(s), ..) => s,
            (None, Some(lo), Some(hi), _) => {
                check_limits(vt, quantile, lo, hi)?;
                (vt.forward(hi) - vt.forward(lo)) / (2.0 * Z95)
            }
            (None, None, None, Some(x)) if vt != ValueType::Normal => {
                count_se(vt, quantile, x, r.population)?
            }
            _ => {
                return Err(IndicatorError::Invalid(format!(
                    "quantile {quantile}: give a standard error, both 95% limits or (for a \
                     rate or proportion) a count"
                )));
            }
        };
        transformed.push(vt != ValueType::Normal);
        if !(s.is_finite() && s >= 0.0) {
            return Err(IndicatorError::Invalid(format!(
                "quantile {quantile}: standard error must be zero or more, found {s}"
            )));
        }
        se.push(s);
        natural.push(r.value);
        value.push(if transformed.last() == Some(&true) {
            vt.forward(r.value)
        } else {
            r.value
        });
    }
    let m = options.multiplier;
    // Point fit: on the transformed scale with transform, else on the values as given.
    let point_y = if options.transform { &value } else { &natural };
    let (alpha, beta) = fit(&a, &b, point_y);
    let summary = |alpha: f64, beta: f64| -> (f64, f64) {
        if options.transform {
            // Back-transform around the mid-point of the fitted line.
            let mid = alpha + beta / 2.0;
            let sii = (vt.back(mid + beta / 2.0) - vt.back(mid - beta / 2.0)) * m;
            let rii = vt.back(mid + beta / 2.0) / vt.back(mid - beta / 2.0);
            (sii, if m < 0.0 { 1.0 / rii } else { rii })
        } else {
            let rii = (alpha + beta) / alpha;
            (beta * m, if m < 0.0 { 1.0 / rii } else { rii })
        }
    };
    let (sii_value, rii_value) = summary(alpha, beta);
    // Simulation: draw each quantile's value on the scale its standard error lives on, take
    // it back to the fitting scale, refit.
    // One simulation: the limits (SII lower, SII upper, RII lower, RII upper) per level.
    let simulate = |seed: u64| -> [Vec<f64>; 4] {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let reps = options.repetitions as usize;
        let mut siis = Vec::with_capacity(reps);
        let mut riis = Vec::with_capacity(reps);
        let mut y = vec![0.0; q];
        for _ in 0..reps {
            for (((y, &v), &s), &t) in y.iter_mut().zip(&value).zip(&se).zip(&transformed) {
                let z: f64 = StandardNormal.sample(&mut rng);
                let draw = v + s * z;
                *y = if t && !options.transform {
                    vt.back(draw)
                } else {
                    draw
                };
            }
            let (al, be) = fit(&a, &b, &y);
            let (s, r) = summary(al, be);
            siis.push(s);
            riis.push(r);
        }
        siis.sort_by(f64::total_cmp);
        riis.sort_by(f64::total_cmp);
        let pick = |sorted: &[f64], p: f64| -> f64 {
            // R's positions round(R·p), counting from 1.
            let k = ((reps as f64) * p).round() as usize;
            sorted
                .get(k.clamp(1, reps) - 1)
                .copied()
                .unwrap_or(f64::NAN)
        };
        let mut limits: [Vec<f64>; 4] = Default::default();
        for c in &options.levels {
            let lo = (1.0 - c.get()) / 2.0;
            let hi = (1.0 + c.get()) / 2.0;
            let (s_lo, s_hi) = (pick(&siis, lo), pick(&siis, hi));
            let (r_lo, r_hi) = (pick(&riis, lo), pick(&riis, hi));
            limits[0].push(s_lo.min(s_hi));
            limits[1].push(s_lo.max(s_hi));
            limits[2].push(r_lo.min(r_hi));
            limits[3].push(r_lo.max(r_hi));
        }
        limits
    };
    let [sii_lower, sii_upper, rii_lower, rii_upper] = simulate(options.seed);
    // R's reliability statistic: the simulation 9 more times (the next seeds), and the mean
    // absolute difference of their limits from the first run's.
    let mad = if options.reliability {
        let first = [&sii_lower, &sii_upper, &rii_lower, &rii_upper];
        let mut sums: [Vec<f64>; 4] = first.map(|l| vec![0.0; l.len()]);
        for k in 1..RELIABILITY_RUNS {
            let again = simulate(options.seed.wrapping_add(k));
            for ((sum, base), run) in sums.iter_mut().zip(first).zip(&again) {
                for ((s, b), r) in sum.iter_mut().zip(base).zip(run) {
                    *s += (r - b).abs();
                }
            }
        }
        let runs = (RELIABILITY_RUNS - 1) as f64;
        Some(sums.map(|v| v.into_iter().map(|s| s / runs).collect::<Vec<f64>>()))
    } else {
        None
    };
    let out = Sii {
        sii: sii_value,
        sii_lower,
        sii_upper,
        rii: rii_value,
        rii_lower,
        rii_upper,
        intercept: if options.transform {
            vt.back(alpha)
        } else {
            alpha
        },
        mad,
    };
    Ok(out)
}
