//! Open Referral UK v1 (`HSDS-UK-1.0`) feeds: the page shape most UK council and VCS
//! directories still publish (`data-standards.md` §A4), read into assets.
//!
//! A page is `{ totalElements, totalPages, number, size, first, last, content: [...] }`; each
//! service nests `organization`, `service_at_locations[].location` (with `physical_addresses`,
//! `accessibility_for_disabilities`), `contacts[].phones`, `regular_schedules` (`weekday` as a
//! number 1 = Monday … 7 = Sunday, or a day name), `eligibilitys`/`eligibilities`,
//! `cost_options` and `service_taxonomys`/`service_taxonomies` (both spellings occur in live
//! feeds). Kinds come from the taxonomy terms through [`ImportOptions`].

use serde_json::Value;

use crate::error::AssetError;
use crate::hsds::{ImportOptions, Imported, read_document, time};
use crate::json::At;
use crate::model::{
    Asset, AssetKind, AssetStatus, Cost, GeoPoint, Owner, Recurrence, Schedule, Source, Weekday,
};

fn weekday(v: At<'_>) -> Result<Weekday, AssetError> {
    match v.value {
        Value::Number(n) => match n.as_u64() {
            Some(d @ 1..=7) => Ok(Weekday::ALL[d as usize - 1]),
            _ => Err(v.error(format!("weekday {n} is not 1 (Monday) to 7 (Sunday)"))),
        },
        Value::String(s) => match s.trim().parse::<u64>() {
            Ok(d @ 1..=7) => Ok(Weekday::ALL[d as usize - 1]),
            Ok(d) => Err(v.error(format!("weekday {d} is not 1 (Monday) to 7 (Sunday)"))),
            Err(_) => Weekday::parse(s).map_err(|e| v.locate(e)),
        },
        _ => Err(v.error("weekday must be a number or a day name")),
    }
}

