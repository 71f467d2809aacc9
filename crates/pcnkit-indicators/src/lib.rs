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
//! - [`prevalence`]: prevalence by PCN (or any roll-up of practices) and deprivation quintile
//!   from person-level rows, and the gap between the most and least deprived.
//! - [`request`]: every method as one owned, serialisable request (the HTTP API's JSON, R's
//!   argument lists), with the specs' defaults.
//! - [`table`]: all of it over Arrow `RecordBatch`es grouped by key columns, with the R
//!   package's output columns (`value`, `lowercl`/`uppercl` or `lower95_0cl`… for several
//!   levels, `confidence`, `statistic`, `method`) and a `note` column saying why a value is
//!   null.
//!
//! # Deliberate choices where the peers differ
//!
//! A count of 0 gives 0 with a finite upper limit (as R); a DSR below 10 events is null with a
//! note; NaN is read as missing; missing DSR and ISR counts are null (R takes them as 0); means
//! accept negative values; duplicated confidence levels are an error; the SII interval is
//! seeded, not R's random stream; ratio funnels are drawn against the expected count. The
//! reasons for each are in the repository's `DESIGN.md`.
//!
//! # One bad group does not sink a grouped call
//!
//! The rule for every grouped method (proportions, rates, means, DSR, ISR, SII, life
//! expectancy): **data that is wrong for one group** (a negative count, a numerator above its
//! denominator, a duplicated or missing age band, a zero population band, deaths above the
//! population, frequency rows of one band that disagree, SII limits outside 0–1) **gives that
//! group null values and a `note` saying what is wrong**, and every other group is computed as
//! it would be alone. R returns NA rows with a warning for some of these and stops for others;
//! pcnkit treats them all alike. **Inputs that are wrong for every group** (a missing column,
//! an impossible option such as a negative multiplier, fewer than 1,000 SII repetitions, a
//! confidence level named twice, or data with which no group at all could be computed) **are
//! an error** for the whole call, naming the first group. Funnels pool every row into one
//! average, so a bad row there is an error.
//!
//! # Options the R package's users rely on
//!
//! R's `type` is [`select_output`] ([`OutputType`]: value, lower, upper, standard, full; the
//! `note` column kept in all); no interval is an empty set of levels (`none` to
//! [`Confidence::parse_levels`]); means carry `stdev`; ISR rates `ref_rate`, and
//! [`IsrSpec`] takes observed totals per group ([`Observed::Totals`]); life
//! expectancy carries `pops_used`/`dths_used`, and [`life_expectancy_at_ages`] is R's `le_age`;
//! quantiles carry `nquantiles`, `groupvars`, `qinverted`; the SII takes counts
//! ([`SiiErrors::Counts`]) and reports R's reliability statistic
//! ([`sii::SiiOptions::reliability`]); [`FunnelPointsSpec`] gives each row's rate to chart
//! and derived denominator over `years_of_data`. Defaults are R's and live here
//! ([`QUANTILE_INVERT_DEFAULT`], [`PROPORTION_MULTIPLIER_DEFAULT`],
//! [`FUNNEL_MULTIPLIER_DEFAULT`], [`sii::SiiOptions::default`]); the CLI and Python take them
//! from here.
//!
//! # Agreement with the R package's own test data
//!
//! `tests/it/ukhsa_testdata.rs` reads the data frames of PHEindicatormethods 2.1.0's test
//! suite (`pheindicatormethods-testdata/testdata.json` under `PCNKIT_DATA_DIR`) and runs each
//! case as the package's test scripts do:
//!
//! | case | data | compared | tolerance | deliberately different |
//! |---|---|---|---|---|
//! | proportions, rates per row | `test_Prop`, `test_Rate` | 195 values | 1e-9 | none |
//! | proportions, rates grouped | `*_g_results` | 115 values | 1e-9 | none |
//! | means (grouped and whole) | `test_Mean_results` | 24 values | 1e-9 | none |
//! | DSR (ESP2013 per 10,000 and 100,000, 1976 standard, non-independent events) | `test_DSR_results` | 50 values | 1e-9 | `testdata_tiny`, `testdata_nonind_tiny`, `testdata_nonind_dummy`: a missing count (R: 0; here null with a note) |
//! | ISR (rates per 100,000 and 1,000, ratios × 1 and × 100) | `test_ISR_results` | 56 values | 1e-9 | `testdata_tiny`: a missing count, as for DSR |
//! | quantiles (deciles within region, septiles, quartiles; ties) | `test_quantiles_ug` | 982 quantiles | exact | none |
//! | proportion funnel significance and limits | `test_funnel_inputs`, `test_funnel_outputs` | 803 values | 1e-9 after R's rounding to 6 decimals | none |
//! | ratio and rate funnel significance | `test_funnel_ratio_inputs`, `test_funnel_rate_inputs` | 380 labels | exact | none |
//! | SII (normal, rate, proportion; se or limits; transforms; multipliers; 95/98/99% and several levels; intercept) | `SII_test_data` | 304 values | 1e-9 for SII, RII and intercept; R's 5% (mean relative difference) for the simulated limits | none |
//! | ISR ratios from observed totals | `test_ISR_lookup` | 14 values | 1e-9 | `testdata_tiny`: a band's population is missing (R: 0) |
//! | rate funnel points (DSR; crude; crude with a row of 0 events, 3 and 5 years) | `test_funnel_rate_funnels_input` | 300 values | 1e-9 | none |
//! | quantile metadata | `test_quantiles_ug` | 3 columns | exact | none |
//!
//! Not run: the 1976-standard case's 99.8% limits (R's expected values lie ten times above
//! its own value, so are not limits of it); the funnels' plotted limits for ratios (R draws
//! them for observed counts, here against the expected count, centred on 1) and for rates
//! (R draws them against a number of events, here against the derived denominator); the error
//! and warning cases (checked by pcnkit's own tests of the rule above); life expectancy (the
//! package builds its test inputs inside the scripts rather than in this data).
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
//! use pcnkit_indicators::{Confidence, DsrSpec, Standard};
//! let bands = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
//!     "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+"];
//! let batch = RecordBatch::try_from_iter([
//!     ("area", Arc::new(StringArray::from(vec!["E1"; 19])) as _),
//!     ("age_band", Arc::new(StringArray::from(bands.to_vec())) as _),
//!     ("deaths", Arc::new(Int64Array::from_iter_values((1..=19).map(|i| i * 3))) as _),
//!     ("population", Arc::new(Int64Array::from(vec![10_000; 19])) as _),
//! ])?;
//! let out = DsrSpec::new("deaths", "population", Standard::Esp2013 { age_band: "age_band" })
//!     .group_by(&["area"])
//!     .levels(vec![Confidence::C95, Confidence::C998])
//!     .run(&[batch])?;
//! assert_eq!(out.num_rows(), 1);
//! assert!(out.column_by_name("lower99_8cl").is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate features
//!
//! None. The [`request`] types carry JSON Schemas (schemars) for the HTTP API's OpenAPI
//! document.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod achievement;
pub mod activity;
pub mod benchmark;
pub mod counts;
pub mod disclosure;
pub mod error;
mod frame;
pub mod funnel;
pub mod life;
pub mod methods;
pub mod output;
pub mod overdispersion;
pub mod prevalence;
pub mod request;
pub mod sii;
pub mod spc;
pub mod spc_table;
pub mod spec;
pub mod standards;
pub mod table;
pub mod trend;
pub mod yearly;

pub use error::IndicatorError;
pub use methods::{
    Confidence, CountLimits, DsrSums, ESP2013, Estimate, MeanSums, Method, byars_limits,
    check_levels, dsr, exact_limits, israte, isratio, mean, proportion, quantiles, rate, wilson,
};
pub use output::{OutputType, select_output};
pub use spec::{
    CONFIDENCE_DEFAULT, DSR_MULTIPLIER_DEFAULT, DsrSpec, FUNNEL_MULTIPLIER_DEFAULT,
    FunnelPointsSpec, FunnelSpec, ISR_REF_VALUE_DEFAULT, IsrSpec, LifeExpectancySpec, MeanSpec,
    NQUANTILES_DEFAULT, PROPORTION_MULTIPLIER_DEFAULT, ProportionSpec, QUANTILE_INVERT_DEFAULT,
    QuantileSpec, RATE_MULTIPLIER_DEFAULT, RateSpec, RepeatedBands, SiiSpec,
};
pub use table::{
    Indirect, Observed, SiiErrors, Standard, life_expectancy_at_ages, sum_by, varying_text_columns,
};
