//! Per-row and per-area tables: quantiles, slope index of inequality, funnels and life
//! expectancy, over Arrow.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt32Array};
use arrow_schema::{DataType, Field};

use super::{
    Columns, Num, batch, confidence_text, group, key_columns, limit_names, note_array, repeated,
};
use crate::error::IndicatorError;
use crate::funnel::{FunnelInput, FunnelKind, funnel};
use crate::life::{LIFE_TABLE_AGES, life_expectancy_from, life_table_ages};
use crate::methods::{Confidence, Sink, quantiles};
use crate::sii::{SiiQuantile, sii};

/// All input rows in one batch (the per-row tables append a column to their input).
fn concatenated(batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
    let Some(first) = batches.first() else {
        return Err(IndicatorError::Invalid("no input batches".to_owned()));
    };
    arrow_select::concat::concat_batches(&first.schema(), batches)
        .map_err(|e| IndicatorError::Arrow(e.to_string()))
}

/// The input's columns with their fields, to append to.
fn input_columns(input: &RecordBatch) -> Vec<(Field, ArrayRef)> {
    input
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .zip(input.columns().iter().cloned())
        .collect()
}

fn with_column(
    input: RecordBatch,
    field: Field,
    array: ArrayRef,
) -> Result<RecordBatch, IndicatorError> {
    let mut columns = input_columns(&input);
    columns.push((field, array));
    batch(columns)
}

/// Assigns quantiles within each group (e.g. deprivation deciles of LSOAs within each local
/// authority), OHID's method: the input rows come back with a `quantile` column (UInt32, null
/// for a missing value, or for every row of a group with fewer values than quantiles).
pub(crate) fn quantile_table(
    batches: &[RecordBatch],
    value: &str,
    group_by: &[&str],
    nquantiles: u32,
    invert: bool,
) -> Result<RecordBatch, IndicatorError> {
    if nquantiles == 0 {
        return Err(IndicatorError::Invalid(
            "nquantiles must be at least 1".to_owned(),
        ));
    }
    let input = concatenated(batches)?;
    let one = std::slice::from_ref(&input);
    let grouping = group(one, group_by)?;
    let values = Num::new(&input, value)?;
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); grouping.len()];
    for (r, g) in grouping.rows(0) {
        if let Some(m) = members.get_mut(g) {
            m.push(r);
        }
    }
    let mut out: Vec<Option<u32>> = vec![None; input.num_rows()];
    for rows in &members {
        let vals: Vec<Option<f64>> = rows.iter().map(|&r| values.get(r)).collect();
        for (&r, q) in rows.iter().zip(quantiles(&vals, nquantiles, invert)) {
            if let Some(slot) = out.get_mut(r) {
                *slot = q;
            }
        }
    }
    let n = input.num_rows();
    let mut columns = input_columns(&input);
    // R's metadata columns (dropped by `OutputType::Standard`).
    let groupvars = if group_by.is_empty() {
        "none".to_owned()
    } else {
        group_by.join(", ")
    };
    let inverted = if invert {
        "lowest quantile represents highest values"
    } else {
        "lowest quantile represents lowest values"
    };
    columns.extend([
        (
            Field::new("quantile", DataType::UInt32, true),
            Arc::new(UInt32Array::from(out)) as ArrayRef,
        ),
        (
            Field::new("nquantiles", DataType::UInt32, false),
            Arc::new(UInt32Array::from(vec![nquantiles; n])),
        ),
        (
            Field::new("groupvars", DataType::Utf8, false),
            repeated(&groupvars, n),
        ),
        (
            Field::new("qinverted", DataType::Utf8, false),
            repeated(inverted, n),
        ),
    ]);
    batch(columns)
}

