//! libFuzzer target: `pcnkit_fuzz::registered_patients` (see fuzz/src/lib.rs for the property checked).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pcnkit_fuzz::registered_patients(data));
