//! Rules checks that return findings, never panics or errors, for a PCN manager or ICB to read.
//!
//! Each policy's defaults name their published source; every limit is a field, so an ICB can
//! apply its own approved exceptions or a proposed rule.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcnkit_core::{PatientCount, PcnCode, Period};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::OrgError;
use crate::registry::Registry;

pub use pcnkit_core::{Finding, Severity};

/// The rule a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RuleId {
    /// PCN registered population outside the normal range.
    PcnPopulation,
    /// PCN with no Network Agreement, or one missing schedules.
    NetworkAgreement,
    /// PCN with no Clinical Director in post.
    ClinicalDirector,
    /// GP with an extended role in population health over the limits.
    PopulationHealthGp,
    /// A PCN whose population is unknown (a member practice has no list size on the date).
    PcnPopulationUnknown,
    /// A figure too large to be real (a PCN of more than 10 million patients): a data error.
    ImplausibleValue,
    /// A PCN whose member practices are in more than one ICB.
    PcnAcrossIcbs,
}

impl RuleId {
    /// The rule's id in a [`Finding`]: `org.` and the rule in snake case.
    pub const fn id(self) -> &'static str {
        match self {
            RuleId::PcnPopulation => "org.pcn_population",
            RuleId::NetworkAgreement => "org.network_agreement",
            RuleId::ClinicalDirector => "org.clinical_director",
            RuleId::PopulationHealthGp => "org.population_health_gp",
            RuleId::PcnPopulationUnknown => "org.pcn_population_unknown",
            RuleId::ImplausibleValue => "org.implausible_value",
            RuleId::PcnAcrossIcbs => "org.pcn_across_icbs",
        }
    }
}

/// Patients above which a PCN's registered population is implausible (England has about 63
/// million registered patients; the largest PCNs are near 200,000): such a figure is a data
/// error such as a wrapped or mistyped count, reported as a finding.
pub const IMPLAUSIBLE_PCN_POPULATION: u64 = 10_000_000;

/// Why a PCN may lie outside the normal size range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SizeExceptionReason {
    /// A natural community with low population density over a large rural and remote area
    /// (commissioner may waive the 30,000 minimum: Network Contract DES 2019/20 para 3.2).
    RuralAndRemote,
    /// The commissioner approved a PCN above 50,000.
    ApprovedAboveMaximum,
    /// Any other approved reason, in words.
    Other(String),
}

/// The normal PCN size range and the approved exceptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct PcnSizePolicy {
    /// Smallest normal registered population.
    pub min: u64,
    /// Largest normal registered population.
    pub max: u64,
    /// Approved exceptions by PCN.
    pub exceptions: BTreeMap<PcnCode, SizeExceptionReason>,
    /// Where the limits come from.
    pub source: String,
    /// Why the built-in norms did not load, if they did not (never in a tested build).
    #[serde(skip)]
    pub defect: Option<String>,
}

impl Default for PcnSizePolicy {
    /// The national norms ([`PcnSizePolicy::national`]). Should the built-in file not load
    /// (the tests load it, so a released build always has it), the policy says so and
    /// [`check_pcn_sizes`] returns that error rather than checking against no limits.
    fn default() -> Self {
        Self::national().unwrap_or_else(|e| PcnSizePolicy {
            min: 0,
            max: 0,
            exceptions: BTreeMap::new(),
            source: String::new(),
            defect: Some(e.to_string()),
        })
    }
}

