//! NHS Digital "Patients Registered at a GP Practice" files.

use std::io::Read;

use chrono::NaiveDate;
use pcnkit_core::{
    AgeBand, DataErrorKind, IcbCode, OnsIcbCode, OnsRegionCode, OnsSubIcbCode, PatientCount,
    PcnCode, Period, Postcode, PracticeCode, RegionCode, Sex, SubIcbCode,
};
use serde::{Deserialize, Serialize};

use super::{ImportOptions, Imported, Parsed, Row, read_csv};
use crate::error::OrgError;
use crate::membership::Membership;
use crate::model::{Icb, Pcn, Practice, Region, SubIcbLocation};
use crate::population::{ListSizeRecord, PracticeLsoaRecord};
use crate::registry::RegistryBuilder;

/// The organisation a registered-patients row counts: the `ORG_TYPE`/`TYPE` and code columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "level", content = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrgRef {
    /// A GP practice (`GP`).
    Practice(PracticeCode),
    /// A PCN (`PCN`); `None` is NHS Digital's pseudo-code `U`, practices in no PCN.
    Pcn(Option<PcnCode>),
    /// A sub-ICB location (`SUB_ICB_LOCATION_CODE`, `CCG` in older files).
    SubIcb(SubIcbCode),
    /// An ICB (`ICB`).
    Icb(IcbCode),
    /// An NHS England commissioning region (`Comm Region`).
    Region(RegionCode),
}

/// One count from any of the registered-patients files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RegisteredPatientsRecord {
    /// What is counted.
    pub org: OrgRef,
    /// Extract date.
    pub extract_date: NaiveDate,
    /// Sex, `None` for `ALL`.
    pub sex: Option<Sex>,
    /// Age band (a single year, a five-year band, `95+`), `None` for `ALL`.
    pub age_band: Option<AgeBand>,
    /// Registered patients.
    pub patients: PatientCount,
}

impl RegisteredPatientsRecord {
    /// The practice list-size count this row gives, if it counts a practice.
    pub fn to_list_size(&self) -> Option<ListSizeRecord> {
        match self.org {
            OrgRef::Practice(p) => Some(ListSizeRecord::new(
                p,
                self.extract_date,
                self.sex,
                self.age_band,
                self.patients,
            )),
            _ => None,
        }
    }
}

fn parse_org(
    row: &Row<'_>,
    type_col: Option<usize>,
    code_col: usize,
) -> Result<OrgRef, pcnkit_core::DataError> {
    let kind = match type_col {
        Some(i) => row.text(i)?,
        None => "GP",
    };
    let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(kind));
    Ok(if is(&["GP"]) {
        OrgRef::Practice(row.req(code_col)?)
    } else if is(&["PCN"]) {
        match row.text(code_col)? {
            "U" => OrgRef::Pcn(None),
            _ => OrgRef::Pcn(Some(row.req(code_col)?)),
        }
    } else if is(&[
        "SUB_ICB_LOCATION_CODE",
        "SUB_ICB_LOCATION",
        "SUB ICB LOCATION",
        "CCG",
    ]) {
        OrgRef::SubIcb(row.req(code_col)?)
    } else if is(&["ICB"]) {
        OrgRef::Icb(row.req(code_col)?)
    } else if is(&["COMM REGION", "COMM_REGION", "REGION"]) {
        OrgRef::Region(row.req(code_col)?)
    } else {
        let i = type_col.unwrap_or(code_col);
        return Err(row.error(
            i,
            DataErrorKind::Malformed(format!("unknown organisation type {kind:?}")),
        ));
    })
}

