//! The community asset register persisted in a database: a SQLite file (the embedded default,
//! no setup) or PostgreSQL (a shared deployment), through one query layer (`sqlx`'s `Any`
//! driver) with migrations per backend.
//!
//! - **Imports land whole or not at all**: [`Store::import`] runs in one transaction, which
//!   first increments the register's version row; concurrent imports (threads, processes,
//!   servers on one PostgreSQL) take turns on that row, so none loses a write and the history is
//!   complete. Each import reports added, changed, unchanged and missing assets, as the
//!   in-memory [`Register::import`] does (missing assets stay until removed explicitly).
//! - **History**: every added or changed asset gets a row saying what changed (the fields), who
//!   imported it, when, from which source, under which import.
//! - **Records**: each asset is kept as its pcnkit JSON (the model, field for field), with its
//!   source and when it last changed (the ORUK `modified_after` filter reads it).
//!
//! ```no_run
//! # async fn f() -> Result<(), pcnkit_store::StoreError> {
//! let store = pcnkit_store::Store::open("assets.sqlite").await?;
//! let register = store.load().await?;
//! # Ok(()) }
//! ```

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use pcnkit_assets::register::{ChangeKind, ImportReport};
use pcnkit_assets::{Asset, AssetId, Register};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Executor, Row};

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database said no (connection, query, constraint).
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migrating the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored record that is not an asset (written by something else, or corrupted).
    #[error("stored asset {id}: {problem}")]
    Corrupt {
        /// Its id.
        id: String,
        /// What is wrong.
        problem: String,
    },
    /// An asset the register refuses.
    #[error(transparent)]
    Asset(#[from] pcnkit_assets::AssetError),
    /// A database address pcnkit does not serve.
    #[error("database {0:?}: give a SQLite file (assets.sqlite, sqlite://…) or postgres://…")]
    Address(String),
}

/// Which database is under the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// One entry of an asset's stored history.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HistoryEntry {
    /// The asset.
    pub asset: AssetId,
    /// The import that made the change.
    pub import: i64,
    /// What happened.
    pub what: ChangeKind,
    /// Who imported it.
    pub by: String,
    /// When.
    pub at: NaiveDateTime,
}

/// The register as stored: the assets and when each last changed.
#[derive(Debug)]
#[non_exhaustive]
pub struct Loaded {
    /// The assets, as an in-memory register (its spatial index built).
    pub register: Register,
    /// When each asset last changed in the store.
    pub modified: HashMap<AssetId, NaiveDateTime>,
    /// The register's version: the number of imports that have landed.
    pub version: i64,
}

/// A register in a database.
#[derive(Debug)]
pub struct Store {
    pool: sqlx::AnyPool,
    backend: Backend,
}

const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.f";

fn time_text(t: NaiveDateTime) -> String {
    t.format(TIME_FORMAT).to_string()
}

fn parse_time(id: &str, text: &str) -> Result<NaiveDateTime, StoreError> {
    NaiveDateTime::parse_from_str(text, TIME_FORMAT).map_err(|e| StoreError::Corrupt {
        id: id.to_owned(),
        problem: format!("time {text:?}: {e}"),
    })
}

/// How long a SQLite writer waits for another to finish before giving up (an import of a
/// national register takes seconds, not minutes).
const SQLITE_BUSY_MS: u32 = 120_000;

impl Store {
    /// Opens (creating if need be) and migrates the database at `address`: a path or
    /// `sqlite://path` for a SQLite file, `postgres://…` for PostgreSQL.
    pub async fn open(address: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, backend) =
            if address.starts_with("postgres://") || address.starts_with("postgresql://") {
                (address.to_owned(), Backend::Postgres)
            } else if let Some(rest) = address.strip_prefix("sqlite:") {
                let path = rest.trim_start_matches("//");
                (format!("sqlite://{path}?mode=rwc"), Backend::Sqlite)
            } else if address.contains("://") || address.is_empty() {
                return Err(StoreError::Address(address.to_owned()));
            } else {
                (format!("sqlite://{address}?mode=rwc"), Backend::Sqlite)
            };
        let mut options = AnyPoolOptions::new().max_connections(8);
        if backend == Backend::Sqlite {
            options = options.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(format!("PRAGMA busy_timeout = {SQLITE_BUSY_MS}").as_str())
                        .await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(&url).await?;
        if backend == Backend::Sqlite {
            // Readers go on while a writer imports.
            pool.execute("PRAGMA journal_mode = WAL").await?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        } else {
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        }
        Ok(Store { pool, backend })
    }

