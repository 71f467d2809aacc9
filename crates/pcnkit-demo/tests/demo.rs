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

#[test]
fn golden_figures_of_the_health_workforce_and_assets() {
    use pcnkit_demo::Condition;
    let ics = generate(&DemoConfig::default()).unwrap();
    let h = &ics.health;
    let diabetes: u64 = h
        .conditions
        .iter()
        .filter(|c| c.condition == Condition::Diabetes)
        .map(|c| c.patients)
        .sum();
    let admissions: u64 = h.admissions.iter().map(|a| a.admissions).sum();
    let wte: rust_decimal::Decimal = h.staff.iter().map(|s| s.wte.value()).sum();
    let figures = (
        h.lsoas.len(),
        h.assets.len(),
        h.staff.len(),
        diabetes,
        admissions,
        wte.to_string(),
    );
    assert_eq!(
        figures,
        (905, 2000, 581, 63_080, 126_672, "421.7".to_owned())
    );
}

#[test]
fn deprivation_is_spread_as_in_england_and_need_follows_it() {
    use pcnkit_demo::Condition;
    use std::collections::BTreeMap;
    let ics = generate(&DemoConfig::default()).unwrap();
    let h = &ics.health;
    // Each decile holds a tenth of the LSOAs.
    for d in 1..=10u8 {
        let n = h.lsoas.iter().filter(|l| l.imd_decile.get() == d).count();
        assert!((89..=92).contains(&n), "decile {d}: {n}");
    }
    // Every practice's patients are placed in LSOAs, summing to its list.
    let lsoa_total: u64 = h.lsoas.iter().map(|l| l.population).sum();
    assert_eq!(lsoa_total, 1_453_455);
    // Diabetes prevalence: practices serving the most deprived LSOAs have more.
    let decile_of: BTreeMap<_, _> = h.lsoas.iter().map(|l| (l.code, l.imd_decile)).collect();
    let mut practice_decile: BTreeMap<_, (f64, f64)> = BTreeMap::new();
    for r in &h.practice_lsoa {
        let e = practice_decile.entry(r.practice).or_default();
        e.0 += f64::from(decile_of[&r.lsoa].get()) * r.patients.get() as f64;
        e.1 += r.patients.get() as f64;
    }
    let mut cases: BTreeMap<_, u64> = BTreeMap::new();
    for c in h
        .conditions
        .iter()
        .filter(|c| c.condition == Condition::Diabetes)
    {
        *cases.entry(c.practice).or_default() += c.patients;
    }
    let mut rows: Vec<(f64, f64)> = practice_decile
        .iter()
        .map(|(p, (w, n))| (w / n, cases[p] as f64 / n))
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let fifth = rows.len() / 5;
    let mean = |s: &[(f64, f64)]| s.iter().map(|r| r.1).sum::<f64>() / s.len() as f64;
    assert!(mean(&rows[..fifth]) > mean(&rows[rows.len() - fifth..]));
    // The ARRS workforce uses roles the rule tables know.
    let book = pcnkit_arrs::RuleBook::builtin();
    let known: Vec<&str> = book.roles().map(|(id, _)| id).collect();
    for s in &h.staff {
        assert!(known.contains(&s.role.as_str()), "{}", s.role);
    }
    // Assets are valid and placed in the ICS's LSOAs.
    for a in &h.assets {
        a.check().unwrap();
        assert!(decile_of.contains_key(&a.location.lsoa.unwrap()));
    }
}
