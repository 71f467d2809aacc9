//! pcnkit errors as Python exceptions, and the guard every function runs in.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    pcnkit,
    PcnkitError,
    PyException,
    "Base class of every pcnkit error."
);
create_exception!(
    pcnkit,
    InvalidCode,
    PcnkitError,
    "A code (ODS, ONS, postcode) without the published format."
);
create_exception!(
    pcnkit,
    DataError,
    PcnkitError,
    "Bad input data; `file`, `row` (0-based data row) and `field` say where, when known."
);
create_exception!(
    pcnkit,
    InvalidArgument,
    PcnkitError,
    "An argument outside what the method accepts (a confidence level, a multiplier, a name)."
);

/// Why a call failed, before it becomes a Python exception (made with the GIL held).
#[derive(Debug)]
pub enum Failure {
    /// Bad data, with where it is.
    Data {
        /// What is wrong.
        message: String,
        /// The file.
        file: Option<String>,
        /// The data row (0-based).
        row: Option<u64>,
        /// The column or field.
        field: Option<String>,
    },
    /// A code that does not parse.
    Code(String),
    /// An argument out of range.
    Argument(String),
    /// Anything else from the crates.
    Internal(String),
}

impl Failure {
    /// Errors from building a registry, joined.
    pub fn from_org_errors(errors: Vec<pcnkit_org::OrgError>) -> Failure {
        Failure::Data {
            message: errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            file: None,
            row: None,
            field: None,
        }
    }

    fn into_py(self, py: Python<'_>) -> PyErr {
        match self {
            Failure::Data {
                message,
                file,
                row,
                field,
            } => {
                let err = DataError::new_err(message);
                let value = err.value(py);
                // Setting attributes on a fresh exception instance cannot fail in practice;
                // if it did, the message still says where.
                let _ = value.setattr("file", file);
                let _ = value.setattr("row", row);
                let _ = value.setattr("field", field);
                err
            }
            Failure::Code(m) => InvalidCode::new_err(m),
            Failure::Argument(m) => InvalidArgument::new_err(m),
            Failure::Internal(m) => PcnkitError::new_err(m),
        }
    }
}

fn core(e: pcnkit_core::CoreError) -> Failure {
    match e {
        pcnkit_core::CoreError::InvalidCode { .. } => Failure::Code(e.to_string()),
        other => Failure::Argument(other.to_string()),
    }
}

/// The records of an import, or a data error naming its first bad row (and how many there are)
/// when any row failed: Python gets every row accounted for or an exception, never a table
/// silently missing rows.
pub fn accounted<T>(imported: pcnkit_core::read::Imported<T>) -> Result<Vec<T>, Failure> {
    let n = imported.errors.len();
    match imported.errors.first() {
        None => Ok(imported.records),
        Some(first) => {
            let mut f = data(first);
            if let Failure::Data { message, .. } = &mut f
                && n > 1
            {
                let rest: Vec<String> = imported
                    .errors
                    .iter()
                    .skip(1)
                    .take(19)
                    .map(ToString::to_string)
                    .collect();
                *message = format!(
                    "{message}\n({} more bad row(s)):\n{}",
                    n - 1,
                    rest.join("\n")
                );
            }
            Err(f)
        }
    }
}

/// A data error as a Python `DataError` with its file, 0-based row and field.
pub fn data(e: &pcnkit_core::DataError) -> Failure {
    Failure::Data {
        message: e.to_string(),
        file: e.location.file.as_deref().map(str::to_owned),
        // Import locations count lines with the header as line 1: the data row is line − 2.
        row: e.location.line.map(|l| l.saturating_sub(2)),
        field: e.location.field.clone(),
    }
}

impl From<pcnkit_core::CoreError> for Failure {
    fn from(e: pcnkit_core::CoreError) -> Self {
        core(e)
    }
}

impl From<pcnkit_indicators::IndicatorError> for Failure {
    fn from(e: pcnkit_indicators::IndicatorError) -> Self {
        use pcnkit_indicators::IndicatorError as E;
        match e {
            E::Column { ref column, .. } => Failure::Data {
                field: Some(column.clone()),
                message: e.to_string(),
                file: None,
                row: None,
            },
            E::Confidence(_) | E::DuplicateConfidence(_) | E::Multiplier(_) => {
                Failure::Argument(e.to_string())
            }
            other => Failure::Data {
                message: other.to_string(),
                file: None,
                row: None,
                field: None,
            },
        }
    }
}

impl From<pcnkit_indicators::request::RequestError> for Failure {
    fn from(e: pcnkit_indicators::request::RequestError) -> Self {
        match e {
            pcnkit_indicators::request::RequestError::Method(e) => Failure::from(e),
            other => Failure::Argument(other.to_string()),
        }
    }
}

impl From<pcnkit_org::OrgError> for Failure {
    fn from(e: pcnkit_org::OrgError) -> Self {
        match e {
            pcnkit_org::OrgError::Core(c) => core(c),
            pcnkit_org::OrgError::Data(d) => data(&d),
            other => Failure::Data {
                message: other.to_string(),
                file: None,
                row: None,
                field: None,
            },
        }
    }
}

impl From<pcnkit_arrs::ArrsError> for Failure {
    fn from(e: pcnkit_arrs::ArrsError) -> Self {
        match e {
            pcnkit_arrs::ArrsError::Core(c) => core(c),
            pcnkit_arrs::ArrsError::NoRulesForYear(_) => Failure::Argument(e.to_string()),
            other => Failure::Data {
                message: other.to_string(),
                file: None,
                row: None,
                field: None,
            },
        }
    }
}

impl From<pcnkit_assets::AssetError> for Failure {
    fn from(e: pcnkit_assets::AssetError) -> Self {
        Failure::Data {
            message: e.to_string(),
            file: None,
            row: None,
            field: None,
        }
    }
}

/// Runs `f` with the GIL released; its failure becomes the matching exception and a panic
/// becomes `PcnkitError` (never `PanicException`).
pub fn run<T: Send>(py: Python<'_>, f: impl FnOnce() -> Result<T, Failure> + Send) -> PyResult<T> {
    let outcome = py.detach(|| catch_unwind(AssertUnwindSafe(f)));
    match outcome {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(failure)) => Err(failure.into_py(py)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(PcnkitError::new_err(format!(
                "internal error in pcnkit (please report it): {what}"
            )))
        }
    }
}

impl From<pcnkit_profile::ProfileError> for Failure {
    fn from(e: pcnkit_profile::ProfileError) -> Self {
        use pcnkit_profile::ProfileError as E;
        let data = |message: String, file: Option<String>| Failure::Data {
            message,
            file,
            row: None,
            field: None,
        };
        match e {
            E::Inputs(m) => Failure::Argument(m),
            E::Io { path, problem } => data(format!("{path}: {problem}"), Some(path)),
            E::Rejected { file, rows } => data(
                format!(
                    "{rows} row(s) of {file} could not be read; correct them, or pass accept_errors=True to go on without them (each is then in the findings table)"
                ),
                Some(file),
            ),
            E::Org(o) => o.into(),
            E::Arrs(a) => a.into(),
            E::Indicators(i) => i.into(),
            E::Assets(a) => a.into(),
            E::Core(c) => c.into(),
            other => data(other.to_string(), None),
        }
    }
}
