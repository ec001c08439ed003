//! The user's cases, and a case's home page.

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::Html;
use axum::routing::get;
use trove_model::Role;

use super::chrome::{Chrome, render};
use crate::auth::{CurrentUser, require_case_role};
use crate::error::WebError;
use crate::state::AppState;

/// The routes of the case list and a case's home page.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(list))
        .route("/cases/{case}", get(home))
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    chrome: Chrome,
    cases: Vec<(String, Role)>,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CaseHomePage {
    chrome: Chrome,
    case: String,
    role: Role,
}

/// `GET /`: the cases this user may open.
pub async fn list(user: CurrentUser) -> Result<Html<String>, WebError> {
    let cases = user
        .memberships
        .iter()
        .map(|membership| (membership.case.clone(), membership.role))
        .collect();
    render(&CasesPage {
        chrome: Chrome::for_user(&user, "Your cases"),
        cases,
    })
}

/// `GET /cases/{case}`: the case's home page (search, documents and records
/// will hang off it).
pub async fn home(user: CurrentUser, Path(case): Path<String>) -> Result<Html<String>, WebError> {
    let role = require_case_role(&user, &case, Role::Viewer)?;
    render(&CaseHomePage {
        chrome: Chrome::for_user(&user, &case),
        case,
        role,
    })
}
