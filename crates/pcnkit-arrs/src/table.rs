//! The engine's results as Arrow tables with fixed, documented schemas: one shape for every
//! front end (the CLI's table, CSV, JSON and Parquet output, the report and Python).
//!
//! Money is `Decimal128(38, 18)` in pounds ([`pcnkit_core::arrow::DECIMAL_TYPE`]), never a
//! float or a string. Wherever an amount can be unknown the table carries a `status` column
//! (`complete` or `incomplete`, `known` or `unknown`) and the count or reason of what is
//! unknown: an unknown amount is a null, and a total with unknown parts is null with its known
//! part beside it, never the known part passed off as the whole.

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt32Array, UInt64Array};
use pcnkit_core::arrow::money_array;
use pcnkit_core::{FinancialYear, Money, MoneyTotal};

use crate::claims::{ClaimLine, ClaimsReport};
use crate::entitlement::Entitlement;
use crate::error::ArrsError;
use crate::rules::RuleBook;
use crate::workforce::PcnArrs;

/// Every column nullable, so a table's schema does not depend on its values.
fn batch(columns: Vec<(&str, ArrayRef)>) -> Result<RecordBatch, ArrsError> {
    Ok(pcnkit_core::arrow::nullable_batch(columns)?)
}

fn text<S: AsRef<str>>(values: impl IntoIterator<Item = Option<S>>) -> ArrayRef {
    Arc::new(values.into_iter().collect::<StringArray>())
}

fn money(values: &[Option<Money>]) -> Result<ArrayRef, ArrsError> {
    Ok(money_array(values)?)
}

fn status(total: &MoneyTotal) -> &'static str {
    if total.is_complete() {
        "complete"
    } else {
        "incomplete"
    }
}

/// Columns for a total that may be incomplete: the total (null unless complete), its known
/// part, the number of unknown parts and the status.
fn total_columns(
    prefix: &str,
    totals: &[MoneyTotal],
) -> Result<Vec<(String, ArrayRef)>, ArrsError> {
    let value: Vec<Option<Money>> = totals.iter().map(MoneyTotal::value).collect();
    let known: Vec<Option<Money>> = totals.iter().map(|t| Some(t.known())).collect();
    Ok(vec![
        (prefix.to_owned(), money(&value)?),
        (format!("{prefix}_known"), money(&known)?),
        (
            format!("{prefix}_unknown_lines"),
            Arc::new(UInt64Array::from_iter_values(
                totals.iter().map(MoneyTotal::unknown),
            )),
        ),
        (
            "status".to_owned(),
            text(totals.iter().map(|t| Some(status(t)))),
        ),
    ])
}

fn batch_owned(columns: Vec<(String, ArrayRef)>) -> Result<RecordBatch, ArrsError> {
    Ok(pcnkit_core::arrow::nullable_batch(columns)?)
}

/// One row per staff member per month: `staff`, `role`, `pool`, `month`, `days` (UInt32),
/// `cost`, `maximum`, `claim`, `claim_at_most` (money), `status` (`known`/`unknown`) and
/// `unknown_reason`.
pub fn claim_lines(report: &ClaimsReport) -> Result<RecordBatch, ArrsError> {
    let l = &report.lines;
    batch(vec![
        ("staff", text(l.iter().map(|x| Some(&x.staff)))),
        ("role", text(l.iter().map(|x| Some(&x.role)))),
        ("pool", text(l.iter().map(|x| Some(&x.pool)))),
        ("month", text(l.iter().map(|x| Some(x.month.to_string())))),
        (
            "days",
            Arc::new(UInt32Array::from_iter_values(l.iter().map(|x| x.days))),
        ),
        (
            "cost",
            money(&l.iter().map(|x| Some(x.cost)).collect::<Vec<_>>())?,
        ),
        (
            "maximum",
            money(&l.iter().map(|x| x.maximum).collect::<Vec<_>>())?,
        ),
        (
            "claim",
            money(&l.iter().map(|x| x.claim).collect::<Vec<_>>())?,
        ),
        (
            "claim_at_most",
            money(&l.iter().map(|x| x.claim_at_most).collect::<Vec<_>>())?,
        ),
        (
            "status",
            text(l.iter().map(|x| {
                Some(if x.claim.is_some() {
                    "known"
                } else {
                    "unknown"
                })
            })),
        ),
        ("unknown_reason", text(l.iter().map(|x| x.unknown.as_ref()))),
    ])
}

