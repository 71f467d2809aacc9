//! Open Referral UK / HSDS 3.0: assets as fully nested `service` records and `/services` pages,
//! both ways.
//!
//! Mapping (`data-standards.md` §A6): the asset is a `service`; its owner an `organization`
//! (charity and company numbers as `organization_identifiers`, schemes `GB-CHC`, `GB-COH`);
//! its place a `location` (physical, WGS84, UPRN as `external_identifier`) with one `address`
//! (country `GB`, `state_province` "England" as the schema requires one) reached through a
//! `service_at_location`; opening rules are `schedules` (WEEKLY/MONTHLY, `byday`); charges
//! `cost_options` (GBP); step-free access and the like `accessibility`; kind, needs, referral
//! routes, Healthy Living Pharmacy level, LSOA and the record's source are `attributes` with
//! pcnkit taxonomy terms. Every id is a UUID: the service id is the asset id, the others are
//! derived from it (UUID v5), so exports are stable. Export → import gives back the same asset,
//! field for field (tested).

use chrono::{NaiveDate, NaiveTime};
use pcnkit_core::{LsoaCode, Money};
use serde_json::{Map, Value, json};

use crate::error::AssetError;
use crate::json::{At, parse};
use crate::model::{
    Asset, AssetId, AssetKind, AssetStatus, Cost, GeoPoint, HealthyLivingPharmacy, Location, Need,
    Owner, Recurrence, ReferralRoute, Schedule, Source,
};

/// The taxonomy the pcnkit attributes use.
pub const TAXONOMY: &str = "pcnkit";

fn time_text(t: NaiveTime) -> String {
    t.format("%H:%M:%S").to_string()
}

fn attribute(asset: &Asset, link_type: &str, code: &str, value: Option<&str>) -> Value {
    let term_id = AssetId(uuid::Uuid::new_v5(
        &crate::model::ASSET_NAMESPACE,
        format!("{link_type}:{code}").as_bytes(),
    ));
    let mut a = json!({
        "id": asset.id.part(&format!("attribute:{link_type}:{code}")),
        "link_id": asset.id.0,
        "link_type": link_type,
        "link_entity": "service",
        "taxonomy_term_id": term_id.0,
        "taxonomy_term": {
            "id": term_id.0,
            "code": code,
            "name": code,
            "description": format!("{link_type}: {code}"),
            "taxonomy": TAXONOMY,
        },
    });
    if let (Some(v), Some(obj)) = (value, a.as_object_mut()) {
        obj.insert("value".to_owned(), Value::String(v.to_owned()));
    }
    a
}

fn hlp_code(l: HealthyLivingPharmacy) -> &'static str {
    match l {
        HealthyLivingPharmacy::Level1 => "hlp_level_1",
        HealthyLivingPharmacy::Level2 => "hlp_level_2",
        HealthyLivingPharmacy::Level3 => "hlp_level_3",
    }
}

fn insert_opt(obj: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        obj.insert(key.to_owned(), v);
    }
}

