-- The records facet (SQLite's 002, 005 and 007): person records derived from sheet parts,
-- the sheets read as person lists, photos that carry an ID number, same-person
-- candidates, and under which rules each blob's records were made.
CREATE TABLE records (
    id            BIGSERIAL PRIMARY KEY,
    blob          TEXT NOT NULL REFERENCES blobs (id),
    part          BIGINT NOT NULL,   -- seq of the sheet part in `parts`
    row           BIGINT NOT NULL,   -- 1-based row of the sheet
    col           BIGINT NOT NULL DEFAULT 0,   -- first column of the row's table
    sheet         TEXT,
    list          TEXT NOT NULL,
    person        TEXT NOT NULL,
    id_number     TEXT,
    id_valid      BOOLEAN NOT NULL,
    name          TEXT,
    sex           TEXT,
    ethnicity     TEXT,
    birth_date    TEXT,
    township      TEXT,
    village       TEXT,
    status        TEXT,
    detention     BOOLEAN NOT NULL,
    flags         TEXT NOT NULL,     -- flag codes, space-separated ('' for none)
    candidate_key TEXT,
    search        TEXT NOT NULL,     -- lower-case text of every cell
    data          TEXT NOT NULL,     -- JSON of trove_model::Record
    UNIQUE (blob, part, row, col)
);
CREATE INDEX records_person ON records (person);
CREATE INDEX records_id_number ON records (id_number);
CREATE INDEX records_candidate ON records (candidate_key) WHERE candidate_key IS NOT NULL;

CREATE TABLE record_sources (
    blob    TEXT PRIMARY KEY REFERENCES blobs (id),
    version TEXT NOT NULL
);

CREATE TABLE photo_links (
    blob      TEXT NOT NULL REFERENCES blobs (id),
    id_number TEXT NOT NULL,
    via       TEXT NOT NULL,
    PRIMARY KEY (blob, id_number)
);
CREATE INDEX photo_links_id_number ON photo_links (id_number);

CREATE TABLE person_candidates (
    a      TEXT NOT NULL,
    b      TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (a, b)
);

CREATE TABLE person_sheets (
    blob       TEXT NOT NULL REFERENCES blobs (id),
    part       BIGINT NOT NULL,
    sheet      TEXT,
    header_row BIGINT NOT NULL,
    list       TEXT NOT NULL,
    evidence   TEXT NOT NULL,
    records    BIGINT NOT NULL,
    PRIMARY KEY (blob, part)
);

-- Moves with every commit of records, so that a reader in any process can tell that
-- what it computed from them is stale (SQLite's `data_version` does this there).
CREATE TABLE records_revision (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    revision BIGINT NOT NULL
);
INSERT INTO records_revision (revision) VALUES (0);
