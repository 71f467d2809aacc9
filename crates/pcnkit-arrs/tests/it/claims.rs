use pcnkit_arrs::*;
use pcnkit_core::{FinancialYear, Money, PcnCode};
use rust_decimal::Decimal;

use crate::{d, pennies};

fn setup(y: &str, weighted: i64) -> (&'static RuleBook, FinancialYear, PcnInputs, Entitlement) {
    let book = RuleBook::builtin();
    let fy: FinancialYear = y.parse().unwrap();
    let mut inputs = PcnInputs::weighted(Decimal::from(weighted));
    inputs.registered = Some(Decimal::from(weighted));
    let e = entitlement(book, fy, &inputs, EntitlementOptions::default()).unwrap();
    (book, fy, inputs, e)
}

/// The claims with their traces (these tests read them); [`traces_do_not_change_a_figure`]
/// checks the run without traces gives the same report otherwise.
fn claims(
    book: &RuleBook,
    year: FinancialYear,
    inputs: &PcnInputs,
    e: &Entitlement,
    staff: &[StaffMember],
) -> Result<ClaimsReport, ArrsError> {
    claims_with(book, year, inputs, e, staff, ClaimsOptions::explained())
}

fn trace(line: &ClaimLine) -> &[String] {
    line.trace.as_deref().expect("run with traces")
}

fn staff(id: &str, role: &str, wte: &str, start: chrono::NaiveDate, cost: &str) -> StaffMember {
    StaffMember::new(id, role, wte.parse().unwrap(), start, cost.parse().unwrap())
}

#[test]
fn part_time_part_month_pro_rata_with_trace() {
    let (book, fy, inputs, e) = setup("2025/26", 40_000);
    // 0.6 WTE pharmacist costing £38,000 a year, starting 16 April.
    let report = claims(
        book,
        fy,
        &inputs,
        &e,
        &[staff(
            "CP1",
            "clinical_pharmacist",
            "0.6",
            d(2025, 4, 16),
            "38000",
        )],
    )
    .unwrap();
    let april = &report.lines[0];
    assert_eq!(april.days, 15);
    assert_eq!(pennies(april.cost), "£1,561.64", "£38,000 × 15/365");
    assert_eq!(
        pennies(april.maximum.unwrap()),
        "£1,651.36",
        "£66,972 × 0.6 × 15/365"
    );
    assert_eq!(
        pennies(april.claim.unwrap()),
        "£1,561.64",
        "cost is under the maximum"
    );
    assert_eq!(trace(april).len(), 3);
    assert!(trace(april)[1].contains("maximum £66972 per WTE from 2025-04-01 × 0.6 WTE × 15/365 days = £1,651.36 [S2; The Pharmacist"), "{:?}", april.trace);
    assert_eq!(report.lines.len(), 12);
    assert_eq!(
        pennies(report.total().unwrap().value().unwrap()),
        pennies(
            Money::from_pounds(Decimal::from(38_000))
                .checked_mul(Decimal::from(350))
                .unwrap()
                .checked_div(Decimal::from(365))
                .unwrap()
        )
    );
}

#[test]
fn mid_year_change_of_maximum_and_not_found_figures() {
    let (book, fy, inputs, e) = setup("2024/25", 40_000);
    let report = claims(
        book,
        fy,
        &inputs,
        &e,
        &[staff(
            "CP1",
            "clinical_pharmacist",
            "1",
            d(2024, 4, 1),
            "80000",
        )],
    )
    .unwrap();
    // April to September: the maximum is not found in the sources, so no figure is guessed.
    assert!(report.lines[..6].iter().all(|l| l.claim.is_none()));
    assert!(report.findings.iter().any(|f| {
        f.message
            .starts_with("maximum for clinical_pharmacist from 2024-04-01 not found")
    }));
    // October to March: £65,838 a year, 182 of 365 days.
    let second_half = Money::sum(report.lines[6..].iter().map(|l| l.claim.unwrap())).unwrap();
    assert_eq!(pennies(second_half), "£32,828.81", "£65,838 × 182/365");
}

