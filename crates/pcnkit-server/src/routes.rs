//! The ORUK 3.0 endpoints: each turns a request into a filter, asks the snapshot and renders
//! HSDS 3.0 JSON (Page objects for lists).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use pcnkit_assets::{Asset, AssetId};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::AppState;
use crate::problem::Problem;
use crate::query::ListQuery;
use crate::served::{Served, taxonomy, taxonomy_id};

type Answer = Result<Json<Value>, Problem>;

/// A Page object of `items` (all matches, in order): `page` of `per_page`.
fn page(items: Vec<Value>, q: &ListQuery) -> Value {
    page_of(items, q, |v| v)
}

/// A Page object of `matches` (all of them, in order), rendering only the requested page's
/// items with `render` (a page of 50 out of 100,000 services renders 50).
fn page_of<T>(matches: Vec<T>, q: &ListQuery, render: impl Fn(T) -> Value) -> Value {
    let total = matches.len();
    let contents: Vec<Value> = matches
        .into_iter()
        .skip((q.page - 1).saturating_mul(q.per_page))
        .take(q.per_page)
        .map(render)
        .collect();
    page_from(contents, total, q)
}

/// A Page object of the page's `contents` out of `total` items.
fn page_from(contents: Vec<Value>, total: usize, q: &ListQuery) -> Value {
    let total_pages = total.div_ceil(q.per_page).max(1);
    json!({
        "total_items": total,
        "total_pages": total_pages,
        "page_number": q.page,
        "size": contents.len(),
        "first_page": q.page == 1,
        "last_page": q.page >= total_pages,
        "empty": contents.is_empty(),
        "contents": contents,
    })
}

fn id_of(kind: &str, raw: &str) -> Result<Uuid, Problem> {
    Uuid::parse_str(raw)
        .map_err(|_| Problem::not_found(format!("no {kind} {raw:?} (ids are UUIDs)")))
}

/// Whether `asset` passes the service filters of `q`.
fn passes(s: &Served, asset: &Asset, q: &ListQuery) -> bool {
    if !q.search.is_empty() {
        let mut text = asset.name.to_lowercase();
        if let Some(d) = &asset.description {
            text.push(' ');
            text.push_str(&d.to_lowercase());
        }
        if let Some(o) = &asset.owner {
            text.push(' ');
            text.push_str(&o.name.to_lowercase());
        }
        if !q.search.iter().all(|w| text.contains(w.as_str())) {
            return false;
        }
    }
    let terms = s
        .terms_of
        .get(&asset.id)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if q.taxonomy_term_id.is_some_and(|t| !terms.contains(&t)) {
        return false;
    }
    if q.taxonomy_id
        .is_some_and(|t| t != taxonomy_id() || terms.is_empty())
    {
        return false;
    }
    if let Some(min) = q.minimum_age
        && asset.audience.min_age.is_none_or(|a| f64::from(a) < min)
    {
        return false;
    }
    if let Some(max) = q.maximum_age
        && asset.audience.max_age.is_none_or(|a| f64::from(a) > max)
    {
        return false;
    }
    if let Some(after) = q.modified_after
        && s.modified.get(&asset.id).is_none_or(|m| *m < after)
    {
        return false;
    }
    if let Some(org) = q.organization_id
        && s.organization_of.get(&asset.id) != Some(&org)
    {
        return false;
    }
    if q.day.is_some() || q.start_time.is_some() || q.end_time.is_some() {
        let day = q.day.map(pcnkit_assets::model::Weekday::of);
        let open = asset.schedules.iter().any(|sch| {
            let on_day = match (&sch.recurrence, day) {
                (_, None) => true,
                (pcnkit_assets::model::Recurrence::Weekly(days), Some(d)) => days.contains(&d),
                (pcnkit_assets::model::Recurrence::Monthly(days), Some(d)) => {
                    days.iter().any(|(_, x)| *x == d)
                }
                _ => false,
            };
            on_day
                && q.start_time.is_none_or(|t| sch.opens_at <= t)
                && q.end_time.is_none_or(|t| sch.closes_at >= t)
        });
        if !open {
            return false;
        }
    }
    true
}

