//! `pcnkit indicators`: every method, its errors, and the options users of the R package rely
//! on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::{fails, ok};

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
