//! Statistical process control in the NHS England "Making Data Count" style: XmR charts of a
//! series (monthly activity, claims), the rules that mark special cause variation, the
//! variation class of each point given the improvement direction, and assurance against a
//! target.
//!
//! - **Limits** (XmR, Wheeler): the mean of the baseline values and the mean moving range
//!   MR̄ of consecutive baseline values; process limits mean ± 2.66 MR̄ (3 / d₂, d₂ = 1.128),
//!   two-sigma lines mean ± (2 / 3) · 2.66 MR̄.
//! - **Rules:** a point beyond the limits; a run of `run` (default 7, 6–8 allowed) points
//!   strictly on one side of the mean; a trend of `trend` (default 7, 5–8 allowed) points each
//!   strictly above (or below) the one before; two of three consecutive points beyond the same
//!   two-sigma line. Every point of a run, trend or pair is marked.
//! - **Variation** of each point: common cause, or special cause improvement / concern by the
//!   improvement direction (increase or decrease is good), or special cause neither (neutral).
//!   A point high of the mean (or in an increasing trend) is "high".
//! - **Assurance** against a target, on the last segment's limits: consistently pass (both
//!   limits on the passing side), consistently fail (both on the failing side), hit and miss.
//! - **Rebasing** at given points starts a new segment with its own limits; a **fixed
//!   baseline** computes each segment's limits from its first `baseline` values only; both
//!   together give each segment limits from its own first values.
//! - **Missing values break the series** (the documented choice; [`Missing::Refuse`] errors
//!   instead): no moving range spans a gap and no run, trend or pair of points continues across
//!   one, so a gap never creates a signal. A segment with fewer than two values in its baseline
//!   has no limits (null, with a note); fewer values than the run or trend length means that
//!   rule cannot fire, which the chart's notes say.
//!
//! Sources: NHS England, *Making Data Count* (2019) and *Making Data Count: getting started*
//! (the XmR chart, the rules and the variation and assurance icons); D. J. Wheeler,
//! *Understanding Variation* (2000) for the 2.66 constant.

use crate::error::IndicatorError;

/// Which direction is improvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum Direction {
    /// Higher is better.
    Increase,
    /// Lower is better.
    Decrease,
    /// Neither.
    Neutral,
}

impl std::str::FromStr for Direction {
    type Err = IndicatorError;
    /// `increase`, `decrease` or `neutral`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "increase" | "higher" => Ok(Direction::Increase),
            "decrease" | "lower" => Ok(Direction::Decrease),
            "neutral" | "neither" => Ok(Direction::Neutral),
            other => Err(IndicatorError::Invalid(format!(
                "improvement direction {other:?}: increase, decrease or neutral"
            ))),
        }
    }
}

/// What a missing value does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Missing {
    /// It breaks the series: no moving range, run, trend or pair spans it (the default).
    #[default]
    Break,
    /// It is an error naming the point.
    Refuse,
}

/// The variation class of a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum Variation {
    /// Common cause.
    CommonCause,
    /// Special cause in the improvement direction, high.
    ImprovementHigh,
    /// Special cause in the improvement direction, low.
    ImprovementLow,
    /// Special cause against the improvement direction, high.
    ConcernHigh,
    /// Special cause against the improvement direction, low.
    ConcernLow,
    /// Special cause with no improvement direction, high.
    NeitherHigh,
    /// Special cause with no improvement direction, low.
    NeitherLow,
    /// No value, or no limits to judge it by.
    None,
}

impl Variation {
    /// The words of the Making Data Count icon.
    pub fn label(self) -> &'static str {
        match self {
            Variation::CommonCause => "common cause",
            Variation::ImprovementHigh => "special cause improvement (high)",
            Variation::ImprovementLow => "special cause improvement (low)",
            Variation::ConcernHigh => "special cause concern (high)",
            Variation::ConcernLow => "special cause concern (low)",
            Variation::NeitherHigh => "special cause neither (high)",
            Variation::NeitherLow => "special cause neither (low)",
            Variation::None => "not judged",
        }
    }
}

