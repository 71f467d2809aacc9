//! The register: queries against a brute-force scan, history and imports.

use chrono::NaiveDate;
use pcnkit_assets::*;
use proptest::prelude::*;

use crate::common::*;

fn point_asset(i: usize, lat: f64, lon: f64, kind: AssetKind) -> Asset {
    let mut a = Asset::new(
        Source {
            name: "grid".into(),
            key: i.to_string(),
        },
        format!("Asset {i}"),
        kind,
    );
    a.location.point = Some(GeoPoint::new(lat, lon).unwrap());
    a
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]
    #[test]
    fn nearest_and_within_match_a_linear_scan(
        points in proptest::collection::vec((50.0f64..55.0, -4.0f64..1.0, 0usize..3), 1..200),
        (qlat, qlon) in (50.0f64..55.0, -4.0f64..1.0),
        k in 1usize..25,
        radius in 100.0f64..80_000.0,
    ) {
        let kinds = [AssetKind::Library, AssetKind::Leisure, AssetKind::Pharmacy];
        let assets: Vec<Asset> = points.iter().enumerate()
            .map(|(i, &(lat, lon, kind))| point_asset(i, lat, lon, kinds[kind].clone()))
            .collect();
        let r = Register::from_assets(assets.clone(), "t", at(2026, 1, 1, 0, 0)).unwrap();
        let q = GeoPoint::new(qlat, qlon).unwrap();
        let query = Query::new().kind(AssetKind::Pharmacy);
        let mut scan: Vec<(f64, AssetId)> = assets.iter()
            .filter(|a| a.kind == AssetKind::Pharmacy)
            .map(|a| (q.distance_m(&a.location.point.unwrap()), a.id))
            .collect();
        scan.sort_by(|a, b| a.0.total_cmp(&b.0));
        let got: Vec<f64> = r.nearest(q, k, &query).iter().map(|(_, d)| *d).collect();
        let want: Vec<f64> = scan.iter().take(k).map(|(d, _)| *d).collect();
        prop_assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            prop_assert!((g - w).abs() < 1e-6, "{} vs {}", g, w);
        }
        let within: Vec<f64> = r.within(q, radius, &query).iter().map(|(_, d)| *d).collect();
        let want: Vec<f64> = scan.iter().filter(|(d, _)| *d <= radius).map(|(d, _)| *d).collect();
        prop_assert_eq!(within.len(), want.len());
    }
}

#[test]
fn queries_by_need_age_opening_and_staleness() {
    let mut walk = point_asset(1, 53.48, -2.24, AssetKind::GreenSpace);
    walk.needs = vec![Need::PhysicalActivity];
    walk.audience.min_age = Some(50);
    walk.schedules = vec![
        Schedule::weekly(
            vec![Weekday::TU],
            "10:00".parse().unwrap(),
            "11:30".parse().unwrap(),
        )
        .unwrap(),
    ];
    walk.last_verified = NaiveDate::from_ymd_opt(2026, 10, 1);
    let mut closed = point_asset(2, 53.49, -2.25, AssetKind::GreenSpace);
    closed.needs = vec![Need::PhysicalActivity];
    closed.status = AssetStatus::Defunct;
    let r = Register::from_assets(
        [walk.clone(), closed, full_asset()],
        "t",
        at(2026, 11, 1, 0, 0),
    )
    .unwrap();
    let q = Query::new().need(Need::PhysicalActivity);
    assert_eq!(
        r.filter(&q).count(),
        1,
        "defunct assets are left out unless asked for"
    );
    assert_eq!(r.filter(&q.clone().include_inactive(true)).count(), 2);
    assert_eq!(r.filter(&q.clone().age(30)).count(), 0);
    // 24 Nov 2026 is a Tuesday: the walk (10:00-11:30) and the food bank (10:00-13:30).
    assert_eq!(
        r.filter(&Query::new().open_at(at(2026, 11, 24, 10, 15)))
            .count(),
        2
    );
    assert_eq!(
        r.filter(&Query::new().open_at(at(2026, 11, 24, 11, 30)))
            .count(),
        1
    );
    assert_eq!(
        r.filter(&Query::new().open_at(at(2026, 11, 25, 10, 15)))
            .count(),
        0
    );
    // The food bank's monthly rule: first Monday and last Friday, 18:00-20:00, in 2026.
    assert_eq!(
        r.filter(&Query::new().open_at(at(2026, 12, 7, 18, 30)))
            .count(),
        1
    );
    assert_eq!(
        r.filter(&Query::new().open_at(at(2026, 12, 25, 19, 0)))
            .count(),
        1
    );
    assert_eq!(
        r.filter(&Query::new().open_at(at(2026, 12, 14, 18, 30)))
            .count(),
        0
    );
    assert_eq!(
        r.filter(&Query::new().open_at(at(2027, 1, 4, 18, 30)))
            .count(),
        0,
        "rule ends 2026-12-31"
    );
    // Stale: not verified in 6 months (or never).
    let stale: Vec<&str> = r
        .stale(NaiveDate::from_ymd_opt(2027, 3, 15).unwrap(), 6)
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(stale.len(), 2);
    assert!(!stale.contains(&"Asset 1"));
}

