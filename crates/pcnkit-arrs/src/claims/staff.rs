//! Who is claimed for: staff records, their London weighting area, why a record cannot be
//! claimed for at all, and the eligibility rules applied once per person.

use std::sync::Arc;

use chrono::NaiveDate;
use pcnkit_core::{FinancialYear, Money, PcnCode, Period, SourceLocation, Wte};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::entitlement::PcnInputs;
use crate::rules::{Condition, RoleRules, RuleBook, RuleSet};

/// Where a post is, for London weighting. Parsed from `national`, `outer_london` or
/// `inner_london` (case, spaces and hyphens ignored; empty is national).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Area {
    /// Outside London.
    #[default]
    National,
    /// Outer London high-cost area.
    OuterLondon,
    /// Inner London high-cost area.
    InnerLondon,
}

impl std::str::FromStr for Area {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect();
        match key.as_str() {
            "" | "national" => Ok(Area::National),
            "outerlondon" => Ok(Area::OuterLondon),
            "innerlondon" => Ok(Area::InnerLondon),
            _ => Err("expected national, outer_london or inner_london".to_owned()),
        }
    }
}

impl std::fmt::Display for Area {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Area::National => "national",
            Area::OuterLondon => "outer_london",
            Area::InnerLondon => "inner_london",
        })
    }
}

/// A member of staff (or a planned post) claimed for under ARRS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StaffMember {
    /// An identifier the PCN recognises (payroll number, initials).
    pub id: String,
    /// Role id (as in the rule tables, e.g. `clinical_pharmacist`).
    pub role: String,
    /// The PCN employing or engaging them.
    pub pcn: Option<PcnCode>,
    /// Whole-time equivalent, at most 1.0.
    pub wte: Wte,
    /// First day in post.
    pub start: NaiveDate,
    /// Last day in post, if leaving.
    pub end: Option<NaiveDate>,
    /// Actual annual employment cost of the post at its WTE: salary plus employer on-costs
    /// (employer National Insurance and NHS pension).
    pub annual_cost: Money,
    /// London weighting area.
    pub area: Area,
    /// In post in a reimbursable role at the 31 March 2019 baseline (not additional).
    pub in_baseline: bool,
    /// A GP's Certificate of Completion of Training date.
    pub cct_date: Option<NaiveDate>,
    /// Worked in the PCN in the 12 months before starting (general practice nurses, 2025/26).
    pub in_pcn_previous_12_months: bool,
    /// Employed by the mental health provider under an agreement with the PCN.
    pub mental_health_provider_agreement: bool,
    /// On an approved apprenticeship programme.
    pub approved_apprenticeship: bool,
    /// Where the record came from (file, line), when it was read from a table.
    pub source: Option<SourceLocation>,
}

impl StaffMember {
    /// A member of staff with only the facts every claim needs; set the rest as they apply.
    pub fn new(
        id: impl Into<String>,
        role: impl Into<String>,
        wte: Wte,
        start: NaiveDate,
        annual_cost: Money,
    ) -> Self {
        StaffMember {
            id: id.into(),
            role: role.into(),
            pcn: None,
            wte,
            start,
            end: None,
            annual_cost,
            area: Area::National,
            in_baseline: false,
            cct_date: None,
            in_pcn_previous_12_months: false,
            mental_health_provider_agreement: false,
            approved_apprenticeship: false,
            source: None,
        }
    }
}

