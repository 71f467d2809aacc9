//! The population-health, workforce and asset side of the demo ICS. **All synthetic.**
//!
//! Drawn from a second ChaCha8 stream (the seed with a fixed offset), so adding these parts
//! left the organisation and list figures of the demo unchanged. Every rate and weight below
//! is an illustrative parameter of the generator, chosen to look plausible, **not** a
//! published figure.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use pcnkit_arrs::{Area, StaffMember};
use pcnkit_assets::{
    Asset, AssetKind, GeoPoint, HealthyLivingPharmacy, Need, ReferralRoute, Schedule, Source,
    Weekday,
};
use pcnkit_core::{
    AgeBand, LsoaCode, Money, PatientCount, PcnCode, PracticeCode, Sex, SubIcbCode, Wte,
};
use pcnkit_org::PracticeLsoaRecord;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use serde::Serialize;

/// Synthetic town centres of the five places (latitude, longitude): invented points in the
/// English Midlands, far enough apart not to overlap.
const PLACE_CENTRES: [(f64, f64); 5] = [
    (52.62, -1.95),
    (52.44, -1.48),
    (52.93, -1.17),
    (52.71, -2.45),
    (52.28, -2.05),
];

/// Radius of a place's built-up area, metres.
const PLACE_RADIUS_M: f64 = 9_000.0;

/// People per synthetic LSOA (England's LSOAs hold about 1,500–1,700).
const LSOA_PEOPLE: u64 = 1_600;

/// A synthetic LSOA (codes `E019…`, a range no real LSOA uses).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DemoLsoa {
    /// Code.
    pub code: LsoaCode,
    /// The place it is in.
    pub place: SubIcbCode,
    /// Population-weighted centroid.
    pub centroid: GeoPoint,
    /// Registered patients living there (sum over practices).
    pub population: u64,
    /// IMD decile (1 = most deprived), spread evenly over the ICS as in England.
    pub imd_decile: pcnkit_core::ImdDecile,
    /// A synthetic IMD score consistent with the decile (higher is more deprived: about
    /// 50 − 4.5 × decile, ±2), from its own random stream.
    pub imd_score: f64,
}

/// A condition with a register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Condition {
    /// Diabetes.
    Diabetes,
    /// Hypertension.
    Hypertension,
    /// Chronic obstructive pulmonary disease.
    Copd,
    /// Asthma.
    Asthma,
    /// Depression.
    Depression,
    /// Coronary heart disease.
    Chd,
}

impl Condition {
    /// Every condition.
    pub const ALL: [Condition; 6] = [
        Condition::Diabetes,
        Condition::Hypertension,
        Condition::Copd,
        Condition::Asthma,
        Condition::Depression,
        Condition::Chd,
    ];

    /// The code (`diabetes`, …).
    pub fn code(self) -> &'static str {
        match self {
            Condition::Diabetes => "diabetes",
            Condition::Hypertension => "hypertension",
            Condition::Copd => "copd",
            Condition::Asthma => "asthma",
            Condition::Depression => "depression",
            Condition::Chd => "chd",
        }
    }

    /// Illustrative prevalence per 1,000 by five-year band at average deprivation (generator
    /// parameters, not published figures): rising with age except asthma and depression.
    fn per_1000(self, band: usize) -> u64 {
        let age = band as u64 * 5;
        match self {
            Condition::Diabetes => (age * age / 45).min(220),
            Condition::Hypertension => (age * age / 18).min(600),
            Condition::Copd => (age.saturating_sub(35) * age.saturating_sub(35) / 40).min(140),
            Condition::Asthma => 60 + (age % 30) / 3,
            Condition::Depression => {
                if (15..75).contains(&age) {
                    140
                } else {
                    50
                }
            }
            Condition::Chd => (age.saturating_sub(40) * age.saturating_sub(40) / 25).min(250),
        }
    }
}

/// Patients on a condition register in one practice, band and sex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ConditionCount {
    /// Practice.
    pub practice: PracticeCode,
    /// Condition.
    pub condition: Condition,
    /// Five-year band.
    pub age_band: AgeBand,
    /// Sex.
    pub sex: Sex,
    /// Patients on the register.
    pub patients: u64,
}

