-- The catalog: every fact ingest learns, keyed by content (blob), never by path.

-- One row per distinct content. A Document is a blob seen at one or more paths.
CREATE TABLE blobs (
    id                TEXT PRIMARY KEY,      -- BLAKE3, 64 hex digits
    sha256            TEXT NOT NULL,
    size              INTEGER NOT NULL,
    kind              TEXT NOT NULL,         -- FileKind code, from the content
    status            TEXT NOT NULL,         -- extracted | failed | unsupported | skipped
    extractor_version INTEGER,               -- null: never extracted
    metadata          TEXT NOT NULL DEFAULT '{}',  -- JSON of trove_model::Metadata
    truncated         INTEGER NOT NULL DEFAULT 0,
    thumbnail         BLOB,
    indexed           INTEGER NOT NULL DEFAULT 0,  -- 1 once the search index holds its current state
    first_seen        TEXT NOT NULL
);
CREATE INDEX blobs_unindexed ON blobs(indexed) WHERE indexed = 0;

-- Text of a blob, one row per page, sheet, slide or message.
CREATE TABLE parts (
    blob  TEXT NOT NULL REFERENCES blobs(id),
    seq   INTEGER NOT NULL,   -- 0-based order within the blob
    kind  TEXT NOT NULL,
    idx   INTEGER NOT NULL,
    label TEXT,
    text  TEXT NOT NULL,
    PRIMARY KEY (blob, seq)
) WITHOUT ROWID;

-- Every place a blob was seen: a path under an ingest root, maybe inside an
-- archive or an email (parent), with the kind its name suggested.
CREATE TABLE occurrences (
    blob           TEXT NOT NULL REFERENCES blobs(id),
    root           TEXT NOT NULL,   -- the folder that was ingested, absolute
    path           TEXT NOT NULL,   -- relative to root; '!/' enters an archive or email
    parent         TEXT,            -- blob id of the containing archive or email
    name_kind      TEXT,            -- FileKind guessed from the name, when it disagrees with content
    first_seen     TEXT NOT NULL,
    PRIMARY KEY (root, path, blob)
) WITHOUT ROWID;
CREATE INDEX occurrences_blob ON occurrences(blob);
CREATE INDEX occurrences_path ON occurrences(path);
CREATE INDEX occurrences_parent ON occurrences(parent) WHERE parent IS NOT NULL;

-- Files found on disk under an ingest root: the unit of resumption.
CREATE TABLE sources (
    root     TEXT NOT NULL,
    path     TEXT NOT NULL,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    done     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (root, path)
) WITHOUT ROWID;

-- What went wrong, where. `source` is the file on disk whose processing
-- produced it (so --retry-failed can redo exactly that file).
CREATE TABLE failures (
    id      INTEGER PRIMARY KEY,
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
CREATE INDEX failures_source ON failures(root, source);
