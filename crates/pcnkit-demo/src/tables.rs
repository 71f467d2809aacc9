//! The demo ICS as named Arrow tables (all synthetic), for files, the report and notebooks.

use arrow_array::RecordBatch;
use pcnkit_core::arrow::{ArrowRecord, field, to_record_batch};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::DemoIcs;

/// One LSOA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LsoaRow {
    /// LSOA code (synthetic `E019…`).
    pub lsoa: String,
    /// Place (sub-ICB) code.
    pub place: String,
    /// Centroid latitude.
    pub latitude: f64,
    /// Centroid longitude.
    pub longitude: f64,
    /// Registered patients living there.
    pub population: u64,
    /// IMD decile (1 = most deprived).
    pub imd_decile: u8,
    /// Synthetic IMD score (higher is more deprived).
    pub imd_score: f64,
    /// The release of the indices: `synthetic`.
    pub imd_release: String,
}

/// Patients on a register (or admissions) by practice, band and sex.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountRow {
    /// Practice code.
    pub practice: String,
    /// PCN code.
    pub pcn: String,
    /// What is counted (`diabetes`, …, `emergency_admissions`).
    pub measure: String,
    /// Five-year band (`0-4` … `90+`).
    pub age_band: String,
    /// `male` or `female`.
    pub sex: String,
    /// The count.
    pub count: u64,
    /// Registered patients in the cell.
    pub population: u64,
}

/// One ARRS post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffRow {
    /// Staff id.
    pub id: String,
    /// PCN.
    pub pcn: String,
    /// Role id (as in the ARRS rule tables).
    pub role: String,
    /// Whole-time equivalent.
    pub wte: Decimal,
    /// First day in post.
    pub start: chrono::NaiveDate,
    /// Last day in post.
    pub end: Option<chrono::NaiveDate>,
    /// Annual cost (synthetic), pounds.
    pub annual_cost: Decimal,
    /// In the PCN's additionality baseline.
    pub in_baseline: bool,
    /// Date of the GP's Certificate of Completion of Training (newly qualified GPs).
    pub cct_date: Option<chrono::NaiveDate>,
    /// Worked in the PCN in the previous 12 months (general practice nurses).
    pub in_pcn_previous_12_months: bool,
    /// Mental health practitioner employed under an agreement with the mental health provider.
    pub mental_health_provider_agreement: bool,
    /// On an approved apprenticeship.
    pub approved_apprenticeship: bool,
}

/// A practice's position (synthetic).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct LocationRow {
    pub practice: String,
    pub latitude: f64,
    pub longitude: f64,
}

/// A PCN's weighted population (the ARRS and DES basis; synthetic).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct WeightedRow {
    pub pcn: String,
    pub weighted_patients: Decimal,
}

/// Patients of a practice living in an LSOA (synthetic).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct PracticeLsoaRow {
    pub practice: String,
    pub lsoa: String,
    pub patients: u64,
}

impl ArrowRecord for PracticeLsoaRow {
    fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
        vec![
            field::<String>("practice"),
            field::<String>("lsoa"),
            field::<u64>("patients"),
        ]
    }
}

impl ArrowRecord for LocationRow {
    fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
        vec![
            field::<String>("practice"),
            field::<f64>("latitude"),
            field::<f64>("longitude"),
        ]
    }
}

impl ArrowRecord for WeightedRow {
    fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
        vec![
            field::<String>("pcn"),
            field::<Decimal>("weighted_patients"),
        ]
    }
}

impl ArrowRecord for LsoaRow {
    fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
        vec![
            field::<String>("lsoa"),
            field::<String>("place"),
            field::<f64>("latitude"),
            field::<f64>("longitude"),
            field::<u64>("population"),
            field::<u8>("imd_decile"),
            field::<f64>("imd_score"),
            field::<String>("imd_release"),
        ]
    }
}

impl ArrowRecord for CountRow {
    fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
        vec![
            field::<String>("practice"),
            field::<String>("pcn"),
            field::<String>("measure"),
            field::<String>("age_band"),
            field::<String>("sex"),
            field::<u64>("count"),
            field::<u64>("population"),
        ]
    }
}

