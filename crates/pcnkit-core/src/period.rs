//! Financial years, calendar months and date periods.
//!
//! The NHS financial year runs from 1 April to 31 March. [`Period`] makes the end bound explicit:
//! construct it from an inclusive last day ([`Period::new`]) or an exclusive end
//! ([`Period::half_open`]); it serialises with an inclusive `end`, as NHS files write dates.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2199;

/// An NHS financial year, 1 April to 31 March, named by the calendar year it starts in.
///
/// Parses `2024/25`, `2024-25`, `2024/2025`, `2024-2025`, `FY2024` and `FY2024/25` (`FY2024`
/// means the year starting in April 2024). Displays and serialises as `2024/25`.
///
/// ```
/// use pcnkit_core::FinancialYear;
/// use chrono::NaiveDate;
/// let fy: FinancialYear = "2024-25".parse()?;
/// assert_eq!(fy.to_string(), "2024/25");
/// assert_eq!(fy.days(), 365);
/// assert!(fy.contains(NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()));
/// assert_eq!(fy.months().next().map(|m| m.to_string()), Some("2024-04".to_owned()));
/// # Ok::<(), pcnkit_core::CoreError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FinancialYear {
    start_year: i32,
}

impl FinancialYear {
    /// The financial year that starts on 1 April of `start_year` (1900 to 2199).
    pub fn new(start_year: i32) -> Result<Self, CoreError> {
        if (MIN_YEAR..=MAX_YEAR).contains(&start_year) {
            Ok(FinancialYear { start_year })
        } else {
            Err(CoreError::InvalidFinancialYear {
                value: start_year.to_string(),
            })
        }
    }

    /// A financial year for a constant (`const Y: FinancialYear =
    /// FinancialYear::from_start_year_const(2025);`): an out-of-range year fails to compile
    /// there. At run time, with a year from input, use [`FinancialYear::new`].
    pub const fn from_start_year_const(start_year: i32) -> Self {
        assert!(
            MIN_YEAR <= start_year && start_year <= MAX_YEAR,
            "financial year out of range"
        );
        FinancialYear { start_year }
    }

    /// The financial year containing `date`, if it is within the supported range.
    pub fn of(date: NaiveDate) -> Result<Self, CoreError> {
        let start = if date.month() >= 4 {
            date.year()
        } else {
            date.year() - 1
        };
        Self::new(start)
    }

    /// The calendar year the financial year starts in (2024 for 2024/25).
    pub fn start_year(self) -> i32 {
        self.start_year
    }

    /// 1 April.
    pub fn first_day(self) -> NaiveDate {
        ymd(self.start_year, 4, 1)
    }

    /// 31 March of the following year.
    pub fn last_day(self) -> NaiveDate {
        ymd(self.start_year + 1, 3, 31)
    }

    /// The year as a [`Period`].
    pub fn period(self) -> Period {
        Period {
            start: self.first_day(),
            end_exclusive: Some(ymd(self.start_year + 1, 4, 1)),
        }
    }

    /// Number of days (365, or 366 when it contains 29 February).
    pub fn days(self) -> u32 {
        // Both ends are valid dates in range, so the difference is 365 or 366.
        u32::try_from((ymd(self.start_year + 1, 4, 1) - self.first_day()).num_days()).unwrap_or(365)
    }

    /// Whether `date` falls within the year.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.period().contains(date)
    }

    /// April, May, …, March.
    pub fn months(self) -> impl ExactSizeIterator<Item = Month> + Clone {
        let first = Month {
            year: self.start_year,
            month: 4,
        };
        (0..12u32).map(move |i| first.plus(i))
    }

    /// Zero-based position of `month` in the year (April is 0), or `None` if outside it.
    pub fn month_index(self, month: Month) -> Option<u32> {
        let offset = (month.year - self.start_year) * 12 + i32::from(month.month) - 4;
        u32::try_from(offset).ok().filter(|&i| i < 12)
    }

    /// The following financial year.
    pub fn next(self) -> Result<Self, CoreError> {
        Self::new(self.start_year + 1)
    }

    /// The previous financial year.
    pub fn previous(self) -> Result<Self, CoreError> {
        Self::new(self.start_year - 1)
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{:02}",
            self.start_year,
            (self.start_year + 1).rem_euclid(100)
        )
    }
}