/// Every figure of a year's rules with its provenance (what [`RuleBook::figures`] lists), one
/// row each: `what`, `amount` (exact decimal: pounds, a percentage, WTE or patients as `what`
/// says; null when the sources did not give it), `confidence` (`P`, `S`, `S2`, `Local`,
/// `Proposal`; null when not found), `sources` (the documents' titles, `; `-separated) and
/// `note`.
pub fn figures(book: &RuleBook, year: FinancialYear) -> Result<RecordBatch, ArrsError> {
    let rows = book.figures(year)?;
    let amounts: Vec<Option<Money>> = rows
        .iter()
        .map(|f| f.amount.map(Money::from_pounds))
        .collect();
    batch(vec![
        ("what", text(rows.iter().map(|f| Some(f.what.as_str())))),
        ("amount", money(&amounts)?),
        (
            "confidence",
            text(
                rows.iter()
                    .map(|f| f.provenance.confidence.map(|c| format!("{c:?}"))),
            ),
        ),
        (
            "sources",
            text(rows.iter().map(|f| {
                Some(
                    f.provenance
                        .sources
                        .iter()
                        .map(|s| s.title.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            })),
        ),
        (
            "note",
            text(rows.iter().map(|f| f.provenance.note.as_deref())),
        ),
    ])
}

/// One claim line's explain trace as a table: a `step` column with the rules applied in
/// order, then the claim (or why it is unknown). The line must come from a run with
/// [`ClaimsOptions::explain`](crate::ClaimsOptions::explain); a line without its trace is an
/// error, not an empty explanation.
pub fn explanation(line: &ClaimLine) -> Result<RecordBatch, ArrsError> {
    let steps = line.trace.as_ref().ok_or_else(|| {
        ArrsError::Invalid(format!(
            "the claim line of {} in {} has no trace: run the claims with ClaimsOptions::explained()",
            line.staff, line.month
        ))
    })?;
    let last = match (line.claim, &line.unknown) {
        (Some(c), _) => format!("claim: {}", c.pounds().normalize()),
        (None, Some(why)) => format!("claim: unknown ({why})"),
        (None, None) => "claim: unknown".to_owned(),
    };
    batch(vec![(
        "step",
        text(
            steps
                .iter()
                .map(String::as_str)
                .chain([last.as_str()])
                .map(Some),
        ),
    )])
}

/// One row per pool: `pool`, `entitlement`, `claimed` (null when incomplete),
/// `claimed_known`, `claimed_unknown_lines`, `status` (`complete`/`incomplete`), `headroom`
/// (null unless entitlement and claims are known) and `headroom_at_most`.
pub fn pools(report: &ClaimsReport) -> Result<RecordBatch, ArrsError> {
    let p = &report.pools;
    let mut columns = vec![
        ("pool".to_owned(), text(p.iter().map(|x| Some(&x.pool)))),
        (
            "entitlement".to_owned(),
            money(&p.iter().map(|x| x.entitlement).collect::<Vec<_>>())?,
        ),
    ];
    columns.extend(total_columns(
        "claimed",
        &p.iter().map(|x| x.claimed).collect::<Vec<_>>(),
    )?);
    columns.push((
        "headroom".to_owned(),
        money(&p.iter().map(|x| x.headroom).collect::<Vec<_>>())?,
    ));
    columns.push((
        "headroom_at_most".to_owned(),
        money(&p.iter().map(|x| x.headroom_at_most).collect::<Vec<_>>())?,
    ));
    batch_owned(columns)
}

/// Every line of an entitlement: `kind` (`ARRS`, `payment` or `not in rules`), `id`, `name`,
/// `basis` (the population it multiplies: registered patients, weighted patients, adjusted
/// population, care home beds, IIF points), `population`, `rate`, `amount` (null when a figure
/// is missing), `status` (`known`/`unknown`), `source` (confidence and documents) and
/// `explanation`. Payments the book has in other years but not in this one are listed as
/// `not in rules` with a note, never left out silently.
pub fn entitlement_lines(
    book: &RuleBook,
    entitlement: &Entitlement,
) -> Result<RecordBatch, ArrsError> {
    struct Row {
        kind: &'static str,
        id: String,
        name: String,
        basis: Option<String>,
        population: Option<Money>,
        rate: Option<Money>,
        amount: Option<Money>,
        source: Option<String>,
        explanation: String,
    }
    let mut rows = Vec::new();
    for pool in &entitlement.arrs {
        let line = pool.lines.first();
        rows.push(Row {
            kind: "ARRS",
            id: pool.pool.clone(),
            name: pool.name.clone(),
            basis: line.map(|l| l.basis.to_string()),
            population: line.and_then(|l| l.population).map(Money::from_pounds),
            rate: if pool.lines.len() == 1 {
                line.and_then(|l| l.rate).map(Money::from_pounds)
            } else {
                None
            },
            amount: pool.amount,
            source: if pool.published {
                Some("published sum given in the inputs".to_owned())
            } else {
                line.map(|l| l.provenance.to_string())
            },
            explanation: pool
                .lines
                .iter()
                .map(|l| l.explanation.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        });
    }
    for l in &entitlement.payments {
        rows.push(Row {
            kind: "payment",
            id: l.id.clone(),
            name: l.name.clone(),
            basis: Some(l.basis.to_string()),
            population: l.population.map(Money::from_pounds),
            rate: l.rate.map(Money::from_pounds),
            amount: l.amount,
            source: Some(l.provenance.to_string()),
            explanation: l.explanation.clone(),
        });
    }
    // Payments of other years that this year's rule data does not have.
    let here: std::collections::BTreeSet<&str> =
        entitlement.payments.iter().map(|l| l.id.as_str()).collect();
    let mut elsewhere: std::collections::BTreeMap<&str, (&str, Vec<FinancialYear>)> =
        std::collections::BTreeMap::new();
    for y in book.years() {
        if let Ok(set) = book.year(y) {
            for p in &set.payments {
                if !here.contains(p.id.as_str()) {
                    elsewhere
                        .entry(p.id.as_str())
                        .or_insert((p.name.as_str(), Vec::new()))
                        .1
                        .push(y);
                }
            }
        }
    }
    for (id, (name, years)) in elsewhere {
        rows.push(Row {
            kind: "not in rules",
            id: id.to_owned(),
            name: name.to_owned(),
            basis: None,
            population: None,
            rate: None,
            amount: None,
            source: None,
            explanation: format!(
                "not in the {} rule data (it is in {}): not paid that year, or not found in the sources",
                entitlement.year,
                years
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    batch(vec![
        ("kind", text(rows.iter().map(|r| Some(r.kind)))),
        ("id", text(rows.iter().map(|r| Some(&r.id)))),
        ("name", text(rows.iter().map(|r| Some(&r.name)))),
        ("basis", text(rows.iter().map(|r| r.basis.as_ref()))),
        (
            "population",
            money(&rows.iter().map(|r| r.population).collect::<Vec<_>>())?,
        ),
        (
            "rate",
            money(&rows.iter().map(|r| r.rate).collect::<Vec<_>>())?,
        ),
        (
            "amount",
            money(&rows.iter().map(|r| r.amount).collect::<Vec<_>>())?,
        ),
        (
            "status",
            text(rows.iter().map(|r| {
                Some(match (r.kind, r.amount) {
                    ("not in rules", _) => "not in rules",
                    (_, Some(_)) => "known",
                    (_, None) => "unknown",
                })
            })),
        ),
        ("source", text(rows.iter().map(|r| r.source.as_ref()))),
        (
            "explanation",
            text(rows.iter().map(|r| Some(&r.explanation))),
        ),
    ])
}

/// One row per PCN: `pcn`, `weighted_patients`, `staff` (UInt64), `entitlement`, `claimed`,
/// `claimed_known`, `claimed_unknown_lines`, `status`, `headroom`, `headroom_at_most`.
pub fn summary(pcns: &[PcnArrs]) -> Result<RecordBatch, ArrsError> {
    let mut columns = vec![
        (
            "pcn".to_owned(),
            text(pcns.iter().map(|p| Some(p.pcn.to_string()))),
        ),
        (
            "weighted_patients".to_owned(),
            money(
                &pcns
                    .iter()
                    .map(|p| p.weighted.map(Money::from_pounds))
                    .collect::<Vec<_>>(),
            )?,
        ),
        (
            "staff".to_owned(),
            Arc::new(UInt64Array::from_iter_values(
                pcns.iter().map(|p| p.staff as u64),
            )) as ArrayRef,
        ),
        (
            "entitlement".to_owned(),
            money(&pcns.iter().map(|p| p.entitlement).collect::<Vec<_>>())?,
        ),
    ];
    columns.extend(total_columns(
        "claimed",
        &pcns.iter().map(|p| p.claimed).collect::<Vec<_>>(),
    )?);
    columns.push((
        "headroom".to_owned(),
        money(&pcns.iter().map(|p| p.headroom).collect::<Vec<_>>())?,
    ));
    columns.push((
        "headroom_at_most".to_owned(),
        money(&pcns.iter().map(|p| p.headroom_at_most).collect::<Vec<_>>())?,
    ));
    batch_owned(columns)
}

/// One row per PCN per month of `year`: `pcn`, `month`, `claimed` (null when incomplete),
/// `claimed_known`, `claimed_unknown_lines`, `status`. A month with no claim lines is a
/// complete zero (nobody in post), not a missing row.
pub fn by_month(pcns: &[PcnArrs], year: FinancialYear) -> Result<RecordBatch, ArrsError> {
    let (mut pcn, mut month, mut totals) = (vec![], vec![], vec![]);
    for p in pcns {
        for m in year.months() {
            pcn.push(Some(p.pcn.to_string()));
            month.push(Some(m.to_string()));
            totals.push(p.by_month.get(&m).copied().unwrap_or_default());
        }
    }
    let mut columns = vec![
        ("pcn".to_owned(), text(pcn)),
        ("month".to_owned(), text(month)),
    ];
    columns.extend(total_columns("claimed", &totals)?);
    batch_owned(columns)
}

/// One row per role per month across `pcns`: `role`, `month`, `claimed`, `claimed_known`,
/// `claimed_unknown_lines`, `status`.
pub fn by_role_month(pcns: &[PcnArrs]) -> Result<RecordBatch, ArrsError> {
    let mut all: std::collections::BTreeMap<(String, pcnkit_core::Month), MoneyTotal> =
        std::collections::BTreeMap::new();
    for p in pcns {
        for (key, t) in &p.by_role_month {
            let slot = all.entry(key.clone()).or_default();
            *slot = slot.checked_add(*t)?;
        }
    }
    let mut columns = vec![
        (
            "role".to_owned(),
            text(all.keys().map(|(r, _)| Some(r.as_str()))),
        ),
        (
            "month".to_owned(),
            text(all.keys().map(|(_, m)| Some(m.to_string()))),
        ),
    ];
    columns.extend(total_columns(
        "claimed",
        &all.values().copied().collect::<Vec<_>>(),
    )?);
    batch_owned(columns)
}

/// One row for a what-if: `role`, `claim_per_wte` (money; null when a figure it needs is
/// unknown), `more_wte` and `more_wte_at_most` (decimals; null when unknown) and `status`
/// (`known` when `more_wte` is, else `unknown`).
pub fn plan(role: &str, plan: &crate::claims::Plan) -> Result<RecordBatch, ArrsError> {
    let wte = |v: Option<rust_decimal::Decimal>| money(&[v.map(Money::from_pounds)]);
    batch(vec![
        ("role", text([Some(role)])),
        ("claim_per_wte", money(&[plan.claim_per_wte])?),
        ("more_wte", wte(plan.more_wte)?),
        ("more_wte_at_most", wte(plan.more_wte_at_most)?),
        (
            "status",
            text([Some(if plan.more_wte.is_some() {
                "known"
            } else {
                "unknown"
            })]),
        ),
    ])
}