/// Emergency admissions in a year for one practice, band and sex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AdmissionCount {
    /// Practice.
    pub practice: PracticeCode,
    /// Five-year band.
    pub age_band: AgeBand,
    /// Sex.
    pub sex: Sex,
    /// Admissions.
    pub admissions: u64,
}

/// General practice appointments of one PCN in one month (synthetic).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MonthlyAppointments {
    /// The PCN.
    pub pcn: PcnCode,
    /// The month.
    pub month: pcnkit_core::Month,
    /// Appointments.
    pub appointments: u64,
}

/// What the demo's yearly measure is (synthetic figures, a real kind of measure).
pub const YEARLY_MEASURE: &str =
    "Blood pressure recorded in the last 5 years, aged 45+ (synthetic)";

/// One financial year of the demo's yearly measure for one PCN (synthetic).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct YearlyMeasure {
    /// The PCN.
    pub pcn: PcnCode,
    /// The first calendar year of the financial year (2023 for 2023/24).
    pub year: i32,
    /// Patients with it recorded.
    pub numerator: u64,
    /// Patients aged 45 and over.
    pub denominator: u64,
}

/// The synthetic population-health, workforce and asset data.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DemoHealth {
    /// LSOAs.
    pub lsoas: Vec<DemoLsoa>,
    /// Practice locations.
    pub practice_points: BTreeMap<PracticeCode, GeoPoint>,
    /// Patients of each practice by LSOA.
    pub practice_lsoa: Vec<PracticeLsoaRecord>,
    /// Condition registers.
    pub conditions: Vec<ConditionCount>,
    /// Emergency admissions.
    pub admissions: Vec<AdmissionCount>,
    /// ARRS staff, by PCN.
    pub staff: Vec<StaffMember>,
    /// Synthetic weighted populations of the PCNs (registered × a factor in 0.92–1.08).
    pub weighted: BTreeMap<PcnCode, Decimal>,
    /// The community asset register.
    pub assets: Vec<Asset>,
    /// Monthly appointments of each PCN for the 24 months before the extract date, with real
    /// signals for a control chart to find: the first PCN's rise a year in, the second PCN's
    /// fall over its last eight months, and one month of the third PCN cut by a (synthetic)
    /// system outage; the others vary by chance alone.
    pub appointments: Vec<MonthlyAppointments>,
    /// [`YEARLY_MEASURE`] for each PCN over the five financial years before the extract's,
    /// with trends for the recent trend test to find: the first PCN's rise of 1.5 points a
    /// year, the second PCN's fall of 1.5 points a year and the third PCN's one high last
    /// year; the others vary by chance alone (high is good).
    pub yearly: Vec<YearlyMeasure>,
}

/// A point `metres` away from `from` at `bearing` radians (a flat-earth offset, which is what
/// a town-sized scatter needs); `from` itself if the offset would leave the valid range.
fn offset(from: GeoPoint, metres: f64, bearing: f64) -> GeoPoint {
    let dlat = metres * bearing.cos() / 111_195.0;
    let dlon = metres * bearing.sin() / (111_195.0 * from.lat().to_radians().cos());
    GeoPoint::new(from.lat() + dlat, from.lon() + dlon).unwrap_or(from)
}

/// The inputs the generator needs from the organisation side.
pub(crate) struct Practices<'a> {
    pub(crate) code: &'a [PracticeCode],
    pub(crate) place: &'a [usize],
    pub(crate) pcn: &'a [PcnCode],
    /// (band index, sex, patients) per practice.
    pub(crate) lists: &'a [Vec<(usize, Sex, u64)>],
    pub(crate) places: &'a [SubIcbCode],
    pub(crate) extract_date: NaiveDate,
    pub(crate) bands: &'a [AgeBand],
}

