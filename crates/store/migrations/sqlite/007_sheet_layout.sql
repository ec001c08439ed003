-- What a workbook hides of a sheet (JSON of trove_model::Hidden: the sheet itself, spans of
-- hidden rows); NULL when nothing is hidden.
ALTER TABLE parts ADD COLUMN hidden TEXT;

-- An OCR'd page's words laid out by position (a row of the page per line, a tab between
-- cells): what records are read from when a user asks for records from OCR'd tables.
ALTER TABLE ocr_pages ADD COLUMN layout TEXT NOT NULL DEFAULT '';

-- Tables standing side by side on one sheet: one row of the sheet is a row of each, told
-- apart by the first column (0-based) of the table. SQLite cannot change a UNIQUE
-- constraint in place, so the table is made again with every record kept.
CREATE TABLE records_by_table (
    id            INTEGER PRIMARY KEY,
    blob          TEXT NOT NULL REFERENCES blobs(id),
    part          INTEGER NOT NULL,
    row           INTEGER NOT NULL,
    col           INTEGER NOT NULL DEFAULT 0,   -- first column of the row's table
    sheet         TEXT,
    list          TEXT NOT NULL,
    person        TEXT NOT NULL,
    id_number     TEXT,
    id_valid      INTEGER NOT NULL,
    name          TEXT,
    sex           TEXT,
    ethnicity     TEXT,
    birth_date    TEXT,
    township      TEXT,
    village       TEXT,
    status        TEXT,
    detention     INTEGER NOT NULL,
    flags         TEXT NOT NULL,
    candidate_key TEXT,
    search        TEXT NOT NULL,
    data          TEXT NOT NULL,
    UNIQUE (blob, part, row, col)
);
INSERT INTO records_by_table (id, blob, part, row, col, sheet, list, person, id_number,
        id_valid, name, sex, ethnicity, birth_date, township, village, status, detention,
        flags, candidate_key, search, data)
    SELECT id, blob, part, row, 0, sheet, list, person, id_number, id_valid, name, sex,
        ethnicity, birth_date, township, village, status, detention, flags, candidate_key,
        search, data
    FROM records;
DROP TABLE records;
ALTER TABLE records_by_table RENAME TO records;
CREATE INDEX records_person ON records(person);
CREATE INDEX records_id_number ON records(id_number);
CREATE INDEX records_candidate ON records(candidate_key) WHERE candidate_key IS NOT NULL;
