//! Integration tests of pcnkit-assets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod coverage;
mod imports;
mod register;
mod round_trip;
