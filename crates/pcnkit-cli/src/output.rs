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

/// Writes `batch` to `out` (a file) or standard output.
pub fn write(batch: &RecordBatch, format: Format, out: Option<&Path>) -> Result<(), CliError> {
    let mut buffer: Vec<u8> = Vec::new();
    match format {
        Format::Table => {
            let text = arrow_cast::pretty::pretty_format_batches(std::slice::from_ref(batch))
                .map_err(|e| CliError::Output(e.to_string()))?;
            writeln!(buffer, "{text}").map_err(|e| CliError::Output(e.to_string()))?;
        }
        Format::Csv => {
            let mut w = arrow_csv::WriterBuilder::new()
                .with_header(true)
                .build(&mut buffer);
            w.write(batch)
                .map_err(|e| CliError::Output(e.to_string()))?;
        }
        Format::Json => {
            let mut w = arrow_json::ArrayWriter::new(&mut buffer);
            w.write(batch)
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
        Some(path) => std::fs::write(path, buffer).map_err(|e| CliError::Io {
            path: path.display().to_string(),
            problem: e.to_string(),
        }),
        None => std::io::stdout()
            .write_all(&buffer)
            .map_err(|e| CliError::Output(e.to_string())),
    }
}
