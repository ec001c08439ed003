//! Cross-site request forgery protection.
//!
//! A browser's CSRF token is derived from its session (or visitor) cookie
//! with a keyed BLAKE3 derivation: nothing to store, it changes with every
//! login, and a page of another site can neither read the cookie nor compute
//! the token. Every POST carries it, in the form field `csrf` or the header
//! `X-CSRF-Token`; a POST that authenticates with an API token
//! (`Authorization: Bearer`) carries no cookie a forger could ride on and
//! needs none.

use axum::body::Bytes;
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::session::{SESSION_COOKIE, VISITOR_COOKIE, cookie_token};

/// The form field that carries the token.
pub const FORM_FIELD: &str = "csrf";
/// The header that carries the token for API calls made with a session cookie.
pub const HEADER: &str = "x-csrf-token";

/// Largest form body read to find the token; forms here are a few fields.
const MAX_FORM_BYTES: usize = 64 * 1024;
/// Largest form with a file (a list of names for a batch search).
const MAX_UPLOAD_BYTES: usize = 1024 * 1024;

/// The token for a session or visitor cookie value.
pub fn token_for(cookie_token: &str) -> String {
    let key = blake3::derive_key("trove 2026-11 CSRF token", cookie_token.as_bytes());
    hex::encode(key)
}

/// The token this request's forms must carry: derived from its session
/// cookie, or failing that its visitor cookie.
pub fn expected_token(headers: &HeaderMap) -> Option<String> {
    cookie_token(headers, SESSION_COOKIE)
        .or_else(|| cookie_token(headers, VISITOR_COOKIE))
        .map(|token| token_for(&token))
}

/// Middleware: refuses (403) every POST whose token is missing or wrong.
pub async fn require_token(request: Request, next: Next) -> Response {
    if request.method() != Method::POST || has_bearer_token(request.headers()) {
        return next.run(request).await;
    }
    let Some(expected) = expected_token(request.headers()) else {
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
fn same(sent: &str, expected: &str) -> bool {
    blake3::hash(sent.as_bytes()) == blake3::hash(expected.as_bytes())
}

fn refuse() -> Response {
    (
        StatusCode::FORBIDDEN,
        "The form's security token is missing or out of date. Go back, reload the page and try again.",
    )
        .into_response()
}
