//! A PCN workforce as a table, and the ARRS position of many PCNs at once.
//!
//! [`StaffMember::from_record`] reads one row of a staff table by column name, whatever the
//! table came from (a CSV file, an Arrow table from Python, a spreadsheet export), so every
//! front end accepts the same columns ([`STAFF_COLUMNS`]) with the same checks.
//! [`summarise`] runs entitlement and claims for every PCN of an ICS.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use pcnkit_core::read::{FirstSeen, ImportOptions, Imported, Parsed, read_csv};
use pcnkit_core::{
    DataError, DataErrorKind, FinancialYear, Money, MoneyTotal, Month, PcnCode, Wte,
};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::claims::{StaffMember, claims};
use crate::entitlement::{EntitlementOptions, PcnInputs, entitlement};
use crate::error::ArrsError;
use crate::rules::RuleBook;

/// The columns of a staff table: the first six are required, the rest optional (an empty
/// `end` is "still in post"; absent flags are false; an absent `area` is national).
pub const STAFF_COLUMNS: [&str; 13] = [
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
    "area",
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

/// A date in a form NHS files use (`YYYY-MM-DD`, `DD/MM/YYYY`, …) with a year from 1900 to
/// 2200: a nonsense year is an error, not a date.
fn date(column: &'static str, text: Option<&str>) -> Result<Option<NaiveDate>, StaffFieldError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => pcnkit_core::parse_nhs_date(t)
            .map(Some)
            .map_err(|e| StaffFieldError {
                column,
                problem: e.to_string(),
            }),
    }
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
        let start: NaiveDate = date("start", cell("start"))?.ok_or(StaffFieldError {
            column: "start",
            problem: "required value is empty".to_owned(),
        })?;
        let end: Option<NaiveDate> = date("end", cell("end"))?;
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
        s.cct_date = date("cct_date", cell("cct_date"))?;
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
        s.area = cell("area")
            .unwrap_or("")
            .parse()
            .map_err(|problem: String| StaffFieldError {
                column: "area",
                problem: format!("{:?}: {problem}", cell("area").unwrap_or("")),
            })?;
        Ok(s)
    }
}

/// What a staff table is checked against beyond each row on its own.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct StaffTableChecks<'a> {
    /// The rule book whose roles are known.
    pub book: &'a RuleBook,
    /// The PCNs staff may belong to (those of the practice map); `None` accepts any PCN.
    pub pcns: Option<&'a BTreeSet<PcnCode>>,
}

impl<'a> StaffTableChecks<'a> {
    /// Checks against `book`'s roles, any PCN.
    pub fn new(book: &'a RuleBook) -> Self {
        StaffTableChecks { book, pcns: None }
    }

    /// Staff must belong to one of `pcns`.
    #[must_use]
    pub fn pcns(mut self, pcns: &'a BTreeSet<PcnCode>) -> Self {
        self.pcns = Some(pcns);
        self
    }
}

