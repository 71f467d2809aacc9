//! Every real-data path of the command on NHS England's files (PCNKIT_DATA_DIR), for a small
//! ICB (QOC, 10 PCNs) and one of the largest (QHM, 67 PCNs). Skipped, with a message, when the
//! files are absent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

mod common;
use common::run;

/// The shared data folder and a file in it, or `None` (the test skips) when absent.
fn real(name: &str) -> Option<String> {
    let Some(root) = std::env::var_os("PCNKIT_DATA_DIR").map(PathBuf::from) else {
        eprintln!("SKIPPED: PCNKIT_DATA_DIR is not set (the real NHS files)");
        return None;
    };
    let path = root.join(name);
    if path.is_file() {
        Some(path.display().to_string())
    } else {
        eprintln!("SKIPPED: {} is missing", path.display());
        None
    }
}

const MAP: &str = "gp-registered-patients/gp-reg-pat-prac-map-aug-2026.csv";
const PCN_LISTS: &str = "gp-registered-patients/gp-reg-pat-prac-sing-age-regions-aug-2026.csv";
const ALL_PERSONS: &str = "gp-registered-patients/gp-reg-pat-prac-all-jan-2021.csv";
const PAYMENTS: &str = "gp-payments/nhs-payments-to-general-practice-2022-23.csv";
const FINGERTIPS: &str = "practice-indicators/fingertips-93553-practice-imd-score.csv";

