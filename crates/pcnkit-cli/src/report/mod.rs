//! `pcnkit report`: a static, self-contained HTML report of an ICS (inline SVG, no network)
//! and the tables behind it as CSV and Parquet.

mod svg;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use pcnkit_arrs::{EntitlementOptions, PcnInputs, RuleBook};
use pcnkit_core::{AgeBandScheme, FinancialYear, PcnCode, PracticeCode};
use pcnkit_indicators::funnel::FunnelKind;
use pcnkit_indicators::sii::{SiiOptions, ValueType};
use pcnkit_indicators::{Confidence, SiiErrors, Standard};

use crate::error::{CliError, data};
use crate::{Context, progress};
use svg::{Point, esc, fmt_num};

/// Write the HTML report and its tables.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  pcnkit report --demo --dir report/\n\nOpen report/index.html in a browser; it needs no network."
)]
pub struct Args {
    /// Report on the synthetic demo ICS.
    #[arg(long, required = true)]
    pub demo: bool,
    /// Folder to write into.
    #[arg(long, default_value = "pcnkit-report")]
    pub dir: PathBuf,
    /// ARRS financial year (2025/26 by default: the 2024/25 maxima for April–September are not
    /// in the sources, so claims for those months are unknown).
    #[arg(long, default_value = "2025/26")]
    pub year: FinancialYear,
}

