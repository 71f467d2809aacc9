//! Community asset registers for social prescribing: a typed model, Open Referral UK / HSDS 3.0
//! import and export, ORUK v1 and CSV import, fast spatial search, and coverage against need.
//!
//! Link workers, pharmacy health champions and community health workers need to find what
//! exists near a person: the walking group, the food bank, the library session, the green
//! space, the pharmacy. This crate keeps those lists as typed records that speak the UK
//! directory standard, and tells an ICS where provision is thin relative to need.
//!
//! # Overview
//!
//! - [`model`]: [`Asset`] (stable UUID v5 id from its source and key, kind, needs, audience,
//!   location with WGS84 point and LSOA, HSDS-style opening [`Schedule`]s, cost, accessibility,
//!   contact, referral routes, status, last verified date, source).
//! - [`register`]: [`Register`] with history (who/what/when per asset; imports report added,
//!   changed, unchanged and missing assets; removal is explicit) and queries: by kind, need,
//!   age, open at a date-time ([`Query`]); nearest and within a distance (an R-tree on the unit
//!   sphere, so the order is exact great-circle order); stale records; a PCN's footprint.
//! - [`hsds`]: HSDS 3.0 / ORUK 3.0 `service` records and `/services` pages, both ways; the
//!   exports validate against the published HSDS 3.0 JSON Schemas (tested).
//! - [`oruk_v1`]: the ORUK v1 feeds most UK directories still publish.
//! - [`csv_import`]: spreadsheets, with a column mapping; every bad row a typed error.
//! - [`coverage`]: assets per 1,000 patients by PCN and kind, assets within walking distance
//!   of each LSOA, gaps ranked by deprivation and thin provision, and the IMD quintile view.
//! - [`table`]: all of it as Arrow tables.
//!
//! Every importer keeps the good records and returns one error per bad one, naming the JSON
//! path (`$.contents[2].schedules[0].opens_at`) or the row and column.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use pcnkit_assets::{Asset, AssetKind, GeoPoint, Need, Query, Register, Schedule, Source, Weekday};
//!
//! let mut walk = Asset::new(
//!     Source { name: "council directory".into(), key: "W-17".into() },
//!     "Tuesday health walk",
//!     AssetKind::GreenSpace,
//! );
//! walk.needs = vec![Need::PhysicalActivity, Need::Loneliness];
//! walk.location.point = Some(GeoPoint::new(53.4808, -2.2426)?);
//! walk.schedules = vec![Schedule::weekly(
//!     vec![Weekday::TU],
//!     "10:00".parse()?,
//!     "11:30".parse()?,
//! )?];
//! let at = NaiveDate::from_ymd_opt(2026, 11, 24).and_then(|d| d.and_hms_opt(9, 0, 0)).unwrap();
//! let register = Register::from_assets([walk], "import", at)?;
//!
//! let here = GeoPoint::new(53.4794, -2.2453)?;
//! let near = register.nearest(here, 20, &Query::new().need(Need::Loneliness));
//! assert_eq!(near[0].0.name, "Tuesday health walk");
//! assert!(near[0].1 < 300.0);                 // metres
//! let open = Query::new().open_at(at.date().and_hms_opt(10, 30, 0).unwrap());
//! assert_eq!(register.filter(&open).count(), 1);    // 24 Nov 2026 is a Tuesday
//!
//! let service = pcnkit_assets::hsds::to_service(register.assets().next().unwrap());
//! assert_eq!(service["schedules"][0]["byday"], "TU");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate features
//!
//! None.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod coverage;
pub mod csv_import;
pub mod error;
pub mod hsds;
mod json;
pub mod model;
pub mod oruk_v1;
pub mod register;
pub mod table;

pub use error::AssetError;
pub use model::{
    Asset, AssetId, AssetKind, AssetStatus, Audience, Contact, Cost, GeoPoint,
    HealthyLivingPharmacy, Location, Need, Owner, Recurrence, ReferralRoute, Schedule, Source,
    Weekday,
};
pub use register::{
    Change, ChangeKind, ImportReport, NEAREST_DEFAULT, PostcodeCentroids, Query, Register,
    read_postcode_centroids,
};
