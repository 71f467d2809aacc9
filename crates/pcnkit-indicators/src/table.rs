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
use crate::methods::{Confidence, CountLimits, DsrSums, ESP2013, Estimate, proportion, rate};

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

/// One grouping key value, owned (kept once per group, not per row).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Text(Option<String>),
    Int(Option<i64>),
}

/// A grouping column of one batch, read without copying its strings.
enum KeyColumn<'a> {
    Text(&'a arrow_array::StringArray),
    LargeText(&'a arrow_array::LargeStringArray),
    Int(Vec<Option<i64>>),
}

impl KeyColumn<'_> {
    fn text(&self, r: usize) -> Option<Option<&str>> {
        match self {
            KeyColumn::Text(a) => Some(a.is_valid(r).then(|| a.value(r))),
            KeyColumn::LargeText(a) => Some(a.is_valid(r).then(|| a.value(r))),
            KeyColumn::Int(_) => None,
        }
    }

    fn int(&self, r: usize) -> Option<i64> {
        match self {
            KeyColumn::Int(v) => v.get(r).copied().flatten(),
            _ => None,
        }
    }

    fn hash(&self, r: usize, h: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        match self.text(r) {
            Some(t) => t.hash(h),
            None => self.int(r).hash(h),
        }
    }

    fn matches(&self, r: usize, key: &Key) -> bool {
        match (self.text(r), key) {
            (Some(t), Key::Text(k)) => t == k.as_deref(),
            (None, Key::Int(k)) => self.int(r) == *k,
            _ => false,
        }
    }

    fn owned(&self, r: usize) -> Key {
        match self.text(r) {
            Some(t) => Key::Text(t.map(str::to_owned)),
            None => Key::Int(self.int(r)),
        }
    }
}

