//! CHWWs proportionate to need from a profile's inputs: the areas (LSOAs or PCNs) with their
//! households and deciles, the plan, and its options as front ends receive them.

use std::collections::BTreeMap;

use pcnkit_core::read::{Finding, Severity};
use pcnkit_core::{ImdDecile, PcnCode};
use pcnkit_plan::chww::{ChwwConfig, ChwwPlan, NeedArea, households_from, plan_chww};
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
        if let (true, Some(&s)) = (by_score, scores.get(pcn)) {
            // Higher score is more deprived: rank on the negated score.
            keyed.push((*pcn, -s, Some(s)));
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
