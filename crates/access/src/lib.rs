//! Who may open which case, and the audit trail of what they did.
//!
//! The server folder's `access.sqlite` holds users (argon2id password hashes), cases (a
//! name for a store folder), memberships, sessions, API tokens and invitations (each kept
//! only as the BLAKE3 hash of its secret), failed logins and lock-outs, and the
//! hash-chained audit trail. It is separate from any case's catalog: one server serves many
//! cases, and a case's store can be copied or published without its users.
//!
//! Every change goes through an operation of [`AccessDb`] (`add_case`, `add_user`,
//! `grant`, `disable_user`, `issue_token`, `log_in`, ...; see [`operations`]) that writes the
//! change **and its audit event in one transaction**: there is no change without its event.
//! The command line and the web workbench call the same operations.

mod accounts;
mod action;
mod actor;
mod audit;
mod chain;
mod checkpoint;
mod credentials;
mod error;
mod event_hash;
mod login_failures;
pub mod operations;
pub mod password;
mod token;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use action::AuditAction;
pub use actor::Actor;
pub use audit::{AuditFilter, HourlyActivity, NewAuditEvent};
pub use chain::{ChainProblem, ChainReport, ProblemKind};
pub use checkpoint::{AUDIT_KEY_FILE, AuditKey, Checkpoint, CheckpointVerdict};
pub use credentials::{ApiTokenInfo, Invitation, OpenInvitation, Session, SessionLimits};
pub use error::AccessError;
pub use login_failures::{LockoutPolicy, LoginAttempt, LoginClaim};
pub use operations::{Grant, NewAccount};
pub use password::{MIN_PASSWORD_CHARS, PasswordError, hash_password, verify_password};
pub use token::{new_token, secret_hash};

/// The access database's file name inside the server folder.
pub const ACCESS_DB_FILE: &str = "access.sqlite";

/// Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_access.sql"),
    include_str!("../migrations/002_checkpoints.sql"),
    include_str!("../migrations/003_token_expiry.sql"),
    include_str!("../migrations/004_audit_by_time.sql"),
    include_str!("../migrations/005_lockout_per_address.sql"),
    include_str!("../migrations/006_user_language.sql"),
];

/// Full durability: an audit event acknowledged to a user must survive a power cut.
const PRAGMAS: &str = "PRAGMA journal_mode = WAL;
                       PRAGMA synchronous = FULL;
                       PRAGMA foreign_keys = ON;
                       PRAGMA busy_timeout = 10000;";

/// The access database. One connection behind a mutex, so it is `Send + Sync` and can be
/// shared by the web server's handlers: every call is a point lookup or a small write.
pub struct AccessDb {
    path: PathBuf,
    connection: Mutex<Connection>,
}

impl AccessDb {
    /// Opens or creates the access database at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, AccessError> {
        let path = path.as_ref().to_path_buf();
        let connection =
            trove_store::connection::open_sqlite(&path, PRAGMAS, MIGRATIONS).map_err(|source| {
                AccessError::Open {
                    path: path.clone(),
                    source,
                }
            })?;
        Ok(AccessDb {
            path,
            connection: Mutex::new(connection),
        })
    }

    /// Opens `access.sqlite` in a server folder, creating the folder if needed.
    pub fn open_in(server_dir: impl AsRef<Path>) -> Result<Self, AccessError> {
        let dir = server_dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|source| AccessError::Io {
            action: "create",
            path: dir.to_path_buf(),
            source,
        })?;
        Self::open(dir.join(ACCESS_DB_FILE))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        trove_store::connection::lock(&self.connection)
    }

    /// Runs `change` and appends the event it returns in one immediate transaction: the
    /// change is kept only if its event is written, and the event only with its change.
    fn audited<T>(
        &self,
        change: impl FnOnce(&Transaction<'_>) -> Result<(T, NewAuditEvent), AccessError>,
    ) -> Result<T, AccessError> {
        let mut connection = self.lock();
        let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (value, event) = change(&tx)?;
        audit::append(&tx, event)?;
        tx.commit()?;
        Ok(value)
    }
}

/// Seconds since the Unix epoch, as stored.
fn unix(time: DateTime<Utc>) -> i64 {
    time.timestamp()
}

/// The stored form of a wall-clock time that is shown to people.
fn rfc3339(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A moment as pages and audit details show it, to the minute: `2026-12-03 08:37 UTC`.
pub fn minute_utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}
