//! libFuzzer target: `pcnkit_fuzz::sub_icb_lookup` (see fuzz/src/lib.rs for the property checked).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pcnkit_fuzz::sub_icb_lookup(data));