fn service(s: At<'_>, source: &str, options: &ImportOptions) -> Result<Asset, AssetError> {
    let key = s.req_str("id")?;
    let name = s.req_str("name")?;
    let mut terms = Vec::new();
    for field in ["service_taxonomys", "service_taxonomies"] {
        terms.extend(
            s.each(field, |t| {
                t.field("taxonomy", |x| Ok((x.str("name")?, x.str("id")?)))
            })?
            .into_iter()
            .flatten()
            .flat_map(|(n, i)| [n, i].into_iter().flatten()),
        );
    }
    let kind = options
        .classify(&terms)
        .or_else(|| options.default_kind.clone())
        .ok_or_else(|| {
            s.error(format!(
                "no taxonomy term maps to an asset kind (terms: {}); set ImportOptions",
                if terms.is_empty() {
                    "none".to_owned()
                } else {
                    terms.join(", ")
                }
            ))
        })?;
    let mut asset = Asset::new(
        Source {
            name: options.feed_or(source).to_owned(),
            key,
        },
        name,
        kind,
    );
    asset.description = s.text("description")?;
    asset.contact.website = s.text("url")?;
    asset.contact.email = s.text("email")?;
    if let Some(st) = s.text("status")? {
        asset.status = AssetStatus::parse(&st).map_err(|e| s.locate(e))?;
    }
    asset.owner = s.field("organization", |o| {
        Ok(Owner {
            name: o.req_str("name")?,
            ..Owner::default()
        })
    })?;
    let mut eligibility = Vec::new();
    for field in ["eligibilitys", "eligibilities"] {
        eligibility.extend(s.each(field, |e| {
            Ok((
                e.num("minimum_age")?,
                e.num("maximum_age")?,
                e.text("eligibility")?,
            ))
        })?);
    }
    if let Some((lo, hi, text)) = eligibility.into_iter().next() {
        let age = |x: Option<f64>, f: &str| -> Result<Option<u8>, AssetError> {
            x.map(|x| {
                crate::model::Audience::age_in_years(x)
                    .ok_or_else(|| s.error(format!("{f}: {x} is not an age in years")))
            })
            .transpose()
        };
        asset.audience.min_age = age(lo, "minimum_age")?;
        asset.audience.max_age = age(hi, "maximum_age")?;
        asset.audience.eligibility = text;
    }
    let contacts = s.each("contacts", |c| {
        Ok((
            c.text("name")?,
            c.each("phones", |p| p.req_str("number"))?
                .into_iter()
                .next(),
        ))
    })?;
    if let Some((name, phone)) = contacts.into_iter().next() {
        asset.contact.name = name;
        asset.contact.phone = phone;
    }
    asset.schedules = s.each("regular_schedules", |r| {
        let opens = r.req_str("opens_at")?;
        let closes = r.req_str("closes_at")?;
        let day = r
            .field("weekday", weekday)?
            .ok_or_else(|| r.error("weekday: required field is missing"))?;
        let sc = Schedule {
            recurrence: Recurrence::Weekly(vec![day]),
            opens_at: time(&opens, &r, "opens_at")?,
            closes_at: time(&closes, &r, "closes_at")?,
            valid_from: None,
            valid_to: None,
            description: r.text("description")?,
        };
        sc.check().map_err(|e| r.locate(e))?;
        Ok(sc)
    })?;
    asset.cost = s
        .each("cost_options", |c| {
            // A cost option without an amount says nothing of the price: unknown, not free.
            let Some(amount) = c.num("amount")? else {
                return Ok(None);
            };
            let amount = format!("{amount}")
                .parse()
                .map_err(|_| c.error(format!("amount: {amount} is not money")))?;
            let amount = Cost::check_amount(amount).map_err(|e| c.error(format!("amount: {e}")))?;
            Ok(Some(Cost {
                amount,
                description: c.text("amount_description")?,
            }))
        })?
        .into_iter()
        .flatten()
        .next();
    let locations = s.each("service_at_locations", |sal| {
        sal.field("location", |l| {
            let point = match (l.num("latitude")?, l.num("longitude")?) {
                (Some(lat), Some(lon)) => Some(GeoPoint::new(lat, lon).map_err(|e| l.locate(e))?),
                _ => None,
            };
            let address = l
                .each("physical_addresses", |a| {
                    let mut lines = Vec::new();
                    for f in ["address_1", "address_2", "address_3", "address_4"] {
                        if let Some(x) = a.text(f)? {
                            lines.push(x);
                        }
                    }
                    let postcode = a
                        .text("postal_code")?
                        .map(|p| {
                            p.parse::<pcnkit_core::Postcode>()
                                .map_err(|e| a.error(format!("postal_code: {e}")))
                        })
                        .transpose()?;
                    Ok((lines, a.text("city")?, postcode, a.text("uprn")?))
                })?
                .into_iter()
                .next();
            let access = l.each("accessibility_for_disabilities", |a| {
                Ok(a.text("accessibility")?.unwrap_or_default())
            })?;
            Ok((point, address, access))
        })
    })?;
    if let Some(Some((point, address, access))) = locations.into_iter().next() {
        asset.location.point = point;
        if let Some((lines, town, postcode, uprn)) = address {
            asset.location.address = lines;
            asset.location.town = town;
            asset.location.postcode = postcode;
            asset.location.uprn = uprn;
        }
        asset.accessibility = access.into_iter().filter(|a| !a.is_empty()).collect();
    }
    asset.check().map_err(|e| s.locate(e))?;
    Ok(asset)
}

/// Reads an ORUK v1 document: a page (`content`), an array of services, or one service.
pub fn from_json(
    text: &str,
    source: &str,
    options: &ImportOptions,
) -> Result<Imported, AssetError> {
    read_document(text, source, "content", |s| service(s, source, options))
}

/// The default v1 taxonomy mapping for common esd service-type and social-prescribing terms.
pub fn common_terms() -> ImportOptions {
    let mut o = ImportOptions::new();
    for (term, kind) in [
        ("parks and open spaces", AssetKind::GreenSpace),
        ("allotments", AssetKind::GreenSpace),
        ("sport and leisure", AssetKind::Leisure),
        ("leisure centres", AssetKind::Leisure),
        ("physical activity", AssetKind::Leisure),
        ("libraries", AssetKind::Library),
        ("community centres", AssetKind::CommunityCentre),
        ("community halls", AssetKind::CommunityCentre),
        ("food banks", AssetKind::FoodSupport),
        ("debt advice", AssetKind::Advice),
        ("benefits advice", AssetKind::Advice),
        ("housing advice", AssetKind::Advice),
        ("employment support", AssetKind::Advice),
        ("support groups", AssetKind::PeerSupport),
        ("arts and crafts", AssetKind::ArtsAndCulture),
        ("museums", AssetKind::ArtsAndCulture),
        ("pharmacies", AssetKind::Pharmacy),
        ("places of worship", AssetKind::FaithGroup),
        ("volunteering", AssetKind::VoluntaryService),
    ] {
        o = o.kind(term, kind);
    }
    o
}
