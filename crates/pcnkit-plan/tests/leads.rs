//! GP population-health lead patches (issue 19): within the limits, every PCN once, connected,
//! the fewest leads (checked against brute force), weighted towards deprivation on request;
//! on the demo ICS and on a real ICB.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use pcnkit_core::PcnCode;
use pcnkit_org::rules::PopulationHealthGpPolicy;
use pcnkit_plan::leads::{
    Adjacency, LeadPlan, LeadPlanConfig, Objective, PcnArea, check_leads, plan_leads,
};
use proptest::prelude::*;

fn code(i: usize) -> PcnCode {
    format!("U{:05}", 10_000 + i).parse().unwrap()
}

fn policy() -> PopulationHealthGpPolicy {
    PopulationHealthGpPolicy::proposed().unwrap()
}

/// Every PCN in one patch; each patch within the limits (or a lone PCN over the cap) and
/// connected.
fn assert_sound(
    plan: &LeadPlan,
    areas: &[PcnArea],
    map: &Adjacency,
    policy: &PopulationHealthGpPolicy,
) {
    let mut seen = BTreeSet::new();
    for p in &plan.patches {
        assert!(p.pcns.len() <= policy.max_pcns);
        assert!(
            p.population <= policy.max_population || p.pcns.len() == 1,
            "{p:?}"
        );
        for pcn in &p.pcns {
            assert!(seen.insert(*pcn), "{pcn} in two patches");
        }
        let assignment = vec![("lead".to_owned(), p.pcns.clone())];
        let findings = check_leads(areas, map, policy, &assignment);
        assert!(
            !findings
                .iter()
                .any(|f| f.rule.as_ref() == "plan.leads.not_neighbours"),
            "{p:?} not connected"
        );
    }
    assert_eq!(seen.len(), areas.len());
    assert!(plan.patches.len() >= plan.lower_bound);
}

/// The fewest connected groups covering every PCN, by trying every partition (small n only).
fn brute_force(areas: &[PcnArea], map: &Adjacency, policy: &PopulationHealthGpPolicy) -> usize {
    fn connected(g: &[usize], areas: &[PcnArea], map: &Adjacency) -> bool {
        let mut reached = vec![g[0]];
        loop {
            let before = reached.len();
            for &x in g {
                if !reached.contains(&x)
                    && reached
                        .iter()
                        .any(|&r| map.borders(areas[r].pcn, areas[x].pcn))
                {
                    reached.push(x);
                }
            }
            if reached.len() == before {
                return reached.len() == g.len();
            }
        }
    }
    fn go(
        left: Vec<usize>,
        areas: &[PcnArea],
        map: &Adjacency,
        policy: &PopulationHealthGpPolicy,
    ) -> usize {
        let Some((&first, rest)) = left.split_first() else {
            return 0;
        };
        let mut best = usize::MAX;
        // Every subset of the rest, with `first`, as the next group.
        for mask in 0u32..(1 << rest.len()) {
            let mut g = vec![first];
            g.extend(
                rest.iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, x)| *x),
            );
            let people: u64 = g.iter().map(|&i| areas[i].population).sum();
            let fits =
                g.len() <= policy.max_pcns && (people <= policy.max_population || g.len() == 1);
            if !fits || !connected(&g, areas, map) {
                continue;
            }
            let others: Vec<usize> = rest.iter().copied().filter(|x| !g.contains(x)).collect();
            let n = go(others, areas, map, policy);
            if n != usize::MAX {
                best = best.min(1 + n);
            }
        }
        best
    }
    go((0..areas.len()).collect(), areas, map, policy)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn plans_are_sound_and_have_the_fewest_leads(
        populations in prop::collection::vec(5_000u64..70_000, 1..8),
        edges in prop::collection::vec((0usize..8, 0usize..8), 0..16),
    ) {
        let areas: Vec<PcnArea> = populations
            .iter()
            .enumerate()
            .map(|(i, p)| PcnArea::new(code(i), *p, Some(10.0 + i as f64)))
            .collect();
        let n = areas.len();
        let map = Adjacency::from_pairs(
            edges.into_iter().filter(|(a, b)| *a < n && *b < n).map(|(a, b)| (code(a), code(b))),
            "test",
        );
        let policy = policy();
        let plan = plan_leads(&areas, &map, &LeadPlanConfig::new(policy.clone())).unwrap();
        assert_sound(&plan, &areas, &map, &policy);
        prop_assert!(plan.optimal);
        prop_assert_eq!(plan.patches.len(), brute_force(&areas, &map, &policy));
        // The same inputs give the same plan.
        prop_assert_eq!(plan_leads(&areas, &map, &LeadPlanConfig::new(policy.clone())).unwrap(), plan);
    }
}

