-- OCR: the documents the OCR stage has considered under an engine and languages
-- (`version`), what it decided and why (an image judged a photograph is not read), and
-- the confidence of each page it read. The text itself is in `parts` (kind 'ocr').
CREATE TABLE ocr_sources (
    blob     TEXT PRIMARY KEY REFERENCES blobs(id),
    version  TEXT NOT NULL,
    decision TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE ocr_pages (
    blob       TEXT NOT NULL REFERENCES blobs(id),
    page       INTEGER NOT NULL,   -- 1-based page of a PDF; 1 for an image
    confidence REAL,               -- mean word confidence 0-100; NULL when no word was read
    PRIMARY KEY (blob, page)
) WITHOUT ROWID;
