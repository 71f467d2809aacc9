//! The profile's indicator: directly standardised prevalence by PCN and for the ICS, the
//! funnel plot of crude prevalence, prevalence by deprivation quintile and the slope index of
//! inequality across them.

use std::collections::BTreeSet;
use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, UInt8Array};
use pcnkit_core::{ImdQuintile, PracticeCode};
use pcnkit_indicators::funnel::FunnelKind;
use pcnkit_indicators::sii::{SiiOptions, ValueType};
use pcnkit_indicators::{
    Confidence, DsrSpec, FunnelSpec, RepeatedBands, SiiErrors, SiiSpec, Standard, sum_by,
};

use crate::columns::{floats, small, texts};
use crate::{ProfileError, ProfileInputs, ProfileOptions};
use pcnkit_indicators::disclosure::{Derived, DisclosureSpec};

/// A value with its 95% confidence interval.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Estimate {
    /// What it is of (a PCN code, a quintile such as `Q1`).
    pub label: String,
    /// The value; `None` when it cannot be computed.
    pub value: Option<f64>,
    /// Lower 95% limit.
    pub lower: Option<f64>,
    /// Upper 95% limit.
    pub upper: Option<f64>,
}

/// One point of the funnel's control limits.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct FunnelLimit {
    /// Population.
    pub population: f64,
    /// Lower and upper 95% limits (two sigma), per cent.
    pub two_sigma: (Option<f64>, Option<f64>),
    /// Lower and upper 99.8% limits (three sigma), per cent.
    pub three_sigma: (Option<f64>, Option<f64>),
}

/// A PCN on the funnel plot.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FunnelPoint {
    /// The PCN.
    pub pcn: String,
    /// Cases.
    pub count: f64,
    /// Registered patients.
    pub population: f64,
    /// Where it falls against the limits, as the method words it.
    pub significance: String,
}

/// Prevalence in one deprivation quintile.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct QuintileEstimate {
    /// The quintile (1 = most deprived).
    pub quintile: ImdQuintile,
    /// Standardised rate per 100,000 and its 95% interval.
    pub estimate: Estimate,
    /// Registered patients in the quintile's practices.
    pub population: Option<f64>,
}

/// The slope index of inequality, or why it could not be computed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SiiOutcome {
    /// Computed: the SII per 100,000 with its 95% interval, and the relative index of
    /// inequality (the SII over the ICS's mean) with its interval.
    Computed {
        /// The slope index.
        sii: Estimate,
        /// The relative index.
        rii: Estimate,
    },
    /// Not computed (a quintile missing, say), with the method's reason.
    NotComputed(String),
}

/// The profile's indicator part.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IndicatorProfile {
    /// The measure profiled (`diabetes` when the counts hold it, else the first in them).
    pub measure: String,
    /// The ICS's standardised rate per 100,000.
    pub ics: Option<f64>,
    /// Each PCN's standardised rate per 100,000 with its 95% interval, in the table's order.
    pub by_pcn: Vec<Estimate>,
    /// The funnel's baseline (the ICS's crude prevalence, per cent).
    pub baseline: Option<f64>,
    /// The funnel's control limits.
    pub limits: Vec<FunnelLimit>,
    /// Each PCN on the funnel.
    pub points: Vec<FunnelPoint>,
    /// The PCNs' estimated overdispersion (Spiegelhalter's φ̂ and τ̂²), or why it could not
    /// be estimated.
    pub dispersion: Result<pcnkit_indicators::overdispersion::Dispersion, String>,
    /// PCNs outside the 99.8% limits widened multiplicatively by φ̂ (when it was estimated).
    pub outside_overdispersed: Option<usize>,
    /// Prevalence by deprivation quintile, in quintile order (only the quintiles with
    /// practices).
    pub by_quintile: Vec<QuintileEstimate>,
    /// Most deprived minus least deprived quintile, when all five are present.
    pub gap: Option<f64>,
    /// The slope index of inequality.
    pub sii: SiiOutcome,
    /// Practices left out of the quintiles (no deprivation in the inputs).
    pub unplaced_practices: usize,
    tables: Vec<(String, RecordBatch)>,
}

impl IndicatorProfile {
    /// The named tables: `{measure}_dsr_by_pcn`, `{measure}_funnel_limits`,
    /// `{measure}_funnel_significance`, `{measure}_dsr_by_quintile` (quintile as its number)
    /// and `{measure}_sii` (`area`, `sii`, `sii_lowercl`, `sii_uppercl`, `note`: null with the
    /// reason when it cannot be computed).
    pub fn tables(&self) -> &[(String, RecordBatch)] {
        &self.tables
    }
}

