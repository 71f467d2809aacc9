//! The methods over Arrow: grouped inputs in, one output row per group.
//!
//! Input: any number of `RecordBatch`es with the same schema; columns are named by the caller;
//! numeric columns may be any integer or float type; group columns Utf8/LargeUtf8 or integers.
//! Output columns, in order (the R package's convention):
//!
//! | column | type | notes |
//! |---|---|---|
//! | group columns | as input (integers as Int64) | first the grouping keys, in the order given |
//! | inputs | Float64 | the summed numerator/denominator (or count/population, total count) |
//! | `value` | Float64 | null where the method defines none (`note` says why) |
//! | `lowercl`, `uppercl` | Float64 | one level; with several: `lower95_0cl`, `upper95_0cl`, `lower99_8cl`, … |
//! | `confidence` | Utf8 | e.g. `95%, 99.8%` |
//! | `statistic` | Utf8 | e.g. `proportion of 1`, `rate per 100000`, `dsr per 100000` |
//! | `method` | Utf8 | `Wilson`, `Exact`/`Byars` (per row), `Dobson` |
//! | `note` | Utf8, nullable | why a value is null (a null input, fewer than 10 events) |

use std::collections::HashMap;

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};

use crate::error::IndicatorError;

/// A numeric column with nulls.
type Values = Vec<Option<f64>>;
use crate::methods::{Confidence, CountLimits, ESP2013, Estimate, dsr, proportion, rate};

fn column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a ArrayRef, IndicatorError> {
    batch
        .column_by_name(name)
        .ok_or_else(|| IndicatorError::Column {
            column: name.to_owned(),
            problem: "not in the input".to_owned(),
        })
}

/// A numeric column read as f64 with nulls as `None`.
fn numbers(batch: &RecordBatch, name: &str) -> Result<Vec<Option<f64>>, IndicatorError> {
    let a = column(batch, name)?;
    macro_rules! read {
        ($t:ty) => {
            a.as_primitive::<$t>()
                .iter()
                .map(|v| v.map(|x| x as f64))
                .collect()
        };
    }
    Ok(match a.data_type() {
        DataType::Float64 => a.as_primitive::<Float64Type>().iter().collect(),
        DataType::Float32 => read!(Float32Type),
        DataType::Int8 => read!(Int8Type),
        DataType::Int16 => read!(Int16Type),
        DataType::Int32 => read!(Int32Type),
        DataType::Int64 => read!(Int64Type),
        DataType::UInt8 => read!(UInt8Type),
        DataType::UInt16 => read!(UInt16Type),
        DataType::UInt32 => read!(UInt32Type),
        DataType::UInt64 => read!(UInt64Type),
        other => {
            return Err(IndicatorError::Column {
                column: name.to_owned(),
                problem: format!("must be numeric, found {other}"),
            });
        }
    })
}

/// One grouping key value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Text(Option<String>),
    Int(Option<i64>),
}

fn keys(batch: &RecordBatch, name: &str) -> Result<Vec<Key>, IndicatorError> {
    let a = column(batch, name)?;
    macro_rules! ints {
        ($t:ty) => {
            a.as_primitive::<$t>()
                .iter()
                .map(|v| Key::Int(v.map(i64::from)))
                .collect()
        };
    }
    Ok(match a.data_type() {
        DataType::Utf8 => a
            .as_string::<i32>()
            .iter()
            .map(|v| Key::Text(v.map(str::to_owned)))
            .collect(),
        DataType::LargeUtf8 => a
            .as_string::<i64>()
            .iter()
            .map(|v| Key::Text(v.map(str::to_owned)))
            .collect(),
        DataType::Int8 => ints!(Int8Type),
        DataType::Int16 => ints!(Int16Type),
        DataType::Int32 => ints!(Int32Type),
        DataType::Int64 => a.as_primitive::<Int64Type>().iter().map(Key::Int).collect(),
        DataType::UInt8 => ints!(UInt8Type),
        DataType::UInt16 => ints!(UInt16Type),
        DataType::UInt32 => ints!(UInt32Type),
        other => {
            return Err(IndicatorError::Column {
                column: name.to_owned(),
                problem: format!("cannot group by {other}"),
            });
        }
    })
}

/// Row → group assignment across batches, in order of first appearance.
struct Grouping {
    /// The key of each group.
    keys: Vec<Vec<Key>>,
    /// For each batch, the group of each row.
    rows: Vec<Vec<usize>>,
}

