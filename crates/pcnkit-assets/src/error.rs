//! Errors of pcnkit-assets: every one names where the bad value is (a JSON path, or a file row
//! and column) and what is wrong with it.

/// What went wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AssetError {
    /// A value that is not allowed, in a field.
    #[error("{field}: {problem}")]
    Invalid {
        /// The field (a model field, JSON path or column).
        field: String,
        /// What is wrong.
        problem: String,
    },
    /// A bad value in an input document or file, with its location.
    #[error("{source_name}, {location}: {problem}")]
    Input {
        /// The file or feed.
        source_name: String,
        /// A JSON path (`$.contents[3].schedules[0].opens_at`) or `row 12, column postcode`.
        location: String,
        /// What is wrong.
        problem: String,
    },
    /// JSON that does not parse.
    #[error("{source_name}: not valid JSON: {problem}")]
    Json {
        /// The file or feed.
        source_name: String,
        /// The parser's message (with line and column).
        problem: String,
    },
    /// An asset that is not in the register.
    #[error("no asset with id {0}")]
    UnknownAsset(String),
    /// Building an Arrow table failed.
    #[error("Arrow: {0}")]
    Arrow(String),
}

impl AssetError {
    /// An invalid value in `field`.
    pub fn invalid(field: &str, problem: String) -> Self {
        AssetError::Invalid {
            field: field.to_owned(),
            problem,
        }
    }

    /// This error placed at `location` in `source_name` (a model error becomes an input error).
    pub fn at(self, source_name: &str, location: &str) -> Self {
        match self {
            AssetError::Invalid { field, problem } => AssetError::Input {
                source_name: source_name.to_owned(),
                location: format!("{location}.{field}"),
                problem,
            },
            other => other,
        }
    }
}