/// An asset as a fully nested HSDS 3.0 `service` (the `/services/{id}` document).
pub fn to_service(asset: &Asset) -> Value {
    let mut s = Map::new();
    s.insert("id".into(), json!(asset.id.0));
    s.insert("name".into(), json!(asset.name));
    s.insert("status".into(), json!(asset.status.code()));
    insert_opt(
        &mut s,
        "description",
        asset.description.as_ref().map(|d| json!(d)),
    );
    insert_opt(
        &mut s,
        "url",
        asset.contact.website.as_ref().map(|d| json!(d)),
    );
    insert_opt(
        &mut s,
        "email",
        asset.contact.email.as_ref().map(|d| json!(d)),
    );
    insert_opt(
        &mut s,
        "eligibility_description",
        asset.audience.eligibility.as_ref().map(|d| json!(d)),
    );
    insert_opt(
        &mut s,
        "minimum_age",
        asset.audience.min_age.map(|d| json!(d)),
    );
    insert_opt(
        &mut s,
        "maximum_age",
        asset.audience.max_age.map(|d| json!(d)),
    );
    insert_opt(
        &mut s,
        "assured_date",
        asset.last_verified.map(|d| json!(d.to_string())),
    );
    if let Some(owner) = &asset.owner {
        let mut ids = Vec::new();
        for (scheme, kind, value) in [
            ("GB-CHC", "charity number", &owner.charity_number),
            ("GB-COH", "company number", &owner.company_number),
        ] {
            if let Some(v) = value {
                ids.push(json!({
                    "id": asset.id.part(&format!("organization_identifier:{scheme}")),
                    "identifier_scheme": scheme,
                    "identifier_type": kind,
                    "identifier": v,
                }));
            }
        }
        s.insert(
            "organization".into(),
            json!({
                "id": asset.id.part(&format!("organization:{}", owner.name)),
                "name": owner.name,
                "description": owner.name,
                "organization_identifiers": ids,
            }),
        );
    }
    if asset.contact.name.is_some() || asset.contact.phone.is_some() {
        let mut c = Map::new();
        c.insert("id".into(), json!(asset.id.part("contact")));
        insert_opt(
            &mut c,
            "name",
            asset.contact.name.as_ref().map(|d| json!(d)),
        );
        let phones: Vec<Value> = asset
            .contact
            .phone
            .iter()
            .map(|p| json!({"id": asset.id.part("phone"), "number": p}))
            .collect();
        c.insert("phones".into(), Value::Array(phones));
        s.insert("contacts".into(), json!([c]));
    }
    let schedules: Vec<Value> = asset
        .schedules
        .iter()
        .enumerate()
        .map(|(i, sc)| {
            let mut o = Map::new();
            o.insert("id".into(), json!(asset.id.part(&format!("schedule:{i}"))));
            o.insert(
                "freq".into(),
                json!(match sc.recurrence {
                    Recurrence::Weekly(_) => "WEEKLY",
                    Recurrence::Monthly(_) => "MONTHLY",
                }),
            );
            o.insert("byday".into(), json!(sc.byday()));
            o.insert("opens_at".into(), json!(time_text(sc.opens_at)));
            o.insert("closes_at".into(), json!(time_text(sc.closes_at)));
            insert_opt(
                &mut o,
                "valid_from",
                sc.valid_from.map(|d| json!(d.to_string())),
            );
            insert_opt(
                &mut o,
                "valid_to",
                sc.valid_to.map(|d| json!(d.to_string())),
            );
            insert_opt(
                &mut o,
                "description",
                sc.description.as_ref().map(|d| json!(d)),
            );
            Value::Object(o)
        })
        .collect();
    s.insert("schedules".into(), Value::Array(schedules));
    if let Some(cost) = &asset.cost {
        let mut o = Map::new();
        o.insert("id".into(), json!(asset.id.part("cost_option")));
        o.insert("currency".into(), json!("GBP"));
        // HSDS amounts are JSON numbers; pounds to the penny survive f64 exactly enough to
        // parse back to the same decimal (tested).
        o.insert(
            "amount".into(),
            serde_json::Number::from_f64(cost.amount.pounds().to_string().parse().unwrap_or(0.0))
                .map(Value::Number)
                .unwrap_or(Value::Null),
        );
        insert_opt(
            &mut o,
            "amount_description",
            cost.description.as_ref().map(|d| json!(d)),
        );
        s.insert("cost_options".into(), json!([o]));
    }
    let loc = &asset.location;
    let has_address = !loc.address.is_empty() || loc.town.is_some() || loc.postcode.is_some();
    if has_address
        || loc.point.is_some()
        || loc.uprn.is_some()
        || !asset.accessibility.is_empty()
        || loc.lsoa.is_some()
    {
        let mut l = Map::new();
        l.insert("id".into(), json!(asset.id.part("location")));
        l.insert("location_type".into(), json!("physical"));
        l.insert("name".into(), json!(asset.name));
        if let Some(p) = loc.point {
            l.insert("latitude".into(), json!(p.lat()));
            l.insert("longitude".into(), json!(p.lon()));
        }
        if let Some(u) = &loc.uprn {
            l.insert("external_identifier".into(), json!(u));
            l.insert("external_identifier_type".into(), json!("UPRN"));
        }
        if has_address {
            l.insert(
                "addresses".into(),
                json!([{
                    "id": asset.id.part("address"),
                    "address_1": loc.address.first().cloned().unwrap_or_default(),
                    "address_2": loc.address.get(1..).map(|r| r.join("\n")).unwrap_or_default(),
                    "city": loc.town.clone().unwrap_or_default(),
                    "state_province": "England",
                    "postal_code": loc.postcode.map(|p| p.to_string()).unwrap_or_default(),
                    "country": "GB",
                    "address_type": "physical",
                }]),
            );
        }
        let access: Vec<Value> = asset
            .accessibility
            .iter()
            .enumerate()
            .map(|(i, a)| json!({"id": asset.id.part(&format!("accessibility:{i}")), "description": a}))
            .collect();
        l.insert("accessibility".into(), Value::Array(access));
        if let Some(lsoa) = loc.lsoa {
            l.insert(
                "attributes".into(),
                json!([attribute(asset, "lsoa", "lsoa", Some(lsoa.as_ref()))]),
            );
        }
        s.insert(
            "service_at_locations".into(),
            json!([{
                "id": asset.id.part("service_at_location"),
                "service_id": asset.id.0,
                "location_id": asset.id.part("location"),
                "location": l,
            }]),
        );
    }
    let mut attrs = vec![attribute(asset, "category", asset.kind.code(), None)];
    for n in &asset.needs {
        attrs.push(attribute(asset, "need", n.code(), None));
    }
    for r in &asset.referral {
        attrs.push(attribute(asset, "referral", r.code(), None));
    }
    if let Some(l) = asset.hlp_level {
        attrs.push(attribute(asset, "hlp_level", hlp_code(l), None));
    }
    attrs.push(attribute(asset, "source", "name", Some(&asset.source.name)));
    attrs.push(attribute(asset, "source", "key", Some(&asset.source.key)));
    s.insert("attributes".into(), Value::Array(attrs));
    Value::Object(s)
}