#[test]
fn limits_sessions_and_what_cannot_be_done() {
    let policy = policy();
    assert_eq!((policy.max_pcns, policy.max_population), (3, 100_000));
    // A PCN bigger than one lead's patch stands alone, with a finding saying so.
    let areas = [
        PcnArea::new(code(0), 120_000, None),
        PcnArea::new(code(1), 30_000, None),
    ];
    let map = Adjacency::from_pairs([(code(0), code(1))], "test");
    let plan = plan_leads(&areas, &map, &LeadPlanConfig::new(policy.clone())).unwrap();
    assert_eq!(plan.patches.len(), 2);
    assert!(
        plan.findings
            .iter()
            .any(|f| f.rule.as_ref() == "plan.leads.over_limit")
    );
    assert!(
        plan.findings
            .iter()
            .any(|f| f.source.as_deref() == Some(policy.source.as_str()))
    );
    // Half of a 9-session week.
    assert_eq!(plan.patches[0].sessions_per_week.to_string(), "4.5");
    // Weighting towards deprivation needs every PCN's score: unknown is not 0.
    let deprived =
        LeadPlanConfig::new(policy.clone()).objective(Objective::DeprivedFirst { leads: None });
    let e = plan_leads(&areas, &map, &deprived).unwrap_err();
    assert!(e.to_string().contains("no IMD score"), "{e}");
    // Fewer leads than can cover every PCN is refused.
    let areas = [
        PcnArea::new(code(0), 60_000, Some(40.0)),
        PcnArea::new(code(1), 60_000, Some(10.0)),
    ];
    let one = LeadPlanConfig::new(policy).objective(Objective::DeprivedFirst { leads: Some(1) });
    assert!(
        plan_leads(&areas, &map, &one)
            .unwrap_err()
            .to_string()
            .contains("fewest is 2")
    );
}

/// The demo ICS's PCNs: populations from its lists, IMD scores weighted by where patients live,
/// neighbours from shared LSOAs.
fn demo() -> (Vec<PcnArea>, Adjacency) {
    let ics = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default()).unwrap();
    let date = ics.extract_date;
    let score: BTreeMap<_, f64> = ics
        .health
        .lsoas
        .iter()
        .map(|l| (l.code, l.imd_score))
        .collect();
    let mut homes = Vec::new();
    let mut weighted: BTreeMap<PcnCode, (f64, f64)> = BTreeMap::new();
    for r in &ics.health.practice_lsoa {
        let pcn = ics.registry.pcn_of(r.practice, date).unwrap();
        homes.push((pcn, r.lsoa, r.patients.get()));
        let w = weighted.entry(pcn).or_default();
        w.0 += r.patients.get() as f64 * score[&r.lsoa];
        w.1 += r.patients.get() as f64;
    }
    let areas = ics
        .registry
        .pcns()
        .map(|p| {
            let (s, n) = weighted[&p.code];
            PcnArea::new(
                p.code,
                ics.registry.population(p.code, date).unwrap().get(),
                Some(s / n),
            )
        })
        .collect();
    (areas, Adjacency::from_shared_lsoas(homes, 50))
}

#[test]
fn the_demo_ics_gets_a_sound_plan_and_deprived_patches_get_the_extra_leads() {
    let (areas, map) = demo();
    assert_eq!(areas.len(), 30);
    assert!(map.len() > 20, "{} borders", map.len());
    let policy = policy();
    let fewest = plan_leads(&areas, &map, &LeadPlanConfig::new(policy.clone())).unwrap();
    assert_sound(&fewest, &areas, &map, &policy);
    assert!(fewest.optimal);
    assert!(fewest.patches.len() >= 10, "{} leads", fewest.patches.len());
    // The plan checked as an ICB's own assignment has nothing to say.
    let assignment: Vec<(String, Vec<PcnCode>)> = fewest
        .patches
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("lead {i}"), p.pcns.clone()))
        .collect();
    assert!(check_leads(&areas, &map, &policy, &assignment).is_empty());

    // Two leads more, placed towards deprivation: the most deprived PCNs' patches are smaller.
    let k = fewest.patches.len() + 2;
    let config =
        LeadPlanConfig::new(policy.clone()).objective(Objective::DeprivedFirst { leads: Some(k) });
    let deprived = plan_leads(&areas, &map, &config).unwrap();
    assert_sound(&deprived, &areas, &map, &policy);
    assert_eq!(deprived.patches.len(), k);
    let load = |plan: &LeadPlan, most_deprived: bool| {
        let mut by_score: Vec<&PcnArea> = areas.iter().collect();
        by_score.sort_by(|a, b| b.imd_score.unwrap().total_cmp(&a.imd_score.unwrap()));
        let fifth: BTreeSet<PcnCode> = if most_deprived {
            by_score.iter().take(6).map(|a| a.pcn).collect()
        } else {
            by_score.iter().rev().take(6).map(|a| a.pcn).collect()
        };
        let patients: Vec<u64> = plan
            .patches
            .iter()
            .filter(|p| p.pcns.iter().any(|c| fifth.contains(c)))
            .map(|p| p.population)
            .collect();
        patients.iter().sum::<u64>() as f64 / patients.len() as f64
    };
    assert!(
        load(&deprived, true) < load(&deprived, false),
        "patients per lead: most deprived {} vs least {}",
        load(&deprived, true),
        load(&deprived, false)
    );
}

#[test]
fn an_icb_assignment_is_checked_against_the_limits_and_the_map() {
    let (areas, map) = demo();
    let policy = policy();
    let pcns: Vec<PcnCode> = areas.iter().map(|a| a.pcn).collect();
    let far = pcns
        .iter()
        .copied()
        .find(|p| !map.borders(pcns[0], *p) && *p != pcns[0])
        .unwrap();
    let assignment = vec![
        ("Dr A".to_owned(), pcns[..4].to_vec()),
        ("Dr B".to_owned(), vec![pcns[0], far]),
    ];
    let rules: BTreeSet<String> = check_leads(&areas, &map, &policy, &assignment)
        .iter()
        .map(|f| f.rule.to_string())
        .collect();
    for want in [
        "plan.leads.too_many_pcns",
        "plan.leads.not_neighbours",
        "plan.leads.two_leads",
        "plan.leads.no_lead",
    ] {
        assert!(rules.contains(want), "{want} missing from {rules:?}");
    }
}