/// The PCN codes of an ICB in the practice map (from `org snapshot`).
fn pcns_of(map: &str, icb: &str) -> Vec<String> {
    let (code, out, err) = run(&["org", "snapshot", "--practice-map", map, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (p, i) = (
        header.iter().position(|h| *h == "pcn").unwrap(),
        header.iter().position(|h| *h == "icb").unwrap(),
    );
    let mut pcns: Vec<String> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f.get(i) == Some(&icb) && f.get(p).is_some_and(|x| !x.is_empty()))
        .map(|f| f[p].to_owned())
        .collect();
    pcns.sort();
    pcns.dedup();
    pcns
}

#[test]
fn arrs_claims_plan_and_explain_from_a_pcns_own_files() {
    let (Some(map), Some(payments)) = (real(MAP), real(PAYMENTS)) else {
        return;
    };
    for icb in ["QOC", "QHM"] {
        let pcns = pcns_of(&map, icb);
        assert!(pcns.len() >= 9, "{icb}: {pcns:?}");
        let dir = tempfile::tempdir().unwrap();
        let staff = dir.path().join("staff.csv");
        let mut text = String::from("id,pcn,role,wte,start,annual_cost,area\n");
        for p in &pcns {
            text.push_str(&format!(
                "cp-{p},{p},clinical_pharmacist,1.0,2025-04-01,60000,\n"
            ));
            text.push_str(&format!(
                "cc-{p},{p},care_coordinator,0.5,2025-06-01,15000,outer_london\n"
            ));
        }
        std::fs::write(&staff, text).unwrap();
        let staff = staff.display().to_string();
        let pcn = pcns[0].as_str();
        let common = [
            "--pcn",
            pcn,
            "--year",
            "2025/26",
            "--staff",
            &staff,
            "--weighted",
            &payments,
            "--practice-map",
            &map,
            "--format",
            "csv",
        ];
        let (code, out, err) = run(&[&["arrs", "claims"][..], &common].concat());
        assert_eq!(code, 0, "{icb}: {err}");
        // The care coordinator's 2025/26 maximum is not in the sources: the total is unknown
        // with its known part (the pharmacist's £60,000) beside it.
        let main = out.lines().nth(1).unwrap();
        assert!(main.starts_with("main,"), "{out}");
        assert!(main.contains(",60000,10,incomplete,"), "{icb}: {main}");
        let (code, out, err) = run(&[
            &[
                "arrs",
                "plan",
                "--role",
                "pharmacy_technician",
                "--cost",
                "41000",
            ][..],
            &common,
        ]
        .concat());
        assert_eq!(code, 0, "{icb}: {err}");
        assert!(out.contains("pharmacy_technician,41000,,"), "{icb}: {out}");
        let id = format!("cp-{pcn}");
        let (code, out, err) = run(&[
            &["arrs", "explain", "--staff-id", &id, "--month", "2025-06"][..],
            &common,
        ]
        .concat());
        assert_eq!(code, 0, "{icb}: {err}");
        assert!(
            out.contains("claim: 4931.50684931506849315068493"),
            "{icb}: {out}"
        );
    }
}

#[test]
fn reports_of_a_small_and_a_large_icb_from_real_files() {
    let (Some(map), Some(lists), Some(all), Some(payments), Some(dep)) = (
        real(MAP),
        real(PCN_LISTS),
        real(ALL_PERSONS),
        real(PAYMENTS),
        real(FINGERTIPS),
    ) else {
        return;
    };
    let assets = tempfile::tempdir().unwrap();
    let services = assets.path().join("services.json");
    let (code, _, err) = run(&[
        "assets",
        "export",
        "--demo",
        "--out",
        services.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    for icb in ["QOC", "QHM"] {
        let pcns = pcns_of(&map, icb);
        // PCN-level lists, practice deprivation, weighted populations and an asset register:
        // coverage for this ICB's PCNs only, whose footprints are unknown without patients by
        // LSOA, said in the table rather than drawn as zero.
        let out = tempfile::tempdir().unwrap();
        let (code, _, err) = run(&[
            "report",
            "--dir",
            out.path().to_str().unwrap(),
            "--icb",
            icb,
            "--practice-map",
            &map,
            "--lists",
            &lists,
            "--practice-deprivation",
            &dep,
            "--weighted",
            &payments,
            "--assets",
            services.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{icb}: {err}");
        let coverage = std::fs::read_to_string(out.path().join("assets_by_pcn.csv")).unwrap();
        let rows: Vec<&str> = coverage.lines().skip(1).collect();
        assert_eq!(rows.len(), pcns.len(), "{icb}: one row per PCN of the ICB");
        assert!(
            rows.iter().all(|r| r.contains("footprint unknown")),
            "{coverage}"
        );
        let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();
        assert!(!html.contains("NaN"));
        assert!(html.contains("Claims are not shown: they need the ARRS staff table"));
        assert!(
            html.contains("IMD 2019"),
            "the caption names the IMD vintage"
        );
        let findings = std::fs::read_to_string(out.path().join("findings.csv")).unwrap();
        assert!(
            findings.contains("not in the practice map"),
            "{icb}: payments rows of closed practices are listed"
        );
        // All-persons practice lists: populations without pyramids, and the PCNs whose
        // practices have no 2021 list are unknown, not zero.
        let out = tempfile::tempdir().unwrap();
        let (code, _, err) = run(&[
            "report",
            "--dir",
            out.path().to_str().unwrap(),
            "--icb",
            icb,
            "--practice-map",
            &map,
            "--lists",
            &all,
        ]);
        assert_eq!(code, 0, "{icb}: {err}");
        let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();
        assert!(html.contains("registered patients"), "{icb}");
        assert!(
            !html.contains("Population pyramids"),
            "{icb}: no age/sex breakdown, no pyramids"
        );
        assert!(!html.contains("NaN"));
    }
}

#[test]
fn org_validate_snapshot_and_import_of_every_real_file() {
    let (Some(map), Some(all)) = (real(MAP), real(ALL_PERSONS)) else {
        return;
    };
    let (code, out, err) = run(&["org", "validate", "--practice-map", &map, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("org.pcn_population_unknown"),
        "missing lists are findings"
    );
    let (code, out, err) = run(&[
        "org",
        "validate",
        "--practice-map",
        &map,
        "--lists",
        &all,
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("org.pcn_population,"), "{out}");
    let (code, out, err) = run(&[
        "org",
        "snapshot",
        "--practice-map",
        &map,
        "--lists",
        &all,
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().count() > 6000);
    // Every real file through `org import FILE`: every row accounted for (records + errors +
    // skipped = rows), and the status says whether any row was bad.
    for (kind, file) in [
        ("practice-map", MAP),
        ("registered-patients", ALL_PERSONS),
        ("registered-patients", PCN_LISTS),
        ("epraccur", "ods-epraccur/epraccur.csv"),
        ("epcn-details", "ods-epcn/epcn_pcn_details.csv"),
        ("epcn-members", "ods-epcn/epcn_core_partner_details.csv"),
        ("weighted", PAYMENTS),
        ("practice-deprivation", FINGERTIPS),
        (
            "lsoa-deprivation",
            "imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv",
        ),
    ] {
        let Some(path) = real(file) else { continue };
        let (code, out, err) = run(&["org", "import", "--kind", kind, &path, "--format", "csv"]);
        let f: Vec<u64> = out
            .lines()
            .nth(1)
            .unwrap_or_else(|| panic!("{kind} {file}: {err}"))
            .rsplitn(5, ',')
            .take(4)
            .map(|x| x.parse().unwrap())
            .collect();
        let (skipped, errors, records, rows) = (f[0], f[1], f[2], f[3]);
        if kind != "practice-deprivation" {
            assert_eq!(records + errors + skipped, rows, "{kind} {file}: {out}");
        }
        assert_eq!(
            code,
            if errors == 0 { 0 } else { 4 },
            "{kind} {file}: {err}"
        );
        assert!(records > 0, "{kind} {file}");
        // With --out the typed records are written (Parquet: typed columns).
        let dir = tempfile::tempdir().unwrap();
        let parquet = dir.path().join("records.parquet");
        let (code, _, err) = run(&[
            "org",
            "import",
            "--kind",
            kind,
            &path,
            "--format",
            "parquet",
            "--out",
            parquet.to_str().unwrap(),
            "--accept-errors",
        ]);
        assert_eq!(code, 0, "{kind} {file}: {err}");
        assert!(std::fs::metadata(&parquet).unwrap().len() > 0);
    }
}

/// The workforce planners on a large real ICB (QHM, from the August 2026 map and PCN lists,
/// practice deprivation from Fingertips): CHWWs by PCN from a budget, and what referrals would
/// pay its pharmacies (the shared data has no pharmacy list, so their count is unknown, not 0;
/// and no staff or register, so link workers cannot be planned here) (issue 19).
#[test]
fn workforce_plans_for_a_real_icb() {
    let (Some(map), Some(lists), Some(imd)) = (real(MAP), real(PCN_LISTS), real(FINGERTIPS)) else {
        return;
    };
    let files = [
        "--practice-map",
        &map,
        "--lists",
        &lists,
        "--practice-deprivation",
        &imd,
        "--icb",
        "QHM",
    ];
    let mut chww = vec!["plan", "chww"];
    chww.extend(files);
    chww.extend([
        "--chww-budget",
        "2000000",
        "--chww-cost",
        "32000",
        "--households-per-worker",
        "120",
        "--persons-per-household",
        "2.4",
        "--format",
        "csv",
    ]);
    let (code, areas, err) = run(&chww);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Vec<&str>> = areas
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert!(rows.len() > 40, "{} PCNs", rows.len());
    let workers: u64 = rows.iter().map(|r| r[4].parse::<u64>().unwrap()).sum();
    assert_eq!(workers, 62); // ⌊£2,000,000 ÷ £32,000⌋
    // Proportionate: the most deprived decile of QHM's PCNs gets more workers per household
    // than the least.
    let per = |d: &str| -> f64 {
        let (w, h) = rows
            .iter()
            .filter(|r| r[1] == d)
            .fold((0.0, 0.0), |(w, h), r| {
                (
                    w + r[4].parse::<f64>().unwrap(),
                    h + r[2].parse::<f64>().unwrap(),
                )
            });
        w / h
    };
    assert!(per("1") > per("10"), "{areas}");
    let mut pharmacy = vec!["plan", "pharmacy"];
    pharmacy.extend(files);
    pharmacy.extend([
        "--pharmacy-scheme",
        "cpcs",
        "--pharmacy-year",
        "2022/23",
        "--referrals-per-1000",
        "10",
        "--format",
        "csv",
    ]);
    let (code, out, err) = run(&pharmacy);
    assert_eq!(code, 0, "{err}");
    for line in out.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        assert_eq!(c[2], "", "no register: pharmacies unknown ({line})");
        if let Ok(p) = c[1].parse::<u64>() {
            let pay: f64 = c[9].parse().unwrap();
            assert!((pay - p as f64 * 0.14).abs() < 1e-6, "{line}");
        }
    }
}
