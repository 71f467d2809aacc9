//! Export of every table to Arrow `RecordBatch`, Parquet and CSV, with stable schemas.
//!
//! | table | function | columns |
//! |---|---|---|
//! | practices | [`practices_table`] | `practice` Utf8, `name` Utf8, `postcode` Utf8?, `status` Utf8, `open_date` Date32?, `close_date` Date32?, `prescribing_setting` UInt8, `sub_icb` Utf8?, `icb` Utf8?, `region` Utf8? |
//! | PCNs | [`pcns_table`] | `pcn` Utf8, `name` Utf8, `open_date` Date32?, `close_date` Date32?, `sub_icb` Utf8?, `icb` Utf8?, `lead_practice` Utf8?, `postcode` Utf8? |
//! | memberships | [`memberships_table`] | `practice` Utf8, `pcn` Utf8, `start` Date32, `end` Date32? (inclusive, null = current) |
//! | list sizes | [`list_sizes_table`] | `practice` Utf8, `extract_date` Date32, `sex` Utf8? (null = all), `age_band` Utf8? (null = all ages), `patients` UInt64 |
//! | snapshot | [`snapshot_table`] | `date` Date32, `practice` Utf8, `practice_name` Utf8, `pcn` Utf8?, `pcn_name` Utf8?, `sub_icb` Utf8?, `icb` Utf8?, `region` Utf8?, `patients` UInt64?, `extract_date` Date32? |
//! | roll-up | [`rollup_table`] | `level` Utf8, `code` Utf8?, `practices` UInt32, `patients` UInt64, `missing_list_sizes` UInt32 |
//!
//! List sizes hold one row per published cell: the total (`sex` and `age_band` null) and each
//! age/sex cell, so the table round-trips to the same registry. Files are written with
//! `pcnkit_core::write`, shared by every front end.

use arrow_array::RecordBatch;
use arrow_schema::FieldRef;
use chrono::NaiveDate;
use pcnkit_core::arrow::{ArrowRecord, field, to_record_batch};
use pcnkit_core::{
    AgeBand, IcbCode, PatientCount, PcnCode, Postcode, PracticeCode, RegionCode, Sex, SubIcbCode,
};
use serde::{Deserialize, Serialize};

use crate::error::OrgError;
use crate::model::PracticeStatus;
use crate::population::ListSizeRecord;
use crate::registry::{AreaPopulation, Level, Registry, Snapshot};

/// A row of the practices table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct PracticeRow {
    pub practice: PracticeCode,
    pub name: String,
    pub postcode: Option<Postcode>,
    pub status: PracticeStatus,
    pub open_date: Option<NaiveDate>,
    pub close_date: Option<NaiveDate>,
    pub prescribing_setting: u8,
    pub sub_icb: Option<SubIcbCode>,
    pub icb: Option<IcbCode>,
    pub region: Option<RegionCode>,
}

impl ArrowRecord for PracticeRow {
    fn arrow_fields() -> Vec<FieldRef> {
        vec![
            field::<PracticeCode>("practice"),
            field::<String>("name"),
            field::<Option<Postcode>>("postcode"),
            field::<String>("status"),
            field::<Option<NaiveDate>>("open_date"),
            field::<Option<NaiveDate>>("close_date"),
            field::<u8>("prescribing_setting"),
            field::<Option<SubIcbCode>>("sub_icb"),
            field::<Option<IcbCode>>("icb"),
            field::<Option<RegionCode>>("region"),
        ]
    }
}

/// A row of the PCNs table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct PcnRow {
    pub pcn: PcnCode,
    pub name: String,
    pub open_date: Option<NaiveDate>,
    pub close_date: Option<NaiveDate>,
    pub sub_icb: Option<SubIcbCode>,
    pub icb: Option<IcbCode>,
    pub lead_practice: Option<PracticeCode>,
    pub postcode: Option<Postcode>,
}

impl ArrowRecord for PcnRow {
    fn arrow_fields() -> Vec<FieldRef> {
        vec![
            field::<PcnCode>("pcn"),
            field::<String>("name"),
            field::<Option<NaiveDate>>("open_date"),
            field::<Option<NaiveDate>>("close_date"),
            field::<Option<SubIcbCode>>("sub_icb"),
            field::<Option<IcbCode>>("icb"),
            field::<Option<PracticeCode>>("lead_practice"),
            field::<Option<Postcode>>("postcode"),
        ]
    }
}

