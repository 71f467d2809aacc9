//! Workforce plans from a profile's inputs: community health and wellbeing workers
//! proportionate to need, social prescribing link workers against the asset register, and
//! community pharmacies with what the practices' referrals would pay them. The one way every
//! front end (CLI, Python, R, the report) gathers a plan's inputs.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use pcnkit_assets::coverage::Reach;
use pcnkit_assets::register::Query;
use pcnkit_assets::{AssetKind, GeoPoint, HealthyLivingPharmacy};
use pcnkit_core::read::{Finding, Severity};
use pcnkit_core::{FinancialYear, ImdDecile, LsoaCode, PcnCode};
use pcnkit_plan::chww::{ChwwConfig, ChwwPlan, NeedArea, households_from, plan_chww};
use pcnkit_plan::pharmacy::{PaymentEstimate, PharmacySchemes, Referrals, estimate};
use rust_decimal::Decimal;

use crate::{ProfileError, ProfileInputs};

/// The areas CHWWs are placed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ChwwLevel {
    /// LSOAs (their resident populations and national IMD deciles; needs LSOA populations).
    Lsoa,
    /// PCNs (their registered patients and deciles among the plan's PCNs).
    #[default]
    Pcn,
}

impl std::str::FromStr for ChwwLevel {
    type Err = ProfileError;

    /// `lsoa` or `pcn`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "lsoa" => Ok(ChwwLevel::Lsoa),
            "pcn" => Ok(ChwwLevel::Pcn),
            other => Err(ProfileError::Inputs(format!(
                "CHWW level {other:?}: use lsoa or pcn"
            ))),
        }
    }
}

/// How to plan CHWWs from a profile's inputs.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChwwOptions {
    /// LSOAs or PCNs.
    pub level: ChwwLevel,
    /// Persons per household, to count households from populations (the caller's: pcnkit has
    /// no sourced figure, and it differs between areas).
    pub persons_per_household: Decimal,
    /// The workers, patch size and weighting.
    pub config: ChwwConfig,
}

impl ChwwOptions {
    /// CHWWs at `level` with `persons_per_household` and `config`.
    pub fn new(level: ChwwLevel, persons_per_household: Decimal, config: ChwwConfig) -> Self {
        ChwwOptions {
            level,
            persons_per_household,
            config,
        }
    }
}

/// The areas of `inputs` at `level` with their households and deciles, what the deciles are,
/// and findings (areas left out, and why).
pub fn chww_areas(
    inputs: &ProfileInputs,
    level: ChwwLevel,
    persons_per_household: Decimal,
) -> Result<(Vec<NeedArea>, String, Vec<Finding>), ProfileError> {
    let plan_err = |e: pcnkit_plan::PlanError| ProfileError::Inputs(e.to_string());
    let mut findings = Vec::new();
    let mut areas = Vec::new();
    match level {
        ChwwLevel::Lsoa => {
            if inputs.lsoa_need.is_empty() {
                return Err(ProfileError::Inputs(
                    "CHWWs by LSOA need LSOA populations: give LSOAs in pcnkit's layout (lsoa, imd_decile, population, latitude, longitude), or plan by PCN".to_owned(),
                ));
            }
            for l in &inputs.lsoa_need {
                let h = households_from(l.population, persons_per_household).map_err(plan_err)?;
                areas.push(NeedArea::new(l.lsoa.to_string(), h, l.imd_decile));
            }
            let release = inputs
                .deprivation
                .as_ref()
                .map_or_else(|| "IMD".to_owned(), |d| d.release.to_string());
            Ok((
                areas,
                format!(
                    "national {release} deciles of the LSOAs (1 = most deprived 10% of England)"
                ),
                findings,
            ))
        }
        ChwwLevel::Pcn => {
            let (deciles, basis) = pcn_deciles(inputs)?;
            for pcn in &inputs.pcns {
                let population = inputs.population.get(pcn).copied().flatten();
                match (population, deciles.get(pcn)) {
                    (Some(p), Some((d, score))) => {
                        let h = households_from(p as f64, persons_per_household)
                            .map_err(plan_err)?;
                        let mut a = NeedArea::new(pcn.to_string(), h, *d);
                        if let Some(s) = score {
                            a = a.with_score(*s);
                        }
                        areas.push(a);
                    }
                    (None, _) => findings.push(
                        Finding::new(
                            "plan.chww.population_unknown",
                            Severity::Warning,
                            "its registered population is unknown, so it has no households to plan for: left out of the CHWW plan",
                        )
                        .about(pcn.to_string()),
                    ),
                    (_, None) => findings.push(
                        Finding::new(
                            "plan.chww.deprivation_unknown",
                            Severity::Warning,
                            "its deprivation is unknown: left out of the CHWW plan",
                        )
                        .about(pcn.to_string()),
                    ),
                }
            }
            Ok((areas, basis, findings))
        }
    }
}

