//! A synthetic integrated care system, generated deterministically from a seed.
//!
//! **Everything this crate produces is synthetic.** The practices, networks, places, names,
//! codes and counts are invented by a seeded generator to look like an English ICS; they are
//! not NHS data and must not be read as such. The codes have the published formats (so they
//! pass validation) and may coincide with real codes by chance.
//!
//! # Overview
//!
//! [`generate`] builds, from a seed, an ICS of [`DemoConfig::places`] sub-ICB locations
//! ("places"), [`DemoConfig::pcns`] PCNs and [`DemoConfig::practices`] practices, with
//! registered lists by five-year age band and sex drawn around an age pyramid shaped like
//! England's, totalling about [`DemoConfig::patients`]. [`DemoIcs::health`] adds synthetic
//! LSOAs with deprivation deciles spread as in England, practices' patients by LSOA, condition
//! registers (diabetes, hypertension, COPD, asthma, depression, CHD) rising with age and
//! deprivation, emergency admissions, an ARRS workforce per PCN and a community asset
//! register of about 2,000 assets ([`health`]). The same seed gives the same ICS on every
//! machine (ChaCha8).
//!
//! # Examples
//!
//! ```
//! use pcnkit_demo::{generate, DemoConfig};
//! let ics = generate(&DemoConfig::default())?;
//! let registry = &ics.registry;
//! assert_eq!(registry.pcns().count(), 30);
//! let total: u64 = registry
//!     .rollup(pcnkit_org::Level::Icb, ics.extract_date)?
//!     .iter()
//!     .map(|a| a.patients.get())
//!     .sum();
//! assert!((1_400_000..1_600_000).contains(&total), "{total}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate features
//!
//! None.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod health;
pub mod tables;

pub use health::{
    AdmissionCount, Condition, ConditionCount, DemoHealth, DemoLsoa, MonthlyAppointments,
    YEARLY_MEASURE, YearlyMeasure,
};

use chrono::NaiveDate;
use pcnkit_core::{
    AgeBandScheme, IcbCode, PatientCount, PcnCode, Period, Postcode, PracticeCode, RegionCode, Sex,
    SubIcbCode,
};
use pcnkit_org::{
    AgreementSchedule, AgreementScheduleKind, ClinicalDirector, Icb, ListSizeRecord,
    NetworkAgreement, OrgError, Pcn, Practice, Region, Registry, SubIcbLocation,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The seed of the default demo ICS.
pub const DEFAULT_SEED: u64 = 2026;

/// Relative size of each five-year band (0-4 … 90+), per 1,000, for a synthetic pyramid shaped
/// like England's registered population: illustrative weights for demo data, not published
/// figures.
const PYRAMID: [u32; 19] = [
    52, 57, 60, 58, 62, 68, 72, 70, 66, 62, 66, 67, 60, 51, 48, 38, 24, 13, 6,
];

const PLACE_NAMES: [&str; 5] = [
    "Ashford Vale",
    "Brookmere",
    "Carrow Downs",
    "Dunstan Bay",
    "Elmstead",
];

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DemoConfig {
    /// The seed.
    pub seed: u64,
    /// Sub-ICB locations ("places").
    pub places: u32,
    /// PCNs.
    pub pcns: u32,
    /// Practices.
    pub practices: u32,
    /// Approximate registered population of the whole ICS.
    pub patients: u64,
    /// The list-size extract date.
    pub extract_date: NaiveDate,
}

impl Default for DemoConfig {
    /// About 1.5 million patients, 180 practices in 30 PCNs across 5 places, extract 1 Jan 2025.
    fn default() -> Self {
        DemoConfig {
            seed: DEFAULT_SEED,
            places: 5,
            pcns: 30,
            practices: 180,
            patients: 1_500_000,
            extract_date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or(NaiveDate::MIN),
        }
    }
}

/// A generated ICS.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DemoIcs {
    /// The organisations, memberships and list sizes.
    pub registry: Registry,
    /// The list-size records the registry was built from (five-year bands by sex).
    pub list_sizes: Vec<ListSizeRecord>,
    /// The extract date of the lists.
    pub extract_date: NaiveDate,
    /// The config it was generated from.
    pub config: DemoConfig,
    /// LSOAs with deprivation, condition registers, admissions, the ARRS workforce and the
    /// community asset register (all synthetic).
    pub health: DemoHealth,
}

