//! The admin page's forms that change who may do what: a user's role in a case,
//! disabling a user, and API tokens for scripts. Each change is audited.

use axum::extract::{Form, State};
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;
use trove_store::StoreError;
use trove_store::access::NewAuditEvent;

use super::admin::{Outcome, admin_page, refused, role_and_case};
use crate::app::AppState;
use crate::auth::{CurrentUser, require_server_admin};
use crate::error::WebError;
use crate::session::new_token;

/// The role value of the access form that takes a user out of a case.
const NO_ACCESS: &str = "none";

/// Longest API token label, in characters.
const MAX_LABEL_CHARS: usize = 64;

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
}

/// `POST /admin/access`: sets a user's role in a case, or takes them out of it.
pub async fn change_access(
    State(state): State<AppState>,
    admin: CurrentUser,
    Form(form): Form<AccessForm>,
) -> Result<Response, WebError> {
    require_server_admin(&admin)?;
    let db = state.access();
    if db.user(&form.user)?.is_none() {
        return admin_page(&state, &admin, no_such_user(&form.user));
    }
    let case = form.case.trim();
    if form.role == NO_ACCESS {
        match db.remove_membership(&form.user, case) {
            Ok(()) => {}
            Err(StoreError::NotFound { .. }) => {
                let problem = format!("{} has no access to {case:?} to remove.", form.user);
                return admin_page(&state, &admin, Outcome::problem(problem));
            }
            Err(error) => return Err(error.into()),
        }
        state.audit(
            NewAuditEvent::new("role_removed")
                .actor(&admin.name)
                .case(case)
                .target(&form.user),
        )?;
        let notice = format!("{} no longer has access to {case}.", form.user);
        return admin_page(&state, &admin, Outcome::notice(notice));
    }
    let role = match role_and_case(&state, &form.role, case) {
        Ok((role, Some(_))) => role,
        Ok((_, None)) => return admin_page(&state, &admin, Outcome::problem(choose_a_case())),
        Err(problem) => return admin_page(&state, &admin, Outcome::problem(problem)),
    };
    db.set_membership(&form.user, case, role)?;
    state.audit(
        NewAuditEvent::new("role_granted")
            .actor(&admin.name)
            .case(case)
            .target(&form.user)
            .detail(format!("role {role}")),
    )?;
    let notice = format!("{} is now {role} of {case}.", form.user);
    admin_page(&state, &admin, Outcome::notice(notice))
}

/// `POST /admin/users/disable`: ends a user's sessions and tokens for good.
pub async fn disable_user(
    State(state): State<AppState>,
    admin: CurrentUser,
    Form(form): Form<UserForm>,
) -> Result<Response, WebError> {
    require_server_admin(&admin)?;
    if form.user == admin.name {
        let problem = "You cannot disable yourself; ask another server admin.".to_owned();
        return admin_page(&state, &admin, Outcome::problem(problem));
    }
    let db = state.access();
    match db.disable_user(&form.user, Utc::now()) {
        Ok(()) => {}
        Err(StoreError::NotFound { .. }) => {
            return admin_page(&state, &admin, no_such_user(&form.user));
        }
        Err(error) => return Err(error.into()),
    }
    state.audit(
        NewAuditEvent::new("user_disabled")
            .actor(&admin.name)
            .target(&form.user),
    )?;
    let notice = format!(
        "Disabled {}: their sessions and API tokens have ended.",
        form.user
    );
    admin_page(&state, &admin, Outcome::notice(notice))
}

/// `POST /admin/tokens`: issues an API token for a user, shown once.
pub async fn issue_token(
    State(state): State<AppState>,
    admin: CurrentUser,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    require_server_admin(&admin)?;
    let label = form.label.trim();
    if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS {
        let problem = format!(
            "Give the token a label of 1 to {MAX_LABEL_CHARS} characters, such as the script or \
             machine that will use it."
        );
        return admin_page(&state, &admin, Outcome::problem(problem));
    }
    let db = state.access();
    if db.user(&form.user)?.is_none_or(|user| user.disabled) {
        return admin_page(&state, &admin, no_such_user(&form.user));
    }
    let token = new_token();
    if let Err(error) = db.create_api_token(&token, &form.user, label, Utc::now()) {
        return admin_page(&state, &admin, refused(error)?);
    }
    state.audit(
        NewAuditEvent::new("api_token_issued")
            .actor(&admin.name)
            .target(&form.user)
            .detail(format!("label {label:?}")),
    )?;
    let outcome = Outcome {
        notice: Some(format!(
            "API token {label:?} for {}: copy it now, it is not shown again. Scripts send it \
             in the header \"Authorization: Bearer TOKEN\".",
            form.user
        )),
        api_token: Some(token),
        ..Outcome::default()
    };
    admin_page(&state, &admin, outcome)
}

/// `POST /admin/tokens/revoke`: a user's token stops working.
pub async fn revoke_token(
    State(state): State<AppState>,
    admin: CurrentUser,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    require_server_admin(&admin)?;
    let revoked = state
        .access()
        .revoke_api_token(&form.user, &form.label, Utc::now());
    if let Err(error) = revoked {
        return admin_page(&state, &admin, refused(error)?);
    }
    state.audit(
        NewAuditEvent::new("api_token_revoked")
            .actor(&admin.name)
            .target(&form.user)
            .detail(format!("label {:?}", form.label)),
    )?;
    let notice = format!("Revoked {}'s token {:?}.", form.user, form.label);
    admin_page(&state, &admin, Outcome::notice(notice))
}

fn no_such_user(name: &str) -> Outcome {
    Outcome::problem(format!(
        "There is no enabled user {name:?}; the table above lists who there is."
    ))
}

fn choose_a_case() -> String {
    "Choose a case: a role is held in one case (server admins are made with Add a user).".to_owned()
}
