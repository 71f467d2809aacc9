//! `pcnkit report`: a static, self-contained HTML report of an ICS (inline SVG, no network)
//! and the tables behind it as CSV and Parquet. The figures are the [`pcnkit_profile`]
//! crate's; this module reads the arguments, renders the profile and writes the files.

mod html;
mod plans;
mod svg;
mod trends;

use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::{ArrayRef, StringArray};
use pcnkit_core::{FinancialYear, IcbCode};
use pcnkit_profile::{Intake, Profile, ProfileFiles, ProfileInputs, ProfileOptions};

use crate::error::{CliError, profile_error};
use crate::{Context, progress};

/// The files `pcnkit report` reads instead of `--demo`. Only the practice map is required;
/// each section of the report appears when its inputs are given and says which flags it needs
/// when they are not.
#[derive(Debug, Default, clap::Args)]
pub struct Files {
    /// NHS England's practice → PCN → sub-ICB → ICB map (`gp-reg-pat-prac-map.csv`).
    #[arg(long)]
    pub practice_map: Option<PathBuf>,
    /// Report on this ICB only (ODS code, e.g. QHM); default: every ICB in the map.
    #[arg(long)]
    pub icb: Option<IcbCode>,
    /// Patients Registered at a GP Practice by age and sex: practice rows
    /// (`gp-reg-pat-prac-quin-age.csv`, single-year files) or PCN rows
    /// (`gp-reg-pat-prac-sing-age-regions.csv`).
    #[arg(long)]
    pub lists: Option<PathBuf>,
    /// Patients per practice per LSOA (`gp-reg-pat-prac-lsoa-all.csv`): practice deprivation
    /// from the LSOAs its patients live in, and each PCN's footprint for asset coverage.
    #[arg(long)]
    pub practice_lsoa: Option<PathBuf>,
    /// LSOA deprivation: the IoD2019 file (`File_2_-_IoD2019_Domains_of_Deprivation.csv`) or a
    /// table with `lsoa`, `imd_decile` and, for walking-distance access, `latitude`,
    /// `longitude`, `population`.
    #[arg(long)]
    pub lsoas: Option<PathBuf>,
    /// Practice deprivation: `practice`, `imd_decile`, or the Fingertips practice IMD score
    /// export (`AreaCode`, `Value`, `Year`; the latest year of each practice, cut into deciles
    /// of the practices in the file, 1 = most deprived). Takes precedence over the deciles
    /// derived from --practice-lsoa and --lsoas.
    #[arg(long)]
    pub practice_deprivation: Option<PathBuf>,
    /// Practice positions: `practice`, `latitude`, `longitude` (WGS84).
    #[arg(long)]
    pub practice_locations: Option<PathBuf>,
    /// Weighted populations: `pcn` or `practice` with `weighted_patients`, or NHS Payments to
    /// General Practice (`Practice Code`, `Number of Weighted Patients (Last Known Figure)`).
    #[arg(long)]
    pub weighted: Option<PathBuf>,
    /// ARRS staff: `id`, `pcn`, `role`, `wte`, `start`, `end` (may be empty), `annual_cost`
    /// (pounds), and optionally the claim conditions `in_baseline`, `cct_date`,
    /// `in_pcn_previous_12_months`, `mental_health_provider_agreement`,
    /// `approved_apprenticeship` — the layout `pcnkit demo` writes as `arrs_staff.csv`.
    #[arg(long)]
    pub staff: Option<PathBuf>,
    /// Condition counts (CSV or Parquet): `practice`, `measure`, `age_band`, `count`,
    /// `population` (other columns ignored).
    #[arg(long)]
    pub conditions: Option<PathBuf>,
    /// Community assets: Open Referral UK / HSDS 3.0 JSON, or a `.csv` list in pcnkit's asset
    /// layout (`key`, `name`, `kind`, `latitude`, `longitude`, `lsoa`, `hlp_level`, …), such as
    /// a list of pharmacies.
    #[arg(long)]
    pub assets: Option<PathBuf>,
    /// Monthly activity per PCN (CSV or Parquet): `pcn`, `month` (2025-04) and
    /// `appointments` (or `count`, `value`), for control charts.
    #[arg(long)]
    pub activity: Option<PathBuf>,
    /// Yearly proportions per PCN (CSV or Parquet): `pcn`, `measure`, `year` (2023/24),
    /// `numerator`, `denominator` and optionally `polarity`, for recent trends.
    #[arg(long)]
    pub yearly: Option<PathBuf>,
}