/// Reads any "Patients Registered at a GP Practice" count file: all persons per practice
/// (`gp-reg-pat-prac-all`), five-year bands (`…-quin-age`), single year of age per practice
/// (`…-sing-age-male/female`) or per PCN, sub-ICB, ICB and region (`…-sing-age-regions`).
/// The layout is found from the header; `ALL` in `SEX` or `AGE` means a total.
///
/// ```
/// use pcnkit_org::import::{read_registered_patients, ImportOptions};
/// let csv = "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n\
///            GP_PRAC_PAT_LIST,01JAN2021,GP,00L,E38000130,A84002,NE65 7UW,ALL,ALL,5903\n";
/// let rows = read_registered_patients(csv.as_bytes(), ImportOptions::new("gp-reg-pat-prac-all.csv"))?.records;
/// assert_eq!(rows[0].patients.get(), 5903);
/// assert_eq!(rows[0].sex, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_registered_patients<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<RegisteredPatientsRecord>, OrgError> {
    let mut last_date: Option<(String, NaiveDate)> = None;
    read_csv(
        input,
        options,
        None,
        |c| {
            Ok((
                c.find(&["ORG_TYPE", "TYPE"]),
                c.require(&["CODE", "ORG_CODE", "PRACTICE_CODE"])?,
                c.require(&["EXTRACT_DATE"])?,
                c.require(&["SEX"])?,
                c.find(&["AGE", "AGE_GROUP_5", "AGE_GROUP"]),
                c.require(&["NUMBER_OF_PATIENTS"])?,
            ))
        },
        |&(type_col, code, date, sex, age, patients), row| {
            // Every row of a file usually has the same extract date: parse it once.
            let date_text = row.text(date)?;
            let extract_date = match &last_date {
                Some((text, parsed)) if text == date_text => *parsed,
                _ => {
                    let parsed = row.req_date(date)?;
                    last_date = Some((date_text.to_owned(), parsed));
                    parsed
                }
            };
            let sex_text = row.text(sex)?;
            let sex = if sex_text.eq_ignore_ascii_case("ALL") {
                None
            } else {
                Some(row.req::<Sex>(sex)?)
            };
            let age_band = match age {
                Some(i) if !row.text(i)?.eq_ignore_ascii_case("ALL") => {
                    Some(row.req::<AgeBand>(i)?)
                }
                _ => None,
            };
            Ok(Parsed::Record(RegisteredPatientsRecord {
                org: parse_org(row, type_col, code)?,
                extract_date,
                sex,
                age_band,
                patients: row.req_count(patients)?,
            }))
        },
    )
}

/// One row of `gp-reg-pat-prac-map.csv`: a practice and its PCN, sub-ICB, ICB and region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PracticeMapRecord {
    /// Extract date.
    pub extract_date: NaiveDate,
    /// Practice.
    pub practice: PracticeCode,
    /// Practice name.
    pub practice_name: String,
    /// Practice postcode.
    pub practice_postcode: Option<Postcode>,
    /// PCN; `None` for the pseudo-code `U` (not in a PCN).
    pub pcn: Option<PcnCode>,
    /// PCN name.
    pub pcn_name: Option<String>,
    /// Sub-ICB location (ODS).
    pub sub_icb: SubIcbCode,
    /// Sub-ICB location (ONS).
    pub ons_sub_icb: Option<OnsSubIcbCode>,
    /// Sub-ICB location name.
    pub sub_icb_name: String,
    /// ICB (ODS).
    pub icb: IcbCode,
    /// ICB (ONS).
    pub ons_icb: Option<OnsIcbCode>,
    /// ICB name.
    pub icb_name: String,
    /// Region (ODS).
    pub region: RegionCode,
    /// Region (ONS).
    pub ons_region: Option<OnsRegionCode>,
    /// Region name.
    pub region_name: String,
    /// GP IT system supplier.
    pub supplier: Option<String>,
}

/// Reads `gp-reg-pat-prac-map.csv`.
pub fn read_practice_map<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<PracticeMapRecord>, OrgError> {
    read_csv(
        input,
        options,
        None,
        |c| {
            Ok((
                [
                    c.require(&["EXTRACT_DATE"])?,
                    c.require(&["PRACTICE_CODE"])?,
                    c.require(&["PRACTICE_NAME"])?,
                    c.require(&["PRACTICE_POSTCODE"])?,
                    c.require(&["PCN_CODE"])?,
                    c.require(&["PCN_NAME"])?,
                    c.require(&["SUB_ICB_LOCATION_CODE", "CCG_CODE"])?,
                    c.require(&["ONS_SUB_ICB_LOCATION_CODE", "ONS_CCG_CODE"])?,
                    c.require(&["SUB_ICB_LOCATION_NAME", "CCG_NAME"])?,
                    c.require(&["ICB_CODE", "STP_CODE"])?,
                    c.require(&["ONS_ICB_CODE", "ONS_STP_CODE"])?,
                    c.require(&["ICB_NAME", "STP_NAME"])?,
                    c.require(&["COMM_REGION_CODE"])?,
                    c.require(&["ONS_COMM_REGION_CODE"])?,
                    c.require(&["COMM_REGION_NAME"])?,
                ],
                c.find(&["SUPPLIER_NAME"]),
            ))
        },
        |&(
            [
                date,
                practice,
                name,
                postcode,
                pcn,
                pcn_name,
                sub,
                ons_sub,
                sub_name,
                icb,
                ons_icb,
                icb_name,
                region,
                ons_region,
                region_name,
            ],
            supplier,
        ),
         row| {
            let pcn = match row.text(pcn)? {
                "U" => None,
                _ => Some(row.req(pcn)?),
            };
            Ok(Parsed::Record(PracticeMapRecord {
                extract_date: row.req_date(date)?,
                practice: row.req(practice)?,
                practice_name: row.req_text(name)?,
                practice_postcode: row.opt(postcode)?,
                pcn,
                pcn_name: row.opt_text(pcn_name)?,
                sub_icb: row.req(sub)?,
                ons_sub_icb: row.opt(ons_sub)?,
                sub_icb_name: row.req_text(sub_name)?,
                icb: row.req(icb)?,
                ons_icb: row.opt(ons_icb)?,
                icb_name: row.req_text(icb_name)?,
                region: row.req(region)?,
                ons_region: row.opt(ons_region)?,
                region_name: row.req_text(region_name)?,
                supplier: row.opt_text(supplier)?,
            }))
        },
    )
}

