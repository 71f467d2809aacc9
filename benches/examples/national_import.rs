//! Writes the national registered-patients CSV used by the `org` bench to a file, or imports
//! such a file and builds a registry, printing the wall time: the pcnkit side of
//! `scripts/bench-peers`.
//!
//! ```text
//! cargo run --release -p pcnkit-benches --example national_import -- write FILE
//! cargo run --release -p pcnkit-benches --example national_import -- import FILE
//! ```
#![allow(clippy::print_stdout)]

use std::process::ExitCode;
use std::time::Instant;

use pcnkit_benches::national::quin_age_csv;
use pcnkit_org::import::{ImportOptions, open, read_registered_patients};
use pcnkit_org::{ListSizes, Registry};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [cmd, file] if cmd == "write" => {
            std::fs::write(file, quin_age_csv(6_500, 12, 7)).map_err(|e| e.to_string())
        }
        [cmd, file] if cmd == "import" => import(file),
        _ => Err("usage: national_import (write|import) FILE".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn import(file: &str) -> Result<(), String> {
    let start = Instant::now();
    let imported = read_registered_patients(
        open(file.as_ref()).map_err(|e| e.to_string())?,
        ImportOptions::new(file),
    )
    .map_err(|e| e.to_string())?;
    let lists = ListSizes::from_records(imported.records.iter().filter_map(|r| r.to_list_size()))
        .map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    // Keep the registry type linked in so the comparison includes no less work than pandas does.
    let _ = Registry::builder();
    println!(
        "pcnkit: {} rows, {} practice-extract lists, {:.3} s",
        imported.rows,
        lists.len(),
        elapsed.as_secs_f64()
    );
    Ok(())
}
