//! The real-data paths from Python: the same crate readers and functions the CLI's
//! `org validate`, `arrs … --weighted` and `assets coverage` use, on NHS England's files.
//! Every bad row raises `DataError` (file, row, field); rows skipped on purpose and warnings
//! come back as messages beside the result, never dropped silently.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcnkit_core::PcnCode;
use pcnkit_core::read::{ImportOptions, Imported};
use pcnkit_org::Registry;
use pyo3::prelude::*;

use crate::convert::table_out;
use crate::error::{Failure, accounted, run};
use crate::{PyTable, open};

fn messages<T>(i: &Imported<T>) -> Vec<String> {
    i.findings().iter().map(ToString::to_string).collect()
}

/// A registry from a practice map, with list sizes and patients by LSOA when given; its
/// extract date; the PCN-level lists; and the messages of skipped rows.
type Loaded = (
    Registry,
    NaiveDate,
    BTreeMap<PcnCode, pcnkit_org::PcnList>,
    Vec<String>,
);

fn load(
    practice_map: &str,
    lists: Option<&str>,
    practice_lsoa: Option<&str>,
) -> Result<Loaded, Failure> {
    let mut files = pcnkit_org::import::RegistryFiles::new(std::path::Path::new(practice_map));
    files.lists = lists.map(std::path::Path::new);
    files.practice_lsoa = practice_lsoa.map(std::path::Path::new);
    let read = pcnkit_org::import::registry_from_files(&files).map_err(Failure::from_org_errors)?;
    let notes = messages(&read.rows);
    accounted(read.rows)?;
    Ok((read.registry, read.date, read.pcn_lists, notes))
}

/// Weighted populations per PCN from a weighted-population file (the NHS Payments to General
/// Practice file, or a `practice`/`pcn` + `weighted_patients` table), summed into PCNs through
/// the practice map as on its extract date: `pcn`, `weighted_patients` (exact decimal); and the
/// messages of rows that count towards no PCN and of PCNs only partly given (left out, so
/// their entitlement is unknown rather than understated).
#[pyfunction]
pub fn org_weighted(
    py: Python<'_>,
    path: String,
    practice_map: String,
) -> PyResult<(PyTable, Vec<String>)> {
    let (out, notes) = run(py, move || {
        let (registry, date, _, mut notes) = load(&practice_map, None, None)?;
        let rows = pcnkit_org::import::read_weighted_populations(
            open(&path)?,
            ImportOptions::new(path.as_str()),
        )?;
        notes.extend(messages(&rows));
        let records = accounted(rows)?;
        let by = pcnkit_org::import::weighted_by_pcn(&records, &registry, date)
            .map_err(|e| crate::error::data(&e))?;
        let mut shown: Imported<()> = Imported::new();
        shown.skipped = by.skipped;
        shown.warnings = by.warnings;
        notes.extend(messages(&shown));
        let pcn = arrow_array::StringArray::from_iter_values(by.pcns.keys().map(|p| p.to_string()));
        let w: Vec<_> = by
            .pcns
            .values()
            .map(|d| Some(pcnkit_core::Money::from_pounds(*d)))
            .collect();
        Ok((
            crate::convert::batch(vec![
                ("pcn", std::sync::Arc::new(pcn)),
                ("weighted_patients", crate::convert::money_column(&w)?),
            ])?,
            notes,
        ))
    })?;
    Ok((table_out(out)?, notes))
}
