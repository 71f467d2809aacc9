//! `pcnkit`: the command line over the pcnkit crates.
//!
//! ```text
//! pcnkit demo --out demo/                      # the synthetic demo ICS as CSV and Parquet
//! pcnkit org snapshot --demo                   # every practice with its PCN and list size
//! pcnkit arrs entitlement --year 2025/26 --weighted 30000
//! pcnkit indicators dsr --input deaths.csv --count deaths --population pop \
//!     --age-band age_band --group-by area --confidence 0.95,0.998
//! pcnkit assets search --demo --near 52.62,-1.95 --kind pharmacy
//! pcnkit report --demo --dir report/              # the HTML report of the demo ICS
//! ```
//!
//! Output is a readable table by default, or `--format csv|json|parquet` (`--out FILE`). Errors
//! name the file, row and field; exit codes: 2 usage, 3 unreadable file, 4 bad data, 5 output.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use std::io::Write;

use clap::{Parser, Subcommand};
use pcnkit_core::read::{Finding, Imported, Severity};

mod arrs;
mod assets;
mod benchmark;
mod demo;
mod disclose;
mod error;
mod indicators;
mod input;
mod load;
mod org;
mod output;
mod plan;
mod progress;
mod report;
mod serve;
mod spc;
mod trend;

use error::CliError;
use output::Format;

