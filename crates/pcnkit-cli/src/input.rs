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
