//! The membership timeline, populations and roll-ups.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcnkit_core::{
    AgeBand, AgeBandScheme, LsoaCode, PatientCount, PcnCode, Period, PracticeCode, Sex,
};
use pcnkit_org::*;
use proptest::prelude::*;

use crate::d;

fn practice(i: u32) -> PracticeCode {
    PracticeCode::new(&format!("A{:05}", 81000 + i)).unwrap()
}

fn pcn(i: u32) -> PcnCode {
    PcnCode::new(&format!("U{:05}", 10000 + i)).unwrap()
}

fn total(p: PracticeCode, date: NaiveDate, n: u64) -> ListSizeRecord {
    ListSizeRecord::new(p, date, None, None, PatientCount(n))
}

/// Five practices, three PCNs, list sizes in April 2024.
fn base() -> RegistryBuilder {
    let mut b = Registry::builder();
    for i in 1..=5 {
        b.practice(Practice::new(practice(i), format!("Practice {i}")));
    }
    for i in 1..=3 {
        b.pcn(Pcn::new(pcn(i), format!("PCN {i}")));
    }
    b.join(practice(1), pcn(1), d(2019, 7, 1))
        .join(practice(2), pcn(1), d(2019, 7, 1))
        .join(practice(3), pcn(2), d(2019, 7, 1))
        .join(practice(4), pcn(2), d(2019, 7, 1));
    b.list_sizes((1..=5).map(|i| total(practice(i), d(2024, 4, 1), 10_000 * u64::from(i))));
    b
}

#[test]
fn answers_which_pcn_and_how_many_patients() {
    let mut b = base();
    b.leave(practice(2), d(2024, 6, 30))
        .join(practice(2), pcn(2), d(2024, 7, 1));
    let r = b.build().unwrap();
    assert_eq!(r.pcn_of(practice(2), d(2024, 6, 30)), Some(pcn(1)));
    assert_eq!(r.pcn_of(practice(2), d(2024, 7, 1)), Some(pcn(2)));
    assert_eq!(r.pcn_of(practice(2), d(2019, 6, 30)), None);
    assert_eq!(r.pcn_of(practice(5), d(2024, 7, 1)), None);
    assert_eq!(
        r.members(pcn(2), d(2024, 7, 1)),
        vec![practice(2), practice(3), practice(4)]
    );
    assert_eq!(
        r.population(pcn(2), d(2024, 7, 1)).unwrap(),
        PatientCount(90_000)
    );
    assert_eq!(
        r.population(pcn(1), d(2024, 7, 1)).unwrap(),
        PatientCount(10_000)
    );
    assert_eq!(
        r.population(pcn(1), d(2024, 3, 31))
            .unwrap_err()
            .to_string(),
        "no registered list size for practice A81001 on or before 2024-03-31"
    );
    assert!(matches!(
        r.population(pcn(9), d(2024, 7, 1)),
        Err(OrgError::UnknownPcn { .. })
    ));
    assert_eq!(r.changes().len(), 6);
}

#[test]
fn merges_and_splits_move_whole_networks() {
    let mut b = base();
    b.merge_pcns(&[pcn(1), pcn(2)], pcn(3), d(2025, 4, 1));
    b.split_pcn(
        pcn(3),
        vec![
            (pcn(1), vec![practice(1), practice(3)]),
            (pcn(2), vec![practice(2), practice(4)]),
        ],
        d(2026, 4, 1),
    );
    let r = b.build().unwrap();
    assert_eq!(
        r.members(pcn(3), d(2025, 4, 1)),
        vec![practice(1), practice(2), practice(3), practice(4)]
    );
    assert!(r.members(pcn(1), d(2025, 4, 1)).is_empty());
    assert_eq!(
        r.members(pcn(1), d(2025, 3, 31)),
        vec![practice(1), practice(2)]
    );
    assert_eq!(
        r.members(pcn(1), d(2026, 4, 1)),
        vec![practice(1), practice(3)]
    );
    assert_eq!(
        r.population(pcn(3), d(2025, 12, 1)).unwrap(),
        PatientCount(100_000)
    );
    assert_eq!(
        r.memberships()
            .filter(|m| m.practice == practice(1))
            .count(),
        3
    );
}

#[test]
fn invalid_changes_are_reported_not_applied_silently() {
    let mut b = base();
    b.split_pcn(pcn(2), vec![(pcn(3), vec![practice(3)])], d(2025, 4, 1));
    b.leave(practice(5), d(2025, 1, 1));
    b.merge_pcns(&[pcn(3)], pcn(1), d(2025, 4, 1));
    let errors: Vec<String> = b
        .build()
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            "cannot apply split of U10002 into U10003 from 2025-04-01: member A81004 of U10002 is not assigned to any new PCN",
            "cannot apply A81005 leaves its PCN after 2025-01-01: A81005 is not in a PCN on 2025-01-01",
            "cannot apply merge of U10003 into U10001 from 2025-04-01: no practice is in any of those PCNs on 2025-04-01",
        ]
    );
}

