//! A bounded load test of the ORUK 3.0 server on loopback: 100,000 assets (the demo register
//! fifty times over, spread out) imported into SQLite (and PostgreSQL when
//! `PCNKIT_TEST_POSTGRES` names a server), served in process, and requested by concurrent
//! keep-alive clients for a fixed time per scenario (a page of `/services`, `/services/{id}`,
//! a postcode proximity search) while imports land in the store; then every import is checked
//! to be whole in the store and served after a reload. Prints a Markdown table.
//!
//!   cargo run --release -p pcnkit-benches --example oruk_load [-- SECONDS CLIENTS]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pcnkit_assets::{Asset, AssetId};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

/// The request path of a client's `i`-th request.
type Target = Arc<dyn Fn(u64) -> String + Send + Sync>;

fn assets() -> Vec<Asset> {
    let demo = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default())
        .unwrap()
        .health
        .assets;
    let mut out = Vec::with_capacity(demo.len() * 50);
    for k in 0..50u32 {
        for a in &demo {
            let mut b = a.clone();
            b.source.key = format!("{}-{k}", a.source.key);
            b.id = AssetId::from_key(&b.source.name, &b.source.key);
            if let Some(p) = b.location.point {
                let shift = f64::from(k) * 0.002;
                b.location.point = pcnkit_assets::GeoPoint::new(p.lat() + shift, p.lon()).ok();
            }
            out.push(b);
        }
    }
    out
}

/// One keep-alive client: GETs from `target` until `until`, returning each latency.
async fn client(port: u16, until: Instant, target: Target) -> Vec<Duration> {
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    let mut out = Vec::new();
    let mut i = 0u64;
    while Instant::now() < until {
        let path = target(i);
        i += 1;
        let start = Instant::now();
        write
            .write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut length = 0usize;
        let mut status = String::new();
        loop {
            let mut line = String::new();
            read.read_line(&mut line).await.unwrap();
            if status.is_empty() {
                status = line.clone();
            }
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        read.read_exact(&mut body).await.unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{path}: {status}");
        out.push(start.elapsed());
    }
    out
}

fn quantile(sorted: &[Duration], q: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn run(label: &str, address: &str, assets: &[Asset], seconds: u64, clients: usize) {
    let store = pcnkit_store::Store::open(address).await.unwrap();
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let source = assets[0].source.name.clone();
    let t = Instant::now();
    store
        .import(&source, assets.to_vec(), "load test", at)
        .await
        .unwrap();
    let import_s = t.elapsed().as_secs_f64();
    let centre = assets.iter().find_map(|a| a.location.point).unwrap();
    let postcodes = HashMap::from([("TS18 1HU".to_owned(), centre)]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let t = Instant::now();
    let state = Arc::new(
        pcnkit_server::AppState::from_store(store, &format!("http://127.0.0.1:{port}"), postcodes)
            .await
            .unwrap(),
    );
    let load_s = t.elapsed().as_secs_f64();
    let serving = Arc::clone(&state);
    tokio::spawn(pcnkit_server::serve(
        listener,
        serving,
        Duration::from_secs(3600),
        std::future::pending(),
    ));
    println!(
        "\n{label}: {} assets imported in {import_s:.1} s, loaded and indexed for serving in {load_s:.1} s; {clients} keep-alive clients, {seconds} s per scenario, imports landing meanwhile\n",
        assets.len()
    );
    println!("| backend | scenario | requests | requests/s | p50 ms | p99 ms |");
    println!("|---|---|---|---|---|---|");
    let ids: Arc<Vec<String>> = Arc::new(assets.iter().map(|a| a.id.to_string()).collect());
    let pages = assets.len() / 50;
    let scenarios: Vec<(&str, Target)> = vec![
        (
            "/services?page=N&per_page=50",
            Arc::new(move |i| {
                format!(
                    "/services?page={}&per_page=50",
                    1 + (i * 7919) as usize % pages
                )
            }),
        ),
        ("/services/{id}", {
            let ids = Arc::clone(&ids);
            Arc::new(move |i| format!("/services/{}", ids[(i * 104_729) as usize % ids.len()]))
        }),
        (
            "/service_at_locations?postcode&proximity=1000",
            Arc::new(|_| {
                "/service_at_locations?postcode=TS18+1HU&proximity=1000&per_page=50".to_owned()
            }),
        ),
    ];
    // Imports during the load: each renames a different tenth of the register, from another
    // connection to the store, as a second process would.
    let writer = pcnkit_store::Store::open(address).await.unwrap();
    let mut imported = 1i64;
    for (name, target) in scenarios {
        let until = Instant::now() + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for _ in 0..clients {
            tasks.push(tokio::spawn(client(port, until, Arc::clone(&target))));
        }
        let mut changed = assets.to_vec();
        for a in changed.iter_mut().skip(imported as usize % 10).step_by(10) {
            a.name = format!("{} (import {imported})", a.name);
        }
        writer
            .import(&source, changed, "concurrent import", at)
            .await
            .unwrap();
        imported += 1;
        let mut all: Vec<Duration> = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        all.sort();
        println!(
            "| {label} | `{name}` | {} | {:.0} | {:.2} | {:.2} |",
            all.len(),
            all.len() as f64 / seconds as f64,
            quantile(&all, 0.5),
            quantile(&all, 0.99)
        );
    }
    // Nothing lost: every import landed whole and is served after a reload.
    assert_eq!(writer.version().await.unwrap(), imported);
    assert_eq!(state.reload().await.unwrap(), imported);
    let served = state.snapshot();
    assert_eq!(served.register.len(), assets.len());
    println!(
        "\n{label}: {imported} imports landed during the load, all whole; the register served after a reload holds every asset"
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5);
    let clients: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(16);
    let assets = assets();
    let dir = std::env::temp_dir().join(format!("pcnkit-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    run(
        "SQLite",
        dir.join("assets.sqlite").to_str().unwrap(),
        &assets,
        seconds,
        clients,
    )
    .await;
    match std::env::var("PCNKIT_TEST_POSTGRES") {
        Ok(url) => {
            let db = pcnkit_store::Store::create_database(
                &url,
                &format!("pcnkit_load_{}", std::process::id()),
            )
            .await
            .unwrap();
            run("PostgreSQL", &db, &assets, seconds, clients).await;
        }
        Err(_) => println!("\nPostgreSQL skipped: PCNKIT_TEST_POSTGRES is not set"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