/// Each PCN's decile among the profiled PCNs and its IMD score if known.
type PcnDeciles = BTreeMap<PcnCode, (ImdDecile, Option<f64>)>;

/// Each PCN's decile among the profiled PCNs (1 = most deprived) and its IMD score if known,
/// with what the deciles are of.
fn pcn_deciles(inputs: &ProfileInputs) -> Result<(PcnDeciles, String), ProfileError> {
    // Rank the profiled PCNs by score where every one has one, else by mean decile (from
    // patients by LSOA, or the practices' deciles weighted by list size).
    let mut keyed: Vec<(PcnCode, f64, Option<f64>)> = Vec::new();
    let dep = inputs.deprivation.as_ref();
    let scores: BTreeMap<PcnCode, f64> = inputs
        .pcns
        .iter()
        .filter_map(|p| dep?.pcns.get(p)?.score.map(|s| (*p, s)))
        .collect();
    let by_score = !inputs.pcns.is_empty() && scores.len() == inputs.pcns.len();
    for pcn in &inputs.pcns {
        if by_score {
            // Higher score is more deprived: rank on the negated score.
            keyed.push((*pcn, -scores[pcn], Some(scores[pcn])));
            continue;
        }
        let mut w = crate::DecileWeight::default();
        for m in inputs.registry.members(*pcn, inputs.date) {
            if let Some(d) = inputs.practice_decile.get(&m) {
                w.sum += d.sum;
                w.weight += d.weight;
            }
        }
        if let Some(mean) = w.mean() {
            keyed.push((*pcn, mean, scores.get(pcn).copied()));
        }
    }
    if keyed.is_empty() {
        return Err(ProfileError::Inputs(
            "CHWWs by PCN need the PCNs' deprivation: give LSOA deprivation with patients by LSOA, or practice deprivation".to_owned(),
        ));
    }
    keyed.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let n = keyed.len();
    let mut out = BTreeMap::new();
    for (i, (pcn, _, score)) in keyed.into_iter().enumerate() {
        let d = ImdDecile::of_rank(i, n)
            .ok_or_else(|| ProfileError::Inputs("a PCN could not be ranked".to_owned()))?;
        out.insert(pcn, (d, score));
    }
    let what = if by_score {
        "population-weighted IMD score"
    } else {
        "mean IMD decile of their practices"
    };
    Ok((
        out,
        format!(
            "deciles of the plan's {n} PCNs ranked by {what} (1 = most deprived; local, not national)"
        ),
    ))
}

/// The CHWW plan of `inputs`, with the findings of the inputs (areas left out) and the plan.
pub fn chww_plan(
    inputs: &ProfileInputs,
    options: &ChwwOptions,
) -> Result<(ChwwPlan, Vec<Finding>), ProfileError> {
    let (areas, basis, mut findings) =
        chww_areas(inputs, options.level, options.persons_per_household)?;
    let plan = plan_chww(&areas, &options.config, &basis)
        .map_err(|e| ProfileError::Inputs(e.to_string()))?;
    findings.push(Finding::new(
        "plan.chww.households",
        Severity::Info,
        format!(
            "households are {} ÷ {} persons per household (the planner's figure, not a published one)",
            match options.level {
                ChwwLevel::Lsoa => "each LSOA's resident population",
                ChwwLevel::Pcn => "each PCN's registered patients",
            },
            options.persons_per_household
        ),
    ));
    findings.extend(plan.findings.iter().cloned());
    Ok((plan, findings))
}

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

