//! Community pharmacy as a partner of its PCNs: the services practices refer into, as payment
//! rules with provenance, and what an ICB's referrals would pay its pharmacies.
//!
//! A scheme ([`Scheme`]) pays a fee per unit of service (a completed consultation), by the dates
//! each fee applied; every fee is a [`Figure`] with its confidence and sources, as the ARRS
//! rules' are, and a fee not found is absent with a note. The built-in schemes
//! ([`PharmacySchemes::builtin`], `data/pharmacy-schemes.toml`) are the Community Pharmacist
//! Consultation Service (£14 a completed consultation from 29 October 2019, the 2019
//! framework's harmonised fee) and Pharmacy First (£15 a consultation at its launch on
//! 31 January 2024); other schemes are rule data in the same format
//! ([`PharmacySchemes::from_toml`]), not code.
//!
//! [`estimate`]: consultations (given, or a referral rate per 1,000 registered patients a year
//! that the ICB sets: pcnkit has no sourced rate) × the fee of the financial year. A year the
//! scheme's fee is unknown, changes within, or the scheme does not run is an estimate of `None`
//! with the reason, never £0.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcnkit_arrs::rules::{Confidence, Figure, Source};
use pcnkit_core::{FinancialYear, Money};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::error::PlanError;

/// The built-in schemes' rule file.
const BUILTIN: &str = include_str!("../data/pharmacy-schemes.toml");

/// A date with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SourcedDate {
    /// The date.
    pub date: NaiveDate,
    /// How sure it is.
    pub confidence: Option<Confidence>,
    /// Keys into the source list.
    #[serde(default)]
    pub sources: Vec<String>,
    /// A note.
    pub note: Option<String>,
}

/// A fee from a date (until the next fee's date, or the scheme's end).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FeePeriod {
    /// The first day it applies.
    pub effective_from: NaiveDate,
    /// The fee per unit, pounds, with its provenance (`amount` absent when not found).
    pub fee: Figure,
}

/// A pharmacy service paid per unit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Scheme {
    /// Stable id (`cpcs`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// What one fee pays for (`completed consultation`).
    pub unit: String,
    /// The first day it ran.
    pub starts: SourcedDate,
    /// Its last day, if it has ended.
    pub ends: Option<SourcedDate>,
    /// Its fees, in date order.
    pub fees: Vec<FeePeriod>,
}

/// The fee of a scheme for a financial year, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum YearFee {
    /// One fee for every day the scheme ran in the year, with the days it ran.
    Fee {
        /// The fee period.
        period: FeePeriod,
        /// The amount.
        amount: Money,
        /// Days of the year the scheme ran.
        days: i64,
    },
    /// No single fee: the reason.
    Unknown(String),
}

