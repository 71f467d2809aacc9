//! The report's workforce plans: GP population-health leads, CHWWs with their coverage by
//! deprivation, link workers against the register, and community pharmacies. Formats what the
//! profile's plans hold; computes nothing.

use maud::{Markup, html};
use pcnkit_profile::plans::PlansProfile;

use super::html::{figure, table};
use super::svg;

/// A pound figure to the penny, or the reason it is missing.
fn pounds(m: Option<pcnkit_core::Money>) -> String {
    m.map_or_else(|| "unknown".to_owned(), |m| format!("£{:.2}", m.pounds()))
}

fn ratio(v: Option<f64>) -> String {
    v.map_or_else(|| "unknown".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

/// The plans section.
pub fn section(p: &PlansProfile, synthetic: bool) -> Markup {
    html! {
        section #plans {
            h2 { "Workforce plans" }
            @if synthetic {
                p.synthetic { "The demo's plans use " (pcnkit_profile::plans::DEMO_ILLUSTRATION) "." }
            }
            (leads(p))
            (chww(p))
            (link_workers(p))
            (pharmacy(p))
        }
    }
}

fn leads(p: &PlansProfile) -> Markup {
    let Some(plan) = &p.leads else {
        return html! { h3 { "GP population-health leads" } p { "Not shown: no PCN with a known population to plan for (see the findings)." } };
    };
    let rows: Vec<Vec<String>> = plan
        .patches
        .iter()
        .enumerate()
        .map(|(i, patch)| {
            vec![
                (i + 1).to_string(),
                patch
                    .pcns
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                patch.population.to_string(),
                patch
                    .imd_score
                    .map_or_else(|| "unknown".to_owned(), |s| format!("{s:.1}")),
                patch.sessions_per_week.to_string(),
                patch.patients_per_session.round_dp(0).to_string(),
            ]
        })
        .collect();
    html! {
        h3 { "GP population-health leads" }
        p {
            (plan.patches.len()) " leads for the PCNs below, each covering neighbouring PCNs within the proposal's limits "
            "(at most 3 PCNs and about 100,000 patients); the fewest any plan could need is " (plan.lower_bound) ". "
            @if plan.optimal { "The plan is proven the best for its objective." } @else { "The search stopped at its budget: the plan is not proven the best." }
            " Each lead gives half of a 9-session week to population health. What the neighbours rest on is in the findings."
        }
        (table(
            "Lead patches",
            &["lead", "PCNs", "patients", "IMD score (patient-weighted)", "sessions a week", "patients per session"],
            &rows,
        ))
    }
}

fn chww(p: &PlansProfile) -> Markup {
    let Some(plan) = &p.chww else {
        return html! { h3 { "Community health and wellbeing workers" } p { "Not shown: a CHWW plan needs the workers (--chww-workers, or --chww-budget with --chww-cost), the households each looks after (--households-per-worker) and the persons per household (--persons-per-household)." } };
    };
    let bars: Vec<(String, Vec<f64>)> = plan
        .deciles
        .iter()
        .map(|d| {
            (
                format!("decile {}", d.decile.get()),
                vec![d.coverage.map_or(f64::NAN, |c| c * 100.0)],
            )
        })
        .collect();
    let rows: Vec<Vec<String>> = plan
        .deciles
        .iter()
        .map(|d| {
            vec![
                d.decile.get().to_string(),
                d.areas.to_string(),
                d.households.to_string(),
                d.workers.to_string(),
                d.households_covered.to_string(),
                ratio(d.coverage),
            ]
        })
        .collect();
    html! {
        h3 { "Community health and wellbeing workers" }
        p {
            (plan.workers_placed) " of " (plan.workers) " workers placed, " (plan.households_per_worker) " households each, weighted "
            (plan.weighting) ". They cover " (plan.households_covered) " of " (plan.households) " households; "
            (ratio(plan.most_deprived_quintile_coverage)) " of the most deprived fifth's. "
            "Slope index of inequality of coverage: "
            (plan.sii.map_or_else(|| format!("not computed ({})", plan.sii_note.as_deref().unwrap_or("")), |s| format!("{:+.2} percentage points", s * 100.0)))
            " (least minus most deprived; below zero, the deprived are better covered). Deciles: " (plan.decile_basis) "."
        }
        @if let Some(left) = plan.budget_left { p { "Budget left after paying for whole workers: £" (left.pounds()) "." } }
        (figure(
            svg::bars("Households covered by IMD decile", &bars, &[("coverage", "#357")], "households covered (%)"),
            "Share of each IMD decile's households the plan's workers visit monthly (decile 1 = most deprived).",
            "under proportionate universality the bars are longest at decile 1 and shorten towards decile 10; equal bars are an equal share everywhere.",
        ))
        (table(
            "Coverage by IMD decile",
            &["IMD decile", "areas", "households", "workers", "households covered", "coverage"],
            &rows,
        ))
    }
}

fn link_workers(p: &PlansProfile) -> Markup {
    let Some(rows) = &p.link_workers else {
        return html! { h3 { "Social prescribing link workers and the register" } p { "Not shown: needs the ARRS staff (--staff) and the register (--assets)." } };
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.pcn.to_string(),
                r.patients
                    .map_or_else(|| "unknown".to_owned(), |n| n.to_string()),
                r.link_workers.to_string(),
                r.assets_within
                    .map_or_else(|| "unknown".to_owned(), |n| n.to_string()),
                r.assets_per_worker
                    .map_or_else(|| "–".to_owned(), |v| format!("{v:.1}")),
                r.patients_per_worker
                    .map_or_else(|| "–".to_owned(), |v| format!("{v:.0}")),
                r.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    html! {
        h3 { "Social prescribing link workers and the register" }
        (table(
            "Link workers (WTE in post) against the community assets their PCN's patients can walk to",
            &["PCN", "patients", "link workers (WTE)", "assets within walking distance", "assets per worker", "patients per worker", "note"],
            &cells,
        ))
    }
}

fn pharmacy(p: &PlansProfile) -> Markup {
    let Some(rows) = &p.pharmacy else {
        return html! { h3 { "Community pharmacy" } p { "Not shown: a pharmacy estimate needs the year (--pharmacy-year) and the practices' referral rate (--referrals-per-1000); the scheme is Pharmacy First unless --pharmacy-scheme says otherwise." } };
    };
    let count = |v: Option<u64>| v.map_or_else(|| "unknown".to_owned(), |n| n.to_string());
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let h = r.hlp_levels;
            vec![
                r.pcn.to_string(),
                count(r.patients),
                count(r.pharmacies),
                h.map_or_else(
                    || "unknown".to_owned(),
                    |h| format!("{} / {} / {} / {}", h[0], h[1], h[2], h[3]),
                ),
                r.estimate
                    .units
                    .map_or_else(|| "unknown".to_owned(), |u| u.round_dp(1).to_string()),
                pounds(r.estimate.fee),
                pounds(r.estimate.payment),
                r.estimate.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let source = rows
        .iter()
        .find(|r| !r.estimate.source.is_empty())
        .map(|r| r.estimate.source.clone());
    html! {
        h3 { "Community pharmacy" }
        (table(
            "Pharmacies within walking distance of each PCN's patients, by Healthy Living Pharmacy level, and what the practices' referrals would pay them",
            &["PCN", "patients", "pharmacies", "HLP level 1 / 2 / 3 / not recorded", "referrals a year", "fee", "payment", "note"],
            &cells,
        ))
        @if let Some(s) = source { p.how { "Fee source: " (s) } }
    }
}
