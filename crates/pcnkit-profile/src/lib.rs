//! The ICS profile as a library: an integrated care system's PCNs, ARRS position, an
//! indicator with its inequalities, and community assets against need, as named, typed Arrow
//! tables with documented schemas, the findings about the inputs and where each input came
//! from.
//!
//! `pcnkit report` renders a [`Profile`] as HTML, and Python's `pcnkit.profile(...)` returns
//! the same tables: the figures are computed here once, so every front end shows the same
//! answer.
//!
//! ```no_run
//! use pcnkit_profile::{Profile, ProfileInputs, ProfileOptions};
//!
//! let inputs = ProfileInputs::demo(&pcnkit_demo::DemoConfig::default())?;
//! let profile = Profile::new(inputs, &ProfileOptions::default())?;
//! for (name, table) in profile.tables()? {
//!     println!("{name}: {} rows", table.num_rows());
//! }
//! # Ok::<(), pcnkit_profile::ProfileError>(())
//! ```
//!
//! Inputs come from the demo ([`ProfileInputs::demo`]) or from files
//! ([`ProfileInputs::from_files`]), every row accounted for through an [`Intake`]: a row that
//! cannot be read is an error finding that stops the run unless errors are accepted.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod arrs;
mod assets;
mod benchmark;
mod columns;
mod error;
mod indicators;
mod inputs;
mod intake;
pub mod leads;
pub mod load;
mod overview;
pub mod plans;
mod spc;
mod trend;

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use chrono::NaiveDate;
use pcnkit_core::read::Finding;
use pcnkit_core::{FinancialYear, Money};

pub use arrs::{ArrsProfile, HirePlan, PlannedHire};
pub use assets::AssetsProfile;
pub use benchmark::BenchmarkCell;
pub use error::ProfileError;
pub use indicators::{
    Estimate, FunnelLimit, FunnelPoint, IndicatorProfile, QuintileEstimate, SiiOutcome,
};
pub use inputs::{AgeSexCell, DecileWeight, InputSource, ProfileFiles, ProfileInputs};
pub use intake::Intake;
pub use overview::{Overview, PcnOverview, PyramidBand};
pub use spc::{MonthlyChart, SpcProfile};
pub use trend::TrendRow;

/// How a profile is made. Every default is here, so every front end makes the same profile.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ProfileOptions {
    /// The ARRS rule year ([`ProfileOptions::DEFAULT_YEAR`] by default).
    pub year: FinancialYear,
    /// The hire the ARRS headroom is priced in (a clinical pharmacist at £55,000 a year by
    /// default: an illustrative cost the reader should replace with their own, said in the
    /// report; it is not a rule figure).
    pub planned_hire: PlannedHire,
    /// The measure of the condition counts to profile; `None`: `diabetes` when present, else
    /// the first in the counts.
    pub measure: Option<String>,
    /// Walking distance for access to assets, metres (1,000 by default, the assets crate's).
    pub walking_metres: f64,
    /// The share of a PCN's patients an LSOA must hold to be in its footprint (0.05, the
    /// assets crate's).
    pub footprint_share: f64,
    /// Bootstrap repetitions of the SII's interval (10,000).
    pub sii_repetitions: u32,
    /// What the monthly activity counts, for captions ("appointments").
    pub activity_label: String,
    /// Which direction of the activity is improvement (more appointments: increase, by
    /// default; an assumption the reader may change).
    pub activity_direction: pcnkit_indicators::spc::Direction,
    /// A monthly target for the ICS's total activity, for assurance (consistently pass,
    /// consistently fail, hit and miss) on the ICS's chart; none by default (no target is
    /// assumed).
    pub activity_target: Option<f64>,
    /// Small-number disclosure control of the indicator tables (counts of events and
    /// patients by PCN and quintile), e.g. NHS England's rule; `None` (the default) releases
    /// them as computed, for use inside the ICB.
    pub disclosure: Option<pcnkit_indicators::disclosure::Policy>,
    /// The workforce plans: GP population-health leads by default; CHWWs and pharmacy
    /// payments when asked ([`plans::PlanOptions`]).
    pub plans: plans::PlanOptions,
}

impl ProfileOptions {
    /// 2025/26: the latest year whose maxima the sources give for every month (the 2024/25
    /// maxima for April–September are not in them, so those claims are unknown).
    pub const DEFAULT_YEAR: FinancialYear = FinancialYear::from_start_year_const(2025);
}

impl Default for ProfileOptions {
    fn default() -> Self {
        ProfileOptions {
            year: Self::DEFAULT_YEAR,
            planned_hire: PlannedHire::new(
                "clinical_pharmacist",
                Money::from_pounds(rust_decimal::Decimal::from(55_000)),
            ),
            measure: None,
            walking_metres: pcnkit_assets::coverage::WALKING_METRES_DEFAULT,
            footprint_share: pcnkit_assets::coverage::FOOTPRINT_SHARE_DEFAULT,
            sii_repetitions: 10_000,
            activity_label: "appointments".to_owned(),
            activity_direction: pcnkit_indicators::spc::Direction::Increase,
            activity_target: None,
            disclosure: None,
            plans: plans::PlanOptions::default(),
        }
    }
}

