//! Importers for the files NHS England and ONS publish.
//!
//! | function | file | record |
//! |---|---|---|
//! | [`read_epraccur`] | ODS `epraccur.csv` (GP practices and prescribing cost centres, no header) | [`EpraccurRecord`] |
//! | [`read_epcn_details`] | ODS ePCN "PCN Details" sheet as CSV | [`Pcn`](crate::Pcn) |
//! | [`read_epcn_members`] | ODS ePCN "PCN Core Partner Details" sheet as CSV | [`PcnMemberRecord`] |
//! | [`read_registered_patients`] | NHS Digital "Patients Registered at a GP Practice": all persons, five-year bands, single year of age, and the PCN/sub-ICB/ICB/region file | [`RegisteredPatientsRecord`] |
//! | [`read_practice_map`] | NHS Digital `gp-reg-pat-prac-map.csv` (practice → PCN → sub-ICB → ICB → region) | [`PracticeMapRecord`] |
//! | [`read_practice_lsoa`] | NHS Digital `gp-reg-pat-prac-lsoa-all.csv` (patients per practice per LSOA) | [`PracticeLsoaRecord`](crate::PracticeLsoaRecord) |
//! | [`read_lsoa_sub_icb_lookup`] | LSOA (2011) → sub-ICB location lookup (ONS-derived) | [`LsoaSubIcbRecord`] |
//! | [`read_sub_icb_lookup`] | sub-ICB location → ICB lookup (ONS-derived) | [`SubIcbLocation`](crate::SubIcbLocation) |
//! | [`read_weighted_populations`] | NHS Payments to General Practice, or a `pcn`/`practice` + `weighted_patients` table | [`WeightedRecord`] |
//! | [`read_lsoa_deprivation`] | IoD2019 File 1/2, or an `lsoa` + `imd_decile` table (with centroids) | [`LsoaDeprivation`] |
//! | [`read_practice_deprivation`] | Fingertips practice IMD scores (indicator 93553), or a `practice` + `imd_decile` table | [`PracticeDeprivation`] |
//! | [`read_practice_locations`] | a `practice`, `latitude`, `longitude` table | [`PracticeLocation`] |
//!
//! Every reader streams its input through one reused record buffer, finds columns by header
//! name (accepting the renames seen across editions, e.g. `CCG_CODE` → `SUB_ICB_LOCATION_CODE`),
//! and reports each bad row as a [`DataError`](pcnkit_core::DataError) with file, line and field while keeping the good
//! rows. Rows that are deliberately not imported (totals, Welsh areas, pseudo-codes) are listed
//! in [`Imported::skipped`] with the reason, never dropped silently. With
//! [`ImportOptions::strict`] the first bad row stops the import.

mod deprivation;
mod epcn;
mod epraccur;
mod files;
mod geography;
mod kind;
mod locations;
mod patients;
mod weighted;

use std::path::Path;

pub use pcnkit_core::read::{ImportOptions, Imported, Progress, Skipped, Warning};
pub(crate) use pcnkit_core::read::{Parsed, Row};

use crate::error::OrgError;

pub use deprivation::{
    LsoaDeprivation, PracticeDeprivation, PracticeDeprivationSource, read_lsoa_deprivation,
    read_practice_deprivation,
};
pub use epcn::{PcnMemberRecord, read_epcn_details, read_epcn_members};
pub use epraccur::{EpraccurRecord, read_epraccur};
pub use files::{RegistryFiles, RegistryFromFiles, registry_from_files};
pub use geography::{LsoaSubIcbRecord, read_lsoa_sub_icb_lookup, read_sub_icb_lookup};
pub use kind::{FileKind, read_kind};
pub use locations::{PracticeLocation, read_practice_locations};
pub use patients::{
    OrgRef, PracticeMapRecord, RegisteredPatientsRecord, read_practice_lsoa, read_practice_map,
    read_registered_patients, registry_from_practice_map,
};
pub use weighted::{
    WeightedByPcn, WeightedOrg, WeightedRecord, read_weighted_populations, weighted_by_pcn,
};

/// Opens a file for reading, with an error that names it.
/// Gzip files are decompressed as read; ZIP archives are refused with a message.
pub fn open(path: &Path) -> Result<Box<dyn std::io::Read + Send>, OrgError> {
    pcnkit_core::read::open(path).map_err(OrgError::Data)
}

/// [`pcnkit_core::read::read_csv`] with the organisation crate's error type.
pub(crate) fn read_csv<R, S, T>(
    input: R,
    options: ImportOptions<'_>,
    headerless_names: Option<&[&str]>,
    setup: impl FnOnce(&pcnkit_core::read::Columns) -> Result<S, pcnkit_core::DataError>,
    parse: impl FnMut(&S, &Row<'_>) -> Result<Parsed<T>, pcnkit_core::DataError>,
) -> Result<Imported<T>, OrgError>
where
    R: std::io::Read,
{
    pcnkit_core::read::read_csv(input, options, headerless_names, setup, parse)
        .map_err(OrgError::Data)
}
