//! Writing results: a readable table, CSV, JSON (one object per row) or Parquet.

use std::io::Write;
use std::path::Path;

use arrow_array::RecordBatch;

use pcnkit_core::write::DecimalText;

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

/// Decimal columns as text (`pcnkit_core::write`, shared with every front end).
fn decimals_as_text(batch: &RecordBatch, mode: DecimalText) -> Result<RecordBatch, CliError> {
    pcnkit_core::write::decimals_as_text(batch, mode).map_err(|e| CliError::Output(e.to_string()))
}

/// Writes `batch` to `out` (a file) or standard output. Money (decimal) columns are shown to
/// the penny in a table and exactly, without trailing zeros, in CSV and JSON; Parquet keeps
/// every column's type. JSON rows all have the same keys (null written out).
pub fn write(batch: &RecordBatch, format: Format, out: Option<&Path>) -> Result<(), CliError> {
    let mut buffer: Vec<u8> = Vec::new();
    match format {
        Format::Table => {
            let batch = decimals_as_text(batch, DecimalText::Penny)?;
            let text = arrow_cast::pretty::pretty_format_batches(std::slice::from_ref(&batch))
                .map_err(|e| CliError::Output(e.to_string()))?;
            writeln!(buffer, "{text}").map_err(|e| CliError::Output(e.to_string()))?;
        }
        Format::Csv => {
            buffer = pcnkit_core::write::csv_bytes(batch)
                .map_err(|e| CliError::Output(e.to_string()))?;
        }
        Format::Json => {
            let batch = decimals_as_text(batch, DecimalText::Exact)?;
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
            return pcnkit_core::write::write_parquet(batch, path)
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
