//! The statistical methods for one group, from the formulas in the UKHSA documentation (as
//! implemented by the R package PHEindicatormethods; no code of the GPL-licensed peers was used).

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};

use crate::error::IndicatorError;

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

fn check_count(what: &'static str, value: f64) -> Result<(), IndicatorError> {
    if value < 0.0 {
        Err(IndicatorError::Negative { what, value })
    } else if !value.is_finite() {
        Err(IndicatorError::NotFinite { what, value })
    } else {
        Ok(())
    }
}

fn check_denominator(value: f64) -> Result<(), IndicatorError> {
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

/// A directly standardised rate with Dobson limits, over the strata of one group: `counts[i]`
/// events in `populations[i]` people, weighted by `standard[i]` (e.g. [`ESP2013`]). A total of
/// fewer than 10 events gives no value (`note`), as UKHSA publishes no DSR below 10 events.
pub fn dsr(
    counts: &[f64],
    populations: &[f64],
    standard: &[f64],
    levels: &[Confidence],
    multiplier: f64,
) -> Result<Estimate, IndicatorError> {
    check_multiplier(multiplier)?;
    check_lengths(
        counts.len(),
        &[
            ("populations", populations.len()),
            ("standard population", standard.len()),
        ],
    )?;
    let mut sums = DsrSums::default();
    for ((&o, &n), &w) in counts.iter().zip(populations).zip(standard) {
        sums.add(o, n, w)?;
    }
    Ok(sums.estimate(levels, multiplier))
}

/// The running sums of a DSR over its strata, so a table can standardise in one pass without
/// keeping the strata.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DsrSums {
    weighted: f64,
    variance: f64,
    total_weight: f64,
    observed: f64,
    population: f64,
    non_independent: bool,
}

impl DsrSums {
    /// Adds a stratum: `o` events in `n` people with standard weight `w`.
    #[inline]
    pub fn add(&mut self, o: f64, n: f64, w: f64) -> Result<(), IndicatorError> {
        check_count("count", o)?;
        check_denominator(n)?;
        check_count("standard population", w)?;
        let ratio = w / n;
        self.weighted += o * ratio;
        self.variance += o * ratio * ratio;
        self.total_weight += w;
        self.observed += o;
        self.population += n;
        Ok(())
    }

    /// Adds `persons` people with `frequency` events each (R's non-independent events): they
    /// add `frequency × persons` events, and `frequency² × persons` to the variance, because
    /// one person's repeated events are not independent. A stratum (age band) comes once per
    /// frequency: give its population `n` and weight `w` each time, with `new_stratum` true
    /// only the first time, so they are counted once.
    pub fn add_frequency(
        &mut self,
        frequency: f64,
        persons: f64,
        n: f64,
        w: f64,
        new_stratum: bool,
    ) -> Result<(), IndicatorError> {
        check_count("event frequency", frequency)?;
        check_count("persons", persons)?;
        check_denominator(n)?;
        check_count("standard population", w)?;
        let ratio = w / n;
        let events = frequency * persons;
        self.weighted += events * ratio;
        self.variance += frequency * frequency * persons * ratio * ratio;
        self.observed += events;
        if new_stratum {
            self.total_weight += w;
            self.population += n;
        }
        self.non_independent = true;
        Ok(())
    }

    /// Adds another group's sums (strata counted in either are counted once each).
    pub fn merge(&mut self, other: &DsrSums) {
        self.weighted += other.weighted;
        self.variance += other.variance;
        self.total_weight += other.total_weight;
        self.observed += other.observed;
        self.population += other.population;
        self.non_independent |= other.non_independent;
    }

    /// Total events.
    pub fn observed(&self) -> f64 {
        self.observed
    }

    /// Total population.
    pub fn population(&self) -> f64 {
        self.population
    }

    /// The DSR with Dobson limits (no value below 10 events).
    pub fn estimate(&self, levels: &[Confidence], multiplier: f64) -> Estimate {
        let mut e = Estimate::empty(levels.len());
        self.estimate_into(levels, multiplier, &mut e);
        e
    }

    pub(crate) fn estimate_into(
        &self,
        levels: &[Confidence],
        multiplier: f64,
        out: &mut impl Sink,
    ) {
        let method = if self.non_independent {
            Method::DobsonNonIndependent
        } else {
            Method::Dobson
        };
        if self.observed < 10.0 {
            out.point(
                None,
                method,
                Some("dsr not calculated for a total count below 10"),
            );
            for i in 0..levels.len() {
                out.limits(i, None, None);
            }
            return;
        }
        if self.total_weight <= 0.0 {
            out.point(None, method, Some("the standard population sums to 0"));
            for i in 0..levels.len() {
                out.limits(i, None, None);
            }
            return;
        }
        let raw = self.weighted / self.total_weight;
        // Divide twice rather than by W²: W² overflows long before the variance does.
        let var = self.variance / self.total_weight / self.total_weight;
        let spread = (var / self.observed).sqrt();
        if !(raw.is_finite() && spread.is_finite()) {
            out.point(None, method, Some("inputs too large for floating point"));
            for i in 0..levels.len() {
                out.limits(i, None, None);
            }
            return;
        }
        out.point(Some(raw * multiplier), method, None);
        for (i, &c) in levels.iter().enumerate() {
            let (bl, bu) = byars_limits(self.observed, c);
            out.limits(
                i,
                Some((raw + spread * (bl - self.observed)) * multiplier),
                Some((raw + spread * (bu - self.observed)) * multiplier),
            );
        }
    }
}

