//! XmR charts over Arrow tables: one chart per group (PCN, indicator), points in the order of
//! a period column.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, UInt64Array,
};
use arrow_schema::DataType;

use crate::error::IndicatorError;
use crate::frame::{column, row_keys};
use crate::spc::{SpcChart, SpcOptions, xmr};

/// XmR charts of a table: `value` in the order of `period`, one chart per group.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SpcSpec<'a> {
    value: &'a str,
    period: &'a str,
    group_by: Vec<&'a str>,
    options: SpcOptions,
    rebase_at: Vec<&'a str>,
}

/// The rows of each group in period order: (rows, chart) per group, groups in order of first
/// appearance.
type Charts = Vec<(Vec<usize>, SpcChart)>;

impl<'a> SpcSpec<'a> {
    /// Charts of `value` ordered by `period` (any sortable column: a month `2025-04`, a date,
    /// a number).
    pub fn new(value: &'a str, period: &'a str, options: SpcOptions) -> Self {
        SpcSpec {
            value,
            period,
            group_by: Vec::new(),
            options,
            rebase_at: Vec::new(),
        }
    }

    /// Start a new segment at these periods (as the period column reads as text, e.g.
    /// `2025-10`), in every chart that has them (added to the options' own indices).
    #[must_use]
    pub fn rebase_at(mut self, periods: &[&'a str]) -> Self {
        self.rebase_at = periods.to_vec();
        self
    }

    /// One chart per group of these columns.
    #[must_use]
    pub fn group_by(mut self, columns: &[&'a str]) -> Self {
        self.group_by = columns.to_vec();
        self
    }

    fn charts(&self, batch: &RecordBatch) -> Result<Charts, IndicatorError> {
        let n = batch.num_rows();
        let values: Vec<Option<f64>> =
            arrow_cast::cast(column(batch, self.value)?, &DataType::Float64)?
                .as_primitive::<Float64Type>()
                .iter()
                .collect();
        let groups = row_keys(batch, &self.group_by)?;
        let periods = row_keys(batch, &[self.period])?;
        let period_text = arrow_cast::cast(column(batch, self.period)?, &DataType::Utf8)?;
        let period_text = period_text.as_string::<i32>();
        let rows = crate::frame::groups_in_order(&groups);
        let mut out = Vec::with_capacity(rows.len());
        for mut r in rows {
            r.sort_by(|a, b| periods[*a].cmp(&periods[*b]));
            if let Some(w) = r.windows(2).find(|w| periods[w[0]] == periods[w[1]]) {
                return Err(IndicatorError::Column {
                    column: self.period.to_owned(),
                    problem: format!(
                        "rows {} and {}: the same period twice in one chart",
                        w[0], w[1]
                    ),
                });
            }
            let series: Vec<Option<f64>> = r.iter().map(|i| values[*i]).collect();
            let mut options = self.options.clone();
            options
                .rebase
                .extend(r.iter().enumerate().filter_map(|(k, i)| {
                    (!self.rebase_at.is_empty()
                        && period_text.is_valid(*i)
                        && self.rebase_at.contains(&period_text.value(*i)))
                    .then_some(k)
                }));
            let chart = xmr(&series, &options)?;
            out.push((r, chart));
        }
        debug_assert!(out.iter().map(|(r, _)| r.len()).sum::<usize>() == n);
        Ok(out)
    }

    /// One row per point, groups in order of first appearance and points in period order:
    /// the group and period columns, `value`, `segment`, `mean`, `lcl`, `ucl`, `lower_2s`,
    /// `upper_2s`, `beyond_limits`, `run`, `trend`, `two_of_three`, `special_cause`,
    /// `variation`.
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        let Some(first) = batches.first() else {
            return Err(IndicatorError::Invalid("no table to chart".to_owned()));
        };
        let batch = arrow_select::concat::concat_batches(&first.schema(), batches)?;
        let charts = self.charts(&batch)?;
        let order: Vec<u64> = charts
            .iter()
            .flat_map(|(r, _)| r.iter().map(|i| *i as u64))
            .collect();
        let indices = UInt64Array::from(order);
        let points: Vec<&crate::spc::SpcPoint> =
            charts.iter().flat_map(|(_, c)| &c.points).collect();
        let mut columns: Vec<(String, ArrayRef)> = Vec::new();
        for name in self.group_by.iter().chain([&self.period]) {
            columns.push((
                (*name).to_owned(),
                arrow_select::take::take(column(&batch, name)?, &indices, None)?,
            ));
        }
        let float = |f: &dyn Fn(&crate::spc::SpcPoint) -> Option<f64>| -> ArrayRef {
            Arc::new(points.iter().map(|p| f(p)).collect::<Float64Array>())
        };
        let flag = |f: &dyn Fn(&crate::spc::SpcPoint) -> bool| -> ArrayRef {
            Arc::new(points.iter().map(|p| Some(f(p))).collect::<BooleanArray>())
        };
        columns.push(("value".to_owned(), float(&|p| p.value)));
        columns.push((
            "segment".to_owned(),
            Arc::new(UInt64Array::from_iter_values(
                points.iter().map(|p| p.segment as u64),
            )),
        ));
        columns.push(("mean".to_owned(), float(&|p| p.mean)));
        columns.push(("lcl".to_owned(), float(&|p| p.limits.map(|l| l.0))));
        columns.push(("ucl".to_owned(), float(&|p| p.limits.map(|l| l.1))));
        columns.push(("lower_2s".to_owned(), float(&|p| p.two_sigma.map(|l| l.0))));
        columns.push(("upper_2s".to_owned(), float(&|p| p.two_sigma.map(|l| l.1))));
        columns.push(("beyond_limits".to_owned(), flag(&|p| p.beyond_limits)));
        columns.push(("run".to_owned(), flag(&|p| p.run)));
        columns.push(("trend".to_owned(), flag(&|p| p.trend)));
        columns.push(("two_of_three".to_owned(), flag(&|p| p.two_of_three)));
        columns.push((
            "special_cause".to_owned(),
            flag(&|p| p.beyond_limits || p.run || p.trend || p.two_of_three),
        ));
        columns.push((
            "variation".to_owned(),
            Arc::new(StringArray::from_iter_values(
                points.iter().map(|p| p.variation.label()),
            )),
        ));
        pcnkit_core::arrow::nullable_batch(columns)
            .map_err(|e| IndicatorError::Arrow(e.to_string()))
    }

    /// One row per chart: the group columns, `points`, `latest_variation` (of the last point
    /// with a value), `assurance` (null without a target) and `notes`.
    pub fn summary(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        let Some(first) = batches.first() else {
            return Err(IndicatorError::Invalid("no table to chart".to_owned()));
        };
        let batch = arrow_select::concat::concat_batches(&first.schema(), batches)?;
        let charts = self.charts(&batch)?;
        let groups: Vec<Vec<usize>> = charts.iter().map(|(r, _)| r.clone()).collect();
        let mut columns: Vec<(String, ArrayRef)> =
            crate::frame::group_columns(&batch, &self.group_by, &groups)?;
        columns.push((
            "points".to_owned(),
            Arc::new(UInt64Array::from_iter_values(
                charts.iter().map(|(r, _)| r.len() as u64),
            )),
        ));
        columns.push((
            "latest_variation".to_owned(),
            Arc::new(StringArray::from_iter_values(
                charts.iter().map(|(_, c)| c.latest().label()),
            )),
        ));
        columns.push((
            "assurance".to_owned(),
            Arc::new(
                charts
                    .iter()
                    .map(|(_, c)| c.assurance.map(|a| a.label()))
                    .collect::<StringArray>(),
            ),
        ));
        columns.push((
            "notes".to_owned(),
            Arc::new(
                charts
                    .iter()
                    .map(|(_, c)| (!c.notes.is_empty()).then(|| c.notes.join("; ")))
                    .collect::<StringArray>(),
            ),
        ));
        pcnkit_core::arrow::nullable_batch(columns)
            .map_err(|e| IndicatorError::Arrow(e.to_string()))
    }
}
