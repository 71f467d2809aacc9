//! The functions R calls (`.Call(wrap__rs_…)`), registered by `extendr_module!`.
// extendr generates an undocumented wrapper beside each function; ours are documented.
#![allow(missing_docs)]

use extendr_api::prelude::*;

use crate::answer;
use crate::failure::Failure;
use crate::frame;
use crate::options;

/// An indicator method (`method`, one of `pcnkit_indicators::request::METHODS`) over a data
/// frame, with its options as a named list (the request's fields) and, for ISR, a data frame
/// of observed totals.
#[extendr]
fn rs_indicator(method: &str, data: List, options: List, totals: Robj) -> Robj {
    answer(|| {
        let batch = frame::batch_in(&data, "data")?;
        let totals = if totals.is_null() {
            None
        } else {
            let list = List::try_from(totals)
                .map_err(|_| Failure::Argument("totals: a data frame".to_owned()))?;
            Some(frame::batch_in(&list, "totals")?)
        };
        let mut fields = options::json_of_list(&options)?;
        if let serde_json::Value::Object(o) = &mut fields {
            o.insert("method".to_owned(), serde_json::Value::from(method));
        }
        let request: pcnkit_indicators::request::IndicatorRequest =
            serde_json::from_value(fields).map_err(|e| Failure::Argument(e.to_string()))?;
        let out = request.run(
            std::slice::from_ref(&batch),
            totals.as_ref().map(std::slice::from_ref),
        )?;
        frame::frame_out(&out)
    })
}

/// The names of the indicator methods and the library's defaults R's signatures show.
#[extendr]
fn rs_defaults() -> Robj {
    answer(|| {
        Ok(list!(
            methods = pcnkit_indicators::request::METHODS.to_vec(),
            confidence = pcnkit_indicators::CONFIDENCE_DEFAULT.get(),
            proportion_multiplier = pcnkit_indicators::PROPORTION_MULTIPLIER_DEFAULT,
            rate_multiplier = pcnkit_indicators::RATE_MULTIPLIER_DEFAULT,
            dsr_multiplier = pcnkit_indicators::DSR_MULTIPLIER_DEFAULT,
            funnel_multiplier = pcnkit_indicators::FUNNEL_MULTIPLIER_DEFAULT,
            nquantiles = pcnkit_indicators::NQUANTILES_DEFAULT,
            invert = pcnkit_indicators::QUANTILE_INVERT_DEFAULT
        )
        .into())
    })
}

fn year(text: &str) -> std::result::Result<pcnkit_core::FinancialYear, Failure> {
    text.parse()
        .map_err(|e: pcnkit_core::CoreError| Failure::Argument(format!("year: {e}")))
}

fn amount(
    name: &str,
    text: Option<&str>,
) -> std::result::Result<Option<rust_decimal::Decimal>, Failure> {
    text.map(|t| {
        t.trim()
            .parse::<rust_decimal::Decimal>()
            .ok()
            .filter(|d| !d.is_sign_negative())
            .ok_or_else(|| Failure::Argument(format!("{name}: {t:?} is not a number of 0 or more")))
    })
    .transpose()
}

fn text_or_null(r: &Robj) -> Option<String> {
    if r.is_null() {
        return None;
    }
    r.as_str().map(str::to_owned)
}

/// Every ARRS and Network Contract DES rule figure of a year with its provenance.
#[extendr]
fn rs_arrs_figures(year_text: &str) -> Robj {
    answer(|| {
        let fy = year(year_text)?;
        let table = pcnkit_arrs::table::figures(pcnkit_arrs::RuleBook::builtin(), fy)?;
        frame::frame_out(&table)
    })
}

/// A PCN's entitlement, line by line, from its populations (as decimal text).
#[extendr]
fn rs_arrs_entitlement(year_text: &str, weighted: Robj, registered: Robj, adjusted: Robj) -> Robj {
    answer(|| {
        let fy = year(year_text)?;
        let mut inputs = pcnkit_arrs::PcnInputs::default();
        inputs.weighted = amount("weighted", text_or_null(&weighted).as_deref())?;
        inputs.registered = amount("registered", text_or_null(&registered).as_deref())?;
        inputs.adjusted = amount("adjusted", text_or_null(&adjusted).as_deref())?;
        let book = pcnkit_arrs::RuleBook::builtin();
        let e = pcnkit_arrs::entitlement(
            book,
            fy,
            &inputs,
            pcnkit_arrs::EntitlementOptions::default(),
        )?;
        frame::frame_out(&pcnkit_arrs::table::entitlement_lines(book, &e)?)
    })
}

