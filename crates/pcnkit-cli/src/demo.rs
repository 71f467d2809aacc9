//! `pcnkit demo`: the synthetic demo ICS as files.

use std::path::PathBuf;

use crate::error::{CliError, data};
use crate::{Context, progress};

/// Write the synthetic demo ICS (practices, PCNs, memberships, list sizes, LSOAs, condition
/// registers and admissions, ARRS staff, community assets) as CSV and Parquet, and the asset
/// register as an Open Referral UK / HSDS 3.0 page (`assets.hsds.json`); the organisations,
/// lists and patients by LSOA also in NHS England's published layouts (`gp-reg-pat-prac-*.csv`),
/// which `pcnkit report` reads as it reads the real files.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  pcnkit demo --dir demo/\n\nAll of it is synthetic: generated from a fixed seed, not NHS data."
)]
pub struct Args {
    /// Folder to write into (created if missing).
    #[arg(long, default_value = "pcnkit-demo")]
    pub dir: PathBuf,
    /// The generator's seed.
    #[arg(long, default_value_t = pcnkit_demo::DEFAULT_SEED)]
    pub seed: u64,
}

/// Runs `pcnkit demo`.
pub fn run(ctx: &Context, args: Args) -> Result<(), CliError> {
    let spin = progress::spinner(ctx.quiet, "generating the demo ICS");
    let mut config = pcnkit_demo::DemoConfig::default();
    config.seed = args.seed;
    let ics = pcnkit_demo::generate(&config).map_err(data)?;
    std::fs::create_dir_all(&args.dir)
        .map_err(|e| CliError::Output(format!("{}: {e}", args.dir.display())))?;
    let tables = pcnkit_demo::tables::tables(&ics).map_err(data)?;
    let mut written = Vec::new();
    for (name, batch) in &tables {
        spin.set_message(format!("writing {name}"));
        let csv = args.dir.join(format!("{name}.csv"));
        let parquet = args.dir.join(format!("{name}.parquet"));
        // The writers of every command: exact decimals without trailing zeros in CSV.
        crate::output::write(batch, crate::output::Format::Csv, Some(&csv))?;
        crate::output::write(batch, crate::output::Format::Parquet, Some(&parquet))?;
        written.push((name.to_string(), batch.num_rows() as u64));
    }
    for (name, batch) in pcnkit_demo::tables::nhs_files(&ics).map_err(data)? {
        pcnkit_core::write::write_csv(&batch, &args.dir.join(name)).map_err(data)?;
        written.push((name.to_string(), batch.num_rows() as u64));
    }
    let page = pcnkit_assets::hsds::to_page(ics.health.assets.iter(), 1, ics.health.assets.len());
    let json = args.dir.join("assets.hsds.json");
    std::fs::write(&json, page.to_string())
        .map_err(|e| CliError::Output(format!("{}: {e}", json.display())))?;
    spin.finish_and_clear();
    let batch = arrow_array::RecordBatch::try_from_iter([
        (
            "table",
            std::sync::Arc::new(arrow_array::StringArray::from_iter_values(
                written.iter().map(|w| w.0.as_str()),
            )) as arrow_array::ArrayRef,
        ),
        (
            "rows",
            std::sync::Arc::new(arrow_array::UInt64Array::from_iter_values(
                written.iter().map(|w| w.1),
            )) as arrow_array::ArrayRef,
        ),
    ])
    .map_err(|e| CliError::Output(e.to_string()))?;
    ctx.emit(&batch)
}
