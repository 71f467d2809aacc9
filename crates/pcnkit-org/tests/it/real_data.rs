//! The importers on the real NHS files in `$PCNKIT_DATA_DIR` (skipped with a message when the
//! variable is unset or the folder is absent).

use std::path::PathBuf;

use pcnkit_core::{AgeBandScheme, PcnCode, PracticeCode};
use pcnkit_org::Level;
use pcnkit_org::import::*;

use crate::d;

fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PCNKIT_DATA_DIR").map(PathBuf::from);
    match dir {
        Some(dir) if dir.is_dir() => Some(dir),
        _ => {
            println!(
                "SKIPPED: PCNKIT_DATA_DIR is not set to the shared data folder; real-file tests skipped"
            );
            None
        }
    }
}

fn options(path: &std::path::Path) -> ImportOptions<'static> {
    ImportOptions::new(path.display().to_string())
}

#[test]
fn epraccur_reads_every_row() {
    let Some(dir) = data_dir() else { return };
    let path = dir.join("ods-epraccur/epraccur.csv");
    let imported = read_epraccur(open(&path).unwrap(), options(&path)).unwrap();
    for e in imported.errors.iter().take(20) {
        println!("{e}");
    }
    assert_eq!(imported.rows, 16_534);
    assert!(
        imported.errors.is_empty(),
        "{} bad rows",
        imported.errors.len()
    );
    let gp: Vec<_> = imported
        .records
        .iter()
        .filter(|r| r.is_gp_practice())
        .collect();
    let active = gp
        .iter()
        .filter(|r| r.status == pcnkit_org::PracticeStatus::Active)
        .count();
    assert_eq!(
        active, 6_651,
        "the data-standards note counts 6,651 active GP practices"
    );
    for r in gp {
        r.to_practice().unwrap();
    }
}

#[test]
fn epcn_files_read_and_build_a_registry() {
    let Some(dir) = data_dir() else { return };
    let details_path = dir.join("ods-epcn/epcn_pcn_details.csv");
    let members_path = dir.join("ods-epcn/epcn_core_partner_details.csv");
    let pcns = read_epcn_details(open(&details_path).unwrap(), options(&details_path)).unwrap();
    let members = read_epcn_members(open(&members_path).unwrap(), options(&members_path)).unwrap();
    assert!(
        pcns.errors.is_empty(),
        "{:?}",
        &pcns.errors[..pcns.errors.len().min(5)]
    );
    assert!(
        members.errors.is_empty(),
        "{:?}",
        &members.errors[..members.errors.len().min(5)]
    );
    assert_eq!(pcns.records.len(), 1_250);
    assert_eq!(members.records.len(), 6_757);
    assert_eq!(
        members
            .records
            .iter()
            .filter(|m| m.same_sub_icb == Some(false))
            .count(),
        30
    );

    let mut b = pcnkit_org::Registry::builder();
    for pcn in pcns.records {
        b.pcn(pcn);
    }
    for m in &members.records {
        b.practice(pcnkit_org::Practice::new(
            m.practice,
            m.practice_name.clone(),
        ));
        b.membership(m.to_membership());
    }
    let registry = b.build().unwrap();
    let whinfield = PracticeCode::new("A83005").unwrap();
    assert_eq!(
        registry.pcn_of(whinfield, d(2019, 12, 4)),
        PcnCode::new("U45102").ok()
    );
    assert_eq!(
        registry.pcn_of(whinfield, d(2019, 9, 30)),
        None,
        "PCNs opened on 1 Oct 2019"
    );
}

