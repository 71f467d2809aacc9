//! The requests of the rate and proportion family: proportions, crude rates, means, directly
//! and indirectly standardised rates.

use super::*;

/// A proportion: numerator and denominator columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PairRequest {
    /// The numerator column.
    numerator: String,
    /// The denominator column.
    denominator: String,
    /// Group by these columns (none: one value per row).
    #[serde(default)]
    group_by: Vec<String>,
    /// Confidence levels (absent: 0.95; an empty list: no interval).
    confidence: Option<Vec<f64>>,
    /// The multiplier (absent: 1, a proportion; 100 for a percentage).
    multiplier: Option<f64>,
    /// R's `type`: `full` (absent), `standard`, `value`, `lower` or `upper`.
    #[serde(rename = "type")]
    output_type: Option<String>,
}

/// A crude rate: count and denominator columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateRequest {
    /// The count column.
    numerator: String,
    /// The denominator (population) column.
    denominator: String,
    /// Group by these columns (none: one value per row).
    #[serde(default)]
    group_by: Vec<String>,
    /// Confidence levels (absent: 0.95; an empty list: no interval).
    confidence: Option<Vec<f64>>,
    /// The multiplier (absent: per 100,000).
    multiplier: Option<f64>,
    /// For events a person can have more than once: the column of events per person.
    frequency: Option<String>,
    /// R's `type`: `full` (absent), `standard`, `value`, `lower` or `upper`.
    #[serde(rename = "type")]
    output_type: Option<String>,
}

/// A mean: the value column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeanRequest {
    /// The value column.
    value: String,
    /// Group by these columns (none: one group).
    #[serde(default)]
    group_by: Vec<String>,
    /// Confidence levels (absent: 0.95; an empty list: no interval).
    confidence: Option<Vec<f64>>,
    /// R's `type`: `full` (absent), `standard`, `value`, `lower` or `upper`.
    #[serde(rename = "type")]
    output_type: Option<String>,
}

/// A directly standardised rate: counts and populations by age band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DsrRequest {
    /// The count column.
    count: String,
    /// The population column.
    denominator: String,
    /// The age-band column: ESP2013 (or `standard`) matched on its labels.
    age_band: Option<String>,
    /// A column holding the standard population of each row, instead of a built-in one.
    standard_population: Option<String>,
    /// A built-in standard other than ESP2013: `esp1976` or `who2000` (needs `age_band`).
    standard: Option<String>,
    /// Group by these columns (none: one group).
    #[serde(default)]
    group_by: Vec<String>,
    /// Confidence levels (absent: 0.95; an empty list: no interval).
    confidence: Option<Vec<f64>>,
    /// The multiplier (absent: per 100,000).
    multiplier: Option<f64>,
    /// For events a person can have more than once: the column of events per person.
    frequency: Option<String>,
    /// What several rows of one band in a group do: `sum` (absent) or `refuse`.
    repeated_bands: Option<String>,
    /// R's `type`: `full` (absent), `standard`, `value`, `lower` or `upper`.
    #[serde(rename = "type")]
    output_type: Option<String>,
}

/// An indirectly standardised ratio (or rate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IsrRequest {
    /// The observed count column (of the rows, or of the totals table when one is given).
    count: String,
    /// The population column.
    denominator: String,
    /// The reference count column.
    reference_count: String,
    /// The reference population column.
    reference_denominator: String,
    /// Group by these columns.
    #[serde(default)]
    group_by: Vec<String>,
    /// Confidence levels (absent: 0.95; an empty list: no interval).
    confidence: Option<Vec<f64>>,
    /// A rate (true) rather than a ratio (false, absent).
    #[serde(default)]
    rate: bool,
    /// A rate per this many (absent: 100,000), or a ratio times this (absent: 1).
    scale: Option<f64>,
    /// R's `type`: `full` (absent), `standard`, `value`, `lower` or `upper`.
    #[serde(rename = "type")]
    output_type: Option<String>,
}

impl PairRequest {
    pub(super) fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        let group = strs(&self.group_by);
        let mut spec = ProportionSpec::new(&self.numerator, &self.denominator)
            .group_by(&group)
            .levels(levels(self.confidence.as_deref())?);
        if let Some(m) = self.multiplier {
            spec = spec.multiplier(m);
        }
        shaped(spec.run(data)?, self.output_type.as_deref())
    }
}

