//! The HTTP API for ICS systems (`/api/v1`): the same answers as the library, JSON in and out,
//! refusals as problem+json. Requests go through the router in process.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::excessive_precision
)]

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::Array;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;

async fn app() -> (axum::Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = pcnkit_store::Store::open(dir.path().join("a.sqlite").to_str().unwrap())
        .await
        .unwrap();
    let state = pcnkit_server::AppState::from_store(store, "http://test", HashMap::new())
        .await
        .unwrap();
    (pcnkit_server::router(Arc::new(state)), dir)
}

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, String, Value) {
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        kind,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn post(uri: &str, body: &Value) -> Request<Body> {
    Request::post(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn arrs_figures_and_entitlement_are_the_librarys() {
    let (app, _dir) = app().await;
    let (status, _, v) = call(&app, get("/api/v1/arrs/figures?year=2025/26")).await;
    assert_eq!(status, StatusCode::OK);
    let rows = v["rows"].as_array().unwrap();
    let want =
        pcnkit_arrs::table::figures(pcnkit_arrs::RuleBook::builtin(), "2025/26".parse().unwrap())
            .unwrap();
    assert_eq!(rows.len(), want.num_rows());
    assert!(
        rows[0].get("source").is_some()
            || rows[0]
                .as_object()
                .unwrap()
                .keys()
                .any(|k| k.contains("source"))
    );

    let (status, _, v) = call(
        &app,
        get("/api/v1/arrs/entitlement?year=2025/26&weighted=30000"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let e = pcnkit_arrs::entitlement(
        pcnkit_arrs::RuleBook::builtin(),
        "2025/26".parse().unwrap(),
        &pcnkit_arrs::PcnInputs::weighted(rust_decimal::Decimal::from(30_000)),
        pcnkit_arrs::EntitlementOptions::default(),
    )
    .unwrap();
    let want = pcnkit_arrs::table::entitlement_lines(pcnkit_arrs::RuleBook::builtin(), &e).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), want.num_rows());
    // Money as exact text, never a float.
    let arrs = rows.iter().find(|r| r["kind"] == "ARRS").unwrap();
    assert!(
        arrs["amount"].is_string() || arrs["amount"].is_null(),
        "{arrs}"
    );

    for (uri, status) in [
        ("/api/v1/arrs/figures", 400),
        ("/api/v1/arrs/figures?year=2025", 400),
        ("/api/v1/arrs/entitlement?year=2025/26", 400),
        ("/api/v1/arrs/entitlement?year=2025/26&weighted=-5", 400),
    ] {
        let (s, kind, _) = call(&app, get(uri)).await;
        assert_eq!(s.as_u16(), status, "{uri}");
        assert_eq!(kind, "application/problem+json", "{uri}");
    }
}

#[tokio::test]
async fn indicator_methods_over_json_rows_are_the_librarys() {
    let (app, _dir) = app().await;
    let body = json!({
        "rows": [{"area": "A", "x": 65, "n": 100}, {"area": "B", "x": 0, "n": 1000}],
        "numerator": "x", "denominator": "n", "group_by": ["area"], "confidence": [0.95],
    });
    let (status, _, v) = call(&app, post("/api/v1/indicators/proportion", &body)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let rows = v["rows"].as_array().unwrap();
    // R's reference values (indicator-methods.md): 65 of 100, 95%.
    let lower = rows[0]["lowercl"].as_f64().unwrap();
    assert!(
        ((lower - 0.55254443296887967) / 0.55254443296887967).abs() < 1e-9,
        "{lower}"
    );
    assert_eq!(rows[1]["value"].as_f64().unwrap(), 0.0);

    let rate = json!({"rows": [{"x": 0, "n": 1000}], "numerator": "x", "denominator": "n"});
    let (status, _, v) = call(&app, post("/api/v1/indicators/rate", &rate)).await;
    assert_eq!(status, StatusCode::OK);
    let upper = v["rows"][0]["uppercl"].as_f64().unwrap();
    // Relative 1e-9, as the crate's own reference tests.
    assert!(
        ((upper - 368.8879454113935) / 368.8879454113935).abs() < 1e-9,
        "{upper}"
    );

    for (uri, body, status) in [
        ("/api/v1/indicators/median", body.clone(), 404),
        ("/api/v1/indicators/proportion", json!({"rows": []}), 400),
        (
            "/api/v1/indicators/proportion",
            json!({"rows": [{"x": 1}], "numerator": "x"}),
            400,
        ),
        (
            "/api/v1/indicators/proportion",
            json!({"rows": [{"x": 5, "n": 2}], "numerator": "x", "denominator": "n"}),
            422,
        ),
        (
            "/api/v1/indicators/proportion",
            json!({"rows": [{"x": 1, "n": 2}], "numerator": "x", "denominator": "n", "confidence": [3]}),
            400,
        ),
        (
            "/api/v1/indicators/proportion",
            json!({"rows": [{"x": 1, "n": 2}], "numerator": "x", "denominator": "n", "multiplyer": 100}),
            400,
        ),
        (
            "/api/v1/indicators/proportion",
            json!({"rows": [{"x": 1, "n": 2}], "numerator": "x", "denominator": "n", "method": "rate"}),
            400,
        ),
    ] {
        let (s, kind, v) = call(&app, post(uri, &body)).await;
        assert_eq!(s.as_u16(), status, "{uri} {body}: {v}");
        assert_eq!(kind, "application/problem+json");
    }
    let bad = Request::post("/api/v1/indicators/proportion")
        .header("content-type", "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    let (s, kind, _) = call(&app, bad).await;
    assert_eq!(
        (s.as_u16(), kind.as_str()),
        (400, "application/problem+json")
    );
}

const ARROW: &str = "application/vnd.apache.arrow.stream";

fn ipc(batch: &arrow_array::RecordBatch) -> Vec<u8> {
    let mut buffer = Vec::new();
    let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut buffer, &batch.schema()).unwrap();
    w.write(batch).unwrap();
    w.finish().unwrap();
    drop(w);
    buffer
}

async fn call_stream(
    app: &axum::Router,
    req: Request<Body>,
) -> (StatusCode, arrow_array::RecordBatch) {
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    assert_eq!(r.headers()["content-type"], ARROW);
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .unwrap();
    let batches: Vec<_> =
        arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes.to_vec()), None)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    (status, batches.into_iter().next().unwrap())
}

/// Two areas by the 19 ESP2013 bands, with reference counts; areas with values and limits.
fn banded() -> arrow_array::RecordBatch {
    use arrow_array::{ArrayRef, Float64Array, Int64Array, StringArray};
    let bands = [
        "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
        "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
    ];
    let (mut area, mut band, mut count, mut pop, mut v) = (vec![], vec![], vec![], vec![], vec![]);
    for a in ["E1", "E2"] {
        for (i, b) in bands.iter().enumerate() {
            area.push(a);
            band.push(*b);
            count.push(3 * (i as i64 + 1) + if a == "E2" { 2 } else { 0 });
            pop.push(10_000_i64);
            v.push(20.0 + i as f64);
        }
    }
    arrow_array::RecordBatch::try_from_iter([
        ("area", Arc::new(StringArray::from(area)) as ArrayRef),
        ("age_band", Arc::new(StringArray::from(band)) as ArrayRef),
        (
            "year",
            Arc::new(Int64Array::from_iter_values((0..38).map(|i| 2000 + i))) as ArrayRef,
        ),
        (
            "deaths",
            Arc::new(Int64Array::from(count.clone())) as ArrayRef,
        ),
        ("population", Arc::new(Int64Array::from(pop)) as ArrayRef),
        (
            "ref_deaths",
            Arc::new(Int64Array::from_iter_values(count.iter().map(|c| c * 20))) as ArrayRef,
        ),
        (
            "ref_population",
            Arc::new(Int64Array::from(vec![180_000_i64; 38])) as ArrayRef,
        ),
        ("v", Arc::new(Float64Array::from(v.clone())) as ArrayRef),
        (
            "lo",
            Arc::new(Float64Array::from_iter_values(v.iter().map(|v| v - 2.0))) as ArrayRef,
        ),
        (
            "hi",
            Arc::new(Float64Array::from_iter_values(v.iter().map(|v| v + 2.0))) as ArrayRef,
        ),
    ])
    .unwrap()
}

#[tokio::test]
async fn every_method_over_an_arrow_stream_is_the_librarys_and_json_agrees() {
    use pcnkit_indicators::request::{IndicatorRequest, METHODS};
    let (app, _dir) = app().await;
    let data = banded();
    let options = [
        (
            "proportion",
            json!({"numerator": "deaths", "denominator": "population", "group_by": ["area"]}),
        ),
        (
            "rate",
            json!({"numerator": "deaths", "denominator": "population", "confidence": [0.95, 0.998]}),
        ),
        (
            "mean",
            json!({"value": "v", "group_by": ["area"], "type": "standard"}),
        ),
        (
            "dsr",
            json!({"count": "deaths", "denominator": "population", "age_band": "age_band", "group_by": ["area"]}),
        ),
        (
            "isr",
            json!({"count": "deaths", "denominator": "population", "reference_count": "ref_deaths", "reference_denominator": "ref_population", "group_by": ["area"]}),
        ),
        (
            "quantiles",
            json!({"value": "v", "group_by": ["area"], "nquantiles": 4}),
        ),
        (
            "sii",
            json!({"quantile": "q", "population": "population", "value": "v", "se": "se", "repetitions": 1000}),
        ),
        (
            "funnel_limits",
            json!({"numerator": "deaths", "denominator": "population", "statistic": "proportion"}),
        ),
        (
            "funnel_significance",
            json!({"numerator": "deaths", "denominator": "population", "statistic": "proportion"}),
        ),
        (
            "funnel_points",
            json!({"numerator": "deaths", "rate": "v", "rate_type": "crude"}),
        ),
        (
            "life_expectancy",
            json!({"deaths": "deaths", "population": "population", "start_age": "start"}),
        ),
        (
            "disclose",
            json!({"policy": "nhs-england", "counts": ["deaths"]}),
        ),
        (
            "benchmark",
            json!({"value": "v", "lower": "lo", "upper": "hi", "polarity": "high-is-good", "comparator": {"value": {"value": 30.0}}}),
        ),
        (
            "trend",
            json!({"year": "year", "value": "v", "lower": "lo", "upper": "hi", "group_by": ["area"]}),
        ),
        (
            "spc",
            json!({"value": "v", "period": "year", "group_by": ["area"]}),
        ),
    ];
    assert_eq!(options.len(), METHODS.len());
    // The SII takes one row per quantile, life expectancy the 20 standard bands.
    let sii = {
        use arrow_array::{ArrayRef, Float64Array, Int64Array};
        arrow_array::RecordBatch::try_from_iter([
            (
                "q",
                Arc::new(Int64Array::from_iter_values(1..=5)) as ArrayRef,
            ),
            (
                "population",
                Arc::new(Int64Array::from(vec![1000, 1100, 900, 1050, 980])) as ArrayRef,
            ),
            (
                "v",
                Arc::new(Float64Array::from(vec![80.0, 72.0, 65.0, 61.0, 50.0])) as ArrayRef,
            ),
            (
                "se",
                Arc::new(Float64Array::from(vec![2.0, 2.5, 2.2, 2.1, 2.4])) as ArrayRef,
            ),
        ])
        .unwrap()
    };
    let life = {
        use arrow_array::{ArrayRef, Float64Array, Int64Array};
        let ages = [
            0i64, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90,
        ];
        arrow_array::RecordBatch::try_from_iter([
            (
                "start",
                Arc::new(Int64Array::from(ages.to_vec())) as ArrayRef,
            ),
            (
                "deaths",
                Arc::new(Float64Array::from_iter_values(
                    (0..20).map(|i| 5.0 + f64::from(i * i)),
                )) as ArrayRef,
            ),
            (
                "population",
                Arc::new(Float64Array::from(vec![5000.0; 20])) as ArrayRef,
            ),
        ])
        .unwrap()
    };
    for (method, fields) in options {
        let input = match method {
            "sii" => &sii,
            "life_expectancy" => &life,
            _ => &data,
        };
        let mut asked = fields.clone();
        asked["method"] = json!(method);
        let want = serde_json::from_value::<IndicatorRequest>(asked)
            .unwrap()
            .run(std::slice::from_ref(input), None)
            .unwrap();
        let uri = format!(
            "/api/v1/indicators/{method}?options={}",
            form_urlencoded::byte_serialize(fields.to_string().as_bytes()).collect::<String>()
        );
        let req = Request::post(uri.as_str())
            .header("content-type", ARROW)
            .header("accept", ARROW)
            .body(Body::from(ipc(input)))
            .unwrap();
        let (status, got) = call_stream(&app, req).await;
        assert_eq!(status, StatusCode::OK, "{method}");
        assert_eq!(got, want, "{method}: the stream's answer is the library's");
        // The same over JSON rows: the same number of rows, the same values.
        let mut rows_in = Vec::new();
        {
            let mut w = arrow_json::ArrayWriter::new(&mut rows_in);
            w.write(input).unwrap();
            w.finish().unwrap();
        }
        let mut body = fields.clone();
        body["rows"] = serde_json::from_slice(&rows_in).unwrap();
        let (status, _, v) = call(&app, post(&format!("/api/v1/indicators/{method}"), &body)).await;
        assert_eq!(status, StatusCode::OK, "{method}: {v}");
        let rows = v["rows"].as_array().unwrap();
        assert_eq!(rows.len(), want.num_rows(), "{method}");
        if let Some(values) = want.column_by_name("value") {
            let values = arrow_cast::cast(values, &arrow_schema::DataType::Float64).unwrap();
            let values = values
                .as_any()
                .downcast_ref::<arrow_array::Float64Array>()
                .unwrap();
            for (i, row) in rows.iter().enumerate() {
                let json = row["value"].as_f64();
                let arrow = (!values.is_null(i)).then(|| values.value(i));
                assert_eq!(json, arrow, "{method} row {i}");
            }
        }
    }
    // A stream that is not one, and options that are not JSON, are refused.
    let req = Request::post("/api/v1/indicators/rate?options={}")
        .header("content-type", ARROW)
        .body(Body::from("not arrow"))
        .unwrap();
    let (s, kind, _) = call(&app, req).await;
    assert_eq!(
        (s.as_u16(), kind.as_str()),
        (400, "application/problem+json")
    );
    let req = Request::post("/api/v1/indicators/rate?options=%7Bnot")
        .header("content-type", ARROW)
        .body(Body::from(ipc(&data)))
        .unwrap();
    let (s, _, v) = call(&app, req).await;
    assert_eq!(s.as_u16(), 400, "{v}");
    assert!(v["detail"].as_str().unwrap().contains("options"));
}

/// The demo ICS's staff of one PCN as JSON objects, and the library's claims for them.
fn demo_claims(pcn: &str) -> (Vec<Value>, String, arrow_array::RecordBatch) {
    let ics = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default()).unwrap();
    let code: pcnkit_core::PcnCode = pcn.parse().unwrap();
    let weighted = ics.health.weighted[&code];
    let tables = pcnkit_demo::tables::tables(&ics).unwrap();
    let staff = &tables.iter().find(|(n, _)| *n == "arrs_staff").unwrap().1;
    let mut text = Vec::new();
    {
        let mut w = arrow_json::ArrayWriter::new(&mut text);
        w.write(staff).unwrap();
        w.finish().unwrap();
    }
    let rows: Vec<Value> = serde_json::from_slice::<Vec<Value>>(&text)
        .unwrap()
        .into_iter()
        .filter(|r| r["pcn"] == pcn)
        .collect();
    let members: Vec<_> = ics
        .health
        .staff
        .iter()
        .filter(|s| s.pcn == Some(code))
        .cloned()
        .collect();
    let book = pcnkit_arrs::RuleBook::builtin();
    let year = "2025/26".parse().unwrap();
    let mut inputs = pcnkit_arrs::PcnInputs::weighted(weighted);
    inputs.pcn = Some(code);
    let e = pcnkit_arrs::entitlement(book, year, &inputs, Default::default()).unwrap();
    let report = pcnkit_arrs::claims(book, year, &inputs, &e, &members).unwrap();
    (
        rows,
        weighted.to_string(),
        pcnkit_arrs::table::pools(&report).unwrap(),
    )
}

#[tokio::test]
async fn claims_from_staff_json_are_the_librarys_and_bad_staff_are_named() {
    let (app, _dir) = app().await;
    let (staff, weighted, want) = demo_claims("U90000");
    assert!(!staff.is_empty());
    let body = json!({"year": "2025/26", "pcn": "U90000", "weighted": weighted, "staff": staff});
    let req = Request::post("/api/v1/arrs/claims")
        .header("content-type", "application/json")
        .header("accept", ARROW)
        .body(Body::from(body.to_string()))
        .unwrap();
    let (status, got) = call_stream(&app, req).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got, want, "the pools and headroom are the library's");
    let (status, _, v) = call(&app, post("/api/v1/arrs/claims", &body)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["rows"].as_array().unwrap().len(), want.num_rows());
    let mut lines = body.clone();
    lines["lines"] = json!(true);
    let (status, _, v) = call(&app, post("/api/v1/arrs/claims", &lines)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(v["rows"].as_array().unwrap().len() > want.num_rows());
    // Without a weighted population the headroom is unknown (null), never a number.
    let mut unknown = body.clone();
    unknown.as_object_mut().unwrap().remove("weighted");
    let (status, _, v) = call(&app, post("/api/v1/arrs/claims", &unknown)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["headroom"].is_null()),
        "{v}"
    );

    // A bad member is named by index and field; nothing is claimed without them.
    let mut bad = body.clone();
    bad["staff"][1]["wte"] = json!("1.5");
    let (s, kind, v) = call(&app, post("/api/v1/arrs/claims", &bad)).await;
    assert_eq!(
        (s.as_u16(), kind.as_str()),
        (422, "application/problem+json"),
        "{v}"
    );
    assert!(
        v["detail"].as_str().unwrap().contains("staff[1].wte"),
        "{v}"
    );
    let mut other = body.clone();
    other["staff"][0]["pcn"] = json!("U90001");
    let (s, _, v) = call(&app, post("/api/v1/arrs/claims", &other)).await;
    assert_eq!(s.as_u16(), 422, "{v}");
    assert!(v["detail"].as_str().unwrap().contains("staff[0]"), "{v}");
    for (body, why) in [
        (json!({"pcn": "U90000", "staff": []}), "year"),
        (
            json!({"year": "2025/26", "staff": [{"id": "a", "colour": "red"}]}),
            "colour",
        ),
        (
            json!({"year": "2025/26", "staff": [], "weighted": "-1"}),
            "weighted",
        ),
        (json!({"year": "2025/26", "staff": [], "bonus": 1}), "bonus"),
    ] {
        let (s, _, v) = call(&app, post("/api/v1/arrs/claims", &body)).await;
        assert_eq!(s.as_u16(), 400, "{body}: {v}");
        assert!(v["detail"].as_str().unwrap().contains(why), "{body}: {v}");
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_method_from_its_request_type() {
    let (app, _dir) = app().await;
    let (status, _, doc) = call(&app, get("/openapi.json")).await;
    assert_eq!(status, StatusCode::OK);
    for m in pcnkit_indicators::request::METHODS {
        let body = &doc["paths"][format!("/api/v1/indicators/{m}")]["post"]["requestBody"];
        let schema = &body["content"]["application/json"]["schema"];
        assert!(schema["properties"]["rows"].is_object(), "{m}");
        assert!(
            schema["required"]
                .as_array()
                .unwrap()
                .contains(&json!("rows")),
            "{m}"
        );
        assert_eq!(
            schema["additionalProperties"],
            json!(false),
            "{m}: unknown fields are refused"
        );
        assert!(body["content"][ARROW].is_object(), "{m}");
        // No references left (everything inline) and no JSON Schema keywords OpenAPI 3.0 lacks.
        let text = schema.to_string();
        assert!(
            !text.contains("$ref") && !text.contains("\"const\""),
            "{m}: {text}"
        );
    }
    let benchmark = &doc["paths"]["/api/v1/indicators/benchmark"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    println!("{benchmark:#}");
    assert!(doc["paths"]["/api/v1/arrs/claims"]["post"].is_object());
    assert!(doc["paths"]["/services"]["get"]["responses"]["408"].is_object());
}
