//! Population-weighted deprivation: hand-computed scores and deciles, re-ranking within ICBs,
//! patients in unknown LSOAs counted and not guessed, releases named and never mixed, and the
//! LSOA reader matching IoD2019's and IoD2025's headers by meaning (the real IoD2019 file from
//! `$PCNKIT_DATA_DIR` when present).

use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt8Type};
use pcnkit_core::{ImdRelease, LsoaCode, PatientCount, PracticeCode};
use pcnkit_org::PracticeLsoaRecord;
use pcnkit_org::deprivation::{DeprivationInputs, RankedBy, population_weighted};
use pcnkit_org::import::{ImportOptions, LsoaDeprivation, read_lsoa_deprivation};

use crate::d;

fn lsoas(csv: &str, file: &str) -> Vec<LsoaDeprivation> {
    let read = read_lsoa_deprivation(csv.as_bytes(), ImportOptions::new(file)).unwrap();
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    read.records
}

fn rec(practice: &str, lsoa: &str, n: u64) -> PracticeLsoaRecord {
    PracticeLsoaRecord::new(
        practice.parse::<PracticeCode>().unwrap(),
        d(2026, 8, 1),
        lsoa.parse::<LsoaCode>().unwrap(),
        PatientCount(n),
    )
}

const IOD2025_HEADER: &str = "LSOA code (2021),LSOA name (2021),Local Authority District code (2024),Local Authority District name (2024),Index of Multiple Deprivation (IMD) Score,Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived),Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs),Income Score (rate)";

#[test]
fn scores_are_weighted_by_where_patients_live() {
    let l = lsoas(
        &format!(
            "{IOD2025_HEADER}\nE01000001,a,E09000001,x,40.0,100,1,0.5\nE01000002,b,E09000001,x,10.0,25000,8,0.01\n"
        ),
        "File_5_IoD2025_Scores.csv",
    );
    assert_eq!(l[0].release, ImdRelease::Iod2025);
    assert_eq!(
        l[0].imd_score,
        Some(40.0),
        "the IMD score, not the income score"
    );
    assert_eq!(l[1].imd_rank, Some(25000));
    let lists = [
        rec("A81001", "E01000001", 100),
        rec("A81001", "E01000002", 300),
        // B: half its patients in an LSOA the file lacks.
        rec("A81002", "E01000001", 50),
        rec("A81002", "E01099999", 50),
    ];
    let dep = population_weighted(DeprivationInputs::new(&lists, &l)).unwrap();
    assert_eq!(dep.ranked_by, RankedBy::Score);
    let a = &dep.practices[&"A81001".parse().unwrap()];
    // (100 × 40 + 300 × 10) / 400 = 17.5; deciles (100 × 1 + 300 × 8) / 400 = 6.25.
    assert_eq!(a.score, Some(17.5));
    assert_eq!(a.mean_decile, Some(6.25));
    let b = &dep.practices[&"A81002".parse().unwrap()];
    assert_eq!((b.patients, b.patients_matched), (100, 50));
    assert_eq!(b.score, Some(40.0), "over the matched patients only");
    assert_eq!(dep.unmatched.values().sum::<u64>(), 50);
    // Two practices: the more deprived (B) is decile ⌈10·1/2⌉ = 5, A decile 10.
    assert_eq!(b.national.unwrap().decile.get(), 5);
    assert_eq!(a.national.unwrap().decile.get(), 10);
    assert_eq!(a.national.unwrap().quintile.get(), 5);
    let t = dep.table().unwrap();
    assert_eq!(
        t.column_by_name("release")
            .unwrap()
            .as_string::<i32>()
            .value(0),
        "English Indices of Deprivation 2025 (2021 LSOAs)"
    );
    assert_eq!(
        t.column_by_name("imd_score")
            .unwrap()
            .as_primitive::<Float64Type>()
            .value(0),
        17.5
    );
}

#[test]
fn an_area_without_matched_patients_has_no_figure_and_releases_are_not_mixed() {
    let mut l = lsoas(
        "lsoa,imd_decile,imd_score,imd_release\nE01000001,2,30.5,IoD2019\n",
        "mine.csv",
    );
    assert_eq!(l[0].release, ImdRelease::Iod2019);
    let lists = [
        rec("A81001", "E01000001", 10),
        rec("A81002", "E01000009", 10),
    ];
    let dep = population_weighted(DeprivationInputs::new(&lists, &l)).unwrap();
    let none = &dep.practices[&"A81002".parse().unwrap()];
    assert_eq!(
        (none.score, none.mean_decile, none.national),
        (None, None, None)
    );
    let t = dep.table().unwrap();
    assert!(
        t.column_by_name("national_decile")
            .unwrap()
            .as_primitive::<UInt8Type>()
            .is_null(1)
    );
    l.extend(lsoas(
        &format!("{IOD2025_HEADER}\nE01000002,a,E09000001,x,40.0,100,1,0.5\n"),
        "x.csv",
    ));
    let err = population_weighted(DeprivationInputs::new(&lists, &l)).unwrap_err();
    assert!(err.to_string().contains("not mixed"), "{err}");
}