/// LSOA centroids of the inputs, for reach.
fn centroids(inputs: &ProfileInputs) -> BTreeMap<LsoaCode, GeoPoint> {
    inputs
        .lsoa_need
        .iter()
        .map(|l| (l.lsoa, l.centroid))
        .collect()
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

/// How to estimate community pharmacy payments.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PharmacyOptions {
    /// The scheme's id (`cpcs`, `pharmacy_first`, or one of a user file's).
    pub scheme: String,
    /// The financial year.
    pub year: FinancialYear,
    /// Referrals from each PCN's practices: a rate per 1,000 patients (the ICB's).
    pub referrals_per_1000: Decimal,
}

impl PharmacyOptions {
    /// `scheme` in `year` at `referrals_per_1000` a year.
    pub fn new(
        scheme: impl Into<String>,
        year: FinancialYear,
        referrals_per_1000: Decimal,
    ) -> Self {
        PharmacyOptions {
            scheme: scheme.into(),
            year,
            referrals_per_1000,
        }
    }
}

/// A PCN's community pharmacies and what its referrals would pay them.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PcnPharmacy {
    /// The PCN.
    pub pcn: PcnCode,
    /// Registered patients, if known.
    pub patients: Option<u64>,
    /// Pharmacies within walking distance of its footprint, if known.
    pub pharmacies: Option<u64>,
    /// Of those, by Healthy Living Pharmacy level 1, 2, 3 and not recorded.
    pub hlp_levels: Option<[u64; 4]>,
    /// The payment estimate.
    pub estimate: PaymentEstimate,
}

