//! Reading the tables an ICB holds, each through the reader of the crate that owns it, every
//! row accounted for by an [`Intake`]. The CLI's commands and Python call these too, so a file
//! reads the same whichever front end opens it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;
use pcnkit_arrs::{RuleBook, StaffMember, StaffTableChecks};
use pcnkit_assets::Register;
use pcnkit_core::read::{Finding, ImportOptions, Imported, Severity};
use pcnkit_core::{PcnCode, SourceLocation};
use pcnkit_indicators::counts::ConditionCount;
use pcnkit_org::Registry;
use pcnkit_org::import::{
    LsoaDeprivation, PracticeDeprivation, PracticeLocation, WeightedOrg, WeightedRecord,
};
use rust_decimal::Decimal;

use crate::{Intake, ProfileError};

fn name(path: &Path) -> String {
    path.display().to_string()
}

/// The ARRS staff table (CSV or Parquet), checked against the rule book's roles and, when
/// given, the PCNs known.
pub fn staff(
    intake: &mut Intake<'_>,
    path: &Path,
    book: &RuleBook,
    pcns: Option<&BTreeSet<PcnCode>>,
) -> Result<Vec<StaffMember>, ProfileError> {
    let mut checks = StaffTableChecks::new(book);
    if let Some(p) = pcns {
        checks = checks.pcns(p);
    }
    let imported = pcnkit_arrs::read_staff(
        pcnkit_core::read::open_table(path)?,
        ImportOptions::new(name(path)),
        checks,
    )?;
    intake.account(&imported)?;
    Ok(imported.records)
}