pub(crate) fn generate(seed: u64, p: &Practices<'_>) -> DemoHealth {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5EED_4EA1_7400);
    let n_places = p.places.len().max(1);
    let totals: Vec<u64> = p
        .lists
        .iter()
        .map(|l| l.iter().map(|c| c.2).sum())
        .collect();
    // LSOAs per place, scattered around the centre; deprivation highest near the centre.
    let mut lsoas: Vec<(usize, GeoPoint, f64)> = Vec::new();
    for place in 0..n_places {
        let people: u64 = (0..p.code.len())
            .filter(|&i| p.place[i] == place)
            .map(|i| totals[i])
            .sum();
        let (clat, clon) = PLACE_CENTRES[place % PLACE_CENTRES.len()];
        let Ok(centre) = GeoPoint::new(clat, clon) else {
            continue;
        };
        for _ in 0..(people / LSOA_PEOPLE).max(1) {
            let u: f64 = rng.random_range(0.0..1.0);
            let r = PLACE_RADIUS_M * u.sqrt();
            let bearing = rng.random_range(0.0..std::f64::consts::TAU);
            let score = r / PLACE_RADIUS_M + rng.random_range(-0.35..0.35);
            lsoas.push((place, offset(centre, r, bearing), score));
        }
    }
    // Deciles by rank of the score over the whole ICS: 10% in each, most deprived centrally.
    let mut order: Vec<usize> = (0..lsoas.len()).collect();
    order.sort_by(|&a, &b| lsoas[a].2.total_cmp(&lsoas[b].2));
    let mut decile = vec![1u8; lsoas.len()];
    for (rank, &i) in order.iter().enumerate() {
        decile[i] = (rank * 10 / lsoas.len().max(1)) as u8 + 1;
    }
    // Practices sit at an LSOA of their place; their patients come from the nearest eight.
    let mut practice_points = BTreeMap::new();
    let mut practice_lsoa = Vec::new();
    let mut population = vec![0u64; lsoas.len()];
    let mut practice_decile = vec![5.5f64; p.code.len()];
    for i in 0..p.code.len() {
        let own: Vec<usize> = (0..lsoas.len())
            .filter(|&l| lsoas[l].0 == p.place[i])
            .collect();
        if own.is_empty() {
            continue;
        }
        let home = own[rng.random_range(0..own.len())];
        let point = offset(
            lsoas[home].1,
            rng.random_range(0.0..300.0),
            rng.random_range(0.0..std::f64::consts::TAU),
        );
        practice_points.insert(p.code[i], point);
        let mut near = own.clone();
        near.sort_by(|&a, &b| {
            point
                .distance_m(&lsoas[a].1)
                .total_cmp(&point.distance_m(&lsoas[b].1))
        });
        near.truncate(8);
        let weights: Vec<u64> = (0..near.len() as u64).map(|k| 16 >> k.min(4)).collect();
        let wsum: u64 = weights.iter().sum();
        let mut left = totals[i];
        let mut weighted_decile = 0.0;
        for (k, (&l, w)) in near.iter().zip(&weights).enumerate() {
            let n = if k + 1 == near.len() {
                left
            } else {
                totals[i] * w / wsum
            };
            left -= n.min(left);
            population[l] += n;
            weighted_decile += f64::from(decile[l]) * n as f64;
            if let Ok(code) = LsoaCode::new(&format!("E019{:05}", l + 1)) {
                practice_lsoa.push(PracticeLsoaRecord::new(
                    p.code[i],
                    p.extract_date,
                    code,
                    PatientCount(n),
                ));
            }
        }
        if totals[i] > 0 {
            practice_decile[i] = weighted_decile / totals[i] as f64;
        }
    }
    let mut score_rng = ChaCha8Rng::seed_from_u64(seed ^ 0x1D5C_0AE5_0F1D);
    let lsoas: Vec<DemoLsoa> = lsoas
        .iter()
        .enumerate()
        .filter_map(|(l, (place, centroid, _))| {
            Some(DemoLsoa {
                code: LsoaCode::new(&format!("E019{:05}", l + 1)).ok()?,
                place: p.places[*place],
                centroid: *centroid,
                population: population[l],
                imd_decile: pcnkit_core::ImdDecile::new(decile[l]).ok()?,
                imd_score: ((50.0 - 4.5 * f64::from(decile[l])
                    + score_rng.random_range(-2.0..2.0))
                    * 1000.0)
                    .round()
                    / 1000.0,
            })
        })
        .collect();
    // Condition registers and admissions: rising with age, and with deprivation (+6% per
    // decile below the middle).
    let mut conditions = Vec::new();
    let mut admissions = Vec::new();
    for (i, list) in p.lists.iter().enumerate() {
        let deprivation = 1.0 + 0.06 * (5.5 - practice_decile[i]);
        for &(band, sex, n) in list {
            let Some(age_band) = p.bands.get(band) else {
                continue;
            };
            for c in Condition::ALL {
                let rate = c.per_1000(band) as f64 * deprivation * rng.random_range(0.85..1.15);
                conditions.push(ConditionCount {
                    practice: p.code[i],
                    condition: c,
                    age_band: *age_band,
                    sex,
                    patients: ((n as f64 * rate / 1000.0).round() as u64).min(n),
                });
            }
            let per_1000 = 40.0 + (band as f64 * 5.0).powf(1.6) * 0.12;
            admissions.push(AdmissionCount {
                practice: p.code[i],
                age_band: *age_band,
                sex,
                admissions: (n as f64 * per_1000 * deprivation / 1000.0
                    * rng.random_range(0.8..1.2))
                .round() as u64,
            });
        }
    }
    // ARRS workforce: about 0.4 posts per 1,000 patients, roles in typical proportions.
    let mut pcn_patients: BTreeMap<PcnCode, u64> = BTreeMap::new();
    for (i, code) in p.pcn.iter().enumerate() {
        *pcn_patients.entry(*code).or_default() += totals[i];
    }
    const ROLES: [(&str, u32, u32, u32); 9] = [
        // role, weight, synthetic annual cost range (£ thousands, incl. on-costs)
        ("clinical_pharmacist", 25, 52, 68),
        ("social_prescribing_link_worker", 14, 31, 38),
        ("care_coordinator", 14, 29, 36),
        ("pharmacy_technician", 10, 33, 41),
        ("first_contact_physiotherapist", 9, 60, 72),
        ("health_and_wellbeing_coach", 8, 34, 42),
        ("paramedic", 6, 55, 68),
        ("physician_associate", 7, 50, 62),
        ("mental_health_practitioner", 7, 48, 60),
    ];
    let weight_total: u32 = ROLES.iter().map(|r| r.1).sum();
    let mut staff = Vec::new();
    let mut weighted = BTreeMap::new();
    for (pcn, patients) in &pcn_patients {
        let factor = rng.random_range(92..=108);
        weighted.insert(*pcn, Decimal::from(*patients * factor) / Decimal::from(100));
        let posts = (*patients as f64 * 0.4 / 1000.0).round() as usize;
        for k in 0..posts {
            let mut pick = rng.random_range(0..weight_total);
            let role = ROLES
                .iter()
                .find(|r| {
                    if pick < r.1 {
                        true
                    } else {
                        pick -= r.1;
                        false
                    }
                })
                .unwrap_or(&ROLES[0]);
            let wte = [
                Decimal::ONE,
                Decimal::new(8, 1),
                Decimal::new(6, 1),
                Decimal::new(5, 1),
            ][rng.random_range(0..4)];
            let start = NaiveDate::from_ymd_opt(2020, 4, 1).unwrap_or(NaiveDate::MIN)
                + Days::new(rng.random_range(0..1800));
            let cost = Decimal::from(rng.random_range(role.2..=role.3) * 1000) * wte;
            let mut s = StaffMember::new(
                format!("{pcn}-{k:03}"),
                role.0,
                Wte::new(wte).unwrap_or(Wte::ONE),
                start,
                Money::from_pounds(cost),
            );
            s.pcn = Some(*pcn);
            s.area = Area::National;
            if rng.random_range(0..10) == 0 {
                s.end = Some(start + Days::new(rng.random_range(200..900)));
            }
            if role.0 == "mental_health_practitioner" {
                s.mental_health_provider_agreement = true;
            }
            staff.push(s);
        }
    }
    let assets = assets(&mut rng, &lsoas, p.extract_date);
    let appointments = appointments(seed, p, &totals);
    let yearly = yearly(seed, p, &totals);
    DemoHealth {
        lsoas,
        practice_points,
        practice_lsoa,
        conditions,
        admissions,
        staff,
        weighted,
        assets,
        appointments,
        yearly,
    }
}

