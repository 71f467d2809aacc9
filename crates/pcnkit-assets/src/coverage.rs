//! Coverage against need ("proportionate universality"): is provision highest where need is
//! highest?
//!
//! - [`per_1000_by_pcn`]: assets per 1,000 registered patients by PCN and kind, an asset
//!   counting for a PCN when it sits in an LSOA where at least `min_share` of the PCN's
//!   patients live (pcnkit-org's practice-by-LSOA shares).
//! - [`lsoa_access`]: for each LSOA's population-weighted centroid, the assets within a walking
//!   distance (e.g. 1 km), by great-circle distance through the register's spatial index.
//! - [`gaps`]: LSOAs ranked by need and thin provision (most deprived first, fewest assets
//!   first, larger populations first).
//! - [`by_imd_quintile`]: the same summarised by IMD quintile: population, mean assets within
//!   reach (population-weighted) and the share of people with none.

use pcnkit_core::{ImdDecile, ImdQuintile};
use std::collections::BTreeMap;

/// The share of a PCN's patients an LSOA must hold to be in the PCN's footprint when a caller
/// does not say: 5%, so an LSOA where a handful of a PCN's patients live does not count all
/// its assets for that PCN. Every front end takes it from here.
pub const FOOTPRINT_SHARE_DEFAULT: f64 = 0.05;

/// The walking distance of LSOA access when a caller does not say: 1 km, about 12–15 minutes'
/// walk. Every front end takes it from here.
pub const WALKING_METRES_DEFAULT: f64 = 1000.0;

use chrono::NaiveDate;
use pcnkit_core::{LsoaCode, PcnCode};
use pcnkit_org::Registry;
use serde::{Deserialize, Serialize};

use crate::error::AssetError;
use crate::model::{AssetKind, GeoPoint};
use crate::register::{Query, Register};

/// One PCN's provision of one kind (or of all kinds, `all`). A figure that cannot be worked
/// out is `None` with a `note`, never 0: the population is unknown without lists, and the
/// footprint (so the count of assets in it) without patients-by-LSOA data for the PCN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PcnProvision {
    /// PCN code.
    pub pcn: String,
    /// Asset kind code, or `all`.
    pub kind: String,
    /// Assets in the PCN's footprint, if the footprint is known.
    pub assets: Option<u64>,
    /// Registered patients of the PCN, if known.
    pub patients: Option<u64>,
    /// Assets per 1,000 registered patients, if both are known and there are patients.
    pub per_1000: Option<f64>,
    /// Why a figure is missing.
    pub note: Option<String>,
}

/// Assets per 1,000 registered patients for every PCN open on `date`, for each kind present
/// and for all kinds together, with populations from the registry's practice lists (a PCN
/// with a practice without a list has an unknown population).
pub fn per_1000_by_pcn(
    register: &Register,
    registry: &Registry,
    date: NaiveDate,
    min_share: f64,
) -> Result<Vec<PcnProvision>, AssetError> {
    let populations = pcnkit_org::pcn_populations(registry, date, &BTreeMap::new(), None);
    per_1000_for(register, registry, date, &populations, min_share)
}