/// Reads a staff table ([`STAFF_COLUMNS`]; the layout `pcnkit demo` writes as
/// `arrs_staff.csv`). Every row becomes a [`StaffMember`] (with its [`source`](StaffMember::source)
/// location) or a [`DataError`] naming file, line, column and value; good rows are kept, so one
/// bad row never changes the money of the others. Errors, not warnings, because each would
/// change a claim silently:
///
/// - a value that does not parse, a negative cost, an end before the start;
/// - a role the rule book does not know (its claim could not be worked out);
/// - WTE above 1.0, the full-time basis (one person cannot be paid for more);
/// - a staff id already used on an earlier line (the post would be claimed twice);
/// - a PCN not among [`StaffTableChecks::pcns`] (its claims would count nowhere).
///
/// ```
/// use pcnkit_arrs::{RuleBook, workforce::{StaffTableChecks, read_staff}};
/// use pcnkit_core::read::ImportOptions;
/// let csv = "id,pcn,role,wte,start,annual_cost\n\
///            a,U90000,clinical_pharmacist,1.0,2025-04-01,60000\n\
///            a,U90000,pharmacy_technician,1.0,2025-04-01,40000\n";
/// let staff = read_staff(csv.as_bytes(), ImportOptions::new("staff.csv"),
///                        StaffTableChecks::new(RuleBook::builtin()))?;
/// assert_eq!(staff.records.len(), 1);
/// assert_eq!(staff.errors[0].to_string(),
///            "staff.csv, line 3, field `id`: staff id \"a\" is already on line 2");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_staff<R: std::io::Read>(
    input: R,
    options: ImportOptions<'_>,
    checks: StaffTableChecks<'_>,
) -> Result<Imported<StaffMember>, DataError> {
    let mut seen = FirstSeen::new();
    read_csv(
        input,
        options,
        None,
        |cols| {
            for c in &STAFF_COLUMNS[..6] {
                cols.require(&[c])?;
            }
            Ok(STAFF_COLUMNS.map(|c| (c, cols.find(&[c]))))
        },
        |columns, row| {
            let index = |name: &str| {
                columns
                    .iter()
                    .find(|(c, _)| *c == name)
                    .and_then(|(_, i)| *i)
            };
            let at = |name: &str| index(name).unwrap_or(usize::MAX);
            let bad =
                |name: &str, problem: String| row.error(at(name), DataErrorKind::BadValue(problem));
            let mut texts = Vec::with_capacity(columns.len());
            for (c, i) in columns {
                texts.push((*c, i.map(|i| row.text(i)).transpose()?));
            }
            let cell = |name: &str| texts.iter().find(|(c, _)| *c == name).and_then(|(_, t)| *t);
            let mut member =
                StaffMember::from_record(cell).map_err(|e| bad(e.column, e.problem))?;
            if checks.book.role_info(&member.role).is_err() {
                return Err(bad(
                    "role",
                    format!(
                        "unknown role {:?} (the roles are the ids in the pcnkit-arrs rule tables, e.g. clinical_pharmacist)",
                        member.role
                    ),
                ));
            }
            if member.wte.value() > Decimal::ONE {
                return Err(bad(
                    "wte",
                    format!("WTE {} is above 1.0, the full-time basis", member.wte),
                ));
            }
            if let (Some(allowed), Some(pcn)) = (checks.pcns, member.pcn)
                && !allowed.contains(&pcn)
            {
                return Err(bad("pcn", format!("PCN {pcn} is not in the practice map")));
            }
            let what = format!("staff id {:?}", member.id);
            seen.check(member.id.clone(), row, at("id"), &what, "")?;
            member.source = Some(row.row_location());
            Ok(Parsed::Record(member))
        },
    )
}

/// One PCN's ARRS position for a year (main pool).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PcnArrs {
    /// The PCN.
    pub pcn: PcnCode,
    /// Its weighted population, if known (without it the entitlement is unknown).
    pub weighted: Option<Decimal>,
    /// ARRS staff of the PCN (every row given, in post or not).
    pub staff: usize,
    /// The Additional Roles Reimbursement Sum, if the rules give it.
    pub entitlement: Option<Money>,
    /// Claimed in the year, after the entitlement cap (incomplete when a line is unknown).
    pub claimed: MoneyTotal,
    /// Entitlement minus claimed, when both are known.
    pub headroom: Option<Money>,
    /// An upper bound on the headroom: the entitlement minus the known claims.
    pub headroom_at_most: Option<Money>,
    /// Claims by month (every month with a claim line; incomplete where one is unknown).
    pub by_month: BTreeMap<Month, MoneyTotal>,
    /// Claims by role and month, likewise.
    pub by_role_month: BTreeMap<(String, Month), MoneyTotal>,
    /// The claim lines that could not be valued: staff, role, month and why.
    pub unknown: Vec<UnknownClaim>,
}

/// A claim line that could not be valued (no money in it, only what and why).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UnknownClaim {
    /// Staff id.
    pub staff: String,
    /// Role id.
    pub role: String,
    /// The month.
    pub month: Month,
    /// Why the claim is unknown.
    pub reason: String,
}