/// A `/services` page (HSDS 3.0 Page object) of these assets: page `page_number` (from 1) of
/// `per_page` items each. Items are full service records (as the API's `full=true` gives), so
/// importing a page loses nothing; they also satisfy the list-item schema.
pub fn to_page<'a>(
    assets: impl IntoIterator<Item = &'a Asset>,
    page_number: usize,
    per_page: usize,
) -> Value {
    let all: Vec<&Asset> = assets.into_iter().collect();
    let per_page = per_page.max(1);
    let total_pages = all.len().div_ceil(per_page).max(1);
    let page_number = page_number.clamp(1, total_pages);
    let contents: Vec<Value> = all
        .iter()
        .skip((page_number - 1) * per_page)
        .take(per_page)
        .map(|a| to_service(a))
        .collect();
    json!({
        "total_items": all.len(),
        "total_pages": total_pages,
        "page_number": page_number,
        "size": contents.len(),
        "first_page": page_number == 1,
        "last_page": page_number == total_pages,
        "empty": contents.is_empty(),
        "contents": contents,
    })
}

/// What an import of a document or file gives: the good records, and a typed error (with
/// its JSON path or row) for each bad one.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Imported {
    /// Records that converted.
    pub assets: Vec<Asset>,
    /// One error per record that did not.
    pub errors: Vec<AssetError>,
}

/// How to classify records that carry no pcnkit `category` attribute (foreign feeds).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ImportOptions {
    /// Taxonomy term names (lower case) or codes → kind.
    pub kinds: Vec<(String, AssetKind)>,
    /// The kind of a record nothing classifies; `None` makes such a record an error.
    pub default_kind: Option<AssetKind>,
    /// The name of the feed the document comes from (a council's directory, say). An asset's
    /// id is derived from it and the record's own id, so next month's file of the same feed
    /// updates the same assets whatever the file is called or where it lies. `None` uses the
    /// `source` given to the reader (the file name in the CLI's errors).
    pub feed: Option<String>,
}

impl ImportOptions {
    /// No mapping, no default.
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps a taxonomy term (name or code, any case) to a kind.
    pub fn kind(mut self, term: &str, kind: AssetKind) -> Self {
        self.kinds.push((term.trim().to_lowercase(), kind));
        self
    }

