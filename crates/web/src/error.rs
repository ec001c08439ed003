//! What a request can fail with, and the page or JSON each failure shows.

use crate::i18n::{Lang, Phrase, request_lang};
use crate::safe_json::SafeJson;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;
use trove_access::{AccessError, PasswordError};
use trove_store::StoreError;

/// A failed request. Server-side failures are logged in full and shown to the
/// user without internals.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Also for cases the user may not know exist: a 404 reveals nothing.
    #[error("there is nothing here")]
    NotFound,
    #[error("your role does not allow this")]
    Forbidden,
    /// A request's problem as a deeper crate words it (English).
    #[error("{0}")]
    BadRequest(String),
    /// A request's problem in the workbench's words: told in the reader's language on a
    /// page, in English by the API.
    #[error("{0}")]
    Refused(Phrase),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error("a page could not be rendered: {0}")]
    Template(#[from] askama::Error),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error("a background task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// A registered case whose store or index cannot be opened.
    #[error("the case cannot be opened: {0}")]
    CaseUnavailable(String),
    /// Work the server does for a request failed (building a site, say).
    #[error("{0}")]
    Internal(String),
}

impl WebError {
    fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Forbidden => StatusCode::FORBIDDEN,
            WebError::BadRequest(_) | WebError::Refused(_) => StatusCode::BAD_REQUEST,
            WebError::Store(_)
            | WebError::Access(_)
            | WebError::Template(_)
            | WebError::Password(_)
            | WebError::Task(_)
            | WebError::CaseUnavailable(_)
            | WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the user is told, in `lang`: the message for their own mistakes, a generic
    /// one (details go to the server's log) for ours. A request's own problem is told as
    /// the code that found it wrote it (English); the workbench's fixed words in `lang`.
    fn public_message(&self, lang: Lang) -> String {
        if self.status().is_server_error() {
            eprintln!("error: {self}");
            lang.t("error.server").to_owned()
        } else {
            match self {
                WebError::NotFound => lang.t("error.not_found").to_owned(),
                WebError::Forbidden => lang.t("error.forbidden").to_owned(),
                WebError::Refused(phrase) => phrase.said_in(lang),
                other => other.to_string(),
            }
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    message: String,
    /// The language of the request: the user's, or their browser's.
    lang: Lang,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let lang = request_lang();
        let page = ErrorPage {
            status: status.as_u16(),
            message: self.public_message(lang),
            lang,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, page.message).into_response(),
        }
    }
}

/// A [`WebError`] answered as JSON, for `/api/…` routes.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(error: E) -> Self {
        ApiError(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        // The API speaks English: scripts read its errors.
        let message = self.0.public_message(Lang::English);
        (status, SafeJson(json!({"error": message}))).into_response()
    }
}
