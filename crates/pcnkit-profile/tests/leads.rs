//! GP population-health lead plans from the files an ICB holds (issue 19): a real ICB from the
//! published practice map and lists, through the one gathering of inputs the CLI and Python use.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pcnkit_plan::leads::LeadPlanConfig;
use pcnkit_profile::leads::{Neighbours, lead_areas, lead_plan};

#[test]
fn a_real_icb_from_the_published_files() {
    let Some(dir) = std::env::var_os("PCNKIT_DATA_DIR").map(std::path::PathBuf::from) else {
        eprintln!("PCNKIT_DATA_DIR is not set: the real-ICB plan is skipped");
        return;
    };
    let map_file = dir.join("gp-registered-patients/gp-reg-pat-prac-map-aug-2026.csv");
    let lists = dir.join("gp-registered-patients/gp-reg-pat-prac-all-jan-2021.csv");
    if !map_file.exists() || !lists.exists() {
        eprintln!("the practice map or lists are missing under PCNKIT_DATA_DIR: skipped");
        return;
    }
    // NHS Cornwall and the Isles of Scilly ICB (QT6), read as published. The shared data's
    // practice lists are January 2021's (the August 2026 file is by region), so populations
    // are those lists under today's PCN map; and with no practice-by-LSOA file, neighbours are
    // the stated proxy (one sub-ICB location), which the findings name.
    let mut files = pcnkit_profile::ProfileFiles::new(&map_file);
    files.lists = Some(lists);
    files.icb = Some("QT6".parse().unwrap());
    let inputs = pcnkit_profile::ProfileInputs::from_files(
        &files,
        pcnkit_profile::Intake::new().accept_errors(true),
    )
    .unwrap();
    let policy = pcnkit_org::rules::PopulationHealthGpPolicy::proposed().unwrap();
    let (areas, map, left_out) = lead_areas(&inputs, Neighbours::FromInputs);
    assert!(areas.len() >= 5, "{} PCNs", areas.len());
    assert!(left_out.is_empty(), "{left_out:?}");
    assert!(map.basis().contains("sub-ICB"));
    let (plan, findings) = lead_plan(
        &inputs,
        Neighbours::FromInputs,
        &LeadPlanConfig::new(policy.clone()),
    )
    .unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for p in &plan.patches {
        assert!(p.pcns.len() <= 3 && p.population <= 100_000, "{p:?}");
        for c in &p.pcns {
            assert!(seen.insert(*c));
        }
    }
    assert_eq!(seen.len(), areas.len());
    let people: u64 = areas.iter().map(|a| a.population).sum();
    assert!(plan.patches.len() as u64 >= people.div_ceil(policy.max_population));
    assert!(findings.iter().any(|f| f.message.contains("sub-ICB")));
    eprintln!(
        "QT6: {} PCNs, {people} patients, {} leads (lower bound {}, optimal {})",
        areas.len(),
        plan.patches.len(),
        plan.lower_bound,
        plan.optimal
    );
}
