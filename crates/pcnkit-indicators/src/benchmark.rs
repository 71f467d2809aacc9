//! Benchmarking as Fingertips shows it: each area compared with a comparator (England, the ICB,
//! a parent area's row, or a given value with or without its interval) by whether their
//! intervals overlap, or placed in quintiles, and with the indicator's polarity called Better /
//! Similar / Worse, Higher / Similar / Lower, or Not compared, with the colours Fingertips uses.
//!
//! - **Interval comparison:** an area whose interval (95% or 99.8%, the columns given) lies
//!   wholly above the comparator is higher, wholly below lower, else similar. A comparator
//!   with its own interval is compared interval to interval (they overlap: similar). With the
//!   polarity *high is good* higher is Better, with *low is good* Worse; with *no judgement*
//!   the words are Higher and Lower. An area without a value or limits, or a comparator
//!   without a value, is Not compared.
//! - **Quintiles:** the areas of a group ranked by value into fifths (OHID's quantile method,
//!   [`crate::quantiles`]): Lowest, Low, Middle, High, Highest; with a polarity Worst, Worse,
//!   Middle, Better, Best (or the other way round).
//! - **Colours** (`comparison_colour`): Fingertips' palette, from the UKHSA fingertipscharts R
//!   package (`scale_fill_phe`, R/theme.R): Better `#92D050`, Similar `#FFC000`, Worse
//!   `#C00000`, Higher `#BED2FF`, Lower `#5555E6`, Not compared `#C9C9C9`. The quintile
//!   colours are not in a source pcnkit has, so quintiles have no colour (null), not a guess.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::DataType;

use crate::error::IndicatorError;
use crate::frame::{floats, row_keys, with_columns};

/// Which direction of an indicator is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum Polarity {
    /// Higher values are better (e.g. screening coverage).
    HighIsGood,
    /// Lower values are better (e.g. mortality).
    LowIsGood,
    /// No judgement (e.g. prevalence): Higher or Lower.
    NoJudgement,
}

impl std::str::FromStr for Polarity {
    type Err = IndicatorError;
    /// `high-is-good`, `low-is-good` or `no-judgement` (`_` or `-`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "high-is-good" => Ok(Polarity::HighIsGood),
            "low-is-good" => Ok(Polarity::LowIsGood),
            "no-judgement" | "no-judgment" => Ok(Polarity::NoJudgement),
            other => Err(IndicatorError::Invalid(format!(
                "polarity {other:?}: high-is-good, low-is-good or no-judgement"
            ))),
        }
    }
}

/// The result of comparing an area with its comparator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum Comparison {
    /// Better than the comparator.
    Better,
    /// Not significantly different.
    Similar,
    /// Worse.
    Worse,
    /// Higher (no judgement).
    Higher,
    /// Lower (no judgement).
    Lower,
    /// Not compared: a value, a limit or the comparator is missing.
    NotCompared,
}

impl Comparison {
    /// The word Fingertips shows.
    pub fn label(self) -> &'static str {
        match self {
            Comparison::Better => "Better",
            Comparison::Similar => "Similar",
            Comparison::Worse => "Worse",
            Comparison::Higher => "Higher",
            Comparison::Lower => "Lower",
            Comparison::NotCompared => "Not compared",
        }
    }

    /// Fingertips' colour for it (UKHSA fingertipscharts, `scale_fill_phe`).
    pub fn colour(self) -> &'static str {
        match self {
            Comparison::Better => "#92D050",
            Comparison::Similar => "#FFC000",
            Comparison::Worse => "#C00000",
            Comparison::Higher => "#BED2FF",
            Comparison::Lower => "#5555E6",
            Comparison::NotCompared => "#C9C9C9",
        }
    }

    /// Every comparison, for a legend.
    pub const ALL: [Comparison; 6] = [
        Comparison::Better,
        Comparison::Similar,
        Comparison::Worse,
        Comparison::Higher,
        Comparison::Lower,
        Comparison::NotCompared,
    ];
}

/// Where the colours come from.
pub const COLOURS_SOURCE: &str = "UKHSA fingertipscharts R package, scale_fill_phe (R/theme.R), https://github.com/ukhsa-collaboration/fingertipscharts";

/// The comparisons with their labels, colours and source, as a table (`comparison`,
/// `colour`, `source`) for a legend.
pub fn colours_table() -> Result<RecordBatch, IndicatorError> {
    let text = |f: &dyn Fn(Comparison) -> String| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(Comparison::ALL.map(f)))
    };
    Ok(RecordBatch::try_from_iter([
        ("comparison", text(&|c| c.label().to_owned())),
        ("colour", text(&|c| c.colour().to_owned())),
        ("source", text(&|_| COLOURS_SOURCE.to_owned())),
    ])?)
}