impl Files {
    pub(crate) fn profile_files(&self) -> ProfileFiles {
        let mut f = ProfileFiles::default();
        f.practice_map.clone_from(&self.practice_map);
        f.icb = self.icb;
        f.lists.clone_from(&self.lists);
        f.practice_lsoa.clone_from(&self.practice_lsoa);
        f.lsoas.clone_from(&self.lsoas);
        f.practice_deprivation
            .clone_from(&self.practice_deprivation);
        f.practice_locations.clone_from(&self.practice_locations);
        f.weighted.clone_from(&self.weighted);
        f.staff.clone_from(&self.staff);
        f.conditions.clone_from(&self.conditions);
        f.assets.clone_from(&self.assets);
        f.activity.clone_from(&self.activity);
        f.yearly.clone_from(&self.yearly);
        f
    }
}

/// Write the HTML report and its tables.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  pcnkit report --demo --dir report/\n  pcnkit report --practice-map gp-reg-pat-prac-map.csv --icb QHM \\\n    --lists gp-reg-pat-prac-sing-age-regions.csv \\\n    --practice-deprivation fingertips-93553-practice-imd-score.csv --dir report/\n\nOpen report/index.html in a browser; it needs no network. Each section appears when\nits inputs are given (ARRS: --weighted, --staff; indicators: --conditions; assets:\n--assets) and says which flags it needs when they are not."
)]
pub struct Args {
    /// Report on the synthetic demo ICS instead of files.
    #[arg(long, conflicts_with = "practice_map")]
    pub demo: bool,
    /// The files to report on.
    #[command(flatten)]
    pub files: Files,
    /// Folder to write into.
    #[arg(long, default_value = "pcnkit-report")]
    pub dir: PathBuf,
    /// ARRS financial year (2025/26 by default: the 2024/25 maxima for April–September are not
    /// in the sources, so claims for those months are unknown).
    #[arg(long, default_value_t = ProfileOptions::DEFAULT_YEAR)]
    pub year: FinancialYear,
    /// Small-number disclosure control of the indicator tables before they leave the ICB:
    /// nhs-england, opensafely or custom:MIN-MAX:BASE (see `pcnkit indicators disclose`).
    #[arg(long)]
    pub disclosure: Option<String>,
    /// A monthly target for the ICS's total activity (--activity): its chart then shows the
    /// assurance icon (consistently pass or fail, or hit and miss).
    #[arg(long, allow_hyphen_values = true)]
    pub activity_target: Option<f64>,
    /// The workforce plans' options (CHWWs, pharmacy payments).
    #[command(flatten)]
    pub plans: crate::plan::PlanFlags,
}

/// The inputs of the demo, or of the files given (their findings written to standard error as
/// they are found): what `report` and `plan` read.
pub(crate) fn inputs(ctx: &Context, demo: bool, files: &Files) -> Result<ProfileInputs, CliError> {
    if demo {
        let inputs =
            ProfileInputs::demo(&pcnkit_demo::DemoConfig::default()).map_err(profile_error)?;
        ctx.print(&inputs.findings);
        return Ok(inputs);
    }
    if files.practice_map.is_none() {
        return Err(CliError::Usage(
            "give --demo, or --practice-map FILE (and the other inputs you have)".to_owned(),
        ));
    }
    if files.lsoas.is_some() && files.practice_lsoa.is_none() {
        return Err(CliError::Usage(
            "--lsoas needs --practice-lsoa FILE too: LSOA deciles reach practices through the patients each practice has in each LSOA (or give --practice-deprivation instead)".to_owned(),
        ));
    }
    let intake = Intake::new()
        .accept_errors(ctx.accept_errors)
        .observe(|f| ctx.print(f));
    ProfileInputs::from_files(&files.profile_files(), intake).map_err(profile_error)
}

