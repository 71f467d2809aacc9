//! Prevalence by area and deprivation quintile from person-level rows, and the gap between the
//! most and least deprived.
//!
//! Input: person rows (Arrow batches) with the practice, the deprivation decile of the
//! person's LSOA (IMD decile 1 = most deprived) and a condition flag; an [`AreaLookup`] maps
//! practices to the area to report (PCN, sub-ICB, ICB), from (practice, area) pairs: a caller
//! with a pcnkit-org `Registry` passes `registry.practice_areas(level, date)`, so this crate
//! needs no organisation model of its own. Output: one row per area and quintile with persons, cases and the prevalence
//! with Wilson limits, and [`deprivation_gap`] per area.
//!
//! The aggregation is one pass over the columns: a dictionary-encoded practice column (how
//! 60 million rows are normally held) is resolved to areas once per dictionary value, then
//! each row is two array reads and two increments; chunks of rows are counted on all cores
//! (rayon) and the counts added. Nothing is dropped: a practice missing from the lookup is an
//! error naming it; a person with no decile is counted under a null quintile.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type,
};
use arrow_array::{
    Array, ArrayRef, Float64Array, RecordBatch, StringArray, UInt8Array, UInt64Array,
};
use arrow_schema::{DataType, Field};
use rayon::prelude::*;

use crate::error::IndicatorError;
use crate::methods::{Confidence, proportion_into};
use crate::table::{Columns, batch, column, confidence_text, limit_names, repeated};

/// Practice code → area code.
#[derive(Debug, Clone, Default)]
pub struct AreaLookup {
    areas: Vec<String>,
    practice: HashMap<String, u32>,
}

impl AreaLookup {
    /// From (practice, area) pairs.
    pub fn from_pairs<P: Into<String>, A: AsRef<str>>(
        pairs: impl IntoIterator<Item = (P, A)>,
    ) -> Self {
        let mut lookup = AreaLookup::default();
        let mut index: HashMap<String, u32> = HashMap::new();
        for (p, a) in pairs {
            let a = a.as_ref();
            let id = match index.get(a) {
                Some(&i) => i,
                None => {
                    let i = lookup.areas.len() as u32;
                    lookup.areas.push(a.to_owned());
                    index.insert(a.to_owned(), i);
                    i
                }
            };
            lookup.practice.insert(p.into(), id);
        }
        lookup
    }

    /// The area codes, in index order.
    pub fn areas(&self) -> &[String] {
        &self.areas
    }

    fn area(&self, practice: &str, row: usize, name: &str) -> Result<u32, IndicatorError> {
        self.practice
            .get(practice)
            .copied()
            .ok_or_else(|| IndicatorError::Column {
                column: name.to_owned(),
                problem: format!("row {row}: practice {practice} is not in the area lookup"),
            })
    }
}

/// Quintile slot (0..5 for quintiles 1..5) of a decile from 0 to 255, `None` outside 1..10:
/// pcnkit-core's one decile → quintile mapping.
fn quintile_slot(decile: i64) -> Option<usize> {
    let d = pcnkit_core::ImdDecile::new(u8::try_from(decile).ok()?).ok()?;
    Some(usize::from(d.quintile().get() - 1))
}

/// Quintile slot of a decile: 0..5 for quintiles 1..5, 5 for a missing decile.
#[inline(always)]
fn slot(decile: Option<i64>, row: usize, name: &str) -> Result<usize, IndicatorError> {
    match decile {
        None => Ok(5),
        Some(d) => quintile_slot(d).ok_or_else(|| IndicatorError::Column {
            column: name.to_owned(),
            problem: format!("row {row}: deprivation decile must be 1 to 10, found {d}"),
        }),
    }
}

/// Per-row area index of one batch.
enum Areas {
    /// Dictionary keys with the area of each dictionary value.
    Keys(Vec<u32>, Vec<u32>),
    /// Area index per row.
    Rows(Vec<u32>),
}

