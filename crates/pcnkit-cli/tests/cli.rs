//! The `pcnkit` command end to end: every subcommand, and bad input with the exact message and
//! exit code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

mod common;
use common::{fails, ok, pcnkit};

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
    assert!(findings.starts_with("rule,severity,subject,message,source,file,line,field\n"));
    assert!(
        findings.contains("org.pcn_population,warning,"),
        "{findings}"
    );
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
    let data = common::manifest_dir()
        .join("../pcnkit-org/tests/data/")
        .display()
        .to_string();
    let data = data.as_str();
    for (kind, file) in [
        ("epraccur", "epraccur_small.csv"),
        ("epcn-details", "epcn_details_small.csv"),
        ("epcn-members", "epcn_members_small.csv"),
        ("registered-patients", "gp-reg-pat-prac-quin-age_small.csv"),
        ("practice-map", "gp-reg-pat-prac-map_small.csv"),
    ] {
        let path = format!("{data}{file}");
        let out = pcnkit(&["org", "import", "--kind", kind, &path, "--format", "csv"]);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            stdout.starts_with("file,rows,records,errors,skipped\n"),
            "{kind}: {stdout}"
        );
        // Clean files exit 0; a file with bad rows exits 4 naming them on stderr.
        let errors: u64 = stdout
            .lines()
            .nth(1)
            .unwrap()
            .split(',')
            .nth(3)
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
        e.contains("ARRS,main,Additional Roles Reimbursement Sum (now including GPs),weighted patients,30000,26.631,798930,known,"),
        "{e}"
    );
    let c = ok(&[
        "arrs", "claims", "--demo", "--pcn", "U90000", "--year", "2024/25", "--format", "csv",
    ]);
    // 2024/25 April–September maxima are not in the sources: the total is unknown, with its
    // known part and the count of unknown lines, never a plausible figure.
    let main = c.lines().nth(1).unwrap();
    assert!(
        c.starts_with("pool,entitlement,claimed,claimed_known,claimed_unknown_lines,status,headroom,headroom_at_most\n"),
        "{c}"
    );
    assert!(main.starts_with("main,1173169.37582,,"), "{main}");
    assert!(main.contains(",incomplete,,"), "{main}");
    // Entitlement lines name their basis and source; payments not in the year are listed.
    assert!(
        e.starts_with("kind,id,name,basis,population,rate,amount,status,source,explanation\n"),
        "{e}"
    );
    assert!(
        e.contains("not in rules,clinical_director,Clinical Director payment,"),
        "{e}"
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
    // One bad area does not sink the call (issue 14): its row is null and says why, and the
    // command says so on stderr, as R warns.
    let (code, _, err) = common::run(&[
        "indicators",
        "rate",
        "--input",
        n,
        "--count",
        "n",
        "--denominator",
        "d",
    ]);
    assert_eq!(code, 0);
    assert!(
        err.contains("1 of 2 rows have no value; the note column says why (first, row 2: numerator cannot be negative (found -1))"),
        "{err}"
    );
    let out = ok(&[
        "indicators",
        "rate",
        "--input",
        n,
        "--count",
        "n",
        "--denominator",
        "d",
        "--format",
        "csv",
    ]);
    let bad = out.lines().find(|l| l.starts_with("B,")).unwrap();
    assert!(
        bad.contains("numerator cannot be negative (found -1)"),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("A,5.0,10.0,50000.0,")),
        "{out}"
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
    // The good record is written; the bad one is named and sets the data-error status.
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("row 3, column postcode: invalid postcode \"NOPE\""),
        "{stderr}"
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
    let accepted = pcnkit(&[
        "assets",
        "import",
        "--csv",
        csv.to_str().unwrap(),
        "--accept-errors",
        "--format",
        "csv",
    ]);
    assert_eq!(accepted.status.code(), Some(0));
}

