//! The register: assets with their history, and the queries a link worker or an ICS asks.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{Months, NaiveDate, NaiveDateTime};
use pcnkit_core::{LsoaCode, PcnCode, Postcode};
use pcnkit_org::Registry;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::{Deserialize, Serialize};

use crate::error::AssetError;
use crate::model::{Asset, AssetId, AssetKind, AssetStatus, EARTH_RADIUS_M, GeoPoint, Need};

type Indexed = GeomWithData<[f64; 3], AssetId>;

/// Postcode → centroid.
pub type PostcodeCentroids = std::collections::HashMap<Postcode, GeoPoint>;

/// Reads postcode centroids from a CSV with a postcode column and latitude/longitude columns
/// (the ONS Postcode Directory's `pcds`, `lat`, `long` by default). Rows without coordinates
/// (terminated or non-geographic postcodes carry none) are skipped and counted.
pub fn read_postcode_centroids(
    reader: impl std::io::Read,
    source: &str,
    columns: (&str, &str, &str),
) -> Result<(PostcodeCentroids, usize), AssetError> {
    let mut csv = csv::Reader::from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| AssetError::Input {
            source_name: source.to_owned(),
            location: "header".to_owned(),
            problem: e.to_string(),
        })?
        .clone();
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| AssetError::Input {
                source_name: source.to_owned(),
                location: "header".to_owned(),
                problem: format!("missing column {name:?}"),
            })
    };
    let (p, la, lo) = (find(columns.0)?, find(columns.1)?, find(columns.2)?);
    let mut out = PostcodeCentroids::new();
    let mut skipped = 0;
    for (i, rec) in csv.records().enumerate() {
        let row = i + 2;
        let err = |column: &str, problem: String| AssetError::Input {
            source_name: source.to_owned(),
            location: format!("row {row}, column {column}"),
            problem,
        };
        let rec = rec.map_err(|e| err("*", e.to_string()))?;
        let (Some(pc), Some(lat), Some(lon)) = (rec.get(p), rec.get(la), rec.get(lo)) else {
            return Err(err("*", "too few fields".to_owned()));
        };
        if lat.trim().is_empty() || lon.trim().is_empty() {
            skipped += 1;
            continue;
        }
        let postcode: Postcode = pc
            .parse()
            .map_err(|e: pcnkit_core::CoreError| err(columns.0, e.to_string()))?;
        let num = |s: &str, c: &str| {
            s.trim()
                .parse::<f64>()
                .map_err(|_| err(c, format!("{s:?} is not a number")))
        };
        let point = GeoPoint::new(num(lat, columns.1)?, num(lon, columns.2)?)
            .map_err(|e| err(columns.1, e.to_string()))?;
        out.insert(postcode, point);
    }
    Ok((out, skipped))
}

/// What happened to an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeKind {
    /// First added.
    Added,
    /// Fields changed (model field names).
    Updated {
        /// The fields that changed.
        fields: Vec<String>,
    },
    /// Removed, explicitly.
    Removed {
        /// Why.
        reason: String,
    },
}

/// One entry of an asset's history: who, what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The asset.
    pub asset: AssetId,
    /// When.
    pub at: NaiveDateTime,
    /// Who (a person or an import job).
    pub by: String,
    /// What.
    pub what: ChangeKind,
}

/// What an import did: nothing is lost silently, so assets the source no longer lists are
/// reported as missing and stay in the register until removed explicitly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ImportReport {
    /// New assets.
    pub added: Vec<AssetId>,
    /// Assets whose fields changed.
    pub changed: Vec<AssetId>,
    /// Assets seen again unchanged.
    pub unchanged: Vec<AssetId>,
    /// Assets from the same source that this import did not list (still in the register).
    pub missing: Vec<AssetId>,
}

/// A filter for queries. Empty matches every asset; each field set narrows it.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Query {
    /// Only this kind.
    pub kind: Option<AssetKind>,
    /// Only assets serving this need.
    pub need: Option<Need>,
    /// Only assets a person of this age may attend.
    pub age: Option<u8>,
    /// Only assets open at this local date-time.
    pub open_at: Option<NaiveDateTime>,
    /// Include assets that are not active (default: active only).
    pub include_inactive: bool,
}

/// How many assets a nearest-first search returns unless asked for another number (the CLI's
/// `--limit` and Python's `limit` default).
pub const NEAREST_DEFAULT: usize = 20;

impl Query {
    /// Every active asset.
    pub fn new() -> Self {
        Self::default()
    }

    /// A query from the words a person types: a kind code (`pharmacy`; built-in kinds only,
    /// so a typo is an error rather than a search for nothing) and a need (`loneliness`), as
    /// the CLI and Python take them.
    pub fn from_words(kind: Option<&str>, need: Option<&str>) -> Result<Self, AssetError> {
        let mut q = Query::new();
        if let Some(k) = kind {
            q = q.kind(AssetKind::parse(k, false)?);
        }
        if let Some(n) = need {
            q = q.need(Need::parse(n));
        }
        Ok(q)
    }