    /// Creates the database `name` on the PostgreSQL server at `server_url` (a URL of any of
    /// its databases) and returns the new database's URL: for tests and first deployments.
    pub async fn create_database(server_url: &str, name: &str) -> Result<String, StoreError> {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || name.is_empty() {
            return Err(StoreError::Address(format!(
                "database name {name:?}: letters, digits and _ only"
            )));
        }
        if !(server_url.starts_with("postgres://") || server_url.starts_with("postgresql://")) {
            return Err(StoreError::Address(server_url.to_owned()));
        }
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(server_url).await?;
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await?;
        admin.close().await;
        let base = server_url
            .split_once('?')
            .map_or(server_url, |(b, _)| b)
            .rsplit_once('/')
            .map_or(server_url, |(b, _)| b);
        Ok(format!("{base}/{name}"))
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// `sql` with `$1, $2, …` placeholders as this backend writes them (SQLite: `?1, ?2, …`).
    fn sql(&self, sql: &str) -> String {
        match self.backend {
            Backend::Postgres => sql.to_owned(),
            Backend::Sqlite => sql.replace('$', "?"),
        }
    }

    /// Imports `source`'s assets in one transaction: new ones added, changed ones updated,
    /// unchanged ones left, and the assets of that source the import did not list reported as
    /// missing (kept). Every change is in the history, under this import's number.
    pub async fn import(
        &self,
        source: &str,
        assets: Vec<Asset>,
        by: &str,
        at: NaiveDateTime,
    ) -> Result<(i64, ImportReport), StoreError> {
        for a in &assets {
            a.check()?;
        }
        let mut tx = self.pool.begin().await?;
        // First, take the register's version row: a concurrent import waits here until this
        // one commits, then sees everything it wrote.
        let version: i64 = sqlx::query(&self.sql(
            "UPDATE register_version SET version = version + 1 WHERE id = 1 RETURNING version",
        ))
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let when = time_text(at);
        sqlx::query(&self.sql(
            "INSERT INTO imports (id, source, by_whom, at, added, changed, unchanged, missing) VALUES ($1, $2, $3, $4, 0, 0, 0, 0)",
        ))
        .bind(version)
        .bind(source)
        .bind(by)
        .bind(&when)
        .execute(&mut *tx)
        .await?;
        let mut report = ImportReport::default();
        let mut seen = HashSet::with_capacity(assets.len());
        for asset in assets {
            let id = asset.id.to_string();
            seen.insert(id.clone());
            let document = serde_json::to_string(&asset).map_err(|e| StoreError::Corrupt {
                id: id.clone(),
                problem: e.to_string(),
            })?;
            let old: Option<String> =
                sqlx::query(&self.sql("SELECT document FROM assets WHERE id = $1"))
                    .bind(&id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r: AnyRow| r.try_get(0))
                    .transpose()?;
            let change = match &old {
                None => Some(ChangeKind::Added),
                Some(old) => {
                    let fields = changed_fields(&id, old, &asset)?;
                    (!fields.is_empty()).then_some(ChangeKind::Updated { fields })
                }
            };
            let Some(change) = change else {
                report.unchanged.push(asset.id);
                continue;
            };
            let fields = match &change {
                ChangeKind::Updated { fields } => Some(fields.join(",")),
                _ => None,
            };
            let upsert = if old.is_none() {
                "INSERT INTO assets (id, source, document, modified_at, import_id) VALUES ($1, $2, $3, $4, $5)"
            } else {
                "UPDATE assets SET source = $2, document = $3, modified_at = $4, import_id = $5 WHERE id = $1"
            };
            sqlx::query(&self.sql(upsert))
                .bind(&id)
                .bind(&asset.source.name)
                .bind(&document)
                .bind(&when)
                .bind(version)
                .execute(&mut *tx)
                .await?;
            sqlx::query(&self.sql(
                "INSERT INTO asset_history (asset_id, import_id, change, fields, by_whom, at) VALUES ($1, $2, $3, $4, $5, $6)",
            ))
            .bind(&id)
            .bind(version)
            .bind(if old.is_none() { "added" } else { "changed" })
            .bind(fields)
            .bind(by)
            .bind(&when)
            .execute(&mut *tx)
            .await?;
            if old.is_none() {
                report.added.push(asset.id);
            } else {
                report.changed.push(asset.id);
            }
        }
        let listed: Vec<AnyRow> = sqlx::query(&self.sql("SELECT id FROM assets WHERE source = $1"))
            .bind(source)
            .fetch_all(&mut *tx)
            .await?;
        for row in listed {
            let id: String = row.try_get(0)?;
            if !seen.contains(&id) {
                report.missing.push(asset_id(&id)?);
            }
        }
        report.missing.sort();
        let count = |v: &Vec<AssetId>| i64::try_from(v.len()).unwrap_or(i64::MAX);
        sqlx::query(&self.sql(
            "UPDATE imports SET added = $2, changed = $3, unchanged = $4, missing = $5 WHERE id = $1",
        ))
        .bind(version)
        .bind(count(&report.added))
        .bind(count(&report.changed))
        .bind(count(&report.unchanged))
        .bind(count(&report.missing))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((version, report))
    }

    /// Every stored asset, as an in-memory register, with when each last changed.
    pub async fn load(&self) -> Result<Loaded, StoreError> {
        let mut tx = self.pool.begin().await?;
        let version: i64 =
            sqlx::query(&self.sql("SELECT version FROM register_version WHERE id = 1"))
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
        let rows: Vec<AnyRow> =
            sqlx::query(&self.sql("SELECT id, document, modified_at FROM assets ORDER BY id"))
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        let mut assets = Vec::with_capacity(rows.len());
        let mut modified = HashMap::with_capacity(rows.len());
        let mut latest = None;
        for row in rows {
            let id: String = row.try_get(0)?;
            let document: String = row.try_get(1)?;
            let at = parse_time(&id, &row.try_get::<String, _>(2)?)?;
            let asset: Asset =
                serde_json::from_str(&document).map_err(|e| StoreError::Corrupt {
                    id: id.clone(),
                    problem: e.to_string(),
                })?;
            if asset.id.to_string() != id {
                return Err(StoreError::Corrupt {
                    id,
                    problem: format!("its record says it is {}", asset.id),
                });
            }
            latest = latest.max(Some(at));
            modified.insert(asset.id, at);
            assets.push(asset);
        }
        let register = Register::from_assets(assets, "pcnkit store", latest.unwrap_or_default())?;
        Ok(Loaded {
            register,
            modified,
            version,
        })
    }

    /// The register's version: how many imports have landed.
    pub async fn version(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query(&self.sql("SELECT version FROM register_version WHERE id = 1"))
                .fetch_one(&self.pool)
                .await?
                .try_get(0)?,
        )
    }

