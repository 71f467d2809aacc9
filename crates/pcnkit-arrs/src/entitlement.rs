//! Entitlement: the ARRS sum and every other payment of a year for one PCN, each line with its
//! rule, the population it used and where the rate comes from.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcnkit_core::{FinancialYear, Money, PcnCode, Period};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::ArrsError;
use crate::rules::{Basis, Per, Provenance, Rate, Recipient, RuleBook};

/// What the engine needs to know about a PCN: its populations at the snapshot date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PcnInputs {
    /// The PCN, if known (claims for staff of another PCN are refused).
    pub pcn: Option<PcnCode>,
    /// Registered list size.
    pub registered: Option<Decimal>,
    /// Contractor weighted population (fractional, as published).
    pub weighted: Option<Decimal>,
    /// PCN adjusted population.
    pub adjusted: Option<Decimal>,
    /// Care home beds aligned to the PCN.
    pub care_home_beds: Option<Decimal>,
    /// IIF points achieved.
    pub iif_points: Option<Decimal>,
    /// ARRS sums published for this PCN, by pool id (`main`, `gp`): used instead of the
    /// calculation when given.
    pub published_sums: BTreeMap<String, Money>,
}

impl PcnInputs {
    /// Inputs with only a weighted population.
    pub fn weighted(weighted: Decimal) -> Self {
        PcnInputs {
            weighted: Some(weighted),
            ..PcnInputs::default()
        }
    }

    fn population(&self, basis: Basis) -> Option<Decimal> {
        match basis {
            Basis::Registered => self.registered,
            Basis::Weighted => self.weighted,
            Basis::Adjusted => self.adjusted,
            Basis::Beds => self.care_home_beds,
            Basis::Points => self.iif_points,
        }
    }
}

/// One line of an entitlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EntitlementLine {
    /// Pool or payment id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Who receives it.
    pub recipient: Recipient,
    /// The population it multiplies.
    pub basis: Basis,
    /// That population, if given.
    pub population: Option<Decimal>,
    /// The rate, if found.
    pub rate: Option<Decimal>,
    /// What time the rate covers.
    pub per: Per,
    /// The days it covers.
    pub covered: Period,
    /// The multiplier for time: days covered / days in the year (per year), whole months (per
    /// month), or 1 (per period or unit).
    pub time_factor: Decimal,
    /// rate × population × time factor, unrounded; `None` if the rate or population is missing.
    pub amount: Option<Money>,
    /// Where the rate comes from.
    pub provenance: Provenance,
    /// The calculation in words.
    pub explanation: String,
}

/// The ARRS money of one pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PoolEntitlement {
    /// Pool id.
    pub pool: String,
    /// Name.
    pub name: String,
    /// The sum, if it can be worked out (or was given).
    pub amount: Option<Money>,
    /// Whether `amount` is a published figure given in the inputs.
    pub published: bool,
    /// The calculation lines.
    pub lines: Vec<EntitlementLine>,
}

/// A PCN's entitlement for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Entitlement {
    /// The year.
    pub year: FinancialYear,
    /// The population snapshot date the inputs should be taken at (`None` when the year's rules
    /// do not give it: see the rule's note in [`RuleBook::figures`](crate::RuleBook::figures)).
    pub snapshot_date: Option<NaiveDate>,
    /// ARRS pools.
    pub arrs: Vec<PoolEntitlement>,
    /// Every other payment line.
    pub payments: Vec<EntitlementLine>,
    /// What could not be worked out, and why.
    pub warnings: Vec<String>,
}

impl Entitlement {
    /// The ARRS sum of a pool, if known.
    pub fn arrs_sum(&self, pool: &str) -> Option<Money> {
        self.arrs
            .iter()
            .find(|p| p.pool == pool)
            .and_then(|p| p.amount)
    }
}

/// Options for [`entitlement`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EntitlementOptions {
    /// Use only rule revisions published on or before this date (e.g. "as known in June 2024",
    /// before the September 2024 back-dated revision). `None` = the latest.
    pub as_known_on: Option<NaiveDate>,
}

impl EntitlementOptions {
    /// Rules as known on a date.
    pub fn as_known_on(date: NaiveDate) -> Self {
        EntitlementOptions {
            as_known_on: Some(date),
        }
    }
}

/// The rates of one payment that apply: those published by `as_known_on`, and of those only the
/// latest revision (a revision replaces the whole payment, all its parts).
pub(crate) fn current_rates(rates: &[Rate], as_known_on: Option<NaiveDate>) -> Vec<&Rate> {
    let known: Vec<&Rate> = rates
        .iter()
        .filter(|r| match (r.published, as_known_on) {
            (Some(p), Some(k)) => p <= k,
            _ => true,
        })
        .collect();
    let latest = known.iter().map(|r| r.published).max().flatten();
    known
        .into_iter()
        .filter(|r| r.published == latest)
        .collect()
}

