//! Life expectancy from an abridged life table (Chiang II), as UKHSA's Life Expectancy
//! Calculator and the R package's `phe_life_expectancy` compute it.
//!
//! Twenty age bands: 0, 1-4, 5-9, …, 85-89, 90+. For band i with deaths Dᵢ, population Pᵢ,
//! width nᵢ (1, 4, then 5) and fraction of the interval lived by those who die aᵢ (0.1 for
//! infants, 0.5 otherwise):
//! - Mᵢ = Dᵢ/Pᵢ; qᵢ = nᵢMᵢ / (1 + nᵢ(1 − aᵢ)Mᵢ), capped at 1 (reached when Dᵢ > Pᵢ/(nᵢaᵢ): a
//!   mortality so high that everyone in the band dies in it, as the R package caps it), with
//!   q = 1 in the open band 90+;
//! - lᵢ₊₁ = lᵢ(1 − qᵢ) from l₀ = 100,000; Lᵢ = nᵢ(lᵢ₊₁ + aᵢdᵢ), and L = l/M in 90+;
//! - eᵢ = Tᵢ/lᵢ with Tᵢ = Σⱼ≥ᵢ Lⱼ.
//!
//! The variance is Chiang's, with the final-band term of Silcocks, Jenner & Reza (2001) so the
//! open band contributes: Var(eₓ) = [Σᵢ≥ₓ lᵢ²((1 − aᵢ)nᵢ + eᵢ₊₁)² qᵢ²(1 − qᵢ)/Dᵢ
//! + l_w² D_w / (M_w⁴ P_w²)] / lₓ² (terms with Dᵢ = 0 are 0). Limits are eₓ ± z·√Var.
//!
//! As the R package does, an area whose total population is 5,000 or less gets no value
//! (note "total population of 5000 or less"), and an age whose 95% interval is wider than 20
//! years gets no value but keeps its limits (note "confidence interval wider than 20 years":
//! the limits show how uncertain it is). An age nobody reaches in the table (an earlier band's
//! probability of dying was capped at 1) has no value, with a note saying so.

use crate::error::IndicatorError;
use crate::methods::{Confidence, Estimate, Method};

/// The start ages of the 20 bands.
pub const LIFE_TABLE_AGES: [u32; 20] = [
    0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90,
];

/// A life table: life expectancy (with limits) at the start of every band.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct LifeTable {
    /// Start age of each band.
    pub ages: Vec<u32>,
    /// Life expectancy at each start age, with limits (null with a note when suppressed).
    pub expectancy: Vec<Estimate>,
}

/// The start ages of a life table whose open band starts at `top_age`: 90 (the 20 bands of
/// [`LIFE_TABLE_AGES`], as UKHSA's calculator and R use) or an earlier five-year start such
/// as 85 (for data published with an 85+ band; the open band's life expectancy is then 1/M
/// from 85).
pub fn life_table_ages(top_age: u32) -> Result<&'static [u32], IndicatorError> {
    match LIFE_TABLE_AGES.iter().position(|a| *a == top_age) {
        Some(i) if top_age >= 65 => Ok(&LIFE_TABLE_AGES[..=i]),
        _ => Err(IndicatorError::Invalid(format!(
            "top age band {top_age}+: one of 65, 70, 75, 80, 85 or 90"
        ))),
    }
}

/// Life expectancy at each band's start age from deaths and populations in the 20 bands of
/// [`LIFE_TABLE_AGES`].
pub fn life_expectancy(
    deaths: &[f64],
    populations: &[f64],
    levels: &[Confidence],
) -> Result<LifeTable, IndicatorError> {
    life_expectancy_from(&LIFE_TABLE_AGES, deaths, populations, levels)
}