fn group(batches: &[RecordBatch], group_by: &[&str]) -> Result<Grouping, IndicatorError> {
    let mut index: HashMap<Vec<Key>, usize> = HashMap::new();
    let mut out = Grouping {
        keys: Vec::new(),
        rows: Vec::with_capacity(batches.len()),
    };
    for batch in batches {
        let columns: Vec<Vec<Key>> = group_by
            .iter()
            .map(|g| keys(batch, g))
            .collect::<Result<_, _>>()?;
        let mut rows = Vec::with_capacity(batch.num_rows());
        let mut key = Vec::with_capacity(group_by.len());
        for r in 0..batch.num_rows() {
            key.clear();
            key.extend(columns.iter().filter_map(|c| c.get(r).cloned()));
            let next = out.keys.len();
            let id = *index.entry(key.clone()).or_insert_with(|| {
                out.keys.push(key.clone());
                next
            });
            rows.push(id);
        }
        out.rows.push(rows);
    }
    Ok(out)
}

/// Sums two columns per group; a null in a group makes its sum null (as R's `sum` does).
fn sum_by_group(
    batches: &[RecordBatch],
    grouping: &Grouping,
    columns: &[&str],
) -> Result<Vec<Vec<Option<f64>>>, IndicatorError> {
    let n = grouping.keys.len();
    let mut sums = vec![vec![Some(0.0); n]; columns.len()];
    for (batch, rows) in batches.iter().zip(&grouping.rows) {
        for (c, name) in columns.iter().enumerate() {
            let values = numbers(batch, name)?;
            let target = &mut sums[c];
            for (v, &g) in values.iter().zip(rows) {
                target[g] = match (target[g], v) {
                    (Some(acc), Some(x)) => Some(acc + x),
                    _ => None,
                };
            }
        }
    }
    Ok(sums)
}

fn key_columns(
    grouping: &Grouping,
    group_by: &[&str],
    template: &Schema,
) -> Result<Vec<(Field, ArrayRef)>, IndicatorError> {
    let mut out = Vec::new();
    for (i, name) in group_by.iter().enumerate() {
        let values: Vec<&Key> = grouping.keys.iter().filter_map(|k| k.get(i)).collect();
        let nullable = template
            .field_with_name(name)
            .map(|f| f.is_nullable())
            .unwrap_or(true);
        let (dt, array): (DataType, ArrayRef) = match values.first() {
            Some(Key::Int(_)) => (
                DataType::Int64,
                Arc::new(Int64Array::from_iter(values.iter().map(|k| match k {
                    Key::Int(v) => *v,
                    Key::Text(_) => None,
                }))),
            ),
            _ => (
                DataType::Utf8,
                Arc::new(StringArray::from_iter(values.iter().map(|k| match k {
                    Key::Text(v) => v.clone(),
                    Key::Int(_) => None,
                }))),
            ),
        };
        out.push((Field::new(*name, dt, nullable), array));
    }
    Ok(out)
}

fn finish(
    mut columns: Vec<(Field, ArrayRef)>,
    inputs: Vec<(&str, Vec<Option<f64>>)>,
    estimates: &[Option<Estimate>],
    notes: Vec<Option<String>>,
    levels: &[Confidence],
    statistic: String,
) -> Result<RecordBatch, IndicatorError> {
    for (name, values) in inputs {
        columns.push((
            Field::new(name, DataType::Float64, true),
            Arc::new(Float64Array::from(values)),
        ));
    }
    let value: Float64Array = estimates
        .iter()
        .map(|e| e.as_ref().and_then(|e| e.value))
        .collect();
    columns.push((
        Field::new("value", DataType::Float64, true),
        Arc::new(value),
    ));
    for (i, level) in levels.iter().enumerate() {
        let (lo, hi) = if levels.len() == 1 {
            ("lowercl".to_owned(), "uppercl".to_owned())
        } else {
            (
                format!("lower{}cl", level.label()),
                format!("upper{}cl", level.label()),
            )
        };
        let lower: Float64Array = estimates
            .iter()
            .map(|e| e.as_ref().and_then(|e| e.lower.get(i).copied().flatten()))
            .collect();
        let upper: Float64Array = estimates
            .iter()
            .map(|e| e.as_ref().and_then(|e| e.upper.get(i).copied().flatten()))
            .collect();
        columns.push((Field::new(lo, DataType::Float64, true), Arc::new(lower)));
        columns.push((Field::new(hi, DataType::Float64, true), Arc::new(upper)));
    }
    let n = estimates.len();
    let confidence = levels
        .iter()
        .map(|c| c.percent())
        .collect::<Vec<_>>()
        .join(", ");
    columns.push((
        Field::new("confidence", DataType::Utf8, false),
        Arc::new(StringArray::from(vec![confidence; n])),
    ));
    columns.push((
        Field::new("statistic", DataType::Utf8, false),
        Arc::new(StringArray::from(vec![statistic; n])),
    ));
    let method: StringArray = estimates
        .iter()
        .map(|e| e.as_ref().map(|e| e.method.as_str()))
        .collect();
    columns.push((Field::new("method", DataType::Utf8, true), Arc::new(method)));
    columns.push((
        Field::new("note", DataType::Utf8, true),
        Arc::new(StringArray::from(notes)),
    ));
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = columns.into_iter().unzip();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|e| IndicatorError::Arrow(e.to_string()))
}