    /// An asset's history, oldest first.
    pub async fn history(&self, id: AssetId) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows: Vec<AnyRow> = sqlx::query(&self.sql(
            "SELECT import_id, change, fields, by_whom, at FROM asset_history WHERE asset_id = $1 ORDER BY seq",
        ))
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        let key = id.to_string();
        rows.into_iter()
            .map(|r| {
                let change: String = r.try_get(1)?;
                let fields: Option<String> = r.try_get(2)?;
                let what = match change.as_str() {
                    "added" => ChangeKind::Added,
                    _ => ChangeKind::Updated {
                        fields: fields
                            .unwrap_or_default()
                            .split(',')
                            .filter(|f| !f.is_empty())
                            .map(str::to_owned)
                            .collect(),
                    },
                };
                Ok(HistoryEntry {
                    asset: id,
                    import: r.try_get(0)?,
                    what,
                    by: r.try_get(3)?,
                    at: parse_time(&key, &r.try_get::<String, _>(4)?)?,
                })
            })
            .collect()
    }

    /// How many history rows the store holds (every added or changed asset of every import).
    pub async fn history_len(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM asset_history")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?)
    }
}

fn asset_id(id: &str) -> Result<AssetId, StoreError> {
    id.parse()
        .map_err(|e: pcnkit_assets::AssetError| StoreError::Corrupt {
            id: id.to_owned(),
            problem: e.to_string(),
        })
}

/// The fields of the stored record that `new` changes (the register's own comparison).
fn changed_fields(id: &str, old: &str, new: &Asset) -> Result<Vec<String>, StoreError> {
    let old: Asset = serde_json::from_str(old).map_err(|e| StoreError::Corrupt {
        id: id.to_owned(),
        problem: e.to_string(),
    })?;
    Ok(pcnkit_assets::register::changed_fields(&old, new))
}
