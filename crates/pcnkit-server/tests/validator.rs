//! A port of the Open Referral UK validator's checks, run against the server on a loopback
//! port over the demo register in a SQLite store (and in PostgreSQL when
//! `PCNKIT_TEST_POSTGRES` gives a server): `GET /` and its `openapi_url`; pagination
//! consistent on the first, a middle and the last page; every listed id resolvable; every
//! response valid against the compiled HSDS 3.0 / ORUK schemas in `$PCNKIT_DATA_DIR` (skipped
//! with a message when absent); each filter returning what it should; refusals as problem+json
//! with CORS on every response.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::Arc;

use pcnkit_assets::{Asset, GeoPoint};
use pcnkit_server::AppState;
use serde_json::Value;

/// A response: status, headers (lower-case names), body.
struct Reply {
    status: u16,
    headers: HashMap<String, String>,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), blocking.
fn request(port: u16, method: &str, target: &str) -> Reply {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://example.org\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    // Bodies here are small enough to come whole; chunked framing is not used by axum for
    // known-length JSON.
    Reply {
        status,
        headers,
        body: body.to_owned(),
    }
}

fn get(port: u16, target: &str) -> Reply {
    let r = request(port, "GET", target);
    assert_eq!(
        r.headers
            .get("access-control-allow-origin")
            .map(String::as_str),
        Some("*"),
        "CORS on {target}"
    );
    r
}

fn ok(port: u16, target: &str) -> Value {
    let r = get(port, target);
    assert_eq!(r.status, 200, "{target}: {}", r.body);
    assert!(r.headers["content-type"].starts_with("application/json"));
    r.json()
}

fn problem(port: u16, target: &str, status: u16) -> Value {
    let r = get(port, target);
    assert_eq!(r.status, status, "{target}: {}", r.body);
    assert_eq!(
        r.headers["content-type"], "application/problem+json",
        "{target}"
    );
    let p = r.json();
    assert_eq!(p["status"], status);
    p
}

/// The compiled schemas, when the shared data is here.
fn schemas() -> Option<HashMap<&'static str, jsonschema::Validator>> {
    let dir = std::env::var("PCNKIT_DATA_DIR").ok()?;
    let base = std::path::Path::new(&dir).join("oruk-3.0/schema/compiled");
    if !base.is_dir() {
        return None;
    }
    let mut out = HashMap::new();
    for name in [
        "service",
        "service_list",
        "service_at_location",
        "service_at_location_list",
        "organization",
        "organization_list",
    ] {
        let text = std::fs::read_to_string(base.join(format!("{name}.json"))).unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap();
        out.insert(name, jsonschema::validator_for(&schema).unwrap());
    }
    Some(out)
}

fn valid(schemas: &Option<HashMap<&'static str, jsonschema::Validator>>, name: &str, v: &Value) {
    if let Some(s) = schemas {
        let errors: Vec<String> = s[name]
            .iter_errors(v)
            .map(|e| e.to_string())
            .take(3)
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}

struct Running {
    port: u16,
    state: Arc<AppState>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
    address: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// The demo register imported into a store at `address`, served on a loopback port.
async fn start(address: Option<String>) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let address = address.unwrap_or_else(|| dir.path().join("assets.sqlite").display().to_string());
    let assets: Vec<Asset> = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default())
        .unwrap()
        .health
        .assets;
    let store = pcnkit_store::Store::open(&address).await.unwrap();
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let source = assets[0].source.name.clone();
    store
        .import(&source, assets.clone(), "test", at)
        .await
        .unwrap();
    // Postcode centroids (an ONSPD-shaped file in use): the demo's assets have points but no
    // postcodes, so one postcode is placed at the first asset's point.
    let mut postcodes: HashMap<String, GeoPoint> = HashMap::new();
    let first_point = assets.iter().find_map(|a| a.location.point).unwrap();
    postcodes.insert("TS18 1HU".to_owned(), first_point);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let state = Arc::new(
        AppState::from_store(store, &format!("http://127.0.0.1:{port}"), postcodes)
            .await
            .unwrap(),
    );
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let serving = Arc::clone(&state);
    tokio::spawn(async move {
        pcnkit_server::serve(
            listener,
            serving,
            std::time::Duration::from_secs(3600),
            async {
                let _ = rx.await;
            },
        )
        .await
        .unwrap();
    });
    Running {
        port,
        state,
        stop: Some(tx),
        _dir: dir,
        address,
    }
}

