//! The HTTP API for ICS systems, under `/api/v1`, JSON in and out, computed by the same crates
//! and specs (and defaults) as every other front end:
//!
//! - `GET /api/v1/arrs/figures?year=2025/26`: every ARRS and Network Contract DES rule figure of
//!   a year with its provenance (source documents and confidence).
//! - `GET /api/v1/arrs/entitlement?year=…&weighted=…[&registered=…&adjusted=…]`: a PCN's
//!   entitlement, line by line, each with its basis, source and explanation; a figure the
//!   sources do not give is null with a note, never 0.
//! - `POST /api/v1/indicators/{proportion|rate|dsr}`: the indicator methods over rows given as
//!   JSON (`{"rows": [...], "numerator": …}`), answered as rows.
//!
//! Money is written as exact decimal text. Nothing here writes: these endpoints compute.

use std::io::Cursor;
use std::sync::Arc;

use arrow_array::RecordBatch;
use axum::Json;
use axum::extract::{Path, RawQuery};
use pcnkit_core::FinancialYear;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::problem::Problem;

/// The largest JSON body the compute endpoints accept.
pub const API_BODY_LIMIT_BYTES: usize = 8 * 1024 * 1024;

fn params(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .filter(|(_, v)| !v.trim().is_empty())
        .collect()
}

fn param<'a>(p: &'a [(String, String)], name: &str) -> Option<&'a str> {
    p.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn year(p: &[(String, String)]) -> Result<FinancialYear, Problem> {
    let text = param(p, "year")
        .ok_or_else(|| Problem::bad_parameter("year", "required (e.g. 2025/26)"))?;
    text.parse()
        .map_err(|e: pcnkit_core::CoreError| Problem::bad_parameter("year", e))
}

fn decimal(p: &[(String, String)], name: &str) -> Result<Option<Decimal>, Problem> {
    param(p, name)
        .map(|v| {
            v.trim()
                .parse::<Decimal>()
                .ok()
                .filter(|d| !d.is_sign_negative())
                .ok_or_else(|| {
                    Problem::bad_parameter(name, format!("{v:?} is not a number of 0 or more"))
                })
        })
        .transpose()
}

/// A table as JSON rows: money and other decimals as exact text, nulls explicit.
fn rows(batch: &RecordBatch) -> Result<Value, Problem> {
    let internal = |e: String| Problem {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        detail: format!("the result could not be written as JSON: {e}"),
    };
    let batch = pcnkit_core::write::decimals_as_text(batch, pcnkit_core::write::DecimalText::Exact)
        .map_err(|e| internal(e.to_string()))?;
    let mut buffer = Vec::new();
    let mut w = arrow_json::WriterBuilder::new()
        .with_explicit_nulls(true)
        .build::<_, arrow_json::writer::JsonArray>(&mut buffer);
    w.write(&batch).map_err(|e| internal(e.to_string()))?;
    w.finish().map_err(|e| internal(e.to_string()))?;
    if buffer.is_empty() {
        return Ok(json!([]));
    }
    serde_json::from_slice(&buffer).map_err(|e| internal(e.to_string()))
}

/// `GET /api/v1/arrs/figures`.
pub async fn arrs_figures(RawQuery(raw): RawQuery) -> Result<Json<Value>, Problem> {
    let p = params(raw.as_deref());
    let fy = year(&p)?;
    let table = pcnkit_arrs::table::figures(pcnkit_arrs::RuleBook::builtin(), fy)
        .map_err(|e| Problem::bad_parameter("year", e))?;
    Ok(Json(json!({"year": fy.to_string(), "rows": rows(&table)?})))
}

/// `GET /api/v1/arrs/entitlement`.
pub async fn arrs_entitlement(RawQuery(raw): RawQuery) -> Result<Json<Value>, Problem> {
    let p = params(raw.as_deref());
    let fy = year(&p)?;
    let weighted = decimal(&p, "weighted")?.ok_or_else(|| {
        Problem::bad_parameter("weighted", "required: the PCN's weighted population")
    })?;
    let mut inputs = pcnkit_arrs::PcnInputs::weighted(weighted);
    inputs.registered = decimal(&p, "registered")?;
    inputs.adjusted = decimal(&p, "adjusted")?;
    let book = pcnkit_arrs::RuleBook::builtin();
    let e = pcnkit_arrs::entitlement(
        book,
        fy,
        &inputs,
        pcnkit_arrs::EntitlementOptions::default(),
    )
    .map_err(|e| Problem::bad_parameter("year", e))?;
    let table = pcnkit_arrs::table::entitlement_lines(book, &e)
        .map_err(|e| Problem::bad_parameter("year", e))?;
    Ok(Json(json!({"year": fy.to_string(), "rows": rows(&table)?})))
}