/// Weighted populations per PCN. Practice rows need the registry (summed into PCNs as on
/// `date`; rows counting towards no PCN are skipped with their reason, a PCN only partly given
/// is left unknown with a warning); PCN rows are taken as given.
pub fn weighted(
    intake: &mut Intake<'_>,
    path: &Path,
    registry: Option<(&Registry, NaiveDate)>,
) -> Result<BTreeMap<PcnCode, Decimal>, ProfileError> {
    let imported = pcnkit_org::import::read_weighted_populations(
        pcnkit_core::read::open(path)?,
        ImportOptions::new(name(path)),
    )
    .map_err(ProfileError::org)?;
    intake.account(&imported)?;
    let records: Vec<WeightedRecord> = imported.records;
    if let Some((registry, date)) = registry {
        let by = pcnkit_org::import::weighted_by_pcn(&records, registry, date)?;
        let mut report = Imported::<()>::new();
        report.skipped = by.skipped;
        report.warnings = by.warnings;
        intake.record(report.findings());
        return Ok(by.pcns);
    }
    let mut out = BTreeMap::new();
    for r in &records {
        match r.org {
            WeightedOrg::Pcn(p) => {
                out.insert(p, r.weighted);
            }
            WeightedOrg::Practice(_) => {
                return Err(ProfileError::Inputs(format!(
                    "{}: practice rows need the practice map to be summed into PCNs",
                    name(path)
                )));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Practice deprivation deciles.
pub fn practice_deprivation(
    intake: &mut Intake<'_>,
    path: &Path,
) -> Result<PracticeDeprivation, ProfileError> {
    let imported = pcnkit_org::import::read_practice_deprivation(
        pcnkit_core::read::open(path)?,
        ImportOptions::new(name(path)),
    )
    .map_err(ProfileError::org)?;
    intake.account(&imported)?;
    imported
        .records
        .into_iter()
        .next()
        .ok_or_else(|| ProfileError::Data(format!("{}: no rows", name(path))))
}

/// LSOA deprivation deciles (and centroids and populations when given).
pub fn lsoa_deprivation(
    intake: &mut Intake<'_>,
    path: &Path,
) -> Result<Vec<LsoaDeprivation>, ProfileError> {
    let imported = pcnkit_org::import::read_lsoa_deprivation(
        pcnkit_core::read::open(path)?,
        ImportOptions::new(name(path)),
    )
    .map_err(ProfileError::org)?;
    intake.account(&imported)?;
    Ok(imported.records)
}

/// Practice locations.
pub fn practice_locations(
    intake: &mut Intake<'_>,
    path: &Path,
) -> Result<Vec<PracticeLocation>, ProfileError> {
    let imported = pcnkit_org::import::read_practice_locations(
        pcnkit_core::read::open(path)?,
        ImportOptions::new(name(path)),
    )
    .map_err(ProfileError::org)?;
    intake.account(&imported)?;
    Ok(imported.records)
}

/// Condition counts (CSV or Parquet).
pub fn condition_counts(
    intake: &mut Intake<'_>,
    path: &Path,
) -> Result<Vec<ConditionCount>, ProfileError> {
    let imported = pcnkit_indicators::counts::read_condition_counts(
        pcnkit_core::read::open_table(path)?,
        ImportOptions::new(name(path)),
    )?;
    intake.account(&imported)?;
    Ok(imported.records)
}

/// Where a community asset register comes from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RegisterSource<'p> {
    /// An Open Referral UK / HSDS 3.0 JSON file (a service, a `/services` page or an array).
    Hsds(&'p Path),
    /// An ORUK v1 JSON feed page (its common taxonomy terms mapped to kinds).
    OrukV1(&'p Path),
    /// A CSV register with the default column names.
    Csv(&'p Path),
}

impl<'p> RegisterSource<'p> {
    /// A register file as the profile's `assets` input takes it: a `.csv` is a list in
    /// pcnkit's asset layout (a list of pharmacies, say); any other file is Open Referral UK /
    /// HSDS 3.0 JSON.
    pub fn by_extension(path: &'p Path) -> Self {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            RegisterSource::Csv(path)
        } else {
            RegisterSource::Hsds(path)
        }
    }
}

/// How a register is read: the feed name each asset's id is derived from (so next month's
/// file of the same feed updates the same assets), the kind of records no taxonomy term
/// classifies, and the time the register is stamped with.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RegisterOptions {
    /// The feed name; default `hsds`, `oruk-v1` or `csv` by source.
    pub feed: Option<String>,
    /// Kind of records no taxonomy term classifies.
    pub default_kind: Option<pcnkit_assets::AssetKind>,
}

/// A community asset register read from a file: each record that does not convert is an
/// error finding (`assets.bad_record`), which stops the run unless errors are accepted.
/// `imported_at` stamps the register's history.
pub fn register(
    intake: &mut Intake<'_>,
    source: &RegisterSource<'_>,
    options: &RegisterOptions,
    imported_at: chrono::NaiveDateTime,
) -> Result<Register, ProfileError> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| ProfileError::Io {
            path: name(p),
            problem: e.to_string(),
        })
    };
    let feed = |default: &str| options.feed.clone().unwrap_or_else(|| default.to_owned());
    let (imported, path) = match source {
        RegisterSource::Hsds(p) => {
            let mut o = pcnkit_assets::hsds::ImportOptions::new().feed(feed("hsds"));
            if let Some(k) = options.default_kind.clone() {
                o = o.default_kind(k);
            }
            (pcnkit_assets::hsds::from_json(&read(p)?, &name(p), &o)?, p)
        }
        RegisterSource::OrukV1(p) => {
            let mut o = pcnkit_assets::oruk_v1::common_terms();
            if let Some(k) = options.default_kind.clone() {
                o = o.default_kind(k);
            }
            o = o.feed(feed("oruk-v1"));
            (
                pcnkit_assets::oruk_v1::from_json(&read(p)?, &name(p), &o)?,
                p,
            )
        }
        RegisterSource::Csv(p) => {
            let file = std::fs::File::open(p).map_err(|e| ProfileError::Io {
                path: name(p),
                problem: e.to_string(),
            })?;
            let mut mapping = pcnkit_assets::csv_import::CsvMapping::default();
            mapping.feed = Some(feed("csv"));
            (
                pcnkit_assets::csv_import::read_csv(file, &name(p), &mapping)?,
                p,
            )
        }
    };
    let bad = imported.errors.len();
    intake.record(
        imported
            .errors
            .iter()
            .map(|e| Finding::new("assets.bad_record", Severity::Error, e.to_string()))
            .collect(),
    );
    intake.check(bad, Some(&name(path)))?;
    Ok(Register::from_assets(
        imported.assets,
        "pcnkit assets",
        imported_at,
    )?)
}

/// The records of the profiled PCNs (`pcns`, sorted); the others are listed as skipped rows,
/// each with its location and why.
fn profiled_only<T>(
    intake: &mut Intake<'_>,
    imported: Imported<T>,
    pcns: &[PcnCode],
    pcn_of: impl Fn(&T) -> (PcnCode, &SourceLocation),
) -> Result<Vec<T>, ProfileError> {
    intake.account(&imported)?;
    let (keep, other): (Vec<_>, Vec<_>) = imported
        .records
        .into_iter()
        .partition(|r| pcns.binary_search(&pcn_of(r).0).is_ok());
    let mut skipped = Imported::<()>::new();
    skipped.skipped = other
        .iter()
        .map(|r| {
            let (pcn, location) = pcn_of(r);
            pcnkit_core::read::Skipped {
                location: location.clone(),
                reason: format!("PCN {pcn} is not profiled"),
            }
        })
        .collect();
    intake.record(skipped.findings());
    Ok(keep)
}

/// Monthly activity per PCN (CSV or Parquet), keeping the PCNs in `pcns` (sorted); rows of
/// other PCNs are listed as skipped.
pub fn activity(
    intake: &mut Intake<'_>,
    path: &Path,
    pcns: &[PcnCode],
) -> Result<Vec<pcnkit_indicators::activity::MonthlyActivity>, ProfileError> {
    let imported = pcnkit_indicators::activity::read_monthly_activity(
        pcnkit_core::read::open_table(path)?,
        ImportOptions::new(name(path)),
    )?;
    profiled_only(intake, imported, pcns, |r| (r.pcn, &r.location))
}

/// Yearly proportions per PCN (CSV or Parquet), keeping the PCNs in `pcns` (sorted); rows of
/// other PCNs are listed as skipped.
pub fn yearly(
    intake: &mut Intake<'_>,
    path: &Path,
    pcns: &[PcnCode],
) -> Result<Vec<pcnkit_indicators::yearly::YearlyProportion>, ProfileError> {
    let imported = pcnkit_indicators::yearly::read_yearly_proportions(
        pcnkit_core::read::open_table(path)?,
        ImportOptions::new(name(path)),
    )?;
    profiled_only(intake, imported, pcns, |r| (r.pcn, &r.location))
}
