//! The admin page's forms that change who may do what: a user's role in a case,
//! disabling a user, and API tokens for scripts. Each change is an operation of
//! `trove_access`, which audits it in the same transaction.

use axum::Router;
use axum::extract::{Form, State};
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;
use trove_access::Grant;

use super::admin::{Outcome, change, grant_of, outcome_of};
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::state::AppState;

/// The routes of the admin page's access forms.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/access", post(change_access))
        .route("/admin/users/disable", post(disable_user))
        .route("/admin/tokens", post(issue_token))
        .route("/admin/tokens/revoke", post(revoke_token))
}

/// The role value of the access form that takes a user out of a case.
const NO_ACCESS: &str = "none";

#[derive(Deserialize)]
pub struct AccessForm {
    user: String,
    case: String,
    /// A role, or [`NO_ACCESS`].
    role: String,
}

#[derive(Deserialize)]
pub struct UserForm {
    user: String,
}

#[derive(Deserialize)]
pub struct TokenForm {
    user: String,
    label: String,
    /// Days until it expires; empty or absent: never.
    #[serde(default)]
    days: String,
}

/// `POST /admin/access`: sets a user's role in a case, or takes them out of it.
pub async fn change_access(
    State(state): State<AppState>,
    admin: CurrentUser,
    Form(form): Form<AccessForm>,
) -> Result<Response, WebError> {
    change(&state, &admin, move |db, actor| {
        let (user, case) = (form.user.as_str(), form.case.trim());
        if form.role == NO_ACCESS {
            let removed = db.revoke_grant(user, case, actor);
            return outcome_of(removed.map(|()| format!("{user} no longer has access to {case}.")));
        }
        let (case, role) = match grant_of(&form.role, case) {
            Ok(Grant::Member { case, role }) => (case, role),
            Ok(Grant::ServerAdmin) => return Ok(Outcome::problem(choose_a_case())),
            Err(problem) => return Ok(Outcome::problem(problem)),
        };
        let granted = db.grant(user, &case, role, actor);
        outcome_of(granted.map(|()| format!("{user} is now {role} of {case}.")))
    })
    .await
}

/// `POST /admin/users/disable`: ends a user's sessions and tokens for good.
pub async fn disable_user(
    State(state): State<AppState>,
    admin: CurrentUser,
    Form(form): Form<UserForm>,
) -> Result<Response, WebError> {
    change(&state, &admin, move |db, actor| {
        let user = form.user;
        if Some(user.as_str()) == actor.name() {
            let problem = "You cannot disable yourself; ask another server admin.".to_owned();
            return Ok(Outcome::problem(problem));
        }
        outcome_of(
            db.disable_user(&user, actor)
                .map(|()| format!("Disabled {user}: their sessions and API tokens have ended.")),
        )
    })
    .await
}

/// `POST /admin/tokens`: issues an API token for the admin themselves, shown once (a
/// token acts in its user's name: no one is issued another's).
pub async fn issue_token(
    State(state): State<AppState>,
    admin: CurrentUser,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    let expires = match form.days.trim() {
        "" => None,
        days => match days.parse::<i64>() {
            Ok(days @ 1..=3650) => Some(chrono::Utc::now() + chrono::TimeDelta::days(days)),
            _ => {
                return Err(WebError::BadRequest(format!(
                    "days must be a number from 1 to 3650, not {days:?}; leave it empty for a token that does not expire"
                )));
            }
        },
    };
    change(&state, &admin, move |db, actor| {
        let token = match db.issue_token_expiring(&form.user, &form.label, actor, expires) {
            Ok(token) => token,
            Err(error) => return outcome_of(Err(error)),
        };
        Ok(Outcome {
            notice: Some(format!(
                "API token {:?} for {}: copy it now, it is not shown again. Scripts send \
                 it in the header \"Authorization: Bearer TOKEN\".",
                form.label.trim(),
                form.user
            )),
            api_token: Some(token),
            ..Outcome::default()
        })
    })
    .await
}

/// `POST /admin/tokens/revoke`: a user's token stops working.
pub async fn revoke_token(
    State(state): State<AppState>,
    admin: CurrentUser,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    change(&state, &admin, move |db, actor| {
        let (user, label) = (form.user, form.label);
        outcome_of(
            db.revoke_token(&user, &label, actor)
                .map(|()| format!("Revoked {user}'s token {label:?}.")),
        )
    })
    .await
}

fn choose_a_case() -> String {
    "Choose a case: a role is held in one case (server admins are made with Add a user).".to_owned()
}