/// Why a member of staff could not be claimed for at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[non_exhaustive]
pub enum StaffError {
    /// The role is not defined in the rule book.
    #[error("staff {staff}: unknown role `{role}`")]
    UnknownRole {
        /// Staff id.
        staff: String,
        /// The role given.
        role: String,
    },
    /// The role is not reimbursable in this year.
    #[error("staff {staff}: {role} is not reimbursable in {year}")]
    RoleNotInYear {
        /// Staff id.
        staff: String,
        /// Role.
        role: String,
        /// Year.
        year: FinancialYear,
    },
    /// WTE above the full-time basis (1.0).
    #[error("staff {staff}: WTE {wte} is above 1.0, the full-time basis")]
    WteAboveBasis {
        /// Staff id.
        staff: String,
        /// The WTE given.
        wte: Wte,
    },
    /// The last day is before the first.
    #[error("staff {staff}: end {end} is before start {start}")]
    EndBeforeStart {
        /// Staff id.
        staff: String,
        /// Start.
        start: NaiveDate,
        /// End.
        end: NaiveDate,
    },
    /// Employed by another PCN.
    #[error("staff {staff}: belongs to PCN {theirs}, not {ours}")]
    OutsidePcn {
        /// Staff id.
        staff: String,
        /// Their PCN.
        theirs: PcnCode,
        /// The PCN being claimed for.
        ours: PcnCode,
    },
    /// A negative cost.
    #[error("staff {staff}: annual cost {cost} is negative")]
    NegativeCost {
        /// Staff id.
        staff: String,
        /// The cost given.
        cost: Money,
    },
}

pub(super) struct Eligible<'a> {
    pub(super) staff: &'a StaffMember,
    pub(super) role: &'a RoleRules,
    pub(super) period: Period,
    /// First day claimable (role reimbursable, and eligibility met); `None` = never.
    pub(super) claimable_from: Option<NaiveDate>,
    pub(super) reason: Option<String>,
    /// Why this person's claims cannot be valued, when a rule they depend on is absent (NF).
    pub(super) unknown: Option<String>,
    /// The names every line of this person carries, made once.
    pub(super) ids: LineIds,
    /// Pro-rata amounts already worked out for this person (see [`ProRata`]).
    pub(super) pro_rata: ProRata,
}

/// Staff, role and pool ids shared by a person's claim lines.
pub(super) struct LineIds {
    pub(super) staff: Arc<str>,
    pub(super) role: Arc<str>,
    pub(super) pool: Arc<str>,
}

/// A person's pro-rata amounts by their inputs: most months repeat a day count (30 or 31 days
/// in post, at the same WTE and maximum), so each distinct product and quotient is worked out
/// once. The same inputs give the same decimal, so the figures are exactly those computed
/// afresh; a national run saves most of its divisions.
#[derive(Default)]
pub(super) struct ProRata {
    /// Days → annual cost × days ÷ days in the year.
    costs: Vec<(u32, Money)>,
    /// (annual maximum, WTE, days), each as its exact decimal bytes (value and scale) → annual
    /// maximum × WTE × days ÷ days in the year.
    parts: Vec<([u8; 16], [u8; 16], u32, Money)>,
}

impl ProRata {
    /// `annual × days ÷ days_in_year`, remembered by `days`.
    pub(super) fn cost(
        &mut self,
        annual: Money,
        days: u32,
        days_in_year: Decimal,
    ) -> Result<Money, pcnkit_core::CoreError> {
        if let Some((_, m)) = self.costs.iter().find(|(d, _)| *d == days) {
            return Ok(*m);
        }
        let m = annual
            .checked_mul(Decimal::from(days))?
            .checked_div(days_in_year)?;
        self.costs.push((days, m));
        Ok(m)
    }

    /// `annual × wte × days ÷ days_in_year`, remembered by its inputs.
    pub(super) fn part(
        &mut self,
        annual: Decimal,
        wte: Decimal,
        days: u32,
        days_in_year: Decimal,
    ) -> Result<Money, pcnkit_core::CoreError> {
        let (a, w) = (annual.serialize(), wte.serialize());
        if let Some((.., m)) = self
            .parts
            .iter()
            .find(|(a2, w2, d, _)| *d == days && *a2 == a && *w2 == w)
        {
            return Ok(*m);
        }
        let m = Money::from_pounds(annual)
            .checked_mul(wte)?
            .checked_mul(Decimal::from(days))?
            .checked_div(days_in_year)?;
        self.parts.push((a, w, days, m));
        Ok(m)
    }
}

