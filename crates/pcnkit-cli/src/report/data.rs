//! What a report is made from: the demo ICS, or the files an ICB holds (the NHS England
//! publications plus pcnkit's documented tables for what NHS England does not publish).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use chrono::NaiveDate;
use pcnkit_arrs::StaffMember;
use pcnkit_assets::coverage::LsoaNeed;
use pcnkit_assets::{GeoPoint, Register};
use pcnkit_core::{AgeBand, AgeBandScheme, IcbCode, LsoaCode, PcnCode, PracticeCode, Sex};
use pcnkit_org::Registry;
use pcnkit_org::import::{
    ImportOptions, OrgRef, open, read_practice_lsoa, read_practice_map, read_registered_patients,
    registry_from_practice_map,
};
use rust_decimal::Decimal;

use crate::error::{CliError, data};
use crate::input::{TextTable, read_table};

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
    pub staff: Vec<StaffMember>,
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

/// Population and age/sex cells of each PCN from the registry's practice lists.
fn from_registry_lists(
    registry: &Registry,
    date: NaiveDate,
    pcns: &[PcnCode],
    with_cells: bool,
) -> Result<(BTreeMap<PcnCode, f64>, Cells), CliError> {
    let scheme = AgeBandScheme::esp2013();
    let (mut population, mut cells) = (BTreeMap::new(), BTreeMap::new());
    for pcn in pcns {
        population.insert(
            *pcn,
            registry.population(*pcn, date).map_err(data)?.get() as f64,
        );
        if with_cells {
            let c = registry
                .population_by_age_sex(*pcn, date, &scheme)
                .map_err(data)?
                .into_iter()
                .map(|c| (c.age_band, c.sex, c.patients.get()))
                .collect();
            cells.insert(*pcn, c);
        }
    }
    Ok((population, cells))
}