impl fmt::Debug for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FinancialYear({self})")
    }
}

impl FromStr for FinancialYear {
    type Err = CoreError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = || CoreError::InvalidFinancialYear {
            value: CoreError::clip(input),
        };
        let s = input.trim();
        let (fy_prefix, body) = match s.get(..2) {
            Some(p) if p.eq_ignore_ascii_case("FY") => {
                (true, s.get(2..).unwrap_or("").trim_start())
            }
            _ => (false, s),
        };
        let digits4 = |t: &str| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit());
        let (first, second) = match body.find(['/', '-']) {
            Some(i) => (
                body.get(..i).unwrap_or(""),
                Some(body.get(i + 1..).unwrap_or("")),
            ),
            None => (body, None),
        };
        if !digits4(first) {
            return Err(err());
        }
        let start: i32 = first.parse().map_err(|_| err())?;
        match second {
            None if fy_prefix => {}
            None => return Err(err()),
            Some(end) => {
                let ok = match end.len() {
                    2 if end.bytes().all(|b| b.is_ascii_digit()) => {
                        end.parse::<i32>().ok() == Some((start + 1).rem_euclid(100))
                    }
                    4 if digits4(end) => end.parse::<i32>().ok() == Some(start + 1),
                    _ => false,
                };
                if !ok {
                    return Err(err());
                }
            }
        }
        Self::new(start).map_err(|_| err())
    }
}

/// A calendar month, e.g. `2024-04`.
///
/// Months order chronologically and serialise as `YYYY-MM`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    year: i32,
    month: u8,
}

impl Month {
    /// A month from a year (1900 to 2200) and a month number (1 to 12).
    pub fn new(year: i32, month: u32) -> Result<Self, CoreError> {
        if (MIN_YEAR..=MAX_YEAR + 1).contains(&year) && (1..=12).contains(&month) {
            Ok(Month {
                year,
                month: month as u8,
            })
        } else {
            Err(CoreError::InvalidMonth {
                value: format!("{year:04}-{month:02}"),
            })
        }
    }

    /// The month containing `date`.
    pub fn of(date: NaiveDate) -> Result<Self, CoreError> {
        Self::new(date.year(), date.month())
    }

    /// The calendar year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month number, 1 to 12.
    pub fn number(self) -> u32 {
        u32::from(self.month)
    }

    /// First day of the month.
    pub fn first_day(self) -> NaiveDate {
        ymd(self.year, self.number(), 1)
    }

    /// Last day of the month.
    pub fn last_day(self) -> NaiveDate {
        let next = self.plus(1).first_day();
        next.pred_opt().unwrap_or(next)
    }

    /// Number of days in the month (28 to 31).
    pub fn days(self) -> u32 {
        self.last_day().day()
    }

    /// The month as a [`Period`].
    pub fn period(self) -> Period {
        Period {
            start: self.first_day(),
            end_exclusive: Some(self.plus(1).first_day()),
        }
    }

    /// Whether `date` is in this month.
    pub fn contains(self, date: NaiveDate) -> bool {
        date.year() == self.year && date.month() == self.number()
    }

    /// The financial year this month belongs to.
    pub fn financial_year(self) -> FinancialYear {
        let start_year = if self.month >= 4 {
            self.year
        } else {
            self.year - 1
        };
        FinancialYear {
            start_year: start_year.clamp(MIN_YEAR, MAX_YEAR),
        }
    }

    /// The month `n` months later. Months past the supported range are not clamped silently:
    /// arithmetic stays exact on the proleptic calendar (range checks happen at construction).
    pub fn plus(self, n: u32) -> Month {
        let index = self.year * 12 + i32::from(self.month) - 1 + n as i32;
        Month {
            year: index.div_euclid(12),
            month: (index.rem_euclid(12) + 1) as u8,
        }
    }