fn estimates(
    batch: &RecordBatch,
    label: &str,
    lower: &str,
    upper: &str,
) -> Result<Vec<Estimate>, ProfileError> {
    let (v, lo, hi) = (
        floats(batch, "value")?,
        floats(batch, lower)?,
        floats(batch, upper)?,
    );
    Ok(texts(batch, label)?
        .into_iter()
        .zip(v)
        .zip(lo.into_iter().zip(hi))
        .map(|((l, value), (lower, upper))| Estimate {
            label: l.unwrap_or_default(),
            value,
            lower,
            upper,
        })
        .collect())
}

/// The table under the profile's disclosure policy, when it has one: `count` and `population`
/// protected, the standardised columns as the policy says.
fn protect(
    options: &ProfileOptions,
    table: RecordBatch,
    standardised: &[&str],
) -> Result<RecordBatch, ProfileError> {
    let Some(policy) = &options.disclosure else {
        return Ok(table);
    };
    let mut spec = DisclosureSpec::new(policy.clone(), &["count", "population"]);
    for c in standardised {
        spec = spec.derived(Derived::Standardised {
            column: c,
            counts: vec!["count", "population"],
        });
    }
    Ok(spec.run(&[table])?)
}

pub(crate) fn dsr<'a>(group_by: &'a [&'a str], levels: &[Confidence]) -> DsrSpec<'a> {
    DsrSpec::new(
        "count",
        "population",
        Standard::Esp2013 {
            age_band: "age_band",
        },
    )
    .group_by(group_by)
    .levels(levels.to_vec())
    .multiplier(100_000.0)
    .repeated_bands(RepeatedBands::Refuse)
}

/// The indicator part of `inputs`, when condition counts are given.
#[allow(clippy::too_many_lines)]
pub(crate) fn indicators(
    inputs: &ProfileInputs,
    options: &ProfileOptions,
) -> Result<Option<IndicatorProfile>, ProfileError> {
    let Some(counts) = &inputs.counts else {
        return Ok(None);
    };
    let measures = texts(counts, "measure")?;
    let measure = match &options.measure {
        Some(m) => m.clone(),
        None if measures.iter().any(|m| m.as_deref() == Some("diabetes")) => "diabetes".to_owned(),
        None => measures
            .iter()
            .flatten()
            .next()
            .cloned()
            .ok_or_else(|| ProfileError::Data("the condition counts have no rows".to_owned()))?,
    };
    if measure.is_empty()
        || !measure
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(ProfileError::Inputs(format!(
            "measure {measure:?}: use letters, digits and _ only (it names the tables)"
        )));
    }
    let keep: BooleanArray = measures
        .iter()
        .map(|m| Some(m.as_deref() == Some(measure.as_str())))
        .collect();
    let selected = arrow_select::filter::filter_record_batch(counts, &keep)?;
    if selected.num_rows() == 0 {
        return Err(ProfileError::Inputs(format!(
            "measure {measure:?} is not in the condition counts"
        )));
    }
    let mut tables = Vec::new();

    // Standardised by PCN, and for the ICS.
    let by_band = sum_by(
        std::slice::from_ref(&selected),
        &["pcn", "age_band"],
        &["count", "population"],
    )?;
    let by_pcn_table = protect(
        options,
        dsr(&["pcn"], &[Confidence::C95, Confidence::C998]).run(&[by_band])?,
        &[
            "value",
            "lower95_0cl",
            "upper95_0cl",
            "lower99_8cl",
            "upper99_8cl",
        ],
    )?;
    let ics_band = sum_by(
        std::slice::from_ref(&selected),
        &["age_band"],
        &["count", "population"],
    )?;
    let ics_table = dsr(&[], &[Confidence::C95, Confidence::C998]).run(&[ics_band])?;
    let ics = floats(&ics_table, "value")?.first().copied().flatten();
    let by_pcn = estimates(&by_pcn_table, "pcn", "lower95_0cl", "upper95_0cl")?;
    tables.push((format!("{measure}_dsr_by_pcn"), by_pcn_table));

    // Crude prevalence and its funnel.
    let crude = sum_by(
        std::slice::from_ref(&selected),
        &["pcn"],
        &["count", "population"],
    )?;
    let kind = FunnelKind::Proportion { multiplier: 100.0 };
    let funnel = FunnelSpec::new("count", Some("population"), kind).rate(None);
    let limits_table = funnel.limits(std::slice::from_ref(&crude))?;
    // The funnel's limits come from every PCN's counts (as the ICS average does); the points
    // are drawn from the protected counts, a suppressed PCN not drawn.
    let sig_table = protect(
        options,
        funnel.significance(std::slice::from_ref(&crude))?,
        &[],
    )?;
    let baseline = floats(&limits_table, "baseline")?
        .first()
        .copied()
        .flatten();
    let (x, l2, u2, l3, u3) = (
        floats(&limits_table, "x")?,
        floats(&limits_table, "lower_2s_limit")?,
        floats(&limits_table, "upper_2s_limit")?,
        floats(&limits_table, "lower_3s_limit")?,
        floats(&limits_table, "upper_3s_limit")?,
    );
    let limits = (0..x.len())
        .filter_map(|i| {
            Some(FunnelLimit {
                population: x[i]?,
                two_sigma: (l2[i], u2[i]),
                three_sigma: (l3[i], u3[i]),
            })
        })
        .collect();
    let (pcn, count, population, significance) = (
        texts(&sig_table, "pcn")?,
        floats(&sig_table, "count")?,
        floats(&sig_table, "population")?,
        texts(&sig_table, "significance")?,
    );
    let points = (0..pcn.len())
        .filter_map(|i| {
            Some(FunnelPoint {
                pcn: pcn[i].clone()?,
                count: count[i]?,
                population: population[i]?,
                significance: significance[i].clone().unwrap_or_default(),
            })
        })
        .collect();
    tables.push((format!("{measure}_funnel_limits"), limits_table));
    tables.push((format!("{measure}_funnel_significance"), sig_table));

    // The same funnel allowing for overdispersion (Spiegelhalter's multiplicative
    // adjustment): PCNs differ for reasons beyond chance (list structure, coding), and the
    // plain limits flag more of them than that variation warrants.
    let od = pcnkit_indicators::overdispersion::OverdispersionSpec::new(
        "count",
        "population",
        kind,
        pcnkit_indicators::overdispersion::Adjustment::Multiplicative,
    );
    let (dispersion, outside_overdispersed) = match od.significance(std::slice::from_ref(&crude)) {
        Ok(t) => {
            let sig = texts(&t, "significance")?;
            let outside = sig.iter().flatten().filter(|s| s.contains("0.001")).count();
            let rows: Vec<(f64, f64)> = floats(&crude, "count")?
                .into_iter()
                .zip(floats(&crude, "population")?)
                .filter_map(|(x, n)| Some((x?, n?)))
                .collect();
            let d = pcnkit_indicators::overdispersion::estimate(&rows, kind);
            tables.push((
                format!("{measure}_funnel_overdispersed"),
                protect(options, t, &[])?,
            ));
            (d.map_err(|e| e.to_string()), Some(outside))
        }
        Err(e) => (Err(e.to_string()), None),
    };

    // Deprivation quintiles: practices by their patients' mean decile; practices with no
    // deprivation in the inputs are left out of the quintiles (and counted).
    let practices = texts(&selected, "practice")?;
    let quintile: Vec<Option<u8>> = practices
        .iter()
        .map(|p| {
            p.as_deref()
                .and_then(|p| p.parse::<PracticeCode>().ok())
                .and_then(|c| inputs.practice_decile.get(&c))
                .and_then(crate::DecileWeight::mean)
                .and_then(ImdQuintile::of_mean_decile)
                .map(ImdQuintile::get)
        })
        .collect();
    let unplaced: BTreeSet<&str> = practices
        .iter()
        .zip(&quintile)
        .filter(|(_, q)| q.is_none())
        .filter_map(|(p, _)| p.as_deref())
        .collect();
    let placed: BooleanArray = quintile.iter().map(|q| Some(q.is_some())).collect();
    let mut columns: Vec<(&str, ArrayRef)> =
        vec![("quintile", Arc::new(UInt8Array::from(quintile)))];
    for n in ["age_band", "count", "population"] {
        if let Some(c) = selected.column_by_name(n) {
            columns.push((n, c.clone()));
        }
    }
    let with_q = arrow_select::filter::filter_record_batch(
        &pcnkit_core::arrow::nullable_batch(columns)?,
        &placed,
    )?;
    let q_band = sum_by(
        std::slice::from_ref(&with_q),
        &["quintile", "age_band"],
        &["count", "population"],
    )?;
    // In quintile order (the method gives groups in order of first appearance).
    let q_table = {
        let t = protect(
            options,
            dsr(&["quintile"], &[Confidence::C95]).run(&[q_band])?,
            &["value", "lowercl", "uppercl"],
        )?;
        let numbers = small(&t, "quintile")?;
        let mut order: Vec<usize> = (0..numbers.len()).collect();
        order.sort_by_key(|i| numbers.get(*i).copied().flatten());
        let order: arrow_array::UInt64Array = order.into_iter().map(|i| i as u64).collect();
        arrow_select::take::take_record_batch(&t, &order)?
    };
    let (qs, qv, qlo, qhi, qpop) = (
        small(&q_table, "quintile")?,
        floats(&q_table, "value")?,
        floats(&q_table, "lowercl")?,
        floats(&q_table, "uppercl")?,
        floats(&q_table, "population")?,
    );
    let mut by_quintile = Vec::new();
    for i in 0..qs.len() {
        let Some(q) = qs[i].map(ImdQuintile::new).transpose()? else {
            continue;
        };
        by_quintile.push(QuintileEstimate {
            quintile: q,
            estimate: Estimate {
                label: q.to_string(),
                value: qv[i],
                lower: qlo[i],
                upper: qhi[i],
            },
            population: qpop[i],
        });
    }
    by_quintile.sort_by_key(|q| q.quintile);
    tables.push((format!("{measure}_dsr_by_quintile"), q_table));
    let gap = match (by_quintile.first(), by_quintile.last()) {
        (Some(a), Some(b)) if by_quintile.len() == 5 => {
            a.estimate.value.zip(b.estimate.value).map(|(a, b)| a - b)
        }
        _ => None,
    };

    // The SII on the quintiles' own numbers, never their positions among those present: a
    // missing quintile leaves a gap the method refuses, it does not shift the others down.
    let column = |f: &dyn Fn(&QuintileEstimate) -> Option<f64>| -> ArrayRef {
        Arc::new(by_quintile.iter().map(f).collect::<Float64Array>())
    };
    let sii_input = pcnkit_core::arrow::nullable_batch([
        (
            "area",
            Arc::new(StringArray::from(vec!["ICS"; by_quintile.len()])) as ArrayRef,
        ),
        ("quintile", column(&|q| Some(f64::from(q.quintile.get())))),
        ("population", column(&|q| q.population)),
        ("value", column(&|q| q.estimate.value)),
        ("lower", column(&|q| q.estimate.lower)),
        ("upper", column(&|q| q.estimate.upper)),
    ])?;
    let sii = match SiiSpec::new(
        "quintile",
        "population",
        "value",
        SiiErrors::Limits("lower", "upper"),
    )
    .group_by(&["area"])
    .options(
        SiiOptions::new()
            .value_type(ValueType::Rate)
            .repetitions(options.sii_repetitions)
            .clone(),
    )
    .run(&[sii_input])
    {
        Ok(t) => {
            let first = |c: &str| -> Result<Option<f64>, ProfileError> {
                Ok(floats(&t, c)?.first().copied().flatten())
            };
            SiiOutcome::Computed {
                sii: Estimate {
                    label: "ICS".to_owned(),
                    value: first("sii")?,
                    lower: first("sii_lowercl")?,
                    upper: first("sii_uppercl")?,
                },
                rii: Estimate {
                    label: "ICS".to_owned(),
                    value: first("rii")?,
                    lower: first("rii_lowercl")?,
                    upper: first("rii_uppercl")?,
                },
            }
        }
        Err(e) => SiiOutcome::NotComputed(e.to_string()),
    };
    let unknown = Estimate {
        label: "ICS".to_owned(),
        value: None,
        lower: None,
        upper: None,
    };
    let (value, relative, note) = match &sii {
        SiiOutcome::Computed { sii, rii } => (sii.clone(), rii.clone(), None),
        SiiOutcome::NotComputed(why) => (unknown.clone(), unknown, Some(why.clone())),
    };
    let float = |v: Option<f64>| Arc::new(Float64Array::from(vec![v])) as ArrayRef;
    tables.push((
        format!("{measure}_sii"),
        pcnkit_core::arrow::nullable_batch([
            ("area", Arc::new(StringArray::from(vec!["ICS"])) as ArrayRef),
            ("sii", float(value.value)),
            ("sii_lowercl", float(value.lower)),
            ("sii_uppercl", float(value.upper)),
            ("rii", float(relative.value)),
            ("rii_lowercl", float(relative.lower)),
            ("rii_uppercl", float(relative.upper)),
            ("note", Arc::new(StringArray::from(vec![note]))),
        ])?,
    ));
    Ok(Some(IndicatorProfile {
        measure,
        ics,
        by_pcn,
        baseline,
        limits,
        points,
        dispersion,
        outside_overdispersed,
        by_quintile,
        gap,
        sii,
        unplaced_practices: unplaced.len(),
        tables,
    }))
}