impl ReportData {
    /// The synthetic demo ICS.
    pub fn demo() -> Result<Self, CliError> {
        let ics = pcnkit_demo::generate(&pcnkit_demo::DemoConfig::default()).map_err(data)?;
        let date = ics.extract_date;
        let h = &ics.health;
        let pcns = scope(&ics.registry, date, None);
        let (population, cells) = from_registry_lists(&ics.registry, date, &pcns, true)?;
        let deciles = h.lsoas.iter().map(|l| (l.code, l.imd_decile)).collect();
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
            staff: h.staff.clone(),
            counts,
            assets: Some(assets),
            lsoa_need,
            date,
            registry: ics.registry,
        })
    }

    /// The files named on the command line.
    #[allow(clippy::too_many_lines)]
    pub fn from_files(ctx: &crate::Context, files: &Files) -> Result<Self, CliError> {
        let Some(map_path) = &files.practice_map else {
            return Err(CliError::Usage(
                "give --demo, or --practice-map FILE (and the other inputs you have)".to_owned(),
            ));
        };
        let mut sources = Vec::new();
        let name = |p: &Path| p.display().to_string();
        let io = |p: &Path| {
            let path = name(p);
            move |e: pcnkit_org::OrgError| CliError::Io {
                path: path.clone(),
                problem: e.to_string(),
            }
        };
        let map = read_practice_map(
            open(map_path).map_err(io(map_path))?,
            ImportOptions::new(name(map_path)).strict(),
        )
        .map_err(data)?;
        let date = map
            .records
            .first()
            .map(|r| r.extract_date)
            .ok_or_else(|| CliError::Data(format!("{}: no rows", name(map_path))))?;
        sources.push(format!("practice map: {}", name(map_path)));
        let mut builder = registry_from_practice_map(&map.records);

        let mut pcn_rows: BTreeMap<PcnCode, Vec<(AgeBand, Sex, u64)>> = BTreeMap::new();
        let mut practice_lists = false;
        if let Some(p) = &files.lists {
            let lists = read_registered_patients(
                open(p).map_err(io(p))?,
                ImportOptions::new(name(p)).strict(),
            )
            .map_err(data)?;
            let mut sizes = Vec::new();
            for r in &lists.records {
                match r.org {
                    OrgRef::Practice(_) => {
                        if let Some(s) = r.to_list_size() {
                            sizes.push(s);
                        }
                    }
                    OrgRef::Pcn(Some(pcn)) => {
                        if let (Some(band), Some(sex)) = (r.age_band, r.sex) {
                            pcn_rows
                                .entry(pcn)
                                .or_default()
                                .push((band, sex, r.patients.get()));
                        }
                    }
                    // Other levels (sub-ICB, ICB, region) are roll-ups the report recomputes.
                    _ => {}
                }
            }
            practice_lists = !sizes.is_empty();
            if !practice_lists && pcn_rows.is_empty() {
                return Err(CliError::Data(format!(
                    "{}: no practice or PCN rows by age and sex",
                    name(p)
                )));
            }
            builder.list_sizes(sizes);
            sources.push(format!("registered patients: {}", name(p)));
        }
        let mut practice_lsoa = Vec::new();
        if let Some(p) = &files.practice_lsoa {
            practice_lsoa = read_practice_lsoa(
                open(p).map_err(io(p))?,
                ImportOptions::new(name(p)).strict(),
            )
            .map_err(data)?
            .records;
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
        let title = match files.icb {
            Some(code) => registry
                .icbs()
                .find(|i| i.code == code)
                .map_or_else(|| code.to_string(), |i| i.name.clone()),
            None => "every ICB in the practice map".to_owned(),
        };

        let (population, cells) = if practice_lists {
            from_registry_lists(&registry, date, &pcns, true)?
        } else {
            let scheme = AgeBandScheme::esp2013();
            let mut population = BTreeMap::new();
            let mut cells = BTreeMap::new();
            for pcn in &pcns {
                let mut by: BTreeMap<(u8, Sex), (AgeBand, u64)> = BTreeMap::new();
                for (band, sex, n) in pcn_rows.get(pcn).map(Vec::as_slice).unwrap_or(&[]) {
                    let b = scheme.band_containing(*band).map_err(data)?;
                    by.entry((b.lower(), *sex)).or_insert((b, 0)).1 += n;
                }
                let total: u64 = by.values().map(|v| v.1).sum();
                population.insert(
                    *pcn,
                    if by.is_empty() {
                        f64::NAN
                    } else {
                        total as f64
                    },
                );
                if !by.is_empty() {
                    cells.insert(
                        *pcn,
                        by.into_iter().map(|((_, s), (b, n))| (b, s, n)).collect(),
                    );
                }
            }
            (population, cells)
        };

        // LSOAs: deprivation deciles, and (pcnkit layout) centroids and populations.
        let mut lsoa_deciles: BTreeMap<LsoaCode, u8> = BTreeMap::new();
        let mut lsoa_need = Vec::new();
        if let Some(p) = &files.lsoas {
            let t = TextTable::read(p)?;
            let code = t.column(&["lsoa", "LSOA code (2011)", "LSOA code (2021)"])?;
            let decile =
                t.column(&["imd_decile", "Index of Multiple Deprivation (IMD) Decile*"])?;
            let geo = (
                t.find(&["latitude"]),
                t.find(&["longitude"]),
                t.find(&["population"]),
            );
            for row in 0..t.len() {
                let lsoa: LsoaCode = t.parse(row, code)?;
                let d: u8 = t.parse(row, decile)?;
                if !(1..=10).contains(&d) {
                    return Err(t.bad(row, decile, &format!("decile {d} is not 1 to 10")));
                }
                lsoa_deciles.insert(lsoa, d);
                if let (Some(la), Some(lo), Some(po)) = geo {
                    let centroid = GeoPoint::new(t.parse(row, la)?, t.parse(row, lo)?)
                        .map_err(|e| t.bad(row, la, &e.to_string()))?;
                    let population: f64 = t.parse(row, po)?;
                    if population.is_nan() || population < 0.0 {
                        return Err(t.bad(row, po, "population must be 0 or more"));
                    }
                    lsoa_need.push(LsoaNeed {
                        lsoa,
                        centroid,
                        population,
                        imd_decile: d,
                    });
                }
            }
            sources.push(format!("LSOA deprivation: {}", name(p)));
        }
        let (mut practice_decile, patients_without_decile) =
            decile_sums(&practice_lsoa, &lsoa_deciles);
        if let Some(p) = &files.practice_deprivation {
            practice_decile = practice_deprivation(&TextTable::read(p)?)?;
            sources.push(format!("practice deprivation: {}", name(p)));
        }

        let mut practice_points = BTreeMap::new();
        if let Some(p) = &files.practice_locations {
            let t = TextTable::read(p)?;
            let (pc, la, lo) = (
                t.column(&["practice", "practice_code"])?,
                t.column(&["latitude"])?,
                t.column(&["longitude"])?,
            );
            for row in 0..t.len() {
                let point = GeoPoint::new(t.parse(row, la)?, t.parse(row, lo)?)
                    .map_err(|e| t.bad(row, la, &e.to_string()))?;
                practice_points.insert(t.parse::<PracticeCode>(row, pc)?, point);
            }
            sources.push(format!("practice locations: {}", name(p)));
        }

        let mut weighted: BTreeMap<PcnCode, Decimal> = BTreeMap::new();
        if let Some(p) = &files.weighted {
            let t = TextTable::read(p)?;
            let value = t.column(&[
                "weighted_patients",
                "Number of Weighted Patients (Last Known Figure)",
            ])?;
            let pcn_col = t.find(&["pcn", "pcn_code"]);
            let practice_col = t.column(&["pcn", "practice", "Practice Code"])?;
            for row in 0..t.len() {
                let w: Decimal = t.parse(row, value)?;
                if w.is_sign_negative() {
                    return Err(t.bad(row, value, "a weighted population cannot be negative"));
                }
                let pcn = match pcn_col {
                    Some(c) => Some(t.parse::<PcnCode>(row, c)?),
                    None => {
                        let practice: PracticeCode = t.parse(row, practice_col)?;
                        registry.pcn_of(practice, date)
                    }
                };
                // Practices in no PCN on the date have no PCN to count towards.
                if let Some(pcn) = pcn {
                    *weighted.entry(pcn).or_default() += w;
                }
            }
            sources.push(format!("weighted populations: {}", name(p)));
        }

        let mut staff = Vec::new();
        if let Some(p) = &files.staff {
            let t = TextTable::read(p)?;
            for c in &pcnkit_arrs::STAFF_COLUMNS[..6] {
                t.column(&[c])?;
            }
            let columns: Vec<(&str, Option<usize>)> = pcnkit_arrs::STAFF_COLUMNS
                .iter()
                .map(|c| (*c, t.find(&[c])))
                .collect();
            for row in 0..t.len() {
                let cell = |name: &str| {
                    columns
                        .iter()
                        .find(|(c, _)| *c == name)
                        .and_then(|(_, i)| *i)
                        .map(|i| t.text(row, i))
                };
                let member = StaffMember::from_record(cell).map_err(|e| {
                    t.bad(row, t.find(&[e.column]).unwrap_or(usize::MAX), &e.problem)
                })?;
                staff.push(member);
            }
            sources.push(format!("ARRS staff: {}", name(p)));
        }

        let counts = match &files.conditions {
            Some(p) => {
                sources.push(format!("condition counts: {}", name(p)));
                Some(with_pcn(&registry, date, &pcns, &read_table(p)?, &name(p))?)
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
            staff,
            counts,
            assets,
            lsoa_need,
        })
    }
}

