//! Small helpers the table-level tools (disclosure, benchmarking, SPC, overdispersion,
//! standard populations) share: a column by name with an error naming it, a column as floats,
//! the comparable row keys of some columns, and a batch with columns added.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};

use crate::error::IndicatorError;

/// The column `name`, or an error naming it.
pub(crate) fn column<'b>(
    batch: &'b RecordBatch,
    name: &str,
) -> Result<&'b ArrayRef, IndicatorError> {
    batch
        .column_by_name(name)
        .ok_or_else(|| IndicatorError::Column {
            column: name.to_owned(),
            problem: "not in the table".to_owned(),
        })
}

/// A numeric column as floats (any numeric type; NaN and infinities as `None`).
pub(crate) fn floats(batch: &RecordBatch, name: &str) -> Result<Vec<Option<f64>>, IndicatorError> {
    Ok(arrow_cast::cast(column(batch, name)?, &DataType::Float64)?
        .as_primitive::<Float64Type>()
        .iter()
        .map(|v| v.filter(|v| v.is_finite()))
        .collect())
}

/// Each row's key over `names` as comparable bytes (`arrow-row`: equal values compare equal
/// whatever the column's type); no names, one empty key for every row.
pub(crate) fn row_keys(
    batch: &RecordBatch,
    names: &[&str],
) -> Result<Vec<Vec<u8>>, IndicatorError> {
    let n = batch.num_rows();
    if names.is_empty() {
        return Ok(vec![Vec::new(); n]);
    }
    let cols: Vec<ArrayRef> = names
        .iter()
        .map(|c| column(batch, c).cloned())
        .collect::<Result<_, _>>()?;
    let converter = arrow_row::RowConverter::new(
        cols.iter()
            .map(|c| arrow_row::SortField::new(c.data_type().clone()))
            .collect(),
    )?;
    let rows = converter.convert_columns(&cols)?;
    Ok((0..n).map(|i| rows.row(i).as_ref().to_vec()).collect())
}

/// `batch` with `columns` added after its own (nullable).
pub(crate) fn with_columns(
    batch: &RecordBatch,
    columns: Vec<(&str, ArrayRef)>,
) -> Result<RecordBatch, IndicatorError> {
    let mut fields: Vec<Field> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    let mut arrays: Vec<ArrayRef> = batch.columns().to_vec();
    for (name, a) in columns {
        fields.push(Field::new(name, a.data_type().clone(), true));
        arrays.push(a);
    }
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
}

/// The rows of each group of `keys` (from [`row_keys`]), groups in order of first appearance.
pub(crate) fn groups_in_order(keys: &[Vec<u8>]) -> Vec<Vec<usize>> {
    let mut index: std::collections::HashMap<&[u8], usize> = std::collections::HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let next = groups.len();
        let g = *index.entry(k.as_slice()).or_insert(next);
        if g == groups.len() {
            groups.push(Vec::new());
        }
        if let Some(rows) = groups.get_mut(g) {
            rows.push(i);
        }
    }
    groups
}

/// The `names` columns of `batch` at each group's first row: the group columns of a table with
/// one row per group.
pub(crate) fn group_columns(
    batch: &RecordBatch,
    names: &[&str],
    groups: &[Vec<usize>],
) -> Result<Vec<(String, ArrayRef)>, IndicatorError> {
    let firsts = arrow_array::UInt64Array::from_iter_values(
        groups
            .iter()
            .map(|r| r.first().copied().unwrap_or_default() as u64),
    );
    names
        .iter()
        .map(|name| {
            Ok((
                (*name).to_owned(),
                arrow_select::take::take(column(batch, name)?, &firsts, None)?,
            ))
        })
        .collect()
}
