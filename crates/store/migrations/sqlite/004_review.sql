-- What people decided about the data: reviews of candidate matches and verification
-- statuses of persons and documents. Both are histories: rows are only ever added
-- (triggers refuse changes), and the current state is the latest row.

-- Every decision on a candidate match; match_candidates.review holds the latest. A
-- decision never merges anyone.
CREATE TABLE review_decisions (
    seq     INTEGER PRIMARY KEY,
    list    TEXT NOT NULL,
    row     INTEGER NOT NULL,
    person  TEXT NOT NULL,
    review  TEXT NOT NULL CHECK (review IN ('accepted', 'rejected', 'unsure')),
    note    TEXT NOT NULL DEFAULT '',
    by_user TEXT NOT NULL,
    at      TEXT NOT NULL            -- RFC 3339, UTC
);
-- A person page lists the candidate matches of that person, across lists.
CREATE INDEX match_candidates_person ON match_candidates (person);

CREATE INDEX review_decisions_candidate ON review_decisions (list, row, person, seq);

CREATE TABLE verifications (
    seq          INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('person', 'document')),
    subject      TEXT NOT NULL,      -- a person key, or a document's BLAKE3 hash
    status       TEXT NOT NULL
                 CHECK (status IN ('unverified', 'corroborated', 'verified', 'disputed')),
    note         TEXT NOT NULL DEFAULT '',
    evidence     TEXT NOT NULL DEFAULT '[]',   -- JSON array of URLs and document ids
    by_user      TEXT NOT NULL,
    at           TEXT NOT NULL       -- RFC 3339, UTC
);
CREATE INDEX verifications_subject ON verifications (subject_kind, subject, seq);

CREATE TRIGGER review_decisions_no_update BEFORE UPDATE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are history: add a new one instead'); END;
CREATE TRIGGER review_decisions_no_delete BEFORE DELETE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are history: add a new one instead'); END;
CREATE TRIGGER verifications_no_update BEFORE UPDATE ON verifications
BEGIN SELECT RAISE(ABORT, 'verifications are history: add a new one instead'); END;
CREATE TRIGGER verifications_no_delete BEFORE DELETE ON verifications
BEGIN SELECT RAISE(ABORT, 'verifications are history: add a new one instead'); END;
