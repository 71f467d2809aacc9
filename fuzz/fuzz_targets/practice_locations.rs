//! libFuzzer target: `pcnkit_fuzz::practice_locations` (see fuzz/src/lib.rs for the property checked).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pcnkit_fuzz::practice_locations(data));
