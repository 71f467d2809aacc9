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

mod month;
mod plan;
mod staff;

use std::collections::BTreeMap;
use std::sync::Arc;

use pcnkit_core::{FinancialYear, Money, MoneyTotal, Month, Period};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::entitlement::{Entitlement, PcnInputs};
use crate::error::ArrsError;
use crate::rules::RuleBook;

pub use plan::{Hire, Plan, plan};
pub use staff::{Area, StaffError, StaffMember};

use month::{MonthContext, apply_entitlement, month_line, penny};
use staff::check_staff;

/// One member of staff's claim for one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ClaimLine {
    /// Staff id (shared by the person's lines: a national run has hundreds of thousands).
    pub staff: Arc<str>,
    /// Role id.
    pub role: Arc<str>,
    /// The pool the claim draws on.
    pub pool: Arc<str>,
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
    /// Every rule applied, in order, in words: present when asked for
    /// ([`ClaimsOptions::explain`]), `None` otherwise (the words are most of the cost of a
    /// national run, so they are built on demand).
    pub trace: Option<Vec<String>>,
}

/// What a claims run works out beyond the claims themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ClaimsOptions {
    /// Keep every line's explain trace ([`ClaimLine::trace`]). Off by default.
    pub explain: bool,
}

impl ClaimsOptions {
    /// Claims with every line's explain trace.
    pub fn explained() -> Self {
        ClaimsOptions { explain: true }
    }
}

/// The steps of one line's trace, collected only when asked for: a step is a closure, so
/// its words are never formatted otherwise.
struct Trace(Option<Vec<String>>);

impl Trace {
    fn new(explain: bool) -> Self {
        Trace(explain.then(Vec::new))
    }

    fn push(&mut self, step: impl FnOnce() -> String) {
        Self::extend(&mut self.0, step);
    }

    /// Adds a step to a line's trace if it has one.
    fn extend(trace: &mut Option<Vec<String>>, step: impl FnOnce() -> String) {
        if let Some(steps) = trace {
            steps.push(step());
        }
    }

    fn into_steps(self) -> Option<Vec<String>> {
        self.0
    }
}

/// What a claims run found that a finance manager should know and is not an error: the
/// shared [`pcnkit_core::Finding`], with rule ids `arrs.*` and the staff member and month (or
/// the pool) as its subject.
pub use pcnkit_core::{Finding, Severity};

/// The findings of a claims run as they are made: the same finding about one person in many
/// months (a maximum not found, a cap reached) becomes one finding naming the months, so no
/// front end has to merge them (and none merges by message text).
#[derive(Default)]
struct Found(Vec<(Finding, Vec<Month>)>);

impl Found {
    /// A finding about no month in particular.
    fn push(&mut self, finding: Finding) {
        self.0.push((finding, Vec::new()));
    }

    /// A finding about one month: merged with the same finding (rule, subject, words) of
    /// earlier months.
    fn push_in(&mut self, finding: Finding, month: Month) {
        let same = |g: &Finding| {
            g.rule == finding.rule && g.subject == finding.subject && g.message == finding.message
        };
        match self
            .0
            .iter_mut()
            .rev()
            .find(|(g, months)| !months.is_empty() && same(g))
        {
            Some((_, months)) => {
                if !months.contains(&month) {
                    months.push(month);
                }
            }
            None => self.0.push((finding, vec![month])),
        }
    }

    /// The findings, each month-level one with its months in its subject
    /// (`staff CP1, 2025-04` or `staff CP1, 2025-04 to 2026-03 (12 months)`).
    fn into_findings(self) -> Vec<Finding> {
        self.0
            .into_iter()
            .map(|(mut f, mut months)| {
                months.sort();
                let when = match months.as_slice() {
                    [] => None,
                    [one] => Some(one.to_string()),
                    [first, .., last] => {
                        Some(format!("{first} to {last} ({} months)", months.len()))
                    }
                };
                if let Some(when) = when {
                    f.subject = Some(match f.subject.take() {
                        Some(s) => format!("{s}, {when}"),
                        None => when,
                    });
                }
                f
            })
            .collect()
    }
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

