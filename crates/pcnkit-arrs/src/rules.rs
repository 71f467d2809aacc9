//! Rule tables: the figures of each financial year, each with its provenance.
//!
//! The built-in tables are TOML files in `crates/pcnkit-arrs/rules/`, compiled into the binary
//! and parsed on first use: `sources.toml` (the documents cited), `roles.toml` (every role and the
//! date it became reimbursable) and one file per year (`2019-20.toml` … `2026-27.toml`). A user's
//! file in the same format adds or replaces a year or adds roles (a proposal such as "community
//! development worker becomes reimbursable"): [`RuleBook::with_year_toml`]. An ICB's Local
//! Variation Arrangement varies a year's national rules: [`RuleBook::with_local_variation`],
//! example in `crates/pcnkit-arrs/examples/local-variation-2026-27.toml`. Contract figures
//! the engine uses (the large-PCN list size for role caps among them) live in these files, each
//! with its sources, not in code.
//!
//! A figure that was looked for and not found (NF) is present with no `amount` and a `note`;
//! any result that needs it says so instead of guessing.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use chrono::NaiveDate;
use pcnkit_core::{FinancialYear, Money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::ArrsError;

mod check;
mod local_variation;
pub use local_variation::LocalVariationInfo;

/// How sure a figure is (marks of `pcn-contract-facts.md`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[non_exhaustive]
pub enum Confidence {
    /// A primary source: NHS England, DHSC, Hansard, statutory text.
    P,
    /// One secondary source.
    S,
    /// Two or more independent secondary sources agree.
    S2,
    /// A local variant agreed by an ICB (user files only).
    Local,
    /// A proposed rule, not in force (user files only).
    Proposal,
}

/// A document a figure comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Title.
    pub title: String,
    /// Where to read it.
    pub url: Option<String>,
}

/// A figure (an amount, a percentage, a WTE) with its provenance. `amount` is `None` when the
/// figure was looked for and not found; `note` then says so.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The value, if found.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub amount: Option<Decimal>,
    /// How sure it is.
    pub confidence: Option<Confidence>,
    /// Keys into the source list.
    #[serde(default)]
    pub sources: Vec<String>,
    /// A note: caveats, or why it is absent.
    pub note: Option<String>,
}

/// A date with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatedFigure {
    /// The date.
    pub date: NaiveDate,
    /// How sure it is.
    pub confidence: Confidence,
    /// Keys into the source list.
    pub sources: Vec<String>,
    /// A note.
    pub note: Option<String>,
}

/// A date a year's rules set (the population snapshot, the additionality baseline), with its
/// provenance; `date` is `None` when it was looked for and not found, and `note` then says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearDate {
    /// The date, if found.
    pub date: Option<NaiveDate>,
    /// How sure it is.
    pub confidence: Option<Confidence>,
    /// Keys into the source list.
    #[serde(default)]
    pub sources: Vec<String>,
    /// A note: caveats, or why it is absent.
    pub note: Option<String>,
}

impl YearDate {
    /// The date with its provenance as a [`Figure`] (no amount), for the checks every figure
    /// gets.
    fn as_figure(&self) -> Figure {
        Figure {
            amount: None,
            confidence: self.confidence,
            sources: self.sources.clone(),
            note: self.note.clone(),
        }
    }
}

/// A rule stated in words, with provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteFigure {
    /// How sure it is (`None` when the rule was looked for and not found).
    pub confidence: Option<Confidence>,
    /// Keys into the source list.
    #[serde(default)]
    pub sources: Vec<String>,
    /// The rule.
    pub note: Option<String>,
}

/// Which population a per-patient rate multiplies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Basis {
    /// Registered list size.
    Registered,
    /// Contractor weighted population (global sum / Carr-Hill weighting).
    Weighted,
    /// PCN adjusted population (from 2022/23).
    Adjusted,
    /// Care home beds.
    Beds,
    /// Investment and Impact Fund points.
    Points,
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Basis::Registered => "registered patients",
            Basis::Weighted => "weighted patients",
            Basis::Adjusted => "adjusted population",
            Basis::Beds => "care home beds",
            Basis::Points => "IIF points",
        })
    }
}

