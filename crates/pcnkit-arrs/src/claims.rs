//! Monthly claims for ARRS staff, capped by role maxima, role WTE caps and the entitlement, with
//! an explain trace for every figure; and what-if plans.
//!
//! # The pro-rata method
//!
//! The sources say the maximum is an annual amount per WTE, pro rata for part-time staff and
//! quoted as annual equivalents when it changes mid-year, but not how part months are counted
//! (NF in `pcn-contract-facts.md`, "How claims are calculated", row 5). pcnkit counts days: a
//! month's claim covers the days employed in that month as a share of the days in the
//! financial year, and each day uses the maximum in force on that day. A full year therefore
//! sums to exactly the annual figure, and a change of maximum on 1 October splits cleanly.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcnkit_core::{
    FinancialYear, Money, MoneyTotal, Month, PcnCode, Period, Rounding, SourceLocation, Wte,
};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::entitlement::{Entitlement, PcnInputs};
use crate::error::ArrsError;
use crate::rules::{
    CapAppliesTo, Condition, Figure, LARGE_PCN, Maximum, RoleRules, RuleBook, RuleSet,
};

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

/// One member of staff's claim for one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ClaimLine {
    /// Staff id.
    pub staff: String,
    /// Role id.
    pub role: String,
    /// The pool the claim draws on.
    pub pool: String,
    /// The month.
    pub month: Month,
    /// Days in post in the month.
    pub days: u32,
    /// Actual cost for those days (annual cost × days / days in year).
    pub cost: Money,
    /// The role maximum for those days at the post's WTE (after any WTE cap), if found.
    pub maximum: Option<Money>,
    /// The claim, unrounded; `None` when a figure it needs was not found (see
    /// [`unknown`](Self::unknown)). Unknown is never zero: every total this line feeds is
    /// incomplete too.
    pub claim: Option<Money>,
    /// Why the claim is unknown, when it is.
    pub unknown: Option<String>,
    /// When the claim is unknown, an upper bound for it if one is known (the cost of the post at
    /// the reimbursement percentage, or what was left of the entitlement).
    pub claim_at_most: Option<Money>,
    /// Every rule applied, in order, in words.
    pub trace: Vec<String>,
}

/// A finding: something a finance manager should know that is not an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// Staff id, if about one person.
    pub staff: Option<String>,
    /// Month, if about one month.
    pub month: Option<Month>,
    /// What was found.
    pub message: String,
}

/// How much of a pool is claimed and what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PoolUse {
    /// Pool id.
    pub pool: String,
    /// The entitlement, if known.
    pub entitlement: Option<Money>,
    /// Total claimed (after the entitlement cap): incomplete when any line is unknown.
    pub claimed: MoneyTotal,
    /// Entitlement minus claimed, when both are known.
    pub headroom: Option<Money>,
    /// An upper bound on the headroom when the entitlement is known: the entitlement minus
    /// the claims that are known (equal to [`headroom`](Self::headroom) when that is known).
    pub headroom_at_most: Option<Money>,
}

/// Monthly claims for a PCN's staff over a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ClaimsReport {
    /// The year.
    pub year: FinancialYear,
    /// One line per staff member per month in post, in month then staff order.
    pub lines: Vec<ClaimLine>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Staff who could not be claimed for at all.
    pub errors: Vec<StaffError>,
    /// Pool use and headroom.
    pub pools: Vec<PoolUse>,
}

impl ClaimsReport {
    /// The total claimed: the known lines' sum and how many lines are unknown.
    pub fn total(&self) -> Result<MoneyTotal, ArrsError> {
        Ok(MoneyTotal::of(self.lines.iter().map(|l| l.claim))?)
    }

    /// Totals by month (every month with a line, incomplete where a line is unknown).
    pub fn by_month(&self) -> Result<BTreeMap<Month, MoneyTotal>, ArrsError> {
        let mut out: BTreeMap<Month, MoneyTotal> = BTreeMap::new();
        for l in &self.lines {
            out.entry(l.month).or_default().add(l.claim)?;
        }
        Ok(out)
    }

    /// The lines whose claim could not be worked out.
    pub fn unknown_lines(&self) -> impl Iterator<Item = &ClaimLine> {
        self.lines.iter().filter(|l| l.claim.is_none())
    }

