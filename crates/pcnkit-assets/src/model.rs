//! The asset model: what a link worker needs to know to send someone somewhere.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use pcnkit_core::{LsoaCode, Postcode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AssetError;

/// The namespace of pcnkit asset ids (UUID v5 of `pcnkit.assets` in the URL namespace), so an
/// asset's id is a pure function of its stable key and re-imports keep identity.
pub const ASSET_NAMESPACE: Uuid = Uuid::from_bytes([
    0x5c, 0x0b, 0x2e, 0x4d, 0x9a, 0x61, 0x5f, 0x1e, 0x8d, 0x32, 0x6b, 0x7a, 0x10, 0x44, 0xe2, 0x9f,
]);

/// A stable asset id: UUID v5 of the source and its record key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AssetId(pub Uuid);

impl AssetId {
    /// The id of the record `key` from `source` (e.g. a council directory and its row id).
    pub fn from_key(source: &str, key: &str) -> Self {
        AssetId(Uuid::new_v5(
            &ASSET_NAMESPACE,
            format!("{source}\u{1f}{key}").as_bytes(),
        ))
    }

    /// A derived id for a part of an asset (its location, a schedule) in HSDS documents.
    pub fn part(&self, what: &str) -> Uuid {
        Uuid::new_v5(&self.0, what.as_bytes())
    }
}

impl fmt::Display for AssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for AssetId {
    type Err = AssetError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s)
            .map(AssetId)
            .map_err(|e| AssetError::invalid("id", format!("{s:?} is not a UUID: {e}")))
    }
}

/// What kind of asset: the categories social prescribers use. `Other` holds a user's own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AssetKind {
    /// Parks, gardens, allotments, nature reserves.
    GreenSpace,
    /// Leisure centres, gyms, pools, sports clubs.
    Leisure,
    /// Public libraries.
    Library,
    /// Community centres and halls.
    CommunityCentre,
    /// Faith groups and places of worship with community activities.
    FaithGroup,
    /// Voluntary and community sector services.
    VoluntaryService,
    /// Peer support groups.
    PeerSupport,
    /// Food banks, community fridges, lunch clubs.
    FoodSupport,
    /// Debt, benefits, housing or employment advice.
    Advice,
    /// Arts, music, heritage and culture.
    ArtsAndCulture,
    /// Community pharmacies.
    Pharmacy,
    /// A kind the user defines.
    Other(String),
}

impl AssetKind {
    /// Every built-in kind.
    pub const BUILT_IN: [AssetKind; 11] = [
        AssetKind::GreenSpace,
        AssetKind::Leisure,
        AssetKind::Library,
        AssetKind::CommunityCentre,
        AssetKind::FaithGroup,
        AssetKind::VoluntaryService,
        AssetKind::PeerSupport,
        AssetKind::FoodSupport,
        AssetKind::Advice,
        AssetKind::ArtsAndCulture,
        AssetKind::Pharmacy,
    ];

    /// The code used in files and taxonomy terms (`green_space`, …; a user kind as given).
    pub fn code(&self) -> &str {
        match self {
            AssetKind::GreenSpace => "green_space",
            AssetKind::Leisure => "leisure",
            AssetKind::Library => "library",
            AssetKind::CommunityCentre => "community_centre",
            AssetKind::FaithGroup => "faith_group",
            AssetKind::VoluntaryService => "voluntary_service",
            AssetKind::PeerSupport => "peer_support",
            AssetKind::FoodSupport => "food_support",
            AssetKind::Advice => "advice",
            AssetKind::ArtsAndCulture => "arts_and_culture",
            AssetKind::Pharmacy => "pharmacy",
            AssetKind::Other(s) => s,
        }
    }

    /// A kind from its code; unknown codes are an error unless `allow_custom` (then `Other`).
    pub fn parse(code: &str, allow_custom: bool) -> Result<Self, AssetError> {
        let norm = code.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        if let Some(k) = Self::BUILT_IN.iter().find(|k| k.code() == norm) {
            return Ok(k.clone());
        }
        match norm.as_str() {
            "park" | "greenspace" | "allotment" => Ok(AssetKind::GreenSpace),
            "community_hall" | "hall" => Ok(AssetKind::CommunityCentre),
            "food_bank" | "foodbank" => Ok(AssetKind::FoodSupport),
            "arts" | "culture" => Ok(AssetKind::ArtsAndCulture),
            "community_pharmacy" => Ok(AssetKind::Pharmacy),
            _ if allow_custom && !norm.is_empty() => Ok(AssetKind::Other(code.trim().to_owned())),
            _ => Err(AssetError::invalid(
                "kind",
                format!(
                    "unknown asset kind {code:?} (known: {})",
                    Self::BUILT_IN.map(|k| k.code().to_owned()).join(", ")
                ),
            )),
        }
    }
}