/// What time a rate's amount covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// A year: pro rata to the days of the year the rate covers.
    Year,
    /// The whole period from `effective_from` to `effective_to`.
    Period,
    /// A calendar month: times the whole months covered.
    Month,
    /// Each unit (e.g. an IIF point), not time-based.
    Unit,
}

/// A payment rate: an amount per unit of a population, for part or all of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// Which population it multiplies.
    pub basis: Basis,
    /// What time the amount covers.
    pub per: Per,
    /// The amount in pounds per unit, if found.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub amount: Option<Decimal>,
    /// How sure it is.
    pub confidence: Option<Confidence>,
    /// Keys into the source list.
    #[serde(default)]
    pub sources: Vec<String>,
    /// A note.
    pub note: Option<String>,
    /// First day it applies (default: 1 April).
    pub effective_from: Option<NaiveDate>,
    /// Last day it applies (default: 31 March).
    pub effective_to: Option<NaiveDate>,
    /// When a revision was published (revisions may be back-dated); `None` for the original.
    pub published: Option<NaiveDate>,
}

impl Rate {
    /// The rate's figure and provenance.
    pub fn figure(&self) -> Figure {
        Figure {
            amount: self.amount,
            confidence: self.confidence,
            sources: self.sources.clone(),
            note: self.note.clone(),
        }
    }
}

/// A pot of ARRS money a PCN can claim against (the main sum; the 2024/25 ring-fenced GP sum).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    /// Identifier, `main` for the Additional Roles Reimbursement Sum.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its rates (empty when the year had no population-based sum).
    pub rates: Vec<Rate>,
    /// A note.
    pub note: Option<String>,
}

/// The maximum reimbursable amount of a role per 1.0 WTE per year (salary plus employer
/// on-costs), from a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Maximum {
    /// First day it applies (it applies until the next entry or the end of the year).
    pub effective_from: NaiveDate,
    /// The national (non-London) maximum.
    pub national: Figure,
    /// Outer London high-cost-area maximum.
    pub outer_london: Option<Figure>,
    /// Inner London high-cost-area maximum.
    pub inner_london: Option<Figure>,
    /// A single London maximum (no inner/outer split).
    pub london: Option<Figure>,
}

/// A limit on the WTE of a role a PCN may claim for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cap {
    /// First day it applies (default: 1 April).
    pub effective_from: Option<NaiveDate>,
    /// Most WTE for a PCN below the year's `large_pcn` list size.
    pub max_wte: Figure,
    /// Most WTE for a PCN of `large_pcn` registered patients or more, where it differs.
    pub max_wte_large: Option<Figure>,
}

/// An eligibility condition on a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Condition {
    /// Employed by the community mental health provider under an agreement with the PCN.
    MentalHealthProviderAgreement,
    /// A GP recruited within two years of their Certificate of Completion of Training.
    GpWithinTwoYearsOfCct,
    /// Must not have worked in the PCN in the 12 months before starting.
    #[serde(rename = "not_in_pcn_previous_12_months")]
    NotInPcnPrevious12Months,
    /// On an approved apprenticeship programme.
    ApprovedApprenticeship,
}

/// Whether a role's maximum caps the employment cost (then the percentage applies) or the
/// reimbursement itself (2019/20: 70% of cost up to a 70% figure).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CapAppliesTo {
    /// `min(cost, maximum) × percent`.
    #[default]
    Cost,
    /// `min(cost × percent, maximum)`.
    Reimbursement,
}

/// A role's rules in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRules {
    /// The role.
    pub id: String,
    /// The pool its claims draw on.
    #[serde(default = "main_pool")]
    pub pool: String,
    /// Reimbursement percentage (default: the year's `default_percent`).
    pub percent: Option<Figure>,
    /// What the maximum caps.
    #[serde(default)]
    pub cap_applies_to: CapAppliesTo,
    /// Eligibility conditions.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Maxima by effective date.
    #[serde(default)]
    pub maxima: Vec<Maximum>,
    /// WTE caps.
    #[serde(default)]
    pub caps: Vec<Cap>,
}