/// The yearly measure per PCN: 45% of the patients in the denominator, 72% of them recorded
/// with ±0.4 points of noise, from its own random stream (so adding it changed no other
/// figure of the demo), and three planted trends (see [`DemoHealth::yearly`]).
fn yearly(seed: u64, p: &Practices<'_>, totals: &[u64]) -> Vec<YearlyMeasure> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7EA2_1E55_B10D);
    let mut patients: BTreeMap<PcnCode, u64> = BTreeMap::new();
    for (i, pcn) in p.pcn.iter().enumerate() {
        *patients.entry(*pcn).or_default() += totals.get(i).copied().unwrap_or_default();
    }
    // The financial year of the extract starts in April of its year or the one before.
    let y = p.extract_date.year() - i32::from(p.extract_date.month() < 4);
    let mut out = Vec::with_capacity(patients.len() * 5);
    for (k, (pcn, n)) in patients.iter().enumerate() {
        let denominator = (*n as f64 * 0.45).round() as u64;
        for t in 0..5i32 {
            let noise = rng.random_range(-0.004..0.004);
            let signal = match k {
                0 => 0.015 * f64::from(t),
                1 => -0.015 * f64::from(t),
                2 if t == 4 => 0.06,
                _ => 0.0,
            };
            let share = (0.72 + noise + signal).clamp(0.0, 1.0);
            out.push(YearlyMeasure {
                pcn: *pcn,
                year: y - 5 + t,
                numerator: (denominator as f64 * share).round() as u64,
                denominator,
            });
        }
    }
    out
}

