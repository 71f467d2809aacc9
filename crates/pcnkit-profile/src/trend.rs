//! Recent trends for the profile: each yearly measure of each PCN and of the ICS, as
//! Fingertips marks them ([`pcnkit_indicators::trend`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use pcnkit_indicators::benchmark::Polarity;
use pcnkit_indicators::trend::{ProportionPoint, RecentTrend, TREND_POINTS, proportion_trend};

use crate::{ProfileError, ProfileInputs};

/// One series' recent trend.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TrendRow {
    /// The measure.
    pub measure: String,
    /// Whose series: a PCN code, or `ICS`.
    pub area: String,
    /// The measure's polarity (no judgement when the table gave none).
    pub polarity: Polarity,
    /// The years of the series, oldest first, with the percentage of each (`None` when
    /// missing).
    pub years: Vec<(i32, Option<f64>)>,
    /// The trend over the most recent five.
    pub trend: RecentTrend,
}

/// The ICS's series of a measure: a year is known only when every PCN with the measure has
/// it (a part missing is not a smaller total).
fn ics_points(by_pcn: &BTreeMap<String, Vec<(i32, u64, u64)>>) -> Vec<ProportionPoint> {
    let mut years: BTreeMap<i32, (u64, u64, usize)> = BTreeMap::new();
    for rows in by_pcn.values() {
        for (y, r, n) in rows {
            let e = years.entry(*y).or_default();
            e.0 = e.0.saturating_add(*r);
            e.1 = e.1.saturating_add(*n);
            e.2 += 1;
        }
    }
    years
        .into_iter()
        .map(|(y, (r, n, parts))| {
            if parts == by_pcn.len() && r < u64::MAX && n < u64::MAX {
                (f64::from(y), Some(r as f64), Some(n as f64))
            } else {
                (f64::from(y), None, None)
            }
        })
        .collect()
}

fn row(
    measure: &str,
    area: &str,
    polarity: Polarity,
    points: Vec<ProportionPoint>,
) -> Result<TrendRow, ProfileError> {
    let trend = proportion_trend(&points)?;
    let mut years: Vec<(i32, Option<f64>)> = points
        .iter()
        .map(|(y, r, n)| {
            (
                *y as i32,
                match (r, n) {
                    (Some(r), Some(n)) if *n > 0.0 => Some(r / n * 100.0),
                    _ => None,
                },
            )
        })
        .collect();
    years.sort_by_key(|y| y.0);
    Ok(TrendRow {
        measure: measure.to_owned(),
        area: area.to_owned(),
        polarity,
        years,
        trend,
    })
}

/// The recent trends of the yearly measures: per measure, each PCN in code order, then the
/// ICS.
pub(crate) fn trends(inputs: &ProfileInputs) -> Result<Option<Vec<TrendRow>>, ProfileError> {
    let Some(rows) = &inputs.yearly else {
        return Ok(None);
    };
    type Series = BTreeMap<String, Vec<(i32, u64, u64)>>;
    let mut measures: BTreeMap<&str, (Polarity, Series)> = BTreeMap::new();
    for r in rows {
        let m = measures
            .entry(r.measure.as_str())
            .or_insert((r.polarity.unwrap_or(Polarity::NoJudgement), BTreeMap::new()));
        m.1.entry(r.pcn.to_string()).or_default().push((
            r.year,
            r.numerator.get(),
            r.denominator.get(),
        ));
    }
    let mut out = Vec::new();
    for (measure, (polarity, by_pcn)) in &measures {
        for (pcn, series) in by_pcn {
            let points = series
                .iter()
                .map(|(y, r, n)| (f64::from(*y), Some(*r as f64), Some(*n as f64)))
                .collect();
            out.push(row(measure, pcn, *polarity, points)?);
        }
        out.push(row(measure, "ICS", *polarity, ics_points(by_pcn))?);
    }
    Ok(Some(out))
}

/// The trends as the `indicators_trend` table: `measure`, `area`, `polarity`, `points`,
/// `from_year`, `to_year` (of the years tested), `latest_percent`, `slope_points_per_year`
/// (percentage points), `chi_squared`, `trend`, `trend_with_polarity`, `reason`.
pub(crate) fn table(rows: &[TrendRow]) -> Result<RecordBatch, ProfileError> {
    let text = |f: &dyn Fn(&TrendRow) -> String| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(rows.iter().map(f)))
    };
    let float = |f: &dyn Fn(&TrendRow) -> Option<f64>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<Float64Array>())
    };
    let tested = |r: &TrendRow| -> Option<(i32, i32)> {
        let n = r.years.len();
        (r.trend.direction != pcnkit_indicators::trend::TrendDirection::CannotBeCalculated
            && n >= TREND_POINTS)
            .then(|| (r.years[n - TREND_POINTS].0, r.years[n - 1].0))
    };
    Ok(pcnkit_core::arrow::nullable_batch([
        ("measure", text(&|r| r.measure.clone())),
        ("area", text(&|r| r.area.clone())),
        (
            "polarity",
            text(&|r| {
                match r.polarity {
                    Polarity::HighIsGood => "high-is-good",
                    Polarity::LowIsGood => "low-is-good",
                    _ => "no-judgement",
                }
                .to_owned()
            }),
        ),
        (
            "points",
            Arc::new(UInt64Array::from_iter_values(
                rows.iter().map(|r| r.years.len() as u64),
            )),
        ),
        ("from_year", float(&|r| tested(r).map(|t| f64::from(t.0)))),
        ("to_year", float(&|r| tested(r).map(|t| f64::from(t.1)))),
        (
            "latest_percent",
            float(&|r| r.years.last().and_then(|y| y.1)),
        ),
        (
            "slope_points_per_year",
            float(&|r| r.trend.slope.map(|s| s * 100.0)),
        ),
        ("chi_squared", float(&|r| r.trend.chi_squared)),
        ("trend", text(&|r| r.trend.direction.label().to_owned())),
        (
            "trend_with_polarity",
            text(&|r| r.trend.direction.with_polarity(r.polarity).to_owned()),
        ),
        ("reason", text(&|r| r.trend.reason.clone())),
    ])?)
}