fn main_pool() -> String {
    "main".to_owned()
}

/// Who receives a payment.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// The PCN (its nominated payee).
    #[default]
    Pcn,
    /// Each member practice.
    Practices,
}

/// A Network Contract DES payment other than ARRS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Who receives it.
    #[serde(default)]
    pub recipient: Recipient,
    /// Its rates (several when it has parts on different bases, or revisions).
    pub rates: Vec<Rate>,
}

/// A role's standing facts: name, band, when it became reimbursable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleInfo {
    /// Name.
    pub name: String,
    /// Agenda for Change band, where one applies.
    pub afc_band: Option<String>,
    /// The date it first became reimbursable.
    pub first_reimbursable: DatedFigure,
}

/// The rules of one financial year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// The year.
    pub year: FinancialYear,
    /// The population snapshot date.
    pub snapshot: YearDate,
    /// The additionality baseline: staff in post on this date are not reimbursable.
    pub additionality: YearDate,
    /// The registered list size from which a PCN counts as large for role WTE caps
    /// (`max_wte_large`); required when a cap has one.
    pub large_pcn: Option<Figure>,
    /// What happens to unclaimed money.
    pub underspend: NoteFigure,
    /// The reimbursement percentage for roles that do not state one.
    pub default_percent: Option<Figure>,
    /// Pools of ARRS money.
    pub pools: Vec<Pool>,
    /// Roles reimbursable in the year.
    pub roles: Vec<RoleRules>,
    /// Other payments.
    #[serde(default)]
    pub payments: Vec<Payment>,
    /// Roles defined by this file (user files proposing new roles).
    #[serde(default)]
    pub new_roles: BTreeMap<String, RoleInfo>,
    /// Sources defined by this file (user files), added to the book's sources.
    #[serde(default)]
    pub sources: BTreeMap<String, Source>,
    /// The local variation applied to the national rules, if any
    /// ([`RuleBook::with_local_variation`]); never set in a year file.
    #[serde(default, skip_deserializing)]
    pub local_variation: Option<LocalVariationInfo>,
}

impl RuleSet {
    /// The rules of a role this year.
    pub fn role(&self, id: &str) -> Option<&RoleRules> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// A pool by id.
    pub fn pool(&self, id: &str) -> Option<&Pool> {
        self.pools.iter().find(|p| p.id == id)
    }

    /// The reimbursement percentage of a role.
    pub fn percent<'a>(&'a self, role: &'a RoleRules) -> Option<&'a Figure> {
        role.percent.as_ref().or(self.default_percent.as_ref())
    }

    /// The maximum entry of a role in force on `date`.
    pub fn maximum_on<'a>(&self, role: &'a RoleRules, date: NaiveDate) -> Option<&'a Maximum> {
        role.maxima.iter().rev().find(|m| m.effective_from <= date)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    sources: BTreeMap<String, Source>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RolesFile {
    roles: BTreeMap<String, RoleInfo>,
}

/// Every rule set, the roles and the sources they cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleBook {
    sources: BTreeMap<String, Source>,
    roles: BTreeMap<String, RoleInfo>,
    years: BTreeMap<FinancialYear, RuleSet>,
    /// Why the built-in files did not load. They are checked by the tests, so this is never
    /// set in a released build; if it were, every question put to the book would be answered
    /// with this error rather than with partial rules.
    #[serde(skip)]
    defect: Option<ArrsError>,
}

const BUILTIN_YEARS: [(&str, &str); 8] = [
    ("rules/2019-20.toml", include_str!("../rules/2019-20.toml")),
    ("rules/2020-21.toml", include_str!("../rules/2020-21.toml")),
    ("rules/2021-22.toml", include_str!("../rules/2021-22.toml")),
    ("rules/2022-23.toml", include_str!("../rules/2022-23.toml")),
    ("rules/2023-24.toml", include_str!("../rules/2023-24.toml")),
    ("rules/2024-25.toml", include_str!("../rules/2024-25.toml")),
    ("rules/2025-26.toml", include_str!("../rules/2025-26.toml")),
    ("rules/2026-27.toml", include_str!("../rules/2026-27.toml")),
];

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, ArrsError> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text.get(..s.start).map_or(0, |t| t.matches('\n').count()) + 1);
        ArrsError::InvalidRules {
            file: file.to_owned(),
            path: line.map_or_else(|| "?".to_owned(), |l| format!("line {l}")),
            message: e.message().to_owned(),
        }
    })
}