fn key_column<'a>(batch: &'a RecordBatch, name: &str) -> Result<KeyColumn<'a>, IndicatorError> {
    let a = column(batch, name)?;
    macro_rules! ints {
        ($t:ty) => {
            KeyColumn::Int(
                a.as_primitive::<$t>()
                    .iter()
                    .map(|v| v.map(i64::from))
                    .collect(),
            )
        };
    }
    Ok(match a.data_type() {
        DataType::Utf8 => KeyColumn::Text(a.as_string::<i32>()),
        DataType::LargeUtf8 => KeyColumn::LargeText(a.as_string::<i64>()),
        DataType::Int8 => ints!(Int8Type),
        DataType::Int16 => ints!(Int16Type),
        DataType::Int32 => ints!(Int32Type),
        DataType::Int64 => KeyColumn::Int(a.as_primitive::<Int64Type>().iter().collect()),
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

/// Hash-based group-by: each row's key is hashed in place (no allocation per row); a key is
/// copied only when it starts a new group.
fn group(batches: &[RecordBatch], group_by: &[&str]) -> Result<Grouping, IndicatorError> {
    use std::hash::BuildHasher;
    // Fixed seeds: the output order is first appearance either way.
    let state = ahash::RandomState::with_seeds(1, 2, 3, 4);
    // Most tables are sorted or clustered by area, so a row usually continues the previous
    // row's group: check that first and hash only when the key changes.
    let mut first: HashMap<u64, usize, ahash::RandomState> =
        HashMap::with_hasher(ahash::RandomState::with_seeds(5, 6, 7, 8));
    let mut collisions: HashMap<u64, Vec<usize>, ahash::RandomState> =
        HashMap::with_hasher(ahash::RandomState::with_seeds(5, 6, 7, 8));
    let mut out = Grouping {
        keys: Vec::new(),
        rows: Vec::with_capacity(batches.len()),
    };
    for batch in batches {
        let columns: Vec<KeyColumn<'_>> = group_by
            .iter()
            .map(|g| key_column(batch, g))
            .collect::<Result<_, _>>()?;
        let same = |r: usize, g: usize, keys: &[Vec<Key>]| {
            keys.get(g)
                .is_some_and(|key| columns.iter().zip(key).all(|(c, k)| c.matches(r, k)))
        };
        let mut rows = Vec::with_capacity(batch.num_rows());
        let mut previous: Option<usize> = None;
        for r in 0..batch.num_rows() {
            if let Some(p) = previous.filter(|&p| same(r, p, &out.keys)) {
                rows.push(p);
                continue;
            }
            let mut h = state.build_hasher();
            for c in &columns {
                c.hash(r, &mut h);
            }
            let hash = std::hash::Hasher::finish(&h);
            let found = match first.get(&hash) {
                Some(&g) if same(r, g, &out.keys) => Some(g),
                Some(_) => collisions
                    .get(&hash)
                    .and_then(|v| v.iter().copied().find(|&g| same(r, g, &out.keys))),
                None => None,
            };
            let id = match found {
                Some(g) => g,
                None => {
                    out.keys.push(columns.iter().map(|c| c.owned(r)).collect());
                    let g = out.keys.len() - 1;
                    match first.entry(hash) {
                        std::collections::hash_map::Entry::Occupied(_) => {
                            collisions.entry(hash).or_default().push(g)
                        }
                        std::collections::hash_map::Entry::Vacant(v) => {
                            v.insert(g);
                        }
                    }
                    g
                }
            };
            previous = Some(id);
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
    let mut sums = vec![DsrSums::default(); n];
    let mut seen: Vec<[bool; 19]> = vec![[false; 19]; n];
    let esp = pcnkit_core::AgeBandScheme::esp2013();
    for (batch, rows) in batches.iter().zip(&grouping.rows) {
        let counts = numbers(batch, count)?;
        let pops = numbers(batch, population)?;
        let weights: Vec<Option<f64>> = match standard {
            Standard::Column(c) => numbers(batch, c)?,
            Standard::Esp2013 { age_band } => {
                let labels = column(batch, age_band)?
                    .as_string_opt::<i32>()
                    .ok_or_else(|| IndicatorError::Column {
                        column: age_band.to_owned(),
                        problem: "must be text age-band labels".to_owned(),
                    })?;
                // Few distinct labels: parse each once.
                let mut parsed: Vec<(&str, usize)> = Vec::with_capacity(19);
                let mut w = Vec::with_capacity(labels.len());
                for (r, label) in labels.iter().enumerate() {
                    let label = label.ok_or_else(|| IndicatorError::Column {
                        column: age_band.to_owned(),
                        problem: format!("null age band in row {r}"),
                    })?;
                    let i = match parsed.iter().find(|(l, _)| *l == label) {
                        Some((_, i)) => *i,
                        None => {
                            let band: pcnkit_core::AgeBand =
                                label.parse().map_err(|e: pcnkit_core::CoreError| {
                                    IndicatorError::Column {
                                        column: age_band.to_owned(),
                                        problem: e.to_string(),
                                    }
                                })?;
                            let i = esp.bands().iter().position(|b| *b == band).ok_or_else(|| IndicatorError::Column {
                                column: age_band.to_owned(),
                                problem: format!("{band} is not one of the 19 ESP2013 bands (0-4, 5-9, …, 85-89, 90+)"),
                            })?;
                            parsed.push((label, i));
                            i
                        }
                    };
                    let g = rows.get(r).copied().unwrap_or(0);
                    if let Some(slot) = seen.get_mut(g).and_then(|s| s.get_mut(i))
                        && std::mem::replace(slot, true)
                    {
                        return Err(IndicatorError::Column {
                            column: age_band.to_owned(),
                            problem: format!(
                                "band {label} appears twice in group {:?}",
                                grouping.keys.get(g)
                            ),
                        });
                    }
                    w.push(ESP2013.get(i).copied());
                }
                w
            }
        };
        for (((c, p), w), &g) in counts.iter().zip(&pops).zip(&weights).zip(rows) {
            // Null counts are taken as 0, as UKHSA's method does; a null population or weight
            // cannot be, and is an error.
            let p = p.ok_or_else(|| IndicatorError::Column {
                column: population.to_owned(),
                problem: "null population".to_owned(),
            })?;
            let w = w.ok_or_else(|| IndicatorError::Column {
                column: "standard population".to_owned(),
                problem: "null weight".to_owned(),
            })?;
            if let Some(s) = sums.get_mut(g) {
                s.add(c.unwrap_or(0.0), p, w)?;
            }
        }
    }
    if let Standard::Esp2013 { age_band } = standard
        && let Some(g) = seen.iter().position(|s| s.iter().any(|x| !x))
    {
        return Err(IndicatorError::Column {
            column: age_band.to_owned(),
            problem: format!(
                "group {:?} does not have all 19 ESP2013 age bands",
                grouping.keys.get(g).cloned().unwrap_or_default()
            ),
        });
    }
    let mut notes = Vec::with_capacity(n);
    let totals: Vec<Option<f64>> = sums.iter().map(|s| Some(s.observed())).collect();
    let pops_total: Vec<Option<f64>> = sums.iter().map(|s| Some(s.population())).collect();
    let estimates: Vec<Option<Estimate>> = sums
        .iter()
        .map(|s| {
            let e = s.estimate(levels, multiplier);
            notes.push(e.note.map(str::to_owned));
            Some(e)
        })
        .collect();
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