impl RateRequest {
    pub(super) fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        let group = strs(&self.group_by);
        let mut spec = RateSpec::new(&self.numerator, &self.denominator)
            .group_by(&group)
            .levels(levels(self.confidence.as_deref())?)
            .frequency(self.frequency.as_deref());
        if let Some(m) = self.multiplier {
            spec = spec.multiplier(m);
        }
        shaped(spec.run(data)?, self.output_type.as_deref())
    }
}

impl MeanRequest {
    pub(super) fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        let group = strs(&self.group_by);
        let out = MeanSpec::new(&self.value)
            .group_by(&group)
            .levels(levels(self.confidence.as_deref())?)
            .run(data)?;
        shaped(out, self.output_type.as_deref())
    }
}

impl DsrRequest {
    pub(super) fn run(&self, data: &[RecordBatch]) -> Result<RecordBatch, RequestError> {
        // A named built-in standard is attached as a weight column, then used as one.
        const ATTACHED: &str = "__pcnkit_standard_population";
        let attached;
        let (data, weight) = match (&self.standard, &self.standard_population) {
            (Some(_), Some(_)) => {
                return Err(argument(
                    "give standard (a built-in name) or standard_population (a column), not both",
                ));
            }
            (Some(name), None) if name.trim().eq_ignore_ascii_case("esp2013") => (data, None),
            (Some(name), None) => {
                let band = self.age_band.as_deref().ok_or_else(|| {
                    argument(format!(
                        "standard {name:?} is matched on age-band labels: give age_band"
                    ))
                })?;
                let standard = crate::standards::StandardPopulation::named(name)
                    .map_err(RequestError::Argument)?;
                attached = data
                    .iter()
                    .map(|b| standard.attach(b, band, ATTACHED))
                    .collect::<Result<Vec<_>, _>>()?;
                (attached.as_slice(), Some(ATTACHED))
            }
            (None, column) => (data, column.as_deref()),
        };
        let standard = match (weight, &self.age_band) {
            (Some(w), Some(a)) if self.frequency.is_some() => Standard::ColumnWithBands {
                weight: w,
                age_band: a,
            },
            (Some(w), _) => Standard::Column(w),
            (None, Some(a)) => Standard::Esp2013 { age_band: a },
            (None, None) => {
                return Err(argument(
                    "give age_band (ESP2013 matched on its labels) or standard_population",
                ));
            }
        };
        let group = strs(&self.group_by);
        let mut spec = DsrSpec::new(&self.count, &self.denominator, standard)
            .group_by(&group)
            .levels(levels(self.confidence.as_deref())?)
            .frequency(self.frequency.as_deref());
        if let Some(m) = self.multiplier {
            spec = spec.multiplier(m);
        }
        if let Some(r) = &self.repeated_bands {
            spec = spec.repeated_bands(word("repeated_bands", r)?);
        }
        shaped(spec.run(data)?, self.output_type.as_deref())
    }
}

impl IsrRequest {
    pub(super) fn run(
        &self,
        data: &[RecordBatch],
        totals: Option<&[RecordBatch]>,
    ) -> Result<RecordBatch, RequestError> {
        let kind = if self.rate {
            Indirect::Rate {
                multiplier: self.scale.unwrap_or(crate::RATE_MULTIPLIER_DEFAULT),
            }
        } else {
            Indirect::Ratio {
                ref_value: self.scale.unwrap_or(crate::ISR_REF_VALUE_DEFAULT),
            }
        };
        let observed = match totals {
            Some(table) => Observed::Totals {
                table,
                column: &self.count,
            },
            None => Observed::Counts(&self.count),
        };
        let group = strs(&self.group_by);
        let out = IsrSpec::new(
            observed,
            &self.denominator,
            &self.reference_count,
            &self.reference_denominator,
        )
        .group_by(&group)
        .levels(levels(self.confidence.as_deref())?)
        .kind(kind)
        .run(data)?;
        shaped(out, self.output_type.as_deref())
    }
}
