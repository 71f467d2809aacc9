//! The methods over Arrow: grouped inputs in, one output row per group.
//!
//! Input: any number of `RecordBatch`es with the same schema; columns are named by the caller;
//! numeric columns may be any integer or float type; group columns Utf8/LargeUtf8, dictionary
//! or integers. Output columns, in order (the R package's convention):
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
//! hashed in place. A group is remembered by its first row, so no key is copied, and the
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

mod inequality;
pub use inequality::*;

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
    /// Integers, and dictionary-encoded columns by their keys (the dictionary of each batch is
    /// resolved to the first occurrence of each value, so equal values have equal keys).
    Int(Vec<Option<i64>>),
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
        }
    }

    #[inline]
    fn hash(&self, r: usize, h: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        match self {
            KeyColumn::Text(a) => (a.is_valid(r), a.value(r)).hash(h),
            KeyColumn::LargeText(a) => (a.is_valid(r), a.value(r)).hash(h),
            KeyColumn::Int(v) => v.get(r).hash(h),
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

/// Groups the rows of all batches by the key columns.
pub(crate) fn group(
    batches: &[RecordBatch],
    group_by: &[&str],
) -> Result<Grouping, IndicatorError> {
    use std::hash::BuildHasher;
    let columns: Vec<Vec<KeyColumn<'_>>> = batches
        .iter()
        .map(|batch| {
            group_by
                .iter()
                .map(|g| key_column(batch, g))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<_, _>>()?;
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

/// The output columns of a method, written group by group.
pub(crate) struct Columns {
    value: Vec<Option<f64>>,
    lower: Vec<Vec<Option<f64>>>,
    upper: Vec<Vec<Option<f64>>>,
    method: Vec<Option<&'static str>>,
    /// Why a value is null (or how to read it). Mostly fixed texts; a bad group's own
    /// message (naming what is wrong with it) is owned.
    note: Vec<Option<Cow<'static, str>>>,
}

impl Columns {
    pub(crate) fn new(levels: usize, capacity: usize) -> Self {
        Columns {
            value: Vec::with_capacity(capacity),
            lower: (0..levels).map(|_| Vec::with_capacity(capacity)).collect(),
            upper: (0..levels).map(|_| Vec::with_capacity(capacity)).collect(),
            method: Vec::with_capacity(capacity),
            note: Vec::with_capacity(capacity),
        }
    }

    /// The columns: value, lower and upper limits per level, method, note.
    #[allow(clippy::type_complexity)]
    pub(crate) fn into_parts(
        self,
    ) -> (
        Vec<Option<f64>>,
        Vec<Vec<Option<f64>>>,
        Vec<Vec<Option<f64>>>,
        Vec<Option<&'static str>>,
        Vec<Option<Cow<'static, str>>>,
    ) {
        (self.value, self.lower, self.upper, self.method, self.note)
    }

    /// A group with no value: null value and limits, and why.
    pub(crate) fn null(&mut self, note: &'static str) {
        self.null_owned(Cow::Borrowed(note));
    }

    /// A group with no value, and a reason made for it (a bad group's error).
    pub(crate) fn null_owned(&mut self, note: impl Into<Cow<'static, str>>) {
        self.value.push(None);
        self.method.push(None);
        self.note.push(Some(note.into()));
        for (l, u) in self.lower.iter_mut().zip(&mut self.upper) {
            l.push(None);
            u.push(None);
        }
    }
}

impl Sink for Columns {
    fn point(&mut self, value: Option<f64>, method: Method, note: Option<&'static str>) {
        self.value.push(value);
        self.method.push(Some(method.as_str()));
        self.note.push(note.map(Cow::Borrowed));
    }

    fn limits(&mut self, level: usize, lower: Option<f64>, upper: Option<f64>) {
        if let (Some(l), Some(u)) = (self.lower.get_mut(level), self.upper.get_mut(level)) {
            l.push(lower);
            u.push(upper);
        }
    }
}

/// The rule on bad groups (see the crate docs): a group whose data is wrong gets nulls and
/// the reason, but when no group could be computed for such a reason the input is wrong for
/// every group, and that is an error naming the first.
pub(crate) fn every_group_bad(
    bad: &[Option<String>],
    grouping: &Grouping,
    batches: &[RecordBatch],
    group_by: &[&str],
) -> Result<(), IndicatorError> {
    if bad.is_empty() || bad.iter().any(Option::is_none) {
        return Ok(());
    }
    let first = bad.first().cloned().flatten().unwrap_or_default();
    Err(IndicatorError::Invalid(format!(
        "no group could be computed: {first} (in {}{})",
        grouping.describe(batches, group_by, 0),
        if bad.len() > 1 {
            ", the first of them"
        } else {
            ""
        }
    )))
}

/// A group's data error as its note: the problem without the error's framing.
pub(crate) fn group_problem(e: &IndicatorError) -> String {
    match e {
        IndicatorError::Invalid(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The `note` column.
pub(crate) fn note_array(notes: Vec<Option<Cow<'static, str>>>) -> ArrayRef {
    Arc::new(notes.iter().map(|n| n.as_deref()).collect::<StringArray>())
}

/// A text column of one repeated value, built without a string per row.
pub(crate) fn repeated(text: &str, n: usize) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(std::iter::repeat_n(text, n)))
}

/// The names of the limit columns for level `i` of `levels`.
pub(crate) fn limit_names(levels: &[Confidence], i: usize, prefix: &str) -> (String, String) {
    match levels.get(i) {
        Some(level) if levels.len() > 1 => (
            format!("{prefix}lower{}cl", level.label()),
            format!("{prefix}upper{}cl", level.label()),
        ),
        _ => (format!("{prefix}lowercl"), format!("{prefix}uppercl")),
    }
}

/// The confidence column's text: `95%, 99.8%`.
pub(crate) fn confidence_text(levels: &[Confidence]) -> String {
    if levels.is_empty() {
        // No interval was asked for (R's `confidence = NULL`).
        return "none".to_owned();
    }
    levels
        .iter()
        .map(|c| c.percent())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn batch(columns: Vec<(Field, ArrayRef)>) -> Result<RecordBatch, IndicatorError> {
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = columns.into_iter().unzip();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|e| IndicatorError::Arrow(e.to_string()))
}

fn finish(
    mut columns: Vec<(Field, ArrayRef)>,
    inputs: Vec<(&str, Vec<Option<f64>>)>,
    out: Columns,
    levels: &[Confidence],
    statistic: String,
) -> Result<RecordBatch, IndicatorError> {
    for (name, values) in inputs {
        columns.push((
            Field::new(name, DataType::Float64, true),
            Arc::new(Float64Array::from(values)),
        ));
    }
    let n = out.value.len();
    columns.push((
        Field::new("value", DataType::Float64, true),
        Arc::new(Float64Array::from(out.value)),
    ));
    for (i, (lower, upper)) in out.lower.into_iter().zip(out.upper).enumerate() {
        let (lo, hi) = limit_names(levels, i, "");
        columns.push((
            Field::new(lo, DataType::Float64, true),
            Arc::new(Float64Array::from(lower)),
        ));
        columns.push((
            Field::new(hi, DataType::Float64, true),
            Arc::new(Float64Array::from(upper)),
        ));
    }
    columns.push((
        Field::new("confidence", DataType::Utf8, false),
        repeated(&confidence_text(levels), n),
    ));
    columns.push((
        Field::new("statistic", DataType::Utf8, false),
        repeated(&statistic, n),
    ));
    columns.push((
        Field::new("method", DataType::Utf8, true),
        Arc::new(StringArray::from(out.method)),
    ));
    columns.push((
        Field::new("note", DataType::Utf8, true),
        note_array(out.note),
    ));
    batch(columns)
}

pub(crate) fn describe_multiplier(m: f64) -> String {
    if m.fract() == 0.0 && m.abs() < 1e15 {
        format!("{}", m as i64)
    } else {
        m.to_string()
    }
}

/// Sums of two columns per group (a null makes its group's sum null, as R's `sum` does); with
/// no group columns, one group per row.
fn grouped_pair(
    batches: &[RecordBatch],
    a: &str,
    b: &str,
    group_by: &[&str],
) -> Result<(Grouping, [Values; 2]), IndicatorError> {
    let grouping = if group_by.is_empty() {
        Grouping::per_row(batches)
    } else {
        group(batches, group_by)?
    };
    let n = grouping.len();
    let mut sums = [vec![Some(0.0); n], vec![Some(0.0); n]];
    for (i, batch) in batches.iter().enumerate() {
        for (name, target) in [a, b].into_iter().zip(sums.iter_mut()) {
            let values = Num::new(batch, name)?;
            let runs = grouping.runs.get(i).map(Vec::as_slice).unwrap_or_default();
            match values.dense() {
                // No nulls: plain slice sums per run.
                Some(Dense::I64(v)) => {
                    for run in runs {
                        let part: f64 = v
                            .get(run.start..run.end)
                            .map(|s| s.iter().map(|&x| x as f64).sum())
                            .unwrap_or(f64::NAN);
                        if let Some(Some(acc)) = target.get_mut(run.group) {
                            *acc += part;
                        }
                    }
                }
                Some(Dense::F64(v)) => {
                    for run in runs {
                        let part: f64 = v
                            .get(run.start..run.end)
                            .map(|s| s.iter().sum())
                            .unwrap_or(f64::NAN);
                        if let Some(Some(acc)) = target.get_mut(run.group) {
                            *acc += part;
                        }
                    }
                }
                None => {
                    for run in runs {
                        if let Some(slot) = target.get_mut(run.group) {
                            *slot = match (*slot, values.sum(run.start, run.end)) {
                                (Some(acc), Some(x)) => Some(acc + x),
                                _ => None,
                            };
                        }
                    }
                }
            }
        }
    }
    Ok((grouping, sums))
}

/// A method applied to summed pairs (proportions, rates).
#[allow(clippy::too_many_arguments)]
fn pair_table(
    batches: &[RecordBatch],
    a: &str,
    b: &str,
    group_by: &[&str],
    levels: &[Confidence],
    statistic: String,
    null_note: &'static str,
    mut method: impl FnMut(f64, f64, &mut Columns) -> Result<(), IndicatorError>,
) -> Result<RecordBatch, IndicatorError> {
    crate::methods::check_levels(levels)?;
    let (grouping, [xs, ns]) = grouped_pair(batches, a, b, group_by)?;
    let mut out = Columns::new(levels.len(), xs.len());
    let mut bad: Vec<Option<String>> = Vec::with_capacity(xs.len());
    for (x, n) in xs.iter().zip(&ns) {
        match (x, n) {
            // The options were checked before: an error here is this group's data (a negative
            // count, a numerator above its denominator), so the group alone is null.
            (Some(x), Some(n)) => match method(*x, *n, &mut out) {
                Ok(()) => bad.push(None),
                Err(e) => {
                    let why = group_problem(&e);
                    out.null_owned(why.clone());
                    bad.push(Some(why));
                }
            },
            _ => {
                out.null(null_note);
                bad.push(None);
            }
        }
    }
    every_group_bad(&bad, &grouping, batches, group_by)?;
    // Without grouping columns each row is its own group (as R's methods return the input
    // with columns added): the row's other columns stay in the output to say which it is.
    let names: Vec<String> = if group_by.is_empty() {
        batches
            .first()
            .map(|batch| {
                batch
                    .schema()
                    .fields()
                    .iter()
                    .map(|f| f.name().clone())
                    .filter(|n| n != a && n != b)
                    .collect()
            })
            .unwrap_or_default()
    } else {
        group_by.iter().map(|g| (*g).to_owned()).collect()
    };
    let group_by: Vec<&str> = names.iter().map(String::as_str).collect();
    let keys = key_columns(batches, &grouping, &group_by)?;
    finish(keys, vec![(a, xs), (b, ns)], out, levels, statistic)
}

/// The text columns, other than `keys`, that take more than one value within some group of
/// `keys`, each with up to three of its values: summing within those groups would add rows that
/// measure different things (seven conditions' populations added into one, say). Front ends
/// refuse such input and name the column.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{RecordBatch, StringArray, UInt64Array};
/// let b = RecordBatch::try_from_iter([
///     ("pcn", Arc::new(StringArray::from(vec!["A", "A"])) as _),
///     ("measure", Arc::new(StringArray::from(vec!["diabetes", "copd"])) as _),
///     ("count", Arc::new(UInt64Array::from(vec![1, 2])) as _),
/// ])?;
/// let v = pcnkit_indicators::varying_text_columns(&[b], &["pcn"])?;
/// assert_eq!(v, vec![("measure".to_owned(), vec!["diabetes".to_owned(), "copd".to_owned()])]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn varying_text_columns(
    batches: &[RecordBatch],
    keys: &[&str],
) -> Result<Vec<(String, Vec<String>)>, IndicatorError> {
    let Some(first) = batches.first() else {
        return Ok(Vec::new());
    };
    let grouping = group(batches, keys)?;
    let mut out = Vec::new();
    for field in first.schema().fields() {
        let name = field.name().as_str();
        if keys.contains(&name) || !matches!(field.data_type(), DataType::Utf8) {
            continue;
        }
        let mut seen: Vec<Option<Option<String>>> = vec![None; grouping.len()];
        let mut examples: Vec<String> = Vec::new();
        for (b, batch) in batches.iter().enumerate() {
            let Some(col) = batch
                .column_by_name(name)
                .and_then(|c| c.as_any().downcast_ref::<StringArray>())
            else {
                continue;
            };
            for (r, g) in grouping.rows(b) {
                let v = col.is_valid(r).then(|| col.value(r).to_owned());
                match seen.get_mut(g) {
                    Some(slot @ None) => *slot = Some(v),
                    Some(Some(prev)) if *prev != v => {
                        for x in [prev.clone(), v] {
                            let x = x.unwrap_or_else(|| "(null)".to_owned());
                            if examples.len() < 3 && !examples.contains(&x) {
                                examples.push(x);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        if !examples.is_empty() {
            out.push((name.to_owned(), examples));
        }
    }
    Ok(out)
}

/// Sums numeric columns within groups (keys in order of first appearance): the step before a
/// DSR when the data has several rows per group and age band (practices within a PCN, sexes
/// within a band). A null in a group makes its sum null.
pub fn sum_by(
    batches: &[RecordBatch],
    keys: &[&str],
    values: &[&str],
) -> Result<RecordBatch, IndicatorError> {
    let grouping = group(batches, keys)?;
    let n = grouping.len();
    let mut columns = key_columns(batches, &grouping, keys)?;
    for name in values {
        let mut sums: Vec<Option<f64>> = vec![Some(0.0); n];
        for (b, batch) in batches.iter().enumerate() {
            let v = Num::new(batch, name)?;
            for run in grouping.runs.get(b).into_iter().flatten() {
                if let Some(slot) = sums.get_mut(run.group) {
                    *slot = match (*slot, v.sum(run.start, run.end)) {
                        (Some(a), Some(x)) => Some(a + x),
                        _ => None,
                    };
                }
            }
        }
        columns.push((
            Field::new(*name, DataType::Float64, true),
            Arc::new(Float64Array::from(sums)),
        ));
    }
    batch(columns)
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
    crate::methods::check_multiplier(multiplier)?;
    let statistic = if multiplier == 100.0 {
        "percentage".to_owned()
    } else {
        format!("proportion of {}", describe_multiplier(multiplier))
    };
    pair_table(
        batches,
        numerator,
        denominator,
        group_by,
        levels,
        statistic,
        "null numerator or denominator in the group",
        |x, n, out| proportion_into(x, n, levels, multiplier, out),
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
    crate::methods::check_multiplier(multiplier)?;
    let limits = CountLimits::new(levels);
    pair_table(
        batches,
        count,
        denominator,
        group_by,
        levels,
        format!("rate per {}", describe_multiplier(multiplier)),
        "null count or denominator in the group",
        |x, n, out| rate_into(x, n, &limits, multiplier, out),
    )
}

/// Means with Student's t limits per group (group columns required, as R's `phe_mean`).
/// A null value makes its group's mean null with a note (R counts NA in the length, so its
/// mean is NA too); one value gives a mean without limits.
pub fn mean_table(
    batches: &[RecordBatch],
    value: &str,
    group_by: &[&str],
    levels: &[Confidence],
) -> Result<RecordBatch, IndicatorError> {
    crate::methods::check_levels(levels)?;
    let grouping = group(batches, group_by)?;
    let n = grouping.len();
    let mut sums: Vec<Option<MeanSums>> = vec![Some(MeanSums::default()); n];
    for (b, batch) in batches.iter().enumerate() {
        let values = Num::new(batch, value)?;
        for (r, g) in grouping.rows(b) {
            if let Some(slot) = sums.get_mut(g) {
                match (slot.as_mut(), values.get(r)) {
                    (Some(s), Some(v)) => s.add(v)?,
                    _ => *slot = None,
                }
            }
        }
    }
    let mut out = Columns::new(levels.len(), n);
    let mut counts = Vec::with_capacity(n);
    let mut totals = Vec::with_capacity(n);
    let mut stdevs = Vec::with_capacity(sums.len());
    // t quantiles per distinct group size: inverting the t distribution is the costly part.
    let mut t_cache: HashMap<u64, Vec<f64>> = HashMap::new();
    for s in &sums {
        match s {
            Some(s) => {
                counts.push(Some(s.count()));
                totals.push(Some(s.sum()));
                stdevs.push(s.stdev());
                if s.count() < 2.0 {
                    s.estimate_into(levels, &mut out)?;
                } else {
                    let key = s.count() as u64;
                    let t = match t_cache.get(&key) {
                        Some(t) => t,
                        None => t_cache
                            .entry(key)
                            .or_insert(crate::methods::t_quantiles(s.count(), levels)?),
                    };
                    s.estimate_with(t, &mut out);
                }
            }
            None => {
                counts.push(None);
                totals.push(None);
                stdevs.push(None);
                out.null("null value in the group");
            }
        }
    }
    let keys = key_columns(batches, &grouping, group_by)?;
    finish(
        keys,
        vec![
            ("value_sum", totals),
            ("value_count", counts),
            ("stdev", stdevs),
        ],
        out,
        levels,
        "mean".to_owned(),
    )
}

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

/// Indirectly standardised ratios or rates per group: expected = Σ reference count /
/// reference population × population over the group's rows; exact limits below 10 observed
/// events, Byar's from 10; 0 events give 0 with a finite upper limit, as R does. A null (or
/// NaN) count, population or reference count makes its group's value null with a note:
/// missing is not zero, so it never gives a silently smaller sum.
#[allow(clippy::too_many_arguments)]
pub fn isr_table(
    batches: &[RecordBatch],
    count: &str,
    population: &str,
    reference_count: &str,
    reference_population: &str,
    group_by: &[&str],
    levels: &[Confidence],
    kind: Indirect,
) -> Result<RecordBatch, IndicatorError> {
    isr_table_observed(
        batches,
        Observed::Counts(count),
        population,
        reference_count,
        reference_population,
        group_by,
        levels,
        kind,
    )
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
fn key_text(
    batch: &RecordBatch,
    group_by: &[&str],
    row: usize,
) -> Result<Vec<String>, IndicatorError> {
    group_by
        .iter()
        .map(|name| {
            let a = column(batch, name)?;
            let f = arrow_cast::display::ArrayFormatter::try_new(a.as_ref(), &Default::default())
                .map_err(|e| IndicatorError::Arrow(e.to_string()))?;
            Ok(f.value(row).to_string())
        })
        .collect()
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
        for r in 0..batch.num_rows() {
            let key = key_text(batch, group_by, r)?;
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
            if out.insert(key.clone(), v).is_some() {
                return Err(IndicatorError::Column {
                    column: total.to_owned(),
                    problem: format!("two observed totals for {}", key.join(", ")),
                });
            }
        }
    }
    Ok(out)
}

/// [`isr_table`] with the observed events from a count column or a table of totals.
#[allow(clippy::too_many_arguments)]
pub fn isr_table_observed(
    batches: &[RecordBatch],
    observed: Observed<'_>,
    population: &str,
    reference_count: &str,
    reference_population: &str,
    group_by: &[&str],
    levels: &[Confidence],
    kind: Indirect,
) -> Result<RecordBatch, IndicatorError> {
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
        for (g, ((s, gone), why)) in sums.iter_mut().zip(&mut missing).zip(&mut bad).enumerate() {
            let Some(&(b, r)) = grouping.first.get(g) else {
                continue;
            };
            let Some(batch) = batches.get(b) else {
                continue;
            };
            match totals.get(&key_text(batch, group_by, r)?) {
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
    /// A standard population per row, with the age band that identifies each stratum (needed
    /// with [`dsr_table_events`], where a stratum comes once per event frequency).
    ColumnWithBands {
        /// The standard population column.
        weight: &'a str,
        /// The age-band column (any labels).
        age_band: &'a str,
    },
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
    dsr_engine(
        batches, count, population, None, standard, group_by, levels, multiplier,
    )
}

/// DSRs for events that a person can have more than once (R's `independent_events = FALSE`):
/// each row holds the number of `persons` with `frequency` events in one age band of a group
/// (every band once per frequency). Counts are frequency × persons; the variance adds
/// frequency² × persons, so the limits widen for repeated events (method "Dobson, with
/// confidence adjusted for non-independent events"). The Python port has no such option.
#[allow(clippy::too_many_arguments)]
pub fn dsr_table_events(
    batches: &[RecordBatch],
    persons: &str,
    frequency: &str,
    population: &str,
    standard: Standard<'_>,
    group_by: &[&str],
    levels: &[Confidence],
    multiplier: f64,
) -> Result<RecordBatch, IndicatorError> {
    if let Standard::Column(_) = standard {
        return Err(IndicatorError::Invalid(
            "non-independent events need the age band of each row: use Standard::Esp2013 or Standard::ColumnWithBands".to_owned(),
        ));
    }
    dsr_engine(
        batches,
        persons,
        population,
        Some(frequency),
        standard,
        group_by,
        levels,
        multiplier,
    )
}

/// Looks up age-band labels. Labels repeat in a cycle (every area lists the same bands in the
/// same order), so the band after the previous one is tried first, then the few labels seen.
struct BandLookup<'a> {
    /// (label packed into a u64 when it has at most 8 bytes, label, band index)
    seen: Vec<(Option<u64>, &'a str, usize)>,
    last: usize,
    esp: bool,
}

/// A label of at most 8 bytes as one integer (with its length), so comparing two short
/// labels is one integer comparison rather than a call to memcmp.
#[inline]
fn pack(label: &str) -> Option<u64> {
    let bytes = label.as_bytes();
    (bytes.len() <= 7).then(|| {
        let mut k = bytes.len() as u64;
        for &b in bytes {
            k = (k << 8) | u64::from(b);
        }
        k
    })
}

impl<'a> BandLookup<'a> {
    fn new(esp: bool) -> Self {
        BandLookup {
            seen: Vec::with_capacity(20),
            last: 0,
            esp,
        }
    }

    #[inline(always)]
    fn index(&mut self, label: &'a str, column: &str) -> Result<usize, IndicatorError> {
        let next = if self.last + 1 < self.seen.len() {
            self.last + 1
        } else {
            0
        };
        let same =
            |entry: &(Option<u64>, &str, usize)| same_bytes(entry.1.as_bytes(), label.as_bytes());
        if let Some(entry) = self.seen.get(next)
            && same(entry)
        {
            self.last = next;
            return Ok(entry.2);
        }
        if let Some(k) = self.seen.iter().position(same) {
            self.last = k;
            return Ok(self.seen[k].2);
        }
        let i = if self.esp {
            let band: pcnkit_core::AgeBand =
                label
                    .parse()
                    .map_err(|e: pcnkit_core::CoreError| IndicatorError::Column {
                        column: column.to_owned(),
                        problem: e.to_string(),
                    })?;
            pcnkit_core::AgeBandScheme::esp2013()
                .bands()
                .iter()
                .position(|b| *b == band)
                .ok_or_else(|| IndicatorError::Column {
                    column: column.to_owned(),
                    problem: format!(
                        "{band} is not one of the 19 ESP2013 bands (0-4, 5-9, …, 85-89, 90+)"
                    ),
                })?
        } else {
            self.seen.len()
        };
        self.seen.push((pack(label), label, i));
        self.last = self.seen.len() - 1;
        Ok(i)
    }
}

fn labels<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a StringArray, IndicatorError> {
    column(batch, name)?
        .as_string_opt::<i32>()
        .ok_or_else(|| IndicatorError::Column {
            column: name.to_owned(),
            problem: "must be text age-band labels".to_owned(),
        })
}

#[allow(clippy::too_many_arguments)]
fn dsr_engine(
    batches: &[RecordBatch],
    count: &str,
    population: &str,
    frequency: Option<&str>,
    standard: Standard<'_>,
    group_by: &[&str],
    levels: &[Confidence],
    multiplier: f64,
) -> Result<RecordBatch, IndicatorError> {
    crate::methods::check_levels(levels)?;
    if !(multiplier.is_finite() && multiplier > 0.0) {
        return Err(IndicatorError::Multiplier(multiplier));
    }
    let grouping = group(batches, group_by)?;
    let n = grouping.len();
    let mut sums = vec![DsrSums::default(); n];
    // Groups with a null count: their value is null (missing is not zero).
    let mut missing = vec![false; n];
    // Groups whose data cannot give a DSR (a duplicated or missing band, a negative count,
    // frequency rows of one band that disagree): null with the reason, the others computed.
    let mut bad: Vec<Option<String>> = vec![None; n];
    // With frequencies: each (group, band)'s population and standard population, which
    // every frequency row of the band must repeat.
    let mut band_first: HashMap<(usize, usize), (f64, f64)> = HashMap::new();
    // Which bands each group has (bit i = band i); bands are numbered per label when the
    // standard is a column, so at most 64 distinct labels can be tracked per table.
    let mut seen: Vec<u64> = vec![0; n];
    let esp = matches!(standard, Standard::Esp2013 { .. });
    let band_column = match standard {
        Standard::Esp2013 { age_band } | Standard::ColumnWithBands { age_band, .. } => {
            Some(age_band)
        }
        Standard::Column(_) => None,
    };
    let mut lookup = BandLookup::new(esp);
    for (b, batch) in batches.iter().enumerate() {
        let counts = Num::new(batch, count)?;
        let pops = Num::new(batch, population)?;
        let freqs = frequency.map(|f| Num::new(batch, f)).transpose()?;
        let weights = match standard {
            Standard::Column(c) | Standard::ColumnWithBands { weight: c, .. } => {
                Some(Num::new(batch, c)?)
            }
            Standard::Esp2013 { .. } => None,
        };
        let bands = band_column.map(|b| labels(batch, b)).transpose()?;
        // The common case (ESP2013 bands, one event per person, counts and populations with no
        // nulls): band indices in one pass over the labels, then a tight numeric loop.
        if let (Some(a), Some(name), None, None, Some(c), Some(p)) = (
            bands,
            band_column,
            &freqs,
            &weights,
            counts.dense(),
            pops.dense(),
        ) {
            // Each run's band lookups and sums in one pass, in parallel chunks of runs (each
            // chunk with its own small label cache); merged in order after.
            let runs = grouping.runs.get(b).map(Vec::as_slice).unwrap_or_default();
            // Per run: its group, sums, bands seen, first duplicated row, and any data error.
            #[allow(clippy::type_complexity)]
            let parts: Vec<(usize, DsrSums, u64, usize, Result<(), String>)> = runs
                .par_chunks(512)
                .map(|chunk| {
                    let mut lookup = BandLookup::new(true);
                    let mut out = Vec::with_capacity(chunk.len());
                    for run in chunk {
                        let mut local = DsrSums::default();
                        let mut mask = 0u64;
                        let mut duplicate = usize::MAX;
                        let mut run_sums = || -> Result<(), IndicatorError> {
                            for r in run.start..run.end {
                                if a.is_null(r) {
                                    return Err(IndicatorError::Column {
                                        column: name.to_owned(),
                                        problem: format!("null age band in row {r}"),
                                    });
                                }
                                let i = lookup.index(a.value(r), name)?;
                                let bit = 1u64 << i;
                                if mask & bit != 0 && duplicate == usize::MAX {
                                    duplicate = r;
                                }
                                mask |= bit;
                                let w = ESP2013.get(i).copied().unwrap_or(0.0);
                                local.add(c.at(r), p.at(r), w)?;
                            }
                            Ok(())
                        };
                        let result = run_sums().map_err(|e| group_problem(&e));
                        out.push((run.group, local, mask, duplicate, result));
                    }
                    out
                })
                .collect::<Vec<_>>()
                .into_iter()
                .flatten()
                .collect();
            for (g, local, mask, duplicate, result) in parts {
                let (Some(slot), Some(m), Some(why)) =
                    (sums.get_mut(g), seen.get_mut(g), bad.get_mut(g))
                else {
                    continue;
                };
                if why.is_some() {
                    continue;
                }
                if let Err(e) = result {
                    *why = Some(e);
                    continue;
                }
                if duplicate != usize::MAX || *m & mask != 0 {
                    let r = if duplicate != usize::MAX {
                        duplicate
                    } else {
                        runs.iter()
                            .find(|run| run.group == g)
                            .map(|run| run.start)
                            .unwrap_or(0)
                    };
                    *why = Some(format!("age band {} appears twice", a.value(r)));
                    continue;
                }
                slot.merge(&local);
                *m |= mask;
            }
            continue;
        }
        for run in grouping.runs.get(b).into_iter().flatten() {
            let g = run.group;
            if bad.get(g).is_some_and(Option::is_some) {
                continue;
            }
            // Accumulate the run in locals (registers), then store once.
            let (Some(mut local), Some(mut local_mask)) =
                (sums.get(g).copied(), seen.get(g).copied())
            else {
                continue;
            };
            let mut run_sums = || -> Result<(), IndicatorError> {
                for r in run.start..run.end {
                    let band = match (bands, band_column) {
                        (Some(a), Some(name)) => {
                            if a.is_null(r) {
                                return Err(IndicatorError::Column {
                                    column: name.to_owned(),
                                    problem: format!("null age band in row {r}"),
                                });
                            }
                            let i = lookup.index(a.value(r), name)?;
                            if i >= 64 {
                                return Err(IndicatorError::Column {
                                    column: name.to_owned(),
                                    problem: "more than 64 distinct age bands".to_owned(),
                                });
                            }
                            Some(i)
                        }
                        _ => None,
                    };
                    let w = match (&weights, band) {
                        (Some(wc), _) => wc.get(r).ok_or_else(|| IndicatorError::Column {
                            column: "standard population".to_owned(),
                            problem: format!("null weight in row {r}"),
                        })?,
                        (None, Some(i)) => ESP2013.get(i).copied().unwrap_or(0.0),
                        (None, None) => 0.0,
                    };
                    // A null count is missing, not zero: the group's value becomes null with a note
                    // (a silently smaller rate would look plausible). A null population is an error.
                    let Some(o) = counts.get(r) else {
                        if let Some(m) = missing.get_mut(g) {
                            *m = true;
                        }
                        // The band is present, with an unknown count: it is not a missing band.
                        if let Some(i) = band {
                            local_mask |= 1u64 << i;
                        }
                        continue;
                    };
                    let p = pops.get(r).ok_or_else(|| IndicatorError::Column {
                        column: population.to_owned(),
                        problem: format!("null population in row {r}"),
                    })?;
                    let (s, mask) = (&mut local, &mut local_mask);
                    let new_band = match band {
                        Some(i) => {
                            let bit = 1u64 << i;
                            let new = *mask & bit == 0;
                            *mask |= bit;
                            new
                        }
                        None => true,
                    };
                    let label = || bands.map(|a| a.value(r)).unwrap_or("");
                    match &freqs {
                        None => {
                            if !new_band && band_column.is_some() {
                                return Err(IndicatorError::Invalid(format!(
                                    "age band {} appears twice",
                                    label()
                                )));
                            }
                            s.add(o, p, w)?;
                        }
                        Some(f) => {
                            let f = f.get(r).ok_or_else(|| IndicatorError::Column {
                                column: frequency.unwrap_or("").to_owned(),
                                problem: format!("null event frequency in row {r}"),
                            })?;
                            if let Some(i) = band {
                                // R refuses these too: summing a band's population once per
                                // frequency row would give a figure of any size.
                                let first = *band_first.entry((g, i)).or_insert((p, w));
                                if first != (p, w) {
                                    return Err(IndicatorError::Invalid(format!(
                                        "age band {}: the population and standard population \
                                     must be the same on every frequency row of a band, found \
                                     {} and {} on one row and {p} and {w} on another",
                                        label(),
                                        first.0,
                                        first.1
                                    )));
                                }
                            }
                            s.add_frequency(f, o, p, w, new_band)?;
                        }
                    }
                }
                Ok(())
            };
            let result = run_sums();
            match result {
                Ok(()) => {
                    if let (Some(slot), Some(m)) = (sums.get_mut(g), seen.get_mut(g)) {
                        *slot = local;
                        *m = local_mask;
                    }
                }
                Err(e) => {
                    if let Some(why) = bad.get_mut(g) {
                        *why = Some(group_problem(&e));
                    }
                }
            }
        }
    }
    if let Standard::Esp2013 { .. } = standard {
        for (why, mask) in bad.iter_mut().zip(&seen) {
            if why.is_none() && mask.count_ones() != 19 {
                *why = Some(format!(
                    "has {} of the 19 ESP2013 age bands: every band is needed, with a count \
                     of 0 where there were no events",
                    mask.count_ones()
                ));
            }
        }
    }
    every_group_bad(&bad, &grouping, batches, group_by)?;
    let mut out = Columns::new(levels.len(), n);
    for ((s, gone), why) in sums.iter().zip(&missing).zip(&bad) {
        if let Some(why) = why {
            out.null_owned(why.clone());
        } else if *gone {
            out.null(MISSING_INPUT);
        } else {
            s.estimate_into(levels, multiplier, &mut out);
        }
    }
    let known = |i: usize| {
        !missing.get(i).copied().unwrap_or(true) && bad.get(i).is_some_and(Option::is_none)
    };
    let totals: Vec<Option<f64>> = sums
        .iter()
        .enumerate()
        .map(|(i, s)| known(i).then(|| s.observed()))
        .collect();
    let pops_total: Vec<Option<f64>> = sums
        .iter()
        .enumerate()
        .map(|(i, s)| known(i).then(|| s.population()))
        .collect();
    let keys = key_columns(batches, &grouping, group_by)?;
    finish(
        keys,
        vec![(count, totals), (population, pops_total)],
        out,
        levels,
        format!("dsr per {}", describe_multiplier(multiplier)),
    )
}
