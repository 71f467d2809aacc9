//! Social prescribing link workers (from the ARRS staff) against the assets their PCN's
//! patients can walk to.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use pcnkit_assets::AssetKind;
use pcnkit_assets::coverage::Reach;
use pcnkit_assets::register::Query;
use pcnkit_core::PcnCode;
use rust_decimal::Decimal;

use super::centroids;
use crate::{ProfileError, ProfileInputs};

/// A PCN's social prescribing link workers against the assets its patients can walk to.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LinkWorkerReach {
    /// The PCN.
    pub pcn: PcnCode,
    /// Registered patients, if known.
    pub patients: Option<u64>,
    /// Link worker WTE in post on the profile's date (from the ARRS staff file).
    pub link_workers: Decimal,
    /// Assets (all kinds but pharmacies) within walking distance of its footprint, if known.
    pub assets_within: Option<u64>,
    /// Assets per link worker WTE; `None` without a link worker or a known reach.
    pub assets_per_worker: Option<f64>,
    /// Patients per link worker WTE; `None` without a link worker or known patients.
    pub patients_per_worker: Option<f64>,
    /// Why a figure is missing.
    pub note: Option<String>,
}

/// Link workers against the register, for every profiled PCN, when staff and a register were
/// given (`None` otherwise).
pub fn link_workers(
    inputs: &ProfileInputs,
    walking_metres: f64,
    footprint_share: f64,
) -> Result<Option<Vec<LinkWorkerReach>>, ProfileError> {
    let (Some(staff), Some(register)) = (&inputs.staff, &inputs.assets) else {
        return Ok(None);
    };
    let points = centroids(inputs);
    let reach =
        Reach::new(&inputs.registry, inputs.date, &points).within(walking_metres, footprint_share);
    let mut out = Vec::new();
    for pcn in &inputs.pcns {
        let wte = staff
            .iter()
            .filter(|s| s.pcn == Some(*pcn) && s.role == "social_prescribing_link_worker")
            .filter(|s| s.start <= inputs.date && s.end.is_none_or(|e| e >= inputs.date))
            .try_fold(Decimal::ZERO, |acc, s| acc.checked_add(s.wte.value()))
            .ok_or_else(|| ProfileError::Data("link worker WTE too large to add".to_owned()))?;
        let assets = reach
            .around_pcn(register, *pcn, &Query::default())
            .map_err(|e| ProfileError::Inputs(e.to_string()))?
            .map(|v| v.iter().filter(|a| a.kind != AssetKind::Pharmacy).count() as u64);
        let patients = inputs.population.get(pcn).copied().flatten();
        let per = |n: Option<u64>| -> Option<f64> {
            let w: f64 = wte.try_into().ok()?;
            (w > 0.0).then_some(n? as f64 / w)
        };
        let note = if wte.is_zero() {
            Some("no link worker in post on the date".to_owned())
        } else if assets.is_none() {
            Some("reach unknown: no patients-by-LSOA data or LSOA centroids for the PCN".to_owned())
        } else if patients.is_none() {
            Some("registered patients unknown".to_owned())
        } else {
            None
        };
        out.push(LinkWorkerReach {
            pcn: *pcn,
            patients,
            link_workers: wte,
            assets_within: assets,
            assets_per_worker: per(assets),
            patients_per_worker: per(patients),
            note,
        });
    }
    Ok(Some(out))
}

/// `plan_link_workers`: `pcn`, `patients`, `link_workers` (WTE, text), `assets_within`,
/// `assets_per_worker`, `patients_per_worker`, `note`; unknowns null.
pub fn link_workers_table(rows: &[LinkWorkerReach]) -> Result<RecordBatch, ProfileError> {
    let text = |f: &dyn Fn(&LinkWorkerReach) -> Option<String>| -> ArrayRef {
        Arc::new(StringArray::from_iter(rows.iter().map(f)))
    };
    Ok(pcnkit_core::arrow::nullable_batch([
        ("pcn", text(&|r| Some(r.pcn.to_string()))),
        (
            "patients",
            Arc::new(UInt64Array::from_iter(rows.iter().map(|r| r.patients))) as ArrayRef,
        ),
        ("link_workers", text(&|r| Some(r.link_workers.to_string()))),
        (
            "assets_within",
            Arc::new(UInt64Array::from_iter(rows.iter().map(|r| r.assets_within))),
        ),
        (
            "assets_per_worker",
            Arc::new(Float64Array::from_iter(
                rows.iter().map(|r| r.assets_per_worker),
            )),
        ),
        (
            "patients_per_worker",
            Arc::new(Float64Array::from_iter(
                rows.iter().map(|r| r.patients_per_worker),
            )),
        ),
        ("note", text(&|r| r.note.clone())),
    ])?)
}