    /// Headroom left in a pool.
    pub fn headroom(&self, pool: &str) -> Option<Money> {
        self.pools
            .iter()
            .find(|p| p.pool == pool)
            .and_then(|p| p.headroom)
    }
}

fn penny(m: Money) -> Money {
    m.round_to_penny(Rounding::HalfUp)
}

fn area_figure(m: &Maximum, area: Area) -> (&Figure, Option<&'static str>) {
    match area {
        Area::National => (&m.national, None),
        Area::OuterLondon => m.outer_london.as_ref().or(m.london.as_ref()).map_or(
            (
                &m.national,
                Some("no outer London maximum found: the national maximum is used"),
            ),
            |f| (f, None),
        ),
        Area::InnerLondon => m.inner_london.as_ref().or(m.london.as_ref()).map_or(
            (
                &m.national,
                Some("no inner London maximum found: the national maximum is used"),
            ),
            |f| (f, None),
        ),
    }
}

struct Eligible<'a> {
    staff: &'a StaffMember,
    role: &'a RoleRules,
    period: Period,
    /// First day claimable (role reimbursable, and eligibility met); `None` = never.
    claimable_from: Option<NaiveDate>,
    reason: Option<String>,
}

/// Works out every staff member's claim for every month of `year`, applying role maxima (pro
/// rata to WTE and days, see the module docs), reimbursement percentages, eligibility, role WTE
/// caps, and finally the entitlement of each pool.
///
/// ```
/// use chrono::NaiveDate;
/// use pcnkit_arrs::{claims, entitlement, EntitlementOptions, PcnInputs, RuleBook, StaffMember};
/// use rust_decimal::Decimal;
/// let book = RuleBook::builtin()?;
/// let year = "2025/26".parse()?;
/// let inputs = PcnInputs::weighted(Decimal::from(30_000));
/// let e = entitlement(book, year, &inputs, EntitlementOptions::default())?;
/// let pharmacist = StaffMember::new("CP1", "clinical_pharmacist", "1.0".parse()?,
///     NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(), "70000".parse()?);
/// let report = claims(book, year, &inputs, &e, &[pharmacist])?;
/// // A full year at a cost above the £66,972 maximum claims exactly the maximum.
/// let total = report.total()?.value().expect("every line is known");
/// assert_eq!(total.round_to_penny(pcnkit_core::Rounding::HalfUp).to_string(), "£66,972.00");
/// assert_eq!(report.headroom("main").map(|m| m.round_to_penny(pcnkit_core::Rounding::HalfUp).to_string()), Some("£731,958.00".to_owned()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn claims(
    book: &RuleBook,
    year: FinancialYear,
    inputs: &PcnInputs,
    entitlement: &Entitlement,
    staff: &[StaffMember],
) -> Result<ClaimsReport, ArrsError> {
    let set = book.year(year)?;
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    let mut eligible = Vec::new();
    for s in staff {
        match check_staff(book, set, year, inputs, s) {
            Ok(e) => {
                if let Some(reason) = &e.reason {
                    findings.push(Finding {
                        staff: Some(s.id.clone()),
                        month: None,
                        message: reason.clone(),
                    });
                }
                eligible.push(e);
            }
            Err(e) => errors.push(e),
        }
    }
    let days_in_year = Decimal::from(year.days());
    let large = inputs.registered.map(|r| r >= Decimal::from(LARGE_PCN));
    let mut lines = Vec::new();
    for month in year.months() {
        // WTE caps are applied in order of start date, so the earliest posts are claimed first.
        let mut used_wte: BTreeMap<&str, Decimal> = BTreeMap::new();
        let mut order: Vec<&Eligible<'_>> = eligible
            .iter()
            .filter(|e| e.period.overlaps(&month.period()))
            .collect();
        order.sort_by(|a, b| (a.staff.start, &a.staff.id).cmp(&(b.staff.start, &b.staff.id)));
        for e in order {
            let line = month_line(
                book,
                set,
                e,
                month,
                days_in_year,
                large,
                &mut used_wte,
                &mut findings,
            )?;
            lines.push(line);
        }
    }
    // A role the book knows but this year's rules do not have: each month in post is a claim
    // line of unknown value (the role may not be reimbursable that year, or its figures were
    // not found), so the totals it would feed say they are incomplete instead of leaving it out.
    for e in &errors {
        if let StaffError::RoleNotInYear { staff: id, .. } = e
            && let Some(s) = staff.iter().find(|s| &s.id == id)
            && let Ok(period) = Period::new(s.start, s.end)
        {
            for month in year.months() {
                let Some(in_post) = period.intersection(&month.period()) else {
                    continue;
                };
                let days = in_post.days().unwrap_or(0);
                let cost = s
                    .annual_cost
                    .checked_mul(Decimal::from(days))?
                    .checked_div(days_in_year)?;
                let why = format!("{} is not in the {year} rules", s.role);
                lines.push(ClaimLine {
                    staff: s.id.clone(),
                    role: s.role.clone(),
                    pool: "main".to_owned(),
                    month,
                    days,
                    cost,
                    maximum: None,
                    claim: None,
                    unknown: Some(why.clone()),
                    claim_at_most: Some(cost),
                    trace: vec![format!(
                        "{why}: not reimbursable that year, or its figures were not found; claim unknown, at most the cost {}",
                        penny(cost)
                    )],
                });
            }
        }
    }
    // Stable: within a month the order (by start date, for WTE caps) is kept.
    lines.sort_by_key(|l| l.month);
    let pools = apply_entitlement(set, entitlement, &mut lines, &mut findings)?;
    Ok(ClaimsReport {
        year,
        lines,
        findings,
        errors,
        pools,
    })
}