/// Pharmacies around each profiled PCN (when a register was given) and the payment its
/// referrals would make under `options`.
pub fn pharmacy_plan(
    inputs: &ProfileInputs,
    schemes: &PharmacySchemes,
    options: &PharmacyOptions,
    walking_metres: f64,
    footprint_share: f64,
) -> Result<(Vec<PcnPharmacy>, Vec<Finding>), ProfileError> {
    let scheme = schemes
        .get(&options.scheme)
        .map_err(|e| ProfileError::Inputs(e.to_string()))?;
    let points = centroids(inputs);
    let reach =
        Reach::new(&inputs.registry, inputs.date, &points).within(walking_metres, footprint_share);
    let query = Query::new().kind(AssetKind::Pharmacy);
    let mut out = Vec::new();
    for pcn in &inputs.pcns {
        let patients = inputs.population.get(pcn).copied().flatten();
        let around = match &inputs.assets {
            Some(register) => reach
                .around_pcn(register, *pcn, &query)
                .map_err(|e| ProfileError::Inputs(e.to_string()))?,
            None => None,
        };
        let hlp_levels = around.as_ref().map(|v| {
            let mut n = [0u64; 4];
            for a in v {
                n[match a.hlp_level {
                    Some(HealthyLivingPharmacy::Level1) => 0,
                    Some(HealthyLivingPharmacy::Level2) => 1,
                    Some(HealthyLivingPharmacy::Level3) => 2,
                    _ => 3,
                }] += 1;
            }
            n
        });
        let estimate = estimate(
            schemes,
            scheme,
            options.year,
            Referrals::Per1000(options.referrals_per_1000),
            patients,
        )
        .map_err(|e| ProfileError::Inputs(e.to_string()))?;
        out.push(PcnPharmacy {
            pcn: *pcn,
            patients,
            pharmacies: around.as_ref().map(|v| v.len() as u64),
            hlp_levels,
            estimate,
        });
    }
    let findings = vec![Finding::new(
        "plan.pharmacy.referrals",
        Severity::Info,
        format!(
            "{} in {}: {} referrals a year per 1,000 registered patients (the planner's rate, not a published one) × the fee per {}",
            scheme.name, options.year, options.referrals_per_1000, scheme.unit
        ),
    )];
    Ok((out, findings))
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

/// `plan_pharmacy`: `pcn`, `patients`, `pharmacies`, `hlp_level_1`, `hlp_level_2`,
/// `hlp_level_3`, `hlp_not_recorded`, `referrals` (text), `fee` (text, pounds), `payment`
/// (text, pounds), `confidence`, `source`, `note`; unknowns null.
pub fn pharmacy_table(rows: &[PcnPharmacy]) -> Result<RecordBatch, ProfileError> {
    let text = |f: &dyn Fn(&PcnPharmacy) -> Option<String>| -> ArrayRef {
        Arc::new(StringArray::from_iter(rows.iter().map(f)))
    };
    let count = |f: &dyn Fn(&PcnPharmacy) -> Option<u64>| -> ArrayRef {
        Arc::new(UInt64Array::from_iter(rows.iter().map(f)))
    };
    Ok(pcnkit_core::arrow::nullable_batch([
        ("pcn", text(&|r| Some(r.pcn.to_string()))),
        ("patients", count(&|r| r.patients)),
        ("pharmacies", count(&|r| r.pharmacies)),
        ("hlp_level_1", count(&|r| r.hlp_levels.map(|h| h[0]))),
        ("hlp_level_2", count(&|r| r.hlp_levels.map(|h| h[1]))),
        ("hlp_level_3", count(&|r| r.hlp_levels.map(|h| h[2]))),
        ("hlp_not_recorded", count(&|r| r.hlp_levels.map(|h| h[3]))),
        (
            "referrals",
            text(&|r| r.estimate.units.map(|u| u.normalize().to_string())),
        ),
        (
            "fee",
            text(&|r| r.estimate.fee.map(|f| f.pounds().to_string())),
        ),
        (
            "payment",
            text(&|r| {
                r.estimate
                    .payment
                    .map(|p| p.pounds().normalize().to_string())
            }),
        ),
        (
            "confidence",
            text(&|r| r.estimate.confidence.map(|c| format!("{c:?}"))),
        ),
        (
            "source",
            text(&|r| (!r.estimate.source.is_empty()).then(|| r.estimate.source.clone())),
        ),
        ("note", text(&|r| r.estimate.note.clone())),
    ])?)
}

/// Which plans a profile makes, and how.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PlanOptions {
    /// GP population-health lead patches (the proposal's limits and the fewest leads by
    /// default; `None`: no lead plan).
    pub leads: Option<pcnkit_plan::leads::LeadPlanConfig>,
    /// CHWWs (none by default: the workers and the households each looks after are the
    /// planner's to give).
    pub chww: Option<ChwwOptions>,
    /// Community pharmacy payments (none by default: the referral rate is the planner's).
    pub pharmacy: Option<PharmacyOptions>,
    /// The pharmacy schemes (`None`: the built-in ones).
    pub pharmacy_schemes: Option<PharmacySchemes>,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            leads: pcnkit_org::rules::PopulationHealthGpPolicy::proposed()
                .ok()
                .map(pcnkit_plan::leads::LeadPlanConfig::new),
            chww: None,
            pharmacy: None,
            pharmacy_schemes: None,
        }
    }
}

/// The figures the demo's report plans with, for illustration only: 200 CHWWs of 120
/// households each (the Westminster pilot's patch, NAPC), weighted `proportionate`, by LSOA,
/// 2.4 persons per household (illustrative); the CPCS in 2022/23 at 10 referrals a year per
/// 1,000 patients (illustrative).
pub const DEMO_ILLUSTRATION: &str = "illustrative figures for the synthetic demo, not planning advice: 200 CHWWs of 120 households each (the Westminster pilot's patch, NAPC), proportionate weighting by LSOA, 2.4 persons per household; the CPCS in 2022/23 at 10 referrals a year per 1,000 patients";

