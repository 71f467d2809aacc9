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
#[pyo3(signature = (files, icb, year, accept_errors, seed, disclosure=None, activity_target=None))]
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
) -> PyResult<Made> {
    let (tables, title, date, synthetic, method) = run(py, move || {
        let mut options = ProfileOptions::default();
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
