//! The corpus of bad inputs (`tests/bad-inputs/`, each described in its README): every case
//! gives the exact error (file, line, column) and status 4, or a warning and unchanged figures
//! for the good rows. Never exit 0 with a changed figure and no message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

mod common;
use common::{pcnkit, run};

fn case(name: &str) -> String {
    // The runtime value first: a test binary reused from another checkout of the workspace (a
    // shared target directory) has that checkout's path compiled in.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("tests/bad-inputs")
        .join(name)
        .display()
        .to_string()
}

/// The demo ICS as files, in a temporary folder kept for the test's life.
fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = pcnkit(&["demo", "--dir", dir.path().to_str().unwrap()]);
    assert!(out.status.success());
    let path = dir.path().to_path_buf();
    (dir, path)
}

fn s(p: &Path, f: &str) -> String {
    p.join(f).display().to_string()
}

fn expect_error(args: &[&str], message: &str) {
    let (code, _, stderr) = run(args);
    assert_eq!(code, 4, "{args:?}: {stderr}");
    assert!(
        stderr.contains(message),
        "{args:?}:\n{stderr}\nexpected: {message}"
    );
}

fn claims(staff: &str, weighted: &str, extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = [
        "arrs", "claims", "--pcn", "U90000", "--year", "2025/26", "--format", "csv", "--staff",
    ]
    .iter()
    .map(|x| (*x).to_owned())
    .collect();
    v.push(staff.to_owned());
    v.push("--weighted".to_owned());
    v.push(weighted.to_owned());
    v.extend(extra.iter().map(|x| (*x).to_owned()));
    v
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn staff_rows_that_would_change_money_are_errors_naming_line_and_column() {
    let (_keep, d) = demo();
    let map = s(&d, "gp-reg-pat-prac-map.csv");
    let weighted = case("weighted-good.csv");
    for (file, message) in [
        (
            "staff-unknown-role.csv",
            "staff-unknown-role.csv, line 3, field `role`: unknown role \"wizard\"",
        ),
        (
            "staff-wte-above-basis.csv",
            "staff-wte-above-basis.csv, line 3, field `wte`: WTE 1.2 is above 1.0, the full-time basis",
        ),
        (
            "staff-duplicate-id.csv",
            "staff-duplicate-id.csv, line 3, field `id`: staff id \"good\" is already on line 2",
        ),
        (
            "staff-pcn-not-in-map.csv",
            "staff-pcn-not-in-map.csv, line 3, field `pcn`: PCN U99999 is not in the practice map",
        ),
        (
            "staff-nonsense-date.csv",
            "staff-nonsense-date.csv, line 3, field `start`: invalid date \"-026-01-01\"",
        ),
    ] {
        let args = claims(&case(file), &weighted, &["--practice-map", &map]);
        expect_error(&strs(&args), message);
        // Accepted, the good row's money is what it is alone.
        let mut accepted = args.clone();
        accepted.push("--accept-errors".to_owned());
        let (code, with_bad, stderr) = run(&strs(&accepted));
        assert_eq!(code, 0, "{file}: {stderr}");
        assert!(
            stderr.contains(message),
            "{file}: the error is still listed"
        );
        let (code, alone, _) = run(&strs(&claims(
            &case("staff-good.csv"),
            &weighted,
            &["--practice-map", &map],
        )));
        assert_eq!(code, 0);
        assert_eq!(
            with_bad, alone,
            "{file}: a bad row changed the good rows' money"
        );
    }
}

#[test]
fn weighted_populations_are_never_doubled_dropped_silently_or_understated() {
    let (_keep, d) = demo();
    let map = s(&d, "gp-reg-pat-prac-map.csv");
    let staff = case("staff-good.csv");
    let (_, reference, _) = run(&strs(&claims(
        &staff,
        &case("weighted-good.csv"),
        &["--practice-map", &map],
    )));
    assert!(
        reference.contains("main,1364666.44743,60000,60000,0,complete,1304666.44743,"),
        "{reference}"
    );
    // A row of a PCN not in the map is skipped with its line; the figures are unchanged.
    let (code, out, stderr) = run(&strs(&claims(
        &staff,
        &case("weighted-pcn-not-in-map.csv"),
        &["--practice-map", &map],
    )));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr
            .contains("weighted-pcn-not-in-map.csv, line 3: PCN U99999 is not in the practice map"),
        "{stderr}"
    );
    assert_eq!(out, reference);
    expect_error(
        &strs(&claims(
            &staff,
            &case("weighted-duplicate.csv"),
            &["--practice-map", &map],
        )),
        "weighted-duplicate.csv, line 3, field `pcn`: U90000 is already on line 2 (it would be counted twice)",
    );
    // Two of six practices: the PCN's weighted population is unknown, not a sixth of it.
    let (code, out, stderr) = run(&strs(&claims(
        &staff,
        &case("weighted-partial-pcn.csv"),
        &["--practice-map", &map],
    )));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("PCN U90000: no weighted population for member practice(s) Z10060, Z10090, Z10120, Z10150"),
        "{stderr}"
    );
    assert!(
        out.contains("\nmain,,60000,60000,0,complete,,\n"),
        "entitlement and headroom unknown: {out}"
    );
}

