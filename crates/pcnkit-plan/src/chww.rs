//! Community health and wellbeing workers (CHWWs), allocated across areas proportionately to
//! need ("proportionate universality").
//!
//! Each worker looks after a fixed patch of households and visits every one monthly, whatever
//! its need. The size of that patch is a **required input**
//! ([`ChwwConfig::households_per_worker`]): the published accounts of the model differ (the
//! Westminster pilot about 120 households a worker, NAPC; about 200 in Brazil, NIHR ARC North
//! West London; 80 to 150 by population density, Cornwall's programme), none is a national
//! rule, so pcnkit assumes none.
//!
//! The planner gives each area a claim of its households × a per-household weight set by the
//! area's IMD decile ([`Weighting`]), then hands out the workers one at a time to the area with
//! the largest claim per worker already placed (Sainte-Laguë's highest averages: the claim
//! divided by the workers placed plus ½, which favours neither large nor small areas), never
//! more workers than an area's households fill (⌈households ÷ patch⌉). Ties go to the more
//! deprived area, then the smaller code, so the same inputs give the same plan.
//!
//! Outputs: workers and households covered per area; coverage by decile; the share of the most
//! deprived quintile's households covered; and the slope index of inequality of coverage across
//! the deciles ([`pcnkit_indicators::sii`], UKHSA's method, households as the weights; coverage
//! is planned, not sampled, so it has no interval).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use pcnkit_core::read::{Finding, Severity};
use pcnkit_core::{ImdDecile, Money};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::error::PlanError;

/// An area the workers are placed in: an LSOA or a PCN.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct NeedArea {
    /// Its code (an LSOA or PCN code).
    pub code: String,
    /// Its households.
    pub households: u64,
    /// Its IMD decile, 1 = most deprived (nationally for an LSOA; among the plan's PCNs for a
    /// PCN: [`ChwwPlan::decile_basis`] says which).
    pub decile: ImdDecile,
    /// Its IMD score (higher is more deprived), when known: only [`Weighting::Score`] needs it.
    pub imd_score: Option<f64>,
}

impl NeedArea {
    /// An area with its households and decile (no score).
    pub fn new(code: impl Into<String>, households: u64, decile: ImdDecile) -> Self {
        NeedArea {
            code: code.into(),
            households,
            decile,
            imd_score: None,
        }
    }

    /// The same area with its IMD score.
    pub fn with_score(mut self, score: f64) -> Self {
        self.imd_score = Some(score);
        self
    }
}

/// Households from a resident or registered population: `population ÷ persons per household`,
/// rounded to the nearest household (halves up). The persons per household is the caller's:
/// pcnkit has no sourced figure for it, and it differs between areas.
pub fn households_from(population: f64, persons_per_household: Decimal) -> Result<u64, PlanError> {
    let pph = persons_per_household
        .to_f64()
        .filter(|p| *p > 0.0)
        .ok_or_else(|| {
            PlanError::Invalid(format!(
                "persons per household must be above 0, found {persons_per_household}"
            ))
        })?;
    if !(population.is_finite() && population >= 0.0) {
        return Err(PlanError::Invalid(format!(
            "a population must be a count, found {population}"
        )));
    }
    let h = (population / pph + 0.5).floor();
    if h > u64::MAX as f64 {
        return Err(PlanError::Invalid(format!(
            "{population} people is too many"
        )));
    }
    Ok(h as u64)
}

/// How a household's claim on the workers depends on its area's deprivation.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Weighting {
    /// `equal`: every household the same (workers in proportion to households).
    Equal,
    /// `proportionate`: a household in decile d weighs 11 − d, so the most deprived decile's
    /// households weigh 10 and the least deprived's 1: each step of deprivation adds the least
    /// deprived decile's claim again (a linear gradient; a stated choice, not a published
    /// formula).
    Proportionate,
    /// `score`: a household weighs its area's IMD score (every area needs one).
    Score,
    /// Weights for deciles 1 (most deprived) to 10, as a local policy sets them.
    Deciles([Decimal; 10]),
}

impl Weighting {
    /// The weighting's name or its ten weights, for captions and outputs.
    pub fn describe(&self) -> String {
        match self {
            Weighting::Equal => "equal (every household the same)".to_owned(),
            Weighting::Proportionate => {
                "proportionate (a household in IMD decile d weighs 11 − d: 10 in the most deprived decile, 1 in the least)".to_owned()
            }
            Weighting::Score => "score (a household weighs its area's IMD score)".to_owned(),
            Weighting::Deciles(w) => format!(
                "by decile, most to least deprived: {}",
                w.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            ),
        }
    }