/// Generates the ICS described by `config`.
pub fn generate(config: &DemoConfig) -> Result<DemoIcs, OrgError> {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut b = Registry::builder();
    let region = RegionCode::new("Y60")?;
    let icb_code = IcbCode::new("QZZ")?;
    b.region(Region::new(region, "Midlands (synthetic)"));
    let mut icb = Icb::new(icb_code, "NHS Demo Integrated Care Board (synthetic)");
    icb.region = Some(region);
    b.icb(icb);
    let places: Vec<SubIcbCode> = (0..config.places.max(1))
        .map(|i| SubIcbCode::new(&format!("9{}X", i % 10)))
        .collect::<Result<_, _>>()?;
    for (i, code) in places.iter().enumerate() {
        let name = PLACE_NAMES.get(i).copied().unwrap_or("Place");
        let mut sub = SubIcbLocation::new(*code, format!("{name} (synthetic)"));
        sub.icb = Some(icb_code);
        b.sub_icb(sub);
    }
    let network_start = NaiveDate::from_ymd_opt(2019, 7, 1).unwrap_or(NaiveDate::MIN);
    let pcns: Vec<PcnCode> = (0..config.pcns.max(1))
        .map(|i| PcnCode::new(&format!("U9{:04}", i)))
        .collect::<Result<_, _>>()?;
    for (i, code) in pcns.iter().enumerate() {
        let place = places[i % places.len()];
        let place_name = PLACE_NAMES
            .get(i % places.len())
            .copied()
            .unwrap_or("Place");
        let mut pcn = Pcn::new(
            *code,
            format!("{place_name} {} PCN (synthetic)", i / places.len() + 1),
        );
        pcn.sub_icb = Some(place);
        pcn.icb = Some(icb_code);
        let period = Period::starting(network_start);
        pcn.clinical_directors
            .push(ClinicalDirector::new(format!("Dr Demo {}", i + 1), period));
        let mut agreement = NetworkAgreement::new(period);
        agreement.signed = Some(network_start);
        agreement.schedules = AgreementScheduleKind::EXPECTED
            .into_iter()
            .map(|k| AgreementSchedule::new(k, vec!["Synthetic clause for the demo.".to_owned()]))
            .collect();
        pcn.agreement = Some(agreement);
        b.pcn(pcn);
    }
    // Practice list sizes vary from about a third of the mean to about 1.65 times it.
    let mean = config.patients / u64::from(config.practices.max(1));
    let pyramid_total: u32 = PYRAMID.iter().sum();
    let bands = AgeBandScheme::esp2013();
    let mut list_sizes = Vec::new();
    let mut practice_codes = Vec::new();
    let mut practice_places = Vec::new();
    let mut practice_pcns = Vec::new();
    let mut practice_lists = Vec::new();
    for i in 0..config.practices {
        let code = PracticeCode::new(&format!("Z{:05}", 10_000 + i))?;
        let pcn_index = (i % config.pcns.max(1)) as usize;
        let pcn = pcns[pcn_index];
        let place = places[pcn_index % places.len()];
        let mut practice = Practice::new(code, format!("{} Surgery (synthetic)", street(&mut rng)));
        practice.sub_icb = Some(place);
        practice.icb = Some(icb_code);
        practice.region = Some(region);
        practice.postcode = Postcode::new(&format!("ZZ{} {}ZZ", 1 + i % 99, i % 10)).ok();
        practice.open_date =
            Some(NaiveDate::from_ymd_opt(1950 + (i % 60) as i32, 4, 1).unwrap_or(NaiveDate::MIN));
        b.practice(practice);
        b.join(code, pcn, network_start);
        practice_codes.push(code);
        practice_places.push(pcn_index % places.len());
        practice_pcns.push(pcn);
        let mut cells = Vec::with_capacity(38);
        let size = mean * rng.random_range(35..=165) / 100;
        // An older or younger list: tilt the pyramid by up to ±30% at the ends.
        let tilt: i64 = rng.random_range(-30..=30);
        for (band_index, (band, weight)) in bands.bands().iter().zip(PYRAMID).enumerate() {
            let tilted = i64::from(weight) * (100 + tilt * (band_index as i64 - 9) / 9) / 100;
            let expected = size * tilted.max(1) as u64 / u64::from(pyramid_total);
            for sex in [Sex::Male, Sex::Female] {
                // Women outnumber men in the oldest bands.
                let share = if band_index >= 15 {
                    if sex == Sex::Female { 58 } else { 42 }
                } else {
                    50
                };
                let n = expected * share / 100 * rng.random_range(90..=110) / 100;
                cells.push((band_index, sex, n));
                list_sizes.push(ListSizeRecord::new(
                    code,
                    config.extract_date,
                    Some(sex),
                    Some(*band),
                    PatientCount(n),
                ));
            }
        }
        practice_lists.push(cells);
    }
    b.list_sizes(list_sizes.iter().cloned());
    let health = health::generate(
        config.seed,
        &health::Practices {
            code: &practice_codes,
            place: &practice_places,
            pcn: &practice_pcns,
            lists: &practice_lists,
            places: &places,
            extract_date: config.extract_date,
            bands: bands.bands(),
        },
    );
    b.practice_lsoa(health.practice_lsoa.iter().cloned());
    let registry = b.build().map_err(|mut errors| errors.swap_remove(0))?;
    Ok(DemoIcs {
        registry,
        list_sizes,
        extract_date: config.extract_date,
        config: config.clone(),
        health,
    })
}

fn street(rng: &mut ChaCha8Rng) -> String {
    const FIRST: [&str; 8] = [
        "Oak", "Mill", "Church", "Station", "Park", "Castle", "River", "Market",
    ];
    const SECOND: [&str; 6] = ["Lane", "Road", "Street", "House", "Green", "Way"];
    format!(
        "{} {}",
        FIRST[rng.random_range(0..FIRST.len())],
        SECOND[rng.random_range(0..SECOND.len())]
    )
}
