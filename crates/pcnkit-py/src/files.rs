//! The real-data paths from Python: the same crate readers and functions the CLI's
//! `org validate`, `arrs … --weighted` and `assets coverage` use, on NHS England's files.
//! Every bad row raises `DataError` (file, row, field); rows skipped on purpose and warnings
//! come back as messages beside the result, never dropped silently.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcnkit_core::read::{ImportOptions, Imported};
use pcnkit_core::{IcbCode, PcnCode};
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
    use pcnkit_org::import::{
        RegisteredPatientsRecord, read_practice_lsoa, read_practice_map, read_registered_patients,
        registry_from_practice_map,
    };
    let map = read_practice_map(open(practice_map)?, ImportOptions::new(practice_map))?;
    let mut notes = messages(&map);
    let records = accounted(map)?;
    let date = records
        .first()
        .map(|r| r.extract_date)
        .ok_or_else(|| Failure::Data {
            message: format!("{practice_map}: no rows"),
            file: Some(practice_map.to_owned()),
            row: None,
            field: None,
        })?;
    let mut builder = registry_from_practice_map(&records);
    let mut pcn_lists = BTreeMap::new();
    if let Some(path) = lists {
        let rows = read_registered_patients(open(path)?, ImportOptions::new(path))?;
        notes.extend(messages(&rows));
        let rows = accounted(rows)?;
        pcn_lists = pcnkit_org::pcn_lists(&rows, &pcnkit_core::AgeBandScheme::esp2013())?;
        builder.list_sizes(
            rows.iter()
                .filter_map(RegisteredPatientsRecord::to_list_size),
        );
    }
    if let Some(path) = practice_lsoa {
        let rows = read_practice_lsoa(open(path)?, ImportOptions::new(path))?;
        notes.extend(messages(&rows));
        builder.practice_lsoa(accounted(rows)?);
    }
    let registry = builder.build().map_err(Failure::from_org_errors)?;
    Ok((registry, date, pcn_lists, notes))
}

/// Rule checks of the organisations in a practice map (PCN sizes, PCNs across ICBs, Clinical
/// Directors, Network Agreements): `severity`, `rule`, `subject`, `message`, `source`. Without
/// lists every PCN's population is unknown, a finding, not a stop.
#[pyfunction]
#[pyo3(signature = (practice_map, lists, date))]
pub fn org_validate(
    py: Python<'_>,
    practice_map: String,
    lists: Option<String>,
    date: Option<NaiveDate>,
) -> PyResult<PyTable> {
    let out = run(py, move || {
        let (registry, extract, _, _) = load(&practice_map, lists.as_deref(), None)?;
        let date = date.unwrap_or(extract);
        let mut findings = pcnkit_org::rules::check_pcn_sizes(
            &registry,
            date,
            &pcnkit_org::rules::PcnSizePolicy::default(),
        )?;
        findings.extend(pcnkit_org::rules::check_pcn_icbs(&registry, date));
        findings.extend(pcnkit_org::rules::check_governance(&registry, date));
        let text = |f: &dyn Fn(&pcnkit_org::rules::Finding) -> String| {
            std::sync::Arc::new(arrow_array::StringArray::from_iter_values(
                findings.iter().map(f),
            )) as arrow_array::ArrayRef
        };
        crate::convert::batch(vec![
            ("severity", text(&|f| format!("{:?}", f.severity))),
            ("rule", text(&|f| format!("{:?}", f.rule))),
            ("subject", text(&|f| f.subject.clone())),
            ("message", text(&|f| f.message.clone())),
            ("source", text(&|f| f.source.clone())),
        ])
    })?;
    table_out(out)
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

/// Community assets per 1,000 registered patients by PCN and kind, from an Open Referral UK /
/// HSDS 3.0 file, the practice map and patients by LSOA (the PCN footprints), with populations
/// from `lists` (practice or PCN rows; unknown without them: null with a note), for the PCNs
/// of `icb` or of every ICB. Records that do not convert raise `DataError`.
#[pyfunction]
#[pyo3(signature = (hsds, practice_map, practice_lsoa, lists, icb, feed))]
pub fn assets_coverage(
    py: Python<'_>,
    hsds: String,
    practice_map: String,
    practice_lsoa: String,
    lists: Option<String>,
    icb: Option<String>,
    feed: String,
) -> PyResult<PyTable> {
    let out = run(py, move || {
        let icb: Option<IcbCode> = icb.map(|i| i.parse()).transpose()?;
        let text = std::fs::read_to_string(&hsds).map_err(|e| Failure::Data {
            message: format!("{hsds}: {e}"),
            file: Some(hsds.clone()),
            row: None,
            field: None,
        })?;
        let imported = pcnkit_assets::hsds::from_json(
            &text,
            &hsds,
            &pcnkit_assets::hsds::ImportOptions::new().feed(feed),
        )?;
        if let Some(e) = imported.errors.first() {
            return Err(Failure::Data {
                message: format!(
                    "{} record(s) did not convert; the first: {e}",
                    imported.errors.len()
                ),
                file: Some(hsds.clone()),
                row: None,
                field: None,
            });
        }
        let at = NaiveDate::MIN.and_hms_opt(0, 0, 0).unwrap_or_default();
        let register = pcnkit_assets::Register::from_assets(imported.assets, "pcnkit", at)?;
        let (registry, date, pcn_lists, _) =
            load(&practice_map, lists.as_deref(), Some(&practice_lsoa))?;
        let populations = pcnkit_org::pcn_populations(&registry, date, &pcn_lists, icb);
        let rows =
            pcnkit_assets::coverage::per_1000_for(&register, &registry, date, &populations, 0.05)?;
        Ok(pcnkit_assets::table::rows_table(&rows)?)
    })?;
    table_out(out)
}