fn template(batches: &[RecordBatch]) -> Schema {
    batches
        .first()
        .map(|b| b.schema().as_ref().clone())
        .unwrap_or_else(Schema::empty)
}

fn describe_multiplier(m: f64) -> String {
    if m.fract() == 0.0 && m.abs() < 1e15 {
        format!("{}", m as i64)
    } else {
        m.to_string()
    }
}

/// Proportions with Wilson limits per group: numerators and denominators are summed within
/// each group first (with no group columns, one row per input row, as R does).
pub fn proportion_table(
    batches: &[RecordBatch],
    numerator: &str,
    denominator: &str,
    group_by: &[&str],
    levels: &[Confidence],
    multiplier: f64,
) -> Result<RecordBatch, IndicatorError> {
    let (grouping, inputs) = grouped_pair(batches, numerator, denominator, group_by)?;
    let mut notes = Vec::with_capacity(inputs[0].len());
    let estimates: Vec<Option<Estimate>> = inputs[0]
        .iter()
        .zip(&inputs[1])
        .map(|(x, n)| match (x, n) {
            (Some(x), Some(n)) => {
                notes.push(None);
                proportion(*x, *n, levels, multiplier).map(Some)
            }
            _ => {
                notes.push(Some(
                    "null numerator or denominator in the group".to_owned(),
                ));
                Ok(None)
            }
        })
        .collect::<Result<_, _>>()?;
    let statistic = if multiplier == 100.0 {
        "percentage".to_owned()
    } else {
        format!("proportion of {}", describe_multiplier(multiplier))
    };
    let keys = key_columns(&grouping, group_by, &template(batches))?;
    let [nums, dens]: [Vec<Option<f64>>; 2] = inputs
        .try_into()
        .map_err(|_| IndicatorError::Arrow("internal: two inputs".to_owned()))?;
    finish(
        keys,
        vec![(numerator, nums), (denominator, dens)],
        &estimates,
        notes,
        levels,
        statistic,
    )
}

/// Crude rates per group, exact Poisson limits below 10 events and Byar's from 10.
pub fn rate_table(
    batches: &[RecordBatch],
    count: &str,
    denominator: &str,
    group_by: &[&str],
    levels: &[Confidence],
    multiplier: f64,
) -> Result<RecordBatch, IndicatorError> {
    let (grouping, inputs) = grouped_pair(batches, count, denominator, group_by)?;
    let limits = CountLimits::new(levels);
    let mut notes = Vec::with_capacity(inputs[0].len());
    let estimates: Vec<Option<Estimate>> = inputs[0]
        .iter()
        .zip(&inputs[1])
        .map(|(x, n)| match (x, n) {
            (Some(x), Some(n)) => {
                notes.push(None);
                rate(*x, *n, &limits, multiplier).map(Some)
            }
            _ => {
                notes.push(Some("null count or denominator in the group".to_owned()));
                Ok(None)
            }
        })
        .collect::<Result<_, _>>()?;
    let keys = key_columns(&grouping, group_by, &template(batches))?;
    let [counts, dens]: [Vec<Option<f64>>; 2] = inputs
        .try_into()
        .map_err(|_| IndicatorError::Arrow("internal: two inputs".to_owned()))?;
    finish(
        keys,
        vec![(count, counts), (denominator, dens)],
        &estimates,
        notes,
        levels,
        format!("rate per {}", describe_multiplier(multiplier)),
    )
}

/// With group columns: sums per group. Without: one "group" per input row.
fn grouped_pair(
    batches: &[RecordBatch],
    a: &str,
    b: &str,
    group_by: &[&str],
) -> Result<(Grouping, Vec<Values>), IndicatorError> {
    if group_by.is_empty() {
        let mut rows = Vec::new();
        let mut sums = vec![Vec::new(), Vec::new()];
        let mut next = 0;
        for batch in batches {
            sums[0].extend(numbers(batch, a)?);
            sums[1].extend(numbers(batch, b)?);
            rows.push((next..next + batch.num_rows()).collect());
            next += batch.num_rows();
        }
        return Ok((
            Grouping {
                keys: vec![Vec::new(); next],
                rows,
            },
            sums,
        ));
    }
    let grouping = group(batches, group_by)?;
    let sums = sum_by_group(batches, &grouping, &[a, b])?;
    Ok((grouping, sums))
}

