//! `pcnkit.profile(...)`: the ICS profile the report shows, as the same named tables.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use pcnkit_core::read::{Finding, Severity};
use pcnkit_profile::{Intake, Profile, ProfileFiles, ProfileInputs, ProfileOptions};
use pyo3::prelude::*;

use crate::PyTable;
use crate::convert::table_out;
use crate::error::{Failure, run};

/// The profile's tables in order, its title, date, demo seed and deprivation method.
type Made = (
    Vec<(String, PyTable)>,
    String,
    NaiveDate,
    Option<u64>,
    Option<String>,
);

fn files_of(files: BTreeMap<String, String>, icb: Option<String>) -> Result<ProfileFiles, Failure> {
    let mut f = ProfileFiles::default();
    f.icb = icb.map(|i| i.parse()).transpose()?;
    for (key, path) in files {
        f.set(&key, PathBuf::from(path))
            .map_err(|e| Failure::Argument(e.to_string()))?;
    }
    Ok(f)
}

/// The profile of the demo (`files` None, with `seed`) or of the files given (by input name),
/// for `year` (the library's default when None). Rows with errors raise `DataError` naming
/// the file and the first rows, unless `accept_errors`.
#[pyfunction]
#[pyo3(signature = (files, icb, year, accept_errors, seed, disclosure=None, activity_target=None, plans=None))]
#[allow(clippy::too_many_arguments)]
pub fn profile_make(
    py: Python<'_>,
    files: Option<BTreeMap<String, String>>,
    icb: Option<String>,
    year: Option<String>,
    accept_errors: bool,
    seed: Option<u64>,
    disclosure: Option<String>,
    activity_target: Option<f64>,
    plans: Option<BTreeMap<String, String>>,
) -> PyResult<Made> {
    let (tables, title, date, synthetic, method) = run(py, move || {
        let mut options = ProfileOptions::default();
        let plans = plans.unwrap_or_default();
        let (chww, pharmacy) = pcnkit_profile::plans::words_from_text(
            plans.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        )
        .map_err(|e| Failure::Argument(e.to_string()))?;
        options.plans =
            pcnkit_profile::plans::PlanOptions::from_words(files.is_none(), &chww, &pharmacy)
                .map_err(|e| Failure::Argument(e.to_string()))?;
        options.activity_target = activity_target;
        if let Some(y) = year {
            options.year = y.parse()?;
        }
        if let Some(d) = disclosure {
            options.disclosure =
                Some(d.parse().map_err(|e: pcnkit_indicators::IndicatorError| {
                    Failure::Argument(e.to_string())
                })?);
        }
        let inputs = match files {
            None => ProfileInputs::demo(&crate::demo_config(seed))?,
            Some(files) => {
                let files = files_of(files, icb)?;
                let mut errors: Vec<Finding> = Vec::new();
                let intake = Intake::new().accept_errors(accept_errors).observe(|f| {
                    errors.extend(f.iter().filter(|f| f.severity == Severity::Error).cloned());
                });
                match ProfileInputs::from_files(&files, intake) {
                    Ok(inputs) => inputs,
                    Err(e) => {
                        let mut failure = Failure::from(e);
                        // Say which rows, not only how many.
                        if let Failure::Data { message, .. } = &mut failure
                            && !errors.is_empty()
                        {
                            let first: Vec<String> =
                                errors.iter().take(20).map(ToString::to_string).collect();
                            *message = format!("{message}:\n{}", first.join("\n"));
                        }
                        return Err(failure);
                    }
                }
            }
        };
        let profile = Profile::new(inputs, &options)?;
        Ok((
            profile.tables()?,
            profile.title,
            profile.date,
            profile.synthetic_seed,
            profile.deprivation_method,
        ))
    })?;
    let tables = tables
        .into_iter()
        .map(|(n, t)| Ok((n, table_out(t)?)))
        .collect::<PyResult<Vec<_>>>()?;
    Ok((tables, title, date, synthetic, method))
}

