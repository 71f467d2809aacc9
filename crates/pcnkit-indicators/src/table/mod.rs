//! The methods over Arrow: grouped inputs in, one output row per group.
//!
//! Input: any number of `RecordBatch`es with the same schema; columns are named by the caller;
//! numeric columns may be any integer or float type; group columns any non-float type Arrow
//! can compare: text in any layout (plain, large, views, dictionary-encoded with a dictionary
//! per batch, as pandas categoricals and polars enums arrive), integers, dates, booleans,
//! decimals. Age-band labels may likewise be plain, large, view or dictionary text. Output
//! columns, in order (the R package's convention):
//!
//! | column | type | notes |
//! |---|---|---|
//! | group columns | as input | first the grouping keys, in the order given |
//! | inputs | Float64 | the summed numerator/denominator (or count/population, total count) |
//! | `value` | Float64 | null where the method defines none (`note` says why) |
//! | `lowercl`, `uppercl` | Float64 | one level; with several: `lower95_0cl`, `upper95_0cl`, `lower99_8cl`, … |
//! | `confidence` | Utf8 | e.g. `95%, 99.8%` |
//! | `statistic` | Utf8 | e.g. `proportion of 1`, `rate per 100000`, `dsr per 100000` |
//! | `method` | Utf8 | `Wilson`, `Exact`/`Byars` (per row), `Dobson` |
//! | `note` | Utf8, nullable | why a value is null (a null input, fewer than 10 events) |
//!
//! The engine groups in one pass: a row that continues the previous row's group (tables are
//! usually sorted by area) costs one comparison with the previous row; otherwise its key is
//! hashed in place. Plain and large text and integers up to 64 bits are compared in place
//! (hand-written: the DSR benchmark on text keys is where the time goes); every other key
//! type goes through Arrow's row format (`arrow-row`), one converter per key column shared by
//! all batches, so values compare equal across batches whatever their dictionaries. A group is remembered by its first row, so no key is copied, and the
//! output key columns are gathered from the input with Arrow's `interleave` (keeping their
//! type). Methods write straight into the output columns, so no per-group vectors are made.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};

use crate::error::IndicatorError;
use crate::methods::{
    Confidence, CountLimits, DsrSums, ESP2013, MeanSums, Method, Sink, proportion_into, rate_into,
    scaled_into,
};

mod columns;
mod direct;
mod indirect;
mod inequality;
mod pairs;
pub(crate) use columns::*;
pub use direct::*;
pub use indirect::*;
pub use inequality::*;
pub use pairs::*;

pub(crate) fn column<'a>(
    batch: &'a RecordBatch,
    name: &str,
) -> Result<&'a ArrayRef, IndicatorError> {
    batch
        .column_by_name(name)
        .ok_or_else(|| IndicatorError::Column {
            column: name.to_owned(),
            problem: "not in the input".to_owned(),
        })
}

/// The note of a group whose inputs include a null (or NaN) count or population.
pub(crate) const MISSING_INPUT: &str =
    "null count or population in the group: missing is not zero, so no value";

/// A numeric column with nulls.
type Values = Vec<Option<f64>>;

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

