//! Integration tests of pcnkit-org.
// Test helpers outside #[test] functions may unwrap: a failure is a test failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod deprivation;
mod export;
mod importers;
mod real_data;
mod registry;
mod rules;

use chrono::NaiveDate;

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(crate) fn fixture(name: &str) -> std::path::PathBuf {
    // The runtime value first: a test binary reused from another checkout of the workspace (a
    // shared target directory) has that checkout's path compiled in.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("tests/data")
        .join(name)
}