/// A Healthy Living Pharmacy level (community pharmacies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum HealthyLivingPharmacy {
    /// HLP level 1 (the level in the 2020 Pharmacy Quality Scheme).
    Level1,
    /// HLP level 2.
    Level2,
    /// HLP level 3.
    Level3,
}

/// A social-prescribing need an asset serves. `Other` holds a user's own theme.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Need {
    /// Loneliness and social isolation.
    Loneliness,
    /// Physical activity.
    PhysicalActivity,
    /// Mental wellbeing.
    MentalWellbeing,
    /// Money, debt and benefits.
    Financial,
    /// Housing.
    Housing,
    /// Employment, skills and volunteering.
    Employment,
    /// Food and nutrition.
    Food,
    /// Carers' support.
    Carers,
    /// A theme the user defines.
    Other(String),
}

impl Need {
    /// Every built-in need.
    pub const BUILT_IN: [Need; 8] = [
        Need::Loneliness,
        Need::PhysicalActivity,
        Need::MentalWellbeing,
        Need::Financial,
        Need::Housing,
        Need::Employment,
        Need::Food,
        Need::Carers,
    ];

    /// The code (`loneliness`, `physical_activity`, …).
    pub fn code(&self) -> &str {
        match self {
            Need::Loneliness => "loneliness",
            Need::PhysicalActivity => "physical_activity",
            Need::MentalWellbeing => "mental_wellbeing",
            Need::Financial => "financial",
            Need::Housing => "housing",
            Need::Employment => "employment",
            Need::Food => "food",
            Need::Carers => "carers",
            Need::Other(s) => s,
        }
    }

    /// A need from its code; unknown codes become `Other`.
    pub fn parse(code: &str) -> Self {
        let norm = code.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Self::BUILT_IN
            .iter()
            .find(|n| n.code() == norm)
            .cloned()
            .unwrap_or_else(|| Need::Other(code.trim().to_owned()))
    }
}

/// Who may attend.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    /// Youngest age, years.
    pub min_age: Option<u8>,
    /// Oldest age, years.
    pub max_age: Option<u8>,
    /// Who it is for, in words ("carers", "women", "people with dementia and their families").
    pub eligibility: Option<String>,
}

impl Audience {
    /// The oldest age any importer accepts, in years: a larger figure is a data error.
    pub const MAX_AGE: u8 = 130;

    /// An age in years as the importers accept it: a whole number from 0 to
    /// [`MAX_AGE`](Self::MAX_AGE), else `None` (every importer reports that as an error, so a
    /// value one format accepts cannot be one another refuses).
    pub fn age_in_years(x: f64) -> Option<u8> {
        (x.fract() == 0.0 && (0.0..=f64::from(Self::MAX_AGE)).contains(&x)).then_some(x as u8)
    }

    /// Whether a person of `age` may attend.
    pub fn admits(&self, age: u8) -> bool {
        self.min_age.is_none_or(|m| age >= m) && self.max_age.is_none_or(|m| age <= m)
    }
}

/// A WGS84 point, validated: latitude in [-90, 90], longitude in [-180, 180].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "(f64, f64)", into = "(f64, f64)")]
pub struct GeoPoint {
    lat: f64,
    lon: f64,
}

impl GeoPoint {
    /// A point from latitude and longitude in decimal degrees.
    pub fn new(lat: f64, lon: f64) -> Result<Self, AssetError> {
        if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(AssetError::invalid(
                "latitude",
                format!("{lat} is outside -90 to 90"),
            ));
        }
        if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
            return Err(AssetError::invalid(
                "longitude",
                format!("{lon} is outside -180 to 180"),
            ));
        }
        Ok(GeoPoint { lat, lon })
    }

    /// Latitude, degrees.
    pub fn lat(&self) -> f64 {
        self.lat
    }

    /// Longitude, degrees.
    pub fn lon(&self) -> f64 {
        self.lon
    }

    /// Great-circle distance in metres (haversine, mean Earth radius 6,371,008.8 m).
    pub fn distance_m(&self, other: &GeoPoint) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }

    /// The point on the unit sphere: chord distance orders points exactly as great-circle
    /// distance does, so a 3-D R-tree gives true nearest neighbours.
    pub(crate) fn unit_vector(&self) -> [f64; 3] {
        let (phi, lambda) = (self.lat.to_radians(), self.lon.to_radians());
        [
            phi.cos() * lambda.cos(),
            phi.cos() * lambda.sin(),
            phi.sin(),
        ]
    }
}

