//! ODS `epraccur.csv`: GP practices and prescribing cost centres.

use std::io::Read;

use chrono::NaiveDate;
use pcnkit_core::{CoreError, IcbCode, OdsCode, Postcode, PracticeCode, RegionCode, SubIcbCode};
use serde::{Deserialize, Serialize};

use super::{ImportOptions, Imported, Parsed, read_csv};
use crate::error::OrgError;
use crate::model::{Practice, PracticeStatus, PrescribingSetting};
use pcnkit_core::DataErrorKind;

/// The 27 columns of `epraccur.csv`, in order (the file has no header row).
pub const EPRACCUR_COLUMNS: [&str; 27] = [
    "Organisation Code",
    "Name",
    "National Grouping",
    "High Level Health Geography",
    "Address Line 1",
    "Address Line 2",
    "Address Line 3",
    "Address Line 4",
    "Address Line 5",
    "Postcode",
    "Open Date",
    "Close Date",
    "Status Code",
    "Organisation Sub-Type Code",
    "Commissioner",
    "Join Provider/Purchaser Date",
    "Left Provider/Purchaser Date",
    "Contact Telephone Number",
    "Null 19",
    "Null 20",
    "Null 21",
    "Amended Record Indicator",
    "Null 23",
    "Provider/Purchaser",
    "Null 25",
    "Prescribing Setting",
    "Null 27",
];

/// One row of `epraccur.csv`: any ODS prescribing organisation, of which GP practices are the
/// rows with prescribing setting 4 ([`EpraccurRecord::is_gp_practice`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EpraccurRecord {
    /// Organisation code (a practice code for GP practices).
    pub code: OdsCode,
    /// Name.
    pub name: String,
    /// National grouping: the NHS England region (`Y..`), `W00` for Wales.
    pub national_grouping: Option<OdsCode>,
    /// High level health geography: the ICB (`Q..`; `Q99` none).
    pub high_level_health_geography: Option<OdsCode>,
    /// Address lines 1 to 5, blanks removed.
    pub address: Vec<String>,
    /// Postcode.
    pub postcode: Option<Postcode>,
    /// Open date.
    pub open_date: Option<NaiveDate>,
    /// Close date.
    pub close_date: Option<NaiveDate>,
    /// Status.
    pub status: PracticeStatus,
    /// Organisation sub-type: `B` allocated to a commissioner, `Z` not allocated.
    pub sub_type: Option<String>,
    /// Commissioner: the parent sub-ICB location (or Welsh health board).
    pub commissioner: Option<OdsCode>,
    /// Date it joined that commissioner.
    pub join_date: Option<NaiveDate>,
    /// Date it left that commissioner.
    pub left_date: Option<NaiveDate>,
    /// Telephone number.
    pub phone: Option<String>,
    /// Changed since the previous release.
    pub amended: bool,
    /// Provider/purchaser code (usually the commissioner).
    pub provider_purchaser: Option<OdsCode>,
    /// Prescribing setting (4 = GP practice).
    pub prescribing_setting: PrescribingSetting,
}

impl EpraccurRecord {
    /// Whether this row is a GP practice (prescribing setting 4).
    pub fn is_gp_practice(&self) -> bool {
        self.prescribing_setting.is_gp_practice()
    }

    /// The row as a [`Practice`]. The code must be a practice code; the commissioner becomes the
    /// sub-ICB location when it has that form (Welsh health boards do not); `Q99` and `Y99`
    /// ("none") become `None`.
    pub fn to_practice(&self) -> Result<Practice, CoreError> {
        let mut p = Practice::new(PracticeCode::new(self.code.as_str())?, self.name.clone());
        p.postcode = self.postcode;
        p.status = self.status;
        p.open_date = self.open_date;
        p.close_date = self.close_date;
        p.prescribing_setting = self.prescribing_setting;
        p.sub_icb = self
            .commissioner
            .and_then(|c| SubIcbCode::new(c.as_str()).ok());
        p.icb = self
            .high_level_health_geography
            .filter(|c| c.as_str() != "Q99")
            .and_then(|c| IcbCode::new(c.as_str()).ok());
        p.region = self
            .national_grouping
            .filter(|c| c.as_str() != "Y99")
            .and_then(|c| RegionCode::new(c.as_str()).ok());
        Ok(p)
    }
}

/// Reads `epraccur.csv` (no header, 27 columns).
///
/// ```
/// use pcnkit_org::import::{read_epraccur, ImportOptions};
/// let csv = "\"A81001\",\"THE DENSHAM SURGERY\",\"Y63\",\"QHM\",\"THE HEALTH CENTRE\",\"LAWSON STREET\",\"STOCKTON ON TEES\",\"CLEVELAND\",\"\",\"TS18 1HU\",\"19740401\",\"\",\"A\",\"B\",\"16C\",\"20200401\",\"\",\"01642 672351\",\"\",\"\",\"\",\"0\",\"\",\"16C\",\"\",\"4\",\"\"\n";
/// let imported = read_epraccur(csv.as_bytes(), ImportOptions::new("epraccur.csv"))?;
/// let practice = imported.records[0].to_practice()?;
/// assert_eq!(practice.sub_icb.map(|c| c.to_string()), Some("16C".to_owned()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_epraccur<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<EpraccurRecord>, OrgError> {
    read_csv(
        input,
        options,
        Some(&EPRACCUR_COLUMNS),
        |_| Ok(()),
        |_, row| {
            if row.len() != EPRACCUR_COLUMNS.len() {
                return Err(row.error(
                    0,
                    DataErrorKind::Malformed(format!("expected 27 fields, found {}", row.len())),
                ));
            }
            let status_text = row.text(12)?;
            let status = PracticeStatus::from_ods(status_text).ok_or_else(|| {
                row.error(
                    12,
                    DataErrorKind::Malformed(format!(
                        "unknown status code {status_text:?} (expected A, C, D or P)"
                    )),
                )
            })?;
            let setting_text = row.text(25)?;
            let setting = setting_text
                .parse::<u8>()
                .map(PrescribingSetting)
                .map_err(|_| {
                    row.error(
                        25,
                        DataErrorKind::Malformed(format!(
                            "prescribing setting {setting_text:?} is not a number"
                        )),
                    )
                })?;
            let amended = match row.text(21)? {
                "1" => true,
                "0" | "" => false,
                other => {
                    return Err(row.error(
                        21,
                        DataErrorKind::Malformed(format!(
                            "amended indicator {other:?} is not 0 or 1"
                        )),
                    ));
                }
            };
            Ok(Parsed::Record(EpraccurRecord {
                code: row.req(0)?,
                name: row.req_text(1)?,
                national_grouping: row.opt(2)?,
                high_level_health_geography: row.opt(3)?,
                address: (4..9)
                    .map(|i| row.opt_text(i))
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .flatten()
                    .collect(),
                postcode: row.opt(9)?,
                open_date: row.opt_date(10)?,
                close_date: row.opt_date(11)?,
                status,
                sub_type: row.opt_text(13)?,
                commissioner: row.opt(14)?,
                join_date: row.opt_date(15)?,
                left_date: row.opt_date(16)?,
                phone: row.opt_text(17)?,
                amended,
                provider_purchaser: row.opt(23)?,
                prescribing_setting: setting,
            }))
        },
    )
}