/// Entitlement and claims of every PCN in `pcns` (its populations as [`PcnInputs`]; the
/// `pcn` field is set from the key), with its own staff (those whose `pcn` is it). A PCN with
/// no weighted population has an unknown entitlement and headroom, never zero. Staff of a PCN
/// not in `pcns` are an error naming them, not dropped.
pub fn summarise(
    book: &RuleBook,
    year: FinancialYear,
    pcns: &BTreeMap<PcnCode, PcnInputs>,
    staff: &[StaffMember],
) -> Result<Vec<PcnArrs>, ArrsError> {
    // Each PCN's staff, found in one pass (not one scan of the whole list per PCN).
    let mut own: HashMap<PcnCode, Vec<&StaffMember>> = HashMap::with_capacity(pcns.len());
    let mut without_pcn = false;
    for s in staff {
        match s.pcn {
            Some(pcn) => own.entry(pcn).or_default().push(s),
            None => without_pcn = true,
        }
    }
    if (without_pcn || own.keys().any(|p| !pcns.contains_key(p)))
        && let Some(s) = staff
            .iter()
            .find(|s| s.pcn.is_none_or(|p| !pcns.contains_key(&p)))
    {
        return Err(ArrsError::Invalid(format!(
            "{}staff {}: PCN {} is not among the PCNs summarised",
            s.source
                .as_ref()
                .map(|l| format!("{l}: "))
                .unwrap_or_default(),
            s.id,
            s.pcn.map_or_else(|| "(none)".to_owned(), |p| p.to_string())
        )));
    }
    // PCNs are independent: worked out in parallel, returned in code order.
    pcns.par_iter()
        .map(|(pcn, given)| {
            let own: Vec<StaffMember> = own
                .get(pcn)
                .map(|list| list.iter().map(|s| (*s).clone()).collect())
                .unwrap_or_default();
            pcn_arrs(book, year, *pcn, given, &own)
        })
        .collect()
}

/// One PCN's entitlement and claims, summarised.
fn pcn_arrs(
    book: &RuleBook,
    year: FinancialYear,
    pcn: PcnCode,
    given: &PcnInputs,
    own: &[StaffMember],
) -> Result<PcnArrs, ArrsError> {
    let mut inputs = given.clone();
    inputs.pcn = Some(pcn);
    let e = entitlement(book, year, &inputs, EntitlementOptions::default())?;
    let report = claims(book, year, &inputs, &e, own)?;
    // Keyed by the lines' own role names first (no string copied per line), owned at the end.
    // Lines come in month order and a PCN has a handful of roles, so this month's entries are
    // the last few: a search from the end finds them in a step or two.
    let mut by_role: Vec<((&str, Month), MoneyTotal)> = Vec::new();
    for l in &report.lines {
        let key = (&*l.role, l.month);
        match by_role.iter_mut().rev().find(|(k, _)| *k == key) {
            Some((_, total)) => total.add(l.claim)?,
            None => {
                let mut total = MoneyTotal::ZERO;
                total.add(l.claim)?;
                by_role.push((key, total));
            }
        }
    }
    let by_role_month: BTreeMap<(String, Month), MoneyTotal> = by_role
        .into_iter()
        .map(|((role, month), total)| ((role.to_owned(), month), total))
        .collect();
    let unknown = report
        .unknown_lines()
        .map(|l| UnknownClaim {
            staff: l.staff.to_string(),
            role: l.role.to_string(),
            month: l.month,
            reason: l.unknown.clone().unwrap_or_default(),
        })
        .collect();
    let main = report.pools.iter().find(|p| p.pool == "main");
    Ok(PcnArrs {
        pcn,
        weighted: inputs.weighted,
        staff: own.len(),
        entitlement: main.and_then(|p| p.entitlement),
        claimed: main.map_or(MoneyTotal::ZERO, |p| p.claimed),
        headroom: main.and_then(|p| p.headroom),
        headroom_at_most: main.and_then(|p| p.headroom_at_most),
        by_month: report.by_month()?,
        by_role_month,
        unknown,
    })
}