/// One PCN's claims for a year from a staff data frame (the staff table's columns) and its
/// weighted population: the pools, or the claim lines.
#[extendr]
fn rs_arrs_claims(staff: List, pcn: &str, year_text: &str, weighted: Robj, lines: bool) -> Robj {
    answer(|| {
        let (fy, inputs, members, e) = one_pcn(&staff, pcn, year_text, &weighted)?;
        let book = pcnkit_arrs::RuleBook::builtin();
        let report = pcnkit_arrs::claims(book, fy, &inputs, &e, &members)?;
        if let Some(err) = report.errors.first() {
            return Err(Failure::Data {
                message: err.to_string(),
                file: Some("staff".to_owned()),
                row: None,
                field: None,
            });
        }
        let table = if lines {
            pcnkit_arrs::table::claim_lines(&report)?
        } else {
            pcnkit_arrs::table::pools(&report)?
        };
        // The engine's findings (a claim it could not value, …) go with the answer; the R
        // layer raises each as a warning, as the CLI prints them.
        let findings: Vec<String> = report.findings.iter().map(|f| f.message.clone()).collect();
        let mut out = frame::frame_out(&table)?;
        out.set_attrib("pcnkit_findings", findings)
            .map_err(|e| Failure::Internal(e.to_string()))?;
        Ok(out)
    })
}

/// One PCN's staff (the staff table's rows of that PCN, read and checked by the ARRS crate's
/// reader), inputs and entitlement, as the CLI's and Python's `arrs` commands take them.
fn one_pcn(
    staff: &List,
    pcn: &str,
    year_text: &str,
    weighted: &Robj,
) -> std::result::Result<
    (
        pcnkit_core::FinancialYear,
        pcnkit_arrs::PcnInputs,
        Vec<pcnkit_arrs::StaffMember>,
        pcnkit_arrs::Entitlement,
    ),
    Failure,
> {
    let fy = year(year_text)?;
    let pcn: pcnkit_core::PcnCode = pcn
        .parse()
        .map_err(|e: pcnkit_core::CoreError| Failure::Argument(format!("pcn: {e}")))?;
    let members: Vec<_> = read_staff(staff)?
        .into_iter()
        .filter(|s| s.pcn == Some(pcn))
        .collect();
    let mut inputs = pcnkit_arrs::PcnInputs::default();
    inputs.pcn = Some(pcn);
    inputs.weighted = amount("weighted", text_or_null(weighted).as_deref())?;
    let e = pcnkit_arrs::entitlement(
        pcnkit_arrs::RuleBook::builtin(),
        fy,
        &inputs,
        pcnkit_arrs::EntitlementOptions::default(),
    )?;
    Ok((fy, inputs, members, e))
}

/// A staff data frame through the ARRS crate's staff reader; the first bad row is the error.
fn read_staff(staff: &List) -> std::result::Result<Vec<pcnkit_arrs::StaffMember>, Failure> {
    let csv = frame::csv_of(staff, "staff")?;
    let imported = pcnkit_arrs::read_staff(
        csv.as_slice(),
        pcnkit_core::read::ImportOptions::new("staff"),
        pcnkit_arrs::StaffTableChecks::new(pcnkit_arrs::RuleBook::builtin()),
    )?;
    match imported.errors.first() {
        Some(first) => Err(Failure::from_data_error(first, imported.errors.len())),
        None => Ok(imported.records),
    }
}

/// What-if: how many more WTE of `role` at `cost` a year the PCN's headroom would pay for.
#[extendr]
fn rs_arrs_plan(
    staff: List,
    pcn: &str,
    year_text: &str,
    weighted: Robj,
    role: &str,
    cost: &str,
) -> Robj {
    answer(|| {
        let (fy, inputs, members, e) = one_pcn(&staff, pcn, year_text, &weighted)?;
        let cost = amount("cost", Some(cost))?
            .ok_or_else(|| Failure::Argument("cost: required".to_owned()))?;
        let hire =
            pcnkit_arrs::Hire::new(role, pcnkit_core::Money::from_pounds(cost), fy.first_day());
        let plan = pcnkit_arrs::plan(
            pcnkit_arrs::RuleBook::builtin(),
            fy,
            &inputs,
            &e,
            &members,
            Some(&hire),
        )?;
        if let Some(err) = plan.forecast.errors.first() {
            return Err(Failure::Data {
                message: err.to_string(),
                file: Some("staff".to_owned()),
                row: None,
                field: None,
            });
        }
        frame::frame_out(&pcnkit_arrs::table::plan(role, &plan)?)
    })
}

