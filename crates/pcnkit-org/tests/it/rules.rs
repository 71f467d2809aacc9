//! Rules checks: findings, not errors.

use pcnkit_core::{PatientCount, PcnCode, Period, PracticeCode};
use pcnkit_org::rules::*;
use pcnkit_org::*;
use rust_decimal::Decimal;

use crate::d;

fn registry(sizes: &[u64]) -> Registry {
    let mut b = Registry::builder();
    for (i, &n) in sizes.iter().enumerate() {
        let practice = PracticeCode::new(&format!("A{:05}", i + 1)).unwrap();
        let pcn = PcnCode::new(&format!("U{:05}", i + 1)).unwrap();
        b.practice(Practice::new(practice, "P"));
        let mut p = Pcn::new(pcn, format!("PCN {}", i + 1));
        if i == 0 {
            let period = Period::starting(d(2019, 7, 1));
            p.clinical_directors
                .push(ClinicalDirector::new("Dr A", period));
            let mut agreement = NetworkAgreement::new(period);
            agreement.schedules = AgreementScheduleKind::EXPECTED
                .into_iter()
                .map(|k| AgreementSchedule::new(k, vec!["Agreed".into()]))
                .collect();
            p.agreement = Some(agreement);
        }
        b.pcn(p);
        b.join(practice, pcn, d(2019, 7, 1));
        b.list_sizes([ListSizeRecord::new(
            practice,
            d(2024, 1, 1),
            None,
            None,
            PatientCount(n),
        )]);
    }
    b.build().unwrap()
}

#[test]
fn pcn_sizes_outside_the_range_are_findings_with_exceptions_honoured() {
    let r = registry(&[40_000, 25_000, 60_000, 12_000]);
    let mut policy = PcnSizePolicy::default();
    policy.exceptions.insert(
        PcnCode::new("U00004").unwrap(),
        SizeExceptionReason::RuralAndRemote,
    );
    let findings = check_pcn_sizes(&r, d(2024, 4, 1), &policy).unwrap();
    let got: Vec<(String, Severity)> = findings
        .iter()
        .map(|f| (f.subject.clone().unwrap_or_default(), f.severity))
        .collect();
    assert_eq!(
        got,
        [
            ("U00002".into(), Severity::Warning),
            ("U00003".into(), Severity::Warning),
            ("U00004".into(), Severity::Info)
        ]
    );
    assert_eq!(
        findings[0].message,
        "PCN 2 has 25000 registered patients on 2024-04-01, below the minimum of 30000-50000"
    );
    assert!(
        findings[0]
            .source
            .as_deref()
            .unwrap()
            .contains("30,000-50,000")
    );
    // The norms come from the crate's sourced data file, and say which documents they rest on.
    let national = PcnSizePolicy::national().unwrap();
    assert_eq!((national.min, national.max), (30_000, 50_000));
    assert!(
        national
            .source
            .starts_with("P: normally 30,000-50,000 patients; NHS England"),
        "{}",
        national.source
    );
    assert!(
        national.source.contains("theyworkforyou.com"),
        "{}",
        national.source
    );
    assert!(
        findings[2]
            .message
            .ends_with("approved exception: RuralAndRemote")
    );
}

#[test]
fn governance_gaps_are_findings() {
    let r = registry(&[40_000, 35_000]);
    let findings = check_governance(&r, d(2024, 4, 1));
    let got: Vec<(String, String)> = findings
        .iter()
        .map(|f| (f.subject.clone().unwrap_or_default(), f.rule.to_string()))
        .collect();
    assert_eq!(
        got,
        [
            ("U00002".into(), RuleId::ClinicalDirector.id().to_owned()),
            ("U00002".into(), RuleId::NetworkAgreement.id().to_owned())
        ]
    );
}

#[test]
fn clinical_director_time_is_pro_rata() {
    let basis = ClinicalDirectorBasis::national().unwrap();
    assert_eq!(basis.funded_wte(PatientCount(50_000)), Decimal::new(25, 2));
    assert_eq!(basis.funded_wte(PatientCount(40_000)), Decimal::new(2, 1));
    assert_eq!(basis.funded_wte(PatientCount(0)), Decimal::ZERO);
    // The figure comes from the data file, with its mark and source.
    assert!(
        basis.source.contains("S: Ockham Healthcare"),
        "{}",
        basis.source
    );
    let gp = PopulationHealthGpPolicy::proposed().unwrap();
    assert_eq!((gp.max_pcns, gp.max_population), (3, 100_000));
    assert!(gp.source.contains("not a national rule"), "{}", gp.source);
}

#[test]
fn population_health_gp_limits_are_configurable() {
    let r = registry(&[40_000, 35_000, 30_000, 20_000]);
    let pcns: Vec<PcnCode> = (1..=4)
        .map(|i| PcnCode::new(&format!("U{i:05}")).unwrap())
        .collect();
    let assignment =
        PopulationHealthGpAssignment::new("Dr B", pcns.clone(), Period::starting(d(2024, 1, 1)));
    let findings = check_population_health_gp(
        &r,
        &assignment,
        d(2024, 4, 1),
        &PopulationHealthGpPolicy::proposed().unwrap(),
    )
    .unwrap();
    let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "covers 4 PCNs, more than 3",
            "covers 125000 registered patients on 2024-04-01, more than about 100000"
        ]
    );
    let mut relaxed = PopulationHealthGpPolicy::proposed().unwrap();
    relaxed.max_pcns = 4;
    relaxed.max_population = 130_000;
    assert!(
        check_population_health_gp(&r, &assignment, d(2024, 4, 1), &relaxed)
            .unwrap()
            .is_empty()
    );
    let within = PopulationHealthGpAssignment::new(
        "Dr C",
        pcns[..2].to_vec(),
        Period::starting(d(2024, 1, 1)),
    );
    assert!(
        check_population_health_gp(
            &r,
            &within,
            d(2024, 4, 1),
            &PopulationHealthGpPolicy::proposed().unwrap()
        )
        .unwrap()
        .is_empty()
    );
}