/// Mean Earth radius (IUGG), metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

impl TryFrom<(f64, f64)> for GeoPoint {
    type Error = AssetError;
    fn try_from((lat, lon): (f64, f64)) -> Result<Self, Self::Error> {
        GeoPoint::new(lat, lon)
    }
}

impl From<GeoPoint> for (f64, f64) {
    fn from(p: GeoPoint) -> Self {
        (p.lat, p.lon)
    }
}

/// Where an asset is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Address lines (building, street).
    pub address: Vec<String>,
    /// Town or city.
    pub town: Option<String>,
    /// Postcode.
    pub postcode: Option<Postcode>,
    /// WGS84 point.
    pub point: Option<GeoPoint>,
    /// The LSOA the asset is in, when known.
    pub lsoa: Option<LsoaCode>,
    /// Unique Property Reference Number, when known.
    pub uprn: Option<String>,
}

/// A day of the week (HSDS `byday` codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Weekday {
    /// Monday.
    MO,
    /// Tuesday.
    TU,
    /// Wednesday.
    WE,
    /// Thursday.
    TH,
    /// Friday.
    FR,
    /// Saturday.
    SA,
    /// Sunday.
    SU,
}

impl Weekday {
    /// All days, Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::MO,
        Weekday::TU,
        Weekday::WE,
        Weekday::TH,
        Weekday::FR,
        Weekday::SA,
        Weekday::SU,
    ];

    /// From chrono's weekday.
    pub fn of(day: chrono::Weekday) -> Self {
        Self::ALL[day.num_days_from_monday() as usize]
    }

    /// The two-letter code.
    pub fn code(self) -> &'static str {
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][self as usize]
    }

    /// From a two-letter code or a day name (`Mon`, `monday`).
    pub fn parse(s: &str) -> Result<Self, AssetError> {
        let t = s.trim().to_ascii_uppercase();
        let i = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
            .iter()
            .position(|d| t.starts_with(d))
            .ok_or_else(|| AssetError::invalid("byday", format!("{s:?} is not a day")))?;
        Ok(Self::ALL[i])
    }
}

/// How often a schedule recurs (HSDS `freq`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Recurrence {
    /// On these days every week.
    Weekly(Vec<Weekday>),
    /// On the n-th such day of each month (1 = first, -1 = last), e.g. (1, MO) first Monday.
    Monthly(Vec<(i8, Weekday)>),
}

/// One opening rule: days, hours, and the dates it is valid between (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// Which days.
    pub recurrence: Recurrence,
    /// Opening time.
    pub opens_at: NaiveTime,
    /// Closing time (after opening).
    pub closes_at: NaiveTime,
    /// First day the rule applies.
    pub valid_from: Option<NaiveDate>,
    /// Last day the rule applies.
    pub valid_to: Option<NaiveDate>,
    /// Notes ("term time only").
    pub description: Option<String>,
}

impl Schedule {
    /// A weekly rule, checked: closing after opening.
    pub fn weekly(
        days: Vec<Weekday>,
        opens_at: NaiveTime,
        closes_at: NaiveTime,
    ) -> Result<Self, AssetError> {
        let s = Schedule {
            recurrence: Recurrence::Weekly(days),
            opens_at,
            closes_at,
            valid_from: None,
            valid_to: None,
            description: None,
        };
        s.check()?;
        Ok(s)
    }

    /// Checks the rule: opening before closing, valid_from not after valid_to, monthly
    /// positions in -5..=5 and not 0.
    pub fn check(&self) -> Result<(), AssetError> {
        if self.closes_at <= self.opens_at {
            return Err(AssetError::invalid(
                "closes_at",
                format!(
                    "closing time {} is not after opening time {}",
                    self.closes_at, self.opens_at
                ),
            ));
        }
        if let (Some(f), Some(t)) = (self.valid_from, self.valid_to)
            && f > t
        {
            return Err(AssetError::invalid(
                "valid_to",
                format!("valid_to {t} is before valid_from {f}"),
            ));
        }
        if let Recurrence::Monthly(v) = &self.recurrence
            && v.iter().any(|(n, _)| *n == 0 || !(-5..=5).contains(n))
        {
            return Err(AssetError::invalid(
                "byday",
                "monthly positions must be 1 to 5 or -1 to -5".to_owned(),
            ));
        }
        Ok(())
    }

