//! Directly and indirectly standardised rates and ratios (Dobson and Byars limits) and the European Standard Population 2013.

use super::*;

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
pub(crate) fn observed_expected(
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

pub(crate) fn scaled_count(
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
