//! The JSON API: who am I, and which cases may I open.

use axum::Router;
use axum::routing::get;
use serde::Serialize;
use trove_model::Role;

use crate::auth::CurrentUser;
use crate::safe_json::SafeJson;
use crate::state::AppState;

/// The API's routes about the user: who they are and their cases.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/me", get(me))
        .route("/api/cases", get(cases))
}

#[derive(Serialize)]
pub struct Me {
    name: String,
    is_admin: bool,
    cases: Vec<CaseAccess>,
}

#[derive(Serialize)]
pub struct CaseAccess {
    name: String,
    role: Role,
}

fn case_access(user: &CurrentUser) -> Vec<CaseAccess> {
    user.memberships
        .iter()
        .map(|membership| CaseAccess {
            name: membership.case.clone(),
            role: membership.role,
        })
        .collect()
}

/// `GET /api/me`.
pub async fn me(user: CurrentUser) -> SafeJson<Me> {
    SafeJson(Me {
        cases: case_access(&user),
        name: user.name,
        is_admin: user.is_admin,
    })
}

/// `GET /api/cases`.
pub async fn cases(user: CurrentUser) -> SafeJson<Vec<CaseAccess>> {
    SafeJson(case_access(&user))
}
