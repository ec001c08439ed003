//! Who may open which case, and the audit trail of what they did.
//!
//! The server folder's `access.sqlite` (or, in server mode, the PostgreSQL database its
//! `database.url` names) holds users (argon2id password hashes), cases (a
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
mod sql;
mod token;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior};
use trove_store::{DATABASE_FILE, Migrations, PgPool};

use sql::Sql;

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

/// Whether `server_dir` holds an access database: its own `access.sqlite`, or a
/// `database.url` naming the shared one.
pub fn has_access_db(server_dir: &Path) -> bool {
    server_dir.join(ACCESS_DB_FILE).is_file() || server_dir.join(DATABASE_FILE).is_file()
}

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

/// The access database: `access.sqlite` in the server folder, or (server mode, several
/// `trove serve` processes behind one database) the PostgreSQL database that the folder's
/// `database.url` names.
///
/// `Send + Sync`, shared by the web server's handlers: every call is a point lookup or a
/// small write, made on a blocking thread.
pub struct AccessDb {
    backend: Backend,
}

enum Backend {
    /// One connection behind a mutex.
    Sqlite {
        path: PathBuf,
        connection: Mutex<Connection>,
    },
    /// A few connections; each process opens its own.
    Postgres(Box<PgPool>),
}

/// The PostgreSQL schema: SQLite's six migrations as one, with the same tables and
/// columns, so that one SQL text serves both (see [`sql`]).
const PG_MIGRATIONS: Migrations = Migrations {
    table: "trove_access_migrations",
    // "access" in ASCII; the catalog's migrations take another key.
    lock: 0x61_63_63_65_73_73,
    scripts: &[include_str!("../migrations/postgres/001_access.sql")],
};