/// A row of the memberships table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct MembershipRow {
    pub practice: PracticeCode,
    pub pcn: PcnCode,
    pub start: NaiveDate,
    /// Last day, inclusive; `None` while current.
    pub end: Option<NaiveDate>,
}

impl ArrowRecord for MembershipRow {
    fn arrow_fields() -> Vec<FieldRef> {
        vec![
            field::<PracticeCode>("practice"),
            field::<PcnCode>("pcn"),
            field::<NaiveDate>("start"),
            field::<Option<NaiveDate>>("end"),
        ]
    }
}

impl ArrowRecord for ListSizeRecord {
    fn arrow_fields() -> Vec<FieldRef> {
        vec![
            field::<PracticeCode>("practice"),
            field::<NaiveDate>("extract_date"),
            field::<Option<Sex>>("sex"),
            field::<Option<AgeBand>>("age_band"),
            field::<PatientCount>("patients"),
        ]
    }
}

/// A row of the snapshot table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct SnapshotTableRow {
    pub date: NaiveDate,
    pub practice: PracticeCode,
    pub practice_name: String,
    pub pcn: Option<PcnCode>,
    pub pcn_name: Option<String>,
    pub sub_icb: Option<SubIcbCode>,
    pub icb: Option<IcbCode>,
    pub region: Option<RegionCode>,
    pub patients: Option<PatientCount>,
    pub extract_date: Option<NaiveDate>,
}

impl ArrowRecord for SnapshotTableRow {
    fn arrow_fields() -> Vec<FieldRef> {
        vec![
            field::<NaiveDate>("date"),
            field::<PracticeCode>("practice"),
            field::<String>("practice_name"),
            field::<Option<PcnCode>>("pcn"),
            field::<Option<String>>("pcn_name"),
            field::<Option<SubIcbCode>>("sub_icb"),
            field::<Option<IcbCode>>("icb"),
            field::<Option<RegionCode>>("region"),
            field::<Option<PatientCount>>("patients"),
            field::<Option<NaiveDate>>("extract_date"),
        ]
    }
}

/// A row of the roll-up table. `patients` is null when a practice of the area has no list
/// (unknown, never the sum of the others); `patients_known` is the sum of those that have one
/// (a lower bound then), and `missing_list_sizes` counts the practices without.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct RollupRow {
    pub level: Level,
    pub code: Option<String>,
    pub practices: u32,
    pub patients: Option<PatientCount>,
    pub patients_known: PatientCount,
    pub missing_list_sizes: u64,
}

impl ArrowRecord for RollupRow {
    fn arrow_fields() -> Vec<FieldRef> {
        vec![
            field::<String>("level"),
            field::<Option<String>>("code"),
            field::<u32>("practices"),
            field::<Option<PatientCount>>("patients"),
            field::<PatientCount>("patients_known"),
            field::<u64>("missing_list_sizes"),
        ]
    }
}

/// The practices table.
pub fn practices_table(registry: &Registry) -> Result<RecordBatch, OrgError> {
    let rows: Vec<PracticeRow> = registry
        .practices()
        .map(|p| PracticeRow {
            practice: p.code,
            name: p.name.clone(),
            postcode: p.postcode,
            status: p.status,
            open_date: p.open_date,
            close_date: p.close_date,
            prescribing_setting: p.prescribing_setting.0,
            sub_icb: p.sub_icb,
            icb: p.icb,
            region: p.region,
        })
        .collect();
    Ok(to_record_batch(&rows)?)
}

/// The PCNs table.
pub fn pcns_table(registry: &Registry) -> Result<RecordBatch, OrgError> {
    let rows: Vec<PcnRow> = registry
        .pcns()
        .map(|p| PcnRow {
            pcn: p.code,
            name: p.name.clone(),
            open_date: p.open_date,
            close_date: p.close_date,
            sub_icb: p.sub_icb,
            icb: p.icb,
            lead_practice: p.lead_practice,
            postcode: p.postcode,
        })
        .collect();
    Ok(to_record_batch(&rows)?)
}

