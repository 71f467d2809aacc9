//! A PCN workforce as a table, and the ARRS position of many PCNs at once.
//!
//! [`StaffMember::from_record`] reads one row of a staff table by column name, whatever the
//! table came from (a CSV file, an Arrow table from Python, a spreadsheet export), so every
//! front end accepts the same columns ([`STAFF_COLUMNS`]) with the same checks.
//! [`summarise`] runs entitlement and claims for every PCN of an ICS.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcnkit_core::{FinancialYear, Money, Month, PcnCode, Wte};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::claims::{StaffMember, claims};
use crate::entitlement::{EntitlementOptions, PcnInputs, entitlement};
use crate::error::ArrsError;
use crate::rules::RuleBook;

/// The columns of a staff table: the first six are required, the rest optional (an empty
/// `end` is "still in post"; absent flags are false).
pub const STAFF_COLUMNS: [&str; 12] = [
    "id",
    "pcn",
    "role",
    "wte",
    "start",
    "annual_cost",
    "end",
    "cct_date",
    "in_baseline",
    "in_pcn_previous_12_months",
    "mental_health_provider_agreement",
    "approved_apprenticeship",
];

/// A bad value in a staff row: which column and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("column {column}: {problem}")]
pub struct StaffFieldError {
    /// The column.
    pub column: &'static str,
    /// What is wrong.
    pub problem: String,
}

fn parse<T>(column: &'static str, text: Option<&str>) -> Result<Option<T>, StaffFieldError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t.parse().map(Some).map_err(|e| StaffFieldError {
            column,
            problem: format!("{t:?}: {e}"),
        }),
    }
}

fn required<T>(column: &'static str, text: Option<&str>) -> Result<T, StaffFieldError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    parse(column, text)?.ok_or(StaffFieldError {
        column,
        problem: "required value is empty".to_owned(),
    })
}

fn flag(column: &'static str, text: Option<&str>) -> Result<bool, StaffFieldError> {
    match text.map(|t| t.trim().to_ascii_lowercase()).as_deref() {
        None | Some("" | "false" | "0" | "no" | "n") => Ok(false),
        Some("true" | "1" | "yes" | "y") => Ok(true),
        Some(other) => Err(StaffFieldError {
            column,
            problem: format!("{other:?}: expected true or false"),
        }),
    }
}

impl StaffMember {
    /// One member of staff from a row whose cells `cell(column)` gives as text (`None` for a
    /// column the table does not have). Decimals are read exactly (`0.6` WTE is 0.6, not the
    /// nearest binary fraction); dates are `YYYY-MM-DD`.
    ///
    /// ```
    /// use pcnkit_arrs::StaffMember;
    /// let row = [("id", "cp-1"), ("pcn", "U90000"), ("role", "clinical_pharmacist"),
    ///            ("wte", "0.6"), ("start", "2025-04-01"), ("annual_cost", "37800")];
    /// let cell = |c: &str| row.iter().find(|(k, _)| *k == c).map(|(_, v)| *v);
    /// let s = StaffMember::from_record(cell)?;
    /// assert_eq!(s.wte.value().to_string(), "0.6");
    /// assert!(StaffMember::from_record(|c| if c == "wte" { Some("-1") } else { cell(c) }).is_err());
    /// # Ok::<(), pcnkit_arrs::workforce::StaffFieldError>(())
    /// ```
    pub fn from_record<'a>(
        cell: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<StaffMember, StaffFieldError> {
        let text = |c: &'static str| -> Result<String, StaffFieldError> {
            match cell(c).map(str::trim) {
                Some(t) if !t.is_empty() => Ok(t.to_owned()),
                _ => Err(StaffFieldError {
                    column: c,
                    problem: "required value is empty".to_owned(),
                }),
            }
        };
        let wte: Decimal = required("wte", cell("wte"))?;
        let wte = Wte::new(wte).map_err(|e| StaffFieldError {
            column: "wte",
            problem: e.to_string(),
        })?;
        let cost: Decimal = required("annual_cost", cell("annual_cost"))?;
        if cost.is_sign_negative() {
            return Err(StaffFieldError {
                column: "annual_cost",
                problem: format!("{cost}: a cost cannot be negative"),
            });
        }
        let start: NaiveDate = required("start", cell("start"))?;
        let end: Option<NaiveDate> = parse("end", cell("end"))?;
        if end.is_some_and(|e| e < start) {
            return Err(StaffFieldError {
                column: "end",
                problem: format!("ends before it starts ({start})"),
            });
        }
        let mut s = StaffMember::new(
            text("id")?,
            text("role")?,
            wte,
            start,
            Money::from_pounds(cost),
        );
        s.pcn = Some(required("pcn", cell("pcn"))?);
        s.end = end;
        s.cct_date = parse("cct_date", cell("cct_date"))?;
        s.in_baseline = flag("in_baseline", cell("in_baseline"))?;
        s.in_pcn_previous_12_months = flag(
            "in_pcn_previous_12_months",
            cell("in_pcn_previous_12_months"),
        )?;
        s.mental_health_provider_agreement = flag(
            "mental_health_provider_agreement",
            cell("mental_health_provider_agreement"),
        )?;
        s.approved_apprenticeship =
            flag("approved_apprenticeship", cell("approved_apprenticeship"))?;
        Ok(s)
    }
}

