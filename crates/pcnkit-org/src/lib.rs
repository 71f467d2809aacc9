//! PCN organisation: who is in which Primary Care Network, when, and for how many patients.
//!
//! # Overview
//!
//! - **Model** ([`model`]): [`Practice`], [`Pcn`] with its [`ClinicalDirector`]s and
//!   [`NetworkAgreement`] (schedules as data), [`SubIcbLocation`], [`Icb`], [`Region`], and the
//!   non-GP [`Partner`]s a PCN works with.
//! - **Membership over time** ([`membership`], [`registry`]): a [`Registry`] holds each
//!   practice's [`Membership`] periods; joins, leaves, PCN mergers and splits and practice
//!   mergers are applied with effective dates through [`RegistryBuilder`]. A practice is in at
//!   most one PCN on any date: conflicting records are errors naming both records.
//! - **Registered population** ([`population`]): list sizes per practice per extract date, total
//!   and by age band and sex; [`Registry::population`], [`Registry::population_by_age_sex`],
//!   [`Registry::rollup`] to PCN, sub-ICB, ICB and region; where patients live by LSOA
//!   ([`Registry::pcn_lsoa_shares`]).
//! - **Rules checks** ([`rules`]): PCN size against the 30,000–50,000 norm with approved
//!   exceptions, Clinical Director funding basis, governance gaps, and limits on a GP with an
//!   extended population-health role; each returns findings with their source.
//! - **Importers** ([`import`]): ODS `epraccur` and ePCN, NHS Digital registered-patient files
//!   (all layouts) and practice map, LSOA/sub-ICB lookups. Streaming, with every bad row
//!   reported by file, line and field while the good rows are kept.
//! - **Export** ([`export`]): every table as an Arrow `RecordBatch` with a documented schema,
//!   and to Parquet or CSV.
//!
//! # Examples
//!
//! Which PCN was a practice in on a date, and how many patients did that PCN have?
//!
//! ```
//! use chrono::NaiveDate;
//! use pcnkit_core::{PatientCount, PcnCode, PracticeCode};
//! use pcnkit_org::{ListSizeRecord, Pcn, Practice, Registry};
//!
//! let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! let (a, b): (PracticeCode, PracticeCode) = ("A81001".parse()?, "A81002".parse()?);
//! let (north, south): (PcnCode, PcnCode) = ("U00001".parse()?, "U00002".parse()?);
//!
//! let mut builder = Registry::builder();
//! builder
//!     .practice(Practice::new(a, "The Densham Surgery"))
//!     .practice(Practice::new(b, "Queens Park Medical Centre"))
//!     .pcn(Pcn::new(north, "North Stockton PCN"))
//!     .pcn(Pcn::new(south, "Stockton PCN"))
//!     .join(a, north, date(2019, 7, 1))
//!     .join(b, north, date(2019, 7, 1))
//!     // Practice B moves to the other network from 1 April 2024.
//!     .leave(b, date(2024, 3, 31))
//!     .join(b, south, date(2024, 4, 1))
//!     .list_sizes([
//!         ListSizeRecord::new(a, date(2024, 1, 1), None, None, PatientCount(18_000)),
//!         ListSizeRecord::new(b, date(2024, 1, 1), None, None, PatientCount(14_000)),
//!     ]);
//! let registry = builder.build().map_err(|errors| errors[0].clone())?;
//!
//! assert_eq!(registry.pcn_of(b, date(2024, 3, 31)), Some(north));
//! assert_eq!(registry.pcn_of(b, date(2024, 4, 1)), Some(south));
//! assert_eq!(registry.population(north, date(2024, 3, 31))?, PatientCount(32_000));
//! assert_eq!(registry.population(north, date(2024, 4, 1))?, PatientCount(18_000));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Reading the published files (here a one-line extract of `gp-reg-pat-prac-map.csv`):
//!
//! ```
//! use pcnkit_org::import::{read_practice_map, registry_from_practice_map, ImportOptions};
//! let csv = "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,ONS_SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,ONS_ICB_CODE,ICB_CODE,ICB_NAME,ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME,SUPPLIER_NAME\n\
//!            GP_PRAC_PAT_LIST,01Aug2026,A81001,THE DENSHAM SURGERY,TS18 1HU,U89141,STOCKTON PCN,E38000247,16C,NHS North East and North Cumbria ICB - 16C,E54000050,QHM,NHS North East and North Cumbria ICB,E40000012,Y63,North East and Yorkshire,TPP\n";
//! let imported = read_practice_map(csv.as_bytes(), ImportOptions::new("gp-reg-pat-prac-map.csv"))?;
//! assert!(imported.errors.is_empty());
//! let registry = registry_from_practice_map(&imported.records).build().map_err(|e| e[0].clone())?;
//! assert_eq!(registry.pcns().count(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate features
//!
//! None.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod deprivation;
pub mod error;
pub mod export;
pub mod import;
pub mod membership;
pub mod model;
pub mod population;
pub mod registry;
pub mod rules;

pub use error::OrgError;
pub use membership::{Membership, MembershipChange};
pub use model::{
    AgreementSchedule, AgreementScheduleKind, ClinicalDirector, Icb, NetworkAgreement, Partner,
    PartnerKind, Pcn, Practice, PracticeStatus, PrescribingSetting, Region, SubIcbLocation,
};
pub use population::{
    AgeCount, AgeSexCount, ListSizeRecord, ListSizes, LsoaShare, PcnList, PracticeList,
    PracticeLsoaRecord, pcn_lists, pcn_populations,
};
pub use registry::{AreaPopulation, Level, Registry, RegistryBuilder, Snapshot, SnapshotRow};
