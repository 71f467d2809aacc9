//! Patches for GPs with an extended role in population health: neighbouring PCNs grouped so
//! that every PCN has a lead and no lead covers more than the policy allows.
//!
//! The limits are the seed proposal's ([`PopulationHealthGpPolicy::proposed`]: at most 3 PCNs
//! and about 100,000 registered patients, from `pcnkit-org`'s data file with its source) or a
//! local policy's. A patch is a set of PCNs connected through [`Adjacency`] (PCNs sharing
//! LSOAs where both have patients, or a table an ICB gives). Two objectives:
//!
//! - [`Objective::FewestLeads`]: the fewest patches; among those, the most even populations.
//! - [`Objective::DeprivedFirst`]: the same number of leads, placed so that patients in
//!   deprived patches share their lead with fewer others: the search minimises the patients per
//!   lead that patients see, each weighted by their PCN's IMD score (the proposal expects the
//!   largest impact in deprived areas). Every PCN's score is needed: an unknown score is an
//!   error naming the PCN, never a score of 0.
//!
//! The search is exact (branch and bound over every feasible patch, in a fixed order, so the
//! same inputs give the same plan) within a budget of search steps; a plan found when the
//! budget ran out says so ([`LeadPlan::optimal`] false) and gives the lower bound on the number
//! of leads. Each patch carries the sessions the role implies: half of a 9-session GP week.

use std::collections::{BTreeMap, BTreeSet};

use pcnkit_core::read::{Finding, Severity};
use pcnkit_core::{LsoaCode, PcnCode};
use pcnkit_org::rules::PopulationHealthGpPolicy;
use rust_decimal::Decimal;

use crate::error::PlanError;

/// Sessions a full-time GP works in a week (pcn-contract-facts.md §10, the ARRS GP role: "full
/// time is 9 sessions", S2: South Staffordshire LMC and Pulse).
pub const GP_SESSIONS_PER_WEEK: Decimal = Decimal::from_parts(9, 0, 0, false, 0);

/// The share of the week the role gives to population health: half (the seed proposal).
pub const POPULATION_HEALTH_SHARE: Decimal = Decimal::from_parts(5, 0, 0, false, 1);

/// Search steps before the best plan found so far is returned as not proven optimal.
pub const SEARCH_BUDGET_DEFAULT: u64 = 2_000_000;

/// A PCN as the planner sees it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PcnArea {
    /// The PCN.
    pub pcn: PcnCode,
    /// Its registered patients.
    pub population: u64,
    /// Its population-weighted IMD score (higher is more deprived), if known.
    pub imd_score: Option<f64>,
}

impl PcnArea {
    /// A PCN with its population and, if known, its IMD score.
    pub fn new(pcn: PcnCode, population: u64, imd_score: Option<f64>) -> Self {
        PcnArea {
            pcn,
            population,
            imd_score,
        }
    }
}

impl PcnArea {
    /// The `pcns` of a registry on `date`, with their IMD scores from `deprivation` when given.
    /// A PCN whose population is not known (a member practice without a list) cannot be checked
    /// against the limit: it is left out and said in a finding, never counted as 0 patients.
    pub fn from_registry(
        registry: &pcnkit_org::Registry,
        pcns: &[PcnCode],
        date: chrono::NaiveDate,
        deprivation: Option<&pcnkit_org::deprivation::PopulationDeprivation>,
    ) -> (Vec<PcnArea>, Vec<Finding>) {
        let (mut areas, mut findings) = (Vec::new(), Vec::new());
        for &pcn in pcns {
            match registry.population(pcn, date) {
                Ok(n) => areas.push(PcnArea::new(
                    pcn,
                    n.get(),
                    deprivation
                        .and_then(|d| d.pcns.get(&pcn))
                        .and_then(|a| a.score),
                )),
                Err(e) => findings.push(
                    Finding::new(
                        "plan.leads.population_unknown",
                        Severity::Warning,
                        format!("PCN {pcn} is left out of the plan: {e}"),
                    )
                    .about(pcn.to_string()),
                ),
            }
        }
        (areas, findings)
    }
}

/// Which PCNs border each other (symmetric; a PCN is not its own neighbour).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adjacency {
    pairs: BTreeSet<(PcnCode, PcnCode)>,
    basis: String,
}

