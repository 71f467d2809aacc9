//! What a profile is made from: the demo ICS, or the files an ICB holds (NHS England's
//! publications plus pcnkit's documented tables for what NHS England does not publish), as
//! typed values.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use chrono::NaiveDate;
use pcnkit_arrs::StaffMember;
use pcnkit_assets::coverage::LsoaNeed;
use pcnkit_assets::{GeoPoint, Register};
use pcnkit_core::read::{Finding, ImportOptions, Imported, Severity, Skipped};
use pcnkit_core::{
    AgeBand, AgeBandScheme, DataError, DataErrorKind, IcbCode, PcnCode, PracticeCode, Sex,
};
use pcnkit_org::Registry;
use pcnkit_org::import::{
    PracticeDeprivationSource, read_practice_lsoa, read_practice_map, read_registered_patients,
    registry_from_practice_map,
};
use pcnkit_org::rules::RuleId;
use rust_decimal::Decimal;

use crate::{Intake, ProfileError, load};

/// The files a profile is made from. Only the practice map is required; each part of the
/// profile is made when its inputs are given and says which it needs when they are not.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ProfileFiles {
    /// NHS England's practice → PCN → sub-ICB → ICB map (`gp-reg-pat-prac-map.csv`).
    pub practice_map: Option<PathBuf>,
    /// This ICB only (default: every ICB in the map).
    pub icb: Option<IcbCode>,
    /// Patients Registered at a GP Practice by age and sex: practice or PCN rows.
    pub lists: Option<PathBuf>,
    /// Patients per practice per LSOA (`gp-reg-pat-prac-lsoa-all.csv`).
    pub practice_lsoa: Option<PathBuf>,
    /// LSOA deprivation (IoD2019 file, or `lsoa`, `imd_decile` and optionally `latitude`,
    /// `longitude`, `population`).
    pub lsoas: Option<PathBuf>,
    /// Practice deprivation (`practice`, `imd_decile`, or the Fingertips practice IMD score
    /// export); takes precedence over deciles from `practice_lsoa` and `lsoas`.
    pub practice_deprivation: Option<PathBuf>,
    /// Practice positions: `practice`, `latitude`, `longitude` (WGS84).
    pub practice_locations: Option<PathBuf>,
    /// Weighted populations (PCN or practice rows, or NHS Payments to General Practice).
    pub weighted: Option<PathBuf>,
    /// ARRS staff (the layout `pcnkit demo` writes as `arrs_staff.csv`).
    pub staff: Option<PathBuf>,
    /// Condition counts (CSV or Parquet): `practice`, `measure`, `age_band`, `count`,
    /// `population`.
    pub conditions: Option<PathBuf>,
    /// Community assets: Open Referral UK / HSDS 3.0 JSON, or a `.csv` list in pcnkit's asset
    /// layout (`key`, `name`, `kind`, `latitude`, `longitude`, `lsoa`, `hlp_level`, …), such as
    /// a list of pharmacies.
    pub assets: Option<PathBuf>,
    /// Monthly activity per PCN (`pcn`, `month`, and `appointments`, `count` or `value`) for
    /// control charts.
    pub activity: Option<PathBuf>,
    /// Yearly proportions per PCN (`pcn`, `measure`, `year`, `numerator`, `denominator`,
    /// optionally `polarity`) for recent trends.
    pub yearly: Option<PathBuf>,
}

impl ProfileFiles {
    /// The names of the file inputs, as every front end takes them (`pcnkit report`'s flags
    /// without `--`, Python's and R's arguments).
    pub const INPUTS: [&'static str; 12] = [
        "practice_map",
        "lists",
        "practice_lsoa",
        "lsoas",
        "practice_deprivation",
        "practice_locations",
        "weighted",
        "staff",
        "conditions",
        "assets",
        "activity",
        "yearly",
    ];