/// ARRS for every PCN of a staff table with a table of weighted populations (`pcn`,
/// `weighted_patients`): the summary per PCN and the claims per PCN and month.
#[extendr]
fn rs_arrs_summary(staff: List, weighted: List, year_text: &str) -> Robj {
    answer(|| {
        let fy = year(year_text)?;
        let members = read_staff(&staff)?;
        let csv = frame::csv_of(&weighted, "weighted")?;
        let imported = pcnkit_org::import::read_weighted_populations(
            csv.as_slice(),
            pcnkit_core::read::ImportOptions::new("weighted"),
        )
        .map_err(Failure::from)?;
        if let Some(first) = imported.errors.first() {
            return Err(Failure::from_data_error(first, imported.errors.len()));
        }
        let mut pcns: std::collections::BTreeMap<pcnkit_core::PcnCode, pcnkit_arrs::PcnInputs> =
            std::collections::BTreeMap::new();
        for r in imported.records {
            let pcnkit_org::import::WeightedOrg::Pcn(p) = r.org else {
                return Err(Failure::Data {
                    message: "weighted: give a `pcn` column (practice rows need a practice map to be summed)".to_owned(),
                    file: Some("weighted".to_owned()),
                    row: r.location.line.map(|l| l.saturating_sub(1)),
                    field: Some("pcn".to_owned()),
                });
            };
            pcns.insert(p, pcnkit_arrs::PcnInputs::weighted(r.weighted));
        }
        // PCNs of the staff without a weighted population: their entitlement is unknown.
        for s in &members {
            if let Some(p) = s.pcn {
                pcns.entry(p).or_default();
            }
        }
        let s = pcnkit_arrs::summarise(pcnkit_arrs::RuleBook::builtin(), fy, &pcns, &members)?;
        Ok(list!(
            summary = frame::frame_out(&pcnkit_arrs::table::summary(&s)?)?,
            monthly = frame::frame_out(&pcnkit_arrs::table::by_month(&s, fy)?)?
        )
        .into())
    })
}

/// Any NHS organisation file pcnkit reads, by kind: its records and the findings of every
/// row that was not a record.
#[extendr]
fn rs_read(kind: &str, path: &str) -> Robj {
    answer(|| {
        let kind: pcnkit_org::import::FileKind = kind
            .parse()
            .map_err(|e: pcnkit_org::OrgError| Failure::Argument(e.to_string()))?;
        let file =
            pcnkit_org::import::open(std::path::Path::new(path)).map_err(|e| Failure::Data {
                message: e.to_string(),
                file: Some(path.to_owned()),
                row: None,
                field: None,
            })?;
        let (records, rows) =
            pcnkit_org::import::read_kind(kind, file, pcnkit_org::import::ImportOptions::new(path))
                .map_err(Failure::from)?;
        let findings = pcnkit_core::findings_table(&rows.findings())
            .map_err(|e| Failure::Internal(e.to_string()))?;
        Ok(list!(
            records = frame::frame_out(&records)?,
            findings = frame::frame_out(&findings)?
        )
        .into())
    })
}