#[test]
fn reimbursement_percentage_and_2019_20_cap_on_the_reimbursement() {
    let (book, fy, inputs, e) = setup("2019/20", 40_000);
    let report = claims(
        book,
        fy,
        &inputs,
        &e,
        &[staff(
            "CP1",
            "clinical_pharmacist",
            "1",
            d(2019, 7, 1),
            "60000",
        )],
    )
    .unwrap();
    // 70% of £60,000 pro rata is above the £37,810 cap pro rata: the cap wins.
    let total = report.total().unwrap().value().unwrap();
    assert_eq!(
        pennies(total),
        "£28,409.15",
        "£37,810 × 275/366 (2019/20 has 29 February)"
    );
    assert_eq!(report.lines.len(), 9, "July to March");
    let july = report
        .lines
        .iter()
        .find(|l| l.month.to_string() == "2019-07")
        .unwrap();
    assert_eq!(
        trace(july).last().unwrap(),
        "claim = min(cost £5,081.97 × 70%, maximum £3,202.49) = £3,202.49 [S2; RBP, Have you joined a primary care network (PCN) yet?; Wessex LMCs, PCN workforce (ARRS); Management in Practice, Explainer: primary care networks and the Additional Roles Reimbursement Scheme]"
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.message.contains("entitlement unknown"))
    );
}

#[test]
fn eligibility_rules_refuse_with_a_reason() {
    let (book, fy, inputs, e) = setup("2025/26", 40_000);
    let mut baseline = staff(
        "SP0",
        "social_prescribing_link_worker",
        "1",
        d(2025, 4, 1),
        "30000",
    );
    baseline.in_baseline = true;
    let mut nurse = staff(
        "N1",
        "general_practice_nurse_new",
        "1",
        d(2025, 4, 1),
        "40000",
    );
    nurse.in_pcn_previous_12_months = true;
    let mut gp = staff("GP1", "gp", "1", d(2025, 4, 1), "90000");
    gp.cct_date = Some(d(2022, 1, 1));
    let mhp = staff(
        "MH1",
        "mental_health_practitioner",
        "1",
        d(2025, 4, 1),
        "45000",
    );
    let report = claims(book, fy, &inputs, &e, &[baseline, nurse, gp, mhp]).unwrap();
    let messages: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == "arrs.eligibility")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "not additional: in post at the 2019-03-31 baseline, so not reimbursable",
            "worked in the PCN in the previous 12 months: not reimbursable in this role",
            "GP recruited more than 2 years after CCT (2022-01-01): not reimbursable",
            "no agreement with the mental health provider recorded: not reimbursable",
        ]
    );
    assert_eq!(report.total().unwrap().value(), Some(Money::ZERO));
}

#[test]
fn bad_staff_records_are_typed_errors() {
    let (book, fy, mut inputs, e) = setup("2025/26", 40_000);
    inputs.pcn = Some(PcnCode::new("U00001").unwrap());
    let mut elsewhere = staff("X1", "clinical_pharmacist", "1", d(2025, 4, 1), "1");
    elsewhere.pcn = Some(PcnCode::new("U00002").unwrap());
    let mut backwards = staff("X2", "clinical_pharmacist", "1", d(2025, 6, 1), "1");
    backwards.end = Some(d(2025, 5, 1));
    let too_much = staff("X3", "clinical_pharmacist", "1.2", d(2025, 4, 1), "1");
    let unknown = staff("X4", "astronaut", "1", d(2025, 4, 1), "1");
    let early = staff("X5", "consultant_nurse", "1", d(2025, 4, 1), "1");
    let negative = staff("X6", "clinical_pharmacist", "1", d(2025, 4, 1), "-5");
    let report = claims(
        book,
        fy,
        &inputs,
        &e,
        &[elsewhere, backwards, too_much, unknown, negative],
    )
    .unwrap();
    let errors: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        [
            "staff X1: belongs to PCN U00002, not U00001",
            "staff X2: end 2025-05-01 is before start 2025-06-01",
            "staff X3: WTE 1.2 is above 1.0, the full-time basis",
            "staff X4: unknown role `astronaut`",
            "staff X6: annual cost -£5.00 is negative",
        ]
    );
    let (book, fy, inputs, e) = setup("2024/25", 40_000);
    let report = claims(book, fy, &inputs, &e, &[early]).unwrap();
    assert_eq!(
        report.errors[0].to_string(),
        "staff X5: consultant_nurse is not reimbursable in 2024/25"
    );
    assert!(
        Wte::new(Decimal::ZERO).is_err(),
        "a WTE of 0 cannot be constructed at all"
    );
}
use pcnkit_core::Wte;

