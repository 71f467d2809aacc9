//! Deterministic input generators shared by the pcnkit criterion benches.
//!
//! Kept out of the library crates so benches can generate national-scale inputs without adding
//! anything to the public APIs. The generators use a fixed-seed SplitMix64 so every run of a
//! bench sees the same data.

#![deny(missing_docs)]

pub mod national;

/// A tiny deterministic pseudo-random generator (SplitMix64), for reproducible bench inputs.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// `n` practice codes, about one in ten of them invalid, as text.
pub fn practice_code_texts(n: usize, seed: u64) -> Vec<String> {
    let mut rng = SplitMix64::new(seed);
    (0..n)
        .map(|_| {
            let letter = char::from(b'A' + rng.below(26) as u8);
            if rng.below(10) == 0 {
                format!("{letter}{:04}X", rng.below(10_000))
            } else {
                format!("{letter}{:05}", rng.below(100_000))
            }
        })
        .collect()
}