impl Scheme {
    /// The scheme's fee in `year` (see [`YearFee`]).
    pub fn fee_in(&self, year: FinancialYear) -> YearFee {
        let (y0, y1) = (year.first_day(), year.last_day());
        let first = self.starts.date.max(y0);
        let last = self.ends.as_ref().map_or(y1, |e| e.date.min(y1));
        if first > last {
            return YearFee::Unknown(format!("{} did not run in {year}", self.name));
        }
        // The periods that overlap [first, last]: each runs to the day before the next one.
        let mut hits = Vec::new();
        for (i, p) in self.fees.iter().enumerate() {
            let to = self
                .fees
                .get(i + 1)
                .and_then(|n| n.effective_from.pred_opt())
                .unwrap_or(NaiveDate::MAX);
            if p.effective_from <= last && to >= first {
                hits.push(p);
            }
        }
        let days = (last - first).num_days() + 1;
        match hits.as_slice() {
            [] => YearFee::Unknown(format!("{}: no fee is set for {year}", self.name)),
            [p] if p.effective_from <= first => match p.fee.amount {
                Some(a) => YearFee::Fee {
                    period: (*p).clone(),
                    amount: Money::from_pounds(a),
                    days,
                },
                None => YearFee::Unknown(format!(
                    "{}: the fee for {year} is not known ({})",
                    self.name,
                    p.fee.note.as_deref().unwrap_or("not found")
                )),
            },
            [_] => YearFee::Unknown(format!(
                "{}: no fee is set for the start of {year}",
                self.name
            )),
            _ => YearFee::Unknown(format!(
                "{}: the fee changed within {year}; estimate each period from its own consultations",
                self.name
            )),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemeFile {
    #[serde(default)]
    sources: BTreeMap<String, Source>,
    schemes: Vec<Scheme>,
}

/// Pharmacy schemes with the sources they cite.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PharmacySchemes {
    /// Sources by key.
    pub sources: BTreeMap<String, Source>,
    /// The schemes.
    pub schemes: Vec<Scheme>,
}

impl PharmacySchemes {
    /// The built-in schemes (CPCS and Pharmacy First).
    pub fn builtin() -> Result<Self, PlanError> {
        Self::from_toml("pharmacy-schemes.toml", BUILTIN)
    }

    /// Schemes from a rule file's text (`name` for messages). Every cited source must be
    /// listed, every fee dated in order and within its scheme, and every found fee carry a
    /// confidence and a source.
    pub fn from_toml(name: &str, text: &str) -> Result<Self, PlanError> {
        let file: SchemeFile = toml::from_str(text)
            .map_err(|e| PlanError::Invalid(format!("{name}: {}", e.message())))?;
        let out = PharmacySchemes {
            sources: file.sources,
            schemes: file.schemes,
        };
        out.check(name)?;
        Ok(out)
    }

    fn check(&self, name: &str) -> Result<(), PlanError> {
        let bad = |what: String| Err(PlanError::Invalid(format!("{name}: {what}")));
        let mut ids = std::collections::BTreeSet::new();
        for s in &self.schemes {
            if !ids.insert(s.id.as_str()) {
                return bad(format!("scheme {} is given twice", s.id));
            }
            let cited = s
                .fees
                .iter()
                .flat_map(|f| &f.fee.sources)
                .chain(&s.starts.sources)
                .chain(s.ends.iter().flat_map(|e| &e.sources));
            for key in cited {
                if !self.sources.contains_key(key) {
                    return bad(format!("{}: source {key} is not in [sources]", s.id));
                }
            }
            if s.fees.is_empty() {
                return bad(format!("{}: no fees", s.id));
            }
            for w in s.fees.windows(2) {
                if w[0].effective_from >= w[1].effective_from {
                    return bad(format!("{}: fees must be in date order", s.id));
                }
            }
            for f in &s.fees {
                if f.effective_from < s.starts.date
                    || s.ends.as_ref().is_some_and(|e| f.effective_from > e.date)
                {
                    return bad(format!(
                        "{}: a fee from {} is outside the scheme's dates",
                        s.id, f.effective_from
                    ));
                }
                if let Some(a) = f.fee.amount {
                    if a < Decimal::ZERO {
                        return bad(format!("{}: a fee of {a} is below 0", s.id));
                    }
                    if f.fee.confidence.is_none() || f.fee.sources.is_empty() {
                        return bad(format!(
                            "{}: the fee from {} needs a confidence and a source",
                            s.id, f.effective_from
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The scheme with `id`.
    pub fn get(&self, id: &str) -> Result<&Scheme, PlanError> {
        self.schemes.iter().find(|s| s.id == id).ok_or_else(|| {
            PlanError::Invalid(format!(
                "no pharmacy scheme {id:?}: the schemes are {}",
                self.schemes
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    /// A figure's sources as `title (url)`, joined by `; `, for outputs.
    pub fn cite(&self, figure: &Figure) -> String {
        figure
            .sources
            .iter()
            .filter_map(|k| self.sources.get(k))
            .map(|s| match &s.url {
                Some(u) => format!("{} ({u})", s.title),
                None => s.title.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// How many units a PCN's practices refer in a year.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Referrals {
    /// A count the ICB gives.
    Count(Decimal),
    /// A rate per 1,000 registered patients a year (the ICB's; no sourced rate).
    Per1000(Decimal),
}

/// What a PCN's referrals would pay its pharmacies in a year.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PaymentEstimate {
    /// Units referred (from the count, or the rate × patients ÷ 1,000; not rounded).
    pub units: Option<Decimal>,
    /// The fee per unit.
    pub fee: Option<Money>,
    /// Units × fee; `None` when either is unknown.
    pub payment: Option<Money>,
    /// The fee's confidence.
    pub confidence: Option<Confidence>,
    /// The fee's sources, `title (url)`.
    pub source: String,
    /// Why a figure is missing, or what to know about it.
    pub note: Option<String>,
}

/// The payment for `referrals` (a PCN of `patients`, when known) under `scheme` in `year`.
pub fn estimate(
    schemes: &PharmacySchemes,
    scheme: &Scheme,
    year: FinancialYear,
    referrals: Referrals,
    patients: Option<u64>,
) -> Result<PaymentEstimate, PlanError> {
    let mut units = match referrals {
        Referrals::Count(n) if n >= Decimal::ZERO => Some(n),
        Referrals::Per1000(r) if r >= Decimal::ZERO => patients
            .map(|p| {
                Decimal::from(p)
                    .checked_mul(r)
                    .map(|x| x / Decimal::from(1000))
                    .ok_or_else(|| PlanError::Invalid(format!("{p} patients × {r} overflows")))
            })
            .transpose()?,
        _ => {
            return Err(PlanError::Invalid(
                "referrals must be zero or more".to_owned(),
            ));
        }
    };
    let mut note = match (referrals, patients) {
        (Referrals::Per1000(_), None) => {
            Some("registered patients unknown, so the referrals from the rate are too".to_owned())
        }
        _ => None,
    };
    let (fee, confidence, source) = match scheme.fee_in(year) {
        YearFee::Fee {
            period,
            amount,
            days,
        } => {
            let whole = (year.last_day() - year.first_day()).num_days() + 1;
            if days < whole {
                match referrals {
                    // A yearly rate, over the days the scheme ran: never a whole year's
                    // referrals at a fee that applied for part of it.
                    Referrals::Per1000(_) => {
                        units = units.map(|u| u * Decimal::from(days) / Decimal::from(whole));
                        note.get_or_insert_with(|| {
                            format!(
                                "{} ran {days} of the {whole} days of {year}: the yearly rate is taken over those days",
                                scheme.name
                            )
                        });
                    }
                    Referrals::Count(_) => {
                        note.get_or_insert_with(|| {
                            format!(
                                "{} ran {days} of the {whole} days of {year}: the count given is taken as those days' referrals",
                                scheme.name
                            )
                        });
                    }
                }
            }
            (
                Some(amount),
                period.fee.confidence,
                schemes.cite(&period.fee),
            )
        }
        YearFee::Unknown(why) => {
            note = Some(why);
            (None, None, String::new())
        }
    };
    let payment = match (units, fee) {
        (Some(u), Some(f)) => Some(
            f.checked_mul(u)
                .map_err(|e| PlanError::Invalid(e.to_string()))?,
        ),
        _ => None,
    };
    Ok(PaymentEstimate {
        units,
        fee,
        payment,
        confidence,
        source,
        note,
    })
}
