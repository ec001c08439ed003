-- The OCR facet (SQLite's 006 and 007): the documents the OCR stage has considered under
-- an engine and languages (`version`), what it decided and why, and each page it read:
-- its confidence and its words laid out as rows. The text itself is in `parts` ('ocr').
CREATE TABLE ocr_sources (
    blob     TEXT PRIMARY KEY REFERENCES blobs (id),
    version  TEXT NOT NULL,
    decision TEXT NOT NULL
);

CREATE TABLE ocr_pages (
    blob       TEXT NOT NULL REFERENCES blobs (id),
    page       INTEGER NOT NULL,   -- 1-based page of a PDF; 1 for an image
    confidence REAL,               -- mean word confidence 0-100; NULL when no word was read
    layout     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (blob, page)
);
