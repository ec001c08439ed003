-- The lists and review facets (SQLite's 003, 004, 008 and 009): outside lists, their
-- candidate matches with Persons, and what people decided, kept as histories that are
-- only ever added to.
CREATE TABLE lists (
    name      TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    blake3    TEXT NOT NULL,
    imported  TEXT NOT NULL
);

CREATE TABLE list_entries (
    list   TEXT NOT NULL REFERENCES lists (name),
    row    BIGINT NOT NULL,
    scored BOOLEAN NOT NULL DEFAULT FALSE,
    data   TEXT NOT NULL,                -- JSON of trove_model::ListEntry
    PRIMARY KEY (list, row)
);

CREATE TABLE xref_persons (
    list   TEXT NOT NULL,
    person TEXT NOT NULL,
    PRIMARY KEY (list, person)
);

CREATE TABLE match_candidates (
    list   TEXT NOT NULL,
    row    BIGINT NOT NULL,
    person TEXT NOT NULL,
    score  DOUBLE PRECISION NOT NULL,
    fields TEXT NOT NULL,
    review TEXT NOT NULL DEFAULT 'unreviewed',
    PRIMARY KEY (list, row, person)
);
CREATE INDEX match_candidates_person ON match_candidates (person);
CREATE INDEX match_candidates_by_score ON match_candidates (list, score DESC, row, person);

CREATE TABLE review_decisions (
    seq     BIGSERIAL PRIMARY KEY,
    list    TEXT NOT NULL,
    row     BIGINT NOT NULL,
    person  TEXT NOT NULL,
    review  TEXT NOT NULL CHECK (review IN ('accepted', 'rejected', 'unsure')),
    note    TEXT NOT NULL DEFAULT '',
    by_user TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX review_decisions_candidate ON review_decisions (list, row, person, seq);

CREATE TABLE verifications (
    seq          BIGSERIAL PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('person', 'document')),
    subject      TEXT NOT NULL,
    status       TEXT NOT NULL
                 CHECK (status IN ('unverified', 'corroborated', 'verified', 'disputed')),
    note         TEXT NOT NULL DEFAULT '',
    evidence     TEXT NOT NULL DEFAULT '[]',
    by_user      TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX verifications_subject ON verifications (subject_kind, subject, seq);

CREATE TABLE finding_reviews (
    seq     BIGSERIAL PRIMARY KEY,
    finding TEXT NOT NULL,
    review  TEXT NOT NULL CHECK (review IN ('explained', 'confirmed', 'needs_work')),
    note    TEXT NOT NULL DEFAULT '',
    by_user TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX finding_reviews_finding ON finding_reviews (finding, seq);

-- Histories: a row once written stays as written.
CREATE FUNCTION trove_history_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is history: add a new row instead', TG_TABLE_NAME;
END $$;
CREATE TRIGGER review_decisions_kept BEFORE UPDATE OR DELETE ON review_decisions
    FOR EACH ROW EXECUTE FUNCTION trove_history_is_kept();
CREATE TRIGGER verifications_kept BEFORE UPDATE OR DELETE ON verifications
    FOR EACH ROW EXECUTE FUNCTION trove_history_is_kept();
CREATE TRIGGER finding_reviews_kept BEFORE UPDATE OR DELETE ON finding_reviews
    FOR EACH ROW EXECUTE FUNCTION trove_history_is_kept();