fn body_field<'a>(body: &'a Value, name: &str) -> Result<&'a str, Problem> {
    body.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| Problem::bad_parameter(name, "required in the body (a column name)"))
}

/// The body's `rows` as an Arrow table (column types inferred from the values).
fn table_of(body: &Value) -> Result<RecordBatch, Problem> {
    let Some(items) = body.get("rows").and_then(Value::as_array) else {
        return Err(Problem::bad_parameter(
            "rows",
            "required in the body: an array of objects",
        ));
    };
    if items.is_empty() || !items.iter().all(Value::is_object) {
        return Err(Problem::bad_parameter(
            "rows",
            "an array of one or more objects",
        ));
    }
    let schema =
        arrow_json::reader::infer_json_schema_from_iterator(items.iter().map(|v| Ok(v.clone())))
            .map_err(|e| Problem::bad_parameter("rows", e))?;
    let mut text = Vec::new();
    for v in items {
        text.extend(v.to_string().into_bytes());
        text.push(b'\n');
    }
    let reader = arrow_json::ReaderBuilder::new(Arc::new(schema))
        .with_batch_size(items.len().max(1))
        .build(Cursor::new(text))
        .map_err(|e| Problem::bad_parameter("rows", e))?;
    let batches: Vec<RecordBatch> = reader
        .collect::<Result<_, _>>()
        .map_err(|e| Problem::bad_parameter("rows", e))?;
    let first = batches
        .first()
        .ok_or_else(|| Problem::bad_parameter("rows", "no rows"))?;
    arrow_select::concat::concat_batches(&first.schema(), &batches)
        .map_err(|e| Problem::bad_parameter("rows", e))
}

/// `POST /api/v1/indicators/{method}`: `proportion` (`numerator`, `denominator`), `rate`
/// (`count`, `denominator`), `dsr` (`count`, `denominator`, `age_band`: ESP2013), each with
/// optional `group_by` (column names), `confidence` (levels, e.g. `[0.95, 0.998]`) and
/// `multiplier`; the crate's defaults otherwise.
pub async fn indicator(
    Path(method): Path<String>,
    body: Result<Json<Value>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, Problem> {
    let Json(body) = body.map_err(|e| Problem {
        status: axum::http::StatusCode::BAD_REQUEST,
        detail: format!("the body is not the JSON asked for: {e}"),
    })?;
    let table = table_of(&body)?;
    let group: Vec<String> = match body.get("group_by") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| Problem::bad_parameter("group_by", "an array of column names"))?,
        Some(_) => {
            return Err(Problem::bad_parameter(
                "group_by",
                "an array of column names",
            ));
        }
    };
    let group: Vec<&str> = group.iter().map(String::as_str).collect();
    let levels = match body.get("confidence") {
        None | Some(Value::Null) => vec![pcnkit_indicators::CONFIDENCE_DEFAULT],
        Some(Value::Array(a)) => {
            let values: Vec<f64> = a
                .iter()
                .map(Value::as_f64)
                .collect::<Option<_>>()
                .ok_or_else(|| Problem::bad_parameter("confidence", "an array of levels"))?;
            pcnkit_indicators::Confidence::levels(&values)
                .map_err(|e| Problem::bad_parameter("confidence", e))?
        }
        Some(_) => return Err(Problem::bad_parameter("confidence", "an array of levels")),
    };
    let multiplier = match body.get("multiplier") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_f64()
                .ok_or_else(|| Problem::bad_parameter("multiplier", "a number"))?,
        ),
    };
    let batches = std::slice::from_ref(&table);
    // Each method's spec with the shared options, the crate's defaults where none is given.
    macro_rules! run {
        ($spec:expr) => {{
            let mut spec = $spec.group_by(&group).levels(levels);
            if let Some(m) = multiplier {
                spec = spec.multiplier(m);
            }
            spec.run(batches)
        }};
    }
    let out = match method.as_str() {
        "proportion" => run!(pcnkit_indicators::ProportionSpec::new(
            body_field(&body, "numerator")?,
            body_field(&body, "denominator")?,
        )),
        "rate" => run!(pcnkit_indicators::RateSpec::new(
            body_field(&body, "count")?,
            body_field(&body, "denominator")?,
        )),
        "dsr" => run!(pcnkit_indicators::DsrSpec::new(
            body_field(&body, "count")?,
            body_field(&body, "denominator")?,
            pcnkit_indicators::Standard::Esp2013 {
                age_band: body_field(&body, "age_band")?,
            },
        )),
        other => {
            return Err(Problem::not_found(format!(
                "no indicator method {other:?}: proportion, rate or dsr"
            )));
        }
    }
    .map_err(|e| Problem {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        detail: e.to_string(),
    })?;
    Ok(Json(json!({"method": method, "rows": rows(&out)?})))
}
