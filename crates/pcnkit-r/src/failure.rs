//! What went wrong, as the R layer raises it: a condition class and its fields.

use extendr_api::prelude::*;

/// A failure of a call, by the condition class R gets.
#[derive(Debug)]
pub(crate) enum Failure {
    /// An argument that cannot be used (`pcnkit_argument_error`).
    Argument(String),
    /// Data that cannot be used, with where (`pcnkit_data_error`).
    Data {
        message: String,
        file: Option<String>,
        row: Option<u64>,
        field: Option<String>,
    },
    /// A bug (`pcnkit_internal_error`).
    Internal(String),
}

impl Failure {
    /// A reader's row error: `row` is the data frame's row (the table's line less its header).
    pub(crate) fn from_data_error(e: &pcnkit_core::DataError, count: usize) -> Self {
        let more = if count > 1 {
            format!(" (and {} more bad row(s))", count - 1)
        } else {
            String::new()
        };
        Failure::Data {
            message: format!("{e}{more}"),
            file: e.location.file.as_deref().map(str::to_owned),
            row: e.location.line.map(|l| l.saturating_sub(1)),
            field: e.location.field.clone(),
        }
    }

    /// The list the R layer turns into a condition.
    pub(crate) fn into_robj(self) -> Robj {
        let (class, message, file, row, field) = match self {
            Failure::Argument(m) => ("pcnkit_argument_error", m, None, None, None),
            Failure::Data {
                message,
                file,
                row,
                field,
            } => ("pcnkit_data_error", message, file, row, field),
            Failure::Internal(m) => ("pcnkit_internal_error", m, None, None, None),
        };
        list!(
            ok = false,
            class = class,
            message = message,
            file = file,
            row = row.map(|r| r as f64),
            field = field
        )
        .into()
    }
}

impl From<pcnkit_indicators::IndicatorError> for Failure {
    fn from(e: pcnkit_indicators::IndicatorError) -> Self {
        use pcnkit_indicators::IndicatorError as E;
        match &e {
            E::Column { column, .. } => Failure::Data {
                field: Some(column.clone()),
                message: e.to_string(),
                file: None,
                row: None,
            },
            E::Confidence(_) | E::DuplicateConfidence(_) | E::Multiplier(_) => {
                Failure::Argument(e.to_string())
            }
            _ => Failure::Data {
                message: e.to_string(),
                file: None,
                row: None,
                field: None,
            },
        }
    }
}

impl From<pcnkit_arrs::ArrsError> for Failure {
    fn from(e: pcnkit_arrs::ArrsError) -> Self {
        Failure::Argument(e.to_string())
    }
}

impl From<pcnkit_core::DataError> for Failure {
    fn from(e: pcnkit_core::DataError) -> Self {
        Failure::from_data_error(&e, 1)
    }
}

impl From<pcnkit_org::OrgError> for Failure {
    fn from(e: pcnkit_org::OrgError) -> Self {
        Failure::Data {
            message: e.to_string(),
            file: None,
            row: None,
            field: None,
        }
    }
}

impl From<pcnkit_indicators::request::RequestError> for Failure {
    fn from(e: pcnkit_indicators::request::RequestError) -> Self {
        match e {
            pcnkit_indicators::request::RequestError::Argument(e) => {
                Failure::Argument(e.to_string())
            }
            pcnkit_indicators::request::RequestError::Method(e) => Failure::from(e),
            other => Failure::Argument(other.to_string()),
        }
    }
}
