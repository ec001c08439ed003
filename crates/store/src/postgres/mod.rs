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
mod publication;
mod records;
mod review;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};

use postgres::types::ToSql;
use postgres::{Client, Config, NoTls, Row};

use crate::StoreError;
pub use jobs::{ClaimedJob, JobCounts, JobQueue, MAX_ATTEMPTS, QueuedFile};

/// Schema migrations, applied in order; `trove_migrations` records those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/001_catalog.sql"),
    include_str!("../../migrations/postgres/002_jobs.sql"),
    include_str!("../../migrations/postgres/003_ocr.sql"),
    include_str!("../../migrations/postgres/004_records.sql"),
    include_str!("../../migrations/postgres/005_lists_review.sql"),
    include_str!("../../migrations/postgres/006_annotations_publication.sql"),
];

/// Taken while migrating, so that workers starting together migrate once. Any constant
/// works; this one spells "trove" in ASCII.
const MIGRATION_LOCK: i64 = 0x74_72_6f_76_65;

/// Now, as the RFC 3339 text (UTC, seconds) the catalog keeps in both backends.
pub(crate) const NOW: &str = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

/// The catalog in a PostgreSQL database.
///
/// One connection behind a mutex, as with SQLite, or a few (a web server's): each
/// process opens its own, and PostgreSQL arbitrates between them.
pub struct PgCatalog {
    /// Host, port and database, for messages; never the password.
    database: String,
    /// The connections, each used by one caller at a time; empty only while dropping
    /// (see the `Drop` impl).
    clients: Vec<Mutex<Client>>,
    /// Where the next caller starts looking for a free connection.
    next: AtomicUsize,
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

    /// Connects `connections` times (at least once): callers on several threads (the
    /// workbench's requests) each take a free connection instead of queueing on one.
    /// Session state (the roles of [`take_role`](Self::take_role)) belongs to whichever
    /// connection took it, for the catalog's life.
    pub fn connect_pool(config: &Config, connections: usize) -> Result<Self, StoreError> {
        let database = describe(config);
        let tied = |source| StoreError::Database {
            database: database.clone(),
            source,
        };
        let mut clients = Vec::with_capacity(connections.max(1));
        for _ in 0..connections.max(1) {
            let mut client = config.connect(NoTls).map_err(tied)?;
            if clients.is_empty() {
                migrate(&mut client).map_err(tied)?;
            }
            clients.push(Mutex::new(client));
        }
        Ok(PgCatalog {
            database,
            clients,
            next: AtomicUsize::new(0),
            record_writes: AtomicU64::new(0),
        })
    }

    /// [`open`](Self::open) with a pool of `connections` (see [`connect_pool`](Self::connect_pool)).
    pub fn open_pool(url: &str, connections: usize) -> Result<Self, StoreError> {
        let config: Config = url.parse().map_err(|source| StoreError::Database {
            database: redacted(url),
            source,
        })?;
        Self::connect_pool(&config, connections)
    }

    /// The database, as host, port and name.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// Takes the one-holder role `role` of this catalog (`"indexer"`, `"records"`) for as
    /// long as this connection lives (a killed holder's role goes with its connection).
    /// False when another process holds it.
    ///
    /// The catalog's `indexed` flags are one bit, so a second indexer would mark as
    /// indexed what only the first one's index holds; two records stages would interleave
    /// the pieces of one long sheet. The lock is keyed by schema too, as one database may
    /// hold several catalogs.
    pub fn take_role(&self, role: &str) -> Result<bool, StoreError> {
        let role = format!("trove {role}");
        self.with_client(|client| {
            Ok(client
                .query_one(
                    "SELECT pg_try_advisory_lock(hashtext($1), hashtext(current_schema()))",
                    &[&role],
                )?
                .get(0))
        })
    }

    /// A free connection, or (all busy) the next in turn once it is free. A panic while
    /// holding one leaves no half transaction behind (the client rolls back a
    /// transaction dropped unfinished), so a poisoned lock is still usable.
    fn lock(&self) -> MutexGuard<'_, Client> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let count = self.clients.len();
        for offset in 0..count {
            match self.clients[(start + offset) % count].try_lock() {
                Ok(client) => return client,
                Err(TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        self.clients[start % count]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `work` on the locked connection; an error comes back naming this database.
    pub(crate) fn with_client<T>(
        &self,
        work: impl FnOnce(&mut Client) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        work(&mut self.lock()).map_err(|error| match error {
            StoreError::PgQuery(source) => StoreError::Database {
                database: self.database.clone(),
                source,
            },
            other => other,
        })
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

impl Drop for PgCatalog {
    /// Closes the connections on a thread of its own: a client closes by running a
    /// runtime of its own, which panics on a thread that drives an async runtime (the
    /// workbench's, when the last request holding a case lets go of it).
    fn drop(&mut self) {
        let clients = std::mem::take(&mut self.clients);
        let _ = std::thread::spawn(move || drop(clients)).join();
    }
}

/// Applies the migrations the database has not had yet, under an advisory lock so that
/// processes starting together do not race.
fn migrate(client: &mut Client) -> Result<(), postgres::Error> {
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])?;
    let result = apply_missing(client);
    let unlocked = client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]);
    result.and(unlocked.map(drop))
}

fn apply_missing(client: &mut Client) -> Result<(), postgres::Error> {
    client.batch_execute(
        "CREATE TABLE IF NOT EXISTS trove_migrations (
             version    INTEGER PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )?;
    let applied: i32 = client
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM trove_migrations",
            &[],
        )?
        .get(0);
    for (number, sql) in MIGRATIONS.iter().enumerate().skip(applied.max(0) as usize) {
        let mut tx = client.transaction()?;
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO trove_migrations (version) VALUES ($1)",
            &[&(number as i32 + 1)],
        )?;
        tx.commit()?;
    }
    Ok(())
}

/// `host:port/name` of a configuration, for messages.
fn describe(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(name)) => name.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let name = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or("postgres");
    format!("{host}:{port}/{name}")
}

/// Connection settings that did not parse, for a message: the user and password of a
/// URL (between `://` and `@`) and the value of any `password=` hidden.
fn redacted(settings: &str) -> String {
    let mut shown = match (settings.find("://"), settings.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://…@{}", &settings[..scheme_end], &settings[at + 1..])
        }
        _ => settings.to_owned(),
    };
    while let Some(start) = shown.find("password=") {
        let value = start + "password=".len();
        let end = shown[value..]
            .find(['&', ' '])
            .map_or(shown.len(), |offset| value + offset);
        shown.replace_range(start..end, "pass…");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_never_carry_a_password() {
        assert_eq!(
            redacted("postgres://trove:secret@db:5433/cases"),
            "postgres://…@db:5433/cases"
        );
        assert_eq!(
            redacted("host=db password=secret dbname=cases"),
            "host=db pass… dbname=cases"
        );
        assert_eq!(
            redacted("postgres://db/cases?password=secret&sslmode=off"),
            "postgres://db/cases?pass…&sslmode=off"
        );
        let config: Config = "postgres://trove:secret@db:5433/cases".parse().unwrap();
        assert_eq!(describe(&config), "db:5433/cases");
    }
}
