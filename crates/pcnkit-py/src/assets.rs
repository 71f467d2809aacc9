//! `pcnkit.assets.Register`: a community asset register read from Open Referral UK / HSDS
//! 3.0, ORUK v1 or CSV through the profile crate's loader (the CLI's), with its searches,
//! coverage and export.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDateTime;
use pcnkit_assets::{GeoPoint, Query, Register};
use pcnkit_core::read::{Finding, Severity};
use pcnkit_profile::load::{RegisterOptions, RegisterSource};
use pyo3::prelude::*;

use crate::PyTable;
use crate::convert::table_out;
use crate::error::{Failure, run};
use crate::registry::PyRegistry;

/// A community asset register: its assets with their history and a spatial index. Made with
/// `Register.read(...)` (one of `hsds`, `oruk_v1`, `csv`) or `Register.demo()`.
#[derive(Debug)]
#[pyclass(frozen, module = "pcnkit._pcnkit", name = "Register")]
pub struct PyRegister {
    register: Arc<Register>,
    findings: Vec<Finding>,
}

fn point(latitude: f64, longitude: f64) -> Result<GeoPoint, Failure> {
    GeoPoint::new(latitude, longitude)
        .map_err(|e| Failure::Argument(format!("latitude, longitude: {e}")))
}

fn query(
    kind: Option<&str>,
    need: Option<&str>,
    age: Option<u8>,
    open_at: Option<NaiveDateTime>,
) -> Result<Query, Failure> {
    let mut q = Query::from_words(kind, need).map_err(|e| Failure::Argument(e.to_string()))?;
    if let Some(a) = age {
        q = q.age(a);
    }
    if let Some(t) = open_at {
        q = q.open_at(t);
    }
    Ok(q)
}

#[pymethods]
impl PyRegister {
    /// Reads a register from one file: `hsds` (Open Referral UK / HSDS 3.0 JSON), `oruk_v1`
    /// (an ORUK v1 feed page) or `csv` (pcnkit's CSV layout). `feed` names the feed each
    /// asset's id is derived from (default by source); `default_kind` classifies records no
    /// taxonomy term does. A record that does not convert raises `DataError` unless
    /// `accept_errors`, when it is left out and listed in `findings()`.
    #[staticmethod]
    #[pyo3(signature = (hsds=None, oruk_v1=None, csv=None, feed=None, default_kind=None, accept_errors=false))]
    fn read(
        py: Python<'_>,
        hsds: Option<PathBuf>,
        oruk_v1: Option<PathBuf>,
        csv: Option<PathBuf>,
        feed: Option<String>,
        default_kind: Option<String>,
        accept_errors: bool,
    ) -> PyResult<Self> {
        run(py, move || {
            let source = match (&hsds, &oruk_v1, &csv) {
                (Some(p), None, None) => RegisterSource::Hsds(p),
                (None, Some(p), None) => RegisterSource::OrukV1(p),
                (None, None, Some(p)) => RegisterSource::Csv(p),
                _ => {
                    return Err(Failure::Argument(
                        "give one of hsds, oruk_v1 or csv".to_owned(),
                    ));
                }
            };
            let mut options = RegisterOptions::default();
            options.feed = feed;
            if let Some(k) = default_kind {
                options.default_kind = Some(
                    pcnkit_assets::AssetKind::parse(&k, true)
                        .map_err(|e| Failure::Argument(format!("default_kind: {e}")))?,
                );
            }
            let mut intake = pcnkit_profile::Intake::new().accept_errors(accept_errors);
            // Stamped with a fixed time, so the same file gives the same table every run.
            let at = chrono::NaiveDate::MIN.and_time(chrono::NaiveTime::MIN);
            match pcnkit_profile::load::register(&mut intake, &source, &options, at) {
                Ok(register) => Ok(PyRegister {
                    register: Arc::new(register),
                    findings: intake.into_findings(),
                }),
                Err(e) => {
                    let mut failure = Failure::from(e);
                    if let Failure::Data { message, .. } = &mut failure {
                        let first: Vec<String> = intake
                            .findings()
                            .iter()
                            .filter(|f| f.severity == Severity::Error)
                            .take(20)
                            .map(ToString::to_string)
                            .collect();
                        if !first.is_empty() {
                            *message = format!("{message}:\n{}", first.join("\n"));
                        }
                    }
                    Err(failure)
                }
            }
        })
    }

    /// The synthetic demo register (about 2,000 assets; not real services).
    #[staticmethod]
    #[pyo3(signature = (seed=None))]
    fn demo(py: Python<'_>, seed: Option<u64>) -> PyResult<Self> {
        run(py, move || {
            let ics = pcnkit_demo::generate(&crate::demo_config(seed))?;
            let at = ics.extract_date.and_time(chrono::NaiveTime::MIN);
            Ok(PyRegister {
                register: Arc::new(Register::from_assets(ics.health.assets, "pcnkit demo", at)?),
                findings: Vec::new(),
            })
        })
    }