#[test]
fn role_caps_depend_on_list_size() {
    let nurses = |n: usize| -> Vec<StaffMember> {
        (0..n)
            .map(|i| {
                staff(
                    &format!("EPN{i}"),
                    "enhanced_practice_nurse",
                    "1",
                    d(2024, 4, 1 + i as u32),
                    "50000",
                )
            })
            .collect()
    };
    let (book, fy, inputs, e) = setup("2024/25", 40_000);
    let report = claims(book, fy, &inputs, &e, &nurses(2)).unwrap();
    let april: Vec<Option<Money>> = report
        .lines
        .iter()
        .filter(|l| l.month.to_string() == "2024-04")
        .map(|l| l.claim)
        .collect();
    assert!(april[0].unwrap() > Money::ZERO);
    assert_eq!(
        april[1],
        Some(Money::ZERO),
        "second enhanced practice nurse is over the cap of 1"
    );
    assert!(report.findings.iter().any(
        |f| f.message == "role cap of 1 WTE (PCN below 100,000) reached: 0 of 1 WTE claimable"
    ));
    let (book, fy, inputs, e) = setup("2024/25", 120_000);
    let report = claims(book, fy, &inputs, &e, &nurses(2)).unwrap();
    assert!(
        report
            .lines
            .iter()
            .filter(|l| l.month.to_string() == "2024-05")
            .all(|l| l.claim.unwrap() > Money::ZERO)
    );
}

#[test]
fn totals_are_capped_at_the_entitlement() {
    let (book, fy, inputs, e) = setup("2025/26", 3_000);
    // £79,893 of entitlement and two full-time pharmacists at the maximum (£133,944 a year).
    let team = [
        staff("A", "clinical_pharmacist", "1", d(2025, 4, 1), "70000"),
        staff("B", "clinical_pharmacist", "1", d(2025, 4, 1), "70000"),
    ];
    let report = claims(book, fy, &inputs, &e, &team).unwrap();
    assert_eq!(report.total().unwrap().value(), e.arrs_sum("main"));
    assert_eq!(report.headroom("main"), Some(Money::ZERO));
    let cut = report
        .lines
        .iter()
        .find(|l| {
            trace(l)
                .last()
                .unwrap()
                .starts_with("entitlement of £79,893.00 reached")
        })
        .unwrap();
    assert_eq!(
        cut.month.to_string(),
        "2025-11",
        "£133,944 a year passes £79,893 in November"
    );
}

#[test]
fn gp_claims_draw_on_the_ring_fenced_sum_in_2024_25() {
    let (book, fy, inputs, e) = setup("2024/25", 30_000);
    let mut gp = staff("GP1", "gp", "1", d(2024, 10, 1), "100000");
    gp.cct_date = Some(d(2024, 8, 1));
    let report = claims(book, fy, &inputs, &e, &[gp]).unwrap();
    let gp_pool = report.pools.iter().find(|p| p.pool == "gp").unwrap();
    assert_eq!(pennies(gp_pool.entitlement.unwrap()), "£39,090.00");
    assert_eq!(
        gp_pool.claimed.value(),
        gp_pool.entitlement,
        "£92,462 × 182/365 = £46,104 is over the £39,090 sum"
    );
    assert_eq!(
        report
            .pools
            .iter()
            .find(|p| p.pool == "main")
            .unwrap()
            .claimed
            .value(),
        Some(Money::ZERO)
    );
}