#[test]
fn practice_mergers_close_the_absorbed_practice() {
    let mut b = base();
    b.merge_practices(practice(2), practice(1), d(2025, 1, 1));
    let r = b.build().unwrap();
    assert_eq!(r.pcn_of(practice(2), d(2025, 1, 1)), None);
    assert_eq!(
        r.practice(practice(2)).unwrap().close_date,
        Some(d(2024, 12, 31))
    );
    assert!(
        !r.snapshot(d(2025, 1, 1))
            .rows
            .iter()
            .any(|row| row.practice == practice(2))
    );
}

#[test]
fn conflicting_records_name_both() {
    let mut b = base();
    let first = Membership::new(
        practice(5),
        pcn(1),
        Period::new(d(2020, 1, 1), Some(d(2021, 12, 31))).unwrap(),
    )
    .with_source(pcnkit_core::SourceLocation::file("epcn.csv").at_line(7));
    let second = Membership::new(practice(5), pcn(2), Period::starting(d(2021, 6, 1)))
        .with_source(pcnkit_core::SourceLocation::file("epcn.csv").at_line(9));
    b.membership(first).membership(second);
    b.membership(Membership::new(
        practice(9),
        pcn(1),
        Period::starting(d(2020, 1, 1)),
    ));
    b.practice(Practice::new(practice(1), "A different name"));
    let errors: Vec<String> = b
        .build()
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors[0].starts_with("practice A81001 is defined twice with different details"),
        "{}",
        errors[0]
    );
    assert_eq!(
        errors[1],
        "unknown practice A81009 in A81009 in U10001 2020-01-01 onwards"
    );
    assert_eq!(
        errors[2],
        "practice A81005 is in two PCNs on 2021-06-01: A81005 in U10001 2020-01-01 to 2021-12-31 (epcn.csv, line 7) and A81005 in U10002 2021-06-01 onwards (epcn.csv, line 9)"
    );
}

#[test]
fn populations_by_age_and_sex_regroup_single_years() {
    let mut b = base();
    let date = d(2024, 4, 1);
    let cells = [
        (0u8, Sex::Male, 10u64),
        (4, Sex::Male, 5),
        (3, Sex::Female, 7),
        (93, Sex::Female, 2),
        (95, Sex::Female, 1),
    ];
    b.list_sizes(cells.iter().map(|&(age, sex, n)| {
        let band = if age == 95 {
            AgeBand::open(95).unwrap()
        } else {
            AgeBand::single(age).unwrap()
        };
        ListSizeRecord::new(
            practice(5),
            d(2024, 5, 1),
            Some(sex),
            Some(band),
            PatientCount(n),
        )
    }));
    b.join(practice(5), pcn(3), date);
    let r = b.build().unwrap();
    let by = r
        .population_by_age_sex(pcn(3), d(2024, 5, 1), &AgeBandScheme::esp2013())
        .unwrap();
    let got: Vec<(String, Sex, u64)> = by
        .iter()
        .map(|c| (c.age_band.to_string(), c.sex, c.patients.get()))
        .collect();
    assert_eq!(
        got,
        [
            ("0-4".into(), Sex::Male, 15),
            ("0-4".into(), Sex::Female, 7),
            ("90+".into(), Sex::Female, 3)
        ]
    );
    assert_eq!(
        r.population(pcn(3), d(2024, 5, 1)).unwrap(),
        PatientCount(25),
        "no total row: the cells are summed"
    );
    assert!(
        r.population_by_age_sex(pcn(1), date, &AgeBandScheme::esp2013())
            .is_err(),
        "totals only cannot be split"
    );
}

#[test]
fn duplicate_counts_that_disagree_are_conflicts() {
    let mut b = base();
    b.list_sizes([total(practice(1), d(2024, 4, 1), 99)]);
    let errors: Vec<String> = b
        .build()
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            "list size A81001 on 2024-04-01 (all persons, all ages) is defined twice with different details: 10000 and 99"
        ]
    );
}

#[test]
fn rollups_cover_every_open_practice() {
    let mut b = base();
    let mut p = Practice::new(practice(6), "Closed");
    p.close_date = Some(d(2020, 1, 1));
    b.practice(p);
    let r = b.build().unwrap();
    let pcns = r.rollup(Level::Pcn, d(2024, 4, 1)).unwrap();
    let summary: Vec<(Option<String>, u32, u64)> = pcns
        .iter()
        .map(|a| (a.code.clone(), a.practices, a.patients.get()))
        .collect();
    assert_eq!(
        summary,
        [
            (None, 1, 50_000),
            (Some("U10001".into()), 2, 30_000),
            (Some("U10002".into()), 2, 70_000)
        ]
    );
    let missing = r.rollup(Level::Pcn, d(2024, 3, 1)).unwrap();
    assert_eq!(
        missing
            .iter()
            .map(|a| a.missing_list_sizes.len())
            .sum::<usize>(),
        5
    );
}

