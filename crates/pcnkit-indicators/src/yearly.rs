//! Yearly proportions per PCN: pcnkit's documented table of a measure's numerator and
//! denominator per PCN per year (screening, checks recorded, QOF achievement), read with every
//! row accounted for, for recent trends ([`crate::trend`]).

use std::io::Read;
use std::sync::Arc;

use arrow_array::{ArrayRef, Int32Array, RecordBatch, StringArray, UInt64Array};
use pcnkit_core::read::{FirstSeen, ImportOptions, Imported, Parsed, read_csv};
use pcnkit_core::{DataError, DataErrorKind, PatientCount, PcnCode, SourceLocation};

use crate::benchmark::Polarity;
use crate::error::IndicatorError;

/// One year of a measure for one PCN.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct YearlyProportion {
    /// The PCN.
    pub pcn: PcnCode,
    /// What is measured.
    pub measure: String,
    /// The year (the first year of a financial year such as 2023/24).
    pub year: i32,
    /// Patients meeting the measure.
    pub numerator: PatientCount,
    /// Patients it applies to.
    pub denominator: PatientCount,
    /// Which direction is good, when the table says.
    pub polarity: Option<Polarity>,
    /// Where it was read.
    pub location: SourceLocation,
}

impl YearlyProportion {
    /// A year of a measure made in code (no file location).
    pub fn new(
        pcn: PcnCode,
        measure: impl Into<String>,
        year: i32,
        numerator: PatientCount,
        denominator: PatientCount,
        polarity: Option<Polarity>,
    ) -> Self {
        YearlyProportion {
            pcn,
            measure: measure.into(),
            year,
            numerator,
            denominator,
            polarity,
            location: SourceLocation::default(),
        }
    }
}

/// A year from `2023`, `2023/24` or `2023-24`.
fn year(text: &str) -> Option<i32> {
    let head = text.get(..4)?;
    let rest = &text[4..];
    let y: i32 = head.parse().ok()?;
    ((1900..=2200).contains(&y) && (rest.is_empty() || rest.starts_with(['/', '-']))).then_some(y)
}

/// Reads a yearly proportions table: `pcn`, `measure`, `year` (`2023` or `2023/24`),
/// `numerator`, `denominator`, and optionally `polarity` (`high-is-good`, `low-is-good`,
/// `no-judgement`). Errors, each naming file, line and column: an empty or bad count, a
/// numerator above its denominator, a year that is not one, polarities that differ within a
/// measure, and a second row for the same PCN, measure and year (naming the first line).
///
/// ```
/// use pcnkit_core::read::ImportOptions;
/// use pcnkit_indicators::yearly::read_yearly_proportions;
/// let csv = "pcn,measure,year,numerator,denominator\nU12345,BP,2023/24,70,100\nU12345,BP,2024/25,80,70\n";
/// let y = read_yearly_proportions(csv.as_bytes(), ImportOptions::new("y.csv"))?;
/// assert_eq!(y.records.len(), 1);
/// assert!(y.errors[0].to_string().contains("line 3"));
/// # Ok::<(), pcnkit_core::DataError>(())
/// ```
pub fn read_yearly_proportions<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<YearlyProportion>, DataError> {
    let mut seen: FirstSeen<(PcnCode, String, i32)> = FirstSeen::new();
    let mut polarities: std::collections::HashMap<String, (Option<Polarity>, u64)> =
        std::collections::HashMap::new();
    read_csv(
        input,
        options,
        None,
        |cols| {
            Ok((
                cols.require(&["pcn", "pcn_code"])?,
                cols.require(&["measure", "indicator"])?,
                cols.require(&["year", "period"])?,
                cols.require(&["numerator", "count"])?,
                cols.require(&["denominator", "population"])?,
                cols.find(&["polarity"]),
            ))
        },
        |&(pc, me, ye, nu, de, po), row| {
            let pcn: PcnCode = row.req(pc)?;
            let measure = row.req_text(me)?;
            let text = row.req_text(ye)?;
            let year = year(&text).ok_or_else(|| {
                row.error(
                    ye,
                    DataErrorKind::BadValue(format!("{text:?} is not a year (2023, or 2023/24)")),
                )
            })?;
            let numerator = row.req_count(nu)?;
            let denominator = row.req_count(de)?;
            if numerator.get() > denominator.get() {
                return Err(row.error(
                    nu,
                    DataErrorKind::BadValue(format!(
                        "numerator {} is above the denominator {}",
                        numerator.get(),
                        denominator.get()
                    )),
                ));
            }
            let polarity = match row.opt_text(po)? {
                Some(p) => Some(p.parse::<Polarity>().map_err(|e| {
                    row.error(
                        po.unwrap_or_default(),
                        DataErrorKind::BadValue(e.to_string()),
                    )
                })?),
                None => None,
            };
            let line = row.row_location().line.unwrap_or_default();
            let (first, at) = polarities
                .entry(measure.clone())
                .or_insert((polarity, line));
            if *first != polarity {
                return Err(row.error(
                    po.unwrap_or_default(),
                    DataErrorKind::BadValue(format!(
                        "measure {measure:?} has another polarity on line {at}"
                    )),
                ));
            }
            seen.check(
                (pcn, measure.clone(), year),
                row,
                ye,
                &format!("{pcn} {measure} {text}"),
                "",
            )?;
            Ok(Parsed::Record(YearlyProportion {
                pcn,
                measure,
                year,
                numerator,
                denominator,
                polarity,
                location: row.row_location(),
            }))
        },
    )
}

/// The rows as an Arrow table: `pcn`, `measure`, `year`, `numerator`, `denominator`.
pub fn yearly_table(rows: &[YearlyProportion]) -> Result<RecordBatch, IndicatorError> {
    Ok(RecordBatch::try_from_iter([
        (
            "pcn",
            Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| r.pcn.to_string()),
            )) as ArrayRef,
        ),
        (
            "measure",
            Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| r.measure.as_str()),
            )),
        ),
        (
            "year",
            Arc::new(Int32Array::from_iter_values(rows.iter().map(|r| r.year))),
        ),
        (
            "numerator",
            Arc::new(UInt64Array::from_iter_values(
                rows.iter().map(|r| r.numerator.get()),
            )),
        ),
        (
            "denominator",
            Arc::new(UInt64Array::from_iter_values(
                rows.iter().map(|r| r.denominator.get()),
            )),
        ),
    ])?)
}
