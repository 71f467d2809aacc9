//! A registry from the files an ICB holds about its organisations: NHS England's practice map,
//! and optionally the registered-patients lists and patients by LSOA. One function for every
//! front end, so the CLI and Python read the same files the same way.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use pcnkit_core::{AgeBandScheme, PcnCode};

use super::{
    ImportOptions, Imported, RegisteredPatientsRecord, open, read_practice_lsoa, read_practice_map,
    read_registered_patients, registry_from_practice_map,
};
use crate::error::OrgError;
use crate::population::{PcnList, pcn_lists};
use crate::registry::Registry;

/// Which files to read.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct RegistryFiles<'a> {
    /// `gp-reg-pat-prac-map.csv`.
    pub practice_map: &'a Path,
    /// A Patients Registered at a GP Practice file (practice rows become list sizes, PCN rows
    /// [`pcn_lists`]).
    pub lists: Option<&'a Path>,
    /// `gp-reg-pat-prac-lsoa-all.csv` (the PCN footprints).
    pub practice_lsoa: Option<&'a Path>,
}

impl<'a> RegistryFiles<'a> {
    /// The practice map alone.
    pub fn new(practice_map: &'a Path) -> Self {
        RegistryFiles {
            practice_map,
            lists: None,
            practice_lsoa: None,
        }
    }
}

/// A registry read from files, and every row that was not a record.
#[derive(Debug)]
#[non_exhaustive]
pub struct RegistryFromFiles {
    /// The organisations, memberships, list sizes and patients by LSOA.
    pub registry: Registry,
    /// The practice map's extract date.
    pub date: NaiveDate,
    /// PCN-level lists, when the list file has PCN rows.
    pub pcn_lists: BTreeMap<PcnCode, PcnList>,
    /// The errors, warnings and skipped rows of every file read (records are in the registry):
    /// the caller decides whether an error stops it.
    pub rows: Imported<()>,
}

fn merge<T>(into: &mut Imported<()>, from: Imported<T>) {
    into.rows += from.rows;
    into.errors.extend(from.errors);
    into.warnings.extend(from.warnings);
    into.skipped.extend(from.skipped);
}

/// Reads the files and builds the registry. A file that cannot be opened, or a registry that
/// does not build (a practice in two PCNs at once, say), is an error; bad rows are in
/// [`RegistryFromFiles::rows`], their good neighbours kept.
pub fn registry_from_files(files: &RegistryFiles<'_>) -> Result<RegistryFromFiles, Vec<OrgError>> {
    let name = |p: &Path| p.display().to_string();
    let map = read_practice_map(
        open(files.practice_map).map_err(|e| vec![e])?,
        ImportOptions::new(name(files.practice_map)),
    )
    .map_err(|e| vec![e])?;
    let date = map.records.first().map(|r| r.extract_date).ok_or_else(|| {
        vec![OrgError::Data(pcnkit_core::DataError::new(
            pcnkit_core::SourceLocation::file(name(files.practice_map)),
            pcnkit_core::DataErrorKind::Malformed("no rows".to_owned()),
        ))]
    })?;
    let mut builder = registry_from_practice_map(&map.records);
    let mut rows = Imported::new();
    merge(&mut rows, map);
    if let Some(p) = files.practice_lsoa {
        let read = read_practice_lsoa(open(p).map_err(|e| vec![e])?, ImportOptions::new(name(p)))
            .map_err(|e| vec![e])?;
        builder.practice_lsoa(read.records.iter().cloned());
        merge(&mut rows, read);
    }
    let mut lists = BTreeMap::new();
    if let Some(p) = files.lists {
        let read =
            read_registered_patients(open(p).map_err(|e| vec![e])?, ImportOptions::new(name(p)))
                .map_err(|e| vec![e])?;
        lists = pcn_lists(&read.records, &AgeBandScheme::esp2013()).map_err(|e| vec![e])?;
        builder.list_sizes(
            read.records
                .iter()
                .filter_map(RegisteredPatientsRecord::to_list_size),
        );
        merge(&mut rows, read);
    }
    Ok(RegistryFromFiles {
        registry: builder.build()?,
        date,
        pcn_lists: lists,
        rows,
    })
}
