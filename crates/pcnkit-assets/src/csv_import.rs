//! The spreadsheets people actually keep: CSV with columns named by a small mapping, one
//! typed error per bad row (naming the row and column), good rows kept.
//!
//! Opening hours are written `Mon-Fri 09:00-17:00; Sat 10:00-12:00; 1st Tue 18:00-20:00`
//! (days, ranges or comma lists; `1st`…`5th`/`last` for monthly rules). Lists (needs,
//! accessibility, referral routes) are separated by `;`.

use std::io::Read;

use pcnkit_core::{LsoaCode, Money, Postcode};
use serde::{Deserialize, Serialize};

use crate::error::AssetError;
use crate::hsds::Imported;
use crate::model::{
    Asset, AssetKind, AssetStatus, Cost, GeoPoint, HealthyLivingPharmacy, Need, Owner, Recurrence,
    ReferralRoute, Schedule, Source, Weekday,
};

/// Which column holds each field (by header name). `key`, `name` and `kind` are required;
/// the rest are optional (`None`: not in the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CsvMapping {
    /// The name of the feed (the spreadsheet's owner and purpose): an asset's id is derived
    /// from it and the `key` column, so next month's spreadsheet of the same feed updates the
    /// same assets. `None` uses the `source` given to [`read_csv`].
    pub feed: Option<String>,
    /// The record's stable key in the spreadsheet (an id column).
    pub key: String,
    /// Name.
    pub name: String,
    /// Kind (an [`AssetKind`] code or common synonym).
    pub kind: String,
    /// Accept kinds that are not built in (as `AssetKind::Other`).
    pub allow_custom_kinds: bool,
    /// Description.
    pub description: Option<String>,
    /// Owner organisation name.
    pub owner: Option<String>,
    /// Charity number.
    pub charity_number: Option<String>,
    /// Needs, `;`-separated.
    pub needs: Option<String>,
    /// Minimum age.
    pub min_age: Option<String>,
    /// Maximum age.
    pub max_age: Option<String>,
    /// Eligibility text.
    pub eligibility: Option<String>,
    /// Address (one line, or lines separated by `;`).
    pub address: Option<String>,
    /// Town.
    pub town: Option<String>,
    /// Postcode.
    pub postcode: Option<String>,
    /// Latitude.
    pub latitude: Option<String>,
    /// Longitude.
    pub longitude: Option<String>,
    /// LSOA code.
    pub lsoa: Option<String>,
    /// Opening hours.
    pub opening_hours: Option<String>,
    /// Cost in pounds (`0` or `free` for free).
    pub cost: Option<String>,
    /// Accessibility notes, `;`-separated.
    pub accessibility: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Referral routes, `;`-separated.
    pub referral: Option<String>,
    /// Status.
    pub status: Option<String>,
    /// Last verified date (YYYY-MM-DD or DD/MM/YYYY).
    pub last_verified: Option<String>,
    /// Healthy Living Pharmacy level (1, 2 or 3).
    pub hlp_level: Option<String>,
}

impl Default for CsvMapping {
    /// Every field under its own name (`key`, `name`, `kind`, `description`, …).
    fn default() -> Self {
        let some = |s: &str| Some(s.to_owned());
        CsvMapping {
            key: "key".into(),
            name: "name".into(),
            kind: "kind".into(),
            allow_custom_kinds: false,
            feed: None,
            description: some("description"),
            owner: some("owner"),
            charity_number: some("charity_number"),
            needs: some("needs"),
            min_age: some("min_age"),
            max_age: some("max_age"),
            eligibility: some("eligibility"),
            address: some("address"),
            town: some("town"),
            postcode: some("postcode"),
            latitude: some("latitude"),
            longitude: some("longitude"),
            lsoa: some("lsoa"),
            opening_hours: some("opening_hours"),
            cost: some("cost"),
            accessibility: some("accessibility"),
            email: some("email"),
            phone: some("phone"),
            website: some("website"),
            referral: some("referral"),
            status: some("status"),
            last_verified: some("last_verified"),
            hlp_level: some("hlp_level"),
        }
    }
}

