//! The demo ICS is deterministic and shaped as documented.
#![allow(clippy::unwrap_used)]

use pcnkit_core::{AgeBandScheme, Sex};
use pcnkit_demo::{DemoConfig, generate};
use pcnkit_org::Level;

#[test]
fn same_seed_same_ics() {
    let a = generate(&DemoConfig::default()).unwrap();
    let b = generate(&DemoConfig::default()).unwrap();
    assert_eq!(a.list_sizes, b.list_sizes);
    let mut other = DemoConfig::default();
    other.seed += 1;
    assert_ne!(generate(&other).unwrap().list_sizes, a.list_sizes);
}

#[test]
fn golden_figures_of_the_default_demo() {
    // A change here must be deliberate: the report, examples and notebooks are built on them.
    let ics = generate(&DemoConfig::default()).unwrap();
    let r = &ics.registry;
    let date = ics.extract_date;
    assert_eq!(r.practices().count(), 180);
    assert_eq!(r.pcns().count(), 30);
    assert_eq!(r.sub_icbs().len(), 5);
    let total: u64 = r
        .rollup(Level::Icb, date)
        .unwrap()
        .iter()
        .map(|a| a.patients.get())
        .sum();
    let first_pcn = r.pcns().next().unwrap().code;
    let first = r.population(first_pcn, date).unwrap().get();
    assert_eq!((total, first), (1_453_455, 49_751));
}

#[test]
fn lists_have_all_19_bands_for_both_sexes() {
    let ics = generate(&DemoConfig::default()).unwrap();
    let r = &ics.registry;
    let pcn = r.pcns().next().unwrap().code;
    let cells = r
        .population_by_age_sex(pcn, ics.extract_date, &AgeBandScheme::esp2013())
        .unwrap();
    assert_eq!(cells.len(), 38);
    let women_90: u64 = cells
        .iter()
        .filter(|c| c.sex == Sex::Female && c.age_band.lower() == 90)
        .map(|c| c.patients.get())
        .sum();
    let men_90: u64 = cells
        .iter()
        .filter(|c| c.sex == Sex::Male && c.age_band.lower() == 90)
        .map(|c| c.patients.get())
        .sum();
    assert!(women_90 > men_90);
}