/// Life expectancy at each band's start age from deaths and populations in the bands starting
/// at `ages` (see [`life_table_ages`]; the last band is open).
pub fn life_expectancy_from(
    ages: &[u32],
    deaths: &[f64],
    populations: &[f64],
    levels: &[Confidence],
) -> Result<LifeTable, IndicatorError> {
    let w = ages.len();
    if w < 2 || !LIFE_TABLE_AGES.starts_with(ages) {
        return Err(IndicatorError::Invalid(
            "life-table ages must be the standard start ages 0, 1, 5, … up to an open band"
                .to_owned(),
        ));
    }
    crate::methods::check_lengths(
        w,
        &[("deaths", deaths.len()), ("populations", populations.len())],
    )?;
    for (i, (&d, &p)) in deaths.iter().zip(populations).enumerate() {
        if !(d.is_finite() && d >= 0.0) {
            return Err(IndicatorError::Negative {
                what: "deaths",
                value: d,
            });
        }
        if !(p.is_finite() && p > 0.0) {
            return Err(IndicatorError::Invalid(format!(
                "age band {}: population must be positive, found {p}",
                band_label(ages, i)
            )));
        }
        if d > p {
            return Err(IndicatorError::Invalid(format!(
                "age band {}: {d} deaths exceed the population {p}",
                band_label(ages, i)
            )));
        }
    }
    let last = w - 1;
    let mut l = vec![0.0; w + 1];
    let mut big_l = vec![0.0; w];
    let mut q = vec![0.0; w];
    let mut m = vec![0.0; w];
    l[0] = 100_000.0;
    for i in 0..w {
        m[i] = deaths[i] / populations[i];
        if i == last {
            q[i] = 1.0;
            l[i + 1] = 0.0;
            // The open band lasts 1/M on average; with no deaths it is unbounded.
            big_l[i] = if m[i] > 0.0 {
                l[i] / m[i]
            } else {
                f64::INFINITY
            };
        } else {
            let (n, a) = width_and_fraction(i);
            q[i] = (n * m[i] / (1.0 + n * (1.0 - a) * m[i])).min(1.0);
            l[i + 1] = l[i] * (1.0 - q[i]);
            let d = l[i] - l[i + 1];
            big_l[i] = n * (l[i + 1] + a * d);
        }
    }
    let mut t = vec![0.0; w + 1];
    for i in (0..w).rev() {
        t[i] = t[i + 1] + big_l[i];
    }
    let e: Vec<f64> = (0..w)
        .map(|i| if l[i] > 0.0 { t[i] / l[i] } else { f64::NAN })
        .collect();
    // Variance terms, summed from the top band down.
    let mut term = vec![0.0; w];
    for i in 0..last {
        let (n, a) = width_and_fraction(i);
        // A band whose probability of dying is 1 adds no variance (1 − q = 0), and nobody
        // lives on past it, so its term is 0 rather than 0 × the undefined e of later ages.
        if deaths[i] > 0.0 && q[i] < 1.0 {
            let var_p = q[i] * q[i] * (1.0 - q[i]) / deaths[i];
            let k = (1.0 - a) * n + e[i + 1];
            term[i] = l[i] * l[i] * k * k * var_p;
        }
    }
    term[last] = if deaths[last] > 0.0 {
        l[last] * l[last] * deaths[last] / (m[last].powi(4) * populations[last] * populations[last])
    } else {
        0.0
    };
    let total_population: f64 = populations.iter().sum();
    let mut cumulative = 0.0;
    let mut expectancy = vec![
        Estimate {
            value: None,
            lower: Vec::new(),
            upper: Vec::new(),
            method: Method::ChiangII,
            note: None,
        };
        w
    ];
    for i in (0..w).rev() {
        cumulative += term[i];
        let var = cumulative / (l[i] * l[i]);
        let se = var.sqrt();
        let est = &mut expectancy[i];
        if total_population <= 5000.0 {
            est.note = Some("total population of 5000 or less");
        } else if l[i] <= 0.0 {
            est.note = Some(
                "no one reaches this age in the life table: an earlier band's probability of \
                 dying is 1",
            );
        } else if !e[i].is_finite() || !se.is_finite() {
            est.note = Some("no deaths in the open age band: life expectancy is unbounded");
        } else if 2.0 * Confidence::C95.z() * se > 20.0 {
            // R blanks the value and keeps the limits, which show how wide the interval is.
            est.note = Some("confidence interval wider than 20 years");
            est.lower = levels.iter().map(|c| Some(e[i] - c.z() * se)).collect();
            est.upper = levels.iter().map(|c| Some(e[i] + c.z() * se)).collect();
            continue;
        } else {
            est.value = Some(e[i]);
            est.lower = levels.iter().map(|c| Some(e[i] - c.z() * se)).collect();
            est.upper = levels.iter().map(|c| Some(e[i] + c.z() * se)).collect();
            continue;
        }
        est.lower = vec![None; levels.len()];
        est.upper = vec![None; levels.len()];
    }
    Ok(LifeTable {
        ages: ages.to_vec(),
        expectancy,
    })
}

/// Interval width nᵢ and fraction of it lived by those who die, aᵢ.
fn width_and_fraction(i: usize) -> (f64, f64) {
    match i {
        0 => (1.0, 0.1),
        1 => (4.0, 0.5),
        _ => (5.0, 0.5),
    }
}

fn band_label(ages: &[u32], i: usize) -> String {
    match (ages.get(i), ages.get(i + 1)) {
        (Some(0), _) => "0".to_owned(),
        (Some(a), Some(b)) => format!("{a}-{}", b - 1),
        (Some(a), None) => format!("{a}+"),
        _ => i.to_string(),
    }
}