    /// The kind of records nothing classifies.
    pub fn default_kind(mut self, kind: AssetKind) -> Self {
        self.default_kind = Some(kind);
        self
    }

    /// The feed name ids are derived from (see [`ImportOptions::feed`]).
    pub fn feed(mut self, name: impl Into<String>) -> Self {
        self.feed = Some(name.into());
        self
    }

    /// The feed name for ids: the one set, else `source`.
    /// The feed's name when one was given, else `source` (what the ids of records that do not
    /// carry their own source are derived from).
    pub fn feed_or<'a>(&'a self, source: &'a str) -> &'a str {
        self.feed.as_deref().unwrap_or(source)
    }

    pub(crate) fn classify(&self, terms: &[String]) -> Option<AssetKind> {
        terms.iter().find_map(|t| {
            let t = t.trim().to_lowercase();
            self.kinds
                .iter()
                .find(|(k, _)| *k == t)
                .map(|(_, kind)| kind.clone())
                .or_else(|| AssetKind::parse(&t, false).ok())
        })
    }
}

fn date(v: Option<String>, at: &At<'_>, field: &str) -> Result<Option<NaiveDate>, AssetError> {
    v.filter(|s| !s.is_empty())
        .map(|s| {
            // The first ten characters (a date-time keeps its date), in a plausible range:
            // chrono alone would take `-026-01-01` as the year −26.
            s.get(..10)
                .filter(|d| d.as_bytes().get(4) == Some(&b'-'))
                .and_then(|d| pcnkit_core::parse_nhs_date(d).ok())
                .ok_or_else(|| {
                    at.error(format!(
                        "{field}: {s:?} is not a date (YYYY-MM-DD, a year from 1900 to 2200)"
                    ))
                })
        })
        .transpose()
}

pub(crate) fn time(s: &str, at: &At<'_>, field: &str) -> Result<NaiveTime, AssetError> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(s.trim(), "%H:%M"))
        .map_err(|_| at.error(format!("{field}: {s:?} is not a time (HH:MM or HH:MM:SS)")))
}

fn age(v: Option<f64>, at: &At<'_>, field: &str) -> Result<Option<u8>, AssetError> {
    v.map(|x| {
        crate::model::Audience::age_in_years(x)
            .ok_or_else(|| at.error(format!("{field}: {x} is not an age in years")))
    })
    .transpose()
}