impl ArrowRecord for StaffRow {
    fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
        vec![
            field::<String>("id"),
            field::<String>("pcn"),
            field::<String>("role"),
            field::<Decimal>("wte"),
            field::<chrono::NaiveDate>("start"),
            field::<Option<chrono::NaiveDate>>("end"),
            field::<Decimal>("annual_cost"),
            field::<bool>("in_baseline"),
            field::<Option<chrono::NaiveDate>>("cct_date"),
            field::<bool>("in_pcn_previous_12_months"),
            field::<bool>("mental_health_provider_agreement"),
            field::<bool>("approved_apprenticeship"),
        ]
    }
}

/// Condition registers and admissions as rows with the population of each cell, ready for
/// the indicator methods (DSR by PCN, prevalence).
pub fn count_rows(ics: &DemoIcs) -> Vec<CountRow> {
    use std::collections::HashMap;
    let date = ics.extract_date;
    let mut population: HashMap<(pcnkit_core::PracticeCode, String, String), u64> = HashMap::new();
    for l in &ics.list_sizes {
        if let (Some(b), Some(s)) = (l.age_band, l.sex) {
            population.insert((l.practice, b.to_string(), s.to_string()), l.patients.get());
        }
    }
    let pcn = |p: pcnkit_core::PracticeCode| {
        ics.registry
            .pcn_of(p, date)
            .map(|c| c.to_string())
            .unwrap_or_default()
    };
    let mut rows = Vec::new();
    for c in &ics.health.conditions {
        let key = (c.practice, c.age_band.to_string(), c.sex.to_string());
        rows.push(CountRow {
            practice: c.practice.to_string(),
            pcn: pcn(c.practice),
            measure: c.condition.code().to_owned(),
            population: population.get(&key).copied().unwrap_or(0),
            age_band: key.1,
            sex: key.2,
            count: c.patients,
        });
    }
    for a in &ics.health.admissions {
        let key = (a.practice, a.age_band.to_string(), a.sex.to_string());
        rows.push(CountRow {
            practice: a.practice.to_string(),
            pcn: pcn(a.practice),
            measure: "emergency_admissions".to_owned(),
            population: population.get(&key).copied().unwrap_or(0),
            age_band: key.1,
            sex: key.2,
            count: a.admissions,
        });
    }
    rows
}

/// Every demo table by name: `practices`, `pcns`, `memberships`, `list_sizes`, `lsoas`,
/// `counts` (condition registers and admissions), `arrs_staff`, `assets`,
/// `practice_locations` (practice, latitude, longitude), `weighted_populations` (pcn,
/// weighted_patients) and `practice_lsoa` (practice, lsoa, patients: where each practice's
/// patients live).
pub fn tables(
    ics: &DemoIcs,
) -> Result<Vec<(&'static str, RecordBatch)>, Box<dyn std::error::Error>> {
    use pcnkit_org::export::{list_sizes_table, memberships_table, pcns_table, practices_table};
    let r = &ics.registry;
    let lsoas: Vec<LsoaRow> = ics
        .health
        .lsoas
        .iter()
        .map(|l| LsoaRow {
            lsoa: l.code.to_string(),
            place: l.place.to_string(),
            latitude: l.centroid.lat(),
            longitude: l.centroid.lon(),
            population: l.population,
            imd_decile: l.imd_decile.get(),
            imd_score: l.imd_score,
            imd_release: "synthetic".to_owned(),
        })
        .collect();
    let staff: Vec<StaffRow> = ics
        .health
        .staff
        .iter()
        .map(|s| StaffRow {
            id: s.id.clone(),
            pcn: s.pcn.map(|p| p.to_string()).unwrap_or_default(),
            role: s.role.clone(),
            wte: s.wte.value(),
            start: s.start,
            end: s.end,
            annual_cost: s.annual_cost.pounds(),
            in_baseline: s.in_baseline,
            cct_date: s.cct_date,
            in_pcn_previous_12_months: s.in_pcn_previous_12_months,
            mental_health_provider_agreement: s.mental_health_provider_agreement,
            approved_apprenticeship: s.approved_apprenticeship,
        })
        .collect();
    let locations: Vec<LocationRow> = ics
        .health
        .practice_points
        .iter()
        .map(|(p, g)| LocationRow {
            practice: p.to_string(),
            latitude: g.lat(),
            longitude: g.lon(),
        })
        .collect();
    let weighted: Vec<WeightedRow> = ics
        .health
        .weighted
        .iter()
        .map(|(p, w)| WeightedRow {
            pcn: p.to_string(),
            weighted_patients: *w,
        })
        .collect();
    let practice_lsoa: Vec<PracticeLsoaRow> = ics
        .health
        .practice_lsoa
        .iter()
        .map(|r| PracticeLsoaRow {
            practice: r.practice.to_string(),
            lsoa: r.lsoa.to_string(),
            patients: r.patients.get(),
        })
        .collect();
    let register = pcnkit_assets::Register::from_assets(
        ics.health.assets.iter().cloned(),
        "pcnkit demo",
        ics.extract_date.and_hms_opt(0, 0, 0).unwrap_or_default(),
    )?;
    Ok(vec![
        ("practices", practices_table(r)?),
        ("pcns", pcns_table(r)?),
        ("memberships", memberships_table(r)?),
        ("list_sizes", list_sizes_table(r)?),
        ("lsoas", to_record_batch(&lsoas)?),
        ("counts", to_record_batch(&count_rows(ics))?),
        ("arrs_staff", to_record_batch(&staff)?),
        ("assets", pcnkit_assets::table::register_table(&register)?),
        ("practice_locations", to_record_batch(&locations)?),
        ("weighted_populations", to_record_batch(&weighted)?),
        ("practice_lsoa", to_record_batch(&practice_lsoa)?),
        ("appointments", appointments_table(ics)?),
        ("yearly", yearly_table(ics)?),
    ])
}