/// `GET /`: what this API is.
pub async fn root(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({
        "version": "3.0",
        "profile": crate::PROFILE_URL,
        "openapi_url": format!("{}/openapi.json", state.base_url),
    }))
}

/// `GET /openapi.json`: the API's own OpenAPI document (no remote references).
pub async fn openapi(State(state): State<Arc<AppState>>) -> Json<Value> {
    let s = state.snapshot();
    let first = s.register.assets().next();
    let examples = crate::openapi::Examples {
        service: first.map(|a| a.id.to_string()),
        service_at_location: s
            .register
            .assets()
            .find(|a| a.location.point.is_some())
            .map(|a| a.id.part("service_at_location").to_string()),
        taxonomy: Some(taxonomy_id().to_string()),
        taxonomy_term: s.terms.keys().next().map(ToString::to_string),
        organization: s.organizations.keys().next().map(ToString::to_string),
    };
    Json(crate::openapi::document(&state.base_url, &examples))
}

/// `GET /services`.
pub async fn services(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Answer {
    let q = ListQuery::parse(raw.as_deref(), state.paging)?;
    let s = state.snapshot();
    let render = |a: &Asset| {
        if q.minimal {
            json!({"id": a.id.0, "modified_date": s.last_modified(a.id)})
        } else if q.full {
            s.service(a)
        } else {
            s.service_item(a)
        }
    };
    if q.is_unfiltered() {
        // Unfiltered: the page is a slice of the ids; only its own assets are touched.
        let start = (q.page - 1).saturating_mul(q.per_page).min(s.ids.len());
        let end = start.saturating_add(q.per_page).min(s.ids.len());
        let items: Vec<Value> = s.ids[start..end]
            .iter()
            .filter_map(|id| s.register.get(*id))
            .map(render)
            .collect();
        return Ok(Json(page_from(items, s.ids.len(), &q)));
    }
    let matches: Vec<&Asset> = s.register.assets().filter(|a| passes(&s, a, &q)).collect();
    Ok(Json(page_of(matches, &q, render)))
}

/// `GET /services/{id}`: the fully nested service.
pub async fn service(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Answer {
    let uuid = id_of("service", &id)?;
    let s = state.snapshot();
    let asset = s
        .register
        .get(AssetId(uuid))
        .ok_or_else(|| Problem::not_found(format!("no service {id}")))?;
    Ok(Json(s.service(asset)))
}

/// The service at location of `asset` (its one location), with the service nested.
fn service_at_location(s: &Served, asset: &Asset, full: bool) -> Option<Value> {
    let service = s.service(asset);
    let mut sal = service
        .get("service_at_locations")?
        .as_array()?
        .first()?
        .clone();
    if let Some(obj) = sal.as_object_mut() {
        obj.insert(
            "service".into(),
            if full {
                service.clone()
            } else {
                s.service_item(asset)
            },
        );
    }
    Some(sal)
}

/// `GET /service_at_locations`: the service filters, and `postcode` with `proximity` (metres
/// from the postcode's centroid, nearest first).
pub async fn service_at_locations(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Answer {
    let q = ListQuery::parse(raw.as_deref(), state.paging)?;
    let s = state.snapshot();
    let chosen: Vec<&Asset> = match &q.postcode {
        Some(postcode) => {
            // A postcode the server has no centroid for: nothing to measure from (404, as for
            // an unknown id; a malformed postcode was a 400 already).
            let centre = s.postcodes.get(postcode).copied().ok_or_else(|| {
                Problem::not_found(format!(
                    "postcode {postcode} is not in this server's postcode centroids"
                ))
            })?;
            let metres = q.proximity.unwrap_or(crate::DEFAULT_PROXIMITY_METRES);
            s.register
                .within(
                    centre,
                    metres,
                    &pcnkit_assets::Query::new().include_inactive(true),
                )
                .into_iter()
                .map(|(a, _)| a)
                .filter(|a| passes(&s, a, &q))
                .collect()
        }
        None => s.register.assets().filter(|a| passes(&s, a, &q)).collect(),
    };
    // Every asset with a location has its one service at location.
    let chosen: Vec<&Asset> = chosen
        .into_iter()
        .filter(|a| s.located.contains(&a.id))
        .collect();
    Ok(Json(page_of(chosen, &q, |a| {
        service_at_location(&s, a, q.full).unwrap_or(Value::Null)
    })))
}

/// `GET /service_at_locations/{id}`.
pub async fn service_at_location_by_id(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Answer {
    let uuid = id_of("service_at_location", &id)?;
    let s = state.snapshot();
    s.service_at_location_of
        .get(&uuid)
        .and_then(|a| s.register.get(*a))
        .and_then(|a| service_at_location(&s, a, true))
        .map(Json)
        .ok_or_else(|| Problem::not_found(format!("no service_at_location {id}")))
}

/// `GET /taxonomies`.
pub async fn taxonomies(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Answer {
    let q = ListQuery::parse(raw.as_deref(), state.paging)?;
    Ok(Json(page(vec![taxonomy()], &q)))
}

/// `GET /taxonomies/{id}`.
pub async fn taxonomy_by_id(Path(id): Path<String>) -> Answer {
    let uuid = id_of("taxonomy", &id)?;
    if uuid == taxonomy_id() {
        Ok(Json(taxonomy()))
    } else {
        Err(Problem::not_found(format!("no taxonomy {id}")))
    }
}

/// `GET /taxonomy_terms` (`taxonomy_id` narrows to one taxonomy's terms).
pub async fn taxonomy_terms(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Answer {
    let q = ListQuery::parse(raw.as_deref(), state.paging)?;
    let s = state.snapshot();
    let items = if q.taxonomy_id.is_some_and(|t| t != taxonomy_id()) {
        Vec::new()
    } else {
        s.terms.values().cloned().collect()
    };
    Ok(Json(page(items, &q)))
}

/// `GET /taxonomy_terms/{id}`.
pub async fn taxonomy_term_by_id(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Answer {
    let uuid = id_of("taxonomy_term", &id)?;
    state
        .snapshot()
        .terms
        .get(&uuid)
        .cloned()
        .map(Json)
        .ok_or_else(|| Problem::not_found(format!("no taxonomy_term {id}")))
}

/// `GET /organizations`.
pub async fn organizations(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Answer {
    let q = ListQuery::parse(raw.as_deref(), state.paging)?;
    let s = state.snapshot();
    let items = s
        .organizations
        .values()
        .filter(|(org, _)| {
            q.search.is_empty() || {
                let name = org
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_lowercase();
                q.search.iter().all(|w| name.contains(w.as_str()))
            }
        })
        .map(|(org, _)| {
            let mut o = org.clone();
            if let Some(obj) = o.as_object_mut() {
                obj.retain(|_, v| !(v.is_array() || v.is_object()));
            }
            o
        })
        .collect();
    Ok(Json(page(items, &q)))
}

/// `GET /organizations/{id}`: the organisation with its services.
pub async fn organization_by_id(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Answer {
    let uuid = id_of("organization", &id)?;
    let s = state.snapshot();
    let (org, asset) = s
        .organizations
        .get(&uuid)
        .ok_or_else(|| Problem::not_found(format!("no organization {id}")))?;
    let mut o = org.clone();
    if let (Some(obj), Some(a)) = (o.as_object_mut(), s.register.get(*asset)) {
        obj.insert("services".into(), json!([s.service_item(a)]));
    }
    Ok(Json(o))
}
