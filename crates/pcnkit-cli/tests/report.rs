//! `pcnkit report`: the page, its tables from the demo and from files, bad inputs named, the
//! real NHS files, one report per folder.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::{fails, ok};

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
        "Trends: control charts",
        "Workforce plans",
    ] {
        assert!(html.contains(&format!("<h2>{section}</h2>")), "{section}");
    }
    // Every chart has a title, a caption and a "how to read this" line; no network, no NaN.
    let icons = html.matches("<svg class=\"icon\"").count();
    let charts = html.matches("<svg ").count() - icons;
    // 30 pyramids, 7 charts, 3 control charts (the ICS's appointments and the two PCNs whose
    // latest month is special cause), 2 deprivation colour legends and the CHWW coverage.
    assert_eq!(charts, 43);
    // Variation icons: one per PCN in the table and one above each control chart.
    assert_eq!(icons, 33);
    assert_eq!(
        html.matches("role=\"img\" aria-label=").count(),
        charts + icons
    );
    assert_eq!(html.matches("<figcaption>").count(), 11);
    assert_eq!(html.matches("How to read this:").count(), 13);
    // The plans: every one shown on the demo, with its illustrative figures said.
    for h in [
        "GP population-health leads",
        "Community health and wellbeing workers",
        "Social prescribing link workers and the register",
        "Community pharmacy",
    ] {
        assert!(html.contains(&format!("<h3>{h}</h3>")), "{h}");
    }
    assert!(html.contains("illustrative figures for the synthetic demo"));
    assert!(html.contains("Households covered by IMD decile"));
    assert!(!html.contains("NaN"));
    // The only URL is the SVG namespace: nothing is fetched.
    assert_eq!(html.matches("http://").count(), charts);
    // Sources are cited as text (the pharmacy fee's addresses), never linked or loaded.
    assert!(!html.contains("<script") && !html.contains("=\"https://"));
    assert!(html.contains("<th scope=\"col\">"));
    for t in [
        "pcn_overview",
        "arrs",
        "diabetes_dsr_by_pcn",
        "diabetes_funnel_limits",
        "diabetes_sii",
        "assets_by_quintile",
        "plan_leads",
        "plan_chww_deciles",
        "plan_pharmacy",
        "plan_link_workers",
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
    // The funnel's overdispersion is estimated and said.
    assert!(html.contains("estimated φ̂ = "));
    // The demo's planted yearly trends are found and marked.
    assert!(html.contains("Increasing and getting better"));
    assert!(html.contains("Decreasing and getting worse"));
    assert!(html.contains("Outlier found"));
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
        ("--activity", "appointments.csv"),
        ("--yearly", "yearly.csv"),
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
    // The plans' figures given alike to both (the demo's own illustration is for --demo alone).
    let plan = [
        "--chww-level",
        "lsoa",
        "--chww-workers",
        "150",
        "--households-per-worker",
        "100",
        "--persons-per-household",
        "2.3",
        "--pharmacy-scheme",
        "cpcs",
        "--pharmacy-year",
        "2021/22",
        "--referrals-per-1000",
        "8",
    ];
    let mut demo = vec!["report", "--demo", "--dir", a.path().to_str().unwrap()];
    demo.extend(plan);
    ok(&demo);
    let mut args = vec![
        "report".to_owned(),
        "--dir".to_owned(),
        b.path().display().to_string(),
    ];
    args.extend(demo_file_flags(files.path()));
    args.extend(plan.iter().map(|s| (*s).to_owned()));
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
    assert_eq!(compared, 28);
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
        "(--yearly FILE)",
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
    let header = lines.next().unwrap();
    let at = header.split(',').position(|h| h == "imd_decile").unwrap();
    let mut out = format!("{header}\n");
    for line in lines {
        let mut fields: Vec<&str> = line.split(',').collect();
        fields[at] = "1";
        out.push_str(&fields.join(","));
        out.push('\n');
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