pub(super) fn check_staff<'a>(
    book: &RuleBook,
    set: &'a RuleSet,
    year: FinancialYear,
    inputs: &PcnInputs,
    s: &'a StaffMember,
) -> Result<Eligible<'a>, StaffError> {
    let info = book
        .role_info(&s.role)
        .map_err(|_| StaffError::UnknownRole {
            staff: s.id.clone(),
            role: s.role.clone(),
        })?;
    let role = set.role(&s.role).ok_or_else(|| StaffError::RoleNotInYear {
        staff: s.id.clone(),
        role: s.role.clone(),
        year,
    })?;
    if s.wte.value() > Decimal::ONE {
        return Err(StaffError::WteAboveBasis {
            staff: s.id.clone(),
            wte: s.wte,
        });
    }
    if s.annual_cost.is_negative() {
        return Err(StaffError::NegativeCost {
            staff: s.id.clone(),
            cost: s.annual_cost,
        });
    }
    let period = Period::new(s.start, s.end).map_err(|_| StaffError::EndBeforeStart {
        staff: s.id.clone(),
        start: s.start,
        end: s.end.unwrap_or(s.start),
    })?;
    if let (Some(theirs), Some(ours)) = (s.pcn, inputs.pcn)
        && theirs != ours
    {
        return Err(StaffError::OutsidePcn {
            staff: s.id.clone(),
            theirs,
            ours,
        });
    }
    let mut claimable_from = Some(s.start.max(info.first_reimbursable.date));
    let mut reason = None;
    let mut refuse = |why: String| {
        claimable_from = None;
        reason = Some(why);
    };
    // Whether the claims can be valued at all: not when a rule they depend on was not found.
    let mut unknown = None;
    if s.in_baseline {
        match set.additionality.date {
            Some(date) => refuse(format!(
                "not additional: in post at the {date} baseline, so not reimbursable"
            )),
            None => {
                unknown = Some(format!(
                    "in post at the additionality baseline, and the {} rules give no baseline: whether the post is reimbursable is unknown",
                    set.year
                ));
            }
        }
    }
    for c in &role.conditions {
        match c {
            Condition::GpWithinTwoYearsOfCct => match s.cct_date {
                None => refuse(
                    "a GP's CCT date is needed: only GPs within 2 years of CCT are reimbursable"
                        .to_owned(),
                ),
                Some(cct)
                    if cct
                        .checked_add_months(chrono::Months::new(24))
                        .is_none_or(|limit| s.start > limit) =>
                {
                    refuse(format!(
                        "GP recruited more than 2 years after CCT ({cct}): not reimbursable"
                    ));
                }
                Some(_) => {}
            },
            Condition::NotInPcnPrevious12Months if s.in_pcn_previous_12_months => {
                refuse(
                    "worked in the PCN in the previous 12 months: not reimbursable in this role"
                        .to_owned(),
                );
            }
            Condition::MentalHealthProviderAgreement if !s.mental_health_provider_agreement => {
                refuse(
                    "no agreement with the mental health provider recorded: not reimbursable"
                        .to_owned(),
                );
            }
            Condition::ApprovedApprenticeship if !s.approved_apprenticeship => {
                refuse("not on an approved apprenticeship programme: not reimbursable".to_owned());
            }
            _ => {}
        }
    }
    if reason.is_none()
        && info.first_reimbursable.date > s.start
        && info.first_reimbursable.date <= year.last_day()
    {
        reason = Some(format!(
            "{} is only reimbursable from {}",
            info.name, info.first_reimbursable.date
        ));
    }
    Ok(Eligible {
        staff: s,
        role,
        period,
        claimable_from,
        reason,
        unknown,
        ids: LineIds {
            staff: Arc::from(s.id.as_str()),
            role: Arc::from(s.role.as_str()),
            pool: Arc::from(role.pool.as_str()),
        },
        pro_rata: ProRata::default(),
    })
}