fn areas_of(batch: &RecordBatch, name: &str, lookup: &AreaLookup) -> Result<Areas, IndicatorError> {
    let a = column(batch, name)?;
    if let DataType::Dictionary(_, value_type) = a.data_type()
        && matches!(value_type.as_ref(), DataType::Utf8)
    {
        let dict = a.as_any_dictionary();
        let values = dict.values().as_string::<i32>();
        let mut value_area = Vec::with_capacity(values.len());
        for v in values.iter() {
            // A dictionary value no row uses need not be in the lookup.
            value_area.push(match v {
                Some(v) => lookup.practice.get(v).copied().unwrap_or(u32::MAX),
                None => u32::MAX,
            });
        }
        let key_array = dict.keys();
        let keys: Vec<u32> = dict
            .normalized_keys()
            .iter()
            .enumerate()
            .map(|(r, &k)| {
                if key_array.is_null(r) {
                    u32::MAX
                } else {
                    k as u32
                }
            })
            .collect();
        // Report the first row whose practice is unknown.
        for (r, &k) in keys.iter().enumerate() {
            if value_area.get(k as usize).is_none_or(|&x| x == u32::MAX) {
                let practice = if k == u32::MAX {
                    "(null)".to_owned()
                } else {
                    values.value(k as usize).to_owned()
                };
                return Err(IndicatorError::Column {
                    column: name.to_owned(),
                    problem: format!("row {r}: practice {practice} is not in the area lookup"),
                });
            }
        }
        return Ok(Areas::Keys(keys, value_area));
    }
    let text = a
        .as_string_opt::<i32>()
        .ok_or_else(|| IndicatorError::Column {
            column: name.to_owned(),
            problem: format!(
                "practice codes must be text or dictionary-encoded text, found {}",
                a.data_type()
            ),
        })?;
    let mut out = Vec::with_capacity(text.len());
    let mut last: Option<(&str, u32)> = None;
    for r in 0..text.len() {
        if text.is_null(r) {
            return Err(IndicatorError::Column {
                column: name.to_owned(),
                problem: format!("row {r}: null practice"),
            });
        }
        let p = text.value(r);
        let id = match last {
            Some((lp, id)) if lp == p => id,
            _ => lookup.area(p, r, name)?,
        };
        last = Some((p, id));
        out.push(id);
    }
    Ok(Areas::Rows(out))
}

/// A small integer column (deciles) with nulls.
fn small_ints(batch: &RecordBatch, name: &str) -> Result<Vec<Option<i64>>, IndicatorError> {
    let a = column(batch, name)?;
    macro_rules! read {
        ($t:ty) => {
            a.as_primitive::<$t>()
                .iter()
                .map(|v| v.map(i64::from))
                .collect()
        };
    }
    Ok(match a.data_type() {
        DataType::Int8 => read!(Int8Type),
        DataType::Int16 => read!(Int16Type),
        DataType::Int32 => read!(Int32Type),
        DataType::Int64 => a.as_primitive::<Int64Type>().iter().collect(),
        DataType::UInt8 => read!(UInt8Type),
        DataType::UInt16 => read!(UInt16Type),
        DataType::UInt32 => read!(UInt32Type),
        other => {
            return Err(IndicatorError::Column {
                column: name.to_owned(),
                problem: format!("must be an integer column, found {other}"),
            });
        }
    })
}

/// A condition flag: Boolean, or integers 0/1.
fn flags(batch: &RecordBatch, name: &str) -> Result<Vec<bool>, IndicatorError> {
    let a = column(batch, name)?;
    if let Some(b) = a.as_boolean_opt() {
        return (0..b.len())
            .map(|r| {
                if b.is_null(r) {
                    Err(IndicatorError::Column {
                        column: name.to_owned(),
                        problem: format!("row {r}: null flag"),
                    })
                } else {
                    Ok(b.value(r))
                }
            })
            .collect();
    }
    small_ints(batch, name)?
        .into_iter()
        .enumerate()
        .map(|(r, v)| match v {
            Some(0) => Ok(false),
            Some(1) => Ok(true),
            other => Err(IndicatorError::Column {
                column: name.to_owned(),
                problem: format!("row {r}: a flag must be 0 or 1, found {other:?}"),
            }),
        })
        .collect()
}

