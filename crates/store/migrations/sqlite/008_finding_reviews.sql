-- Reviewers' conclusions about findings of the authenticity report (explained, confirmed,
-- needs work), by the finding's id; history, like verifications: the latest is current.
CREATE TABLE finding_reviews (
    seq     INTEGER PRIMARY KEY,
    finding TEXT NOT NULL,
    review  TEXT NOT NULL CHECK (review IN ('explained', 'confirmed', 'needs_work')),
    note    TEXT NOT NULL DEFAULT '',
    by_user TEXT NOT NULL,
    at      TEXT NOT NULL            -- RFC 3339, UTC
);
CREATE INDEX finding_reviews_finding ON finding_reviews (finding, seq);
CREATE TRIGGER finding_reviews_no_update BEFORE UPDATE ON finding_reviews
BEGIN SELECT RAISE(ABORT, 'finding reviews are history: add a new one instead'); END;
CREATE TRIGGER finding_reviews_no_delete BEFORE DELETE ON finding_reviews
BEGIN SELECT RAISE(ABORT, 'finding reviews are history: add a new one instead'); END;
