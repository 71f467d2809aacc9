//! `pcnkit assets`: community asset registers.

use std::path::PathBuf;

use chrono::NaiveDateTime;
use pcnkit_assets::hsds::{ImportOptions, Imported};
use pcnkit_assets::{AssetKind, GeoPoint, Need, Query, Register};

use crate::error::{CliError, data};
use crate::{Context, progress};

/// Where the register comes from.
#[derive(Debug, Default, clap::Args)]
pub struct Source {
    /// The synthetic demo register (about 2,000 assets).
    #[arg(long)]
    pub demo: bool,
    /// An Open Referral UK / HSDS 3.0 JSON file (a service, a /services page or an array).
    #[arg(long)]
    pub hsds: Option<PathBuf>,
    /// An ORUK v1 JSON feed page.
    #[arg(long)]
    pub oruk_v1: Option<PathBuf>,
    /// A CSV register with the default column names (key, name, kind, …).
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Kind of records no taxonomy term classifies (e.g. voluntary_service).
    #[arg(long)]
    pub default_kind: Option<String>,
    /// The name of the feed the file comes from (e.g. `leicester-council-directory`). Each
    /// asset's id is derived from it and the record's own id, so next month's file of the same
    /// feed updates the same assets wherever the file lies and whatever it is called. Default:
    /// `hsds`, `oruk-v1` or `csv` (give each distinct feed its own name).
    #[arg(long)]
    pub feed: Option<String>,
}

