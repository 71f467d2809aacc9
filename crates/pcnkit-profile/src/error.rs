//! Why a profile could not be made.

use pcnkit_core::{DataError, DataErrorKind};

/// A profile (or one of its inputs) could not be made. Bad rows are not errors of this type
/// unless they are refused: they are findings, and [`ProfileError::Rejected`] says how many
/// when errors are not accepted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The inputs asked for cannot go together, or a required one is missing.
    #[error("{0}")]
    Inputs(String),
    /// A file could not be opened or read.
    #[error("{path}: {problem}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        problem: String,
    },
    /// Rows of an input had errors, and errors were not accepted.
    #[error(
        "{rows} row(s) of {file} could not be read (listed in the findings); correct them, or accept errors to go on without them"
    )]
    Rejected {
        /// The file.
        file: String,
        /// How many rows had errors.
        rows: usize,
    },
    /// A file whose content cannot be used at all (no rows, no PCN in scope, a bad header).
    #[error("{0}")]
    Data(String),
    /// Building the registry failed (one message per conflict).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Registry(Vec<pcnkit_org::OrgError>),
    /// An organisation-domain error.
    #[error(transparent)]
    Org(#[from] pcnkit_org::OrgError),
    /// An ARRS-domain error.
    #[error(transparent)]
    Arrs(#[from] pcnkit_arrs::ArrsError),
    /// An indicator method failed.
    #[error(transparent)]
    Indicators(#[from] pcnkit_indicators::IndicatorError),
    /// An asset-domain error.
    #[error(transparent)]
    Assets(#[from] pcnkit_assets::AssetError),
    /// A shared-vocabulary error (money overflow, a bad code).
    #[error(transparent)]
    Core(#[from] pcnkit_core::CoreError),
    /// An Arrow table could not be made.
    #[error("arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
}

impl From<DataError> for ProfileError {
    fn from(e: DataError) -> Self {
        match &e.kind {
            DataErrorKind::Io(problem) => ProfileError::Io {
                path: e.location.file.as_deref().unwrap_or("input").to_owned(),
                problem: problem.clone(),
            },
            _ => ProfileError::Data(e.to_string()),
        }
    }
}

impl ProfileError {
    /// An organisation error, with a file that could not be read kept as [`ProfileError::Io`].
    pub(crate) fn org(e: pcnkit_org::OrgError) -> Self {
        match e {
            pcnkit_org::OrgError::Data(d) => d.into(),
            other => ProfileError::Org(other),
        }
    }
}
