-- Lock-outs are per user name and client address, so that someone guessing a name's
-- password from one address does not lock its owner out everywhere. Lock-outs last
-- minutes, so the old table's few rows are dropped rather than carried over.
ALTER TABLE login_failures ADD COLUMN address TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_by_name_address ON login_failures(user_name, address, at);
DROP TABLE lockouts;
CREATE TABLE lockouts (
    user_name    TEXT NOT NULL,
    address      TEXT NOT NULL,
    locked_until INTEGER NOT NULL,
    PRIMARY KEY (user_name, address)
) WITHOUT ROWID;