impl Adjacency {
    /// From pairs of neighbours (an ICB's own table), `basis` saying where they come from.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (PcnCode, PcnCode)>, basis: &str) -> Self {
        let mut a = Adjacency {
            pairs: BTreeSet::new(),
            basis: basis.to_owned(),
        };
        for (x, y) in pairs {
            a.add(x, y);
        }
        a
    }

    /// PCNs border each other where both have at least `min_patients` patients living in one
    /// LSOA: `homes` is (PCN, LSOA, patients) rows, e.g. a practice-by-LSOA file rolled up to
    /// PCNs.
    pub fn from_shared_lsoas(
        homes: impl IntoIterator<Item = (PcnCode, LsoaCode, u64)>,
        min_patients: u64,
    ) -> Self {
        let mut by_lsoa: BTreeMap<LsoaCode, BTreeMap<PcnCode, u64>> = BTreeMap::new();
        for (pcn, lsoa, patients) in homes {
            let n = by_lsoa.entry(lsoa).or_default().entry(pcn).or_default();
            *n = n.saturating_add(patients);
        }
        let mut a = Adjacency {
            pairs: BTreeSet::new(),
            basis: format!(
                "PCNs border where each has at least {min_patients} patients living in one LSOA"
            ),
        };
        for pcns in by_lsoa.values() {
            let there: Vec<PcnCode> = pcns
                .iter()
                .filter(|(_, n)| **n >= min_patients)
                .map(|(p, _)| *p)
                .collect();
            for (i, x) in there.iter().enumerate() {
                for y in &there[i + 1..] {
                    a.add(*x, *y);
                }
            }
        }
        a
    }

    /// PCNs border where patients of their practices live in the same LSOAs (at least
    /// `min_patients` of each): a practice-by-LSOA file and the registry's membership on `date`.
    pub fn from_practice_lsoa(
        registry: &pcnkit_org::Registry,
        date: chrono::NaiveDate,
        records: &[pcnkit_org::PracticeLsoaRecord],
        min_patients: u64,
    ) -> Self {
        Adjacency::from_shared_lsoas(
            records.iter().filter_map(|r| {
                registry
                    .pcn_of(r.practice, date)
                    .map(|pcn| (pcn, r.lsoa, r.patients.get()))
            }),
            min_patients,
        )
    }

    /// A stated proxy where no map of where patients live is at hand: PCNs whose sub-ICB
    /// location (the place) is the same are taken as neighbours.
    pub fn by_sub_icb(registry: &pcnkit_org::Registry, pcns: &[PcnCode]) -> Self {
        let place: BTreeMap<PcnCode, _> = registry
            .pcns()
            .filter(|p| pcns.contains(&p.code))
            .filter_map(|p| p.sub_icb.map(|s| (p.code, s)))
            .collect();
        let mut a = Adjacency {
            pairs: BTreeSet::new(),
            basis: "a proxy: PCNs of the same sub-ICB location are taken as neighbours (no practice-by-LSOA file given)".to_owned(),
        };
        for (x, sx) in &place {
            for (y, sy) in &place {
                if x < y && sx == sy {
                    a.add(*x, *y);
                }
            }
        }
        a
    }

    fn add(&mut self, x: PcnCode, y: PcnCode) {
        if x != y {
            self.pairs.insert((x.min(y), x.max(y)));
        }
    }

    /// Whether `x` and `y` border each other.
    pub fn borders(&self, x: PcnCode, y: PcnCode) -> bool {
        self.pairs.contains(&(x.min(y), x.max(y)))
    }

    /// How many pairs border each other.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// No pair borders.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Where the pairs come from.
    pub fn basis(&self) -> &str {
        &self.basis
    }
}

/// What the plan optimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Objective {
    /// The fewest leads; then the most even patch populations.
    #[default]
    FewestLeads,
    /// The fewest leads (or `leads`, if more), placed towards deprived patches.
    DeprivedFirst {
        /// Leads to place (none: the fewest that cover every PCN).
        leads: Option<usize>,
    },
}

