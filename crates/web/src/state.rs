//! The application's configuration and the state every handler shares.

use std::path::PathBuf;
use std::sync::Arc;

use trove_access::{AccessDb, AccessError, NewAuditEvent};
use trove_store::StoreError;

use crate::blocking;
use crate::case_data::OpenCases;
use crate::error::WebError;
use crate::throttle::AddressLimiter;

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// The server folder, holding `access.sqlite`.
    pub server_dir: PathBuf,
    /// Mark cookies `Secure`: set when the server is reached over TLS (behind
    /// a reverse proxy), so browsers never send them in clear text.
    pub secure_cookies: bool,
    /// The reverse proxy in front of the server: only from this address are the
    /// `X-Forwarded-For` and `Forwarded` headers believed about the client's address.
    pub trusted_proxy: Option<std::net::IpAddr>,
}

/// What every handler shares: the configuration, the access database, the
/// login limiter and the cases opened so far. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

struct Shared {
    config: AppConfig,
    access: AccessDb,
    csrf: crate::csrf::CsrfKey,
    addresses: AddressLimiter,
    cases: OpenCases,
    /// Image previews decoded at once: each may hold a large image's pixels.
    previews: tokio::sync::Semaphore,
}

/// Previews decoded at the same time, whatever the number of requests.
pub const PARALLEL_PREVIEWS: usize = 2;

impl AppState {
    /// Opens (or creates) the server folder's access database.
    pub fn open(config: AppConfig) -> Result<Self, AccessError> {
        let access = AccessDb::open_in(&config.server_dir)?;
        let csrf =
            crate::csrf::CsrfKey::for_server(&config.server_dir, &access).map_err(|source| {
                AccessError::Io {
                    action: "read or make the CSRF key in",
                    path: config.server_dir.clone(),
                    source,
                }
            })?;
        Ok(AppState {
            shared: Arc::new(Shared {
                config,
                access,
                csrf,
                addresses: AddressLimiter::default(),
                cases: OpenCases::default(),
                previews: tokio::sync::Semaphore::new(PARALLEL_PREVIEWS),
            }),
        })
    }

    /// How the server was set up.
    pub fn config(&self) -> &AppConfig {
        &self.shared.config
    }

    /// Waits for a turn to decode an image preview (see [`PARALLEL_PREVIEWS`]).
    pub(crate) async fn preview_turn(&self) -> tokio::sync::SemaphorePermit<'_> {
        // The semaphore is never closed, so acquiring cannot fail.
        self.shared
            .previews
            .acquire()
            .await
            .expect("the preview semaphore is never closed")
    }

    /// The cookies' names (prefixed `__Host-` over HTTPS).
    pub fn cookies(&self) -> crate::session::CookieNames {
        crate::session::CookieNames::for_https(self.shared.config.secure_cookies)
    }

    /// The server's CSRF key: forms carry tokens made with it.
    pub fn csrf(&self) -> &crate::csrf::CsrfKey {
        &self.shared.csrf
    }

    /// The access database: users, cases, sessions, tokens and the audit trail. Its
    /// calls block; handlers make them through [`AppState::with_access`].
    pub fn access(&self) -> &AccessDb {
        &self.shared.access
    }

    /// Runs `work` with the access database on a blocking thread.
    pub(crate) async fn with_access<T, F>(&self, work: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&AccessDb) -> Result<T, WebError> + Send + 'static,
    {
        let state = self.clone();
        blocking::run(move || work(state.access())).await
    }

    /// The case stores opened so far (reach them through [`crate::open_case::OpenCase`],
    /// which authorises first).
    pub(crate) fn open_cases(&self) -> &OpenCases {
        &self.shared.cases
    }

    /// The per-address login limiter.
    pub(crate) fn addresses(&self) -> &AddressLimiter {
        &self.shared.addresses
    }

    /// Appends to the audit trail, off the async threads (the append is a durable
    /// write). A request whose event cannot be recorded fails: nothing audited may
    /// happen unrecorded.
    pub(crate) async fn audit(&self, event: NewAuditEvent) -> Result<(), WebError> {
        self.with_access(move |access| Ok(access.append_audit(event).map(|_| ())?))
            .await
    }
}

/// The step a catalog change runs just before it commits: appending its audit `event`.
/// Should the append fail, the change is rolled back, so nothing is changed unaudited.
/// Call on a blocking thread.
pub(crate) fn audit_before_commit(
    state: &AppState,
    event: NewAuditEvent,
) -> impl FnMut() -> Result<(), StoreError> + '_ {
    let mut event = Some(event);
    move || {
        let Some(event) = event.take() else {
            return Ok(());
        };
        state
            .access()
            .append_audit(event)
            .map(|_| ())
            .map_err(|error| StoreError::NotRecorded(format!("its audit event failed: {error}")))
    }
}