/// Assurance against a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum Assurance {
    /// The process limits are both on the passing side: it will consistently pass.
    ConsistentlyPass,
    /// Both on the failing side: it will consistently fail.
    ConsistentlyFail,
    /// The target lies between the limits: it will hit and miss.
    HitAndMiss,
}

impl Assurance {
    /// The words of the icon.
    pub fn label(self) -> &'static str {
        match self {
            Assurance::ConsistentlyPass => "consistently pass",
            Assurance::ConsistentlyFail => "consistently fail",
            Assurance::HitAndMiss => "hit and miss",
        }
    }
}

/// How a chart is made.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SpcOptions {
    /// Points in a run on one side of the mean that signal (7; 6 to 8).
    pub run: usize,
    /// Points in a trend that signal (7; 5 to 8).
    pub trend: usize,
    /// Indices (0-based, into the series) where a new segment starts.
    pub rebase: Vec<usize>,
    /// Compute each segment's limits from its first this-many values only.
    pub baseline: Option<usize>,
    /// The target, for assurance.
    pub target: Option<f64>,
    /// The improvement direction.
    pub direction: Direction,
    /// What a missing value does.
    pub missing: Missing,
}

impl Default for SpcOptions {
    fn default() -> Self {
        SpcOptions {
            run: 7,
            trend: 7,
            rebase: Vec::new(),
            baseline: None,
            target: None,
            direction: Direction::Neutral,
            missing: Missing::Break,
        }
    }
}

impl SpcOptions {
    /// Points in a run that signal (6 to 8).
    #[must_use]
    pub fn run(mut self, points: usize) -> Self {
        self.run = points;
        self
    }

    /// Points in a trend that signal (5 to 8).
    #[must_use]
    pub fn trend(mut self, points: usize) -> Self {
        self.trend = points;
        self
    }

    /// New segments start at these indices.
    #[must_use]
    pub fn rebase(mut self, at: Vec<usize>) -> Self {
        self.rebase = at;
        self
    }

    /// Each segment's limits from its first `values` values.
    #[must_use]
    pub fn baseline(mut self, values: Option<usize>) -> Self {
        self.baseline = values;
        self
    }

    /// The target, for assurance.
    #[must_use]
    pub fn target(mut self, target: Option<f64>) -> Self {
        self.target = target;
        self
    }

    /// The improvement direction.
    #[must_use]
    pub fn direction(mut self, direction: Direction) -> Self {
        self.direction = direction;
        self
    }

    /// What a missing value does.
    #[must_use]
    pub fn missing(mut self, missing: Missing) -> Self {
        self.missing = missing;
        self
    }
}

/// The XmR constant 3 / d₂ (d₂ = 1.128 for moving ranges of two).
pub const XMR_LIMIT_FACTOR: f64 = 2.66;

/// One point of a chart.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct SpcPoint {
    /// The value, if any.
    pub value: Option<f64>,
    /// Its segment (0 before the first rebase).
    pub segment: usize,
    /// The segment's mean.
    pub mean: Option<f64>,
    /// Lower and upper process limits.
    pub limits: Option<(f64, f64)>,
    /// Lower and upper two-sigma lines.
    pub two_sigma: Option<(f64, f64)>,
    /// Beyond a process limit.
    pub beyond_limits: bool,
    /// In a run on one side of the mean.
    pub run: bool,
    /// In a trend.
    pub trend: bool,
    /// One of two of three beyond a two-sigma line.
    pub two_of_three: bool,
    /// Its variation class.
    pub variation: Variation,
}

/// A chart: its points, assurance on the last segment, and notes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct SpcChart {
    /// Every point, in order.
    pub points: Vec<SpcPoint>,
    /// Assurance against the target on the last segment's limits (no target, no limits or a
    /// neutral direction: none).
    pub assurance: Option<Assurance>,
    /// What the chart could not do, and why.
    pub notes: Vec<String>,
}

impl SpcChart {
    /// The variation of the last point with a value.
    pub fn latest(&self) -> Variation {
        self.points
            .iter()
            .rev()
            .find(|p| p.value.is_some())
            .map_or(Variation::None, |p| p.variation)
    }
}