    /// The next month.
    pub fn next(self) -> Month {
        self.plus(1)
    }

    /// The previous month.
    pub fn previous(self) -> Month {
        let index = self.year * 12 + i32::from(self.month) - 2;
        Month {
            year: index.div_euclid(12),
            month: (index.rem_euclid(12) + 1) as u8,
        }
    }

    /// Number of months from `self` to `later` (negative if `later` is earlier).
    pub fn months_until(self, later: Month) -> i32 {
        (later.year - self.year) * 12 + i32::from(later.month) - i32::from(self.month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl fmt::Debug for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Month({self})")
    }
}

impl FromStr for Month {
    type Err = CoreError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = || CoreError::InvalidMonth {
            value: CoreError::clip(input),
        };
        let s = input.trim();
        let (y, m) = s.split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(err());
        }
        let year: i32 = y.parse().map_err(|_| err())?;
        let month: u32 = m.parse().map_err(|_| err())?;
        Self::new(year, month).map_err(|_| err())
    }
}

/// A span of days with an inclusive start and an optional end (`None` = still open).
///
/// Internally the end is exclusive, which keeps day counts and adjacency exact; the public
/// constructors say which convention they take, and the serde form uses an inclusive `end` (the
/// last day), as NHS files do.
///
/// ```
/// use pcnkit_core::Period;
/// use chrono::NaiveDate;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let a = Period::new(d(2024, 4, 1), Some(d(2024, 4, 30)))?;        // inclusive last day
/// let b = Period::half_open(d(2024, 4, 1), d(2024, 5, 1))?;          // exclusive end
/// assert_eq!(a, b);
/// assert_eq!(a.days(), Some(30));
/// assert!(!a.contains(d(2024, 5, 1)));
/// # Ok::<(), pcnkit_core::CoreError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    start: NaiveDate,
    end_exclusive: Option<NaiveDate>,
}

impl Period {
    /// A period from `start` to the inclusive last day `end` (`None` for open-ended).
    /// A one-day period has `end == start`; an end before the start is an error.
    pub fn new(start: NaiveDate, end: Option<NaiveDate>) -> Result<Self, CoreError> {
        match end {
            None => Ok(Period {
                start,
                end_exclusive: None,
            }),
            Some(end) if end < start => Err(CoreError::InvalidPeriod { start, end }),
            Some(end) => Ok(Period {
                start,
                end_exclusive: end.checked_add_days(Days::new(1)),
            }),
        }
    }

    /// A period from `start` up to but not including `end_exclusive`, which must be after `start`.
    pub fn half_open(start: NaiveDate, end_exclusive: NaiveDate) -> Result<Self, CoreError> {
        if end_exclusive <= start {
            let end = end_exclusive.pred_opt().unwrap_or(end_exclusive);
            return Err(CoreError::InvalidPeriod { start, end });
        }
        Ok(Period {
            start,
            end_exclusive: Some(end_exclusive),
        })
    }

    /// An open-ended period from `start`.
    pub fn starting(start: NaiveDate) -> Self {
        Period {
            start,
            end_exclusive: None,
        }
    }

    /// First day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Last day, or `None` if open-ended.
    pub fn end_inclusive(&self) -> Option<NaiveDate> {
        self.end_exclusive.and_then(|d| d.pred_opt())
    }

    /// The day after the last day, or `None` if open-ended.
    pub fn end_exclusive(&self) -> Option<NaiveDate> {
        self.end_exclusive
    }

    /// Whether the period has no end.
    pub fn is_open(&self) -> bool {
        self.end_exclusive.is_none()
    }