/// Compares one area's interval with a comparator (a value, or a value with its interval).
pub fn compare(
    area: (Option<f64>, Option<f64>, Option<f64>),
    comparator: (Option<f64>, Option<f64>, Option<f64>),
    polarity: Polarity,
) -> Comparison {
    let (Some(_), Some(lower), Some(upper)) = area else {
        return Comparison::NotCompared;
    };
    let Some(value) = comparator.0 else {
        return Comparison::NotCompared;
    };
    if !(lower.is_finite() && upper.is_finite() && value.is_finite()) {
        return Comparison::NotCompared;
    }
    let (c_lower, c_upper) = match comparator {
        (_, Some(l), Some(u)) if l.is_finite() && u.is_finite() => (l, u),
        _ => (value, value),
    };
    let higher = lower > c_upper;
    let lower_ = upper < c_lower;
    match (polarity, higher, lower_) {
        (_, false, false) => Comparison::Similar,
        (Polarity::HighIsGood, true, _) | (Polarity::LowIsGood, _, true) => Comparison::Better,
        (Polarity::HighIsGood, _, true) | (Polarity::LowIsGood, true, _) => Comparison::Worse,
        (_, true, _) => Comparison::Higher,
        (_, _, true) => Comparison::Lower,
    }
}

/// What each area is compared with.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Comparator<'a> {
    /// A given value (e.g. England's), without an interval.
    Value(f64),
    /// A given value with its interval.
    Interval {
        /// The value.
        value: f64,
        /// Its lower limit.
        lower: f64,
        /// Its upper limit.
        upper: f64,
    },
    /// The row of each group whose `column` is `value` (e.g. `area` = `England`), with its
    /// value and limits from the same columns as the areas' (that row itself is Not
    /// compared).
    Row {
        /// The column naming the comparator row.
        column: &'a str,
        /// Its value in that column.
        value: &'a str,
        /// Compare with the row's interval too (else with its value).
        with_interval: bool,
    },
    /// Each row's own comparator in columns (e.g. its ICB's value joined on).
    Columns {
        /// The comparator's value column.
        value: &'a str,
        /// Its limit columns, when compared interval to interval.
        limits: Option<(&'a str, &'a str)>,
    },
}

/// How areas are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// By their intervals against the comparator.
    Interval,
    /// By quintiles of the value within each group.
    Quintiles,
}

/// Benchmarking of a table of values with their limits. See the [module docs](self).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BenchmarkSpec<'a> {
    value: &'a str,
    lower: &'a str,
    upper: &'a str,
    comparator: Comparator<'a>,
    polarity: Polarity,
    method: Method,
    group_by: Vec<&'a str>,
}

impl<'a> BenchmarkSpec<'a> {
    /// Compares `value` with limits `lower`, `upper` (the 95% or 99.8% columns) against
    /// `comparator`, interval by interval.
    pub fn new(
        value: &'a str,
        lower: &'a str,
        upper: &'a str,
        comparator: Comparator<'a>,
        polarity: Polarity,
    ) -> Self {
        BenchmarkSpec {
            value,
            lower,
            upper,
            comparator,
            polarity,
            method: Method::Interval,
            group_by: Vec::new(),
        }
    }

