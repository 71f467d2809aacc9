//! Any of the organisation files by its kind, read into a flat typed table: what `pcnkit org
//! import` writes and what Python's `pcnkit.org.read` returns, from one place.

use std::io::Read;

use arrow_array::RecordBatch;
use pcnkit_core::arrow::flat_record_batch;

use super::{
    ImportOptions, Imported, WeightedOrg, read_epcn_details, read_epcn_members, read_epraccur,
    read_lsoa_deprivation, read_practice_deprivation, read_practice_locations, read_practice_lsoa,
    read_practice_map, read_registered_patients, read_weighted_populations,
};
use crate::OrgError;

/// The organisation files pcnkit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FileKind {
    /// NHS England's practice → PCN → sub-ICB → ICB map (`gp-reg-pat-prac-map.csv`).
    PracticeMap,
    /// ODS GP practices (`epraccur.csv`).
    Epraccur,
    /// ODS ePCN details sheet as CSV.
    EpcnDetails,
    /// ODS ePCN members sheet as CSV.
    EpcnMembers,
    /// Patients Registered at a GP Practice (any layout).
    RegisteredPatients,
    /// Patients per practice per LSOA (`gp-reg-pat-prac-lsoa-all.csv`).
    PracticeLsoa,
    /// Weighted populations (NHS Payments to General Practice, or pcnkit's table).
    Weighted,
    /// LSOA deprivation (IoD2019 File 1/2, or pcnkit's table).
    LsoaDeprivation,
    /// Practice deprivation (Fingertips practice IMD scores, or pcnkit's table).
    PracticeDeprivation,
    /// Practice locations (practice, latitude, longitude).
    PracticeLocations,
}

impl FileKind {
    /// Every kind, in the order above.
    pub const ALL: [FileKind; 10] = [
        FileKind::PracticeMap,
        FileKind::Epraccur,
        FileKind::EpcnDetails,
        FileKind::EpcnMembers,
        FileKind::RegisteredPatients,
        FileKind::PracticeLsoa,
        FileKind::Weighted,
        FileKind::LsoaDeprivation,
        FileKind::PracticeDeprivation,
        FileKind::PracticeLocations,
    ];

    /// Its name in snake case (`practice_map`, `epcn_details`, …).
    pub fn name(self) -> &'static str {
        match self {
            FileKind::PracticeMap => "practice_map",
            FileKind::Epraccur => "epraccur",
            FileKind::EpcnDetails => "epcn_details",
            FileKind::EpcnMembers => "epcn_members",
            FileKind::RegisteredPatients => "registered_patients",
            FileKind::PracticeLsoa => "practice_lsoa",
            FileKind::Weighted => "weighted",
            FileKind::LsoaDeprivation => "lsoa_deprivation",
            FileKind::PracticeDeprivation => "practice_deprivation",
            FileKind::PracticeLocations => "practice_locations",
        }
    }
}

impl FileKind {
    /// Its name in kebab case (`practice-map`), as command lines spell it.
    pub fn kebab_name(self) -> &'static str {
        match self {
            FileKind::PracticeMap => "practice-map",
            FileKind::Epraccur => "epraccur",
            FileKind::EpcnDetails => "epcn-details",
            FileKind::EpcnMembers => "epcn-members",
            FileKind::RegisteredPatients => "registered-patients",
            FileKind::PracticeLsoa => "practice-lsoa",
            FileKind::Weighted => "weighted",
            FileKind::LsoaDeprivation => "lsoa-deprivation",
            FileKind::PracticeDeprivation => "practice-deprivation",
            FileKind::PracticeLocations => "practice-locations",
        }
    }
}

impl std::str::FromStr for FileKind {
    type Err = OrgError;
    /// A kind by its name, `-` or `_` between words.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().replace('-', "_").to_ascii_lowercase();
        FileKind::ALL
            .into_iter()
            .find(|k| k.name() == wanted)
            .ok_or_else(|| {
                OrgError::Invalid(format!(
                    "no organisation file kind {s:?}; one of {}",
                    FileKind::ALL.map(FileKind::name).join(", ")
                ))
            })
    }
}

/// A weighted-population row as a flat record.
#[derive(serde::Serialize)]
struct WeightedRow {
    level: &'static str,
    code: String,
    weighted_patients: String,
    line: Option<u64>,
}

/// An LSOA deprivation row as a flat record.
#[derive(serde::Serialize)]
struct LsoaRow {
    lsoa: String,
    imd_decile: u8,
    latitude: Option<f64>,
    longitude: Option<f64>,
    population: Option<f64>,
}

/// A practice decile as a flat record.
#[derive(serde::Serialize)]
struct PracticeDecileRow {
    practice: String,
    imd_decile: u8,
}

/// A practice location as a flat record.
#[derive(serde::Serialize)]
struct LocationRow {
    practice: String,
    latitude: f64,
    longitude: f64,
}

fn parts<T: serde::Serialize>(i: Imported<T>) -> Result<(RecordBatch, Imported<()>), OrgError> {
    Ok((flat_record_batch(&i.records)?, i.map(|_| ())))
}

fn rows<T, R: serde::Serialize>(
    i: Imported<T>,
    row: impl Fn(&T) -> Vec<R>,
) -> Result<(RecordBatch, Imported<()>), OrgError> {
    let out: Vec<R> = i.records.iter().flat_map(row).collect();
    Ok((flat_record_batch(&out)?, i.map(|_| ())))
}

/// Reads a file of `kind`: its records as a flat typed table (one column per field; a code as
/// text, a decimal as exact text), and every row accounted for (errors, warnings and skips
/// with their locations, no records).
pub fn read_kind<R: Read>(
    kind: FileKind,
    input: R,
    options: ImportOptions<'_>,
) -> Result<(RecordBatch, Imported<()>), OrgError> {
    match kind {
        FileKind::PracticeMap => parts(read_practice_map(input, options)?),
        FileKind::Epraccur => parts(read_epraccur(input, options)?),
        FileKind::EpcnDetails => parts(read_epcn_details(input, options)?),
        FileKind::EpcnMembers => parts(read_epcn_members(input, options)?),
        FileKind::RegisteredPatients => parts(read_registered_patients(input, options)?),
        FileKind::PracticeLsoa => parts(read_practice_lsoa(input, options)?),
        FileKind::Weighted => rows(read_weighted_populations(input, options)?, |r| {
            let (level, code) = match r.org {
                WeightedOrg::Practice(p) => ("practice", p.to_string()),
                WeightedOrg::Pcn(p) => ("pcn", p.to_string()),
            };
            vec![WeightedRow {
                level,
                code,
                weighted_patients: r.weighted.to_string(),
                line: r.location.line,
            }]
        }),
        FileKind::LsoaDeprivation => rows(read_lsoa_deprivation(input, options)?, |r| {
            vec![LsoaRow {
                lsoa: r.lsoa.to_string(),
                imd_decile: r.imd_decile.get(),
                latitude: r.centroid.map(|c| c.0),
                longitude: r.centroid.map(|c| c.1),
                population: r.population,
            }]
        }),
        FileKind::PracticeDeprivation => rows(read_practice_deprivation(input, options)?, |d| {
            d.deciles
                .iter()
                .map(|(p, x)| PracticeDecileRow {
                    practice: p.to_string(),
                    imd_decile: x.get(),
                })
                .collect()
        }),
        FileKind::PracticeLocations => rows(read_practice_locations(input, options)?, |r| {
            vec![LocationRow {
                practice: r.practice.to_string(),
                latitude: r.latitude,
                longitude: r.longitude,
            }]
        }),
    }
}
