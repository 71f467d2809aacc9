//! Money in pounds sterling on [`rust_decimal::Decimal`].
//!
//! Amounts keep every decimal place they are given or computed with; nothing is rounded until a
//! rule says so, and then the rounding mode is named ([`Rounding`]). Arithmetic is checked:
//! an overflow (beyond about 7.9 × 10²⁸ pounds) is an error, never a panic or a wrapped value.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// How to round to a number of decimal places, as a rule states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rounding {
    /// Half away from zero (0.125 → 0.13): the usual "round to the nearest penny".
    HalfUp,
    /// Half to even, banker's rounding (0.125 → 0.12, 0.135 → 0.14).
    HalfEven,
    /// Towards zero: never pays more than the exact amount.
    Down,
    /// Away from zero.
    Up,
}

impl Rounding {
    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::Down => RoundingStrategy::ToZero,
            Rounding::Up => RoundingStrategy::AwayFromZero,
        }
    }
}

/// An amount in pounds sterling.
///
/// Serialises as a decimal string of pounds (`"798930.00"`) so JSON never passes money through a
/// binary float; displays as `£798,930.00`.
///
/// ```
/// use pcnkit_core::{Money, Rounding};
/// use rust_decimal::Decimal;
/// let rate: Money = "26.631".parse()?;                       // pounds per weighted patient
/// let total = rate.checked_mul(Decimal::from(30_000))?;
/// assert_eq!(total.to_string(), "£798,930.000");
/// let third = Money::from_pence(100).checked_div(Decimal::from(3))?;
/// assert_eq!(third.round_to_penny(Rounding::HalfUp), Money::from_pence(33));
/// assert_eq!("0.125".parse::<Money>()?.round_to_penny(Rounding::HalfEven), Money::from_pence(12));
/// # Ok::<(), pcnkit_core::CoreError>(())
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Money(Decimal);

impl Money {
    /// Zero pounds.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// An amount of pounds.
    pub const fn from_pounds(pounds: Decimal) -> Self {
        Money(pounds)
    }

    /// An amount given in whole pence.
    pub fn from_pence(pence: i64) -> Self {
        Money(Decimal::new(pence, 2))
    }

    /// The amount in pounds.
    pub const fn pounds(self) -> Decimal {
        self.0
    }

    /// Whether the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// Rounds to `dp` decimal places with the named mode.
    #[must_use]
    pub fn round_dp(self, dp: u32, mode: Rounding) -> Money {
        Money(self.0.round_dp_with_strategy(dp, mode.strategy()))
    }

    /// Rounds to the penny (2 decimal places) with the named mode.
    #[must_use]
    pub fn round_to_penny(self, mode: Rounding) -> Money {
        self.round_dp(2, mode)
    }

    /// Rounds to whole pounds with the named mode.
    #[must_use]
    pub fn round_to_pound(self, mode: Rounding) -> Money {
        self.round_dp(0, mode)
    }

    /// `self + other`, or an error on overflow.
    pub fn checked_add(self, other: Money) -> Result<Money, CoreError> {
        self.0
            .checked_add(other.0)
            .map(Money)
            .ok_or(CoreError::Overflow("money addition"))
    }

    /// `self - other`, or an error on overflow.
    pub fn checked_sub(self, other: Money) -> Result<Money, CoreError> {
        self.0
            .checked_sub(other.0)
            .map(Money)
            .ok_or(CoreError::Overflow("money subtraction"))
    }

    /// `self × factor` (a rate, a WTE fraction, a number of patients), or an error on overflow.
    pub fn checked_mul(self, factor: Decimal) -> Result<Money, CoreError> {
        self.0
            .checked_mul(factor)
            .map(Money)
            .ok_or(CoreError::Overflow("money multiplication"))
    }

    /// `self ÷ divisor`, or an error if the divisor is zero or the result overflows.
    pub fn checked_div(self, divisor: Decimal) -> Result<Money, CoreError> {
        self.0
            .checked_div(divisor)
            .map(Money)
            .ok_or(CoreError::Overflow("money division"))
    }

    /// The smaller of two amounts (a cap).
    #[must_use]
    pub fn min(self, other: Money) -> Money {
        Money(self.0.min(other.0))
    }

    /// The larger of two amounts.
    #[must_use]
    pub fn max(self, other: Money) -> Money {
        Money(self.0.max(other.0))
    }

    /// The exact sum of many amounts (no rounding at any step), or an error on overflow.
    pub fn sum<I: IntoIterator<Item = Money>>(amounts: I) -> Result<Money, CoreError> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, Money::checked_add)
    }
}

