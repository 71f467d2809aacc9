//! One shape for everything a reader, a rule check or an engine finds that a person should
//! know: the rule it comes from, how serious it is, what it is about, the words, the document
//! the rule rests on, and where in the input it was (file, line, column) when it is about a
//! row. Organisation checks, ARRS claims, indicator tables, asset imports and every front end
//! use this one type and its one Arrow table ([`findings_table`]).

use std::borrow::Cow;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt64Array};

use crate::error::{CoreError, SourceLocation};

/// How serious a [`Finding`] is, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// Breaks a rule, or a row that could not be used (and, unless accepted, a failed run).
    Error,
    /// Used, but a person should check it: outside a norm, an approved exception, a figure
    /// that could not be worked out.
    Warning,
    /// A row deliberately not used, with the reason.
    Skipped,
    /// Worth knowing; no action needed.
    Info,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Skipped => "skipped",
            Severity::Info => "info",
        })
    }
}

/// One thing found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The rule it comes from, as `domain.rule` (`read.bad_row`, `org.pcn_population`,
    /// `arrs.role_cap`): stable, for filtering and counting.
    pub rule: Cow<'static, str>,
    /// How serious it is.
    pub severity: Severity,
    /// What it is about (a PCN code, `staff CP1, 2025-07`), when it is about one thing.
    pub subject: Option<String>,
    /// What was found, in words.
    pub message: String,
    /// The document the rule rests on, when it has one.
    pub source: Option<String>,
    /// Where in the input, when it is about a row.
    pub location: Option<SourceLocation>,
}

impl Finding {
    /// A finding of `rule` with no subject, source or location (add them with [`about`],
    /// [`citing`] and [`at`]).
    ///
    /// [`about`]: Finding::about
    /// [`citing`]: Finding::citing
    /// [`at`]: Finding::at
    pub fn new(
        rule: impl Into<Cow<'static, str>>,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule: rule.into(),
            severity,
            subject: None,
            message: message.into(),
            source: None,
            location: None,
        }
    }

    /// The finding about `subject`.
    #[must_use]
    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// The finding citing the document its rule rests on.
    #[must_use]
    pub fn citing(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The finding at a place in the input.
    #[must_use]
    pub fn at(mut self, location: SourceLocation) -> Self {
        self.location = Some(location);
        self
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.severity)?;
        if let Some(l) = &self.location {
            write!(f, ": {l}")?;
        }
        if let Some(s) = &self.subject {
            write!(f, ": {s}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(s) = &self.source {
            write!(f, " (source: {s})")?;
        }
        Ok(())
    }
}

/// Findings as an Arrow table, the one shape every front end shows and writes: `rule`,
/// `severity`, `subject`, `message`, `source`, `file`, `line`, `field` (text but the line, which
/// is 1-based with the header as line 1; absent parts are null).
pub fn findings_table(findings: &[Finding]) -> Result<RecordBatch, CoreError> {
    let text = |get: &dyn Fn(&Finding) -> Option<String>| -> ArrayRef {
        Arc::new(findings.iter().map(get).collect::<StringArray>())
    };
    fn loc(f: &Finding) -> Option<&SourceLocation> {
        f.location.as_ref()
    }
    crate::arrow::nullable_batch([
        ("rule", text(&|f| Some(f.rule.to_string()))),
        ("severity", text(&|f| Some(f.severity.to_string()))),
        ("subject", text(&|f| f.subject.clone())),
        ("message", text(&|f| Some(f.message.clone()))),
        ("source", text(&|f| f.source.clone())),
        (
            "file",
            text(&|f| loc(f).and_then(|l| l.file.as_deref().map(str::to_owned))),
        ),
        (
            "line",
            Arc::new(
                findings
                    .iter()
                    .map(|f| loc(f).and_then(|l| l.line))
                    .collect::<UInt64Array>(),
            ) as ArrayRef,
        ),
        ("field", text(&|f| loc(f).and_then(|l| l.field.clone()))),
    ])
}
