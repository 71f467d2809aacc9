//! `pcnkit assets`: community asset registers.

use std::path::PathBuf;

use chrono::NaiveDateTime;
use pcnkit_assets::{AssetKind, GeoPoint, Query, Register};

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
    /// With --db, into a stored register (a SQLite file, or postgres://…) in one transaction:
    /// it lands whole or not at all, and the counts of added, changed, unchanged and missing
    /// assets are the output.
    #[command(
        after_help = "Examples:\n  pcnkit assets import --oruk-v1 feed.json --format csv\n  pcnkit assets import --demo --db assets.sqlite\n  pcnkit assets import --hsds services.json --feed my-council-directory --db postgres://pcnkit@localhost/assets"
    )]
    Import {
        #[command(flatten)]
        source: Source,
        /// The stored register to import into: a SQLite file (created if need be) or a
        /// postgres:// URL.
        #[arg(long)]
        db: Option<String>,
    },
    /// Page through a live Open Referral UK feed (3.0, or v1 with --v1) and read every
    /// service: the register table as output, or with --db into a stored register in one
    /// transaction. Records that cannot be read are listed (status 4 unless --accept-errors).
    #[command(
        after_help = "Examples:\n  pcnkit assets harvest http://127.0.0.1:8080 --format csv\n  pcnkit assets harvest https://example.org/oruk --feed example-directory --db assets.sqlite"
    )]
    Harvest {
        /// The feed's API root (its /services is paged).
        url: String,
        /// The feed speaks ORUK v1.
        #[arg(long)]
        v1: bool,
        /// The feed's name (ids of records that do not carry their own source derive from it;
        /// default: the URL).
        #[arg(long)]
        feed: Option<String>,
        /// Services asked for per page.
        #[arg(long, default_value_t = 500)]
        per_page: usize,
        /// Into this stored register (a SQLite file or postgres://…).
        #[arg(long)]
        db: Option<String>,
    },
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
        #[arg(long, default_value_t = pcnkit_assets::coverage::WALKING_METRES_DEFAULT)]
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
        #[arg(long, default_value_t = pcnkit_assets::NEAREST_DEFAULT)]
        limit: usize,
    },
}

/// The register, failing (status 4) if any record could not be read, unless --accept-errors.
pub(crate) fn load(ctx: &Context, s: &Source) -> Result<Register, CliError> {
    let mut intake = ctx.intake();
    let out = read(&mut intake, ctx, s);
    ctx.keep(intake);
    out
}

/// The register of a source through the profile crate's loader (the demo's generated).
fn read(
    intake: &mut pcnkit_profile::Intake<'_>,
    ctx: &Context,
    s: &Source,
) -> Result<Register, CliError> {
    use pcnkit_profile::load::{RegisterOptions, RegisterSource};
    let spin = progress::spinner(ctx.quiet, "reading the register");
    let at = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).naive_utc();
    if s.demo {
        let ics = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default()).map_err(data)?;
        spin.finish_and_clear();
        return Register::from_assets(ics.health.assets, "pcnkit assets", at).map_err(data);
    }
    let source = match (&s.hsds, &s.oruk_v1, &s.csv) {
        (Some(p), _, _) => RegisterSource::Hsds(p),
        (None, Some(p), _) => RegisterSource::OrukV1(p),
        (None, None, Some(p)) => RegisterSource::Csv(p),
        (None, None, None) => {
            return Err(CliError::Usage(
                "give --demo, --hsds FILE, --oruk-v1 FILE or --csv FILE".to_owned(),
            ));
        }
    };
    let mut options = RegisterOptions::default();
    options.feed.clone_from(&s.feed);
    if let Some(k) = &s.default_kind {
        options.default_kind = Some(
            AssetKind::parse(k, true)
                .map_err(|e| CliError::Usage(format!("--default-kind: {e}")))?,
        );
    }
    let register = pcnkit_profile::load::register(intake, &source, &options, at)
        .map_err(crate::error::profile_error);
    spin.finish_and_clear();
    register
}

/// `assets import --db`: the register's records into the store in one transaction, or (a bad
/// record without --accept-errors) nothing at all.
fn import_into(ctx: &Context, source: &Source, db: &str) -> Result<(), CliError> {
    let register = load(ctx, source)?;
    let assets: Vec<pcnkit_assets::Asset> = register.assets().cloned().collect();
    let feed = assets
        .first()
        .map_or_else(|| "empty".to_owned(), |a| a.source.name.clone());
    store_assets(ctx, assets, feed, db)
}

