//! The server's access database (`access.sqlite` in the `--server` folder):
//! users, cases, memberships, sessions, API tokens, invitations, failed
//! logins and the hash-chained audit trail.
//!
//! It is separate from any case's catalog: one server serves many cases, and
//! a case's store can be copied or published without its users.

mod accounts;
mod audit;
mod chain;
mod credentials;
mod login_failures;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::StoreError;

pub use audit::{AuditFilter, NewAuditEvent};
pub use chain::{ChainProblem, ChainReport, ProblemKind};
pub use credentials::{ApiTokenInfo, Invitation, NewInvitation, Session, SessionLimits};

/// The access database's file name inside the server folder.
pub const ACCESS_DB_FILE: &str = "access.sqlite";

/// Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[include_str!("../../migrations/access/001_access.sql")];

/// The access database. One connection behind a mutex, so it is `Send + Sync`
/// and can be shared by the web server's handlers: every call is a point
/// lookup or a small write, far cheaper than rendering the page around it.
pub struct AccessDb {
    path: PathBuf,
    connection: Mutex<Connection>,
}

impl AccessDb {
    /// Opens or creates the access database at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let wrap = |source| StoreError::Access {
            path: path.clone(),
            source,
        };
        let connection = Connection::open(&path).map_err(wrap)?;
        connection
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = FULL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 10000;",
            )
            .map_err(wrap)?;
        crate::connection::migrate(&connection, MIGRATIONS).map_err(wrap)?;
        Ok(AccessDb {
            path,
            connection: Mutex::new(connection),
        })
    }

    /// Opens `access.sqlite` in a server folder, creating the folder if needed.
    pub fn open_in(server_dir: impl AsRef<Path>) -> Result<Self, StoreError> {
        let dir = server_dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io("create", dir, e))?;
        Self::open(dir.join(ACCESS_DB_FILE))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        crate::connection::lock(&self.connection)
    }
}

/// The BLAKE3 hash, as hex, under which a secret (a session or API token, an
/// invitation) is kept: the database never holds the secret itself.
pub fn secret_hash(secret: &str) -> String {
    blake3::hash(secret.as_bytes()).to_hex().to_string()
}

/// Seconds since the Unix epoch, as stored.
fn unix(time: DateTime<Utc>) -> i64 {
    time.timestamp()
}

/// The stored form of a wall-clock time that is shown to people.
fn rfc3339(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}