/// Parses opening hours (`Mon-Fri 09:00-17:00; Sat 10:00-12:00; 1st Tue 18:00-20:00`).
pub fn parse_opening_hours(text: &str) -> Result<Vec<Schedule>, AssetError> {
    let mut out = Vec::new();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (days, hours) = part.rsplit_once(' ').ok_or_else(|| {
            AssetError::invalid(
                "opening_hours",
                format!("{part:?} should look like \"Mon-Fri 09:00-17:00\""),
            )
        })?;
        let (open, close) = hours.split_once('-').ok_or_else(|| {
            AssetError::invalid("opening_hours", format!("{hours:?} should be HH:MM-HH:MM"))
        })?;
        let t = |s: &str| {
            chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| {
                AssetError::invalid("opening_hours", format!("{s:?} is not a time (HH:MM)"))
            })
        };
        let (opens_at, closes_at) = (t(open)?, t(close)?);
        let days = days.trim();
        let ordinal = ["1st", "2nd", "3rd", "4th", "5th", "last"]
            .iter()
            .position(|o| days.to_ascii_lowercase().starts_with(o));
        let recurrence = match ordinal {
            Some(i) => {
                let rest = days
                    .get(days.find(' ').unwrap_or(days.len())..)
                    .unwrap_or("");
                let day = Weekday::parse(rest)?;
                let n = if i == 5 { -1 } else { i as i8 + 1 };
                Recurrence::Monthly(vec![(n, day)])
            }
            None => {
                let mut list = Vec::new();
                for piece in days.split(',').map(str::trim) {
                    match piece.split_once('-') {
                        Some((a, b)) => {
                            let (a, b) = (Weekday::parse(a)? as usize, Weekday::parse(b)? as usize);
                            if a > b {
                                return Err(AssetError::invalid(
                                    "opening_hours",
                                    format!("day range {piece:?} runs backwards"),
                                ));
                            }
                            list.extend(Weekday::ALL.get(a..=b).unwrap_or_default());
                        }
                        None => list.push(Weekday::parse(piece)?),
                    }
                }
                Recurrence::Weekly(list)
            }
        };
        let s = Schedule {
            recurrence,
            opens_at,
            closes_at,
            valid_from: None,
            valid_to: None,
            description: None,
        };
        s.check()?;
        out.push(s);
    }
    Ok(out)
}

fn list(s: &str) -> impl Iterator<Item = &str> {
    s.split(';').map(str::trim).filter(|x| !x.is_empty())
}

