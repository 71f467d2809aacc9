//! libFuzzer target: `pcnkit_fuzz::indicators_arrow` (see fuzz/src/lib.rs for the property checked).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pcnkit_fuzz::indicators_arrow(data));
