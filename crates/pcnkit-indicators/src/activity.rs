//! Monthly activity: pcnkit's documented table of a count per PCN per month (appointments,
//! admissions, referrals), read with every row accounted for, for control charts.

use std::io::Read;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt64Array};
use pcnkit_core::read::{FirstSeen, ImportOptions, Imported, Parsed, read_csv};
use pcnkit_core::{DataError, Month, PatientCount, PcnCode, SourceLocation};

use crate::error::IndicatorError;

/// One month's count for one PCN.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MonthlyActivity {
    /// The PCN.
    pub pcn: PcnCode,
    /// The month.
    pub month: Month,
    /// What was counted in it.
    pub count: PatientCount,
    /// Where it was read.
    pub location: SourceLocation,
}

impl MonthlyActivity {
    /// A month's count for a PCN made in code (no file location).
    pub fn new(pcn: PcnCode, month: Month, count: PatientCount) -> Self {
        MonthlyActivity {
            pcn,
            month,
            count,
            location: SourceLocation::default(),
        }
    }
}

/// Reads a monthly activity table: `pcn`, `month` (`2025-04`), and the count in `value`,
/// `count` or `appointments`. An empty count is an error (missing is not zero: leave the
/// month's row out and the chart breaks there), as is a second row for the same PCN and month
/// (naming the first line).
///
/// ```
/// use pcnkit_core::read::ImportOptions;
/// use pcnkit_indicators::activity::read_monthly_activity;
/// let csv = "pcn,month,appointments\nU12345,2025-04,1200\nU12345,2025-04,1300\n";
/// let a = read_monthly_activity(csv.as_bytes(), ImportOptions::new("a.csv"))?;
/// assert_eq!(a.records.len(), 1);
/// assert!(a.errors[0].to_string().contains("line 3"));
/// # Ok::<(), pcnkit_core::DataError>(())
/// ```
pub fn read_monthly_activity<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<MonthlyActivity>, DataError> {
    let mut seen: FirstSeen<(PcnCode, Month)> = FirstSeen::new();
    read_csv(
        input,
        options,
        None,
        |cols| {
            Ok((
                cols.require(&["pcn", "pcn_code"])?,
                cols.require(&["month", "period"])?,
                cols.require(&["value", "count", "appointments"])?,
            ))
        },
        |&(pc, mo, va), row| {
            let pcn: PcnCode = row.req(pc)?;
            let month: Month = row.req(mo)?;
            let count = row.req_count(va)?;
            seen.check((pcn, month), row, pc, &format!("{pcn} {month}"), "")?;
            Ok(Parsed::Record(MonthlyActivity {
                pcn,
                month,
                count,
                location: row.row_location(),
            }))
        },
    )
}

/// The activity as an Arrow table: `pcn`, `month` (text, `2025-04`), `count`.
pub fn activity_table(rows: &[MonthlyActivity]) -> Result<RecordBatch, IndicatorError> {
    Ok(RecordBatch::try_from_iter([
        (
            "pcn",
            Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| r.pcn.to_string()),
            )) as ArrayRef,
        ),
        (
            "month",
            Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| r.month.to_string()),
            )),
        ),
        (
            "count",
            Arc::new(UInt64Array::from_iter_values(
                rows.iter().map(|r| r.count.get()),
            )),
        ),
    ])?)
}
