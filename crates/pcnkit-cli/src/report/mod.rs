//! `pcnkit report`: a static, self-contained HTML report of an ICS (inline SVG, no network)
//! and the tables behind it as CSV and Parquet.

mod data;
mod svg;

pub use data::Files;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use pcnkit_arrs::{EntitlementOptions, PcnInputs, RuleBook};
use pcnkit_core::{FinancialYear, PcnCode, PracticeCode};
use pcnkit_indicators::funnel::FunnelKind;
use pcnkit_indicators::sii::{SiiOptions, ValueType};
use pcnkit_indicators::{Confidence, SiiErrors, Standard};

use crate::error::{CliError, data};
use crate::{Context, progress};
use svg::{Point, esc, fmt_num};

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

/// A figure for a table cell; "not given" when the inputs did not provide it.
fn shown(v: f64, decimals: usize) -> String {
    if v.is_nan() {
        "not given".to_owned()
    } else {
        format!("{v:.decimals$}")
    }
}

fn figure(svg: String, caption: &str, how: &str) -> String {
    format!(
        "<figure>{svg}<figcaption>{}</figcaption><p class=\"how\"><strong>How to read this:</strong> {}</p></figure>",
        esc(caption),
        esc(how)
    )
}

fn decile_colour(d: f64) -> String {
    if !d.is_finite() {
        return "#999".to_owned();
    }
    // Most deprived dark red → least deprived dark blue.
    let t = ((d - 1.0) / 9.0).clamp(0.0, 1.0);
    let r = (180.0 * (1.0 - t) + 40.0 * t) as u8;
    let b = (50.0 * (1.0 - t) + 170.0 * t) as u8;
    format!("rgb({r},80,{b})")
}

/// Pounds in thousands as a float, for drawing charts and "£ thousands" cells only (the tables
/// keep exact decimals).
fn thousands(m: &pcnkit_core::Money) -> f64 {
    m.pounds()
        .to_string()
        .parse::<f64>()
        .map_or(f64::NAN, |v| v / 1000.0)
}

/// A float column with null where the value is unknown (never NaN in a table).
fn known(values: &[f64]) -> ArrayRef {
    Arc::new(
        values
            .iter()
            .map(|v| v.is_finite().then_some(*v))
            .collect::<Float64Array>(),
    )
}

fn batch(columns: Vec<(&str, ArrayRef)>) -> Result<RecordBatch, CliError> {
    RecordBatch::try_from_iter(columns).map_err(|e| CliError::Output(e.to_string()))
}