impl SpcOptions {
    /// Refuses options outside what the method allows (a run of 6 to 8, a trend of 5 to 8, a
    /// baseline of at least 2, a finite target); [`xmr`] checks them too.
    pub fn validate(&self) -> Result<(), IndicatorError> {
        check(self)
    }
}

fn check(options: &SpcOptions) -> Result<(), IndicatorError> {
    if !(6..=8).contains(&options.run) {
        return Err(IndicatorError::Invalid(format!(
            "run of {}: 6 to 8 points",
            options.run
        )));
    }
    if !(5..=8).contains(&options.trend) {
        return Err(IndicatorError::Invalid(format!(
            "trend of {}: 5 to 8 points",
            options.trend
        )));
    }
    if options.baseline.is_some_and(|b| b < 2) {
        return Err(IndicatorError::Invalid(
            "a baseline needs at least 2 values".to_owned(),
        ));
    }
    if options.target.is_some_and(|t| !t.is_finite()) {
        return Err(IndicatorError::Invalid(
            "the target must be a number".to_owned(),
        ));
    }
    Ok(())
}

/// Marks every point of each maximal stretch of consecutive indices (no gap) where `same`
/// holds between neighbours and that is at least `len` long.
fn mark_runs(
    flags: &mut [bool],
    idx: &[usize],
    len: usize,
    mut start_ok: impl FnMut(usize) -> bool,
    mut step_ok: impl FnMut(usize, usize) -> bool,
) {
    let mut k = 0;
    while k < idx.len() {
        if !start_ok(idx[k]) {
            k += 1;
            continue;
        }
        let mut j = k;
        while j + 1 < idx.len() && idx[j + 1] == idx[j] + 1 && step_ok(idx[j], idx[j + 1]) {
            j += 1;
        }
        if j + 1 - k >= len {
            for i in &idx[k..=j] {
                flags[*i] = true;
            }
        }
        k = j + 1;
    }
}

