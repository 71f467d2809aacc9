//! What a report is made from: the demo ICS, or the files an ICB holds (the NHS England
//! publications plus pcnkit's documented tables for what NHS England does not publish).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use chrono::NaiveDate;
use pcnkit_arrs::StaffMember;
use pcnkit_assets::coverage::LsoaNeed;
use pcnkit_assets::{GeoPoint, Register};
use pcnkit_core::read::{Finding, Severity};
use pcnkit_core::{AgeBand, AgeBandScheme, IcbCode, LsoaCode, PcnCode, PracticeCode, Sex};
use pcnkit_org::Registry;
use pcnkit_org::import::{
    ImportOptions, PracticeDeprivationSource, read_practice_lsoa, read_practice_map,
    read_registered_patients, registry_from_practice_map,
};
use rust_decimal::Decimal;

use crate::error::{CliError, data};

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
    /// Community assets: Open Referral UK / HSDS 3.0 JSON.
    #[arg(long)]
    pub assets: Option<PathBuf>,
}

/// Everything the report draws on, whatever it came from.
pub struct ReportData {
    pub registry: Registry,
    pub date: NaiveDate,
    /// `Some(seed)` for the synthetic demo.
    pub synthetic_seed: Option<u64>,
    /// What the report is of (the ICB name, or the demo).
    pub title: String,
    /// Where each input came from, listed in the report.
    pub sources: Vec<String>,
    /// The PCNs reported on, in code order.
    pub pcns: Vec<PcnCode>,
    /// Registered patients per PCN (NaN when no lists were given).
    pub population: BTreeMap<PcnCode, f64>,
    /// Registered patients per PCN by ESP2013 band and sex (empty without age/sex lists).
    pub cells: Cells,
    /// Per practice: sum of decile × patients and the patients it is over.
    pub practice_decile: BTreeMap<PracticeCode, (f64, f64)>,
    /// Patients in LSOAs with no known decile, left out of the means (reported).
    pub patients_without_decile: u64,
    pub practice_points: BTreeMap<PracticeCode, GeoPoint>,
    pub weighted: BTreeMap<PcnCode, Decimal>,
    /// Whether an ARRS staff table was given (an empty one is still given: no claims).
    pub staff_given: bool,
    pub staff: Vec<StaffMember>,
    /// How the practice deprivation deciles were obtained, for the captions.
    pub deprivation_method: String,
    /// Condition counts with `practice`, `pcn`, `measure`, `age_band`, `count`, `population`.
    pub counts: Option<RecordBatch>,
    pub assets: Option<Register>,
    pub lsoa_need: Vec<LsoaNeed>,
}

fn decile_sums(
    practice_lsoa: &[pcnkit_org::PracticeLsoaRecord],
    deciles: &BTreeMap<LsoaCode, u8>,
) -> (BTreeMap<PracticeCode, (f64, f64)>, u64) {
    let mut out: BTreeMap<PracticeCode, (f64, f64)> = BTreeMap::new();
    let mut missing = 0;
    for rec in practice_lsoa {
        match deciles.get(&rec.lsoa) {
            Some(d) => {
                let e = out.entry(rec.practice).or_default();
                e.0 += f64::from(*d) * rec.patients.get() as f64;
                e.1 += rec.patients.get() as f64;
            }
            None => missing += rec.patients.get(),
        }
    }
    (out, missing)
}

fn scope(registry: &Registry, date: NaiveDate, icb: Option<IcbCode>) -> Vec<PcnCode> {
    let mut pcns: Vec<PcnCode> = registry
        .pcns()
        .filter(|p| icb.is_none() || p.icb == icb)
        .filter(|p| !registry.members(p.code, date).is_empty())
        .map(|p| p.code)
        .collect();
    pcns.sort();
    pcns
}

/// Registered patients per PCN by age band and sex.
type Cells = BTreeMap<PcnCode, Vec<(AgeBand, Sex, u64)>>;

