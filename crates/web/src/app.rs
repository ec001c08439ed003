//! The application: its configuration, shared state, routes and server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn;
use axum::routing::{get, post};
use trove_store::access::NewAuditEvent;
use trove_store::{AccessDb, StoreError};

use crate::case_data::OpenCases;
use crate::pages::{admin, admin_grants, api, assets, audit, cases, invite, login};
use crate::pages::{documents, search};
use crate::throttle::AddressLimiter;
use crate::{csrf, headers};

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// The server folder, holding `access.sqlite`.
    pub server_dir: PathBuf,
    /// Mark cookies `Secure`: set when the server is reached over TLS (behind
    /// a reverse proxy), so browsers never send them in clear text.
    pub secure_cookies: bool,
}

/// What every handler shares: the configuration, the access database and the
/// login limiter. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

struct Shared {
    config: AppConfig,
    access: AccessDb,
    addresses: AddressLimiter,
    cases: OpenCases,
}

impl AppState {
    /// Opens (or creates) the server folder's access database.
    pub fn open(config: AppConfig) -> Result<Self, StoreError> {
        let access = AccessDb::open_in(&config.server_dir)?;
        Ok(AppState {
            shared: Arc::new(Shared {
                config,
                access,
                addresses: AddressLimiter::default(),
                cases: OpenCases::default(),
            }),
        })
    }

    pub fn config(&self) -> &AppConfig {
        &self.shared.config
    }

    pub fn access(&self) -> &AccessDb {
        &self.shared.access
    }

    /// The case stores opened so far (reach them through [`crate::case_data::open_case`]).
    pub(crate) fn open_cases(&self) -> &OpenCases {
        &self.shared.cases
    }

    pub(crate) fn addresses(&self) -> &AddressLimiter {
        &self.shared.addresses
    }

    /// Appends to the audit trail. A request whose event cannot be recorded
    /// fails: nothing audited may happen unrecorded.
    pub(crate) fn audit(&self, event: NewAuditEvent) -> Result<(), StoreError> {
        self.access().append_audit(event).map(|_| ())
    }
}

/// Every route, behind the CSRF check and the security headers.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/login", get(login::show).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/logout-everywhere", post(login::logout_everywhere))
        .route("/", get(cases::list))
        .route("/cases/{case}", get(cases::home))
        .route("/cases/{case}/search", get(search::page))
        .route("/cases/{case}/search/batch", post(search::batch))
        .route("/cases/{case}/documents/{id}", get(documents::page))
        .route(
            "/cases/{case}/documents/{id}/preview.png",
            get(documents::preview),
        )
        .route(
            "/cases/{case}/documents/{id}/original",
            get(documents::original),
        )
        .route("/admin", get(admin::show))
        .route("/admin/users", post(admin::add_user))
        .route("/admin/invitations", post(admin::create_invitation))
        .route("/admin/cases", post(admin::add_case))
        .route("/admin/access", post(admin_grants::change_access))
        .route("/admin/users/disable", post(admin_grants::disable_user))
        .route("/admin/tokens", post(admin_grants::issue_token))
        .route("/admin/tokens/revoke", post(admin_grants::revoke_token))
        .route("/admin/audit", get(audit::show))
        .route("/invite/{token}", get(invite::show).post(invite::accept))
        .route("/api/me", get(api::me))
        .route("/api/cases", get(api::cases))
        .route("/api/cases/{case}/search", get(search::api_search))
        .route("/api/cases/{case}/search/batch", post(search::api_batch))
        .route(
            "/api/cases/{case}/documents/{id}",
            get(documents::api_document),
        )
        .route("/api/openapi.json", get(assets::openapi))
        .route("/static/app.css", get(assets::stylesheet))
        .route("/favicon.ico", get(assets::favicon))
        .merge(crate::pages::records_routes::routes())
        .fallback(assets::not_found)
        .layer(from_fn(csrf::require_token))
        .layer(from_fn(headers::add_security_headers))
        .with_state(state)
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on {address}: {source}; is another server using it?")]
    Listen {
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves the workbench on `address` until Ctrl-C.
pub async fn serve(config: AppConfig, address: SocketAddr) -> Result<(), ServeError> {
    let state = AppState::open(config)?;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|source| ServeError::Listen { address, source })?;
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            // If the signal cannot be watched, run until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await?;
    Ok(())
}