/// Runs `pcnkit report`.
#[allow(clippy::too_many_lines)]
pub fn run(ctx: &Context, args: Args) -> Result<(), CliError> {
    let spin = progress::spinner(ctx.quiet, "reading the inputs");
    let d = if args.demo {
        data::ReportData::demo(ctx)?
    } else {
        data::ReportData::from_files(ctx, &args.files)?
    };
    let r = &d.registry;
    let date = d.date;
    prepare_dir(&args.dir)?;
    let mut tables: Vec<(String, RecordBatch)> = Vec::new();
    let mut body = String::new();

    // --- ICS overview -----------------------------------------------------------------
    spin.set_message("overview");
    let practice_decile = &d.practice_decile;
    let pcns = &d.pcns;
    let mut overview_rows = Vec::new();
    let mut points = Vec::new();
    let (mut o_pcn, mut o_name, mut o_pop, mut o_dec, mut o_lat, mut o_lon) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut pcn_decile: BTreeMap<PcnCode, f64> = BTreeMap::new();
    for pcn in pcns {
        let members = r.members(*pcn, date);
        let pop = d.population.get(pcn).copied().unwrap_or(f64::NAN);
        let (mut lat, mut lon, mut n) = (0.0, 0.0, 0.0);
        let (mut dw, mut dn) = (0.0, 0.0);
        for m in &members {
            if let Some(p) = d.practice_points.get(m) {
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
                label: format!(
                    "{pcn} {name}: {} patients, mean IMD decile {}",
                    shown(pop, 0),
                    shown(decile, 1)
                ),
                colour: decile_colour(decile),
            });
        }
        overview_rows.push(vec![
            pcn.to_string(),
            name.clone(),
            members.len().to_string(),
            shown(pop, 0),
            shown(decile, 1),
        ]);
        o_pcn.push(pcn.to_string());
        o_name.push(name);
        o_pop.push(pop);
        o_dec.push(decile);
        o_lat.push(if n > 0.0 { lat / n } else { f64::NAN });
        o_lon.push(if n > 0.0 { lon / n } else { f64::NAN });
    }
    tables.push((
        "pcn_overview".to_owned(),
        batch(vec![
            (
                "pcn",
                Arc::new(StringArray::from(o_pcn.clone())) as ArrayRef,
            ),
            ("name", Arc::new(StringArray::from(o_name))),
            (
                "patients",
                Arc::new(
                    o_pop
                        .iter()
                        .map(|v| v.is_finite().then_some(*v as u64))
                        .collect::<arrow_array::UInt64Array>(),
                ) as ArrayRef,
            ),
            ("mean_imd_decile", known(&o_dec)),
            ("latitude", known(&o_lat)),
            ("longitude", known(&o_lon)),
        ])?,
    ));
    let total: f64 = o_pop.iter().filter(|p| p.is_finite()).sum();
    let unknown = o_pop.iter().filter(|p| !p.is_finite()).count();
    let practices: usize = pcns.iter().map(|p| r.members(*p, date).len()).sum();
    let _ = write!(
        body,
        "<section id=\"overview\"><h2>ICS overview</h2><p>{} PCNs, {practices} practices in them and {} on {date}.</p>",
        pcns.len(),
        if unknown == o_pop.len() {
            "registered patients unknown (no lists given: --lists FILE)".to_owned()
        } else if unknown > 0 {
            format!(
                "at least {} registered patients ({unknown} PCN(s) with unknown lists)",
                shown(total, 0)
            )
        } else {
            format!("{} registered patients", shown(total, 0))
        }
    );
    if !d.deprivation_method.is_empty() {
        let _ = write!(body, "<p>Deprivation: {}.</p>", esc(&d.deprivation_method));
    }
    if d.patients_without_decile > 0 {
        let _ = write!(
            body,
            "<p>{} patients live in LSOAs with no deprivation decile in the inputs and are left out of the mean deciles.</p>",
            fmt_num(d.patients_without_decile as f64)
        );
    }
    if points.is_empty() {
        body.push_str("<p>No practice locations were given (--practice-locations), so the PCNs are shown as a table only.</p>");
    } else {
        body.push_str(&figure(
        svg::scatter("PCNs by location, coloured by deprivation", &points, &[], "longitude (degrees)", "latitude (degrees)") + &svg::decile_legend(decile_colour),
        &format!("Each PCN at the mean position of its practices; colour from dark red (decile 1, most deprived) to blue (decile 10, least deprived), grey where unknown, by its mean IMD decile. {}.", if d.deprivation_method.is_empty() { "No deprivation was given (--practice-deprivation, or --practice-lsoa with --lsoas)" } else { d.deprivation_method.as_str() }),
        "points close together serve neighbouring communities; red points are where deprivation is highest. Hover a point for its name and figures.",
    ));
    }
    if d.cells.is_empty() {
        body.push_str("<p>No registered patients by age and sex were given (--lists), so there are no population pyramids.</p>");
    } else {
        body.push_str("<h3>Population pyramids</h3><div class=\"grid\">");
        // One scale for every pyramid, so PCNs compare at a glance.
        let mut largest = 0.0f64;
        for cells in d.cells.values() {
            let mut bands: BTreeMap<(u8, bool), f64> = BTreeMap::new();
            for (band, sex, n) in cells {
                *bands
                    .entry((band.lower(), *sex == pcnkit_core::Sex::Male))
                    .or_default() += *n as f64;
            }
            largest = bands.values().copied().fold(largest, f64::max);
        }
        for (pcn, cells) in &d.cells {
            let mut bands: BTreeMap<u8, (String, f64, f64)> = BTreeMap::new();
            for (band, sex, n) in cells {
                let e = bands
                    .entry(band.lower())
                    .or_insert((band.to_string(), 0.0, 0.0));
                match sex {
                    pcnkit_core::Sex::Male => e.1 += *n as f64,
                    _ => e.2 += *n as f64,
                }
            }
            let rows: Vec<(String, f64, f64)> = bands.into_values().collect();
            let _ = write!(
                body,
                "<div><h4>{pcn}</h4>{}</div>",
                svg::pyramid(
                    &format!("Registered population of {pcn} by five-year band and sex"),
                    &rows,
                    largest
                )
            );
        }
        body.push_str("</div><p class=\"how\"><strong>How to read this:</strong> each pyramid shows registered patients by five-year age band (youngest at the bottom), men to the left and women to the right, on one scale shared by every PCN (the count axis is patients per band and sex).</p>");
    }
    body.push_str(&table_html(
        &["PCN", "name", "practices", "patients", "mean IMD decile"],
        &overview_rows,
        "PCNs of the ICS",
    ));
    body.push_str("</section>");

    spin.set_message("ARRS");
    if d.weighted.is_empty() && !d.staff_given {
        body.push_str("<section id=\"arrs\"><h2>ARRS</h2><p>Not shown: ARRS entitlement needs weighted populations (--weighted FILE) and claims need the ARRS staff (--staff FILE).</p></section>");
    } else {
        arrs_section(&d, args.year, &mut body, &mut tables)?;
    }
    spin.set_message("indicators");
    match &d.counts {
        Some(counts) => indicators_section(&d, counts, &mut body, &mut tables)?,
        None => body.push_str("<section id=\"indicators\"><h2>Indicators</h2><p>Not shown: give condition counts by practice and age band (--conditions FILE).</p></section>"),
    }
    spin.set_message("community assets");
    match &d.assets {
        Some(register) => assets_section(&d, register, &pcn_decile, &mut body, &mut tables)?,
        None => body.push_str("<section id=\"assets\"><h2>Community assets</h2><p>Not shown: give a community asset register (--assets FILE, Open Referral UK JSON).</p></section>"),
    }

    // --- Findings: every input row not used as given, and every warning ---------------------
    findings_section(&ctx.findings(), &mut body, &mut tables)?;

    // --- Write ----------------------------------------------------------------------------
    spin.set_message("writing");
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
    let banner = match d.synthetic_seed {
        Some(seed) => format!(
            "<p class=\"synthetic\"><strong>Synthetic data.</strong> Every organisation, patient count, workforce record and asset in this report is generated by pcnkit's demo generator from a fixed seed (seed {seed}). It is not NHS data.</p>"
        ),
        None => {
            let items: String = d
                .sources
                .iter()
                .map(|s| format!("<li>{}</li>", esc(s)))
                .collect();
            format!("<p>Made from these files:</p><ul>{items}</ul>")
        }
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>pcnkit report: {title}</title><style>{CSS}</style></head><body><header><h1>pcnkit report: {title}</h1>{banner}<nav><a href=\"#overview\">Overview</a> · <a href=\"#arrs\">ARRS</a> · <a href=\"#indicators\">Indicators</a> · <a href=\"#assets\">Assets</a> · <a href=\"#findings\">Findings</a></nav></header><main>{body}</main><footer><p>Tables behind every chart are in this folder as CSV and Parquet. Generated by pcnkit {}.</p></footer></body></html>\n",
        env!("CARGO_PKG_VERSION"),
        title = esc(&d.title),
    );
    let index = args.dir.join("index.html");
    std::fs::write(&index, html)
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
        .map(|t| t.0.to_owned())
        .chain(["index.html".to_owned()])
        .collect();
    ctx.emit(&batch(vec![(
        "written",
        Arc::new(StringArray::from(names)) as ArrayRef,
    )])?)
}

