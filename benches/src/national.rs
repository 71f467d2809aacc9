//! A national-scale registered-patients file: about 6,500 practices × 19 five-year age bands ×
//! 2 sexes × 12 monthly extracts, in the `gp-reg-pat-prac-quin-age.csv` layout.

use std::fmt::Write;

use crate::SplitMix64;

/// The 19 five-year band labels as NHS Digital writes them.
pub const QUIN_AGE_LABELS: [&str; 19] = [
    "0_4", "5_9", "10_14", "15_19", "20_24", "25_29", "30_34", "35_39", "40_44", "45_49", "50_54",
    "55_59", "60_64", "65_69", "70_74", "75_79", "80_84", "85_89", "90+",
];

/// The CSV text of `practices` practices over `months` monthly extracts (from April 2024), with
/// a practice map assigning them to PCNs of about 7 practices.
pub fn quin_age_csv(practices: u32, months: u32, seed: u64) -> String {
    let mut rng = SplitMix64::new(seed);
    let mut out = String::with_capacity((practices * months * 38 * 70) as usize);
    out.push_str("PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS\n");
    for m in 0..months {
        let (year, month) = (2024 + (3 + m) / 12, (3 + m) % 12 + 1);
        let date = format!("{year}-{month:02}-01");
        for p in 0..practices {
            let code = practice_code(p);
            for sex in ["MALE", "FEMALE"] {
                for band in QUIN_AGE_LABELS {
                    let n = 50 + rng.below(500);
                    // Writing to a String cannot fail.
                    let _ = writeln!(
                        out,
                        "GP_PRAC_PAT_LIST,{date},GP,{code},,AB1 2CD,{sex},{band},{n}"
                    );
                }
            }
        }
    }
    out
}

/// The practice code of practice number `i`.
pub fn practice_code(i: u32) -> String {
    format!(
        "{}{:05}",
        char::from(b'A' + (i / 100_000 % 26) as u8),
        i % 100_000
    )
}

/// The PCN code of practice number `i` (about seven practices a PCN).
pub fn pcn_code(i: u32) -> String {
    format!("U{:05}", i / 7)
}
