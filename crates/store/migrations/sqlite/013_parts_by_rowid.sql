-- A part holds a whole text: a register of a million rows is one part of some 60 MB. In a
-- WITHOUT ROWID table every row lives in the key's b-tree, and SQLite reads a key cell that
-- spills onto overflow pages whole each time a look-up compares against it, so every
-- look-up of any blob's parts that passed the big register's key copied all of it (most of
-- the time of a leak holding both such a register and many small files). A rowid table
-- keeps the texts out of the b-tree that look-ups search.
CREATE TABLE parts_by_rowid (
    blob   TEXT NOT NULL REFERENCES blobs(id),
    seq    INTEGER NOT NULL,   -- 0-based order within the blob
    kind   TEXT NOT NULL,
    idx    INTEGER NOT NULL,
    label  TEXT,
    text   TEXT NOT NULL,
    hidden TEXT,
    UNIQUE (blob, seq)
);
INSERT INTO parts_by_rowid (blob, seq, kind, idx, label, text, hidden)
    SELECT blob, seq, kind, idx, label, text, hidden FROM parts;
DROP TABLE parts;
ALTER TABLE parts_by_rowid RENAME TO parts;