/// A numeric column read in place: f64 and i64 (the common cases) without copying, other
/// numeric types converted once.
pub(crate) enum Num<'a> {
    F64(&'a Float64Array),
    I64(&'a Int64Array),
    Other(Vec<Option<f64>>),
}

impl<'a> Num<'a> {
    pub(crate) fn new(batch: &'a RecordBatch, name: &str) -> Result<Self, IndicatorError> {
        let a = column(batch, name)?;
        Ok(match a.data_type() {
            DataType::Float64 => Num::F64(a.as_primitive::<Float64Type>()),
            DataType::Int64 => Num::I64(a.as_primitive::<Int64Type>()),
            _ => Num::Other(numbers(batch, name)?),
        })
    }

    /// The values as a slice when there are no nulls.
    pub(crate) fn dense(&self) -> Option<Dense<'_>> {
        match self {
            Num::F64(a) if a.null_count() == 0 && !a.values().iter().any(|v| v.is_nan()) => {
                Some(Dense::F64(a.values()))
            }
            Num::I64(a) if a.null_count() == 0 => Some(Dense::I64(a.values())),
            _ => None,
        }
    }

    /// The sum of rows `start..end`, `None` if any is null (a slice sum when there are none).
    pub(crate) fn sum(&self, start: usize, end: usize) -> Option<f64> {
        match self {
            Num::F64(a) if a.null_count() == 0 => a
                .values()
                .get(start..end)
                .map(|v| v.iter().sum::<f64>())
                .filter(|s| !s.is_nan()),
            Num::I64(a) if a.null_count() == 0 => a
                .values()
                .get(start..end)
                .map(|v| v.iter().map(|&x| x as f64).sum()),
            _ => (start..end).try_fold(0.0, |acc, r| self.get(r).map(|x| acc + x)),
        }
    }

    /// The value of row `r` (`None` for a null or a row out of range).
    #[inline(always)]
    pub(crate) fn get(&self, r: usize) -> Option<f64> {
        match self {
            // NaN is read as missing, as pandas and R's NA are (documented in the crate docs).
            Num::F64(a) => (r < a.len() && a.is_valid(r))
                .then(|| a.value(r))
                .filter(|v| !v.is_nan()),
            Num::I64(a) => (r < a.len() && a.is_valid(r)).then(|| a.value(r) as f64),
            Num::Other(v) => v.get(r).copied().flatten(),
        }
    }
}

/// Byte-slice equality that stays inline for the short strings keys and labels usually are
/// (a call to memcmp per row costs more than the comparison).
#[inline(always)]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 32 {
        return a == b;
    }
    // Eight bytes at a time, then the tail.
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ta, tb) = (ca.remainder(), cb.remainder());
    ca.zip(cb).all(|(x, y)| {
        let x: [u8; 8] = x.try_into().unwrap_or_default();
        let y: [u8; 8] = y.try_into().unwrap_or_default();
        u64::from_ne_bytes(x) == u64::from_ne_bytes(y)
    }) && ta.iter().zip(tb).all(|(x, y)| x == y)
}

/// A null-free numeric column.
#[derive(Clone, Copy)]
pub(crate) enum Dense<'a> {
    F64(&'a [f64]),
    I64(&'a [i64]),
}

impl Dense<'_> {
    /// Row `r` (NaN past the end, which the methods reject).
    #[inline(always)]
    pub(crate) fn at(self, r: usize) -> f64 {
        match self {
            Dense::F64(v) => v.get(r).copied().unwrap_or(f64::NAN),
            Dense::I64(v) => v.get(r).map(|&x| x as f64).unwrap_or(f64::NAN),
        }
    }
}

