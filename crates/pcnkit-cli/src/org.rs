//! `pcnkit org`: organisation files, validation and snapshots.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use chrono::NaiveDate;
use pcnkit_org::Registry;
use pcnkit_org::import::ImportOptions;

use crate::error::{CliError, data};
use crate::{Context, progress};

/// Where the organisations come from.
#[derive(Debug, clap::Args)]
pub struct Source {
    /// Use the synthetic demo ICS.
    #[arg(long, conflicts_with_all = ["practice_map", "lists"])]
    pub demo: bool,
    /// NHS England's practice → PCN → sub-ICB → ICB map (`gp-reg-pat-prac-map.csv`).
    #[arg(long)]
    pub practice_map: Option<PathBuf>,
    /// Patients Registered at a GP Practice, practice rows (any layout: all persons, five-year
    /// bands, single year of age): list sizes for the populations. Without it, populations are
    /// unknown and said to be.
    #[arg(long)]
    pub lists: Option<PathBuf>,
    /// As at this date (YYYY-MM-DD); default: the extract date.
    #[arg(long)]
    pub date: Option<NaiveDate>,
}

/// The kinds `--kind` takes: the crate's [`pcnkit_org::import::FileKind`] names, with `-`.
fn kind_parser() -> impl clap::builder::TypedValueParser<Value = pcnkit_org::import::FileKind> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(
        pcnkit_org::import::FileKind::ALL.map(pcnkit_org::import::FileKind::kebab_name),
    )
    .try_map(|s| s.parse::<pcnkit_org::import::FileKind>())
}

/// An organisation command.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Read an NHS file: every row becomes a record, an error (file, line, column) or a skip
    /// with its reason. With --out the records are written (typed columns) and the counts go
    /// to standard error; without it the counts are the output. Bad rows make the exit status
    /// 4 (the good records are still written) unless --accept-errors.
    #[command(
        after_help = "Examples:\n  pcnkit org import --kind epraccur epraccur.csv\n  pcnkit org import gp-reg-pat-prac-map.csv --out map.parquet --format parquet"
    )]
    Import {
        /// Which file it is: practice-map (gp-reg-pat-prac-map.csv), epraccur (ODS GP
        /// practices), epcn-details and epcn-members (the ODS ePCN sheets as CSV),
        /// registered-patients (any layout), practice-lsoa (gp-reg-pat-prac-lsoa-all.csv),
        /// weighted (NHS Payments to General Practice, or pcnkit's table), lsoa-deprivation
        /// (IoD2019 File 1/2, or pcnkit's table), practice-deprivation (Fingertips practice IMD
        /// scores, or pcnkit's table), practice-locations.
        #[arg(long, default_value = "practice-map", value_parser = kind_parser())]
        kind: pcnkit_org::import::FileKind,
        /// The file.
        #[arg(value_name = "FILE", required_unless_present = "file")]
        path: Option<PathBuf>,
        /// The file (the older spelling of FILE).
        #[arg(long = "file", alias = "practice-map", hide = true)]
        file: Option<PathBuf>,
        /// Stop at the first bad row.
        #[arg(long)]
        strict: bool,
    },
    /// Every practice open on a date with its PCN, areas and list size.
    #[command(
        after_help = "Examples:\n  pcnkit org snapshot --demo --format csv\n  pcnkit org snapshot --practice-map gp-reg-pat-prac-map.csv --lists gp-reg-pat-prac-all.csv"
    )]
    Snapshot(Source),
    /// Rule checks: PCN sizes (30,000–50,000 with exceptions; a PCN without lists is a
    /// finding), PCNs across ICBs, Clinical Directors, Network Agreements.
    #[command(
        after_help = "Examples:\n  pcnkit org validate --demo\n  pcnkit org validate --practice-map gp-reg-pat-prac-map.csv --lists gp-reg-pat-prac-all.csv"
    )]
    Validate(Source),
    /// Practices' and PCNs' population-weighted deprivation: patients by LSOA × each LSOA's
    /// IMD score (and decile), from any release of the indices (columns matched by meaning,
    /// the release named in every row), placed in deciles and quintiles among every practice
    /// and PCN given and re-ranked within each ICB.
    #[command(
        after_help = "Examples:\n  pcnkit org deprivation --practice-map gp-reg-pat-prac-map.csv --practice-lsoa gp-reg-pat-prac-lsoa-all.csv --lsoas File_5_IoD2025_Scores.csv\n  pcnkit org deprivation --demo"
    )]
    Deprivation {
        #[command(flatten)]
        source: Source,
        /// Patients per practice per LSOA (`gp-reg-pat-prac-lsoa-all.csv`).
        #[arg(long, required_unless_present = "demo")]
        practice_lsoa: Option<PathBuf>,
        /// LSOA deprivation: a file of any release of the English Indices of Deprivation
        /// (IoD2019 on 2011 LSOAs, IoD2025 on 2021 LSOAs), or pcnkit's `lsoa`, `imd_decile`
        /// (`imd_score`, `imd_release`) table.
        #[arg(long, required_unless_present = "demo")]
        lsoas: Option<PathBuf>,
        /// Re-rank within each: icb (the default), sub-icb or region.
        #[arg(long, default_value = "icb")]
        within: String,
    },
}

