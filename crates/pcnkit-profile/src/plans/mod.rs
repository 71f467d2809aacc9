//! Workforce plans from a profile's inputs: community health and wellbeing workers
//! proportionate to need, social prescribing link workers against the asset register, and
//! community pharmacies with what the practices' referrals would pay them. The one way every
//! front end (CLI, Python, R, the report) gathers a plan's inputs.

mod chww;
mod link_workers;
mod pharmacy;

pub use chww::{ChwwLevel, ChwwOptions, ChwwWords, chww_areas, chww_plan};
pub use link_workers::{LinkWorkerReach, link_workers, link_workers_table};
pub use pharmacy::{PcnPharmacy, PharmacyOptions, PharmacyWords, pharmacy_plan, pharmacy_table};

use std::collections::BTreeMap;

use arrow_array::RecordBatch;
use pcnkit_assets::GeoPoint;
use pcnkit_core::read::{Finding, Severity};
use pcnkit_core::{FinancialYear, LsoaCode};
use pcnkit_plan::chww::{ChwwConfig, ChwwPlan};
use pcnkit_plan::pharmacy::PharmacySchemes;
use rust_decimal::Decimal;

use crate::{ProfileError, ProfileInputs};

/// LSOA centroids of the inputs, for reach.
fn centroids(inputs: &ProfileInputs) -> BTreeMap<LsoaCode, GeoPoint> {
    inputs
        .lsoa_need
        .iter()
        .map(|l| (l.lsoa, l.centroid))
        .collect()
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
