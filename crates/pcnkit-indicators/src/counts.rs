//! Condition counts: pcnkit's documented table of counts and populations by practice, measure,
//! age band (and sex), read with every row accounted for and turned into the Arrow table the
//! methods take.

use std::io::Read;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt64Array};
use pcnkit_core::read::{FirstSeen, ImportOptions, Imported, Parsed, read_csv};
use pcnkit_core::{AgeBand, DataError, PatientCount, PracticeCode, Sex, SourceLocation};

use crate::error::IndicatorError;

/// The columns of a condition-count table; `sex` is optional.
pub const CONDITION_COUNT_COLUMNS: [&str; 6] = [
    "practice",
    "measure",
    "age_band",
    "sex",
    "count",
    "population",
];

/// One count: patients with a condition (or events) and the population they are of, for one
/// practice, measure, age band and sex.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConditionCount {
    /// The practice.
    pub practice: PracticeCode,
    /// What is counted (e.g. `diabetes`).
    pub measure: String,
    /// The age band.
    pub age_band: AgeBand,
    /// Sex, when the table has it.
    pub sex: Option<Sex>,
    /// The count.
    pub count: PatientCount,
    /// The population it is of.
    pub population: PatientCount,
    /// Where it was read.
    pub location: SourceLocation,
}

/// Reads a condition-count table (CSV; Parquet and Arrow tables through
/// [`pcnkit_core::read::batches_to_csv`]). Each row is a record or an error naming file, line,
/// column and value. Errors, because each would change a rate silently: an empty count or
/// population (missing is not zero), a negative, fractional or unparseable one, an unknown age
/// band or sex, and a second row for the same practice, measure, age band and sex (naming the
/// first line).
///
/// ```
/// use pcnkit_core::read::ImportOptions;
/// use pcnkit_indicators::counts::read_condition_counts;
/// let csv = "practice,measure,age_band,count,population\nA81001,diabetes,40-44,-3,900\n";
/// let c = read_condition_counts(csv.as_bytes(), ImportOptions::new("counts.csv"))?;
/// assert_eq!(c.errors[0].to_string(),
///     "counts.csv, line 2, field `count`: invalid patient count \"-3\": negative");
/// # Ok::<(), pcnkit_core::DataError>(())
/// ```
pub fn read_condition_counts<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<ConditionCount>, DataError> {
    type Key = (PracticeCode, String, AgeBand, Option<Sex>);
    let mut seen: FirstSeen<Key> = FirstSeen::new();
    read_csv(
        input,
        options,
        None,
        |cols| {
            Ok((
                cols.require(&["practice", "practice_code"])?,
                cols.require(&["measure"])?,
                cols.require(&["age_band"])?,
                cols.find(&["sex"]),
                cols.require(&["count"])?,
                cols.require(&["population"])?,
            ))
        },
        |&(pc, me, ab, sx, co, po), row| {
            let practice: PracticeCode = row.req(pc)?;
            let measure = row.req_text(me)?;
            let age_band: AgeBand = row.req(ab)?;
            let sex: Option<Sex> = match sx {
                Some(i) => row.opt(i)?,
                None => None,
            };
            let count = row.req_count(co)?;
            let population = row.req_count(po)?;
            let what = format!(
                "{practice} {measure} {age_band}{}",
                sex.map(|s| format!(" {s}")).unwrap_or_default()
            );
            seen.check(
                (practice, measure.clone(), age_band, sex),
                row,
                pc,
                &what,
                " (it would be counted twice)",
            )?;
            Ok(Parsed::Record(ConditionCount {
                practice,
                measure,
                age_band,
                sex,
                count,
                population,
                location: row.row_location(),
            }))
        },
    )
}

/// The counts as an Arrow table for the methods: `area` (named by `area_column`, from
/// `area_of`: a practice's PCN, say), `practice`, `measure`, `age_band`, `sex` (when any row
/// has one), `count`, `population` (UInt64). Rows whose practice has no area are left out by
/// the caller's choice of `area_of` returning `None`; they are returned as the second value
/// so the caller can account for them.
pub fn counts_table<'a>(
    counts: &'a [ConditionCount],
    area_column: &str,
    area_of: impl Fn(PracticeCode) -> Option<String>,
) -> Result<(RecordBatch, Vec<&'a ConditionCount>), IndicatorError> {
    let mut kept = Vec::with_capacity(counts.len());
    let mut left = Vec::new();
    for c in counts {
        match area_of(c.practice) {
            Some(a) => kept.push((a, c)),
            None => left.push(c),
        }
    }
    let text = |v: Vec<Option<String>>| Arc::new(StringArray::from(v)) as ArrayRef;
    let mut columns: Vec<(&str, ArrayRef)> = vec![
        (
            area_column,
            text(kept.iter().map(|(a, _)| Some(a.clone())).collect()),
        ),
        (
            "practice",
            text(
                kept.iter()
                    .map(|(_, c)| Some(c.practice.to_string()))
                    .collect(),
            ),
        ),
        (
            "measure",
            text(kept.iter().map(|(_, c)| Some(c.measure.clone())).collect()),
        ),
        (
            "age_band",
            text(
                kept.iter()
                    .map(|(_, c)| Some(c.age_band.to_string()))
                    .collect(),
            ),
        ),
    ];
    if kept.iter().any(|(_, c)| c.sex.is_some()) {
        columns.push((
            "sex",
            text(
                kept.iter()
                    .map(|(_, c)| c.sex.map(|s| s.to_string()))
                    .collect(),
            ),
        ));
    }
    columns.push((
        "count",
        Arc::new(UInt64Array::from_iter_values(
            kept.iter().map(|(_, c)| c.count.get()),
        )),
    ));
    columns.push((
        "population",
        Arc::new(UInt64Array::from_iter_values(
            kept.iter().map(|(_, c)| c.population.get()),
        )),
    ));
    let batch =
        RecordBatch::try_from_iter(columns).map_err(|e| IndicatorError::Arrow(e.to_string()))?;
    Ok((batch, left))
}