/// The yearly measure per PCN in pcnkit's yearly proportions layout: `pcn`, `measure`, `year`
/// (`2023/24`), `numerator`, `denominator`, `polarity`.
fn yearly_table(ics: &DemoIcs) -> Result<RecordBatch, Box<dyn std::error::Error>> {
    use std::sync::Arc;
    let y = &ics.health.yearly;
    let text = |f: &dyn Fn(&crate::YearlyMeasure) -> String| -> arrow_array::ArrayRef {
        Arc::new(arrow_array::StringArray::from_iter_values(y.iter().map(f)))
    };
    let count = |f: &dyn Fn(&crate::YearlyMeasure) -> u64| -> arrow_array::ArrayRef {
        Arc::new(arrow_array::UInt64Array::from_iter_values(y.iter().map(f)))
    };
    Ok(RecordBatch::try_from_iter([
        ("pcn", text(&|r| r.pcn.to_string())),
        ("measure", text(&|_| crate::YEARLY_MEASURE.to_owned())),
        (
            "year",
            text(&|r| format!("{}/{:02}", r.year, (r.year + 1).rem_euclid(100))),
        ),
        ("numerator", count(&|r| r.numerator)),
        ("denominator", count(&|r| r.denominator)),
        ("polarity", text(&|_| "high-is-good".to_owned())),
    ])?)
}

/// Monthly appointments per PCN: `pcn`, `month` (`2024-03`), `appointments`.
fn appointments_table(ics: &DemoIcs) -> Result<RecordBatch, Box<dyn std::error::Error>> {
    use std::sync::Arc;
    let a = &ics.health.appointments;
    Ok(RecordBatch::try_from_iter([
        (
            "pcn",
            Arc::new(arrow_array::StringArray::from_iter_values(
                a.iter().map(|r| r.pcn.to_string()),
            )) as arrow_array::ArrayRef,
        ),
        (
            "month",
            Arc::new(arrow_array::StringArray::from_iter_values(
                a.iter().map(|r| r.month.to_string()),
            )),
        ),
        (
            "appointments",
            Arc::new(arrow_array::UInt64Array::from_iter_values(
                a.iter().map(|r| r.appointments),
            )),
        ),
    ])?)
}

/// The demo ICS in the layouts NHS England publishes, by file name:
/// `gp-reg-pat-prac-map.csv`, `gp-reg-pat-prac-quin-age.csv` and `gp-reg-pat-prac-lsoa-all.csv`
/// (synthetic content, official columns), so the real-file paths of pcnkit can be tried on it.
pub fn nhs_files(
    ics: &DemoIcs,
) -> Result<Vec<(&'static str, RecordBatch)>, Box<dyn std::error::Error>> {
    use pcnkit_org::export::nhs;
    let (r, date) = (&ics.registry, ics.extract_date);
    Ok(vec![
        (
            "gp-reg-pat-prac-map.csv",
            nhs::practice_map_table(r, date, date)?,
        ),
        (
            "gp-reg-pat-prac-quin-age.csv",
            nhs::registered_patients_table(&ics.list_sizes)?,
        ),
        (
            "gp-reg-pat-prac-lsoa-all.csv",
            nhs::practice_lsoa_table(r, &ics.health.practice_lsoa)?,
        ),
    ])
}
