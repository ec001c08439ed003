//! The server admin's page: users and their memberships, new users,
//! invitation links, cases. Changing access, disabling users and API tokens are
//! in [`super::admin_grants`].

use std::path::PathBuf;

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;
use trove_access::{AccessDb, AccessError, Actor, Grant, NewAccount};
use trove_model::{Case, Role};

use super::chrome::{Chrome, minute_utc, render};
use crate::auth::{CurrentUser, require_server_admin};
use crate::error::WebError;
use crate::state::AppState;

/// The admin page's routes: the page, new users, invitations and cases.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(show))
        .route("/admin/users", post(add_user))
        .route("/admin/invitations", post(create_invitation))
        .route("/admin/invitations/revoke", post(revoke_invitation))
        .route("/admin/cases", post(add_case))
}

/// How long an invitation link can be used.
const INVITATION_LIFETIME: TimeDelta = TimeDelta::days(7);

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
    users: Vec<UserRow>,
    cases: Vec<Case>,
    roles: [Role; 4],
    notice: Option<String>,
    problem: Option<String>,
    invitation_link: Option<String>,
    api_token: Option<String>,
    /// Links made and not yet used nor expired.
    invitations: Vec<InvitationRow>,
}

/// An open invitation as the page lists it.
struct InvitationRow {
    id: String,
    /// The role it grants, in `case`, or server admin with no case.
    role: Role,
    case: Option<String>,
    /// Who made it: `None` for the command line.
    by: Option<String>,
    expires: String,
}

struct UserRow {
    name: String,
    is_admin: bool,
    disabled: bool,
    /// The admin looking at the page (who may not disable themselves).
    is_you: bool,
    memberships: Vec<(String, Role)>,
    tokens: Vec<TokenRow>,
}

struct TokenRow {
    label: String,
    created: String,
    revoked: bool,
    /// When it stops opening anything, if ever.
    expires: Option<String>,
}

/// What the page shows besides its lists, after a form was sent.
#[derive(Default)]
pub(super) struct Outcome {
    pub(super) notice: Option<String>,
    pub(super) problem: Option<String>,
    pub(super) invitation_link: Option<String>,
    /// A new API token: shown once, never stored but as its hash.
    pub(super) api_token: Option<String>,
}

#[derive(Deserialize)]
pub struct AddUserForm {
    name: String,
    password: String,
    role: String,
    /// Empty for a server admin.
    case: String,
}

#[derive(Deserialize)]
pub struct CaseForm {
    name: String,
    /// The case's store folder, on this server.
    store: String,
}

#[derive(Deserialize)]
pub struct InvitationForm {
    role: String,
    case: String,
}

#[derive(Deserialize)]
pub struct RevokeInvitationForm {
    id: String,
}

/// `POST /admin/invitations/revoke`: an unused link stops working.
pub async fn revoke_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<RevokeInvitationForm>,
) -> Result<Response, WebError> {
    let lang = user.language;
    change(&state, &user, move |db, actor| {
        outcome_of(
            db.revoke_invitation(&form.id, Utc::now(), actor)
                .map(|()| lang.t("admin.notice.invitation_revoked").to_owned()),
        )
    })
    .await
}

/// `GET /admin`.
pub async fn show(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    require_server_admin(&user)?;
    admin_page(&state, &user, Outcome::default()).await
}

/// `POST /admin/users`: adds a user, a server admin or a member of one case.
pub async fn add_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<AddUserForm>,
) -> Result<Response, WebError> {
    // Off the async threads: the password is hashed, slowly, in `add_user`.
    let lang = user.language;
    change(&state, &user, move |db, actor| {
        let grant = match grant_of(&form.role, &form.case) {
            Ok(grant) => grant,
            Err(problem) => return Ok(Outcome::problem(problem)),
        };
        let name = form.name.trim();
        let account = NewAccount {
            name,
            password: &form.password,
            grant: &grant,
        };
        let notice = match &grant {
            Grant::Member { case, role } => lang
                .msg("admin.notice.added_member")
                .arg("role", lang.name(role))
                .arg("case", case),
            Grant::ServerAdmin => lang.msg("admin.notice.added_admin"),
        };
        let notice = notice.arg("name", name).to_string();
        outcome_of(db.add_user(account, actor).map(|_| notice))
    })
    .await
}

/// `POST /admin/cases`: makes a store folder on this server a case.
pub async fn add_case(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CaseForm>,
) -> Result<Response, WebError> {
    let lang = user.language;
    change(&state, &user, move |db, actor| {
        let folder = PathBuf::from(form.store.trim());
        let added = db.add_case(form.name.trim(), &folder, actor);
        outcome_of(added.map(|case| {
            lang.msg("admin.notice.added_case")
                .arg("case", &case.name)
                .arg("store", case.store.display())
                .to_string()
        }))
    })
    .await
}