impl std::str::FromStr for Objective {
    type Err = PlanError;
    /// `fewest` or `deprived`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "fewest" | "fewest-leads" => Ok(Objective::FewestLeads),
            "deprived" | "deprived-first" => Ok(Objective::DeprivedFirst { leads: None }),
            other => Err(PlanError::Invalid(format!(
                "objective {other:?}: fewest or deprived"
            ))),
        }
    }
}

impl Objective {
    /// The objective named (`fewest` or `deprived`) with, for `deprived`, the leads to place;
    /// leads given with `fewest` are refused (they would be ignored).
    pub fn named(name: &str, leads: Option<usize>) -> Result<Self, PlanError> {
        match (name.parse()?, leads) {
            (Objective::DeprivedFirst { .. }, leads) => Ok(Objective::DeprivedFirst { leads }),
            (o, None) => Ok(o),
            (_, Some(_)) => Err(PlanError::Invalid(
                "a number of leads goes with the deprived objective".to_owned(),
            )),
        }
    }
}

/// The proposal's limits on a lead ([`PopulationHealthGpPolicy::proposed`]), with a local
/// policy's where given (said in the policy's source).
pub fn lead_policy(
    max_pcns: Option<usize>,
    max_population: Option<u64>,
) -> Result<PopulationHealthGpPolicy, PlanError> {
    let mut policy = PopulationHealthGpPolicy::proposed()?;
    if let Some(m) = max_pcns {
        policy.max_pcns = m;
        policy.source = format!("a local policy: at most {m} PCNs per lead");
    }
    if let Some(m) = max_population {
        policy.max_population = m;
        policy.source = format!("{}; about {m} patients per lead (local)", policy.source);
    }
    Ok(policy)
}

/// How to plan.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LeadPlanConfig {
    /// The limits on one lead.
    pub policy: PopulationHealthGpPolicy,
    /// What to optimise.
    pub objective: Objective,
    /// Search steps before returning the best plan found (not proven optimal).
    pub budget: u64,
}

impl LeadPlanConfig {
    /// The proposal's limits, the fewest leads, the default budget.
    pub fn new(policy: PopulationHealthGpPolicy) -> Self {
        LeadPlanConfig {
            policy,
            objective: Objective::default(),
            budget: SEARCH_BUDGET_DEFAULT,
        }
    }

    /// With this objective.
    #[must_use]
    pub fn objective(mut self, objective: Objective) -> Self {
        self.objective = objective;
        self
    }
}

/// One lead's patch.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Patch {
    /// Its PCNs, in code order.
    pub pcns: Vec<PcnCode>,
    /// Registered patients.
    pub population: u64,
    /// Population-weighted IMD score (unknown when any PCN's is).
    pub imd_score: Option<f64>,
    /// Sessions a week the lead gives the patch (half of a 9-session week).
    pub sessions_per_week: Decimal,
    /// Patients per population-health session a week.
    pub patients_per_session: Decimal,
}

/// A plan: the patches, and how good it is known to be.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LeadPlan {
    /// One per lead, in order of their first PCN.
    pub patches: Vec<Patch>,
    /// The fewest leads any plan could have (a bound: PCNs over the limit, and the population
    /// and PCN counts over the limits).
    pub lower_bound: usize,
    /// Whether the search finished (the plan is the best there is for its objective).
    pub optimal: bool,
    /// What the plan rests on and any PCN the limits cannot hold.
    pub findings: Vec<Finding>,
}

struct Search<'a> {
    groups_of: Vec<Vec<usize>>, // for each PCN (by index), the feasible groups containing it
    groups: Vec<Group>,
    areas: &'a [PcnArea],
    max_pcns: usize,
    cap: u64,
    objective: Objective,
    target: Option<usize>,
    steps: u64,
    budget: u64,
    best: Option<(usize, f64, Vec<usize>)>,
}

#[derive(Debug, Clone)]
struct Group {
    members: Vec<usize>,
    population: u64,
    cost: f64,
}