    /// The line of one member of staff in one month, if they have one.
    pub fn line(&self, staff: &str, month: Month) -> Option<&ClaimLine> {
        self.lines
            .iter()
            .find(|l| &*l.staff == staff && l.month == month)
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

/// Works out every staff member's claim for every month of `year`, applying role maxima (pro
/// rata to WTE and days, see the module docs), reimbursement percentages, eligibility, role WTE
/// caps, and finally the entitlement of each pool.
///
/// ```
/// use chrono::NaiveDate;
/// use pcnkit_arrs::{claims, entitlement, EntitlementOptions, PcnInputs, RuleBook, StaffMember};
/// use rust_decimal::Decimal;
/// let book = RuleBook::builtin();
/// let year = "2025/26".parse()?;
/// let inputs = PcnInputs::weighted(Decimal::from(30_000));
/// let e = entitlement(book, year, &inputs, EntitlementOptions::default())?;
/// let pharmacist = StaffMember::new("CP1", "clinical_pharmacist", "1.0".parse()?,
///     NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(), "70000".parse()?);
/// let report = claims(book, year, &inputs, &e, std::slice::from_ref(&pharmacist))?;
/// // A full year at a cost above the £66,972 maximum claims exactly the maximum.
/// let total = report.total()?.value().expect("every line is known");
/// assert_eq!(total.round_to_penny(pcnkit_core::Rounding::HalfUp).to_string(), "£66,972.00");
/// assert_eq!(report.headroom("main").map(|m| m.round_to_penny(pcnkit_core::Rounding::HalfUp).to_string()), Some("£731,958.00".to_owned()));
/// // Without traces unless asked for; with them, April's line says how it was worked out.
/// assert!(report.lines[0].trace.is_none());
/// let explained = claims_with(book, year, &inputs, &e, &[pharmacist], ClaimsOptions::explained())?;
/// assert!(explained.lines[0].trace.as_ref().is_some_and(|steps| steps.len() == 3));
/// # use pcnkit_arrs::{claims_with, ClaimsOptions};
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn claims(
    book: &RuleBook,
    year: FinancialYear,
    inputs: &PcnInputs,
    entitlement: &Entitlement,
    staff: &[StaffMember],
) -> Result<ClaimsReport, ArrsError> {
    claims_with(
        book,
        year,
        inputs,
        entitlement,
        staff,
        ClaimsOptions::default(),
    )
}

/// [`claims()`] with options: today whether to keep each line's explain trace.
pub fn claims_with(
    book: &RuleBook,
    year: FinancialYear,
    inputs: &PcnInputs,
    entitlement: &Entitlement,
    staff: &[StaffMember],
    options: ClaimsOptions,
) -> Result<ClaimsReport, ArrsError> {
    let set = book.year(year)?;
    let mut findings = Found::default();
    let mut errors = Vec::new();
    let mut eligible = Vec::new();
    for s in staff {
        match check_staff(book, set, year, inputs, s) {
            Ok(e) => {
                if let Some(reason) = &e.reason {
                    findings.push(
                        Finding::new("arrs.eligibility", Severity::Warning, reason.clone())
                            .about(format!("staff {}", s.id.clone())),
                    );
                }
                eligible.push(e);
            }
            Err(e) => errors.push(e),
        }
    }
    // WTE caps are applied in order of start date, so the earliest posts are claimed first
    // (sorted once: each month keeps this order).
    eligible.sort_by(|a, b| (a.staff.start, &a.staff.id).cmp(&(b.staff.start, &b.staff.id)));
    let days_in_year = Decimal::from(year.days());
    let context = MonthContext {
        book,
        set,
        days_in_year,
        large_from: set.large_pcn.as_ref().and_then(|f| f.amount),
        registered: inputs.registered,
        explain: options.explain,
    };
    // At most one line per person per month (lines are large: growing the vector is a copy).
    let mut lines = Vec::with_capacity(staff.len().saturating_mul(12));
    for month in year.months() {
        let days = month.period();
        let mut used_wte: BTreeMap<&str, Decimal> = BTreeMap::new();
        for e in eligible.iter_mut().filter(|e| e.period.overlaps(&days)) {
            let line = month_line(&context, e, (month, &days), &mut used_wte, &mut findings)?;
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
                    staff: Arc::from(s.id.as_str()),
                    role: Arc::from(s.role.as_str()),
                    pool: Arc::from("main"),
                    month,
                    days,
                    cost,
                    maximum: None,
                    claim: None,
                    unknown: Some(why.clone()),
                    claim_at_most: Some(cost),
                    trace: options.explain.then(|| {
                        vec![format!(
                            "{why}: not reimbursable that year, or its figures were not found; claim unknown, at most the cost {}",
                            penny(cost)
                        )]
                    }),
                });
            }
        }
    }
    // Stable: within a month the order (by start date, for WTE caps) is kept.
    if !lines.is_sorted_by_key(|l| l.month) {
        lines.sort_by_key(|l| l.month);
    }
    let pools = apply_entitlement(set, entitlement, &mut lines, &mut findings)?;
    Ok(ClaimsReport {
        year,
        lines,
        findings: findings.into_findings(),
        errors,
        pools,
    })
}
