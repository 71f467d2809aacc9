//! The HTTP API for ICS systems, under `/api/v1`, JSON (or Arrow) in and out, computed by the
//! same crates, specs and defaults as every other front end:
//!
//! - `GET /api/v1/arrs/figures?year=2025/26`: every ARRS and Network Contract DES rule figure of
//!   a year with its provenance (source documents and confidence).
//! - `GET /api/v1/arrs/entitlement?year=…&weighted=…[&registered=…&adjusted=…]`: a PCN's
//!   entitlement, line by line, each with its basis, source and explanation; a figure the
//!   sources do not give is null with a note, never 0.
//! - `POST /api/v1/arrs/claims`: a PCN's claims from its staff as JSON objects (the staff
//!   table's columns), through the ARRS crate's staff reader and checks; pools and headroom,
//!   or the claim lines.
//! - `POST /api/v1/indicators/{method}`: every method of
//!   [`IndicatorRequest`](pcnkit_indicators::request::IndicatorRequest) (proportion, rate,
//!   mean, dsr, isr, quantiles, sii, funnels, life expectancy, disclosure control,
//!   benchmarking, trends, SPC) over rows given as JSON or as an Arrow IPC stream.
//!
//! Answers are JSON (money as exact decimal text, nulls explicit), or an Arrow IPC stream when
//! `Accept` asks for `application/vnd.apache.arrow.stream`. Computations run on the blocking
//! pool under the request time limit. Nothing here writes (so no endpoint needs a token).

use std::io::Cursor;
use std::sync::Arc;

use arrow_array::RecordBatch;
use axum::Json;
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
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

/// A population given as decimal text (exact: never through a binary fraction), 0 or more.
fn population(name: &str, text: Option<&str>) -> Result<Option<Decimal>, Problem> {
    text.map(|v| {
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

fn decimal(p: &[(String, String)], name: &str) -> Result<Option<Decimal>, Problem> {
    population(name, param(p, name))
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

/// The Arrow IPC stream media type, accepted as a body and offered as a response.
pub const ARROW_STREAM: &str = "application/vnd.apache.arrow.stream";

fn unprocessable(detail: impl std::fmt::Display) -> Problem {
    Problem {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        detail: detail.to_string(),
    }
}

fn bad_body(detail: impl std::fmt::Display) -> Problem {
    Problem {
        status: axum::http::StatusCode::BAD_REQUEST,
        detail: format!("the body is not the JSON asked for: {detail}"),
    }
}

/// JSON rows (an array of objects) as an Arrow table, column types inferred from the values.
fn table_of(name: &str, items: &Value) -> Result<RecordBatch, Problem> {
    let Some(items) = items.as_array() else {
        return Err(Problem::bad_parameter(name, "an array of objects"));
    };
    if items.is_empty() || !items.iter().all(Value::is_object) {
        return Err(Problem::bad_parameter(
            name,
            "an array of one or more objects",
        ));
    }
    let schema =
        arrow_json::reader::infer_json_schema_from_iterator(items.iter().map(|v| Ok(v.clone())))
            .map_err(|e| Problem::bad_parameter(name, e))?;
    let mut text = Vec::new();
    for v in items {
        text.extend(v.to_string().into_bytes());
        text.push(b'\n');
    }
    let reader = arrow_json::ReaderBuilder::new(Arc::new(schema))
        .with_batch_size(items.len().max(1))
        .build(Cursor::new(text))
        .map_err(|e| Problem::bad_parameter(name, e))?;
    let batches: Vec<RecordBatch> = reader
        .collect::<Result<_, _>>()
        .map_err(|e| Problem::bad_parameter(name, e))?;
    let first = batches
        .first()
        .ok_or_else(|| Problem::bad_parameter(name, "no rows"))?;
    arrow_select::concat::concat_batches(&first.schema(), &batches)
        .map_err(|e| Problem::bad_parameter(name, e))
}

/// An Arrow IPC stream as record batches.
fn table_of_stream(body: &[u8]) -> Result<Vec<RecordBatch>, Problem> {
    let bad = |e: arrow_schema::ArrowError| Problem {
        status: axum::http::StatusCode::BAD_REQUEST,
        detail: format!("the body is not an Arrow IPC stream: {e}"),
    };
    let reader = arrow_ipc::reader::StreamReader::try_new(Cursor::new(body), None).map_err(bad)?;
    let batches = reader.collect::<Result<Vec<_>, _>>().map_err(bad)?;
    if batches.iter().all(|b| b.num_rows() == 0) {
        return Err(Problem {
            status: axum::http::StatusCode::BAD_REQUEST,
            detail: "the Arrow stream has no rows".to_owned(),
        });
    }
    Ok(batches)
}

/// A table as an Arrow IPC stream response.
fn stream_response(batch: &RecordBatch) -> Result<Response, Problem> {
    let mut buffer = Vec::new();
    {
        let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut buffer, &batch.schema())
            .map_err(unprocessable)?;
        w.write(batch).map_err(unprocessable)?;
        w.finish().map_err(unprocessable)?;
    }
    Ok(([(header::CONTENT_TYPE, ARROW_STREAM)], buffer).into_response())
}

fn wants_stream(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains(ARROW_STREAM))
}

fn is_stream(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().starts_with(ARROW_STREAM))
}

/// Runs a computation on the blocking pool, so a long one neither holds up other requests
/// nor escapes the request time limit (the client gets its 408 on time).
async fn compute<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Problem {
        status: axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        detail: format!("the computation failed: {e}"),
    })?
}

