-- What people add to the data: tags shared within the case, notes (kept as history), and
-- each user's stars. On persons (by key) and documents (by blob id).
CREATE TABLE tags (
    subject_kind TEXT NOT NULL,   -- person | document
    subject      TEXT NOT NULL,
    tag          TEXT NOT NULL,
    by_user      TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (subject_kind, subject, tag)
) WITHOUT ROWID;
CREATE INDEX tags_by_tag ON tags (tag, subject_kind, subject);

CREATE TABLE notes (
    seq          INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject      TEXT NOT NULL,
    note         TEXT NOT NULL,
    by_user      TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX notes_subject ON notes (subject_kind, subject, seq);
CREATE TRIGGER notes_no_update BEFORE UPDATE ON notes
BEGIN SELECT RAISE(ABORT, 'notes are history: add a new one instead'); END;
CREATE TRIGGER notes_no_delete BEFORE DELETE ON notes
BEGIN SELECT RAISE(ABORT, 'notes are history: add a new one instead'); END;

CREATE TABLE stars (
    user_name    TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject      TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (user_name, subject_kind, subject)
) WITHOUT ROWID;
