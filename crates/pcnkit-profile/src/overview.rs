//! The ICS overview: each PCN with its practices, patients, deprivation and position, and the
//! registered population by age and sex.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use pcnkit_core::{AgeBand, PcnCode, Sex};

use crate::{ProfileError, ProfileInputs};

/// One PCN in the overview.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PcnOverview {
    /// The PCN.
    pub pcn: PcnCode,
    /// Its name.
    pub name: String,
    /// Member practices on the profile date.
    pub practices: usize,
    /// Registered patients, when known.
    pub patients: Option<u64>,
    /// Mean IMD decile of its patients (1 = most deprived), when its practices' deprivation
    /// is known.
    pub mean_imd_decile: Option<f64>,
    /// Mean latitude and longitude of its practices with a known position.
    pub position: Option<(f64, f64)>,
}

/// Registered patients of a PCN in one age band, by sex.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PyramidBand {
    /// The band.
    pub age_band: AgeBand,
    /// Men.
    pub male: u64,
    /// Women.
    pub female: u64,
    /// Patients whose sex is unknown or not stated (not drawn; counted in the caption).
    pub unknown_sex: u64,
}

/// The ICS overview.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Overview {
    /// Every PCN profiled, in code order.
    pub pcns: Vec<PcnOverview>,
    /// Practices in those PCNs.
    pub practices: usize,
    /// Registered patients of the PCNs whose lists are known.
    pub known_patients: u64,
    /// Each PCN's registered population by ESP2013 band (youngest first), where the lists
    /// give age and sex.
    pub pyramids: BTreeMap<PcnCode, Vec<PyramidBand>>,
    /// Patients in LSOAs with no known decile, left out of the mean deciles.
    pub patients_without_decile: u64,
}

impl Overview {
    /// How many PCNs' registered patients are unknown (then [`Overview::known_patients`] is
    /// a lower bound of the ICS's patients).
    pub fn unknown_patients(&self) -> usize {
        self.pcns.iter().filter(|p| p.patients.is_none()).count()
    }

    /// A PCN's row.
    pub fn pcn(&self, pcn: PcnCode) -> Option<&PcnOverview> {
        self.pcns
            .binary_search_by(|p| p.pcn.cmp(&pcn))
            .ok()
            .and_then(|i| self.pcns.get(i))
    }

    /// `pcn_overview`: `pcn`, `name`, `patients` (null when unknown), `mean_imd_decile`,
    /// `latitude`, `longitude` (null when unknown).
    pub fn table(&self) -> Result<RecordBatch, ProfileError> {
        let p = &self.pcns;
        let text = |f: &dyn Fn(&PcnOverview) -> String| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(p.iter().map(f)))
        };
        let float = |f: &dyn Fn(&PcnOverview) -> Option<f64>| -> ArrayRef {
            Arc::new(p.iter().map(f).collect::<Float64Array>())
        };
        Ok(pcnkit_core::arrow::nullable_batch([
            ("pcn", text(&|o| o.pcn.to_string())),
            ("name", text(&|o| o.name.clone())),
            (
                "patients",
                Arc::new(p.iter().map(|o| o.patients).collect::<UInt64Array>()) as ArrayRef,
            ),
            ("mean_imd_decile", float(&|o| o.mean_imd_decile)),
            ("latitude", float(&|o| o.position.map(|x| x.0))),
            ("longitude", float(&|o| o.position.map(|x| x.1))),
        ])?)
    }

    /// `pcn_population_by_age_sex`: `pcn`, `age_band`, `male`, `female`, `unknown_sex`, one
    /// row per PCN and band (the pyramids' data).
    pub fn pyramid_table(&self) -> Result<RecordBatch, ProfileError> {
        let rows: Vec<(&PcnCode, &PyramidBand)> = self
            .pyramids
            .iter()
            .flat_map(|(p, bands)| bands.iter().map(move |b| (p, b)))
            .collect();
        let count = |f: &dyn Fn(&PyramidBand) -> u64| -> ArrayRef {
            Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| f(r.1))))
        };
        Ok(pcnkit_core::arrow::nullable_batch([
            (
                "pcn",
                Arc::new(StringArray::from_iter_values(
                    rows.iter().map(|r| r.0.to_string()),
                )) as ArrayRef,
            ),
            (
                "age_band",
                Arc::new(StringArray::from_iter_values(
                    rows.iter().map(|r| r.1.age_band.to_string()),
                )),
            ),
            ("male", count(&|b| b.male)),
            ("female", count(&|b| b.female)),
            ("unknown_sex", count(&|b| b.unknown_sex)),
        ])?)
    }
}

/// The overview of `inputs`.
pub(crate) fn overview(inputs: &ProfileInputs) -> Result<Overview, ProfileError> {
    let overflow = || ProfileError::Data("a patient count too large to add up".to_owned());
    let (r, date) = (&inputs.registry, inputs.date);
    let mut pcns = Vec::with_capacity(inputs.pcns.len());
    let mut practices = 0;
    for pcn in &inputs.pcns {
        let members = r.members(*pcn, date);
        practices += members.len();
        let (mut lat, mut lon, mut located) = (0.0, 0.0, 0u32);
        let mut deprivation = crate::DecileWeight::default();
        for m in &members {
            if let Some(p) = inputs.practice_points.get(m) {
                lat += p.lat();
                lon += p.lon();
                located += 1;
            }
            if let Some(d) = inputs.practice_decile.get(m) {
                deprivation.sum += d.sum;
                deprivation.weight += d.weight;
            }
        }
        pcns.push(PcnOverview {
            pcn: *pcn,
            name: r.pcn(*pcn).map(|p| p.name.clone()).unwrap_or_default(),
            practices: members.len(),
            patients: inputs.population.get(pcn).copied().flatten(),
            mean_imd_decile: deprivation.mean(),
            position: (located > 0).then(|| (lat / f64::from(located), lon / f64::from(located))),
        });
    }
    let pyramids = inputs
        .cells
        .iter()
        .map(|(pcn, cells)| {
            let mut bands: BTreeMap<u8, PyramidBand> = BTreeMap::new();
            for c in cells {
                let b = bands.entry(c.age_band.lower()).or_insert(PyramidBand {
                    age_band: c.age_band,
                    male: 0,
                    female: 0,
                    unknown_sex: 0,
                });
                let slot = match c.sex {
                    Sex::Male => &mut b.male,
                    Sex::Female => &mut b.female,
                    _ => &mut b.unknown_sex,
                };
                *slot = slot.checked_add(c.patients).ok_or_else(overflow)?;
            }
            Ok((*pcn, bands.into_values().collect()))
        })
        .collect::<Result<_, ProfileError>>()?;
    let known_patients = pcns
        .iter()
        .filter_map(|p| p.patients)
        .try_fold(0u64, u64::checked_add)
        .ok_or_else(overflow)?;
    Ok(Overview {
        pcns,
        known_patients,
        practices,
        pyramids,
        patients_without_decile: inputs.patients_without_decile,
    })
}