fn check_staff<'a>(
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
    if s.in_baseline {
        refuse(format!(
            "not additional: in post at the {} baseline, so not reimbursable",
            set.additionality.date
        ));
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
    })
}

#[allow(clippy::too_many_arguments)]
fn month_line<'a>(
    book: &RuleBook,
    set: &RuleSet,
    e: &Eligible<'a>,
    month: Month,
    days_in_year: Decimal,
    large: Option<bool>,
    used_wte: &mut BTreeMap<&'a str, Decimal>,
    findings: &mut Vec<Finding>,
) -> Result<ClaimLine, ArrsError> {
    let s = e.staff;
    let in_post = e.period.intersection(&month.period());
    let days = in_post.and_then(|p| p.days()).unwrap_or(0);
    let cost = s
        .annual_cost
        .checked_mul(Decimal::from(days))?
        .checked_div(days_in_year)?;
    let mut trace = vec![format!(
        "{} in post {} of {} days in {month}: cost £{} × {days}/{days_in_year} = {}",
        s.id,
        days,
        month.days(),
        s.annual_cost.pounds(),
        penny(cost)
    )];
    let mut line = ClaimLine {
        staff: s.id.clone(),
        role: s.role.clone(),
        pool: e.role.pool.clone(),
        month,
        days,
        cost,
        maximum: None,
        claim: Some(Money::ZERO),
        unknown: None,
        claim_at_most: None,
        trace: Vec::new(),
    };
    let claimable = match (in_post, e.claimable_from) {
        (Some(p), Some(from)) => p.intersection(&Period::starting(from)),
        _ => None,
    };
    let Some(claimable) = claimable else {
        trace.push(match &e.reason {
            Some(r) => format!("claim £0: {r}"),
            None => "claim £0: no reimbursable days this month".to_owned(),
        });
        line.trace = trace;
        return Ok(line);
    };
    // Role WTE cap.
    let cap = e
        .role
        .caps
        .iter()
        .rev()
        .find(|c| c.effective_from.is_none_or(|d| d <= month.last_day()));
    let mut wte = s.wte.value();
    if let Some(cap) = cap {
        let (figure, which) = match (&cap.max_wte_large, large) {
            (Some(f), Some(true)) => (f, "PCN of 100,000 or more"),
            (Some(_), None) => {
                findings.push(Finding {
                    staff: Some(s.id.clone()),
                    month: Some(month),
                    message: "registered list size not given: the smaller WTE cap is applied"
                        .to_owned(),
                });
                (&cap.max_wte, "PCN below 100,000")
            }
            _ => (&cap.max_wte, "PCN below 100,000"),
        };
        if let Some(limit) = figure.amount {
            let used = used_wte.entry(s.role.as_str()).or_insert(Decimal::ZERO);
            let allowed = (limit - *used).max(Decimal::ZERO).min(wte);
            *used += wte;
            if allowed < wte {
                findings.push(Finding {
                    staff: Some(s.id.clone()),
                    month: Some(month),
                    message: format!("role cap of {limit} WTE ({which}) reached: {allowed} of {wte} WTE claimable"),
                });
                trace.push(format!(
                    "role cap {limit} WTE ({which}; {}): claimable WTE {allowed} of {wte}",
                    book.provenance(figure)
                ));
            }
            wte = allowed;
        }
    }
    // Maxima in force on each claimable day, day-weighted.
    let mut maximum = Money::ZERO;
    let mut day = claimable.start();
    let last = claimable.end_inclusive().unwrap_or(month.last_day());
    let percent_figure = set.percent(e.role);
    while day <= last {
        let Some(entry) = set.maximum_on(e.role, day) else {
            findings.push(Finding {
                staff: Some(s.id.clone()),
                month: Some(month),
                message: format!(
                    "no maximum in the {} rules for {} on {day}",
                    set.year, s.role
                ),
            });
            trace.push(format!(
                "no maximum in the {} rules for {} on {day}: claim unknown",
                set.year, s.role
            ));
            line.claim = None;
            line.unknown = Some(format!("no maximum in the rules for {day}"));
            break;
        };
        let next_change = e
            .role
            .maxima
            .iter()
            .map(|m| m.effective_from)
            .find(|d| *d > day);
        let seg_end = next_change
            .and_then(|d| d.pred_opt())
            .map_or(last, |d| d.min(last));
        let seg_days = Decimal::from((seg_end - day).num_days() + 1);
        let (figure, fallback) = area_figure(entry, s.area);
        if let Some(note) = fallback {
            findings.push(Finding {
                staff: Some(s.id.clone()),
                month: Some(month),
                message: note.to_owned(),
            });
        }
        match figure.amount {
            None => {
                let note = figure.note.as_deref().unwrap_or("NF");
                findings.push(Finding {
                    staff: Some(s.id.clone()),
                    month: Some(month),
                    message: format!(
                        "maximum for {} from {} not found ({note}): claim not worked out",
                        s.role, entry.effective_from
                    ),
                });
                trace.push(format!(
                    "maximum from {} not found in the sources ({note})",
                    entry.effective_from
                ));
                line.claim = None;
                line.unknown = Some(format!(
                    "maximum from {} not found in the sources ({note})",
                    entry.effective_from
                ));
            }
            Some(annual) => {
                let part = Money::from_pounds(annual)
                    .checked_mul(wte)?
                    .checked_mul(seg_days)?
                    .checked_div(days_in_year)?;
                trace.push(format!(
                    "maximum £{annual} per WTE from {} × {wte} WTE × {seg_days}/{days_in_year} days = {} [{}]",
                    entry.effective_from,
                    penny(part),
                    book.provenance(figure)
                ));
                maximum = maximum.checked_add(part)?;
            }
        }
        let Some(next) = seg_end.succ_opt() else {
            break;
        };
        day = next;
    }
    let claimable_days = claimable.days().unwrap_or(0);
    let claimable_cost = s
        .annual_cost
        .checked_mul(Decimal::from(claimable_days))?
        .checked_div(days_in_year)?;
    let cost_for_wte = if wte == s.wte.value() {
        claimable_cost
    } else {
        claimable_cost
            .checked_mul(wte)?
            .checked_div(s.wte.value())?
    };
    let percent = percent_figure.and_then(|f| f.amount);
    if line.claim.is_some() {
        line.maximum = Some(maximum);
        match percent {
            None => {
                trace.push("reimbursement percentage not found: claim not worked out".to_owned());
                line.claim = None;
                line.unknown = Some("reimbursement percentage not found in the sources".to_owned());
            }
            Some(p) => {
                let fraction = p / Decimal::ONE_HUNDRED;
                let claim = match e.role.cap_applies_to {
                    CapAppliesTo::Cost => cost_for_wte.min(maximum).checked_mul(fraction)?,
                    CapAppliesTo::Reimbursement => cost_for_wte.checked_mul(fraction)?.min(maximum),
                };
                let provenance = percent_figure
                    .map(|f| book.provenance(f).to_string())
                    .unwrap_or_default();
                trace.push(match e.role.cap_applies_to {
                    CapAppliesTo::Cost => format!(
                        "claim = min(cost {}, maximum {}) × {p}% = {} [{provenance}]",
                        penny(cost_for_wte),
                        penny(maximum),
                        penny(claim)
                    ),
                    CapAppliesTo::Reimbursement => format!(
                        "claim = min(cost {} × {p}%, maximum {}) = {} [{provenance}]",
                        penny(cost_for_wte),
                        penny(maximum),
                        penny(claim)
                    ),
                });
                line.claim = Some(claim);
            }
        }
    }
    if line.claim.is_none() {
        // Whatever the missing figure, a claim never exceeds the cost of the claimable WTE at
        // the reimbursement percentage (or the whole cost when the percentage is unknown).
        let bound = match percent {
            Some(p) => cost_for_wte.checked_mul(p / Decimal::ONE_HUNDRED)?,
            None => cost_for_wte,
        };
        trace.push(format!("claim unknown; at most {}", penny(bound)));
        line.claim_at_most = Some(bound);
    }
    line.trace = trace;
    Ok(line)
}

