-- Outside lists (relatives' reports, published lists) and candidate matches with Persons.
CREATE TABLE lists (
    name      TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    blake3    TEXT NOT NULL,     -- of the imported file: entries point back to it
    imported  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE list_entries (
    list   TEXT NOT NULL REFERENCES lists(name),
    row    INTEGER NOT NULL,
    scored INTEGER NOT NULL DEFAULT 0,   -- 1 once scored against every Person then known
    data   TEXT NOT NULL,                -- JSON of trove_model::ListEntry
    PRIMARY KEY (list, row)
) WITHOUT ROWID;

-- Persons already scored against every entry of a list: a later xref scores only new
-- Persons against old entries (and new entries against everyone).
CREATE TABLE xref_persons (
    list   TEXT NOT NULL,
    person TEXT NOT NULL,
    PRIMARY KEY (list, person)
) WITHOUT ROWID;

CREATE TABLE match_candidates (
    list   TEXT NOT NULL,
    row    INTEGER NOT NULL,
    person TEXT NOT NULL,
    score  REAL NOT NULL,
    fields TEXT NOT NULL,                    -- JSON of the field-by-field explanation
    review TEXT NOT NULL DEFAULT 'unreviewed',
    PRIMARY KEY (list, row, person)
) WITHOUT ROWID;