impl Search<'_> {
    /// The fewest groups that could cover the `left` PCNs.
    fn bound(&self, covered: &[bool]) -> usize {
        let (mut count, mut population) = (0usize, 0u64);
        for (i, c) in covered.iter().enumerate() {
            if !c {
                count += 1;
                population = population.saturating_add(self.areas[i].population);
            }
        }
        count
            .div_ceil(self.max_pcns.max(1))
            .max(population.div_ceil(self.cap.max(1)) as usize)
    }

    fn better(&self, leads: usize, cost: f64) -> bool {
        match &self.best {
            None => true,
            Some((l, c, _)) => leads < *l || (leads == *l && cost < *c - 1e-9),
        }
    }

    fn go(&mut self, covered: &mut Vec<bool>, chosen: &mut Vec<usize>, leads: usize, cost: f64) {
        if self.steps >= self.budget {
            return;
        }
        self.steps += 1;
        let Some(first) = covered.iter().position(|c| !c) else {
            if self.target.is_none_or(|t| leads == t) && self.better(leads, cost) {
                self.best = Some((leads, cost, chosen.clone()));
            }
            return;
        };
        let floor = leads + self.bound(covered);
        if let Some(t) = self.target
            && floor > t
        {
            return;
        }
        if let Some((l, c, _)) = &self.best
            && (floor > *l || (floor == *l && cost >= *c - 1e-9))
        {
            return;
        }
        let options = self.groups_of[first].clone();
        for g in options {
            let group = &self.groups[g];
            if group.members.iter().any(|m| covered[*m]) {
                continue;
            }
            let (members, added) = (group.members.clone(), group.cost);
            for m in &members {
                covered[*m] = true;
            }
            chosen.push(g);
            self.go(covered, chosen, leads + 1, cost + added);
            chosen.pop();
            for m in &members {
                covered[*m] = false;
            }
        }
    }
}

fn weighted_score(areas: &[&PcnArea]) -> Option<f64> {
    let mut sum = 0.0;
    let mut people = 0u64;
    for a in areas {
        sum += a.imd_score? * a.population as f64;
        people = people.saturating_add(a.population);
    }
    (people > 0).then(|| sum / people as f64)
}

/// Every connected set of up to `max_pcns` PCNs within the cap, in a fixed order; a PCN over
/// the cap alone is a group of its own (its lead is over the limit, said in a finding).
fn feasible_groups(
    areas: &[PcnArea],
    adjacency: &Adjacency,
    max_pcns: usize,
    cap: u64,
) -> Vec<Vec<usize>> {
    let mut seen: BTreeSet<Vec<usize>> = BTreeSet::new();
    let mut frontier: Vec<Vec<usize>> = (0..areas.len()).map(|i| vec![i]).collect();
    for g in &frontier {
        seen.insert(g.clone());
    }
    for _ in 1..max_pcns {
        let mut next = Vec::new();
        for g in &frontier {
            for j in 0..areas.len() {
                if g.contains(&j)
                    || !g
                        .iter()
                        .any(|&i| adjacency.borders(areas[i].pcn, areas[j].pcn))
                {
                    continue;
                }
                let mut h = g.clone();
                h.push(j);
                h.sort_unstable();
                let population: u64 = h
                    .iter()
                    .map(|&i| areas[i].population)
                    .fold(0, u64::saturating_add);
                if population <= cap && seen.insert(h.clone()) {
                    next.push(h);
                }
            }
        }
        frontier = next;
    }
    seen.into_iter().collect()
}