/// `POST /admin/invitations`: makes a single-use invitation link.
pub async fn create_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<InvitationForm>,
) -> Result<Response, WebError> {
    let lang = user.language;
    change(&state, &user, move |db, actor| {
        let grant = match grant_of(&form.role, &form.case) {
            Ok(grant) => grant,
            Err(problem) => return Ok(Outcome::problem(problem)),
        };
        let token = match db.create_invitation(&grant, INVITATION_LIFETIME, Utc::now(), actor) {
            Ok(token) => token,
            Err(error) => return outcome_of(Err(error)),
        };
        let notice = if grant == Grant::ServerAdmin {
            lang.msg("admin.notice.invitation_admin")
        } else {
            lang.msg("admin.notice.invitation")
                .arg("days", INVITATION_LIFETIME.num_days())
        };
        Ok(Outcome {
            notice: Some(notice.to_string()),
            invitation_link: Some(format!("/invite/{token}")),
            ..Outcome::default()
        })
    })
    .await
}

/// Reads a grant from a form's role and case: a case's role, or admin with no case for
/// a server admin. `Err` holds what to tell the admin.
pub(super) fn grant_of(role: &str, case: &str) -> Result<Grant, String> {
    let role: Role = role
        .parse()
        .map_err(|error: trove_model::ParseRoleError| error.to_string())?;
    Grant::new(role, Some(case)).map_err(|error| error.to_string())
}

/// What the admin is told after a change: `notice` when it was made; when the access
/// database refused it for a reason theirs to fix (a name taken, malformed or unknown, a
/// password too short, a folder with no store), that reason, shown on the page; anything
/// else fails the request.
pub(super) fn outcome_of(result: Result<String, AccessError>) -> Result<Outcome, WebError> {
    match result {
        Ok(notice) => Ok(Outcome::notice(notice)),
        Err(error) if error.is_users_to_fix() => Ok(Outcome::problem(error.to_string())),
        Err(error) => Err(error.into()),
    }
}

impl Outcome {
    pub(super) fn notice(notice: String) -> Self {
        Outcome {
            notice: Some(notice),
            ..Outcome::default()
        }
    }

    pub(super) fn problem(problem: String) -> Self {
        Outcome {
            problem: Some(problem),
            ..Outcome::default()
        }
    }
}

/// Makes an admin's change: refuses anyone but a server admin, runs `change` off the
/// async threads with the admin as its actor, and shows the admin page with its outcome.
pub(super) async fn change<F>(
    state: &AppState,
    admin: &CurrentUser,
    change: F,
) -> Result<Response, WebError>
where
    F: FnOnce(&AccessDb, &Actor) -> Result<Outcome, WebError> + Send + 'static,
{
    require_server_admin(admin)?;
    let actor = Actor::user(&admin.name);
    let outcome = state.with_access(move |db| change(db, &actor)).await?;
    admin_page(state, admin, outcome).await
}

/// The admin page with its lists, read off the async threads, and `outcome` on top.
pub(super) async fn admin_page(
    state: &AppState,
    user: &CurrentUser,
    outcome: Outcome,
) -> Result<Response, WebError> {
    let you = user.name.clone();
    let (users, cases, invitations) = state
        .with_access(move |db| {
            let invitations = db
                .open_invitations(Utc::now())?
                .into_iter()
                .map(|open| InvitationRow {
                    role: open.invitation.role,
                    case: open.invitation.case,
                    by: open.invitation.created_by,
                    expires: DateTime::from_timestamp(open.invitation.expires_at, 0)
                        .map_or_else(String::new, minute_utc),
                    id: open.id,
                })
                .collect();
            Ok((user_rows(db, &you)?, db.cases()?, invitations))
        })
        .await?;
    let status = if outcome.problem.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = AdminPage {
        chrome: Chrome::for_user(user, "nav.admin"),
        users,
        cases,
        roles: Role::ALL,
        notice: outcome.notice,
        problem: outcome.problem,
        invitation_link: outcome.invitation_link,
        api_token: outcome.api_token,
        invitations,
    };
    Ok((status, render(&page)?).into_response())
}

/// Every user with their memberships and tokens; `you` is the admin looking.
fn user_rows(db: &AccessDb, you: &str) -> Result<Vec<UserRow>, AccessError> {
    let memberships = db.memberships()?;
    db.users()?
        .into_iter()
        .map(|account| {
            let tokens = db
                .api_tokens_of(&account.name)?
                .into_iter()
                .map(|token| TokenRow {
                    label: token.label,
                    created: DateTime::from_timestamp(token.created_at, 0)
                        .map_or_else(String::new, minute_utc),
                    revoked: token.revoked,
                    expires: token
                        .expires_at
                        .and_then(|at| DateTime::from_timestamp(at, 0))
                        .map(minute_utc),
                })
                .collect();
            Ok(UserRow {
                memberships: memberships
                    .iter()
                    .filter(|membership| membership.user == account.name)
                    .map(|membership| (membership.case.clone(), membership.role))
                    .collect(),
                is_you: account.name == you,
                name: account.name,
                is_admin: account.is_admin,
                disabled: account.disabled,
                tokens,
            })
        })
        .collect()
}
