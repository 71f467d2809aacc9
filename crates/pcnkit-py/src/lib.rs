//! The native half of the `pcnkit` Python package (`pcnkit._pcnkit`).
//!
//! Python users call the typed, documented functions of `pcnkit.stats`, `pcnkit.org`,
//! `pcnkit.arrs`, `pcnkit.assets` and `pcnkit.demo`; those normalise arguments and call the
//! functions here. Tables cross the boundary through the Arrow C stream interface
//! (`__arrow_c_stream__`: pyarrow, polars, pandas ≥ 2.2), without copying the column buffers,
//! and come back as `pyarrow.Table`. The work runs with the GIL released.
//!
//! Every function runs inside `error::run`, which turns each pcnkit error into a Python exception
//! (`PcnkitError` and its subclasses, with `file`, `row` and `field` on `DataError`) and a Rust
//! panic into `PcnkitError` too: a panic never reaches Python as `PanicException`.
//!
//! ```text
//! >>> import pcnkit, pyarrow as pa
//! >>> t = pa.table({"area": ["A", "B"], "x": [10, 20], "n": [100, 100]})
//! >>> pcnkit.stats.proportion(t, "x", "n", group_by="area").column("value").to_pylist()
//! [0.1, 0.2]
//! ```

mod assets;
mod convert;
mod error;
mod files;
mod profile;
mod registry;
mod stats;

use std::collections::BTreeMap;

use arrow_array::{RecordBatch, StringArray};
use arrow_pyarrow::{PyArrowType, Table};
use chrono::NaiveDate;
use pcnkit_arrs::{EntitlementOptions, PcnInputs, RuleBook, StaffMember};
use pcnkit_core::{FinancialYear, PcnCode};
use pcnkit_indicators::funnel::RatioScale;
use pcnkit_indicators::sii::ValueType;
use pyo3::prelude::*;
use rust_decimal::Decimal;

use convert::{batches_in, money_column, table_out};
use error::{DataError, Failure, InvalidArgument, InvalidCode, PcnkitError, run};

pub(crate) type PyTable = PyArrowType<Table>;

