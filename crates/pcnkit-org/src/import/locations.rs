//! Practice locations: `practice`, `latitude`, `longitude` (WGS84).

use std::io::Read;

use pcnkit_core::{PracticeCode, SourceLocation};

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
    let mut seen = pcnkit_core::read::FirstSeen::new();
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
            let (latitude, longitude) = row.req_lat_lon(la, lo)?;
            seen.check(practice, row, pc, &practice, "")?;
            Ok(Parsed::Record(PracticeLocation {
                practice,
                latitude,
                longitude,
                location: row.row_location(),
            }))
        },
    )
}