/// The findings about the inputs (errors accepted with --accept-errors, warnings, skipped rows)
/// as a table in the report and `findings.csv`/`.parquet`.
fn findings_section(
    findings: &[pcnkit_core::read::Finding],
    body: &mut String,
    tables: &mut Vec<(String, RecordBatch)>,
) -> Result<(), CliError> {
    let loc = |f: &pcnkit_core::read::Finding| f.location.clone().unwrap_or_default();
    // The one findings table of every front end (`pcnkit_core::findings_table`).
    tables.push((
        "findings".to_owned(),
        pcnkit_core::findings_table(findings).map_err(data)?,
    ));
    let _ = write!(
        body,
        "<section id=\"findings\"><h2>Findings about the inputs</h2>"
    );
    if findings.is_empty() {
        body.push_str("<p>Every input row was used as given: no errors, warnings or skipped rows.</p></section>");
        return Ok(());
    }
    let count =
        |s: pcnkit_core::read::Severity| findings.iter().filter(|f| f.severity == s).count();
    let _ = write!(
        body,
        "<p>{} error(s) (rows left out, accepted with --accept-errors), {} warning(s), {} row(s) skipped on purpose and {} note(s). The full list is in findings.csv; the first 200 are below.</p>",
        count(pcnkit_core::read::Severity::Error),
        count(pcnkit_core::read::Severity::Warning),
        count(pcnkit_core::read::Severity::Skipped),
        count(pcnkit_core::read::Severity::Info)
    );
    let rows: Vec<Vec<String>> = findings
        .iter()
        .take(200)
        .map(|f| {
            let l = loc(f);
            vec![
                f.severity.to_string(),
                f.rule.to_string(),
                f.subject.clone().unwrap_or_default(),
                l.file.map(|x| x.to_string()).unwrap_or_default(),
                l.line.map(|x| x.to_string()).unwrap_or_default(),
                l.field.unwrap_or_default(),
                f.message.clone(),
            ]
        })
        .collect();
    body.push_str(&table_html(
        &[
            "severity", "rule", "subject", "file", "line", "column", "message",
        ],
        &rows,
        "Findings about the inputs",
    ));
    body.push_str("</section>");
    Ok(())
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

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:980px;padding:0 16px;color:#222}header{border-bottom:2px solid #357}h1{font-size:1.6em}.synthetic{background:#fff4d6;border:1px solid #e0b54a;padding:8px}figure{margin:16px 0}svg{width:100%;height:auto;max-width:680px}figcaption{font-size:.9em;color:#444}.how{font-size:.85em;color:#555}table{border-collapse:collapse;margin:12px 0;font-size:.85em}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left}caption{text-align:left;font-weight:600;padding:4px 0}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:8px}.grid h4{margin:4px 0;font-size:.8em}nav a{margin-right:6px}.note{background:#fdecea;border-left:4px solid #b33;padding:4px 8px}";

/// A total for a table cell in £ thousands: the figure, or "unknown (at least x; n lines)".
fn total_cell(t: &pcnkit_core::MoneyTotal) -> String {
    match t.value() {
        Some(v) => format!("{:.1}", thousands(&v)),
        None => format!(
            "unknown (≥ {:.1}; {} unknown)",
            thousands(&t.known()),
            t.unknown()
        ),
    }
}

/// A total for a bar: the figure when complete; when incomplete its known part, a lower bound
/// (the label gets a `*` and the caption says so), or unknown (not drawn) when nothing of it is
/// known.
fn bar_value(t: &pcnkit_core::MoneyTotal) -> f64 {
    match t.value() {
        Some(v) => thousands(&v),
        None if t.known() > pcnkit_core::Money::ZERO => thousands(&t.known()),
        None => f64::NAN,
    }
}

/// A chart label, marked `*` when the total is incomplete.
fn bar_label(label: String, t: &pcnkit_core::MoneyTotal) -> String {
    if t.is_complete() {
        label
    } else {
        format!("{label}*")
    }
}

const INCOMPLETE_BARS: &str = " * Incomplete: some claim lines cannot be valued (their maxima are not in the sources), so the bar shows only the known part, a lower bound; a total with nothing known is marked unknown, never drawn as zero.";

/// ARRS entitlement, claims and plans per PCN for the rule year, by PCN and month and by role.
/// Unknown claims stay unknown: a total with unknown lines is shown as its known part and the
/// number of unknown lines, never as the whole; without staff only entitlements are shown.
#[allow(clippy::too_many_lines)]
fn arrs_section(
    d: &data::ReportData,
    year: FinancialYear,
    body: &mut String,
    tables: &mut Vec<(String, RecordBatch)>,
) -> Result<(), CliError> {
    let pcns = &d.pcns;
    let book = RuleBook::builtin();
    let with_staff = d.staff_given;
    let inputs: BTreeMap<PcnCode, PcnInputs> = pcns
        .iter()
        .map(|p| {
            let mut i = PcnInputs::default();
            i.weighted = d.weighted.get(p).copied();
            (*p, i)
        })
        .collect();
    // Staff of PCNs outside the report (another ICB) are not its business.
    let in_scope: Vec<pcnkit_arrs::StaffMember> = d
        .staff
        .iter()
        .filter(|s| s.pcn.is_some_and(|p| pcns.binary_search(&p).is_ok()))
        .cloned()
        .collect();
    let summary = pcnkit_arrs::summarise(book, year, &inputs, &in_scope).map_err(data)?;
    tables.push((
        "arrs".to_owned(),
        pcnkit_arrs::table::summary(&summary).map_err(data)?,
    ));
    let incomplete = summary.iter().filter(|s| !s.claimed.is_complete()).count();
    let no_weighted = summary.iter().filter(|s| s.weighted.is_none()).count();
    let _ = write!(
        *body,
        "<section id=\"arrs\"><h2>ARRS: entitlement and claims, {year}</h2><p>Rules: the pcnkit ARRS rule table for {year} (every figure sourced; see the pcnkit-arrs rule files).{}</p>",
        if d.synthetic_seed.is_some() {
            " Workforce and weighted populations are synthetic."
        } else {
            ""
        }
    );
    if no_weighted > 0 {
        let _ = write!(
            *body,
            "<p class=\"note\"><strong>Incomplete:</strong> {no_weighted} PCN(s) have no weighted population in the inputs (or only some of their practices do), so their entitlement and headroom are unknown.</p>"
        );
    }
    if !with_staff {
        body.push_str("<p class=\"note\">Claims are not shown: they need the ARRS staff table (--staff FILE). Below are the entitlements only.</p>");
        let rows: Vec<Vec<String>> = summary
            .iter()
            .map(|s| {
                vec![
                    s.pcn.to_string(),
                    s.weighted
                        .map_or_else(|| "unknown".to_owned(), |w| format!("{:.0}", w)),
                    s.entitlement
                        .as_ref()
                        .map_or_else(|| "unknown".to_owned(), |e| format!("{:.1}", thousands(e))),
                ]
            })
            .collect();
        let bar_rows: Vec<(String, Vec<f64>)> = summary
            .iter()
            .map(|s| {
                (
                    s.pcn.to_string(),
                    vec![s.entitlement.as_ref().map_or(f64::NAN, thousands)],
                )
            })
            .collect();
        body.push_str(&figure(
            svg::bars("ARRS entitlement by PCN", &bar_rows, &[("entitlement (£ thousands)", "#9ab")], "£ thousands"),
            &format!("Additional Roles Reimbursement Sum (main pool) of each PCN in {year}, from its weighted population."),
            "each bar is what the PCN may claim in the year for ARRS staff.",
        ));
        body.push_str(&table_html(
            &["PCN", "weighted patients", "entitlement (£ thousands)"],
            &rows,
            "ARRS main pool entitlement by PCN",
        ));
        body.push_str("</section>");
        return Ok(());
    }
    if incomplete > 0 {
        let unknown_lines: usize = summary.iter().map(|s| s.unknown.len()).sum();
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for u in summary.iter().flat_map(|s| &s.unknown) {
            *reasons.entry(u.reason.as_str()).or_default() += 1;
        }
        let why: String = reasons
            .iter()
            .map(|(r, n)| format!("<li>{n} line(s): {}</li>", esc(r)))
            .collect();
        let _ = write!(
            *body,
            "<p class=\"note\"><strong>Incomplete:</strong> {unknown_lines} monthly claim line(s) of {incomplete} PCN(s) could not be valued, so their claimed totals are shown as a lower bound (\"unknown (≥ …)\") and their headroom as an upper bound. Why:</p><ul class=\"note\">{why}</ul>"
        );
    }
    // Planned: the clinical pharmacist WTE the headroom would fund at a synthetic £55,000 a
    // year (the inputs have no planned posts of their own).
    let cost = pcnkit_core::Money::from_pounds(rust_decimal::Decimal::from(55_000));
    let mut arrs_rows = Vec::new();
    let mut bar_rows = Vec::new();
    for s in &summary {
        let staff: Vec<_> = in_scope
            .iter()
            .filter(|m| m.pcn == Some(s.pcn))
            .cloned()
            .collect();
        let mut i = PcnInputs::default();
        i.pcn = Some(s.pcn);
        i.weighted = s.weighted;
        let e = pcnkit_arrs::entitlement(book, year, &i, EntitlementOptions::default())
            .map_err(data)?;
        let hire = pcnkit_arrs::Hire::new("clinical_pharmacist", cost, year.first_day());
        let plan = pcnkit_arrs::plan(book, year, &i, &e, &staff, Some(&hire)).map_err(data)?;
        let planned = match (plan.more_wte, plan.more_wte_at_most) {
            (Some(w), _) => format!("{:.1}", w.round_dp(1)),
            (None, Some(most)) => format!("unknown (≤ {:.1})", most.round_dp(1)),
            (None, None) => "unknown".to_owned(),
        };
        let k = |m: Option<pcnkit_core::Money>| {
            m.map_or_else(|| "unknown".to_owned(), |m| format!("{:.1}", thousands(&m)))
        };
        let headroom = match (s.headroom, s.headroom_at_most) {
            (Some(h), _) => k(Some(h)),
            (None, Some(most)) => format!("unknown (≤ {:.1})", thousands(&most)),
            (None, None) => "unknown".to_owned(),
        };
        arrs_rows.push(vec![
            s.pcn.to_string(),
            s.staff.to_string(),
            k(s.entitlement),
            total_cell(&s.claimed),
            headroom,
            planned,
        ]);
        bar_rows.push((
            bar_label(s.pcn.to_string(), &s.claimed),
            vec![
                s.entitlement.as_ref().map_or(f64::NAN, thousands),
                bar_value(&s.claimed),
            ],
        ));
    }
    body.push_str(&figure(
        svg::bars("ARRS entitlement and claims by PCN", &bar_rows, &[("entitlement (£ thousands)", "#9ab"), ("claimed (£ thousands)", "#357")], "£ thousands"),
        &format!("Additional Roles Reimbursement Sum (main pool) and the claims of each PCN's ARRS staff in {year}, day by day and capped at each role's maximum.{}", if incomplete > 0 { INCOMPLETE_BARS } else { "" }),
        "the gap between the two bars is headroom: money the PCN could still claim by recruiting.",
    ));
    body.push_str(&table_html(
        &[
            "PCN",
            "ARRS staff",
            "entitlement (£ thousands)",
            "claimed (£ thousands)",
            "headroom (£ thousands)",
            "planned: clinical pharmacist WTE the headroom funds at £55,000",
        ],
        &arrs_rows,
        "ARRS main pool by PCN",
    ));

    // By month and role, across the ICS.
    let role_month = pcnkit_arrs::table::by_role_month(&summary).map_err(data)?;
    tables.push(("arrs_claims_by_month_role".to_owned(), role_month));
    let mut by_role_month: BTreeMap<(String, pcnkit_core::Month), pcnkit_core::MoneyTotal> =
        BTreeMap::new();
    for s in &summary {
        for (key, t) in &s.by_role_month {
            let slot = by_role_month.entry(key.clone()).or_default();
            *slot = slot.checked_add(*t).map_err(data)?;
        }
    }
    let roles: Vec<String> = {
        let mut r: Vec<String> = by_role_month.keys().map(|k| k.0.clone()).collect();
        r.sort();
        r.dedup();
        r
    };
    let months: Vec<pcnkit_core::Month> = year.months().collect();
    let month_rows: Vec<Vec<String>> = months
        .iter()
        .map(|m| {
            std::iter::once(m.to_string())
                .chain(roles.iter().map(|r| {
                    by_role_month
                        .get(&(r.clone(), *m))
                        .map_or_else(|| "0.0".to_owned(), total_cell)
                }))
                .collect()
        })
        .collect();
    let mut role_totals: Vec<(String, Vec<f64>)> = Vec::new();
    for r in &roles {
        let mut t = pcnkit_core::MoneyTotal::ZERO;
        for m in &months {
            if let Some(x) = by_role_month.get(&(r.clone(), *m)) {
                t = t.checked_add(*x).map_err(data)?;
            }
        }
        role_totals.push((bar_label(r.replace('_', " "), &t), vec![bar_value(&t)]));
    }
    body.push_str(&figure(
        svg::bars("ARRS claims by role across the ICS", &role_totals, &[("claimed (£ thousands)", "#357")], "£ thousands"),
        &format!("Total ARRS claims of all PCNs in {year} by role.{}", if incomplete > 0 { INCOMPLETE_BARS } else { "" }),
        "longer bars are the roles the ICS's ARRS money pays for most; the table below splits them by month.",
    ));
    let mut headers: Vec<&str> = vec!["month"];
    headers.extend(roles.iter().map(String::as_str));
    body.push_str(&table_html(
        &headers,
        &month_rows,
        "ARRS claims by month and role, all PCNs (£ thousands)",
    ));

    // By PCN and month against the year's entitlement.
    tables.push((
        "arrs_by_pcn_month".to_owned(),
        pcnkit_arrs::table::by_month(&summary, year).map_err(data)?,
    ));
    let mut pm_rows = Vec::new();
    for s in &summary {
        let mut cumulative = pcnkit_core::MoneyTotal::ZERO;
        let mut row = vec![s.pcn.to_string()];
        for m in &months {
            let claimed = s.by_month.get(m).copied().unwrap_or_default();
            cumulative = cumulative.checked_add(claimed).map_err(data)?;
            row.push(total_cell(&claimed));
        }
        row.push(total_cell(&cumulative));
        row.push(
            s.entitlement
                .map_or_else(|| "unknown".to_owned(), |e| format!("{:.1}", thousands(&e))),
        );
        pm_rows.push(row);
    }
    let month_names: Vec<String> = months.iter().map(ToString::to_string).collect();
    let mut pm_headers: Vec<&str> = vec!["PCN"];
    pm_headers.extend(month_names.iter().map(String::as_str));
    pm_headers.extend(["year claimed", "entitlement"]);
    body.push_str(&table_html(
        &pm_headers,
        &pm_rows,
        "ARRS claims by PCN and month against the year's entitlement (£ thousands)",
    ));
    body.push_str("</section>");
    Ok(())
}

/// Directly standardised prevalence by PCN, the funnel plot, the deprivation quintiles and the SII.
#[allow(clippy::too_many_lines)]
fn indicators_section(
    d: &data::ReportData,
    counts: &RecordBatch,
    body: &mut String,
    tables: &mut Vec<(String, RecordBatch)>,
) -> Result<(), CliError> {
    // --- Indicators ----------------------------------------------------------------------
    // Diabetes when the counts hold it, else the first measure in them.
    let measures = col_str(counts, "measure");
    let measure = if measures.iter().any(|m| m == "diabetes") {
        "diabetes".to_owned()
    } else {
        measures
            .first()
            .cloned()
            .ok_or_else(|| CliError::Data("the condition counts have no measure column".into()))?
    };
    let keep: arrow_array::BooleanArray = measures.iter().map(|m| Some(*m == measure)).collect();
    if !measure
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(CliError::Data(format!(
            "measure {measure:?}: use letters, digits and _ only (it names the output files)"
        )));
    }
    let label = measure.replace('_', " ");
    let selected = arrow_select::filter::filter_record_batch(counts, &keep)
        .map_err(|e| CliError::Output(e.to_string()))?;
    let levels = [Confidence::C95, Confidence::C998];
    let by_band = pcnkit_indicators::sum_by(
        std::slice::from_ref(&selected),
        &["pcn", "age_band"],
        &["count", "population"],
    )
    .map_err(data)?;
    let dsr = pcnkit_indicators::DsrSpec::new(
        "count",
        "population",
        Standard::Esp2013 {
            age_band: "age_band",
        },
    )
    .group_by(&["pcn"])
    .levels(levels.to_vec())
    .multiplier(100_000.0)
    .repeated_bands(pcnkit_indicators::RepeatedBands::Refuse)
    .run(&[by_band])
    .map_err(data)?;
    let ics_band = pcnkit_indicators::sum_by(
        std::slice::from_ref(&selected),
        &["age_band"],
        &["count", "population"],
    )
    .map_err(data)?;
    let ics_dsr = pcnkit_indicators::DsrSpec::new(
        "count",
        "population",
        Standard::Esp2013 {
            age_band: "age_band",
        },
    )
    .group_by(&[])
    .levels(levels.to_vec())
    .multiplier(100_000.0)
    .repeated_bands(pcnkit_indicators::RepeatedBands::Refuse)
    .run(&[ics_band])
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
    tables.push((format!("{measure}_dsr_by_pcn"), dsr.clone()));
    // Crude prevalence and its funnel.
    let by_pcn = pcnkit_indicators::sum_by(
        std::slice::from_ref(&selected),
        &["pcn"],
        &["count", "population"],
    )
    .map_err(data)?;
    let kind = FunnelKind::Proportion { multiplier: 100.0 };
    let limits = pcnkit_indicators::FunnelSpec::new("count", Some("population"), kind)
        .rate(None)
        .limits(std::slice::from_ref(&by_pcn))
        .map_err(data)?;
    let sig = pcnkit_indicators::FunnelSpec::new("count", Some("population"), kind)
        .rate(None)
        .significance(std::slice::from_ref(&by_pcn))
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
    tables.push((format!("{measure}_funnel_limits"), limits.clone()));
    tables.push((format!("{measure}_funnel_significance"), sig.clone()));
    // Deprivation quintiles: practices by their patients' mean decile.
    let pcol = col_str(&selected, "practice");
    // Practices with no deprivation in the inputs are left out of the quintiles (and counted).
    let quint: Vec<Option<String>> = pcol
        .iter()
        .map(|p| {
            p.parse::<PracticeCode>()
                .ok()
                .and_then(|c| d.practice_decile.get(&c))
                .filter(|(_, n)| *n > 0.0)
                .and_then(|(w, n)| pcnkit_core::ImdQuintile::of_mean_decile(w / n))
                .map(|q| q.to_string())
        })
        .collect();
    let unplaced: std::collections::BTreeSet<&String> = pcol
        .iter()
        .zip(&quint)
        .filter(|(_, q)| q.is_none())
        .map(|(p, _)| p)
        .collect();
    let placed: arrow_array::BooleanArray = quint.iter().map(|q| Some(q.is_some())).collect();
    let mut cols: Vec<(&str, ArrayRef)> = vec![("quintile", Arc::new(StringArray::from(quint)))];
    for n in ["age_band", "count", "population"] {
        if let Some(c) = selected.column_by_name(n) {
            cols.push((n, c.clone()));
        }
    }
    let with_q = arrow_select::filter::filter_record_batch(&batch(cols)?, &placed)
        .map_err(|e| CliError::Output(e.to_string()))?;
    let q_band = pcnkit_indicators::sum_by(
        std::slice::from_ref(&with_q),
        &["quintile", "age_band"],
        &["count", "population"],
    )
    .map_err(data)?;
    let q_dsr = pcnkit_indicators::DsrSpec::new(
        "count",
        "population",
        Standard::Esp2013 {
            age_band: "age_band",
        },
    )
    .group_by(&["quintile"])
    .levels([Confidence::C95].to_vec())
    .multiplier(100_000.0)
    .repeated_bands(pcnkit_indicators::RepeatedBands::Refuse)
    .run(&[q_band])
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
    tables.push((format!("{measure}_dsr_by_quintile"), q_dsr.clone()));
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
            // The quintile's own number ("Q3" → 3), never its position among those present: a
            // missing quintile must leave a gap the SII refuses, not shift the others down.
            "quintile",
            Arc::new(Float64Array::from(
                q_rows
                    .iter()
                    .map(|r| r.0.trim_start_matches('Q').parse::<f64>().ok())
                    .collect::<Vec<_>>(),
            )),
        ),
        ("population", column(|r| r.4)),
        ("value", column(|r| r.1)),
        ("lower", column(|r| r.2)),
        ("upper", column(|r| r.3)),
    ])?;
    // An SII the quintiles cannot give (one missing, say) is reported as such, not as a
    // number and not as a failed report.
    let sii = pcnkit_indicators::SiiSpec::new(
        "quintile",
        "population",
        "value",
        SiiErrors::Limits("lower", "upper"),
    )
    .group_by(&["area"])
    .options(
        SiiOptions::new()
            .value_type(ValueType::Rate)
            .repetitions(10_000)
            .clone(),
    )
    .run(&[sii_input]);
    let first = |t: &RecordBatch, c: &str| col_f64(t, c).first().copied().unwrap_or(f64::NAN);
    let sii_text = match &sii {
        Ok(t) => format!(
            "Slope index of inequality: {} (95% CI {} to {}) per 100,000 across the whole deprivation gradient.",
            fmt_num(first(t, "sii")),
            fmt_num(first(t, "sii_lowercl")),
            fmt_num(first(t, "sii_uppercl"))
        ),
        Err(e) => format!("Slope index of inequality: not computed ({e})."),
    };
    if let Ok(t) = sii {
        tables.push((format!("{measure}_sii"), t));
    }
    let _ = write!(
        *body,
        "<section id=\"indicators\"><h2>Indicators: {}</h2><p>Directly standardised rate of {} per 100,000 (European Standard Population 2013, Dobson limits). ICS value {} per 100,000.</p>",
        esc(&label),
        esc(&label),
        fmt_num(ics_value)
    );
    body.push_str(&figure(
        svg::dots(&format!("{label} by PCN, directly standardised, with 95% confidence intervals"), &dot_rows, Some(ics_value), "per 100,000 (ESP2013)"),
        &format!("Each PCN's age-standardised {label} with its 95% confidence interval; the dashed red line is the ICS value."),
        "a PCN whose interval does not cross the red line differs from the ICS beyond what chance would explain; standardising removes differences due to age structure.",
    ));
    body.push_str(&figure(
        svg::scatter(&format!("Funnel plot: crude {label} by PCN list size"), &fpoints, &[(line(&l2), "#888"), (line(&u2), "#888"), (line(&l3), "#333"), (line(&u3), "#333")], "registered patients", "crude prevalence (%)"),
        &format!("Crude {label} (%) against list size, with 95% (grey) and 99.8% (black) control limits around the ICS average of {baseline:.2}%."),
        "points outside the funnel are unlikely to differ from the average by chance (red above, blue below); the funnel narrows as list size grows because larger lists give more precise rates.",
    ));
    let qdots: Vec<(String, f64, f64, f64)> = q_rows
        .iter()
        .map(|r| (r.0.clone(), r.1, r.2, r.3))
        .collect();
    body.push_str(&figure(
        svg::dots(&format!("{label} by deprivation quintile (Q1 most deprived), standardised, 95% CI"), &qdots, Some(ics_value), "per 100,000 (ESP2013)"),
        &format!("Gap between the most and least deprived quintile: {} per 100,000. {}", fmt_num(gap), sii_text),
        "practices are grouped by the mean deprivation decile of their patients' neighbourhoods; the slope index runs from the most deprived end of the population (Q1) to the least deprived (Q5), so a negative value means prevalence is higher where deprivation is higher.",
    ));
    if !unplaced.is_empty() {
        let _ = write!(
            *body,
            "<p>{} practices with no deprivation in the inputs are left out of the quintiles.</p>",
            unplaced.len()
        );
    }
    body.push_str("</section>");

    Ok(())
}

