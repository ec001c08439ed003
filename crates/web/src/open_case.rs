//! The case a route names, opened for the user asking: an extractor, so that no case
//! handler can reach a case's data without the membership check.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use trove_model::Role;

use crate::auth::{CurrentUser, require_case_role};
use crate::blocking;
use crate::case_data::CaseData;
use crate::error::{ApiError, WebError};
use crate::state::AppState;

/// The case of the route's `{case}` segment, for a user who may open it, with their
/// role in it. Someone outside the case (or a case that does not exist) is answered 404,
/// revealing nothing; a handler that needs more than viewing calls [`OpenCase::require`].
pub struct OpenCase {
    /// The case's name, as the route gave it.
    pub name: String,
    /// The user's role in the case.
    pub role: Role,
    /// The case's store and index.
    pub data: Arc<CaseData>,
}

impl OpenCase {
    /// Refuses (403) a user whose role in the case is below `required`.
    pub fn require(&self, required: Role) -> Result<(), WebError> {
        if self.role.at_least(required) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    /// Runs `work` with the case's data on a blocking thread (catalog and index calls
    /// block).
    pub async fn run<T, F>(&self, work: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&CaseData) -> Result<T, WebError> + Send + 'static,
    {
        let data = Arc::clone(&self.data);
        blocking::run(move || work(&data)).await
    }
}

impl FromRequestParts<AppState> for OpenCase {
    /// The login redirect (or 401), or the error page (JSON under `/api/`).
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let user = <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let api = parts.uri.path().starts_with("/api/");
        let failed = |error: WebError| {
            if api {
                ApiError(error).into_response()
            } else {
                error.into_response()
            }
        };
        let Path(segments) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let name = segments
            .get("case")
            .cloned()
            .ok_or_else(|| failed(WebError::NotFound))?;
        let role = require_case_role(&user, &name, Role::Viewer).map_err(failed)?;
        let opening = state.clone();
        let case = name.clone();
        let data = blocking::run(move || opening.open_cases().get_or_open(opening.access(), &case))
            .await
            .map_err(failed)?;
        Ok(OpenCase { name, role, data })
    }
}