/// An assets command.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Import a register and report its assets and bad records (with their JSON path or row).
    #[command(after_help = "Example:\n  pcnkit assets import --oruk-v1 feed.json --format csv")]
    Import(Source),
    /// Export a register as an Open Referral UK / HSDS 3.0 /services page (JSON).
    #[command(after_help = "Example:\n  pcnkit assets export --demo --out assets.json")]
    Export(Source),
    /// Coverage against need: assets per 1,000 registered patients by PCN and kind (an asset
    /// counts for a PCN when it lies in an LSOA where at least 5% of the PCN's patients live),
    /// or walking-distance access by IMD quintile. A population or footprint that is not known
    /// is null with a note, never 0.
    #[command(
        after_help = "Examples:\n  pcnkit assets coverage --demo\n  pcnkit assets coverage --hsds services.json --practice-map gp-reg-pat-prac-map.csv \\\n    --practice-lsoa gp-reg-pat-prac-lsoa-all.csv --lists gp-reg-pat-prac-sing-age-regions.csv --icb QHM"
    )]
    Coverage {
        #[command(flatten)]
        source: Source,
        /// NHS England's practice map (with --practice-lsoa: each PCN's footprint).
        #[arg(long)]
        practice_map: Option<PathBuf>,
        /// Patients per practice per LSOA (`gp-reg-pat-prac-lsoa-all.csv`).
        #[arg(long)]
        practice_lsoa: Option<PathBuf>,
        /// Registered patients, practice or PCN rows: the populations of the rates.
        #[arg(long)]
        lists: Option<PathBuf>,
        /// LSOAs with `lsoa`, `imd_decile`, `latitude`, `longitude`, `population` (for
        /// --by-quintile).
        #[arg(long)]
        lsoas: Option<PathBuf>,
        /// Only this ICB's PCNs (ODS code, e.g. QHM).
        #[arg(long)]
        icb: Option<pcnkit_core::IcbCode>,
        /// Summarise walking-distance access by IMD quintile instead.
        #[arg(long)]
        by_quintile: bool,
        /// Walking distance, metres.
        #[arg(long, default_value_t = 1000.0)]
        metres: f64,
    },
    /// The nearest assets to a point, filtered by kind, need, age or opening time.
    #[command(
        after_help = "Example:\n  pcnkit assets search --demo --near 52.62,-1.95 --kind pharmacy --limit 5"
    )]
    Search {
        #[command(flatten)]
        source: Source,
        /// latitude,longitude (WGS84 degrees)
        #[arg(long)]
        near: String,
        /// Asset kind.
        #[arg(long)]
        kind: Option<String>,
        /// Social-prescribing need.
        #[arg(long)]
        need: Option<String>,
        /// Open at (YYYY-MM-DDTHH:MM:SS).
        #[arg(long)]
        open_at: Option<NaiveDateTime>,
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

/// The register, failing (status 4) if any record could not be read, unless --accept-errors.
pub(crate) fn load(ctx: &Context, s: &Source) -> Result<Register, CliError> {
    let (register, errors) = read(ctx, s)?;
    account(ctx, errors)?;
    Ok(register)
}

/// Every bad record on standard error and in the findings; an error status unless accepted.
fn account(ctx: &Context, errors: Vec<String>) -> Result<(), CliError> {
    let n = errors.len();
    ctx.record(
        errors
            .into_iter()
            .map(|e| {
                pcnkit_core::Finding::new("assets.bad_record", pcnkit_core::Severity::Error, e)
            })
            .collect(),
    );
    if n > 0 && !ctx.accept_errors {
        return Err(CliError::Data(format!(
            "{n} record(s) could not be read (listed above); correct them, or pass --accept-errors to go on without them"
        )));
    }
    Ok(())
}

/// The register and the messages of the records that could not be read.
fn read(ctx: &Context, s: &Source) -> Result<(Register, Vec<String>), CliError> {
    let spin = progress::spinner(ctx.quiet, "reading the register");
    let at = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).naive_utc();
    let read = |p: &PathBuf| {
        std::fs::read_to_string(p).map_err(|e| CliError::Io {
            path: p.display().to_string(),
            problem: e.to_string(),
        })
    };
    let mut options = ImportOptions::new();
    let feed = |default: &str| s.feed.clone().unwrap_or_else(|| default.to_owned());
    if let Some(k) = &s.default_kind {
        options = options.default_kind(
            AssetKind::parse(k, true)
                .map_err(|e| CliError::Usage(format!("--default-kind: {e}")))?,
        );
    }
    let imported: Imported = if s.demo {
        let ics = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default()).map_err(data)?;
        let mut i = Imported::default();
        i.assets = ics.health.assets;
        i
    } else if let Some(p) = &s.hsds {
        pcnkit_assets::hsds::from_json(
            &read(p)?,
            &p.display().to_string(),
            &options.clone().feed(feed("hsds")),
        )
        .map_err(data)?
    } else if let Some(p) = &s.oruk_v1 {
        let mut o = pcnkit_assets::oruk_v1::common_terms();
        if let Some(k) = options.default_kind.clone() {
            o = o.default_kind(k);
        }
        o = o.feed(feed("oruk-v1"));
        pcnkit_assets::oruk_v1::from_json(&read(p)?, &p.display().to_string(), &o).map_err(data)?
    } else if let Some(p) = &s.csv {
        let file = std::fs::File::open(p).map_err(|e| CliError::Io {
            path: p.display().to_string(),
            problem: e.to_string(),
        })?;
        let mut mapping = pcnkit_assets::csv_import::CsvMapping::default();
        mapping.feed = Some(feed("csv"));
        pcnkit_assets::csv_import::read_csv(file, &p.display().to_string(), &mapping)
            .map_err(data)?
    } else {
        return Err(CliError::Usage(
            "give --demo, --hsds FILE, --oruk-v1 FILE or --csv FILE".to_owned(),
        ));
    };
    spin.finish_and_clear();
    let errors = imported.errors.iter().map(ToString::to_string).collect();
    Ok((
        Register::from_assets(imported.assets, "pcnkit assets", at).map_err(data)?,
        errors,
    ))
}