    /// Whether `date` falls within the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.start && self.end_exclusive.is_none_or(|end| date < end)
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.intersection(other).is_some()
    }

    /// The days both periods share, if any.
    pub fn intersection(&self, other: &Period) -> Option<Period> {
        let start = self.start.max(other.start);
        let end_exclusive = match (self.end_exclusive, other.end_exclusive) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match end_exclusive {
            Some(end) if end <= start => None,
            _ => Some(Period {
                start,
                end_exclusive,
            }),
        }
    }

    /// Number of days, or `None` if open-ended.
    pub fn days(&self) -> Option<u32> {
        self.end_exclusive
            .and_then(|end| u32::try_from((end - self.start).num_days()).ok())
    }

    /// Number of days shared with `other` (0 if they do not overlap; `None` only if both are
    /// open-ended, when the overlap is unbounded).
    pub fn overlap_days(&self, other: &Period) -> Option<u32> {
        match self.intersection(other) {
            None => Some(0),
            Some(p) => p.days(),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.end_inclusive() {
            Some(end) => write!(f, "{} to {}", self.start, end),
            None => write!(f, "{} onwards", self.start),
        }
    }
}

impl fmt::Debug for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Period({self})")
    }
}

/// The serde form of [`Period`]: first and last day, both inclusive.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename = "Period", deny_unknown_fields)]
struct PeriodRepr {
    /// First day (inclusive), `YYYY-MM-DD`.
    start: NaiveDate,
    /// Last day (inclusive), `YYYY-MM-DD`; null when the period is still open.
    end: Option<NaiveDate>,
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        PeriodRepr {
            start: self.start,
            end: self.end_inclusive(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = PeriodRepr::deserialize(d)?;
        Period::new(r.start, r.end).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Period {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Period")
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        PeriodRepr::json_schema(generator)
    }
}

macro_rules! string_serde {
    ($name:ident, $schema:literal, $pattern:literal, $example:literal) => {
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "description": $schema,
                    "examples": [$example],
                })
            }
        }

        impl crate::arrow::ArrowType for $name {
            fn arrow_data_type() -> arrow_schema::DataType {
                arrow_schema::DataType::Utf8
            }
        }
    };
}

string_serde!(
    FinancialYear,
    "NHS financial year (1 April to 31 March), written as the start year, a slash and the last two digits of the end year.",
    "^[0-9]{4}/[0-9]{2}$",
    "2024/25"
);
string_serde!(
    Month,
    "Calendar month, YYYY-MM.",
    "^[0-9]{4}-(0[1-9]|1[0-2])$",
    "2024-04"
);

/// Parses the date forms found in NHS files: `2026-08-01`, `20260801`, `01Aug2026`,
/// `01AUG2026`, `01/08/2026`.
///
/// ```
/// use pcnkit_core::parse_nhs_date;
/// assert_eq!(parse_nhs_date("01JAN2021")?, parse_nhs_date("2021-01-01")?);
/// # Ok::<(), pcnkit_core::CoreError>(())
/// ```
pub fn parse_nhs_date(input: &str) -> Result<NaiveDate, CoreError> {
    const EXPECTED: &str = "a date as YYYY-MM-DD, YYYYMMDD, DDMonYYYY (01Aug2026) or DD/MM/YYYY";
    let s = input.trim();
    let parsed = match s.len() {
        10 if s.as_bytes().get(4) == Some(&b'-') => iso_date(s.as_bytes()),
        10 => NaiveDate::parse_from_str(s, "%d/%m/%Y").ok(),
        8 if s.bytes().all(|b| b.is_ascii_digit()) => NaiveDate::parse_from_str(s, "%Y%m%d").ok(),
        // chrono matches month abbreviations case-insensitively.
        9 => NaiveDate::parse_from_str(s, "%d%b%Y").ok(),
        _ => None,
    };
    parsed
        .filter(|d| (MIN_YEAR..=MAX_YEAR + 1).contains(&d.year()))
        .ok_or_else(|| CoreError::InvalidDate {
            value: CoreError::clip(input),
            expected: EXPECTED,
        })
}

