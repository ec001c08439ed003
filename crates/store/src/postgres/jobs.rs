//! The ingest queue of server mode, in PostgreSQL: one job per source file.
//!
//! A worker claims the oldest open job with `FOR UPDATE SKIP LOCKED` (workers never wait
//! for each other, never take the same job), holds it under a lease it renews while
//! working, and marks it done after the catalog holds what the file produced. A worker
//! killed mid-job stops renewing; once its lease lapses the job is claimed again, and
//! since every catalog write is idempotent the second run adds nothing twice. A job that
//! has lost [`MAX_ATTEMPTS`] workers is failed rather than tried forever: a file
//! that kills whoever reads it must not stop the leak.

use std::time::Duration;

use postgres::Row;

use super::PgCatalog;
use crate::StoreError;

/// A file to queue: where it is, and its size and modification time when listed (a
/// file queued again unchanged keeps its state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedFile {
    /// The ingested folder, absolute.
    pub root: String,
    /// Relative to `root`, with `/` separators, as the catalog records it.
    pub path: String,
    /// The path's own bytes when they are not UTF-8 (`path` then holds `\xNN` for each
    /// byte that is not): what a worker opens.
    pub path_bytes: Option<Vec<u8>>,
    /// Length in bytes when listed.
    pub size: u64,
    /// Modification time when listed, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
}

/// A job a worker holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedJob {
    /// The job's number.
    pub id: i64,
    /// The file to process.
    pub file: QueuedFile,
    /// 1 for the first claim; more when earlier holders lost it.
    pub attempt: u32,
}

/// Jobs by state, for `trove status` on any machine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobCounts {
    /// Waiting for a worker.
    pub queued: u64,
    /// Held by a worker whose lease runs.
    pub running: u64,
    /// Held by a worker whose lease lapsed: claimed again by the next free worker.
    pub lapsed: u64,
    /// Finished.
    pub done: u64,
    /// Given up (see [`JobQueue::fail`]).
    pub failed: u64,
}

impl JobCounts {
    /// Jobs not finished one way or the other.
    pub fn open(&self) -> u64 {
        self.queued + self.running + self.lapsed
    }
}

/// Workers a job may lose (killed, cut off) before it is failed.
pub const MAX_ATTEMPTS: u32 = 3;

/// The queue, on a [`PgCatalog`]'s connection.
pub trait JobQueue: Send + Sync {
    /// Queues files the catalog does not hold as done: new ones, and finished or failed
    /// ones again. One queued or running keeps its place unless its size or modification
    /// time changed. Returns how many were queued.
    fn enqueue(&self, files: &[QueuedFile]) -> Result<u64, StoreError>;

    /// Claims the oldest open job for `worker`, leased for `lease`; `None` when no job is
    /// open (all done, failed, or held under a running lease).
    fn claim(&self, worker: &str, lease: Duration) -> Result<Option<ClaimedJob>, StoreError>;

    /// Extends `worker`'s lease on job `id`. False when the worker no longer holds it
    /// (its lease lapsed and another took it): it must stop and drop what it has.
    fn renew(&self, id: i64, worker: &str, lease: Duration) -> Result<bool, StoreError>;

    /// Marks job `id` done; false when `worker` no longer held it.
    fn complete(&self, id: i64, worker: &str) -> Result<bool, StoreError> {
        Ok(self.complete_all(&[id], worker)? == 1)
    }

    /// Marks jobs done, in one statement; returns how many `worker` still held (the
    /// others were taken over and are another worker's to finish).
    fn complete_all(&self, ids: &[i64], worker: &str) -> Result<u64, StoreError>;

    /// Marks job `id` failed with `reason`; false when `worker` no longer held it.
    fn fail(&self, id: i64, worker: &str, reason: &str) -> Result<bool, StoreError>;

    /// Jobs by state.
    fn job_counts(&self) -> Result<JobCounts, StoreError>;

    /// Failed jobs as (root, path, reason), oldest first.
    fn failed_jobs(&self) -> Result<Vec<(String, String, String)>, StoreError>;
}

impl JobQueue for PgCatalog {
    fn enqueue(&self, files: &[QueuedFile]) -> Result<u64, StoreError> {
        self.with_client(|client| {
            let mut tx = client.transaction()?;
            let upsert = tx.prepare(
                "INSERT INTO jobs (root, path, size, mtime_ns, path_bytes) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (root, path) DO UPDATE SET
                     size = excluded.size, mtime_ns = excluded.mtime_ns, state = 'queued',
                     path_bytes = excluded.path_bytes,
                     worker = NULL, lease_until = NULL, attempts = 0, error = NULL,
                     queued_at = now(), finished_at = NULL
                 WHERE jobs.state IN ('done', 'failed')
                    OR jobs.size <> excluded.size OR jobs.mtime_ns <> excluded.mtime_ns",
            )?;
            let mut queued = 0;
            for file in files {
                queued += tx.execute(
                    &upsert,
                    &[
                        &file.root,
                        &file.path,
                        &(file.size as i64),
                        &file.mtime_ns,
                        &file.path_bytes,
                    ],
                )?;
            }
            tx.commit()?;
            Ok(queued)
        })
    }