/// The standard population of a DSR.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Standard<'a> {
    /// ESP2013, matched on the age-band labels of this column (`0-4`, `5-9`, …, `90+`; NHS forms
    /// such as `0_4` accepted). Every group needs all 19 bands once.
    Esp2013 {
        /// The age-band column.
        age_band: &'a str,
    },
    /// A standard population given per row in this column.
    Column(&'a str),
}

/// Directly standardised rates with Dobson limits per group. A group with a total count below
/// 10 gets a null value with a note; a group without the 19 ESP2013 bands is an error naming it.
pub fn dsr_table(
    batches: &[RecordBatch],
    count: &str,
    population: &str,
    standard: Standard<'_>,
    group_by: &[&str],
    levels: &[Confidence],
    multiplier: f64,
) -> Result<RecordBatch, IndicatorError> {
    let grouping = group(batches, group_by)?;
    let n = grouping.keys.len();
    let mut strata: Vec<(Vec<f64>, Vec<f64>, Vec<f64>)> =
        vec![(Vec::new(), Vec::new(), Vec::new()); n];
    let esp = pcnkit_core::AgeBandScheme::esp2013();
    let mut seen: Vec<[bool; 19]> = vec![[false; 19]; n];
    for (batch, rows) in batches.iter().zip(&grouping.rows) {
        let counts = numbers(batch, count)?;
        let pops = numbers(batch, population)?;
        let weights: Vec<Option<f64>> = match standard {
            Standard::Column(c) => numbers(batch, c)?,
            Standard::Esp2013 { age_band } => {
                let labels = column(batch, age_band)?;
                let labels =
                    labels
                        .as_string_opt::<i32>()
                        .ok_or_else(|| IndicatorError::Column {
                            column: age_band.to_owned(),
                            problem: "must be text age-band labels".to_owned(),
                        })?;
                let mut w = Vec::with_capacity(labels.len());
                for (r, label) in labels.iter().enumerate() {
                    let band: pcnkit_core::AgeBand = label
                        .ok_or_else(|| IndicatorError::Column {
                            column: age_band.to_owned(),
                            problem: format!("null age band in row {r}"),
                        })?
                        .parse()
                        .map_err(|e: pcnkit_core::CoreError| IndicatorError::Column {
                            column: age_band.to_owned(),
                            problem: e.to_string(),
                        })?;
                    let i = esp.bands().iter().position(|b| *b == band).ok_or_else(|| IndicatorError::Column {
                        column: age_band.to_owned(),
                        problem: format!("{band} is not one of the 19 ESP2013 bands (0-4, 5-9, …, 85-89, 90+)"),
                    })?;
                    let g = rows.get(r).copied().unwrap_or(0);
                    if std::mem::replace(&mut seen[g][i], true) {
                        return Err(IndicatorError::Column {
                            column: age_band.to_owned(),
                            problem: format!(
                                "band {band} appears twice in group {:?}",
                                grouping.keys[g]
                            ),
                        });
                    }
                    w.push(ESP2013.get(i).copied());
                }
                w
            }
        };
        for (((c, p), w), &g) in counts.iter().zip(&pops).zip(&weights).zip(rows) {
            let s = &mut strata[g];
            // NaN counts are taken as 0, as UKHSA's method does.
            s.0.push(c.unwrap_or(0.0));
            s.1.push(p.unwrap_or(f64::NAN));
            s.2.push(w.unwrap_or(f64::NAN));
        }
    }
    if let Standard::Esp2013 { age_band } = standard
        && let Some(g) = seen.iter().position(|s| s.iter().any(|x| !x))
    {
        return Err(IndicatorError::Column {
            column: age_band.to_owned(),
            problem: format!(
                "group {:?} does not have all 19 ESP2013 age bands",
                grouping.keys[g]
            ),
        });
    }
    let mut notes = Vec::with_capacity(n);
    let mut totals = Vec::with_capacity(n);
    let mut pops_total = Vec::with_capacity(n);
    let estimates: Vec<Option<Estimate>> = strata
        .iter()
        .map(|(c, p, w)| {
            totals.push(Some(c.iter().sum::<f64>()));
            pops_total.push(Some(p.iter().sum::<f64>()));
            let e = dsr(c, p, w, levels, multiplier)?;
            notes.push(e.note.map(str::to_owned));
            Ok(Some(e))
        })
        .collect::<Result<_, IndicatorError>>()?;
    let keys = key_columns(&grouping, group_by, &template(batches))?;
    finish(
        keys,
        vec![(count, totals), (population, pops_total)],
        &estimates,
        notes,
        levels,
        format!("dsr per {}", describe_multiplier(multiplier)),
    )
}