/// A grouping column of one batch, read without copying its strings.
enum KeyColumn<'a> {
    Text(&'a StringArray),
    LargeText(&'a arrow_array::LargeStringArray),
    /// Integers up to 32 bits and `Int64` (dates and times are read here too: their values are
    /// integers, and the output keeps their type).
    Int(Vec<Option<i64>>),
    /// Every other type (dictionary-encoded keys such as pandas categoricals and polars enums,
    /// string views, `UInt64`, decimals, booleans, …) in Arrow's row format, made by one
    /// converter per key column for all batches, so equal values have equal bytes even when
    /// each batch has its own dictionary.
    Row(arrow_row::Rows),
}

impl KeyColumn<'_> {
    #[inline]
    fn same(&self, r1: usize, other: &Self, r2: usize) -> bool {
        match (self, other) {
            (KeyColumn::Text(a), KeyColumn::Text(b)) => {
                a.is_valid(r1) == b.is_valid(r2)
                    && same_bytes(a.value(r1).as_bytes(), b.value(r2).as_bytes())
            }
            (KeyColumn::LargeText(a), KeyColumn::LargeText(b)) => {
                a.is_valid(r1) == b.is_valid(r2) && a.value(r1) == b.value(r2)
            }
            (KeyColumn::Int(a), KeyColumn::Int(b)) => a.get(r1) == b.get(r2),
            (KeyColumn::Row(a), KeyColumn::Row(b)) => {
                r1 < a.num_rows() && r2 < b.num_rows() && a.row(r1) == b.row(r2)
            }
            _ => false,
        }
    }

    /// Sets `changed[r]` where row r's value differs from row r − 1's, in one tight pass.
    fn mark_changes(&self, changed: &mut [bool]) {
        fn text<O: arrow_array::OffsetSizeTrait>(
            a: &arrow_array::GenericStringArray<O>,
            changed: &mut [bool],
        ) {
            let offsets = a.value_offsets();
            let data = a.value_data();
            const ROWS: usize = 1 << 15;
            changed
                .par_chunks_mut(ROWS)
                .enumerate()
                .for_each(|(chunk, slots)| {
                    for (j, slot) in slots.iter_mut().enumerate() {
                        let r = chunk * ROWS + j;
                        if r == 0 {
                            continue;
                        }
                        let (Some(p), Some(c), Some(e)) =
                            (offsets.get(r - 1), offsets.get(r), offsets.get(r + 1))
                        else {
                            continue;
                        };
                        let (p, c, e) = (p.as_usize(), c.as_usize(), e.as_usize());
                        match (data.get(p..c), data.get(c..e)) {
                            (Some(x), Some(y)) if same_bytes(x, y) => {}
                            _ => *slot = true,
                        }
                    }
                });
            if a.null_count() > 0 {
                for (r, slot) in changed.iter_mut().enumerate().skip(1) {
                    if a.is_valid(r) != a.is_valid(r - 1) {
                        *slot = true;
                    }
                }
            }
        }
        match self {
            KeyColumn::Text(a) => text(*a, changed),
            KeyColumn::LargeText(a) => text(*a, changed),
            KeyColumn::Int(v) => {
                for (slot, w) in changed.iter_mut().skip(1).zip(v.windows(2)) {
                    if w[0] != w[1] {
                        *slot = true;
                    }
                }
            }
            KeyColumn::Row(rows) => {
                let n = rows.num_rows().min(changed.len());
                for (r, slot) in changed.iter_mut().enumerate().take(n).skip(1) {
                    if rows.row(r) != rows.row(r - 1) {
                        *slot = true;
                    }
                }
            }
        }
    }

    #[inline]
    fn hash(&self, r: usize, h: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        match self {
            KeyColumn::Text(a) => (a.is_valid(r), a.value(r)).hash(h),
            KeyColumn::LargeText(a) => (a.is_valid(r), a.value(r)).hash(h),
            KeyColumn::Int(v) => v.get(r).hash(h),
            KeyColumn::Row(rows) => {
                if r < rows.num_rows() {
                    rows.row(r).as_ref().hash(h)
                }
            }
        }
    }
}

/// How one key column is read: the fast paths for text and small integers, Arrow's row
/// format for every other type.
enum KeyReader {
    Direct,
    Rows(arrow_row::RowConverter),
}

impl KeyReader {
    fn for_type(name: &str, data_type: &DataType) -> Result<Self, IndicatorError> {
        match data_type {
            DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::Date32
            | DataType::Date64 => Ok(KeyReader::Direct),
            // Floats are refused: a group key of 0.1 + 0.2 that is not 0.3 would split a group
            // without saying so. Nested types are not keys a user means.
            DataType::Float16 | DataType::Float32 | DataType::Float64 => {
                Err(IndicatorError::Column {
                    column: name.to_owned(),
                    problem: format!(
                        "cannot group by {data_type}: floating-point keys do not compare reliably"
                    ),
                })
            }
            other => arrow_row::RowConverter::new(vec![arrow_row::SortField::new(other.clone())])
                .map(KeyReader::Rows)
                .map_err(|e| IndicatorError::Column {
                    column: name.to_owned(),
                    problem: format!("cannot group by {other}: {e}"),
                }),
        }
    }

