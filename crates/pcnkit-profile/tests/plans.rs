//! Workforce plans from a profile's inputs (issue 19): CHWWs proportionate to need, link
//! workers against the register and community pharmacy payments, on the demo ICS and a real
//! ICB, through the one gathering of inputs every front end uses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pcnkit_core::{FinancialYear, Money};
use pcnkit_plan::chww::{ChwwConfig, Weighting, Workforce};
use pcnkit_profile::plans::{
    ChwwLevel, ChwwOptions, PharmacyOptions, PlanOptions, chww_plan, link_workers, pharmacy_plan,
};
use pcnkit_profile::{Profile, ProfileInputs, ProfileOptions};
use rust_decimal::Decimal;

fn demo() -> ProfileInputs {
    ProfileInputs::demo(&pcnkit_demo::DemoConfig::default()).unwrap()
}

#[test]
fn chwws_on_the_demo_by_lsoa_and_by_pcn() {
    let inputs = demo();
    let config = |w| ChwwConfig::new(Workforce::Workers(40), 120, w);
    let pph = Decimal::new(24, 1);
    let equal = chww_plan(
        &inputs,
        &ChwwOptions::new(ChwwLevel::Lsoa, pph, config(Weighting::Equal)),
    )
    .unwrap()
    .0;
    let prop = chww_plan(
        &inputs,
        &ChwwOptions::new(ChwwLevel::Lsoa, pph, config(Weighting::Proportionate)),
    )
    .unwrap()
    .0;
    assert_eq!(equal.workers_placed, 40);
    assert_eq!(prop.workers_placed, 40);
    // Proportionate to need: the most deprived fifth is better covered than under an equal
    // share, and the slope of coverage tips towards the deprived.
    let q_eq = equal.most_deprived_quintile_coverage.unwrap();
    let q_pr = prop.most_deprived_quintile_coverage.unwrap();
    assert!(q_pr > q_eq, "{q_pr} vs {q_eq}");
    assert!(prop.sii.unwrap() < equal.sii.unwrap());
    assert!(prop.decile_basis.contains("national"));
    // By PCN: deciles among the demo's PCNs, the findings naming the households' basis.
    let (by_pcn, findings) = chww_plan(
        &inputs,
        &ChwwOptions::new(ChwwLevel::Pcn, pph, config(Weighting::Proportionate)),
    )
    .unwrap();
    assert_eq!(by_pcn.areas.len(), inputs.pcns.len());
    assert!(by_pcn.decile_basis.contains("PCNs"));
    assert!(findings.iter().any(|f| f.rule == "plan.chww.households"));
    assert!(findings.iter().any(|f| f.rule == "plan.chww.patch"));
}

#[test]
fn link_workers_and_pharmacies_on_the_demo() {
    let inputs = demo();
    let rows = link_workers(&inputs, 1000.0, 0.05).unwrap().unwrap();
    assert_eq!(rows.len(), inputs.pcns.len());
    assert!(
        rows.iter().any(|r| r.assets_per_worker.is_some()),
        "{rows:?}"
    );
    for r in &rows {
        // Per worker only with a worker; never a division by zero WTE.
        assert_eq!(
            r.assets_per_worker.is_some(),
            !r.link_workers.is_zero() && r.assets_within.is_some()
        );
    }
    let schemes = pcnkit_plan::pharmacy::PharmacySchemes::builtin().unwrap();
    let o = PharmacyOptions::new(
        "cpcs",
        FinancialYear::from_start_year_const(2022),
        Decimal::from(10),
    );
    let (rows, _) = pharmacy_plan(&inputs, &schemes, &o, 1000.0, 0.05).unwrap();
    for r in &rows {
        let p = r.patients.unwrap();
        // 10 a year per 1,000 patients × £14.
        assert_eq!(
            r.estimate.payment,
            Some(Money::from_pounds(
                Decimal::from(p) * Decimal::from(14) / Decimal::from(100)
            ))
        );
        let levels = r.hlp_levels.unwrap();
        assert_eq!(levels.iter().sum::<u64>(), r.pharmacies.unwrap());
        assert_eq!(levels[3], 0, "every demo pharmacy has its level");
    }
    assert!(rows.iter().any(|r| r.pharmacies.unwrap() > 0));
}