/// Plans the patches of `areas` (one ICB's PCNs, say) under `config`.
pub fn plan_leads(
    areas: &[PcnArea],
    adjacency: &Adjacency,
    config: &LeadPlanConfig,
) -> Result<LeadPlan, PlanError> {
    let policy = &config.policy;
    if policy.max_pcns == 0 || policy.max_population == 0 {
        return Err(PlanError::Invalid(
            "the limits allow no patch: at least 1 PCN and 1 patient".to_owned(),
        ));
    }
    let mut sorted: Vec<PcnArea> = areas.to_vec();
    sorted.sort_by_key(|a| a.pcn);
    for w in sorted.windows(2) {
        if w[0].pcn == w[1].pcn {
            return Err(PlanError::Invalid(format!(
                "PCN {} is given twice",
                w[0].pcn
            )));
        }
    }
    if matches!(config.objective, Objective::DeprivedFirst { .. })
        && let Some(a) = sorted.iter().find(|a| a.imd_score.is_none())
    {
        return Err(PlanError::Invalid(format!(
            "PCN {}: no IMD score, so leads cannot be weighted towards deprivation (unknown is not 0)",
            a.pcn
        )));
    }
    // Every PCN's score, checked above for the deprivation objective (never a 0 for unknown).
    let scores: Option<Vec<f64>> = sorted.iter().map(|a| a.imd_score).collect();
    let cap = policy.max_population;
    let sets = feasible_groups(&sorted, adjacency, policy.max_pcns, cap);
    let groups: Vec<Group> = sets
        .into_iter()
        .map(|members| {
            let population = members
                .iter()
                .map(|&i| sorted[i].population)
                .fold(0, u64::saturating_add);
            let cost = match config.objective {
                // Even patches: the sum of squared populations (in 100,000s) is least when even.
                Objective::FewestLeads => (population as f64 / 1e5).powi(2),
                // Patients per lead seen by each patient, weighted by deprivation.
                Objective::DeprivedFirst { .. } => match &scores {
                    Some(scores) => {
                        let weight: f64 = members
                            .iter()
                            .map(|&i| sorted[i].population as f64 * scores[i])
                            .sum();
                        weight * population as f64 / 1e10
                    }
                    // Refused above: every PCN has a score under this objective.
                    None => f64::INFINITY,
                },
            };
            Group {
                members,
                population,
                cost,
            }
        })
        .collect();
    let mut groups_of: Vec<Vec<usize>> = vec![Vec::new(); sorted.len()];
    // Larger groups first: good plans are found early and prune the rest.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|a, b| {
        groups[*b]
            .members
            .len()
            .cmp(&groups[*a].members.len())
            .then(groups[*a].cost.total_cmp(&groups[*b].cost))
            .then(groups[*a].members.cmp(&groups[*b].members))
    });
    for g in order {
        if let Some(&first) = groups[g].members.first() {
            groups_of[first].push(g);
        }
    }
    let mut search = Search {
        groups_of,
        groups,
        areas: &sorted,
        max_pcns: policy.max_pcns,
        cap,
        objective: config.objective,
        target: None,
        steps: 0,
        budget: config.budget,
        best: None,
    };
    let all_uncovered = vec![false; sorted.len()];
    let lower_bound = search.bound(&all_uncovered);
    let mut covered = all_uncovered.clone();
    search.go(&mut covered, &mut Vec::new(), 0, 0.0);
    // Placing a given number of leads: search again for exactly that many.
    if let Objective::DeprivedFirst { leads: Some(k) } = search.objective {
        if let Some(fewest) = search.best.as_ref().map(|b| b.0).filter(|f| k < *f) {
            return Err(PlanError::Invalid(format!(
                "{k} leads cannot cover every PCN within the limits: the fewest is {fewest}"
            )));
        }
        search.target = Some(k);
        search.best = None;
        search.steps = 0;
        let mut covered = all_uncovered.clone();
        search.go(&mut covered, &mut Vec::new(), 0, 0.0);
    }
    let optimal = search.steps < search.budget;
    let Some((_, _, chosen)) = search.best.clone() else {
        return Err(PlanError::Invalid(format!(
            "no plan found within {} search steps (raise the budget)",
            search.budget
        )));
    };
    let mut findings = vec![
        Finding::new(
            "plan.leads.limits",
            Severity::Info,
            format!(
                "at most {} PCNs and about {} patients per lead",
                policy.max_pcns, policy.max_population
            ),
        )
        .citing(policy.source.clone()),
        Finding::new(
            "plan.leads.adjacency",
            Severity::Info,
            adjacency.basis().to_owned(),
        ),
    ];
    if !optimal {
        findings.push(Finding::new(
            "plan.leads.not_optimal",
            Severity::Warning,
            format!(
                "the search stopped after {} steps: this plan is the best found, not proven the best (at least {lower_bound} leads are needed)",
                search.budget
            ),
        ));
    }
    let sessions = GP_SESSIONS_PER_WEEK * POPULATION_HEALTH_SHARE;
    let mut patches: Vec<Patch> = chosen
        .iter()
        .map(|&g| {
            let group = &search.groups[g];
            let members: Vec<&PcnArea> = group.members.iter().map(|&i| &sorted[i]).collect();
            if group.population > cap {
                findings.push(
                    Finding::new(
                        "plan.leads.over_limit",
                        Severity::Warning,
                        format!(
                            "PCN {} alone has {} patients, more than one lead's {}: its patch is over the limit",
                            members[0].pcn, group.population, cap
                        ),
                    )
                    .about(members[0].pcn.to_string())
                    .citing(policy.source.clone()),
                );
            }
            Patch {
                pcns: members.iter().map(|a| a.pcn).collect(),
                population: group.population,
                imd_score: weighted_score(&members),
                sessions_per_week: sessions,
                patients_per_session: (Decimal::from(group.population) / sessions).round_dp(1),
            }
        })
        .collect();
    patches.sort_by_key(|p| p.pcns.first().copied());
    Ok(LeadPlan {
        patches,
        lower_bound,
        optimal,
        findings,
    })
}

