//! `pcnkit plan`: planning the population-health workforce (`pcnkit-plan`).

use std::path::{Path, PathBuf};

use clap::Subcommand;
use pcnkit_core::PcnCode;
use pcnkit_plan::leads::{LeadPlanConfig, Objective, check_leads, lead_policy};
use pcnkit_profile::leads::Neighbours;

use crate::Context;
use crate::error::{CliError, data};

/// Planning commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Patches of neighbouring PCNs for GPs with an extended role in population health, within
    /// the proposal's limits (at most 3 PCNs, about 100,000 patients; --max-pcns and
    /// --max-population for a local policy): the fewest leads, or leads weighted towards
    /// deprived patches (--objective deprived, --leads N). With --check, an ICB's own
    /// assignment (a CSV of lead,pcn) is checked against the limits and the map instead.
    #[command(
        after_help = "Examples:\n  pcnkit plan leads --demo\n  pcnkit plan leads --demo --objective deprived --leads 14\n  pcnkit plan leads --practice-map gp-reg-pat-prac-map.csv --lists gp-reg-pat-prac-all.csv --icb QT6"
    )]
    Leads {
        /// The synthetic demo ICS.
        #[arg(long)]
        demo: bool,
        /// NHS England's practice map (gp-reg-pat-prac-map.csv).
        #[arg(long, required_unless_present = "demo")]
        practice_map: Option<PathBuf>,
        /// Patients registered at each practice (any layout of the published file).
        #[arg(long, required_unless_present = "demo")]
        lists: Option<PathBuf>,
        /// This ICB only (ODS code).
        #[arg(long)]
        icb: Option<String>,
        /// Patients per practice per LSOA (gp-reg-pat-prac-lsoa-all.csv): PCNs border where
        /// their patients live in the same LSOAs. Without it (and without --adjacency), PCNs
        /// of one sub-ICB location are taken as neighbours, and the plan says so.
        #[arg(long)]
        practice_lsoa: Option<PathBuf>,
        /// LSOA deprivation (IoD file), for --objective deprived (with --practice-lsoa).
        #[arg(long)]
        lsoas: Option<PathBuf>,
        /// Neighbouring PCNs as a CSV with columns pcn_a,pcn_b.
        #[arg(long)]
        adjacency: Option<PathBuf>,
        /// fewest (the fewest leads) or deprived (weighted towards deprived patches).
        #[arg(long, default_value = "fewest")]
        objective: String,
        /// With --objective deprived: how many leads to place (default: the fewest).
        #[arg(long)]
        leads: Option<usize>,
        /// Most PCNs per lead (default: the proposal's).
        #[arg(long)]
        max_pcns: Option<usize>,
        /// Most patients per lead (default: the proposal's).
        #[arg(long)]
        max_population: Option<u64>,
        /// Check this assignment (CSV with columns lead,pcn) instead of planning.
        #[arg(long)]
        check: Option<PathBuf>,
    },
}

fn pairs(path: &Path, columns: [&str; 2]) -> Result<Vec<(String, String)>, CliError> {
    let mut reader = csv::Reader::from_reader(crate::load::open(path)?);
    let headers = reader
        .headers()
        .map_err(|e| CliError::Data(format!("{}: {e}", path.display())))?
        .clone();
    let at = |c: &str| {
        headers.iter().position(|h| h.trim() == c).ok_or_else(|| {
            CliError::Data(format!(
                "{}: no column {c} (give {})",
                path.display(),
                columns.join(",")
            ))
        })
    };
    let (a, b) = (at(columns[0])?, at(columns[1])?);
    let mut out = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| CliError::Data(format!("{}: {e}", path.display())))?;
        match (row.get(a), row.get(b)) {
            (Some(x), Some(y)) if !x.trim().is_empty() && !y.trim().is_empty() => {
                out.push((x.trim().to_owned(), y.trim().to_owned()));
            }
            _ => {
                return Err(CliError::Data(format!(
                    "{}, line {}: {} and {} are both needed",
                    path.display(),
                    i + 2,
                    columns[0],
                    columns[1]
                )));
            }
        }
    }
    Ok(out)
}

fn pcn(path: &Path, text: &str) -> Result<PcnCode, CliError> {
    text.parse()
        .map_err(|e: pcnkit_core::CoreError| CliError::Data(format!("{}: {e}", path.display())))
}

/// Runs a `plan` command.
pub fn run(ctx: &Context, command: Command) -> Result<(), CliError> {
    let Command::Leads {
        demo,
        practice_map,
        lists,
        icb,
        practice_lsoa,
        lsoas,
        adjacency,
        objective,
        leads,
        max_pcns,
        max_population,
        check,
    } = command;
    let policy =
        lead_policy(max_pcns, max_population).map_err(|e| CliError::Usage(e.to_string()))?;
    let objective = Objective::named(&objective, leads)
        .map_err(|e| CliError::Usage(format!("--objective/--leads: {e}")))?;
    let inputs = if demo {
        pcnkit_profile::ProfileInputs::demo(&pcnkit_demo::DemoConfig::default()).map_err(data)?
    } else {
        let (Some(map), Some(lists)) = (practice_map, lists) else {
            return Err(CliError::Usage(
                "give --demo, or --practice-map and --lists".to_owned(),
            ));
        };
        let mut f = pcnkit_profile::ProfileFiles::new(map);
        f.lists = Some(lists);
        f.practice_lsoa = practice_lsoa;
        f.lsoas = lsoas;
        f.icb = icb
            .map(|i| i.parse())
            .transpose()
            .map_err(|e: pcnkit_core::CoreError| CliError::Usage(format!("--icb: {e}")))?;
        pcnkit_profile::ProfileInputs::from_files(&f, ctx.intake()).map_err(data)?
    };
    let neighbours = match &adjacency {
        Some(path) => {
            let mut p = Vec::new();
            for (a, b) in &pairs(path, ["pcn_a", "pcn_b"])? {
                p.push((pcn(path, a)?, pcn(path, b)?));
            }
            Neighbours::Given(p, format!("neighbours as given in {}", path.display()))
        }
        None => Neighbours::FromInputs,
    };
    if let Some(path) = check {
        let (areas, map, mut findings) = pcnkit_profile::leads::lead_areas(&inputs, neighbours);
        let rows = pairs(&path, ["lead", "pcn"])?;
        let mut by_lead: std::collections::BTreeMap<String, Vec<PcnCode>> = Default::default();
        for (lead, code) in &rows {
            by_lead
                .entry(lead.clone())
                .or_default()
                .push(pcn(&path, code)?);
        }
        let assignment: Vec<(String, Vec<PcnCode>)> = by_lead.into_iter().collect();
        findings.extend(check_leads(&areas, &map, &policy, &assignment));
        let table = pcnkit_core::findings_table(&findings).map_err(data)?;
        return ctx.emit(&table);
    }
    let (plan, findings) = pcnkit_profile::leads::lead_plan(
        &inputs,
        neighbours,
        &LeadPlanConfig::new(policy).objective(objective),
    )
    .map_err(data)?;
    ctx.record(findings);
    ctx.emit(&pcnkit_plan::table::patches(&plan).map_err(data)?)
}