/// Every check, on one running server.
async fn validate(r: &Running) {
    let port = r.port;
    let schemas = schemas();
    if schemas.is_none() {
        println!("SKIPPED schema validation: PCNKIT_DATA_DIR has no oruk-3.0 schemas");
    }
    let checks = tokio::task::spawn_blocking(move || {
        // GET / and its openapi_url.
        let root = ok(port, "/");
        assert_eq!(root["version"], "3.0");
        assert!(root["profile"].as_str().unwrap().starts_with("https://"));
        let url = root["openapi_url"].as_str().unwrap();
        let path = url
            .strip_prefix(&format!("http://127.0.0.1:{port}"))
            .unwrap();
        let api = ok(port, path);
        assert_eq!(api["openapi"], "3.0.3");
        assert!(
            !api.to_string().contains("\"$ref\":\"http"),
            "no remote references"
        );

        // Pagination: first, middle and last pages agree.
        let first = ok(port, "/services?per_page=150");
        let total = first["total_items"].as_u64().unwrap();
        let pages = first["total_pages"].as_u64().unwrap();
        assert_eq!(total, 2000);
        assert_eq!(pages, total.div_ceil(150));
        assert_eq!(first["page_number"], 1);
        assert_eq!(first["first_page"], true);
        assert_eq!(first["last_page"], false);
        assert_eq!(first["size"], 150);
        let middle = ok(port, &format!("/services?per_page=150&page={}", pages / 2));
        let last = ok(port, &format!("/services?per_page=150&page={pages}"));
        for p in [&middle, &last] {
            assert_eq!(p["total_items"], total);
            assert_eq!(p["total_pages"], pages);
        }
        assert_eq!(last["last_page"], true);
        assert_eq!(last["size"].as_u64().unwrap(), total - 150 * (pages - 1));
        assert_eq!(last["empty"], false);
        let beyond = ok(port, &format!("/services?per_page=150&page={}", pages + 1));
        assert_eq!(
            (beyond["size"].clone(), beyond["empty"].clone()),
            (0.into(), true.into())
        );

        // Every listed id resolves, every item and service valid.
        let mut seen = 0;
        for page in 1..=pages {
            let p = ok(port, &format!("/services?per_page=150&page={page}"));
            for item in p["contents"].as_array().unwrap() {
                valid(&schemas, "service_list", item);
                let id = item["id"].as_str().unwrap();
                if seen % 10 == 0 {
                    let s = ok(port, &format!("/services/{id}"));
                    assert_eq!(s["id"], item["id"]);
                    valid(&schemas, "service", &s);
                }
                seen += 1;
            }
        }
        assert_eq!(seen, total);

        // Filters.
        let terms = ok(port, "/taxonomy_terms?per_page=1000");
        let pharmacy = terms["contents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["code"] == "pharmacy")
            .expect("the pharmacy kind is a term");
        let tid = pharmacy["id"].as_str().unwrap();
        assert_eq!(
            ok(port, &format!("/taxonomy_terms/{tid}"))["code"],
            "pharmacy"
        );
        let tax = ok(port, "/taxonomies");
        let taxonomy_id = tax["contents"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(
            ok(port, &format!("/taxonomies/{taxonomy_id}"))["id"],
            taxonomy_id.as_str()
        );
        let pharmacies = ok(
            port,
            &format!("/services?taxonomy_term_id={tid}&per_page=1000&full=true"),
        );
        assert!(pharmacies["total_items"].as_u64().unwrap() > 0);
        for s in pharmacies["contents"].as_array().unwrap() {
            assert!(s.to_string().contains(tid));
            valid(&schemas, "service", s);
        }
        assert_eq!(
            ok(
                port,
                &format!("/services?taxonomy_id={taxonomy_id}&per_page=1")
            )["total_items"],
            total
        );
        let adults = ok(port, "/services?minimum_age=18&per_page=1000");
        for s in adults["contents"].as_array().unwrap() {
            assert!(s["minimum_age"].as_f64().unwrap() >= 18.0);
        }
        let later = ok(port, "/services?modified_after=2026-11-02");
        assert_eq!(later["total_items"], 0);
        assert_eq!(
            ok(port, "/services?modified_after=2026-10-31T00:00:00Z")["total_items"],
            total
        );
        let first_item = &first["contents"][0];
        let name_word = first_item["name"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned();
        let found = ok(port, &format!("/services?search={name_word}&per_page=1000"));
        assert!(
            found["contents"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["id"] == first_item["id"])
        );
        let minimal = ok(port, "/services?minimal=true&per_page=5");
        assert!(
            minimal["contents"][0]["modified_date"]
                .as_str()
                .unwrap()
                .ends_with('Z')
        );
        let orgs = ok(port, "/organizations?per_page=3");
        if let Some(o) = orgs["contents"].as_array().unwrap().first() {
            valid(&schemas, "organization_list", o);
            let oid = o["id"].as_str().unwrap();
            let org = ok(port, &format!("/organizations/{oid}"));
            valid(&schemas, "organization", &org);
            let theirs = ok(port, &format!("/services?organization_id={oid}"));
            assert!(theirs["total_items"].as_u64().unwrap() >= 1);
        }
        let opens = ok(
            port,
            "/services?day=MO&start_time=10:00&end_time=12:00&per_page=1",
        );
        assert!(opens["total_items"].as_u64().unwrap() <= total);

        // Services at locations, and proximity from a postcode's centroid.
        let sals = ok(port, "/service_at_locations?per_page=20");
        for sal in sals["contents"].as_array().unwrap() {
            valid(&schemas, "service_at_location_list", sal);
        }
        let one = &sals["contents"][0];
        let sal = ok(
            port,
            &format!("/service_at_locations/{}", one["id"].as_str().unwrap()),
        );
        valid(&schemas, "service_at_location", &sal);
        let service = ok(
            port,
            &format!("/services/{}", one["service_id"].as_str().unwrap()),
        );
        assert_eq!(service["id"], one["service_id"]);
        // The one postcode the server knows (lower case, no space: normalised).
        let postcode = "ts181hu";
        let near = ok(
            port,
            &format!("/service_at_locations?postcode={postcode}&proximity=2000&per_page=1000"),
        );
        assert!(near["total_items"].as_u64().unwrap() >= 1);
        assert!(near["total_items"].as_u64().unwrap() < total);

        // Refusals: problem+json, never a 500.
        problem(port, "/services?per_page=0", 400);
        problem(port, "/services?per_page=100000", 400);
        problem(port, "/services?page=-1", 400);
        problem(port, "/services?minimum_age=old", 400);
        problem(port, "/services?taxonomy_term_id=x", 400);
        problem(port, "/services?modified_after=yesterday", 400);
        problem(port, "/service_at_locations?proximity=100", 400);
        problem(
            port,
            "/service_at_locations?postcode=ZZ99+9ZZ&proximity=100",
            404,
        );
        problem(port, "/service_at_locations?postcode=not+a+postcode", 400);
        problem(port, "/services/not-a-uuid", 404);
        problem(port, "/services/00000000-0000-0000-0000-000000000000", 404);
        problem(port, "/no/such/path", 404);
        let post = request(port, "POST", "/services");
        assert_eq!(post.status, 405);
        assert_eq!(post.headers["content-type"], "application/problem+json");
        let odd = get(port, "/services?%ZZ=%&&&=&page=1&per_page=%31");
        assert_eq!(odd.status, 200, "{}", odd.body);
    });
    checks.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_oruk_validator_checks_pass_on_sqlite() {
    let r = start(None).await;
    validate(&r).await;
    // An import lands and the next reload serves it whole.
    let store = pcnkit_store::Store::open(&r.address).await.unwrap();
    let loaded = store.load().await.unwrap();
    let mut assets: Vec<Asset> = loaded.register.assets().cloned().collect();
    assets[0].name = "Renamed by a second import".to_owned();
    let id = assets[0].id;
    let source = assets[0].source.name.clone();
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 2)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    store.import(&source, assets, "second", at).await.unwrap();
    assert_eq!(r.state.reload().await.unwrap(), 2);
    let port = r.port;
    let name =
        tokio::task::spawn_blocking(move || ok(port, &format!("/services/{id}"))["name"].clone())
            .await
            .unwrap();
    assert_eq!(name, "Renamed by a second import");
}

/// Harvesting a served register gives the same register: every asset, field for field.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn harvesting_the_served_register_gives_it_back() {
    let r = start(None).await;
    let want = pcnkit_store::Store::open(&r.address)
        .await
        .unwrap()
        .load()
        .await
        .unwrap()
        .register;
    let base = format!("http://127.0.0.1:{}", r.port);
    let got = tokio::task::spawn_blocking(move || {
        let mut options = pcnkit_server::harvest::HarvestOptions::default();
        options.per_page = 150;
        pcnkit_server::harvest::harvest(&base, &options).unwrap()
    })
    .await
    .unwrap();
    assert!(got.errors.is_empty(), "{:?}", got.errors.first());
    assert_eq!(got.pages, 2000usize.div_ceil(150));
    assert_eq!((got.repeated, got.total_items), (0, Some(2000)));
    assert_eq!(got.assets.len(), want.len());
    for a in &got.assets {
        assert_eq!(want.get(a.id), Some(a));
    }
    // A feed that is not there is an error naming the page.
    let err = tokio::task::spawn_blocking(|| {
        pcnkit_server::harvest::harvest("http://127.0.0.1:9", &Default::default()).unwrap_err()
    })
    .await
    .unwrap();
    assert!(
        err.to_string()
            .contains("http://127.0.0.1:9/services?page=1"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_oruk_validator_checks_pass_on_postgres() {
    let Ok(url) = std::env::var("PCNKIT_TEST_POSTGRES") else {
        println!("SKIPPED on PostgreSQL: PCNKIT_TEST_POSTGRES is not set");
        return;
    };
    use sqlx_free::fresh_database;
    let r = start(Some(fresh_database(&url).await)).await;
    validate(&r).await;
}

/// A new database on the test server (one per test).
mod sqlx_free {
    pub async fn fresh_database(url: &str) -> String {
        let name = format!(
            "pcnkit_server_{}_{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos(),
            std::process::id()
        );
        pcnkit_store::Store::create_database(url, &name)
            .await
            .unwrap()
    }
}

mod parsing {
    use pcnkit_server::{ListQuery, Paging};
    use proptest::prelude::*;

    proptest! {
        /// Any query string parses to a filter or a 400 naming a parameter: never a panic,
        /// never a per_page beyond the bound.
        #[test]
        fn any_query_string_is_a_filter_or_a_400(raw in ".{0,200}") {
            match ListQuery::parse(Some(&raw), Paging::default()) {
                Ok(q) => {
                    prop_assert!(q.page >= 1);
                    prop_assert!((1..=Paging::default().max_per_page).contains(&q.per_page));
                }
                Err(p) => {
                    prop_assert_eq!(p.status.as_u16(), 400);
                    prop_assert!(p.detail.starts_with("query parameter `"));
                }
            }
        }

        /// The same for strings made of the parameters' own names and awkward values.
        #[test]
        fn known_parameters_with_any_values(
            pairs in proptest::collection::vec((
                prop::sample::select(vec!["page", "per_page", "minimum_age", "maximum_age", "day",
                    "start_time", "end_time", "modified_after", "taxonomy_term_id", "postcode",
                    "proximity", "full", "minimal", "format", "search"]),
                "[-0-9a-zA-Z:%+ .]{0,12}",
            ), 0..6),
        ) {
            let raw: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let _ = ListQuery::parse(Some(&raw.join("&")), Paging::default());
        }
    }
}
