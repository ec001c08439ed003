//! A few PostgreSQL connections shared by one process's threads, and the schema
//! migrations that run when the first one opens. The case catalog ([`PgCatalog`]) and
//! the server's access database (`trove_access`) both stand on it.
//!
//! [`PgCatalog`]: super::PgCatalog

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use postgres::config::SslMode;
use postgres::{Client, Config, NoTls};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::StoreError;

/// Connections each used by one caller at a time, opened as callers first need them (a
/// command that makes one query opens one), up to the pool's size.
pub struct PgPool {
    /// Host, port and database, for messages; never the password.
    database: String,
    /// To connect again when the server closed a connection (a restart, a fail-over).
    config: Config,
    /// How connections are encrypted: `None` for plain ones (no `sslmode=require`).
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
    /// The pool's places, each empty until first used. Empty only while dropping (see
    /// the `Drop` impl).
    clients: Vec<Mutex<Option<Client>>>,
    /// Where the next caller starts looking for a free connection.
    next: AtomicUsize,
}

/// The schema migrations of one part of the database: a table records those applied,
/// and an advisory lock keeps processes starting together from racing.
#[derive(Debug, Clone, Copy)]
pub struct Migrations {
    /// The table that records which have run (`trove_migrations`).
    pub table: &'static str,
    /// The advisory lock key taken while migrating.
    pub lock: i64,
    /// The scripts, applied in order.
    pub scripts: &'static [&'static str],
}

impl PgPool {
    /// Parses connection settings (`postgres://user@host:port/name` or key=value), the
    /// password taken from the password file or `PGPASSWORD` when they name none; a
    /// message about settings that do not parse never shows a password.
    pub fn config(url: &str) -> Result<Config, StoreError> {
        let url = as_client_reads(url);
        let mut config: Config = url.parse().map_err(|reason| StoreError::Database {
            database: redacted(&url),
            reason,
        })?;
        if let Some(password) = super::password_file::password_for(&config) {
            config.password(password);
        }
        Ok(config)
    }

    /// Whether connection settings, as typed, carry a password (`user:password@` in a
    /// URL, a `password` setting). Settings that do not parse count as carrying one if
    /// they mention a password at all.
    pub fn names_a_password(settings: &str) -> bool {
        let settings = as_client_reads(settings);
        match settings.parse::<Config>() {
            Ok(config) => config.get_password().is_some(),
            Err(_) => settings.contains("password") || settings.contains('@'),
        }
    }

    /// A pool of up to `connections` (at least one): connects once now, applying
    /// `migrations`, and the rest as they are needed.
    pub fn connect(
        config: &Config,
        connections: usize,
        migrations: &Migrations,
    ) -> Result<Self, StoreError> {
        let database = describe(config);
        let tied = |reason| StoreError::Database {
            database: database.clone(),
            reason,
        };
        let tls = tls_for(config).map_err(|why| StoreError::Tls {
            database: database.clone(),
            why,
        })?;
        let mut first = connect_one(config, tls.as_ref()).map_err(tied)?;
        migrate(&mut first, migrations).map_err(tied)?;
        let mut clients = vec![Mutex::new(Some(first))];
        clients.extend((1..connections.max(1)).map(|_| Mutex::new(None)));
        Ok(PgPool {
            database,
            config: config.clone(),
            tls,
            clients,
            next: AtomicUsize::new(0),
        })
    }

    /// The database, as host, port and name.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// A free connection, or (all busy) the next in turn once it is free. A free open
    /// one is taken before a place not yet opened, which is opened then; one the server
    /// closed (a restart, a fail-over) is opened again. Fails only when opening fails.
    /// A panic while holding one leaves no half transaction behind (the client rolls
    /// back a transaction dropped unfinished), so a poisoned lock is still usable.
    pub fn lock(&self) -> Result<PooledClient<'_>, postgres::Error> {
        let mut place = self.free_place();
        if place.as_ref().is_none_or(Client::is_closed) {
            *place = Some(connect_one(&self.config, self.tls.as_ref())?);
        }
        Ok(PooledClient(place))
    }

    fn free_place(&self) -> MutexGuard<'_, Option<Client>> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let count = self.clients.len();
        let mut unopened = None;
        for offset in 0..count {
            let place = match self.clients[(start + offset) % count].try_lock() {
                Ok(place) => place,
                Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
                Err(TryLockError::WouldBlock) => continue,
            };
            if place.is_some() {
                return place;
            }
            unopened.get_or_insert(place);
        }
        if let Some(place) = unopened {
            return place;
        }
        self.clients[start % count]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `reason` as an error naming this database.
    pub fn failed(&self, reason: postgres::Error) -> StoreError {
        StoreError::Database {
            database: self.database.clone(),
            reason,
        }
    }

    /// A connection of its own, outside the pool, for session state held for a
    /// process's life (an advisory lock): the pool opens its places again when the
    /// server closes them, and session state would be lost without a word.
    ///
    /// This process must learn of a fault within seconds, not the minutes TCP takes to
    /// give up on a peer that went silent: the server may have freed the session's state
    /// already (its own keepalives decide when). A network stall of ten seconds counts as
    /// a fault; these settings replace the URL's own timeouts and keepalives.
    pub fn connect_alone(&self) -> Result<Client, StoreError> {
        let mut config = self.config.clone();
        config
            .connect_timeout(Duration::from_secs(10))
            .tcp_user_timeout(Duration::from_secs(10))
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(5))
            .keepalives_interval(Duration::from_secs(2))
            .keepalives_retries(3);
        connect_one(&config, self.tls.as_ref()).map_err(|reason| self.failed(reason))
    }

    /// Runs `work` on a free connection; a query error comes back naming this database.
    pub fn with_client<T>(
        &self,
        work: impl FnOnce(&mut Client) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut client = self.lock().map_err(|reason| self.failed(reason))?;
        work(&mut client).map_err(|error| match error {
            StoreError::PgQuery(reason) => self.failed(reason),
            other => other,
        })
    }
}