fn col_f64(b: &RecordBatch, name: &str) -> Vec<f64> {
    b.column_by_name(name)
        .and_then(|c| c.as_primitive_opt::<Float64Type>())
        .map(|a| a.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
        .unwrap_or_default()
}

fn col_str(b: &RecordBatch, name: &str) -> Vec<String> {
    b.column_by_name(name)
        .and_then(|c| c.as_string_opt::<i32>())
        .map(|a| a.iter().map(|v| v.unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

fn table_html(headers: &[&str], rows: &[Vec<String>], caption: &str) -> String {
    let mut s = format!("<table><caption>{}</caption><thead><tr>", esc(caption));
    for h in headers {
        let _ = write!(s, "<th scope=\"col\">{}</th>", esc(h));
    }
    s.push_str("</tr></thead><tbody>");
    for r in rows {
        s.push_str("<tr>");
        for c in r {
            let _ = write!(s, "<td>{}</td>", esc(c));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

fn figure(svg: String, caption: &str, how: &str) -> String {
    format!(
        "<figure>{svg}<figcaption>{}</figcaption><p class=\"how\"><strong>How to read this:</strong> {}</p></figure>",
        esc(caption),
        esc(how)
    )
}

fn decile_colour(d: f64) -> String {
    // Most deprived dark red → least deprived dark blue.
    let t = ((d - 1.0) / 9.0).clamp(0.0, 1.0);
    let r = (180.0 * (1.0 - t) + 40.0 * t) as u8;
    let b = (50.0 * (1.0 - t) + 170.0 * t) as u8;
    format!("rgb({r},80,{b})")
}

fn batch(columns: Vec<(&str, ArrayRef)>) -> Result<RecordBatch, CliError> {
    RecordBatch::try_from_iter(columns).map_err(|e| CliError::Output(e.to_string()))
}

/// Runs `pcnkit report`.
#[allow(clippy::too_many_lines)]
pub fn run(ctx: &Context, args: Args) -> Result<(), CliError> {
    let spin = progress::spinner(ctx.quiet, "generating the demo ICS");
    let ics = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default()).map_err(data)?;
    let r = &ics.registry;
    let date = ics.extract_date;
    let h = &ics.health;
    std::fs::create_dir_all(&args.dir).map_err(|e| CliError::Io {
        path: args.dir.display().to_string(),
        problem: e.to_string(),
    })?;
    let mut tables: Vec<(&str, RecordBatch)> = Vec::new();
    let mut body = String::new();

    // --- ICS overview -----------------------------------------------------------------
    spin.set_message("overview");
    let decile_of: BTreeMap<_, _> = h.lsoas.iter().map(|l| (l.code, l.imd_decile)).collect();
    let mut practice_decile: BTreeMap<PracticeCode, (f64, f64)> = BTreeMap::new();
    for rec in &h.practice_lsoa {
        let e = practice_decile.entry(rec.practice).or_default();
        e.0 +=
            f64::from(decile_of.get(&rec.lsoa).copied().unwrap_or(5)) * rec.patients.get() as f64;
        e.1 += rec.patients.get() as f64;
    }
    let pcns: Vec<PcnCode> = r.pcns().map(|p| p.code).collect();
    let mut overview_rows = Vec::new();
    let mut points = Vec::new();
    let (mut o_pcn, mut o_name, mut o_pop, mut o_dec, mut o_lat, mut o_lon) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut pcn_decile: BTreeMap<PcnCode, f64> = BTreeMap::new();
    for pcn in &pcns {
        let members = r.members(*pcn, date);
        let pop = r.population(*pcn, date).map_err(data)?.get() as f64;
        let (mut lat, mut lon, mut n) = (0.0, 0.0, 0.0);
        let (mut dw, mut dn) = (0.0, 0.0);
        for m in &members {
            if let Some(p) = h.practice_points.get(m) {
                lat += p.lat();
                lon += p.lon();
                n += 1.0;
            }
            if let Some((w, k)) = practice_decile.get(m) {
                dw += w;
                dn += k;
            }
        }
        let decile = if dn > 0.0 { dw / dn } else { f64::NAN };
        pcn_decile.insert(*pcn, decile);
        let name = r.pcn(*pcn).map(|p| p.name.clone()).unwrap_or_default();
        if n > 0.0 {
            points.push(Point {
                x: lon / n,
                y: lat / n,
                label: format!("{pcn} {name}: {pop:.0} patients, mean IMD decile {decile:.1}"),
                colour: decile_colour(decile),
            });
        }
        overview_rows.push(vec![
            pcn.to_string(),
            name.clone(),
            members.len().to_string(),
            format!("{pop:.0}"),
            format!("{decile:.1}"),
        ]);
        o_pcn.push(pcn.to_string());
        o_name.push(name);
        o_pop.push(pop);
        o_dec.push(decile);
        o_lat.push(if n > 0.0 { lat / n } else { f64::NAN });
        o_lon.push(if n > 0.0 { lon / n } else { f64::NAN });
    }
    tables.push((
        "pcn_overview",
        batch(vec![
            (
                "pcn",
                Arc::new(StringArray::from(o_pcn.clone())) as ArrayRef,
            ),
            ("name", Arc::new(StringArray::from(o_name))),
            ("patients", Arc::new(Float64Array::from(o_pop.clone()))),
            (
                "mean_imd_decile",
                Arc::new(Float64Array::from(o_dec.clone())),
            ),
            ("latitude", Arc::new(Float64Array::from(o_lat))),
            ("longitude", Arc::new(Float64Array::from(o_lon))),
        ])?,
    ));
    let total: f64 = o_pop.iter().sum();
    let _ = write!(
        body,
        "<section id=\"overview\"><h2>ICS overview</h2><p>{} PCNs, {} practices and {} registered patients on {date}.</p>",
        pcns.len(),
        r.practices().count(),
        fmt_num(total)
    );
    body.push_str(&figure(
        svg::scatter("PCNs by location, coloured by deprivation", &points, &[], "longitude (degrees)", "latitude (degrees)"),
        "Each PCN at the mean position of its practices; colour from dark red (most deprived) to blue (least deprived), by the mean IMD decile of its patients' LSOAs.",
        "points close together serve neighbouring communities; red points are where deprivation is highest. Hover a point for its name and figures.",
    ));
    body.push_str("<h3>Population pyramids</h3><div class=\"grid\">");
    let scheme = AgeBandScheme::esp2013();
    for pcn in &pcns {
        let cells = r.population_by_age_sex(*pcn, date, &scheme).map_err(data)?;
        let mut bands: BTreeMap<u8, (String, f64, f64)> = BTreeMap::new();
        for c in cells {
            let e = bands
                .entry(c.age_band.lower())
                .or_insert((c.age_band.to_string(), 0.0, 0.0));
            match c.sex {
                pcnkit_core::Sex::Male => e.1 += c.patients.get() as f64,
                _ => e.2 += c.patients.get() as f64,
            }
        }
        let rows: Vec<(String, f64, f64)> = bands.into_values().collect();
        let _ = write!(
            body,
            "<div><h4>{pcn}</h4>{}</div>",
            svg::pyramid(
                &format!("Registered population of {pcn} by five-year band and sex"),
                &rows
            )
        );
    }
    body.push_str("</div><p class=\"how\"><strong>How to read this:</strong> each pyramid shows registered patients by five-year age band (youngest at the bottom), men to the left and women to the right, on the PCN's own scale.</p>");
    body.push_str(&table_html(
        &["PCN", "name", "practices", "patients", "mean IMD decile"],
        &overview_rows,
        "PCNs of the ICS",
    ));
    body.push_str("</section>");

    // --- ARRS ----------------------------------------------------------------------------
    spin.set_message("ARRS");
    let book = RuleBook::builtin().map_err(data)?;
    let mut arrs_rows = Vec::new();
    let mut bar_rows = Vec::new();
    let (mut a_pcn, mut a_ent, mut a_claim, mut a_head) = (vec![], vec![], vec![], vec![]);
    // ICS-wide claims by month and role (exact sums, shown in £ thousands).
    let mut by_month_role: BTreeMap<(String, String), pcnkit_core::Money> = BTreeMap::new();
    for pcn in &pcns {
        let Some(weighted) = h.weighted.get(pcn) else {
            continue;
        };
        let mut inputs = PcnInputs::weighted(*weighted);
        inputs.pcn = Some(*pcn);
        let staff: Vec<_> = h
            .staff
            .iter()
            .filter(|s| s.pcn == Some(*pcn))
            .cloned()
            .collect();
        let e = pcnkit_arrs::entitlement(book, args.year, &inputs, EntitlementOptions::default())
            .map_err(data)?;
        let report = pcnkit_arrs::claims(book, args.year, &inputs, &e, &staff).map_err(data)?;
        for l in &report.lines {
            if let Some(c) = l.claim {
                let slot = by_month_role
                    .entry((l.month.to_string(), l.role.clone()))
                    .or_insert(pcnkit_core::Money::ZERO);
                *slot = slot.checked_add(c).map_err(data)?;
            }
        }
        // Planned: the clinical pharmacist WTE the headroom would fund at a synthetic £55,000
        // a year (the demo has no planned posts of its own).
        let cost = pcnkit_core::Money::from_pounds(rust_decimal::Decimal::from(55_000));
        let hire = pcnkit_arrs::Hire::new("clinical_pharmacist", cost, args.year.first_day());
        let plan =
            pcnkit_arrs::plan(book, args.year, &inputs, &e, &staff, Some(&hire)).map_err(data)?;
        let planned = plan
            .more_wte
            .map(|w| format!("{:.1}", w.round_dp(1)))
            .unwrap_or_else(|| "unknown".to_owned());
        let main = report.pools.iter().find(|p| p.pool == "main");
        let pounds = |m: Option<pcnkit_core::Money>| {
            m.map(|m| {
                m.round_to_penny(pcnkit_core::Rounding::HalfEven)
                    .pounds()
                    .to_string()
            })
            .unwrap_or_default()
        };
        let f = |m: Option<pcnkit_core::Money>| {
            m.and_then(|m| m.pounds().to_string().parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        let (ent, claimed, head) = (
            main.and_then(|p| p.entitlement),
            main.map(|p| p.claimed),
            main.and_then(|p| p.headroom),
        );
        arrs_rows.push(vec![
            pcn.to_string(),
            staff.len().to_string(),
            pounds(ent),
            pounds(claimed),
            pounds(head),
            planned,
        ]);
        bar_rows.push((pcn.to_string(), vec![f(ent) / 1000.0, f(claimed) / 1000.0]));
        a_pcn.push(pcn.to_string());
        a_ent.push(f(ent));
        a_claim.push(f(claimed));
        a_head.push(f(head));
    }
    tables.push((
        "arrs",
        batch(vec![
            ("pcn", Arc::new(StringArray::from(a_pcn)) as ArrayRef),
            ("entitlement", Arc::new(Float64Array::from(a_ent))),
            ("claimed", Arc::new(Float64Array::from(a_claim))),
            ("headroom", Arc::new(Float64Array::from(a_head))),
        ])?,
    ));
    let _ = write!(
        body,
        "<section id=\"arrs\"><h2>ARRS: entitlement and claims, {}</h2><p>Rules: the pcnkit ARRS rule table for {} (every figure sourced; see the pcnkit-arrs rule files). Workforce and weighted populations are synthetic.</p>",
        args.year, args.year
    );
    body.push_str(&figure(
        svg::bars("ARRS entitlement and claims by PCN", &bar_rows, &[("entitlement (£ thousands)", "#9ab"), ("claimed (£ thousands)", "#357")], "£ thousands"),
        &format!("Additional Roles Reimbursement Sum (main pool) and the claims of each PCN's ARRS staff in {}, day by day and capped at each role's maximum.", args.year),
        "the gap between the two bars is headroom: money the PCN could still claim by recruiting.",
    ));
    body.push_str(&table_html(
        &[
            "PCN",
            "ARRS staff",
            "entitlement (£)",
            "claimed (£)",
            "headroom (£)",
            "planned: clinical pharmacist WTE the headroom funds",
        ],
        &arrs_rows,
        "ARRS main pool by PCN (rounded to the penny for display)",
    ));
    // By month and role.
    let roles: Vec<String> = {
        let mut r: Vec<String> = by_month_role.keys().map(|k| k.1.clone()).collect();
        r.sort();
        r.dedup();
        r
    };
    let months: Vec<String> = {
        let mut m: Vec<String> = by_month_role.keys().map(|k| k.0.clone()).collect();
        m.dedup();
        m
    };
    let thousands = |m: Option<&pcnkit_core::Money>| {
        m.and_then(|m| m.pounds().to_string().parse::<f64>().ok())
            .map(|v| v / 1000.0)
            .unwrap_or(0.0)
    };
    let month_rows: Vec<Vec<String>> = months
        .iter()
        .map(|m| {
            std::iter::once(m.clone())
                .chain(roles.iter().map(|r| {
                    format!(
                        "{:.1}",
                        thousands(by_month_role.get(&(m.clone(), r.clone())))
                    )
                }))
                .collect()
        })
        .collect();
    let role_totals: Vec<(String, Vec<f64>)> = roles
        .iter()
        .map(|r| {
            let total: f64 = months
                .iter()
                .map(|m| thousands(by_month_role.get(&(m.clone(), r.clone()))))
                .sum();
            (r.replace('_', " "), vec![total])
        })
        .collect();
    let (mut mr_month, mut mr_role, mut mr_claim) = (vec![], vec![], vec![]);
    for ((m, r), v) in &by_month_role {
        mr_month.push(m.clone());
        mr_role.push(r.clone());
        mr_claim.push(thousands(Some(v)) * 1000.0);
    }
    tables.push((
        "arrs_claims_by_month_role",
        batch(vec![
            ("month", Arc::new(StringArray::from(mr_month)) as ArrayRef),
            ("role", Arc::new(StringArray::from(mr_role))),
            ("claimed", Arc::new(Float64Array::from(mr_claim))),
        ])?,
    ));
    body.push_str(&figure(
        svg::bars("ARRS claims by role across the ICS", &role_totals, &[("claimed (£ thousands)", "#357")], "£ thousands"),
        &format!("Total ARRS claims of all PCNs in {} by role.", args.year),
        "longer bars are the roles the ICS's ARRS money pays for most; the table below splits them by month.",
    ));
    let mut headers: Vec<&str> = vec!["month"];
    headers.extend(roles.iter().map(String::as_str));
    body.push_str(&table_html(
        &headers,
        &month_rows,
        "ARRS claims by month and role, all PCNs (£ thousands)",
    ));
    body.push_str("</section>");

    // --- Indicators ----------------------------------------------------------------------
    spin.set_message("indicators");
    let counts = pcnkit_demo::tables::tables(&ics)
        .map_err(data)?
        .into_iter()
        .find(|(n, _)| *n == "counts")
        .map(|(_, b)| b)
        .ok_or_else(|| CliError::Data("no counts table".into()))?;
    let keep: arrow_array::BooleanArray = counts
        .column_by_name("measure")
        .and_then(|c| c.as_string_opt::<i32>())
        .map(|a| a.iter().map(|v| Some(v == Some("diabetes"))).collect())
        .ok_or_else(|| CliError::Data("counts table without a measure column".into()))?;
    let diabetes = arrow_select::filter::filter_record_batch(&counts, &keep)
        .map_err(|e| CliError::Output(e.to_string()))?;
    let levels = [Confidence::C95, Confidence::C998];
    let by_band = pcnkit_indicators::sum_by(
        std::slice::from_ref(&diabetes),
        &["pcn", "age_band"],
        &["count", "population"],
    )
    .map_err(data)?;
    let dsr = pcnkit_indicators::dsr_table(
        &[by_band],
        "count",
        "population",
        Standard::Esp2013 {
            age_band: "age_band",
        },
        &["pcn"],
        &levels,
        100_000.0,
    )
    .map_err(data)?;
    let ics_band = pcnkit_indicators::sum_by(
        std::slice::from_ref(&diabetes),
        &["age_band"],
        &["count", "population"],
    )
    .map_err(data)?;
    let ics_dsr = pcnkit_indicators::dsr_table(
        &[ics_band],
        "count",
        "population",
        Standard::Esp2013 {
            age_band: "age_band",
        },
        &[],
        &levels,
        100_000.0,
    )
    .map_err(data)?;
    let ics_value = col_f64(&ics_dsr, "value")
        .first()
        .copied()
        .unwrap_or(f64::NAN);
    let names = col_str(&dsr, "pcn");
    let (v, lo, hi) = (
        col_f64(&dsr, "value"),
        col_f64(&dsr, "lower95_0cl"),
        col_f64(&dsr, "upper95_0cl"),
    );
    let mut dot_rows: Vec<(String, f64, f64, f64)> = (0..names.len())
        .map(|i| (names[i].clone(), v[i], lo[i], hi[i]))
        .collect();
    dot_rows.sort_by(|a, b| a.1.total_cmp(&b.1));
    tables.push(("diabetes_dsr_by_pcn", dsr.clone()));
    // Crude prevalence and its funnel.
    let by_pcn = pcnkit_indicators::sum_by(
        std::slice::from_ref(&diabetes),
        &["pcn"],
        &["count", "population"],
    )
    .map_err(data)?;
    let kind = FunnelKind::Proportion { multiplier: 100.0 };
    let limits = pcnkit_indicators::funnel_limits_table(
        std::slice::from_ref(&by_pcn),
        "count",
        Some("population"),
        None,
        kind,
    )
    .map_err(data)?;
    let sig = pcnkit_indicators::funnel_significance_table(
        std::slice::from_ref(&by_pcn),
        "count",
        Some("population"),
        None,
        kind,
    )
    .map_err(data)?;
    let (fx, l2, u2, l3, u3) = (
        col_f64(&limits, "x"),
        col_f64(&limits, "lower_2s_limit"),
        col_f64(&limits, "upper_2s_limit"),
        col_f64(&limits, "lower_3s_limit"),
        col_f64(&limits, "upper_3s_limit"),
    );
    let baseline = col_f64(&limits, "baseline")
        .first()
        .copied()
        .unwrap_or(f64::NAN);
    let xmin = col_f64(&by_pcn, "population")
        .into_iter()
        .fold(f64::INFINITY, f64::min)
        * 0.8;
    let line = |ys: &[f64]| -> Vec<(f64, f64)> {
        fx.iter()
            .zip(ys)
            .filter(|(x, _)| **x >= xmin)
            .map(|(x, y)| (*x, *y))
            .collect()
    };
    let (cases, pops, sigs, spcn) = (
        col_f64(&sig, "count"),
        col_f64(&sig, "population"),
        col_str(&sig, "significance"),
        col_str(&sig, "pcn"),
    );
    let fpoints: Vec<Point> = (0..cases.len())
        .map(|i| Point {
            x: pops[i],
            y: cases[i] / pops[i] * 100.0,
            label: format!(
                "{}: {:.2}% ({})",
                spcn[i],
                cases[i] / pops[i] * 100.0,
                sigs[i]
            ),
            colour: if sigs[i].starts_with("High") {
                "#c0504d".into()
            } else if sigs[i].starts_with("Low") {
                "#4a7bb7".into()
            } else {
                "#bbb".into()
            },
        })
        .collect();
    tables.push(("diabetes_funnel_limits", limits.clone()));
    tables.push(("diabetes_funnel_significance", sig.clone()));
    // Deprivation quintiles: practices by their patients' mean decile.
    let pcol = col_str(&diabetes, "practice");
    let quint: Vec<String> = pcol
        .iter()
        .map(|p| {
            let d = p
                .parse::<PracticeCode>()
                .ok()
                .and_then(|c| practice_decile.get(&c))
                .map(|(w, n)| w / n)
                .unwrap_or(5.5);
            format!("Q{}", ((d / 2.0).ceil() as i64).clamp(1, 5))
        })
        .collect();
    let mut cols: Vec<(&str, ArrayRef)> = vec![("quintile", Arc::new(StringArray::from(quint)))];
    for n in ["age_band", "count", "population"] {
        if let Some(c) = diabetes.column_by_name(n) {
            cols.push((n, c.clone()));
        }
    }
    let with_q = batch(cols)?;
    let q_band = pcnkit_indicators::sum_by(
        std::slice::from_ref(&with_q),
        &["quintile", "age_band"],
        &["count", "population"],
    )
    .map_err(data)?;
    let q_dsr = pcnkit_indicators::dsr_table(
        &[q_band],
        "count",
        "population",
        Standard::Esp2013 {
            age_band: "age_band",
        },
        &["quintile"],
        &[Confidence::C95],
        100_000.0,
    )
    .map_err(data)?;
    let mut q_rows: Vec<(String, f64, f64, f64, f64)> = {
        let (q, v, lo, hi, pop) = (
            col_str(&q_dsr, "quintile"),
            col_f64(&q_dsr, "value"),
            col_f64(&q_dsr, "lowercl"),
            col_f64(&q_dsr, "uppercl"),
            col_f64(&q_dsr, "population"),
        );
        (0..q.len())
            .map(|i| (q[i].clone(), v[i], lo[i], hi[i], pop[i]))
            .collect()
    };
    q_rows.sort_by(|a, b| a.0.cmp(&b.0));
    tables.push(("diabetes_dsr_by_quintile", q_dsr.clone()));
    let gap = match (q_rows.first(), q_rows.last()) {
        (Some(a), Some(b)) if q_rows.len() == 5 => a.1 - b.1,
        _ => f64::NAN,
    };
    let column = |f: fn(&(String, f64, f64, f64, f64)) -> f64| -> ArrayRef {
        Arc::new(Float64Array::from(q_rows.iter().map(f).collect::<Vec<_>>()))
    };
    let sii_input = batch(vec![
        (
            "area",
            Arc::new(StringArray::from(vec!["ICS"; q_rows.len()])) as ArrayRef,
        ),
        (
            "quintile",
            Arc::new(Float64Array::from(
                (1..=q_rows.len()).map(|i| i as f64).collect::<Vec<_>>(),
            )),
        ),
        ("population", column(|r| r.4)),
        ("value", column(|r| r.1)),
        ("lower", column(|r| r.2)),
        ("upper", column(|r| r.3)),
    ])?;
    let sii = pcnkit_indicators::sii_table(
        &[sii_input],
        "quintile",
        "population",
        "value",
        SiiErrors::Limits("lower", "upper"),
        &["area"],
        &SiiOptions::new()
            .value_type(ValueType::Rate)
            .repetitions(10_000),
    )
    .map_err(data)?;
    let (sv, sl, su) = (
        col_f64(&sii, "sii").first().copied().unwrap_or(f64::NAN),
        col_f64(&sii, "sii_lowercl")
            .first()
            .copied()
            .unwrap_or(f64::NAN),
        col_f64(&sii, "sii_uppercl")
            .first()
            .copied()
            .unwrap_or(f64::NAN),
    );
    tables.push(("diabetes_sii", sii));
    let _ = write!(
        body,
        "<section id=\"indicators\"><h2>Indicators: diabetes</h2><p>Directly standardised prevalence of diabetes registers per 100,000 (European Standard Population 2013, Dobson limits). ICS value {} per 100,000.</p>",
        fmt_num(ics_value)
    );
    body.push_str(&figure(
        svg::dots("Diabetes prevalence by PCN, directly standardised, with 95% confidence intervals", &dot_rows, Some(ics_value), "per 100,000 (ESP2013)"),
        "Each PCN's age-standardised diabetes prevalence with its 95% confidence interval; the dashed red line is the ICS value.",
        "a PCN whose interval does not cross the red line differs from the ICS beyond what chance would explain; standardising removes differences due to age structure.",
    ));
    body.push_str(&figure(
        svg::scatter("Funnel plot: crude diabetes prevalence by PCN list size", &fpoints, &[(line(&l2), "#888"), (line(&u2), "#888"), (line(&l3), "#333"), (line(&u3), "#333")], "registered patients", "crude prevalence (%)"),
        &format!("Crude diabetes prevalence (%) against list size, with 95% (grey) and 99.8% (black) control limits around the ICS average of {baseline:.2}%."),
        "points outside the funnel are unlikely to differ from the average by chance (red above, blue below); the funnel narrows as list size grows because larger lists give more precise rates.",
    ));
    let qdots: Vec<(String, f64, f64, f64)> = q_rows
        .iter()
        .map(|r| (r.0.clone(), r.1, r.2, r.3))
        .collect();
    body.push_str(&figure(
        svg::dots("Diabetes prevalence by deprivation quintile (Q1 most deprived), standardised, 95% CI", &qdots, Some(ics_value), "per 100,000 (ESP2013)"),
        &format!("Gap between the most and least deprived quintile: {} per 100,000. Slope index of inequality: {} (95% CI {} to {}) per 100,000 across the whole deprivation gradient.", fmt_num(gap), fmt_num(sv), fmt_num(sl), fmt_num(su)),
        "practices are grouped by the mean deprivation decile of their patients' neighbourhoods; the slope index runs from the most deprived end of the population (Q1) to the least deprived (Q5), so a negative value means prevalence is higher where deprivation is higher.",
    ));
    body.push_str("</section>");

    // --- Assets --------------------------------------------------------------------------
    spin.set_message("community assets");
    let register = pcnkit_assets::Register::from_assets(
        h.assets.iter().cloned(),
        "pcnkit demo",
        date.and_hms_opt(0, 0, 0).unwrap_or_default(),
    )
    .map_err(data)?;
    let provision =
        pcnkit_assets::coverage::per_1000_by_pcn(&register, r, date, 0.05).map_err(data)?;
    let apoints: Vec<Point> = provision
        .iter()
        .filter(|p| p.kind == "all")
        .filter_map(|p| {
            let d = p
                .pcn
                .parse::<PcnCode>()
                .ok()
                .and_then(|c| pcn_decile.get(&c))
                .copied()?;
            Some(Point {
                x: d,
                y: p.per_1000,
                label: format!(
                    "{}: {:.2} assets per 1,000, mean decile {d:.1}",
                    p.pcn, p.per_1000
                ),
                colour: decile_colour(d),
            })
        })
        .collect();
    let need: Vec<pcnkit_assets::coverage::LsoaNeed> = h
        .lsoas
        .iter()
        .map(|l| pcnkit_assets::coverage::LsoaNeed {
            lsoa: l.code,
            centroid: l.centroid,
            population: l.population as f64,
            imd_decile: l.imd_decile,
        })
        .collect();
    let access = pcnkit_assets::coverage::lsoa_access(
        &register,
        &need,
        1000.0,
        &pcnkit_assets::Query::new(),
    )
    .map_err(data)?;
    let quint = pcnkit_assets::coverage::by_imd_quintile(&access);
    let qrows: Vec<Vec<String>> = quint
        .iter()
        .map(|q| {
            vec![
                format!("Q{}", q.quintile),
                q.lsoas.to_string(),
                format!("{:.0}", q.population),
                format!("{:.2}", q.mean_assets_within),
                format!("{:.1}%", q.share_without * 100.0),
            ]
        })
        .collect();
    tables.push((
        "assets_by_pcn",
        pcnkit_assets::table::rows_table(&provision).map_err(data)?,
    ));
    tables.push((
        "assets_by_quintile",
        pcnkit_assets::table::rows_table(&quint).map_err(data)?,
    ));
    let _ = write!(
        body,
        "<section id=\"assets\"><h2>Community assets and need</h2><p>{} community assets (synthetic register) mapped against deprivation: is provision highest where need is highest?</p>",
        register.len()
    );
    body.push_str(&figure(
        svg::scatter("Community assets per 1,000 patients by PCN against deprivation", &apoints, &[], "mean IMD decile of patients (1 = most deprived)", "assets per 1,000 registered patients"),
        "Each PCN's community assets (all kinds, in the LSOAs where at least 5% of its patients live) per 1,000 registered patients, against the mean deprivation decile of its patients.",
        "under proportionate universality provision should be highest on the left (most deprived); points rising to the right show provision following affluence instead.",
    ));
    body.push_str(&table_html(
        &[
            "IMD quintile",
            "LSOAs",
            "population",
            "assets within 1 km (mean)",
            "people with none within 1 km",
        ],
        &qrows,
        "Walking-distance access to community assets by deprivation quintile (Q1 most deprived)",
    ));
    body.push_str("</section>");

    // --- Write ----------------------------------------------------------------------------
    spin.set_message("writing");
    for (name, b) in &tables {
        pcnkit_org::export::write_csv(b, &args.dir.join(format!("{name}.csv"))).map_err(data)?;
        pcnkit_org::export::write_parquet(b, &args.dir.join(format!("{name}.parquet")))
            .map_err(data)?;
    }
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>pcnkit report: demo ICS (synthetic)</title><style>{CSS}</style></head><body><header><h1>pcnkit report: demo integrated care system</h1><p class=\"synthetic\"><strong>Synthetic data.</strong> Every organisation, patient count, workforce record and asset in this report is generated by pcnkit's demo generator from a fixed seed (seed {}). It is not NHS data.</p><nav><a href=\"#overview\">Overview</a> · <a href=\"#arrs\">ARRS</a> · <a href=\"#indicators\">Indicators</a> · <a href=\"#assets\">Assets</a></nav></header><main>{body}</main><footer><p>Tables behind every chart are in this folder as CSV and Parquet. Generated by pcnkit {}.</p></footer></body></html>\n",
        ics.config.seed,
        env!("CARGO_PKG_VERSION")
    );
    let index = args.dir.join("index.html");
    std::fs::write(&index, html).map_err(|e| CliError::Io {
        path: index.display().to_string(),
        problem: e.to_string(),
    })?;
    spin.finish_and_clear();
    let names: Vec<String> = tables
        .iter()
        .map(|t| t.0.to_owned())
        .chain(["index.html".to_owned()])
        .collect();
    ctx.emit(&batch(vec![(
        "written",
        Arc::new(StringArray::from(names)) as ArrayRef,
    )])?)
}

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:980px;padding:0 16px;color:#222}header{border-bottom:2px solid #357}h1{font-size:1.6em}.synthetic{background:#fff4d6;border:1px solid #e0b54a;padding:8px}figure{margin:16px 0}svg{width:100%;height:auto;max-width:680px}figcaption{font-size:.9em;color:#444}.how{font-size:.85em;color:#555}table{border-collapse:collapse;margin:12px 0;font-size:.85em}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left}caption{text-align:left;font-weight:600;padding:4px 0}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:8px}.grid h4{margin:4px 0;font-size:.8em}nav a{margin-right:6px}";