/// A registry from a practice map (every row accounted for) and its extract date.
pub fn registry_from_map(
    ctx: &Context,
    path: &std::path::Path,
) -> Result<(Registry, NaiveDate), CliError> {
    let read = read_registry(ctx, path, None, None)?;
    Ok((read.registry, read.date))
}

/// A registry read from a practice map and, when given, list files (practice rows as list
/// sizes) and patients by LSOA (the PCN footprints), every row accounted for.
struct Read {
    registry: Registry,
    /// The map's extract date.
    date: NaiveDate,
    /// The lists of PCN-level rows, when the list file has them.
    pcn_lists: std::collections::BTreeMap<pcnkit_core::PcnCode, pcnkit_org::PcnList>,
}

fn read_registry(
    ctx: &Context,
    path: &std::path::Path,
    lists: Option<&std::path::Path>,
    practice_lsoa: Option<&std::path::Path>,
) -> Result<Read, CliError> {
    let spin = progress::spinner(ctx.quiet, "reading the practice map");
    let mut files = pcnkit_org::import::RegistryFiles::new(path);
    files.lists = lists;
    files.practice_lsoa = practice_lsoa;
    let read = pcnkit_org::import::registry_from_files(&files).map_err(|mut errors| {
        // One unreadable file is status 3 or 4 by its kind; registry conflicts are all listed.
        match errors.as_slice() {
            [pcnkit_org::OrgError::Data(_)] => match errors.pop() {
                Some(pcnkit_org::OrgError::Data(d)) => crate::load::data_error(d),
                _ => crate::error::org_errors(errors),
            },
            _ => crate::error::org_errors(errors),
        }
    })?;
    spin.finish_and_clear();
    ctx.account(&read.rows)?;
    Ok(Read {
        registry: read.registry,
        date: read.date,
        pcn_lists: read.pcn_lists,
    })
}

fn load(ctx: &Context, source: &Source) -> Result<(Registry, NaiveDate), CliError> {
    if source.demo {
        let ics = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default()).map_err(data)?;
        return Ok((ics.registry, source.date.unwrap_or(ics.extract_date)));
    }
    let Some(path) = &source.practice_map else {
        return Err(CliError::Usage(
            "give --demo or --practice-map FILE (with --lists FILE for populations)".to_owned(),
        ));
    };
    let Read {
        registry,
        date: extract,
        ..
    } = read_registry(ctx, path, source.lists.as_deref(), None)?;
    if source.lists.is_none() {
        ctx.record(vec![pcnkit_core::Finding::new(
            "org.lists_missing",
            pcnkit_core::Severity::Warning,
            "no list sizes given (--lists FILE): populations are unknown",
        )]);
    }
    Ok((registry, source.date.unwrap_or(extract)))
}