/// `POST /api/v1/indicators/{method}`: any method of
/// [`IndicatorRequest`](pcnkit_indicators::request::IndicatorRequest), its fields beside the
/// data. The data is the body's `rows` (JSON objects; ISR's observed totals in `totals`), or
/// the body itself as an Arrow IPC stream with the fields as JSON in the `options` query
/// parameter. The answer is `{"method", "rows"}`, or an Arrow IPC stream when the `Accept`
/// header asks for one.
pub async fn indicator(
    Path(method): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Problem> {
    use pcnkit_indicators::request::{IndicatorRequest, METHODS};
    if !METHODS.contains(&method.as_str()) {
        return Err(Problem::not_found(format!(
            "no indicator method {method:?}: one of {}",
            METHODS.join(", ")
        )));
    }
    let (mut fields, data, totals) = if is_stream(&headers) {
        let p = params(raw.as_deref());
        let options: Value = match param(&p, "options") {
            Some(text) => serde_json::from_str(text)
                .map_err(|e| Problem::bad_parameter("options", format!("not JSON: {e}")))?,
            None => json!({}),
        };
        (options, table_of_stream(&body)?, None)
    } else {
        let mut body: Value = serde_json::from_slice(&body).map_err(bad_body)?;
        let Some(object) = body.as_object_mut() else {
            return Err(bad_body("an object with `rows` and the method's fields"));
        };
        let rows = object.remove("rows").ok_or_else(|| {
            Problem::bad_parameter("rows", "required in the body: an array of objects")
        })?;
        let totals = object
            .remove("totals")
            .map(|t| table_of("totals", &t))
            .transpose()?;
        (body, vec![table_of("rows", &rows)?], totals)
    };
    let Some(object) = fields.as_object_mut() else {
        return Err(bad_body("the method's fields as an object"));
    };
    if object.contains_key("method") {
        return Err(bad_body(
            "the method is named by the path, not a `method` field",
        ));
    }
    object.insert("method".to_owned(), Value::String(method.clone()));
    let request: IndicatorRequest = serde_json::from_value(fields).map_err(bad_body)?;
    let out = compute(move || {
        request
            .run(&data, totals.as_ref().map(std::slice::from_ref))
            .map_err(|e| match e {
                // An option the method cannot use is the request's fault: 400 naming it.
                pcnkit_indicators::request::RequestError::Argument(e) => Problem {
                    status: axum::http::StatusCode::BAD_REQUEST,
                    detail: e.to_string(),
                },
                e => unprocessable(e),
            })
    })
    .await?;
    if wants_stream(&headers) {
        return stream_response(&out);
    }
    Ok(Json(json!({"method": method, "rows": rows(&out)?})).into_response())
}

/// `POST /api/v1/arrs/claims`: a PCN's monthly claims for a year from its staff, given as
/// JSON objects with the staff table's columns
/// ([`STAFF_COLUMNS`](pcnkit_arrs::workforce::STAFF_COLUMNS)), read by the same reader and
/// checks as the CLI's `--staff` and Python's. A staff member who cannot be read, or claimed
/// for, refuses the whole request (422, each named by its index in `staff`): a claim total
/// without them would look complete and be wrong.
pub async fn arrs_claims(
    headers: HeaderMap,
    body: Result<Json<Value>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, Problem> {
    let Json(body) = body.map_err(bad_body)?;
    let Some(object) = body.as_object() else {
        return Err(bad_body("an object with year, weighted and staff"));
    };
    if let Some(unknown) = object.keys().find(|k| {
        ![
            "year",
            "pcn",
            "weighted",
            "registered",
            "adjusted",
            "staff",
            "lines",
        ]
        .contains(&k.as_str())
    }) {
        return Err(bad_body(format!("unknown field `{unknown}`")));
    }
    let text = |name: &str| -> Result<Option<String>, Problem> {
        match object.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(Problem::bad_parameter(name, "text or a number")),
        }
    };
    let year_text =
        text("year")?.ok_or_else(|| Problem::bad_parameter("year", "required (e.g. 2025/26)"))?;
    let fy: FinancialYear = year_text
        .parse()
        .map_err(|e: pcnkit_core::CoreError| Problem::bad_parameter("year", e))?;
    let amount = |name: &str| -> Result<Option<Decimal>, Problem> {
        population(name, text(name)?.as_deref())
    };
    let mut inputs = pcnkit_arrs::PcnInputs::default();
    inputs.weighted = amount("weighted")?;
    inputs.registered = amount("registered")?;
    inputs.adjusted = amount("adjusted")?;
    let pcn: Option<pcnkit_core::PcnCode> = text("pcn")?
        .map(|p| {
            p.parse()
                .map_err(|e: pcnkit_core::CoreError| Problem::bad_parameter("pcn", e))
        })
        .transpose()?;
    inputs.pcn = pcn;
    let lines = match object.get("lines") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Problem::bad_parameter("lines", "true or false")),
    };
    let staff = staff_of(object.get("staff").unwrap_or(&Value::Null), pcn)?;
    let book = pcnkit_arrs::RuleBook::builtin();
    let e = pcnkit_arrs::entitlement(
        book,
        fy,
        &inputs,
        pcnkit_arrs::EntitlementOptions::default(),
    )
    .map_err(|e| Problem::bad_parameter("year", e))?;
    let report =
        compute(move || pcnkit_arrs::claims(book, fy, &inputs, &e, &staff).map_err(unprocessable))
            .await?;
    if !report.errors.is_empty() {
        let said: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        return Err(unprocessable(format!(
            "{} member(s) of staff cannot be claimed for: {}",
            said.len(),
            said.join("; ")
        )));
    }
    let table = if lines {
        pcnkit_arrs::table::claim_lines(&report)
    } else {
        pcnkit_arrs::table::pools(&report)
    }
    .map_err(unprocessable)?;
    if wants_stream(&headers) {
        return stream_response(&table);
    }
    let findings: Vec<String> = report.findings.iter().map(|f| f.message.clone()).collect();
    Ok(Json(json!({
        "year": fy.to_string(),
        "rows": rows(&table)?,
        "findings": findings,
    }))
    .into_response())
}

