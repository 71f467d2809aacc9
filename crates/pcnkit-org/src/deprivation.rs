//! Deprivation of practices and PCNs, population-weighted: each practice's registered patients
//! by LSOA (NHS England's `gp-reg-pat-prac-lsoa-all.csv`) × each LSOA's IMD score gives the
//! practice's score, as OHID Fingertips computes its practice IMD score (indicator 93553: the
//! LSOA scores weighted by where the practice's patients live); a PCN's is the same over its
//! member practices' patients. The mean IMD decile is weighted the same way, for releases read
//! without scores.
//!
//! Practices and PCNs are then placed in deciles and quintiles of their own kind, nationally
//! (every practice or PCN given) and re-ranked within a group ([`Within`]: the ICB by default,
//! or the sub-ICB location or region): by score when every
//! ranked area has one, else by mean decile; 1 is the most deprived, ties broken by code so
//! the cut is deterministic; decile `⌈10·i/n⌉` of the `i`-th most deprived of `n`.
//!
//! Patients in LSOAs the deprivation file lacks (Welsh LSOAs, codes of the other boundary
//! vintage, `NO2011` rows already skipped by the reader) are counted, not guessed: a figure is
//! over the matched patients only, its `patients_matched` said beside it, and an area with none
//! matched has no figure. Every output names the release of the indices it came from.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt8Array, UInt64Array};
use chrono::NaiveDate;
use pcnkit_core::{ImdDecile, ImdRelease, LsoaCode, PcnCode, PracticeCode};

use crate::error::OrgError;
use crate::import::LsoaDeprivation;
use crate::population::PracticeLsoaRecord;
use crate::registry::Registry;

/// What was ranked to place areas in deciles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub enum RankedBy {
    /// The population-weighted IMD score (higher is more deprived).
    Score,
    /// The population-weighted mean IMD decile (lower is more deprived), for files without
    /// scores.
    MeanDecile,
}

impl RankedBy {
    /// `score` or `mean decile`.
    pub fn label(self) -> &'static str {
        match self {
            RankedBy::Score => "score",
            RankedBy::MeanDecile => "mean decile",
        }
    }
}

/// The groups within which practices and PCNs are re-ranked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub enum Within {
    /// The sub-ICB location of the PCN (a practice's through its PCN).
    SubIcb,
    /// The ICB (the default).
    #[default]
    Icb,
    /// The NHS England region of the ICB.
    Region,
}

impl Within {
    /// `sub-icb`, `icb` or `region`.
    pub fn label(self) -> &'static str {
        match self {
            Within::SubIcb => "sub-icb",
            Within::Icb => "icb",
            Within::Region => "region",
        }
    }
}

impl std::str::FromStr for Within {
    type Err = OrgError;
    /// `sub-icb`, `icb` or `region` (`_` or `-`, any case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "sub-icb" => Ok(Within::SubIcb),
            "icb" => Ok(Within::Icb),
            "region" => Ok(Within::Region),
            other => Err(OrgError::Invalid(format!(
                "within {other:?}: sub-icb, icb or region"
            ))),
        }
    }
}

/// A decile and its quintile among areas of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Placing {
    /// 1 = the most deprived tenth of the areas ranked.
    pub decile: ImdDecile,
    /// 1 = the most deprived fifth.
    pub quintile: pcnkit_core::ImdQuintile,
}

/// One practice's or PCN's deprivation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct AreaDeprivation {
    /// Registered patients with a known LSOA.
    pub patients: u64,
    /// Of them, in LSOAs the deprivation file has.
    pub patients_matched: u64,
    /// The population-weighted IMD score, when the file has scores for every matched LSOA.
    pub score: Option<f64>,
    /// The population-weighted mean IMD decile of the LSOAs.
    pub mean_decile: Option<f64>,
    /// Among every area of its kind given.
    pub national: Option<Placing>,
    /// The group it is re-ranked within (an ICB's code), when the registry places it in one.
    pub within: Option<String>,
    /// Among the areas of its group (re-ranked).
    pub in_group: Option<Placing>,
}