fn apply_entitlement(
    set: &RuleSet,
    entitlement: &Entitlement,
    lines: &mut [ClaimLine],
    findings: &mut Vec<Finding>,
) -> Result<Vec<PoolUse>, ArrsError> {
    let mut out = Vec::new();
    for pool in &set.pools {
        let limit = entitlement.arrs_sum(&pool.id);
        let mut claimed = MoneyTotal::ZERO;
        // Upper bounds of the unknown lines so far (`None` once one has no bound).
        let mut unknown_bound = Some(Money::ZERO);
        let mut warned_uncapped = false;
        for line in lines.iter_mut().filter(|l| l.pool == pool.id) {
            let Some(c) = line.claim else {
                unknown_bound = match (unknown_bound, line.claim_at_most) {
                    (Some(sum), Some(b)) => Some(sum.checked_add(b)?),
                    _ => None,
                };
                claimed.add(None)?;
                continue;
            };
            let Some(limit) = limit else {
                if c > Money::ZERO && !warned_uncapped {
                    warned_uncapped = true;
                    findings.push(Finding {
                        staff: None,
                        month: None,
                        message: format!(
                            "{}: entitlement unknown, so claims are not capped by it",
                            pool.name
                        ),
                    });
                }
                claimed.add(Some(c))?;
                continue;
            };
            let left = limit.checked_sub(claimed.known())?.max(Money::ZERO);
            let certainly_fits = match unknown_bound {
                Some(b) => claimed.known().checked_add(b)?.checked_add(c)? <= limit,
                None => false,
            };
            if claimed.is_complete() || certainly_fits {
                if c > left {
                    line.trace.push(format!(
                        "entitlement of {} reached: claim reduced from {} to {}",
                        penny(limit),
                        penny(c),
                        penny(left)
                    ));
                    findings.push(Finding {
                        staff: Some(line.staff.clone()),
                        month: Some(line.month),
                        message: format!("{} entitlement reached", pool.name),
                    });
                    line.claim = Some(left);
                }
                claimed.add(line.claim)?;
            } else {
                // Earlier claims on the pool are unknown and may already have used the
                // entitlement, so how much of this one it still pays is unknown too.
                let bound = c.min(left);
                line.trace.push(format!(
                    "the {} entitlement of {} may be reached by earlier claims whose value is unknown: claim unknown, at most {}",
                    pool.name,
                    penny(limit),
                    penny(bound)
                ));
                line.claim = None;
                line.unknown = Some(
                    "the entitlement may already be used by earlier claims whose value is unknown"
                        .to_owned(),
                );
                line.claim_at_most = Some(bound);
                unknown_bound = unknown_bound.map(|u| u.checked_add(bound)).transpose()?;
                claimed.add(None)?;
            }
        }
        let headroom = match (limit, claimed.value()) {
            (Some(l), Some(c)) => Some(l.checked_sub(c)?),
            _ => None,
        };
        let headroom_at_most = limit.map(|l| l.checked_sub(claimed.known())).transpose()?;
        if !claimed.is_complete() {
            findings.push(Finding {
                staff: None,
                month: None,
                message: format!(
                    "{}: {} claim line(s) could not be valued, so the total claimed is at least {} and the headroom is unknown",
                    pool.name,
                    claimed.unknown(),
                    penny(claimed.known())
                ),
            });
        }
        out.push(PoolUse {
            pool: pool.id.clone(),
            entitlement: limit,
            claimed,
            headroom,
            headroom_at_most,
        });
    }
    Ok(out)
}