/// The profile the report renders: the demo's, or that of the files given (their findings
/// written to standard error as they are found).
fn profile(ctx: &Context, args: &Args) -> Result<Profile, CliError> {
    // Arguments first: a bad policy is said before any file is read.
    let mut options = ProfileOptions::default();
    options.year = args.year;
    options.activity_target = args.activity_target;
    options.disclosure = args
        .disclosure
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|e: pcnkit_indicators::IndicatorError| {
            CliError::Usage(format!("--disclosure: {e}"))
        })?;
    options.plans = args.plans.options(args.demo)?;
    let inputs = inputs(ctx, args.demo, &args.files)?;
    Profile::new(inputs, &options).map_err(profile_error)
}

/// Runs `pcnkit report`.
pub fn run(ctx: &Context, args: Args) -> Result<(), CliError> {
    let spin = progress::spinner(ctx.quiet, "making the profile");
    let profile = profile(ctx, &args)?;
    prepare_dir(&args.dir)?;
    spin.set_message("writing");
    let tables = profile.tables().map_err(profile_error)?;
    // The same writers as every command's --format csv|parquet: exact decimals without
    // trailing zeros in CSV, typed columns in Parquet.
    for (name, b) in &tables {
        crate::output::write(
            b,
            crate::output::Format::Csv,
            Some(&args.dir.join(format!("{name}.csv"))),
        )?;
        crate::output::write(
            b,
            crate::output::Format::Parquet,
            Some(&args.dir.join(format!("{name}.parquet"))),
        )?;
    }
    let index = args.dir.join("index.html");
    std::fs::write(&index, html::page(&profile))
        .map_err(|e| CliError::Output(format!("{}: {e}", index.display())))?;
    let mut written: Vec<String> = tables
        .iter()
        .flat_map(|(n, _)| [format!("{n}.csv"), format!("{n}.parquet")])
        .collect();
    written.push("index.html".to_owned());
    let manifest = args.dir.join(MANIFEST);
    std::fs::write(&manifest, written.join("\n") + "\n")
        .map_err(|e| CliError::Output(format!("{}: {e}", manifest.display())))?;
    spin.finish_and_clear();
    let names: Vec<String> = tables
        .iter()
        .map(|t| t.0.clone())
        .chain(["index.html".to_owned()])
        .collect();
    ctx.emit(
        &arrow_array::RecordBatch::try_from_iter([(
            "written",
            Arc::new(StringArray::from(names)) as ArrayRef,
        )])
        .map_err(|e| CliError::Output(e.to_string()))?,
    )
}

/// The list of files a report run wrote, kept in its folder so the next run can remove exactly
/// those (and nothing else).
const MANIFEST: &str = ".pcnkit-report";

/// Makes `dir` ready for a report: created if absent; if it holds a previous report (its
/// manifest), the files that report wrote are removed so no stale table sits beside the new
/// one; a folder with other files and no manifest is refused (exit status 5), since they are
/// not pcnkit's to remove.
fn prepare_dir(dir: &std::path::Path) -> Result<(), CliError> {
    let io = |e: std::io::Error| CliError::Output(format!("{}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    let manifest = dir.join(MANIFEST);
    if let Ok(text) = std::fs::read_to_string(&manifest) {
        for name in text.lines().filter(|l| !l.is_empty()) {
            // Only plain file names inside the folder: never a path out of it.
            if name.contains('/') || name.contains('\\') || name.starts_with('.') {
                continue;
            }
            match std::fs::remove_file(dir.join(name)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(e)),
            }
        }
        std::fs::remove_file(&manifest).map_err(io)?;
        return Ok(());
    }
    let mut entries = std::fs::read_dir(dir).map_err(io)?;
    if entries.next().is_some() {
        return Err(CliError::Output(format!(
            "{} is not empty and holds no earlier pcnkit report: choose a new or empty folder (pcnkit removes only files it wrote)",
            dir.display()
        )));
    }
    Ok(())
}
