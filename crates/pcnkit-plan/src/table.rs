//! Plans as Arrow tables (the CLI writes them; Python and the report read them).

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};

use crate::error::PlanError;
use crate::leads::LeadPlan;

/// One row per patch: `lead` (1, 2, …), `pcns` (codes joined by `;`), `pcn_count`,
/// `population`, `imd_score` (null when unknown), `sessions_per_week`,
/// `patients_per_session`, `optimal` (whether the plan is proven the best).
pub fn patches(plan: &LeadPlan) -> Result<RecordBatch, PlanError> {
    let n = plan.patches.len();
    let text = |f: &dyn Fn(&crate::leads::Patch) -> String| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(plan.patches.iter().map(f)))
    };
    let lead: ArrayRef = Arc::new(StringArray::from_iter_values(
        (1..=n).map(|i| i.to_string()),
    ));
    let pcns = text(&|p| {
        p.pcns
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(";")
    });
    let count: ArrayRef = Arc::new(UInt64Array::from_iter_values(
        plan.patches.iter().map(|p| p.pcns.len() as u64),
    ));
    let population: ArrayRef = Arc::new(UInt64Array::from_iter_values(
        plan.patches.iter().map(|p| p.population),
    ));
    let score: ArrayRef = Arc::new(Float64Array::from_iter(
        plan.patches.iter().map(|p| p.imd_score),
    ));
    let sessions = text(&|p| p.sessions_per_week.to_string());
    let per_session = text(&|p| p.patients_per_session.to_string());
    let optimal = text(&|_| plan.optimal.to_string());
    RecordBatch::try_from_iter([
        ("lead", lead),
        ("pcns", pcns),
        ("pcn_count", count),
        ("population", population),
        ("imd_score", score),
        ("sessions_per_week", sessions),
        ("patients_per_session", per_session),
        ("optimal", optimal),
    ])
    .map_err(|e| PlanError::Invalid(e.to_string()))
}

/// One row per area of a CHWW plan: `area`, `imd_decile`, `households`, `weight` (per
/// household), `workers`, `households_covered`, `coverage` (null without households).
pub fn chww_areas(plan: &crate::chww::ChwwPlan) -> Result<RecordBatch, PlanError> {
    let a = &plan.areas;
    RecordBatch::try_from_iter([
        (
            "area",
            Arc::new(StringArray::from_iter_values(
                a.iter().map(|r| r.code.as_str()),
            )) as ArrayRef,
        ),
        (
            "imd_decile",
            Arc::new(UInt64Array::from_iter_values(
                a.iter().map(|r| u64::from(r.decile.get())),
            )),
        ),
        (
            "households",
            Arc::new(UInt64Array::from_iter_values(
                a.iter().map(|r| r.households),
            )),
        ),
        (
            "weight",
            Arc::new(Float64Array::from_iter_values(a.iter().map(|r| r.weight))),
        ),
        (
            "workers",
            Arc::new(UInt64Array::from_iter_values(a.iter().map(|r| r.workers))),
        ),
        (
            "households_covered",
            Arc::new(UInt64Array::from_iter_values(
                a.iter().map(|r| r.households_covered),
            )),
        ),
        (
            "coverage",
            Arc::new(Float64Array::from_iter(a.iter().map(|r| r.coverage))),
        ),
    ])
    .map_err(|e| PlanError::Invalid(e.to_string()))
}

/// One row per IMD decile (1 = most deprived) of a CHWW plan: `imd_decile`, `areas`,
/// `households`, `workers`, `households_covered`, `coverage` (null without households).
pub fn chww_deciles(plan: &crate::chww::ChwwPlan) -> Result<RecordBatch, PlanError> {
    let d = &plan.deciles;
    let count = |f: fn(&crate::chww::DecileCoverage) -> u64| -> ArrayRef {
        Arc::new(UInt64Array::from_iter_values(d.iter().map(f)))
    };
    RecordBatch::try_from_iter([
        ("imd_decile", count(|r| u64::from(r.decile.get()))),
        ("areas", count(|r| r.areas)),
        ("households", count(|r| r.households)),
        ("workers", count(|r| r.workers)),
        ("households_covered", count(|r| r.households_covered)),
        (
            "coverage",
            Arc::new(Float64Array::from_iter(d.iter().map(|r| r.coverage))) as ArrayRef,
        ),
    ])
    .map_err(|e| PlanError::Invalid(e.to_string()))
}

/// One row per measure of a CHWW plan: `measure`, `value` (text; null when unknown), `note`:
/// workers, workers_placed, budget_left, households_per_worker, households,
/// households_covered, coverage, most_deprived_quintile_coverage, sii, weighting, deciles.
pub fn chww_summary(plan: &crate::chww::ChwwPlan) -> Result<RecordBatch, PlanError> {
    let ratio = |x: Option<f64>| x.map(|v| format!("{v:.4}"));
    let rows: Vec<(&str, Option<String>, Option<String>)> = vec![
        ("workers", Some(plan.workers.to_string()), None),
        ("workers_placed", Some(plan.workers_placed.to_string()), None),
        (
            "budget_left",
            plan.budget_left.map(|m| m.pounds().to_string()),
            plan.budget_left.is_none().then(|| "planned from a number of workers".to_owned()),
        ),
        (
            "households_per_worker",
            Some(plan.households_per_worker.to_string()),
            Some(crate::chww::PATCH_SOURCES.to_owned()),
        ),
        ("households", Some(plan.households.to_string()), None),
        (
            "households_covered",
            Some(plan.households_covered.to_string()),
            None,
        ),
        (
            "coverage",
            ratio((plan.households > 0).then(|| plan.households_covered as f64 / plan.households as f64)),
            None,
        ),
        (
            "most_deprived_quintile_coverage",
            ratio(plan.most_deprived_quintile_coverage),
            plan.most_deprived_quintile_coverage
                .is_none()
                .then(|| "no households in deciles 1 and 2".to_owned()),
        ),
        (
            "sii",
            ratio(plan.sii),
            Some(plan.sii_note.clone().unwrap_or_else(|| {
                "slope index of inequality of coverage across deciles (least minus most deprived; negative: the deprived are better covered)".to_owned()
            })),
        ),
        ("weighting", Some(plan.weighting.clone()), None),
        ("deciles", Some(plan.decile_basis.clone()), None),
    ];
    RecordBatch::try_from_iter([
        (
            "measure",
            Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.0))) as ArrayRef,
        ),
        (
            "value",
            Arc::new(StringArray::from_iter(rows.iter().map(|r| r.1.clone()))),
        ),
        (
            "note",
            Arc::new(StringArray::from_iter(rows.iter().map(|r| r.2.clone()))),
        ),
    ])
    .map_err(|e| PlanError::Invalid(e.to_string()))
}
