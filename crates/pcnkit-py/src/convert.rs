//! Arrow across the boundary, and the column types Python users expect.

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_pyarrow::{FromPyArrow, PyArrowType, Table};
use arrow_schema::DataType;
use pcnkit_core::Money;
use pyo3::prelude::*;

use crate::error::{Failure, InvalidArgument};

/// The batches of any object with `__arrow_c_stream__` (pyarrow Table or RecordBatchReader,
/// polars DataFrame, pandas DataFrame from 2.2). Column buffers are shared, not copied: string
/// views, large strings and dictionaries (categoricals) go to the methods as they are, which
/// read every layout. A table with no batches becomes one empty batch, so its schema still
/// reaches the methods.
pub fn batches_in(data: &Bound<'_, PyAny>) -> PyResult<Vec<RecordBatch>> {
    let table = Table::from_pyarrow_bound(data).map_err(|e| {
        InvalidArgument::new_err(format!(
            "data: expected an Arrow table (pyarrow, polars or pandas): {e}"
        ))
    })?;
    let (batches, schema) = table.into_inner();
    let batches = if batches.is_empty() {
        vec![RecordBatch::new_empty(schema)]
    } else {
        batches
    };
    Ok(batches)
}

/// A batch as a `pyarrow.Table`.
pub fn table_out(batch: RecordBatch) -> PyResult<PyArrowType<Table>> {
    let schema = batch.schema();
    Table::try_new(vec![batch], schema)
        .map(PyArrowType)
        .map_err(|e| crate::error::PcnkitError::new_err(e.to_string()))
}

/// A batch from named columns.
pub fn batch(columns: Vec<(&str, ArrayRef)>) -> Result<RecordBatch, Failure> {
    RecordBatch::try_from_iter(columns).map_err(|e| Failure::Internal(e.to_string()))
}

/// Money as `decimal128(38, 18)` (see `pcnkit_core::arrow::money_array`).
pub fn money_column(values: &[Option<Money>]) -> Result<ArrayRef, Failure> {
    pcnkit_core::arrow::money_array(values).map_err(|e| Failure::Internal(e.to_string()))
}

/// The named columns of a batch as text (numbers in their shortest exact decimal form, dates
/// as `YYYY-MM-DD`, midnight timestamps as their date), `None` for absent ones; the first
/// `required` names must be present.
pub fn text_columns<'a>(
    batch: &RecordBatch,
    names: &[&'a str],
    required: usize,
) -> Result<Vec<(&'a str, Option<StringArray>)>, Failure> {
    let mut out = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let Some(column) = batch.column_by_name(name) else {
            if i < required {
                return Err(Failure::Data {
                    message: format!(
                        "no column {name} (the columns are {})",
                        batch
                            .schema()
                            .fields()
                            .iter()
                            .map(|f| f.name().as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    file: None,
                    row: None,
                    field: Some((*name).to_owned()),
                });
            }
            out.push((*name, None));
            continue;
        };
        let text = arrow_cast::cast(column, &DataType::Utf8).map_err(|e| Failure::Data {
            message: format!("column {name}: {e}"),
            file: None,
            row: None,
            field: Some((*name).to_owned()),
        })?;
        let mut strings = text.as_string::<i32>().clone();
        if matches!(column.data_type(), DataType::Timestamp(..)) {
            strings = strings
                .iter()
                .map(|v| v.map(|s| s.strip_suffix("T00:00:00").unwrap_or(s)))
                .collect();
        }
        out.push((*name, Some(strings)));
    }
    Ok(out)
}

/// A cell of a text column, `None` when null.
pub fn cell(a: &StringArray, row: usize) -> Option<&str> {
    (row < a.len() && a.is_valid(row)).then(|| a.value(row))
}

/// A table as CSV text (its cells as [`text_columns`] gives them), so it goes through the
/// crates' located readers like a file: row `i` (0-based) of the table is line `i + 2`.
pub fn table_as_csv(batches: &[RecordBatch]) -> Result<Vec<u8>, Failure> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Failure::Internal(e.to_string());
    let Some(first) = batches.first() else {
        return Ok(Vec::new());
    };
    let names: Vec<String> = first
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    out.write_record(&names).map_err(fail)?;
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    for b in batches {
        let cols = text_columns(b, &refs, 0)?;
        for row in 0..b.num_rows() {
            out.write_record(
                cols.iter()
                    .map(|(_, a)| a.as_ref().and_then(|a| cell(a, row)).unwrap_or("")),
            )
            .map_err(fail)?;
        }
    }
    out.into_inner()
        .map_err(|e| Failure::Internal(e.to_string()))
}
