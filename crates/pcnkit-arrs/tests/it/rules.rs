use pcnkit_arrs::rules::*;
use pcnkit_core::FinancialYear;

#[test]
fn builtin_tables_load_for_every_year() {
    // What makes `RuleBook::builtin()` infallible: every compiled-in file loads and passes the
    // checks, here, before any release.
    let book = RuleBook::builtin();
    book.check().unwrap();
    let years: Vec<String> = book.years().map(|y| y.to_string()).collect();
    assert_eq!(
        years,
        [
            "2019/20", "2020/21", "2021/22", "2022/23", "2023/24", "2024/25", "2025/26", "2026/27"
        ]
    );
    for y in book.years() {
        let figures = book.figures(y).unwrap();
        assert!(!figures.is_empty());
        for f in &figures {
            match f.amount {
                Some(_) => assert!(
                    f.provenance.confidence.is_some() && !f.provenance.sources.is_empty(),
                    "{y} {f:?}"
                ),
                None => assert!(f.provenance.note.is_some(), "{y} {f:?}"),
            }
        }
    }
}

#[test]
fn figures_are_listed_with_their_sources() {
    let book = RuleBook::builtin();
    let figures = book
        .figures("2024/25".parse::<FinancialYear>().unwrap())
        .unwrap();
    let cp = figures
        .iter()
        .find(|f| f.what == "Clinical pharmacist: maximum per WTE from 2024-10-01")
        .unwrap();
    assert_eq!(cp.amount, Some(65838.into()));
    assert_eq!(cp.provenance.confidence, Some(Confidence::S));
    assert_eq!(
        cp.provenance.sources[0].title,
        "The Pharmacist, PCNs can claim more per ARRS role but no overall funding increase"
    );
    let nf = figures
        .iter()
        .find(|f| f.what == "Clinical pharmacist: maximum per WTE from 2024-04-01")
        .unwrap();
    assert_eq!(nf.amount, None);
    assert!(nf.provenance.note.as_deref().unwrap().starts_with("NF"));
    let gp_london = figures.iter().find(|f| f.what == "General practitioner (within 2 years of CCT): London maximum per WTE from 2024-10-01").unwrap();
    assert_eq!(gp_london.amount, Some(95233.into()));
}

#[test]
fn roles_know_when_they_became_reimbursable() {
    let book = RuleBook::builtin();
    assert_eq!(
        book.role_info("gp").unwrap().first_reimbursable.date,
        crate::d(2024, 10, 1)
    );
    assert_eq!(
        book.role_info("gp").unwrap().first_reimbursable.confidence,
        Confidence::P
    );
    assert_eq!(
        book.role_info("nursing_associate")
            .unwrap()
            .first_reimbursable
            .date,
        crate::d(2020, 10, 1)
    );
    assert!(book.role_info("community_development_worker").is_err());
    assert_eq!(book.roles().count(), 24);
}

const PROPOSAL: &str = r#"
year = "2025/26"
snapshot = { date = "2025-01-01", confidence = "S2", sources = ["PULSE-CN"] }
additionality = { date = "2019-03-31", confidence = "S2", sources = ["MIP-EXPLAINER"] }
underspend = { confidence = "Proposal", sources = ["SEED"], note = "as national rules" }
default_percent = { amount = "100", confidence = "Proposal", sources = ["SEED"] }

[sources.SEED]
title = "Seed policy proposal: community development workers in ARRS"

[new_roles.community_development_worker]
name = "Community development worker"
afc_band = "5"
first_reimbursable = { date = "2025-04-01", confidence = "Proposal", sources = ["SEED"] }

[[pools]]
id = "main"
name = "Additional Roles Reimbursement Sum"
rates = [{ basis = "weighted", per = "year", amount = "26.631", confidence = "S2", sources = ["PULSE-CN"] }]

[[roles]]
id = "community_development_worker"
maxima = [{ effective_from = "2025-04-01", national = { amount = "43352", confidence = "Proposal", sources = ["SEED"], note = "priced at band 5 as the pharmacy technician" } }]
"#;

#[test]
fn a_proposed_rule_file_adds_a_role() {
    let book = RuleBook::builtin()
        .clone()
        .with_year_toml("proposal.toml", PROPOSAL)
        .unwrap();
    assert_eq!(
        book.role_info("community_development_worker").unwrap().name,
        "Community development worker"
    );
    let set = book.year("2025/26".parse().unwrap()).unwrap();
    assert_eq!(
        set.roles.len(),
        1,
        "the proposal replaces the year as a whole"
    );
    let figures = book.figures(set.year).unwrap();
    assert!(
        figures
            .iter()
            .any(|f| f.provenance.confidence == Some(Confidence::Proposal))
    );
}

#[test]
fn bad_rule_files_are_typed_errors_naming_the_place() {
    let book = RuleBook::builtin().clone();
    let err = book
        .clone()
        .with_year_toml("bad.toml", "year = \"2025/26\"\nsnapshot = 3")
        .unwrap_err();
    assert!(err.to_string().starts_with("bad.toml: line 2:"), "{err}");
    let unsourced = PROPOSAL.replace(
        r#"amount = "43352", confidence = "Proposal", sources = ["SEED"],"#,
        r#"amount = "43352","#,
    );
    let err = book
        .clone()
        .with_year_toml("unsourced.toml", &unsourced)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "unsourced.toml: roles[0] (community_development_worker).maxima[0].national: a figure needs a confidence mark"
    );
    let outside = PROPOSAL.replace(
        r#"effective_from = "2025-04-01", national"#,
        r#"effective_from = "2026-04-01", national"#,
    );
    let err = book
        .clone()
        .with_year_toml("outside.toml", &outside)
        .unwrap_err();
    assert!(
        err.to_string().contains("2026-04-01 is outside 2025/26"),
        "{err}"
    );
    let unknown = PROPOSAL.replace(
        "[[roles]]\nid = \"community_development_worker\"",
        "[[roles]]\nid = \"astronaut\"",
    );
    let err = book.with_year_toml("unknown.toml", &unknown).unwrap_err();
    assert!(
        err.to_string().contains("unknown role `astronaut`"),
        "{err}"
    );
}