/// Community assets per 1,000 patients against deprivation, and walking-distance access.
#[allow(clippy::too_many_lines)]
fn assets_section(
    d: &data::ReportData,
    register: &pcnkit_assets::Register,
    pcn_decile: &BTreeMap<PcnCode, f64>,
    body: &mut String,
    tables: &mut Vec<(String, RecordBatch)>,
) -> Result<(), CliError> {
    let (r, date) = (&d.registry, d.date);
    // --- Assets --------------------------------------------------------------------------
    // The report's PCNs only, with the populations the report has (practice or PCN lists):
    // an unknown population or footprint gives a null rate with a note, never 0.
    let populations: BTreeMap<PcnCode, Option<u64>> = d
        .pcns
        .iter()
        .map(|p| {
            let n = d.population.get(p).copied().unwrap_or(f64::NAN);
            (*p, n.is_finite().then_some(n as u64))
        })
        .collect();
    let provision = pcnkit_assets::coverage::per_1000_for(register, r, date, &populations, 0.05)
        .map_err(data)?;
    let apoints: Vec<Point> = provision
        .iter()
        .filter(|p| p.kind == "all")
        .filter_map(|p| {
            let d = p
                .pcn
                .parse::<PcnCode>()
                .ok()
                .and_then(|c| pcn_decile.get(&c))
                .copied()
                .filter(|d| !d.is_nan())?;
            let per_1000 = p.per_1000?;
            Some(Point {
                x: d,
                y: per_1000,
                label: format!(
                    "{}: {per_1000:.2} assets per 1,000, mean decile {d:.1}",
                    p.pcn
                ),
                colour: decile_colour(d),
            })
        })
        .collect();
    let access = pcnkit_assets::coverage::lsoa_access(
        register,
        &d.lsoa_need,
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
        "assets_by_pcn".to_owned(),
        pcnkit_assets::table::rows_table(&provision).map_err(data)?,
    ));
    if !d.lsoa_need.is_empty() {
        tables.push((
            "assets_by_quintile".to_owned(),
            pcnkit_assets::table::rows_table(&quint).map_err(data)?,
        ));
    }
    let _ = write!(
        *body,
        "<section id=\"assets\"><h2>Community assets and need</h2><p>{} community assets{} mapped against deprivation: is provision highest where need is highest?</p>",
        register.len(),
        if d.synthetic_seed.is_some() {
            " (synthetic register)"
        } else {
            ""
        }
    );
    if apoints.is_empty() {
        body.push_str("<p>Assets per PCN need where each PCN's patients live (--practice-lsoa) and their deprivation (--lsoas or --practice-deprivation).</p>");
    } else {
        body.push_str(&figure(
        svg::scatter("Community assets per 1,000 patients by PCN against deprivation", &apoints, &[], "mean IMD decile of patients (1 = most deprived)", "assets per 1,000 registered patients") + &svg::decile_legend(decile_colour),
        "Each PCN's community assets (all kinds, in the LSOAs where at least 5% of its patients live) per 1,000 registered patients, against the mean deprivation decile of its patients.",
        "under proportionate universality provision should be highest on the left (most deprived); points rising to the right show provision following affluence instead.",
    ));
    }
    if d.lsoa_need.is_empty() {
        body.push_str("<p>Walking-distance access needs LSOA centroids, populations and deciles (--lsoas with latitude, longitude, population).</p>");
    } else {
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
    }
    body.push_str("</section>");

    Ok(())
}
