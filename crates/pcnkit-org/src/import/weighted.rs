//! Weighted populations: pcnkit's `pcn`/`practice` + `weighted_patients` table, or NHS England's
//! "NHS Payments to General Practice" file (`Practice Code`, `Number of Weighted Patients (Last
//! Known Figure)`).

use std::collections::BTreeMap;
use std::io::Read;

use chrono::NaiveDate;
use pcnkit_core::{DataError, DataErrorKind, PcnCode, PracticeCode, SourceLocation};
use rust_decimal::Decimal;

use super::{ImportOptions, Imported, Parsed, Skipped, Warning, read_csv};
use crate::error::OrgError;
use crate::registry::Registry;

/// Whose weighted population a row gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum WeightedOrg {
    /// A practice (the NHS Payments file, or a `practice` column).
    Practice(PracticeCode),
    /// A PCN (a `pcn` column).
    Pcn(PcnCode),
}

/// One weighted population.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WeightedRecord {
    /// Whose it is.
    pub org: WeightedOrg,
    /// Contractor weighted population (fractional, as published).
    pub weighted: Decimal,
    /// Where it was read.
    pub location: SourceLocation,
}

/// Reads a weighted-population table. Each row is a record or an error naming file, line,
/// column and value; errors (never silent) are a negative or unparseable value and a second row
/// for the same practice or PCN (it would count twice: the error names the first line).
///
/// ```
/// use pcnkit_org::import::{ImportOptions, read_weighted_populations};
/// let csv = "Practice Code,Number of Weighted Patients (Last Known Figure)\nA81001,4579.78\nA81001,1\n";
/// let w = read_weighted_populations(csv.as_bytes(), ImportOptions::new("payments.csv"))?;
/// assert_eq!(w.records.len(), 1);
/// assert_eq!(w.errors[0].to_string(),
///     "payments.csv, line 3, field `Practice Code`: A81001 is already on line 2 (it would be counted twice)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_weighted_populations<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<WeightedRecord>, OrgError> {
    let mut seen = pcnkit_core::read::FirstSeen::new();
    read_csv(
        input,
        options,
        None,
        |cols| {
            let value = cols.require(&[
                "weighted_patients",
                "Number of Weighted Patients (Last Known Figure)",
            ])?;
            // A `pcn` column makes it a PCN table; otherwise practices.
            let key = match cols.find(&["pcn", "pcn_code"]) {
                Some(c) => (true, c),
                None => (
                    false,
                    cols.require(&["practice", "practice_code", "Practice Code"])?,
                ),
            };
            Ok((value, key))
        },
        |&(value, (is_pcn, col)), row| {
            let org = if is_pcn {
                WeightedOrg::Pcn(row.req(col)?)
            } else {
                WeightedOrg::Practice(row.req(col)?)
            };
            let weighted: Decimal = row.req_any(value)?;
            if weighted.is_sign_negative() && !weighted.is_zero() {
                return Err(row.error(
                    value,
                    DataErrorKind::BadValue(format!(
                        "{weighted}: a weighted population cannot be negative"
                    )),
                ));
            }
            let code = match org {
                WeightedOrg::Practice(p) => p.to_string(),
                WeightedOrg::Pcn(p) => p.to_string(),
            };
            seen.check(org, row, col, &code, " (it would be counted twice)")?;
            Ok(Parsed::Record(WeightedRecord {
                org,
                weighted,
                location: row.row_location(),
            }))
        },
    )
}

/// Weighted populations summed per PCN as on `date`, with every row accounted for.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct WeightedByPcn {
    /// Weighted population per PCN.
    pub pcns: BTreeMap<PcnCode, Decimal>,
    /// Rows that count towards no PCN: a practice or PCN not in the practice map, or a practice
    /// in no PCN on the date (each with its line and why).
    pub skipped: Vec<Skipped>,
    /// PCNs of the registry with some practices but not all given a weighted population: their
    /// sum is a part, so it is left out (unknown), not used as the whole.
    pub warnings: Vec<Warning>,
}

/// Sums practice (or PCN) rows into PCNs through the registry as on `date`. A PCN whose
/// practices are only partly in the table gets no weighted population (its entitlement is
/// then unknown, never understated) and a warning naming the missing practices. Sums are
/// checked: an overflow is an error naming the row.
pub fn weighted_by_pcn(
    records: &[WeightedRecord],
    registry: &Registry,
    date: NaiveDate,
) -> Result<WeightedByPcn, DataError> {
    let mut out = WeightedByPcn::default();
    let mut given: BTreeMap<PcnCode, Vec<PracticeCode>> = BTreeMap::new();
    for r in records {
        let pcn = match r.org {
            WeightedOrg::Pcn(p) => {
                if registry.pcn(p).is_none() {
                    out.skipped.push(Skipped {
                        location: r.location.clone(),
                        reason: format!("PCN {p} is not in the practice map"),
                    });
                    continue;
                }
                p
            }
            WeightedOrg::Practice(p) => {
                if registry.practice(p).is_none() {
                    out.skipped.push(Skipped {
                        location: r.location.clone(),
                        reason: format!("practice {p} is not in the practice map"),
                    });
                    continue;
                }
                let Some(pcn) = registry.pcn_of(p, date) else {
                    out.skipped.push(Skipped {
                        location: r.location.clone(),
                        reason: format!("practice {p} is in no PCN on {date}"),
                    });
                    continue;
                };
                given.entry(pcn).or_default().push(p);
                pcn
            }
        };
        let slot = out.pcns.entry(pcn).or_default();
        *slot = slot.checked_add(r.weighted).ok_or_else(|| {
            DataError::new(
                r.location.clone(),
                DataErrorKind::BadValue(format!(
                    "the weighted population of PCN {pcn} overflows adding {}",
                    r.weighted
                )),
            )
        })?;
    }
    for (pcn, practices) in given {
        let members = registry.members(pcn, date);
        let missing: Vec<String> = members
            .iter()
            .filter(|m| !practices.contains(m))
            .map(ToString::to_string)
            .collect();
        if !missing.is_empty() {
            out.pcns.remove(&pcn);
            out.warnings.push(Warning {
                location: records
                    .first()
                    .map(|r| SourceLocation {
                        line: None,
                        field: None,
                        ..r.location.clone()
                    })
                    .unwrap_or_default(),
                message: format!(
                    "PCN {pcn}: no weighted population for member practice(s) {}; its weighted population (and so its ARRS entitlement) is unknown",
                    missing.join(", ")
                ),
            });
        }
    }
    Ok(out)
}
