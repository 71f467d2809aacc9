//! Writing Arrow tables, one way for every front end (the CLI's `--format`, the report's
//! tables, the demo's files): CSV with a header and exact decimals without trailing zeros,
//! Parquet with every column's type kept (Snappy), and decimals as text for people (to the
//! penny) or machines (exact).

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Decimal128Type;
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};

use crate::error::CoreError;

/// How decimal (money) columns are written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecimalText {
    /// Rounded to the penny (half away from zero), two places: for people reading a table.
    Penny,
    /// Exact, with no trailing zeros beyond what the value needs: for machines (CSV, JSON).
    Exact,
}

fn failed(path: &Path, e: impl std::fmt::Display) -> CoreError {
    CoreError::Write(format!("{}: {e}", path.display()))
}

/// The batch with its `Decimal128` columns as text; every other column as it is. Null stays
/// null; a value that does not fit a decimal is an error, never printed as 0.
pub fn decimals_as_text(batch: &RecordBatch, mode: DecimalText) -> Result<RecordBatch, CoreError> {
    let mut fields = Vec::with_capacity(batch.num_columns());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(batch.num_columns());
    for (f, c) in batch.schema().fields().iter().zip(batch.columns()) {
        let DataType::Decimal128(_, scale) = f.data_type() else {
            fields.push(f.as_ref().clone());
            columns.push(c.clone());
            continue;
        };
        let bad = || CoreError::Arrow(format!("column {}: a decimal out of range", f.name()));
        let scale = u32::try_from(*scale).map_err(|_| bad())?;
        let text: StringArray = c
            .as_primitive::<Decimal128Type>()
            .iter()
            .map(|v| {
                v.map(|m| {
                    let d = rust_decimal::Decimal::try_from_i128_with_scale(m, scale)
                        .map_err(|_| bad())?;
                    Ok(match mode {
                        DecimalText::Penny => {
                            let mut r = d.round_dp_with_strategy(
                                2,
                                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                            );
                            r.rescale(2);
                            r.to_string()
                        }
                        DecimalText::Exact => d.normalize().to_string(),
                    })
                })
                .transpose()
            })
            .collect::<Result<_, CoreError>>()?;
        fields.push(Field::new(f.name(), DataType::Utf8, f.is_nullable()));
        columns.push(Arc::new(text));
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| CoreError::Arrow(e.to_string()))
}

/// The batch as CSV text with a header row, decimals exact.
pub fn csv_bytes(batch: &RecordBatch) -> Result<Vec<u8>, CoreError> {
    let batch = decimals_as_text(batch, DecimalText::Exact)?;
    let mut buffer = Vec::new();
    arrow_csv::WriterBuilder::new()
        .with_header(true)
        .build(&mut buffer)
        .write(&batch)
        .map_err(|e| CoreError::Arrow(e.to_string()))?;
    Ok(buffer)
}

/// Writes the batch to a CSV file ([`csv_bytes`]).
pub fn write_csv(batch: &RecordBatch, path: &Path) -> Result<(), CoreError> {
    std::fs::write(path, csv_bytes(batch)?).map_err(|e| failed(path, e))
}

/// Writes the batch to a Parquet file (Snappy-compressed, every column's type kept).
pub fn write_parquet(batch: &RecordBatch, path: &Path) -> Result<(), CoreError> {
    let file = File::create(path).map_err(|e| failed(path, e))?;
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .build();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(props))
        .map_err(|e| failed(path, e))?;
    writer.write(batch).map_err(|e| failed(path, e))?;
    writer.close().map_err(|e| failed(path, e))?;
    Ok(())
}