/// Assets per 1,000 registered patients for the PCNs in `populations` only (an ICB's, say),
/// whose registered patients are given (from PCN-level lists, say; `None` = unknown). The
/// footprint is the LSOAs where at least `min_share` of the PCN's patients live, from the
/// registry's patients-by-LSOA data; a PCN without that data has an unknown count of assets.
pub fn per_1000_for(
    register: &Register,
    registry: &Registry,
    date: NaiveDate,
    populations: &BTreeMap<PcnCode, Option<u64>>,
    min_share: f64,
) -> Result<Vec<PcnProvision>, AssetError> {
    let mut out = Vec::new();
    for (pcn, patients) in populations {
        let shares = registry
            .pcn_lsoa_shares(*pcn, date)
            .map_err(|e| AssetError::invalid("pcn", e.to_string()))?;
        let footprint_known = !shares.is_empty();
        let assets = register.in_pcn(registry, *pcn, date, min_share)?;
        let note = match (footprint_known, patients) {
            (false, _) => Some(
                "footprint unknown: no patients-by-LSOA data for the PCN's practices".to_owned(),
            ),
            (true, None) => Some("registered patients unknown: no list for the PCN".to_owned()),
            (true, Some(0)) => Some("no registered patients: no rate".to_owned()),
            (true, Some(_)) => None,
        };
        let row = |kind: String, n: usize| PcnProvision {
            pcn: pcn.to_string(),
            kind,
            assets: footprint_known.then_some(n as u64),
            patients: *patients,
            per_1000: match (footprint_known, patients) {
                (true, Some(p)) if *p > 0 => Some(n as f64 * 1000.0 / *p as f64),
                _ => None,
            },
            note: note.clone(),
        };
        out.push(row("all".to_owned(), assets.len()));
        let mut kinds: Vec<&AssetKind> = assets.iter().map(|a| &a.kind).collect();
        kinds.sort();
        kinds.dedup();
        for k in kinds {
            let n = assets.iter().filter(|a| &a.kind == k).count();
            out.push(row(k.code().to_owned(), n));
        }
    }
    Ok(out)
}

/// An LSOA's population, centroid and deprivation: the need side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LsoaNeed {
    /// LSOA code.
    pub lsoa: LsoaCode,
    /// Population-weighted centroid.
    pub centroid: GeoPoint,
    /// Population.
    pub population: f64,
    /// IMD decile (1 = most deprived 10% of England).
    pub imd_decile: ImdDecile,
}

/// What an LSOA's population can reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LsoaAccess {
    /// LSOA code.
    pub lsoa: String,
    /// Population.
    pub population: f64,
    /// IMD decile.
    pub imd_decile: ImdDecile,
    /// Assets matching the query within the distance of the centroid.
    pub assets_within: u64,
    /// Distance to the nearest matching asset, metres (none: no asset at all).
    pub nearest_m: Option<f64>,
}

/// For each LSOA, the matching assets within `metres` of its centroid and the nearest one.
pub fn lsoa_access(
    register: &Register,
    lsoas: &[LsoaNeed],
    metres: f64,
    query: &Query,
) -> Result<Vec<LsoaAccess>, AssetError> {
    let mut out = Vec::with_capacity(lsoas.len());
    for l in lsoas {
        if !(l.population.is_finite() && l.population >= 0.0) {
            return Err(AssetError::invalid(
                "population",
                format!("{}: population {} is not a count", l.lsoa, l.population),
            ));
        }
        let within = register.within(l.centroid, metres, query).len() as u64;
        let nearest = register
            .nearest(l.centroid, 1, query)
            .first()
            .map(|(_, d)| *d);
        out.push(LsoaAccess {
            lsoa: l.lsoa.to_string(),
            population: l.population,
            imd_decile: l.imd_decile,
            assets_within: within,
            nearest_m: nearest,
        });
    }
    Ok(out)
}

/// LSOAs ranked as gaps: most deprived first, then fewest assets within reach, then the
/// larger population; only LSOAs in deciles up to `max_decile`.
pub fn gaps(access: &[LsoaAccess], max_decile: ImdDecile) -> Vec<LsoaAccess> {
    let mut v: Vec<LsoaAccess> = access
        .iter()
        .filter(|a| a.imd_decile <= max_decile)
        .cloned()
        .collect();
    v.sort_by(|a, b| {
        a.imd_decile
            .cmp(&b.imd_decile)
            .then(a.assets_within.cmp(&b.assets_within))
            .then(b.population.total_cmp(&a.population))
            .then(a.lsoa.cmp(&b.lsoa))
    });
    v
}

