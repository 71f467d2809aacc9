-- The asset register: each asset's current record, every change in order, every import.
-- One row whose version each import increments first: writers take turns on it.
CREATE TABLE register_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO register_version (id, version) VALUES (1, 0);

CREATE TABLE imports (
    id BIGINT PRIMARY KEY,
    source TEXT NOT NULL,
    by_whom TEXT NOT NULL,
    at TEXT NOT NULL,
    added BIGINT NOT NULL,
    changed BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    missing BIGINT NOT NULL
);

CREATE TABLE assets (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    document TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    import_id BIGINT NOT NULL REFERENCES imports (id)
);
CREATE INDEX assets_source ON assets (source);

CREATE TABLE asset_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    asset_id TEXT NOT NULL,
    import_id BIGINT NOT NULL REFERENCES imports (id),
    change TEXT NOT NULL,
    fields TEXT,
    by_whom TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX asset_history_asset ON asset_history (asset_id);
