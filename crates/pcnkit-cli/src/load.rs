//! Reading input files for the commands other than `report`: each call runs the profile
//! crate's loader for that table (the same reader the report and Python use), its findings
//! written to standard error and kept, any error row failing the command unless
//! `--accept-errors`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use pcnkit_arrs::{RuleBook, StaffMember};
use pcnkit_core::{DataError, DataErrorKind, PcnCode};
use pcnkit_org::import::LsoaDeprivation;
use pcnkit_profile::{Intake, ProfileError, load};
use rust_decimal::Decimal;

use crate::Context;
use crate::error::CliError;
use crate::error::profile_error;

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

/// Opens an input (gzip read directly; ZIP refused with a message).
pub fn open(path: &Path) -> Result<Box<dyn std::io::Read + Send>, CliError> {
    pcnkit_core::read::open(path).map_err(data_error)
}

/// Runs one loader with the command's intake and keeps its findings.
fn with_intake<T>(
    ctx: &Context,
    read: impl FnOnce(&mut Intake<'_>) -> Result<T, ProfileError>,
) -> Result<T, CliError> {
    let mut intake = ctx.intake();
    let out = read(&mut intake);
    ctx.keep(intake);
    out.map_err(profile_error)
}

/// The ARRS staff table, checked against the rule book's roles and, when given, the PCNs of the
/// practice map.
pub fn staff(
    ctx: &Context,
    path: &Path,
    book: &RuleBook,
    pcns: Option<&BTreeSet<PcnCode>>,
) -> Result<Vec<StaffMember>, CliError> {
    with_intake(ctx, |i| load::staff(i, path, book, pcns))
}

/// Weighted populations per PCN (practice rows summed through the registry as on its date).
pub fn weighted(
    ctx: &Context,
    path: &Path,
    registry: Option<(&pcnkit_org::Registry, chrono::NaiveDate)>,
) -> Result<BTreeMap<PcnCode, Decimal>, CliError> {
    with_intake(ctx, |i| load::weighted(i, path, registry))
}

/// LSOA deprivation deciles (and centroids and populations when given).
pub fn lsoa_deprivation(ctx: &Context, path: &Path) -> Result<Vec<LsoaDeprivation>, CliError> {
    with_intake(ctx, |i| load::lsoa_deprivation(i, path))
}