/// The whole profile of an ICS.
#[derive(Debug)]
#[non_exhaustive]
pub struct Profile {
    /// What it is of.
    pub title: String,
    /// The date it is as at.
    pub date: NaiveDate,
    /// `Some(seed)` when every input is the synthetic demo's.
    pub synthetic_seed: Option<u64>,
    /// Where each input came from.
    pub sources: Vec<InputSource>,
    /// How practice deprivation was obtained, when it was.
    pub deprivation_method: Option<String>,
    /// The PCNs, their patients, deprivation and pyramids.
    pub overview: Overview,
    /// ARRS, when weighted populations or staff were given.
    pub arrs: Option<ArrsProfile>,
    /// The indicator, when condition counts were given.
    pub indicators: Option<IndicatorProfile>,
    /// Community assets, when a register was given.
    pub assets: Option<AssetsProfile>,
    /// Every measure of the condition counts, each PCN against the ICS.
    pub benchmark: Option<Vec<BenchmarkCell>>,
    /// Control charts of the monthly activity and the ARRS claims.
    pub spc: Option<SpcProfile>,
    /// The profiled PCNs' and their practices' population-weighted deprivation (placed in
    /// deciles among every practice and PCN of the inputs, and within their ICB), when
    /// patients by LSOA and LSOA deprivation were given.
    pub deprivation: Option<pcnkit_org::deprivation::PopulationDeprivation>,
    /// Recent trends of the yearly measures, when yearly proportions were given.
    pub trends: Option<Vec<TrendRow>>,
    /// Every finding about the inputs (errors accepted, warnings, skipped rows, notes).
    pub findings: Vec<Finding>,
    /// The disclosure policy applied to the indicator tables, if any.
    pub disclosure: Option<pcnkit_indicators::disclosure::Policy>,
    /// The workforce plans.
    pub plans: plans::PlansProfile,
}

impl Profile {
    /// The profile of `inputs`.
    pub fn new(inputs: ProfileInputs, options: &ProfileOptions) -> Result<Self, ProfileError> {
        let overview = overview::overview(&inputs)?;
        let arrs = arrs::arrs(&inputs, options)?;
        let indicators = indicators::indicators(&inputs, options)?;
        let assets = assets::assets(&inputs, options)?;
        let benchmark = benchmark::benchmark(&inputs)?;
        let spc = spc::spc(&inputs, options, arrs.as_ref())?;
        let trends = trend::trends(&inputs)?;
        let (plans, plan_findings) = plans::plans(&inputs, options)?;
        let deprivation = inputs.deprivation.clone().map(|mut d| {
            let practices: std::collections::BTreeSet<pcnkit_core::PracticeCode> = inputs
                .pcns
                .iter()
                .flat_map(|p| inputs.registry.members(*p, inputs.date))
                .collect();
            d.practices.retain(|k, _| practices.contains(k));
            d.pcns.retain(|k, _| inputs.pcns.binary_search(k).is_ok());
            d
        });
        Ok(Profile {
            trends,
            deprivation,
            benchmark,
            spc,
            title: inputs.title,
            date: inputs.date,
            synthetic_seed: inputs.synthetic_seed,
            sources: inputs.sources,
            deprivation_method: inputs.deprivation_method,
            overview,
            arrs,
            indicators,
            assets,
            findings: inputs.findings.into_iter().chain(plan_findings).collect(),
            disclosure: options.disclosure.clone(),
            plans,
        })
    }

    /// Every table of the profile by name, in the report's order: `inputs` (`input`,
    /// `source`), `pcn_overview`, `pcn_population_by_age_sex`, the ARRS tables, the
    /// indicator's, the assets' and `findings` (the one findings table of every front end).
    /// Each schema is documented where its part is and fixed by snapshot tests.
    pub fn tables(&self) -> Result<Vec<(String, RecordBatch)>, ProfileError> {
        let mut out = vec![
            ("inputs".to_owned(), self.sources_table()?),
            ("pcn_overview".to_owned(), self.overview.table()?),
            (
                "pcn_population_by_age_sex".to_owned(),
                self.overview.pyramid_table()?,
            ),
        ];
        if let Some(a) = &self.arrs {
            out.extend(a.tables()?);
        }
        if let Some(i) = &self.indicators {
            out.extend(i.tables().iter().cloned());
        }
        if let Some(b) = &self.benchmark {
            out.push(("indicators_benchmark".to_owned(), benchmark::table(b)?));
        }
        if let Some(s) = &self.spc {
            out.extend(s.tables().iter().cloned());
        }
        if let Some(d) = &self.deprivation {
            out.push(("deprivation".to_owned(), d.table()?));
        }
        if let Some(t) = &self.trends {
            out.push(("indicators_trend".to_owned(), trend::table(t)?));
        }
        if let Some(a) = &self.assets {
            out.extend(a.tables()?);
        }
        out.extend(self.plans.tables()?);
        out.push((
            "findings".to_owned(),
            pcnkit_core::findings_table(&self.findings)?,
        ));
        Ok(out)
    }

    fn sources_table(&self) -> Result<RecordBatch, ProfileError> {
        let column = |f: fn(&InputSource) -> &str| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(self.sources.iter().map(f)))
        };
        Ok(pcnkit_core::arrow::nullable_batch([
            ("input", column(|s| s.input.as_str())),
            ("source", column(|s| s.source.as_str())),
        ])?)
    }
}
