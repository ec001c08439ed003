//! Invitation links: the invited person picks a name and password, once.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;
use trove_model::Role;
use trove_store::StoreError;
use trove_store::access::NewAuditEvent;

use super::login::visitor_form;
use super::{Chrome, render};
use crate::app::AppState;
use crate::csrf;
use crate::error::WebError;
use crate::password::{PasswordError, hash_password};

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    chrome: Chrome,
    token: String,
    role: Role,
    case: Option<String>,
    name: String,
    problem: Option<String>,
}

#[derive(Deserialize)]
pub struct AcceptForm {
    name: String,
    password: String,
    password_again: String,
}

/// `GET /invite/{token}`.
pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Some(invitation) = state.access().invitation(&token, Utc::now())? else {
        return Err(WebError::NotFound);
    };
    visitor_form(&state, &headers, |csrf| InvitePage {
        chrome: Chrome::for_visitor("Accept an invitation", csrf),
        token,
        role: invitation.role,
        case: invitation.case,
        name: String::new(),
        problem: None,
    })
}

/// `POST /invite/{token}`: makes the account and sends its owner to log in.
pub async fn accept(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<AcceptForm>,
) -> Result<Response, WebError> {
    let db = state.access();
    let Some(invitation) = db.invitation(&token, Utc::now())? else {
        return Err(WebError::NotFound);
    };
    let name = form.name.trim().to_string();
    let retry = |problem: String| -> Result<Response, WebError> {
        let page = InvitePage {
            chrome: Chrome::for_visitor(
                "Accept an invitation",
                csrf::expected_token(&headers).unwrap_or_default(),
            ),
            token: token.clone(),
            role: invitation.role,
            case: invitation.case.clone(),
            name: name.clone(),
            problem: Some(problem),
        };
        Ok((StatusCode::BAD_REQUEST, render(&page)?).into_response())
    };
    if form.password != form.password_again {
        return retry("The two passwords differ; type the same one twice.".into());
    }
    let password = form.password;
    let hash = match tokio::task::spawn_blocking(move || hash_password(&password)).await? {
        Ok(hash) => hash,
        Err(error @ PasswordError::TooShort) => return retry(error.to_string()),
        Err(error) => return Err(error.into()),
    };
    let accepted = match db.accept_invitation(&token, &name, &hash, Utc::now()) {
        Ok(accepted) => accepted,
        Err(error @ (StoreError::AlreadyExists { .. } | StoreError::InvalidName { .. })) => {
            return retry(error.to_string());
        }
        Err(StoreError::InvitationUnusable) => return Err(WebError::NotFound),
        Err(error) => return Err(error.into()),
    };
    let mut event = NewAuditEvent::new("invitation_used")
        .actor(&name)
        .detail(format!(
            "role {}, invited by {}",
            accepted.role,
            accepted.created_by.as_deref().unwrap_or("the command line")
        ));
    if let Some(case) = &accepted.case {
        event = event.case(case);
    }
    state.audit(event)?;
    Ok(Redirect::to("/login").into_response())
}
