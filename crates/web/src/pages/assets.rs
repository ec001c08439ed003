//! The stylesheet, the review queue's keyboard script, the API's OpenAPI document, and
//! the page for unknown addresses.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::error::WebError;
use crate::state::AppState;

const STYLESHEET: &str = include_str!("../../static/app.css");
/// The review queue's keyboard shortcuts (the only script: pages work without it).
const REVIEW_SCRIPT: &str = include_str!("../../static/review.js");
/// Written by hand beside the routes (a test checks that every `/api/` route is in it).
const OPENAPI: &str = include_str!("../../static/openapi.json");

/// The routes of the stylesheet, the OpenAPI document and the favicon.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/static/app.css", get(stylesheet))
        .route("/static/review.js", get(review_script))
        .route("/favicon.ico", get(favicon))
}

/// `GET /static/app.css`.
pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        STYLESHEET,
    )
}

/// `GET /static/review.js`.
pub async fn review_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        REVIEW_SCRIPT,
    )
}

/// `GET /api/openapi.json`: the API described, for anyone (it holds no case data).
pub async fn openapi() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        OPENAPI,
    )
}

/// `GET /favicon.ico`: browsers ask for it on every site; there is none, and saying so
/// with 204 keeps a 404 out of their consoles.
pub async fn favicon() -> axum::http::StatusCode {
    axum::http::StatusCode::NO_CONTENT
}

/// Any address no route answers.
pub async fn not_found() -> WebError {
    WebError::NotFound
}

#[cfg(test)]
mod tests {
    use super::OPENAPI;

    /// Every `/api/` path the router serves, as written in the page modules' `routes()`.
    fn routed_api_paths() -> Vec<String> {
        let routing = [
            include_str!("api.rs"),
            include_str!("search.rs"),
            include_str!("documents.rs"),
            include_str!("records.rs"),
            include_str!("persons.rs"),
            include_str!("review.rs"),
            include_str!("verification.rs"),
            include_str!("stats.rs"),
        ]
        .concat();
        routing
            .split('"')
            .filter(|s| s.starts_with("/api/") && *s != "/api/openapi.json")
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn the_openapi_document_describes_every_api_route() {
        let document: serde_json::Value =
            serde_json::from_str(OPENAPI).expect("static/openapi.json is JSON");
        assert_eq!(document["openapi"], "3.1.0");
        let paths = document["paths"].as_object().expect("paths");
        let routed = routed_api_paths();
        assert!(routed.len() >= 11, "{routed:?}");
        for path in routed {
            assert!(
                paths.contains_key(&path),
                "{path} is routed but not described in static/openapi.json"
            );
        }
    }
}