/// One HSDS 3.0 service record as an asset. `source` names the feed: records exported by
/// pcnkit carry their own source and keep their id; others get the source `source` and the
/// key of their service id.
pub(crate) fn service_to_asset(
    s: At<'_>,
    source: &str,
    options: &ImportOptions,
) -> Result<Asset, AssetError> {
    let service_id = s.req_str("id")?;
    let id: AssetId = service_id.parse().map_err(|e: AssetError| s.locate(e))?;
    let name = s.req_str("name")?;
    let status = AssetStatus::parse(&s.req_str("status")?).map_err(|e| s.locate(e))?;
    // Attributes: (link_type, code, value).
    let mut attrs: Vec<(String, String, Option<String>)> = s.each("attributes", |a| {
        let term = a.field("taxonomy_term", |t| Ok((t.str("code")?, t.str("name")?)))?;
        let (code, tname) = term.unwrap_or((None, None));
        Ok((
            a.str("link_type")?.unwrap_or_default(),
            code.or(tname).unwrap_or_default(),
            a.str("value")?,
        ))
    })?;
    let (src_name, src_key) = (
        attrs
            .iter()
            .find(|(t, c, _)| t == "source" && c == "name")
            .and_then(|a| a.2.clone()),
        attrs
            .iter()
            .find(|(t, c, _)| t == "source" && c == "key")
            .and_then(|a| a.2.clone()),
    );
    let (source, id) = match (src_name, src_key) {
        (Some(name), Some(key)) => (Source { name, key }, id),
        _ => {
            let src = Source {
                name: options.feed_or(source).to_owned(),
                key: service_id.clone(),
            };
            let id = AssetId::from_key(&src.name, &src.key);
            (src, id)
        }
    };
    let kind = match attrs.iter().find(|(t, _, _)| t == "category") {
        Some((_, code, _)) => AssetKind::parse(code, true).map_err(|e| s.locate(e))?,
        None => {
            let terms: Vec<String> = attrs.iter().map(|a| a.1.clone()).collect();
            options
                .classify(&terms)
                .or_else(|| options.default_kind.clone())
                .ok_or_else(|| {
                    s.error("no category attribute, and no taxonomy term maps to a kind (set ImportOptions)")
                })?
        }
    };
    let mut asset = Asset::new(source, name, kind);
    asset.id = id;
    asset.status = status;
    asset.description = s.text("description")?;
    asset.contact.website = s.text("url")?;
    asset.contact.email = s.text("email")?;
    asset.audience.eligibility = s.text("eligibility_description")?;
    asset.audience.min_age = age(s.num("minimum_age")?, &s, "minimum_age")?;
    asset.audience.max_age = age(s.num("maximum_age")?, &s, "maximum_age")?;
    asset.last_verified = date(s.str("assured_date")?, &s, "assured_date")?;
    for (t, code, _) in attrs.drain(..) {
        match t.as_str() {
            "need" => asset.needs.push(Need::parse(&code)),
            "referral" => asset
                .referral
                .push(ReferralRoute::parse(&code).map_err(|e| s.locate(e))?),
            "hlp_level" => {
                asset.hlp_level = Some(match code.as_str() {
                    "hlp_level_1" => HealthyLivingPharmacy::Level1,
                    "hlp_level_2" => HealthyLivingPharmacy::Level2,
                    "hlp_level_3" => HealthyLivingPharmacy::Level3,
                    other => {
                        return Err(
                            s.error(format!("unknown Healthy Living Pharmacy level {other:?}"))
                        );
                    }
                })
            }
            _ => {}
        }
    }
    asset.owner = s.field("organization", |o| {
        let mut owner = Owner {
            name: o.req_str("name")?,
            ..Owner::default()
        };
        for (scheme, value) in o.each("organization_identifiers", |i| {
            Ok((i.str("identifier_scheme")?, i.str("identifier")?))
        })? {
            match scheme.as_deref() {
                Some("GB-CHC") => owner.charity_number = value,
                Some("GB-COH") => owner.company_number = value,
                _ => {}
            }
        }
        Ok(owner)
    })?;
    let contacts = s.each("contacts", |c| {
        let phones = c.each("phones", |p| p.req_str("number"))?;
        Ok((c.text("name")?, phones.into_iter().next()))
    })?;
    if let Some((name, phone)) = contacts.into_iter().next() {
        asset.contact.name = name;
        asset.contact.phone = phone;
    }
    asset.schedules = s.each("schedules", schedule)?;
    asset.cost = s
        .each("cost_options", |c| {
            // A cost option without an amount says nothing of the price: unknown, not free.
            let Some(amount) = c.num("amount")? else {
                return Ok(None);
            };
            let amount: Money = format!("{amount}")
                .parse()
                .map_err(|_| c.error(format!("amount: {amount} is not an amount of money")))?;
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
        sal.field("location", location)
            .map(|o| o.unwrap_or_default())
    })?;
    if let Some((loc, access)) = locations.into_iter().next() {
        asset.location = loc;
        asset.accessibility = access;
    }
    asset.check().map_err(|e| s.locate(e))?;
    Ok(asset)
}

fn schedule(sc: At<'_>) -> Result<Schedule, AssetError> {
    let freq = sc.str("freq")?.unwrap_or_else(|| "WEEKLY".to_owned());
    let byday = sc.str("byday")?.unwrap_or_default();
    let recurrence = Schedule::parse_recurrence(&freq, &byday).map_err(|e| sc.locate(e))?;
    let opens = sc.req_str("opens_at")?;
    let closes = sc.req_str("closes_at")?;
    let s = Schedule {
        recurrence,
        opens_at: time(&opens, &sc, "opens_at")?,
        closes_at: time(&closes, &sc, "closes_at")?,
        valid_from: date(sc.str("valid_from")?, &sc, "valid_from")?,
        valid_to: date(sc.str("valid_to")?, &sc, "valid_to")?,
        description: sc.text("description")?,
    };
    s.check().map_err(|e| sc.locate(e))?;
    Ok(s)
}

