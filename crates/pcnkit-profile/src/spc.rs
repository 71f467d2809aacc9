//! Control charts for the profile: each PCN's monthly activity and the ICS's, and the ICS's
//! ARRS claims by month, as XmR charts with their variation and assurance.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use pcnkit_core::{Month, PcnCode};
use pcnkit_indicators::spc::{Direction, SpcChart, SpcOptions, xmr};
use pcnkit_indicators::spc_table::SpcSpec;

use crate::{ArrsProfile, ProfileError, ProfileInputs, ProfileOptions};

/// One chart with its months.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MonthlyChart {
    /// What it is of (a PCN code, `ICS`).
    pub label: String,
    /// The months, in order.
    pub months: Vec<Month>,
    /// The chart.
    pub chart: SpcChart,
}

/// The profile's control charts.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SpcProfile {
    /// What the activity counts (e.g. appointments).
    pub label: String,
    /// The improvement direction of the activity.
    pub direction: Direction,
    /// The ICS's monthly total (a month any PCN lacks is missing, so the chart breaks there).
    pub ics: Option<MonthlyChart>,
    /// Each PCN's chart, in code order.
    pub pcns: Vec<MonthlyChart>,
    /// The ICS's ARRS claims by month (known totals; an incomplete month is missing).
    pub arrs_claims: Option<MonthlyChart>,
    tables: Vec<(String, RecordBatch)>,
}

impl SpcProfile {
    /// The named tables: `activity_spc` (every PCN's points), `activity_spc_summary` (one row
    /// per PCN), `activity_spc_ics` and, with ARRS claims, `arrs_claims_spc`.
    pub fn tables(&self) -> &[(String, RecordBatch)] {
        &self.tables
    }
}

fn chart_table(c: &MonthlyChart) -> Result<RecordBatch, ProfileError> {
    let p = &c.chart.points;
    let float = |f: &dyn Fn(&pcnkit_indicators::spc::SpcPoint) -> Option<f64>| -> ArrayRef {
        Arc::new(p.iter().map(f).collect::<Float64Array>())
    };
    Ok(pcnkit_core::arrow::nullable_batch([
        (
            "month",
            Arc::new(StringArray::from_iter_values(
                c.months.iter().map(ToString::to_string),
            )) as ArrayRef,
        ),
        ("value", float(&|p| p.value)),
        ("mean", float(&|p| p.mean)),
        ("lcl", float(&|p| p.limits.map(|l| l.0))),
        ("ucl", float(&|p| p.limits.map(|l| l.1))),
        (
            "variation",
            Arc::new(StringArray::from_iter_values(
                p.iter().map(|p| p.variation.label()),
            )),
        ),
        (
            "assurance",
            Arc::new(
                p.iter()
                    .map(|_| c.chart.assurance.map(|a| a.label()))
                    .collect::<StringArray>(),
            ),
        ),
    ])?)
}

/// A series over every month from the first to the last, a missing month as `None`.
fn series(values: &BTreeMap<Month, Option<f64>>) -> (Vec<Month>, Vec<Option<f64>>) {
    let (Some(first), Some(last)) = (values.keys().next(), values.keys().next_back()) else {
        return (Vec::new(), Vec::new());
    };
    let mut months = Vec::new();
    let mut m = *first;
    while m <= *last {
        months.push(m);
        m = m.next();
    }
    let v = months
        .iter()
        .map(|m| values.get(m).copied().flatten())
        .collect();
    (months, v)
}

/// The control charts of `inputs` (activity) and of the ARRS claims, when there are any.
pub(crate) fn spc(
    inputs: &ProfileInputs,
    options: &ProfileOptions,
    arrs: Option<&ArrsProfile>,
) -> Result<Option<SpcProfile>, ProfileError> {
    let chart_options = SpcOptions::default().direction(options.activity_direction);
    let mut tables = Vec::new();
    let mut pcns = Vec::new();
    let mut ics = None;
    if let Some(rows) = &inputs.activity {
        let table = pcnkit_indicators::activity::activity_table(rows)?;
        let spec = SpcSpec::new("count", "month", chart_options.clone()).group_by(&["pcn"]);
        tables.push((
            "activity_spc".to_owned(),
            spec.run(std::slice::from_ref(&table))?,
        ));
        tables.push(("activity_spc_summary".to_owned(), spec.summary(&[table])?));
        let mut by_pcn: BTreeMap<PcnCode, BTreeMap<Month, Option<f64>>> = BTreeMap::new();
        let mut all_months: BTreeMap<Month, ()> = BTreeMap::new();
        for r in rows {
            by_pcn
                .entry(r.pcn)
                .or_default()
                .insert(r.month, Some(r.count.get() as f64));
            all_months.insert(r.month, ());
        }
        for (pcn, values) in &by_pcn {
            let (months, v) = series(values);
            pcns.push(MonthlyChart {
                label: pcn.to_string(),
                chart: xmr(&v, &chart_options)?,
                months,
            });
        }
        // The ICS total: a month is known only when every PCN with activity has it.
        let total: BTreeMap<Month, Option<f64>> = all_months
            .keys()
            .map(|m| {
                let parts: Option<Vec<f64>> = by_pcn
                    .values()
                    .map(|v| v.get(m).copied().flatten())
                    .collect();
                (*m, parts.map(|p| p.iter().sum()))
            })
            .collect();
        let (months, v) = series(&total);
        let chart = MonthlyChart {
            label: "ICS".to_owned(),
            chart: xmr(&v, &chart_options.clone().target(options.activity_target))?,
            months,
        };
        tables.push(("activity_spc_ics".to_owned(), chart_table(&chart)?));
        ics = Some(chart);
    }
    let mut arrs_claims = None;
    if let Some(a) = arrs.filter(|a| a.claims) {
        let mut total: BTreeMap<Month, Option<f64>> = BTreeMap::new();
        for m in a.year.months() {
            let mut sum = pcnkit_core::MoneyTotal::ZERO;
            for p in &a.pcns {
                if let Some(t) = p.by_month.get(&m) {
                    sum = sum.checked_add(*t)?;
                }
            }
            total.insert(
                m,
                sum.value()
                    .and_then(|v| rust_decimal::prelude::ToPrimitive::to_f64(&v.pounds())),
            );
        }
        let (months, v) = series(&total);
        let chart = MonthlyChart {
            label: "ARRS claims".to_owned(),
            chart: xmr(&v, &SpcOptions::default())?,
            months,
        };
        tables.push(("arrs_claims_spc".to_owned(), chart_table(&chart)?));
        arrs_claims = Some(chart);
    }
    if tables.is_empty() {
        return Ok(None);
    }
    Ok(Some(SpcProfile {
        label: options.activity_label.clone(),
        direction: options.activity_direction,
        ics,
        pcns,
        arrs_claims,
        tables,
    }))
}
