//! One located row reader for every CSV table pcnkit reads.
//!
//! [`read_csv`] streams a CSV through one reused record buffer, finds columns by header name
//! (case and spacing ignored, so the renames seen across editions of a file can be listed as
//! aliases), and turns each data row into a record, a row deliberately skipped with its reason,
//! or a [`DataError`] naming file, line (as an editor shows it: 1-based, the header is line 1),
//! column and value. Good rows are kept; [`ImportOptions::strict`] stops at the first bad row.
//! Every input row is accounted for ([`Imported::accounts_for_every_row`]).
//!
//! The organisation, ARRS and indicator readers are all written on it, so a bad row reads the
//! same wherever it is found.

use std::io::Read;
use std::str::FromStr;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::error::{CoreError, DataError, DataErrorKind, SourceLocation};
use crate::period::parse_nhs_date;

/// How far an import has got, reported through [`ImportOptions::on_progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Data rows read so far.
    pub rows: u64,
    /// Bytes read so far.
    pub bytes: u64,
}

/// Options for an import: the file name used in errors, strictness, and a progress callback.
pub struct ImportOptions<'a> {
    file: Arc<str>,
    strict: bool,
    progress: Option<Box<dyn FnMut(Progress) + 'a>>,
    progress_every: u64,
}

impl std::fmt::Debug for ImportOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportOptions")
            .field("file", &self.file)
            .field("strict", &self.strict)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl<'a> ImportOptions<'a> {
    /// Options for input named `file` (a path or any label shown in errors).
    pub fn new(file: impl Into<Arc<str>>) -> Self {
        ImportOptions {
            file: file.into(),
            strict: false,
            progress: None,
            progress_every: 50_000,
        }
    }

    /// Stop at the first bad row instead of collecting errors.
    #[must_use]
    pub fn strict(mut self) -> Self {
        self.strict = true;
        self
    }

    /// Call `callback` every `every` rows and once at the end.
    #[must_use]
    pub fn on_progress(mut self, every: u64, callback: impl FnMut(Progress) + 'a) -> Self {
        self.progress = Some(Box::new(callback));
        self.progress_every = every.max(1);
        self
    }

    /// The file name used in errors.
    pub fn file(&self) -> &str {
        &self.file
    }
}

/// A row deliberately not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Where it is.
    pub location: SourceLocation,
    /// Why it was not imported.
    pub reason: String,
}

/// The result of an import: the good records, every bad row's error, and the rows skipped on
/// purpose.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Imported<T> {
    /// Records from the good rows, in file order.
    pub records: Vec<T>,
    /// One error per bad row (empty in strict mode, which returns the first instead).
    pub errors: Vec<DataError>,
    /// Rows not imported on purpose.
    pub skipped: Vec<Skipped>,
    /// Rows imported, but with something a person should know (a duplicate that was merged,
    /// a value outside the plausible range).
    pub warnings: Vec<Warning>,
    /// Data rows read.
    pub rows: u64,
}

impl<T> Imported<T> {
    /// An empty import of `rows` rows (for readers that build their result themselves).
    pub fn new() -> Self {
        Imported {
            records: Vec::new(),
            errors: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
            rows: 0,
        }
    }

    /// The same import with each record mapped (errors, skips and warnings kept).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Imported<U> {
        Imported {
            records: self.records.into_iter().map(f).collect(),
            errors: self.errors,
            skipped: self.skipped,
            warnings: self.warnings,
            rows: self.rows,
        }
    }

    /// Every row is accounted for: records + errors + skips = rows read (a row with a warning
    /// is also a record). A reader that breaks this has a bug.
    pub fn accounts_for_every_row(&self) -> bool {
        (self.records.len() + self.errors.len() + self.skipped.len()) as u64 == self.rows
    }

    /// Turns the import into its records, or its first error when there is any.
    pub fn into_records(self) -> Result<Vec<T>, DataError> {
        match self.errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(self.records),
        }
    }
}

impl<T> Default for Imported<T> {
    fn default() -> Self {
        Imported::new()
    }
}

/// Something about one row that a person should know, though the row was imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where it is.
    pub location: SourceLocation,
    /// What was found.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Header names, normalised for matching.
#[derive(Debug)]
pub struct Columns {
    names: Vec<String>,
    file: Arc<str>,
}

