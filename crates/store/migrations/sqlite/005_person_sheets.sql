-- The sheets read as person lists: what kind of list each was judged to be and why, so
-- that a person can check the kinds that decide who enters a rate's denominator (and
-- classify, through a mapping file, a sheet nothing decided). Derived with the records.
CREATE TABLE person_sheets (
    blob       TEXT NOT NULL REFERENCES blobs(id),
    part       INTEGER NOT NULL,   -- seq of the sheet part in `parts`
    sheet      TEXT,
    header_row INTEGER NOT NULL,   -- 1-based
    list       TEXT NOT NULL,      -- register | detainees | targeted | other
    evidence   TEXT NOT NULL,      -- what decided the kind, in words
    records    INTEGER NOT NULL,
    PRIMARY KEY (blob, part)
) WITHOUT ROWID;