#[test]
fn report_inputs_with_rows_that_would_change_figures_are_errors() {
    let (_keep, d) = demo();
    let map = s(&d, "gp-reg-pat-prac-map.csv");
    let out = tempfile::tempdir().unwrap();
    let report = |flag: &str, file: &str| -> Vec<String> {
        [
            "report",
            "--dir",
            out.path().to_str().unwrap(),
            "--practice-map",
            &map,
            flag,
        ]
        .iter()
        .map(|x| (*x).to_owned())
        .chain([case(file)])
        .collect()
    };
    for (flag, file, message) in [
        (
            "--practice-deprivation",
            "deprivation-duplicate.csv",
            "deprivation-duplicate.csv, line 3, field `practice`: Z10000 is already on line 2",
        ),
        (
            "--conditions",
            "counts-negative.csv",
            "counts-negative.csv, line 2, field `count`: invalid patient count \"-3\": negative",
        ),
        (
            "--conditions",
            "counts-duplicate.csv",
            "counts-duplicate.csv, line 3, field `practice`: Z10000 diabetes 40-44 is already on line 2 (it would be counted twice)",
        ),
        (
            "--conditions",
            "counts-empty-count.csv",
            "counts-empty-count.csv, line 2, field `count`: required value is empty",
        ),
        (
            "--conditions",
            "counts-practice-not-in-map.csv",
            "counts-practice-not-in-map.csv, line 2, field `practice`: X99999 is not in the practice map",
        ),
        (
            "--lists",
            "pcn-lists-wrapped-count.csv",
            "pcn-lists-wrapped-count.csv, line 2, field `NUMBER_OF_PATIENTS`: 18446744073709551615 is not a plausible count",
        ),
        (
            "--practice-locations",
            "empty.csv",
            "empty.csv, line 1, field `practice`: required column is missing from the header",
        ),
    ] {
        expect_error(&strs(&report(flag, file)), message);
    }
    // LSOA deciles reach practices only through --practice-lsoa: without it, a usage error.
    let (code, _, stderr) = run(&strs(&report("--lsoas", "empty.csv")));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--lsoas needs --practice-lsoa FILE too"),
        "{stderr}"
    );
}

#[test]
fn practice_maps_compressed_or_straddling_icbs() {
    // gzip is read directly; a ZIP archive is refused with what to do.
    let (code, out, stderr) = run(&[
        "org",
        "import",
        &case("practice-map.csv.gz"),
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(out.ends_with(",2,2,0,0\n"), "{out}");
    let (code, _, stderr) = run(&["org", "import", &case("practice-map.zip")]);
    assert_eq!(code, 4);
    assert!(
        stderr.contains("practice-map.zip: malformed record: this is a ZIP archive: extract the CSV file from it"),
        "{stderr}"
    );
    // A PCN across two ICBs is reported, with both practices kept.
    let (code, out, stderr) = run(&[
        "org",
        "validate",
        "--practice-map",
        &case("map-pcn-across-icbs.csv"),
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        out.contains("Border PCN: member practices are in 2 ICBs (QZY: Z10001; QZZ: Z10000); every practice is kept"),
        "{out}"
    );
    assert!(
        stderr.contains("no list sizes given (--lists FILE): populations are unknown"),
        "{stderr}"
    );
    assert!(
        out.contains("population unknown"),
        "missing lists are findings: {out}"
    );
}

#[test]
fn indicators_never_sum_different_measures_or_read_missing_as_zero() {
    let (_keep, d) = demo();
    let counts = s(&d, "counts.csv");
    expect_error(
        &[
            "indicators",
            "dsr",
            "--input",
            &counts,
            "--count",
            "count",
            "--population",
            "population",
            "--age-band",
            "age_band",
            "--group-by",
            "pcn",
        ],
        "column `measure`: varies within a group and age band (diabetes, hypertension, copd)",
    );
    let (code, out, stderr) = run(&[
        "indicators",
        "dsr",
        "--input",
        &case("dsr-null-count.csv"),
        "--count",
        "count",
        "--population",
        "population",
        "--age-band",
        "age_band",
        "--group-by",
        "area",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[1].starts_with("A,,,,,,95%,")
            && lines[1].ends_with(
                "\"null count or population in the group: missing is not zero, so no value\""
            ),
        "{out}"
    );
    assert!(lines[2].starts_with("B,"), "{out}");
    assert!(!lines[2].contains("missing"), "{out}");
}
