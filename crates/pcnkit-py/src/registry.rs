//! `pcnkit.org.Registry` and `pcnkit.org.read`: the organisation registry's queries and every
//! NHS organisation file reader, from Python.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use pcnkit_core::{PcnCode, PracticeCode};
use pcnkit_org::{Level, PcnList, Registry};
use pyo3::prelude::*;

use crate::PyTable;
use crate::convert::table_out;
use crate::error::{Failure, accounted, run};

/// Practices, PCNs, sub-ICB locations, ICBs and regions, membership over time and registered
/// lists: the registry the CLI and the profile build, with its queries. Made with
/// `Registry.from_files(...)` or `Registry.demo()`; `date` is the extract date, the default of
/// every query's `date`.
#[derive(Debug)]
#[pyclass(frozen, module = "pcnkit._pcnkit", name = "Registry")]
pub struct PyRegistry {
    registry: Arc<Registry>,
    date: NaiveDate,
    pcn_lists: Arc<BTreeMap<PcnCode, PcnList>>,
    notes: Vec<String>,
}

fn code<T: std::str::FromStr<Err = pcnkit_core::CoreError>>(s: &str) -> Result<T, Failure> {
    Ok(s.parse()?)
}

impl PyRegistry {
    /// The registry, its date and the PCN-level lists (for the other classes' methods).
    pub(crate) fn parts(&self) -> (Arc<Registry>, NaiveDate, Arc<BTreeMap<PcnCode, PcnList>>) {
        (
            Arc::clone(&self.registry),
            self.date,
            Arc::clone(&self.pcn_lists),
        )
    }
}

#[pymethods]
impl PyRegistry {
    /// A registry from NHS England's practice map, with list sizes from a Patients Registered at
    /// a GP Practice file (practice rows; PCN rows give PCN populations) and patients by LSOA
    /// when given. A bad row raises `DataError`; rows skipped on purpose are in `notes`.
    #[staticmethod]
    #[pyo3(signature = (practice_map, lists=None, practice_lsoa=None))]
    fn from_files(
        py: Python<'_>,
        practice_map: std::path::PathBuf,
        lists: Option<std::path::PathBuf>,
        practice_lsoa: Option<std::path::PathBuf>,
    ) -> PyResult<Self> {
        run(py, move || {
            let mut files = pcnkit_org::import::RegistryFiles::new(&practice_map);
            files.lists = lists.as_deref();
            files.practice_lsoa = practice_lsoa.as_deref();
            let read = pcnkit_org::import::registry_from_files(&files)
                .map_err(Failure::from_org_errors)?;
            let notes = read
                .rows
                .findings()
                .iter()
                .map(ToString::to_string)
                .collect();
            accounted(read.rows)?;
            Ok(PyRegistry {
                registry: Arc::new(read.registry),
                date: read.date,
                pcn_lists: Arc::new(read.pcn_lists),
                notes,
            })
        })
    }

    /// The synthetic demo ICS's registry (not NHS data).
    #[staticmethod]
    #[pyo3(signature = (seed=None))]
    fn demo(py: Python<'_>, seed: Option<u64>) -> PyResult<Self> {
        run(py, move || {
            let ics = pcnkit_demo::generate(&crate::demo_config(seed))?;
            Ok(PyRegistry {
                registry: Arc::new(ics.registry),
                date: ics.extract_date,
                pcn_lists: Arc::new(BTreeMap::new()),
                notes: Vec::new(),
            })
        })
    }

    /// The extract date: the default date of every query.
    #[getter]
    fn date(&self) -> NaiveDate {
        self.date
    }

    /// Messages of the rows skipped on purpose and the warnings while reading.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }

    /// The PCN of `practice` on `date`, or None when it is in none.
    #[pyo3(signature = (practice, date=None))]
    fn pcn_of(
        &self,
        py: Python<'_>,
        practice: &str,
        date: Option<NaiveDate>,
    ) -> PyResult<Option<String>> {
        run(py, || {
            let p: PracticeCode = code(practice)?;
            Ok(self
                .registry
                .pcn_of(p, date.unwrap_or(self.date))
                .map(|c| c.to_string()))
        })
    }