/// `data/pcn-size.toml`: the size norms with their sources.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SizeFile {
    min: SizeFigure,
    max: SizeFigure,
    sources: BTreeMap<String, SizeSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SizeFigure {
    amount: u64,
    confidence: String,
    sources: Vec<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SizeSource {
    title: String,
    url: Option<String>,
}

impl PcnSizePolicy {
    /// The national norms from the crate's data file `data/pcn-size.toml` (30,000 to 50,000
    /// patients, NHS England, marked P), with no exceptions; `source` names the documents.
    pub fn national() -> Result<Self, OrgError> {
        const FILE: &str = "data/pcn-size.toml";
        let problem = |problem: String| OrgError::BuiltinData {
            file: FILE,
            problem,
        };
        let file: SizeFile = toml::from_str(include_str!("../data/pcn-size.toml"))
            .map_err(|e: toml::de::Error| problem(e.to_string()))?;
        if file.min.amount >= file.max.amount {
            return Err(problem("the minimum must be below the maximum".to_owned()));
        }
        let mut cited = Vec::new();
        for figure in [&file.min, &file.max] {
            if figure.sources.is_empty() || figure.confidence.is_empty() {
                return Err(problem(
                    "each figure needs a confidence mark and a source".to_owned(),
                ));
            }
            for key in &figure.sources {
                let source = file
                    .sources
                    .get(key)
                    .ok_or_else(|| problem(format!("unknown source `{key}`")))?;
                let text = match &source.url {
                    Some(url) => format!("{} ({url})", source.title),
                    None => source.title.clone(),
                };
                if !cited.contains(&text) {
                    cited.push(text);
                }
            }
        }
        Ok(PcnSizePolicy {
            min: file.min.amount,
            max: file.max.amount,
            exceptions: BTreeMap::new(),
            source: format!(
                "{}: normally {}-{} patients; {}{}",
                file.min.confidence,
                pcnkit_core::group_thousands(&file.min.amount.to_string()),
                pcnkit_core::group_thousands(&file.max.amount.to_string()),
                cited.join("; "),
                file.min
                    .note
                    .iter()
                    .chain(&file.max.note)
                    .map(|n| format!(". {n}"))
                    .collect::<String>()
            ),
            defect: None,
        })
    }
}

/// Every organisation check on `date`, in one list: PCN sizes against `policy`, PCNs across
/// ICBs, and governance (Clinical Director, Network Agreement). What `pcnkit org validate` and
/// `pcnkit.org.validate` show, as [`pcnkit_core::findings_table`].
pub fn validate(
    registry: &Registry,
    date: NaiveDate,
    policy: &PcnSizePolicy,
) -> Result<Vec<Finding>, OrgError> {
    let mut findings = check_pcn_sizes(registry, date, policy)?;
    findings.extend(check_pcn_icbs(registry, date));
    findings.extend(check_governance(registry, date));
    Ok(findings)
}

/// Checks every PCN's registered population on `date` against the policy. PCNs below the
/// minimum or above the maximum are warnings; with an approved exception, information.
pub fn check_pcn_sizes(
    registry: &Registry,
    date: NaiveDate,
    policy: &PcnSizePolicy,
) -> Result<Vec<Finding>, OrgError> {
    if let Some(problem) = &policy.defect {
        return Err(OrgError::BuiltinData {
            file: "data/pcn-size.toml",
            problem: problem.clone(),
        });
    }
    let mut findings = Vec::new();
    for pcn in registry.pcns() {
        if registry.members(pcn.code, date).is_empty() {
            continue;
        }
        let population = match registry.population(pcn.code, date) {
            Ok(p) => p.get(),
            Err(OrgError::NoListSize { practice, date }) => {
                findings.push(Finding::new(RuleId::PcnPopulationUnknown.id(), Severity::Warning, format!(
                        "{}: population unknown on {date}: member practice {practice} has no list size (give the registered-patients file with --lists)",
                        pcn.name
                    ))
.about(pcn.code.to_string())
.citing(policy.source.clone()));
                continue;
            }
            Err(e) => return Err(e),
        };
        if population > IMPLAUSIBLE_PCN_POPULATION {
            findings.push(Finding::new(RuleId::ImplausibleValue.id(), Severity::Error, format!(
                    "{} has {population} registered patients on {date}: more than {IMPLAUSIBLE_PCN_POPULATION}, not a real PCN (check the list file)",
                    pcn.name
                ))
.about(pcn.code.to_string())
.citing(policy.source.clone()));
            continue;
        }
        let side = if population < policy.min {
            "below the minimum"
        } else if population > policy.max {
            "above the maximum"
        } else {
            continue;
        };
        let (severity, note) = match policy.exceptions.get(&pcn.code) {
            Some(reason) => (Severity::Info, format!("; approved exception: {reason:?}")),
            None => (Severity::Warning, String::new()),
        };
        findings.push(
            Finding::new(
                RuleId::PcnPopulation.id(),
                severity,
                format!(
                    "{} has {population} registered patients on {date}, {side} of {}-{}{note}",
                    pcn.name, policy.min, policy.max
                ),
            )
            .about(pcn.code.to_string())
            .citing(policy.source.clone()),
        );
    }
    Ok(findings)
}

/// PCNs whose member practices on `date` sit in more than one ICB (in the practice map's
/// sub-ICB → ICB links): reported, with every practice kept, since an ICB-level report of such a
/// PCN counts practices outside the ICB.
pub fn check_pcn_icbs(registry: &Registry, date: NaiveDate) -> Vec<Finding> {
    let mut findings = Vec::new();
    for pcn in registry.pcns() {
        let mut icbs: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for practice in registry.members(pcn.code, date) {
            let icb = registry
                .practice(practice)
                .and_then(|p| p.icb)
                .map_or_else(|| "(unknown)".to_owned(), |i| i.to_string());
            icbs.entry(icb).or_default().push(practice.to_string());
        }
        if icbs.len() > 1 {
            findings.push(
                Finding::new(
                    RuleId::PcnAcrossIcbs.id(),
                    Severity::Warning,
                    format!(
                        "{}: member practices are in {} ICBs ({}); every practice is kept",
                        pcn.name,
                        icbs.len(),
                        icbs.iter()
                            .map(|(i, ps)| format!("{i}: {}", ps.join(", ")))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                )
                .about(pcn.code.to_string())
                .citing("the practice map's sub-ICB and ICB columns".to_owned()),
            );
        }
    }
    findings
}

/// Checks every PCN with members on `date` has a Clinical Director in post and a Network
/// Agreement in force with every expected schedule.
pub fn check_governance(registry: &Registry, date: NaiveDate) -> Vec<Finding> {
    const SOURCE: &str = "Each PCN must have a signed Network Agreement and a named Clinical Director \
                          (pcn-contract-facts.md §5, S2: Larking Gowen; BW Medical; Health Foundation)";
    let mut findings = Vec::new();
    for pcn in registry
        .pcns()
        .filter(|p| !registry.members(p.code, date).is_empty())
    {
        if pcn.clinical_director_on(date).is_none() {
            findings.push(
                Finding::new(
                    RuleId::ClinicalDirector.id(),
                    Severity::Error,
                    format!("{} has no Clinical Director in post on {date}", pcn.name),
                )
                .about(pcn.code.to_string())
                .citing(SOURCE.to_owned()),
            );
        }
        match pcn.agreement.as_ref().filter(|a| a.period.contains(date)) {
            None => findings.push(
                Finding::new(
                    RuleId::NetworkAgreement.id(),
                    Severity::Error,
                    format!("{} has no Network Agreement in force on {date}", pcn.name),
                )
                .about(pcn.code.to_string())
                .citing(SOURCE.to_owned()),
            ),
            Some(a) => {
                let missing = a.missing_schedules();
                if !missing.is_empty() {
                    findings.push(
                        Finding::new(
                            RuleId::NetworkAgreement.id(),
                            Severity::Warning,
                            format!(
                                "{}'s Network Agreement lacks schedules: {missing:?}",
                                pcn.name
                            ),
                        )
                        .about(pcn.code.to_string())
                        .citing(SOURCE.to_owned()),
                    );
                }
            }
        }
    }
    findings
}

/// The Clinical Director funding basis: a WTE per block of population, pro rata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct ClinicalDirectorBasis {
    /// WTE funded per `per_population` patients.
    #[schemars(with = "String")]
    pub wte: Decimal,
    /// The population block.
    pub per_population: u64,
    /// Where it comes from.
    pub source: String,
}

/// `data/pcn-roles.toml`: the Clinical Director basis and the population-health GP limits.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RolesFile {
    clinical_director: CdFigure,
    population_health_gp: GpFigure,
    sources: BTreeMap<String, SizeSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CdFigure {
    wte: Decimal,
    per_population: u64,
    confidence: String,
    sources: Vec<String>,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GpFigure {
    max_pcns: usize,
    max_population: u64,
    confidence: String,
    sources: Vec<String>,
    note: String,
}

const ROLES_FILE: &str = "data/pcn-roles.toml";

/// The roles file, checked: every figure's sources are listed, amounts positive.
fn roles_file() -> Result<(RolesFile, String, String), OrgError> {
    let problem = |problem: String| OrgError::BuiltinData {
        file: ROLES_FILE,
        problem,
    };
    let file: RolesFile = toml::from_str(include_str!("../data/pcn-roles.toml"))
        .map_err(|e: toml::de::Error| problem(e.to_string()))?;
    let cite = |keys: &[String], confidence: &str, note: &str| -> Result<String, OrgError> {
        let titles = keys
            .iter()
            .map(|k| {
                file.sources
                    .get(k)
                    .map(|s| match &s.url {
                        Some(u) => format!("{}, {u}", s.title),
                        None => s.title.clone(),
                    })
                    .ok_or_else(|| problem(format!("unknown source {k}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if titles.is_empty() {
            return Err(problem("a figure without a source".to_owned()));
        }
        Ok(format!("{note} ({confidence}: {})", titles.join("; ")))
    };
    let cd = &file.clinical_director;
    if cd.wte <= Decimal::ZERO || cd.per_population == 0 {
        return Err(problem(
            "the Clinical Director basis must be positive".to_owned(),
        ));
    }
    let cd_source = cite(&cd.sources, &cd.confidence, &cd.note)?;
    let gp = &file.population_health_gp;
    let gp_source = cite(&gp.sources, &gp.confidence, &gp.note)?;
    Ok((file, cd_source, gp_source))
}

impl ClinicalDirectorBasis {
    /// The basis from the crate's data file `data/pcn-roles.toml`: 0.25 WTE per 50,000
    /// population (pcn-contract-facts.md §4.1, mark S: Ockham Healthcare); `source` names it.
    pub fn national() -> Result<Self, OrgError> {
        let (file, source, _) = roles_file()?;
        Ok(ClinicalDirectorBasis {
            wte: file.clinical_director.wte,
            per_population: file.clinical_director.per_population,
            source,
        })
    }

    /// The funded Clinical Director time for a population, pro rata and unrounded
    /// (e.g. 0.2 WTE for 40,000 patients).
    pub fn funded_wte(&self, population: PatientCount) -> Decimal {
        if self.per_population == 0 {
            return Decimal::ZERO;
        }
        self.wte * Decimal::from(population.get()) / Decimal::from(self.per_population)
    }
}

/// The limits on a GP with an extended role in population health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct PopulationHealthGpPolicy {
    /// Most PCNs one GP may cover.
    pub max_pcns: usize,
    /// Most registered patients one GP may cover (the proposal says "about" this many).
    pub max_population: u64,
    /// Where the limits come from.
    pub source: String,
}

impl PopulationHealthGpPolicy {
    /// The limits of the seed policy proposal from the crate's data file
    /// `data/pcn-roles.toml` (at most 3 PCNs and about 100,000 people; a proposal, not a
    /// national rule, said in `source`). A local policy sets its own.
    pub fn proposed() -> Result<Self, OrgError> {
        let (file, _, source) = roles_file()?;
        Ok(PopulationHealthGpPolicy {
            max_pcns: file.population_health_gp.max_pcns,
            max_population: file.population_health_gp.max_population,
            source,
        })
    }
}

/// A GP assigned an extended role in population health across some PCNs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct PopulationHealthGpAssignment {
    /// The GP's name or identifier.
    pub gp: String,
    /// The PCNs covered.
    pub pcns: Vec<PcnCode>,
    /// When.
    pub period: Period,
}

impl PopulationHealthGpAssignment {
    /// An assignment.
    pub fn new(gp: impl Into<String>, pcns: Vec<PcnCode>, period: Period) -> Self {
        PopulationHealthGpAssignment {
            gp: gp.into(),
            pcns,
            period,
        }
    }
}

/// Checks an assignment on `date` against the policy: too many PCNs, or too many patients.
pub fn check_population_health_gp(
    registry: &Registry,
    assignment: &PopulationHealthGpAssignment,
    date: NaiveDate,
    policy: &PopulationHealthGpPolicy,
) -> Result<Vec<Finding>, OrgError> {
    let mut findings = Vec::new();
    if !assignment.period.contains(date) {
        return Ok(findings);
    }
    if assignment.pcns.len() > policy.max_pcns {
        findings.push(
            Finding::new(
                RuleId::PopulationHealthGp.id(),
                Severity::Warning,
                format!(
                    "covers {} PCNs, more than {}",
                    assignment.pcns.len(),
                    policy.max_pcns
                ),
            )
            .about(assignment.gp.clone())
            .citing(policy.source.clone()),
        );
    }
    let population = PatientCount::sum(
        assignment
            .pcns
            .iter()
            .map(|&p| registry.population(p, date))
            .collect::<Result<Vec<_>, _>>()?,
    )?;
    if population.get() > policy.max_population {
        findings.push(
            Finding::new(
                RuleId::PopulationHealthGp.id(),
                Severity::Warning,
                format!(
                    "covers {population} registered patients on {date}, more than about {}",
                    policy.max_population
                ),
            )
            .about(assignment.gp.clone())
            .citing(policy.source.clone()),
        );
    }
    Ok(findings)
}