/// Population and age/sex cells of each PCN from the registry's practice lists. A PCN with a
/// member practice without a list has an unknown population (a finding); a PCN whose lists are
/// all persons only has a population and no pyramid.
fn from_registry_lists(
    ctx: &crate::Context,
    registry: &Registry,
    date: NaiveDate,
    pcns: &[PcnCode],
) -> Result<(BTreeMap<PcnCode, f64>, Cells), CliError> {
    let scheme = AgeBandScheme::esp2013();
    let (mut population, mut cells) = (BTreeMap::new(), BTreeMap::new());
    let mut findings = Vec::new();
    for pcn in pcns {
        match registry.population(*pcn, date) {
            Ok(n) => {
                population.insert(*pcn, n.get() as f64);
            }
            Err(pcnkit_org::OrgError::NoListSize { practice, date }) => {
                population.insert(*pcn, f64::NAN);
                findings.push(
                    Finding::new(
                        pcnkit_org::rules::RuleId::PcnPopulationUnknown.id(),
                        Severity::Warning,
                        format!("population unknown: member practice {practice} has no list size on {date}"),
                    )
                    .about(pcn.to_string()),
                );
                continue;
            }
            Err(e) => return Err(data(e)),
        }
        match registry.population_by_age_sex(*pcn, date, &scheme) {
            Ok(c) => {
                cells.insert(
                    *pcn,
                    c.into_iter()
                        .map(|c| (c.age_band, c.sex, c.patients.get()))
                        .collect(),
                );
            }
            // All-persons lists: a population, no pyramid.
            Err(pcnkit_org::OrgError::NoAgeSexBreakdown { .. }) => {}
            Err(e) => return Err(data(e)),
        }
    }
    ctx.record(findings);
    Ok((population, cells))
}

