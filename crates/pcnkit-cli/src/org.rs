//! `pcnkit org`: organisation files, validation and snapshots.

use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use chrono::NaiveDate;
use pcnkit_org::Registry;
use pcnkit_org::import::{ImportOptions, open, read_practice_map, registry_from_practice_map};

use crate::error::{CliError, data};
use crate::{Context, progress};

/// Where the organisations come from.
#[derive(Debug, clap::Args)]
pub struct Source {
    /// Use the synthetic demo ICS.
    #[arg(long, conflicts_with = "practice_map")]
    pub demo: bool,
    /// NHS England's practice → PCN → sub-ICB → ICB map (`gp-reg-pat-prac-map.csv`).
    #[arg(long)]
    pub practice_map: Option<PathBuf>,
    /// As at this date (YYYY-MM-DD); default: the extract date.
    #[arg(long)]
    pub date: Option<NaiveDate>,
}

/// The NHS organisation files `org import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FileKind {
    /// NHS England's practice → PCN → sub-ICB → ICB map (gp-reg-pat-prac-map.csv).
    PracticeMap,
    /// ODS GP practices (epraccur.csv).
    Epraccur,
    /// ODS ePCN details sheet as CSV.
    EpcnDetails,
    /// ODS ePCN members sheet as CSV.
    EpcnMembers,
    /// Patients Registered at a GP Practice (any layout).
    RegisteredPatients,
}

/// An organisation command.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Read an NHS file and report its rows, errors (file, line, field) and skips.
    #[command(
        after_help = "Example:\n  pcnkit org import --kind epraccur epraccur.csv\n  pcnkit org import --kind practice-map gp-reg-pat-prac-map.csv"
    )]
    Import {
        /// Which file it is.
        #[arg(long, value_enum, default_value = "practice-map")]
        kind: FileKind,
        /// The file.
        #[arg(long = "practice-map", alias = "file")]
        practice_map: PathBuf,
        /// Stop at the first bad row.
        #[arg(long)]
        strict: bool,
    },
    /// Every practice open on a date with its PCN, areas and list size.
    #[command(after_help = "Example:\n  pcnkit org snapshot --demo --format csv")]
    Snapshot(Source),
    /// Rule checks: PCN sizes (30,000–50,000 with exceptions), Clinical Directors, Network
    /// Agreements.
    #[command(after_help = "Example:\n  pcnkit org validate --demo")]
    Validate(Source),
}

fn load(ctx: &Context, source: &Source) -> Result<(Registry, NaiveDate), CliError> {
    if source.demo {
        let ics = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default()).map_err(data)?;
        return Ok((ics.registry, source.date.unwrap_or(ics.extract_date)));
    }
    let Some(path) = &source.practice_map else {
        return Err(CliError::Usage(
            "give --demo or --practice-map FILE".to_owned(),
        ));
    };
    let spin = progress::spinner(ctx.quiet, "reading the practice map");
    let file = open(path).map_err(|e| CliError::Io {
        path: path.display().to_string(),
        problem: e.to_string(),
    })?;
    let imported = read_practice_map(
        file,
        ImportOptions::new(path.display().to_string()).strict(),
    )
    .map_err(data)?;
    spin.finish_and_clear();
    let date = source
        .date
        .or_else(|| imported.records.first().map(|r| r.extract_date))
        .ok_or_else(|| CliError::Data(format!("{}: no rows", path.display())))?;
    let registry = registry_from_practice_map(&imported.records)
        .build()
        .map_err(crate::error::org_errors)?;
    Ok((registry, date))
}

fn text_table(columns: Vec<(&str, Vec<String>)>) -> Result<RecordBatch, CliError> {
    RecordBatch::try_from_iter(
        columns
            .into_iter()
            .map(|(n, v)| (n, Arc::new(StringArray::from(v)) as ArrayRef)),
    )
    .map_err(|e| CliError::Output(e.to_string()))
}

/// Runs `pcnkit org …`.
pub fn run(ctx: &Context, command: Command) -> Result<(), CliError> {
    match command {
        Command::Import {
            kind,
            practice_map,
            strict,
        } => {
            let file = open(&practice_map).map_err(|e| CliError::Io {
                path: practice_map.display().to_string(),
                problem: e.to_string(),
            })?;
            let mut options = ImportOptions::new(practice_map.display().to_string());
            if strict {
                options = options.strict();
            }
            // Every importer returns the same counts; only its record type differs.
            use pcnkit_org::import as imp;
            fn counts<T>(i: imp::Imported<T>) -> (u64, usize, Vec<pcnkit_core::DataError>, usize) {
                (i.rows, i.records.len(), i.errors, i.skipped.len())
            }
            let (rows, records, errors, skipped) = match kind {
                FileKind::PracticeMap => counts(read_practice_map(file, options).map_err(data)?),
                FileKind::Epraccur => counts(imp::read_epraccur(file, options).map_err(data)?),
                FileKind::EpcnDetails => {
                    counts(imp::read_epcn_details(file, options).map_err(data)?)
                }
                FileKind::EpcnMembers => {
                    counts(imp::read_epcn_members(file, options).map_err(data)?)
                }
                FileKind::RegisteredPatients => {
                    counts(imp::read_registered_patients(file, options).map_err(data)?)
                }
            };
            for e in errors.iter().take(20) {
                eprintln!("{e}");
            }
            let batch = text_table(vec![
                ("rows", vec![rows.to_string()]),
                ("records", vec![records.to_string()]),
                ("errors", vec![errors.len().to_string()]),
                ("skipped", vec![skipped.to_string()]),
            ])?;
            ctx.emit(&batch)?;
            if errors.is_empty() {
                Ok(())
            } else {
                Err(CliError::Data(format!(
                    "{}: {} bad rows (the first are above)",
                    practice_map.display(),
                    errors.len()
                )))
            }
        }
        Command::Snapshot(source) => {
            let (registry, date) = load(ctx, &source)?;
            let batch =
                pcnkit_org::export::snapshot_table(&registry.snapshot(date)).map_err(data)?;
            ctx.emit(&batch)
        }
        Command::Validate(source) => {
            let (registry, date) = load(ctx, &source)?;
            let mut findings = pcnkit_org::rules::check_pcn_sizes(
                &registry,
                date,
                &pcnkit_org::rules::PcnSizePolicy::default(),
            )
            .map_err(data)?;
            findings.extend(pcnkit_org::rules::check_governance(&registry, date));
            let batch = text_table(vec![
                (
                    "severity",
                    findings
                        .iter()
                        .map(|f| format!("{:?}", f.severity))
                        .collect(),
                ),
                (
                    "rule",
                    findings.iter().map(|f| format!("{:?}", f.rule)).collect(),
                ),
                (
                    "subject",
                    findings.iter().map(|f| f.subject.clone()).collect(),
                ),
                (
                    "message",
                    findings.iter().map(|f| f.message.clone()).collect(),
                ),
                (
                    "source",
                    findings.iter().map(|f| f.source.clone()).collect(),
                ),
            ])?;
            ctx.emit(&batch)
        }
    }
}
