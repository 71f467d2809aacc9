//! Data frames to Arrow batches and back.
//!
//! In: doubles (NA and NaN are missing, as the library reads NaN), integers (NA missing) as
//! 64-bit integers, logicals, character, factors (as their labels) and `Date` (as ISO text).
//! Out: every number as a double (R has no 64-bit integer), text as character, booleans as
//! logical, dates as `Date`, money (Arrow decimals) as exact text: a pound figure is never
//! rounded through a binary fraction on its way to R.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow_schema::DataType;
use extendr_api::prelude::*;

use crate::failure::Failure;

/// Days from 1970-01-01 (R's `Date`) as ISO text.
fn iso_date(days: f64) -> Option<String> {
    if !days.is_finite() {
        return None;
    }
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    #[allow(clippy::cast_possible_truncation)]
    let d = epoch.checked_add_signed(chrono::TimeDelta::try_days(days.floor() as i64)?)?;
    Some(d.format("%Y-%m-%d").to_string())
}

/// One column of a data frame as Arrow (`what` names the frame in errors).
fn column_in(name: &str, col: &Robj, what: &str) -> Result<ArrayRef, Failure> {
    let bad = |kind: &str| Failure::Data {
        message: format!(
            "{what}: column `{name}` is {kind}, not numbers, text, logicals, factors or dates"
        ),
        file: Some(what.to_owned()),
        row: None,
        field: Some(name.to_owned()),
    };
    if col.inherits("factor") {
        let codes = col
            .as_integer_slice()
            .ok_or_else(|| bad("a factor without codes"))?;
        let levels: Vec<String> = col
            .get_attrib("levels")
            .and_then(|l| l.as_string_vector())
            .unwrap_or_default();
        let labels: Vec<Option<&str>> = codes
            .iter()
            .map(|c| {
                usize::try_from(*c)
                    .ok()
                    .and_then(|c| c.checked_sub(1))
                    .and_then(|i| levels.get(i))
                    .map(String::as_str)
            })
            .collect();
        return Ok(Arc::new(StringArray::from(labels)));
    }
    if col.inherits("Date") {
        let days: Vec<f64> = match col.as_real_slice() {
            Some(d) => d.to_vec(),
            None => col
                .as_integer_slice()
                .ok_or_else(|| bad("a date of no known form"))?
                .iter()
                .map(|d| {
                    if *d == i32::MIN {
                        f64::NAN
                    } else {
                        f64::from(*d)
                    }
                })
                .collect(),
        };
        let text: Vec<Option<String>> = days.into_iter().map(iso_date).collect();
        return Ok(Arc::new(StringArray::from(text)));
    }
    match col.rtype() {
        Rtype::Doubles => {
            let v = col.as_real_slice().ok_or_else(|| bad("unreadable"))?;
            Ok(Arc::new(Float64Array::from_iter(
                v.iter().map(|x| (!x.is_nan()).then_some(*x)),
            )))
        }
        Rtype::Integers => {
            let v = col.as_integer_slice().ok_or_else(|| bad("unreadable"))?;
            Ok(Arc::new(Int64Array::from_iter(
                v.iter().map(|x| (*x != i32::MIN).then_some(i64::from(*x))),
            )))
        }
        Rtype::Logicals => {
            let v = col.as_logical_slice().ok_or_else(|| bad("unreadable"))?;
            Ok(Arc::new(BooleanArray::from_iter(v.iter().map(|b| {
                if b.is_na() { None } else { Some(b.is_true()) }
            }))))
        }
        Rtype::Strings => {
            let s = Strings::try_from(col.clone()).map_err(|_| bad("unreadable"))?;
            Ok(Arc::new(StringArray::from_iter(
                s.iter().map(|r| if r.is_na() { None } else { Some(&**r) }),
            )))
        }
        other => Err(bad(&format!("{other:?}"))),
    }
}

/// A data frame (a named list of equal-length columns) as one Arrow batch.
pub(crate) fn batch_in(frame: &List, what: &str) -> Result<RecordBatch, Failure> {
    let names: Vec<String> = frame
        .names()
        .map(|n| n.map(str::to_owned).collect())
        .unwrap_or_default();
    if names.len() != frame.len() || frame.is_empty() {
        return Err(Failure::Argument(format!(
            "{what}: a data frame with named columns"
        )));
    }
    let mut columns = Vec::with_capacity(names.len());
    for (name, (_, col)) in names.iter().zip(frame.iter()) {
        columns.push((name.as_str(), column_in(name, &col, what)?));
    }
    RecordBatch::try_from_iter(columns).map_err(|e| Failure::Argument(format!("{what}: {e}")))
}

