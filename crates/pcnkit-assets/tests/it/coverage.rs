//! Coverage against need on a small ICS built through pcnkit-org.

use chrono::NaiveDate;
use pcnkit_assets::coverage::*;
use pcnkit_assets::table::rows_table;
use pcnkit_assets::*;
use pcnkit_core::ImdDecile;
use pcnkit_core::{LsoaCode, PatientCount, PcnCode, PracticeCode};
use pcnkit_org::{ListSizeRecord, Pcn, Practice, PracticeLsoaRecord, Registry};

fn lsoa(i: u32) -> LsoaCode {
    format!("E0100000{i}").parse().unwrap()
}

#[test]
fn provision_per_pcn_and_by_deprivation() {
    let d = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    let (p1, p2): (PracticeCode, PracticeCode) =
        ("A81001".parse().unwrap(), "A81002".parse().unwrap());
    let (n1, n2): (PcnCode, PcnCode) = ("U00001".parse().unwrap(), "U00002".parse().unwrap());
    let mut b = Registry::builder();
    b.practice(Practice::new(p1, "North"));
    b.practice(Practice::new(p2, "South"));
    b.pcn(Pcn::new(n1, "North PCN"));
    b.pcn(Pcn::new(n2, "South PCN"));
    b.join(p1, n1, d).join(p2, n2, d);
    b.list_sizes([
        ListSizeRecord::new(p1, d, None, None, PatientCount(40_000)),
        ListSizeRecord::new(p2, d, None, None, PatientCount(20_000)),
    ]);
    b.practice_lsoa([
        PracticeLsoaRecord::new(p1, d, lsoa(1), PatientCount(30_000)),
        PracticeLsoaRecord::new(p1, d, lsoa(2), PatientCount(10_000)),
        PracticeLsoaRecord::new(p2, d, lsoa(3), PatientCount(20_000)),
    ]);
    let registry = b.build().unwrap();
    // Two libraries and a pharmacy in LSOA 1; one pharmacy in LSOA 3.
    let mk = |key: &str, kind: AssetKind, l: u32, lat: f64| {
        let mut a = Asset::new(
            Source {
                name: "t".into(),
                key: key.into(),
            },
            key,
            kind,
        );
        a.location.lsoa = Some(lsoa(l));
        a.location.point = Some(GeoPoint::new(lat, -2.0).unwrap());
        a
    };
    let t = NaiveDate::from_ymd_opt(2026, 5, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let register = Register::from_assets(
        [
            mk("L1", AssetKind::Library, 1, 53.000),
            mk("L2", AssetKind::Library, 1, 53.001),
            mk("P1", AssetKind::Pharmacy, 1, 53.002),
            mk("P2", AssetKind::Pharmacy, 3, 53.100),
        ],
        "t",
        t,
    )
    .unwrap();
    let rows = per_1000_by_pcn(&register, &registry, d, 0.05).unwrap();
    let find = |pcn: &str, kind: &str| {
        rows.iter()
            .find(|r| r.pcn == pcn && r.kind == kind)
            .unwrap()
    };
    assert_eq!(find("U00001", "all").assets, Some(3));
    assert!((find("U00001", "all").per_1000.unwrap() - 0.075).abs() < 1e-12);
    assert!((find("U00001", "library").per_1000.unwrap() - 0.05).abs() < 1e-12);
    assert_eq!(find("U00002", "pharmacy").assets, Some(1));
    assert!((find("U00002", "pharmacy").per_1000.unwrap() - 0.05).abs() < 1e-12);
    // Walking distance from LSOA centroids.
    let need = [
        LsoaNeed {
            lsoa: lsoa(1),
            centroid: GeoPoint::new(53.0005, -2.0).unwrap(),
            population: 1500.0,
            imd_decile: ImdDecile::new(9).unwrap(),
        },
        LsoaNeed {
            lsoa: lsoa(2),
            centroid: GeoPoint::new(53.05, -2.0).unwrap(),
            population: 1600.0,
            imd_decile: ImdDecile::new(1).unwrap(),
        },
        LsoaNeed {
            lsoa: lsoa(3),
            centroid: GeoPoint::new(53.101, -2.0).unwrap(),
            population: 1400.0,
            imd_decile: ImdDecile::new(2).unwrap(),
        },
    ];
    let access = lsoa_access(&register, &need, 1000.0, &Query::new()).unwrap();
    assert_eq!(
        access.iter().map(|a| a.assets_within).collect::<Vec<_>>(),
        vec![3, 0, 1]
    );
    assert!(access[1].nearest_m.unwrap() > 5_000.0);
    let g = gaps(&access, ImdDecile::new(2).unwrap());
    assert_eq!(
        g.iter().map(|a| a.lsoa.as_str()).collect::<Vec<_>>(),
        vec!["E01000002", "E01000003"]
    );
    let q = by_imd_quintile(&access);
    assert_eq!(q[0].quintile.get(), 1);
    assert!((q[0].population - 3000.0).abs() < 1e-9);
    assert!((q[0].share_without - 1600.0 / 3000.0).abs() < 1e-12);
    assert!(
        (q[4].mean_assets_within - 3.0).abs() < 1e-12,
        "the least deprived LSOA has most"
    );
    assert_eq!(rows_table(&q).unwrap().num_rows(), 5);
    assert_eq!(rows_table(&rows).unwrap().num_columns(), 6);
    // A decile of 11 cannot be made, so it cannot reach the coverage (it was checked there).
    assert!(ImdDecile::new(11).is_err());
    // Read from JSON it is refused, naming the range.
    let err = serde_json::from_str::<ImdDecile>("11")
        .unwrap_err()
        .to_string();
    assert!(err.contains("1 to 10"), "{err}");
}