#[test]
fn plan_says_how_many_more_fit() {
    let (book, fy, inputs, e) = setup("2025/26", 30_000);
    let team = [staff(
        "A",
        "clinical_pharmacist",
        "1",
        d(2025, 4, 1),
        "70000",
    )];
    let hire = Hire::new(
        "pharmacy_technician",
        "40000".parse().unwrap(),
        d(2025, 10, 1),
    );
    let p = plan(book, fy, &inputs, &e, &team, Some(&hire)).unwrap();
    assert_eq!(pennies(p.forecast.headroom("main").unwrap()), "£731,958.00");
    assert_eq!(
        pennies(p.claim_per_wte.unwrap()),
        "£19,945.21",
        "£40,000 × 182/365 (under the £43,352 maximum)"
    );
    assert_eq!(p.more_wte, Some(Decimal::new(3669, 2)));
}

#[test]
fn summarise_matches_entitlement_and_claims_per_pcn_and_refuses_orphan_staff() {
    let book = RuleBook::builtin();
    let fy: FinancialYear = "2025/26".parse().unwrap();
    let (a, b): (PcnCode, PcnCode) = ("U90000".parse().unwrap(), "U90001".parse().unwrap());
    let row = |id: &'static str, pcn: &'static str| {
        move |c: &str| match c {
            "id" => Some(id),
            "pcn" => Some(pcn),
            "role" => Some("clinical_pharmacist"),
            "wte" => Some("0.6"),
            "start" => Some("2025-04-16"),
            "annual_cost" => Some("38000"),
            _ => None,
        }
    };
    let staff = vec![
        StaffMember::from_record(row("cp-1", "U90000")).unwrap(),
        StaffMember::from_record(row("cp-2", "U90000")).unwrap(),
    ];
    let weighted: std::collections::BTreeMap<PcnCode, PcnInputs> =
        [(a, Decimal::from(30_000)), (b, Decimal::from(40_000))]
            .into_iter()
            .map(|(p, w)| (p, PcnInputs::weighted(w)))
            .collect();
    let s = summarise(book, fy, &weighted, &staff).unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(
        s[0].entitlement,
        Some(Money::from_pounds(Decimal::from(798_930)))
    );
    assert_eq!(s[0].staff, 2);
    assert_eq!(s[1].staff, 0);
    assert_eq!(s[1].claimed.value(), Some(Money::ZERO));
    // Claims equal running the engine for the PCN alone.
    let mut inputs = PcnInputs::weighted(Decimal::from(30_000));
    inputs.pcn = Some(a);
    let e = entitlement(book, fy, &inputs, EntitlementOptions::default()).unwrap();
    let alone = claims(book, fy, &inputs, &e, &staff).unwrap();
    assert_eq!(s[0].claimed, alone.total().unwrap());
    assert_eq!(s[0].by_month, alone.by_month().unwrap());
    assert_eq!(s[0].headroom, alone.headroom("main"));
    // Staff of a PCN not summarised are an error, not dropped.
    let orphan = vec![StaffMember::from_record(row("cp-3", "U90002")).unwrap()];
    let err = summarise(book, fy, &weighted, &orphan).unwrap_err();
    assert_eq!(
        err.to_string(),
        "staff cp-3: PCN U90002 is not among the PCNs summarised"
    );
    // A bad cell names its column; dates take the NHS forms (16/04/2025 is 16 April) and a
    // nonsense year is an error, not a date.
    let with_start = |start: &'static str| {
        StaffMember::from_record(move |c| {
            if c == "start" {
                Some(start)
            } else {
                row("x", "U90000")(c)
            }
        })
    };
    assert_eq!(with_start("16/04/2025").unwrap().start, d(2025, 4, 16));
    for bad in ["2025-13-40", "-026-01-01", "+12025-01-01"] {
        assert_eq!(with_start(bad).unwrap_err().column, "start", "{bad}");
    }
}

