//! Practice locations: `practice`, `latitude`, `longitude` (WGS84).

use std::collections::BTreeMap;
use std::io::Read;

use pcnkit_core::{DataErrorKind, PracticeCode, SourceLocation};

use super::{ImportOptions, Imported, Parsed, read_csv};
use crate::error::OrgError;

/// Where a practice is.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PracticeLocation {
    /// The practice.
    pub practice: PracticeCode,
    /// Latitude, degrees north (WGS84).
    pub latitude: f64,
    /// Longitude, degrees east (WGS84).
    pub longitude: f64,
    /// Where it was read.
    pub location: SourceLocation,
}

/// Reads practice locations. Errors: a coordinate that is not a number in range, and a
/// practice given twice (naming the first line).
pub fn read_practice_locations<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<PracticeLocation>, OrgError> {
    let mut seen: BTreeMap<PracticeCode, u64> = BTreeMap::new();
    read_csv(
        input,
        options,
        None,
        |cols| {
            Ok((
                cols.require(&["practice", "practice_code"])?,
                cols.require(&["latitude"])?,
                cols.require(&["longitude"])?,
            ))
        },
        |&(pc, la, lo), row| {
            let practice: PracticeCode = row.req(pc)?;
            let (latitude, longitude): (f64, f64) = (row.req_any(la)?, row.req_any(lo)?);
            if !(-90.0..=90.0).contains(&latitude) {
                return Err(row.error(
                    la,
                    DataErrorKind::BadValue(format!(
                        "latitude {latitude} is not between -90 and 90"
                    )),
                ));
            }
            if !(-180.0..=180.0).contains(&longitude) {
                return Err(row.error(
                    lo,
                    DataErrorKind::BadValue(format!(
                        "longitude {longitude} is not between -180 and 180"
                    )),
                ));
            }
            if let Some(first) = seen.get(&practice) {
                return Err(row.error(
                    pc,
                    DataErrorKind::Conflict(format!("{practice} is already on line {first}")),
                ));
            }
            seen.insert(practice, row.line());
            Ok(Parsed::Record(PracticeLocation {
                practice,
                latitude,
                longitude,
                location: row.row_location(),
            }))
        },
    )
}
