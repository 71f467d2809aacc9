//! A policy applied to a table: primary suppression and rounding of its counts, secondary
//! suppression within its declared totals, and the columns derived from the counts.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};

use super::Policy;
use crate::error::IndicatorError;
use crate::frame::{column, row_keys};

/// Total rows inside the table: the rows whose `category` column is `label` are the totals of
/// the other rows with the same `within` columns (e.g. `age_band` `Total` within each `pcn`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TotalRows<'a> {
    /// The column that names the category (and `label` on a total row).
    pub category: &'a str,
    /// The category of a total row.
    pub label: &'a str,
    /// The columns whose values a total row shares with the rows it totals.
    pub within: Vec<&'a str>,
}

impl<'a> TotalRows<'a> {
    /// Total rows labelled `label` in `category`, within the groups of `within`.
    pub fn new(category: &'a str, label: &'a str, within: &[&'a str]) -> Self {
        TotalRows {
            category,
            label,
            within: within.to_vec(),
        }
    }
}

/// A column computed from the counts, and what happens to it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Derived<'a> {
    /// A percentage (or any ratio × `multiplier`), recomputed from the protected counts, as
    /// NHS England's rule asks.
    Percentage {
        /// The output column (replaced when present, added when not).
        column: &'a str,
        /// The numerator count column.
        numerator: &'a str,
        /// The denominator count column.
        denominator: &'a str,
        /// 100 for a percentage.
        multiplier: f64,
    },
    /// A standardised rate or its limits: released as it is where the policy exempts them,
    /// else suppressed with any of its counts.
    Standardised {
        /// The column.
        column: &'a str,
        /// The counts it comes from.
        counts: Vec<&'a str>,
    },
    /// Any other value computed from the counts (a crude rate, a limit): suppressed with any
    /// of its counts, and where the policy rounds (the value would give the unrounded count
    /// away); recompute it from the protected counts instead (run the method on them).
    Simple {
        /// The column.
        column: &'a str,
        /// The counts it comes from.
        counts: Vec<&'a str>,
    },
}

/// A disclosure policy applied to a table. See the [module docs](super).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DisclosureSpec<'a> {
    policy: Policy,
    counts: Vec<&'a str>,
    margins: Vec<Vec<&'a str>>,
    totals: Option<TotalRows<'a>>,
    national: Option<(&'a str, &'a str)>,
    derived: Vec<Derived<'a>>,
}

/// What became of one count cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// Null in the input: unknown, and treated as hidden.
    Null,
    /// Released (rounded when the policy rounds).
    Released(u64),
    /// Suppressed by the policy's range.
    Primary(u64),
    /// Suppressed to protect another cell.
    Secondary(u64),
    /// Released as it is (a national figure).
    Exempt(u64),
}

impl Cell {
    fn hidden(self) -> bool {
        matches!(self, Cell::Null | Cell::Primary(_) | Cell::Secondary(_))
    }
}

/// A set of cells whose total is published.
struct Group {
    rows: Vec<usize>,
    total: Option<usize>,
    name: String,
}

fn texts(batch: &RecordBatch, name: &str) -> Result<Vec<Option<String>>, IndicatorError> {
    let c = arrow_cast::cast(column(batch, name)?, &DataType::Utf8)?;
    Ok(c.as_string::<i32>()
        .iter()
        .map(|v| v.map(str::to_owned))
        .collect())
}

fn counts_of(batch: &RecordBatch, name: &str) -> Result<Vec<Option<u64>>, IndicatorError> {
    let c = arrow_cast::cast(column(batch, name)?, &DataType::Float64)?;
    c.as_primitive::<Float64Type>()
        .iter()
        .enumerate()
        .map(|(row, v)| match v {
            None => Ok(None),
            Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_992.0 => {
                Ok(Some(v as u64))
            }
            Some(v) => Err(IndicatorError::Column {
                column: name.to_owned(),
                problem: format!("row {row}: {v} is not a count"),
            }),
        })
        .collect()
}

