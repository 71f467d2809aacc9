//! ARRS for the profile: each PCN's entitlement, claims and headroom for the rule year, the
//! claims by month and role, and what the headroom would fund of a planned hire.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use pcnkit_arrs::{EntitlementOptions, Hire, PcnArrs, PcnInputs, RuleBook, StaffMember};
use pcnkit_core::{FinancialYear, Money, MoneyTotal, Month, PcnCode};
use rust_decimal::Decimal;

use crate::{ProfileError, ProfileInputs, ProfileOptions};

/// The hire the profile prices the headroom in: a role and its annual cost. An assumption of
/// the profile's reader, not a rule figure (see [`ProfileOptions::planned_hire`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlannedHire {
    /// The ARRS role id (as in the rule tables, e.g. `clinical_pharmacist`).
    pub role: String,
    /// Its annual cost, pounds.
    pub annual_cost: Money,
}

impl PlannedHire {
    /// A hire of `role` at `annual_cost` a year.
    pub fn new(role: impl Into<String>, annual_cost: Money) -> Self {
        PlannedHire {
            role: role.into(),
            annual_cost,
        }
    }
}

/// What a PCN's headroom would fund of the planned hire.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HirePlan {
    /// The PCN.
    pub pcn: PcnCode,
    /// WTE of the hire the headroom funds (rounded down to 0.01); `None` when unknown.
    pub more_wte: Option<Decimal>,
    /// An upper bound when the WTE is unknown but the headroom's bound is known.
    pub more_wte_at_most: Option<Decimal>,
}

/// The profile's ARRS part.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ArrsProfile {
    /// The rule year.
    pub year: FinancialYear,
    /// Each PCN's entitlement, claims and headroom (main pool), in code order.
    pub pcns: Vec<PcnArrs>,
    /// Whether claims were made (a staff table was given); without it only entitlements.
    pub claims: bool,
    /// The hire the headroom is priced in.
    pub hire: PlannedHire,
    /// What each PCN's headroom funds of the hire (empty without claims).
    pub plans: Vec<HirePlan>,
    /// Claims of all PCNs by role and month (incomplete where a line is unknown).
    pub by_role_month: BTreeMap<(String, Month), MoneyTotal>,
    /// Claims of all PCNs in the year by role.
    pub by_role: BTreeMap<String, MoneyTotal>,
    plan_table: Option<RecordBatch>,
}

impl ArrsProfile {
    /// How many PCNs' claimed totals are incomplete.
    pub fn incomplete(&self) -> usize {
        self.pcns
            .iter()
            .filter(|s| !s.claimed.is_complete())
            .count()
    }

    /// How many PCNs have no weighted population (so no entitlement).
    pub fn without_weighted(&self) -> usize {
        self.pcns.iter().filter(|s| s.weighted.is_none()).count()
    }

    /// The reasons claim lines could not be valued, with how many lines each.
    pub fn unknown_reasons(&self) -> BTreeMap<&str, usize> {
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for u in self.pcns.iter().flat_map(|s| &s.unknown) {
            *reasons.entry(u.reason.as_str()).or_default() += 1;
        }
        reasons
    }

    /// The named tables: `arrs` (per PCN); with claims also `arrs_claims_by_month_role`,
    /// `arrs_by_pcn_month` and `arrs_plan` (`pcn`, `annual_cost` and the columns of
    /// [`pcnkit_arrs::table::plan`]).
    pub fn tables(&self) -> Result<Vec<(String, RecordBatch)>, ProfileError> {
        let mut out = vec![("arrs".to_owned(), pcnkit_arrs::table::summary(&self.pcns)?)];
        if self.claims {
            out.push((
                "arrs_claims_by_month_role".to_owned(),
                pcnkit_arrs::table::by_role_month(&self.pcns)?,
            ));
            out.push((
                "arrs_by_pcn_month".to_owned(),
                pcnkit_arrs::table::by_month(&self.pcns, self.year)?,
            ));
        }
        if let Some(t) = &self.plan_table {
            out.push(("arrs_plan".to_owned(), t.clone()));
        }
        Ok(out)
    }
}

/// The ARRS part of `inputs` for `options.year`, when weighted populations or staff are given.
pub(crate) fn arrs(
    inputs: &ProfileInputs,
    options: &ProfileOptions,
) -> Result<Option<ArrsProfile>, ProfileError> {
    if inputs.weighted.is_empty() && inputs.staff.is_none() {
        return Ok(None);
    }
    let (pcns, year) = (&inputs.pcns, options.year);
    let book = RuleBook::builtin();
    let pcn_inputs: BTreeMap<PcnCode, PcnInputs> = pcns
        .iter()
        .map(|p| {
            let mut i = PcnInputs::default();
            i.weighted = inputs.weighted.get(p).copied();
            (*p, i)
        })
        .collect();
    // Staff of PCNs outside the profile (another ICB) are not its business.
    let in_scope: Vec<StaffMember> = inputs
        .staff
        .iter()
        .flatten()
        .filter(|s| s.pcn.is_some_and(|p| pcns.binary_search(&p).is_ok()))
        .cloned()
        .collect();
    let summary = pcnkit_arrs::summarise(book, year, &pcn_inputs, &in_scope)?;
    let claims = inputs.staff.is_some();
    let hire = options.planned_hire.clone();
    let mut plans = Vec::new();
    let mut plan_rows = Vec::new();
    if claims {
        for s in &summary {
            let staff: Vec<StaffMember> = in_scope
                .iter()
                .filter(|m| m.pcn == Some(s.pcn))
                .cloned()
                .collect();
            let mut i = PcnInputs::default();
            i.pcn = Some(s.pcn);
            i.weighted = s.weighted;
            let e = pcnkit_arrs::entitlement(book, year, &i, EntitlementOptions::default())?;
            let h = Hire::new(hire.role.as_str(), hire.annual_cost, year.first_day());
            let plan = pcnkit_arrs::plan(book, year, &i, &e, &staff, Some(&h))?;
            let row = pcnkit_arrs::table::plan(&hire.role, &plan)?;
            let mut columns: Vec<(String, ArrayRef)> = vec![
                (
                    "pcn".to_owned(),
                    Arc::new(StringArray::from(vec![s.pcn.to_string()])),
                ),
                (
                    "annual_cost".to_owned(),
                    pcnkit_core::arrow::money_array(&[Some(hire.annual_cost)])?,
                ),
            ];
            for (f, c) in row.schema().fields().iter().zip(row.columns()) {
                columns.push((f.name().clone(), c.clone()));
            }
            plan_rows.push(pcnkit_core::arrow::nullable_batch(columns)?);
            plans.push(HirePlan {
                pcn: s.pcn,
                more_wte: plan.more_wte,
                more_wte_at_most: plan.more_wte_at_most,
            });
        }
    }
    let plan_table = match plan_rows.first() {
        Some(first) => Some(arrow_select::concat::concat_batches(
            &first.schema(),
            &plan_rows,
        )?),
        None => None,
    };
    let mut by_role_month: BTreeMap<(String, Month), MoneyTotal> = BTreeMap::new();
    let mut by_role: BTreeMap<String, MoneyTotal> = BTreeMap::new();
    for s in &summary {
        for (key, t) in &s.by_role_month {
            let slot = by_role_month.entry(key.clone()).or_default();
            *slot = slot.checked_add(*t)?;
            let role = by_role.entry(key.0.clone()).or_default();
            *role = role.checked_add(*t)?;
        }
    }
    Ok(Some(ArrsProfile {
        year,
        pcns: summary,
        claims,
        hire,
        plans,
        by_role_month,
        by_role,
        plan_table,
    }))
}
