//! Replays every committed corpus input through its fuzz check, plus a fixed-seed batch of

// Test helpers outside #[test] functions may unwrap: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! mutated inputs, so the fuzz targets run as ordinary tests on the stable toolchain.

type Check = fn(&[u8]);

fn targets() -> Vec<(&'static str, Check)> {
    vec![
        ("core_values", pcnkit_fuzz::core_values as Check),
        ("epraccur", pcnkit_fuzz::epraccur),
        ("epcn_details", pcnkit_fuzz::epcn_details),
        ("epcn_members", pcnkit_fuzz::epcn_members),
        ("registered_patients", pcnkit_fuzz::registered_patients),
        ("practice_map", pcnkit_fuzz::practice_map),
        ("practice_lsoa", pcnkit_fuzz::practice_lsoa),
        ("lsoa_lookup", pcnkit_fuzz::lsoa_lookup),
        ("sub_icb_lookup", pcnkit_fuzz::sub_icb_lookup),
        ("arrs_rules", pcnkit_fuzz::arrs_rules),
        ("indicators_arrow", pcnkit_fuzz::indicators_arrow),
        ("assets_hsds", pcnkit_fuzz::assets_hsds),
        ("assets_oruk_v1", pcnkit_fuzz::assets_oruk_v1),
        ("assets_csv", pcnkit_fuzz::assets_csv),
        ("weighted", pcnkit_fuzz::weighted),
        ("lsoa_deprivation", pcnkit_fuzz::lsoa_deprivation),
        ("practice_deprivation", pcnkit_fuzz::practice_deprivation),
        ("practice_locations", pcnkit_fuzz::practice_locations),
        ("condition_counts", pcnkit_fuzz::condition_counts),
        ("staff_table", pcnkit_fuzz::staff_table),
    ]
}

fn corpus(target: &str) -> Vec<Vec<u8>> {
    // The runtime value first: a test binary reused from another checkout of the workspace (a
    // shared target directory) has that checkout's path compiled in.
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("corpus")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus folder {} is missing: {e}", dir.display()))
        .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "corpus {target} is empty");
    inputs
}

#[test]
fn corpus_replays_without_crashes() {
    for (name, check) in targets() {
        for input in corpus(name) {
            check(&input);
        }
    }
}

/// Byte flips, truncations and splices of a target's corpus under a fixed seed, so failures
/// reproduce: a cheap stand-in for a fuzzing session.
fn mutations(name: &str, check: Check, count: usize) {
    let mut state: u64 = 0x5EED;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let seeds = corpus(name);
    for _ in 0..count {
        let mut input = seeds[(next() % seeds.len() as u64) as usize].clone();
        match next() % 4 {
            0 if !input.is_empty() => {
                let i = (next() % input.len() as u64) as usize;
                input[i] = next() as u8;
            }
            1 => input.truncate((next() % (input.len() as u64 + 1)) as usize),
            2 => {
                let other = &seeds[(next() % seeds.len() as u64) as usize];
                input.extend_from_slice(other);
            }
            _ => input.insert(
                (next() % (input.len() as u64 + 1)) as usize,
                b"-+/_.,9 U\x00"[(next() % 10) as usize],
            ),
        }
        check(&input);
    }
}

#[test]
fn mutated_corpus_replays_without_crashes() {
    for (name, check) in targets() {
        if name != "indicators_arrow" {
            mutations(name, check, 4_000);
        }
    }
}

/// The indicator tables run every method on each input, so fewer mutations keep this test
/// about as long as the others; it runs in parallel with them.
#[test]
fn mutated_indicator_batches_never_panic() {
    mutations("indicators_arrow", pcnkit_fuzz::indicators_arrow, 1_000);
}