#[test]
fn pcns_are_their_practices_patients_and_re_ranked_within_each_icb() {
    use pcnkit_org::{Pcn, Practice, Registry};
    // Four PCNs, two in each ICB; each PCN one practice; LSOA deciles 1 to 4 in turn.
    let mut b = Registry::builder();
    let mut lists = Vec::new();
    let mut csv = String::from("lsoa,imd_decile\n");
    for i in 1..=4u32 {
        let practice: PracticeCode = format!("A8100{i}").parse().unwrap();
        let pcn: pcnkit_core::PcnCode = format!("U0000{i}").parse().unwrap();
        b.practice(Practice::new(practice, format!("P{i}")));
        let mut p = Pcn::new(pcn, format!("PCN {i}"));
        p.icb = Some(if i <= 2 { "QOC" } else { "QE1" }.parse().unwrap());
        b.pcn(p);
        b.join(practice, pcn, d(2020, 1, 1));
        let lsoa = format!("E0100000{i}");
        csv.push_str(&format!("{lsoa},{i}\n"));
        lists.push(rec(practice.as_ref(), &lsoa, 1000 * u64::from(i)));
    }
    let registry = b.build().unwrap();
    let l = lsoas(&csv, "mine.csv");
    assert_eq!(l[0].release, ImdRelease::Unstated);
    let dep = population_weighted(
        DeprivationInputs::new(&lists, &l).with_registry(&registry, d(2026, 8, 1)),
    )
    .unwrap();
    assert_eq!(dep.ranked_by, RankedBy::MeanDecile);
    assert_eq!(dep.pcns.len(), 4);
    let decile = |i: u32, national: bool| {
        let a = &dep.pcns[&format!("U0000{i}").parse().unwrap()];
        assert_eq!(a.patients, 1000 * u64::from(i));
        let p = if national { a.national } else { a.in_group };
        p.unwrap().decile.get()
    };
    // Nationally four areas: deciles ⌈10i/4⌉ = 3, 5, 8, 10; within each ICB two: 5 and 10.
    assert_eq!([1, 2, 3, 4].map(|i| decile(i, true)), [3, 5, 8, 10]);
    assert_eq!([1, 2, 3, 4].map(|i| decile(i, false)), [5, 10, 5, 10]);
    assert_eq!(
        dep.pcns[&"U00003".parse().unwrap()].within.as_deref(),
        Some("QE1")
    );
    // Within sub-ICB locations the registry does not give: placed nationally only.
    let by_sub_icb = population_weighted(
        DeprivationInputs::new(&lists, &l)
            .with_registry(&registry, d(2026, 8, 1))
            .within("sub-icb".parse().unwrap()),
    )
    .unwrap();
    assert!(
        by_sub_icb
            .pcns
            .values()
            .all(|a| a.within.is_none() && a.in_group.is_none())
    );
    assert!("county".parse::<pcnkit_org::deprivation::Within>().is_err());
    let t = dep.table().unwrap();
    assert_eq!(t.num_rows(), 8, "four practices, then four PCNs");
    assert_eq!(
        t.column_by_name("release")
            .unwrap()
            .as_string::<i32>()
            .value(0),
        "IMD release not stated in the input"
    );
}

#[test]
fn the_real_iod2019_file_is_read_by_meaning() {
    let Ok(dir) = std::env::var("PCNKIT_DATA_DIR") else {
        println!("SKIPPED: PCNKIT_DATA_DIR is not set; the real IoD2019 file is not read");
        return;
    };
    let path =
        std::path::Path::new(&dir).join("imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv");
    if !path.exists() {
        println!("SKIPPED: {} is absent", path.display());
        return;
    }
    let read = read_lsoa_deprivation(
        pcnkit_org::import::open(&path).unwrap(),
        ImportOptions::new(path.display().to_string()),
    )
    .unwrap();
    assert!(read.errors.is_empty());
    assert_eq!(read.records.len(), 32_844);
    let first = &read.records[0];
    assert_eq!(first.release, ImdRelease::Iod2019);
    // E01000001 (City of London 001A): IMD rank 29,199, decile 9, as the file has it; no
    // score in File 2, and the domains' ranks are not taken for the IMD's.
    assert_eq!(first.lsoa.to_string(), "E01000001");
    assert_eq!((first.imd_rank, first.imd_decile.get()), (Some(29_199), 9));
    assert_eq!(first.imd_score, None);
    let lists = [
        rec("A81001", "E01000001", 700),
        rec("A81001", "E01000002", 300),
    ];
    let dep = population_weighted(DeprivationInputs::new(&lists, &read.records)).unwrap();
    let a = &dep.practices[&"A81001".parse().unwrap()];
    // E01000002 is decile 10: (700 × 9 + 300 × 10) / 1000 = 9.3.
    assert!((a.mean_decile.unwrap() - 9.3).abs() < 1e-12);
    assert_eq!(
        dep.release.to_string(),
        "English Indices of Deprivation 2019 (2011 LSOAs)"
    );
}