    /// Whether the rule has the asset open at `at` (local time).
    pub fn is_open_at(&self, at: NaiveDateTime) -> bool {
        let date = at.date();
        if self.valid_from.is_some_and(|f| date < f) || self.valid_to.is_some_and(|t| date > t) {
            return false;
        }
        let time = at.time();
        if time < self.opens_at || time >= self.closes_at {
            return false;
        }
        use chrono::Datelike;
        let day = Weekday::of(date.weekday());
        match &self.recurrence {
            Recurrence::Weekly(days) => days.contains(&day),
            Recurrence::Monthly(rules) => rules.iter().any(|&(n, d)| {
                if d != day {
                    return false;
                }
                let dom = date.day() as i32;
                let from_start = (dom - 1) / 7 + 1;
                let days_in_month = days_in_month(date);
                let from_end = -((days_in_month as i32 - dom) / 7 + 1);
                i32::from(n) == from_start || i32::from(n) == from_end
            }),
        }
    }

    /// The HSDS `byday` text (`MO,TU` or `1MO,-1FR`).
    pub fn byday(&self) -> String {
        match &self.recurrence {
            Recurrence::Weekly(days) => days.iter().map(|d| d.code()).collect::<Vec<_>>().join(","),
            Recurrence::Monthly(rules) => rules
                .iter()
                .map(|(n, d)| format!("{n}{}", d.code()))
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    /// Parses HSDS `freq` and `byday`.
    pub fn parse_recurrence(freq: &str, byday: &str) -> Result<Recurrence, AssetError> {
        let parts = byday.split(',').map(str::trim).filter(|p| !p.is_empty());
        match freq.trim().to_ascii_uppercase().as_str() {
            "WEEKLY" => Ok(Recurrence::Weekly(
                parts.map(Weekday::parse).collect::<Result<_, _>>()?,
            )),
            "MONTHLY" => Ok(Recurrence::Monthly(
                parts
                    .map(|p| {
                        let split = p.len().saturating_sub(2);
                        let (n, d) = (p.get(..split).unwrap_or(""), p.get(split..).unwrap_or(""));
                        let n: i8 = n.parse().map_err(|_| {
                            AssetError::invalid(
                                "byday",
                                format!("{p:?} needs a position, e.g. 1MO"),
                            )
                        })?;
                        Ok((n, Weekday::parse(d)?))
                    })
                    .collect::<Result<_, AssetError>>()?,
            )),
            other => Err(AssetError::invalid(
                "freq",
                format!("{other:?} is not WEEKLY or MONTHLY"),
            )),
        }
    }
}

fn days_in_month(date: NaiveDate) -> u32 {
    use chrono::Datelike;
    let (y, m) = (date.year(), date.month());
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|n| n.pred_opt())
        .map(|d| d.day())
        .unwrap_or(28)
}

/// What it costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cost {
    /// Amount in pounds per unit (0 for free).
    pub amount: pcnkit_core::Money,
    /// The unit and conditions ("per session", "over 60s").
    pub description: Option<String>,
}

impl Cost {
    /// The largest cost per use any importer accepts, in pounds: a community asset charging
    /// more is a data error (and HSDS carries amounts as JSON numbers, exact only well inside
    /// this range).
    pub const MAX_POUNDS: i64 = 100_000;

    /// An amount as every importer accepts it: from £0 to [`MAX_POUNDS`](Self::MAX_POUNDS),
    /// to the penny; otherwise why not.
    pub fn check_amount(amount: pcnkit_core::Money) -> Result<pcnkit_core::Money, String> {
        if amount.is_negative() {
            return Err("a cost cannot be negative".to_owned());
        }
        if amount.pounds() > rust_decimal::Decimal::from(Self::MAX_POUNDS) {
            return Err(format!(
                "{} is not a plausible cost per use (more than £{})",
                amount.pounds(),
                Self::MAX_POUNDS
            ));
        }
        if amount.pounds().normalize().scale() > 2 {
            return Err(format!("{} is not to the penny", amount.pounds()));
        }
        Ok(amount)
    }
}

/// How to get in touch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Contact name.
    pub name: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Website.
    pub website: Option<String>,
}

/// How a person gets there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReferralRoute {
    /// Anyone can turn up or get in touch.
    SelfReferral,
    /// Through a social prescribing link worker.
    LinkWorker,
    /// Through a GP or other clinician.
    Clinician,
}

impl ReferralRoute {
    /// The code (`self_referral`, `link_worker`, `clinician`).
    pub fn code(self) -> &'static str {
        match self {
            ReferralRoute::SelfReferral => "self_referral",
            ReferralRoute::LinkWorker => "link_worker",
            ReferralRoute::Clinician => "clinician",
        }
    }

    /// From the code, or an error naming the field.
    pub fn parse(s: &str) -> Result<Self, AssetError> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "self_referral" | "self" | "drop_in" => Ok(ReferralRoute::SelfReferral),
            "link_worker" | "social_prescriber" => Ok(ReferralRoute::LinkWorker),
            "clinician" | "gp" => Ok(ReferralRoute::Clinician),
            _ => Err(AssetError::invalid(
                "referral",
                format!("{s:?} is not self_referral, link_worker or clinician"),
            )),
        }
    }
}