    /// The member practices of `pcn` on `date`, in code order.
    #[pyo3(signature = (pcn, date=None))]
    fn members(&self, py: Python<'_>, pcn: &str, date: Option<NaiveDate>) -> PyResult<Vec<String>> {
        run(py, || {
            let p: PcnCode = code(pcn)?;
            Ok(self
                .registry
                .members(p, date.unwrap_or(self.date))
                .iter()
                .map(ToString::to_string)
                .collect())
        })
    }

    /// Registered patients of `pcn` on `date`: its practices' latest lists, or its PCN row
    /// when the list file has PCN rows; None when unknown (a member without a list), never 0.
    #[pyo3(signature = (pcn, date=None))]
    fn population(
        &self,
        py: Python<'_>,
        pcn: &str,
        date: Option<NaiveDate>,
    ) -> PyResult<Option<u64>> {
        run(py, || {
            let p: PcnCode = code(pcn)?;
            let date = date.unwrap_or(self.date);
            if self.registry.pcn(p).is_none() {
                return Err(Failure::Argument(format!("PCN {p} is not in the registry")));
            }
            Ok(match self.registry.population(p, date) {
                Ok(n) => Some(n.get()),
                Err(_) => self.pcn_lists.get(&p).map(|l| l.total.get()),
            })
        })
    }

    /// Registered patients summed by `level` (`practice`, `pcn`, `sub_icb`, `icb`, `region`)
    /// on `date`: `level`, `code`, `practices`, `patients` (null when a practice of the area
    /// has no list), `patients_known` (the practices with one) and `missing_list_sizes`.
    #[pyo3(signature = (level, date=None))]
    fn rollup(&self, py: Python<'_>, level: &str, date: Option<NaiveDate>) -> PyResult<PyTable> {
        let level = level.to_owned();
        let registry = Arc::clone(&self.registry);
        let date = date.unwrap_or(self.date);
        table_out(run(py, move || {
            let level = match level.as_str() {
                "practice" => Level::Practice,
                "pcn" => Level::Pcn,
                "sub_icb" => Level::SubIcb,
                "icb" => Level::Icb,
                "region" => Level::Region,
                other => {
                    return Err(Failure::Argument(format!(
                        "level {other:?}: practice, pcn, sub_icb, icb or region"
                    )));
                }
            };
            Ok(pcnkit_org::export::rollup_table(
                &registry.rollup(level, date)?,
            )?)
        })?)
    }

    /// Every practice open on `date` with its PCN, sub-ICB location, ICB, region and list size.
    #[pyo3(signature = (date=None))]
    fn snapshot(&self, py: Python<'_>, date: Option<NaiveDate>) -> PyResult<PyTable> {
        let registry = Arc::clone(&self.registry);
        let date = date.unwrap_or(self.date);
        table_out(run(py, move || {
            Ok(pcnkit_org::export::snapshot_table(
                &registry.snapshot(date),
            )?)
        })?)
    }

    /// Every membership over time: practice, PCN, start and end (null while open), the
    /// membership history the registry holds.
    fn memberships(&self, py: Python<'_>) -> PyResult<PyTable> {
        let registry = Arc::clone(&self.registry);
        table_out(run(py, move || {
            Ok(pcnkit_org::export::memberships_table(&registry)?)
        })?)
    }

    /// Every practice.
    fn practices(&self, py: Python<'_>) -> PyResult<PyTable> {
        let registry = Arc::clone(&self.registry);
        table_out(run(py, move || {
            Ok(pcnkit_org::export::practices_table(&registry)?)
        })?)
    }

    /// Every PCN.
    fn pcns(&self, py: Python<'_>) -> PyResult<PyTable> {
        let registry = Arc::clone(&self.registry);
        table_out(run(py, move || {
            Ok(pcnkit_org::export::pcns_table(&registry)?)
        })?)
    }