fn normalise(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

impl Columns {
    /// The index of the first header matching one of `aliases` (case and spacing ignored).
    pub fn find(&self, aliases: &[&str]) -> Option<usize> {
        aliases.iter().find_map(|a| {
            let a = normalise(a);
            self.names.iter().position(|n| *n == a)
        })
    }

    /// The index of the first header (normalised: lower case, single spaces, no byte-order
    /// mark) for which `matches` holds: for files whose headers vary by release and are
    /// matched by their meaning.
    pub fn find_by(&self, matches: impl Fn(&str) -> bool) -> Option<usize> {
        self.names.iter().position(|n| matches(n))
    }

    /// The headers, normalised as [`find_by`](Self::find_by) sees them.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The file the headers are of.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Like [`find`](Self::find), but a missing column is an error naming the first alias.
    pub fn require(&self, aliases: &[&str]) -> Result<usize, DataError> {
        self.find(aliases).ok_or_else(|| {
            DataError::new(
                SourceLocation::file(self.file.clone())
                    .at_line(1)
                    .at_field(aliases.first().copied().unwrap_or("?")),
                DataErrorKind::MissingColumn,
            )
        })
    }
}

/// One data row, with what is needed to make located errors.
#[derive(Debug)]
pub struct Row<'a> {
    record: &'a csv::ByteRecord,
    line: u64,
    file: &'a Arc<str>,
    names: &'a [String],
}

impl Row<'_> {
    /// Where a field of the row is: file, line and the column as the file names it.
    pub fn location(&self, index: usize) -> SourceLocation {
        let field = self
            .names
            .get(index)
            .cloned()
            .unwrap_or_else(|| format!("column {}", index + 1));
        SourceLocation::file(self.file.clone())
            .at_line(self.line)
            .at_field(field)
    }

    /// Where the row is: file and line.
    pub fn row_location(&self) -> SourceLocation {
        SourceLocation::file(self.file.clone()).at_line(self.line)
    }

    /// An error about a field of the row.
    pub fn error(&self, index: usize, kind: impl Into<DataErrorKind>) -> DataError {
        DataError::new(self.location(index), kind)
    }

    /// The trimmed text of a field.
    pub fn text(&self, index: usize) -> Result<&str, DataError> {
        let bytes = self.record.get(index).ok_or_else(|| {
            self.error(
                index,
                DataErrorKind::Malformed(format!("row has {} fields, too few", self.record.len())),
            )
        })?;
        std::str::from_utf8(bytes).map(str::trim).map_err(|_| {
            self.error(
                index,
                DataErrorKind::Malformed("not valid UTF-8".to_owned()),
            )
        })
    }

    /// An optional string: empty, or a column the file does not have (`None` index), is `None`.
    pub fn opt_text(&self, index: impl Into<Option<usize>>) -> Result<Option<String>, DataError> {
        match index.into() {
            Some(i) => self.text(i).map(|t| (!t.is_empty()).then(|| t.to_owned())),
            None => Ok(None),
        }
    }

    /// An optional value: empty is `None`.
    pub fn opt<T: FromStr<Err = CoreError>>(&self, index: usize) -> Result<Option<T>, DataError> {
        let t = self.text(index)?;
        if t.is_empty() {
            Ok(None)
        } else {
            t.parse().map(Some).map_err(|e| self.error(index, e))
        }
    }

    /// A required value: empty is [`DataErrorKind::Missing`].
    pub fn req<T: FromStr<Err = CoreError>>(&self, index: usize) -> Result<T, DataError> {
        self.opt(index)?
            .ok_or_else(|| self.error(index, DataErrorKind::Missing))
    }

    /// A required non-empty string.
    pub fn req_text(&self, index: usize) -> Result<String, DataError> {
        let t = self.text(index)?;
        if t.is_empty() {
            Err(self.error(index, DataErrorKind::Missing))
        } else {
            Ok(t.to_owned())
        }
    }

    /// An optional date in any of the NHS forms.
    pub fn opt_date(&self, index: usize) -> Result<Option<NaiveDate>, DataError> {
        let t = self.text(index)?;
        if t.is_empty() {
            Ok(None)
        } else {
            parse_nhs_date(t)
                .map(Some)
                .map_err(|e| self.error(index, e))
        }
    }

    /// A required date.
    pub fn req_date(&self, index: usize) -> Result<NaiveDate, DataError> {
        self.opt_date(index)?
            .ok_or_else(|| self.error(index, DataErrorKind::Missing))
    }
}

/// What a row became.
#[derive(Debug)]
pub enum Parsed<T> {
    /// A record.
    Record(T),
    /// Deliberately not imported, with the reason (a total row, a pseudo-code).
    Skip(String),
}