/// Practice deciles from `practice, imd_decile` or the Fingertips IMD score export.
fn practice_deprivation(t: &TextTable) -> Result<BTreeMap<PracticeCode, (f64, f64)>, CliError> {
    let mut out = BTreeMap::new();
    if let Some(dec) = t.find(&["imd_decile"]) {
        let pc = t.column(&["practice", "practice_code"])?;
        for row in 0..t.len() {
            let d: f64 = t.parse(row, dec)?;
            if !(1.0..=10.0).contains(&d) {
                return Err(t.bad(row, dec, "a decile is 1 to 10"));
            }
            out.insert(t.parse::<PracticeCode>(row, pc)?, (d, 1.0));
        }
        return Ok(out);
    }
    let (code, value) = (t.column(&["AreaCode"])?, t.column(&["Value"])?);
    let year = t.find(&["Year"]);
    let mut latest: BTreeMap<PracticeCode, (i64, f64)> = BTreeMap::new();
    for row in 0..t.len() {
        // Fingertips exports carry rows for areas other than practices (England, ICBs).
        let Ok(practice) = t.text(row, code).parse::<PracticeCode>() else {
            continue;
        };
        if t.text(row, value).is_empty() {
            continue;
        }
        let score: f64 = t.parse(row, value)?;
        let y: i64 = match year {
            Some(c) => t.parse(row, c)?,
            None => 0,
        };
        let slot = latest.entry(practice).or_insert((y, score));
        if y >= slot.0 {
            *slot = (y, score);
        }
    }
    // Deciles of the practices in the file: the highest scores (most deprived) are decile 1.
    let mut ranked: Vec<(PracticeCode, f64)> =
        latest.into_iter().map(|(p, (_, s))| (p, s)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let n = ranked.len() as f64;
    for (i, (p, _)) in ranked.into_iter().enumerate() {
        let d = ((i as f64 + 1.0) * 10.0 / n).ceil().clamp(1.0, 10.0);
        out.insert(p, (d, 1.0));
    }
    Ok(out)
}

/// The counts with a `pcn` column from the registry (as on the report date), keeping the rows
/// of the PCNs reported on; a practice the practice map does not hold is an error.
fn with_pcn(
    registry: &Registry,
    date: NaiveDate,
    pcns: &[PcnCode],
    batches: &[RecordBatch],
    file: &str,
) -> Result<RecordBatch, CliError> {
    let schema = batches
        .first()
        .map(RecordBatch::schema)
        .ok_or_else(|| CliError::Data(format!("{file}: no rows")))?;
    let all = arrow_select::concat::concat_batches(&schema, batches).map_err(data)?;
    for c in ["practice", "measure", "age_band", "count", "population"] {
        if all.column_by_name(c).is_none() {
            return Err(CliError::Data(format!("{file}: no column {c}")));
        }
    }
    let practice = arrow_cast::cast(
        all.column_by_name("practice")
            .ok_or_else(|| data("no practice"))?,
        &arrow_schema::DataType::Utf8,
    )
    .map_err(data)?;
    let practice = practice.as_string::<i32>();
    let mut pcn = Vec::with_capacity(practice.len());
    let mut keep = Vec::with_capacity(practice.len());
    for (row, p) in practice.iter().enumerate() {
        let text = p.unwrap_or("");
        let code: PracticeCode = text
            .parse()
            .map_err(|e| CliError::Data(format!("{file} row {}, column practice: {e}", row + 1)))?;
        if registry.practice(code).is_none() {
            return Err(CliError::Data(format!(
                "{file} row {}, column practice: {code} is not in the practice map",
                row + 1
            )));
        }
        let of = registry.pcn_of(code, date);
        keep.push(of.is_some_and(|c| pcns.binary_search(&c).is_ok()));
        pcn.push(of.map(|c| c.to_string()));
    }
    let mut names = vec!["pcn".to_owned()];
    let mut columns: Vec<ArrayRef> = vec![Arc::new(StringArray::from(pcn))];
    for (f, c) in all.schema().fields().iter().zip(all.columns()) {
        if f.name() != "pcn" {
            names.push(f.name().clone());
            columns.push(c.clone());
        }
    }
    let with =
        RecordBatch::try_from_iter(names.iter().map(String::as_str).zip(columns)).map_err(data)?;
    arrow_select::filter::filter_record_batch(&with, &arrow_array::BooleanArray::from(keep))
        .map_err(data)
}