    fn per_household(&self, area: &NeedArea) -> Result<f64, PlanError> {
        let d = usize::from(area.decile.get());
        let w = match self {
            Weighting::Equal => 1.0,
            Weighting::Proportionate => (11 - d) as f64,
            Weighting::Score => area.imd_score.ok_or_else(|| {
                PlanError::Invalid(format!(
                    "{}: weighting by score needs every area's IMD score, and this one has none",
                    area.code
                ))
            })?,
            Weighting::Deciles(w) => w[d - 1].to_f64().unwrap_or(f64::NAN),
        };
        if !(w.is_finite() && w >= 0.0) {
            return Err(PlanError::Invalid(format!(
                "{}: a weight must be zero or more, found {w}",
                area.code
            )));
        }
        Ok(w)
    }
}

impl std::str::FromStr for Weighting {
    type Err = PlanError;

    /// `equal`, `proportionate`, `score`, or ten weights for deciles 1 to 10 separated by
    /// commas (`10,9,8,7,6,5,4,3,2,1`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "equal" => Ok(Weighting::Equal),
            "proportionate" => Ok(Weighting::Proportionate),
            "score" => Ok(Weighting::Score),
            other => {
                let parts: Vec<&str> = other.split(',').map(str::trim).collect();
                let bad = || {
                    PlanError::Invalid(format!(
                        "weighting {s:?}: use equal, proportionate, score or ten weights for deciles 1 to 10 (10,9,…,1)"
                    ))
                };
                if parts.len() != 10 {
                    return Err(bad());
                }
                let mut w = [Decimal::ZERO; 10];
                for (slot, p) in w.iter_mut().zip(parts) {
                    *slot = p.parse().map_err(|_| bad())?;
                    if slot.is_sign_negative() {
                        return Err(bad());
                    }
                }
                Ok(Weighting::Deciles(w))
            }
        }
    }
}

/// How many workers there are to place.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Workforce {
    /// A number of workers.
    Workers(u64),
    /// A budget and the cost of a worker: ⌊budget ÷ cost⌋ workers, the rest unspent.
    Budget {
        /// The budget, pounds a year.
        budget: Money,
        /// The cost of one worker, pounds a year (the caller's: no sourced figure).
        cost_per_worker: Money,
    },
}

impl Workforce {
    /// The workers it pays for and the budget left, if a budget.
    pub fn workers(&self) -> Result<(u64, Option<Money>), PlanError> {
        match *self {
            Workforce::Workers(n) => Ok((n, None)),
            Workforce::Budget {
                budget,
                cost_per_worker,
            } => {
                let cost = cost_per_worker.pounds();
                if cost <= Decimal::ZERO || budget.is_negative() {
                    return Err(PlanError::Invalid(format!(
                        "a budget of {budget} at {cost_per_worker} a worker: the cost must be above 0 and the budget 0 or more"
                    )));
                }
                let n = (budget.pounds() / cost).floor();
                let workers = n.to_u64().ok_or_else(|| {
                    PlanError::Invalid(format!("{n} workers is too many to plan"))
                })?;
                let spent = cost_per_worker
                    .checked_mul(n)
                    .map_err(|e| PlanError::Invalid(e.to_string()))?;
                let left = budget
                    .checked_sub(spent)
                    .map_err(|e| PlanError::Invalid(e.to_string()))?;
                Ok((workers, Some(left)))
            }
        }
    }
}

/// How to plan.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChwwConfig {
    /// The workers, or the budget that pays for them.
    pub workforce: Workforce,
    /// Households one worker looks after (required: see the module's notes on the published
    /// figures).
    pub households_per_worker: u64,
    /// How deprivation weighs.
    pub weighting: Weighting,
}

impl ChwwConfig {
    /// A plan of `workforce` with patches of `households_per_worker`, weighted by `weighting`.
    pub fn new(workforce: Workforce, households_per_worker: u64, weighting: Weighting) -> Self {
        ChwwConfig {
            workforce,
            households_per_worker,
            weighting,
        }
    }
}

/// One area's workers.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AreaAllocation {
    /// The area's code.
    pub code: String,
    /// Its decile.
    pub decile: ImdDecile,
    /// Its households.
    pub households: u64,
    /// Its per-household weight.
    pub weight: f64,
    /// Workers placed there.
    pub workers: u64,
    /// Households they cover: min(workers × patch, households).
    pub households_covered: u64,
    /// Covered ÷ households; `None` for an area without households.
    pub coverage: Option<f64>,
}