/// GP population-health lead patches for the demo (`files` None) or the files given, through
/// the profile crate's one gathering of a plan's inputs; with `check`, an ICB's assignment
/// (lead, PCNs) checked instead. Returns the patches (none when checking) and the findings.
#[pyfunction]
#[pyo3(signature = (files, icb, accept_errors, adjacency, objective, leads, max_pcns, max_population, check))]
#[allow(clippy::too_many_arguments)]
pub fn plan_leads(
    py: Python<'_>,
    files: Option<BTreeMap<String, String>>,
    icb: Option<String>,
    accept_errors: bool,
    adjacency: Option<Vec<(String, String)>>,
    objective: String,
    leads: Option<usize>,
    max_pcns: Option<usize>,
    max_population: Option<u64>,
    check: Option<Vec<(String, Vec<String>)>>,
) -> PyResult<(Option<PyTable>, PyTable)> {
    use pcnkit_plan::leads::{LeadPlanConfig, Objective, check_leads, lead_policy};
    use pcnkit_profile::leads::{Neighbours, lead_areas, lead_plan};
    let (patches, findings) = run(py, move || {
        let code = |s: &str| -> Result<pcnkit_core::PcnCode, Failure> { Ok(s.parse()?) };
        let arg = |e: pcnkit_plan::PlanError| Failure::Argument(e.to_string());
        let policy = lead_policy(max_pcns, max_population).map_err(arg)?;
        let objective = Objective::named(&objective, leads).map_err(arg)?;
        let inputs = match files {
            None => ProfileInputs::demo(&crate::demo_config(None))?,
            Some(files) => {
                let files = files_of(files, icb)?;
                ProfileInputs::from_files(&files, Intake::new().accept_errors(accept_errors))?
            }
        };
        let neighbours = match adjacency {
            Some(pairs) => Neighbours::Given(
                pairs
                    .iter()
                    .map(|(a, b)| Ok((code(a)?, code(b)?)))
                    .collect::<Result<_, Failure>>()?,
                "neighbours as given".to_owned(),
            ),
            None => Neighbours::FromInputs,
        };
        if let Some(assignment) = check {
            let (areas, map, mut findings) = lead_areas(&inputs, neighbours);
            let assignment = assignment
                .into_iter()
                .map(|(lead, pcns)| {
                    Ok((
                        lead,
                        pcns.iter()
                            .map(|p| code(p))
                            .collect::<Result<Vec<_>, Failure>>()?,
                    ))
                })
                .collect::<Result<Vec<_>, Failure>>()?;
            findings.extend(check_leads(&areas, &map, &policy, &assignment));
            return Ok((None, pcnkit_core::findings_table(&findings)?));
        }
        let (plan, findings) = lead_plan(
            &inputs,
            neighbours,
            &LeadPlanConfig::new(policy).objective(objective),
        )?;
        Ok((
            Some(pcnkit_plan::table::patches(&plan).map_err(|e| Failure::Argument(e.to_string()))?),
            pcnkit_core::findings_table(&findings)?,
        ))
    })?;
    Ok((patches.map(table_out).transpose()?, table_out(findings)?))
}

/// A workforce plan (`plan`: `chww`, `pharmacy` or `link_workers`) for the demo (`files` None)
/// or the files given (by input name), through the profile crate's gathering of inputs and its
/// reading of the options (`words`, by the CLI's flag names without `--`, as text). Returns
/// the plan's tables by name and the findings.
#[pyfunction]
#[pyo3(signature = (files, icb, accept_errors, plan, words, walking_metres))]
pub fn plan_workforce(
    py: Python<'_>,
    files: Option<BTreeMap<String, String>>,
    icb: Option<String>,
    accept_errors: bool,
    plan: String,
    words: BTreeMap<String, String>,
    walking_metres: Option<f64>,
) -> PyResult<(Vec<(String, PyTable)>, PyTable)> {
    use pcnkit_profile::plans;
    let (tables, findings) = run(py, move || {
        let usage = |e: pcnkit_profile::ProfileError| Failure::Argument(e.to_string());
        let (chww_words, pharmacy_words) =
            plans::words_from_text(words.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .map_err(usage)?;
        let inputs = match files {
            None => ProfileInputs::demo(&crate::demo_config(None))?,
            Some(files) => {
                let files = files_of(files, icb)?;
                ProfileInputs::from_files(&files, Intake::new().accept_errors(accept_errors))?
            }
        };
        let metres = walking_metres.unwrap_or(pcnkit_assets::coverage::WALKING_METRES_DEFAULT);
        let share = pcnkit_assets::coverage::FOOTPRINT_SHARE_DEFAULT;
        let table = |r: Result<arrow_array::RecordBatch, pcnkit_plan::PlanError>| {
            r.map_err(|e| Failure::Argument(e.to_string()))
        };
        let arg = |m: String| Failure::Argument(m);
        match plan.as_str() {
            "chww" => {
                let options = chww_words.options().map_err(usage)?;
                let (plan, findings) = plans::chww_plan(&inputs, &options)?;
                Ok((
                    vec![
                        (
                            "areas".to_owned(),
                            table(pcnkit_plan::table::chww_areas(&plan))?,
                        ),
                        (
                            "deciles".to_owned(),
                            table(pcnkit_plan::table::chww_deciles(&plan))?,
                        ),
                        (
                            "summary".to_owned(),
                            table(pcnkit_plan::table::chww_summary(&plan))?,
                        ),
                    ],
                    pcnkit_core::findings_table(&findings)?,
                ))
            }
            "pharmacy" => {
                let (options, schemes) = pharmacy_words.options().map_err(usage)?;
                let (rows, findings) =
                    plans::pharmacy_plan(&inputs, &schemes, &options, metres, share)?;
                Ok((
                    vec![("pharmacy".to_owned(), plans::pharmacy_table(&rows)?)],
                    pcnkit_core::findings_table(&findings)?,
                ))
            }
            "link_workers" => {
                let rows = plans::link_workers(&inputs, metres, share)?.ok_or_else(|| {
                    arg("link workers need staff (ARRS staff) and assets (the register), or demo=True".to_owned())
                })?;
                Ok((
                    vec![("link_workers".to_owned(), plans::link_workers_table(&rows)?)],
                    pcnkit_core::findings_table(&[])?,
                ))
            }
            other => Err(arg(format!(
                "plan {other:?}: use chww, pharmacy or link_workers"
            ))),
        }
    })?;
    let tables = tables
        .into_iter()
        .map(|(n, t)| Ok((n, table_out(t)?)))
        .collect::<PyResult<Vec<_>>>()?;
    Ok((tables, table_out(findings)?))
}
