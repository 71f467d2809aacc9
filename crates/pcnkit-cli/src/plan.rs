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
    /// Community health and wellbeing workers placed across LSOAs or PCNs in proportion to
    /// need: each worker looks after --households-per-worker households (required: published
    /// figures differ, none is a national rule); households are populations ÷
    /// --persons-per-household (required). Weighting by IMD decile: proportionate (default;
    /// 11 − decile), equal, score, or ten weights. Prints the areas, the deciles or the
    /// summary (coverage of the most deprived quintile, SII of coverage).
    #[command(
        after_help = "Examples:\n  pcnkit plan chww --demo --chww-level lsoa --chww-workers 200 --households-per-worker 120 --persons-per-household 2.4\n  pcnkit plan chww --demo --chww-budget 1000000 --chww-cost 30000 --households-per-worker 120 --persons-per-household 2.4 --table summary"
    )]
    Chww {
        /// The demo, or the files to plan from.
        #[command(flatten)]
        inputs: Inputs,
        /// The plan's options.
        #[command(flatten)]
        plan: PlanFlags,
        /// areas, deciles or summary.
        #[arg(long, default_value = "areas")]
        table: String,
    },
    /// Social prescribing link workers (from --staff) against the community assets (from
    /// --assets) their PCN's patients can walk to: assets and patients per link worker.
    #[command(after_help = "Example:\n  pcnkit plan link-workers --demo")]
    LinkWorkers {
        /// The demo, or the files to plan from.
        #[command(flatten)]
        inputs: Inputs,
        /// Walking distance, metres.
        #[arg(long, default_value_t = pcnkit_assets::coverage::WALKING_METRES_DEFAULT)]
        walking_metres: f64,
    },
    /// Community pharmacies around each PCN (from --assets, with their Healthy Living
    /// Pharmacy level) and what its practices' referrals would pay them under a scheme
    /// (--pharmacy-scheme: pharmacy_first or cpcs built in, or one of --pharmacy-schemes
    /// FILE) in --pharmacy-year at --referrals-per-1000 (both required). A fee that is not
    /// known for the year is an empty payment with the reason.
    #[command(
        after_help = "Example:\n  pcnkit plan pharmacy --demo --pharmacy-scheme cpcs --pharmacy-year 2022/23 --referrals-per-1000 10"
    )]
    Pharmacy {
        /// The demo, or the files to plan from.
        #[command(flatten)]
        inputs: Inputs,
        /// The plan's options.
        #[command(flatten)]
        plan: PlanFlags,
        /// Walking distance, metres.
        #[arg(long, default_value_t = pcnkit_assets::coverage::WALKING_METRES_DEFAULT)]
        walking_metres: f64,
    },
}

/// What a plan reads: the demo, or the files an ICB holds (as `pcnkit report` takes them).
#[derive(Debug, clap::Args)]
pub struct Inputs {
    /// The synthetic demo ICS.
    #[arg(long, conflicts_with = "practice_map")]
    demo: bool,
    /// The files to plan from.
    #[command(flatten)]
    files: crate::report::Files,
}

impl Inputs {
    fn load(&self, ctx: &Context) -> Result<pcnkit_profile::ProfileInputs, CliError> {
        crate::report::inputs(ctx, self.demo, &self.files)
    }
}

/// The options of the CHWW and pharmacy plans (`plan chww`, `plan pharmacy`, `report`).
#[derive(Debug, Default, clap::Args)]
pub struct PlanFlags {
    /// CHWWs by lsoa or pcn (default pcn).
    #[arg(long)]
    pub chww_level: Option<String>,
    /// CHWWs to place.
    #[arg(long, conflicts_with = "chww_budget")]
    pub chww_workers: Option<u64>,
    /// A CHWW budget, pounds a year (with --chww-cost).
    #[arg(long, requires = "chww_cost")]
    pub chww_budget: Option<rust_decimal::Decimal>,
    /// The cost of one CHWW, pounds a year.
    #[arg(long)]
    pub chww_cost: Option<rust_decimal::Decimal>,
    /// Households one CHWW looks after.
    #[arg(long)]
    pub households_per_worker: Option<u64>,
    /// Persons per household, to count households from populations.
    #[arg(long)]
    pub persons_per_household: Option<rust_decimal::Decimal>,
    /// proportionate (default), equal, score, or ten weights for deciles 1..10.
    #[arg(long)]
    pub chww_weighting: Option<String>,
    /// The pharmacy scheme (pharmacy_first by default, or cpcs, or a --pharmacy-schemes id).
    #[arg(long)]
    pub pharmacy_scheme: Option<String>,
    /// The financial year of the pharmacy estimate (2023/24).
    #[arg(long)]
    pub pharmacy_year: Option<String>,
    /// Referrals a year per 1,000 registered patients.
    #[arg(long)]
    pub referrals_per_1000: Option<rust_decimal::Decimal>,
    /// Pharmacy schemes from a TOML rule file instead of the built-in ones.
    #[arg(long)]
    pub pharmacy_schemes: Option<PathBuf>,
}