/// Counts (persons, cases) per area × 6 quintile slots over one batch, in parallel chunks.
fn count_batch(
    areas: &Areas,
    deciles: &[Option<i64>],
    flags: &[bool],
    n_areas: usize,
    decile_name: &str,
) -> Result<Vec<[u64; 2]>, IndicatorError> {
    const CHUNK: usize = 1 << 20;
    let rows = deciles.len();
    let chunks: Vec<(usize, usize)> = (0..rows)
        .step_by(CHUNK)
        .map(|s| (s, (s + CHUNK).min(rows)))
        .collect();
    let partial: Vec<Result<Vec<[u64; 2]>, IndicatorError>> = chunks
        .par_iter()
        .map(|&(start, end)| {
            let mut counts = vec![[0u64; 2]; n_areas * 6];
            for r in start..end {
                let area = match areas {
                    Areas::Keys(keys, value_area) => keys
                        .get(r)
                        .and_then(|&k| value_area.get(k as usize))
                        .copied()
                        .unwrap_or(u32::MAX),
                    Areas::Rows(v) => v.get(r).copied().unwrap_or(u32::MAX),
                } as usize;
                let s = slot(deciles.get(r).copied().flatten(), r, decile_name)?;
                if let Some(c) = counts.get_mut(area * 6 + s) {
                    c[0] += 1;
                    c[1] += u64::from(flags.get(r).copied().unwrap_or(false));
                }
            }
            Ok(counts)
        })
        .collect();
    let mut total = vec![[0u64; 2]; n_areas * 6];
    for p in partial {
        for (t, c) in total.iter_mut().zip(p?) {
            t[0] += c[0];
            t[1] += c[1];
        }
    }
    Ok(total)
}

/// The fast path: Int32 dictionary keys, UInt8 deciles and Boolean flags without nulls (how
/// person-level extracts are usually held). Counts straight from the Arrow buffers.
fn count_fast(
    batch: &RecordBatch,
    practice: &str,
    decile: &str,
    flag: &str,
    lookup: &AreaLookup,
    n_areas: usize,
) -> Result<Option<Vec<[u64; 2]>>, IndicatorError> {
    let (p, d, f) = (
        column(batch, practice)?,
        column(batch, decile)?,
        column(batch, flag)?,
    );
    let (Some(dict), Some(dec), Some(flg)) = (
        p.as_dictionary_opt::<Int32Type>(),
        d.as_primitive_opt::<UInt8Type>(),
        f.as_boolean_opt(),
    ) else {
        return Ok(None);
    };
    if dict.keys().null_count() > 0 || dec.null_count() > 0 || flg.null_count() > 0 {
        return Ok(None);
    }
    let Some(values) = dict.values().as_string_opt::<i32>() else {
        return Ok(None);
    };
    // Area × 6 + quintile offset for each (dictionary value, decile 1..10): one table lookup
    // per row. u32::MAX marks an unknown practice.
    let value_area: Vec<u32> = values
        .iter()
        .map(|v| {
            v.and_then(|v| lookup.practice.get(v).copied())
                .unwrap_or(u32::MAX)
        })
        .collect();
    // (dictionary value, decile byte) → output cell, one table lookup per row; u32::MAX
    // marks an unknown practice or a decile outside 1..10 (the slow path then reports the row).
    let cell_of: Vec<u32> = value_area
        .iter()
        .flat_map(|&area| {
            (0i64..256).map(move |d| match quintile_slot(d) {
                Some(q) if area != u32::MAX => area * 6 + q as u32,
                _ => u32::MAX,
            })
        })
        .collect();
    let keys = dict.keys().values();
    let deciles = dec.values();
    let bits = flg.values();
    const CHUNK: usize = 1 << 18;
    let rows = keys.len().min(deciles.len()).min(bits.len());
    let cells = n_areas * 6;
    let partial: Vec<Option<(Vec<u32>, Vec<u32>)>> = (0..rows.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let (start, end) = (c * CHUNK, ((c + 1) * CHUNK).min(rows));
            // u32 counters: a chunk has fewer than 2³² rows.
            let mut persons = vec![0u32; cells];
            let mut cases = vec![0u32; cells];
            let k = keys.get(start..end)?;
            let d = deciles.get(start..end)?;
            let f = bits.slice(start, end - start);
            for ((&k, &d), f) in k.iter().zip(d).zip(f.iter()) {
                let cell = *cell_of.get((k as usize) << 8 | usize::from(d))? as usize;
                *persons.get_mut(cell)? += 1;
                *cases.get_mut(cell)? += u32::from(f);
            }
            Some((persons, cases))
        })
        .collect();
    let mut total = vec![[0u64; 2]; cells];
    for p in partial {
        let Some((persons, cases)) = p else {
            return Ok(None);
        };
        for ((t, n), c) in total.iter_mut().zip(persons).zip(cases) {
            t[0] += u64::from(n);
            t[1] += u64::from(c);
        }
    }
    Ok(Some(total))
}

