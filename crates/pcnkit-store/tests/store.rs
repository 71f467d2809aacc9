//! The store on SQLite (a temporary file) and, when `PCNKIT_TEST_POSTGRES` gives a server (the
//! test command starts one), on PostgreSQL: imports land whole with their history, report what
//! they did, and concurrent imports lose no write.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

use chrono::NaiveDateTime;
use pcnkit_assets::Asset;
use pcnkit_assets::register::ChangeKind;
use pcnkit_store::{Backend, Store};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn demo_assets() -> Vec<Asset> {
    pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default())
        .unwrap()
        .health
        .assets
}

/// Each store to test: a fresh SQLite file, and a fresh PostgreSQL database when one is given.
async fn stores() -> Vec<(Store, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("assets.sqlite");
    let mut out = vec![(
        Store::open(path.to_str().unwrap()).await.unwrap(),
        Some(dir),
    )];
    match std::env::var("PCNKIT_TEST_POSTGRES") {
        Ok(url) => out.push((fresh_postgres(&url).await, None)),
        Err(_) => println!("SKIPPED on PostgreSQL: PCNKIT_TEST_POSTGRES is not set"),
    }
    out
}

/// A new, empty database on the server at `url` (one per test, so tests run in parallel).
async fn fresh_postgres(url: &str) -> Store {
    let name = format!(
        "pcnkit_test_{}_{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
        std::process::id()
    );
    Store::open(&Store::create_database(url, &name).await.unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn imports_land_with_their_history_and_report_what_they_did() {
    let assets = demo_assets();
    for (store, _dir) in stores().await {
        let backend = store.backend();
        let source = assets[0].source.name.clone();
        let (first, report) = store
            .import(&source, assets.clone(), "importer", at("2026-11-01 09:00"))
            .await
            .unwrap();
        assert_eq!(first, 1);
        assert_eq!(report.added.len(), assets.len(), "{backend:?}");
        let loaded = store.load().await.unwrap();
        assert_eq!(loaded.register.len(), assets.len());
        assert_eq!(loaded.version, 1);
        // Stored field for field, every asset.
        for a in &assets {
            assert_eq!(loaded.register.get(a.id), Some(a));
        }

        // Again: unchanged. Then one changed, one left out.
        let (_, again) = store
            .import(&source, assets.clone(), "importer", at("2026-11-02 09:00"))
            .await
            .unwrap();
        // Unchanged: the stored record reads back exactly (coordinates included).
        assert_eq!(again.unchanged.len(), assets.len(), "{backend:?}");
        let mut next = assets.clone();
        next[3].name = format!("{} (renamed)", next[3].name);
        let gone = next.pop().unwrap();
        let (third, changed) = store
            .import(&source, next, "someone", at("2026-11-03 10:30"))
            .await
            .unwrap();
        assert_eq!(third, 3);
        assert_eq!(changed.changed, vec![assets[3].id]);
        assert_eq!(changed.missing, vec![gone.id], "reported, kept");
        assert_eq!(store.load().await.unwrap().register.len(), assets.len());
        let history = store.history(assets[3].id).await.unwrap();
        assert_eq!(history.len(), 2, "{backend:?}");
        assert_eq!(history[0].what, ChangeKind::Added);
        assert_eq!(
            history[1].what,
            ChangeKind::Updated {
                fields: vec!["name".to_owned()]
            }
        );
        assert_eq!((history[1].by.as_str(), history[1].import), ("someone", 3));
        assert_eq!(history[1].at, at("2026-11-03 10:30"));
        assert_eq!(
            store.load().await.unwrap().modified[&assets[3].id],
            at("2026-11-03 10:30")
        );
        // An asset the register refuses stops the whole import: nothing lands.
        let mut bad = assets.clone();
        bad[5].name = String::new();
        assert!(
            store
                .import(&source, bad, "x", at("2026-11-04 00:00"))
                .await
                .is_err()
        );
        assert_eq!(store.version().await.unwrap(), 3);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_imports_lose_no_write() {
    let assets = demo_assets();
    for (store, _dir) in stores().await {
        let backend = store.backend();
        let store = std::sync::Arc::new(store);
        // Four imports at once: two halves of the register under two sources, and each half
        // again with every name changed.
        let (a, b) = assets.split_at(assets.len() / 2);
        let renamed = |part: &[Asset]| -> Vec<Asset> {
            part.iter()
                .cloned()
                .map(|mut x| {
                    x.name.push_str(" (v2)");
                    x
                })
                .collect()
        };
        let jobs = [
            ("one", a.to_vec()),
            ("two", b.to_vec()),
            ("one", renamed(a)),
            ("two", renamed(b)),
        ];
        let mut handles = Vec::new();
        for (i, (source, part)) in jobs.into_iter().enumerate() {
            let store = std::sync::Arc::clone(&store);
            handles.push(tokio::spawn(async move {
                store
                    .import(source, part, &format!("job {i}"), at("2026-11-05 12:00"))
                    .await
            }));
        }
        let mut versions = Vec::new();
        for h in handles {
            versions.push(h.await.unwrap().unwrap().0);
        }
        versions.sort_unstable();
        assert_eq!(
            versions,
            vec![1, 2, 3, 4],
            "{backend:?}: each import its own turn"
        );
        assert_eq!(store.version().await.unwrap(), 4);
        let loaded = store.load().await.unwrap();
        assert_eq!(loaded.register.len(), assets.len());
        // Every asset was added once and renamed once, whichever order the imports ran in
        // (a rename landing first is an addition, then the original is a change back).
        assert_eq!(
            store.history_len().await.unwrap(),
            2 * i64::try_from(assets.len()).unwrap(),
            "{backend:?}"
        );
        if backend == Backend::Sqlite {
            println!("SQLite: {} assets, 4 concurrent imports", assets.len());
        }
    }
}

#[tokio::test]
async fn a_database_address_pcnkit_cannot_serve_is_refused() {
    let err = Store::open("mysql://localhost/assets").await.unwrap_err();
    assert!(err.to_string().contains("postgres://"), "{err}");
}
