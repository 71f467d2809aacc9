//! libFuzzer target: `pcnkit_fuzz::condition_counts` (see fuzz/src/lib.rs for the property checked).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pcnkit_fuzz::condition_counts(data));