    /// Sets the input called `name` (one of [`ProfileFiles::INPUTS`]) to `path`.
    pub fn set(&mut self, name: &str, path: impl Into<PathBuf>) -> Result<(), ProfileError> {
        let slot = match name {
            "practice_map" => &mut self.practice_map,
            "lists" => &mut self.lists,
            "practice_lsoa" => &mut self.practice_lsoa,
            "lsoas" => &mut self.lsoas,
            "practice_deprivation" => &mut self.practice_deprivation,
            "practice_locations" => &mut self.practice_locations,
            "weighted" => &mut self.weighted,
            "staff" => &mut self.staff,
            "conditions" => &mut self.conditions,
            "assets" => &mut self.assets,
            "activity" => &mut self.activity,
            "yearly" => &mut self.yearly,
            other => {
                return Err(ProfileError::Inputs(format!(
                    "no profile input called {other} (the inputs are {})",
                    Self::INPUTS.join(", ")
                )));
            }
        };
        *slot = Some(path.into());
        Ok(())
    }

    /// The practice map alone.
    pub fn new(practice_map: impl Into<PathBuf>) -> Self {
        ProfileFiles {
            practice_map: Some(practice_map.into()),
            ..Default::default()
        }
    }
}

/// One input of a profile: what it is and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InputSource {
    /// What the input is (e.g. `practice map`, `registered patients`).
    pub input: String,
    /// The file it was read from, or the generator that made it.
    pub source: String,
}

impl InputSource {
    fn new(input: &str, source: impl Into<String>) -> Self {
        InputSource {
            input: input.to_owned(),
            source: source.into(),
        }
    }
}

/// A practice's deprivation as a weighted sum of deciles: the mean decile is `sum / weight`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DecileWeight {
    /// Sum of decile × weight.
    pub sum: f64,
    /// The weight it is over (patients, or 1 for a plain mean).
    pub weight: f64,
}

impl DecileWeight {
    /// The mean decile, when there is any weight.
    pub fn mean(&self) -> Option<f64> {
        (self.weight > 0.0).then(|| self.sum / self.weight)
    }
}

/// Registered patients of one age band and sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeSexCell {
    /// The ESP2013 five-year band.
    pub age_band: AgeBand,
    /// The sex.
    pub sex: Sex,
    /// Patients.
    pub patients: u64,
}

/// Everything a profile draws on, whatever it came from.
#[derive(Debug)]
#[non_exhaustive]
pub struct ProfileInputs {
    /// The organisations, memberships and lists.
    pub registry: Registry,
    /// The date the profile is as at (the extract date of the practice map or the demo).
    pub date: NaiveDate,
    /// `Some(seed)` for the synthetic demo.
    pub synthetic_seed: Option<u64>,
    /// What the profile is of (the ICB's name, or the demo).
    pub title: String,
    /// Where each input came from.
    pub sources: Vec<InputSource>,
    /// The PCNs profiled (those with member practices on the date), in code order.
    pub pcns: Vec<PcnCode>,
    /// Registered patients per PCN; `None` when unknown (no lists, or a member without one).
    pub population: BTreeMap<PcnCode, Option<u64>>,
    /// Registered patients per PCN by ESP2013 band and sex (absent without age/sex lists).
    pub cells: BTreeMap<PcnCode, Vec<AgeSexCell>>,
    /// Each practice's deprivation.
    pub practice_decile: BTreeMap<PracticeCode, DecileWeight>,
    /// Patients in LSOAs with no known decile, left out of the means.
    pub patients_without_decile: u64,
    /// Practice positions.
    pub practice_points: BTreeMap<PracticeCode, GeoPoint>,
    /// Weighted populations per PCN.
    pub weighted: BTreeMap<PcnCode, Decimal>,
    /// The ARRS staff, when a staff table was given (an empty one is still given: no claims).
    pub staff: Option<Vec<StaffMember>>,
    /// How the practice deprivation deciles were obtained (for captions), when they were.
    pub deprivation_method: Option<String>,
    /// Condition counts with `practice`, `pcn`, `measure`, `age_band`, `count`, `population`.
    pub counts: Option<RecordBatch>,
    /// The community asset register.
    pub assets: Option<Register>,
    /// Monthly activity of the PCNs profiled, for control charts.
    pub activity: Option<Vec<pcnkit_indicators::activity::MonthlyActivity>>,
    /// Yearly proportions of the PCNs profiled, for recent trends.
    pub yearly: Option<Vec<pcnkit_indicators::yearly::YearlyProportion>>,
    /// Practices' and PCNs' population-weighted deprivation, when patients by LSOA and LSOA
    /// deprivation were given.
    pub deprivation: Option<pcnkit_org::deprivation::PopulationDeprivation>,
    /// LSOAs with centroids, populations and deciles (walking-distance access).
    pub lsoa_need: Vec<LsoaNeed>,
    /// Patients per practice per LSOA, when given (empty when not): where each PCN's patients
    /// live, for which PCNs border each other.
    pub practice_lsoa: Vec<pcnkit_org::PracticeLsoaRecord>,
    /// Everything found while reading the inputs.
    pub findings: Vec<Finding>,
}

