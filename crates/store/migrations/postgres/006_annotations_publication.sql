-- The annotations and publication facets (SQLite's 011 and 012): tags, notes (history),
-- stars; publication decisions (history) and the secret that turns a person key into a
-- published id.
CREATE TABLE tags (
    subject_kind TEXT NOT NULL,
    subject      TEXT NOT NULL,
    tag          TEXT NOT NULL,
    by_user      TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (subject_kind, subject, tag)
);
CREATE INDEX tags_by_tag ON tags (tag, subject_kind, subject);

CREATE TABLE notes (
    seq          BIGSERIAL PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject      TEXT NOT NULL,
    note         TEXT NOT NULL,
    by_user      TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX notes_subject ON notes (subject_kind, subject, seq);
CREATE TRIGGER notes_kept BEFORE UPDATE OR DELETE ON notes
    FOR EACH ROW EXECUTE FUNCTION trove_history_is_kept();

CREATE TABLE stars (
    user_name    TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject      TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (user_name, subject_kind, subject)
);

CREATE TABLE publication_decisions (
    seq           BIGSERIAL PRIMARY KEY,
    person        TEXT NOT NULL,
    publish       BOOLEAN NOT NULL,
    consent       TEXT NOT NULL
                  CHECK (consent IN ('unrecorded', 'family_consent', 'public_interest', 'withheld')),
    minor_allowed BOOLEAN NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    by_user       TEXT NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX publication_decisions_person ON publication_decisions (person, seq);
CREATE TRIGGER publication_decisions_kept BEFORE UPDATE OR DELETE ON publication_decisions
    FOR EACH ROW EXECUTE FUNCTION trove_history_is_kept();

-- 32 bytes from the server's strong random source (gen_random_uuid uses it; two version-4
-- UUIDs carry 244 random bits).
CREATE TABLE publication_secret (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret BYTEA NOT NULL CHECK (length(secret) = 32)
);
INSERT INTO publication_secret (id, secret)
    VALUES (1, decode(replace(gen_random_uuid()::TEXT || gen_random_uuid()::TEXT, '-', ''), 'hex'));
