//! ODS ePCN workbook sheets, exported as CSV: "PCN Details" and "PCN Core Partner Details".

use std::io::Read;

use pcnkit_core::{DataErrorKind, PcnCode, Period, PracticeCode, SubIcbCode};
use serde::{Deserialize, Serialize};

use super::{ImportOptions, Imported, Parsed, read_csv};
use crate::error::OrgError;
use crate::membership::Membership;
use crate::model::Pcn;

const SUB_ICB_OF_PCN: &[&str] = &[
    "Current Sub ICB Location Code",
    "Current Sub-ICB Location Code",
    "Current Clinical Commissioning Group Code",
    "Sub ICB Location Code",
    "CCG Code",
];

/// Reads the "PCN Details" sheet (CCG-era and Sub-ICB-era headers both accepted).
///
/// ```
/// use pcnkit_org::import::{read_epcn_details, ImportOptions};
/// let csv = "PCN Code,PCN Name,Current Sub ICB Location Code,Sub ICB Location Name,Open Date,Close Date,Address Line 1,Address Line 2,Address Line 3,Address Line 4,Address Line 5,Postcode\n\
///            U35980,CENTRAL LIVERPOOL PCN,99A,NHS LIVERPOOL,20191001,,STUDENT SERVICES CENTRE,,,LIVERPOOL,,L69 3GD\n";
/// let pcns = read_epcn_details(csv.as_bytes(), ImportOptions::new("epcn.csv"))?.records;
/// assert_eq!(pcns[0].name, "CENTRAL LIVERPOOL PCN");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_epcn_details<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<Pcn>, OrgError> {
    read_csv(
        input,
        options,
        None,
        |c| {
            Ok([
                c.require(&["PCN Code"])?,
                c.require(&["PCN Name"])?,
                c.require(SUB_ICB_OF_PCN)?,
                c.require(&["Open Date (YYYYMMDD)", "Open Date"])?,
                c.require(&["Close Date (YYYYMMDD)", "Close Date"])?,
                c.require(&["Postcode"])?,
            ])
        },
        |&[code, name, sub_icb, open, close, postcode], row| {
            let mut pcn = Pcn::new(row.req::<PcnCode>(code)?, row.req_text(name)?);
            pcn.sub_icb = row.opt::<SubIcbCode>(sub_icb)?;
            pcn.open_date = row.opt_date(open)?;
            pcn.close_date = row.opt_date(close)?;
            if let (Some(o), Some(c)) = (pcn.open_date, pcn.close_date)
                && c < o
            {
                return Err(row.error(
                    close,
                    DataErrorKind::Conflict(format!("close date {c} is before open date {o}")),
                ));
            }
            pcn.postcode = row.opt(postcode)?;
            Ok(Parsed::Record(pcn))
        },
    )
}

/// One row of "PCN Core Partner Details": a practice's membership of a PCN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PcnMemberRecord {
    /// The practice (partner organisation).
    pub practice: PracticeCode,
    /// Practice name.
    pub practice_name: String,
    /// The practice's parent sub-ICB location (CCG in older files).
    pub practice_sub_icb: Option<SubIcbCode>,
    /// The PCN.
    pub pcn: PcnCode,
    /// PCN name.
    pub pcn_name: Option<String>,
    /// The PCN's parent sub-ICB location.
    pub pcn_sub_icb: Option<SubIcbCode>,
    /// Membership start and end (end empty = current).
    pub period: Period,
    /// Whether the practice's and the PCN's sub-ICB locations match (false = cross-boundary).
    pub same_sub_icb: Option<bool>,
}

impl PcnMemberRecord {
    /// The membership this row records.
    pub fn to_membership(&self) -> Membership {
        Membership::new(self.practice, self.pcn, self.period)
    }
}

/// Reads the "PCN Core Partner Details" sheet. An end date before the start date is an error on
/// that row, naming the end-date field.
pub fn read_epcn_members<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<PcnMemberRecord>, OrgError> {
    read_csv(
        input,
        options,
        None,
        |c| {
            Ok((
                [
                    c.require(&["Partner Organisation Code"])?,
                    c.require(&["Partner Name"])?,
                    c.require(&["PCN Code"])?,
                    c.require(&["Practice to PCN Relationship Start Date"])?,
                    c.require(&["Practice to PCN Relationship End Date"])?,
                ],
                [
                    c.find(&[
                        "Practice Parent Sub ICB Location Code",
                        "Practice Parent CCG Code",
                    ]),
                    c.find(&["PCN Name"]),
                    c.find(&["PCN Parent Sub ICB Location Code", "PCN Parent CCG Code"]),
                    c.find(&[
                        "Practice Sub ICB Location and PCN Sub ICB Location match?",
                        "Practice Sub ICB and PCN Sub ICB match?",
                        "Practice CCG and PCN CCG match?",
                    ]),
                ],
            ))
        },
        |&([practice, practice_name, pcn, start, end], [p_sub, pcn_name, pcn_sub, matches]),
         row| {
            let start_date = row.req_date(start)?;
            let end_date = row.opt_date(end)?;
            let period =
                pcnkit_core::Period::new(start_date, end_date).map_err(|e| row.error(end, e))?;
            let same_sub_icb = match row
                .opt_text(matches)?
                .as_deref()
                .map(str::to_ascii_uppercase)
                .as_deref()
            {
                None => None,
                Some("TRUE" | "YES" | "Y") => Some(true),
                Some("FALSE" | "NO" | "N") => Some(false),
                Some(other) => {
                    let i = matches.unwrap_or(0);
                    return Err(row.error(
                        i,
                        DataErrorKind::Malformed(format!("{other:?} is not TRUE or FALSE")),
                    ));
                }
            };
            Ok(Parsed::Record(PcnMemberRecord {
                practice: row.req(practice)?,
                practice_name: row.req_text(practice_name)?,
                practice_sub_icb: p_sub.map(|i| row.opt(i)).transpose()?.flatten(),
                pcn: row.req(pcn)?,
                pcn_name: row.opt_text(pcn_name)?,
                pcn_sub_icb: pcn_sub.map(|i| row.opt(i)).transpose()?.flatten(),
                period,
                same_sub_icb,
            }))
        },
    )
}