/// `YYYY-MM-DD` without going through chrono's format interpreter (it is on every row of the
/// registered-patients files).
fn iso_date(b: &[u8]) -> Option<NaiveDate> {
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    if b.get(7) != Some(&b'-') {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    // Callers pass years within MIN_YEAR..=MAX_YEAR + 1 and valid month/day pairs.
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_all_documented_financial_year_forms() {
        for s in [
            "2024/25",
            "2024-25",
            "2024/2025",
            "2024-2025",
            "FY2024",
            "fy2024",
            "FY 2024/25",
        ] {
            assert_eq!(
                s.parse::<FinancialYear>().unwrap().start_year(),
                2024,
                "{s}"
            );
        }
        assert_eq!(
            "1999/00".parse::<FinancialYear>().unwrap().to_string(),
            "1999/00"
        );
        for s in [
            "2024/26",
            "2024",
            "24/25",
            "2024/",
            "FY",
            "2024-2026",
            "FY20245",
            "+2024/25",
        ] {
            assert!(s.parse::<FinancialYear>().is_err(), "{s}");
        }
    }

    #[test]
    fn financial_year_calendar_facts() {
        let fy = FinancialYear::new(2023).unwrap();
        assert_eq!(fy.days(), 366); // contains 29 Feb 2024
        assert_eq!(fy.last_day(), d(2024, 3, 31));
        assert_eq!(fy.months().len(), 12);
        assert_eq!(fy.months().last().unwrap().to_string(), "2024-03");
        assert_eq!(fy.month_index(Month::new(2024, 3).unwrap()), Some(11));
        assert_eq!(fy.month_index(Month::new(2024, 4).unwrap()), None);
        assert_eq!(FinancialYear::of(d(2024, 3, 31)).unwrap(), fy);
        assert_eq!(FinancialYear::of(d(2024, 4, 1)).unwrap().start_year(), 2024);
    }

    #[test]
    fn month_facts() {
        let feb = Month::new(2024, 2).unwrap();
        assert_eq!(feb.days(), 29);
        assert_eq!(feb.previous().to_string(), "2024-01");
        assert_eq!(Month::new(2024, 12).unwrap().next().to_string(), "2025-01");
        assert_eq!(
            Month::new(2025, 1).unwrap().previous().to_string(),
            "2024-12"
        );
        assert!("2024-13".parse::<Month>().is_err());
        assert!("2024-1".parse::<Month>().is_err());
    }

    #[test]
    fn period_bounds_are_explicit() {
        let p = Period::new(d(2024, 4, 1), Some(d(2024, 4, 1))).unwrap();
        assert_eq!(p.days(), Some(1));
        assert!(Period::new(d(2024, 4, 2), Some(d(2024, 4, 1))).is_err());
        assert!(Period::half_open(d(2024, 4, 1), d(2024, 4, 1)).is_err());
        let open = Period::starting(d(2024, 1, 1));
        assert_eq!(
            open.overlap_days(&Month::new(2024, 2).unwrap().period()),
            Some(29)
        );
        assert_eq!(
            p.overlap_days(&Month::new(2024, 5).unwrap().period()),
            Some(0)
        );
        assert_eq!(
            open.intersection(&Period::starting(d(2023, 1, 1))),
            Some(open)
        );
    }

    #[test]
    fn period_json_uses_inclusive_end() {
        let p = Period::new(d(2024, 4, 1), Some(d(2025, 3, 31))).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"start":"2024-04-01","end":"2025-03-31"}"#);
        assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), p);
        assert!(
            serde_json::from_str::<Period>(r#"{"start":"2024-04-02","end":"2024-04-01"}"#).is_err()
        );
    }

    #[test]
    fn nhs_date_forms() {
        for s in [
            "2026-08-01",
            "20260801",
            "01Aug2026",
            "01AUG2026",
            "01/08/2026",
        ] {
            assert_eq!(parse_nhs_date(s).unwrap(), d(2026, 8, 1), "{s}");
        }
        for s in ["", "2026-13-01", "32Aug2026", "2026/08/01x", "0"] {
            assert!(parse_nhs_date(s).is_err(), "{s}");
        }
    }
}
