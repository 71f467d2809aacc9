//! Writing results: a readable table, CSV, JSON (one object per row) or Parquet.

use std::io::Write;
use std::path::Path;

use arrow_array::RecordBatch;

use crate::error::CliError;

/// The output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned text table.
    Table,
    /// Comma-separated values with a header.
    Csv,
    /// A JSON array of objects.
    Json,
    /// Apache Parquet (needs `--out`).
    Parquet,
}

/// How decimal (money) columns are shown in text output.
#[derive(Clone, Copy)]
enum Decimals {
    /// Rounded to the penny (half up), for people reading a table.
    Penny,
    /// Exact, without trailing zeros beyond what the value needs, for machines.
    Exact,
}

/// The batch with its `Decimal128` columns as text (`Parquet` keeps them typed). Null stays null.
fn decimals_as_text(batch: &RecordBatch, mode: Decimals) -> Result<RecordBatch, CliError> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::Decimal128Type;
    use arrow_schema::{DataType, Field, Schema};
    let mut fields = Vec::with_capacity(batch.num_columns());
    let mut columns: Vec<arrow_array::ArrayRef> = Vec::with_capacity(batch.num_columns());
    for (f, c) in batch.schema().fields().iter().zip(batch.columns()) {
        if let DataType::Decimal128(_, scale) = f.data_type() {
            // A value that does not fit a Decimal is an output error, never printed as 0.
            let bad = || CliError::Output(format!("column {}: a decimal out of range", f.name()));
            let scale = u32::try_from(*scale).map_err(|_| bad())?;
            let text: arrow_array::StringArray = c
                .as_primitive::<Decimal128Type>()
                .iter()
                .map(|v| {
                    v.map(|m| {
                        let d = rust_decimal::Decimal::try_from_i128_with_scale(m, scale)
                            .map_err(|_| bad())?;
                        Ok(match mode {
                            Decimals::Penny => {
                                let mut r = d.round_dp_with_strategy(
                                    2,
                                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                                );
                                r.rescale(2);
                                r.to_string()
                            }
                            Decimals::Exact => d.normalize().to_string(),
                        })
                    })
                    .transpose()
                })
                .collect::<Result<_, CliError>>()?;
            fields.push(Field::new(f.name(), DataType::Utf8, f.is_nullable()));
            columns.push(std::sync::Arc::new(text));
        } else {
            fields.push(f.as_ref().clone());
            columns.push(c.clone());
        }
    }
    RecordBatch::try_new(std::sync::Arc::new(Schema::new(fields)), columns)
        .map_err(|e| CliError::Output(e.to_string()))
}

/// Writes `batch` to `out` (a file) or standard output. Money (decimal) columns are shown to
/// the penny in a table and exactly, without trailing zeros, in CSV and JSON; Parquet keeps
/// every column's type. JSON rows all have the same keys (null written out).
pub fn write(batch: &RecordBatch, format: Format, out: Option<&Path>) -> Result<(), CliError> {
    let mut buffer: Vec<u8> = Vec::new();
    match format {
        Format::Table => {
            let batch = decimals_as_text(batch, Decimals::Penny)?;
            let text = arrow_cast::pretty::pretty_format_batches(std::slice::from_ref(&batch))
                .map_err(|e| CliError::Output(e.to_string()))?;
            writeln!(buffer, "{text}").map_err(|e| CliError::Output(e.to_string()))?;
        }
        Format::Csv => {
            let batch = decimals_as_text(batch, Decimals::Exact)?;
            let mut w = arrow_csv::WriterBuilder::new()
                .with_header(true)
                .build(&mut buffer);
            w.write(&batch)
                .map_err(|e| CliError::Output(e.to_string()))?;
        }
        Format::Json => {
            let batch = decimals_as_text(batch, Decimals::Exact)?;
            let mut w = arrow_json::WriterBuilder::new()
                .with_explicit_nulls(true)
                .build::<_, arrow_json::writer::JsonArray>(&mut buffer);
            w.write(&batch)
                .map_err(|e| CliError::Output(e.to_string()))?;
            w.finish().map_err(|e| CliError::Output(e.to_string()))?;
            buffer.push(b'\n');
        }
        Format::Parquet => {
            let path =
                out.ok_or_else(|| CliError::Usage("--format parquet needs --out FILE".to_owned()))?;
            return pcnkit_org::export::write_parquet(batch, path)
                .map_err(|e| CliError::Output(e.to_string()));
        }
    }
    match out {
        Some(path) => std::fs::write(path, buffer)
            .map_err(|e| CliError::Output(format!("{}: {e}", path.display()))),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(&buffer).and_then(|()| stdout.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(CliError::ClosedPipe),
                Err(e) => Err(CliError::Output(e.to_string())),
            }
        }
    }
}
