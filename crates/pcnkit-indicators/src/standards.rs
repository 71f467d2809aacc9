//! Standard populations beyond ESP2013, built in with their sources, attached to a table as
//! a weight column by age-band label (for [`Standard::ColumnWithBands`](crate::Standard) or
//! [`Standard::Column`](crate::Standard)).
//!
//! - `esp1976`: the European Standard Population 1976 in 18 bands (0-4 8,000; 5-9 … 50-54
//!   7,000 each; 55-59 6,000; 60-64 5,000; 65-69 4,000; 70-74 3,000; 75-79 2,000; 80-84 and
//!   85+ 1,000; total 100,000), as the UKHSA R package PHEindicatormethods ships it in its DSR
//!   test data (`test_DSR_1976`), where pcnkit's result agrees with R's.
//!
//! The WHO World Standard Population is not built in: its figures are not in a source pcnkit
//! holds; give it as a column or a mapping until they are.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch};
use arrow_schema::DataType;
use pcnkit_core::AgeBand;

use crate::error::IndicatorError;

/// A standard population: weights by age band, with its source.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StandardPopulation {
    /// Its name (`esp1976`).
    pub name: &'static str,
    /// The bands and their weights, youngest first.
    pub bands: Vec<(AgeBand, f64)>,
    /// Where the figures come from.
    pub source: &'static str,
}

const ESP1976: [(&str, f64); 18] = [
    ("0-4", 8000.0),
    ("5-9", 7000.0),
    ("10-14", 7000.0),
    ("15-19", 7000.0),
    ("20-24", 7000.0),
    ("25-29", 7000.0),
    ("30-34", 7000.0),
    ("35-39", 7000.0),
    ("40-44", 7000.0),
    ("45-49", 7000.0),
    ("50-54", 7000.0),
    ("55-59", 6000.0),
    ("60-64", 5000.0),
    ("65-69", 4000.0),
    ("70-74", 3000.0),
    ("75-79", 2000.0),
    ("80-84", 1000.0),
    ("85+", 1000.0),
];

impl StandardPopulation {
    /// A built-in standard by name: `esp1976`.
    pub fn named(name: &str) -> Result<Self, IndicatorError> {
        match name.trim().to_ascii_lowercase().as_str() {
            "esp1976" => Ok(StandardPopulation {
                name: "esp1976",
                bands: ESP1976
                    .iter()
                    .map(|(l, w)| {
                        l.parse::<AgeBand>()
                            .map(|b| (b, *w))
                            .map_err(|e| IndicatorError::Invalid(e.to_string()))
                    })
                    .collect::<Result<_, _>>()?,
                source: "European Standard Population 1976, as in the UKHSA R package PHEindicatormethods (DSR test data test_DSR_1976)",
            }),
            other => Err(IndicatorError::Invalid(format!(
                "no built-in standard population {other:?}: esp1976 (ESP2013 is the DSR's default; give others as a column)"
            ))),
        }
    }

    /// `batch` with a `column` of this standard's weight for each row's age band (read from
    /// `age_band`, in any spelling pcnkit parses); a band the standard does not have is an
    /// error naming it.
    pub fn attach(
        &self,
        batch: &RecordBatch,
        age_band: &str,
        column: &str,
    ) -> Result<RecordBatch, IndicatorError> {
        let labels = crate::frame::column(batch, age_band)?;
        let labels = arrow_cast::cast(labels, &DataType::Utf8)?;
        let labels = labels.as_string::<i32>();
        let mut weights = Vec::with_capacity(labels.len());
        for i in 0..labels.len() {
            if labels.is_null(i) {
                weights.push(None);
                continue;
            }
            let label = labels.value(i);
            let band: AgeBand = label.parse().map_err(|_| IndicatorError::Column {
                column: age_band.to_owned(),
                problem: format!("row {i}: {label:?} is not an age band"),
            })?;
            let w = self
                .bands
                .iter()
                .find(|(b, _)| *b == band)
                .map(|(_, w)| *w)
                .ok_or_else(|| IndicatorError::Column {
                    column: age_band.to_owned(),
                    problem: format!("row {i}: {label} is not one of the {} bands", self.name),
                })?;
            weights.push(Some(w));
        }
        crate::frame::with_columns(
            batch,
            vec![(column, Arc::new(Float64Array::from(weights)) as ArrayRef)],
        )
    }
}
