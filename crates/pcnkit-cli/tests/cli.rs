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
        vec!["indicators", "disclose"],
        vec!["indicators", "benchmark"],
        vec!["indicators", "spc"],
        vec!["indicators", "trend"],
        vec!["org", "deprivation"],
        vec!["assets", "import"],
        vec!["assets", "export"],
        vec!["assets", "search"],
        vec!["assets", "coverage"],
        vec!["assets", "harvest"],
        vec!["arrs", "explain"],
        vec!["plan", "leads"],
        vec!["plan", "chww"],
        vec!["plan", "link-workers"],
        vec!["plan", "pharmacy"],
        vec!["serve"],
        vec!["report"],
    ] {
        let mut a = args.clone();
        a.push("--help");
        let out = ok(&a);
        assert!(out.contains("Example"), "{args:?}");
    }
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

/// `pcnkit plan leads`: the demo's patches within the limits, the deprived plan with the leads
/// asked for, and an assignment checked (issue 19).
#[test]
fn plan_leads_on_the_demo() {
    let out = ok(&["plan", "leads", "--demo", "--format", "csv"]);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert!(rows.len() >= 10, "{out}");
    for r in &rows {
        let cells: Vec<&str> = r.split(',').collect();
        let pcns = cells[1].split(';').count();
        let population: u64 = cells[3].parse().unwrap();
        assert!(pcns <= 3 && population <= 100_000, "{r}");
        assert_eq!(cells[5], "4.5");
        assert_eq!(cells[7], "true");
    }
    let fewest = rows.len();
    let more = (fewest + 2).to_string();
    let out = ok(&[
        "plan",
        "leads",
        "--demo",
        "--objective",
        "deprived",
        "--leads",
        &more,
        "--format",
        "csv",
    ]);
    assert_eq!(out.lines().count() - 1, fewest + 2);
    // The plan itself, checked as an assignment, has nothing to say; a bad one does.
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.csv");
    let mut text = String::from("lead,pcn\n");
    for r in &rows {
        let cells: Vec<&str> = r.split(',').collect();
        for p in cells[1].split(';') {
            text.push_str(&format!("{},{p}\n", cells[0]));
        }
    }
    std::fs::write(&good, &text).unwrap();
    let out = ok(&[
        "plan",
        "leads",
        "--demo",
        "--check",
        good.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert!(!out.contains("plan.leads."), "{out}");
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "lead,pcn\nDr A,U90000\nDr A,U90001\nDr A,U90002\nDr A,U90003\n",
    )
    .unwrap();
    let out = ok(&[
        "plan",
        "leads",
        "--demo",
        "--check",
        bad.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    for rule in ["plan.leads.too_many_pcns", "plan.leads.no_lead"] {
        assert!(out.contains(rule), "{rule}: {out}");
    }
}

/// `pcnkit plan chww`: workers by LSOA proportionate to need, the deciles and the summary; the
/// figures without a published source are required, named in the message (issue 19).
#[test]
fn plan_chww_on_the_demo() {
    let base = [
        "plan",
        "chww",
        "--demo",
        "--chww-level",
        "lsoa",
        "--households-per-worker",
        "120",
        "--persons-per-household",
        "2.4",
    ];
    let with = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend(extra);
        a.extend(["--format", "csv"]);
        ok(&a)
    };
    let areas = with(&["--chww-workers", "200"]);
    assert!(
        areas
            .starts_with("area,imd_decile,households,weight,workers,households_covered,coverage\n")
    );
    let workers: u64 = areas
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(4).unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(workers, 200);
    let deciles = with(&["--chww-workers", "200", "--table", "deciles"]);
    let coverage = |d: &str| -> f64 {
        d.lines()
            .nth(1)
            .unwrap()
            .rsplit(',')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let equal = with(&[
        "--chww-workers",
        "200",
        "--table",
        "deciles",
        "--chww-weighting",
        "equal",
    ]);
    assert!(coverage(&deciles) > coverage(&equal), "{deciles}\n{equal}");
    let summary = with(&[
        "--chww-budget",
        "1000000",
        "--chww-cost",
        "30000",
        "--table",
        "summary",
    ]);
    assert!(summary.contains("workers,33,"), "{summary}");
    assert!(summary.contains("budget_left,10000,"), "{summary}");
    assert!(summary.contains("most_deprived_quintile_coverage,"));
    // No households per worker: refused, saying why (exit status 2), never a default.
    fails(
        &[
            "plan",
            "chww",
            "--demo",
            "--chww-workers",
            "5",
            "--persons-per-household",
            "2.4",
        ],
        2,
        "give the households per worker",
    );
    fails(
        &[
            "plan",
            "chww",
            "--demo",
            "--chww-workers",
            "5",
            "--households-per-worker",
            "120",
            "--persons-per-household",
            "2.4",
            "--chww-weighting",
            "steep",
        ],
        2,
        "use equal, proportionate, score",
    );
}

/// `pcnkit plan pharmacy` and `plan link-workers` on the demo (issue 19).
#[test]
fn plan_pharmacy_and_link_workers_on_the_demo() {
    let out = ok(&[
        "plan",
        "pharmacy",
        "--demo",
        "--pharmacy-scheme",
        "cpcs",
        "--pharmacy-year",
        "2022/23",
        "--referrals-per-1000",
        "10",
        "--format",
        "csv",
    ]);
    let first = out.lines().nth(1).unwrap();
    // U90000: 49,751 patients × 10 ÷ 1,000 × £14 = £6,965.14.
    assert!(first.starts_with("U90000,49751,"), "{first}");
    assert!(first.contains(",497.51,14,6965.14,S2,"), "{first}");
    // A year with no confirmed fee: the payment is empty with the reason, never £0.
    let out = ok(&[
        "plan",
        "pharmacy",
        "--demo",
        "--pharmacy-year",
        "2025/26",
        "--referrals-per-1000",
        "10",
        "--format",
        "csv",
    ]);
    let first = out.lines().nth(1).unwrap();
    assert!(first.contains("not confirmed"), "{first}");
    assert!(!first.contains(",0,S2"), "{first}");
    fails(
        &["plan", "pharmacy", "--demo", "--pharmacy-year", "2025/26"],
        2,
        "give the referrals a year per 1,000",
    );
    let out = ok(&["plan", "link-workers", "--demo", "--format", "csv"]);
    assert!(out.starts_with(
        "pcn,patients,link_workers,assets_within,assets_per_worker,patients_per_worker,note\n"
    ));
    assert!(out.contains("no link worker in post on the date"), "{out}");
}

/// A list of pharmacies (pcnkit's asset layout as CSV) stands in for a register: each counted
/// by its Healthy Living Pharmacy level around the PCNs whose patients live nearby; a level
/// that is not 1, 2 or 3 is an error naming the line and column (issue 19).
#[test]
fn plan_pharmacy_from_a_list_of_pharmacies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&["demo", "--dir", d.to_str().unwrap()]);
    // Three pharmacies at the centroids of the most populous LSOAs (in some PCN's footprint).
    let lsoas = std::fs::read_to_string(d.join("lsoas.csv")).unwrap();
    let mut list = String::from("key,name,kind,latitude,longitude,lsoa,hlp_level\n");
    let mut populous: Vec<&str> = lsoas.lines().skip(1).collect();
    populous
        .sort_by_key(|l| std::cmp::Reverse(l.split(',').nth(4).unwrap().parse::<u64>().unwrap()));
    for (i, l) in populous.into_iter().take(3).enumerate() {
        let c: Vec<&str> = l.split(',').collect();
        list.push_str(&format!(
            "FA{i:03},Pharmacy {i},pharmacy,{},{},{},{}\n",
            c[2],
            c[3],
            c[0],
            if i == 0 { 2 } else { 1 }
        ));
    }
    let pharmacies = d.join("pharmacies.csv");
    std::fs::write(&pharmacies, &list).unwrap();
    let file = |n: &str| d.join(n).display().to_string();
    let args = |assets: &str| {
        vec![
            "plan".to_owned(),
            "pharmacy".to_owned(),
            "--practice-map".to_owned(),
            file("gp-reg-pat-prac-map.csv"),
            "--lists".to_owned(),
            file("gp-reg-pat-prac-quin-age.csv"),
            "--practice-lsoa".to_owned(),
            file("gp-reg-pat-prac-lsoa-all.csv"),
            "--lsoas".to_owned(),
            file("lsoas.csv"),
            "--assets".to_owned(),
            assets.to_owned(),
            "--pharmacy-scheme".to_owned(),
            "cpcs".to_owned(),
            "--pharmacy-year".to_owned(),
            "2022/23".to_owned(),
            "--referrals-per-1000".to_owned(),
            "10".to_owned(),
            "--format".to_owned(),
            "csv".to_owned(),
        ]
    };
    let a = args(pharmacies.to_str().unwrap());
    let out = ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let rows: Vec<Vec<&str>> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let total = |col: usize| -> u64 { rows.iter().map(|r| r[col].parse::<u64>().unwrap()).sum() };
    assert!(total(2) >= 3, "{out}");
    assert!(total(4) >= 1, "a level-2 pharmacy: {out}");
    assert_eq!(total(6), 0, "every listed level recorded");
    std::fs::write(&pharmacies, list.replace(",2\n", ",4\n")).unwrap();
    let a = args(pharmacies.to_str().unwrap());
    let (code, _, err) = common::run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_ne!(code, 0);
    assert!(
        err.contains("pharmacies.csv") && err.contains("row 2") && err.contains("hlp_level"),
        "{err}"
    );
}