/// London weighting comes through the staff table's `area` column: the 2024/25 enhanced
/// practice nurse has national, outer and inner London maxima.
#[test]
fn the_area_column_selects_the_london_maximum() {
    let book = RuleBook::builtin();
    let csv = "id,pcn,role,wte,start,annual_cost,area\n\
               n,U90000,enhanced_practice_nurse,1,2024-04-01,90000,\n\
               o,U90000,enhanced_practice_nurse,1,2024-04-01,90000,outer_london\n\
               i,U90000,enhanced_practice_nurse,1,2024-04-01,90000,Inner London\n\
               x,U90000,enhanced_practice_nurse,1,2024-04-01,90000,mars\n";
    let staff = read_staff(
        csv.as_bytes(),
        pcnkit_core::read::ImportOptions::new("staff.csv"),
        StaffTableChecks::new(book),
    )
    .unwrap();
    assert_eq!(
        staff.errors[0].to_string(),
        "staff.csv, line 5, field `area`: \"mars\": expected national, outer_london or inner_london"
    );
    let areas: Vec<Area> = staff.records.iter().map(|s| s.area).collect();
    assert_eq!(
        areas,
        [Area::National, Area::OuterLondon, Area::InnerLondon]
    );
    let (book, fy, inputs, e) = setup("2024/25", 30_000);
    let april = |s: &StaffMember| {
        let r = claims(book, fy, &inputs, &e, std::slice::from_ref(s)).unwrap();
        pennies(r.lines[0].maximum.unwrap())
    };
    // £60,401, £67,369 and £70,330 a year (MIP-EPN), for April's 30 of 365 days.
    assert_eq!(april(&staff.records[0]), "£4,964.47");
    assert_eq!(april(&staff.records[1]), "£5,537.18");
    assert_eq!(april(&staff.records[2]), "£5,780.55");
}

#[test]
fn traces_do_not_change_a_figure() {
    let (book, fy, inputs, e) = setup("2025/26", 3_000);
    let team = [
        staff("A", "clinical_pharmacist", "1", d(2025, 4, 1), "70000"),
        staff("B", "clinical_pharmacist", "0.5", d(2025, 6, 20), "30000"),
        staff(
            "C",
            "social_prescribing_link_worker",
            "1",
            d(2025, 9, 3),
            "31000",
        ),
        staff("D", "no_such_role", "1", d(2025, 4, 1), "31000"),
    ];
    let plain = pcnkit_arrs::claims(book, fy, &inputs, &e, &team).unwrap();
    assert!(
        plain.lines.iter().all(|l| l.trace.is_none()),
        "none unless asked for"
    );
    let mut explained = claims(book, fy, &inputs, &e, &team).unwrap();
    assert!(
        explained
            .lines
            .iter()
            .all(|l| l.trace.as_ref().is_some_and(|t| !t.is_empty()))
    );
    for l in &mut explained.lines {
        l.trace = None;
    }
    assert_eq!(plain, explained);
    // The explanation table needs the trace, and says so rather than explaining nothing.
    let err = table::explanation(&plain.lines[0]).unwrap_err();
    assert!(
        err.to_string().contains("ClaimsOptions::explained"),
        "{err}"
    );
    let steps =
        table::explanation(&claims(book, fy, &inputs, &e, &team).unwrap().lines[0]).unwrap();
    assert_eq!(
        steps.num_rows(),
        trace(&claims(book, fy, &inputs, &e, &team).unwrap().lines[0]).len() + 1
    );
}

#[test]
fn a_finding_repeated_every_month_is_one_finding_naming_the_months() {
    // 2025/26: the social prescribing link worker's maximum is NF, so every month of the year
    // would find the same thing; the report names it once, with its months.
    let (book, fy, inputs, e) = setup("2025/26", 40_000);
    let team = [staff(
        "SP1",
        "social_prescribing_link_worker",
        "1",
        d(2025, 4, 1),
        "30000",
    )];
    let report = claims(book, fy, &inputs, &e, &team).unwrap();
    let nf: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.rule == "arrs.figure_not_found")
        .collect();
    assert_eq!(nf.len(), 1, "{nf:?}");
    assert_eq!(
        nf[0].subject.as_deref(),
        Some("staff SP1, 2025-04 to 2026-03 (12 months)")
    );
    assert_eq!(nf[0].severity, pcnkit_core::Severity::Warning);
    // And the one Arrow shape of findings carries it.
    let table = pcnkit_core::findings_table(&report.findings).unwrap();
    assert_eq!(
        table
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect::<Vec<_>>(),
        [
            "rule", "severity", "subject", "message", "source", "file", "line", "field"
        ]
    );
}
