//! Community assets against need: assets per 1,000 patients by PCN, and walking-distance
//! access by deprivation quintile.

use std::collections::BTreeMap;

use arrow_array::RecordBatch;
use pcnkit_assets::coverage::{PcnProvision, QuintileProvision};
use pcnkit_core::PcnCode;

use crate::{ProfileError, ProfileInputs, ProfileOptions};

/// The profile's asset part.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AssetsProfile {
    /// Assets in the register.
    pub assets: usize,
    /// Assets per 1,000 registered patients by PCN and kind (`kind` `all` for every kind); a
    /// rate whose population or footprint is unknown is `None` with a note, never 0.
    pub by_pcn: Vec<PcnProvision>,
    /// Walking-distance access by IMD quintile; `None` without LSOA centroids and
    /// populations.
    pub by_quintile: Option<Vec<QuintileProvision>>,
    /// The walking distance, metres.
    pub metres: f64,
    /// The share of a PCN's patients an LSOA must hold to be in its footprint.
    pub footprint_share: f64,
}

impl AssetsProfile {
    /// The named tables: `assets_by_pcn`, and `assets_by_quintile` when access is known.
    pub fn tables(&self) -> Result<Vec<(String, RecordBatch)>, ProfileError> {
        let mut out = vec![(
            "assets_by_pcn".to_owned(),
            pcnkit_assets::table::rows_table(&self.by_pcn)?,
        )];
        if let Some(q) = &self.by_quintile {
            out.push((
                "assets_by_quintile".to_owned(),
                pcnkit_assets::table::rows_table(q)?,
            ));
        }
        Ok(out)
    }
}

/// The asset part of `inputs`, when a register is given.
pub(crate) fn assets(
    inputs: &ProfileInputs,
    options: &ProfileOptions,
) -> Result<Option<AssetsProfile>, ProfileError> {
    let Some(register) = &inputs.assets else {
        return Ok(None);
    };
    // The profile's PCNs only, with the populations it has (practice or PCN lists).
    let populations: BTreeMap<PcnCode, Option<u64>> = inputs
        .pcns
        .iter()
        .map(|p| (*p, inputs.population.get(p).copied().flatten()))
        .collect();
    let by_pcn = pcnkit_assets::coverage::per_1000_for(
        register,
        &inputs.registry,
        inputs.date,
        &populations,
        options.footprint_share,
    )?;
    let by_quintile = if inputs.lsoa_need.is_empty() {
        None
    } else {
        let access = pcnkit_assets::coverage::lsoa_access(
            register,
            &inputs.lsoa_need,
            options.walking_metres,
            &pcnkit_assets::Query::new(),
        )?;
        Some(pcnkit_assets::coverage::by_imd_quintile(&access))
    };
    Ok(Some(AssetsProfile {
        assets: register.len(),
        by_pcn,
        by_quintile,
        metres: options.walking_metres,
        footprint_share: options.footprint_share,
    }))
}