    fn read<'a>(
        &self,
        batch: &'a RecordBatch,
        name: &str,
    ) -> Result<KeyColumn<'a>, IndicatorError> {
        let a = column(batch, name)?;
        if let KeyReader::Rows(converter) = self {
            return converter
                .convert_columns(std::slice::from_ref(a))
                .map(KeyColumn::Row)
                .map_err(|e| IndicatorError::Column {
                    column: name.to_owned(),
                    problem: format!("cannot group by {}: {e}", a.data_type()),
                });
        }
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
            DataType::Date32 => ints!(arrow_array::types::Date32Type),
            DataType::Date64 => KeyColumn::Int(
                a.as_primitive::<arrow_array::types::Date64Type>()
                    .iter()
                    .collect(),
            ),
            other => {
                return Err(IndicatorError::Column {
                    column: name.to_owned(),
                    problem: format!("cannot group by {other}"),
                });
            }
        })
    }
}

/// A run of consecutive rows of one batch in one group.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) group: usize,
}

/// Row → group assignment across batches, groups in order of first appearance, as runs of
/// consecutive rows (a sorted table has one run per group, so sums over a run are slice sums).
pub(crate) struct Grouping {
    /// The first row of each group: (batch, row).
    pub(crate) first: Vec<(usize, usize)>,
    /// For each batch, its runs in row order.
    pub(crate) runs: Vec<Vec<Run>>,
}

impl Grouping {
    /// (row, group) of every row of batch `b`, in order.
    pub(crate) fn rows(&self, b: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.runs
            .get(b)
            .into_iter()
            .flatten()
            .flat_map(|run| (run.start..run.end).map(move |r| (r, run.group)))
    }

    pub(crate) fn len(&self) -> usize {
        self.first.len()
    }

    /// One group per input row (R's proportions and rates without grouping columns).
    fn per_row(batches: &[RecordBatch]) -> Self {
        let mut first = Vec::new();
        let mut runs = Vec::with_capacity(batches.len());
        for (b, batch) in batches.iter().enumerate() {
            let start = first.len();
            first.extend((0..batch.num_rows()).map(|r| (b, r)));
            runs.push(
                (0..batch.num_rows())
                    .map(|r| Run {
                        start: r,
                        end: r + 1,
                        group: start + r,
                    })
                    .collect(),
            );
        }
        Grouping { first, runs }
    }

    /// A readable description of group `g` for error messages (`pcn=U90000`, or the row).
    pub(crate) fn describe(&self, batches: &[RecordBatch], group_by: &[&str], g: usize) -> String {
        let Some(&(b, r)) = self.first.get(g) else {
            return format!("#{g}");
        };
        let Some(batch) = batches.get(b) else {
            return format!("#{g}");
        };
        if group_by.is_empty() {
            // One group per row: name the row (1-based, counting across batches).
            let before: usize = batches.iter().take(b).map(|x| x.num_rows()).sum();
            return format!("row {}", before + r + 1);
        }
        match key_text(batch, group_by, r) {
            Ok(values) => group_by
                .iter()
                .zip(values)
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join(", "),
            Err(_) => format!("#{g}"),
        }
    }
}

/// Every batch gives each key column one type (else keys of different batches cannot be
/// compared).
fn check_one_schema(batches: &[RecordBatch], group_by: &[&str]) -> Result<(), IndicatorError> {
    if let Some(first) = batches.first() {
        for (b, batch) in batches.iter().enumerate().skip(1) {
            for name in group_by {
                let (t0, t1) = (
                    first.column_by_name(name).map(|c| c.data_type().clone()),
                    batch.column_by_name(name).map(|c| c.data_type().clone()),
                );
                if t0 != t1 {
                    return Err(IndicatorError::Column {
                        column: (*name).to_owned(),
                        problem: format!(
                            "batch {b} has type {t1:?}, the first batch {t0:?}: all batches need one schema"
                        ),
                    });
                }
            }
        }
    }
    Ok(())
}

