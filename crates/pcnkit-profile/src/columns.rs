//! Reading the columns of a method's output table inside the profile. The methods' schemas are
//! the indicator crate's documented, snapshot-tested contract; a column that is missing or of
//! another type here is a defect, so it is an error, never an empty column.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt8Type, UInt64Type};
use arrow_array::{Array, RecordBatch};

use crate::ProfileError;

fn column<'b>(batch: &'b RecordBatch, name: &str) -> Result<&'b dyn Array, ProfileError> {
    batch
        .column_by_name(name)
        .map(|c| c.as_ref())
        .ok_or_else(|| {
            ProfileError::Data(format!("internal: a method's table has no {name} column"))
        })
}

fn wrong(name: &str, array: &dyn Array) -> ProfileError {
    ProfileError::Data(format!(
        "internal: column {name} is {}, not a number",
        array.data_type()
    ))
}

/// A numeric column as floats (nulls and NaN as `None`).
pub(crate) fn floats(batch: &RecordBatch, name: &str) -> Result<Vec<Option<f64>>, ProfileError> {
    let c = column(batch, name)?;
    let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
    if let Some(a) = c.as_primitive_opt::<Float64Type>() {
        return Ok(a.iter().map(finite).collect());
    }
    if let Some(a) = c.as_primitive_opt::<UInt64Type>() {
        return Ok(a.iter().map(|v| v.map(|v| v as f64)).collect());
    }
    if let Some(a) = c.as_primitive_opt::<Int64Type>() {
        return Ok(a.iter().map(|v| v.map(|v| v as f64)).collect());
    }
    if let Some(a) = c.as_primitive_opt::<UInt8Type>() {
        return Ok(a.iter().map(|v| v.map(f64::from)).collect());
    }
    Err(wrong(name, c))
}

/// A small whole-number column (the quintile numbers).
pub(crate) fn small(batch: &RecordBatch, name: &str) -> Result<Vec<Option<u8>>, ProfileError> {
    let c = column(batch, name)?;
    c.as_primitive_opt::<UInt8Type>()
        .map(|a| a.iter().collect())
        .ok_or_else(|| wrong(name, c))
}

/// A text column (nulls as `None`).
pub(crate) fn texts(batch: &RecordBatch, name: &str) -> Result<Vec<Option<String>>, ProfileError> {
    let c = column(batch, name)?;
    c.as_string_opt::<i32>()
        .map(|a| a.iter().map(|v| v.map(str::to_owned)).collect())
        .ok_or_else(|| {
            ProfileError::Data(format!(
                "internal: column {name} is {}, not text",
                c.data_type()
            ))
        })
}
