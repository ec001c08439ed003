-- What editors decided about publishing persons, as history (the latest row per person is
-- the current decision), and the secret that turns a person key into a published id.
CREATE TABLE publication_decisions (
    seq           INTEGER PRIMARY KEY,
    person        TEXT NOT NULL,
    publish       INTEGER NOT NULL CHECK (publish IN (0, 1)),
    consent       TEXT NOT NULL
                  CHECK (consent IN ('unrecorded', 'family_consent', 'public_interest', 'withheld')),
    minor_allowed INTEGER NOT NULL CHECK (minor_allowed IN (0, 1)),
    note          TEXT NOT NULL DEFAULT '',
    by_user       TEXT NOT NULL,
    at            TEXT NOT NULL       -- RFC 3339, UTC
);
CREATE INDEX publication_decisions_person ON publication_decisions (person, seq);
CREATE TRIGGER publication_decisions_no_update BEFORE UPDATE ON publication_decisions
BEGIN SELECT RAISE(ABORT, 'publication decisions are history: add a new one instead'); END;
CREATE TRIGGER publication_decisions_no_delete BEFORE DELETE ON publication_decisions
BEGIN SELECT RAISE(ABORT, 'publication decisions are history: add a new one instead'); END;

-- Published ids are keyed hashes of person keys: stable from one publication to the next,
-- and not to be reversed into an ID number by trying every number (person keys derive
-- from ID numbers, a space small enough to search).
CREATE TABLE publication_secret (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret BLOB NOT NULL CHECK (length(secret) = 32)
);
INSERT INTO publication_secret (id, secret) VALUES (1, randomblob(32));
