//! `pcnkit arrs`: entitlement, claims and what-if plans from the sourced rule tables, for a
//! demo PCN or from a PCN's own files. The tables come from `pcnkit_arrs::table`; an unknown
//! claim is null with a `status` column saying so, never £0.

use std::collections::BTreeSet;
use std::path::PathBuf;

use pcnkit_arrs::{EntitlementOptions, PcnInputs, RuleBook, StaffMember};
use pcnkit_core::read::{Finding, Severity};
use pcnkit_core::{FinancialYear, Money, PcnCode};
use rust_decimal::Decimal;

use crate::Context;
use crate::error::{CliError, data};

/// Which PCN, which year, and where its staff and populations come from.
#[derive(Debug, clap::Args)]
pub struct Inputs {
    /// Use the synthetic demo ICS's workforce and weighted populations.
    #[arg(long, conflicts_with_all = ["staff", "weighted", "practice_map"])]
    demo: bool,
    /// The PCN.
    #[arg(long)]
    pcn: PcnCode,
    /// Financial year (2025/26, 2025-26, FY2025).
    #[arg(long)]
    year: FinancialYear,
    /// ARRS staff: `id`, `pcn`, `role`, `wte`, `start`, `annual_cost` and optionally `end`,
    /// `cct_date`, `in_baseline`, `in_pcn_previous_12_months`,
    /// `mental_health_provider_agreement`, `approved_apprenticeship`, `area` (national,
    /// outer_london, inner_london: London weighting). CSV or Parquet.
    #[arg(long, required_unless_present = "demo")]
    staff: Option<PathBuf>,
    /// Weighted populations: `pcn`, `weighted_patients`; or practice rows (`practice`, or the
    /// NHS Payments to General Practice file) with --practice-map.
    #[arg(long, required_unless_present = "demo")]
    weighted: Option<PathBuf>,
    /// NHS England's practice → PCN map (`gp-reg-pat-prac-map.csv`): sums practice weighted
    /// populations into PCNs and checks the staff table's PCNs.
    #[arg(long)]
    practice_map: Option<PathBuf>,
}

/// An ARRS command.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Every figure of a year's rules with its source and confidence; NF figures are listed
    /// with a null amount and the reason. With --local-variation, an ICB's Local Variation
    /// Arrangement applied over the national rules.
    #[command(
        after_help = "Examples:\n  pcnkit arrs figures --year 2026/27\n  pcnkit arrs figures --year 2026/27 --local-variation crates/pcnkit-arrs/examples/local-variation-2026-27.toml"
    )]
    Figures {
        /// Financial year (2025/26, 2025-26, FY2025).
        #[arg(long)]
        year: FinancialYear,
        /// An ICB's Local Variation Arrangement (TOML; see the pcnkit-arrs example file).
        #[arg(long)]
        local_variation: Option<PathBuf>,
    },
    /// A PCN's ARRS sums and other Network Contract DES payments for a year, each line with
    /// its population basis and source; payments not in the year's rule data are listed.
    #[command(after_help = "Example:\n  pcnkit arrs entitlement --year 2025/26 --weighted 30000")]
    Entitlement {
        /// Financial year (2025/26, 2025-26, FY2025).
        #[arg(long)]
        year: FinancialYear,
        /// Contractor weighted population.
        #[arg(long)]
        weighted: Decimal,
        /// Registered list size (for payments on that basis).
        #[arg(long)]
        registered: Option<Decimal>,
        /// Adjusted population (Capacity and Access payments).
        #[arg(long)]
        adjusted: Option<Decimal>,
    },
    /// Monthly claims of a PCN's ARRS staff (pro rata by day, capped), with headroom. A claim
    /// that cannot be valued (a maximum not found in the sources) is unknown, and so are the
    /// totals it feeds: `status` says `incomplete` and `claimed_known` gives the known part.
    #[command(
        after_help = "Examples:\n  pcnkit arrs claims --demo --pcn U90000 --year 2025/26\n  pcnkit arrs claims --pcn U12345 --year 2025/26 --staff arrs_staff.csv --weighted weighted.csv"
    )]
    Claims {
        #[command(flatten)]
        inputs: Inputs,
        /// One row per staff member per month instead of the pool summary.
        #[arg(long)]
        lines: bool,
    },
    /// Explain a claim: the rule trace behind one staff member's claim in one month.
    #[command(
        after_help = "Example:\n  pcnkit arrs explain --demo --pcn U90000 --year 2025/26 --staff-id U90000-000 --month 2025-06"
    )]
    Explain {
        #[command(flatten)]
        inputs: Inputs,
        /// Staff id.
        #[arg(long = "staff-id")]
        staff_id: String,
        /// Month (YYYY-MM).
        #[arg(long)]
        month: pcnkit_core::Month,
    },
    /// What-if: how many more WTE of a role the headroom would pay for (unknown when the
    /// headroom is; `more_wte_at_most` gives the bound from the known claims).
    #[command(
        after_help = "Example:\n  pcnkit arrs plan --demo --pcn U90000 --year 2025/26 --role pharmacy_technician --cost 41000"
    )]
    Plan {
        #[command(flatten)]
        inputs: Inputs,
        /// Role id (as in the rule tables, e.g. pharmacy_technician).
        #[arg(long)]
        role: String,
        /// Annual cost per WTE, pounds.
        #[arg(long)]
        cost: Money,
    },
}