/// One PCN's ARRS position for a year (main pool).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PcnArrs {
    /// The PCN.
    pub pcn: PcnCode,
    /// Its weighted population.
    pub weighted: Decimal,
    /// ARRS staff of the PCN (every row given, in post or not).
    pub staff: usize,
    /// The Additional Roles Reimbursement Sum, if the rules give it.
    pub entitlement: Option<Money>,
    /// Claimed in the year, after the entitlement cap.
    pub claimed: Money,
    /// Entitlement minus claimed.
    pub headroom: Option<Money>,
    /// Claims by month (months with a known claim only).
    pub by_month: BTreeMap<Month, Money>,
    /// Claims by role and month.
    pub by_role_month: BTreeMap<(String, Month), Money>,
}

/// Entitlement and claims of every PCN with a weighted population, with its own staff (those
/// whose `pcn` is it). Staff of PCNs with no weighted population are an error, not dropped.
pub fn summarise(
    book: &RuleBook,
    year: FinancialYear,
    weighted: &BTreeMap<PcnCode, Decimal>,
    staff: &[StaffMember],
) -> Result<Vec<PcnArrs>, ArrsError> {
    if let Some(s) = staff
        .iter()
        .find(|s| s.pcn.is_none_or(|p| !weighted.contains_key(&p)))
    {
        return Err(ArrsError::Invalid(format!(
            "staff {}: PCN {} has no weighted population",
            s.id,
            s.pcn.map_or_else(|| "(none)".to_owned(), |p| p.to_string())
        )));
    }
    let mut out = Vec::with_capacity(weighted.len());
    for (pcn, w) in weighted {
        let mut inputs = PcnInputs::weighted(*w);
        inputs.pcn = Some(*pcn);
        let own: Vec<StaffMember> = staff
            .iter()
            .filter(|s| s.pcn == Some(*pcn))
            .cloned()
            .collect();
        let e = entitlement(book, year, &inputs, EntitlementOptions::default())?;
        let report = claims(book, year, &inputs, &e, &own)?;
        let mut by_role_month: BTreeMap<(String, Month), Money> = BTreeMap::new();
        for l in &report.lines {
            if let Some(c) = l.claim {
                let slot = by_role_month
                    .entry((l.role.clone(), l.month))
                    .or_insert(Money::ZERO);
                *slot = slot.checked_add(c)?;
            }
        }
        let main = report.pools.iter().find(|p| p.pool == "main");
        out.push(PcnArrs {
            pcn: *pcn,
            weighted: *w,
            staff: own.len(),
            entitlement: main.and_then(|p| p.entitlement),
            claimed: main.map_or(Money::ZERO, |p| p.claimed),
            headroom: main.and_then(|p| p.headroom),
            by_month: report.by_month()?,
            by_role_month,
        });
    }
    Ok(out)
}