/// `assets harvest`: every page of the feed, then the register or (with --db) the import.
fn harvest(
    ctx: &Context,
    url: &str,
    v1: bool,
    feed: Option<String>,
    per_page: usize,
    db: Option<&str>,
) -> Result<(), CliError> {
    use pcnkit_server::harvest::{FeedVersion, HarvestOptions};
    let mut options = HarvestOptions::default();
    options.version = if v1 { FeedVersion::V1 } else { FeedVersion::V3 };
    options.per_page = per_page;
    let mut import = if v1 {
        pcnkit_assets::oruk_v1::common_terms()
    } else {
        pcnkit_assets::hsds::ImportOptions::new()
    };
    if let Some(f) = &feed {
        import = import.feed(f.clone());
    }
    options.import = import;
    let spin = progress::spinner(ctx.quiet, "harvesting the feed");
    // A feed that cannot be read is like a file that cannot be (status 3).
    let got = pcnkit_server::harvest::harvest(url, &options).map_err(|e| CliError::Io {
        path: url.to_owned(),
        problem: e.to_string(),
    })?;
    spin.finish_and_clear();
    if !ctx.quiet {
        eprintln!(
            "{url}: {} pages, {} services read{}{}",
            got.pages,
            got.assets.len(),
            got.total_items
                .map(|t| format!(" (the feed says {t})"))
                .unwrap_or_default(),
            if got.repeated > 0 {
                format!(
                    ", {} listed on more than one page (kept once)",
                    got.repeated
                )
            } else {
                String::new()
            }
        );
    }
    for e in &got.errors {
        eprintln!("error: {e}");
    }
    if !got.errors.is_empty() && !ctx.accept_errors {
        return Err(CliError::Data(format!(
            "{} record(s) of {url} could not be read (listed above); pass --accept-errors to go on without them",
            got.errors.len()
        )));
    }
    let name = feed.unwrap_or_else(|| url.trim_end_matches('/').to_owned());
    match db {
        Some(db) => store_assets(ctx, got.assets, name, db),
        None => {
            let at =
                chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).naive_utc();
            let register = Register::from_assets(got.assets, &name, at).map_err(data)?;
            ctx.emit(&pcnkit_assets::table::register_table(&register).map_err(data)?)
        }
    }
}

/// The assets into the store at `db` in one transaction, the counts as output.
fn store_assets(
    ctx: &Context,
    assets: Vec<pcnkit_assets::Asset>,
    feed: String,
    db: &str,
) -> Result<(), CliError> {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray, UInt64Array};
    let at = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).naive_utc();
    let by = format!("pcnkit assets import ({feed})");
    let runtime = crate::runtime()?;
    let (import, report) = runtime
        .block_on(async {
            let store = pcnkit_store::Store::open(db).await?;
            store.import(&feed, assets, &by, at).await
        })
        .map_err(|e| CliError::Data(format!("{db}: {e}")))?;
    let count = |n: usize| Arc::new(UInt64Array::from(vec![n as u64])) as ArrayRef;
    let batch = RecordBatch::try_from_iter([
        (
            "db",
            Arc::new(StringArray::from(vec![db.to_owned()])) as ArrayRef,
        ),
        ("feed", Arc::new(StringArray::from(vec![feed])) as ArrayRef),
        (
            "import",
            Arc::new(Int64Array::from(vec![import])) as ArrayRef,
        ),
        ("added", count(report.added.len())),
        ("changed", count(report.changed.len())),
        ("unchanged", count(report.unchanged.len())),
        ("missing", count(report.missing.len())),
    ])
    .map_err(data)?;
    ctx.emit(&batch)
}

/// Runs `pcnkit assets …`.
pub fn run(ctx: &Context, command: Command) -> Result<(), CliError> {
    match command {
        Command::Import {
            source,
            db: Some(db),
        } => import_into(ctx, &source, &db),
        Command::Harvest {
            url,
            v1,
            feed,
            per_page,
            db,
        } => harvest(ctx, &url, v1, feed, per_page, db.as_deref()),
        Command::Import { source, db: None } => {
            // The good records are written first; the bad ones then set the exit status.
            let mut intake = ctx.intake().accept_errors(true);
            let register = read(&mut intake, ctx, &source);
            let errors = intake
                .findings()
                .iter()
                .filter(|f| f.severity == pcnkit_core::Severity::Error)
                .count();
            ctx.keep(intake);
            ctx.emit(&pcnkit_assets::table::register_table(&register?).map_err(data)?)?;
            if errors > 0 && !ctx.accept_errors {
                return Err(CliError::Data(format!(
                    "{errors} record(s) could not be read (listed above); correct them, or pass --accept-errors to go on without them"
                )));
            }
            Ok(())
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
                    pcnkit_assets::coverage::FOOTPRINT_SHARE_DEFAULT,
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
            let mut q = Query::from_words(kind.as_deref(), need.as_deref())
                .map_err(|e| CliError::Usage(format!("--kind: {e}")))?;
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
            pcnkit_assets::coverage::FOOTPRINT_SHARE_DEFAULT,
        )
        .map_err(data)?;
        pcnkit_assets::table::rows_table(&rows)
    }
    .map_err(data)?;
    ctx.emit(&batch)
}
