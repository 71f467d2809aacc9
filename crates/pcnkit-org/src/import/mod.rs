//! Importers for the files NHS England and ONS publish.
//!
//! | function | file | record |
//! |---|---|---|
//! | [`read_epraccur`] | ODS `epraccur.csv` (GP practices and prescribing cost centres, no header) | [`EpraccurRecord`] |
//! | [`read_epcn_details`] | ODS ePCN "PCN Details" sheet as CSV | [`Pcn`](crate::Pcn) |
//! | [`read_epcn_members`] | ODS ePCN "PCN Core Partner Details" sheet as CSV | [`PcnMemberRecord`] |
//! | [`read_registered_patients`] | NHS Digital "Patients Registered at a GP Practice": all persons, five-year bands, single year of age, and the PCN/sub-ICB/ICB/region file | [`RegisteredPatientsRecord`] |
//! | [`read_practice_map`] | NHS Digital `gp-reg-pat-prac-map.csv` (practice → PCN → sub-ICB → ICB → region) | [`PracticeMapRecord`] |
//! | [`read_practice_lsoa`] | NHS Digital `gp-reg-pat-prac-lsoa-all.csv` (patients per practice per LSOA) | [`PracticeLsoaRecord`](crate::PracticeLsoaRecord) |
//! | [`read_lsoa_sub_icb_lookup`] | LSOA (2011) → sub-ICB location lookup (ONS-derived) | [`LsoaSubIcbRecord`] |
//! | [`read_sub_icb_lookup`] | sub-ICB location → ICB lookup (ONS-derived) | [`SubIcbLocation`](crate::SubIcbLocation) |
//!
//! Every reader streams its input through one reused record buffer, finds columns by header
//! name (accepting the renames seen across editions, e.g. `CCG_CODE` → `SUB_ICB_LOCATION_CODE`),
//! and reports each bad row as a [`DataError`] with file, line and field while keeping the good
//! rows. Rows that are deliberately not imported (totals, Welsh areas, pseudo-codes) are listed
//! in [`Imported::skipped`] with the reason, never dropped silently. With
//! [`ImportOptions::strict`] the first bad row stops the import.

mod epcn;
mod epraccur;
mod geography;
mod patients;

use std::io::Read;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use chrono::NaiveDate;
use pcnkit_core::{CoreError, DataError, DataErrorKind, SourceLocation, parse_nhs_date};

use crate::error::OrgError;

pub use epcn::{PcnMemberRecord, read_epcn_details, read_epcn_members};
pub use epraccur::{EpraccurRecord, read_epraccur};
pub use geography::{LsoaSubIcbRecord, read_lsoa_sub_icb_lookup, read_sub_icb_lookup};
pub use patients::{
    OrgRef, PracticeMapRecord, RegisteredPatientsRecord, read_practice_lsoa, read_practice_map,
    read_registered_patients, registry_from_practice_map,
};

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
    /// Data rows read.
    pub rows: u64,
}

/// Opens a file for reading, with an error that names it.
pub fn open(path: &Path) -> Result<std::io::BufReader<std::fs::File>, OrgError> {
    std::fs::File::open(path)
        .map(std::io::BufReader::new)
        .map_err(|e| {
            OrgError::Data(DataError::new(
                SourceLocation::file(path.display().to_string()),
                DataErrorKind::Io(e.to_string()),
            ))
        })
}

/// Header names, normalised for matching.
pub(crate) struct Columns {
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
    pub(crate) fn find(&self, aliases: &[&str]) -> Option<usize> {
        aliases.iter().find_map(|a| {
            let a = normalise(a);
            self.names.iter().position(|n| *n == a)
        })
    }

    /// Like [`find`](Self::find), but a missing column is an error naming the first alias.
    pub(crate) fn require(&self, aliases: &[&str]) -> Result<usize, DataError> {
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
pub(crate) struct Row<'a> {
    record: &'a csv::ByteRecord,
    line: u64,
    file: &'a Arc<str>,
    names: &'a [String],
}

impl Row<'_> {
    pub(crate) fn location(&self, index: usize) -> SourceLocation {
        let field = self
            .names
            .get(index)
            .cloned()
            .unwrap_or_else(|| format!("column {}", index + 1));
        SourceLocation::file(self.file.clone())
            .at_line(self.line)
            .at_field(field)
    }

