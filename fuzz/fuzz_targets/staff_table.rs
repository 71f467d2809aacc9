//! libFuzzer target: `pcnkit_fuzz::staff_table` (see fuzz/src/lib.rs for the property checked).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pcnkit_fuzz::staff_table(data));