/// Runs `pcnkit org …`.
pub fn run(ctx: &Context, command: Command) -> Result<(), CliError> {
    match command {
        Command::Import {
            kind,
            path,
            file,
            strict,
        } => {
            let Some(path) = path.or(file) else {
                return Err(CliError::Usage("give the FILE to import".to_owned()));
            };
            import(ctx, kind, &path, strict)
        }
        Command::Snapshot(source) => {
            let (registry, date) = load(ctx, &source)?;
            let snapshot = registry.snapshot(date);
            let batch = pcnkit_org::export::snapshot_table(&snapshot).map_err(data)?;
            ctx.emit(&batch)
        }
        Command::Deprivation {
            source,
            practice_lsoa,
            lsoas,
            within,
        } => {
            let within: pcnkit_org::deprivation::Within = within
                .parse()
                .map_err(|e: pcnkit_org::OrgError| CliError::Usage(format!("--within: {e}")))?;
            let dep = match (&practice_lsoa, &lsoas) {
                (Some(practice_lsoa), Some(lsoas)) if !source.demo => {
                    let imported = pcnkit_org::import::read_practice_lsoa(
                        crate::load::open(practice_lsoa)?,
                        ImportOptions::new(practice_lsoa.display().to_string()),
                    )
                    .map_err(data)?;
                    ctx.account(&imported)?;
                    let areas = crate::load::lsoa_deprivation(ctx, lsoas)?;
                    let inputs =
                        pcnkit_org::deprivation::DeprivationInputs::new(&imported.records, &areas)
                            .within(within);
                    match &source.practice_map {
                        Some(_) => {
                            let (registry, date) = load(ctx, &source)?;
                            pcnkit_org::deprivation::population_weighted(
                                inputs.with_registry(&registry, date),
                            )
                        }
                        None => pcnkit_org::deprivation::population_weighted(inputs),
                    }
                    .map_err(data)?
                }
                (None, None) if source.demo && within == pcnkit_org::deprivation::Within::Icb => {
                    let inputs =
                        pcnkit_profile::ProfileInputs::demo(&pcnkit_demo::DemoConfig::default())
                            .map_err(data)?;
                    inputs
                        .deprivation
                        .ok_or_else(|| CliError::Data("the demo has no deprivation".to_owned()))?
                }
                _ => {
                    return Err(CliError::Usage(
                        "give --practice-lsoa and --lsoas (with --practice-map for PCNs and ICBs), or --demo alone".to_owned(),
                    ));
                }
            };
            let unmatched = dep.unmatched_patients;
            if unmatched > 0 {
                ctx.record(vec![pcnkit_core::Finding::new(
                    "org.lsoa_not_in_deprivation",
                    pcnkit_core::Severity::Warning,
                    format!(
                        "{unmatched} patients live in {} LSOAs the deprivation file ({}) does not have (other boundaries, or outside England): each figure is over its matched patients, counted in patients_matched",
                        dep.unmatched.len(),
                        dep.release
                    ),
                )]);
            }
            ctx.emit(&dep.table().map_err(data)?)
        }
        Command::Validate(source) => {
            let (registry, date) = load(ctx, &source)?;
            let findings = pcnkit_org::rules::validate(
                &registry,
                date,
                &pcnkit_org::rules::PcnSizePolicy::default(),
            )
            .map_err(data)?;
            // The one findings table every front end shows (pcnkit_core::findings_table).
            let batch = pcnkit_core::findings_table(&findings).map_err(data)?;
            ctx.emit(&batch)
        }
    }
}

/// `org import`: every row accounted for; the records written with --out.
fn import(
    ctx: &Context,
    kind: pcnkit_org::import::FileKind,
    path: &std::path::Path,
    strict: bool,
) -> Result<(), CliError> {
    let name = path.display().to_string();
    let mut options = ImportOptions::new(name.clone());
    if strict {
        options = options.strict();
    }
    let input = crate::load::open(path)?;
    let (records, counts) =
        pcnkit_org::import::read_kind(kind, input, options).map_err(|e| match e {
            pcnkit_org::OrgError::Data(d) => crate::load::data_error(d),
            other => data(other),
        })?;
    let count = |n: u64| Arc::new(arrow_array::UInt64Array::from(vec![n])) as ArrayRef;
    let summary = RecordBatch::try_from_iter([
        ("file", Arc::new(StringArray::from(vec![name])) as ArrayRef),
        ("rows", count(counts.rows)),
        ("records", count(records.num_rows() as u64)),
        ("errors", count(counts.errors.len() as u64)),
        ("skipped", count(counts.skipped.len() as u64)),
    ])
    .map_err(|e| CliError::Output(e.to_string()))?;
    if ctx.out.is_some() {
        ctx.emit(&records)?;
        let _ = writeln!(
            std::io::stderr(),
            "{} rows: {} records, {} errors, {} skipped",
            counts.rows,
            records.num_rows(),
            counts.errors.len(),
            counts.skipped.len()
        );
    } else {
        ctx.emit(&summary)?;
    }
    // After the good records are written: the bad rows, and the status they mean.
    ctx.account(&counts)
}

/// A registry with footprints, its extract date, and each PCN's population (`None` unknown).
pub type Footprints = (
    Registry,
    NaiveDate,
    std::collections::BTreeMap<pcnkit_core::PcnCode, Option<u64>>,
);

/// What coverage by PCN needs: a registry with each practice's patients by LSOA (the PCN
/// footprints) and, when lists are given, list sizes; the extract date; and the population of
/// every PCN with members (of `icb` only, when given) from practice or PCN rows, `None` where
/// unknown.
pub fn footprints(
    ctx: &Context,
    map: &std::path::Path,
    practice_lsoa: &std::path::Path,
    lists: Option<&std::path::Path>,
    icb: Option<pcnkit_core::IcbCode>,
) -> Result<Footprints, CliError> {
    let Read {
        registry,
        date,
        pcn_lists,
    } = read_registry(ctx, map, lists, Some(practice_lsoa))?;
    let populations = pcnkit_org::pcn_populations(&registry, date, &pcn_lists, icb);
    if populations.is_empty() {
        return Err(CliError::Data(format!(
            "{}: no PCN with practices{}",
            map.display(),
            icb.map(|i| format!(" in ICB {i}")).unwrap_or_default()
        )));
    }
    Ok((registry, date, populations))
}
