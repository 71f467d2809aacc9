//! What the command reports on failure, and its exit code.

/// A failure of the `pcnkit` command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// A file could not be read or written.
    #[error("{path}: {problem}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        problem: String,
    },
    /// Bad data in an input file (the message names the file, row and field).
    #[error("{0}")]
    Data(String),
    /// Writing the output failed.
    #[error("writing output: {0}")]
    Output(String),
    /// Standard output was closed by its reader (`| head`): not a failure.
    #[error("standard output closed")]
    ClosedPipe,
}

impl CliError {
    /// 2 for usage, 3 for unreadable files, 4 for bad data, 5 for output failures.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Io { .. } => 3,
            CliError::Data(_) => 4,
            CliError::Output(_) => 5,
            CliError::ClosedPipe => 0,
        }
    }
}

/// The errors of building a registry, one per line.
pub fn org_errors(errors: Vec<pcnkit_org::OrgError>) -> CliError {
    CliError::Data(
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Wraps any domain error as a data error.
pub fn data(e: impl std::fmt::Display) -> CliError {
    CliError::Data(e.to_string())
}

/// A profile error as the command reports it (exit status by kind; the CLI's flag named).
pub fn profile_error(e: pcnkit_profile::ProfileError) -> CliError {
    use pcnkit_profile::ProfileError as E;
    match e {
        E::Inputs(m) => CliError::Usage(m),
        E::Io { path, problem } => CliError::Io { path, problem },
        E::Rejected { file, rows } => CliError::Data(format!(
            "{rows} row(s) of {file} could not be read (listed above); correct them, or pass --accept-errors to go on without them"
        )),
        other => CliError::Data(other.to_string()),
    }
}