impl PlanOptions {
    /// The demo's plans ([`DEMO_ILLUSTRATION`]).
    pub fn demo_illustration() -> Self {
        PlanOptions {
            chww: Some(ChwwOptions::new(
                ChwwLevel::Lsoa,
                Decimal::new(24, 1),
                ChwwConfig::new(
                    pcnkit_plan::chww::Workforce::Workers(200),
                    120,
                    pcnkit_plan::chww::Weighting::Proportionate,
                ),
            )),
            pharmacy: Some(PharmacyOptions::new(
                "cpcs",
                FinancialYear::from_start_year_const(2022),
                Decimal::from(10),
            )),
            ..PlanOptions::default()
        }
    }
}

/// The plans of a profile.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct PlansProfile {
    /// GP population-health lead patches.
    pub leads: Option<pcnkit_plan::leads::LeadPlan>,
    /// CHWWs.
    pub chww: Option<ChwwPlan>,
    /// Link workers against the register.
    pub link_workers: Option<Vec<LinkWorkerReach>>,
    /// Community pharmacies and payments.
    pub pharmacy: Option<Vec<PcnPharmacy>>,
}

impl PlansProfile {
    /// The plans' tables: `plan_leads`, `plan_chww_areas`, `plan_chww_deciles`,
    /// `plan_chww_summary`, `plan_link_workers`, `plan_pharmacy` (those made).
    pub fn tables(&self) -> Result<Vec<(String, RecordBatch)>, ProfileError> {
        let plan = |e: pcnkit_plan::PlanError| ProfileError::Inputs(e.to_string());
        let mut out = Vec::new();
        if let Some(l) = &self.leads {
            out.push((
                "plan_leads".to_owned(),
                pcnkit_plan::table::patches(l).map_err(plan)?,
            ));
        }
        if let Some(c) = &self.chww {
            out.push((
                "plan_chww_areas".to_owned(),
                pcnkit_plan::table::chww_areas(c).map_err(plan)?,
            ));
            out.push((
                "plan_chww_deciles".to_owned(),
                pcnkit_plan::table::chww_deciles(c).map_err(plan)?,
            ));
            out.push((
                "plan_chww_summary".to_owned(),
                pcnkit_plan::table::chww_summary(c).map_err(plan)?,
            ));
        }
        if let Some(l) = &self.link_workers {
            out.push(("plan_link_workers".to_owned(), link_workers_table(l)?));
        }
        if let Some(p) = &self.pharmacy {
            out.push(("plan_pharmacy".to_owned(), pharmacy_table(p)?));
        }
        Ok(out)
    }
}

/// The plans of `inputs` under `options`, with their findings. A lead plan that cannot be made
/// (no PCN with a known population) is a finding, not a failed profile; a CHWW or pharmacy plan
/// asked for and impossible is an error, since the caller asked for it.
pub(crate) fn plans(
    inputs: &ProfileInputs,
    options: &crate::ProfileOptions,
) -> Result<(PlansProfile, Vec<Finding>), ProfileError> {
    let mut findings = Vec::new();
    let p = &options.plans;
    let leads = match &p.leads {
        Some(config) => {
            match crate::leads::lead_plan(inputs, crate::leads::Neighbours::FromInputs, config) {
                Ok((plan, f)) => {
                    findings.extend(f);
                    Some(plan)
                }
                Err(e) => {
                    findings.push(Finding::new(
                        "plan.leads.not_made",
                        Severity::Warning,
                        format!("no lead plan: {e}"),
                    ));
                    None
                }
            }
        }
        None => None,
    };
    let chww = match &p.chww {
        Some(c) => {
            let (plan, f) = chww_plan(inputs, c)?;
            findings.extend(f);
            Some(plan)
        }
        None => None,
    };
    let link_workers = link_workers(inputs, options.walking_metres, options.footprint_share)?;
    let pharmacy = match &p.pharmacy {
        Some(o) => {
            let builtin;
            let schemes = match &p.pharmacy_schemes {
                Some(s) => s,
                None => {
                    builtin = PharmacySchemes::builtin()
                        .map_err(|e| ProfileError::Inputs(e.to_string()))?;
                    &builtin
                }
            };
            let (rows, f) = pharmacy_plan(
                inputs,
                schemes,
                o,
                options.walking_metres,
                options.footprint_share,
            )?;
            findings.extend(f);
            Some(rows)
        }
        None => None,
    };
    Ok((
        PlansProfile {
            leads,
            chww,
            link_workers,
            pharmacy,
        },
        findings,
    ))
}

