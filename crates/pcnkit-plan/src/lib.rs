//! Planning the population-health workforce across an ICB's PCNs.
//!
//! - [`leads`]: patches of neighbouring PCNs for GPs with an extended role in population
//!   health, within the proposal's limits (at most 3 PCNs, about 100,000 patients; a local
//!   policy may set its own), with the fewest leads or with leads weighted towards deprived
//!   patches; and an ICB's own assignment checked against the limits and the map.
//!
//! - [`chww`]: community health and wellbeing workers placed across LSOAs or PCNs in
//!   proportion to need (a weighting by IMD decile: `equal`, `proportionate`, `score` or a
//!   local policy's), with coverage by decile, of the most deprived quintile, and its slope
//!   index of inequality.
//! - [`pharmacy`]: community pharmacy services as payment rules with provenance (the CPCS and
//!   Pharmacy First built in; others as rule data), and what an ICB's referrals would pay.
//! - [`table`]: plans as Arrow tables.
//!
//! Every figure a plan rests on is named with its source in the plan's findings.
//!
//! ```
//! use pcnkit_org::rules::PopulationHealthGpPolicy;
//! use pcnkit_plan::leads::{plan_leads, Adjacency, LeadPlanConfig, PcnArea};
//! let (a, b, c) = ("U10001".parse()?, "U10002".parse()?, "U10003".parse()?);
//! let pcns = [PcnArea::new(a, 40_000, None), PcnArea::new(b, 35_000, None),
//!             PcnArea::new(c, 50_000, None)];
//! let map = Adjacency::from_pairs([(a, b), (b, c)], "given");
//! let plan = plan_leads(&pcns, &map, &LeadPlanConfig::new(PopulationHealthGpPolicy::proposed()?))?;
//! assert_eq!(plan.patches.len(), 2);            // 125,000 patients need two leads
//! assert!(plan.optimal);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod chww;
pub mod error;
pub mod leads;
pub mod pharmacy;
pub mod table;

pub use error::PlanError;
