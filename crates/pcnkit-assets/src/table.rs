//! The register and the coverage results as Arrow tables for analysis.
//!
//! Register columns: `id`, `name`, `kind`, `status`, `needs` (`;`-joined codes), `min_age`,
//! `max_age`, `postcode`, `latitude`, `longitude`, `lsoa`, `owner`, `referral`,
//! `cost_pounds` (Decimal128(38, 18)), `schedules` (count), `opening` (`MO,TU 09:00-17:00; …`),
//! `last_verified` (Date32), `source`, `source_key`.

use chrono::NaiveDate;
use pcnkit_core::arrow::{ArrowRecord, field, from_record_batch, to_record_batch};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::coverage::{LsoaAccess, PcnProvision, QuintileProvision};
use crate::error::AssetError;
use crate::model::Asset;
use crate::register::Register;

/// One asset as a flat row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AssetRow {
    /// Asset id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind code.
    pub kind: String,
    /// Status.
    pub status: String,
    /// Needs, `;`-joined codes.
    pub needs: String,
    /// Minimum age.
    pub min_age: Option<u8>,
    /// Maximum age.
    pub max_age: Option<u8>,
    /// Postcode.
    pub postcode: Option<String>,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// LSOA.
    pub lsoa: Option<String>,
    /// Owner name.
    pub owner: Option<String>,
    /// Referral routes, `;`-joined.
    pub referral: String,
    /// Cost in pounds.
    pub cost_pounds: Option<Decimal>,
    /// Number of opening rules.
    pub schedules: u32,
    /// Opening rules as text.
    pub opening: String,
    /// Last verified.
    pub last_verified: Option<NaiveDate>,
    /// Source name.
    pub source: String,
    /// Key in the source.
    pub source_key: String,
}

impl From<&Asset> for AssetRow {
    fn from(a: &Asset) -> Self {
        AssetRow {
            id: a.id.to_string(),
            name: a.name.clone(),
            kind: a.kind.code().to_owned(),
            status: a.status.code().to_owned(),
            needs: a
                .needs
                .iter()
                .map(|n| n.code())
                .collect::<Vec<_>>()
                .join(";"),
            min_age: a.audience.min_age,
            max_age: a.audience.max_age,
            postcode: a.location.postcode.map(|p| p.to_string()),
            latitude: a.location.point.map(|p| p.lat()),
            longitude: a.location.point.map(|p| p.lon()),
            lsoa: a.location.lsoa.map(|l| l.to_string()),
            owner: a.owner.as_ref().map(|o| o.name.clone()),
            referral: a
                .referral
                .iter()
                .map(|r| r.code())
                .collect::<Vec<_>>()
                .join(";"),
            cost_pounds: a.cost.as_ref().map(|c| c.amount.pounds()),
            schedules: a.schedules.len() as u32,
            opening: a
                .schedules
                .iter()
                .map(|s| {
                    format!(
                        "{} {}-{}",
                        s.byday(),
                        s.opens_at.format("%H:%M"),
                        s.closes_at.format("%H:%M")
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            last_verified: a.last_verified,
            source: a.source.name.clone(),
            source_key: a.source.key.clone(),
        }
    }
}

impl ArrowRecord for AssetRow {
    fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
        vec![
            field::<String>("id"),
            field::<String>("name"),
            field::<String>("kind"),
            field::<String>("status"),
            field::<String>("needs"),
            field::<Option<u8>>("min_age"),
            field::<Option<u8>>("max_age"),
            field::<Option<String>>("postcode"),
            field::<Option<f64>>("latitude"),
            field::<Option<f64>>("longitude"),
            field::<Option<String>>("lsoa"),
            field::<Option<String>>("owner"),
            field::<String>("referral"),
            field::<Option<Decimal>>("cost_pounds"),
            field::<u32>("schedules"),
            field::<String>("opening"),
            field::<Option<NaiveDate>>("last_verified"),
            field::<String>("source"),
            field::<String>("source_key"),
        ]
    }
}

impl ArrowRecord for PcnProvision {
    fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
        vec![
            field::<String>("pcn"),
            field::<String>("kind"),
            field::<Option<u64>>("assets"),
            field::<Option<u64>>("patients"),
            field::<Option<f64>>("per_1000"),
            field::<Option<String>>("note"),
        ]
    }
}

impl ArrowRecord for LsoaAccess {
    fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
        vec![
            field::<String>("lsoa"),
            field::<f64>("population"),
            field::<u8>("imd_decile"),
            field::<u64>("assets_within"),
            field::<Option<f64>>("nearest_m"),
        ]
    }
}

impl ArrowRecord for QuintileProvision {
    fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
        vec![
            field::<u8>("quintile"),
            field::<u64>("lsoas"),
            field::<f64>("population"),
            field::<f64>("mean_assets_within"),
            field::<f64>("share_without"),
        ]
    }
}

/// The register as an Arrow table, one row per asset in id order.
pub fn register_table(register: &Register) -> Result<arrow_array::RecordBatch, AssetError> {
    let rows: Vec<AssetRow> = register.assets().map(AssetRow::from).collect();
    to_record_batch(&rows).map_err(|e| AssetError::Arrow(e.to_string()))
}

/// One asset found near a point ([`Register::nearest`]): what `pcnkit assets search` and
/// `pcnkit.assets.search` show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NearbyAsset {
    /// The asset's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its kind's code (e.g. `pharmacy`).
    pub kind: String,
    /// Great-circle distance from the point, metres, to the nearest 0.1 m (the precision
    /// of the register's coordinates makes finer figures noise).
    pub metres: f64,
}

impl ArrowRecord for NearbyAsset {
    fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
        vec![
            field::<String>("id"),
            field::<String>("name"),
            field::<String>("kind"),
            field::<f64>("metres"),
        ]
    }
}

/// Search results ([`Register::nearest`] or [`Register::within`]) as rows, nearest first.
pub fn nearby(hits: &[(&Asset, f64)]) -> Vec<NearbyAsset> {
    hits.iter()
        .map(|(a, d)| NearbyAsset {
            id: a.id.to_string(),
            name: a.name.clone(),
            kind: a.kind.code().to_owned(),
            metres: (d * 10.0).round() / 10.0,
        })
        .collect()
}

/// Any pcnkit-assets result rows as an Arrow table.
pub fn rows_table<T: ArrowRecord>(rows: &[T]) -> Result<arrow_array::RecordBatch, AssetError> {
    to_record_batch(rows).map_err(|e| AssetError::Arrow(e.to_string()))
}

/// Asset rows back from a register table (for round-trip checks and downstream tools).
pub fn rows_from_table(batch: &arrow_array::RecordBatch) -> Result<Vec<AssetRow>, AssetError> {
    from_record_batch(batch).map_err(|e| AssetError::Arrow(e.to_string()))
}