/// The European Standard Population 2013 in the 19 bands UKHSA uses (0-4, 5-9, …, 85-89, 90+),
/// total 100,000 (Eurostat's 0 and 1-4 merged, and 90-94 and 95+ merged), as shipped with the
/// UKHSA R package PHEindicatormethods (`esp2013`) and restated in `indicator-methods.md` §3.
pub const ESP2013: [f64; 19] = [
    5000.0, 5500.0, 5500.0, 5500.0, 6000.0, 6000.0, 6500.0, 7000.0, 7000.0, 7000.0, 7000.0, 6500.0,
    6000.0, 5500.0, 5000.0, 4000.0, 2500.0, 1500.0, 1000.0,
];

/// Observed and expected events for indirect standardisation: expected = Σ reference rate ×
/// local population.
fn observed_expected(
    counts: &[f64],
    populations: &[f64],
    ref_counts: &[f64],
    ref_populations: &[f64],
) -> Result<(f64, f64), IndicatorError> {
    check_lengths(
        counts.len(),
        &[
            ("populations", populations.len()),
            ("reference counts", ref_counts.len()),
            ("reference populations", ref_populations.len()),
        ],
    )?;
    let mut expected = 0.0;
    let mut observed = 0.0;
    for i in 0..counts.len() {
        let (o, n, rc, rn) = (counts[i], populations[i], ref_counts[i], ref_populations[i]);
        check_count("count", o)?;
        check_count("population", n)?;
        check_count("reference count", rc)?;
        check_denominator(rn)?;
        expected += rc / rn * n;
        observed += o;
    }
    check_denominator(expected)?;
    Ok((observed, expected))
}

/// An indirectly standardised ratio (an SMR when `ref_value` is 100): observed / expected ×
/// `ref_value`, with Poisson limits on the observed count.
pub fn isratio(
    counts: &[f64],
    populations: &[f64],
    ref_counts: &[f64],
    ref_populations: &[f64],
    limits: &CountLimits,
    ref_value: f64,
) -> Result<Estimate, IndicatorError> {
    check_multiplier(ref_value)?;
    let (o, e) = observed_expected(counts, populations, ref_counts, ref_populations)?;
    scaled_count(o, e, limits, ref_value)
}

/// An indirectly standardised rate: observed / expected × the reference rate (Σ reference
/// counts / Σ reference populations × `multiplier`).
pub fn israte(
    counts: &[f64],
    populations: &[f64],
    ref_counts: &[f64],
    ref_populations: &[f64],
    limits: &CountLimits,
    multiplier: f64,
) -> Result<Estimate, IndicatorError> {
    check_multiplier(multiplier)?;
    let (o, e) = observed_expected(counts, populations, ref_counts, ref_populations)?;
    let ref_rate =
        ref_counts.iter().sum::<f64>() / ref_populations.iter().sum::<f64>() * multiplier;
    scaled_count(o, e, limits, ref_rate)
}

fn scaled_count(
    o: f64,
    e: f64,
    limits: &CountLimits,
    scale: f64,
) -> Result<Estimate, IndicatorError> {
    let mut out = Estimate::empty(limits.levels().len());
    scaled_into(o, e, limits, scale, &mut out);
    Ok(out)
}

/// A count `o` over `e`, × `scale`, with exact (below 10) or Byar's limits.
pub(crate) fn scaled_into(o: f64, e: f64, limits: &CountLimits, scale: f64, out: &mut impl Sink) {
    let method = if o < 10.0 {
        Method::Exact
    } else {
        Method::Byars
    };
    out.point(Some(o / e * scale), method, None);
    for i in 0..limits.levels().len() {
        let ((l, u), _) = limits.limits(o, i);
        out.limits(i, Some(l / e * scale), Some(u / e * scale));
    }
}

/// Assigns quantiles (e.g. deprivation deciles) to values, as OHID's "Assigning Deprivation
/// Categories": rank with ties at the minimum rank, descending when `invert` (quantile 1 = the
/// highest values); quantile = ⌊Q + 1 − ⌈(N + 1 − rank) / (N / Q)⌉⌋, with 0 as 1. Missing values
/// (`None`) get none; with fewer values than quantiles every quantile is `None`.
pub fn quantiles(values: &[Option<f64>], nquantiles: u32, invert: bool) -> Vec<Option<u32>> {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let n = present.len() as f64;
    let q = f64::from(nquantiles);
    if nquantiles == 0 || present.len() < nquantiles as usize {
        return vec![None; values.len()];
    }
    let mut sorted = present;
    sorted.sort_by(|a, b| {
        if invert {
            b.total_cmp(a)
        } else {
            a.total_cmp(b)
        }
    });
    values
        .iter()
        .map(|v| {
            let v = (*v)?;
            // Minimum rank among ties: 1 + the number of values strictly before it.
            let before = sorted.partition_point(|s| if invert { *s > v } else { *s < v });
            let rank = before as f64 + 1.0;
            let quantile = ((q + 1.0) - ((n + 1.0 - rank) / (n / q)).ceil()).floor();
            Some(quantile.max(1.0) as u32)
        })
        .collect()
}
