//! The Additional Roles Reimbursement Scheme (ARRS) and the other Network Contract DES payments
//! as versioned, sourced rule tables, and an engine that answers a PCN's questions: what are we
//! entitled to, what can we claim this month, how much headroom is left, what if we hire.
//!
//! # Overview
//!
//! - **Rule tables** ([`rules`]): one TOML file per financial year, 2019/20 to 2026/27, baked
//!   into the crate (`rules/*.toml`) and checked when loaded. Every figure — an ARRS rate per
//!   weighted patient, a role's maximum per WTE (national, outer and inner London), a
//!   reimbursement percentage, a WTE cap, a payment rate — carries its confidence mark and the
//!   documents it comes from. A figure the sources did not give (NF) is present with no amount
//!   and a note, never guessed; results that need it say so. Mid-year changes are
//!   `effective_from` dates; back-dated revisions carry the date they were `published`, so you can
//!   ask for the rules as known on a date. [`RuleBook::figures`] lists every figure of a year with
//!   its provenance; [`RuleBook::with_local_variation`] applies an ICB's Local Variation
//!   Arrangement (from 2026/27) to a year's national rules, and [`RuleBook::with_year_toml`]
//!   loads a whole year of one's own or a proposal (e.g. a new reimbursable role). In 2026/27
//!   most figures are NF (the DES tables were not found): the year records what changed (CASP
//!   and CAIP gone, any GP reimbursable, the mental health practitioner tables) and answers
//!   "unknown, because …" rather than carrying 2025/26 figures forward.
//! - **Entitlement** ([`entitlement()`]): the ARRS sum(s) from the weighted population at the
//!   snapshot date (or a published sum given directly), plus every other payment (core PCN
//!   funding, Clinical Director, enhanced access, Care Home Premium, capacity and access, IIF
//!   point value, network participation), each line with its rule, the population it used and
//!   the calculation in words.
//! - **Claims** ([`claims()`]): per staff member per calendar month, the actual employment cost
//!   capped at the role maximum pro rata to WTE and to the days employed (see the
//!   [`claims` module docs](mod@crate::claims) for the day-count method, which the sources do not
//!   settle), times the reimbursement percentage; eligibility (additionality baseline, GPs within
//!   two years of CCT, nurses new to the PCN, mental health provider agreements), role WTE caps
//!   dependent on list size, and the total capped at the entitlement. Every line can carry an
//!   explain trace, built when asked for ([`claims_with`] and [`ClaimsOptions::explained`]):
//!   the words cost more than the arithmetic, so a national run leaves them out.
//! - **Plans** ([`plan()`]): a forecast over current and planned posts, the headroom left, and
//!   how many more WTE of a role fit.
//!
//! Amounts are [`Money`](pcnkit_core::Money) and kept unrounded; round for display with a named
//! [`Rounding`](pcnkit_core::Rounding).
//!
//! Other schemes (e.g. community pharmacy fees) fit the same shape — pools, roles, payments with
//! rates on a basis — as further rule files, without changing the engine.
//!
//! # Examples
//!
//! The published 2025/26 worked example (Management in Practice, "Practice income calculator for
//! 2025/26 released"): 30,000 weighted patients give an ARRS sum of £798,930.
//!
//! ```
//! use chrono::NaiveDate;
//! use pcnkit_arrs::{claims, claims_with, entitlement, plan, ClaimsOptions, EntitlementOptions, Hire, PcnInputs, RuleBook, StaffMember};
//! use pcnkit_core::Rounding;
//! use rust_decimal::Decimal;
//!
//! let book = RuleBook::builtin();
//! let year = "2025/26".parse()?;
//! let pcn = PcnInputs::weighted(Decimal::from(30_000));
//! let e = entitlement(book, year, &pcn, EntitlementOptions::default())?;
//! assert_eq!(e.arrs_sum("main").map(|m| m.round_to_penny(Rounding::HalfUp).to_string()), Some("£798,930.00".into()));
//!
//! let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
//! let staff = [StaffMember::new("CP1", "clinical_pharmacist", "0.8".parse()?, day(4, 1), "52000".parse()?)];
//! let report = claims(book, year, &pcn, &e, &staff)?;
//! let explained = claims_with(book, year, &pcn, &e, &staff, ClaimsOptions::explained())?;
//! println!("{}", explained.lines[0].trace.as_deref().unwrap_or_default().join("\n")); // how April's claim was worked out
//!
//! let hire = Hire::new("pharmacy_technician", "41000".parse()?, day(10, 1));
//! let what_if = plan(book, year, &pcn, &e, &staff, Some(&hire))?;
//! assert!(what_if.more_wte.unwrap() > Decimal::from(30));      // plenty of headroom left
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Data provenance
//!
//! The figures were gathered in `pcn-contract-facts.md` from NHS England pages, Hansard, BMA and
//! LMC guidance and the trade press; the NHS England DES specification PDFs themselves were not
//! available, so most figures are marked S (one secondary source) or S2 (two agree). Check them
//! against the DES of each year before relying on them for payment.
//!
//! # Crate features
//!
//! None.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod claims;
pub mod entitlement;
pub mod error;
pub mod rules;
pub mod table;
pub mod workforce;

pub use claims::{
    Area, ClaimLine, ClaimsOptions, ClaimsReport, Finding, Hire, Plan, PoolUse, StaffError,
    StaffMember, claims, claims_with, plan,
};
pub use entitlement::{
    Entitlement, EntitlementLine, EntitlementOptions, PcnInputs, PoolEntitlement, entitlement,
};
pub use error::ArrsError;
pub use rules::RuleBook;
pub use workforce::{
    PcnArrs, STAFF_COLUMNS, StaffFieldError, StaffTableChecks, UnknownClaim, read_staff, summarise,
};