#[test]
fn imports_keep_history_and_never_lose_an_asset() {
    let t0 = at(2026, 1, 1, 9, 0);
    let a = point_asset(1, 53.0, -2.0, AssetKind::Library);
    let b = point_asset(2, 53.1, -2.1, AssetKind::Library);
    let mut r = Register::new();
    let report = r
        .import("grid", [a.clone(), b.clone()], "nightly import", t0)
        .unwrap();
    assert_eq!(
        (
            report.added.len(),
            report.changed.len(),
            report.missing.len()
        ),
        (2, 0, 0)
    );
    // Next import: a changed (moved and renamed), b absent.
    let mut a2 = a.clone();
    a2.name = "Asset 1 (new building)".into();
    a2.location.point = Some(GeoPoint::new(53.2, -2.0).unwrap());
    let t1 = at(2026, 2, 1, 9, 0);
    let report = r
        .import("grid", [a2.clone()], "nightly import", t1)
        .unwrap();
    assert_eq!(report.changed, vec![a.id]);
    assert_eq!(report.missing, vec![b.id]);
    assert_eq!(r.len(), 2, "a missing asset stays until removed");
    let history: Vec<&Change> = r.history_of(a.id).collect();
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[1].what,
        ChangeKind::Updated {
            fields: vec!["location".into(), "name".into()]
        }
    );
    assert_eq!(history[1].by, "nightly import");
    // The spatial index follows the move.
    let near = r.nearest(GeoPoint::new(53.2, -2.0).unwrap(), 1, &Query::new());
    assert_eq!(near[0].0.id, a.id);
    assert!(near[0].1 < 1.0);
    // Unchanged re-import; explicit removal.
    let report = r.import("grid", [a2], "nightly import", t1).unwrap();
    assert_eq!(report.unchanged, vec![a.id]);
    let removed = r.remove(b.id, "j.smith", t1, "closed in January").unwrap();
    assert_eq!(removed.id, b.id);
    assert_eq!(r.len(), 1);
    assert!(matches!(
        r.history().last().unwrap().what,
        ChangeKind::Removed { .. }
    ));
    assert!(r.remove(b.id, "j.smith", t1, "again").is_err());
    assert!(
        r.nearest(GeoPoint::new(53.1, -2.1).unwrap(), 5, &Query::new())
            .iter()
            .all(|(x, _)| x.id != b.id)
    );
}

#[test]
fn ids_are_stable_uuid_v5() {
    let a = AssetId::from_key("council", "42");
    assert_eq!(a, AssetId::from_key("council", "42"));
    assert_ne!(a, AssetId::from_key("council", "43"));
    assert_eq!(a.0.get_version_num(), 5);
    assert_eq!(a.to_string().parse::<AssetId>().unwrap(), a);
    assert!("nope".parse::<AssetId>().is_err());
}

#[test]
fn nearest_to_a_postcode_centroid() {
    let csv = "pcds,lat,long\nM1 1AA,53.4808,-2.2426\nM99 9ZZ,,\n";
    let (centroids, skipped) =
        read_postcode_centroids(csv.as_bytes(), "onspd.csv", ("pcds", "lat", "long")).unwrap();
    assert_eq!((centroids.len(), skipped), (1, 1));
    let r = Register::from_assets(
        [point_asset(1, 53.48, -2.24, AssetKind::Library)],
        "t",
        at(2026, 1, 1, 0, 0),
    )
    .unwrap();
    let m1 = "M1 1AA".parse().unwrap();
    let hits = r
        .nearest_to_postcode(&m1, &centroids, 5, &Query::new())
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert!(hits[0].1 < 500.0);
    let e = r
        .nearest_to_postcode(&"M99 9ZZ".parse().unwrap(), &centroids, 5, &Query::new())
        .unwrap_err();
    assert_eq!(e.to_string(), "postcode: no centroid for M99 9ZZ");
    let bad = "pcds,lat,long\nM1 1AA,95,0\n";
    let e =
        read_postcode_centroids(bad.as_bytes(), "onspd.csv", ("pcds", "lat", "long")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "onspd.csv, row 2, column lat: latitude: 95 is outside -90 to 90"
    );
}