/// A total of amounts some of which may be unknown: the exact sum of the known ones and how
/// many are unknown.
///
/// An unknown amount (a maximum the sources do not give, say) is never counted as zero: a total
/// with any unknown part is *incomplete*, its [`value`](MoneyTotal::value) is `None`, and only
/// its known part and the count of unknown parts can be shown (as "at least £x, n unknown").
///
/// ```
/// use pcnkit_core::{Money, MoneyTotal};
/// let mut t = MoneyTotal::ZERO;
/// t.add(Some(Money::from_pence(150)))?;
/// assert_eq!(t.value(), Some(Money::from_pence(150)));
/// t.add(None)?;                                   // one amount could not be worked out
/// assert_eq!(t.value(), None);
/// assert_eq!((t.known(), t.unknown()), (Money::from_pence(150), 1));
/// # Ok::<(), pcnkit_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MoneyTotal {
    known: Money,
    unknown: u64,
}

impl MoneyTotal {
    /// Nothing yet: zero, complete.
    pub const ZERO: MoneyTotal = MoneyTotal {
        known: Money::ZERO,
        unknown: 0,
    };

    /// A complete total of `amount`.
    pub const fn known_amount(amount: Money) -> Self {
        MoneyTotal {
            known: amount,
            unknown: 0,
        }
    }

    /// A total from its parts: the sum of the known amounts and how many are unknown (for an
    /// engine that keeps the two itself while it decides what to add).
    pub const fn from_parts(known: Money, unknown: u64) -> Self {
        MoneyTotal { known, unknown }
    }

    /// Adds an amount (`None` for an unknown one); an overflow is an error.
    pub fn add(&mut self, amount: Option<Money>) -> Result<(), CoreError> {
        match amount {
            Some(m) => self.known = self.known.checked_add(m)?,
            None => {
                self.unknown = self
                    .unknown
                    .checked_add(1)
                    .ok_or(CoreError::Overflow("count of unknown amounts"))?;
            }
        }
        Ok(())
    }

    /// The two totals together; an overflow is an error.
    pub fn checked_add(self, other: MoneyTotal) -> Result<MoneyTotal, CoreError> {
        Ok(MoneyTotal {
            known: self.known.checked_add(other.known)?,
            unknown: self
                .unknown
                .checked_add(other.unknown)
                .ok_or(CoreError::Overflow("count of unknown amounts"))?,
        })
    }

    /// The total of many amounts, `None` marking the unknown ones.
    pub fn of<I: IntoIterator<Item = Option<Money>>>(amounts: I) -> Result<Self, CoreError> {
        let mut t = MoneyTotal::ZERO;
        for a in amounts {
            t.add(a)?;
        }
        Ok(t)
    }

    /// The sum of the known amounts (a lower bound when amounts cannot be negative).
    pub const fn known(&self) -> Money {
        self.known
    }

    /// How many amounts are unknown.
    pub const fn unknown(&self) -> u64 {
        self.unknown
    }

    /// Whether every amount is known.
    pub const fn is_complete(&self) -> bool {
        self.unknown == 0
    }

    /// The total, if every amount is known.
    pub const fn value(&self) -> Option<Money> {
        if self.unknown == 0 {
            Some(self.known)
        } else {
            None
        }
    }
}

impl fmt::Display for MoneyTotal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.unknown {
            0 => write!(f, "{}", self.known),
            n => write!(
                f,
                "unknown (at least {}; {n} amount{} unknown)",
                self.known,
                if n == 1 { "" } else { "s" }
            ),
        }
    }
}