    /// Compare within the groups of these columns (e.g. each indicator, each period).
    #[must_use]
    pub fn group_by(mut self, columns: &[&'a str]) -> Self {
        self.group_by = columns.to_vec();
        self
    }

    /// How to compare.
    #[must_use]
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Every input column, then `comparator_value` (the value compared with; null for
    /// quintiles), `comparison` (the word) and `comparison_colour` (Fingertips' colour; null
    /// for quintiles, whose colours are not sourced).
    #[allow(clippy::too_many_lines)]
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        let Some(first) = batches.first() else {
            return Err(IndicatorError::Invalid("no table to benchmark".to_owned()));
        };
        let batch = arrow_select::concat::concat_batches(&first.schema(), batches)?;
        let n = batch.num_rows();
        let value = floats(&batch, self.value)?;
        let (lower, upper) = match self.method {
            Method::Interval => (floats(&batch, self.lower)?, floats(&batch, self.upper)?),
            Method::Quintiles => (vec![None; n], vec![None; n]),
        };
        // Group of each row.
        let keys = row_keys(&batch, &self.group_by)?;
        let mut index: HashMap<&[u8], usize> = HashMap::new();
        let groups: Vec<usize> = keys
            .iter()
            .map(|k| {
                let next = index.len();
                *index.entry(k.as_slice()).or_insert(next)
            })
            .collect();
        let mut comparator_value: Vec<Option<f64>> = vec![None; n];
        let mut comparison: Vec<Option<String>> = vec![None; n];
        let mut colour: Vec<Option<String>> = vec![None; n];
        match self.method {
            Method::Interval => {
                let per_row: Vec<(Option<f64>, Option<f64>, Option<f64>)> = match &self.comparator {
                    Comparator::Value(v) => vec![(Some(*v), None, None); n],
                    Comparator::Interval {
                        value,
                        lower,
                        upper,
                    } => vec![(Some(*value), Some(*lower), Some(*upper)); n],
                    Comparator::Columns { value: v, limits } => {
                        let v = floats(&batch, v)?;
                        let (l, u) = match limits {
                            Some((l, u)) => (floats(&batch, l)?, floats(&batch, u)?),
                            None => (vec![None; n], vec![None; n]),
                        };
                        (0..n).map(|i| (v[i], l[i], u[i])).collect()
                    }
                    Comparator::Row {
                        column,
                        value: name,
                        with_interval,
                    } => {
                        let names = arrow_cast::cast(
                            batch
                                .column_by_name(column)
                                .ok_or_else(|| IndicatorError::Column {
                                    column: (*column).to_owned(),
                                    problem: "not in the table".to_owned(),
                                })?,
                            &DataType::Utf8,
                        )?;
                        let names = names.as_string::<i32>();
                        let mut found: HashMap<usize, usize> = HashMap::new();
                        for (i, g) in groups.iter().enumerate() {
                            if names.is_valid(i)
                                && names.value(i) == *name
                                && found.insert(*g, i).is_some()
                            {
                                return Err(IndicatorError::Column {
                                    column: (*column).to_owned(),
                                    problem: format!(
                                        "row {i}: a second {name} row in the same group"
                                    ),
                                });
                            }
                        }
                        // The comparator row itself is not compared with itself.
                        (0..n)
                            .map(|i| match found.get(&groups[i]) {
                                Some(&c) if c == i => (None, None, None),
                                Some(&c) if *with_interval => (value[c], lower[c], upper[c]),
                                Some(&c) => (value[c], None, None),
                                None => (None, None, None),
                            })
                            .collect()
                    }
                };
                for i in 0..n {
                    let c = compare((value[i], lower[i], upper[i]), per_row[i], self.polarity);
                    comparator_value[i] = per_row[i].0;
                    comparison[i] = Some(c.label().to_owned());
                    colour[i] = Some(c.colour().to_owned());
                }
            }
            Method::Quintiles => {
                let groups_n = groups.iter().max().map_or(0, |m| m + 1);
                for g in 0..groups_n {
                    let rows: Vec<usize> = (0..n).filter(|i| groups[*i] == g).collect();
                    let values: Vec<Option<f64>> = rows.iter().map(|i| value[*i]).collect();
                    // Quintile 1 holds the lowest values.
                    let q = crate::quantiles(&values, 5, false);
                    for (k, i) in rows.iter().enumerate() {
                        comparison[*i] = Some(
                            match (q.get(k).copied().flatten(), self.polarity) {
                                (None, _) => "Not compared",
                                (Some(1), Polarity::NoJudgement) => "Lowest",
                                (Some(2), Polarity::NoJudgement) => "Low",
                                (Some(4), Polarity::NoJudgement) => "High",
                                (Some(5), Polarity::NoJudgement) => "Highest",
                                (Some(1), Polarity::HighIsGood)
                                | (Some(5), Polarity::LowIsGood) => "Worst",
                                (Some(2), Polarity::HighIsGood)
                                | (Some(4), Polarity::LowIsGood) => "Worse",
                                (Some(4), Polarity::HighIsGood)
                                | (Some(2), Polarity::LowIsGood) => "Better",
                                (Some(5), Polarity::HighIsGood)
                                | (Some(1), Polarity::LowIsGood) => "Best",
                                _ => "Middle",
                            }
                            .to_owned(),
                        );
                    }
                }
            }
        }
        with_columns(
            &batch,
            vec![
                (
                    "comparator_value",
                    Arc::new(Float64Array::from(comparator_value)) as ArrayRef,
                ),
                ("comparison", Arc::new(StringArray::from(comparison))),
                ("comparison_colour", Arc::new(StringArray::from(colour))),
            ],
        )
    }
}