impl RuleBook {
    /// The built-in rule tables for 2019/20 to 2026/27 (parsed once, then shared).
    ///
    /// Loading cannot fail at run time: the files are compiled in, and the crate's tests load
    /// and check every one ([`RuleBook::check`]). Were one broken, the book would answer
    /// every question with that error instead of with the years that did load.
    pub fn builtin() -> &'static RuleBook {
        static BOOK: OnceLock<RuleBook> = OnceLock::new();
        BOOK.get_or_init(|| {
            Self::load_builtin().unwrap_or_else(|defect| RuleBook {
                sources: BTreeMap::new(),
                roles: BTreeMap::new(),
                years: BTreeMap::new(),
                defect: Some(defect),
            })
        })
    }

    fn load_builtin() -> Result<RuleBook, ArrsError> {
        let sources: SourcesFile =
            parse("rules/sources.toml", include_str!("../rules/sources.toml"))?;
        let roles: RolesFile = parse("rules/roles.toml", include_str!("../rules/roles.toml"))?;
        let mut book = RuleBook {
            sources: sources.sources,
            roles: roles.roles,
            years: BTreeMap::new(),
            defect: None,
        };
        for (file, text) in BUILTIN_YEARS {
            book = book.with_year_toml(file, text)?;
        }
        Ok(book)
    }

    /// Whether the book loaded whole: `Err` with the first broken file when it did not.
    pub fn check(&self) -> Result<(), ArrsError> {
        self.defect.clone().map_or(Ok(()), Err)
    }

    /// This book with a year added or replaced from a TOML rule file in the built-in format
    /// (sources it cites may be added in a `[sources]` table of the same file). The file is
    /// checked as the built-in ones are.
    pub fn with_year_toml(mut self, file: &str, text: &str) -> Result<RuleBook, ArrsError> {
        self.check()?;
        let set: RuleSet = parse(file, text)?;
        self.sources
            .extend(set.sources.iter().map(|(k, v)| (k.clone(), v.clone())));
        for (id, info) in &set.new_roles {
            self.roles.insert(id.clone(), info.clone());
        }
        self.validate(file, &set)?;
        self.years.insert(set.year, set);
        Ok(self)
    }

    /// The rules of a year.
    pub fn year(&self, year: FinancialYear) -> Result<&RuleSet, ArrsError> {
        self.check()?;
        self.years.get(&year).ok_or(ArrsError::NoRulesForYear(year))
    }

    /// The years with rules.
    pub fn years(&self) -> impl Iterator<Item = FinancialYear> + '_ {
        self.years.keys().copied()
    }

    /// A role's standing facts.
    pub fn role_info(&self, id: &str) -> Result<&RoleInfo, ArrsError> {
        self.check()?;
        self.roles
            .get(id)
            .ok_or_else(|| ArrsError::UnknownRole(id.to_owned()))
    }

    /// All roles.
    pub fn roles(&self) -> impl Iterator<Item = (&str, &RoleInfo)> {
        self.roles.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// A cited source by key.
    pub fn source(&self, key: &str) -> Option<&Source> {
        self.sources.get(key)
    }

    /// Resolves a figure's source keys to the documents.
    pub fn provenance(&self, figure: &Figure) -> Provenance {
        Provenance {
            confidence: figure.confidence,
            sources: figure
                .sources
                .iter()
                .filter_map(|k| self.sources.get(k).cloned())
                .collect(),
            note: figure.note.clone(),
        }
    }

    /// Every figure of a year with its provenance, in file order: pools, roles (percentages,
    /// maxima, caps), payments. Absent (NF) figures are listed too, with their note.
    pub fn figures(&self, year: FinancialYear) -> Result<Vec<FigureListing>, ArrsError> {
        let set = self.year(year)?;
        let mut out = Vec::new();
        let mut push = |what: String, figure: &Figure| {
            out.push(FigureListing {
                what,
                amount: figure.amount,
                provenance: self.provenance(figure),
            });
        };
        for pool in &set.pools {
            for rate in &pool.rates {
                push(
                    format!("{} per {} ({})", pool.name, rate.basis, describe_span(rate)),
                    &rate.figure(),
                );
            }
        }
        if let Some(p) = &set.default_percent {
            push(
                "reimbursement percentage (all roles unless stated)".to_owned(),
                p,
            );
        }
        if let Some(f) = &set.large_pcn {
            push(
                "registered list size from which a PCN is large (role WTE caps)".to_owned(),
                f,
            );
        }
        for role in &set.roles {
            let name = self
                .roles
                .get(&role.id)
                .map_or(role.id.as_str(), |r| r.name.as_str());
            if let Some(p) = &role.percent {
                push(format!("{name}: reimbursement percentage"), p);
            }
            for m in &role.maxima {
                push(
                    format!("{name}: maximum per WTE from {}", m.effective_from),
                    &m.national,
                );
                for (label, f) in [
                    ("outer London", &m.outer_london),
                    ("inner London", &m.inner_london),
                    ("London", &m.london),
                ] {
                    if let Some(f) = f {
                        push(
                            format!("{name}: {label} maximum per WTE from {}", m.effective_from),
                            f,
                        );
                    }
                }
            }
            let large = set
                .large_pcn
                .as_ref()
                .and_then(|f| f.amount)
                .map_or_else(|| "the large-PCN size".to_owned(), |a| a.to_string());
            for c in &role.caps {
                push(format!("{name}: most WTE per PCN"), &c.max_wte);
                if let Some(f) = &c.max_wte_large {
                    push(format!("{name}: most WTE per PCN of {large} or more"), f);
                }
            }
        }
        for payment in &set.payments {
            for rate in &payment.rates {
                let revised = rate
                    .published
                    .map(|d| format!(", revision published {d}"))
                    .unwrap_or_default();
                push(
                    format!(
                        "{} per {} ({}{revised})",
                        payment.name,
                        rate.basis,
                        describe_span(rate)
                    ),
                    &rate.figure(),
                );
            }
        }
        Ok(out)
    }
}