/// Running sums of one area.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    patients: u64,
    matched: u64,
    scored: u64,
    score: f64,
    decile: f64,
}

impl Sums {
    fn add(&mut self, other: &Sums) -> Result<(), OrgError> {
        let add = |a: u64, b: u64| {
            a.checked_add(b)
                .ok_or_else(|| OrgError::Invalid("patient counts too large to add up".to_owned()))
        };
        self.patients = add(self.patients, other.patients)?;
        self.matched = add(self.matched, other.matched)?;
        self.scored = add(self.scored, other.scored)?;
        self.score += other.score;
        self.decile += other.decile;
        Ok(())
    }

    fn area(&self) -> AreaDeprivation {
        let m = self.matched as f64;
        AreaDeprivation {
            patients: self.patients,
            patients_matched: self.matched,
            score: (self.matched > 0 && self.scored == self.matched).then(|| self.score / m),
            mean_decile: (self.matched > 0).then(|| self.decile / m),
            national: None,
            within: None,
            in_group: None,
        }
    }
}

/// Practices' and PCNs' population-weighted deprivation, from one release of the indices.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct PopulationDeprivation {
    /// The release of the LSOA figures.
    pub release: ImdRelease,
    /// What the deciles rank.
    pub ranked_by: RankedBy,
    /// The groups the areas are re-ranked within.
    pub within: Within,
    /// Each practice.
    pub practices: BTreeMap<PracticeCode, AreaDeprivation>,
    /// Each PCN (when a registry was given).
    pub pcns: BTreeMap<PcnCode, AreaDeprivation>,
    /// Patients in LSOAs the file lacks, by LSOA (a vintage mismatch shows here).
    pub unmatched: BTreeMap<LsoaCode, u64>,
    /// All of them (summed checked).
    pub unmatched_patients: u64,
}

/// The input of [`population_weighted`]: what to weight, and how to group the re-ranking.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct DeprivationInputs<'a> {
    /// Patients per practice per LSOA.
    pub practice_lsoa: &'a [PracticeLsoaRecord],
    /// The LSOAs' deprivation (one release).
    pub lsoas: &'a [LsoaDeprivation],
    /// Practices' PCNs and ICBs on `date`, for PCN figures and re-ranking within groups.
    pub registry: Option<(&'a Registry, NaiveDate)>,
    /// The groups to re-rank within (ICBs by default).
    pub within: Within,
}

impl<'a> DeprivationInputs<'a> {
    /// Practices only; add a registry with [`with_registry`](Self::with_registry).
    pub fn new(practice_lsoa: &'a [PracticeLsoaRecord], lsoas: &'a [LsoaDeprivation]) -> Self {
        DeprivationInputs {
            practice_lsoa,
            lsoas,
            registry: None,
            within: Within::default(),
        }
    }

    /// Re-rank within these groups instead of ICBs.
    #[must_use]
    pub fn within(mut self, within: Within) -> Self {
        self.within = within;
        self
    }

    /// PCN figures from the memberships on `date`, and deciles re-ranked within each ICB.
    #[must_use]
    pub fn with_registry(mut self, registry: &'a Registry, date: NaiveDate) -> Self {
        self.registry = Some((registry, date));
        self
    }
}

/// Places `areas` in deciles of the ones with a figure (see the module docs).
fn place<K: Ord + Copy + std::hash::Hash>(
    areas: &BTreeMap<K, AreaDeprivation>,
    ranked_by: RankedBy,
    keys: impl Iterator<Item = K>,
) -> HashMap<K, Placing> {
    let mut ranked: Vec<(K, f64)> = keys
        .filter_map(|k| {
            let a = areas.get(&k)?;
            let v = match ranked_by {
                // Higher scores are more deprived: rank on the negated score.
                RankedBy::Score => a.score.map(|s| -s),
                RankedBy::MeanDecile => a.mean_decile,
            }?;
            Some((k, v))
        })
        .collect();
    ranked.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let n = ranked.len();
    let mut out = HashMap::with_capacity(n);
    for (i, (k, _)) in ranked.into_iter().enumerate() {
        let Some(decile) = ImdDecile::of_rank(i, n) else {
            continue;
        };
        out.insert(
            k,
            Placing {
                decile,
                quintile: decile.quintile(),
            },
        );
    }
    out
}

