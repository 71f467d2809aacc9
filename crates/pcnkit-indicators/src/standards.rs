//! Standard populations beyond ESP2013, built in with their sources, attached to a table as
//! a weight column by age-band label (for [`Standard::ColumnWithBands`](crate::Standard) or
//! [`Standard::Column`](crate::Standard)).
//!
//! - `esp1976`: the European Standard Population 1976 in 18 bands (0-4 8,000; 5-9 … 50-54
//!   7,000 each; 55-59 6,000; 60-64 5,000; 65-69 4,000; 70-74 3,000; 75-79 2,000; 80-84 and
//!   85+ 1,000; total 100,000), as the UKHSA R package PHEindicatormethods ships it in its DSR
//!   test data (`test_DSR_1976`), where pcnkit's result agrees with R's.
//!
//! - `who2000`: the WHO World Standard Population (2000–2025) of Ahmad O.B. et al., *Age
//!   standardization of rates: a new WHO standard*, GPE Discussion Paper Series No. 31, WHO
//!   2001, in UKHSA's 19 bands (0-4 8,860; 5-9 8,690; 10-14 8,600; 15-19 8,470; 20-24 8,220;
//!   25-29 7,930; 30-34 7,610; 35-39 7,150; 40-44 6,590; 45-49 6,040; 50-54 5,370; 55-59 4,550;
//!   60-64 3,720; 65-69 2,960; 70-74 2,210; 75-79 1,520; 80-84 910; 85-89 440; and 90+ 195,
//!   WHO's 90-94 150, 95-99 40 and 100+ 5 merged). As published, the weights sum to 100,035,
//!   not 100,000 (rounding in the source); a DSR divides by the sum of the weights, so nothing
//!   is rescaled.

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

const WHO2000: [(&str, f64); 19] = [
    ("0-4", 8860.0),
    ("5-9", 8690.0),
    ("10-14", 8600.0),
    ("15-19", 8470.0),
    ("20-24", 8220.0),
    ("25-29", 7930.0),
    ("30-34", 7610.0),
    ("35-39", 7150.0),
    ("40-44", 6590.0),
    ("45-49", 6040.0),
    ("50-54", 5370.0),
    ("55-59", 4550.0),
    ("60-64", 3720.0),
    ("65-69", 2960.0),
    ("70-74", 2210.0),
    ("75-79", 1520.0),
    ("80-84", 910.0),
    ("85-89", 440.0),
    ("90+", 195.0),
];

fn bands(table: &[(&str, f64)]) -> Result<Vec<(AgeBand, f64)>, IndicatorError> {
    table
        .iter()
        .map(|(l, w)| {
            l.parse::<AgeBand>()
                .map(|b| (b, *w))
                .map_err(|e| IndicatorError::Invalid(e.to_string()))
        })
        .collect()
}

impl StandardPopulation {
    /// The names of the built-in standards.
    pub const NAMES: [&'static str; 2] = ["esp1976", "who2000"];

    /// A built-in standard by name: `esp1976` or `who2000`.
    pub fn named(name: &str) -> Result<Self, IndicatorError> {
        match name.trim().to_ascii_lowercase().as_str() {
            "esp1976" => Ok(StandardPopulation {
                name: "esp1976",
                bands: bands(&ESP1976)?,
                source: "European Standard Population 1976, as in the UKHSA R package PHEindicatormethods (DSR test data test_DSR_1976)",
            }),
            "who2000" => Ok(StandardPopulation {
                name: "who2000",
                bands: bands(&WHO2000)?,
                source: "WHO World Standard Population 2000-2025: Ahmad OB et al., Age standardization of rates: a new WHO standard, GPE Discussion Paper Series No. 31, World Health Organization, 2001 (90-94, 95-99 and 100+ merged as 90+; the published weights sum to 100,035)",
            }),
            other => Err(IndicatorError::Invalid(format!(
                "no built-in standard population {other:?}: esp1976 or who2000 (ESP2013 is the DSR's default; give others as a column)"
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
