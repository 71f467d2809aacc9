//! The main job until the `pcnkit` CLI lands: generate the synthetic demo ICS, print each PCN's
//! members, population and rule findings, and write the organisation tables as CSV and Parquet.
//!
//! ```text
//! cargo run --release -p pcnkit-demo --example ics_overview -- [OUT_DIR]
//! ```
//!
//! The data is synthetic (see the pcnkit-demo crate docs).

use std::path::PathBuf;
use std::process::ExitCode;

use pcnkit_core::write::{write_csv, write_parquet};
use pcnkit_demo::{DemoConfig, generate};
use pcnkit_org::Level;
use pcnkit_org::export::{
    list_sizes_table, memberships_table, pcns_table, practices_table, rollup_table, snapshot_table,
};
use pcnkit_org::rules::{PcnSizePolicy, check_governance, check_pcn_sizes};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[allow(clippy::print_stdout)]
fn run() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("target/demo"), PathBuf::from);
    let started = std::time::Instant::now();
    let ics = generate(&DemoConfig::default())?;
    let generated = started.elapsed();
    let registry = &ics.registry;
    let date = ics.extract_date;

    println!(
        "pcnkit demo ICS (SYNTHETIC DATA, seed {}), as at {date}",
        ics.config.seed
    );
    println!("generated in {:.0} ms\n", generated.as_secs_f64() * 1000.0);
    println!(
        "{:<8} {:<36} {:>7} {:>10}",
        "PCN", "name", "members", "patients"
    );
    for pcn in registry.pcns() {
        let members = registry.members(pcn.code, date);
        let population = registry.population(pcn.code, date)?;
        println!(
            "{:<8} {:<36} {:>7} {:>10}",
            pcn.code,
            pcn.name,
            members.len(),
            population
        );
    }
    let icb: u64 = registry
        .rollup(Level::Icb, date)?
        .iter()
        .map(|a| a.patients.get())
        .sum();
    println!("\nICS registered population: {icb}");

    let mut findings = check_pcn_sizes(registry, date, &PcnSizePolicy::default())?;
    findings.extend(check_governance(registry, date));
    println!("\nRule findings ({}):", findings.len());
    for f in &findings {
        println!("  {f}");
    }

    std::fs::create_dir_all(&out)?;
    let tables = [
        ("practices", practices_table(registry)?),
        ("pcns", pcns_table(registry)?),
        ("memberships", memberships_table(registry)?),
        ("list_sizes", list_sizes_table(registry)?),
        ("snapshot", snapshot_table(&registry.snapshot(date))?),
        (
            "pcn_populations",
            rollup_table(&registry.rollup(Level::Pcn, date)?)?,
        ),
    ];
    for (name, batch) in &tables {
        write_csv(batch, &out.join(format!("{name}.csv")))?;
        write_parquet(batch, &out.join(format!("{name}.parquet")))?;
    }
    println!(
        "\nWrote {} tables as CSV and Parquet to {}",
        tables.len(),
        out.display()
    );
    Ok(())
}