/// A registry builder holding everything a practice map says: practices, PCNs, sub-ICB
/// locations, ICBs, regions, and each practice's membership of its PCN from the extract date
/// (the map states membership on that date only; earlier history needs the ePCN file).
pub fn registry_from_practice_map(records: &[PracticeMapRecord]) -> RegistryBuilder {
    let mut b = RegistryBuilder::new();
    for r in records {
        let mut practice = Practice::new(r.practice, r.practice_name.clone());
        practice.postcode = r.practice_postcode;
        practice.sub_icb = Some(r.sub_icb);
        practice.icb = Some(r.icb);
        practice.region = Some(r.region);
        b.practice(practice);
        let mut sub = SubIcbLocation::new(r.sub_icb, r.sub_icb_name.clone());
        sub.ons_code = r.ons_sub_icb;
        sub.icb = Some(r.icb);
        sub.ons_icb = r.ons_icb;
        b.sub_icb(sub);
        let mut icb = Icb::new(r.icb, r.icb_name.clone());
        icb.ons_code = r.ons_icb;
        icb.region = Some(r.region);
        b.icb(icb);
        let mut region = Region::new(r.region, r.region_name.clone());
        region.ons_code = r.ons_region;
        b.region(region);
        if let Some(pcn_code) = r.pcn {
            let mut pcn = Pcn::new(pcn_code, r.pcn_name.clone().unwrap_or_default());
            pcn.sub_icb = Some(r.sub_icb);
            pcn.icb = Some(r.icb);
            // Cross-boundary PCNs list different sub-ICBs for their practices; keep the first.
            b.pcn_if_absent(pcn);
            b.membership(Membership::new(
                r.practice,
                pcn_code,
                Period::starting(r.extract_date),
            ));
        }
    }
    b
}

/// Reads `gp-reg-pat-prac-lsoa-all.csv` (patients per practice per LSOA). Rows for sex other
/// than `ALL` and rows with no LSOA (`NO2011`, `NO2021`) are skipped with the reason.
pub fn read_practice_lsoa<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<PracticeLsoaRecord>, OrgError> {
    read_csv(
        input,
        options,
        None,
        |c| {
            Ok((
                c.require(&["EXTRACT_DATE"])?,
                c.require(&["PRACTICE_CODE"])?,
                c.require(&["LSOA_CODE", "LSOA_2011_CODE", "LSOA_2021_CODE"])?,
                c.find(&["SEX"]),
                c.require(&["NUMBER_OF_PATIENTS"])?,
            ))
        },
        |&(date, practice, lsoa, sex, patients), row| {
            if let Some(i) = sex {
                let s = row.text(i)?;
                if !s.eq_ignore_ascii_case("ALL") {
                    return Ok(Parsed::Skip(format!(
                        "sex {s}: only all-persons rows are imported"
                    )));
                }
            }
            let lsoa_text = row.text(lsoa)?;
            if lsoa_text.to_ascii_uppercase().starts_with("NO") {
                return Ok(Parsed::Skip(format!("no LSOA recorded ({lsoa_text})")));
            }
            Ok(Parsed::Record(PracticeLsoaRecord::new(
                row.req(practice)?,
                row.req_date(date)?,
                row.req(lsoa)?,
                row.req_count(patients)?,
            )))
        },
    )
}