/// A data frame as CSV text, each cell as R would print it exactly (doubles in their shortest
/// round-trip form, so 0.6 is "0.6"), for the library's readers, whose one input is a table.
pub(crate) fn csv_of(frame: &List, what: &str) -> Result<Vec<u8>, Failure> {
    let batch = batch_in(frame, what)?;
    let fail = |e: csv::Error| Failure::Internal(e.to_string());
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(
        batch
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str()),
    )
    .map_err(fail)?;
    let cells: Vec<Vec<Option<String>>> = batch.columns().iter().map(texts).collect();
    for row in 0..batch.num_rows() {
        out.write_record(cells.iter().map(|c| c[row].as_deref().unwrap_or("")))
            .map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| Failure::Internal(e.to_string()))
}

fn texts(c: &ArrayRef) -> Vec<Option<String>> {
    (0..c.len())
        .map(|i| {
            if c.is_null(i) {
                return None;
            }
            match c.data_type() {
                DataType::Float64 => Some(format!("{}", c.as_primitive::<Float64Type>().value(i))),
                DataType::Int64 => Some(format!(
                    "{}",
                    c.as_primitive::<arrow_array::types::Int64Type>().value(i)
                )),
                DataType::Boolean => Some(c.as_boolean().value(i).to_string()),
                DataType::Utf8 => Some(c.as_string::<i32>().value(i).to_owned()),
                _ => None,
            }
        })
        .collect()
}

/// An Arrow batch as an R data frame.
pub(crate) fn frame_out(batch: &RecordBatch) -> Result<Robj, Failure> {
    let batch = pcnkit_core::write::decimals_as_text(batch, pcnkit_core::write::DecimalText::Exact)
        .map_err(|e| Failure::Internal(e.to_string()))?;
    let n = batch.num_rows();
    let mut names = Vec::with_capacity(batch.num_columns());
    let mut values: Vec<Robj> = Vec::with_capacity(batch.num_columns());
    for (f, c) in batch.schema_ref().fields().iter().zip(batch.columns()) {
        names.push(f.name().clone());
        values.push(column_out(c)?);
    }
    let mut frame: Robj = List::from_names_and_values(names, values)
        .map_err(|e| Failure::Internal(e.to_string()))?
        .into();
    let n = i32::try_from(n).map_err(|_| Failure::Internal("more rows than R can hold".into()))?;
    frame
        .set_attrib("row.names", vec![i32::MIN, -n])
        .and_then(|f| f.set_class(["data.frame"]))
        .map_err(|e| Failure::Internal(e.to_string()))?;
    Ok(frame)
}

fn column_out(c: &ArrayRef) -> Result<Robj, Failure> {
    let internal = |e: arrow_schema::ArrowError| Failure::Internal(e.to_string());
    Ok(match c.data_type() {
        DataType::Boolean => {
            let b = c.as_boolean();
            Robj::from(
                (0..b.len())
                    .map(|i| (!b.is_null(i)).then(|| b.value(i)))
                    .collect::<Vec<Option<bool>>>(),
            )
        }
        DataType::Date32 => {
            let d = c.as_primitive::<Date32Type>();
            let mut r = Robj::from(
                (0..d.len())
                    .map(|i| (!d.is_null(i)).then(|| f64::from(d.value(i))))
                    .collect::<Vec<Option<f64>>>(),
            );
            r.set_class(["Date"])
                .map_err(|e| Failure::Internal(e.to_string()))?;
            r
        }
        t if t.is_numeric() => {
            let f = arrow_cast::cast(c, &DataType::Float64).map_err(internal)?;
            let f = f.as_primitive::<Float64Type>();
            Robj::from(
                (0..f.len())
                    .map(|i| (!f.is_null(i)).then(|| f.value(i)))
                    .collect::<Vec<Option<f64>>>(),
            )
        }
        _ => {
            let s = arrow_cast::cast(c, &DataType::Utf8).map_err(internal)?;
            let s = s.as_string::<i32>();
            // Borrowed, not copied: R makes its strings from the Arrow buffer directly.
            Robj::from(
                (0..s.len())
                    .map(|i| (!s.is_null(i)).then(|| s.value(i)))
                    .collect::<Vec<Option<&str>>>(),
            )
        }
    })
}