/// Connections a server process keeps to a shared access database: its handlers run on
/// blocking threads, a few at a time.
const PG_CONNECTIONS: usize = 4;

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
            backend: Backend::Sqlite {
                path,
                connection: Mutex::new(connection),
            },
        })
    }

    /// Opens the server folder's access database, creating the folder if needed: the
    /// shared one its `database.url` names, or else its `access.sqlite`.
    pub fn open_in(server_dir: impl AsRef<Path>) -> Result<Self, AccessError> {
        let dir = server_dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|source| AccessError::Io {
            action: "create",
            path: dir.to_path_buf(),
            source,
        })?;
        let url_file = dir.join(DATABASE_FILE);
        match std::fs::read_to_string(&url_file) {
            Ok(url) => Self::open_postgres(url.trim()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Self::open(dir.join(ACCESS_DB_FILE))
            }
            Err(source) => Err(AccessError::Io {
                action: "read",
                path: url_file,
                source,
            }),
        }
    }

    /// Connects to the shared access database at `url` (`postgres://…`) and brings its
    /// schema up to date.
    pub fn open_postgres(url: &str) -> Result<Self, AccessError> {
        Self::connect(&PgPool::config(url)?)
    }

    /// [`open_postgres`](Self::open_postgres) with parsed settings (a test's own schema).
    pub fn connect(config: &postgres::Config) -> Result<Self, AccessError> {
        let pool = PgPool::connect(config, PG_CONNECTIONS, &PG_MIGRATIONS)?;
        Ok(AccessDb {
            backend: Backend::Postgres(Box::new(pool)),
        })
    }

    /// The SQLite file; `None` for a shared database.
    pub fn path(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Sqlite { path, .. } => Some(path),
            Backend::Postgres(_) => None,
        }
    }

    /// The secret called `name` that every server process on this shared database uses
    /// (64 hex digits, made on first use); `None` on SQLite, whose server folder keeps
    /// such secrets as files.
    pub fn shared_secret(&self, name: &str) -> Result<Option<String>, AccessError> {
        if let Backend::Sqlite { .. } = self.backend {
            return Ok(None);
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO server_secrets (name, secret) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                sql::params![name, new_token()],
            )?;
            tx.first(
                "SELECT secret FROM server_secrets WHERE name = ?1",
                sql::params![name],
                |row| row.get(0),
            )
        })
    }

    /// Runs `work` outside any transaction (each statement on its own): reads, and
    /// writes of one statement that need no turn (touching a session).
    fn unlocked<T>(
        &self,
        work: impl FnOnce(&mut dyn Sql) -> Result<T, AccessError>,
    ) -> Result<T, AccessError> {
        match &self.backend {
            Backend::Sqlite { connection, .. } => {
                work(&mut sql::Sqlite(&trove_store::connection::lock(connection)))
            }
            Backend::Postgres(pool) => work(&mut sql::Postgres(&mut *pool.lock()?)),
        }
    }

    /// Runs `work` in a transaction that holds the database's one write lock from its
    /// start, and commits it if `work` succeeds. SQLite has one writer anyway (an
    /// immediate transaction); on PostgreSQL an advisory lock makes writers from every
    /// server process take turns, so that appends read the same last hash and form one
    /// chain, and a lock-out check and the failure it counts cannot interleave.
    fn write<T>(
        &self,
        work: impl FnOnce(&mut dyn Sql) -> Result<T, AccessError>,
    ) -> Result<T, AccessError> {
        match &self.backend {
            Backend::Sqlite { connection, .. } => {
                let mut connection = trove_store::connection::lock(connection);
                let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let value = work(&mut sql::Sqlite(&tx))?;
                tx.commit()?;
                Ok(value)
            }
            Backend::Postgres(pool) => {
                let mut client = pool.lock()?;
                // READ COMMITTED whatever the database's default: each statement after the
                // lock sees what the previous holder committed (a snapshot taken before
                // waiting would read a stale chain head).
                let mut tx = client
                    .build_transaction()
                    .isolation_level(postgres::IsolationLevel::ReadCommitted)
                    .start()?;
                tx.execute(
                    "SELECT pg_advisory_xact_lock(hashtext('trove access'), hashtext(current_schema()))",
                    &[],
                )?;
                let value = work(&mut sql::Postgres(&mut tx))?;
                tx.commit()?;
                Ok(value)
            }
        }
    }

    /// Runs `change` and appends the event it returns in one write transaction: the
    /// change is kept only if its event is written, and the event only with its change.
    fn audited<T>(
        &self,
        change: impl FnOnce(&mut dyn Sql) -> Result<(T, NewAuditEvent), AccessError>,
    ) -> Result<T, AccessError> {
        self.write(|tx| {
            let (value, event) = change(tx)?;
            audit::append(tx, event)?;
            Ok(value)
        })
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

/// For this crate's tests: the same test on each backend.
#[cfg(test)]
pub(crate) mod testing {
    use trove_store::testing::TestSchema;

    use super::AccessDb;

    /// An access database on one backend, a folder for stores and server files beside
    /// it, and a way behind its back.
    pub(crate) struct TestDb {
        /// Dropped first: its connections close before the schema is dropped.
        pub db: AccessDb,
        pub dir: tempfile::TempDir,
        schema: Option<TestSchema>,
    }

    impl TestDb {
        /// Which backend, for assertion messages.
        pub fn backend(&self) -> &'static str {
            if self.schema.is_some() {
                "PostgreSQL"
            } else {
                "SQLite"
            }
        }

        /// Runs `sql` (statements separated by `;`) on a connection of its own, as
        /// someone holding the database file or server would.
        pub fn behind_its_back(&self, sql: &str) -> Result<(), String> {
            match &self.schema {
                None => rusqlite::Connection::open(self.db.path().unwrap())
                    .and_then(|connection| connection.execute_batch(sql))
                    .map_err(|error| error.to_string()),
                Some(schema) => {
                    let sql = sql.to_owned();
                    let config = schema.config();
                    // The PostgreSQL client must not run on a test's async thread.
                    std::thread::spawn(move || {
                        let mut client = config.connect(postgres::NoTls).unwrap();
                        client
                            .batch_execute(&sql)
                            .map_err(|error| trove_store::pg_reason(&error))
                    })
                    .join()
                    .unwrap()
                }
            }
        }

        /// Lifts the trail's append-only guards, as someone holding the database could.
        pub fn unguard_trail(&self) {
            let sql = match self.schema {
                None => {
                    "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;
                     DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete;"
                }
                Some(_) => {
                    "ALTER TABLE audit_events DISABLE TRIGGER USER;
                     ALTER TABLE audit_events ALTER COLUMN rowid SET GENERATED BY DEFAULT;
                     ALTER TABLE audit_checkpoints DISABLE TRIGGER USER;"
                }
            };
            self.behind_its_back(sql).unwrap();
        }
    }

    /// A new access database on SQLite (in `dir/server`) and, when the test server is
    /// named (`TROVE_TEST_DATABASE_URL`), one in a schema of its own on PostgreSQL.
    pub(crate) fn backends() -> Vec<TestDb> {
        let dir = tempfile::tempdir().unwrap();
        let mut all = vec![TestDb {
            db: AccessDb::open_in(dir.path().join("server")).unwrap(),
            dir,
            schema: None,
        }];
        if let Some(schema) = TestSchema::create() {
            all.push(TestDb {
                db: AccessDb::connect(&schema.config()).unwrap(),
                dir: tempfile::tempdir().unwrap(),
                schema: Some(schema),
            });
        }
        all
    }
}