/// An asset's id comes from the feed name and the record's own id, never from how the file's
/// path was typed: `x.json`, `./x.json` and an absolute path give the same ids, and another
/// feed name gives other ids.
#[test]
fn asset_ids_do_not_depend_on_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("x.json");
    let exported = ok(&["assets", "export", "--demo"]);
    // A foreign feed: drop pcnkit's own source attributes so ids are derived on import.
    let mut doc: serde_json::Value = serde_json::from_str(&exported).unwrap();
    for s in doc["contents"].as_array_mut().unwrap().iter_mut().take(5) {
        s["attributes"]
            .as_array_mut()
            .unwrap()
            .retain(|a| a["link_type"] != "source");
    }
    doc["contents"] = serde_json::Value::Array(doc["contents"].as_array().unwrap()[..5].to_vec());
    std::fs::write(&page, doc.to_string()).unwrap();
    let ids = |path: &str, extra: &[&str]| -> String {
        let mut args = vec!["assets", "import", "--hsds", path, "--format", "csv"];
        args.extend_from_slice(extra);
        let out = Command::new(env!("CARGO_BIN_EXE_pcnkit"))
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines()
            .map(|l| l.split(',').next().unwrap().to_owned() + "\n")
            .collect()
    };
    let a = ids("x.json", &[]);
    assert_eq!(a.lines().count(), 6, "{a}");
    assert_eq!(a, ids("./x.json", &[]));
    assert_eq!(a, ids(page.to_str().unwrap(), &[]));
    assert_ne!(a, ids("x.json", &["--feed", "another-directory"]));
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
        assert!(out.contains("Example"), "{args:?}");
    }
}

#[test]
fn the_demo_report_is_a_readable_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    ok(&["report", "--demo", "--dir", dir.path().to_str().unwrap()]);
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    assert!(html.contains("<title>pcnkit report: demo integrated care system (synthetic)</title>"));
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
    // 30 pyramids, 7 charts and 2 deprivation colour legends.
    assert_eq!(charts, 39);
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
            .starts_with("U90000,51243.53,20,1364666.44743,,433577.6,86,incomplete,,931088.84743"),
        "{arrs}"
    );
    assert!(html.contains("planned: clinical pharmacist WTE the headroom funds"));
    // Claims whose maxima are not in the sources are unknown, and said to be.
    assert!(html.contains("<strong>Incomplete:</strong>"));
    assert!(
        html.contains("unknown (≥ 433.6; 86 unknown)"),
        "the PCN row shows the known part"
    );
    assert!(
        html.contains(">care coordinator*</text>"),
        "an incomplete role is marked"
    );
    assert!(
        html.contains(">claimed (£ thousands): unknown</text>"),
        "nothing known: not drawn"
    );
    assert!(
        html.contains("IMD decile:"),
        "the deprivation charts have a colour legend"
    );
}

/// The files `pcnkit demo` writes, in NHS England's layouts and pcnkit's, as report flags.
fn demo_file_flags(d: &std::path::Path) -> Vec<String> {
    [
        ("--practice-map", "gp-reg-pat-prac-map.csv"),
        ("--lists", "gp-reg-pat-prac-quin-age.csv"),
        ("--practice-lsoa", "gp-reg-pat-prac-lsoa-all.csv"),
        ("--lsoas", "lsoas.csv"),
        ("--practice-locations", "practice_locations.csv"),
        ("--weighted", "weighted_populations.csv"),
        ("--staff", "arrs_staff.csv"),
        ("--conditions", "counts.parquet"),
        ("--assets", "assets.hsds.json"),
    ]
    .iter()
    .flat_map(|(flag, file)| [(*flag).to_owned(), d.join(file).display().to_string()])
    .collect()
}

