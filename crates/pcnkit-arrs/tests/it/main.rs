//! Integration tests of pcnkit-arrs.
// Test helpers outside #[test] functions may unwrap: a failure is a test failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod claims;
mod entitlement;
mod properties;
mod rules;
mod schemas;
mod year_2026_27;

use chrono::NaiveDate;
use pcnkit_core::{Money, Rounding};

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(crate) fn pennies(m: Money) -> String {
    m.round_to_penny(Rounding::HalfUp).to_string()
}