    /// Only this kind.
    pub fn kind(mut self, kind: AssetKind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Only assets serving this need.
    pub fn need(mut self, need: Need) -> Self {
        self.need = Some(need);
        self
    }

    /// Only assets a person of this age may attend.
    pub fn age(mut self, age: u8) -> Self {
        self.age = Some(age);
        self
    }

    /// Only assets open at this local date-time.
    pub fn open_at(mut self, at: NaiveDateTime) -> Self {
        self.open_at = Some(at);
        self
    }

    /// Include inactive, closed and defunct assets too.
    pub fn include_inactive(mut self, yes: bool) -> Self {
        self.include_inactive = yes;
        self
    }

    /// Whether an asset passes the filter.
    pub fn matches(&self, a: &Asset) -> bool {
        (self.include_inactive || a.status == AssetStatus::Active)
            && self.kind.as_ref().is_none_or(|k| &a.kind == k)
            && self.need.as_ref().is_none_or(|n| a.needs.contains(n))
            && self.age.is_none_or(|age| a.audience.admits(age))
            && self.open_at.is_none_or(|t| a.is_open_at(t))
    }
}

/// Assets with their history and a spatial index.
#[derive(Debug, Clone, Default)]
pub struct Register {
    assets: BTreeMap<AssetId, Asset>,
    index: RTree<Indexed>,
    history: Vec<Change>,
}

/// Chord length on the unit sphere for a great-circle distance in metres.
fn chord(metres: f64) -> f64 {
    2.0 * (metres / (2.0 * EARTH_RADIUS_M))
        .min(std::f64::consts::FRAC_PI_2)
        .sin()
}

impl Register {
    /// An empty register.
    pub fn new() -> Self {
        Self::default()
    }

    /// A register of these assets (bulk-loads the spatial index), each recorded as added.
    pub fn from_assets(
        assets: impl IntoIterator<Item = Asset>,
        by: &str,
        at: NaiveDateTime,
    ) -> Result<Self, AssetError> {
        let mut map = BTreeMap::new();
        let mut history = Vec::new();
        for a in assets {
            a.check()?;
            history.push(Change {
                asset: a.id,
                at,
                by: by.to_owned(),
                what: ChangeKind::Added,
            });
            if let Some(old) = map.insert(a.id, a) {
                return Err(AssetError::invalid(
                    "id",
                    format!("two assets have the id {} ({})", old.id, old.name),
                ));
            }
        }
        let points: Vec<Indexed> = map
            .values()
            .filter_map(|a| {
                a.location
                    .point
                    .map(|p| Indexed::new(p.unit_vector(), a.id))
            })
            .collect();
        Ok(Register {
            assets: map,
            index: RTree::bulk_load(points),
            history,
        })
    }

    /// Number of assets.
    pub fn len(&self) -> usize {
        self.assets.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.assets.is_empty()
    }

    /// An asset by id.
    pub fn get(&self, id: AssetId) -> Option<&Asset> {
        self.assets.get(&id)
    }

    /// Every asset, in id order.
    pub fn assets(&self) -> impl Iterator<Item = &Asset> {
        self.assets.values()
    }

    /// The history, oldest first.
    pub fn history(&self) -> &[Change] {
        &self.history
    }

    /// One asset's history.
    pub fn history_of(&self, id: AssetId) -> impl Iterator<Item = &Change> {
        self.history.iter().filter(move |c| c.asset == id)
    }

    fn unindex(&mut self, a: &Asset) {
        if let Some(p) = a.location.point {
            self.index.remove(&Indexed::new(p.unit_vector(), a.id));
        }
    }

    fn reindex(&mut self, a: &Asset) {
        if let Some(p) = a.location.point {
            self.index.insert(Indexed::new(p.unit_vector(), a.id));
        }
    }

    /// Adds or updates one asset, recording the change. Returns what happened.
    pub fn upsert(
        &mut self,
        asset: Asset,
        by: &str,
        at: NaiveDateTime,
    ) -> Result<Option<ChangeKind>, AssetError> {
        asset.check()?;
        let what = match self.assets.get(&asset.id) {
            None => Some(ChangeKind::Added),
            Some(old) => {
                let fields = changed_fields(old, &asset);
                (!fields.is_empty()).then_some(ChangeKind::Updated { fields })
            }
        };
        if let Some(what) = &what {
            if let Some(old) = self.assets.get(&asset.id).cloned() {
                self.unindex(&old);
            }
            self.reindex(&asset);
            self.history.push(Change {
                asset: asset.id,
                at,
                by: by.to_owned(),
                what: what.clone(),
            });
            self.assets.insert(asset.id, asset);
        }
        Ok(what)
    }

    /// Imports a source's assets: adds new ones, updates changed ones and reports (but keeps)
    /// the assets of that source it no longer lists.
    pub fn import(
        &mut self,
        source: &str,
        assets: impl IntoIterator<Item = Asset>,
        by: &str,
        at: NaiveDateTime,
    ) -> Result<ImportReport, AssetError> {
        let mut report = ImportReport::default();
        let mut seen = HashSet::new();
        for a in assets {
            let id = a.id;
            seen.insert(id);
            match self.upsert(a, by, at)? {
                Some(ChangeKind::Added) => report.added.push(id),
                Some(_) => report.changed.push(id),
                None => report.unchanged.push(id),
            }
        }
        report.missing = self
            .assets
            .values()
            .filter(|a| a.source.name == source && !seen.contains(&a.id))
            .map(|a| a.id)
            .collect();
        Ok(report)
    }

