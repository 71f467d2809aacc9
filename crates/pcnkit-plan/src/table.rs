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
