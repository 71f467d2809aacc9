//! What the server answers from: the stored register loaded into memory with the indexes the
//! filters need (taxonomy terms, organisations, modification times), swapped whole when the
//! store changes so a request never sees half an import.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDateTime;
use pcnkit_assets::{Asset, AssetId, GeoPoint, Register};
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// The one taxonomy of pcnkit's terms (kinds, needs, referral routes, …), with a stable id.
pub fn taxonomy_id() -> Uuid {
    Uuid::new_v5(
        &pcnkit_assets::model::ASSET_NAMESPACE,
        format!("taxonomy:{}", pcnkit_assets::hsds::TAXONOMY).as_bytes(),
    )
}

/// The pcnkit taxonomy as HSDS 3.0 has it.
pub fn taxonomy() -> Value {
    json!({
        "id": taxonomy_id(),
        "name": pcnkit_assets::hsds::TAXONOMY,
        "description": "pcnkit's terms for community assets: kinds, social-prescribing needs, referral routes, Healthy Living Pharmacy levels, LSOAs and record sources",
        "version": env!("CARGO_PKG_VERSION"),
    })
}

/// A snapshot of the register with its indexes.
#[derive(Debug)]
pub struct Served {
    /// The assets.
    pub register: Register,
    /// When each asset last changed (the store's record; the load time for a register served
    /// without one).
    pub modified: HashMap<AssetId, NaiveDateTime>,
    /// The store's version when loaded.
    pub version: i64,
    /// Every taxonomy term used, by id.
    pub terms: BTreeMap<Uuid, Value>,
    /// Each asset's term ids.
    pub terms_of: HashMap<AssetId, Vec<Uuid>>,
    /// Each organisation (the HSDS object) and the asset it runs.
    pub organizations: BTreeMap<Uuid, (Value, AssetId)>,
    /// Each asset's organisation id.
    pub organization_of: HashMap<AssetId, Uuid>,
    /// The asset of each service at location (the assets with a location have one).
    pub service_at_location_of: HashMap<Uuid, AssetId>,
    /// The assets that have a service at location.
    pub located: std::collections::HashSet<AssetId>,
    /// Every asset's id, in the register's order (a page of an unfiltered list is a slice).
    pub ids: Vec<AssetId>,
    /// Each asset's searchable text (name, description, organisation), lower-cased once.
    pub search_text: HashMap<AssetId, String>,
    /// Postcode centroids for proximity searches (normalised postcode text).
    pub postcodes: Arc<HashMap<String, GeoPoint>>,
}

impl Served {
    /// Indexes `register`.
    pub fn new(
        register: Register,
        modified: HashMap<AssetId, NaiveDateTime>,
        version: i64,
        postcodes: Arc<HashMap<String, GeoPoint>>,
    ) -> Self {
        let mut terms = BTreeMap::new();
        let mut terms_of = HashMap::with_capacity(register.len());
        let mut organizations = BTreeMap::new();
        let mut organization_of = HashMap::new();
        let mut service_at_location_of = HashMap::new();
        let mut located = std::collections::HashSet::new();
        let mut search_text = HashMap::with_capacity(register.len());
        let ids: Vec<AssetId> = register.assets().map(|a| a.id).collect();
        let tax = taxonomy_id();
        for asset in register.assets() {
            let service = pcnkit_assets::hsds::to_service(asset);
            let mut ids = Vec::new();
            for attr in service
                .get("attributes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(term) = attr.get("taxonomy_term")
                    && let Some(id) = term.get("id").and_then(Value::as_str)
                    && let Ok(id) = Uuid::parse_str(id)
                {
                    ids.push(id);
                    terms.entry(id).or_insert_with(|| {
                        let mut t = term.as_object().cloned().unwrap_or_default();
                        t.insert("taxonomy_id".into(), json!(tax));
                        Value::Object(t)
                    });
                }
            }
            terms_of.insert(asset.id, ids);
            let mut text = asset.name.to_lowercase();
            for extra in [
                asset.description.as_deref(),
                asset.owner.as_ref().map(|o| o.name.as_str()),
            ]
            .into_iter()
            .flatten()
            {
                text.push(' ');
                text.push_str(&extra.to_lowercase());
            }
            search_text.insert(asset.id, text);
            if let Some(id) = service
                .get("service_at_locations")
                .and_then(|v| v.get(0))
                .and_then(|v| v.get("id"))
                .and_then(Value::as_str)
                .and_then(|id| Uuid::parse_str(id).ok())
            {
                service_at_location_of.insert(id, asset.id);
                located.insert(asset.id);
            }
            if let Some(org) = service.get("organization")
                && let Some(id) = org.get("id").and_then(Value::as_str)
                && let Ok(id) = Uuid::parse_str(id)
            {
                organizations.insert(id, (org.clone(), asset.id));
                organization_of.insert(asset.id, id);
            }
        }
        Served {
            register,
            modified,
            version,
            terms,
            terms_of,
            organizations,
            organization_of,
            service_at_location_of,
            located,
            ids,
            search_text,
            postcodes,
        }
    }

    /// When `asset` last changed, as HSDS writes it (UTC, milliseconds).
    pub fn last_modified(&self, asset: AssetId) -> Option<String> {
        self.modified
            .get(&asset)
            .map(|t| t.and_utc().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
    }

    /// The fully nested service, with its `organization_id` and `last_modified`.
    pub fn service(&self, asset: &Asset) -> Value {
        let mut s = pcnkit_assets::hsds::to_service(asset);
        if let Some(obj) = s.as_object_mut() {
            if let Some(org) = self.organization_of.get(&asset.id) {
                obj.insert("organization_id".into(), json!(org));
            }
            if let Some(m) = self.last_modified(asset.id) {
                obj.insert("last_modified".into(), json!(m));
            }
        }
        s
    }

    /// The service as a list item: its one-to-one fields (and its organisation) only.
    pub fn service_item(&self, asset: &Asset) -> Value {
        list_item(self.service(asset))
    }
}

/// A fully nested service cut to its one-to-one fields (and its organisation's).
pub fn list_item(full: Value) -> Value {
    let Value::Object(obj) = full else {
        return full;
    };
    let kept: Map<String, Value> = obj
        .into_iter()
        .filter(|(k, v)| k == "organization" || !(v.is_array() || v.is_object()))
        .map(|(k, v)| match v {
            // The organisation keeps its own one-to-one fields.
            Value::Object(mut o) if k == "organization" => {
                o.retain(|_, x| !(x.is_array() || x.is_object()));
                (k, Value::Object(o))
            }
            other => (k, other),
        })
        .collect();
    Value::Object(kept)
}