    pub(crate) fn row_location(&self) -> SourceLocation {
        SourceLocation::file(self.file.clone()).at_line(self.line)
    }

    pub(crate) fn error(&self, index: usize, kind: impl Into<DataErrorKind>) -> DataError {
        DataError::new(self.location(index), kind)
    }

    /// The trimmed text of a field.
    pub(crate) fn text(&self, index: usize) -> Result<&str, DataError> {
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
    pub(crate) fn opt_text(
        &self,
        index: impl Into<Option<usize>>,
    ) -> Result<Option<String>, DataError> {
        match index.into() {
            Some(i) => self.text(i).map(|t| (!t.is_empty()).then(|| t.to_owned())),
            None => Ok(None),
        }
    }

    /// An optional value: empty is `None`.
    pub(crate) fn opt<T: FromStr<Err = CoreError>>(
        &self,
        index: usize,
    ) -> Result<Option<T>, DataError> {
        let t = self.text(index)?;
        if t.is_empty() {
            Ok(None)
        } else {
            t.parse().map(Some).map_err(|e| self.error(index, e))
        }
    }

    /// A required value: empty is [`DataErrorKind::Missing`].
    pub(crate) fn req<T: FromStr<Err = CoreError>>(&self, index: usize) -> Result<T, DataError> {
        self.opt(index)?
            .ok_or_else(|| self.error(index, DataErrorKind::Missing))
    }

    /// A required non-empty string.
    pub(crate) fn req_text(&self, index: usize) -> Result<String, DataError> {
        let t = self.text(index)?;
        if t.is_empty() {
            Err(self.error(index, DataErrorKind::Missing))
        } else {
            Ok(t.to_owned())
        }
    }

    /// An optional date in any of the NHS forms.
    pub(crate) fn opt_date(&self, index: usize) -> Result<Option<NaiveDate>, DataError> {
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
    pub(crate) fn req_date(&self, index: usize) -> Result<NaiveDate, DataError> {
        self.opt_date(index)?
            .ok_or_else(|| self.error(index, DataErrorKind::Missing))
    }
}

/// What a row became.
pub(crate) enum Parsed<T> {
    Record(T),
    Skip(String),
}

/// Streams a CSV through `parse`, one reused record buffer, collecting records, errors and skips.
///
/// `setup` resolves column indices from the header (or from nothing, for headerless files).
pub(crate) fn read_csv<R, S, T>(
    input: R,
    options: ImportOptions<'_>,
    headerless_names: Option<&[&str]>,
    setup: impl FnOnce(&Columns) -> Result<S, DataError>,
    mut parse: impl FnMut(&S, &Row<'_>) -> Result<Parsed<T>, DataError>,
) -> Result<Imported<T>, OrgError>
where
    R: Read,
{
    let ImportOptions {
        file,
        strict,
        mut progress,
        progress_every,
    } = options;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(headerless_names.is_none())
        .flexible(true)
        .from_reader(input);
    let io_error = |e: csv::Error, line: u64| {
        let kind = match e.kind() {
            csv::ErrorKind::Io(_) => DataErrorKind::Io(e.to_string()),
            _ => DataErrorKind::Malformed(e.to_string()),
        };
        OrgError::Data(DataError::new(
            SourceLocation::file(file.clone()).at_line(line),
            kind,
        ))
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
    let mut out = Imported {
        records: Vec::new(),
        errors: Vec::new(),
        skipped: Vec::new(),
        rows: 0,
    };
    let mut record = csv::ByteRecord::new();
    loop {
        let line_guess = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // A malformed record (e.g. bad quoting) is a row error; the reader carries on.
                let err = match io_error(e, line_guess) {
                    OrgError::Data(d) => d,
                    other => return Err(other),
                };
                if matches!(err.kind, DataErrorKind::Io(_)) || strict {
                    return Err(OrgError::Data(err));
                }
                out.errors.push(err);
                continue;
            }
        }
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // blank line (e.g. a trailing newline pair)
        }
        out.rows += 1;
        let line = record.position().map_or(line_guess, csv::Position::line);
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
            Err(e) if strict => return Err(OrgError::Data(e)),
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
