//! Integration tests of pcnkit-core: properties, Arrow and JSON round trips.

// Test helpers outside #[test] functions may unwrap: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod interchange;
mod properties;
