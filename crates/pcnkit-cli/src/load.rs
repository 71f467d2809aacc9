//! Reading input files through the crates' readers: each opens the file (status 3 if it
//! cannot), runs the one reader the owning crate has for that table, and accounts for every
//! row through [`Context::account`] (errors and warnings on standard error and in the findings;
//! any error fails the command unless `--accept-errors`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;
use pcnkit_arrs::{RuleBook, StaffMember, StaffTableChecks};
use pcnkit_core::read::ImportOptions;
use pcnkit_core::{DataError, DataErrorKind, PcnCode};
use pcnkit_indicators::counts::ConditionCount;
use pcnkit_org::Registry;
use pcnkit_org::import::{
    LsoaDeprivation, PracticeDeprivation, PracticeLocation, WeightedOrg, WeightedRecord,
};
use rust_decimal::Decimal;

use crate::Context;
use crate::error::CliError;

fn name(path: &Path) -> String {
    path.display().to_string()
}

/// A data error whose kind is I/O (the file could not be opened or read) is status 3; any
/// other is status 4.
pub fn data_error(e: DataError) -> CliError {
    match &e.kind {
        DataErrorKind::Io(problem) => CliError::Io {
            path: e.location.file.as_deref().unwrap_or("input").to_owned(),
            problem: problem.clone(),
        },
        _ => CliError::Data(e.to_string()),
    }
}

fn org_error(e: pcnkit_org::OrgError) -> CliError {
    match e {
        pcnkit_org::OrgError::Data(d) => data_error(d),
        other => CliError::Data(other.to_string()),
    }
}

/// Opens an input (gzip read directly; ZIP refused with a message).
pub fn open(path: &Path) -> Result<Box<dyn std::io::Read + Send>, CliError> {
    pcnkit_core::read::open(path).map_err(|e| match e.kind {
        DataErrorKind::Io(problem) => CliError::Io {
            path: name(path),
            problem,
        },
        _ => CliError::Data(e.to_string()),
    })
}

/// A CSV file, or a Parquet file (by extension) written out as CSV text so it goes through the
/// same located reader (row `i` of the table is line `i + 2`).
fn table_bytes(path: &Path) -> Result<Box<dyn std::io::Read + Send>, CliError> {
    let parquet = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    if !parquet {
        return open(path);
    }
    let batches = crate::input::read_table(path)?;
    let bytes = pcnkit_core::read::batches_to_csv(&batches).map_err(data_error)?;
    Ok(Box::new(std::io::Cursor::new(bytes)))
}

/// The ARRS staff table, checked against the rule book's roles and, when given, the PCNs of the
/// practice map.
pub fn staff(
    ctx: &Context,
    path: &Path,
    book: &RuleBook,
    pcns: Option<&BTreeSet<PcnCode>>,
) -> Result<Vec<StaffMember>, CliError> {
    let mut checks = StaffTableChecks::new(book);
    if let Some(p) = pcns {
        checks = checks.pcns(p);
    }
    let imported =
        pcnkit_arrs::read_staff(table_bytes(path)?, ImportOptions::new(name(path)), checks)
            .map_err(data_error)?;
    ctx.account(&imported)?;
    Ok(imported.records)
}

/// Weighted populations per PCN. Practice rows need the registry (and are summed into PCNs as
/// on `date`; rows counting towards no PCN are listed as skipped, and a PCN only partly given
/// is left unknown with a warning); PCN rows are checked against it when it is given.
pub fn weighted(
    ctx: &Context,
    path: &Path,
    registry: Option<&Registry>,
    date: Option<NaiveDate>,
) -> Result<BTreeMap<PcnCode, Decimal>, CliError> {
    let imported =
        pcnkit_org::import::read_weighted_populations(open(path)?, ImportOptions::new(name(path)))
            .map_err(org_error)?;
    ctx.account(&imported)?;
    let records: Vec<WeightedRecord> = imported.records;
    match (registry, date) {
        (Some(registry), Some(date)) => {
            let by = pcnkit_org::import::weighted_by_pcn(&records, registry, date)
                .map_err(data_error)?;
            let mut report = pcnkit_core::read::Imported::<()>::new();
            report.skipped = by.skipped;
            report.warnings = by.warnings;
            ctx.record(report.findings());
            Ok(by.pcns)
        }
        _ => {
            let mut out = BTreeMap::new();
            for r in &records {
                match r.org {
                    WeightedOrg::Pcn(p) => {
                        out.insert(p, r.weighted);
                    }
                    WeightedOrg::Practice(_) => {
                        return Err(CliError::Usage(format!(
                            "{}: practice rows need --practice-map to be summed into PCNs",
                            name(path)
                        )));
                    }
                    _ => {}
                }
            }
            Ok(out)
        }
    }
}

/// Practice deprivation deciles.
pub fn practice_deprivation(ctx: &Context, path: &Path) -> Result<PracticeDeprivation, CliError> {
    let imported =
        pcnkit_org::import::read_practice_deprivation(open(path)?, ImportOptions::new(name(path)))
            .map_err(org_error)?;
    ctx.account(&imported)?;
    imported
        .records
        .into_iter()
        .next()
        .ok_or_else(|| CliError::Data(format!("{}: no rows", name(path))))
}

/// LSOA deprivation deciles (and centroids and populations when given).
pub fn lsoa_deprivation(ctx: &Context, path: &Path) -> Result<Vec<LsoaDeprivation>, CliError> {
    let imported =
        pcnkit_org::import::read_lsoa_deprivation(open(path)?, ImportOptions::new(name(path)))
            .map_err(org_error)?;
    ctx.account(&imported)?;
    Ok(imported.records)
}

/// Practice locations.
pub fn practice_locations(ctx: &Context, path: &Path) -> Result<Vec<PracticeLocation>, CliError> {
    let imported =
        pcnkit_org::import::read_practice_locations(open(path)?, ImportOptions::new(name(path)))
            .map_err(org_error)?;
    ctx.account(&imported)?;
    Ok(imported.records)
}

/// Condition counts (CSV or Parquet).
pub fn condition_counts(ctx: &Context, path: &Path) -> Result<Vec<ConditionCount>, CliError> {
    let imported = pcnkit_indicators::counts::read_condition_counts(
        table_bytes(path)?,
        ImportOptions::new(name(path)),
    )
    .map_err(data_error)?;
    ctx.account(&imported)?;
    Ok(imported.records)
}