/// The memberships table.
pub fn memberships_table(registry: &Registry) -> Result<RecordBatch, OrgError> {
    let rows: Vec<MembershipRow> = registry
        .memberships()
        .map(|m| MembershipRow {
            practice: m.practice,
            pcn: m.pcn,
            start: m.period.start(),
            end: m.period.end_inclusive(),
        })
        .collect();
    Ok(to_record_batch(&rows)?)
}

/// The list-sizes table: per practice and extract date, the total row then each age/sex cell.
pub fn list_sizes_table(registry: &Registry) -> Result<RecordBatch, OrgError> {
    let sizes = registry.list_sizes();
    let mut rows = Vec::new();
    for practice in sizes.practices() {
        for (date, list) in sizes.history(practice) {
            rows.push(ListSizeRecord::new(practice, date, None, None, list.total));
            rows.extend(list.by_age_sex.iter().map(|c| {
                ListSizeRecord::new(practice, date, Some(c.sex), Some(c.age_band), c.patients)
            }));
        }
    }
    Ok(to_record_batch(&rows)?)
}

/// A snapshot as a table.
pub fn snapshot_table(snapshot: &Snapshot) -> Result<RecordBatch, OrgError> {
    let rows: Vec<SnapshotTableRow> = snapshot
        .rows
        .iter()
        .map(|r| SnapshotTableRow {
            date: snapshot.date,
            practice: r.practice,
            practice_name: r.practice_name.clone(),
            pcn: r.pcn,
            pcn_name: r.pcn_name.clone(),
            sub_icb: r.sub_icb,
            icb: r.icb,
            region: r.region,
            patients: r.patients,
            extract_date: r.extract_date,
        })
        .collect();
    Ok(to_record_batch(&rows)?)
}

/// A roll-up as a table.
pub fn rollup_table(areas: &[AreaPopulation]) -> Result<RecordBatch, OrgError> {
    let rows: Vec<RollupRow> = areas
        .iter()
        .map(|a| RollupRow {
            level: a.level,
            code: a.code.clone(),
            practices: a.practices,
            patients: a.missing_list_sizes.is_empty().then_some(a.patients),
            patients_known: a.patients,
            missing_list_sizes: a.missing_list_sizes.len() as u64,
        })
        .collect();
    Ok(to_record_batch(&rows)?)
}