/// A CHWW plan's options as a front end receives them (flags, keyword arguments): every
/// default and requirement is here, so the CLI, Python and R ask for the same things.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ChwwWords {
    /// `lsoa` or `pcn` (default `pcn`).
    pub level: Option<String>,
    /// Workers to place (or `budget` with `cost_per_worker`).
    pub workers: Option<u64>,
    /// A budget, pounds a year.
    pub budget: Option<Decimal>,
    /// The cost of a worker, pounds a year.
    pub cost_per_worker: Option<Decimal>,
    /// Households a worker looks after (required).
    pub households_per_worker: Option<u64>,
    /// Persons per household (required).
    pub persons_per_household: Option<Decimal>,
    /// `equal`, `proportionate` (default), `score` or ten decile weights.
    pub weighting: Option<String>,
}

impl ChwwWords {
    /// Whether any CHWW option was given (a front end plans CHWWs only when asked).
    pub fn any(&self) -> bool {
        *self != ChwwWords::default()
    }

    /// The options, or what is missing or wrong, named as the option.
    pub fn options(&self) -> Result<ChwwOptions, ProfileError> {
        let usage = |m: &str| ProfileError::Inputs(m.to_owned());
        let level = self.level.as_deref().unwrap_or("pcn").parse()?;
        let workforce = match (self.workers, self.budget, self.cost_per_worker) {
            (Some(n), None, None) => pcnkit_plan::chww::Workforce::Workers(n),
            (None, Some(b), Some(c)) => pcnkit_plan::chww::Workforce::Budget {
                budget: pcnkit_core::Money::from_pounds(b),
                cost_per_worker: pcnkit_core::Money::from_pounds(c),
            },
            _ => {
                return Err(usage(
                    "CHWWs: give the workers, or a budget with the cost per worker (not both)",
                ));
            }
        };
        let patch = self.households_per_worker.ok_or_else(|| {
            usage("CHWWs: give the households per worker (no published figure is a national rule: the Westminster pilot's was about 120)")
        })?;
        let pph = self.persons_per_household.ok_or_else(|| {
            usage("CHWWs: give the persons per household, to count households from populations")
        })?;
        let weighting = self
            .weighting
            .as_deref()
            .unwrap_or("proportionate")
            .parse()
            .map_err(|e: pcnkit_plan::PlanError| ProfileError::Inputs(e.to_string()))?;
        Ok(ChwwOptions::new(
            level,
            pph,
            ChwwConfig::new(workforce, patch, weighting),
        ))
    }
}

/// A pharmacy estimate's options as a front end receives them.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct PharmacyWords {
    /// The scheme's id (default `pharmacy_first`).
    pub scheme: Option<String>,
    /// The financial year, `2023/24` (required).
    pub year: Option<String>,
    /// Referrals a year per 1,000 registered patients (required).
    pub referrals_per_1000: Option<Decimal>,
    /// A user scheme file (TOML) instead of the built-in schemes.
    pub schemes_file: Option<std::path::PathBuf>,
}

impl PharmacyWords {
    /// Whether any pharmacy option was given.
    pub fn any(&self) -> bool {
        *self != PharmacyWords::default()
    }

