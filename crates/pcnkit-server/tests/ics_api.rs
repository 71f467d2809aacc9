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

    let rate = json!({"rows": [{"x": 0, "n": 1000}], "count": "x", "denominator": "n"});
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