impl<'a> DisclosureSpec<'a> {
    /// `policy` applied to the count columns `counts`.
    pub fn new(policy: Policy, counts: &[&'a str]) -> Self {
        DisclosureSpec {
            policy,
            counts: counts.to_vec(),
            margins: Vec::new(),
            totals: None,
            national: None,
            derived: Vec::new(),
        }
    }

    /// The sums of each count within the groups of `keys` are published (here or elsewhere),
    /// e.g. `&["pcn"]` for a table of PCN × age band whose PCN totals are known; `&[]` for a
    /// table whose grand total is. Several margins make a table of several dimensions.
    #[must_use]
    pub fn margin(mut self, keys: &[&'a str]) -> Self {
        self.margins.push(keys.to_vec());
        self
    }

    /// The table holds its own total rows.
    #[must_use]
    pub fn totals(mut self, totals: TotalRows<'a>) -> Self {
        self.totals = Some(totals);
        self
    }

    /// Rows whose `column` is `value` are national figures (exempt where the policy says so).
    #[must_use]
    pub fn national(mut self, column: &'a str, value: &'a str) -> Self {
        self.national = Some((column, value));
        self
    }

    /// A column derived from the counts.
    #[must_use]
    pub fn derived(mut self, derived: Derived<'a>) -> Self {
        self.derived.push(derived);
        self
    }

    /// The protected table: every input column, the counts as `UInt64` (null where
    /// suppressed), the derived columns as the policy says, and `disclosure_note` (why each
    /// affected cell of the row is as it is; null where nothing was done).
    #[allow(clippy::too_many_lines)]
    pub fn run(&self, batches: &[RecordBatch]) -> Result<RecordBatch, IndicatorError> {
        let Some(first) = batches.first() else {
            return Err(IndicatorError::Invalid("no table to protect".to_owned()));
        };
        let batch = arrow_select::concat::concat_batches(&first.schema(), batches)?;
        let n = batch.num_rows();
        let p = &self.policy;
        if self.counts.is_empty() {
            return Err(IndicatorError::Invalid(
                "name the count columns to protect".to_owned(),
            ));
        }

        // National rows, exempt when the policy says so.
        let exempt: Vec<bool> = match self.national {
            Some((col, value)) if p.national_exempt => texts(&batch, col)?
                .iter()
                .map(|v| v.as_deref() == Some(value))
                .collect(),
            Some((col, _)) => {
                column(&batch, col)?;
                vec![false; n]
            }
            None => vec![false; n],
        };
        let total_rows: Vec<bool> = match &self.totals {
            Some(t) => texts(&batch, t.category)?
                .iter()
                .map(|v| v.as_deref() == Some(t.label))
                .collect(),
            None => vec![false; n],
        };

        // Primary suppression and rounding.
        let originals: Vec<Vec<Option<u64>>> = self
            .counts
            .iter()
            .map(|c| counts_of(&batch, c))
            .collect::<Result<_, _>>()?;
        let mut cells: Vec<Vec<Cell>> = originals
            .iter()
            .map(|col| {
                col.iter()
                    .enumerate()
                    .map(|(r, v)| match v {
                        None => Cell::Null,
                        Some(v) if exempt[r] => Cell::Exempt(*v),
                        Some(v) if p.suppresses(*v) => Cell::Primary(*v),
                        Some(v) => Cell::Released(*v),
                    })
                    .collect()
            })
            .collect();

        // The groups whose totals are published.
        let mut groups: Vec<Group> = Vec::new();
        let key_rows = |keys: &[&str]| row_keys(&batch, keys);
        for keys in &self.margins {
            let key = key_rows(keys)?;
            let mut index: HashMap<&[u8], usize> = HashMap::new();
            for r in (0..n).filter(|r| !exempt[*r] && !total_rows[*r]) {
                let g = *index.entry(key[r].as_slice()).or_insert_with(|| {
                    groups.push(Group {
                        rows: Vec::new(),
                        total: None,
                        name: if keys.is_empty() {
                            "the table's total".to_owned()
                        } else {
                            format!("the total of its {}", keys.join(", "))
                        },
                    });
                    groups.len() - 1
                });
                if let Some(group) = groups.get_mut(g) {
                    group.rows.push(r);
                }
            }
        }
        if let Some(t) = &self.totals {
            let key = key_rows(&t.within)?;
            let mut index: HashMap<&[u8], usize> = HashMap::new();
            for r in (0..n).filter(|r| !exempt[*r]) {
                let g = *index.entry(key[r].as_slice()).or_insert_with(|| {
                    groups.push(Group {
                        rows: Vec::new(),
                        total: None,
                        name: format!("its {} total row", t.label),
                    });
                    groups.len() - 1
                });
                let Some(group) = groups.get_mut(g) else {
                    continue;
                };
                if total_rows[r] {
                    if group.total.is_some() {
                        return Err(IndicatorError::Column {
                            column: t.category.to_owned(),
                            problem: format!("row {r}: a second {} row in the same group", t.label),
                        });
                    }
                    group.total = Some(r);
                } else {
                    group.rows.push(r);
                }
            }
        }

        // Secondary suppression, until every group with a published total hides at least two
        // cells and more than the threshold in all (or nothing).
        let mut notes: Vec<Vec<String>> = vec![Vec::new(); n];
        let mut unprotectable = vec![vec![false; groups.len()]; self.counts.len()];
        loop {
            let mut changed = false;
            for (g, group) in groups.iter().enumerate() {
                for (c, col) in cells.iter_mut().enumerate() {
                    if unprotectable[c][g] {
                        continue;
                    }
                    if let Some(t) = group.total
                        && col[t].hidden()
                    {
                        continue;
                    }
                    let hidden: Vec<usize> = group
                        .rows
                        .iter()
                        .copied()
                        .filter(|r| col[*r].hidden())
                        .collect();
                    if hidden.is_empty() {
                        continue;
                    }
                    let unknown = hidden.iter().any(|r| col[*r] == Cell::Null);
                    let sum: u64 = hidden
                        .iter()
                        .map(|r| match col[*r] {
                            Cell::Primary(v) | Cell::Secondary(v) => v,
                            _ => 0,
                        })
                        .fold(0u64, u64::saturating_add);
                    if hidden.len() >= 2 && (unknown || sum > p.suppress_to) {
                        continue;
                    }
                    // The next smallest released cell (non-zero first: a zero adds nothing to
                    // what is hidden), then the earlier row.
                    let next = group
                        .rows
                        .iter()
                        .copied()
                        .filter_map(|r| match col[r] {
                            Cell::Released(v) => Some((v == 0, v, r)),
                            _ => None,
                        })
                        .min();
                    match (next, group.total) {
                        (Some((_, v, r)), _) => {
                            col[r] = Cell::Secondary(v);
                            notes[r].push(format!(
                                "{} suppressed so that a suppressed cell cannot be recovered from {}",
                                self.counts[c], group.name
                            ));
                            changed = true;
                        }
                        (None, Some(t)) => {
                            if let Cell::Released(v) = col[t] {
                                col[t] = Cell::Secondary(v);
                                notes[t].push(format!(
                                    "{} suppressed: every cell it totals is suppressed",
                                    self.counts[c]
                                ));
                                changed = true;
                            }
                        }
                        (None, None) => {
                            unprotectable[c][g] = true;
                            for r in &group.rows {
                                notes[*r].push(format!(
                                    "{} cannot be protected here: suppress {} where it is published",
                                    self.counts[c], group.name
                                ));
                            }
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }

        // The protected counts, with a note per affected cell.
        let mut protected: Vec<Vec<Option<u64>>> = Vec::with_capacity(cells.len());
        for (c, col) in cells.iter().enumerate() {
            let name = self.counts[c];
            protected.push(
                col.iter()
                    .enumerate()
                    .map(|(r, cell)| match *cell {
                        Cell::Null => None,
                        Cell::Released(v) => {
                            if let Some(b) = p.rounding_base.filter(|b| *b > 1) {
                                notes[r].push(format!("{name} rounded to the nearest {b}"));
                            }
                            Some(p.round(v))
                        }
                        Cell::Primary(_) => {
                            notes[r].push(format!(
                                "{name} suppressed: a count of {} to {} ({})",
                                p.suppress_from, p.suppress_to, p.name
                            ));
                            None
                        }
                        Cell::Secondary(_) => None,
                        Cell::Exempt(v) => {
                            notes[r].push(format!("{name}: national figure, exempt"));
                            Some(v)
                        }
                    })
                    .collect(),
            );
        }
        let hidden_in = |counts: &[&str], r: usize| -> Result<bool, IndicatorError> {
            for name in counts {
                let c = self.counts.iter().position(|x| x == name).ok_or_else(|| {
                    IndicatorError::Column {
                        column: (*name).to_owned(),
                        problem: "a derived column's count must be one of the counts protected"
                            .to_owned(),
                    }
                })?;
                if cells[c][r].hidden() {
                    return Ok(true);
                }
            }
            Ok(false)
        };

        // Every input column, counts and derived columns replaced; the note last.
        let mut fields: Vec<Field> = Vec::new();
        let mut columns: Vec<ArrayRef> = Vec::new();
        let mut replaced: HashMap<String, ArrayRef> = HashMap::new();
        for (c, name) in self.counts.iter().enumerate() {
            replaced.insert(
                (*name).to_owned(),
                Arc::new(UInt64Array::from(protected[c].clone())),
            );
        }
        let mut added: Vec<(String, ArrayRef)> = Vec::new();
        for d in &self.derived {
            let (name, array): (&str, ArrayRef) = match d {
                Derived::Percentage {
                    column: out,
                    numerator,
                    denominator,
                    multiplier,
                } => {
                    let num = self.counts.iter().position(|x| x == numerator);
                    let den = self.counts.iter().position(|x| x == denominator);
                    let (Some(num), Some(den)) = (num, den) else {
                        return Err(IndicatorError::Column {
                            column: (*out).to_owned(),
                            problem:
                                "a percentage's numerator and denominator must be counts protected"
                                    .to_owned(),
                        });
                    };
                    let values: Float64Array = (0..n)
                        .map(|r| match (protected[num][r], protected[den][r]) {
                            (Some(x), Some(y)) if y > 0 => Some(x as f64 / y as f64 * multiplier),
                            _ => None,
                        })
                        .collect();
                    (out, Arc::new(values))
                }
                Derived::Standardised {
                    column: out,
                    counts,
                }
                | Derived::Simple {
                    column: out,
                    counts,
                } => {
                    let standardised = matches!(d, Derived::Standardised { .. });
                    let input = arrow_cast::cast(column(&batch, out)?, &DataType::Float64)?;
                    let input = input.as_primitive::<Float64Type>();
                    let mut values = Vec::with_capacity(n);
                    for r in 0..n {
                        let v = input.is_valid(r).then(|| input.value(r));
                        let keep = exempt[r]
                            || (standardised && p.standardised_exempt)
                            || (!hidden_in(counts, r)?
                                && (standardised || p.rounding_base.is_none_or(|b| b <= 1)));
                        if keep || v.is_none() {
                            values.push(v);
                        } else {
                            notes[r].push(if hidden_in(counts, r)? {
                                format!("{out} suppressed with its count")
                            } else {
                                format!(
                                    "{out} suppressed: it comes from unrounded counts (recompute it from the protected counts)"
                                )
                            });
                            values.push(None);
                        }
                    }
                    (out, Arc::new(Float64Array::from(values)))
                }
            };
            if batch.column_by_name(name).is_some() {
                replaced.insert(name.to_owned(), array);
            } else {
                added.push((name.to_owned(), array));
            }
        }
        for (f, c) in batch.schema().fields().iter().zip(batch.columns()) {
            if f.name() == "disclosure_note" {
                continue;
            }
            match replaced.remove(f.name()) {
                Some(a) => {
                    fields.push(Field::new(f.name(), a.data_type().clone(), true));
                    columns.push(a);
                }
                None => {
                    fields.push(f.as_ref().clone());
                    columns.push(c.clone());
                }
            }
        }
        for (name, a) in added {
            fields.push(Field::new(&name, a.data_type().clone(), true));
            columns.push(a);
        }
        let note: StringArray = notes
            .iter()
            .map(|n| (!n.is_empty()).then(|| n.join("; ")))
            .collect();
        fields.push(Field::new("disclosure_note", DataType::Utf8, true));
        columns.push(Arc::new(note));
        Ok(RecordBatch::try_new(
            Arc::new(Schema::new(fields)),
            columns,
        )?)
    }
}