/// Where the lines of a stream end, by byte offset, recorded as the bytes pass to the CSV
/// reader: a line ends at a LF, or at a CR not followed by one (CRLF is one ending). The csv
/// crate's own line count lags a line behind after every CRLF, and most of NHS England's
/// files end their lines with CRLF, so every row error named the line above its row.
#[derive(Debug, Default)]
struct LineEnds {
    /// Line ends not yet passed by a record, in order: (byte offset, whether the line it ends
    /// is empty).
    ends: std::collections::VecDeque<(u64, bool)>,
    /// Line ends already passed.
    passed: u64,
}

impl LineEnds {
    /// The 1-based line of a record whose reading started at `byte`. The csv reader starts a
    /// record at the LF of a CRLF it had not consumed yet, or at the first of the blank lines
    /// it skips before the record, so an end at `byte` itself and the blank lines after it
    /// come before the record's own line.
    fn line_at(&mut self, byte: u64) -> u64 {
        while let Some(&(at, empty)) = self.ends.front() {
            if at > byte && !empty {
                break;
            }
            self.ends.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

/// A reader that records [`LineEnds`] as it reads.
struct LineCounting<R> {
    inner: R,
    ends: std::rc::Rc<std::cell::RefCell<LineEnds>>,
    offset: u64,
    previous_cr: bool,
    /// Whether the current line has had a byte other than CR or LF.
    content: bool,
}

impl<R: Read> Read for LineCounting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut ends = self.ends.borrow_mut();
        if n == 0 && self.previous_cr {
            ends.ends
                .push_back((self.offset.saturating_sub(1), !self.content));
            self.previous_cr = false;
            self.content = false;
        }
        for (i, &b) in buf.iter().take(n).enumerate() {
            let at = self.offset + i as u64;
            if self.previous_cr && b != b'\n' {
                ends.ends.push_back((at - 1, !self.content));
                self.content = false;
            }
            if b == b'\n' {
                ends.ends.push_back((at, !self.content));
                self.content = false;
            } else if b != b'\r' {
                self.content = true;
            }
            self.previous_cr = b == b'\r';
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// Streams a CSV through `parse`, one reused record buffer, collecting records, errors and skips.
///
/// `setup` resolves column indices from the header (or from nothing, for headerless files).
pub fn read_csv<R, S, T>(
    input: R,
    options: ImportOptions<'_>,
    headerless_names: Option<&[&str]>,
    setup: impl FnOnce(&Columns) -> Result<S, DataError>,
    mut parse: impl FnMut(&S, &Row<'_>) -> Result<Parsed<T>, DataError>,
) -> Result<Imported<T>, DataError>
where
    R: Read,
{
    let ImportOptions {
        file,
        strict,
        mut progress,
        progress_every,
    } = options;
    let line_ends = std::rc::Rc::new(std::cell::RefCell::new(LineEnds::default()));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(headerless_names.is_none())
        .flexible(true)
        .from_reader(LineCounting {
            inner: input,
            ends: std::rc::Rc::clone(&line_ends),
            offset: 0,
            previous_cr: false,
            content: false,
        });
    let line_of = |byte: u64| line_ends.borrow_mut().line_at(byte);
    let io_error = |e: csv::Error, line: u64| {
        let kind = match e.kind() {
            csv::ErrorKind::Io(_) => DataErrorKind::Io(e.to_string()),
            _ => DataErrorKind::Malformed(e.to_string()),
        };
        DataError::new(SourceLocation::file(file.clone()).at_line(line), kind)
    };
    let names: Vec<String> = match headerless_names {
        Some(names) => names.iter().map(|n| (*n).to_owned()).collect(),
        None => {
            let header = reader.byte_headers().map_err(|e| io_error(e, 1))?;
            header
                .iter()
                .map(|h| normalise(&String::from_utf8_lossy(h)))
                .collect()
        }
    };
    let columns = Columns {
        names,
        file: file.clone(),
    };
    let state = setup(&columns)?;
    // Errors name columns as the file writes them, not normalised.
    let display_names: Vec<String> = match headerless_names {
        Some(names) => names.iter().map(|n| (*n).to_owned()).collect(),
        None => reader
            .byte_headers()
            .map(|h| {
                h.iter()
                    .map(|x| {
                        String::from_utf8_lossy(x)
                            .trim_start_matches('\u{feff}')
                            .trim()
                            .to_owned()
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    let mut out = Imported::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let start = reader.position().byte();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // A malformed record (e.g. bad quoting) is a row error; the reader carries on.
                let at = e.position().map_or(start, csv::Position::byte);
                let err = io_error(e, line_of(at));
                if matches!(err.kind, DataErrorKind::Io(_)) || strict {
                    return Err(err);
                }
                out.errors.push(err);
                continue;
            }
        }
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // blank line (e.g. a trailing newline pair)
        }
        out.rows += 1;
        let line = line_of(record.position().map_or(start, csv::Position::byte));
        let row = Row {
            record: &record,
            line,
            file: &file,
            names: &display_names,
        };
        match parse(&state, &row) {
            Ok(Parsed::Record(r)) => out.records.push(r),
            Ok(Parsed::Skip(reason)) => out.skipped.push(Skipped {
                location: row.row_location(),
                reason,
            }),
            Err(e) if strict => return Err(e),
            Err(e) => out.errors.push(e),
        }
        if out.rows % progress_every == 0
            && let Some(cb) = progress.as_mut()
        {
            cb(Progress {
                rows: out.rows,
                bytes: reader.position().byte(),
            });
        }
    }
    if let Some(cb) = progress.as_mut() {
        cb(Progress {
            rows: out.rows,
            bytes: reader.position().byte(),
        });
    }
    Ok(out)
}

/// A count of patients (or events) above which one row is not a real figure: England has about
/// 63 million registered patients, so a single count above 100 million is a corrupt or wrapped
/// value (a `u64` wrapped from −1 reads as 18,446,744,073,709,551,615), reported as an error
/// naming the row rather than summed into a plausible-looking total.
pub const IMPLAUSIBLE_COUNT: u64 = 100_000_000;

impl Row<'_> {
    /// A required count of patients or events: a whole number from 0 to
    /// [`IMPLAUSIBLE_COUNT`]; empty, negative, fractional and larger values are errors.
    pub fn req_count(&self, index: usize) -> Result<crate::PatientCount, DataError> {
        let n: crate::PatientCount = self.req(index)?;
        if n.get() > IMPLAUSIBLE_COUNT {
            return Err(self.error(
                index,
                DataErrorKind::BadValue(format!(
                    "{n} is not a plausible count (more than {IMPLAUSIBLE_COUNT}, above England's population)"
                )),
            ));
        }
        Ok(n)
    }

    /// How many fields the row has.
    pub fn len(&self) -> usize {
        self.record.len()
    }

    /// Whether the row has no fields.
    pub fn is_empty(&self) -> bool {
        self.record.is_empty()
    }

    /// The 1-based line of the row (the header is line 1).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// A value of any type with a text form (`Decimal`, `f64`, `u64`, …): empty is `None`; an
    /// unparseable value is an error quoting it.
    pub fn opt_any<T>(&self, index: usize) -> Result<Option<T>, DataError>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        let t = self.text(index)?;
        if t.is_empty() {
            return Ok(None);
        }
        t.parse().map(Some).map_err(|e| {
            self.error(
                index,
                DataErrorKind::BadValue(format!("{:?}: {e}", CoreError::clip(t))),
            )
        })
    }

    /// A required value of any type with a text form.
    pub fn req_any<T>(&self, index: usize) -> Result<T, DataError>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        self.opt_any(index)?
            .ok_or_else(|| self.error(index, DataErrorKind::Missing))
    }
}

/// A file opened for reading, with an error that names it. A gzip file (as some NHS
/// publications are offered) is decompressed as it is read; a ZIP archive is refused with a
/// message saying to extract the CSV from it, since an archive may hold several files.
pub fn open(path: &std::path::Path) -> Result<Box<dyn std::io::Read + Send>, DataError> {
    use std::io::{BufRead, BufReader};
    let at = || SourceLocation::file(path.display().to_string());
    let file = std::fs::File::open(path)
        .map_err(|e| DataError::new(at(), DataErrorKind::Io(e.to_string())))?;
    let mut reader = BufReader::new(file);
    let head = reader
        .fill_buf()
        .map_err(|e| DataError::new(at(), DataErrorKind::Io(e.to_string())))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        return Ok(Box::new(BufReader::new(
            flate2::bufread::MultiGzDecoder::new(reader),
        )));
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Err(DataError::new(
            at(),
            DataErrorKind::Malformed(
                "this is a ZIP archive: extract the CSV file from it (for example with `unzip`) and give that file".to_owned(),
            ),
        ));
    }
    Ok(Box::new(reader))
}

/// A table file for the located readers: a CSV file as [`open`] gives it, or a Parquet file
/// (by its `.parquet` extension) written out as CSV text by [`batches_to_csv`], so both go
/// through the same reader and row `i` (0-based) of a Parquet table is reported as line `i + 2`.
pub fn open_table(path: &std::path::Path) -> Result<Box<dyn std::io::Read + Send>, DataError> {
    let parquet = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    if !parquet {
        return open(path);
    }
    let at = || SourceLocation::file(path.display().to_string());
    let file = std::fs::File::open(path)
        .map_err(|e| DataError::new(at(), DataErrorKind::Io(e.to_string())))?;
    let malformed =
        |e: &dyn std::fmt::Display| DataError::new(at(), DataErrorKind::Malformed(e.to_string()));
    let batches = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| malformed(&e))?
        .build()
        .map_err(|e| malformed(&e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| malformed(&e))?;
    let bytes = batches_to_csv(&batches).map_err(|e| DataError::new(at(), e.kind))?;
    Ok(Box::new(std::io::Cursor::new(bytes)))
}

/// Arrow record batches written as CSV text (header first; nulls empty; decimals exact; dates
/// ISO), so a Parquet file or a table from Python goes through the same located reader as a CSV
/// file: line 1 is the header and row `i` (0-based) of the table is line `i + 2`.
pub fn batches_to_csv(batches: &[arrow_array::RecordBatch]) -> Result<Vec<u8>, DataError> {
    let mut buffer = Vec::new();
    {
        let mut writer = arrow_csv::WriterBuilder::new()
            .with_header(true)
            .build(&mut buffer);
        for b in batches {
            writer.write(b).map_err(|e| {
                DataError::new(
                    SourceLocation::default(),
                    DataErrorKind::Malformed(e.to_string()),
                )
            })?;
        }
    }
    Ok(buffer)
}

pub use crate::finding::{Finding, Severity};

impl<T> Imported<T> {
    /// Every error, warning and skipped row of the import as findings, in that order.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out: Vec<Finding> = self
            .errors
            .iter()
            .map(|e| {
                Finding::new("read.bad_row", Severity::Error, e.kind.to_string())
                    .at(e.location.clone())
            })
            .collect();
        out.extend(self.warnings.iter().map(|w| {
            Finding::new("read.warning", Severity::Warning, &w.message).at(w.location.clone())
        }));
        out.extend(self.skipped.iter().map(|s| {
            Finding::new("read.skipped", Severity::Skipped, &s.reason).at(s.location.clone())
        }));
        out
    }
}

/// The keys seen so far in a table and the line each was first on, so a second row for the
/// same thing (which would be counted twice) is an error naming both lines.
///
/// ```
/// use pcnkit_core::read::{FirstSeen, ImportOptions, Parsed, read_csv};
/// let csv = "practice\nA81001\nA81001\n";
/// let mut seen = FirstSeen::new();
/// let got = read_csv(csv.as_bytes(), ImportOptions::new("x.csv"), None,
///     |c| c.require(&["practice"]),
///     |&i, row| {
///         let code = row.req_text(i)?;
///         seen.check(code.clone(), row, i, &code, "")?;
///         Ok(Parsed::Record(code))
///     })?;
/// assert_eq!(got.errors[0].to_string(), "x.csv, line 3, field `practice`: A81001 is already on line 2");
/// # Ok::<(), pcnkit_core::DataError>(())
/// ```
#[derive(Debug, Clone)]
pub struct FirstSeen<K: Ord> {
    lines: std::collections::BTreeMap<K, u64>,
}

impl<K: Ord> Default for FirstSeen<K> {
    fn default() -> Self {
        FirstSeen {
            lines: std::collections::BTreeMap::new(),
        }
    }
}

impl<K: Ord> FirstSeen<K> {
    /// Nothing seen yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `key` at `row`, or an error at column `col` saying `what` is already on the
    /// earlier line (followed by `why`, e.g. " (it would be counted twice)").
    pub fn check(
        &mut self,
        key: K,
        row: &Row<'_>,
        col: usize,
        what: &dyn std::fmt::Display,
        why: &str,
    ) -> Result<(), DataError> {
        if let Some(first) = self.lines.get(&key) {
            return Err(row.error(
                col,
                DataErrorKind::Conflict(format!("{what} is already on line {first}{why}")),
            ));
        }
        self.lines.insert(key, row.line);
        Ok(())
    }
}

impl Row<'_> {
    /// A required latitude and longitude (WGS84 degrees, in range).
    pub fn req_lat_lon(&self, lat: usize, lon: usize) -> Result<(f64, f64), DataError> {
        let (la, lo): (f64, f64) = (self.req_any(lat)?, self.req_any(lon)?);
        if !(-90.0..=90.0).contains(&la) {
            return Err(self.error(
                lat,
                DataErrorKind::BadValue(format!("latitude {la} is not between -90 and 90")),
            ));
        }
        if !(-180.0..=180.0).contains(&lo) {
            return Err(self.error(
                lon,
                DataErrorKind::BadValue(format!("longitude {lo} is not between -180 and 180")),
            ));
        }
        Ok((la, lo))
    }
}