    /// The rule checks on `date` (PCN sizes, PCNs across ICBs, Clinical Directors, Network
    /// Agreements) as the findings table.
    #[pyo3(signature = (date=None))]
    fn validate(&self, py: Python<'_>, date: Option<NaiveDate>) -> PyResult<PyTable> {
        let registry = Arc::clone(&self.registry);
        let date = date.unwrap_or(self.date);
        table_out(run(py, move || {
            let findings = pcnkit_org::rules::validate(
                &registry,
                date,
                &pcnkit_org::rules::PcnSizePolicy::default(),
            )?;
            Ok(pcnkit_core::findings_table(&findings)?)
        })?)
    }

    /// The practices' and PCNs' population-weighted deprivation (`pcnkit_org::deprivation`):
    /// patients by LSOA (`gp-reg-pat-prac-lsoa-all.csv`) × the LSOA deprivation of any release
    /// of the indices, placed in deciles nationally and within each ICB (or `within`
    /// `"sub-icb"` or `"region"`), the release named.
    #[pyo3(signature = (practice_lsoa, lsoas, date=None, within=None))]
    fn deprivation(
        &self,
        py: Python<'_>,
        practice_lsoa: std::path::PathBuf,
        lsoas: std::path::PathBuf,
        date: Option<NaiveDate>,
        within: Option<String>,
    ) -> PyResult<PyTable> {
        let registry = Arc::clone(&self.registry);
        let date = date.unwrap_or(self.date);
        table_out(run(py, move || {
            let within: pcnkit_org::deprivation::Within = match within {
                Some(w) => w
                    .parse()
                    .map_err(|e: pcnkit_org::OrgError| Failure::Argument(e.to_string()))?,
                None => pcnkit_org::deprivation::Within::default(),
            };
            let name = |p: &std::path::Path| p.display().to_string();
            let lists = accounted(pcnkit_org::import::read_practice_lsoa(
                crate::open(&name(&practice_lsoa))?,
                pcnkit_org::import::ImportOptions::new(name(&practice_lsoa)),
            )?)?;
            let areas = accounted(pcnkit_org::import::read_lsoa_deprivation(
                crate::open(&name(&lsoas))?,
                pcnkit_org::import::ImportOptions::new(name(&lsoas)),
            )?)?;
            let dep = pcnkit_org::deprivation::population_weighted(
                pcnkit_org::deprivation::DeprivationInputs::new(&lists, &areas)
                    .with_registry(&registry, date)
                    .within(within),
            )?;
            Ok(dep.table()?)
        })?)
    }

    fn __repr__(&self) -> String {
        format!(
            "<pcnkit Registry: {} practices, {} PCNs, as at {}>",
            self.registry.practices().count(),
            self.registry.pcns().count(),
            self.date
        )
    }
}

/// Reads an organisation file of `kind` (`practice_map`, `epraccur`, `epcn_details`,
/// `epcn_members`, `registered_patients`, `practice_lsoa`, `weighted`, `lsoa_deprivation`,
/// `practice_deprivation`, `practice_locations`): its records as a flat typed table, and the
/// findings table of the rows that were not records (errors, warnings, skips, with file, line
/// and column).
#[pyfunction]
pub fn org_read(py: Python<'_>, kind: String, path: String) -> PyResult<(PyTable, PyTable)> {
    let (records, findings) = run(py, move || {
        let kind: pcnkit_org::import::FileKind = kind
            .parse()
            .map_err(|e: pcnkit_org::OrgError| Failure::Argument(e.to_string()))?;
        let (records, rows) = pcnkit_org::import::read_kind(
            kind,
            crate::open(&path)?,
            pcnkit_org::import::ImportOptions::new(path.as_str()),
        )?;
        Ok((records, pcnkit_core::findings_table(&rows.findings())?))
    })?;
    Ok((table_out(records)?, table_out(findings)?))
}
