//! The server admin's page: users and their memberships, new users,
//! invitation links, cases. Changing access, disabling users and API tokens are
//! in [`super::admin_grants`].

use std::path::PathBuf;

use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;
use trove_model::{Case, Role};
use trove_store::StoreError;
use trove_store::access::{NewAuditEvent, NewInvitation};

use super::{Chrome, minute_utc, render};
use crate::app::AppState;
use crate::auth::{CurrentUser, require_server_admin};
use crate::error::WebError;
use crate::password::{PasswordError, hash_password};
use crate::session::new_token;

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

/// `GET /admin`.
pub async fn show(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    require_server_admin(&user)?;
    admin_page(&state, &user, Outcome::default())
}

/// `POST /admin/users`: adds a user, a server admin or a member of one case.
pub async fn add_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<AddUserForm>,
) -> Result<Response, WebError> {
    require_server_admin(&user)?;
    let name = form.name.trim().to_string();
    let (role, case) = match role_and_case(&state, &form.role, &form.case) {
        Ok(grant) => grant,
        Err(problem) => return admin_page(&state, &user, Outcome::problem(problem)),
    };
    let password = form.password;
    let hash = match tokio::task::spawn_blocking(move || hash_password(&password)).await? {
        Ok(hash) => hash,
        Err(PasswordError::TooShort) => {
            return admin_page(
                &state,
                &user,
                Outcome::problem(PasswordError::TooShort.to_string()),
            );
        }
        Err(error) => return Err(error.into()),
    };
    let db = state.access();
    if let Err(error) = db.add_user(&name, &hash, case.is_none(), Utc::now()) {
        return admin_page(&state, &user, refused(error)?);
    }
    if let Some(case) = &case {
        db.set_membership(&name, case, role)?;
    }
    let mut event = NewAuditEvent::new("user_added")
        .actor(&user.name)
        .target(&name)
        .detail(format!("role {role}"));
    if let Some(case) = &case {
        event = event.case(case);
    }
    state.audit(event)?;
    let notice = match &case {
        Some(case) => format!("Added {name} as {role} of {case}."),
        None => format!("Added {name} as a server admin."),
    };
    admin_page(&state, &user, Outcome::notice(notice))
}

/// `POST /admin/cases`: makes a store folder on this server a case.
pub async fn add_case(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CaseForm>,
) -> Result<Response, WebError> {
    require_server_admin(&user)?;
    let name = form.name.trim();
    let folder = PathBuf::from(form.store.trim());
    if !folder.join("trove.sqlite").is_file() {
        let problem = format!(
            "{} holds no trove store on this server; ingest into it first \
             (trove ingest FOLDER --store {}).",
            folder.display(),
            folder.display()
        );
        return admin_page(&state, &user, Outcome::problem(problem));
    }
    // The server may be restarted from another folder: keep the absolute path.
    let store = folder.canonicalize().map_err(|error| {
        WebError::BadRequest(format!("{} cannot be resolved: {error}", folder.display()))
    })?;
    if let Err(error) = state.access().add_case(name, &store, Utc::now()) {
        return admin_page(&state, &user, refused(error)?);
    }
    state.audit(
        NewAuditEvent::new("case_added")
            .actor(&user.name)
            .case(name)
            .detail(format!("store {}", store.display())),
    )?;
    let notice = format!("Added case {name}: {}.", store.display());
    admin_page(&state, &user, Outcome::notice(notice))
}

/// `POST /admin/invitations`: makes a single-use invitation link.
pub async fn create_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<InvitationForm>,
) -> Result<Response, WebError> {
    require_server_admin(&user)?;
    let (role, case) = match role_and_case(&state, &form.role, &form.case) {
        Ok(grant) => grant,
        Err(problem) => return admin_page(&state, &user, Outcome::problem(problem)),
    };
    let now = Utc::now();
    let token = new_token();
    let invitation = NewInvitation {
        role,
        case: case.clone(),
        created_by: Some(user.name.clone()),
        expires_at: now + INVITATION_LIFETIME,
    };
    state.access().create_invitation(&token, &invitation, now)?;
    let mut event = NewAuditEvent::new("invitation_created")
        .actor(&user.name)
        .detail(format!(
            "role {role}, valid until {}",
            minute_utc(invitation.expires_at)
        ));
    if let Some(case) = &case {
        event = event.case(case);
    }
    state.audit(event)?;
    admin_page(
        &state,
        &user,
        Outcome {
            notice: Some(format!(
                "Send this link to the person you invite; it works once, for {} days, \
                 and is not shown again.",
                INVITATION_LIFETIME.num_days()
            )),
            invitation_link: Some(format!("/invite/{token}")),
            ..Outcome::default()
        },
    )
}

/// Reads a role and case from a form: a case's role, or admin with no case
/// for a server admin. `Err` holds what to tell the admin.
pub(super) fn role_and_case(
    state: &AppState,
    role: &str,
    case: &str,
) -> Result<(Role, Option<String>), String> {
    let role: Role = role
        .parse()
        .map_err(|error: trove_model::ParseRoleError| error.to_string())?;
    let case = case.trim();
    if case.is_empty() {
        return if role == Role::Admin {
            Ok((role, None))
        } else {
            Err(format!(
                "Choose a case for a {role}; only an admin may have no case (a server admin)."
            ))
        };
    }
    match state.access().case(case) {
        Ok(Some(_)) => Ok((role, Some(case.to_string()))),
        Ok(None) => Err(format!("There is no case {case:?}.")),
        Err(error) => Err(error.to_string()),
    }
}

/// What the admin is told when the access database refuses a form: a name taken,
/// malformed or unknown is theirs to fix, shown on the page; anything else fails the
/// request.
pub(super) fn refused(error: StoreError) -> Result<Outcome, WebError> {
    match error {
        StoreError::AlreadyExists { .. }
        | StoreError::InvalidName { .. }
        | StoreError::NotFound { .. } => Ok(Outcome::problem(error.to_string())),
        other => Err(other.into()),
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

pub(super) fn admin_page(
    state: &AppState,
    user: &CurrentUser,
    outcome: Outcome,
) -> Result<Response, WebError> {
    let db = state.access();
    let memberships = db.memberships()?;
    let users = db
        .users()?
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
                })
                .collect();
            Ok(UserRow {
                memberships: memberships
                    .iter()
                    .filter(|membership| membership.user == account.name)
                    .map(|membership| (membership.case.clone(), membership.role))
                    .collect(),
                is_you: account.name == user.name,
                name: account.name,
                is_admin: account.is_admin,
                disabled: account.disabled,
                tokens,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let status = if outcome.problem.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = AdminPage {
        chrome: Chrome::for_user(user, "Admin"),
        users,
        cases: db.cases()?,
        roles: Role::ALL,
        notice: outcome.notice,
        problem: outcome.problem,
        invitation_link: outcome.invitation_link,
        api_token: outcome.api_token,
    };
    Ok((status, render(&page)?).into_response())
}