fn demo_pcn(pcn: PcnCode) -> Result<(PcnInputs, Vec<StaffMember>), CliError> {
    let ics = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default()).map_err(data)?;
    let weighted = ics.health.weighted.get(&pcn).copied().ok_or_else(|| {
        CliError::Data(format!(
            "PCN {pcn} is not in the demo ICS (U90000 to U90029)"
        ))
    })?;
    let mut inputs = PcnInputs::weighted(weighted);
    inputs.pcn = Some(pcn);
    let staff = ics
        .health
        .staff
        .iter()
        .filter(|s| s.pcn == Some(pcn))
        .cloned()
        .collect();
    Ok((inputs, staff))
}

/// The PCN's populations and staff, from the demo or its files.
fn load(
    ctx: &Context,
    book: &RuleBook,
    i: &Inputs,
) -> Result<(PcnInputs, Vec<StaffMember>), CliError> {
    if i.demo {
        return demo_pcn(i.pcn);
    }
    let (Some(staff_path), Some(weighted_path)) = (&i.staff, &i.weighted) else {
        return Err(CliError::Usage(
            "give --demo, or --staff FILE and --weighted FILE (with --practice-map for practice rows)"
                .to_owned(),
        ));
    };
    let registry = match &i.practice_map {
        Some(p) => Some(crate::org::registry_from_map(ctx, p)?),
        None => None,
    };
    let pcns: Option<BTreeSet<PcnCode>> = registry
        .as_ref()
        .map(|(r, _)| r.pcns().map(|p| p.code).collect());
    if let Some(known) = &pcns
        && !known.contains(&i.pcn)
    {
        return Err(CliError::Data(format!(
            "PCN {} is not in the practice map",
            i.pcn
        )));
    }
    let staff = crate::load::staff(ctx, staff_path, book, pcns.as_ref())?
        .into_iter()
        .filter(|s| s.pcn == Some(i.pcn))
        .collect();
    let weighted =
        crate::load::weighted(ctx, weighted_path, registry.as_ref().map(|(r, d)| (r, *d)))?;
    let mut inputs = PcnInputs::default();
    inputs.pcn = Some(i.pcn);
    inputs.weighted = weighted.get(&i.pcn).copied();
    if inputs.weighted.is_none() {
        ctx.record(vec![
            Finding::new(
                "arrs.population_missing",
                Severity::Warning,
                format!(
                    "{}: no weighted population: its entitlement and headroom are unknown",
                    weighted_path.display()
                ),
            )
            .about(i.pcn.to_string()),
        ]);
    }
    Ok((inputs, staff))
}