/// Prevalence by area and deprivation quintile (quintile 1 = most deprived; null = no decile)
/// with Wilson limits, as a percentage. Output columns: `area`, `quintile`, `persons`,
/// `cases`, `value`, limits, `confidence`, `statistic`, `method`, `note`. Areas and
/// quintiles with no persons are left out.
pub fn prevalence_by_quintile(
    batches: &[RecordBatch],
    practice: &str,
    decile: &str,
    flag: &str,
    lookup: &AreaLookup,
    levels: &[Confidence],
) -> Result<RecordBatch, IndicatorError> {
    crate::methods::check_levels(levels)?;
    let n_areas = lookup.areas.len();
    let mut counts = vec![[0u64; 2]; n_areas * 6];
    for batch in batches {
        let part = match count_fast(batch, practice, decile, flag, lookup, n_areas)? {
            Some(part) => part,
            None => {
                let areas = areas_of(batch, practice, lookup)?;
                let deciles = small_ints(batch, decile)?;
                let flags = flags(batch, flag)?;
                count_batch(&areas, &deciles, &flags, n_areas, decile)?
            }
        };
        for (t, c) in counts.iter_mut().zip(part) {
            t[0] += c[0];
            t[1] += c[1];
        }
    }
    let mut area = Vec::new();
    let mut quintile = Vec::new();
    let mut persons = Vec::new();
    let mut cases = Vec::new();
    let mut out = Columns::new(levels.len(), n_areas * 5);
    for (i, c) in counts.iter().enumerate() {
        if c[0] == 0 {
            continue;
        }
        area.push(lookup.areas.get(i / 6).map(String::as_str));
        quintile.push((i % 6 < 5).then_some((i % 6) as u8 + 1));
        persons.push(c[0]);
        cases.push(c[1]);
        proportion_into(c[1] as f64, c[0] as f64, levels, 100.0, &mut out)?;
    }
    let n = area.len();
    let mut columns: Vec<(Field, ArrayRef)> = vec![
        (
            Field::new("area", DataType::Utf8, true),
            Arc::new(StringArray::from(area)),
        ),
        (
            Field::new("quintile", DataType::UInt8, true),
            Arc::new(UInt8Array::from(quintile)),
        ),
        (
            Field::new("persons", DataType::UInt64, false),
            Arc::new(UInt64Array::from(persons)),
        ),
        (
            Field::new("cases", DataType::UInt64, false),
            Arc::new(UInt64Array::from(cases)),
        ),
    ];
    let (value, lower, upper, method, note) = out.into_parts();
    columns.push((
        Field::new("value", DataType::Float64, true),
        Arc::new(Float64Array::from(value)),
    ));
    for (i, (l, u)) in lower.into_iter().zip(upper).enumerate() {
        let (lo, hi) = limit_names(levels, i, "");
        columns.push((
            Field::new(lo, DataType::Float64, true),
            Arc::new(Float64Array::from(l)),
        ));
        columns.push((
            Field::new(hi, DataType::Float64, true),
            Arc::new(Float64Array::from(u)),
        ));
    }
    columns.push((
        Field::new("confidence", DataType::Utf8, false),
        repeated(&confidence_text(levels), n),
    ));
    columns.push((
        Field::new("statistic", DataType::Utf8, false),
        repeated("percentage", n),
    ));
    columns.push((
        Field::new("method", DataType::Utf8, true),
        Arc::new(StringArray::from(method)),
    ));
    columns.push((
        Field::new("note", DataType::Utf8, true),
        crate::table::note_array(note),
    ));
    batch(columns)
}

