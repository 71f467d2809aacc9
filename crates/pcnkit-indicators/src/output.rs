//! How much of a result a table returns: R's `type` argument, applied to any table of this
//! crate, so every front end offers the same choice.
//!
//! | type | keeps |
//! |---|---|
//! | `value` | group and input columns, the value(s), `note` |
//! | `lower` / `upper` | group and input columns, the lower (upper) limits, `note` |
//! | `standard` | all but the metadata columns |
//! | `full` (the default, as R's) | everything, with the metadata: `confidence`, `statistic`, `method`, and the quantile metadata `nquantiles`, `groupvars`, `qinverted` |
//!
//! The `note` column is kept in every form: it is why a value is null, and a null without its
//! reason is a figure a reader cannot trust (R has no such column).

use std::str::FromStr;

use arrow_array::RecordBatch;

use crate::error::IndicatorError;

/// How much of a result to return (R's `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OutputType {
    /// The value(s) only.
    Value,
    /// The lower limits only.
    Lower,
    /// The upper limits only.
    Upper,
    /// Values and limits, without the metadata columns.
    Standard,
    /// Everything, with the metadata columns (R's default).
    #[default]
    Full,
}

impl FromStr for OutputType {
    type Err = IndicatorError;

    /// `value`, `lower`, `upper`, `standard` or `full`, as R names them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "value" => Ok(OutputType::Value),
            "lower" => Ok(OutputType::Lower),
            "upper" => Ok(OutputType::Upper),
            "standard" => Ok(OutputType::Standard),
            "full" => Ok(OutputType::Full),
            other => Err(IndicatorError::Invalid(format!(
                "type {other:?}: use value, lower, upper, standard or full"
            ))),
        }
    }
}

/// The metadata columns a `standard` result leaves out.
const METADATA: [&str; 6] = [
    "confidence",
    "statistic",
    "method",
    "nquantiles",
    "groupvars",
    "qinverted",
];

/// The value columns of this crate's results.
const VALUES: [&str; 4] = ["value", "sii", "rii", "intercept"];

/// Which side a limit column is on (`lowercl`, `upper99_8cl`, `sii_lower95_0cl`, …).
fn limit_side(name: &str) -> Option<&'static str> {
    let bare = name
        .strip_prefix("sii_")
        .or_else(|| name.strip_prefix("rii_"))
        .unwrap_or(name);
    let bare = bare.strip_suffix("_mad").unwrap_or(bare);
    if !bare.ends_with("cl") {
        return None;
    }
    if bare.starts_with("lower") {
        Some("lower")
    } else if bare.starts_with("upper") {
        Some("upper")
    } else {
        None
    }
}

/// Keeps the columns of `result` that `output` asks for (see the module docs).
pub fn select_output(
    result: &RecordBatch,
    output: OutputType,
) -> Result<RecordBatch, IndicatorError> {
    let schema = result.schema();
    let keep: Vec<usize> = schema
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            let name = f.name().as_str();
            let metadata = METADATA.contains(&name);
            let side = limit_side(name);
            let value = VALUES.contains(&name);
            match output {
                OutputType::Full => true,
                OutputType::Standard => !metadata,
                OutputType::Value => !metadata && side.is_none(),
                OutputType::Lower => !metadata && !value && side != Some("upper"),
                OutputType::Upper => !metadata && !value && side != Some("lower"),
            }
        })
        .map(|(i, _)| i)
        .collect();
    result
        .project(&keep)
        .map_err(|e| IndicatorError::Arrow(e.to_string()))
}
