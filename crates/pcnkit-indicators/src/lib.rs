//! Population-health indicator methods (UKHSA / Fingertips) over Apache Arrow.
//!
//! The statistical methods England's public-health indicators are published with (the
//! Fingertips profiles, the PCN dashboards, JSNAs), as UKHSA's R package PHEindicatormethods
//! documents them, implemented from the formulas (no code of the GPL-licensed R package or its
//! Python port `phstatsmethods` was used), checked against the R package's reference values
//! and, in every test run, against `phstatsmethods` on 10,000 areas (agreement ≤ 1e-9
//! relative; ≈1e-15 for all but the mean, where statrs' t quantile gives ≈1e-10).
//!
//! # Overview
//!
//! - [`methods`]: one group at a time. [`proportion`] (Wilson score), [`rate`] (exact Poisson
//!   below 10 events, Byar's from 10, the small exact limits precomputed once per level in
//!   [`CountLimits`]), [`mean`] (Student's t, Welford sums), [`dsr`] (Dobson; [`ESP2013`]
//!   built in, any standard accepted; [`DsrSums::add_frequency`] for non-independent events),
//!   [`isratio`] and [`israte`], [`quantiles`] (OHID deprivation quantiles).
//! - [`sii`]: slope and relative index of inequality with a seeded Monte Carlo interval.
//! - [`funnel`]: funnel plot limits (95% and 99.8%) for proportions, ratios and rates, and
//!   each area's significance.
//! - [`life`]: life expectancy from an abridged life table (Chiang II, Silcocks variance).
//! - [`achievement`]: QOF/IIF-style achievement, points between thresholds, and payment in
//!   exact pounds, from typed indicator definitions and sourced point values.
//! - [`prevalence`]: prevalence by PCN (or any pcnkit-org roll-up) and deprivation quintile
//!   from person-level rows, and the gap between the most and least deprived.
//! - [`table`]: all of it over Arrow `RecordBatch`es grouped by key columns, with the R
//!   package's output columns (`value`, `lowercl`/`uppercl` or `lower95_0cl`… for several
//!   levels, `confidence`, `statistic`, `method`) and a `note` column saying why a value is
//!   null.
//!
//! # Deliberate choices where the peers differ (as the issue asks, recorded here)
//!
//! - A count of 0 gives a rate or ratio of 0 with lower limit 0 and a finite upper limit, as
//!   the R package does (the Python port raises an error).
//! - A DSR with fewer than 10 events has a null value and limits with the note "dsr not
//!   calculated for a total count below 10", never NaN; a standard population summing to 0
//!   likewise gives a null with a note.
//! - A null (or NaN: Arrow's float NaN is read as missing, as pandas and R treat it) numerator
//!   or denominator makes its group's value null with a note (R's `sum` keeps NA); DSR and ISR
//!   counts that are missing are taken as 0, as both peers do. Infinite values are a typed
//!   error.
//! - Means accept negative values (R does; the Python port rejects them) and need group
//!   columns in the table form.
//! - Confidence levels: any number of levels in [0.9, 1), or a percentage in [90, 100) as R
//!   accepts; duplicates (to 4 decimal places) are an error.
//! - The SII interval is simulated from a seeded ChaCha8 generator: reproducible from the seed,
//!   equal to R's to simulation error, not draw for draw.
//! - Funnel ratio limits are drawn against the expected count; R's "count" ratio type, which
//!   subtracts 1, is not offered (see [`funnel`]).
//! - Distributions come from `statrs`; its chi-square and normal quantiles meet the R reference
//!   values to a relative 1e-9 (tested).
//!
//! # Performance
//!
//! One pass over the input: sorted (clustered) keys are found by comparing each row with the
//! previous one, new keys by hashing in place; a group is remembered by its first row, and
//! methods write straight into the output columns. Key-change marking, DSR accumulation and
//! prevalence counting run on all cores (rayon). 10,000 areas × 19 bands: DSR ~4–6 ms, crude
//! rate and proportion ~2–3 ms, about a thousand times `phstatsmethods`; 60 million person rows
//! by PCN × quintile ~0.13 s (`BENCHMARKS.md`).
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
//! Over Arrow, directly standardised rates per area with two confidence levels:
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{Int64Array, RecordBatch, StringArray};
//! use pcnkit_indicators::{dsr_table, Confidence, Standard};
//! let bands = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
//!     "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+"];
//! let batch = RecordBatch::try_from_iter([
//!     ("area", Arc::new(StringArray::from(vec!["E1"; 19])) as _),
//!     ("age_band", Arc::new(StringArray::from(bands.to_vec())) as _),
//!     ("deaths", Arc::new(Int64Array::from_iter_values((1..=19).map(|i| i * 3))) as _),
//!     ("population", Arc::new(Int64Array::from(vec![10_000; 19])) as _),
//! ])?;
//! let out = dsr_table(&[batch], "deaths", "population", Standard::Esp2013 { age_band: "age_band" },
//!     &["area"], &[Confidence::C95, Confidence::C998], 100_000.0)?;
//! assert_eq!(out.num_rows(), 1);
//! assert!(out.column_by_name("lower99_8cl").is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate features
//!
//! None.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod achievement;
pub mod counts;
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
    quantile_table, rate_table, sii_table, sum_by, varying_text_columns,
};
