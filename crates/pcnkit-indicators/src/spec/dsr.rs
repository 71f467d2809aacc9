//! The directly standardised rate: its options, and the repeated-band rule.

use arrow_array::RecordBatch;

use super::{DSR_MULTIPLIER_DEFAULT, check_multiplier};
use crate::error::IndicatorError;
use crate::methods::Confidence;
use crate::table::{Standard, dsr_table, sum_by, varying_text_columns};

/// Columns whose rows are summed into a group and age band when bands repeat (practices into
/// a PCN, sexes into persons); any other text column must not vary within those.
const SUMMED_UNITS: [&str; 3] = ["practice", "practice_code", "sex"];

/// What to do with several rows of one age band in one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RepeatedBands {
    /// Sum them first (the default): NHS counts come by practice and sex, the DSR is by PCN
    /// and band. A text column other than the group, band, `practice`, `practice_code` and
    /// `sex` that varies within a group and band means the rows measure different things
    /// (seven conditions, say), and is an error naming it, never a sum.
    #[default]
    Sum,
    /// Refuse them: the group gets a null value saying which band repeats (one row per band,
    /// as R expects).
    Refuse,
}

impl std::str::FromStr for RepeatedBands {
    type Err = IndicatorError;

    /// `sum` or `refuse`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sum" => Ok(RepeatedBands::Sum),
            "refuse" => Ok(RepeatedBands::Refuse),
            other => Err(IndicatorError::Invalid(format!(
                "repeated bands {other:?}: use sum or refuse"
            ))),
        }
    }
}

/// A directly standardised rate: which columns, which standard, and how.
///
/// ```
/// use pcnkit_indicators::{DsrSpec, Standard};
/// let spec = DsrSpec::new("deaths", "population", Standard::Esp2013 { age_band: "age_band" })
///     .group_by(&["pcn"]);
/// assert_eq!(spec.multiplier, 100_000.0);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DsrSpec<'a> {
    /// The event count column (with `frequency`, the persons with that many events).
    pub count: &'a str,
    /// The population column.
    pub population: &'a str,
    /// The standard population.
    pub standard: Standard<'a>,
    /// Group columns.
    pub group_by: &'a [&'a str],
    /// Confidence levels (default 95%; none for no interval).
    pub levels: Vec<Confidence>,
    /// Per how many people ([`DSR_MULTIPLIER_DEFAULT`]).
    pub multiplier: f64,
    /// Events per person (R's non-independent events): a column of frequencies.
    pub frequency: Option<&'a str>,
    /// Repeated age bands within a group ([`RepeatedBands::Sum`] by default).
    pub repeated_bands: RepeatedBands,
}

impl<'a> DsrSpec<'a> {
    super::setters!(group_by, levels, multiplier);
    /// A DSR of `count` over `population` standardised to `standard`, with the defaults.
    pub fn new(count: &'a str, population: &'a str, standard: Standard<'a>) -> Self {
        DsrSpec {
            count,
            population,
            standard,
            group_by: &[],
            levels: vec![super::CONFIDENCE_DEFAULT],
            multiplier: DSR_MULTIPLIER_DEFAULT,
            frequency: None,
            repeated_bands: RepeatedBands::default(),
        }
    }

    /// Counts persons with `frequency` events each (non-independent events).
    pub fn frequency(mut self, frequency: Option<&'a str>) -> Self {
        self.frequency = frequency;
        self
    }

    /// Sets what repeated age bands do.
    pub fn repeated_bands(mut self, r: RepeatedBands) -> Self {
        self.repeated_bands = r;
        self
    }

    /// Whether the options can be computed (levels as a set, a positive multiplier).
    pub fn validate(&self) -> Result<(), IndicatorError> {
        crate::methods::check_levels(&self.levels)?;
        check_multiplier(self.multiplier)
    }

    /// The DSR per group over `batches`.
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        self.validate()?;
        if self.frequency.is_some() {
            // Frequency rows repeat a band by design (once per frequency).
            return dsr_table(batches, self);
        }
        let summed;
        let input = match (self.repeated_bands, self.standard) {
            // Only ESP2013 rows can be summed: a standard given per row would be summed too.
            (RepeatedBands::Sum, Standard::Esp2013 { age_band }) => {
                let mut keys: Vec<&str> = self.group_by.to_vec();
                keys.push(age_band);
                let mut units = keys.clone();
                if let Some(b) = batches.first() {
                    for c in SUMMED_UNITS {
                        if b.column_by_name(c).is_some() && !units.contains(&c) {
                            units.push(c);
                        }
                    }
                }
                if let Some((column, values)) = varying_text_columns(batches, &units)?.first() {
                    return Err(IndicatorError::Column {
                        column: column.clone(),
                        problem: format!(
                            "varies within a group and age band ({}): the rows measure \
                             different things and would be summed into one; keep one value \
                             or add the column to the groups",
                            values.join(", ")
                        ),
                    });
                }
                summed = [sum_by(batches, &keys, &[self.count, self.population])?];
                &summed[..]
            }
            _ => batches,
        };
        dsr_table(input, self)
    }
}
