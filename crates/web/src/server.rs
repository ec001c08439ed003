//! The router (every page's routes behind the CSRF check, the read audit and the
//! security headers) and the server that serves it.

use std::net::SocketAddr;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use trove_access::AccessError;

use crate::state::{AppConfig, AppState};
use crate::{csrf, headers, i18n, pages, read_audit};

/// Every route, behind the CSRF check, the read audit (outside the CSRF check, so that
/// its refusals are recorded), the security headers and the request's language.
pub fn router(state: AppState) -> Router {
    let https = state.config().secure_cookies;
    let routes = pages::routes()
        .layer(from_fn_with_state(state.clone(), csrf::require_token))
        .layer(from_fn_with_state(state.clone(), read_audit::record))
        .layer(from_fn(headers::add_security_headers))
        // Outermost: every answer, an error page the audit middleware makes too, knows
        // the language it is given in.
        .layer(from_fn(i18n::speak_per_request));
    // Served over HTTPS (through the proxy), browsers are told to come back only so.
    let routes = if https {
        routes.layer(from_fn(headers::add_strict_transport_security))
    } else {
        routes
    };
    routes.with_state(state)
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The access database could not be opened.
    #[error(transparent)]
    Access(#[from] AccessError),
    /// The address is taken or not ours to listen on.
    #[error("cannot listen on {address}: {source}; is another server using it?")]
    Listen {
        /// Where the server was to listen.
        address: SocketAddr,
        /// Why it could not.
        #[source]
        source: std::io::Error,
    },
    /// Serving failed after it had started.
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves the workbench on `address` until Ctrl-C.
pub async fn serve(config: AppConfig, address: SocketAddr) -> Result<(), ServeError> {
    // Opening may connect to PostgreSQL, whose client blocks: off the async threads.
    let state = tokio::task::spawn_blocking(move || AppState::open(config))
        .await
        .map_err(|panicked| ServeError::Io(std::io::Error::other(panicked)))??;
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