impl PlanFlags {
    fn chww_words(&self) -> pcnkit_profile::plans::ChwwWords {
        let mut w = pcnkit_profile::plans::ChwwWords::default();
        w.level.clone_from(&self.chww_level);
        w.workers = self.chww_workers;
        w.budget = self.chww_budget;
        w.cost_per_worker = self.chww_cost;
        w.households_per_worker = self.households_per_worker;
        w.persons_per_household = self.persons_per_household;
        w.weighting.clone_from(&self.chww_weighting);
        w
    }

    fn pharmacy_words(&self) -> pcnkit_profile::plans::PharmacyWords {
        let mut w = pcnkit_profile::plans::PharmacyWords::default();
        w.scheme.clone_from(&self.pharmacy_scheme);
        w.year.clone_from(&self.pharmacy_year);
        w.referrals_per_1000 = self.referrals_per_1000;
        w.schemes_file.clone_from(&self.pharmacy_schemes);
        w
    }

    /// The report's plan options: those the flags give; with `--demo` and none given, the
    /// demo's illustration (said in its findings).
    pub fn options(&self, demo: bool) -> Result<pcnkit_profile::plans::PlanOptions, CliError> {
        pcnkit_profile::plans::PlanOptions::from_words(
            demo,
            &self.chww_words(),
            &self.pharmacy_words(),
        )
        .map_err(usage)
    }
}

fn usage(e: pcnkit_profile::ProfileError) -> CliError {
    CliError::Usage(e.to_string())
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
    match command {
        Command::Chww {
            inputs,
            plan,
            table,
        } => {
            let options = plan.chww_words().options().map_err(usage)?;
            let inputs = inputs.load(ctx)?;
            let (plan, findings) =
                pcnkit_profile::plans::chww_plan(&inputs, &options).map_err(data)?;
            ctx.record(findings);
            let batch = match table.as_str() {
                "areas" => pcnkit_plan::table::chww_areas(&plan),
                "deciles" => pcnkit_plan::table::chww_deciles(&plan),
                "summary" => pcnkit_plan::table::chww_summary(&plan),
                other => {
                    return Err(CliError::Usage(format!(
                        "--table {other:?}: use areas, deciles or summary"
                    )));
                }
            }
            .map_err(data)?;
            ctx.emit(&batch)
        }
        Command::LinkWorkers {
            inputs,
            walking_metres,
        } => {
            let inputs = inputs.load(ctx)?;
            let rows = pcnkit_profile::plans::link_workers(
                &inputs,
                walking_metres,
                pcnkit_assets::coverage::FOOTPRINT_SHARE_DEFAULT,
            )
            .map_err(data)?
            .ok_or_else(|| {
                CliError::Usage(
                    "link workers need --staff (ARRS staff) and --assets (the register), or --demo"
                        .to_owned(),
                )
            })?;
            ctx.emit(&pcnkit_profile::plans::link_workers_table(&rows).map_err(data)?)
        }
        Command::Pharmacy {
            inputs,
            plan,
            walking_metres,
        } => {
            let (options, schemes) = plan.pharmacy_words().options().map_err(usage)?;
            let inputs = inputs.load(ctx)?;
            let (rows, findings) = pcnkit_profile::plans::pharmacy_plan(
                &inputs,
                &schemes,
                &options,
                walking_metres,
                pcnkit_assets::coverage::FOOTPRINT_SHARE_DEFAULT,
            )
            .map_err(data)?;
            ctx.record(findings);
            ctx.emit(&pcnkit_profile::plans::pharmacy_table(&rows).map_err(data)?)
        }
        leads @ Command::Leads { .. } => run_leads(ctx, leads),
    }
}

fn run_leads(ctx: &Context, command: Command) -> Result<(), CliError> {
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
    } = command
    else {
        return Err(CliError::Usage("not a lead plan".to_owned()));
    };
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
