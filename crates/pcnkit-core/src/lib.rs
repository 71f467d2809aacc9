//! The shared vocabulary of pcnkit: typed, validated building blocks for England's primary care.
//!
//! # Overview
//!
//! Every pcnkit domain crate (organisation, ARRS, indicators, community assets) speaks in these
//! types, so a practice code read from an ODS file, a financial year in an ARRS rule table and a
//! month in a claim are the same values everywhere:
//!
//! - **Codes** ([`codes`]): [`PracticeCode`], [`PcnCode`], [`IcbCode`], [`SubIcbCode`],
//!   [`RegionCode`], [`OdsCode`] and the ONS area codes [`LsoaCode`], [`LocalAuthorityCode`],
//!   [`OnsIcbCode`], [`OnsSubIcbCode`], [`OnsRegionCode`], and [`Postcode`]. Each validates on construction and
//!   says what it expected when it rejects.
//! - **Time** ([`period`]): [`FinancialYear`] (April to March), [`Month`], and [`Period`] with
//!   explicit inclusive/exclusive ends; [`parse_nhs_date`] for the date forms NHS files use.
//! - **Quantities**: [`Money`] (pounds on `rust_decimal`, checked arithmetic, named
//!   [`Rounding`]), [`Wte`] with its [`HoursBasis`], [`PatientCount`].
//! - **Demographics** ([`demographics`]): [`AgeBand`], [`AgeBandScheme`] (single years,
//!   five-year bands, ESP2013's 19 bands, custom), [`Sex`] (with an unknown value kept).
//! - **Errors** ([`error`]): [`CoreError`] for values, and [`DataError`] with a
//!   [`SourceLocation`] (file, line, field) for data files.
//! - **Interchange**: [`arrow`] converts any record type to and from an Arrow `RecordBatch`;
//!   [`json`] produces JSON Schemas.
//!
//! # Examples
//!
//! Validate codes and work with a financial year:
//!
//! ```
//! use pcnkit_core::{FinancialYear, Money, PcnCode, PracticeCode, Rounding, Wte};
//! use rust_decimal::Decimal;
//!
//! let practice: PracticeCode = "A81001".parse()?;
//! let pcn: PcnCode = "U89141".parse()?;
//! assert!("U".parse::<PcnCode>().is_err()); // "not in a PCN" is not a PCN
//!
//! let year: FinancialYear = "2025/26".parse()?;
//! assert_eq!(year.months().count(), 12);
//!
//! // 0.6 WTE of a £45,000 post for the 30 days of April out of 365 in the year:
//! let wte: Wte = "0.6".parse()?;
//! let annual: Money = "45000".parse()?;
//! let april = annual
//!     .checked_mul(wte.value())?
//!     .checked_mul(Decimal::from(30))?
//!     .checked_div(Decimal::from(year.days()))?;
//! assert_eq!(april.round_to_penny(Rounding::HalfUp).to_string(), "£2,219.18");
//! # let _ = (practice, pcn);
//! # Ok::<(), pcnkit_core::CoreError>(())
//! ```
//!
//! # Crate features
//!
//! None: everything is always available.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod arrow;
pub mod codes;
pub mod demographics;
pub mod deprivation;
pub mod error;
pub mod finding;
pub mod json;
pub mod money;
pub mod period;
pub mod quantity;
pub mod read;
pub mod write;

pub use codes::{
    IcbCode, LocalAuthorityCode, LsoaCode, OdsCode, OnsIcbCode, OnsRegionCode, OnsSubIcbCode,
    PcnCode, Postcode, PracticeCode, RegionCode, SubIcbCode,
};
pub use demographics::{AgeBand, AgeBandScheme, Sex};
pub use deprivation::{ImdDecile, ImdQuintile, ImdRelease};
pub use error::{CodeKind, CoreError, DataError, DataErrorKind, SourceLocation};
pub use finding::{Finding, Severity, findings_table};
pub use money::{Money, MoneyTotal, Rounding, group_thousands};
pub use period::{FinancialYear, Month, Period, parse_nhs_date};
pub use quantity::{HoursBasis, PatientCount, Wte};
