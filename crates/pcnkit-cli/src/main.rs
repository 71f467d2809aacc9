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

use clap::{Parser, Subcommand};

mod arrs;
mod assets;
mod demo;
mod error;
mod indicators;
mod input;
mod org;
mod output;
mod progress;
mod report;

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
    /// A static HTML report (inline SVG charts, no network) and its tables.
    Report(report::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Context {
        format: cli.format,
        out: cli.out,
        quiet: cli.quiet,
    };
    let result = match cli.command {
        Command::Demo(a) => demo::run(&ctx, a),
        Command::Org(c) => org::run(&ctx, c),
        Command::Arrs(c) => arrs::run(&ctx, c),
        Command::Indicators(c) => indicators::run(&ctx, c),
        Command::Assets(c) => assets::run(&ctx, c),
        Command::Report(a) => report::run(&ctx, a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
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
}

impl Context {
    /// Writes a result table.
    pub fn emit(&self, batch: &arrow_array::RecordBatch) -> Result<(), CliError> {
        output::write(batch, self.format, self.out.as_deref())
    }
}
