//! The schema (names, types, nullability) of every ARRS table and of the shared findings
//! table, snapshotted: the CLI, the report and Python all emit these, and users read them by
//! name; a change is reviewed (`cargo insta review`), never accidental.

use pcnkit_arrs::*;
use pcnkit_core::{FinancialYear, Money, PcnCode};
use rust_decimal::Decimal;

use crate::d;

fn schema(name: &str, b: &arrow_array::RecordBatch) -> String {
    let mut out = format!("{name}\n");
    for f in b.schema().fields() {
        out.push_str(&format!(
            "  {}: {}{}\n",
            f.name(),
            f.data_type(),
            if f.is_nullable() { "" } else { " (not null)" }
        ));
    }
    out
}

#[test]
fn every_arrs_table_schema() {
    let book = RuleBook::builtin();
    let fy: FinancialYear = "2025/26".parse().unwrap();
    let pcn: PcnCode = "U90000".parse().unwrap();
    let mut inputs = PcnInputs::weighted(Decimal::from(30_000));
    inputs.pcn = Some(pcn);
    let mut cp = StaffMember::new(
        "CP1",
        "clinical_pharmacist",
        "1".parse().unwrap(),
        d(2025, 4, 1),
        "60000".parse().unwrap(),
    );
    cp.pcn = Some(pcn);
    let e = entitlement(book, fy, &inputs, EntitlementOptions::default()).unwrap();
    let report = claims_with(
        book,
        fy,
        &inputs,
        &e,
        std::slice::from_ref(&cp),
        ClaimsOptions::explained(),
    )
    .unwrap();
    let hire = Hire::new(
        "pharmacy_technician",
        Money::from_pounds(Decimal::from(41_000)),
        fy.first_day(),
    );
    let plan = plan(
        book,
        fy,
        &inputs,
        &e,
        std::slice::from_ref(&cp),
        Some(&hire),
    )
    .unwrap();
    let pcns = [(pcn, inputs.clone())].into_iter().collect();
    let summary = summarise(book, fy, &pcns, std::slice::from_ref(&cp)).unwrap();
    let mut out = String::new();
    out += &schema("figures", &table::figures(book, fy).unwrap());
    out += &schema(
        "entitlement_lines",
        &table::entitlement_lines(book, &e).unwrap(),
    );
    out += &schema("claim_lines", &table::claim_lines(&report).unwrap());
    out += &schema("pools", &table::pools(&report).unwrap());
    out += &schema(
        "explanation",
        &table::explanation(&report.lines[0]).unwrap(),
    );
    out += &schema("plan", &table::plan("pharmacy_technician", &plan).unwrap());
    out += &schema("summary", &table::summary(&summary).unwrap());
    out += &schema("by_month", &table::by_month(&summary, fy).unwrap());
    out += &schema("by_role_month", &table::by_role_month(&summary).unwrap());
    out += &schema(
        "findings (pcnkit_core::findings_table)",
        &pcnkit_core::findings_table(&report.findings).unwrap(),
    );
    insta::assert_snapshot!("arrs-table-schemas", out);
}