#[test]
fn registered_patient_files_read_and_agree_with_published_totals() {
    let Some(dir) = data_dir() else { return };
    let path = dir.join("gp-registered-patients/gp-reg-pat-prac-all-jan-2021.csv");
    let all = read_registered_patients(open(&path).unwrap(), options(&path)).unwrap();
    assert!(
        all.errors.is_empty(),
        "{:?}",
        &all.errors[..all.errors.len().min(5)]
    );
    let total: u64 = all.records.iter().map(|r| r.patients.get()).sum();
    assert_eq!(total, 60_606_345, "SOURCE.md total for January 2021");

    let path = dir.join("gp-registered-patients/gp-reg-pat-prac-sing-age-regions-aug-2026.csv");
    let mut calls = 0;
    let regions = read_registered_patients(
        open(&path).unwrap(),
        options(&path).on_progress(100_000, |_| calls += 1),
    )
    .unwrap();
    assert!(calls >= 3, "progress reported {calls} times");
    assert!(
        regions.errors.is_empty(),
        "{:?}",
        &regions.errors[..regions.errors.len().min(5)]
    );
    assert_eq!(regions.rows, 282_253);
    let england: u64 = regions
        .records
        .iter()
        .filter(|r| matches!(r.org, OrgRef::Region(_)) && r.sex.is_none() && r.age_band.is_none())
        .map(|r| r.patients.get())
        .sum();
    assert_eq!(
        england, 63_237_908,
        "SOURCE.md England total for August 2026"
    );
    // PCN single years regroup into the 19 ESP2013 bands.
    let esp = AgeBandScheme::esp2013();
    for r in regions
        .records
        .iter()
        .filter(|r| matches!(r.org, OrgRef::Pcn(_)))
    {
        if let Some(band) = r.age_band {
            esp.band_containing(band).unwrap();
        }
    }
}

#[test]
fn practice_map_builds_a_national_registry_with_rollups() {
    let Some(dir) = data_dir() else { return };
    let path = dir.join("gp-registered-patients/gp-reg-pat-prac-map-aug-2026.csv");
    let map = read_practice_map(open(&path).unwrap(), options(&path)).unwrap();
    assert!(
        map.errors.is_empty(),
        "{:?}",
        &map.errors[..map.errors.len().min(5)]
    );
    assert_eq!(map.records.len(), 6_129);
    assert_eq!(
        map.records.iter().filter(|r| r.pcn.is_none()).count(),
        52,
        "pseudo-code U rows"
    );
    let registry = registry_from_practice_map(&map.records).build().unwrap();
    let date = d(2026, 8, 1);
    assert_eq!(
        registry.pcn_of(PracticeCode::new("A81001").unwrap(), date),
        PcnCode::new("U89141").ok()
    );
    assert_eq!(registry.pcns().count(), 1_298);
    assert_eq!(registry.icbs().count(), 36);
    assert_eq!(registry.regions().count(), 7);
    let pcns = registry.rollup(Level::Pcn, date).unwrap();
    assert_eq!(pcns.iter().map(|a| a.practices).sum::<u32>(), 6_129);
}

#[test]
fn geography_lookups_read() {
    let Some(dir) = data_dir() else { return };
    let path = dir.join("geography/regions_lsoa_ew.csv");
    let lsoa = read_lsoa_sub_icb_lookup(open(&path).unwrap(), options(&path)).unwrap();
    assert!(
        lsoa.errors.is_empty(),
        "{:?}",
        &lsoa.errors[..lsoa.errors.len().min(5)]
    );
    assert_eq!(lsoa.records.len(), 32_844, "every English 2011 LSOA");
    assert_eq!(
        lsoa.skipped.len(),
        1_909,
        "Welsh LSOAs, skipped with a reason"
    );
    let path = dir.join("geography/regions_ew.csv");
    let subs = read_sub_icb_lookup(open(&path).unwrap(), options(&path)).unwrap();
    assert!(
        subs.errors.is_empty(),
        "{:?}",
        &subs.errors[..subs.errors.len().min(5)]
    );
    assert_eq!(subs.records.len(), 106);
    assert_eq!(subs.skipped.len(), 7);
    assert!(subs.records.iter().all(|s| s.ons_icb.is_some()));
    let with_ods = subs.records.iter().filter(|s| s.code.is_some()).count();
    assert!(
        with_ods >= 100,
        "{with_ods} sub-ICB names end in an ODS code"
    );
}