#[test]
fn lsoa_shares_weight_where_patients_live() {
    let mut b = base();
    let lsoa = |s: &str| LsoaCode::new(s).unwrap();
    b.practice_lsoa([
        PracticeLsoaRecord::new(
            practice(1),
            d(2024, 4, 1),
            lsoa("E01000001"),
            PatientCount(300),
        ),
        PracticeLsoaRecord::new(
            practice(1),
            d(2024, 4, 1),
            lsoa("E01000002"),
            PatientCount(100),
        ),
        PracticeLsoaRecord::new(
            practice(2),
            d(2024, 4, 1),
            lsoa("E01000002"),
            PatientCount(600),
        ),
    ]);
    let r = b.build().unwrap();
    let shares = r.pcn_lsoa_shares(pcn(1), d(2024, 5, 1)).unwrap();
    let got: Vec<(String, u64, f64)> = shares
        .iter()
        .map(|s| (s.lsoa.to_string(), s.patients.get(), s.share))
        .collect();
    assert_eq!(
        got,
        [
            ("E01000001".into(), 300, 0.3),
            ("E01000002".into(), 700, 0.7)
        ]
    );
}

/// A random history of five practices over three PCNs: each step moves one practice (or takes
/// it out of any PCN) on a later date.
fn history() -> impl Strategy<Value = Vec<(u32, Option<u32>, u16)>> {
    proptest::collection::vec((1u32..=5, proptest::option::of(1u32..=3), 1u16..400), 0..30)
}

proptest! {
    #[test]
    fn one_pcn_per_practice_per_date_and_population_is_the_sum_of_members(steps in history(), probe in 0u16..9000, sizes in proptest::collection::vec(0u64..20_000, 5)) {
        let start = d(2019, 7, 1);
        let mut b = Registry::builder();
        for i in 1..=5 { b.practice(Practice::new(practice(i), "P")); }
        for i in 1..=3 { b.pcn(Pcn::new(pcn(i), "N")); }
        b.list_sizes((1..=5).map(|i| total(practice(i), start, sizes[i as usize - 1])));
        // Reference model: per practice, a list of (from, pcn) changes.
        let mut model: BTreeMap<u32, Vec<(NaiveDate, Option<u32>)>> = BTreeMap::new();
        let mut current: BTreeMap<u32, Option<u32>> = BTreeMap::new();
        let mut date = start;
        for (p, to, gap) in steps {
            date = date + chrono::Days::new(u64::from(gap));
            let now = current.get(&p).copied().flatten();
            if now == to { continue; }
            if now.is_some() { b.leave(practice(p), date.pred_opt().unwrap()); }
            if let Some(n) = to { b.join(practice(p), pcn(n), date); }
            current.insert(p, to);
            model.entry(p).or_default().push((date, to));
        }
        let r = b.build().unwrap();
        let when = start + chrono::Days::new(u64::from(probe));
        for p in 1..=5 {
            let expected = model.get(&p).and_then(|v| v.iter().rev().find(|(from, _)| *from <= when)).and_then(|(_, to)| *to);
            prop_assert_eq!(r.pcn_of(practice(p), when), expected.map(pcn));
            let holding = r.memberships().filter(|m| m.practice == practice(p) && m.period.contains(when)).count();
            prop_assert!(holding <= 1);
        }
        for n in 1..=3 {
            let members = r.members(pcn(n), when);
            let expected: u64 = members.iter().map(|m| r.list_size(*m, when).unwrap().1.total.get()).sum();
            prop_assert_eq!(r.population(pcn(n), when).unwrap().get(), expected);
        }
        let all: u64 = r.rollup(Level::Pcn, when).unwrap().iter().map(|a| a.patients.get()).sum();
        prop_assert_eq!(all, sizes.iter().sum::<u64>());
    }
}

/// PCN lists from PCN-level rows: sums near `u64::MAX` are an error, never a wrapped figure.
#[test]
fn pcn_list_sums_never_wrap() {
    use pcnkit_org::import::{ImportOptions, read_registered_patients};
    let header = "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,SEX,AGE,NUMBER_OF_PATIENTS\n";
    // The reader refuses a count above the plausible limit outright, naming its line.
    let csv =
        format!("{header}GP_PRAC_PAT_LIST,2025-01-01,PCN,U90000,,MALE,0,18446744073709551615\n");
    let rows = read_registered_patients(csv.as_bytes(), ImportOptions::new("lists.csv")).unwrap();
    assert_eq!(
        rows.errors[0].to_string(),
        "lists.csv, line 2, field `NUMBER_OF_PATIENTS`: 18446744073709551615 is not a plausible count (more than 100000000, above England's population)"
    );
    // Built in code past the reader, the sum is checked.
    let mut records = rows.records;
    for age in ["0", "1"] {
        let line = format!("{header}GP_PRAC_PAT_LIST,2025-01-01,PCN,U90000,,MALE,{age},100\n");
        let mut r = read_registered_patients(line.as_bytes(), ImportOptions::new("x"))
            .unwrap()
            .records;
        r[0].patients = pcnkit_core::PatientCount::from(u64::MAX - 50);
        records.extend(r);
    }
    let err = pcnkit_org::pcn_lists(&records, &pcnkit_core::AgeBandScheme::esp2013()).unwrap_err();
    assert!(err.to_string().contains("overflow"), "{err}");
}