/// Reads a CSV register. `source` names the spreadsheet (it becomes part of every id).
pub fn read_csv(
    reader: impl Read,
    source: &str,
    mapping: &CsvMapping,
) -> Result<Imported, AssetError> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| AssetError::Input {
            source_name: source.to_owned(),
            location: "header".to_owned(),
            problem: e.to_string(),
        })?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    for required in [&mapping.key, &mapping.name, &mapping.kind] {
        if col(required).is_none() {
            return Err(AssetError::Input {
                source_name: source.to_owned(),
                location: "header".to_owned(),
                problem: format!("missing column {required:?}"),
            });
        }
    }
    let opt = |c: &Option<String>| c.as_deref().and_then(col);
    let mut out = Imported::default();
    for (i, record) in csv.records().enumerate() {
        let row = i + 2; // 1-based, after the header
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(AssetError::Input {
                    source_name: source.to_owned(),
                    location: format!("row {row}"),
                    problem: e.to_string(),
                });
                continue;
            }
        };
        let get = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let fail = |column: &str, problem: String| AssetError::Input {
            source_name: source.to_owned(),
            location: format!("row {row}, column {column}"),
            problem,
        };
        let build = || -> Result<Asset, AssetError> {
            let key = get(col(&mapping.key))
                .ok_or_else(|| fail(&mapping.key, "a key is required".to_owned()))?;
            let name = get(col(&mapping.name))
                .ok_or_else(|| fail(&mapping.name, "a name is required".to_owned()))?;
            let kind_text = get(col(&mapping.kind))
                .ok_or_else(|| fail(&mapping.kind, "a kind is required".to_owned()))?;
            let kind = AssetKind::parse(kind_text, mapping.allow_custom_kinds)
                .map_err(|e| fail(&mapping.kind, e.to_string()))?;
            let mut a = Asset::new(
                Source {
                    name: mapping.feed.as_deref().unwrap_or(source).to_owned(),
                    key: key.to_owned(),
                },
                name,
                kind,
            );
            let name_of = |c: &Option<String>| c.clone().unwrap_or_default();
            a.description = get(opt(&mapping.description)).map(str::to_owned);
            if let Some(owner) = get(opt(&mapping.owner)) {
                a.owner = Some(Owner {
                    name: owner.to_owned(),
                    charity_number: get(opt(&mapping.charity_number)).map(str::to_owned),
                    company_number: None,
                });
            }
            if let Some(n) = get(opt(&mapping.needs)) {
                a.needs = list(n).map(Need::parse).collect();
            }
            let age = |c: &Option<String>| -> Result<Option<u8>, AssetError> {
                get(opt(c))
                    .map(|s| {
                        s.trim()
                            .parse::<f64>()
                            .ok()
                            .and_then(crate::model::Audience::age_in_years)
                            .ok_or_else(|| {
                                fail(&name_of(c), format!("{s:?} is not an age in years"))
                            })
                    })
                    .transpose()
            };
            a.audience.min_age = age(&mapping.min_age)?;
            a.audience.max_age = age(&mapping.max_age)?;
            a.audience.eligibility = get(opt(&mapping.eligibility)).map(str::to_owned);
            if let Some(addr) = get(opt(&mapping.address)) {
                a.location.address = list(addr).map(str::to_owned).collect();
            }
            a.location.town = get(opt(&mapping.town)).map(str::to_owned);
            a.location.postcode = get(opt(&mapping.postcode))
                .map(|p| {
                    p.parse::<Postcode>()
                        .map_err(|e| fail(&name_of(&mapping.postcode), e.to_string()))
                })
                .transpose()?;
            let num = |c: &Option<String>| -> Result<Option<f64>, AssetError> {
                get(opt(c))
                    .map(|s| {
                        s.parse::<f64>()
                            .map_err(|_| fail(&name_of(c), format!("{s:?} is not a number")))
                    })
                    .transpose()
            };
            match (num(&mapping.latitude)?, num(&mapping.longitude)?) {
                (Some(lat), Some(lon)) => {
                    a.location.point = Some(
                        GeoPoint::new(lat, lon)
                            .map_err(|e| fail("latitude/longitude", e.to_string()))?,
                    )
                }
                (None, None) => {}
                _ => {
                    return Err(fail(
                        "latitude/longitude",
                        "give both latitude and longitude, or neither".to_owned(),
                    ));
                }
            }
            a.location.lsoa = get(opt(&mapping.lsoa))
                .map(|l| {
                    l.parse::<LsoaCode>()
                        .map_err(|e| fail(&name_of(&mapping.lsoa), e.to_string()))
                })
                .transpose()?;
            if let Some(h) = get(opt(&mapping.opening_hours)) {
                a.schedules = parse_opening_hours(h)
                    .map_err(|e| fail(&name_of(&mapping.opening_hours), e.to_string()))?;
            }
            if let Some(c) = get(opt(&mapping.cost)) {
                let (amount, description) = match c.to_ascii_lowercase().as_str() {
                    "free" => (Money::ZERO, None),
                    _ => {
                        let (num, rest) = c
                            .trim_start_matches('£')
                            .split_once(' ')
                            .map(|(n, r)| (n, Some(r.trim().to_owned())))
                            .unwrap_or((c.trim_start_matches('£'), None));
                        let amount: Money = num.parse().map_err(|_| {
                            fail(
                                &name_of(&mapping.cost),
                                format!("{c:?} is not an amount in pounds"),
                            )
                        })?;
                        let amount = Cost::check_amount(amount)
                            .map_err(|e| fail(&name_of(&mapping.cost), e))?;
                        (amount, rest)
                    }
                };
                a.cost = Some(Cost {
                    amount,
                    description,
                });
            }
            if let Some(x) = get(opt(&mapping.accessibility)) {
                a.accessibility = list(x).map(str::to_owned).collect();
            }
            a.contact.email = get(opt(&mapping.email)).map(str::to_owned);
            a.contact.phone = get(opt(&mapping.phone)).map(str::to_owned);
            a.contact.website = get(opt(&mapping.website)).map(str::to_owned);
            if let Some(r) = get(opt(&mapping.referral)) {
                a.referral = list(r)
                    .map(ReferralRoute::parse)
                    .collect::<Result<_, _>>()
                    .map_err(|e| fail(&name_of(&mapping.referral), e.to_string()))?;
            }
            if let Some(s) = get(opt(&mapping.status)) {
                a.status = AssetStatus::parse(s)
                    .map_err(|e| fail(&name_of(&mapping.status), e.to_string()))?;
            }
            a.last_verified = get(opt(&mapping.last_verified))
                .map(|d| {
                    pcnkit_core::parse_nhs_date(d)
                        .ok()
                        .filter(|_| d.trim().len() == 10)
                        .ok_or(())
                        .map_err(|()| {
                            fail(
                                &name_of(&mapping.last_verified),
                                format!("{d:?} is not a date (YYYY-MM-DD or DD/MM/YYYY)"),
                            )
                        })
                })
                .transpose()?;
            a.hlp_level = get(opt(&mapping.hlp_level))
                .map(|l| match l {
                    "1" => Ok(HealthyLivingPharmacy::Level1),
                    "2" => Ok(HealthyLivingPharmacy::Level2),
                    "3" => Ok(HealthyLivingPharmacy::Level3),
                    other => Err(fail(
                        &name_of(&mapping.hlp_level),
                        format!("{other:?} is not a Healthy Living Pharmacy level (1, 2 or 3)"),
                    )),
                })
                .transpose()?;
            a.check().map_err(|e| fail("record", e.to_string()))?;
            Ok(a)
        };
        match build() {
            Ok(a) => out.assets.push(a),
            Err(e) => out.errors.push(e),
        }
    }
    Ok(out)
}
