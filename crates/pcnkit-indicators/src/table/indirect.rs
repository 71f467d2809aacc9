//! Indirect standardisation (ratios and rates), with observed events from a count column or
//! from a table of totals per group.

use super::*;

/// How an indirectly standardised result is scaled.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Indirect {
    /// A ratio: observed / expected × `ref_value` (1, or 100 for an SMR).
    Ratio {
        /// The reference value.
        ref_value: f64,
    },
    /// A rate: observed / expected × the reference rate (Σ reference counts / Σ reference
    /// populations of the group's rows × `multiplier`).
    Rate {
        /// E.g. 100,000.
        multiplier: f64,
    },
}

/// Where an indirectly standardised figure's observed events come from.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Observed<'a> {
    /// A count column of the data, per row (per age band).
    Counts(&'a str),
    /// One total per group in another table (R's `observed_totals`), for events that are
    /// not broken down by age: the table holds the group columns (named as in `group_by`)
    /// and this column of totals.
    Totals {
        /// The totals table.
        table: &'a [RecordBatch],
        /// Its column of observed totals.
        column: &'a str,
    },
}

/// The text of each group column at a row, the key a totals table is joined on.
pub(crate) fn key_text(
    batch: &RecordBatch,
    group_by: &[&str],
    row: usize,
) -> Result<Vec<String>, IndicatorError> {
    Ok(key_formatters(batch, group_by)?.text(row))
}

/// The group columns of one batch, ready to be read as text row by row (made once per batch,
/// not per row).
pub(crate) struct KeyFormatters<'a>(Vec<arrow_cast::display::ArrayFormatter<'a>>);

impl KeyFormatters<'_> {
    /// The text of each group column at `row`.
    fn text(&self, row: usize) -> Vec<String> {
        self.0.iter().map(|f| f.value(row).to_string()).collect()
    }
}

fn key_formatters<'a>(
    batch: &'a RecordBatch,
    group_by: &[&str],
) -> Result<KeyFormatters<'a>, IndicatorError> {
    group_by
        .iter()
        .map(|name| {
            let a = column(batch, name)?;
            arrow_cast::display::ArrayFormatter::try_new(a.as_ref(), &Default::default())
                .map_err(|e| IndicatorError::Arrow(e.to_string()))
        })
        .collect::<Result<_, _>>()
        .map(KeyFormatters)
}

/// The observed totals by group key; a key given twice, or a total that is not a count, is
/// an error (the totals table is wrong for every group that uses it).
fn observed_totals(
    table: &[RecordBatch],
    total: &str,
    group_by: &[&str],
) -> Result<HashMap<Vec<String>, Option<f64>>, IndicatorError> {
    let mut out = HashMap::new();
    for batch in table {
        let values = Num::new(batch, total)?;
        let keys = key_formatters(batch, group_by)?;
        for r in 0..batch.num_rows() {
            let key = keys.text(r);
            let v = values.get(r);
            if let Some(x) = v
                && !(x.is_finite() && x >= 0.0)
            {
                return Err(IndicatorError::Column {
                    column: total.to_owned(),
                    problem: format!(
                        "observed total {x} for {}: totals are counts",
                        key.join(", ")
                    ),
                });
            }
            match out.entry(key) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    return Err(IndicatorError::Column {
                        column: total.to_owned(),
                        problem: format!("two observed totals for {}", e.key().join(", ")),
                    });
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(v);
                }
            }
        }
    }
    Ok(out)
}

