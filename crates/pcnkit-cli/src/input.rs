//! Reading tables: CSV (types inferred from the first 1,000 rows) or Parquet, by extension.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::RecordBatch;

use crate::error::CliError;

/// Every batch of a CSV or Parquet file.
pub fn read_table(path: &Path) -> Result<Vec<RecordBatch>, CliError> {
    let io = |e: &dyn std::fmt::Display| CliError::Io {
        path: path.display().to_string(),
        problem: e.to_string(),
    };
    let data = |e: &dyn std::fmt::Display| CliError::Data(format!("{}: {e}", path.display()));
    let file = File::open(path).map_err(|e| io(&e))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let batches = if ext == "parquet" {
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| data(&e))?
            .build()
            .map_err(|e| data(&e))?;
        reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| data(&e))?
    } else {
        let format = arrow_csv::reader::Format::default().with_header(true);
        let (schema, _) = format
            .infer_schema(File::open(path).map_err(|e| io(&e))?, Some(1000))
            .map_err(|e| data(&e))?;
        if schema.fields().is_empty() {
            return Err(CliError::Data(format!(
                "{}: the file is empty",
                path.display()
            )));
        }
        let reader = arrow_csv::ReaderBuilder::new(Arc::new(schema))
            .with_format(format)
            .build(file)
            .map_err(|e| data(&e))?;
        reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| data(&e))?
    };
    if batches.iter().all(|b| b.num_rows() == 0) {
        return Err(CliError::Data(format!("{}: no rows", path.display())));
    }
    Ok(batches)
}

/// A CSV file read as text, for inputs whose columns are found by name and parsed with the
/// domain types (codes, dates, exact decimals), so a bad value is reported with its file, line
/// and column rather than guessed at by type inference.
pub struct TextTable {
    file: String,
    headers: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl TextTable {
    /// Reads a whole CSV file (a UTF-8 byte-order mark is ignored).
    pub fn read(path: &Path) -> Result<Self, CliError> {
        let file = path.display().to_string();
        let io = |e: &dyn std::fmt::Display| CliError::Io {
            path: file.clone(),
            problem: e.to_string(),
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_path(path)
            .map_err(|e| io(&e))?;
        let headers = reader
            .headers()
            .map_err(|e| io(&e))?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
            .collect::<Vec<_>>();
        let rows = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| CliError::Data(format!("{file}: {e}")))?;
        if headers.iter().all(String::is_empty) {
            return Err(CliError::Data(format!("{file}: the file is empty")));
        }
        if rows.is_empty() {
            return Err(CliError::Data(format!("{file}: no rows")));
        }
        Ok(TextTable {
            file,
            headers,
            rows,
        })
    }

    /// The first of `names` present (case-insensitive), if any.
    pub fn find(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| {
            self.headers.iter().position(|h| {
                h.eq_ignore_ascii_case(n)
                    || (n.ends_with('*') && h.starts_with(n.trim_end_matches('*')))
            })
        })
    }

    /// The first of `names` present, or an error naming the file and what was expected (a name
    /// ending in `*` matches any header that starts with it).
    pub fn column(&self, names: &[&str]) -> Result<usize, CliError> {
        self.find(names).ok_or_else(|| {
            CliError::Data(format!(
                "{}: no column {} (the columns are {})",
                self.file,
                names.join(" or "),
                self.headers.join(", ")
            ))
        })
    }

    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// The text of a cell, trimmed.
    pub fn text(&self, row: usize, col: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .map_or("", str::trim)
    }

    /// A cell parsed as `T`; the error names file, line (the header is line 1) and column.
    pub fn parse<T>(&self, row: usize, col: usize) -> Result<T, CliError>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        let text = self.text(row, col);
        text.parse::<T>()
            .map_err(|e| self.bad(row, col, &format!("{text:?}: {e}")))
    }

    /// An error about one cell.
    pub fn bad(&self, row: usize, col: usize, problem: &str) -> CliError {
        CliError::Data(format!(
            "{} line {}, column {}: {problem}",
            self.file,
            row + 2,
            self.headers.get(col).map_or("?", String::as_str)
        ))
    }
}