/// Monthly appointments per PCN: about 0.4 a registered patient a month with ±3% noise, from
/// its own random stream (so adding them changed no other figure of the demo), and three
/// planted signals (see [`DemoHealth::appointments`]).
fn appointments(seed: u64, p: &Practices<'_>, totals: &[u64]) -> Vec<MonthlyAppointments> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xA990_1273_E475);
    let mut patients: BTreeMap<PcnCode, u64> = BTreeMap::new();
    for (i, pcn) in p.pcn.iter().enumerate() {
        *patients.entry(*pcn).or_default() += totals.get(i).copied().unwrap_or_default();
    }
    let Ok(now) = pcnkit_core::Month::of(p.extract_date) else {
        return Vec::new();
    };
    // The 24 months before the extract's month, oldest first.
    let mut first = now;
    for _ in 0..24 {
        first = first.previous();
    }
    let months: Vec<pcnkit_core::Month> = (0..24u32).map(|k| first.plus(k)).collect();
    let mut out = Vec::with_capacity(patients.len() * months.len());
    for (k, (pcn, n)) in patients.iter().enumerate() {
        for (m, month) in months.iter().enumerate() {
            let noise = 1.0 + rng.random_range(-0.03..0.03);
            let signal = match k {
                0 if m >= 12 => 1.12,
                1 if m >= 16 => 1.0 - 0.02 * (m - 15) as f64,
                2 if m == 18 => 0.6,
                _ => 1.0,
            };
            out.push(MonthlyAppointments {
                pcn: *pcn,
                month: *month,
                appointments: (*n as f64 * 0.4 * noise * signal).round() as u64,
            });
        }
    }
    out
}