/// Runs `pcnkit assets …`.
pub fn run(ctx: &Context, command: Command) -> Result<(), CliError> {
    match command {
        Command::Import(source) => {
            // The good records are written first; the bad ones then set the exit status.
            let (register, errors) = read(ctx, &source)?;
            ctx.emit(&pcnkit_assets::table::register_table(&register).map_err(data)?)?;
            account(ctx, errors)
        }
        Command::Export(source) => {
            let register = load(ctx, &source)?;
            let page = pcnkit_assets::hsds::to_page(register.assets(), 1, register.len().max(1));
            let text = format!("{page:#}\n");
            match &ctx.out {
                Some(p) => std::fs::write(p, text)
                    .map_err(|e| CliError::Output(format!("{}: {e}", p.display()))),
                None => {
                    use std::io::Write;
                    match std::io::stdout().write_all(text.as_bytes()) {
                        Ok(()) => Ok(()),
                        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                            Err(CliError::ClosedPipe)
                        }
                        Err(e) => Err(CliError::Output(e.to_string())),
                    }
                }
            }
        }
        Command::Coverage {
            source,
            practice_map,
            practice_lsoa,
            lists,
            lsoas,
            icb,
            by_quintile,
            metres,
        } => {
            if source.demo {
                return demo_coverage(ctx, by_quintile, metres);
            }
            let register = load(ctx, &source)?;
            let batch = if by_quintile {
                let Some(path) = &lsoas else {
                    return Err(CliError::Usage(
                        "--by-quintile needs --lsoas FILE with lsoa, imd_decile, latitude, longitude and population".to_owned(),
                    ));
                };
                let mut need = Vec::new();
                for l in crate::load::lsoa_deprivation(ctx, path)? {
                    let (Some((lat, lon)), Some(population)) = (l.centroid, l.population) else {
                        return Err(CliError::Data(format!(
                            "{}: walking-distance access needs each LSOA's latitude, longitude and population (the IoD2019 files have no centroids)",
                            path.display()
                        )));
                    };
                    need.push(pcnkit_assets::coverage::LsoaNeed {
                        lsoa: l.lsoa,
                        centroid: GeoPoint::new(lat, lon).map_err(data)?,
                        population,
                        imd_decile: l.imd_decile,
                    });
                }
                let access =
                    pcnkit_assets::coverage::lsoa_access(&register, &need, metres, &Query::new())
                        .map_err(data)?;
                pcnkit_assets::table::rows_table(&pcnkit_assets::coverage::by_imd_quintile(&access))
                    .map_err(data)?
            } else {
                let (Some(map), Some(pl)) = (&practice_map, &practice_lsoa) else {
                    return Err(CliError::Usage(
                        "coverage by PCN needs --practice-map FILE and --practice-lsoa FILE (each PCN's footprint), and --lists FILE for the populations".to_owned(),
                    ));
                };
                let (registry, date, populations) =
                    crate::org::footprints(ctx, map, pl, lists.as_deref(), icb)?;
                let rows = pcnkit_assets::coverage::per_1000_for(
                    &register,
                    &registry,
                    date,
                    &populations,
                    0.05,
                )
                .map_err(data)?;
                pcnkit_assets::table::rows_table(&rows).map_err(data)?
            };
            ctx.emit(&batch)
        }
        Command::Search {
            source,
            near,
            kind,
            need,
            open_at,
            limit,
        } => {
            let register = load(ctx, &source)?;
            let parsed: Vec<Option<f64>> = near.split(',').map(|x| x.trim().parse().ok()).collect();
            let point = match parsed.as_slice() {
                [Some(lat), Some(lon)] => GeoPoint::new(*lat, *lon)
                    .map_err(|e| CliError::Usage(format!("--near: {e}")))?,
                _ => {
                    return Err(CliError::Usage(format!(
                        "--near {near:?}: use latitude,longitude, e.g. 52.62,-1.95"
                    )));
                }
            };
            let mut q = Query::new();
            if let Some(k) = kind {
                q = q.kind(
                    AssetKind::parse(&k, false)
                        .map_err(|e| CliError::Usage(format!("--kind: {e}")))?,
                );
            }
            if let Some(n) = need {
                q = q.need(Need::parse(&n));
            }
            if let Some(t) = open_at {
                q = q.open_at(t);
            }
            let hits = register.nearest(point, limit, &q);
            let batch = pcnkit_assets::table::rows_table(&pcnkit_assets::table::nearby(&hits))
                .map_err(data)?;
            ctx.emit(&batch)
        }
    }
}

/// Coverage of the demo ICS.
fn demo_coverage(ctx: &Context, by_quintile: bool, metres: f64) -> Result<(), CliError> {
    let ics = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default()).map_err(data)?;
    let at = ics.extract_date.and_hms_opt(0, 0, 0).unwrap_or_default();
    let register = Register::from_assets(ics.health.assets.iter().cloned(), "pcnkit demo", at)
        .map_err(data)?;
    let batch = if by_quintile {
        let need: Vec<pcnkit_assets::coverage::LsoaNeed> = ics
            .health
            .lsoas
            .iter()
            .map(|l| pcnkit_assets::coverage::LsoaNeed {
                lsoa: l.code,
                centroid: l.centroid,
                population: l.population as f64,
                imd_decile: l.imd_decile,
            })
            .collect();
        let access = pcnkit_assets::coverage::lsoa_access(&register, &need, metres, &Query::new())
            .map_err(data)?;
        pcnkit_assets::table::rows_table(&pcnkit_assets::coverage::by_imd_quintile(&access))
    } else {
        let rows = pcnkit_assets::coverage::per_1000_by_pcn(
            &register,
            &ics.registry,
            ics.extract_date,
            0.05,
        )
        .map_err(data)?;
        pcnkit_assets::table::rows_table(&rows)
    }
    .map_err(data)?;
    ctx.emit(&batch)
}