fn describe_span(rate: &Rate) -> String {
    let per = match rate.per {
        Per::Year => "a year",
        Per::Period => "for the period",
        Per::Month => "a month",
        Per::Unit => "each",
    };
    match (rate.effective_from, rate.effective_to) {
        (None, None) => per.to_owned(),
        (Some(a), None) => format!("{per}, from {a}"),
        (None, Some(b)) => format!("{per}, to {b}"),
        (Some(a), Some(b)) => format!("{per}, {a} to {b}"),
    }
}

/// A figure's provenance with its sources resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Provenance {
    /// How sure it is; `None` when the figure was not found.
    pub confidence: Option<Confidence>,
    /// The documents.
    pub sources: Vec<Source>,
    /// The note.
    pub note: Option<String>,
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.confidence {
            Some(c) => write!(f, "{c:?}")?,
            None => f.write_str("not found")?,
        }
        for s in &self.sources {
            write!(f, "; {}", s.title)?;
        }
        if let Some(n) = &self.note {
            write!(f, " ({n})")?;
        }
        Ok(())
    }
}

/// One figure of a year, described, with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FigureListing {
    /// What the figure is.
    pub what: String,
    /// Its value (`None` = not found).
    #[schemars(with = "Option<String>")]
    pub amount: Option<Decimal>,
    /// Where it comes from.
    pub provenance: Provenance,
}

impl FigureListing {
    /// The value as money, for figures that are amounts in pounds.
    pub fn money(&self) -> Option<Money> {
        self.amount.map(Money::from_pounds)
    }
}
