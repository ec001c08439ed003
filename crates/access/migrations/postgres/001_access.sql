-- The server's access database in PostgreSQL (server mode): the tables, columns and
-- rules of the SQLite migrations 001-006 as one script, so that the same statements run
-- on both (see src/sql.rs). Integers are BIGINT and flags are 0 or 1, as in SQLite;
-- names sort by byte ("C"), as in SQLite. `rowid` keeps the order rows were written in,
-- which the chain check walks, as SQLite's implicit rowid does.

CREATE TABLE users (
    name          TEXT COLLATE "C" PRIMARY KEY,
    password_hash TEXT NOT NULL,
    is_admin      BIGINT NOT NULL DEFAULT 0,
    disabled      BIGINT NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE cases (
    name       TEXT COLLATE "C" PRIMARY KEY,
    store      TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE memberships (
    "user"    TEXT COLLATE "C" NOT NULL REFERENCES users(name),
    case_name TEXT COLLATE "C" NOT NULL REFERENCES cases(name),
    role      TEXT NOT NULL CHECK (role IN ('viewer', 'reviewer', 'editor', 'admin')),
    PRIMARY KEY ("user", case_name)
);
CREATE INDEX memberships_by_case ON memberships(case_name);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    "user"     TEXT COLLATE "C" NOT NULL REFERENCES users(name),
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions("user");

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    "user"     TEXT COLLATE "C" NOT NULL REFERENCES users(name),
    label      TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    expires_at BIGINT,
    UNIQUE ("user", label)
);

CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'reviewer', 'editor', 'admin')),
    case_name  TEXT COLLATE "C" REFERENCES cases(name),
    created_by TEXT COLLATE "C",
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    used_by    TEXT
);

CREATE TABLE login_failures (
    user_name TEXT NOT NULL,
    address   TEXT NOT NULL DEFAULT '',
    at        BIGINT NOT NULL
);
CREATE INDEX login_failures_by_name ON login_failures(user_name, at);
CREATE INDEX login_failures_by_name_address ON login_failures(user_name, address, at);

CREATE TABLE lockouts (
    user_name    TEXT NOT NULL,
    address      TEXT NOT NULL,
    locked_until BIGINT NOT NULL,
    PRIMARY KEY (user_name, address)
);

CREATE TABLE user_settings (
    user_name TEXT PRIMARY KEY REFERENCES users(name),
    language  TEXT NOT NULL
);

-- Secrets every server process needs the same of (the key of the forms' CSRF tokens):
-- with SQLite they are files in the server folder; here, made once by whichever process
-- asks first.
CREATE TABLE server_secrets (
    name   TEXT PRIMARY KEY,
    secret TEXT NOT NULL
);

CREATE TABLE audit_events (
    rowid     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq       BIGINT NOT NULL UNIQUE,
    at        TEXT COLLATE "C" NOT NULL,
    actor     TEXT COLLATE "C",
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
CREATE INDEX audit_by_time ON audit_events(at);

CREATE TABLE audit_checkpoints (
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq        BIGINT NOT NULL,
    head_hash  TEXT NOT NULL,
    at         TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature  TEXT NOT NULL
);

-- Append-only, as in SQLite: trove never changes or deletes an event or a checkpoint.
-- Someone holding the database can drop these; the hash chain and the signed
-- checkpoints are what catch that.
CREATE FUNCTION trove_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events FOR EACH ROW
    EXECUTE FUNCTION trove_refuse_change('the audit trail is append-only: events cannot be changed');
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events FOR EACH ROW
    EXECUTE FUNCTION trove_refuse_change('the audit trail is append-only: events cannot be deleted');
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT
    EXECUTE FUNCTION trove_refuse_change('the audit trail is append-only: events cannot be deleted');
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints FOR EACH ROW
    EXECUTE FUNCTION trove_refuse_change('checkpoints are history: make a new one instead');
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints FOR EACH ROW
    EXECUTE FUNCTION trove_refuse_change('checkpoints are history: make a new one instead');
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints FOR EACH STATEMENT
    EXECUTE FUNCTION trove_refuse_change('checkpoints are history: make a new one instead');
