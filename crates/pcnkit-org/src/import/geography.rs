//! LSOA → sub-ICB location → ICB lookups (ONS-derived).

use std::io::Read;

use pcnkit_core::{DataErrorKind, LsoaCode, OnsIcbCode, OnsSubIcbCode, SubIcbCode};
use serde::{Deserialize, Serialize};

use super::{ImportOptions, Imported, Parsed, read_csv};
use crate::error::OrgError;
use crate::model::SubIcbLocation;

/// One LSOA and the sub-ICB location it lies in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LsoaSubIcbRecord {
    /// LSOA (2011 boundaries in the published lookups).
    pub lsoa: LsoaCode,
    /// LSOA name.
    pub lsoa_name: Option<String>,
    /// Sub-ICB location (ONS).
    pub sub_icb: OnsSubIcbCode,
    /// Sub-ICB location name.
    pub sub_icb_name: Option<String>,
}

/// Reads an LSOA → sub-ICB lookup with columns `lsoa`, `lsoa_code`, `region`, `region_code`,
/// `region_type` (as in the ONS-derived `regions_lsoa_ew.csv`) or the ONS names `LSOA11CD`,
/// `LSOA11NM`, `SICBL22CD`, `SICBL22NM`. Welsh LSOAs, which map to Local Health Boards rather
/// than sub-ICB locations, are skipped with that reason.
pub fn read_lsoa_sub_icb_lookup<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<LsoaSubIcbRecord>, OrgError> {
    read_csv(
        input,
        options,
        None,
        |c| {
            Ok((
                c.require(&["lsoa_code", "LSOA11CD", "LSOA21CD", "LSOA code (2011)"])?,
                c.find(&["lsoa", "LSOA11NM", "LSOA21NM"]),
                c.require(&["region_code", "SICBL22CD", "SICBL23CD", "SICBL24CD"])?,
                c.find(&["region", "SICBL22NM", "SICBL23NM", "SICBL24NM"]),
                c.find(&["region_type"]),
            ))
        },
        |&(lsoa, lsoa_name, area, area_name, area_type), row| {
            let kind = row
                .opt_text(area_type)?
                .unwrap_or_else(|| "SICBL".to_owned());
            if kind.eq_ignore_ascii_case("LHB") {
                return Ok(Parsed::Skip(format!(
                    "Welsh LSOA {} lies in Local Health Board {}, outside NHS England's sub-ICB geography",
                    row.text(lsoa)?,
                    row.text(area)?
                )));
            }
            if !kind.eq_ignore_ascii_case("SICBL") {
                let i = area_type.unwrap_or(area);
                return Err(row.error(
                    i,
                    DataErrorKind::Malformed(format!(
                        "unknown area type {kind:?} (expected SICBL or LHB)"
                    )),
                ));
            }
            Ok(Parsed::Record(LsoaSubIcbRecord {
                lsoa: row.req(lsoa)?,
                lsoa_name: row.opt_text(lsoa_name)?,
                sub_icb: row.req(area)?,
                sub_icb_name: row.opt_text(area_name)?,
            }))
        },
    )
}

/// Reads a sub-ICB → ICB lookup with columns `region`, `region_code`, `region_type`, `icb`,
/// `icb_code` (as in the ONS-derived `regions_ew.csv`). The ODS code of each sub-ICB location
/// is taken from the end of its name (`NHS Cheshire and Merseyside ICB - 01F`) when present.
/// Welsh Local Health Boards are skipped with that reason.
pub fn read_sub_icb_lookup<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<SubIcbLocation>, OrgError> {
    read_csv(
        input,
        options,
        None,
        |c| {
            Ok((
                c.require(&["region", "SICBL22NM"])?,
                c.require(&["region_code", "SICBL22CD"])?,
                c.find(&["region_type"]),
                c.find(&["icb_code", "ICB22CD"]),
            ))
        },
        |&(name, code, kind, icb), row| {
            if let Some(k) = kind {
                let k = row.text(k)?;
                if k.eq_ignore_ascii_case("LHB") {
                    return Ok(Parsed::Skip(format!(
                        "Welsh Local Health Board {}",
                        row.text(code)?
                    )));
                }
            }
            let name_text = row.req_text(name)?;
            let ods = name_text
                .rsplit_once(" - ")
                .and_then(|(_, c)| SubIcbCode::new(c).ok());
            Ok(Parsed::Record(SubIcbLocation {
                code: ods,
                ons_code: Some(row.req(code)?),
                name: name_text,
                icb: None,
                ons_icb: icb.map(|i| row.opt::<OnsIcbCode>(i)).transpose()?.flatten(),
            }))
        },
    )
}
