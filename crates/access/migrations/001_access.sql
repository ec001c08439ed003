-- The server's access database: who may see which case, their sessions and tokens,
-- and the append-only, hash-chained audit trail. Times are Unix seconds (UTC) except
-- in the audit trail, whose RFC 3339 text is part of what each hash commits to.

CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,              -- a PHC string (argon2id)
    is_admin      INTEGER NOT NULL DEFAULT 0, -- a server admin: users, cases, audit
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE cases (
    name       TEXT PRIMARY KEY,
    store      TEXT NOT NULL,                 -- the case's store folder
    created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE memberships (
    user TEXT NOT NULL REFERENCES users(name),
    case_name TEXT NOT NULL REFERENCES cases(name),
    role TEXT NOT NULL CHECK (role IN ('viewer', 'reviewer', 'editor', 'admin')),
    PRIMARY KEY (user, case_name)
) WITHOUT ROWID;
CREATE INDEX memberships_by_case ON memberships(case_name);

-- Secrets (session and API tokens, invitation links) are kept only as their BLAKE3
-- hash: a copy of this file lets nobody log in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user       TEXT NOT NULL REFERENCES users(name),
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions(user);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user       TEXT NOT NULL REFERENCES users(name),
    label      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    UNIQUE (user, label)
) WITHOUT ROWID;

CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'reviewer', 'editor', 'admin')),
    case_name  TEXT REFERENCES cases(name),   -- NULL with role admin: a server admin
    created_by TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    used_by    TEXT
) WITHOUT ROWID;

-- Failed logins by the name tried (which need not exist), and the lock-outs they
-- caused: kept here so that a restart does not reset them.
CREATE TABLE login_failures (
    user_name TEXT NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX login_failures_by_name ON login_failures(user_name, at);

CREATE TABLE lockouts (
    user_name    TEXT PRIMARY KEY,
    locked_until INTEGER NOT NULL
) WITHOUT ROWID;

-- The audit trail. The rowid keeps the order events were written in; `seq` is the
-- order they claim. Each hash covers prev_hash and the event's fields (see
-- trove_store::access::audit), so `trove verify` finds any event altered, removed or
-- reordered. Not foreign keys: an event outlives the user or case it names.
CREATE TABLE audit_events (
    seq       INTEGER NOT NULL UNIQUE,
    at        TEXT NOT NULL,
    actor     TEXT,
    action    TEXT NOT NULL,
    case_name TEXT,
    target    TEXT,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_by_actor ON audit_events(actor, seq);
CREATE INDEX audit_by_action ON audit_events(action, seq);
CREATE INDEX audit_by_case ON audit_events(case_name, seq);

-- Append-only: trove never changes or deletes an event. Someone holding the file can
-- drop these triggers; the hash chain is what catches that.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be changed');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be deleted');
END;