    fn __len__(&self) -> usize {
        self.register.len()
    }

    fn __repr__(&self) -> String {
        format!("<pcnkit Register: {} assets>", self.register.len())
    }

    /// Every asset as a table (the layout `pcnkit assets import` writes).
    fn table(&self, py: Python<'_>) -> PyResult<PyTable> {
        let r = Arc::clone(&self.register);
        table_out(run(py, move || {
            Ok(pcnkit_assets::table::register_table(&r)?)
        })?)
    }

    /// The records that did not convert (when errors were accepted), as the findings table.
    fn findings(&self, py: Python<'_>) -> PyResult<PyTable> {
        let f = self.findings.clone();
        table_out(run(py, move || Ok(pcnkit_core::findings_table(&f)?))?)
    }

    /// The assets nearest a point, nearest first: `id`, `name`, `kind`, `metres`; filtered by
    /// kind, need, age and opening time (active assets only). `limit` defaults to the
    /// library's (20, as the CLI's `--limit`).
    #[pyo3(signature = (latitude, longitude, limit=None, kind=None, need=None, age=None, open_at=None))]
    #[allow(clippy::too_many_arguments)]
    fn nearest(
        &self,
        py: Python<'_>,
        latitude: f64,
        longitude: f64,
        limit: Option<usize>,
        kind: Option<String>,
        need: Option<String>,
        age: Option<u8>,
        open_at: Option<NaiveDateTime>,
    ) -> PyResult<PyTable> {
        let r = Arc::clone(&self.register);
        table_out(run(py, move || {
            let q = query(kind.as_deref(), need.as_deref(), age, open_at)?;
            let hits = r.nearest(
                point(latitude, longitude)?,
                limit.unwrap_or(pcnkit_assets::NEAREST_DEFAULT),
                &q,
            );
            Ok(pcnkit_assets::table::rows_table(
                &pcnkit_assets::table::nearby(&hits),
            )?)
        })?)
    }

    /// The assets within `metres` of a point, nearest first, with the same filters.
    #[pyo3(signature = (latitude, longitude, metres, kind=None, need=None, age=None, open_at=None))]
    #[allow(clippy::too_many_arguments)]
    fn within(
        &self,
        py: Python<'_>,
        latitude: f64,
        longitude: f64,
        metres: f64,
        kind: Option<String>,
        need: Option<String>,
        age: Option<u8>,
        open_at: Option<NaiveDateTime>,
    ) -> PyResult<PyTable> {
        let r = Arc::clone(&self.register);
        table_out(run(py, move || {
            if !(metres.is_finite() && metres >= 0.0) {
                return Err(Failure::Argument(format!("metres {metres}: a distance")));
            }
            let q = query(kind.as_deref(), need.as_deref(), age, open_at)?;
            let hits = r.within(point(latitude, longitude)?, metres, &q);
            Ok(pcnkit_assets::table::rows_table(
                &pcnkit_assets::table::nearby(&hits),
            )?)
        })?)
    }

    /// Assets per 1,000 registered patients by PCN and kind for the registry's PCNs (of `icb`
    /// when given): an asset counts for a PCN when it lies in an LSOA where at least 5% of the
    /// PCN's patients live, so the registry needs patients by LSOA; an unknown population or
    /// footprint gives a null rate with a note, never 0. As `pcnkit assets coverage`.
    #[pyo3(signature = (registry, icb=None))]
    fn coverage(
        &self,
        py: Python<'_>,
        registry: &PyRegistry,
        icb: Option<String>,
    ) -> PyResult<PyTable> {
        let r = Arc::clone(&self.register);
        let (org, date, lists) = registry.parts();
        table_out(run(py, move || {
            let icb = icb.map(|i| i.parse()).transpose()?;
            let populations = pcnkit_org::pcn_populations(&org, date, &lists, icb);
            Ok(pcnkit_assets::table::rows_table(
                &pcnkit_assets::coverage::per_1000_for(
                    &r,
                    &org,
                    date,
                    &populations,
                    pcnkit_assets::coverage::FOOTPRINT_SHARE_DEFAULT,
                )?,
            )?)
        })?)
    }

    /// The register as an Open Referral UK / HSDS 3.0 `/services` page (JSON text), as
    /// `pcnkit assets export` writes it.
    fn export_hsds(&self) -> String {
        let page =
            pcnkit_assets::hsds::to_page(self.register.assets(), 1, self.register.len().max(1));
        format!("{page:#}\n")
    }
}
