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
use crate::i18n::Phrase;
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
    let lang = admin.language;
    change(&state, &admin, move |db, actor| {
        let (user, case) = (form.user.as_str(), form.case.trim());
        let notice = |key| lang.msg(key).arg("user", user);
        if form.role == NO_ACCESS {
            let removed = db.revoke_grant(user, case, actor);
            let notice = notice("admin.notice.access_removed").arg("case", case);
            return outcome_of(removed.map(|()| notice.to_string()));
        }
        let (case, role) = match grant_of(&form.role, case) {
            Ok(Grant::Member { case, role }) => (case, role),
            Ok(Grant::ServerAdmin) => {
                return Ok(Outcome::problem(lang.t("admin.choose_a_case").to_owned()));
            }
            Err(problem) => return Ok(Outcome::problem(problem)),
        };
        let granted = db.grant(user, &case, role, actor);
        let notice = notice("admin.notice.access_granted")
            .arg("role", lang.name(role))
            .arg("case", &case);
        outcome_of(granted.map(|()| notice.to_string()))
    })
    .await
}

/// `POST /admin/users/disable`: ends a user's sessions and tokens for good.
pub async fn disable_user(
    State(state): State<AppState>,
    admin: CurrentUser,
    Form(form): Form<UserForm>,
) -> Result<Response, WebError> {
    let lang = admin.language;
    change(&state, &admin, move |db, actor| {
        let user = form.user;
        if Some(user.as_str()) == actor.name() {
            let problem = lang.t("admin.cannot_disable_yourself").to_owned();
            return Ok(Outcome::problem(problem));
        }
        let notice = lang.msg("admin.notice.disabled").arg("user", &user);
        outcome_of(db.disable_user(&user, actor).map(|()| notice.to_string()))
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
                return Err(WebError::Refused(
                    Phrase::new("error.token_days").arg("days", format!("{days:?}")),
                ));
            }
        },
    };
    let lang = admin.language;
    change(&state, &admin, move |db, actor| {
        let token = match db.issue_token_expiring(&form.user, &form.label, actor, expires) {
            Ok(token) => token,
            Err(error) => return outcome_of(Err(error)),
        };
        let notice = lang
            .msg("admin.notice.token_issued")
            .arg("label", format!("{:?}", form.label.trim()))
            .arg("user", &form.user);
        Ok(Outcome {
            notice: Some(notice.to_string()),
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
    let lang = admin.language;
    change(&state, &admin, move |db, actor| {
        let (user, label) = (form.user, form.label);
        let notice = lang
            .msg("admin.notice.token_revoked")
            .arg("user", &user)
            .arg("label", format!("{label:?}"));
        outcome_of(
            db.revoke_token(&user, &label, actor)
                .map(|()| notice.to_string()),
        )
    })
    .await
}