/// Indirectly standardised ratios or rates per group (the engine under
/// [`IsrSpec`](crate::IsrSpec)): expected = Σ reference count / reference population ×
/// population over the group's rows; exact limits below 10 observed events, Byar's from 10;
/// 0 events give 0 with a finite upper limit, as R does. A null (or NaN) count, population or
/// reference count makes its group's value null with a note: missing is not zero. The
/// observed events come from a count column or a table of totals.
pub(crate) fn isr_table_observed(
    batches: &[RecordBatch],
    spec: &crate::IsrSpec<'_>,
) -> Result<RecordBatch, IndicatorError> {
    let crate::IsrSpec {
        observed,
        population,
        reference_count,
        reference_population,
        group_by,
        ref levels,
        kind,
        ..
    } = *spec;
    let levels: &[Confidence] = levels;
    crate::methods::check_levels(levels)?;
    let totals = match observed {
        Observed::Totals { table, column } => {
            if group_by.is_empty() {
                return Err(IndicatorError::Invalid(
                    "observed totals are joined on the group columns: give at least one".to_owned(),
                ));
            }
            Some(observed_totals(table, column, group_by)?)
        }
        Observed::Counts(_) => None,
    };
    let scale_in = match kind {
        Indirect::Ratio { ref_value } => ref_value,
        Indirect::Rate { multiplier } => multiplier,
    };
    if !(scale_in.is_finite() && scale_in > 0.0) {
        return Err(IndicatorError::Multiplier(scale_in));
    }
    let grouping = group(batches, group_by)?;
    let n = grouping.len();
    // observed, expected, Σ reference counts, Σ reference populations
    let mut sums = vec![[0.0f64; 4]; n];
    let mut missing = vec![false; n];
    // Groups with data no ratio can come from: null with the reason, the others computed.
    let mut bad: Vec<Option<String>> = vec![None; n];
    for (b, batch) in batches.iter().enumerate() {
        let o = match observed {
            Observed::Counts(count) => Some(Num::new(batch, count)?),
            Observed::Totals { .. } => None,
        };
        let p = Num::new(batch, population)?;
        let rc = Num::new(batch, reference_count)?;
        let rp = Num::new(batch, reference_population)?;
        for (r, g) in grouping.rows(b) {
            let Some(why) = bad.get_mut(g) else {
                continue;
            };
            if why.is_some() {
                continue;
            }
            // With totals, the rows bring the populations only; the total is added below.
            let count = match &o {
                Some(o) => o.get(r),
                None => Some(0.0),
            };
            let (Some(o), Some(p), Some(rc)) = (count, p.get(r), rc.get(r)) else {
                if let Some(m) = missing.get_mut(g) {
                    *m = true;
                }
                continue;
            };
            let Some(rp) = rp.get(r) else {
                *why = Some("a reference population is missing".to_owned());
                continue;
            };
            for (what, v) in [
                ("count", o),
                ("population", p),
                ("reference count", rc),
                ("reference population", rp),
            ] {
                if why.is_none() && !(v.is_finite() && v >= 0.0) {
                    *why = Some(format!("a {what} must be a number of 0 or more, found {v}"));
                }
            }
            if why.is_none() && rp <= 0.0 {
                *why = Some(format!(
                    "a reference population must be above 0, found {rp}"
                ));
            }
            if why.is_some() {
                continue;
            }
            if let Some(s) = sums.get_mut(g) {
                s[0] += o;
                s[1] += rc / rp * p;
                s[2] += rc;
                s[3] += rp;
            }
        }
    }
    if let Some(totals) = &totals {
        let keys = batches
            .iter()
            .map(|b| key_formatters(b, group_by))
            .collect::<Result<Vec<_>, _>>()?;
        for (g, ((s, gone), why)) in sums.iter_mut().zip(&mut missing).zip(&mut bad).enumerate() {
            // The group's first row: its batch's key columns, and the row in it.
            let Some((keys, r)) = grouping
                .first
                .get(g)
                .and_then(|&(b, r)| Some((keys.get(b)?, r)))
            else {
                continue;
            };
            match totals.get(&keys.text(r)) {
                Some(Some(total)) => s[0] = *total,
                Some(None) => *gone = true,
                None if why.is_none() => {
                    *why = Some("no observed total for this group in the totals table".to_owned());
                }
                None => {}
            }
        }
    }
    // Sums beyond floating point (found by the `indicators_arrow` fuzz target: an expected
    // count of infinity made a NaN ratio) leave the group without a value, saying why.
    for (s, why) in sums.iter().zip(&mut bad) {
        let rate = s[2] / s[3];
        if why.is_none() && !(s[0].is_finite() && s[1].is_finite() && rate.is_finite()) {
            *why = Some("inputs too large for floating point".to_owned());
        }
    }
    every_group_bad(&bad, &grouping, batches, group_by)?;
    let limits = CountLimits::new(levels);
    let mut out = Columns::new(levels.len(), n);
    for ((s, gone), why) in sums.iter().zip(&missing).zip(&bad) {
        if let Some(why) = why {
            out.null_owned(why.clone());
            continue;
        }
        if *gone {
            out.null(MISSING_INPUT);
            continue;
        }
        let scale = match kind {
            Indirect::Ratio { ref_value } => ref_value,
            Indirect::Rate { multiplier } => s[2] / s[3] * multiplier,
        };
        if s[1] > 0.0 {
            scaled_into(s[0], s[1], &limits, scale, &mut out);
        } else {
            out.null("expected count of 0: the reference has no events for this population");
        }
    }
    // A bad group's or a group with a missing count's totals are unknown too.
    let known = |k: usize| -> Vec<Option<f64>> {
        sums.iter()
            .zip(&missing)
            .zip(&bad)
            .map(|((s, gone), why)| (!gone && why.is_none()).then(|| s[k]))
            .collect()
    };
    let keys = key_columns(batches, &grouping, group_by)?;
    let statistic = match kind {
        Indirect::Ratio { ref_value } => {
            format!(
                "indirectly standardised ratio x {}",
                describe_multiplier(ref_value)
            )
        }
        Indirect::Rate { multiplier } => format!(
            "indirectly standardised rate per {}",
            describe_multiplier(multiplier)
        ),
    };
    let mut inputs = vec![("observed", known(0)), ("expected", known(1))];
    if let Indirect::Rate { multiplier } = kind {
        // The reference rate the ratio is scaled by (R's `ref_rate` column).
        let rate = known(2)
            .into_iter()
            .zip(known(3))
            .map(|(c, p)| Some(c? / p? * multiplier))
            .collect();
        inputs.push(("ref_rate", rate));
    }
    finish(keys, inputs, out, levels, statistic)
}
