//! Prevalence by PCN and deprivation quintile from 60 million person rows, timed, for the
//! side-by-side with DuckDB and polars (`scripts/bench_prevalence_peers.py`).
//!
//! `prevalence_peer write DIR [ROWS]` writes `persons.parquet` and `lookup.csv` to DIR;
//! `prevalence_peer run DIR` reads them, times `prevalence_by_quintile` (best of 5, the
//! aggregation only, as the peers are timed) and prints the result's checksum.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::panic
)]

use std::fs::File;
use std::time::Instant;

use arrow_array::cast::AsArray;
use arrow_array::types::UInt64Type;
use pcnkit_indicators::Confidence;
use pcnkit_indicators::prevalence::{AreaLookup, prevalence_by_quintile};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(args.get(2).expect("usage: prevalence_peer write|run DIR"));
    match args.get(1).map(String::as_str) {
        Some("write") => {
            let rows: usize = args
                .get(3)
                .map(|s| s.parse().unwrap())
                .unwrap_or(60_000_000);
            let (batches, lookup) = pcnkit_benches::person_rows(rows, 6_500, 5, 2026).unwrap();
            let file = File::create(dir.join("persons.parquet")).unwrap();
            let mut w =
                parquet::arrow::ArrowWriter::try_new(file, batches[0].schema(), None).unwrap();
            for b in &batches {
                w.write(b).unwrap();
            }
            w.close().unwrap();
            let mut csv = String::from("practice,pcn\n");
            for (p, pcn) in lookup {
                csv.push_str(&format!("{p},{pcn}\n"));
            }
            std::fs::write(dir.join("lookup.csv"), csv).unwrap();
        }
        Some("run") => {
            let file = File::open(dir.join("persons.parquet")).unwrap();
            let reader =
                parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
                    .unwrap()
                    .with_batch_size(1 << 20)
                    .build()
                    .unwrap();
            let batches: Vec<_> = reader.map(|b| b.unwrap()).collect();
            let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
            let text = std::fs::read_to_string(dir.join("lookup.csv")).unwrap();
            let lookup = AreaLookup::from_pairs(text.lines().skip(1).map(|l| {
                let (p, pcn) = l.split_once(',').unwrap();
                (p.to_owned(), pcn.to_owned())
            }));
            let mut best = f64::INFINITY;
            let mut cases = 0;
            for _ in 0..5 {
                let t = Instant::now();
                let out = prevalence_by_quintile(
                    &batches,
                    "practice",
                    "imd_decile",
                    "diabetes",
                    &lookup,
                    &[Confidence::C95],
                )
                .unwrap();
                best = best.min(t.elapsed().as_secs_f64());
                cases = out
                    .column_by_name("cases")
                    .unwrap()
                    .as_primitive::<UInt64Type>()
                    .values()
                    .iter()
                    .sum::<u64>();
            }
            println!(
                "pcnkit    prevalence by PCN x quintile, {rows} rows: {:.3} s (cases {cases})",
                best
            );
            // The floor: one pass over the same three columns (sum of practice keys and
            // deciles, count of flags), single-threaded, as the issue asks it measured.
            let mut floor = f64::INFINITY;
            for _ in 0..5 {
                let t = Instant::now();
                let mut acc = (0u64, 0u64, 0usize);
                for b in &batches {
                    let keys = b.column(0).as_dictionary::<arrow_array::types::Int32Type>();
                    acc.0 += keys.keys().values().iter().map(|&k| k as u64).sum::<u64>();
                    let d = b.column(3).as_primitive::<arrow_array::types::UInt8Type>();
                    acc.1 += d.values().iter().map(|&x| u64::from(x)).sum::<u64>();
                    acc.2 += b.column(4).as_boolean().true_count();
                }
                std::hint::black_box(acc);
                floor = floor.min(t.elapsed().as_secs_f64());
            }
            println!("floor     one pass over the three columns, 1 thread: {floor:.3} s");
        }
        _ => panic!("usage: prevalence_peer write|run DIR [ROWS]"),
    }
}