/// The engine's own findings and the staff it could not claim for, on standard error; staff
/// errors fail the command unless --accept-errors.
fn account_claims(ctx: &Context, report: &pcnkit_arrs::ClaimsReport) -> Result<(), CliError> {
    let mut findings: Vec<Finding> = report
        .errors
        .iter()
        .map(|e| Finding::new("arrs.staff_error", Severity::Error, e.to_string()))
        .collect();
    // The engine's findings as they are (it names each once, with the months it applies to).
    findings.extend(report.findings.iter().cloned());
    ctx.record(findings);
    if !report.errors.is_empty() && !ctx.accept_errors {
        return Err(CliError::Data(format!(
            "{} member(s) of staff could not be claimed for (listed above); correct them, or pass --accept-errors to go on without them",
            report.errors.len()
        )));
    }
    Ok(())
}

/// Runs `pcnkit arrs …`.
pub fn run(ctx: &Context, command: Command) -> Result<(), CliError> {
    let book = RuleBook::builtin();
    match command {
        Command::Figures {
            year,
            local_variation,
        } => {
            let varied;
            let book = match &local_variation {
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .map_err(|e| CliError::Data(format!("{}: {e}", path.display())))?;
                    varied = book
                        .clone()
                        .with_local_variation(&path.display().to_string(), &text)
                        .map_err(data)?;
                    &varied
                }
                None => book,
            };
            ctx.emit(&pcnkit_arrs::table::figures(book, year).map_err(data)?)
        }
        Command::Entitlement {
            year,
            weighted,
            registered,
            adjusted,
        } => {
            let mut inputs = PcnInputs::weighted(weighted);
            inputs.registered = registered;
            inputs.adjusted = adjusted;
            let e = pcnkit_arrs::entitlement(book, year, &inputs, EntitlementOptions::default())
                .map_err(data)?;
            ctx.record(
                e.warnings
                    .iter()
                    .map(|w| Finding::new("arrs.entitlement_unknown", Severity::Warning, w.clone()))
                    .collect(),
            );
            ctx.emit(&pcnkit_arrs::table::entitlement_lines(book, &e).map_err(data)?)
        }
        Command::Claims { inputs: i, lines } => {
            let (inputs, staff) = load(ctx, book, &i)?;
            let e = pcnkit_arrs::entitlement(book, i.year, &inputs, EntitlementOptions::default())
                .map_err(data)?;
            let report = pcnkit_arrs::claims(book, i.year, &inputs, &e, &staff).map_err(data)?;
            account_claims(ctx, &report)?;
            if lines {
                ctx.emit(&pcnkit_arrs::table::claim_lines(&report).map_err(data)?)
            } else {
                ctx.emit(&pcnkit_arrs::table::pools(&report).map_err(data)?)
            }
        }
        Command::Explain {
            inputs: i,
            staff_id,
            month,
        } => {
            let (inputs, staff) = load(ctx, book, &i)?;
            let e = pcnkit_arrs::entitlement(book, i.year, &inputs, EntitlementOptions::default())
                .map_err(data)?;
            let report = pcnkit_arrs::claims_with(
                book,
                i.year,
                &inputs,
                &e,
                &staff,
                pcnkit_arrs::ClaimsOptions::explained(),
            )
            .map_err(data)?;
            let line = report.line(&staff_id, month).ok_or_else(|| {
                CliError::Data(format!(
                    "no claim for staff {staff_id} in {month} (not in post, or not in PCN {})",
                    i.pcn
                ))
            })?;
            ctx.emit(&pcnkit_arrs::table::explanation(line).map_err(data)?)
        }
        Command::Plan {
            inputs: i,
            role,
            cost,
        } => {
            let (inputs, staff) = load(ctx, book, &i)?;
            let e = pcnkit_arrs::entitlement(book, i.year, &inputs, EntitlementOptions::default())
                .map_err(data)?;
            let hire = pcnkit_arrs::Hire::new(role.clone(), cost, i.year.first_day());
            let plan =
                pcnkit_arrs::plan(book, i.year, &inputs, &e, &staff, Some(&hire)).map_err(data)?;
            account_claims(ctx, &plan.forecast)?;
            ctx.emit(&pcnkit_arrs::table::plan(&role, &plan).map_err(data)?)
        }
    }
}