/// An ICB's own assignment of leads checked against the limits and the map: a patch over
/// either limit, PCNs in a patch that do not border each other, a PCN with no lead or with
/// two. `assignment` is (lead, PCNs).
pub fn check_leads(
    areas: &[PcnArea],
    adjacency: &Adjacency,
    policy: &PopulationHealthGpPolicy,
    assignment: &[(String, Vec<PcnCode>)],
) -> Vec<Finding> {
    let population: BTreeMap<PcnCode, u64> = areas.iter().map(|a| (a.pcn, a.population)).collect();
    let mut leads_of: BTreeMap<PcnCode, Vec<&str>> = BTreeMap::new();
    let mut findings = Vec::new();
    let warn = |rule: &'static str, lead: &str, text: String| {
        Finding::new(rule, Severity::Warning, text)
            .about(lead.to_owned())
            .citing(policy.source.clone())
    };
    for (lead, pcns) in assignment {
        for p in pcns {
            leads_of.entry(*p).or_default().push(lead);
        }
        if pcns.len() > policy.max_pcns {
            findings.push(warn(
                "plan.leads.too_many_pcns",
                lead,
                format!("covers {} PCNs, more than {}", pcns.len(), policy.max_pcns),
            ));
        }
        let unknown: Vec<String> = pcns
            .iter()
            .filter(|p| !population.contains_key(p))
            .map(ToString::to_string)
            .collect();
        if unknown.is_empty() {
            let people: u64 = pcns
                .iter()
                .map(|p| population[p])
                .fold(0, u64::saturating_add);
            if people > policy.max_population {
                findings.push(warn(
                    "plan.leads.too_many_patients",
                    lead,
                    format!(
                        "covers {people} patients, more than about {}",
                        policy.max_population
                    ),
                ));
            }
        } else {
            findings.push(warn(
                "plan.leads.unknown_pcn",
                lead,
                format!(
                    "PCN(s) {} are not among the PCNs planned for: population unknown",
                    unknown.join(", ")
                ),
            ));
        }
        // Connected: every PCN reachable from the first through neighbours in the patch.
        let mut reached: BTreeSet<PcnCode> = pcns.first().copied().into_iter().collect();
        loop {
            let before = reached.len();
            for p in pcns {
                if !reached.contains(p) && reached.iter().any(|r| adjacency.borders(*r, *p)) {
                    reached.insert(*p);
                }
            }
            if reached.len() == before {
                break;
            }
        }
        if reached.len() < pcns.iter().collect::<BTreeSet<_>>().len() {
            findings.push(warn(
                "plan.leads.not_neighbours",
                lead,
                format!(
                    "its PCNs do not all border each other ({})",
                    adjacency.basis()
                ),
            ));
        }
    }
    for a in areas {
        match leads_of.get(&a.pcn).map(Vec::len) {
            None => findings.push(
                Finding::new(
                    "plan.leads.no_lead",
                    Severity::Warning,
                    format!("PCN {} has no population-health lead", a.pcn),
                )
                .about(a.pcn.to_string()),
            ),
            Some(n) if n > 1 => findings.push(
                Finding::new(
                    "plan.leads.two_leads",
                    Severity::Warning,
                    format!(
                        "PCN {} is in {n} leads' patches ({})",
                        a.pcn,
                        leads_of[&a.pcn].join(", ")
                    ),
                )
                .about(a.pcn.to_string()),
            ),
            _ => {}
        }
    }
    findings
}