#[test]
fn the_report_from_files_equals_the_demo_report_on_the_demo_files() {
    let files = tempfile::tempdir().unwrap();
    ok(&["demo", "--dir", files.path().to_str().unwrap()]);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    ok(&["report", "--demo", "--dir", a.path().to_str().unwrap()]);
    let mut args = vec![
        "report".to_owned(),
        "--dir".to_owned(),
        b.path().display().to_string(),
    ];
    args.extend(demo_file_flags(files.path()));
    ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let mut compared = 0;
    for entry in std::fs::read_dir(a.path()).unwrap() {
        let name = entry.unwrap().file_name();
        // `inputs` names where each input came from: the generator, or the files.
        if name.to_string_lossy().ends_with(".csv") && name != "inputs.csv" {
            let (x, y) = (
                std::fs::read_to_string(a.path().join(&name)).unwrap(),
                std::fs::read_to_string(b.path().join(&name)).unwrap(),
            );
            assert_eq!(x, y, "{name:?}");
            compared += 1;
        }
    }
    assert_eq!(compared, 14);
    let html = std::fs::read_to_string(b.path().join("index.html")).unwrap();
    assert!(html.contains("<p>Made from these files:</p><ul><li>practice map: "));
    // Without the optional inputs each section says what it needs.
    let c = tempfile::tempdir().unwrap();
    let map = files.path().join("gp-reg-pat-prac-map.csv");
    ok(&[
        "report",
        "--dir",
        c.path().to_str().unwrap(),
        "--practice-map",
        map.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(c.path().join("index.html")).unwrap();
    for needs in [
        "(--lists)",
        "(--weighted FILE)",
        "(--conditions FILE)",
        "(--assets FILE",
    ] {
        assert!(html.contains(needs), "{needs}");
    }
    assert!(!html.contains("NaN"));
}

#[test]
fn report_inputs_with_bad_rows_are_named() {
    let files = tempfile::tempdir().unwrap();
    let d = files.path();
    ok(&["demo", "--dir", d.to_str().unwrap()]);
    let map = d.join("gp-reg-pat-prac-map.csv");
    let out = tempfile::tempdir().unwrap();
    let run = |flag: &str, name: &str, text: &str, code: i32, message: &str| {
        let path = d.join(name);
        std::fs::write(&path, text).unwrap();
        fails(
            &[
                "report",
                "--dir",
                out.path().to_str().unwrap(),
                "--practice-map",
                map.to_str().unwrap(),
                flag,
                path.to_str().unwrap(),
            ],
            code,
            &message.replace("FILE", path.to_str().unwrap()),
        );
    };
    run(
        "--staff",
        "staff.csv",
        "id,pcn,role,wte,start,end,annual_cost\na,U90000,clinical_pharmacist,1,2025-04-01,,-5\n",
        4,
        "FILE, line 2, field `annual_cost`: -5: a cost cannot be negative",
    );
    run(
        "--staff",
        "staff2.csv",
        "id,pcn,role,wte,start\na,U90000,clinical_pharmacist,1,2025-04-01\n",
        4,
        "FILE, line 1, field `annual_cost`: required column is missing from the header",
    );
    run(
        "--weighted",
        "weighted.csv",
        "pcn,weighted_patients\nU90000,lots\n",
        4,
        "FILE, line 2, field `weighted_patients`: \"lots\":",
    );
    run(
        "--practice-deprivation",
        "deprivation.csv",
        "practice,imd_decile\nA81001,11\n",
        4,
        "FILE, line 2, field `imd_decile`: decile 11 is not 1 to 10",
    );
    run(
        "--practice-locations",
        "empty.csv",
        "",
        4,
        "FILE, line 1, field `practice`: required column is missing from the header",
    );
    run(
        "--conditions",
        "counts.csv",
        "practice,measure,age_band,count,population\nX99999,diabetes,0-4,1,10\n",
        4,
        "FILE, line 2, field `practice`: X99999 is not in the practice map",
    );
    fails(
        &["report", "--dir", out.path().to_str().unwrap()],
        2,
        "give --demo, or --practice-map FILE",
    );
}

/// The real NHS England files (PCNKIT_DATA_DIR): the report of one ICB from the practice map,
/// the PCN single-year-of-age lists, Fingertips practice deprivation and the payments file's
/// weighted populations.
#[test]
fn the_report_runs_on_the_real_nhs_files() {
    let Some(root) = std::env::var_os("PCNKIT_DATA_DIR").map(std::path::PathBuf::from) else {
        eprintln!("skipped: PCNKIT_DATA_DIR is not set (the real NHS files)");
        return;
    };
    let map = root.join("gp-registered-patients/gp-reg-pat-prac-map-aug-2026.csv");
    let lists = root.join("gp-registered-patients/gp-reg-pat-prac-sing-age-regions-aug-2026.csv");
    if !map.is_file() || !lists.is_file() {
        eprintln!(
            "skipped: {} or {} is missing",
            map.display(),
            lists.display()
        );
        return;
    }
    let out = tempfile::tempdir().unwrap();
    ok(&[
        "report",
        "--dir",
        out.path().to_str().unwrap(),
        "--practice-map",
        map.to_str().unwrap(),
        "--icb",
        "QHM",
        "--lists",
        lists.to_str().unwrap(),
        "--practice-deprivation",
        root.join("practice-indicators/fingertips-93553-practice-imd-score.csv")
            .to_str()
            .unwrap(),
        "--weighted",
        root.join("gp-payments/nhs-payments-to-general-practice-2022-23.csv")
            .to_str()
            .unwrap(),
    ]);
    // Independently: the QHM PCNs in the map and their patients in the lists file.
    let map_text = std::fs::read_to_string(&map).unwrap();
    let mut pcns: Vec<String> = map_text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f.len() > 11 && f[11] == "QHM" && f[5] != "U")
        .map(|f| f[5].to_owned())
        .collect();
    pcns.sort();
    pcns.dedup();
    let mut patients = 0u64;
    for line in std::fs::read_to_string(&lists).unwrap().lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[2] == "PCN"
            && f[5] != "ALL"
            && f[6] != "ALL"
            && pcns.binary_search(&f[3].to_owned()).is_ok()
        {
            patients += f[7].parse::<u64>().unwrap();
        }
    }
    let overview = std::fs::read_to_string(out.path().join("pcn_overview.csv")).unwrap();
    let rows: Vec<&str> = overview.lines().skip(1).collect();
    assert_eq!(rows.len(), pcns.len());
    let total: f64 = rows
        .iter()
        .map(|r| r.split(',').nth(2).unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(total as u64, patients);
    let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(html.contains(
        "<h1>pcnkit report: NHS North East and North Cumbria Integrated Care Board</h1>"
    ));
    assert!(!html.contains("Synthetic data."));
    let arrs = std::fs::read_to_string(out.path().join("arrs.csv")).unwrap();
    assert_eq!(arrs.lines().count(), pcns.len() + 1);
}

/// `pcnkit … | head`: the reader going away ends the command quietly, status 0.
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_pcnkit"))
        .args(["assets", "export", "--demo"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped here: the rest of the page meets a closed pipe.
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    for args in [
        ["org", "snapshot", "--demo", "--format", "csv"],
        ["arrs", "claims", "--demo", "--pcn", "U90000"],
    ] {
        let mut args = args.to_vec();
        if args[0] == "arrs" {
            args.extend(["--year", "2025/26", "--lines"]);
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_pcnkit"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        assert_eq!(child.wait().unwrap().code(), Some(0), "{args:?}");
    }
}

/// A report folder never keeps another run's tables beside a new report; a folder with files
/// pcnkit did not write is refused (status 5), not cleaned.
#[test]
fn report_folders_hold_one_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok(&["report", "--demo", "--dir", d]);
    assert!(dir.path().join("diabetes_dsr_by_pcn.csv").is_file());
    // A second run from the practice map alone writes fewer tables: the old ones go.
    let files = tempfile::tempdir().unwrap();
    ok(&["demo", "--dir", files.path().to_str().unwrap()]);
    let map = files.path().join("gp-reg-pat-prac-map.csv");
    ok(&[
        "report",
        "--dir",
        d,
        "--practice-map",
        map.to_str().unwrap(),
    ]);
    assert!(
        !dir.path().join("diabetes_dsr_by_pcn.csv").exists(),
        "a stale table stayed"
    );
    assert!(dir.path().join("index.html").is_file());
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("notes.txt"), "mine").unwrap();
    fails(
        &["report", "--demo", "--dir", other.path().to_str().unwrap()],
        5,
        "is not empty and holds no earlier pcnkit report",
    );
    assert!(other.path().join("notes.txt").is_file());
}

/// `assets coverage` from an HSDS file and the practice map, lists and patients by LSOA gives
/// the same table as the demo (the demo's files are those inputs).
#[test]
fn asset_coverage_from_files_equals_the_demo() {
    let files = tempfile::tempdir().unwrap();
    let f = files.path();
    ok(&["demo", "--dir", f.to_str().unwrap()]);
    let p = |n: &str| f.join(n).display().to_string();
    let demo = ok(&["assets", "coverage", "--demo", "--format", "csv"]);
    let from_files = ok(&[
        "assets",
        "coverage",
        "--hsds",
        &p("assets.hsds.json"),
        "--feed",
        "pcnkit demo",
        "--practice-map",
        &p("gp-reg-pat-prac-map.csv"),
        "--practice-lsoa",
        &p("gp-reg-pat-prac-lsoa-all.csv"),
        "--lists",
        &p("gp-reg-pat-prac-quin-age.csv"),
        "--format",
        "csv",
    ]);
    assert!(
        demo.starts_with("pcn,kind,assets,patients,per_1000,note\n"),
        "{demo}"
    );
    assert_eq!(from_files, demo);
    // Without lists the populations are unknown: null rates with a note, never 0.
    let no_lists = ok(&[
        "assets",
        "coverage",
        "--hsds",
        &p("assets.hsds.json"),
        "--practice-map",
        &p("gp-reg-pat-prac-map.csv"),
        "--practice-lsoa",
        &p("gp-reg-pat-prac-lsoa-all.csv"),
        "--format",
        "csv",
    ]);
    let first = no_lists.lines().nth(1).unwrap();
    assert!(
        first.ends_with(",,,registered patients unknown: no list for the PCN"),
        "{first}"
    );
}

/// Exit statuses as documented: 3 for a file that cannot be read, 4 for bad data, 5 when the
/// output cannot be written.
#[test]
fn exit_statuses_say_what_went_wrong() {
    fails(
        &[
            "arrs",
            "claims",
            "--pcn",
            "U90000",
            "--year",
            "2025/26",
            "--staff",
            "/no/such/staff.csv",
            "--weighted",
            "/no/such/w.csv",
        ],
        3,
        "/no/such/staff.csv",
    );
    fails(
        &[
            "org",
            "snapshot",
            "--demo",
            "--format",
            "csv",
            "--out",
            "/no/such/dir/x.csv",
        ],
        5,
        "writing output: /no/such/dir/x.csv",
    );
    fails(
        &[
            "report",
            "--demo",
            "--dir",
            "/proc/pcnkit-cannot-write-here",
        ],
        5,
        "writing output",
    );
}

/// Money is shown to the penny in a table and exactly in CSV and JSON; JSON rows all have the
/// same keys, with null written out for an unknown figure.
#[test]
fn money_is_readable_and_json_keys_are_uniform() {
    let args = [
        "arrs", "claims", "--demo", "--pcn", "U90000", "--year", "2025/26",
    ];
    let table = ok(&args);
    assert!(table.contains("| 1364666.45  |"), "{table}");
    assert!(table.contains("| incomplete |"), "{table}");
    let json = ok(&[&args[..], &["--format", "json"]].concat());
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert!(rows.iter().all(|r| keys(r) == keys(&rows[0])));
    assert_eq!(rows[0]["claimed"], serde_json::Value::Null);
    assert_eq!(rows[0]["entitlement"], "1364666.44743");
    assert_eq!(rows[0]["status"], "incomplete");
    let csv = ok(&[&args[..], &["--format", "csv"]].concat());
    assert!(
        csv.contains("main,1364666.44743,,433577.6,86,incomplete,,931088.84743"),
        "{csv}"
    );
}

/// The R package's options from the command line (issue 14): `--type`, `--confidence none`,
/// ISR from observed totals, SII from counts with the reliability statistic, rate funnel
/// points over several years, life expectancy at chosen ages.
#[test]
fn indicator_options_users_of_the_r_package_rely_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let props = p("p.csv", "area,x,n\nA,5,10\nB,50,200\n");
    let header = |out: &str| out.lines().next().unwrap().to_owned();
    let run = |args: &[&str]| ok(&[&["indicators"], args, &["--format", "csv"]].concat());
    let value = run(&[
        "proportion",
        "--input",
        &props,
        "--numerator",
        "x",
        "--denominator",
        "n",
        "--group-by",
        "area",
        "--type",
        "value",
    ]);
    assert_eq!(header(&value), "area,x,n,value,note");
    let none = run(&[
        "proportion",
        "--input",
        &props,
        "--numerator",
        "x",
        "--denominator",
        "n",
        "--group-by",
        "area",
        "--confidence",
        "none",
        "--type",
        "standard",
    ]);
    assert_eq!(header(&none), "area,x,n,value,note");
    let lower = run(&[
        "proportion",
        "--input",
        &props,
        "--numerator",
        "x",
        "--denominator",
        "n",
        "--group-by",
        "area",
        "--confidence",
        "95,99.8",
        "--type",
        "lower",
    ]);
    assert_eq!(header(&lower), "area,x,n,lower95_0cl,lower99_8cl,note");
    fails(
        &[
            "indicators",
            "proportion",
            "--input",
            &props,
            "--numerator",
            "x",
            "--denominator",
            "n",
            "--confidence",
            "0.95,95",
        ],
        2,
        "--confidence",
    );

    let bands = p(
        "isr.csv",
        "area,band,pop,rc,rp\nA,young,1000,10,10000\nA,old,500,50,5000\nB,young,2000,10,10000\nB,old,100,50,5000\n",
    );
    let totals = p("totals.csv", "area,deaths\nA,30\nB,12\n");
    let isr = run(&[
        "isr",
        "--input",
        &bands,
        "--totals",
        &totals,
        "--total",
        "deaths",
        "--population",
        "pop",
        "--reference-count",
        "rc",
        "--reference-population",
        "rp",
        "--group-by",
        "area",
        "--multiplier",
        "1000",
    ]);
    // A: expected 1 + 5 = 6, observed 30 → ratio 5 × the reference rate (60 / 15,000 × 1,000 = 4).
    let a = isr.lines().find(|l| l.starts_with("A,")).unwrap();
    assert!(a.starts_with("A,30.0,6.0,4.0,20.0,"), "{isr}");

    let sii = p(
        "sii.csv",
        "q,pop,x\n1,1000,300\n2,1000,250\n3,1000,200\n4,1000,150\n5,1000,100\n",
    );
    let out = run(&[
        "sii",
        "--input",
        &sii,
        "--quantile",
        "q",
        "--population",
        "pop",
        "--value",
        "x",
        "--count",
        "x",
        "--value-type",
        "rate",
        "--repetitions",
        "1000",
        "--reliability",
    ]);
    assert!(header(&out).contains("sii_lowercl_mad"), "{out}");

    let rates = p("rates.csv", "ev,rate\n414,184\n462,102\n");
    let points = run(&[
        "funnel",
        "--input",
        &rates,
        "--numerator",
        "ev",
        "--rate",
        "rate",
        "--rate-type",
        "dsr",
        "--points",
        "--years",
        "3",
        "--multiplier",
        "100000",
    ]);
    assert!(points.contains("414,184,184.0,75000.0"), "{points}");

    let mut le = String::from("area,age,deaths,pop\n");
    let ages = [
        0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90,
    ];
    for (i, age) in ages.iter().enumerate() {
        le.push_str(&format!(
            "A,{age},{},{}\n",
            5 + i * 10,
            if i < 2 { 1000 } else { 5000 }
        ));
    }
    let le = p("le.csv", &le);
    let out = run(&[
        "life-expectancy",
        "--input",
        &le,
        "--deaths",
        "deaths",
        "--population",
        "pop",
        "--start-age",
        "age",
        "--group-by",
        "area",
        "--ages",
        "0,65",
    ]);
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(header(&out).contains("pops_used,dths_used"), "{out}");
}