/// The XmR chart of `values` (in time order). See the [module docs](self).
#[allow(clippy::too_many_lines)]
pub fn xmr(values: &[Option<f64>], options: &SpcOptions) -> Result<SpcChart, IndicatorError> {
    check(options)?;
    let n = values.len();
    if let Some(bad) = values
        .iter()
        .position(|v| v.is_some_and(|v| !v.is_finite()))
    {
        return Err(IndicatorError::Invalid(format!(
            "point {bad}: not a number"
        )));
    }
    if options.missing == Missing::Refuse
        && let Some(gap) = values.iter().position(Option::is_none)
    {
        return Err(IndicatorError::Invalid(format!(
            "point {gap} has no value (missing values are refused)"
        )));
    }
    let mut starts: Vec<usize> = options
        .rebase
        .iter()
        .copied()
        .filter(|r| *r > 0 && *r < n)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts.insert(0, 0);
    let mut points: Vec<SpcPoint> = values
        .iter()
        .map(|v| SpcPoint {
            value: *v,
            segment: 0,
            mean: None,
            limits: None,
            two_sigma: None,
            beyond_limits: false,
            run: false,
            trend: false,
            two_of_three: false,
            variation: Variation::None,
        })
        .collect();
    let mut notes = Vec::new();
    let mut last_limits = None;
    for (s, &start) in starts.iter().enumerate() {
        let end = starts.get(s + 1).copied().unwrap_or(n);
        // Indices of the segment's values.
        let idx: Vec<usize> = (start..end).filter(|i| values[*i].is_some()).collect();
        let v = |i: usize| values[i].unwrap_or(f64::NAN);
        let base: &[usize] = match options.baseline {
            Some(b) => &idx[..idx.len().min(b)],
            None => &idx,
        };
        let ranges: Vec<f64> = base
            .windows(2)
            .filter(|w| w[1] == w[0] + 1)
            .map(|w| (v(w[1]) - v(w[0])).abs())
            .collect();
        for p in &mut points[start..end] {
            p.segment = s;
        }
        if base.len() < 2 || ranges.is_empty() {
            notes.push(format!(
                "segment {s} (points {start} to {}): fewer than two consecutive values in its baseline, so no limits",
                end.saturating_sub(1)
            ));
            last_limits = None;
            continue;
        }
        let mean = base.iter().map(|i| v(*i)).sum::<f64>() / base.len() as f64;
        let mr = ranges.iter().sum::<f64>() / ranges.len() as f64;
        let (lcl, ucl) = (mean - XMR_LIMIT_FACTOR * mr, mean + XMR_LIMIT_FACTOR * mr);
        let two = 2.0 / 3.0 * XMR_LIMIT_FACTOR * mr;
        let (l2, u2) = (mean - two, mean + two);
        last_limits = Some((lcl, ucl));
        for i in start..end {
            let p = &mut points[i];
            p.mean = Some(mean);
            p.limits = Some((lcl, ucl));
            p.two_sigma = Some((l2, u2));
            if let Some(x) = values[i] {
                p.beyond_limits = x > ucl || x < lcl;
            }
        }
        if idx.len() < options.run {
            notes.push(format!(
                "segment {s}: {} values, fewer than a run of {}: the run rule cannot fire",
                idx.len(),
                options.run
            ));
        }
        if idx.len() < options.trend {
            notes.push(format!(
                "segment {s}: {} values, fewer than a trend of {}: the trend rule cannot fire",
                idx.len(),
                options.trend
            ));
        }
        let side = |i: usize| -> i8 {
            let x = v(i);
            if x > mean {
                1
            } else if x < mean {
                -1
            } else {
                0
            }
        };
        let mut run = vec![false; n];
        mark_runs(
            &mut run,
            &idx,
            options.run,
            |i| side(i) != 0,
            |a, b| side(a) == side(b),
        );
        let mut up = vec![false; n];
        mark_runs(&mut up, &idx, options.trend, |_| true, |a, b| v(b) > v(a));
        let mut down = vec![false; n];
        mark_runs(&mut down, &idx, options.trend, |_| true, |a, b| v(b) < v(a));
        // Two of three consecutive points beyond the same two-sigma line.
        let mut two_of_three = vec![false; n];
        for w in idx.windows(3) {
            if w[2] != w[0] + 2 {
                continue;
            }
            for high in [true, false] {
                let beyond: Vec<usize> = w
                    .iter()
                    .copied()
                    .filter(|i| if high { v(*i) > u2 } else { v(*i) < l2 })
                    .collect();
                if beyond.len() >= 2 {
                    for i in beyond {
                        two_of_three[i] = true;
                    }
                }
            }
        }
        for &i in &idx {
            let p = &mut points[i];
            p.run = run[i];
            p.trend = up[i] || down[i];
            p.two_of_three = two_of_three[i];
            let special = p.beyond_limits || p.run || p.trend || p.two_of_three;
            let high = if p.trend && !(p.beyond_limits || p.run || p.two_of_three) {
                up[i]
            } else {
                v(i) > mean
            };
            p.variation = match (special, options.direction, high) {
                (false, ..) => Variation::CommonCause,
                (true, Direction::Increase, true) | (true, Direction::Decrease, false) => {
                    if high {
                        Variation::ImprovementHigh
                    } else {
                        Variation::ImprovementLow
                    }
                }
                (true, Direction::Increase, false) => Variation::ConcernLow,
                (true, Direction::Decrease, true) => Variation::ConcernHigh,
                (true, _, true) => Variation::NeitherHigh,
                (true, _, false) => Variation::NeitherLow,
            };
        }
    }
    let assurance = match (options.target, last_limits, options.direction) {
        (Some(_), _, Direction::Neutral) => {
            notes.push("no assurance: a target needs an improvement direction".to_owned());
            None
        }
        (Some(t), Some((lcl, ucl)), dir) => Some(match dir {
            Direction::Increase if lcl > t => Assurance::ConsistentlyPass,
            Direction::Increase if ucl < t => Assurance::ConsistentlyFail,
            Direction::Decrease if ucl < t => Assurance::ConsistentlyPass,
            Direction::Decrease if lcl > t => Assurance::ConsistentlyFail,
            _ => Assurance::HitAndMiss,
        }),
        (Some(_), None, _) => {
            notes.push("no assurance: the last segment has no limits".to_owned());
            None
        }
        (None, ..) => None,
    };
    Ok(SpcChart {
        points,
        assurance,
        notes,
    })
}
