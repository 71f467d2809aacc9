//! A harvester: pages through a live Open Referral UK feed (3.0, or v1) and reads every
//! service into pcnkit assets, with a typed error for each record that cannot be read. The
//! feed's own ids are kept for services pcnkit published (they carry their source); others get
//! stable ids from the feed's name and their id, as any import does.

use std::collections::BTreeMap;
use std::time::Duration;

use pcnkit_assets::{Asset, AssetError, AssetId};
use serde_json::Value;

/// Which version of the standard the feed speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum FeedVersion {
    /// ORUK 3.0 (HSDS 3.0 Page objects, `page` from 1, `full=true` for nested services).
    #[default]
    V3,
    /// ORUK v1 (`content`, `totalPages`, `last`).
    V1,
}

/// How to harvest.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HarvestOptions {
    /// The feed's version.
    pub version: FeedVersion,
    /// Services asked for per page.
    pub per_page: usize,
    /// Stop after this many pages (a feed that never says it is on its last page).
    pub max_pages: usize,
    /// How long one request may take.
    pub timeout: Duration,
    /// How records become assets (the feed's name, kinds of unclassified records).
    pub import: pcnkit_assets::hsds::ImportOptions,
}

impl Default for HarvestOptions {
    fn default() -> Self {
        HarvestOptions {
            version: FeedVersion::V3,
            per_page: 500,
            max_pages: 10_000,
            timeout: Duration::from_secs(60),
            import: pcnkit_assets::hsds::ImportOptions::new(),
        }
    }
}

/// What a harvest read.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Harvested {
    /// Every service read, once each (a service listed on two pages, as a feed changing while
    /// it is paged may do, is kept once: its later listing).
    pub assets: Vec<Asset>,
    /// Each record that could not be read, with its page and JSON path.
    pub errors: Vec<AssetError>,
    /// Pages fetched.
    pub pages: usize,
    /// Services listed on more than one page.
    pub repeated: usize,
    /// The feed's own count of its services (from its first page), to compare.
    pub total_items: Option<u64>,
}

/// What can stop a harvest.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HarvestError {
    /// The feed could not be reached or answered with an error status.
    #[error("{url}: {problem}")]
    Http {
        /// The page's address.
        url: String,
        /// What went wrong.
        problem: String,
    },
    /// A page that is not a page of the standard.
    #[error("{url}: not an Open Referral page: {problem}")]
    NotAPage {
        /// The page's address.
        url: String,
        /// What is wrong with it.
        problem: String,
    },
}

fn page_url(base: &str, version: FeedVersion, page: usize, per_page: usize) -> String {
    let base = base.trim_end_matches('/');
    match version {
        FeedVersion::V3 => format!("{base}/services?page={page}&per_page={per_page}&full=true"),
        FeedVersion::V1 => format!("{base}/services?page={page}&per_page={per_page}"),
    }
}

/// Harvests the feed at `base` (its API root, e.g. `https://example.org/api`).
pub fn harvest(base: &str, options: &HarvestOptions) -> Result<Harvested, HarvestError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .build()
        .into();
    let mut out = Harvested::default();
    let mut by_id: BTreeMap<AssetId, Asset> = BTreeMap::new();
    let source = options
        .import
        .feed_or(base.trim_end_matches('/'))
        .to_owned();
    let mut page = 1;
    loop {
        let url = page_url(base, options.version, page, options.per_page.max(1));
        let http = |problem: String| HarvestError::Http {
            url: url.clone(),
            problem,
        };
        let mut response = agent.get(&url).call().map_err(|e| http(e.to_string()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(http(format!("status {status}")));
        }
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| http(e.to_string()))?;
        out.pages += 1;
        let doc: Value = serde_json::from_str(&text).map_err(|e| HarvestError::NotAPage {
            url: url.clone(),
            problem: e.to_string(),
        })?;
        let (items_key, last) = match options.version {
            FeedVersion::V3 => ("contents", doc.get("last_page").and_then(Value::as_bool)),
            FeedVersion::V1 => ("content", doc.get("last").and_then(Value::as_bool)),
        };
        let Some(items) = doc.get(items_key).and_then(Value::as_array) else {
            return Err(HarvestError::NotAPage {
                url,
                problem: format!("no `{items_key}` array"),
            });
        };
        if page == 1 {
            out.total_items = doc
                .get("total_items")
                .or_else(|| doc.get("totalElements"))
                .and_then(Value::as_u64);
        }
        let empty = items.is_empty();
        // One source name for every page: foreign records' ids derive from it.
        let read = match options.version {
            FeedVersion::V3 => pcnkit_assets::hsds::from_json(&text, &source, &options.import),
            FeedVersion::V1 => pcnkit_assets::oruk_v1::from_json(&text, &source, &options.import),
        };
        match read {
            Ok(imported) => {
                out.errors.extend(imported.errors);
                for a in imported.assets {
                    if by_id.insert(a.id, a).is_some() {
                        out.repeated += 1;
                    }
                }
            }
            Err(e) => out.errors.push(e),
        }
        if last.unwrap_or(empty) || empty || page >= options.max_pages {
            break;
        }
        page += 1;
    }
    out.assets = by_id.into_values().collect();
    Ok(out)
}