/// The report's SII uses each quintile's own number: with every neighbourhood in decile 1 or 2,
/// every practice is in quintile 1 and the report says the SII could not be computed (once the
/// quintiles present were renumbered 1..n, so a missing one shifted the others).
#[test]
fn the_report_says_when_the_quintiles_cannot_give_an_sii() {
    let files = tempfile::tempdir().unwrap();
    ok(&["demo", "--dir", files.path().to_str().unwrap()]);
    let lsoas = files.path().join("lsoas.csv");
    let text = std::fs::read_to_string(&lsoas).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for line in lines {
        let (rest, _decile) = line.rsplit_once(',').unwrap();
        out.push_str(&format!("{rest},1\n"));
    }
    std::fs::write(&lsoas, out).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "report".to_owned(),
        "--dir".to_owned(),
        dir.path().display().to_string(),
    ];
    args.extend(demo_file_flags(files.path()));
    ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(
        html.contains("Slope index of inequality: not computed ("),
        "{}",
        html.split("Slope index").nth(1).unwrap_or("no SII text")
    );
    // The table says so too: a null SII with the reason, never a number from shifted quintiles.
    let sii = std::fs::read_to_string(dir.path().join("diabetes_sii.csv")).unwrap();
    let row = sii.lines().nth(1).unwrap();
    assert!(row.starts_with("ICS,,,,"), "{sii}");
}