/// Works out the ARRS sum(s) and every other payment of `year` for a PCN.
///
/// ```
/// use pcnkit_arrs::{entitlement, EntitlementOptions, PcnInputs, RuleBook};
/// use rust_decimal::Decimal;
/// let book = RuleBook::builtin();
/// let e = entitlement(book, "2025/26".parse()?, &PcnInputs::weighted(Decimal::from(30_000)), EntitlementOptions::default())?;
/// // Management in Practice's published 2025/26 example: 30,000 weighted patients, £798,930.
/// assert_eq!(e.arrs_sum("main").map(|m| m.to_string()), Some("£798,930.000".to_owned()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn entitlement(
    book: &RuleBook,
    year: FinancialYear,
    inputs: &PcnInputs,
    options: EntitlementOptions,
) -> Result<Entitlement, ArrsError> {
    // Populations, beds and points are counts: a negative one is bad input, never a negative
    // payment.
    for (what, value) in [
        ("registered list size", inputs.registered),
        ("weighted population", inputs.weighted),
        ("adjusted population", inputs.adjusted),
        ("care home beds", inputs.care_home_beds),
        ("IIF points", inputs.iif_points),
    ] {
        if let Some(v) = value.filter(|v| v.is_sign_negative() && !v.is_zero()) {
            return Err(ArrsError::Invalid(format!(
                "{what} cannot be negative (found {v})"
            )));
        }
    }
    let set = book.year(year)?;
    let mut warnings = Vec::new();
    let mut arrs = Vec::new();
    for pool in &set.pools {
        let lines: Vec<EntitlementLine> = current_rates(&pool.rates, options.as_known_on)
            .into_iter()
            .map(|r| {
                rate_line(
                    book,
                    year,
                    Payee {
                        id: &pool.id,
                        name: &pool.name,
                        recipient: Recipient::Pcn,
                    },
                    r,
                    inputs,
                    &mut warnings,
                )
            })
            .collect::<Result<_, _>>()?;
        let (amount, published) = match inputs.published_sums.get(&pool.id) {
            Some(m) => (Some(*m), true),
            None if lines.is_empty() => {
                warnings.push(format!(
                    "{}: {}",
                    pool.name,
                    pool.note.as_deref().unwrap_or("no population-based sum")
                ));
                (None, false)
            }
            None => (sum_lines(&lines)?, false),
        };
        arrs.push(PoolEntitlement {
            pool: pool.id.clone(),
            name: pool.name.clone(),
            amount,
            published,
            lines,
        });
    }
    let mut payments = Vec::new();
    for p in &set.payments {
        for r in current_rates(&p.rates, options.as_known_on) {
            payments.push(rate_line(
                book,
                year,
                Payee {
                    id: &p.id,
                    name: &p.name,
                    recipient: p.recipient,
                },
                r,
                inputs,
                &mut warnings,
            )?);
        }
    }
    Ok(Entitlement {
        year,
        snapshot_date: set.snapshot.date,
        arrs,
        payments,
        warnings,
    })
}

fn sum_lines(lines: &[EntitlementLine]) -> Result<Option<Money>, ArrsError> {
    let amounts: Option<Vec<Money>> = lines.iter().map(|l| l.amount).collect();
    amounts.map(Money::sum).transpose().map_err(ArrsError::from)
}

/// Which pool or payment a rate line is for, and who receives it.
struct Payee<'a> {
    id: &'a str,
    name: &'a str,
    recipient: Recipient,
}

fn rate_line(
    book: &RuleBook,
    year: FinancialYear,
    payee: Payee<'_>,
    rate: &Rate,
    inputs: &PcnInputs,
    warnings: &mut Vec<String>,
) -> Result<EntitlementLine, ArrsError> {
    let Payee {
        id,
        name,
        recipient,
    } = payee;
    let start = rate.effective_from.unwrap_or(year.first_day());
    let end = rate.effective_to.unwrap_or(year.last_day());
    let covered = Period::new(start, Some(end))?;
    let days = Decimal::from(covered.days().unwrap_or(0));
    let time_factor = match rate.per {
        Per::Year => days / Decimal::from(year.days()),
        Per::Month => Decimal::from(whole_months(covered)),
        Per::Period | Per::Unit => Decimal::ONE,
    };
    let population = inputs.population(rate.basis);
    let amount = match (rate.amount, population) {
        (Some(r), Some(p)) => Some(
            Money::from_pounds(r)
                .checked_mul(p)?
                .checked_mul(time_factor)?,
        ),
        (None, _) => {
            warnings.push(format!(
                "{name}: rate not found ({})",
                rate.note.as_deref().unwrap_or("NF")
            ));
            None
        }
        (Some(_), None) => {
            warnings.push(format!("{name}: needs the PCN's {}", rate.basis));
            None
        }
    };
    let explanation = match (rate.amount, population, amount) {
        (Some(r), Some(p), Some(a)) => format!(
            "£{r} per {} × {p} {}{} = {}",
            singular(rate.basis),
            rate.basis,
            match rate.per {
                Per::Year if time_factor != Decimal::ONE =>
                    format!(" × {}/{} days ({covered})", days, year.days()),
                Per::Month => format!(" × {time_factor} months"),
                Per::Period => format!(" for {covered}"),
                _ => String::new(),
            },
            a.round_to_penny(pcnkit_core::Rounding::HalfUp)
        ),
        _ => "not worked out: see warnings".to_owned(),
    };
    Ok(EntitlementLine {
        id: id.to_owned(),
        name: name.to_owned(),
        recipient,
        basis: rate.basis,
        population,
        rate: rate.amount,
        per: rate.per,
        covered,
        time_factor,
        amount,
        provenance: book.provenance(&rate.figure()),
        explanation,
    })
}

fn singular(basis: Basis) -> &'static str {
    match basis {
        Basis::Registered | Basis::Weighted => "patient",
        Basis::Adjusted => "head of adjusted population",
        Basis::Beds => "bed",
        Basis::Points => "point",
    }
}

/// Whole calendar months inside a period.
fn whole_months(p: Period) -> u32 {
    let Ok(first) = pcnkit_core::Month::of(p.start()) else {
        return 0;
    };
    let mut n = 0;
    let mut m = first;
    for _ in 0..1200 {
        if m.first_day() >= p.start() && p.end_inclusive().is_some_and(|e| m.last_day() <= e) {
            n += 1;
        }
        if p.end_inclusive().is_none_or(|e| m.last_day() >= e) {
            break;
        }
        m = m.next();
    }
    n
}