/// Runs a method (already holding its input batches) in the guard and returns its table.
fn method(
    py: Python<'_>,
    f: impl FnOnce() -> Result<RecordBatch, Failure> + Send,
) -> PyResult<PyTable> {
    table_out(run(py, f)?)
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

pub(crate) fn open(path: &str) -> Result<Box<dyn std::io::Read + Send>, Failure> {
    pcnkit_org::import::open(std::path::Path::new(path)).map_err(|e| Failure::Data {
        message: e.to_string(),
        file: Some(path.to_owned()),
        row: None,
        field: None,
    })
}

/// Every practice open on a date from NHS England's practice map, with list sizes when a
/// registered-patients file is given.
#[pyfunction]
#[pyo3(signature = (practice_map, date, lists))]
fn org_snapshot(
    py: Python<'_>,
    practice_map: String,
    date: Option<NaiveDate>,
    lists: Option<String>,
) -> PyResult<PyTable> {
    use pcnkit_org::import::{
        ImportOptions, read_practice_map, read_registered_patients, registry_from_practice_map,
    };
    let out = run(py, move || {
        let map = read_practice_map(
            open(&practice_map)?,
            ImportOptions::new(practice_map.as_str()).strict(),
        )?;
        let mut builder = registry_from_practice_map(&map.records);
        if let Some(path) = &lists {
            let rows =
                read_registered_patients(open(path)?, ImportOptions::new(path.as_str()).strict())?;
            builder.list_sizes(rows.records.iter().filter_map(|r| r.to_list_size()));
        }
        let registry = builder.build().map_err(Failure::from_org_errors)?;
        let date = date
            .or_else(|| map.records.first().map(|r| r.extract_date))
            .ok_or_else(|| Failure::Data {
                message: "no rows".into(),
                file: Some(practice_map.clone()),
                row: None,
                field: None,
            })?;
        Ok(pcnkit_org::export::snapshot_table(
            &registry.snapshot(date),
        )?)
    })?;
    table_out(out)
}

/// Practice list sizes (every practice row: totals and age/sex cells) from a
/// Patients Registered at a GP Practice file.
#[pyfunction]
fn org_list_sizes(py: Python<'_>, path: String) -> PyResult<PyTable> {
    use pcnkit_org::import::{ImportOptions, read_registered_patients};
    let out = run(py, move || {
        let rows =
            read_registered_patients(open(&path)?, ImportOptions::new(path.as_str()).strict())?;
        let sizes: Vec<_> = rows
            .records
            .iter()
            .filter_map(|r| r.to_list_size())
            .collect();
        Ok(pcnkit_core::arrow::to_record_batch(&sizes)?)
    })?;
    table_out(out)
}

/// A code checked and normalised (upper case, postcode spacing).
#[pyfunction]
fn org_parse_code(kind: &str, value: &str) -> PyResult<String> {
    use pcnkit_core::{IcbCode, LsoaCode, Postcode, PracticeCode, RegionCode, SubIcbCode};
    let parsed: Result<String, pcnkit_core::CoreError> = match kind {
        "practice" => value.parse::<PracticeCode>().map(|c| c.to_string()),
        "pcn" => value.parse::<PcnCode>().map(|c| c.to_string()),
        "sub_icb" => value.parse::<SubIcbCode>().map(|c| c.to_string()),
        "icb" => value.parse::<IcbCode>().map(|c| c.to_string()),
        "region" => value.parse::<RegionCode>().map(|c| c.to_string()),
        "lsoa" => value.parse::<LsoaCode>().map(|c| c.to_string()),
        "postcode" => value.parse::<Postcode>().map(|c| c.to_string()),
        other => {
            return Err(InvalidArgument::new_err(format!(
                "kind {other:?}: use practice, pcn, sub_icb, icb, region, lsoa or postcode"
            )));
        }
    };
    parsed.map_err(|e| InvalidCode::new_err(e.to_string()))
}

fn year(text: &str) -> Result<FinancialYear, Failure> {
    text.parse()
        .map_err(|e: pcnkit_core::CoreError| Failure::Argument(format!("year: {e}")))
}

/// A PCN's ARRS sum (main pool) for a year and weighted population, or None where the rules
/// do not give it.
#[pyfunction]
fn arrs_sum(py: Python<'_>, year_text: String, weighted: Decimal) -> PyResult<Option<Decimal>> {
    run(py, move || {
        let fy = year(&year_text)?;
        let e = pcnkit_arrs::entitlement(
            RuleBook::builtin(),
            fy,
            &PcnInputs::weighted(weighted),
            EntitlementOptions::default(),
        )?;
        Ok(e.arrs_sum("main").map(|m| m.pounds()))
    })
}

/// Every Network Contract DES payment line of a PCN for a year, with its explanation.
#[pyfunction]
#[pyo3(signature = (year_text, weighted, registered, adjusted))]
fn arrs_entitlement(
    py: Python<'_>,
    year_text: String,
    weighted: Decimal,
    registered: Option<Decimal>,
    adjusted: Option<Decimal>,
) -> PyResult<PyTable> {
    let out = run(py, move || {
        let fy = year(&year_text)?;
        let mut inputs = PcnInputs::weighted(weighted);
        inputs.registered = registered;
        inputs.adjusted = adjusted;
        let e = pcnkit_arrs::entitlement(
            RuleBook::builtin(),
            fy,
            &inputs,
            EntitlementOptions::default(),
        )?;
        let ids = StringArray::from_iter_values(e.payments.iter().map(|l| l.id.as_str()));
        let names = StringArray::from_iter_values(e.payments.iter().map(|l| l.name.as_str()));
        let amounts: Vec<_> = e.payments.iter().map(|l| l.amount).collect();
        let why = StringArray::from_iter_values(e.payments.iter().map(|l| l.explanation.as_str()));
        convert::batch(vec![
            ("payment", std::sync::Arc::new(ids)),
            ("name", std::sync::Arc::new(names)),
            ("amount", money_column(&amounts)?),
            ("explanation", std::sync::Arc::new(why)),
        ])
    })?;
    table_out(out)
}

/// The staff table through the ARRS crate's one reader (same checks as the CLI's --staff).
fn staff_from(
    batches: &[RecordBatch],
    pcns: Option<&std::collections::BTreeSet<PcnCode>>,
) -> Result<Vec<StaffMember>, Failure> {
    let book = RuleBook::builtin();
    let mut checks = pcnkit_arrs::StaffTableChecks::new(book);
    if let Some(p) = pcns {
        checks = checks.pcns(p);
    }
    let csv = convert::table_as_csv(batches)?;
    let imported = pcnkit_arrs::read_staff(
        csv.as_slice(),
        pcnkit_core::read::ImportOptions::new("staff table"),
        checks,
    )
    .map_err(|e| error::data(&e))?;
    error::accounted(imported)
}

/// Weighted populations per PCN through the organisation crate's one reader: a table with
/// `pcn` and `weighted_patients` (a PCN given twice is an error, never summed).
fn weighted_from(batches: &[RecordBatch]) -> Result<BTreeMap<PcnCode, Decimal>, Failure> {
    let csv = convert::table_as_csv(batches)?;
    let imported = pcnkit_org::import::read_weighted_populations(
        csv.as_slice(),
        pcnkit_core::read::ImportOptions::new("weighted table"),
    )?;
    let mut out = BTreeMap::new();
    for r in error::accounted(imported)? {
        match r.org {
            pcnkit_org::import::WeightedOrg::Pcn(p) => {
                out.insert(p, r.weighted);
            }
            _ => {
                return Err(Failure::Data {
                    message: "weighted table: give a `pcn` column (practice rows need a practice map to be summed)".to_owned(),
                    file: Some("weighted table".to_owned()),
                    row: r.location.line.map(|l| l.saturating_sub(2)),
                    field: Some("pcn".to_owned()),
                });
            }
        }
    }
    Ok(out)
}

/// ARRS per PCN (entitlement, claimed, headroom, with `status` and the known part of an
/// incomplete total) and claims per PCN and month: the tables of `pcnkit_arrs::table`, the same
/// as the CLI and the report write.
#[pyfunction]
fn arrs_summary(
    py: Python<'_>,
    staff: &Bound<'_, PyAny>,
    weighted: &Bound<'_, PyAny>,
    year_text: String,
) -> PyResult<(PyTable, PyTable)> {
    let (staff, weighted) = (batches_in(staff)?, batches_in(weighted)?);
    let (summary, monthly) = run(py, move || {
        let fy = year(&year_text)?;
        let weighted = weighted_from(&weighted)?;
        let staff = staff_from(&staff, None)?;
        // PCNs with a weighted population, and those of the staff (entitlement unknown).
        let mut pcns: BTreeMap<PcnCode, PcnInputs> = weighted
            .iter()
            .map(|(p, w)| (*p, PcnInputs::weighted(*w)))
            .collect();
        for s in &staff {
            if let Some(p) = s.pcn {
                pcns.entry(p).or_default();
            }
        }
        let s = pcnkit_arrs::summarise(RuleBook::builtin(), fy, &pcns, &staff)?;
        Ok((
            pcnkit_arrs::table::summary(&s)?,
            pcnkit_arrs::table::by_month(&s, fy)?,
        ))
    })?;
    Ok((table_out(summary)?, table_out(monthly)?))
}

/// One PCN's ARRS claims for a year from its staff and weighted population: the pool summary,
/// or one row per staff member per month (`lines=True`), as the CLI's `arrs claims` gives.
#[pyfunction]
#[pyo3(signature = (staff, pcn, year_text, weighted, lines))]
fn arrs_claims(
    py: Python<'_>,
    staff: &Bound<'_, PyAny>,
    pcn: String,
    year_text: String,
    weighted: Option<Decimal>,
    lines: bool,
) -> PyResult<PyTable> {
    let staff = batches_in(staff)?;
    let out = run(py, move || {
        let p = one_pcn(&staff, &pcn, &year_text, weighted)?;
        let report = pcnkit_arrs::claims(
            RuleBook::builtin(),
            p.year,
            &p.inputs,
            &p.entitlement,
            &p.staff,
        )?;
        refuse_staff_errors(&report)?;
        Ok(if lines {
            pcnkit_arrs::table::claim_lines(&report)?
        } else {
            pcnkit_arrs::table::pools(&report)?
        })
    })?;
    table_out(out)
}

/// One PCN's year, inputs, staff (the staff table's rows of that PCN) and entitlement, as the
/// CLI's `arrs` commands take them.
struct OnePcn {
    year: FinancialYear,
    inputs: PcnInputs,
    staff: Vec<StaffMember>,
    entitlement: pcnkit_arrs::Entitlement,
}

fn one_pcn(
    staff: &[arrow_array::RecordBatch],
    pcn: &str,
    year_text: &str,
    weighted: Option<Decimal>,
) -> Result<OnePcn, Failure> {
    let fy = year(year_text)?;
    let pcn: PcnCode = pcn.parse()?;
    let staff: Vec<StaffMember> = staff_from(staff, None)?
        .into_iter()
        .filter(|s| s.pcn == Some(pcn))
        .collect();
    let mut inputs = PcnInputs::default();
    inputs.pcn = Some(pcn);
    inputs.weighted = weighted;
    let entitlement = pcnkit_arrs::entitlement(
        RuleBook::builtin(),
        fy,
        &inputs,
        EntitlementOptions::default(),
    )?;
    Ok(OnePcn {
        year: fy,
        inputs,
        staff,
        entitlement,
    })
}

/// Staff the engine could not claim for at all are an error naming the first, as in the CLI
/// without `--accept-errors`.
fn refuse_staff_errors(report: &pcnkit_arrs::ClaimsReport) -> Result<(), Failure> {
    match report.errors.first() {
        Some(err) => Err(Failure::Data {
            message: err.to_string(),
            file: Some("staff table".to_owned()),
            row: None,
            field: None,
        }),
        None => Ok(()),
    }
}

/// Every figure of a year's rules with its provenance (`pcnkit arrs figures`), optionally
/// with an ICB's Local Variation Arrangement (its TOML text) applied.
#[pyfunction]
#[pyo3(signature = (year_text, local_variation=None))]
fn arrs_figures(
    py: Python<'_>,
    year_text: String,
    local_variation: Option<(String, String)>,
) -> PyResult<PyTable> {
    let out = run(py, move || {
        let fy = year(&year_text)?;
        let table = match local_variation {
            Some((name, text)) => {
                let book = RuleBook::builtin()
                    .clone()
                    .with_local_variation(&name, &text)?;
                pcnkit_arrs::table::figures(&book, fy)?
            }
            None => pcnkit_arrs::table::figures(RuleBook::builtin(), fy)?,
        };
        Ok(table)
    })?;
    table_out(out)
}

/// The rule trace behind one member of staff's claim in one month (`pcnkit arrs explain`).
#[pyfunction]
#[pyo3(signature = (staff, pcn, year_text, weighted, staff_id, month))]
fn arrs_explain(
    py: Python<'_>,
    staff: &Bound<'_, PyAny>,
    pcn: String,
    year_text: String,
    weighted: Option<Decimal>,
    staff_id: String,
    month: String,
) -> PyResult<PyTable> {
    let staff = batches_in(staff)?;
    let out = run(py, move || {
        let month: pcnkit_core::Month = month
            .parse()
            .map_err(|e| Failure::Argument(format!("month: {e}")))?;
        let p = one_pcn(&staff, &pcn, &year_text, weighted)?;
        let report = pcnkit_arrs::claims_with(
            RuleBook::builtin(),
            p.year,
            &p.inputs,
            &p.entitlement,
            &p.staff,
            pcnkit_arrs::ClaimsOptions::explained(),
        )?;
        refuse_staff_errors(&report)?;
        let line = report.line(&staff_id, month).ok_or_else(|| Failure::Data {
            message: format!(
                "no claim for staff {staff_id} in {month} (not in post, or not in PCN {pcn})"
            ),
            file: None,
            row: None,
            field: None,
        })?;
        Ok(pcnkit_arrs::table::explanation(line)?)
    })?;
    table_out(out)
}

/// What-if: how many more WTE of a role the headroom pays for (`pcnkit arrs plan`).
#[pyfunction]
#[pyo3(signature = (staff, pcn, year_text, weighted, role, cost))]
fn arrs_plan(
    py: Python<'_>,
    staff: &Bound<'_, PyAny>,
    pcn: String,
    year_text: String,
    weighted: Option<Decimal>,
    role: String,
    cost: Decimal,
) -> PyResult<PyTable> {
    let staff = batches_in(staff)?;
    let out = run(py, move || {
        let p = one_pcn(&staff, &pcn, &year_text, weighted)?;
        let hire = pcnkit_arrs::Hire::new(
            role.clone(),
            pcnkit_core::Money::from_pounds(cost),
            p.year.first_day(),
        );
        let plan = pcnkit_arrs::plan(
            RuleBook::builtin(),
            p.year,
            &p.inputs,
            &p.entitlement,
            &p.staff,
            Some(&hire),
        )?;
        refuse_staff_errors(&plan.forecast)?;
        Ok(pcnkit_arrs::table::plan(&role, &plan)?)
    })?;
    table_out(out)
}

/// An Open Referral UK / HSDS 3.0 document as an asset table, and one message per record
/// that did not convert.
#[pyfunction]
#[pyo3(signature = (text, source_name, default_kind, feed))]
fn assets_read_hsds(
    py: Python<'_>,
    text: String,
    source_name: String,
    default_kind: Option<String>,
    feed: String,
) -> PyResult<(PyTable, Vec<String>)> {
    let (table, errors) = run(py, move || {
        let mut options = pcnkit_assets::hsds::ImportOptions::new().feed(feed);
        if let Some(k) = &default_kind {
            options = options.default_kind(pcnkit_assets::AssetKind::parse(k, true)?);
        }
        let imported = pcnkit_assets::hsds::from_json(&text, &source_name, &options)?;
        let errors: Vec<String> = imported.errors.iter().map(ToString::to_string).collect();
        let at = chrono::NaiveDate::MIN
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default();
        let register = pcnkit_assets::Register::from_assets(imported.assets, &source_name, at)?;
        Ok((pcnkit_assets::table::register_table(&register)?, errors))
    })?;
    Ok((table_out(table)?, errors))
}

/// The demo's configuration, with another seed when given (every demo entry point's).
pub(crate) fn demo_config(seed: Option<u64>) -> pcnkit_demo::DemoConfig {
    let mut config = pcnkit_demo::DemoConfig::default();
    if let Some(s) = seed {
        config.seed = s;
    }
    config
}

/// The synthetic demo ICS as named tables.
#[pyfunction]
fn demo_tables(py: Python<'_>, seed: u64) -> PyResult<Vec<(String, PyTable)>> {
    let tables = run(py, move || {
        let ics = pcnkit_demo::generate(&demo_config(Some(seed)))?;
        let mut out: Vec<(String, RecordBatch)> = pcnkit_demo::tables::tables(&ics)
            .map_err(|e| Failure::Internal(e.to_string()))?
            .into_iter()
            .map(|(n, b)| (n.to_owned(), b))
            .collect();
        out.push((
            "hsds".to_owned(),
            convert::batch(vec![(
                "json",
                std::sync::Arc::new(StringArray::from(vec![
                    pcnkit_assets::hsds::to_page(
                        ics.health.assets.iter(),
                        1,
                        ics.health.assets.len(),
                    )
                    .to_string(),
                ])),
            )])?,
        ));
        Ok(out)
    })?;
    tables
        .into_iter()
        .map(|(n, b)| Ok((n, table_out(b)?)))
        .collect()
}

/// The demo generator's default seed.
#[pyfunction]
fn demo_default_seed() -> u64 {
    pcnkit_demo::DEFAULT_SEED
}

/// Panics inside the guard, for the test that no panic reaches Python.
#[pyfunction]
#[allow(clippy::panic)]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    run(py, || -> Result<(), Failure> {
        panic!("deliberate test panic")
    })
}

