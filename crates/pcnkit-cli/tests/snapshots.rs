//! Snapshots of what users and scripts rely on not changing by accident: every command's
//! `--help`, the report's section structure and the tables it writes, and the columns of the
//! CLI's tables on the demo. A deliberate change is reviewed with `cargo insta review` (or by
//! deleting the snapshot and rerunning) and committed with the code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::ok;

const COMMANDS: &[&[&str]] = &[
    &[],
    &["demo"],
    &["org"],
    &["org", "import"],
    &["org", "snapshot"],
    &["org", "validate"],
    &["arrs"],
    &["arrs", "figures"],
    &["arrs", "entitlement"],
    &["arrs", "claims"],
    &["arrs", "explain"],
    &["arrs", "plan"],
    &["indicators"],
    &["indicators", "proportion"],
    &["indicators", "rate"],
    &["indicators", "mean"],
    &["indicators", "dsr"],
    &["indicators", "isr"],
    &["indicators", "quantile"],
    &["indicators", "sii"],
    &["indicators", "funnel"],
    &["indicators", "life-expectancy"],
    &["indicators", "disclose"],
    &["indicators", "benchmark"],
    &["indicators", "spc"],
    &["indicators", "trend"],
    &["org", "deprivation"],
    &["assets"],
    &["assets", "import"],
    &["assets", "export"],
    &["assets", "coverage"],
    &["assets", "search"],
    &["assets", "harvest"],
    &["plan"],
    &["plan", "leads"],
    &["plan", "chww"],
    &["plan", "link-workers"],
    &["plan", "pharmacy"],
    &["serve"],
    &["report"],
];

#[test]
fn every_help_text() {
    for command in COMMANDS {
        let mut args: Vec<&str> = command.to_vec();
        args.push("--help");
        let name = if command.is_empty() {
            "help".to_owned()
        } else {
            format!("help-{}", command.join("-"))
        };
        insta::assert_snapshot!(name, ok(&args));
    }
}

/// The column names of a CSV output (its header line).
fn header(args: &[&str]) -> String {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--format", "csv"]);
    ok(&all).lines().next().unwrap_or_default().to_owned()
}

#[test]
fn the_columns_of_the_arrs_and_org_tables() {
    let pcn = ["--demo", "--pcn", "U90000", "--year", "2025/26"];
    let tables = [
        (
            "arrs figures",
            header(&["arrs", "figures", "--year", "2025/26"]),
        ),
        (
            "arrs entitlement",
            header(&[
                "arrs",
                "entitlement",
                "--year",
                "2025/26",
                "--weighted",
                "30000",
            ]),
        ),
        (
            "arrs claims",
            header(&[&["arrs", "claims"][..], &pcn].concat()),
        ),
        (
            "arrs claims --lines",
            header(&[&["arrs", "claims"][..], &pcn, &["--lines"]].concat()),
        ),
        (
            "arrs explain",
            header(
                &[
                    &["arrs", "explain"][..],
                    &pcn,
                    &["--staff-id", "U90000-000", "--month", "2025-06"],
                ]
                .concat(),
            ),
        ),
        (
            "arrs plan",
            header(
                &[
                    &["arrs", "plan"][..],
                    &pcn,
                    &["--role", "pharmacy_technician", "--cost", "41000"],
                ]
                .concat(),
            ),
        ),
        ("org snapshot", header(&["org", "snapshot", "--demo"])),
        ("org validate", header(&["org", "validate", "--demo"])),
    ];
    let text: String = tables
        .iter()
        .map(|(name, h)| format!("{name}: {h}\n"))
        .collect();
    insta::assert_snapshot!("table-columns", text);
}

#[test]
fn the_report_structure_and_its_tables() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok(&["report", "--demo", "--dir", d]);
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    // Sections and their headings, in order (the words around them are free to change).
    let mut structure = String::new();
    for part in html.split("<section id=\"").skip(1) {
        let id = part.split('"').next().unwrap_or_default();
        let h2 = part
            .split("<h2>")
            .nth(1)
            .and_then(|h| h.split("</h2>").next())
            .unwrap_or_default();
        structure.push_str(&format!("section {id}: {h2}\n"));
    }
    // Every table written, with its columns.
    // The report lists what it wrote in `.pcnkit-report`.
    let manifest = std::fs::read_to_string(dir.path().join(".pcnkit-report")).unwrap();
    for name in manifest.lines().filter(|n| n.ends_with(".csv")) {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        structure.push_str(&format!(
            "table {name}: {}\n",
            text.lines().next().unwrap_or_default()
        ));
    }
    insta::assert_snapshot!("report-structure", structure);
}