/// Coverage in one decile.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DecileCoverage {
    /// The decile (1 = most deprived).
    pub decile: ImdDecile,
    /// Areas in it.
    pub areas: u64,
    /// Households in it.
    pub households: u64,
    /// Workers placed in it.
    pub workers: u64,
    /// Households covered.
    pub households_covered: u64,
    /// Covered ÷ households; `None` without households.
    pub coverage: Option<f64>,
}

/// A plan of community health and wellbeing workers.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChwwPlan {
    /// Each area, in the order given.
    pub areas: Vec<AreaAllocation>,
    /// Deciles 1 to 10.
    pub deciles: Vec<DecileCoverage>,
    /// Workers available.
    pub workers: u64,
    /// Workers placed (fewer than available only when every household is covered).
    pub workers_placed: u64,
    /// The budget left after paying for whole workers, when planned from a budget.
    pub budget_left: Option<Money>,
    /// Households in all areas.
    pub households: u64,
    /// Households covered.
    pub households_covered: u64,
    /// The share of the most deprived quintile's (deciles 1 and 2) households covered; `None`
    /// when that quintile has no households.
    pub most_deprived_quintile_coverage: Option<f64>,
    /// The slope index of inequality of coverage across deciles: coverage at the least
    /// deprived end minus the most deprived end (positive: the less deprived are better
    /// covered); `None` with [`ChwwPlan::sii_note`] when fewer than 5 deciles have households.
    pub sii: Option<f64>,
    /// Why there is no SII, when there is none.
    pub sii_note: Option<String>,
    /// The households per worker used.
    pub households_per_worker: u64,
    /// The weighting used, in words.
    pub weighting: String,
    /// What the deciles are deciles of (set by the caller that built the areas).
    pub decile_basis: String,
    /// Assumptions, sources and anything a reader should check.
    pub findings: Vec<Finding>,
}

/// A worker's claim on an area in the highest-averages queue.
#[derive(Debug, PartialEq)]
struct Claim {
    priority: f64,
    decile: u8,
    index: usize,
}

impl Eq for Claim {}

impl Ord for Claim {
    fn cmp(&self, other: &Self) -> Ordering {
        self.priority
            .total_cmp(&other.priority)
            // More deprived first, then the earlier area (its code order: see `plan_chww`).
            .then(other.decile.cmp(&self.decile))
            .then(other.index.cmp(&self.index))
    }
}