impl ReportData {
    /// The synthetic demo ICS.
    pub fn demo(ctx: &crate::Context) -> Result<Self, CliError> {
        let ics = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default()).map_err(data)?;
        let date = ics.extract_date;
        let h = &ics.health;
        let pcns = scope(&ics.registry, date, None);
        let (population, cells) = from_registry_lists(ctx, &ics.registry, date, &pcns)?;
        let deciles = h
            .lsoas
            .iter()
            .map(|l| (l.code, l.imd_decile.get()))
            .collect();
        let (practice_decile, patients_without_decile) = decile_sums(&h.practice_lsoa, &deciles);
        let counts = pcnkit_demo::tables::tables(&ics)
            .map_err(data)?
            .into_iter()
            .find(|(n, _)| *n == "counts")
            .map(|(_, b)| b);
        let assets = Register::from_assets(
            h.assets.iter().cloned(),
            "pcnkit demo",
            date.and_hms_opt(0, 0, 0).unwrap_or_default(),
        )
        .map_err(data)?;
        let lsoa_need = h
            .lsoas
            .iter()
            .map(|l| LsoaNeed {
                lsoa: l.code,
                centroid: l.centroid,
                population: l.population as f64,
                imd_decile: l.imd_decile,
            })
            .collect();
        Ok(ReportData {
            title: "demo integrated care system (synthetic)".to_owned(),
            sources: vec![format!(
                "the pcnkit demo generator, seed {} (synthetic, not NHS data)",
                ics.config.seed
            )],
            synthetic_seed: Some(ics.config.seed),
            pcns,
            population,
            cells,
            practice_decile,
            patients_without_decile,
            practice_points: h.practice_points.clone(),
            weighted: h.weighted.clone(),
            staff_given: true,
            staff: h.staff.clone(),
            deprivation_method: "each practice's deprivation is the mean IMD decile of the synthetic LSOAs its patients live in, weighted by its patients there; a PCN's decile is weighted by the patients each practice has in each LSOA".to_owned(),
            counts,
            assets: Some(assets),
            lsoa_need,
            date,
            registry: ics.registry,
        })
    }

    /// The files named on the command line, each read by the reader of the crate that owns
    /// it, every row accounted for (see [`crate::load`]).
    #[allow(clippy::too_many_lines)]
    pub fn from_files(ctx: &crate::Context, files: &Files) -> Result<Self, CliError> {
        let Some(map_path) = &files.practice_map else {
            return Err(CliError::Usage(
                "give --demo, or --practice-map FILE (and the other inputs you have)".to_owned(),
            ));
        };
        if files.lsoas.is_some() && files.practice_lsoa.is_none() {
            return Err(CliError::Usage(
                "--lsoas needs --practice-lsoa FILE too: LSOA deciles reach practices through the patients each practice has in each LSOA (or give --practice-deprivation instead)".to_owned(),
            ));
        }
        let mut sources = Vec::new();
        let name = |p: &Path| p.display().to_string();
        let map = read_practice_map(
            crate::load::open(map_path)?,
            ImportOptions::new(name(map_path)),
        )
        .map_err(data)?;
        ctx.account(&map)?;
        let date = map
            .records
            .first()
            .map(|r| r.extract_date)
            .ok_or_else(|| CliError::Data(format!("{}: no rows", name(map_path))))?;
        sources.push(format!("practice map: {}", name(map_path)));
        let mut builder = registry_from_practice_map(&map.records);

        let mut pcn_lists = BTreeMap::new();
        let mut practice_lists = false;
        if let Some(p) = &files.lists {
            let lists =
                read_registered_patients(crate::load::open(p)?, ImportOptions::new(name(p)))
                    .map_err(data)?;
            ctx.account(&lists)?;
            let sizes: Vec<_> = lists
                .records
                .iter()
                .filter_map(pcnkit_org::import::RegisteredPatientsRecord::to_list_size)
                .collect();
            pcn_lists =
                pcnkit_org::pcn_lists(&lists.records, &AgeBandScheme::esp2013()).map_err(data)?;
            practice_lists = !sizes.is_empty();
            if !practice_lists && pcn_lists.is_empty() {
                return Err(CliError::Data(format!(
                    "{}: no practice or PCN rows (the file has only sub-ICB, ICB or region totals)",
                    name(p)
                )));
            }
            builder.list_sizes(sizes);
            sources.push(format!("registered patients: {}", name(p)));
        }
        let mut practice_lsoa = Vec::new();
        if let Some(p) = &files.practice_lsoa {
            let imported = read_practice_lsoa(crate::load::open(p)?, ImportOptions::new(name(p)))
                .map_err(data)?;
            ctx.account(&imported)?;
            practice_lsoa = imported.records;
            builder.practice_lsoa(practice_lsoa.iter().cloned());
            sources.push(format!("patients by LSOA: {}", name(p)));
        }
        let registry = builder.build().map_err(crate::error::org_errors)?;
        let pcns = scope(&registry, date, files.icb);
        if pcns.is_empty() {
            return Err(CliError::Data(format!(
                "{}: no PCN with practices{}",
                name(map_path),
                files
                    .icb
                    .map(|i| format!(" in ICB {i}"))
                    .unwrap_or_default()
            )));
        }
        // PCNs whose practices straddle ICBs are reported, with every practice kept.
        ctx.record(
            pcnkit_org::rules::check_pcn_icbs(&registry, date)
                .into_iter()
                .filter(|f| {
                    f.subject
                        .as_deref()
                        .and_then(|s| s.parse::<PcnCode>().ok())
                        .is_some_and(|p| pcns.binary_search(&p).is_ok())
                })
                .collect(),
        );
        let title = match files.icb {
            Some(code) => registry
                .icbs()
                .find(|i| i.code == code)
                .map_or_else(|| code.to_string(), |i| i.name.clone()),
            None => "every ICB in the practice map".to_owned(),
        };

        let (population, cells) = if practice_lists {
            from_registry_lists(ctx, &registry, date, &pcns)?
        } else {
            let mut population = BTreeMap::new();
            let mut cells = BTreeMap::new();
            for pcn in &pcns {
                match pcn_lists.get(pcn) {
                    Some(list) => {
                        population.insert(*pcn, list.total.get() as f64);
                        if !list.by_age_sex.is_empty() {
                            cells.insert(
                                *pcn,
                                list.by_age_sex
                                    .iter()
                                    .map(|c| (c.age_band, c.sex, c.patients.get()))
                                    .collect(),
                            );
                        }
                    }
                    None => {
                        population.insert(*pcn, f64::NAN);
                        if files.lists.is_some() {
                            ctx.record(vec![Finding::new(
                                "org.pcn_not_in_lists",
                                Severity::Warning,
                                "not in the registered-patients file, so its population is unknown",
                            )
                            .about(pcn.to_string())]);
                        }
                    }
                }
            }
            (population, cells)
        };
        plausible(ctx, &population);

        // LSOAs: deprivation deciles, and (pcnkit layout) centroids and populations.
        let mut lsoa_deciles: BTreeMap<LsoaCode, u8> = BTreeMap::new();
        let mut lsoa_need = Vec::new();
        let mut deprivation_method = String::new();
        if let Some(p) = &files.lsoas {
            for l in crate::load::lsoa_deprivation(ctx, p)? {
                lsoa_deciles.insert(l.lsoa, l.imd_decile.get());
                if let (Some((lat, lon)), Some(population)) = (l.centroid, l.population) {
                    let centroid = GeoPoint::new(lat, lon).map_err(data)?;
                    lsoa_need.push(LsoaNeed {
                        lsoa: l.lsoa,
                        centroid,
                        population,
                        imd_decile: l.imd_decile,
                    });
                }
            }
            sources.push(format!("LSOA deprivation: {}", name(p)));
            deprivation_method = format!(
                "each practice's deprivation is the mean IMD decile of the LSOAs its patients live in ({}), weighted by its patients there",
                name(p)
            );
        }
        let (mut practice_decile, patients_without_decile) =
            decile_sums(&practice_lsoa, &lsoa_deciles);
        let mut pcn_weighting = "weighted by the patients each practice has in each LSOA";
        if let Some(p) = &files.practice_deprivation {
            let dep = crate::load::practice_deprivation(ctx, p)?;
            // A PCN's decile is its practices' deciles weighted by their list sizes when the
            // practice lists are given, else their plain mean (said in the caption).
            pcn_weighting = if practice_lists {
                "the mean of its practices' deciles weighted by their registered list sizes"
            } else {
                "the plain mean of its practices' deciles (no practice list sizes were given to weight them)"
            };
            practice_decile = dep
                .deciles
                .iter()
                .map(|(code, d)| {
                    let w = if practice_lists {
                        registry
                            .list_size(*code, date)
                            .map_or(0.0, |(_, l)| l.total.get() as f64)
                    } else {
                        1.0
                    };
                    (*code, (f64::from(d.get()) * w, w))
                })
                .collect();
            deprivation_method = match dep.source {
                PracticeDeprivationSource::FingertipsScores { year } => format!(
                    "each practice's deprivation is its OHID Fingertips IMD score (indicator 93553, {year}: IMD {year}) cut into deciles of the practices in the file, 1 = most deprived"
                ),
                _ => format!("practice IMD deciles as given in {}", name(p)),
            };
            sources.push(format!("practice deprivation: {}", name(p)));
        }

        let mut practice_points = BTreeMap::new();
        if let Some(p) = &files.practice_locations {
            for l in crate::load::practice_locations(ctx, p)? {
                practice_points.insert(
                    l.practice,
                    GeoPoint::new(l.latitude, l.longitude).map_err(data)?,
                );
            }
            sources.push(format!("practice locations: {}", name(p)));
        }

        let mut weighted: BTreeMap<PcnCode, Decimal> = BTreeMap::new();
        if let Some(p) = &files.weighted {
            weighted = crate::load::weighted(ctx, p, Some(&registry), Some(date))?;
            sources.push(format!("weighted populations: {}", name(p)));
        }

        let mut staff = Vec::new();
        if let Some(p) = &files.staff {
            let book = pcnkit_arrs::RuleBook::builtin();
            let known: BTreeSet<PcnCode> = registry.pcns().map(|p| p.code).collect();
            staff = crate::load::staff(ctx, p, book, Some(&known))?;
            sources.push(format!("ARRS staff: {}", name(p)));
        }

        let counts = match &files.conditions {
            Some(p) => {
                sources.push(format!("condition counts: {}", name(p)));
                Some(with_pcn(ctx, &registry, date, &pcns, p)?)
            }
            None => None,
        };

        let assets = match &files.assets {
            Some(p) => {
                let source = crate::assets::Source {
                    hsds: Some(p.clone()),
                    ..Default::default()
                };
                sources.push(format!("community assets: {}", name(p)));
                Some(crate::assets::load(ctx, &source)?)
            }
            None => None,
        };

        Ok(ReportData {
            registry,
            date,
            synthetic_seed: None,
            title,
            sources,
            pcns,
            population,
            cells,
            practice_decile,
            patients_without_decile,
            practice_points,
            weighted,
            staff_given: files.staff.is_some(),
            staff,
            deprivation_method: if deprivation_method.is_empty() {
                String::new()
            } else {
                format!("{deprivation_method}; a PCN's decile is {pcn_weighting}")
            },
            counts,
            assets,
            lsoa_need,
        })
    }
}