/// The gap between the most (quintile 1) and least (quintile 5) deprived per area, from a
/// [`prevalence_by_quintile`] table: columns `area`, `most_deprived`, `least_deprived`,
/// `absolute_gap` (Q1 − Q5, percentage points) and `relative_gap` (Q1 ÷ Q5); null where a
/// quintile has no persons or Q5's value is 0.
pub fn deprivation_gap(table: &RecordBatch) -> Result<RecordBatch, IndicatorError> {
    let area = column(table, "area")?
        .as_string_opt::<i32>()
        .ok_or_else(|| IndicatorError::Column {
            column: "area".to_owned(),
            problem: "must be text".to_owned(),
        })?;
    let quintile = column(table, "quintile")?
        .as_primitive_opt::<UInt8Type>()
        .ok_or_else(|| IndicatorError::Column {
            column: "quintile".to_owned(),
            problem: "must be UInt8".to_owned(),
        })?;
    let value = column(table, "value")?
        .as_primitive_opt::<arrow_array::types::Float64Type>()
        .ok_or_else(|| IndicatorError::Column {
            column: "value".to_owned(),
            problem: "must be Float64".to_owned(),
        })?;
    let mut order: Vec<String> = Vec::new();
    let mut ends: HashMap<String, (Option<f64>, Option<f64>)> = HashMap::new();
    for r in 0..table.num_rows() {
        let a = if area.is_valid(r) {
            area.value(r).to_owned()
        } else {
            String::new()
        };
        let e = ends.entry(a.clone()).or_insert_with(|| {
            order.push(a.clone());
            (None, None)
        });
        let v = value.is_valid(r).then(|| value.value(r));
        match quintile.is_valid(r).then(|| quintile.value(r)) {
            Some(1) => e.0 = v,
            Some(5) => e.1 = v,
            _ => {}
        }
    }
    let rows: Vec<(Option<f64>, Option<f64>)> = order
        .iter()
        .map(|a| ends.get(a).copied().unwrap_or((None, None)))
        .collect();
    batch(vec![
        (
            Field::new("area", DataType::Utf8, false),
            Arc::new(StringArray::from(order.clone())),
        ),
        (
            Field::new("most_deprived", DataType::Float64, true),
            Arc::new(Float64Array::from(
                rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            )),
        ),
        (
            Field::new("least_deprived", DataType::Float64, true),
            Arc::new(Float64Array::from(
                rows.iter().map(|r| r.1).collect::<Vec<_>>(),
            )),
        ),
        (
            Field::new("absolute_gap", DataType::Float64, true),
            Arc::new(Float64Array::from(
                rows.iter().map(|r| Some(r.0? - r.1?)).collect::<Vec<_>>(),
            )),
        ),
        (
            Field::new("relative_gap", DataType::Float64, true),
            Arc::new(Float64Array::from(
                rows.iter()
                    .map(|r| {
                        let (q1, q5) = (r.0?, r.1?);
                        (q5 != 0.0).then(|| q1 / q5)
                    })
                    .collect::<Vec<_>>(),
            )),
        ),
    ])
}
