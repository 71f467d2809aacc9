#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pcnkit_fuzz::arrs_rules(data));