/// A non-negative number's text with its whole part in groups of three (`1234567.5` →
/// `1,234,567.5`), as money, list sizes and populations are written for people.
///
/// ```
/// assert_eq!(pcnkit_core::group_thousands("100000"), "100,000");
/// assert_eq!(pcnkit_core::group_thousands("1234.56"), "1,234.56");
/// ```
pub fn group_thousands(number: &str) -> String {
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    let mut out = String::with_capacity(number.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

impl From<Decimal> for Money {
    fn from(pounds: Decimal) -> Self {
        Money(pounds)
    }
}

impl fmt::Display for Money {
    /// `£1,234.56`, `-£0.50`; all stored decimal places are shown, at least two.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.abs();
        let text = if abs.scale() < 2 {
            format!("{:.2}", abs)
        } else {
            abs.to_string()
        };
        if self.is_negative() {
            f.write_str("-")?;
        }
        write!(f, "£{}", group_thousands(&text))
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({})", self.0)
    }
}

impl FromStr for Money {
    type Err = CoreError;

    /// Accepts `1234.56`, `£1,234.56`, `-£5`, `£-5`, `GBP 12.00`. Thousands separators must be in
    /// the right places; exponents and other currencies are rejected.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = |reason| CoreError::InvalidMoney {
            value: CoreError::clip(input),
            reason,
        };
        let mut s = input.trim();
        let mut negative = false;
        if let Some(rest) = s.strip_prefix('-') {
            negative = true;
            s = rest.trim_start();
        }
        if let Some(rest) = s.strip_prefix('£').or_else(|| s.strip_prefix("GBP")) {
            s = rest.trim_start();
        }
        if let Some(rest) = s.strip_prefix('-') {
            if negative {
                return Err(err("two minus signs"));
            }
            negative = true;
            s = rest;
        }
        if s.is_empty() {
            return Err(err("no digits"));
        }
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        let int_digits: String = if int.contains(',') {
            let groups: Vec<&str> = int.split(',').collect();
            let well_formed = groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
                && groups.iter().skip(1).all(|g| g.len() == 3);
            if !well_formed {
                return Err(err("misplaced thousands separator"));
            }
            groups.concat()
        } else {
            int.to_owned()
        };
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if int_digits.is_empty() || !all_digits(&int_digits) {
            return Err(err("expected digits before the decimal point"));
        }
        if let Some(f) = frac
            && (f.is_empty() || !all_digits(f))
        {
            return Err(err("expected digits after the decimal point"));
        }
        let plain = match frac {
            Some(f) => format!("{int_digits}.{f}"),
            None => int_digits,
        };
        let value = parse_decimal_text(&plain).map_err(|_| err("too many digits"))?;
        Ok(Money(if negative { -value } else { value }))
    }
}

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Only decimal strings: a JSON number would reach us through f64 and could already have
        // lost pennies, so it is rejected rather than trusted.
        let s = <Cow<'de, str>>::deserialize(d)?;
        parse_decimal_text(&s).map(Money).map_err(|_| {
            serde::de::Error::custom(format!(
                "invalid money amount {s:?}: expected a decimal string of pounds"
            ))
        })
    }
}

/// Parses a plain decimal string exactly, keeping its scale (`798930.00` stays two places).
/// Only when the text has more digits than `Decimal` holds are trailing fractional zeros (as
/// Arrow's fixed-scale decimals write them) dropped, since they carry no value.
pub(crate) fn parse_decimal_text(text: &str) -> Result<Decimal, rust_decimal::Error> {
    let t = text.trim();
    Decimal::from_str_exact(t).or_else(|e| {
        if t.contains('.') {
            Decimal::from_str_exact(t.trim_end_matches('0').trim_end_matches('.'))
        } else {
            Err(e)
        }
    })
}

impl schemars::JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Money")
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An amount in pounds sterling as a decimal string, unrounded unless a rule rounds it.",
            "examples": ["798930.00"],
        })
    }
}

impl crate::arrow::ArrowType for Money {
    fn arrow_data_type() -> arrow_schema::DataType {
        crate::arrow::DECIMAL_TYPE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_parse() {
        let cases = [
            ("1234567.5", "£1,234,567.50"),
            ("-0.5", "-£0.50"),
            ("0", "£0.00"),
            ("12.3456", "£12.3456"),
        ];
        for (plain, shown) in cases {
            let m: Money = plain.parse().unwrap();
            assert_eq!(m.to_string(), shown);
            assert_eq!(shown.parse::<Money>().unwrap(), m);
        }
        for bad in [
            "", "£", "1,23.00", "1e5", "12.", ".5", "--1", "$5", "1,2345",
        ] {
            assert!(bad.parse::<Money>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rounding_modes_differ_only_at_midpoints() {
        let m: Money = "2.345".parse().unwrap();
        assert_eq!(m.round_to_penny(Rounding::HalfUp).to_string(), "£2.35");
        assert_eq!(m.round_to_penny(Rounding::HalfEven).to_string(), "£2.34");
        assert_eq!(m.round_to_penny(Rounding::Down).to_string(), "£2.34");
        assert_eq!(
            "-2.345"
                .parse::<Money>()
                .unwrap()
                .round_to_penny(Rounding::HalfUp)
                .to_string(),
            "-£2.35"
        );
    }

    #[test]
    fn display_of_a_28_digit_amount_parses_back() {
        // Found by the fuzz replay: Display pads to two decimals, which took the text past
        // Decimal's 28 significant digits.
        let m: Money = "12345678901234567890123456789".parse().unwrap();
        assert_eq!(m.to_string().parse::<Money>().unwrap(), m);
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let big = Money::from_pounds(Decimal::MAX);
        assert!(big.checked_add(big).is_err());
        assert!(big.checked_mul(Decimal::TWO).is_err());
        assert!(big.checked_div(Decimal::ZERO).is_err());
    }

    #[test]
    fn json_is_a_decimal_string() {
        let m: Money = "798930.00".parse().unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"798930.00\"");
        assert_eq!(serde_json::from_str::<Money>("\"798930.00\"").unwrap(), m);
        assert!(serde_json::from_str::<Money>("798930.00").is_err());
    }
}