/// Groups the rows of all batches by the key columns.
pub(crate) fn group(
    batches: &[RecordBatch],
    group_by: &[&str],
) -> Result<Grouping, IndicatorError> {
    use std::hash::BuildHasher;
    check_one_schema(batches, group_by)?;
    // One reader per key column for all batches (a row converter must be shared for the
    // rows of different batches to compare).
    let readers: Vec<KeyReader> = match batches.first() {
        Some(first) => group_by
            .iter()
            .map(|name| column(first, name).and_then(|a| KeyReader::for_type(name, a.data_type())))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let columns: Vec<Vec<KeyColumn<'_>>> = batches
        .iter()
        .map(|batch| {
            group_by
                .iter()
                .zip(&readers)
                .map(|(name, reader)| reader.read(batch, name))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<_, _>>()?;
    // Fixed seeds: the output order is first appearance either way.
    let state = ahash::RandomState::with_seeds(1, 2, 3, 4);
    // Hash → first group with that hash; further groups with the same hash (a collision,
    // rare) go in `collisions`, so no vector is allocated per group.
    let mut index: HashMap<u64, usize, ahash::RandomState> =
        HashMap::with_hasher(ahash::RandomState::with_seeds(5, 6, 7, 8));
    let mut collisions: HashMap<u64, Vec<usize>, ahash::RandomState> =
        HashMap::with_hasher(ahash::RandomState::with_seeds(5, 6, 7, 8));
    let mut out = Grouping {
        first: Vec::new(),
        runs: Vec::with_capacity(batches.len()),
    };
    let same = |b1: usize, r1: usize, b2: usize, r2: usize| -> bool {
        match (columns.get(b1), columns.get(b2)) {
            (Some(c1), Some(c2)) => c1.iter().zip(c2).all(|(x, y)| x.same(r1, y, r2)),
            _ => false,
        }
    };
    let mut boundary = Vec::new();
    for (b, batch) in batches.iter().enumerate() {
        let n = batch.num_rows();
        // Where a row's key differs from the previous row's, column by column.
        boundary.clear();
        boundary.resize(n, false);
        if let Some(first) = boundary.first_mut() {
            *first = true;
        }
        for c in columns.get(b).into_iter().flatten() {
            c.mark_changes(&mut boundary);
        }
        let starts = boundary.iter().filter(|c| **c).count();
        index.reserve(starts);
        let mut runs: Vec<Run> = Vec::with_capacity(starts);
        for (r, _) in boundary.iter().enumerate().filter(|(_, changed)| **changed) {
            if let Some(last) = runs.last_mut() {
                last.end = r;
            }
            let mut h = state.build_hasher();
            for c in columns.get(b).into_iter().flatten() {
                c.hash(r, &mut h);
            }
            let hash = std::hash::Hasher::finish(&h);
            let matches = |g: &usize| {
                out.first
                    .get(*g)
                    .is_some_and(|&(b2, r2)| same(b, r, b2, r2))
            };
            let found = match index.get(&hash) {
                Some(g) if matches(g) => Some(*g),
                Some(_) => collisions
                    .get(&hash)
                    .and_then(|v| v.iter().copied().find(|g| matches(g))),
                None => None,
            };
            let id = match found {
                Some(g) => g,
                None => {
                    out.first.push((b, r));
                    let g = out.first.len() - 1;
                    match index.entry(hash) {
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
            runs.push(Run {
                start: r,
                end: n,
                group: id,
            });
        }
        out.runs.push(runs);
    }
    Ok(out)
}

/// The output key columns: each group's first row gathered from the input, type kept.
pub(crate) fn key_columns(
    batches: &[RecordBatch],
    grouping: &Grouping,
    group_by: &[&str],
) -> Result<Vec<(Field, ArrayRef)>, IndicatorError> {
    let mut out = Vec::with_capacity(group_by.len());
    for name in group_by {
        let arrays: Vec<&dyn Array> = batches
            .iter()
            .map(|b| column(b, name).map(|a| a.as_ref()))
            .collect::<Result<_, _>>()?;
        let field = batches
            .first()
            .and_then(|b| b.schema().field_with_name(name).ok().cloned())
            .unwrap_or_else(|| Field::new(*name, DataType::Utf8, true));
        let array = if arrays.is_empty() {
            arrow_array::new_empty_array(field.data_type())
        } else {
            arrow_select::interleave::interleave(&arrays, &grouping.first)
                .map_err(|e| IndicatorError::Arrow(e.to_string()))?
        };
        out.push((field, array));
    }
    Ok(out)
}
