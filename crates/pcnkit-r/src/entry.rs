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
        let fy = year(year_text)?;
        let pcn: pcnkit_core::PcnCode = pcn
            .parse()
            .map_err(|e: pcnkit_core::CoreError| Failure::Argument(format!("pcn: {e}")))?;
        let csv = frame::csv_of(&staff, "staff")?;
        let imported = pcnkit_arrs::read_staff(
            csv.as_slice(),
            pcnkit_core::read::ImportOptions::new("staff"),
            pcnkit_arrs::StaffTableChecks::new(pcnkit_arrs::RuleBook::builtin()),
        )?;
        if let Some(first) = imported.errors.first() {
            return Err(Failure::from_data_error(first, imported.errors.len()));
        }
        // The staff table's rows of this PCN, as the CLI and Python take them.
        let members: Vec<_> = imported
            .records
            .into_iter()
            .filter(|s| s.pcn == Some(pcn))
            .collect();
        let mut inputs = pcnkit_arrs::PcnInputs::default();
        inputs.pcn = Some(pcn);
        inputs.weighted = amount("weighted", text_or_null(&weighted).as_deref())?;
        let book = pcnkit_arrs::RuleBook::builtin();
        let e = pcnkit_arrs::entitlement(
            book,
            fy,
            &inputs,
            pcnkit_arrs::EntitlementOptions::default(),
        )?;
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
    fn rs_panic_for_tests;
}