impl PartialOrd for Claim {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Where the patch figures come from, for every plan's findings.
pub const PATCH_SOURCES: &str = "households per worker is the planner's input: the published accounts differ (about 120 a worker in the Westminster pilot, NAPC, napc.co.uk/community-health-and-wellbeing-workers; about 200 in Brazil's model, NIHR ARC North West London; 80 to 150 by density in Cornwall's programme) and none is a national rule";

/// Places the workers of `config` across `areas` (see the module's notes). Areas with equal
/// codes are refused; an area with no households gets no worker.
pub fn plan_chww(
    areas: &[NeedArea],
    config: &ChwwConfig,
    decile_basis: &str,
) -> Result<ChwwPlan, PlanError> {
    let patch = config.households_per_worker;
    if patch == 0 {
        return Err(PlanError::Invalid(
            "households per worker must be at least 1".to_owned(),
        ));
    }
    if areas.is_empty() {
        return Err(PlanError::Invalid(
            "no areas to place workers in".to_owned(),
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for a in areas {
        if !seen.insert(a.code.as_str()) {
            return Err(PlanError::Invalid(format!(
                "area {} is given twice",
                a.code
            )));
        }
    }
    let (workers, budget_left) = config.workforce.workers()?;
    let weights = areas
        .iter()
        .map(|a| config.weighting.per_household(a))
        .collect::<Result<Vec<f64>, _>>()?;
    // Ties between equal claims fall to the smaller code: rank the areas by code once.
    let mut order: Vec<usize> = (0..areas.len()).collect();
    order.sort_by(|&i, &j| areas[i].code.cmp(&areas[j].code));
    let mut rank = vec![0; areas.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let caps: Vec<u64> = areas.iter().map(|a| a.households.div_ceil(patch)).collect();
    let claim = |i: usize, placed: u64| Claim {
        priority: areas[i].households as f64 * weights[i] / (placed as f64 + 0.5),
        decile: areas[i].decile.get(),
        index: rank[i],
    };
    let mut heap: BinaryHeap<Claim> = (0..areas.len())
        .filter(|&i| caps[i] > 0 && weights[i] > 0.0)
        .map(|i| claim(i, 0))
        .collect();
    let mut placed = vec![0u64; areas.len()];
    let mut left = workers;
    while left > 0 {
        let Some(top) = heap.pop() else { break };
        let i = order[top.index];
        placed[i] += 1;
        left -= 1;
        if placed[i] < caps[i] {
            heap.push(claim(i, placed[i]));
        }
    }
    let mut out = Vec::with_capacity(areas.len());
    for (i, a) in areas.iter().enumerate() {
        let covered = placed[i].saturating_mul(patch).min(a.households);
        out.push(AreaAllocation {
            code: a.code.clone(),
            decile: a.decile,
            households: a.households,
            weight: weights[i],
            workers: placed[i],
            households_covered: covered,
            coverage: share(covered, a.households),
        });
    }
    let deciles = by_decile(&out)?;
    let households = sum(out.iter().map(|a| a.households))?;
    let households_covered = sum(out.iter().map(|a| a.households_covered))?;
    let q1: Vec<&DecileCoverage> = deciles.iter().take(2).collect();
    let most_deprived_quintile_coverage = share(
        sum(q1.iter().map(|d| d.households_covered))?,
        sum(q1.iter().map(|d| d.households))?,
    );
    let (sii, sii_note) = coverage_sii(&deciles);
    let workers_placed = workers - left;
    let mut findings = vec![
        Finding::new("plan.chww.patch", Severity::Info, PATCH_SOURCES.to_owned())
            .citing("NAPC; NIHR ARC North West London"),
        Finding::new(
            "plan.chww.weighting",
            Severity::Info,
            format!(
                "{} workers of {patch} households each, weighted {}; deciles: {decile_basis}",
                workers,
                config.weighting.describe()
            ),
        ),
    ];
    if left > 0 {
        findings.push(Finding::new(
            "plan.chww.unplaced",
            Severity::Warning,
            format!("{left} of {workers} workers have no households left to cover: every household in the areas is covered"),
        ));
    }
    let without = areas.iter().filter(|a| a.households == 0).count();
    if without > 0 {
        findings.push(Finding::new(
            "plan.chww.no_households",
            Severity::Warning,
            format!("{without} areas have no households and get no worker"),
        ));
    }
    Ok(ChwwPlan {
        areas: out,
        deciles,
        workers,
        workers_placed,
        budget_left,
        households,
        households_covered,
        most_deprived_quintile_coverage,
        sii,
        sii_note,
        households_per_worker: patch,
        weighting: config.weighting.describe(),
        decile_basis: decile_basis.to_owned(),
        findings,
    })
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn sum(values: impl Iterator<Item = u64>) -> Result<u64, PlanError> {
    values
        .into_iter()
        .try_fold(0u64, u64::checked_add)
        .ok_or_else(|| PlanError::Invalid("a count of households too large to add up".to_owned()))
}

fn by_decile(areas: &[AreaAllocation]) -> Result<Vec<DecileCoverage>, PlanError> {
    (1..=10u8)
        .map(|d| {
            let decile = ImdDecile::new(d).map_err(|e| PlanError::Invalid(e.to_string()))?;
            let rows: Vec<&AreaAllocation> = areas.iter().filter(|a| a.decile == decile).collect();
            let households = sum(rows.iter().map(|a| a.households))?;
            let households_covered = sum(rows.iter().map(|a| a.households_covered))?;
            Ok(DecileCoverage {
                decile,
                areas: rows.len() as u64,
                households,
                workers: sum(rows.iter().map(|a| a.workers))?,
                households_covered,
                coverage: share(households_covered, households),
            })
        })
        .collect()
}

/// The SII of coverage across the deciles with households (UKHSA's regression, households as
/// the weights). Coverage is planned exactly, so its standard errors are 0.
fn coverage_sii(deciles: &[DecileCoverage]) -> (Option<f64>, Option<String>) {
    use pcnkit_indicators::sii::{SiiOptions, SiiQuantile, sii};
    let quantiles: Vec<SiiQuantile> = deciles
        .iter()
        .filter_map(|d| {
            d.coverage
                .map(|c| SiiQuantile::with_se(d.households as f64, c, 0.0))
        })
        .collect();
    if quantiles.len() < 5 {
        return (
            None,
            Some(format!(
                "an SII needs households in at least 5 deciles; {} have any",
                quantiles.len()
            )),
        );
    }
    match sii(&quantiles, &SiiOptions::new().repetitions(1_000)) {
        Ok(s) => (Some(s.sii), None),
        Err(e) => (None, Some(e.to_string())),
    }
}