/// Where the SII's quantiles get their uncertainty from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SiiErrors<'a> {
    /// A standard-error column.
    Se(&'a str),
    /// 95% lower and upper limit columns.
    Limits(&'a str, &'a str),
    /// A column of event counts (rates and proportions; see [`SiiQuantile::count`]).
    Counts(&'a str),
}

/// The slope and relative index of inequality per area: one input row per quantile, the
/// quantile column numbering them from the most deprived (1) upwards. One output row per
/// area: `sii`, its limits (`sii_lowercl`/`sii_uppercl`, or `sii_lower95_0cl`… for several
/// levels), `rii` and its limits, `intercept`, `note`. An area whose quantiles are not
/// 1..Q with Q the largest in the table gets null values and a note; it is not dropped.
pub(crate) fn sii_table(
    batches: &[RecordBatch],
    spec: &crate::SiiSpec<'_>,
) -> Result<RecordBatch, IndicatorError> {
    let crate::SiiSpec {
        quantile,
        population,
        value,
        errors,
        group_by,
        ref options,
        ..
    } = *spec;
    options.check()?;
    let grouping = group(batches, group_by)?;
    let n = grouping.len();
    // Per area: (quantile number, row) pairs.
    let mut rows: Vec<Vec<(i64, SiiQuantile)>> = vec![Vec::new(); n];
    let mut max_q = 0i64;
    for (b, batch) in batches.iter().enumerate() {
        let q = Num::new(batch, quantile)?;
        let pop = Num::new(batch, population)?;
        let val = Num::new(batch, value)?;
        let (mut se, mut lo, mut hi, mut x) = (None, None, None, None);
        match errors {
            SiiErrors::Se(c) => se = Some(Num::new(batch, c)?),
            SiiErrors::Limits(l, u) => {
                lo = Some(Num::new(batch, l)?);
                hi = Some(Num::new(batch, u)?);
            }
            SiiErrors::Counts(c) => x = Some(Num::new(batch, c)?),
        }
        for (r, g) in grouping.rows(b) {
            let qn = q.get(r).ok_or_else(|| IndicatorError::Column {
                column: quantile.to_owned(),
                problem: format!("null quantile in row {r}"),
            })?;
            if qn.fract() != 0.0 || qn < 1.0 {
                return Err(IndicatorError::Column {
                    column: quantile.to_owned(),
                    problem: format!("row {r}: quantiles are numbered from 1, found {qn}"),
                });
            }
            let qn = qn as i64;
            max_q = max_q.max(qn);
            if let Some(v) = rows.get_mut(g) {
                v.push((
                    qn,
                    SiiQuantile {
                        population: pop.get(r).unwrap_or(f64::NAN),
                        value: val.get(r).unwrap_or(f64::NAN),
                        se: se.as_ref().and_then(|c| c.get(r)),
                        lower95: lo.as_ref().and_then(|c| c.get(r)),
                        upper95: hi.as_ref().and_then(|c| c.get(r)),
                        count: x.as_ref().and_then(|c| c.get(r)),
                    },
                ));
            }
        }
    }
    let levels = &options.levels;
    let mut sii_out = Columns::new(levels.len(), n);
    let mut rii_out = Columns::new(levels.len(), n);
    let mut intercept = Vec::with_capacity(n);
    // With the reliability statistic: per (statistic side, level), each area's MAD.
    let mut mads: Vec<[Vec<Option<f64>>; 4]> =
        (0..levels.len()).map(|_| Default::default()).collect();
    let no_mad = |mads: &mut Vec<[Vec<Option<f64>>; 4]>| {
        for m in mads.iter_mut().flat_map(|m| m.iter_mut()) {
            m.push(None);
        }
    };
    // Each area's reason for having no SII (the crate's rule on bad groups).
    let mut reasons: Vec<Option<String>> = Vec::with_capacity(n);
    for area in &mut rows {
        area.sort_by_key(|(q, _)| *q);
        let complete = area.len() as i64 == max_q
            && area
                .iter()
                .enumerate()
                .all(|(i, (q, _))| *q == i as i64 + 1);
        if !complete {
            const INCOMPLETE: &str = "incomplete quantiles: every area needs each quantile once";
            sii_out.null(INCOMPLETE);
            rii_out.null(INCOMPLETE);
            intercept.push(None);
            no_mad(&mut mads);
            reasons.push(Some(INCOMPLETE.to_owned()));
            continue;
        }
        let quantiles: Vec<SiiQuantile> = area.iter().map(|(_, q)| *q).collect();
        // The options were checked above: an error now is this area's data (see the
        // module's rule on bad groups), so the area gets nulls and the reason.
        let s = match sii(&quantiles, options) {
            Ok(s) => s,
            Err(e) => {
                let note = super::group_problem(&e);
                sii_out.null_owned(note.clone());
                rii_out.null_owned(note.clone());
                intercept.push(None);
                no_mad(&mut mads);
                reasons.push(Some(note));
                continue;
            }
        };
        reasons.push(None);
        sii_out.point(Some(s.sii), crate::methods::Method::Simulation, None);
        rii_out.point(Some(s.rii), crate::methods::Method::Simulation, None);
        for i in 0..levels.len() {
            sii_out.limits(i, s.sii_lower.get(i).copied(), s.sii_upper.get(i).copied());
            rii_out.limits(i, s.rii_lower.get(i).copied(), s.rii_upper.get(i).copied());
        }
        intercept.push(Some(s.intercept));
        match &s.mad {
            Some(m) => {
                for (level, per) in mads.iter_mut().enumerate() {
                    for (side, column) in per.iter_mut().enumerate() {
                        column.push(m.get(side).and_then(|v| v.get(level)).copied());
                    }
                }
            }
            None => no_mad(&mut mads),
        }
    }
    super::every_group_bad(&reasons, &grouping, batches, group_by)?;
    let mut columns = key_columns(batches, &grouping, group_by)?;
    for (name, out) in [("sii", sii_out), ("rii", rii_out)] {
        let prefix = format!("{name}_");
        columns.push((
            Field::new(name, DataType::Float64, true),
            Arc::new(Float64Array::from(out.value)),
        ));
        for (i, (lower, upper)) in out.lower.into_iter().zip(out.upper).enumerate() {
            let (lo, hi) = limit_names(levels, i, &prefix);
            columns.push((
                Field::new(lo, DataType::Float64, true),
                Arc::new(Float64Array::from(lower)),
            ));
            columns.push((
                Field::new(hi, DataType::Float64, true),
                Arc::new(Float64Array::from(upper)),
            ));
        }
        if name == "rii" {
            columns.push((
                Field::new("note", DataType::Utf8, true),
                note_array(out.note),
            ));
        }
    }
    columns.push((
        Field::new("intercept", DataType::Float64, true),
        Arc::new(Float64Array::from(intercept)),
    ));
    if options.reliability {
        for (level, per) in mads.into_iter().enumerate() {
            let [sl, su, rl, ru] = per;
            for (prefix, lower, upper) in [("sii_", sl, su), ("rii_", rl, ru)] {
                let (lo, hi) = limit_names(levels, level, prefix);
                for (name, values) in [(lo, lower), (hi, upper)] {
                    columns.push((
                        Field::new(format!("{name}_mad"), DataType::Float64, true),
                        Arc::new(Float64Array::from(values)),
                    ));
                }
            }
        }
    }
    // R's full form: what was computed and how (dropped by `OutputType::Standard`).
    let value_type = match options.value_type {
        crate::sii::ValueType::Normal => "normal",
        crate::sii::ValueType::Rate => "rate",
        crate::sii::ValueType::Proportion => "proportion",
    };
    let statistic = format!(
        "slope index of inequality of a {value_type}{}, multiplier {}",
        if options.transform {
            " (transformed)"
        } else {
            ""
        },
        super::describe_multiplier(options.multiplier)
    );
    let method = format!(
        "simulation, {} repetitions, seed {}",
        options.repetitions, options.seed
    );
    columns.extend([
        (
            Field::new("confidence", DataType::Utf8, false),
            repeated(&confidence_text(levels), n),
        ),
        (
            Field::new("statistic", DataType::Utf8, false),
            repeated(&statistic, n),
        ),
        (
            Field::new("method", DataType::Utf8, false),
            repeated(&method, n),
        ),
    ]);
    batch(columns)
}

/// Reads a funnel's inputs: numerator, and denominator and/or rate columns.
fn funnel_inputs(
    batches: &[RecordBatch],
    numerator: &str,
    denominator: Option<&str>,
    rate: Option<&str>,
) -> Result<Vec<FunnelInput>, IndicatorError> {
    let mut rows = Vec::new();
    for batch in batches {
        let num = Num::new(batch, numerator)?;
        let den = denominator.map(|d| Num::new(batch, d)).transpose()?;
        let rt = rate.map(|d| Num::new(batch, d)).transpose()?;
        for r in 0..batch.num_rows() {
            rows.push(FunnelInput {
                numerator: num.get(r).ok_or_else(|| IndicatorError::Column {
                    column: numerator.to_owned(),
                    problem: format!(
                        "row {r}: numerators must be provided for all records, even when 0"
                    ),
                })?,
                denominator: den.as_ref().and_then(|d| d.get(r)),
                rate: rt.as_ref().and_then(|d| d.get(r)),
            });
        }
    }
    Ok(rows)
}

/// Funnel plot limits over 100 x-axis points: columns `x` (population, expected count or
/// derived denominator), `lower_2s_limit`, `upper_2s_limit`, `lower_3s_limit`,
/// `upper_3s_limit`, `baseline` (the pooled average) and `statistic`.
pub(crate) fn funnel_limits_table(
    batches: &[RecordBatch],
    numerator: &str,
    denominator: Option<&str>,
    rate: Option<&str>,
    kind: FunnelKind,
) -> Result<RecordBatch, IndicatorError> {
    let f = funnel(&funnel_inputs(batches, numerator, denominator, rate)?, kind)?;
    let n = f.x.len();
    let statistic = match kind {
        FunnelKind::Proportion { .. } => "proportion",
        FunnelKind::Ratio(_) => "ratio",
        FunnelKind::Rate { .. } => "rate",
    };
    batch(vec![
        (
            Field::new("x", DataType::Float64, false),
            Arc::new(Float64Array::from(f.x)),
        ),
        (
            Field::new("lower_2s_limit", DataType::Float64, false),
            Arc::new(Float64Array::from(f.lower_2s)),
        ),
        (
            Field::new("upper_2s_limit", DataType::Float64, false),
            Arc::new(Float64Array::from(f.upper_2s)),
        ),
        (
            Field::new("lower_3s_limit", DataType::Float64, false),
            Arc::new(Float64Array::from(f.lower_3s)),
        ),
        (
            Field::new("upper_3s_limit", DataType::Float64, false),
            Arc::new(Float64Array::from(f.upper_3s)),
        ),
        (
            Field::new("baseline", DataType::Float64, false),
            Arc::new(Float64Array::from(vec![f.average; n])),
        ),
        (
            Field::new("statistic", DataType::Utf8, false),
            repeated(statistic, n),
        ),
    ])
}

/// Each input row of a rate funnel with its point to chart: `rate_chart` and
/// `denominator_derived` (per year of `years_of_data`), as R's `calculate_funnel_points`.
pub(crate) fn funnel_points_table(
    batches: &[RecordBatch],
    numerator: &str,
    denominator: Option<&str>,
    rate: &str,
    kind: crate::funnel::RateKind,
    multiplier: f64,
    years_of_data: f64,
) -> Result<RecordBatch, IndicatorError> {
    let rows = funnel_inputs(batches, numerator, denominator, Some(rate))?;
    let points = crate::funnel::funnel_points(&rows, kind, multiplier, years_of_data)?;
    let input = concatenated(batches)?;
    let chart: Float64Array = points.iter().map(|p| p.rate_chart).collect();
    let derived: Float64Array = points.iter().map(|p| p.denominator_derived).collect();
    let with_chart = with_column(
        input,
        Field::new("rate_chart", DataType::Float64, true),
        Arc::new(chart),
    )?;
    with_column(
        with_chart,
        Field::new("denominator_derived", DataType::Float64, true),
        Arc::new(derived),
    )
}

/// Each input row with its funnel `significance` ("Low (0.001)", …, "Not significant").
pub(crate) fn funnel_significance_table(
    batches: &[RecordBatch],
    numerator: &str,
    denominator: Option<&str>,
    rate: Option<&str>,
    kind: FunnelKind,
) -> Result<RecordBatch, IndicatorError> {
    let f = funnel(&funnel_inputs(batches, numerator, denominator, rate)?, kind)?;
    let labels: StringArray = f.significance.iter().map(|s| Some(s.as_str())).collect();
    with_column(
        concatenated(batches)?,
        Field::new("significance", DataType::Utf8, false),
        Arc::new(labels),
    )
}

/// Life expectancy per area at the start of each of the 20 bands (start ages 0, 1, 5, …, 90
/// in an integer column; every area needs each once). Output: group columns, `startage`,
/// `value`, limits, `confidence`, `statistic`, `method`, `note` (areas of 5,000 people or
/// fewer, or intervals wider than 20 years, get null values with the reason).
pub(crate) fn life_expectancy_table(
    batches: &[RecordBatch],
    deaths: &str,
    population: &str,
    start_age: &str,
    group_by: &[&str],
    levels: &[Confidence],
    top_age: u32,
) -> Result<RecordBatch, IndicatorError> {
    crate::methods::check_levels(levels)?;
    let table_ages = life_table_ages(top_age)?;
    let grouping = group(batches, group_by)?;
    let n = grouping.len();
    let w = table_ages.len();
    let mut d = vec![[f64::NAN; 20]; n];
    let mut p = vec![[f64::NAN; 20]; n];
    // Groups with a null death count: every age's value is null (missing is not zero).
    let mut missing = vec![false; n];
    // Groups whose data cannot make a life table: null rows with the reason (the crate's
    // rule on bad groups), the other groups computed.
    let mut bad: Vec<Option<String>> = vec![None; n];
    for (b, batch) in batches.iter().enumerate() {
        let ages = Num::new(batch, start_age)?;
        let dc = Num::new(batch, deaths)?;
        let pc = Num::new(batch, population)?;
        for (r, g) in grouping.rows(b) {
            let (Some(dg), Some(pg), Some(why)) = (d.get_mut(g), p.get_mut(g), bad.get_mut(g))
            else {
                continue;
            };
            if why.is_some() {
                continue;
            }
            let age = ages.get(r).unwrap_or(f64::NAN);
            let Some(i) = table_ages.iter().position(|&a| f64::from(a) == age) else {
                *why = Some(format!(
                    "start age {age} is not one of 0, 1, 5, 10, …, {top_age}"
                ));
                continue;
            };
            if !dg[i].is_nan() {
                *why = Some(format!("start age {age} appears twice"));
                continue;
            }
            let Some(pop) = pc.get(r) else {
                *why = Some(format!("the population at start age {age} is missing"));
                continue;
            };
            pg[i] = pop;
            dg[i] = match dc.get(r) {
                Some(v) => v,
                None => {
                    if let Some(m) = missing.get_mut(g) {
                        *m = true;
                    }
                    0.0
                }
            };
        }
    }
    let mut out = Columns::new(levels.len(), n * w);
    let mut first = Vec::with_capacity(n * w);
    let mut ages = Vec::with_capacity(n * w);
    // R's `pops_used` and `dths_used`: the population and deaths of the bands each age's life
    // expectancy is computed from (that age onwards); null where they are not all known.
    let mut pops_used: Vec<Option<f64>> = Vec::with_capacity(n * w);
    let mut dths_used: Vec<Option<f64>> = Vec::with_capacity(n * w);
    // Each group's life table, or why it has none (missing deaths leave both empty).
    let mut tables = Vec::with_capacity(n);
    for g in 0..n {
        let (Some(dg), Some(pg)) = (d.get(g), p.get(g)) else {
            continue;
        };
        let mut why = bad.get(g).cloned().flatten();
        if why.is_none() && pg[..w].iter().any(|x| x.is_nan()) {
            why = Some(format!(
                "has {} of the {w} age bands (0, 1, 5, …, {top_age}): every band is needed",
                pg[..w].iter().filter(|x| !x.is_nan()).count()
            ));
        }
        let table = match (&why, missing.get(g).copied().unwrap_or(false)) {
            (Some(_), _) | (None, true) => None,
            (None, false) => match life_expectancy_from(table_ages, &dg[..w], &pg[..w], levels) {
                Ok(t) => Some(t),
                Err(e) => {
                    why = Some(super::group_problem(&e));
                    None
                }
            },
        };
        tables.push((table, why));
    }
    let reasons: Vec<Option<String>> = tables.iter().map(|(_, why)| why.clone()).collect();
    super::every_group_bad(&reasons, &grouping, batches, group_by)?;
    for (g, (table, why)) in tables.into_iter().enumerate() {
        let (Some(dg), Some(pg)) = (d.get(g), p.get(g)) else {
            continue;
        };
        let known = !missing.get(g).copied().unwrap_or(true);
        for i in 0..w {
            let onwards = |x: &[f64; 20]| {
                let total: f64 = x.get(i..w).map(|t| t.iter().sum()).unwrap_or(f64::NAN);
                total.is_finite().then_some(total)
            };
            pops_used.push(onwards(pg));
            dths_used.push(if known { onwards(dg) } else { None });
        }
        let Some(table) = table else {
            for &age in table_ages {
                match &why {
                    Some(w) => out.null_owned(w.clone()),
                    None => out.null(super::MISSING_INPUT),
                }
                if let Some(f) = grouping.first.get(g) {
                    first.push(*f);
                }
                ages.push(age);
            }
            continue;
        };
        for (age, e) in table.ages.iter().zip(&table.expectancy) {
            out.point(e.value, e.method, e.note);
            for i in 0..levels.len() {
                out.limits(
                    i,
                    e.lower.get(i).copied().flatten(),
                    e.upper.get(i).copied().flatten(),
                );
            }
            if let Some(f) = grouping.first.get(g) {
                first.push(*f);
            }
            ages.push(*age);
        }
    }
    let expanded = super::Grouping {
        first,
        runs: Vec::new(),
    };
    let mut columns = key_columns(batches, &expanded, group_by)?;
    columns.push((
        Field::new("startage", DataType::UInt32, false),
        Arc::new(UInt32Array::from(ages)),
    ));
    super::finish(
        columns,
        vec![("pops_used", pops_used), ("dths_used", dths_used)],
        out,
        levels,
        "life expectancy".to_owned(),
    )
}

/// Keeps the rows of a life expectancy table ([`LifeExpectancySpec`](crate::LifeExpectancySpec))
/// at the given start ages (R's
/// `le_age`); every age must be one of [`LIFE_TABLE_AGES`].
pub fn life_expectancy_at_ages(
    result: &RecordBatch,
    ages: &[u32],
) -> Result<RecordBatch, IndicatorError> {
    if let Some(a) = ages.iter().find(|a| !LIFE_TABLE_AGES.contains(a)) {
        return Err(IndicatorError::Invalid(format!(
            "age {a} is not a life-table start age (0, 1, 5, 10, …, 85, 90)"
        )));
    }
    let start = result
        .column_by_name("startage")
        .and_then(|c| c.as_any().downcast_ref::<UInt32Array>())
        .ok_or_else(|| IndicatorError::Column {
            column: "startage".to_owned(),
            problem: "not a life expectancy result".to_owned(),
        })?;
    let keep: arrow_array::BooleanArray = start
        .iter()
        .map(|a| Some(a.is_some_and(|a| ages.contains(&a))))
        .collect();
    arrow_select::filter::filter_record_batch(result, &keep)
        .map_err(|e| IndicatorError::Arrow(e.to_string()))
}
