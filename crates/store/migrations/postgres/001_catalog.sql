-- The catalog facet in PostgreSQL: the same facts as SQLite's blobs, parts, occurrences,
-- sources and failures (migrations/sqlite/001, 010, 013), in one step. Times are kept as
-- the same RFC 3339 text SQLite keeps, so a canonical dump of either reads the same.

CREATE TABLE blobs (
    id                TEXT PRIMARY KEY,      -- BLAKE3, 64 hex digits
    sha256            TEXT NOT NULL,
    size              BIGINT NOT NULL,
    kind              TEXT NOT NULL,         -- FileKind code, from the content
    status            TEXT NOT NULL,         -- pending | extracted | failed | unsupported | skipped
    extractor_version INTEGER,               -- null: never extracted
    metadata          TEXT NOT NULL DEFAULT '{}',  -- JSON of trove_model::Metadata
    truncated         BOOLEAN NOT NULL DEFAULT FALSE,
    thumbnail         BYTEA,
    indexed           BOOLEAN NOT NULL DEFAULT FALSE,  -- the search index holds its current state
    first_seen        TEXT NOT NULL
);
CREATE INDEX blobs_unindexed ON blobs (id) WHERE NOT indexed;

-- Text of a blob, one row per page, sheet, slide or message. PostgreSQL moves long
-- texts out of line (TOAST) by itself, so the key index stays small.
CREATE TABLE parts (
    blob   TEXT NOT NULL REFERENCES blobs (id),
    seq    INTEGER NOT NULL,   -- 0-based order within the blob
    kind   TEXT NOT NULL,
    idx    BIGINT NOT NULL,
    label  TEXT,
    text   TEXT NOT NULL,
    hidden TEXT,               -- JSON of trove_model::Hidden; NULL: nothing hidden
    PRIMARY KEY (blob, seq)
);

-- Every place a blob was seen.
CREATE TABLE occurrences (
    blob        TEXT NOT NULL REFERENCES blobs (id),
    root        TEXT NOT NULL,
    path        TEXT NOT NULL,
    parent      TEXT,
    name_kind   TEXT,
    member_time TEXT,
    first_seen  TEXT NOT NULL,
    PRIMARY KEY (root, path, blob)
);
CREATE INDEX occurrences_blob ON occurrences (blob);
CREATE INDEX occurrences_path ON occurrences (path);
CREATE INDEX occurrences_parent ON occurrences (parent) WHERE parent IS NOT NULL;

-- Files found on disk under an ingest root: the unit of resumption.
CREATE TABLE sources (
    root     TEXT NOT NULL,
    path     TEXT NOT NULL,
    size     BIGINT NOT NULL,
    mtime_ns BIGINT NOT NULL,
    done     BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (root, path)
);

-- What went wrong, where.
CREATE TABLE failures (
    id      BIGSERIAL PRIMARY KEY,
    root    TEXT NOT NULL,
    source  TEXT NOT NULL,
    path    TEXT NOT NULL,
    blob    TEXT,
    stage   TEXT NOT NULL,
    reason  TEXT NOT NULL,
    message TEXT NOT NULL,
    at      TEXT NOT NULL,
    UNIQUE (root, path, stage)
);
CREATE INDEX failures_source ON failures (root, source);
CREATE INDEX failures_blob ON failures (blob) WHERE blob IS NOT NULL;
