//! Integration tests of pcnkit-indicators: reference values from the R package (as restated in
//! `indicator-methods.md`) and properties.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::excessive_precision
)]

mod benchmark;
mod disclosure;
mod group_keys;
mod inequality;
mod issue14;
mod method_gaps;
mod overdispersion;
mod prevalence;
mod reference;
mod request;
mod schemas;
mod spc;
mod spec;
mod table;
mod tables2;
mod trend;
mod ukhsa_testdata;