    /// Removes an asset, explicitly, with the reason kept in its history.
    pub fn remove(
        &mut self,
        id: AssetId,
        by: &str,
        at: NaiveDateTime,
        reason: &str,
    ) -> Result<Asset, AssetError> {
        let asset = self
            .assets
            .remove(&id)
            .ok_or_else(|| AssetError::UnknownAsset(id.to_string()))?;
        self.unindex(&asset);
        self.history.push(Change {
            asset: id,
            at,
            by: by.to_owned(),
            what: ChangeKind::Removed {
                reason: reason.to_owned(),
            },
        });
        Ok(asset)
    }

    /// Assets matching a filter, in id order.
    pub fn filter<'a>(&'a self, query: &'a Query) -> impl Iterator<Item = &'a Asset> + 'a {
        self.assets.values().filter(move |a| query.matches(a))
    }

    /// The `k` nearest assets to `point` that match `query`, nearest first, with their
    /// great-circle distance in metres (R-tree nearest-neighbour search on the unit sphere).
    pub fn nearest(&self, point: GeoPoint, k: usize, query: &Query) -> Vec<(&Asset, f64)> {
        self.index
            .nearest_neighbor_iter(&point.unit_vector())
            .filter_map(|hit| self.assets.get(&hit.data))
            .filter(|a| query.matches(a))
            .take(k)
            .filter_map(|a| a.location.point.map(|p| (a, point.distance_m(&p))))
            .collect()
    }

    /// The `k` nearest matching assets to a postcode's centroid (from `centroids`, e.g. the
    /// ONS Postcode Directory read with [`read_postcode_centroids`]).
    pub fn nearest_to_postcode(
        &self,
        postcode: &Postcode,
        centroids: &PostcodeCentroids,
        k: usize,
        query: &Query,
    ) -> Result<Vec<(&Asset, f64)>, AssetError> {
        let point = centroids.get(postcode).ok_or_else(|| {
            AssetError::invalid("postcode", format!("no centroid for {postcode}"))
        })?;
        Ok(self.nearest(*point, k, query))
    }

    /// Assets matching `query` within `metres` of `point`, nearest first.
    pub fn within(&self, point: GeoPoint, metres: f64, query: &Query) -> Vec<(&Asset, f64)> {
        let c = chord(metres.max(0.0));
        let mut out: Vec<(&Asset, f64)> = self
            .index
            .locate_within_distance(point.unit_vector(), c * c)
            .filter_map(|hit| self.assets.get(&hit.data))
            .filter(|a| query.matches(a))
            .filter_map(|a| a.location.point.map(|p| (a, point.distance_m(&p))))
            .filter(|(_, d)| *d <= metres)
            .collect();
        out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.id.cmp(&b.0.id)));
        out
    }

    /// Assets whose record was last verified more than `months` before `as_of`, or never.
    pub fn stale(&self, as_of: NaiveDate, months: u32) -> Vec<&Asset> {
        let cutoff = as_of.checked_sub_months(Months::new(months));
        self.assets
            .values()
            .filter(|a| match (a.last_verified, cutoff) {
                (None, _) => true,
                (Some(v), Some(c)) => v < c,
                (Some(_), None) => false,
            })
            .collect()
    }

    /// Assets located in any of these LSOAs.
    pub fn in_lsoas<'a>(
        &'a self,
        lsoas: &'a BTreeSet<LsoaCode>,
    ) -> impl Iterator<Item = &'a Asset> {
        self.assets
            .values()
            .filter(move |a| a.location.lsoa.is_some_and(|l| lsoas.contains(&l)))
    }

    /// Assets in a PCN's footprint on `date`: the LSOAs where at least `min_share` of its
    /// registered patients live (pcnkit-org's practice-by-LSOA shares).
    pub fn in_pcn(
        &self,
        registry: &Registry,
        pcn: PcnCode,
        date: NaiveDate,
        min_share: f64,
    ) -> Result<Vec<&Asset>, AssetError> {
        let shares = registry
            .pcn_lsoa_shares(pcn, date)
            .map_err(|e| AssetError::invalid("pcn", e.to_string()))?;
        let lsoas: BTreeSet<LsoaCode> = shares
            .into_iter()
            .filter(|s| s.share >= min_share)
            .map(|s| s.lsoa)
            .collect();
        Ok(self
            .assets
            .values()
            .filter(|a| a.location.lsoa.is_some_and(|l| lsoas.contains(&l)))
            .collect())
    }
}

/// The model fields that differ between two versions of an asset.
/// The model fields (top-level names of the asset's JSON) that differ between `old` and `new`,
/// as an asset's history records them.
pub fn changed_fields(old: &Asset, new: &Asset) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return vec!["*".to_owned()];
    };
    b.iter()
        .filter(|(k, v)| a.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect()
}
