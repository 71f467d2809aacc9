//! Every measure of the condition counts, each PCN against the ICS: the directly standardised
//! rate per 100,000 and its 95% interval compared with the ICS's rate (no judgement: a
//! prevalence is neither good nor bad), the "tartan rug" the report draws.

use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray};
use pcnkit_indicators::benchmark::{Comparison, Polarity, compare};
use pcnkit_indicators::{Confidence, sum_by};

use crate::indicators::dsr;

use crate::columns::{floats, texts};
use crate::{ProfileError, ProfileInputs};

/// One PCN's rate for one measure against the ICS's.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct BenchmarkCell {
    /// The measure.
    pub measure: String,
    /// The PCN.
    pub pcn: String,
    /// Its rate per 100,000 and 95% limits.
    pub value: Option<f64>,
    /// Lower limit.
    pub lower: Option<f64>,
    /// Upper limit.
    pub upper: Option<f64>,
    /// The ICS's rate.
    pub ics: Option<f64>,
    /// The comparison.
    pub comparison: Comparison,
}

/// Every measure × PCN, measures in first appearance and PCNs in the table's order.
pub(crate) fn benchmark(
    inputs: &ProfileInputs,
) -> Result<Option<Vec<BenchmarkCell>>, ProfileError> {
    let Some(counts) = &inputs.counts else {
        return Ok(None);
    };
    let measures = texts(counts, "measure")?;
    let mut names: Vec<String> = Vec::new();
    for m in measures.iter().flatten() {
        if !names.contains(m) {
            names.push(m.clone());
        }
    }
    let mut cells = Vec::new();
    for name in names {
        let keep: BooleanArray = measures
            .iter()
            .map(|m| Some(m.as_deref() == Some(name.as_str())))
            .collect();
        let rows = arrow_select::filter::filter_record_batch(counts, &keep)?;
        let by_band = sum_by(
            std::slice::from_ref(&rows),
            &["pcn", "age_band"],
            &["count", "population"],
        )?;
        let by_pcn = dsr(&["pcn"], &[Confidence::C95]).run(&[by_band])?;
        let ics_band = sum_by(&[rows], &["age_band"], &["count", "population"])?;
        let ics = floats(&dsr(&[], &[Confidence::C95]).run(&[ics_band])?, "value")?
            .first()
            .copied()
            .flatten();
        let (pcn, v, l, u) = (
            texts(&by_pcn, "pcn")?,
            floats(&by_pcn, "value")?,
            floats(&by_pcn, "lowercl")?,
            floats(&by_pcn, "uppercl")?,
        );
        for i in 0..pcn.len() {
            cells.push(BenchmarkCell {
                measure: name.clone(),
                pcn: pcn[i].clone().unwrap_or_default(),
                value: v[i],
                lower: l[i],
                upper: u[i],
                ics,
                comparison: compare((v[i], l[i], u[i]), (ics, None, None), Polarity::NoJudgement),
            });
        }
    }
    Ok(Some(cells))
}

/// `indicators_benchmark`: `measure`, `pcn`, `value`, `lowercl`, `uppercl` (per 100,000,
/// ESP2013), `ics_value`, `comparison`, `comparison_colour`.
pub(crate) fn table(cells: &[BenchmarkCell]) -> Result<RecordBatch, ProfileError> {
    let text = |f: &dyn Fn(&BenchmarkCell) -> String| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(cells.iter().map(f)))
    };
    let float = |f: &dyn Fn(&BenchmarkCell) -> Option<f64>| -> ArrayRef {
        Arc::new(cells.iter().map(f).collect::<Float64Array>())
    };
    Ok(pcnkit_core::arrow::nullable_batch([
        ("measure", text(&|c| c.measure.clone())),
        ("pcn", text(&|c| c.pcn.clone())),
        ("value", float(&|c| c.value)),
        ("lowercl", float(&|c| c.lower)),
        ("uppercl", float(&|c| c.upper)),
        ("ics_value", float(&|c| c.ics)),
        ("comparison", text(&|c| c.comparison.label().to_owned())),
        (
            "comparison_colour",
            text(&|c| c.comparison.colour().to_owned()),
        ),
    ])?)
}
