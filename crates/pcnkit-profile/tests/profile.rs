//! The profile of the demo ICS and of small hand-made inputs: every table present with its
//! schema fixed, unknowns null with their reason.

#![allow(clippy::unwrap_used, clippy::panic)]

use arrow_array::RecordBatch;
use pcnkit_profile::{Profile, ProfileInputs, ProfileOptions, SiiOutcome};

fn demo() -> Profile {
    let inputs = ProfileInputs::demo(&pcnkit_demo::DemoConfig::default()).unwrap();
    Profile::new(inputs, &ProfileOptions::default()).unwrap()
}

fn schema_text(b: &RecordBatch) -> String {
    b.schema()
        .fields()
        .iter()
        .map(|f| {
            format!(
                "{}: {}{}",
                f.name(),
                f.data_type(),
                if f.is_nullable() { "?" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn demo_profile_has_every_table_with_a_fixed_schema() {
    let p = demo();
    let tables = p.tables().unwrap();
    let mut text = String::new();
    for (name, t) in &tables {
        text.push_str(&format!("## {name}\n{}\n\n", schema_text(t)));
    }
    insta::assert_snapshot!("demo_table_schemas", text);
    let names: Vec<&str> = tables.iter().map(|t| t.0.as_str()).collect();
    for n in [
        "inputs",
        "pcn_overview",
        "pcn_population_by_age_sex",
        "arrs",
        "arrs_plan",
        "diabetes_dsr_by_pcn",
        "diabetes_sii",
        "assets_by_pcn",
        "assets_by_quintile",
        "findings",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    // Every PCN in the overview, each with a known population in the demo.
    assert_eq!(p.overview.pcns.len(), tables[1].1.num_rows());
    assert!(p.overview.pcns.iter().all(|o| o.patients.is_some()));
    let ind = p.indicators.as_ref().unwrap();
    assert_eq!(ind.by_quintile.len(), 5);
    assert!(matches!(ind.sii, SiiOutcome::Computed { .. }));
    assert!(!ind.points.is_empty(), "the funnel has its PCNs");
}

#[test]
fn the_same_inputs_give_the_same_tables() {
    let a = demo().tables().unwrap();
    let b = demo().tables().unwrap();
    assert_eq!(a, b);
}

#[test]
fn a_missing_quintile_gives_a_null_sii_with_its_reason_not_a_shifted_one() {
    let mut inputs = ProfileInputs::demo(&pcnkit_demo::DemoConfig::default()).unwrap();
    // Every practice of the least deprived quintile loses its deprivation.
    inputs
        .practice_decile
        .retain(|_, d| d.mean().is_some_and(|m| m <= 8.0));
    let p = Profile::new(inputs, &ProfileOptions::default()).unwrap();
    let ind = p.indicators.as_ref().unwrap();
    assert!(ind.by_quintile.iter().all(|q| q.quintile.get() < 5));
    let SiiOutcome::NotComputed(why) = &ind.sii else {
        panic!("an SII from four quintiles: {:?}", ind.sii)
    };
    assert!(!why.is_empty());
    assert!(ind.gap.is_none());
    let tables = p.tables().unwrap();
    let sii = &tables.iter().find(|t| t.0 == "diabetes_sii").unwrap().1;
    assert_eq!(sii.num_rows(), 1);
    assert!(sii.column_by_name("sii").unwrap().is_null(0));
    assert!(!sii.column_by_name("note").unwrap().is_null(0));
}

#[test]
fn without_lists_populations_are_unknown_never_zero() {
    let mut inputs = ProfileInputs::demo(&pcnkit_demo::DemoConfig::default()).unwrap();
    for v in inputs.population.values_mut() {
        *v = None;
    }
    let p = Profile::new(inputs, &ProfileOptions::default()).unwrap();
    assert_eq!(p.overview.unknown_patients(), p.overview.pcns.len());
    let t = p.overview.table().unwrap();
    assert_eq!(
        t.column_by_name("patients").unwrap().null_count(),
        t.num_rows()
    );
    let assets = p.assets.as_ref().unwrap();
    assert!(
        assets
            .by_pcn
            .iter()
            .all(|r| r.per_1000.is_none() && r.note.is_some())
    );
}

#[test]
fn disclosure_control_protects_the_indicator_counts_and_says_so() {
    let inputs = ProfileInputs::demo(&pcnkit_demo::DemoConfig::default()).unwrap();
    let mut options = ProfileOptions::default();
    options.disclosure = Some("opensafely".parse().unwrap());
    let p = Profile::new(inputs, &options).unwrap();
    let tables = p.tables().unwrap();
    for name in [
        "diabetes_dsr_by_pcn",
        "diabetes_funnel_significance",
        "diabetes_dsr_by_quintile",
    ] {
        let t = &tables.iter().find(|t| t.0 == name).unwrap().1;
        let counts = t.column_by_name("count").unwrap();
        let counts = counts
            .as_any()
            .downcast_ref::<arrow_array::UInt64Array>()
            .unwrap();
        assert!(
            counts.iter().flatten().all(|c| c % 5 == 0 && c > 7),
            "{name}"
        );
        assert!(t.column_by_name("disclosure_note").is_some(), "{name}");
    }
    assert_eq!(p.disclosure.as_ref().unwrap().name, "opensafely");
}