    /// The options and schemes, or what is missing or wrong.
    pub fn options(&self) -> Result<(PharmacyOptions, PharmacySchemes), ProfileError> {
        let usage = |m: String| ProfileError::Inputs(m);
        let year: FinancialYear = self
            .year
            .as_deref()
            .ok_or_else(|| usage("pharmacy: give the financial year (2023/24)".to_owned()))?
            .parse()
            .map_err(|e: pcnkit_core::CoreError| usage(format!("pharmacy year: {e}")))?;
        let rate = self.referrals_per_1000.ok_or_else(|| {
            usage("pharmacy: give the referrals a year per 1,000 registered patients (the ICB's rate; pcnkit has no published one)".to_owned())
        })?;
        let schemes = match &self.schemes_file {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| usage(format!("{}: {e}", p.display())))?;
                PharmacySchemes::from_toml(&p.display().to_string(), &text)
            }
            None => PharmacySchemes::builtin(),
        }
        .map_err(|e| usage(e.to_string()))?;
        let scheme = self.scheme.as_deref().unwrap_or("pharmacy_first");
        schemes.get(scheme).map_err(|e| usage(e.to_string()))?;
        Ok((PharmacyOptions::new(scheme, year, rate), schemes))
    }
}

/// The CHWW and pharmacy options from text pairs, by the CLI's flag names in snake case
/// (`workers`, `budget`, `cost_per_worker`, `households_per_worker`,
/// `persons_per_household`, `level`, `weighting`; `scheme`, `year`, `referrals_per_1000`,
/// `schemes_file`): how the Python and R bindings read keyword arguments, so neither parses
/// them on its own. An unknown name or a value that is not a number is refused, named.
pub fn words_from_text<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(ChwwWords, PharmacyWords), ProfileError> {
    let bad =
        |k: &str, v: &str, what: &str| ProfileError::Inputs(format!("{k}: {v:?} is not {what}"));
    let (mut c, mut p) = (ChwwWords::default(), PharmacyWords::default());
    for (k, v) in pairs {
        let decimal = || {
            v.trim()
                .parse::<Decimal>()
                .map_err(|_| bad(k, v, "a number"))
        };
        let count = || {
            v.trim()
                .parse::<u64>()
                .map_err(|_| bad(k, v, "a whole number"))
        };
        match k {
            "level" => c.level = Some(v.to_owned()),
            "workers" => c.workers = Some(count()?),
            "budget" => c.budget = Some(decimal()?),
            "cost_per_worker" => c.cost_per_worker = Some(decimal()?),
            "households_per_worker" => c.households_per_worker = Some(count()?),
            "persons_per_household" => c.persons_per_household = Some(decimal()?),
            "weighting" => c.weighting = Some(v.to_owned()),
            "scheme" => p.scheme = Some(v.to_owned()),
            "year" => p.year = Some(v.to_owned()),
            "referrals_per_1000" => p.referrals_per_1000 = Some(decimal()?),
            "schemes_file" => p.schemes_file = Some(std::path::PathBuf::from(v)),
            other => {
                return Err(ProfileError::Inputs(format!(
                    "unknown plan option {other:?}"
                )));
            }
        }
    }
    Ok((c, p))
}

impl PlanOptions {
    /// The plans a front end asks for: the CHWW and pharmacy options given; for the demo with
    /// neither given, the demo's labelled illustration ([`DEMO_ILLUSTRATION`]). Every front end
    /// (the report, `pcnkit.profile`, R's `pcnkit_profile`) decides here, so the same inputs
    /// give the same plans.
    pub fn from_words(
        demo: bool,
        chww: &ChwwWords,
        pharmacy: &PharmacyWords,
    ) -> Result<Self, ProfileError> {
        if demo && !chww.any() && !pharmacy.any() {
            return Ok(PlanOptions::demo_illustration());
        }
        let mut o = PlanOptions::default();
        if chww.any() {
            o.chww = Some(chww.options()?);
        }
        if pharmacy.any() {
            let (p, schemes) = pharmacy.options()?;
            o.pharmacy = Some(p);
            o.pharmacy_schemes = Some(schemes);
        }
        Ok(o)
    }
}