/// Tables in the layouts NHS England publishes, so files made by pcnkit (the demo ICS, or a
/// registry edited in code) can be read by anything that reads the official files, including
/// pcnkit's own importers. Every column is text, exactly as in the published CSVs.
pub mod nhs {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, RecordBatch, StringArray};
    use chrono::NaiveDate;

    use crate::error::OrgError;
    use crate::population::{ListSizeRecord, PracticeLsoaRecord};
    use crate::registry::Registry;

    const PUBLICATION: &str = "GP_PRAC_PAT_LIST";

    fn nhs_date(d: NaiveDate) -> String {
        // The published files spell dates like `01Aug2026`.
        d.format("%d%b%Y").to_string()
    }

    fn push_row<const N: usize>(cols: &mut [Vec<String>], values: [String; N]) {
        for (c, v) in cols.iter_mut().zip(values) {
            c.push(v);
        }
    }

    fn text_batch(columns: Vec<(&str, Vec<String>)>) -> Result<RecordBatch, OrgError> {
        RecordBatch::try_from_iter(
            columns
                .into_iter()
                .map(|(n, v)| (n, Arc::new(StringArray::from(v)) as ArrayRef)),
        )
        .map_err(|e| OrgError::Export(e.to_string()))
    }

    /// `gp-reg-pat-prac-map.csv`: every practice open on `date` with its PCN (`U` when in
    /// none), sub-ICB location, ICB and region, codes and names as the registry holds them.
    pub fn practice_map_table(
        registry: &Registry,
        date: NaiveDate,
        extract_date: NaiveDate,
    ) -> Result<RecordBatch, OrgError> {
        let names = [
            "PUBLICATION",
            "EXTRACT_DATE",
            "PRACTICE_CODE",
            "PRACTICE_NAME",
            "PRACTICE_POSTCODE",
            "PCN_CODE",
            "PCN_NAME",
            "ONS_SUB_ICB_LOCATION_CODE",
            "SUB_ICB_LOCATION_CODE",
            "SUB_ICB_LOCATION_NAME",
            "ONS_ICB_CODE",
            "ICB_CODE",
            "ICB_NAME",
            "ONS_COMM_REGION_CODE",
            "COMM_REGION_CODE",
            "COMM_REGION_NAME",
        ];
        let mut cols: Vec<Vec<String>> = vec![Vec::new(); names.len()];
        let opt = |v: Option<String>| v.unwrap_or_default();
        for row in registry.snapshot(date).rows {
            let practice = registry.practice(row.practice);
            let sub = row
                .sub_icb
                .and_then(|c| registry.sub_icbs().iter().find(|s| s.code == Some(c)));
            let icb = row.icb.and_then(|c| registry.icbs().find(|i| i.code == c));
            let region = row
                .region
                .and_then(|c| registry.regions().find(|r| r.code == c));
            let values = [
                PUBLICATION.to_owned(),
                nhs_date(extract_date),
                row.practice.to_string(),
                row.practice_name.clone(),
                opt(practice.and_then(|p| p.postcode).map(|p| p.to_string())),
                row.pcn.map_or_else(|| "U".to_owned(), |p| p.to_string()),
                opt(row.pcn_name.clone()),
                opt(sub.and_then(|s| s.ons_code).map(|c| c.to_string())),
                opt(row.sub_icb.map(|c| c.to_string())),
                opt(sub.map(|s| s.name.clone())),
                opt(icb.and_then(|i| i.ons_code).map(|c| c.to_string())),
                opt(row.icb.map(|c| c.to_string())),
                opt(icb.map(|i| i.name.clone())),
                opt(region.and_then(|r| r.ons_code).map(|c| c.to_string())),
                opt(row.region.map(|c| c.to_string())),
                opt(region.map(|r| r.name.clone())),
            ];
            push_row(&mut cols, values);
        }
        text_batch(names.into_iter().zip(cols).collect())
    }

    /// `gp-reg-pat-prac-quin-age.csv` (or the single-year files, as the bands are): one row per
    /// practice, sex and age band, with `ALL` for totals.
    pub fn registered_patients_table(records: &[ListSizeRecord]) -> Result<RecordBatch, OrgError> {
        let names = [
            "PUBLICATION",
            "EXTRACT_DATE",
            "ORG_TYPE",
            "ORG_CODE",
            "ONS_CODE",
            "SEX",
            "AGE_GROUP_5",
            "NUMBER_OF_PATIENTS",
        ];
        let mut cols: Vec<Vec<String>> = vec![Vec::new(); names.len()];
        for r in records {
            let sex = match r.sex {
                None => "ALL".to_owned(),
                Some(s) => s.to_string().to_ascii_uppercase(),
            };
            let age = r.age_band.map_or_else(
                || "ALL".to_owned(),
                |b| match b.upper() {
                    Some(u) if u != b.lower() => format!("{}_{u}", b.lower()),
                    Some(_) => b.lower().to_string(),
                    None => format!("{}+", b.lower()),
                },
            );
            let values = [
                PUBLICATION.to_owned(),
                nhs_date(r.extract_date),
                "GP".to_owned(),
                r.practice.to_string(),
                String::new(),
                sex,
                age,
                r.patients.get().to_string(),
            ];
            push_row(&mut cols, values);
        }
        text_batch(names.into_iter().zip(cols).collect())
    }

    /// `gp-reg-pat-prac-lsoa-all.csv`: patients per practice per LSOA (all persons).
    pub fn practice_lsoa_table(
        registry: &Registry,
        records: &[PracticeLsoaRecord],
    ) -> Result<RecordBatch, OrgError> {
        let names = [
            "PUBLICATION",
            "EXTRACT_DATE",
            "PRACTICE_CODE",
            "PRACTICE_NAME",
            "LSOA_CODE",
            "SEX",
            "NUMBER_OF_PATIENTS",
        ];
        let mut cols: Vec<Vec<String>> = vec![Vec::new(); names.len()];
        for r in records {
            let values = [
                PUBLICATION.to_owned(),
                nhs_date(r.extract_date),
                r.practice.to_string(),
                registry
                    .practice(r.practice)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                r.lsoa.to_string(),
                "ALL".to_owned(),
                r.patients.get().to_string(),
            ];
            push_row(&mut cols, values);
        }
        text_batch(names.into_iter().zip(cols).collect())
    }
}