#[allow(clippy::type_complexity)]
fn location(l: At<'_>) -> Result<(Location, Vec<String>), AssetError> {
    let mut loc = Location::default();
    match (l.num("latitude")?, l.num("longitude")?) {
        (Some(lat), Some(lon)) => {
            loc.point = Some(GeoPoint::new(lat, lon).map_err(|e| l.locate(e))?);
        }
        (None, None) => {}
        _ => return Err(l.error("latitude and longitude must come together")),
    }
    if l.str("external_identifier_type")?.as_deref() == Some("UPRN") {
        loc.uprn = l.text("external_identifier")?;
    }
    let addresses = l.each("addresses", |a| {
        let mut lines: Vec<String> = Vec::new();
        if let Some(a1) = a.text("address_1")? {
            lines.push(a1);
        }
        if let Some(a2) = a.text("address_2")? {
            lines.extend(a2.split('\n').map(str::to_owned));
        }
        let postcode = a
            .text("postal_code")?
            .map(|p| {
                p.parse::<pcnkit_core::Postcode>()
                    .map_err(|e| a.error(format!("postal_code: {e}")))
            })
            .transpose()?;
        Ok((lines, a.text("city")?, postcode))
    })?;
    if let Some((lines, town, postcode)) = addresses.into_iter().next() {
        loc.address = lines;
        loc.town = town;
        loc.postcode = postcode;
    }
    let access = l.each("accessibility", |a| a.req_str("description"))?;
    for (t, v) in l.each("attributes", |a| Ok((a.str("link_type")?, a.str("value")?)))? {
        if t.as_deref() == Some("lsoa")
            && let Some(v) = v
        {
            loc.lsoa = Some(
                v.parse::<LsoaCode>()
                    .map_err(|e| l.error(format!("lsoa: {e}")))?,
            );
        }
    }
    Ok((loc, access))
}

/// Reads a directory document: one record, an array of records, or a page whose records are in
/// `page_field` (`contents` for HSDS 3.0, `content` for ORUK v1). Good records are kept; each
/// bad one is an error with its JSON path.
pub(crate) fn read_document(
    text: &str,
    source: &str,
    page_field: &str,
    mut record: impl FnMut(At<'_>) -> Result<Asset, AssetError>,
) -> Result<Imported, AssetError> {
    let doc = parse(text, source)?;
    let root = At::root(&doc, source);
    let mut out = Imported::default();
    let mut take = |r: Result<Asset, AssetError>| match r {
        Ok(a) => out.assets.push(a),
        Err(e) => out.errors.push(e),
    };
    match &doc {
        Value::Array(_) => root.each_lenient(|s| take(record(s)))?,
        Value::Object(o) if o.contains_key(page_field) => {
            root.each_field_lenient(page_field, |s| take(record(s)))?
        }
        Value::Object(_) => take(record(root)),
        _ => return Err(root.error("expected a service, a page of services or an array of them")),
    }
    Ok(out)
}

/// Reads an HSDS 3.0 document: one fully nested service, a `/services` page, or an array of
/// services. Good records are kept; each bad one is an error with its JSON path.
pub fn from_json(
    text: &str,
    source: &str,
    options: &ImportOptions,
) -> Result<Imported, AssetError> {
    read_document(text, source, "contents", |s| {
        service_to_asset(s, source, options)
    })
}

impl At<'_> {
    /// Calls `f` on each element of this array.
    pub(crate) fn each_lenient(&self, mut f: impl FnMut(At<'_>)) -> Result<(), AssetError> {
        let Value::Array(items) = self.value else {
            return Err(self.error("expected an array"));
        };
        let path = self.path();
        for (i, item) in items.iter().enumerate() {
            f(At::child_index(item, self.source, &path, i));
        }
        Ok(())
    }

    /// Calls `f` on each element of the array `field`.
    pub(crate) fn each_field_lenient(
        &self,
        field: &str,
        mut f: impl FnMut(At<'_>),
    ) -> Result<(), AssetError> {
        self.field(field, |v| v.each_lenient(&mut f)).map(|_| ())
    }
}
