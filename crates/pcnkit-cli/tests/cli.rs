//! The `pcnkit` command end to end: every subcommand, and bad input with the exact message and
//! exit code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

fn pcnkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pcnkit"))
        .args(args)
        .arg("--quiet")
        .output()
        .expect("the binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = pcnkit(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(args: &[&str], code: i32, message: &str) {
    let out = pcnkit(args);
    assert_eq!(out.status.code(), Some(code), "{args:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains(message), "{args:?}: {stderr}");
}

#[test]
fn demo_writes_every_table_and_an_hsds_page() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = ok(&["demo", "--dir", d, "--format", "csv"]);
    assert!(
        out.starts_with("table,rows\npractices,180\npcns,30\n"),
        "{out}"
    );
    for t in [
        "practices",
        "pcns",
        "lsoas",
        "counts",
        "arrs_staff",
        "assets",
    ] {
        assert!(dir.path().join(format!("{t}.csv")).is_file());
        assert!(dir.path().join(format!("{t}.parquet")).is_file());
    }
    let page: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("assets.hsds.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(page["total_items"], 2000);
    // The demo tables feed the indicator commands.
    let counts = dir.path().join("counts.parquet");
    let dsr = ok(&[
        "indicators",
        "dsr",
        "--input",
        counts.to_str().unwrap(),
        "--where",
        "measure=diabetes",
        "--count",
        "count",
        "--population",
        "population",
        "--age-band",
        "age_band",
        "--group-by",
        "pcn",
        "--confidence",
        "0.95,0.998",
        "--format",
        "json",
    ]);
    let rows: serde_json::Value = serde_json::from_str(&dsr).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 30);
    assert!(rows[0]["lower99_8cl"].as_f64().unwrap() < rows[0]["value"].as_f64().unwrap());
    // HSDS export → import through the command.
    let hsds = dir.path().join("assets.hsds.json");
    let imported = ok(&[
        "assets",
        "import",
        "--hsds",
        hsds.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_eq!(imported.lines().count(), 2001);
}

#[test]
fn org_commands() {
    let csv = ok(&["org", "snapshot", "--demo", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 181);
    let findings = ok(&["org", "validate", "--demo", "--format", "csv"]);
    assert!(findings.contains("PcnPopulation"));
    fails(
        &["org", "snapshot"],
        2,
        "error: give --demo or --practice-map FILE",
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("map.csv");
    std::fs::write(&bad, "EXTRACT_DATE,PRACTICE_CODE\n01JAN2025,A81001\n").unwrap();
    let out = pcnkit(&["org", "import", "--practice-map", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn org_import_reads_every_nhs_file_kind() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../pcnkit-org/tests/data/");
    for (kind, file) in [
        ("epraccur", "epraccur_small.csv"),
        ("epcn-details", "epcn_details_small.csv"),
        ("epcn-members", "epcn_members_small.csv"),
        ("registered-patients", "gp-reg-pat-prac-quin-age_small.csv"),
        ("practice-map", "gp-reg-pat-prac-map_small.csv"),
    ] {
        let path = format!("{data}{file}");
        let out = pcnkit(&[
            "org", "import", "--kind", kind, "--file", &path, "--format", "csv",
        ]);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            stdout.starts_with("rows,records,errors,skipped\n"),
            "{kind}: {stdout}"
        );
        // Clean files exit 0; a file with bad rows exits 4 naming them on stderr.
        let errors: u64 = stdout
            .lines()
            .nth(1)
            .unwrap()
            .split(',')
            .nth(2)
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(if errors == 0 { 0 } else { 4 }),
            "{kind}"
        );
    }
}

#[test]
fn arrs_commands() {
    let e = ok(&[
        "arrs",
        "entitlement",
        "--year",
        "2025/26",
        "--weighted",
        "30000",
        "--format",
        "csv",
    ]);
    assert!(
        e.contains("ARRS,Additional Roles Reimbursement Sum (now including GPs),"),
        "{e}"
    );
    assert!(
        e.contains("ARRS,Additional Roles Reimbursement Sum (now including GPs),798930\n"),
        "{e}"
    );
    let c = ok(&[
        "arrs", "claims", "--demo", "--pcn", "U90000", "--year", "2024/25", "--format", "csv",
    ]);
    assert!(
        c.starts_with("pool,entitlement,claimed,headroom\nmain,"),
        "{c}"
    );
    fails(
        &[
            "arrs", "claims", "--demo", "--pcn", "U99999", "--year", "2024/25",
        ],
        4,
        "error: PCN U99999 is not in the demo ICS",
    );
    fails(
        &[
            "arrs",
            "entitlement",
            "--year",
            "2031/32",
            "--weighted",
            "1",
        ],
        4,
        "2031/32",
    );
    fails(
        &["arrs", "entitlement", "--year", "twenty", "--weighted", "1"],
        2,
        "invalid value 'twenty' for '--year <YEAR>'",
    );
}

#[test]
fn indicator_commands_and_their_errors() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("p.csv");
    std::fs::write(&f, "area,n,d\nA,65,100\nB,0,1000\n").unwrap();
    let p = f.to_str().unwrap();
    let out = ok(&[
        "indicators",
        "proportion",
        "--input",
        p,
        "--numerator",
        "n",
        "--denominator",
        "d",
        "--multiplier",
        "1",
        "--format",
        "csv",
    ]);
    assert!(out.contains("0.5525444329688797"), "{out}");
    let out = ok(&[
        "indicators",
        "rate",
        "--input",
        p,
        "--count",
        "n",
        "--denominator",
        "d",
        "--format",
        "csv",
    ]);
    assert!(out.contains(",368.887945"), "{out}");
    let out = ok(&[
        "indicators",
        "funnel",
        "--input",
        p,
        "--numerator",
        "n",
        "--denominator",
        "d",
        "--format",
        "csv",
    ]);
    assert!(out.contains("significance"), "{out}");
    // Bad input: missing column, negative count, empty file, missing file, bad level.
    fails(
        &[
            "indicators",
            "rate",
            "--input",
            p,
            "--count",
            "x",
            "--denominator",
            "d",
        ],
        4,
        &format!("error: {p}: column `x`: not in the input"),
    );
    let neg = dir.path().join("neg.csv");
    std::fs::write(&neg, "area,n,d\nA,5,10\nB,-1,10\n").unwrap();
    let n = neg.to_str().unwrap();
    fails(
        &[
            "indicators",
            "rate",
            "--input",
            n,
            "--count",
            "n",
            "--denominator",
            "d",
        ],
        4,
        &format!("error: {n}: row 2: numerator cannot be negative (found -1)"),
    );
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let e = empty.to_str().unwrap();
    fails(
        &["indicators", "mean", "--input", e, "--value", "x"],
        4,
        &format!("error: {e}: the file is empty"),
    );
    fails(
        &[
            "indicators",
            "mean",
            "--input",
            "/nonexistent/x.csv",
            "--value",
            "x",
        ],
        3,
        "error: /nonexistent/x.csv: No such file or directory",
    );
    fails(
        &[
            "indicators",
            "rate",
            "--input",
            p,
            "--count",
            "n",
            "--denominator",
            "d",
            "--confidence",
            "0.5",
        ],
        2,
        "error: --confidence: confidence level 0.5 must be between 0.9 and 1",
    );
    fails(
        &[
            "indicators",
            "dsr",
            "--input",
            p,
            "--count",
            "n",
            "--population",
            "d",
        ],
        2,
        "dsr needs --age-band",
    );
}

#[test]
fn asset_commands() {
    let out = ok(&[
        "assets",
        "search",
        "--demo",
        "--near",
        "52.62,-1.95",
        "--kind",
        "pharmacy",
        "--limit",
        "3",
        "--format",
        "csv",
    ]);
    assert_eq!(out.lines().count(), 4);
    assert!(out.lines().nth(1).unwrap().contains(",pharmacy,"));
    fails(
        &["assets", "search", "--demo", "--near", "95,0"],
        2,
        "error: --near: latitude: 95 is outside -90 to 90",
    );
    fails(
        &[
            "assets", "search", "--demo", "--near", "x", "--kind", "rocket",
        ],
        2,
        "--near \"x\"",
    );
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("sheet.csv");
    std::fs::write(
        &csv,
        "key,name,kind,postcode\n1,Walk,park,M1 1AA\n2,Bad,library,NOPE\n",
    )
    .unwrap();
    let out = pcnkit(&[
        "assets",
        "import",
        "--csv",
        csv.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("row 3, column postcode: invalid postcode \"NOPE\""),
        "{stderr}"
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
}

#[test]
fn every_subcommand_has_help_with_an_example() {
    for args in [
        vec!["demo"],
        vec!["org", "snapshot"],
        vec!["org", "validate"],
        vec!["org", "import"],
        vec!["arrs", "entitlement"],
        vec!["arrs", "claims"],
        vec!["arrs", "plan"],
        vec!["indicators", "dsr"],
        vec!["indicators", "proportion"],
        vec!["indicators", "rate"],
        vec!["indicators", "mean"],
        vec!["indicators", "isr"],
        vec!["indicators", "quantile"],
        vec!["indicators", "sii"],
        vec!["indicators", "funnel"],
        vec!["indicators", "life-expectancy"],
        vec!["assets", "import"],
        vec!["assets", "export"],
        vec!["assets", "search"],
        vec!["assets", "coverage"],
        vec!["arrs", "explain"],
        vec!["report"],
    ] {
        let mut a = args.clone();
        a.push("--help");
        let out = ok(&a);
        assert!(out.contains("Example:"), "{args:?}");
    }
}

#[test]
fn the_demo_report_is_a_readable_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    ok(&["report", "--demo", "--dir", dir.path().to_str().unwrap()]);
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(html.starts_with("<!doctype html><html lang=\"en\">"));
    assert!(html.contains("<title>pcnkit report: demo ICS (synthetic)</title>"));
    assert!(html.contains("<strong>Synthetic data.</strong>"));
    for section in [
        "ICS overview",
        "ARRS: entitlement and claims, 2025/26",
        "Indicators: diabetes",
        "Community assets and need",
    ] {
        assert!(html.contains(&format!("<h2>{section}</h2>")), "{section}");
    }
    // Every chart has a title, a caption and a "how to read this" line; no network, no NaN.
    let charts = html.matches("<svg ").count();
    assert_eq!(charts, 37);
    assert_eq!(html.matches("role=\"img\" aria-label=").count(), charts);
    assert_eq!(html.matches("<figcaption>").count(), 7);
    assert_eq!(html.matches("How to read this:").count(), 8);
    assert!(!html.contains("NaN"));
    // The only URL is the SVG namespace: nothing is fetched.
    assert_eq!(html.matches("http://").count(), charts);
    assert!(!html.contains("<script") && !html.contains("https://"));
    assert!(html.contains("<th scope=\"col\">"));
    for t in [
        "pcn_overview",
        "arrs",
        "diabetes_dsr_by_pcn",
        "diabetes_funnel_limits",
        "diabetes_sii",
        "assets_by_quintile",
    ] {
        assert!(dir.path().join(format!("{t}.csv")).is_file(), "{t}");
        assert!(dir.path().join(format!("{t}.parquet")).is_file(), "{t}");
    }
    // Golden figures of the demo tables: a change must be deliberate.
    let dsr = std::fs::read_to_string(dir.path().join("diabetes_dsr_by_pcn.csv")).unwrap();
    let first = dsr.lines().nth(1).unwrap();
    assert!(first.starts_with("U90000,2205.0,49751.0,"), "{first}");
    let arrs = std::fs::read_to_string(dir.path().join("arrs.csv")).unwrap();
    assert!(
        arrs.lines()
            .nth(1)
            .unwrap()
            .starts_with("U90000,1364666.44743,"),
        "{arrs}"
    );
    assert!(html.contains("planned: clinical pharmacist WTE the headroom funds"));
}
