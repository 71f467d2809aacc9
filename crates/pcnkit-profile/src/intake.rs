//! Where the findings about the inputs go while they are read, and whether rows with errors
//! stop the run: the one accounting policy of every front end (the CLI's `--accept-errors`,
//! Python's `accept_errors=True`).

use pcnkit_core::read::{Finding, Imported};

use crate::ProfileError;

/// Collects every finding of the inputs read (errors, warnings, skipped rows, notes) and
/// applies the error policy: any row with an error stops the run with
/// [`ProfileError::Rejected`] unless errors are accepted, in which case the row is left out and
/// its finding kept. An observer sees each batch of findings as it is found (the CLI writes
/// them to standard error), so a run that stops has still said why.
pub struct Intake<'a> {
    accept_errors: bool,
    findings: Vec<Finding>,
    observer: Option<Observer<'a>>,
}

/// What is called with each batch of findings.
type Observer<'a> = Box<dyn FnMut(&[Finding]) + 'a>;

impl std::fmt::Debug for Intake<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Intake")
            .field("accept_errors", &self.accept_errors)
            .field("findings", &self.findings.len())
            .finish_non_exhaustive()
    }
}

impl Default for Intake<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> Intake<'a> {
    /// Errors refused, no observer.
    pub fn new() -> Self {
        Intake {
            accept_errors: false,
            findings: Vec::new(),
            observer: None,
        }
    }

    /// Go on without rows that have errors (each kept as a finding).
    #[must_use]
    pub fn accept_errors(mut self, yes: bool) -> Self {
        self.accept_errors = yes;
        self
    }

    /// Calls `observer` with each batch of findings as it is recorded.
    #[must_use]
    pub fn observe(mut self, observer: impl FnMut(&[Finding]) + 'a) -> Self {
        self.observer = Some(Box::new(observer));
        self
    }

    /// Keeps findings (and shows them to the observer).
    pub fn record(&mut self, findings: Vec<Finding>) {
        if findings.is_empty() {
            return;
        }
        if let Some(o) = self.observer.as_mut() {
            o(&findings);
        }
        self.findings.extend(findings);
    }

    /// Accounts for every row of an import: its errors, warnings and skipped rows become
    /// findings; any error then stops the run unless errors are accepted.
    pub fn account<T>(&mut self, imported: &Imported<T>) -> Result<(), ProfileError> {
        self.record(imported.findings());
        self.check(
            imported.errors.len(),
            imported
                .errors
                .first()
                .and_then(|e| e.location.file.as_deref()),
        )
    }

    /// The error policy for `rows` bad rows (or records) of `file`.
    pub(crate) fn check(&self, rows: usize, file: Option<&str>) -> Result<(), ProfileError> {
        if rows == 0 || self.accept_errors {
            return Ok(());
        }
        Err(ProfileError::Rejected {
            file: file.unwrap_or("the input").to_owned(),
            rows,
        })
    }

    /// Everything recorded so far.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Everything recorded, taken out.
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}
