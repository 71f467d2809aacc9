//! An Open Referral UK (ORUK) 3.0 API over the pcnkit community asset register: the register a
//! council or ICB can run for social prescribing platforms, 111 directories and council sites.
//!
//! - Every endpoint of the UK profile (`/`, `/services`, `/services/{id}`,
//!   `/service_at_locations`, `/service_at_locations/{id}`, `/taxonomies`, `/taxonomies/{id}`,
//!   `/taxonomy_terms`, `/taxonomy_terms/{id}`) and HSDS 3.0's `/organizations`, with the
//!   profile's filters; lists are HSDS Page objects.
//! - `Access-Control-Allow-Origin: *` on every response; the OpenAPI document at
//!   `/openapi.json` (pcnkit's own, every schema inline).
//! - Refused requests are RFC 9457 problem+json (400 for a bad parameter, 404 for an unknown id
//!   or path, 405, 408 after the request time limit, 413 for a body over the limit); the query
//!   parsing checks every value and never panics.
//! - An HTTP API for ICS systems under `/api/v1` ([`ics`]): ARRS rule figures with their
//!   provenance, a PCN's entitlement, and the indicator methods over JSON rows.
//! - The register is served from memory (its spatial index for proximity), loaded from the
//!   store at start and reloaded whole after imports ([`AppState::reload`]).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use pcnkit_assets::GeoPoint;

pub mod harvest;
pub mod ics;
mod openapi;
mod problem;
pub mod query;
mod routes;
mod served;

pub use problem::Problem;
pub use query::{ListQuery, Paging};
pub use served::Served;

/// The profile the API follows.
pub const PROFILE_URL: &str = "https://github.com/openreferral/uk-profile";

/// Metres around a postcode when `proximity` is not given.
pub const DEFAULT_PROXIMITY_METRES: f64 = 1_600.0;

/// How long a request may take before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest request body accepted (the API reads none).
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// What every request shares: the snapshot being served, the store it comes from, paging.
#[derive(Debug)]
pub struct AppState {
    served: RwLock<Arc<Served>>,
    store: Option<pcnkit_store::Store>,
    /// The address the API is reached at (for `openapi_url`), without a trailing slash.
    pub base_url: String,
    /// Paging limits.
    pub paging: Paging,
    postcodes: Arc<HashMap<String, GeoPoint>>,
}

impl AppState {
    /// Serves what `store` holds (loaded now), with `postcodes` for proximity searches.
    pub async fn from_store(
        store: pcnkit_store::Store,
        base_url: &str,
        postcodes: HashMap<String, GeoPoint>,
    ) -> Result<Self, pcnkit_store::StoreError> {
        let postcodes = Arc::new(postcodes);
        let loaded = store.load().await?;
        let served = Served::new(
            loaded.register,
            loaded.modified,
            loaded.version,
            Arc::clone(&postcodes),
        );
        Ok(AppState {
            served: RwLock::new(Arc::new(served)),
            store: Some(store),
            base_url: base_url.trim_end_matches('/').to_owned(),
            paging: Paging::default(),
            postcodes,
        })
    }

    /// The snapshot requests are answered from.
    pub fn snapshot(&self) -> Arc<Served> {
        match self.served.read() {
            Ok(s) => Arc::clone(&s),
            // A writer that panicked left the last whole snapshot: serve it.
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Reloads the snapshot from the store when its version moved (an import landed), and
    /// swaps it in whole. Returns the version served.
    pub async fn reload(&self) -> Result<i64, pcnkit_store::StoreError> {
        let Some(store) = &self.store else {
            return Ok(self.snapshot().version);
        };
        if store.version().await? == self.snapshot().version {
            return Ok(self.snapshot().version);
        }
        let loaded = store.load().await?;
        let version = loaded.version;
        let served = Arc::new(Served::new(
            loaded.register,
            loaded.modified,
            loaded.version,
            Arc::clone(&self.postcodes),
        ));
        match self.served.write() {
            Ok(mut s) => *s = served,
            Err(poisoned) => *poisoned.into_inner() = served,
        }
        Ok(version)
    }
}

async fn not_found(uri: axum::http::Uri) -> Problem {
    Problem::not_found(format!("no such path: {}", uri.path()))
}

async fn method_not_allowed(method: Method) -> Problem {
    Problem {
        status: StatusCode::METHOD_NOT_ALLOWED,
        detail: format!("{method} is not served here (the ORUK endpoints are read-only: GET)"),
    }
}

/// The API's routes, with CORS for everyone, the body limit and the request time limit.
pub fn router(state: Arc<AppState>) -> Router {
    use tower_http::cors::{Any, CorsLayer};
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::OPTIONS])
        .allow_headers(Any);
    // The HTTP API for ICS systems: computations over JSON bodies (larger bodies allowed).
    let api = Router::new()
        .route("/api/v1/arrs/figures", get(ics::arrs_figures))
        .route("/api/v1/arrs/entitlement", get(ics::arrs_entitlement))
        .route("/api/v1/arrs/claims", post(ics::arrs_claims))
        .route("/api/v1/indicators/{method}", post(ics::indicator))
        .layer(axum::extract::DefaultBodyLimit::max(
            ics::API_BODY_LIMIT_BYTES,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            ics::API_BODY_LIMIT_BYTES,
        ));
    let oruk = Router::new()
        .route("/", get(routes::root))
        .route("/openapi.json", get(routes::openapi))
        .route("/services", get(routes::services))
        .route("/services/{id}", get(routes::service))
        .route("/service_at_locations", get(routes::service_at_locations))
        .route(
            "/service_at_locations/{id}",
            get(routes::service_at_location_by_id),
        )
        .route("/taxonomies", get(routes::taxonomies))
        .route("/taxonomies/{id}", get(routes::taxonomy_by_id))
        .route("/taxonomy_terms", get(routes::taxonomy_terms))
        .route("/taxonomy_terms/{id}", get(routes::taxonomy_term_by_id))
        .route("/organizations", get(routes::organizations))
        .route("/organizations/{id}", get(routes::organization_by_id))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            BODY_LIMIT_BYTES,
        ));
    oruk.merge(api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(cors)
        .with_state(state)
}

/// Serves `state` on `listener` until `shutdown` completes, reloading the snapshot from the
/// store every `reload_every` (so imports by other processes are served).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    reload_every: Duration,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let reloader = Arc::clone(&state);
    let task = tokio::spawn(async move {
        let mut tick = tokio::time::interval(reload_every);
        loop {
            tick.tick().await;
            // A failed reload keeps serving the last snapshot; the next tick tries again.
            let _ = reloader.reload().await;
        }
    });
    let out = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await;
    task.abort();
    out
}