/// The extension module.
#[pymodule]
fn _pcnkit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("PcnkitError", py.get_type::<PcnkitError>())?;
    m.add("InvalidCode", py.get_type::<InvalidCode>())?;
    m.add("DataError", py.get_type::<DataError>())?;
    m.add("InvalidArgument", py.get_type::<InvalidArgument>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(stats::stats_proportion, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_rate, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_mean, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_dsr, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_isr, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_quantile, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_sii, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_funnel, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_life_expectancy, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_sum_by, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_defaults, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_disclose, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_benchmark, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_spc, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_trend, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_attach_standard, m)?)?;
    m.add_function(wrap_pyfunction!(stats::stats_funnel_points, m)?)?;
    m.add_function(wrap_pyfunction!(org_snapshot, m)?)?;
    m.add_function(wrap_pyfunction!(org_list_sizes, m)?)?;
    m.add_function(wrap_pyfunction!(org_parse_code, m)?)?;
    m.add_function(wrap_pyfunction!(arrs_sum, m)?)?;
    m.add_function(wrap_pyfunction!(arrs_entitlement, m)?)?;
    m.add_function(wrap_pyfunction!(arrs_summary, m)?)?;
    m.add_function(wrap_pyfunction!(arrs_claims, m)?)?;
    m.add_function(wrap_pyfunction!(arrs_figures, m)?)?;
    m.add_function(wrap_pyfunction!(arrs_explain, m)?)?;
    m.add_function(wrap_pyfunction!(arrs_plan, m)?)?;
    m.add_function(wrap_pyfunction!(assets_read_hsds, m)?)?;
    m.add_function(wrap_pyfunction!(files::org_weighted, m)?)?;
    m.add_function(wrap_pyfunction!(profile::profile_make, m)?)?;
    m.add_function(wrap_pyfunction!(profile::plan_leads, m)?)?;
    m.add_function(wrap_pyfunction!(profile::plan_workforce, m)?)?;
    m.add_function(wrap_pyfunction!(registry::org_read, m)?)?;
    m.add_class::<registry::PyRegistry>()?;
    m.add_class::<assets::PyRegister>()?;
    m.add_function(wrap_pyfunction!(demo_tables, m)?)?;
    m.add_function(wrap_pyfunction!(demo_default_seed, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    Ok(())
}