/// Whether an asset is running (HSDS service status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AssetStatus {
    /// Running.
    #[default]
    Active,
    /// Not running for now.
    Inactive,
    /// Closed temporarily.
    TemporarilyClosed,
    /// Closed for good.
    Defunct,
}

impl AssetStatus {
    /// The HSDS status text.
    pub fn code(self) -> &'static str {
        match self {
            AssetStatus::Active => "active",
            AssetStatus::Inactive => "inactive",
            AssetStatus::TemporarilyClosed => "temporarily closed",
            AssetStatus::Defunct => "defunct",
        }
    }

    /// From the HSDS status text.
    pub fn parse(s: &str) -> Result<Self, AssetError> {
        match s.trim().to_ascii_lowercase().replace('_', " ").as_str() {
            "active" => Ok(AssetStatus::Active),
            "inactive" => Ok(AssetStatus::Inactive),
            "temporarily closed" => Ok(AssetStatus::TemporarilyClosed),
            "defunct" => Ok(AssetStatus::Defunct),
            _ => Err(AssetError::invalid(
                "status",
                format!("{s:?} is not active, inactive, temporarily closed or defunct"),
            )),
        }
    }
}

/// The organisation that runs an asset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// Name.
    pub name: String,
    /// Registered charity number (England and Wales), when known.
    pub charity_number: Option<String>,
    /// Companies House number, when known.
    pub company_number: Option<String>,
}

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The source (a directory, a spreadsheet, a feed URL).
    pub name: String,
    /// The record's key in that source.
    pub key: String,
}

/// A community asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Asset {
    /// Stable id (UUID v5 of the source and key).
    pub id: AssetId,
    /// Name.
    pub name: String,
    /// What it is and what happens there.
    pub description: Option<String>,
    /// Who runs it.
    pub owner: Option<Owner>,
    /// What kind.
    pub kind: AssetKind,
    /// Healthy Living Pharmacy level (pharmacies).
    pub hlp_level: Option<HealthyLivingPharmacy>,
    /// Social-prescribing needs it serves.
    pub needs: Vec<Need>,
    /// Who may attend.
    pub audience: Audience,
    /// Where it is.
    pub location: Location,
    /// When it is open.
    pub schedules: Vec<Schedule>,
    /// What it costs (none known: `None`; free: an amount of 0).
    pub cost: Option<Cost>,
    /// Accessibility notes ("step-free access", "hearing loop").
    pub accessibility: Vec<String>,
    /// Contact details.
    pub contact: Contact,
    /// How people are referred.
    pub referral: Vec<ReferralRoute>,
    /// Running or not.
    pub status: AssetStatus,
    /// When the record was last checked with the asset.
    pub last_verified: Option<NaiveDate>,
    /// Where the record came from.
    pub source: Source,
}

impl Asset {
    /// An asset with the fields every asset has; the id is derived from the source and key.
    pub fn new(source: Source, name: impl Into<String>, kind: AssetKind) -> Self {
        Asset {
            id: AssetId::from_key(&source.name, &source.key),
            name: name.into(),
            description: None,
            owner: None,
            kind,
            hlp_level: None,
            needs: Vec::new(),
            audience: Audience::default(),
            location: Location::default(),
            schedules: Vec::new(),
            cost: None,
            accessibility: Vec::new(),
            contact: Contact::default(),
            referral: Vec::new(),
            status: AssetStatus::Active,
            last_verified: None,
            source,
        }
    }

    /// Whether any schedule has it open at `at` (and it is active).
    pub fn is_open_at(&self, at: NaiveDateTime) -> bool {
        self.status == AssetStatus::Active && self.schedules.iter().any(|s| s.is_open_at(at))
    }

    /// Checks the asset: a name, valid schedules, ages in order.
    pub fn check(&self) -> Result<(), AssetError> {
        if self.name.trim().is_empty() {
            return Err(AssetError::invalid(
                "name",
                "an asset needs a name".to_owned(),
            ));
        }
        for s in &self.schedules {
            s.check()?;
        }
        if let (Some(a), Some(b)) = (self.audience.min_age, self.audience.max_age)
            && a > b
        {
            return Err(AssetError::invalid(
                "maximum_age",
                format!("maximum age {b} is below minimum age {a}"),
            ));
        }
        Ok(())
    }
}