/// A post being considered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Hire {
    /// Role id.
    pub role: String,
    /// Annual cost of 1.0 WTE (salary plus employer on-costs).
    pub annual_cost_per_wte: Money,
    /// First day in post.
    pub from: NaiveDate,
    /// London weighting area.
    pub area: Area,
}

impl Hire {
    /// A hire outside London.
    pub fn new(role: impl Into<String>, annual_cost_per_wte: Money, from: NaiveDate) -> Self {
        Hire {
            role: role.into(),
            annual_cost_per_wte,
            from,
            area: Area::National,
        }
    }
}

/// A what-if: the forecast with planned staff, and how much more of a role fits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Plan {
    /// Monthly forecast of current and planned staff.
    pub forecast: ClaimsReport,
    /// What 1.0 WTE of the hire would claim from its start to the year end.
    pub claim_per_wte: Option<Money>,
    /// How many more WTE of the hire fit in the headroom of its pool, rounded down to 0.01;
    /// `None` when the headroom or the claim per WTE is unknown.
    pub more_wte: Option<Decimal>,
    /// An upper bound on [`more_wte`](Self::more_wte) from the headroom's upper bound, when
    /// the claim per WTE is known.
    pub more_wte_at_most: Option<Decimal>,
}

/// Forecasts claims for `staff` (current and planned posts) and, for `hire`, how many WTE more
/// fit in the remaining entitlement.
pub fn plan(
    book: &RuleBook,
    year: FinancialYear,
    inputs: &PcnInputs,
    entitlement: &Entitlement,
    staff: &[StaffMember],
    hire: Option<&Hire>,
) -> Result<Plan, ArrsError> {
    let forecast = claims(book, year, inputs, entitlement, staff)?;
    let Some(hire) = hire else {
        return Ok(Plan {
            forecast,
            claim_per_wte: None,
            more_wte: None,
            more_wte_at_most: None,
        });
    };
    let mut probe = StaffMember::new(
        "(planned)",
        hire.role.clone(),
        Wte::ONE,
        hire.from,
        hire.annual_cost_per_wte,
    );
    probe.area = hire.area;
    probe.mental_health_provider_agreement = true;
    probe.approved_apprenticeship = true;
    probe.cct_date = Some(hire.from);
    // The probe alone, with no entitlement cap, prices one WTE.
    let unlimited = Entitlement {
        arrs: Vec::new(),
        ..entitlement.clone()
    };
    let alone = claims(
        book,
        year,
        &PcnInputs {
            pcn: None,
            ..inputs.clone()
        },
        &unlimited,
        std::slice::from_ref(&probe),
    )?;
    if let Some(e) = alone.errors.first() {
        return Err(ArrsError::UnknownRole(e.to_string()));
    }
    let per_wte: Option<Money> = alone
        .lines
        .iter()
        .map(|l| l.claim)
        .collect::<Option<Vec<_>>>()
        .map(Money::sum)
        .transpose()?;
    let pool = book
        .year(year)?
        .role(&hire.role)
        .map(|r| r.pool.clone())
        .unwrap_or_else(|| "main".to_owned());
    let fits = |room: Option<Money>| -> Result<Option<Decimal>, ArrsError> {
        match (per_wte, room) {
            (Some(per), Some(room)) if per > Money::ZERO => Ok(Some(
                room.max(Money::ZERO)
                    .pounds()
                    .checked_div(per.pounds())
                    .ok_or(pcnkit_core::CoreError::Overflow(
                        "WTE that fit the headroom",
                    ))?
                    .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero),
            )),
            _ => Ok(None),
        }
    };
    let use_of_pool = forecast.pools.iter().find(|p| p.pool == pool);
    let more_wte = fits(use_of_pool.and_then(|p| p.headroom))?;
    let more_wte_at_most = fits(use_of_pool.and_then(|p| p.headroom_at_most))?;
    Ok(Plan {
        forecast,
        claim_per_wte: per_wte,
        more_wte,
        more_wte_at_most,
    })
}
