//! `pcnkit serve`: a stored register as an Open Referral UK 3.0 API (`pcnkit_server`), until
//! interrupted.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::Context;
use crate::error::{CliError, data};

/// The flags of `serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The stored register: a SQLite file (from `pcnkit assets import --db`) or postgres://….
    #[arg(long)]
    pub db: String,
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// The address clients reach the API at, for `openapi_url` (default: http://BIND).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Postcode centroids for `postcode` + `proximity` searches: an ONS Postcode Directory
    /// shaped CSV (`pcds`, `lat`, `long`).
    #[arg(long)]
    pub postcodes: Option<PathBuf>,
    /// Reload the register from the store this often (seconds), so imports by other
    /// processes are served.
    #[arg(long, default_value_t = 10)]
    pub reload_seconds: u64,
}

/// Runs `pcnkit serve`.
pub fn run(ctx: &Context, a: &Args) -> Result<(), CliError> {
    let postcodes: HashMap<String, pcnkit_assets::GeoPoint> = match &a.postcodes {
        Some(p) => {
            let file = crate::load::open(p)?;
            let (centroids, skipped) = pcnkit_assets::register::read_postcode_centroids(
                file,
                &p.display().to_string(),
                ("pcds", "lat", "long"),
            )
            .map_err(data)?;
            if skipped > 0 && !ctx.quiet {
                eprintln!(
                    "{}: {skipped} postcodes without coordinates skipped",
                    p.display()
                );
            }
            centroids
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect()
        }
        None => HashMap::new(),
    };
    let base_url = a
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", a.bind));
    let runtime = crate::runtime()?;
    runtime.block_on(async {
        let store = pcnkit_store::Store::open(&a.db)
            .await
            .map_err(|e| CliError::Data(format!("{}: {e}", a.db)))?;
        let state = Arc::new(
            pcnkit_server::AppState::from_store(store, &base_url, postcodes)
                .await
                .map_err(|e| CliError::Data(format!("{}: {e}", a.db)))?,
        );
        let listener = tokio::net::TcpListener::bind(&a.bind)
            .await
            .map_err(|e| CliError::Usage(format!("--bind {}: {e}", a.bind)))?;
        if !ctx.quiet {
            eprintln!(
                "serving {} assets from {} as Open Referral UK 3.0 at {base_url} (Ctrl-C stops)",
                state.snapshot().register.len(),
                a.db
            );
        }
        pcnkit_server::serve(
            listener,
            state,
            std::time::Duration::from_secs(a.reload_seconds.max(1)),
            async {
                let _ = tokio::signal::ctrl_c().await;
            },
        )
        .await
        .map_err(|e| CliError::Output(format!("serving: {e}")))
    })
}