/// Provision by IMD quintile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuintileProvision {
    /// IMD quintile (1 = most deprived).
    pub quintile: ImdQuintile,
    /// LSOAs.
    pub lsoas: u64,
    /// Population.
    pub population: f64,
    /// Population-weighted mean number of assets within reach.
    pub mean_assets_within: f64,
    /// Share of the population with no asset within reach (0 to 1).
    pub share_without: f64,
}

/// Provision by IMD quintile, from [`lsoa_access`] rows.
pub fn by_imd_quintile(access: &[LsoaAccess]) -> Vec<QuintileProvision> {
    ImdQuintile::all()
        .map(|q| {
            let rows: Vec<&LsoaAccess> = access
                .iter()
                .filter(|a| a.imd_decile.quintile() == q)
                .collect();
            let population: f64 = rows.iter().map(|r| r.population).sum();
            let weighted: f64 = rows
                .iter()
                .map(|r| r.population * r.assets_within as f64)
                .sum();
            // `+ 0.0`: an empty float sum is -0.0, which would print as "-0".
            let without: f64 = rows
                .iter()
                .filter(|r| r.assets_within == 0)
                .map(|r| r.population)
                .sum::<f64>()
                + 0.0;
            QuintileProvision {
                quintile: q,
                lsoas: rows.len() as u64,
                population,
                mean_assets_within: if population > 0.0 {
                    weighted / population
                } else {
                    0.0
                },
                share_without: if population > 0.0 {
                    without / population
                } else {
                    0.0
                },
            }
        })
        .collect()
}

/// What a PCN's patients can walk to: assets within `metres` of the population-weighted
/// centroid of any LSOA in the PCN's footprint (the LSOAs holding at least `footprint_share` of
/// its patients, from the registry's patients-by-LSOA data).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Reach<'a> {
    /// The registry with patients by LSOA.
    pub registry: &'a Registry,
    /// The date of the PCN's membership and lists.
    pub date: NaiveDate,
    /// The share of a PCN's patients an LSOA must hold to be in its footprint.
    pub footprint_share: f64,
    /// LSOA population-weighted centroids.
    pub centroids: &'a BTreeMap<LsoaCode, GeoPoint>,
    /// Walking distance, metres.
    pub metres: f64,
}

impl<'a> Reach<'a> {
    /// Reach over `registry` on `date` with `centroids`, the default footprint share and
    /// walking distance ([`FOOTPRINT_SHARE_DEFAULT`], [`WALKING_METRES_DEFAULT`]).
    pub fn new(
        registry: &'a Registry,
        date: NaiveDate,
        centroids: &'a BTreeMap<LsoaCode, GeoPoint>,
    ) -> Self {
        Reach {
            registry,
            date,
            footprint_share: FOOTPRINT_SHARE_DEFAULT,
            centroids,
            metres: WALKING_METRES_DEFAULT,
        }
    }

    /// The same with a walking distance and footprint share.
    pub fn within(mut self, metres: f64, footprint_share: f64) -> Self {
        self.metres = metres;
        self.footprint_share = footprint_share;
        self
    }

    /// The assets matching `query` within reach of `pcn`'s patients, each once, by name.
    /// `None` when the footprint is unknown (no patients-by-LSOA data for its practices) or
    /// none of its LSOAs has a centroid: unknown reach, never an empty one.
    pub fn around_pcn<'r>(
        &self,
        register: &'r Register,
        pcn: PcnCode,
        query: &Query,
    ) -> Result<Option<Vec<&'r crate::model::Asset>>, AssetError> {
        let shares = self
            .registry
            .pcn_lsoa_shares(pcn, self.date)
            .map_err(|e| AssetError::invalid("pcn", e.to_string()))?;
        let points: Vec<GeoPoint> = shares
            .iter()
            .filter(|s| s.share >= self.footprint_share)
            .filter_map(|s| self.centroids.get(&s.lsoa).copied())
            .collect();
        if points.is_empty() {
            return Ok(None);
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for p in points {
            for (a, _) in register.within(p, self.metres, query) {
                if seen.insert(a.id) {
                    out.push(a);
                }
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        Ok(Some(out))
    }
}
