//! Population-health indicator methods (UKHSA / Fingertips) over Apache Arrow.
//!
//! **Status: in progress.** This crate implements the core methods and the Arrow engine for
//! proportions, crude rates and directly standardised rates. Slope index of inequality, funnel
//! limits, life expectancy, QOF/IIF achievement, a faster allocation-free group-by, the
//! benchmark against `phstatsmethods` and fuzz targets are still to come (see the project's
//! issue on this crate).
//!
//! # Overview
//!
//! - [`methods`]: one group at a time. [`proportion`] (Wilson score), [`rate`] (exact Poisson
//!   below 10 events, Byar's from 10, with the small exact limits precomputed once per level in
//!   [`CountLimits`]), [`mean`] (Student's t), [`dsr`] (Dobson; [`ESP2013`] built in, any
//!   standard accepted), [`isratio`] and [`israte`] (indirect standardisation), [`quantiles`]
//!   (OHID deprivation quantiles, with inverted polarity).
//! - [`table`]: the same over Arrow `RecordBatch`es grouped by key columns, with the R package's
//!   output columns (`value`, `lowercl`/`uppercl` or `lower95_0cl`… for several levels,
//!   `confidence`, `statistic`, `method`) and a `note` column saying why a value is null.
//!
//! Deliberate choices where the peers differ (recorded here as the issue asks):
//! - A count of 0 gives a rate or ratio of 0 with lower limit 0 and a finite upper limit, as the
//!   R package does (the Python port raises an error).
//! - A DSR with fewer than 10 events has a null value and limits with the note "dsr not
//!   calculated for a total count below 10", never NaN.
//! - A null numerator or denominator makes its group's value null with a note (R's `sum`
//!   keeps NA); DSR counts that are null are taken as 0, as both peers do.
//! - Confidence levels: any in [0.9, 1), or a percentage in [90, 100) as R accepts; duplicates
//!   (to 4 decimal places) are an error.
//! - Distributions come from `statrs`; its chi-square and normal quantiles meet the R reference
//!   values to a relative 1e-9 (tested).
//!
//! # Examples
//!
//! ```
//! use pcnkit_indicators::{proportion, rate, Confidence, CountLimits};
//! let levels = [Confidence::C95, Confidence::C998];
//! let p = proportion(65.0, 100.0, &levels, 100.0)?;           // a percentage
//! assert_eq!(p.value, Some(65.0));
//! let limits = CountLimits::new(&levels);
//! let r = rate(0.0, 1_000.0, &limits, 100_000.0)?;             // 0 events: finite upper limit
//! assert_eq!(r.lower[0], Some(0.0));
//! assert!((r.upper[0].unwrap() / 368.8879454113935 - 1.0).abs() < 1e-9);  // R reference value
//! # Ok::<(), pcnkit_indicators::IndicatorError>(())
//! ```
//!
//! # Crate features
//!
//! None.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod achievement;
pub mod error;
pub mod funnel;
pub mod life;
pub mod methods;
pub mod prevalence;
pub mod sii;
pub mod table;

pub use error::IndicatorError;
pub use methods::{
    Confidence, CountLimits, DsrSums, ESP2013, Estimate, MeanSums, Method, byars_limits, dsr,
    exact_limits, israte, isratio, mean, proportion, quantiles, rate, wilson,
};
pub use table::{
    Indirect, SiiErrors, Standard, dsr_table, dsr_table_events, funnel_limits_table,
    funnel_significance_table, isr_table, life_expectancy_table, mean_table, proportion_table,
    quantile_table, rate_table, sii_table,
};