#[test]
fn the_demo_profile_carries_the_plans() {
    let mut options = ProfileOptions::default();
    options.plans = PlanOptions::demo_illustration();
    let profile = Profile::new(demo(), &options).unwrap();
    let names: Vec<String> = profile.tables().unwrap().into_iter().map(|t| t.0).collect();
    for t in [
        "plan_leads",
        "plan_chww_areas",
        "plan_chww_deciles",
        "plan_chww_summary",
        "plan_link_workers",
        "plan_pharmacy",
    ] {
        assert!(names.iter().any(|n| n == t), "{t} missing from {names:?}");
    }
    // By default, only the lead plan (the others need the planner's figures).
    let profile = Profile::new(demo(), &ProfileOptions::default()).unwrap();
    assert!(profile.plans.leads.is_some());
    assert!(profile.plans.chww.is_none() && profile.plans.pharmacy.is_none());
}

#[test]
fn a_real_icb_from_the_published_files() {
    let Some(dir) = std::env::var_os("PCNKIT_DATA_DIR").map(std::path::PathBuf::from) else {
        eprintln!("PCNKIT_DATA_DIR is not set: the real-ICB plans are skipped");
        return;
    };
    let map_file = dir.join("gp-registered-patients/gp-reg-pat-prac-map-aug-2026.csv");
    let lists = dir.join("gp-registered-patients/gp-reg-pat-prac-all-jan-2021.csv");
    let imd = dir.join("practice-indicators/fingertips-93553-practice-imd-score.csv");
    if !map_file.exists() || !lists.exists() || !imd.exists() {
        eprintln!("the practice map, lists or practice IMD scores are missing: skipped");
        return;
    }
    // NHS Cornwall and the Isles of Scilly (QT6): PCNs from the published map, patients from
    // the January 2021 lists (the shared data has none later by practice), deprivation from
    // OHID Fingertips' practice IMD scores. No LSOA populations or pharmacy list are in the
    // shared data, so the CHWWs are planned by PCN and the pharmacies' count is unknown.
    let mut files = pcnkit_profile::ProfileFiles::new(&map_file);
    files.lists = Some(lists);
    files.practice_deprivation = Some(imd);
    files.icb = Some("QT6".parse().unwrap());
    let inputs =
        ProfileInputs::from_files(&files, pcnkit_profile::Intake::new().accept_errors(true))
            .unwrap();
    let options = ChwwOptions::new(
        ChwwLevel::Pcn,
        Decimal::new(23, 1),
        ChwwConfig::new(
            Workforce::Budget {
                budget: Money::from_pounds(Decimal::from(1_000_000)),
                cost_per_worker: Money::from_pounds(Decimal::from(30_000)),
            },
            120,
            Weighting::Proportionate,
        ),
    );
    let (plan, _) = chww_plan(&inputs, &options).unwrap();
    assert_eq!(plan.workers, 33);
    assert_eq!(plan.workers_placed, 33);
    assert_eq!(
        plan.budget_left,
        Some(Money::from_pounds(Decimal::from(10_000)))
    );
    assert!(plan.areas.len() >= 5);
    let d1: u64 = plan.deciles[0].workers;
    let d10: u64 = plan.deciles[9].workers;
    assert!(d1 >= d10, "decile 1 {d1} workers, decile 10 {d10}");
    eprintln!(
        "QT6 CHWWs: {} PCNs, {} households, quintile 1 coverage {:?}, SII {:?}",
        plan.areas.len(),
        plan.households,
        plan.most_deprived_quintile_coverage,
        plan.sii
    );
    let schemes = pcnkit_plan::pharmacy::PharmacySchemes::builtin().unwrap();
    let o = PharmacyOptions::new(
        "cpcs",
        FinancialYear::from_start_year_const(2021),
        Decimal::from(10),
    );
    let (rows, _) = pharmacy_plan(&inputs, &schemes, &o, 1000.0, 0.05).unwrap();
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(r.pharmacies, None, "no register: unknown, not 0");
        if let Some(p) = r.patients {
            assert_eq!(
                r.estimate.payment,
                Some(Money::from_pounds(
                    Decimal::from(p) * Decimal::from(14) / Decimal::from(100)
                ))
            );
        }
    }
}