/// The body's staff through the ARRS crate's staff reader (as CSV, its one input form), each
/// error named by the member's index.
fn staff_of(
    items: &Value,
    pcn: Option<pcnkit_core::PcnCode>,
) -> Result<Vec<pcnkit_arrs::StaffMember>, Problem> {
    use pcnkit_arrs::workforce::STAFF_COLUMNS;
    let Some(items) = items.as_array() else {
        return Err(Problem::bad_parameter(
            "staff",
            "required: an array of objects",
        ));
    };
    let mut csv = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| unprocessable(e);
    csv.write_record(STAFF_COLUMNS).map_err(internal)?;
    for (i, item) in items.iter().enumerate() {
        let Some(member) = item.as_object() else {
            return Err(Problem::bad_parameter(
                "staff",
                format!("staff[{i}] is not an object"),
            ));
        };
        if let Some(k) = member.keys().find(|k| !STAFF_COLUMNS.contains(&k.as_str())) {
            return Err(Problem::bad_parameter(
                "staff",
                format!(
                    "staff[{i}]: unknown field `{k}` (the columns are {})",
                    STAFF_COLUMNS.join(", ")
                ),
            ));
        }
        let mut cells = Vec::with_capacity(STAFF_COLUMNS.len());
        for c in STAFF_COLUMNS {
            cells.push(match member.get(c) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Bool(b)) => b.to_string(),
                Some(_) => {
                    return Err(Problem::bad_parameter(
                        "staff",
                        format!("staff[{i}].{c}: text, a number or true/false"),
                    ));
                }
            });
        }
        csv.write_record(&cells).map_err(internal)?;
    }
    let text = csv.into_inner().map_err(|e| unprocessable(e.to_string()))?;
    let imported = pcnkit_arrs::read_staff(
        text.as_slice(),
        pcnkit_core::read::ImportOptions::new("staff"),
        pcnkit_arrs::StaffTableChecks::new(pcnkit_arrs::RuleBook::builtin()),
    )
    .map_err(unprocessable)?;
    if !imported.errors.is_empty() {
        // Line 2 of the table is staff[0].
        let said: Vec<String> = imported
            .errors
            .iter()
            .map(|e| {
                let at = e
                    .location
                    .line
                    .map_or_else(String::new, |l| format!("[{}]", l.saturating_sub(2)));
                let field = e
                    .location
                    .field
                    .as_deref()
                    .map(|f| format!(".{f}"))
                    .unwrap_or_default();
                format!("staff{at}{field}: {}", e.kind)
            })
            .collect();
        return Err(unprocessable(said.join("; ")));
    }
    if let Some(p) = pcn
        && let Some((i, m)) = imported
            .records
            .iter()
            .enumerate()
            .find(|(_, m)| m.pcn.is_some_and(|q| q != p))
    {
        return Err(unprocessable(format!(
            "staff[{i}] ({}) is in PCN {}, not {p}: give one PCN's staff",
            m.id,
            m.pcn.map(|q| q.to_string()).unwrap_or_default()
        )));
    }
    Ok(imported.records)
}