/// About 2,000 assets, placed at LSOA centroids with a small scatter; provision thins a
/// little where deprivation is higher (the inverse care pattern the coverage view exists to
/// show).
fn assets(rng: &mut ChaCha8Rng, lsoas: &[DemoLsoa], today: NaiveDate) -> Vec<Asset> {
    const KINDS: [(AssetKind, u32, &[Need]); 11] = [
        (
            AssetKind::GreenSpace,
            14,
            &[Need::PhysicalActivity, Need::MentalWellbeing],
        ),
        (AssetKind::Leisure, 8, &[Need::PhysicalActivity]),
        (AssetKind::Library, 5, &[Need::Loneliness, Need::Employment]),
        (AssetKind::CommunityCentre, 12, &[Need::Loneliness]),
        (AssetKind::FaithGroup, 10, &[Need::Loneliness, Need::Food]),
        (
            AssetKind::VoluntaryService,
            12,
            &[Need::Carers, Need::MentalWellbeing],
        ),
        (
            AssetKind::PeerSupport,
            9,
            &[Need::MentalWellbeing, Need::Loneliness],
        ),
        (AssetKind::FoodSupport, 6, &[Need::Food, Need::Financial]),
        (
            AssetKind::Advice,
            6,
            &[Need::Financial, Need::Housing, Need::Employment],
        ),
        (
            AssetKind::ArtsAndCulture,
            8,
            &[Need::Loneliness, Need::MentalWellbeing],
        ),
        (AssetKind::Pharmacy, 10, &[]),
    ];
    let total: u32 = KINDS.iter().map(|k| k.1).sum();
    let mut out = Vec::new();
    if lsoas.is_empty() {
        return out;
    }
    let mut i = 0;
    while out.len() < 2_000 && i < 100_000 {
        i += 1;
        let l = &lsoas[rng.random_range(0..lsoas.len())];
        // Keep 55% of draws in decile 1 rising to 100% in decile 10.
        if rng.random_range(0..100) >= 50 + 5 * u32::from(l.imd_decile.get()) {
            continue;
        }
        let mut pick = rng.random_range(0..total);
        let (kind, _, needs) = KINDS
            .iter()
            .find(|k| {
                if pick < k.1 {
                    true
                } else {
                    pick -= k.1;
                    false
                }
            })
            .unwrap_or(&KINDS[0]);
        let n = out.len() + 1;
        let mut a = Asset::new(
            Source {
                name: "pcnkit demo register (synthetic)".into(),
                key: format!("DEMO-{n:05}"),
            },
            format!("{} {n} (synthetic)", kind_label(kind)),
            kind.clone(),
        );
        a.needs = needs.to_vec();
        if *kind == AssetKind::Pharmacy {
            // Every contractor had to reach Healthy Living Pharmacy level 1 by April 2020 (the
            // 2019 framework); some go further. Set without drawing, so the rest of the demo
            // is unchanged.
            a.hlp_level = Some(if n % 5 == 0 {
                HealthyLivingPharmacy::Level2
            } else {
                HealthyLivingPharmacy::Level1
            });
        }
        a.location.point = Some(offset(
            l.centroid,
            rng.random_range(0.0..500.0),
            rng.random_range(0.0..std::f64::consts::TAU),
        ));
        a.location.lsoa = Some(l.code);
        a.location.town = Some("Demo town (synthetic)".into());
        let opens = rng.random_range(8..=18u32);
        let hours = rng.random_range(1..=4u32);
        let days: Vec<Weekday> = Weekday::ALL
            .iter()
            .copied()
            .filter(|_| rng.random_range(0..3) == 0)
            .collect();
        if !days.is_empty()
            && let (Some(o), Some(c)) = (
                chrono::NaiveTime::from_hms_opt(opens, 0, 0),
                chrono::NaiveTime::from_hms_opt((opens + hours).min(23), 0, 0),
            )
            && let Ok(s) = Schedule::weekly(days, o, c)
        {
            a.schedules.push(s);
        }
        a.referral = if rng.random_range(0..3) == 0 {
            vec![ReferralRoute::LinkWorker]
        } else {
            vec![ReferralRoute::SelfReferral, ReferralRoute::LinkWorker]
        };
        a.last_verified = today.checked_sub_days(Days::new(rng.random_range(0..900)));
        out.push(a);
    }
    out
}

fn kind_label(k: &AssetKind) -> &'static str {
    match k {
        AssetKind::GreenSpace => "Green space",
        AssetKind::Leisure => "Leisure centre",
        AssetKind::Library => "Library",
        AssetKind::CommunityCentre => "Community centre",
        AssetKind::FaithGroup => "Faith group",
        AssetKind::VoluntaryService => "Voluntary service",
        AssetKind::PeerSupport => "Peer support group",
        AssetKind::FoodSupport => "Food support",
        AssetKind::Advice => "Advice service",
        AssetKind::ArtsAndCulture => "Arts group",
        AssetKind::Pharmacy => "Pharmacy",
        _ => "Asset",
    }
}
