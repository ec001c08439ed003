//! The shared catalog of server mode: PostgreSQL, which many processes on many machines
//! use at once (ingest workers, indexer, web servers).
//!
//! Facets come over from SQLite one at a time, each behind the same trait and the same
//! contract tests (`tests/*_contract.rs`): so far the
//! [`Catalog`](crate::Catalog) facet (documents, parts, occurrences, sources, failures),
//! every other facet (OCR, records, lists, review, annotations, publication) and the
//! ingest queue ([`JobQueue`]).

mod annotations;
mod catalog;
mod jobs;
mod lists;
mod ocr;
mod password_file;
mod pool;
mod publication;
mod records;
mod review;

use std::sync::atomic::AtomicU64;

use postgres::types::ToSql;
use postgres::{Client, Config, Row};

use crate::StoreError;
pub use jobs::{ClaimedJob, JobCounts, JobQueue, MAX_ATTEMPTS, QueuedFile};
pub use pool::{Migrations, PgPool, pg_reason};

/// Schema migrations, applied in order; `trove_migrations` records those applied.
const MIGRATIONS: Migrations = Migrations {
    table: "trove_migrations",
    // Any constant works; this one spells "trove" in ASCII.
    lock: 0x74_72_6f_76_65,
    scripts: &[
        include_str!("../../migrations/postgres/001_catalog.sql"),
        include_str!("../../migrations/postgres/002_jobs.sql"),
        include_str!("../../migrations/postgres/003_ocr.sql"),
        include_str!("../../migrations/postgres/004_records.sql"),
        include_str!("../../migrations/postgres/005_lists_review.sql"),
        include_str!("../../migrations/postgres/006_annotations_publication.sql"),
        include_str!("../../migrations/postgres/007_blob_generation.sql"),
        include_str!("../../migrations/postgres/008_job_path_bytes.sql"),
        include_str!("../../migrations/postgres/009_candidate_person.sql"),
    ],
};

/// Now, as the RFC 3339 text (UTC, seconds) the catalog keeps in both backends.
pub(crate) const NOW: &str = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

/// The catalog in a PostgreSQL database.
///
/// One connection, or a few (a web server's): each process opens its own, and
/// PostgreSQL arbitrates between them.
pub struct PgCatalog {
    pool: PgPool,
    /// Record writes through this handle, for [`RecordsRevision::here`](crate::RecordsRevision).
    record_writes: AtomicU64,
}

impl PgCatalog {
    /// Connects to the database at `url` (`postgres://user@host:port/name`, or the
    /// key=value form) and brings its schema up to date.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_pool(url, 1)
    }

    /// Connects with a parsed configuration (a test's own schema, say).
    pub fn connect(config: &Config) -> Result<Self, StoreError> {
        Self::connect_pool(config, 1)
    }

    /// A pool of up to `connections` (at least one; the others opened as callers need
    /// them): callers on several threads (the workbench's requests) each take a free
    /// connection instead of queueing on one.
    pub fn connect_pool(config: &Config, connections: usize) -> Result<Self, StoreError> {
        Ok(PgCatalog {
            pool: PgPool::connect(config, connections, &MIGRATIONS)?,
            record_writes: AtomicU64::new(0),
        })
    }

    /// [`open`](Self::open) with a pool of `connections` (see [`connect_pool`](Self::connect_pool)).
    pub fn open_pool(url: &str, connections: usize) -> Result<Self, StoreError> {
        Self::connect_pool(&PgPool::config(url)?, connections)
    }

    /// The database, as host, port and name.
    pub fn database(&self) -> &str {
        self.pool.database()
    }

    /// Takes the one-holder role `role` of this catalog (`"indexer"`, `"records"`) for as
    /// long as the returned [`HeldRole`] lives, on a connection of its own (a killed
    /// holder's role goes with its connection). `None` when another process holds it.
    ///
    /// The catalog's `indexed` flags are one bit, so a second indexer would mark as
    /// indexed what only the first one's index holds; two records stages would interleave
    /// the pieces of one long sheet. The lock is keyed by schema too, as one database may
    /// hold several catalogs.
    pub fn take_role(&self, role: &str) -> Result<Option<HeldRole>, StoreError> {
        let mut client = self.pool.connect_alone()?;
        let key = format!("trove {role}");
        let taken = client
            .query_one(
                "SELECT pg_try_advisory_lock(hashtext($1), hashtext(current_schema())),
                        pg_backend_pid()",
                &[&key],
            )
            .map_err(|reason| self.pool.failed(reason))?;
        Ok(taken.get::<_, bool>(0).then(|| HeldRole {
            client: Some(client),
            backend: taken.get(1),
        }))
    }

    /// Runs `work` on a free connection; an error comes back naming this database.
    pub(crate) fn with_client<T>(
        &self,
        work: impl FnOnce(&mut Client) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.pool.with_client(work)
    }
}

/// A one-holder role of a catalog (see [`PgCatalog::take_role`]), released when dropped.
///
/// The role is an advisory lock of its connection's session: when that connection breaks
/// (a server restart, a network fault) PostgreSQL releases it, and another process may
/// take the role while this one still works. A holder asks [`still_held`](Self::still_held)
/// as it goes and stops when it is not.
pub struct HeldRole {
    /// `None` only while dropping.
    client: Option<Client>,
    backend: i32,
}

impl HeldRole {
    /// Whether the role is still this process's: false once its lock is gone, an error
    /// (saying why) once its connection is.
    pub fn still_held(&mut self) -> Result<bool, String> {
        let Some(client) = self.client.as_mut() else {
            return Ok(false);
        };
        client
            .query_one(
                "SELECT count(*) FROM pg_locks
                  WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted",
                &[],
            )
            .map(|row| row.get::<_, i64>(0) > 0)
            .map_err(|error| pg_reason(&error))
    }

    /// The server process holding the role (`pg_stat_activity.pid`), for an
    /// administrator looking at the server.
    pub fn backend(&self) -> i32 {
        self.backend
    }
}

impl Drop for HeldRole {
    fn drop(&mut self) {
        pool::close_off_runtime(self.client.take());
    }
}

/// Rows fetched at a time by the walks over whole tables, which may cover millions.
const WALK_BATCH: i32 = 1_000;

/// Runs `sql` through a cursor, `WALK_BATCH` rows at a time, so that a walk over
/// millions of rows holds a batch in memory, not the table.
pub(super) fn walk(
    client: &mut Client,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    visit: &mut dyn FnMut(&Row) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    let statement = tx.prepare(sql)?;
    let portal = tx.bind(&statement, params)?;
    loop {
        let rows = tx.query_portal(&portal, WALK_BATCH)?;
        for row in &rows {
            visit(row)?;
        }
        if rows.len() < WALK_BATCH as usize {
            break;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The last of `items` for each key, in the order of those last ones: one statement may
/// not insert (or update) the same row twice.
pub(super) fn last_of_each<'a, T, K: Eq + std::hash::Hash>(
    items: &'a [T],
    key: impl Fn(&'a T) -> K,
) -> Vec<&'a T> {
    let mut seen = std::collections::HashSet::new();
    let mut latest: Vec<&T> = items
        .iter()
        .rev()
        .filter(|item| seen.insert(key(item)))
        .collect();
    latest.reverse();
    latest
}