/// Places every area nationally and within its group.
fn place_all<K: Ord + Copy + std::hash::Hash>(
    areas: &mut BTreeMap<K, AreaDeprivation>,
    ranked_by: RankedBy,
    group: impl Fn(K) -> Option<String>,
) {
    let national = place(areas, ranked_by, areas.keys().copied());
    let mut groups: BTreeMap<String, Vec<K>> = BTreeMap::new();
    for (k, a) in areas.iter_mut() {
        a.within = group(*k);
        if let Some(g) = &a.within {
            groups.entry(g.clone()).or_default().push(*k);
        }
    }
    let mut within = HashMap::new();
    for members in groups.values() {
        within.extend(place(areas, ranked_by, members.iter().copied()));
    }
    for (k, a) in areas.iter_mut() {
        a.national = national.get(k).copied();
        a.in_group = within.get(k).copied();
    }
}

/// Practices' (and with a registry, PCNs') population-weighted deprivation. The LSOAs must
/// be of one release (mixing them is an error); a practice's patients in LSOAs the file lacks
/// are counted in `patients` and `unmatched`, not in the figure.
pub fn population_weighted(
    inputs: DeprivationInputs<'_>,
) -> Result<PopulationDeprivation, OrgError> {
    let mut release: Option<&ImdRelease> = None;
    let mut by_lsoa: HashMap<LsoaCode, &LsoaDeprivation> =
        HashMap::with_capacity(inputs.lsoas.len());
    for l in inputs.lsoas {
        match release {
            None => release = Some(&l.release),
            Some(r) if *r != l.release => {
                return Err(OrgError::Invalid(format!(
                    "LSOA {} is from {}, others from {r}: releases of the indices are not comparable, so they are not mixed",
                    l.lsoa, l.release
                )));
            }
            Some(_) => {}
        }
        by_lsoa.insert(l.lsoa, l);
    }
    let release = release.cloned().unwrap_or(ImdRelease::Unstated);
    let mut practice_sums: BTreeMap<PracticeCode, Sums> = BTreeMap::new();
    let mut unmatched: BTreeMap<LsoaCode, u64> = BTreeMap::new();
    let mut unmatched_patients = 0u64;
    for r in inputs.practice_lsoa {
        let n = r.patients.get();
        let mut s = Sums {
            patients: n,
            ..Sums::default()
        };
        match by_lsoa.get(&r.lsoa) {
            Some(l) => {
                s.matched = n;
                s.decile = f64::from(l.imd_decile.get()) * n as f64;
                if let Some(score) = l.imd_score {
                    s.scored = n;
                    s.score = score * n as f64;
                }
            }
            None => {
                let too_large =
                    || OrgError::Invalid("patient counts too large to add up".to_owned());
                let u = unmatched.entry(r.lsoa).or_default();
                *u = u.checked_add(n).ok_or_else(too_large)?;
                unmatched_patients = unmatched_patients.checked_add(n).ok_or_else(too_large)?;
            }
        }
        practice_sums.entry(r.practice).or_default().add(&s)?;
    }
    let mut pcn_sums: BTreeMap<PcnCode, Sums> = BTreeMap::new();
    if let Some((registry, date)) = inputs.registry {
        for (p, s) in &practice_sums {
            if let Some(pcn) = registry.pcn_of(*p, date) {
                pcn_sums.entry(pcn).or_default().add(s)?;
            }
        }
    }
    let mut practices: BTreeMap<PracticeCode, AreaDeprivation> =
        practice_sums.iter().map(|(k, s)| (*k, s.area())).collect();
    let mut pcns: BTreeMap<PcnCode, AreaDeprivation> =
        pcn_sums.iter().map(|(k, s)| (*k, s.area())).collect();
    // Rank by score only when every area with matched patients has one.
    let ranked_by = if practices
        .values()
        .all(|a| a.patients_matched == 0 || a.score.is_some())
        && practices.values().any(|a| a.score.is_some())
    {
        RankedBy::Score
    } else {
        RankedBy::MeanDecile
    };
    let within = inputs.within;
    match inputs.registry {
        Some((registry, date)) => {
            let group_of_pcn = |p: PcnCode| -> Option<String> {
                let pcn = registry.pcn(p)?;
                match within {
                    Within::SubIcb => pcn.sub_icb.map(|c| c.to_string()),
                    Within::Icb => pcn.icb.map(|c| c.to_string()),
                    Within::Region => {
                        let icb = pcn.icb?;
                        registry
                            .icbs()
                            .find(|i| i.code == icb)
                            .and_then(|i| i.region)
                            .map(|r| r.to_string())
                    }
                }
            };
            place_all(&mut practices, ranked_by, |k| {
                registry.pcn_of(k, date).and_then(group_of_pcn)
            });
            place_all(&mut pcns, ranked_by, group_of_pcn);
        }
        None => place_all(&mut practices, ranked_by, |_| None),
    }
    Ok(PopulationDeprivation {
        release,
        ranked_by,
        within,
        practices,
        pcns,
        unmatched,
        unmatched_patients,
    })
}

