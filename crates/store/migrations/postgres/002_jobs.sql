-- The ingest queue of server mode: one job per source file. `trove ingest --database`
-- fills it; `trove worker` processes claim jobs (FOR UPDATE SKIP LOCKED) and hold them
-- under a lease they renew while working; a job whose lease lapsed is claimed again.
CREATE TABLE jobs (
    id          BIGSERIAL PRIMARY KEY,
    root        TEXT NOT NULL,             -- the ingested folder, absolute
    path        TEXT NOT NULL,             -- relative to root
    size        BIGINT NOT NULL,
    mtime_ns    BIGINT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'queued',  -- queued | running | done | failed
    worker      TEXT,                      -- who holds (or last held) it
    lease_until TIMESTAMPTZ,               -- running: the holder's lease ends then
    attempts    INTEGER NOT NULL DEFAULT 0,
    error       TEXT,                      -- failed: why
    queued_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    UNIQUE (root, path)
);
CREATE INDEX jobs_open ON jobs (id) WHERE state IN ('queued', 'running');