/// A PCN population above [`pcnkit_org::rules::IMPLAUSIBLE_PCN_POPULATION`] is a data error
/// somewhere (a corrupt count), reported as a finding.
fn plausible(ctx: &crate::Context, population: &BTreeMap<PcnCode, f64>) {
    let limit = pcnkit_org::rules::IMPLAUSIBLE_PCN_POPULATION as f64;
    ctx.record(
        population
            .iter()
            .filter(|(_, n)| **n > limit)
            .map(|(p, n)| {
                Finding::new(
                    pcnkit_org::rules::RuleId::ImplausibleValue.id(),
                    Severity::Warning,
                    format!("{n} registered patients is implausible (more than {limit}); check the list file"),
                )
                .about(p.to_string())
            })
            .collect(),
    );
}

/// The condition counts with a `pcn` column from the registry (as on the report date), keeping
/// the rows of the PCNs reported on; rows of practices the practice map does not hold are
/// errors, rows of practices outside the PCNs reported on are listed as skipped.
fn with_pcn(
    ctx: &crate::Context,
    registry: &Registry,
    date: NaiveDate,
    pcns: &[PcnCode],
    path: &Path,
) -> Result<RecordBatch, CliError> {
    let counts = crate::load::condition_counts(ctx, path)?;
    let mut unknown = pcnkit_core::read::Imported::<()>::new();
    for c in &counts {
        if registry.practice(c.practice).is_none() {
            unknown.errors.push(pcnkit_core::DataError::new(
                c.location.clone().at_field("practice"),
                pcnkit_core::DataErrorKind::Conflict(format!(
                    "{} is not in the practice map",
                    c.practice
                )),
            ));
        }
    }
    ctx.account(&unknown)?;
    let (batch, left) = pcnkit_indicators::counts::counts_table(&counts, "pcn", |p| {
        registry
            .pcn_of(p, date)
            .filter(|c| pcns.binary_search(c).is_ok())
            .map(|c| c.to_string())
    })
    .map_err(data)?;
    let mut skipped = pcnkit_core::read::Imported::<()>::new();
    skipped.skipped = left
        .iter()
        .filter(|c| registry.practice(c.practice).is_some())
        .map(|c| pcnkit_core::read::Skipped {
            location: c.location.clone(),
            reason: format!("practice {} is not in a PCN reported on", c.practice),
        })
        .collect();
    ctx.record(skipped.findings());
    Ok(batch)
}