/// A connection of the pool, held until dropped.
pub struct PooledClient<'a>(MutexGuard<'a, Option<Client>>);

impl std::ops::Deref for PooledClient<'_> {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.0
            .as_ref()
            .expect("a pooled place is opened before it is handed out")
    }
}

impl std::ops::DerefMut for PooledClient<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        self.0
            .as_mut()
            .expect("a pooled place is opened before it is handed out")
    }
}

/// Connection settings with libpq's certificate-checking modes as the client parses
/// them: those are what trove's `require` does anyway (certificate and name checked),
/// and the client knows only disable, prefer and require.
fn as_client_reads(settings: &str) -> String {
    settings
        .replace("sslmode=verify-full", "sslmode=require")
        .replace("sslmode=verify-ca", "sslmode=require")
}

impl Drop for PgPool {
    fn drop(&mut self) {
        close_off_runtime(std::mem::take(&mut self.clients));
    }
}

/// Drops `clients` on a thread of its own: a client closes by running a runtime of its
/// own, which panics on a thread that drives an async runtime (the workbench's, when the
/// last request holding a case lets go of it).
pub(super) fn close_off_runtime<T: Send + 'static>(clients: T) {
    let _ = std::thread::spawn(move || drop(clients)).join();
}

/// The variable naming a PEM file of certificate authorities to trust for PostgreSQL,
/// beside the system's (a private CA, or a self-signed server certificate).
pub const PG_CA_VARIABLE: &str = "TROVE_PG_CA";

/// The TLS setup `config` asks for: with `sslmode=require` (or `verify-…`), or whenever
/// `TROVE_PG_CA` names an authority, rustls trusting the system's roots and those of
/// `TROVE_PG_CA`, the server's certificate and name checked (stricter than libpq's
/// `require`, which checks neither); a server that offers no TLS is then refused under
/// `require`, spoken to plainly under `prefer`. Else none: `sslmode=disable`, or no
/// setting and no authority named (a database on the same machine).
fn tls_for(config: &Config) -> Result<Option<tokio_postgres_rustls::MakeRustlsConnect>, String> {
    let authority = std::env::var(PG_CA_VARIABLE).ok();
    let wanted = match config.get_ssl_mode() {
        SslMode::Require => true,
        SslMode::Disable => false,
        _ => authority.is_some(),
    };
    if !wanted {
        return Ok(None);
    }
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        // A system certificate rustls cannot use is one fewer root, not a failure.
        let _ = roots.add(cert);
    }
    if let Some(path) = authority {
        let certs = CertificateDer::pem_file_iter(&path)
            .map_err(|error| format!("cannot read {PG_CA_VARIABLE}={path}: {error}"))?;
        let mut added = 0;
        for cert in certs {
            let cert = cert.map_err(|error| format!("{PG_CA_VARIABLE}={path}: {error}"))?;
            roots
                .add(cert)
                .map_err(|error| format!("{PG_CA_VARIABLE}={path}: {error}"))?;
            added += 1;
        }
        if added == 0 {
            return Err(format!(
                "{PG_CA_VARIABLE}={path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
            ));
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Some(tokio_postgres_rustls::MakeRustlsConnect::new(tls)))
}

fn connect_one(
    config: &Config,
    tls: Option<&tokio_postgres_rustls::MakeRustlsConnect>,
) -> Result<Client, postgres::Error> {
    match tls {
        Some(tls) => config.connect(tls.clone()),
        None => config.connect(NoTls),
    }
}

/// Applies the scripts the database has not had yet, under the advisory lock.
fn migrate(client: &mut Client, migrations: &Migrations) -> Result<(), postgres::Error> {
    client.execute("SELECT pg_advisory_lock($1)", &[&migrations.lock])?;
    let result = apply_missing(client, migrations);
    let unlocked = client.execute("SELECT pg_advisory_unlock($1)", &[&migrations.lock]);
    result.and(unlocked.map(drop))
}

fn apply_missing(client: &mut Client, migrations: &Migrations) -> Result<(), postgres::Error> {
    let table = migrations.table;
    client.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS {table} (
             version    INTEGER PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )"
    ))?;
    let applied: i32 = client
        .query_one(
            &format!("SELECT COALESCE(MAX(version), 0) FROM {table}"),
            &[],
        )?
        .get(0);
    let pending = migrations.scripts.iter().enumerate();
    for (number, sql) in pending.skip(applied.max(0) as usize) {
        let mut tx = client.transaction()?;
        tx.batch_execute(sql)?;
        tx.execute(
            &format!("INSERT INTO {table} (version) VALUES ($1)"),
            &[&(number as i32 + 1)],
        )?;
        tx.commit()?;
    }
    Ok(())
}

/// What a PostgreSQL error says, with the server's own reason: the client's `Display`
/// says only "db error", and keeps the reason (a constraint, a trigger's message, a
/// refused login) as its source.
pub fn pg_reason(error: &postgres::Error) -> String {
    match std::error::Error::source(error) {
        Some(reason) => format!("{error}: {reason}"),
        None => error.to_string(),
    }
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
