-- Person records: rows of person lists, derived from sheet parts by trove-records, so
-- they can always be made again from the catalog. Keyed by (blob, part, row). A rowid
-- table: its rows (about 1 KB) are too wide for WITHOUT ROWID to pay.
CREATE TABLE records (
    id            INTEGER PRIMARY KEY,
    blob          TEXT NOT NULL REFERENCES blobs(id),
    part          INTEGER NOT NULL,   -- seq of the sheet part in `parts`
    row           INTEGER NOT NULL,   -- 1-based row of the sheet (line of a CSV file)
    sheet         TEXT,
    list          TEXT NOT NULL,      -- register | detainees | other (targeted: see 005)
    person        TEXT NOT NULL,      -- person key (a hash of the valid ID number, or of the row)
    id_number     TEXT,
    id_valid      INTEGER NOT NULL,
    name          TEXT,
    sex           TEXT,
    ethnicity     TEXT,
    birth_date    TEXT,
    township      TEXT,
    village       TEXT,
    status        TEXT,               -- StatusCategory code
    detention     INTEGER NOT NULL,   -- 1: the row says the person is held
    flags         TEXT NOT NULL,      -- flag codes, space-separated ('' for none)
    candidate_key TEXT,               -- name|birth date, for proposing same-person candidates
    search        TEXT NOT NULL,      -- lower-case text of every cell, for `trove records QUERY`
    data          TEXT NOT NULL,      -- JSON of trove_model::Record
    UNIQUE (blob, part, row)
);
CREATE INDEX records_person ON records(person);
CREATE INDEX records_id_number ON records(id_number);
CREATE INDEX records_candidate ON records(candidate_key) WHERE candidate_key IS NOT NULL;

-- Which version of the record rules (and mapping) a blob's records were made under.
CREATE TABLE record_sources (
    blob    TEXT PRIMARY KEY REFERENCES blobs(id),
    version TEXT NOT NULL
) WITHOUT ROWID;

-- Photos that carry a resident ID number (in a file name or EXIF text).
CREATE TABLE photo_links (
    blob      TEXT NOT NULL REFERENCES blobs(id),
    id_number TEXT NOT NULL,
    via       TEXT NOT NULL,
    PRIMARY KEY (blob, id_number)
) WITHOUT ROWID;
CREATE INDEX photo_links_id_number ON photo_links(id_number);

-- Persons proposed as the same person (same name and birth date, no joining ID number):
-- candidates for review, never merged by themselves. a < b.
CREATE TABLE person_candidates (
    a      TEXT NOT NULL,
    b      TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
