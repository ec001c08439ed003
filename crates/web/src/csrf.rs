//! Cross-site request forgery protection.
//!
//! A browser's CSRF token is a keyed BLAKE3 hash of its session (or visitor) cookie
//! under a secret of the server folder (`csrf.key`, made on first use, readable by its
//! owner only): nothing to store per browser, it changes with every login, a page of
//! another site can neither read the cookie nor compute the token, and a cookie planted
//! by someone else (from a sibling subdomain, say) yields no token they could compute. Every POST carries it, in the form field `csrf` or the header
//! `X-CSRF-Token`; a POST that authenticates with an API token
//! (`Authorization: Bearer`) carries no cookie a forger could ride on and
//! needs none.

use axum::body::Bytes;
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use std::io::Write;
use std::path::Path;
use trove_access::AccessDb;

use axum::extract::State;

use crate::read_audit::CsrfRefusal;
use crate::session::{CookieNames, cookie_token};
use crate::state::AppState;

/// The form field that carries the token.
pub const FORM_FIELD: &str = "csrf";
/// The header that carries the token for API calls made with a session cookie.
pub const HEADER: &str = "x-csrf-token";

/// Largest form body read to find the token; forms here are a few fields.
const MAX_FORM_BYTES: usize = 64 * 1024;
/// Largest form with a file (a list of names for a batch search).
const MAX_UPLOAD_BYTES: usize = 1024 * 1024;

/// The key file in the server folder.
pub const KEY_FILE: &str = "csrf.key";

/// The server's secret the tokens are keyed with.
pub struct CsrfKey([u8; 32]);

impl CsrfKey {
    /// The key of this server: the one shared by every process on a shared access
    /// database (so that a form one process rendered is accepted by the next), or else
    /// the server folder's file.
    ///
    /// Whoever reads the shared database reads the key. For a signed-in browser that
    /// gives nothing: a token is the key's hash of the session cookie, which the database
    /// keeps only as a hash. A visitor's cookie (the login and invitation forms) is kept
    /// nowhere, so someone who reads the database *and* can plant a cookie in the browser
    /// (from a sibling subdomain) could forge a login form's token: give the database's
    /// read access to trove's own role alone, as its sessions and audit trail ask anyway.
    pub fn for_server(server_dir: &Path, access: &AccessDb) -> std::io::Result<CsrfKey> {
        match access
            .shared_secret("csrf")
            .map_err(std::io::Error::other)?
        {
            Some(secret) => {
                let mut key = [0u8; 32];
                hex::decode_to_slice(secret.trim(), &mut key).map_err(std::io::Error::other)?;
                Ok(CsrfKey(key))
            }
            None => Self::load_or_create(server_dir),
        }
    }

    /// The key of `server_dir`, made from the operating system's randomness on first use
    /// and written with permissions 0600.
    pub fn load_or_create(server_dir: &Path) -> std::io::Result<CsrfKey> {
        let path = server_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim())
                    .ok()
                    .and_then(|b| <[u8; 32]>::try_from(b).ok());
                bytes.map(CsrfKey).ok_or_else(|| {
                    std::io::Error::other(format!(
                        "{} is not a key of 64 hex digits; delete it to make a new one (open forms will need reloading)",
                        path.display()
                    ))
                })
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                // 32 random bytes, as hex: the same randomness as every token's.
                let secret = trove_access::new_token();
                let mut key = [0u8; 32];
                hex::decode_to_slice(&secret, &mut key).map_err(std::io::Error::other)?;
                std::fs::create_dir_all(server_dir)?;
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options.open(&path)?;
                writeln!(file, "{}", hex::encode(key))?;
                file.sync_all()?;
                Ok(CsrfKey(key))
            }
            Err(error) => Err(error),
        }
    }

    /// The token for a session or visitor cookie value.
    pub fn token_for(&self, cookie_token: &str) -> String {
        blake3::keyed_hash(&self.0, cookie_token.as_bytes())
            .to_hex()
            .to_string()
    }

    /// The token this request's forms must carry: from its session cookie, or failing
    /// that its visitor cookie.
    pub fn expected_token(&self, headers: &HeaderMap, names: CookieNames) -> Option<String> {
        cookie_token(headers, names.session)
            .or_else(|| cookie_token(headers, names.visitor))
            .map(|token| self.token_for(&token))
    }
}

/// Middleware: refuses (403) every POST whose token is missing or wrong.
pub async fn require_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST || has_bearer_token(request.headers()) {
        return next.run(request).await;
    }
    let Some(expected) = state
        .csrf()
        .expected_token(request.headers(), state.cookies())
    else {
        return refuse();
    };
    if let Some(sent) = request.headers().get(HEADER) {
        return if sent.to_str().is_ok_and(|sent| same(sent, &expected)) {
            next.run(request).await
        } else {
            refuse()
        };
    }
    // A form: read the body to find the field, then hand the same bytes on.
    let (parts, body) = request.into_parts();
    let multipart = is_multipart(&parts.headers);
    let limit = if multipart {
        MAX_UPLOAD_BYTES
    } else {
        MAX_FORM_BYTES
    };
    let Ok(bytes) = to_bytes(body, limit).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response();
    };
    let sent = if multipart {
        multipart_token(&parts.headers, bytes.clone()).await
    } else {
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        fields
            .into_iter()
            .find_map(|(name, value)| (name == FORM_FIELD).then_some(value))
    };
    if sent.is_some_and(|sent| same(&sent, &expected)) {
        next.run(Request::from_parts(parts, Body::from(bytes)))
            .await
    } else {
        refuse()
    }
}

/// The token field of a `multipart/form-data` body (a form with a file), if any.
async fn multipart_token(headers: &HeaderMap, bytes: Bytes) -> Option<String> {
    let mut request = Request::new(Body::from(bytes));
    *request.headers_mut() = headers.clone();
    let mut multipart = Multipart::from_request(request, &()).await.ok()?;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(FORM_FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

/// Whether a request carries `multipart/form-data` (a form with a file).
pub(crate) fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/form-data"))
}

fn has_bearer_token(headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("Bearer "))
}

/// Compares in constant time (BLAKE3 hashes compare so), so response timing
/// says nothing about how much of a guess was right.
pub(crate) fn same(sent: &str, expected: &str) -> bool {
    blake3::hash(sent.as_bytes()) == blake3::hash(expected.as_bytes())
}

fn refuse() -> Response {
    (
        StatusCode::FORBIDDEN,
        axum::Extension(CsrfRefusal),
        "The form's security token is missing or out of date. Go back, reload the page and try again.",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_need_the_server_folders_secret_which_persists() {
        let one = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let cookie = "ab".repeat(32);
        let key = CsrfKey::load_or_create(one.path()).unwrap();
        let again = CsrfKey::load_or_create(one.path()).unwrap();
        let elsewhere = CsrfKey::load_or_create(other.path()).unwrap();
        assert_eq!(key.token_for(&cookie), again.token_for(&cookie));
        assert_ne!(key.token_for(&cookie), elsewhere.token_for(&cookie));
        // The unkeyed derivation of old, which anyone could compute, no longer passes.
        let unkeyed = hex::encode(blake3::derive_key(
            "trove 2026-11 CSRF token",
            cookie.as_bytes(),
        ));
        assert_ne!(key.token_for(&cookie), unkeyed);
        let mode = std::fs::metadata(one.path().join(KEY_FILE))
            .unwrap()
            .permissions();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
            0o600
        );
    }
}
