//! `pcnkit arrs`: entitlement, claims and what-if plans from the sourced rule tables.

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use pcnkit_arrs::{EntitlementOptions, PcnInputs, RuleBook};
use pcnkit_core::{FinancialYear, Money, PcnCode};
use rust_decimal::Decimal;

use crate::Context;
use crate::error::{CliError, data};

/// An ARRS command.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// A PCN's ARRS sums and other Network Contract DES payments for a year, with sources.
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
    /// Monthly claims of a demo PCN's ARRS staff (pro rata by day, capped), with headroom.
    #[command(after_help = "Example:\n  pcnkit arrs claims --demo --pcn U90000 --year 2024/25")]
    Claims {
        /// Use the synthetic demo ICS's workforce.
        #[arg(long, required = true)]
        demo: bool,
        /// The PCN.
        #[arg(long)]
        pcn: PcnCode,
        /// Financial year.
        #[arg(long)]
        year: FinancialYear,
        /// One row per staff member per month instead of the pool summary.
        #[arg(long)]
        lines: bool,
    },
    /// Explain a claim: the rule trace behind one staff member's claim in one month.
    #[command(
        after_help = "Example:\n  pcnkit arrs explain --demo --pcn U90000 --year 2024/25 --staff U90000-000 --month 2024-06"
    )]
    Explain {
        /// Use the synthetic demo ICS's workforce.
        #[arg(long, required = true)]
        demo: bool,
        /// The PCN.
        #[arg(long)]
        pcn: PcnCode,
        /// Financial year.
        #[arg(long)]
        year: FinancialYear,
        /// Staff id.
        #[arg(long)]
        staff: String,
        /// Month (YYYY-MM).
        #[arg(long)]
        month: pcnkit_core::Month,
    },
    /// What-if: how many more WTE of a role the headroom would pay for.
    #[command(
        after_help = "Example:\n  pcnkit arrs plan --demo --pcn U90000 --year 2024/25 --role care_coordinator --cost 34000"
    )]
    Plan {
        /// Use the synthetic demo ICS's workforce.
        #[arg(long, required = true)]
        demo: bool,
        /// The PCN.
        #[arg(long)]
        pcn: PcnCode,
        /// Financial year.
        #[arg(long)]
        year: FinancialYear,
        /// Role id (as in the rule tables, e.g. care_coordinator).
        #[arg(long)]
        role: String,
        /// Annual cost per WTE, pounds.
        #[arg(long)]
        cost: Money,
    },
}

/// Pounds as a plain decimal (exact; no currency sign or separators, so CSV and JSON stay
/// machine-readable).
fn pounds(m: Money) -> String {
    m.pounds().normalize().to_string()
}

fn table(columns: Vec<(&str, Vec<Option<String>>)>) -> Result<RecordBatch, CliError> {
    RecordBatch::try_from_iter(
        columns
            .into_iter()
            .map(|(n, v)| (n, Arc::new(StringArray::from(v)) as ArrayRef)),
    )
    .map_err(|e| CliError::Output(e.to_string()))
}

fn demo_pcn(pcn: PcnCode) -> Result<(PcnInputs, Vec<pcnkit_arrs::StaffMember>), CliError> {
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

/// Runs `pcnkit arrs …`.
pub fn run(ctx: &Context, command: Command) -> Result<(), CliError> {
    let book = RuleBook::builtin().map_err(data)?;
    match command {
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
            let mut kind = Vec::new();
            let mut name = Vec::new();
            let mut amount = Vec::new();
            for p in &e.arrs {
                kind.push(Some("ARRS".to_owned()));
                name.push(Some(p.name.clone()));
                amount.push(p.amount.map(pounds));
            }
            for l in &e.payments {
                kind.push(Some("payment".to_owned()));
                name.push(Some(l.name.clone()));
                amount.push(l.amount.map(pounds));
            }
            for w in &e.warnings {
                eprintln!("note: {w}");
            }
            ctx.emit(&table(vec![
                ("kind", kind),
                ("line", name),
                ("amount", amount),
            ])?)
        }
        Command::Claims {
            pcn, year, lines, ..
        } => {
            let (inputs, staff) = demo_pcn(pcn)?;
            let e = pcnkit_arrs::entitlement(book, year, &inputs, EntitlementOptions::default())
                .map_err(data)?;
            let report = pcnkit_arrs::claims(book, year, &inputs, &e, &staff).map_err(data)?;
            if lines {
                let l = &report.lines;
                return ctx.emit(&table(vec![
                    ("staff", l.iter().map(|x| Some(x.staff.clone())).collect()),
                    ("role", l.iter().map(|x| Some(x.role.clone())).collect()),
                    (
                        "month",
                        l.iter().map(|x| Some(x.month.to_string())).collect(),
                    ),
                    ("days", l.iter().map(|x| Some(x.days.to_string())).collect()),
                    ("cost", l.iter().map(|x| Some(pounds(x.cost))).collect()),
                    ("maximum", l.iter().map(|x| x.maximum.map(pounds)).collect()),
                    ("claim", l.iter().map(|x| x.claim.map(pounds)).collect()),
                ])?);
            }
            let p = &report.pools;
            ctx.emit(&table(vec![
                ("pool", p.iter().map(|x| Some(x.pool.clone())).collect()),
                (
                    "entitlement",
                    p.iter().map(|x| x.entitlement.map(pounds)).collect(),
                ),
                (
                    "claimed",
                    p.iter().map(|x| Some(pounds(x.claimed))).collect(),
                ),
                (
                    "headroom",
                    p.iter().map(|x| x.headroom.map(pounds)).collect(),
                ),
            ])?)
        }
        Command::Explain {
            pcn,
            year,
            staff: id,
            month,
            ..
        } => {
            let (inputs, staff) = demo_pcn(pcn)?;
            let e = pcnkit_arrs::entitlement(book, year, &inputs, EntitlementOptions::default())
                .map_err(data)?;
            let report = pcnkit_arrs::claims(book, year, &inputs, &e, &staff).map_err(data)?;
            let line = report
                .lines
                .iter()
                .find(|l| l.staff == id && l.month == month)
                .ok_or_else(|| {
                    CliError::Data(format!(
                        "no claim for staff {id} in {month} (not in post, or not in PCN {pcn})"
                    ))
                })?;
            let mut steps: Vec<Option<String>> = line.trace.iter().cloned().map(Some).collect();
            steps.push(Some(format!(
                "claim: {}",
                line.claim.map(pounds).unwrap_or_else(|| "none".to_owned())
            )));
            ctx.emit(&table(vec![("step", steps)])?)
        }
        Command::Plan {
            pcn,
            year,
            role,
            cost,
            ..
        } => {
            let (inputs, staff) = demo_pcn(pcn)?;
            let e = pcnkit_arrs::entitlement(book, year, &inputs, EntitlementOptions::default())
                .map_err(data)?;
            let hire = pcnkit_arrs::Hire::new(role.clone(), cost, year.first_day());
            let plan =
                pcnkit_arrs::plan(book, year, &inputs, &e, &staff, Some(&hire)).map_err(data)?;
            ctx.emit(&table(vec![
                ("role", vec![Some(role)]),
                ("claim_per_wte", vec![plan.claim_per_wte.map(pounds)]),
                (
                    "more_wte",
                    vec![plan.more_wte.map(|m| m.round_dp(2).to_string())],
                ),
            ])?)
        }
    }
}