    fn claim(&self, worker: &str, lease: Duration) -> Result<Option<ClaimedJob>, StoreError> {
        let max_attempts = MAX_ATTEMPTS as i32;
        self.with_client(|client| {
            // One statement, so one round trip: claims are as many as files.
            let row = client.query_opt(
                "UPDATE jobs SET state = 'running', worker = $1, attempts = attempts + 1,
                     lease_until = now() + make_interval(secs => $2)
                 WHERE id = (
                     SELECT id FROM jobs
                     WHERE state = 'queued'
                        OR (state = 'running' AND lease_until < now() AND attempts < $3)
                     ORDER BY id
                     LIMIT 1
                     FOR UPDATE SKIP LOCKED)
                 RETURNING id, root, path, size, mtime_ns, attempts, path_bytes",
                &[&worker, &lease.as_secs_f64(), &max_attempts],
            )?;
            if row.is_none() {
                // Nothing left to claim: what only lost workers held no longer counts as open.
                give_up_lost_jobs(client)?;
            }
            Ok(row.as_ref().map(claimed_job))
        })
    }

    fn renew(&self, id: i64, worker: &str, lease: Duration) -> Result<bool, StoreError> {
        self.with_client(|client| {
            // A job given up while its holder was only slow is the holder's again: no
            // other worker takes a failed job, and the holder is still at it.
            let renewed = client.execute(
                "UPDATE jobs SET lease_until = now() + make_interval(secs => $3),
                     state = 'running', finished_at = NULL, error = NULL
                 WHERE id = $1 AND worker = $2
                   AND (state = 'running' OR (state = 'failed' AND starts_with(error, $4)))",
                &[&id, &worker, &lease.as_secs_f64(), &GIVEN_UP],
            )?;
            Ok(renewed == 1)
        })
    }

    fn complete_all(&self, ids: &[i64], worker: &str) -> Result<u64, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        self.with_client(|client| {
            // From 'failed' too: a slow holder whose third lease lapsed was given up
            // (`give_up_lost_jobs`), but its file is in the catalog now; no other worker
            // can have taken a failed job meanwhile.
            Ok(client.execute(
                "UPDATE jobs SET state = 'done', finished_at = now(), lease_until = NULL,
                     error = NULL
                 WHERE id = ANY($1) AND worker = $2
                   AND (state = 'running' OR (state = 'failed' AND starts_with(error, $3)))",
                &[&ids, &worker, &GIVEN_UP],
            )?)
        })
    }

    fn fail(&self, id: i64, worker: &str, reason: &str) -> Result<bool, StoreError> {
        self.with_client(|client| {
            let failed = client.execute(
                "UPDATE jobs SET state = 'failed', finished_at = now(), lease_until = NULL,
                     error = $3
                 WHERE id = $1 AND worker = $2 AND state = 'running'",
                &[&id, &worker, &reason],
            )?;
            Ok(failed == 1)
        })
    }

    fn job_counts(&self) -> Result<JobCounts, StoreError> {
        self.with_client(|client| {
            give_up_lost_jobs(client)?;
            let rows = client.query(
                "SELECT CASE WHEN state = 'running' AND lease_until < now() THEN 'lapsed'
                             ELSE state END,
                        COUNT(*)
                 FROM jobs GROUP BY 1",
                &[],
            )?;
            let mut counts = JobCounts::default();
            for row in rows {
                let count = row.get::<_, i64>(1) as u64;
                match row.get::<_, &str>(0) {
                    "queued" => counts.queued = count,
                    "running" => counts.running = count,
                    "lapsed" => counts.lapsed = count,
                    "done" => counts.done = count,
                    "failed" => counts.failed = count,
                    other => return Err(StoreError::Corrupt(format!("job state {other:?}"))),
                }
            }
            Ok(counts)
        })
    }

    fn failed_jobs(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        self.with_client(|client| {
            give_up_lost_jobs(client)?;
            let rows = client.query(
                "SELECT root, path, COALESCE(error, '') FROM jobs WHERE state = 'failed'
                 ORDER BY finished_at, id",
                &[],
            )?;
            Ok(rows
                .iter()
                .map(|row| (row.get(0), row.get(1), row.get(2)))
                .collect())
        })
    }
}

/// How the error of a job given up as lost begins: such a job's holder may still renew
/// or complete it (it was slow, not gone), unlike one its holder failed itself.
const GIVEN_UP: &str = "the worker processing it stopped (killed or cut off) ";

/// Fails the jobs whose every holder was lost ([`MAX_ATTEMPTS`] of them), saying so: no
/// worker claims them again, and they should not read as open. Idempotent, so any
/// reader of the queue runs it first.
fn give_up_lost_jobs(client: &mut postgres::Client) -> Result<(), StoreError> {
    client.execute(
        "UPDATE jobs SET state = 'failed', finished_at = now(), lease_until = NULL,
             error = $2 || attempts || ' times; run `trove worker` on it alone to see why'
         WHERE state = 'running' AND lease_until < now() AND attempts >= $1",
        &[&(MAX_ATTEMPTS as i32), &GIVEN_UP],
    )?;
    Ok(())
}

fn claimed_job(row: &Row) -> ClaimedJob {
    ClaimedJob {
        id: row.get(0),
        file: QueuedFile {
            root: row.get(1),
            path: row.get(2),
            size: row.get::<_, i64>(3) as u64,
            mtime_ns: row.get(4),
            path_bytes: row.get(6),
        },
        attempt: row.get::<_, i32>(5) as u32,
    }
}