/// Each practice's weighted decile sum from the population-weighted deprivation (one
/// computation for the profile and the library), and the patients in LSOAs without one.
fn decile_weights(
    dep: &pcnkit_org::deprivation::PopulationDeprivation,
) -> (BTreeMap<PracticeCode, DecileWeight>, u64) {
    let weights = dep
        .practices
        .iter()
        .filter_map(|(p, a)| {
            let m = a.patients_matched as f64;
            a.mean_decile.map(|d| {
                (
                    *p,
                    DecileWeight {
                        sum: d * m,
                        weight: m,
                    },
                )
            })
        })
        .collect();
    (weights, dep.unmatched_patients)
}

/// The population-weighted deprivation of the practices and PCNs of `registry`.
fn weighted_deprivation(
    practice_lsoa: &[pcnkit_org::PracticeLsoaRecord],
    lsoas: &[pcnkit_org::import::LsoaDeprivation],
    registry: &Registry,
    date: NaiveDate,
) -> Result<pcnkit_org::deprivation::PopulationDeprivation, ProfileError> {
    Ok(pcnkit_org::deprivation::population_weighted(
        pcnkit_org::deprivation::DeprivationInputs::new(practice_lsoa, lsoas)
            .with_registry(registry, date),
    )?)
}

/// How the practices' deprivation was made, for captions: the release and what was weighted.
fn weighted_method(dep: &pcnkit_org::deprivation::PopulationDeprivation, file: &str) -> String {
    let what = match dep.ranked_by {
        pcnkit_org::deprivation::RankedBy::Score => "IMD score and mean IMD decile",
        _ => "mean IMD decile",
    };
    format!(
        "each practice's deprivation is the {what} of the LSOAs its patients live in ({file}: {}), weighted by its patients there; practices and PCNs are placed in deciles by {}, nationally and within their ICB",
        dep.release,
        dep.ranked_by.label()
    )
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

type Populations = (
    BTreeMap<PcnCode, Option<u64>>,
    BTreeMap<PcnCode, Vec<AgeSexCell>>,
);

fn cells_of(
    cells: impl IntoIterator<Item = (AgeBand, Sex, pcnkit_core::PatientCount)>,
) -> Vec<AgeSexCell> {
    cells
        .into_iter()
        .map(|(age_band, sex, n)| AgeSexCell {
            age_band,
            sex,
            patients: n.get(),
        })
        .collect()
}

/// Population and age/sex cells of each PCN from the registry's practice lists. A PCN with a
/// member practice without a list has an unknown population (a finding); a PCN whose lists are
/// all persons only has a population and no pyramid.
fn from_registry_lists(
    intake: &mut Intake<'_>,
    registry: &Registry,
    date: NaiveDate,
    pcns: &[PcnCode],
) -> Result<Populations, ProfileError> {
    let scheme = AgeBandScheme::esp2013();
    let (mut population, mut cells) = (BTreeMap::new(), BTreeMap::new());
    let mut findings = Vec::new();
    for pcn in pcns {
        match registry.population(*pcn, date) {
            Ok(n) => {
                population.insert(*pcn, Some(n.get()));
            }
            Err(pcnkit_org::OrgError::NoListSize { practice, date }) => {
                population.insert(*pcn, None);
                findings.push(
                    Finding::new(
                        RuleId::PcnPopulationUnknown.id(),
                        Severity::Warning,
                        format!(
                            "population unknown: member practice {practice} has no list size on {date}"
                        ),
                    )
                    .about(pcn.to_string()),
                );
                continue;
            }
            Err(e) => return Err(e.into()),
        }
        match registry.population_by_age_sex(*pcn, date, &scheme) {
            Ok(c) => {
                cells.insert(
                    *pcn,
                    cells_of(c.into_iter().map(|c| (c.age_band, c.sex, c.patients))),
                );
            }
            // All-persons lists: a population, no pyramid.
            Err(pcnkit_org::OrgError::NoAgeSexBreakdown { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    intake.record(findings);
    Ok((population, cells))
}

/// A PCN population above [`pcnkit_org::rules::IMPLAUSIBLE_PCN_POPULATION`] is a data error
/// somewhere (a corrupt count), reported as a finding.
fn plausible(intake: &mut Intake<'_>, population: &BTreeMap<PcnCode, Option<u64>>) {
    let limit = pcnkit_org::rules::IMPLAUSIBLE_PCN_POPULATION;
    intake.record(
        population
            .iter()
            .filter_map(|(p, n)| n.filter(|n| *n > limit).map(|n| (p, n)))
            .map(|(p, n)| {
                Finding::new(
                    RuleId::ImplausibleValue.id(),
                    Severity::Warning,
                    format!(
                        "{n} registered patients is implausible (more than {limit}); check the list file"
                    ),
                )
                .about(p.to_string())
            })
            .collect(),
    );
}

impl ProfileInputs {
    /// The synthetic demo ICS of `config` (every figure generated, none of it NHS data).
    pub fn demo(config: &pcnkit_demo::DemoConfig) -> Result<Self, ProfileError> {
        let mut intake = Intake::new();
        let ics = pcnkit_demo::generate(config)?;
        let date = ics.extract_date;
        let h = &ics.health;
        let pcns = scope(&ics.registry, date, None);
        let (population, cells) = from_registry_lists(&mut intake, &ics.registry, date, &pcns)?;
        let lsoa_deprivation: Vec<pcnkit_org::import::LsoaDeprivation> = h
            .lsoas
            .iter()
            .map(|l| {
                let mut d = pcnkit_org::import::LsoaDeprivation::new(
                    l.code,
                    l.imd_decile,
                    pcnkit_core::ImdRelease::Named("synthetic".to_owned()),
                );
                d.imd_score = Some(l.imd_score);
                d
            })
            .collect();
        let deprivation =
            weighted_deprivation(&h.practice_lsoa, &lsoa_deprivation, &ics.registry, date)?;
        let (practice_decile, patients_without_decile) = decile_weights(&deprivation);
        let counts = pcnkit_demo::tables::tables(&ics)
            .map_err(|e| ProfileError::Data(e.to_string()))?
            .into_iter()
            .find(|(n, _)| *n == "counts")
            .map(|(_, b)| b);
        let assets = Register::from_assets(
            h.assets.iter().cloned(),
            "pcnkit demo",
            date.and_time(chrono::NaiveTime::MIN),
        )?;
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
        Ok(ProfileInputs {
            title: "demo integrated care system (synthetic)".to_owned(),
            sources: vec![InputSource::new(
                "every input",
                format!(
                    "the pcnkit demo generator, seed {} (synthetic, not NHS data)",
                    ics.config.seed
                ),
            )],
            synthetic_seed: Some(ics.config.seed),
            pcns,
            population,
            cells,
            practice_decile,
            patients_without_decile,
            practice_points: h.practice_points.clone(),
            weighted: h.weighted.clone(),
            staff: Some(h.staff.clone()),
            deprivation_method: Some(format!(
                "{}; a PCN's decile is weighted by the patients each practice has in each LSOA",
                weighted_method(&deprivation, "the synthetic LSOAs")
            )),
            deprivation: Some(deprivation),
            counts,
            assets: Some(assets),
            activity: Some(
                h.appointments
                    .iter()
                    .map(|a| {
                        pcnkit_indicators::activity::MonthlyActivity::new(
                            a.pcn,
                            a.month,
                            pcnkit_core::PatientCount(a.appointments),
                        )
                    })
                    .collect(),
            ),
            yearly: Some(
                h.yearly
                    .iter()
                    .map(|y| {
                        pcnkit_indicators::yearly::YearlyProportion::new(
                            y.pcn,
                            pcnkit_demo::YEARLY_MEASURE,
                            y.year,
                            pcnkit_core::PatientCount(y.numerator),
                            pcnkit_core::PatientCount(y.denominator),
                            Some(pcnkit_indicators::benchmark::Polarity::HighIsGood),
                        )
                    })
                    .collect(),
            ),
            lsoa_need,
            practice_lsoa: h.practice_lsoa.clone(),
            date,
            registry: ics.registry,
            findings: intake.into_findings(),
        })
    }

    /// The files in `files`, each read by the reader of the crate that owns it, every row
    /// accounted for by `intake` (whose findings become the inputs' findings).
    #[allow(clippy::too_many_lines)]
    pub fn from_files(files: &ProfileFiles, mut intake: Intake<'_>) -> Result<Self, ProfileError> {
        let Some(map_path) = &files.practice_map else {
            return Err(ProfileError::Inputs(
                "a profile needs the practice map (or the demo)".to_owned(),
            ));
        };
        if files.lsoas.is_some() && files.practice_lsoa.is_none() {
            return Err(ProfileError::Inputs(
                "LSOA deprivation needs the patients per practice per LSOA file too: LSOA deciles reach practices through the patients each practice has in each LSOA (or give practice deprivation instead)".to_owned(),
            ));
        }
        let intake = &mut intake;
        let mut sources = Vec::new();
        let name = |p: &Path| p.display().to_string();
        let map = read_practice_map(
            pcnkit_core::read::open(map_path)?,
            ImportOptions::new(name(map_path)),
        )
        .map_err(ProfileError::org)?;
        intake.account(&map)?;
        let date = map
            .records
            .first()
            .map(|r| r.extract_date)
            .ok_or_else(|| ProfileError::Data(format!("{}: no rows", name(map_path))))?;
        sources.push(InputSource::new("practice map", name(map_path)));
        let mut builder = registry_from_practice_map(&map.records);

        let mut pcn_lists = BTreeMap::new();
        let mut practice_lists = false;
        if let Some(p) = &files.lists {
            let lists =
                read_registered_patients(pcnkit_core::read::open(p)?, ImportOptions::new(name(p)))
                    .map_err(ProfileError::org)?;
            intake.account(&lists)?;
            let sizes: Vec<_> = lists
                .records
                .iter()
                .filter_map(pcnkit_org::import::RegisteredPatientsRecord::to_list_size)
                .collect();
            pcn_lists = pcnkit_org::pcn_lists(&lists.records, &AgeBandScheme::esp2013())?;
            practice_lists = !sizes.is_empty();
            if !practice_lists && pcn_lists.is_empty() {
                return Err(ProfileError::Data(format!(
                    "{}: no practice or PCN rows (the file has only sub-ICB, ICB or region totals)",
                    name(p)
                )));
            }
            builder.list_sizes(sizes);
            sources.push(InputSource::new("registered patients", name(p)));
        }
        let mut practice_lsoa = Vec::new();
        if let Some(p) = &files.practice_lsoa {
            let imported =
                read_practice_lsoa(pcnkit_core::read::open(p)?, ImportOptions::new(name(p)))
                    .map_err(ProfileError::org)?;
            intake.account(&imported)?;
            practice_lsoa = imported.records;
            builder.practice_lsoa(practice_lsoa.iter().cloned());
            sources.push(InputSource::new("patients by LSOA", name(p)));
        }
        let registry = builder.build().map_err(ProfileError::Registry)?;
        let pcns = scope(&registry, date, files.icb);
        if pcns.is_empty() {
            return Err(ProfileError::Data(format!(
                "{}: no PCN with practices{}",
                name(map_path),
                files
                    .icb
                    .map(|i| format!(" in ICB {i}"))
                    .unwrap_or_default()
            )));
        }
        // PCNs whose practices straddle ICBs are reported, with every practice kept.
        intake.record(
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
            from_registry_lists(intake, &registry, date, &pcns)?
        } else {
            let mut population = BTreeMap::new();
            let mut cells = BTreeMap::new();
            for pcn in &pcns {
                match pcn_lists.get(pcn) {
                    Some(list) => {
                        population.insert(*pcn, Some(list.total.get()));
                        if !list.by_age_sex.is_empty() {
                            cells.insert(
                                *pcn,
                                cells_of(
                                    list.by_age_sex
                                        .iter()
                                        .map(|c| (c.age_band, c.sex, c.patients)),
                                ),
                            );
                        }
                    }
                    None => {
                        population.insert(*pcn, None);
                        if files.lists.is_some() {
                            intake.record(vec![
                                Finding::new(
                                    "org.pcn_not_in_lists",
                                    Severity::Warning,
                                    "not in the registered-patients file, so its population is unknown",
                                )
                                .about(pcn.to_string()),
                            ]);
                        }
                    }
                }
            }
            (population, cells)
        };
        plausible(intake, &population);

        // LSOAs: deprivation deciles, and (pcnkit layout) centroids and populations.
        let mut lsoa_need = Vec::new();
        let mut deprivation_method = None;
        let mut deprivation = None;
        let mut practice_decile = BTreeMap::new();
        let mut patients_without_decile = 0;
        if let Some(p) = &files.lsoas {
            let lsoas = load::lsoa_deprivation(intake, p)?;
            for l in &lsoas {
                if let (Some((lat, lon)), Some(population)) = (l.centroid, l.population) {
                    lsoa_need.push(LsoaNeed {
                        lsoa: l.lsoa,
                        centroid: GeoPoint::new(lat, lon)?,
                        population,
                        imd_decile: l.imd_decile,
                    });
                }
            }
            let dep = weighted_deprivation(&practice_lsoa, &lsoas, &registry, date)?;
            (practice_decile, patients_without_decile) = decile_weights(&dep);
            sources.push(InputSource::new(
                "LSOA deprivation",
                format!("{} ({})", name(p), dep.release),
            ));
            deprivation_method = Some(weighted_method(&dep, &name(p)));
            deprivation = Some(dep);
        }
        let mut pcn_weighting = "weighted by the patients each practice has in each LSOA";
        if let Some(p) = &files.practice_deprivation {
            let dep = load::practice_deprivation(intake, p)?;
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
                    let weight = if practice_lists {
                        registry
                            .list_size(*code, date)
                            .map_or(0.0, |(_, l)| l.total.get() as f64)
                    } else {
                        1.0
                    };
                    (
                        *code,
                        DecileWeight {
                            sum: f64::from(d.get()) * weight,
                            weight,
                        },
                    )
                })
                .collect();
            deprivation_method = Some(match dep.source {
                PracticeDeprivationSource::FingertipsScores { year } => format!(
                    "each practice's deprivation is its OHID Fingertips IMD score (indicator 93553, {year}: IMD {year}) cut into deciles of the practices in the file, 1 = most deprived"
                ),
                _ => format!("practice IMD deciles as given in {}", name(p)),
            });
            sources.push(InputSource::new("practice deprivation", name(p)));
        }

        let mut practice_points = BTreeMap::new();
        if let Some(p) = &files.practice_locations {
            for l in load::practice_locations(intake, p)? {
                practice_points.insert(l.practice, GeoPoint::new(l.latitude, l.longitude)?);
            }
            sources.push(InputSource::new("practice locations", name(p)));
        }

        let mut weighted: BTreeMap<PcnCode, Decimal> = BTreeMap::new();
        if let Some(p) = &files.weighted {
            weighted = load::weighted(intake, p, Some((&registry, date)))?;
            sources.push(InputSource::new("weighted populations", name(p)));
        }

        let mut staff = None;
        if let Some(p) = &files.staff {
            let book = pcnkit_arrs::RuleBook::builtin();
            let known: BTreeSet<PcnCode> = registry.pcns().map(|p| p.code).collect();
            staff = Some(load::staff(intake, p, book, Some(&known))?);
            sources.push(InputSource::new("ARRS staff", name(p)));
        }

        let counts = match &files.conditions {
            Some(p) => {
                sources.push(InputSource::new("condition counts", name(p)));
                Some(with_pcn(intake, &registry, date, &pcns, p)?)
            }
            None => None,
        };

        let assets = match &files.assets {
            Some(p) => {
                sources.push(InputSource::new("community assets", name(p)));
                Some(load::register(
                    intake,
                    &load::RegisterSource::by_extension(p),
                    &load::RegisterOptions::default(),
                    date.and_time(chrono::NaiveTime::MIN),
                )?)
            }
            None => None,
        };

        let activity = match &files.activity {
            Some(p) => {
                sources.push(InputSource::new("monthly activity", name(p)));
                Some(load::activity(intake, p, &pcns)?)
            }
            None => None,
        };

        let yearly = match &files.yearly {
            Some(p) => {
                sources.push(InputSource::new("yearly proportions", name(p)));
                Some(load::yearly(intake, p, &pcns)?)
            }
            None => None,
        };

        Ok(ProfileInputs {
            activity,
            yearly,
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
            deprivation,
            practice_points,
            weighted,
            staff,
            deprivation_method: deprivation_method
                .map(|m| format!("{m}; a PCN's decile is {pcn_weighting}")),
            counts,
            assets,
            lsoa_need,
            practice_lsoa,
            findings: std::mem::take(intake).into_findings(),
        })
    }
}

/// The condition counts with a `pcn` column from the registry (as on the profile date),
/// keeping the rows of the PCNs profiled; rows of practices the practice map does not hold are
/// errors, rows of practices outside the PCNs profiled are listed as skipped.
fn with_pcn(
    intake: &mut Intake<'_>,
    registry: &Registry,
    date: NaiveDate,
    pcns: &[PcnCode],
    path: &Path,
) -> Result<RecordBatch, ProfileError> {
    let counts = load::condition_counts(intake, path)?;
    let mut unknown = Imported::<()>::new();
    for c in &counts {
        if registry.practice(c.practice).is_none() {
            unknown.errors.push(DataError::new(
                c.location.clone().at_field("practice"),
                DataErrorKind::Conflict(format!("{} is not in the practice map", c.practice)),
            ));
        }
    }
    intake.account(&unknown)?;
    let (batch, left) = pcnkit_indicators::counts::counts_table(&counts, "pcn", |p| {
        registry
            .pcn_of(p, date)
            .filter(|c| pcns.binary_search(c).is_ok())
            .map(|c| c.to_string())
    })?;
    let mut skipped = Imported::<()>::new();
    skipped.skipped = left
        .iter()
        .filter(|c| registry.practice(c.practice).is_some())
        .map(|c| Skipped {
            location: c.location.clone(),
            reason: format!("practice {} is not in a PCN reported on", c.practice),
        })
        .collect();
    intake.record(skipped.findings());
    Ok(batch)
}