impl PopulationDeprivation {
    /// The practices and then the PCNs as one table: `level` (`practice`, `pcn`), `code`,
    /// `patients`, `patients_matched`, `imd_score`, `mean_imd_decile`, `ranked_by`,
    /// `national_decile`, `national_quintile`, `within` (the group's code: an ICB's, by
    /// default), `within_decile`, `within_quintile` (re-ranked within it), `release`.
    pub fn table(&self) -> Result<RecordBatch, OrgError> {
        let rows: Vec<(&str, String, &AreaDeprivation)> = self
            .practices
            .iter()
            .map(|(k, a)| ("practice", k.to_string(), a))
            .chain(self.pcns.iter().map(|(k, a)| ("pcn", k.to_string(), a)))
            .collect();
        let text = |f: &dyn Fn(&(&str, String, &AreaDeprivation)) -> String| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(rows.iter().map(f)))
        };
        let count = |f: &dyn Fn(&AreaDeprivation) -> u64| -> ArrayRef {
            Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| f(r.2))))
        };
        let float = |f: &dyn Fn(&AreaDeprivation) -> Option<f64>| -> ArrayRef {
            Arc::new(rows.iter().map(|r| f(r.2)).collect::<Float64Array>())
        };
        let rank = |f: &dyn Fn(&AreaDeprivation) -> Option<u8>| -> ArrayRef {
            Arc::new(rows.iter().map(|r| f(r.2)).collect::<UInt8Array>())
        };
        Ok(pcnkit_core::arrow::nullable_batch([
            ("level", text(&|r| r.0.to_owned())),
            ("code", text(&|r| r.1.clone())),
            ("patients", count(&|a| a.patients)),
            ("patients_matched", count(&|a| a.patients_matched)),
            ("imd_score", float(&|a| a.score)),
            ("mean_imd_decile", float(&|a| a.mean_decile)),
            ("ranked_by", text(&|_| self.ranked_by.label().to_owned())),
            (
                "national_decile",
                rank(&|a| a.national.map(|p| p.decile.get())),
            ),
            (
                "national_quintile",
                rank(&|a| a.national.map(|p| p.quintile.get())),
            ),
            (
                "within",
                Arc::new(
                    rows.iter()
                        .map(|r| r.2.within.clone())
                        .collect::<StringArray>(),
                ),
            ),
            (
                "within_decile",
                rank(&|a| a.in_group.map(|p| p.decile.get())),
            ),
            (
                "within_quintile",
                rank(&|a| a.in_group.map(|p| p.quintile.get())),
            ),
            ("release", text(&|_| self.release.to_string())),
        ])?)
    }
}