/// pcnkit: primary care network building blocks for England (organisation, ARRS, indicators,
/// community assets). All demo data is synthetic.
#[derive(Debug, Parser)]
#[command(name = "pcnkit", version, about, long_about = None)]
struct Cli {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value = "table")]
    format: Format,
    /// Write the result to this file instead of standard output.
    #[arg(long, global = true)]
    out: Option<PathBuf>,
    /// No progress bars on standard error.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Go on when input rows have errors: the good rows are used, the bad ones listed (on
    /// standard error and in the report's findings) and the exit status is 0. Without it, any
    /// bad row ends the command with status 4 (an import still writes its good records first).
    #[arg(long, global = true)]
    accept_errors: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the synthetic demo ICS as CSV and Parquet files.
    ///
    /// Example: pcnkit demo --dir demo/
    Demo(demo::Args),
    /// PCN organisation: import NHS files, validate, snapshot as at a date.
    #[command(subcommand)]
    Org(org::Command),
    /// ARRS and Network Contract DES: entitlement, claims, plans, explanations.
    #[command(subcommand)]
    Arrs(arrs::Command),
    /// Indicator methods over a CSV or Parquet table.
    #[command(subcommand)]
    Indicators(indicators::Command),
    /// Community asset registers: import, export, search, coverage.
    #[command(subcommand)]
    Assets(assets::Command),
    /// Planning the population-health workforce: GP population-health lead patches.
    #[command(subcommand)]
    Plan(plan::Command),
    /// A static HTML report (inline SVG charts, no network) and its tables.
    Report(report::Args),
    /// Serve a stored register (`assets import --db`) as an Open Referral UK 3.0 API.
    #[command(
        after_help = "Example:\n  pcnkit assets import --demo --db assets.sqlite\n  pcnkit serve --db assets.sqlite --bind 127.0.0.1:8080"
    )]
    Serve(serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Context {
        format: cli.format,
        out: cli.out,
        quiet: cli.quiet,
        accept_errors: cli.accept_errors,
        findings: std::cell::RefCell::new(Vec::new()),
    };
    let result = match cli.command {
        Command::Demo(a) => demo::run(&ctx, a),
        Command::Org(c) => org::run(&ctx, c),
        Command::Arrs(c) => arrs::run(&ctx, c),
        Command::Indicators(c) => indicators::run(&ctx, c),
        Command::Assets(c) => assets::run(&ctx, c),
        Command::Plan(c) => plan::run(&ctx, c),
        Command::Report(a) => report::run(&ctx, a),
        Command::Serve(a) => serve::run(&ctx, &a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader of our output went away (`pcnkit … | head`): nothing more to say.
        Err(CliError::ClosedPipe) => ExitCode::SUCCESS,
        Err(e) => {
            // Standard error may be closed too; there is nowhere else to say it.
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// The async runtime of the commands that talk to a database or serve HTTP.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Output(format!("starting the async runtime: {e}")))
}

/// Options shared by every command.
#[derive(Debug)]
pub struct Context {
    /// Output format.
    pub format: Format,
    /// Output file.
    pub out: Option<PathBuf>,
    /// No progress bars.
    pub quiet: bool,
    /// Go on without the rows that have errors (`--accept-errors`).
    pub accept_errors: bool,
    /// Everything found in the inputs so far (shown in the report's findings table).
    pub findings: std::cell::RefCell<Vec<Finding>>,
}

impl Context {
    /// Accounts for every row of an import: errors and warnings are written to standard error
    /// with their file, line and column, skipped rows are counted there by reason, and all of
    /// them are kept as findings. Any error fails the command (status 4) unless
    /// `--accept-errors` was given.
    pub fn account<T>(&self, imported: &Imported<T>) -> Result<(), CliError> {
        self.record(imported.findings());
        if imported.errors.is_empty() || self.accept_errors {
            return Ok(());
        }
        let file = imported
            .errors
            .first()
            .and_then(|e| e.location.file.clone())
            .map_or_else(|| "the input".to_owned(), |f| f.to_string());
        Err(CliError::Data(format!(
            "{} row(s) of {file} could not be read (listed above); correct them, or pass --accept-errors to go on without them",
            imported.errors.len()
        )))
    }

    /// Writes findings to standard error (skipped rows counted by reason) and keeps them.
    pub fn record(&self, findings: Vec<Finding>) {
        self.print(&findings);
        self.findings.borrow_mut().extend(findings);
    }

    /// Writes findings to standard error: each error and warning on its line, skipped rows
    /// counted by reason (a national file's thousands of skipped rows are a few lines).
    pub fn print(&self, findings: &[Finding]) {
        let mut stderr = std::io::stderr().lock();
        let mut skipped: std::collections::BTreeMap<String, (usize, String)> =
            std::collections::BTreeMap::new();
        for f in findings {
            if f.severity == Severity::Skipped {
                // Group by the reason's wording without its codes.
                let key: String = f
                    .message
                    .split_whitespace()
                    .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
                    .collect::<Vec<_>>()
                    .join(" ");
                let file = f
                    .location
                    .as_ref()
                    .and_then(|l| l.file.as_deref())
                    .unwrap_or("input")
                    .to_owned();
                skipped
                    .entry(format!("{file}: {key}"))
                    .or_insert((0, f.to_string()))
                    .0 += 1;
            } else {
                let _ = writeln!(stderr, "{f}");
            }
        }
        for (key, (n, first)) in skipped {
            let _ = writeln!(stderr, "skipped: {n} row(s) of {key} (first: {first})");
        }
    }

    /// An intake for the profile crate's readers: errors accepted as `--accept-errors` says,
    /// findings written to standard error as they are found.
    pub fn intake(&self) -> pcnkit_profile::Intake<'_> {
        pcnkit_profile::Intake::new()
            .accept_errors(self.accept_errors)
            .observe(|f| self.print(f))
    }

    /// Keeps the findings an intake gathered (already written to standard error).
    pub fn keep(&self, intake: pcnkit_profile::Intake<'_>) {
        self.findings.borrow_mut().extend(intake.into_findings());
    }

    /// The findings kept so far.
    pub fn findings(&self) -> Vec<Finding> {
        self.findings.borrow().clone()
    }

    /// Writes a result table.
    pub fn emit(&self, batch: &arrow_array::RecordBatch) -> Result<(), CliError> {
        output::write(batch, self.format, self.out.as_deref())
    }
}