/// The ICS profile (what `pcnkit report` shows) as named tables: of the demo (`files` NULL)
/// or of the files given by input name.
#[extendr]
// One parameter per argument of R's `pcnkit_profile` crossing `.Call`, as the Python binding.
#[allow(clippy::too_many_arguments)]
fn rs_profile(
    files: Robj,
    icb: Robj,
    year_text: Robj,
    accept_errors: bool,
    seed: Robj,
    disclosure: Robj,
    activity_target: Robj,
    plans: Robj,
) -> Robj {
    answer(|| {
        let mut options = pcnkit_profile::ProfileOptions::default();
        options.activity_target = activity_target.as_real().filter(|t| !t.is_nan());
        let mut pairs = Vec::new();
        let list = if plans.is_null() {
            None
        } else {
            Some(List::try_from(plans).map_err(|_| {
                Failure::Argument("chww, pharmacy: named lists of options".to_owned())
            })?)
        };
        for (name, value) in list.iter().flat_map(List::iter) {
            let text = value
                .as_str()
                .ok_or_else(|| Failure::Argument(format!("{name}: one value")))?;
            pairs.push((name, text));
        }
        let (chww, pharmacy) =
            pcnkit_profile::plans::words_from_text(pairs).map_err(profile_failure)?;
        options.plans =
            pcnkit_profile::plans::PlanOptions::from_words(files.is_null(), &chww, &pharmacy)
                .map_err(profile_failure)?;
        if let Some(y) = text_or_null(&year_text) {
            options.year = year(&y)?;
        }
        if let Some(d) = text_or_null(&disclosure) {
            options.disclosure =
                Some(d.parse().map_err(|e: pcnkit_indicators::IndicatorError| {
                    Failure::Argument(format!("disclosure: {e}"))
                })?);
        }
        let inputs = if files.is_null() {
            let mut config = pcnkit_demo::DemoConfig::default();
            if let Some(s) = seed.as_real().filter(|s| s.is_finite() && *s >= 0.0) {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                {
                    config.seed = s as u64;
                }
            }
            pcnkit_profile::ProfileInputs::demo(&config).map_err(profile_failure)?
        } else {
            let list = List::try_from(files)
                .map_err(|_| Failure::Argument("files: a named list of paths".to_owned()))?;
            let mut f = pcnkit_profile::ProfileFiles::default();
            if let Some(i) = text_or_null(&icb) {
                f.icb =
                    Some(i.parse().map_err(|e: pcnkit_core::CoreError| {
                        Failure::Argument(format!("icb: {e}"))
                    })?);
            }
            for (name, path) in list.iter() {
                let path = path
                    .as_str()
                    .ok_or_else(|| Failure::Argument(format!("{name}: a file path")))?;
                f.set(name, path).map_err(profile_failure)?;
            }
            let intake = pcnkit_profile::Intake::new().accept_errors(accept_errors);
            pcnkit_profile::ProfileInputs::from_files(&f, intake).map_err(profile_failure)?
        };
        let profile = pcnkit_profile::Profile::new(inputs, &options).map_err(profile_failure)?;
        let tables = profile.tables().map_err(profile_failure)?;
        let mut names = Vec::with_capacity(tables.len());
        let mut values = Vec::with_capacity(tables.len());
        for (n, t) in tables {
            names.push(n);
            values.push(frame::frame_out(&t)?);
        }
        let mut out: Robj = List::from_names_and_values(names, values)
            .map_err(|e| Failure::Internal(e.to_string()))?
            .into();
        out.set_attrib("title", profile.title)
            .and_then(|o| o.set_attrib("date", profile.date.to_string()))
            .map_err(|e| Failure::Internal(e.to_string()))?;
        Ok(out)
    })
}

fn profile_failure(e: pcnkit_profile::ProfileError) -> Failure {
    use pcnkit_profile::ProfileError as E;
    match &e {
        E::Io { path, .. } => Failure::Data {
            message: e.to_string(),
            file: Some(path.clone()),
            row: None,
            field: None,
        },
        E::Rejected { file, .. } => Failure::Data {
            message: e.to_string(),
            file: Some(file.clone()),
            row: None,
            field: None,
        },
        E::Inputs(_) => Failure::Argument(e.to_string()),
        _ => Failure::Data {
            message: e.to_string(),
            file: None,
            row: None,
            field: None,
        },
    }
}

/// Panics inside the guard, for the test that no panic reaches R.
#[extendr]
#[allow(clippy::panic)]
fn rs_panic_for_tests() -> Robj {
    answer(|| panic!("deliberate test panic"))
}

extendr_module! {
    mod pcnkit;
    fn rs_indicator;
    fn rs_defaults;
    fn rs_arrs_figures;
    fn rs_arrs_entitlement;
    fn rs_arrs_claims;
    fn rs_arrs_plan;
    fn rs_arrs_summary;
    fn rs_read;
    fn rs_profile;
    fn rs_panic_for_tests;
}
