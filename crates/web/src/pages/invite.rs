//! Invitation links: the invited person picks a name and password, once.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;
use serde::Deserialize;
use trove_access::{AccessError, Invitation};
use trove_model::Role;

use super::chrome::{Chrome, render};
use super::login::{visitor_form, visitor_language};
use crate::error::WebError;
use crate::state::AppState;

/// The invitation link's route: the form and its answer.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/invite/{token}", get(show).post(accept))
}

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
    let invitation = open_invitation(&state, &token).await?;
    let lang = visitor_language(&headers);
    visitor_form(&state, &headers, |csrf| InvitePage {
        chrome: Chrome::for_visitor(lang, "title.invite", csrf),
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
    let invitation = open_invitation(&state, &token).await?;
    let name = form.name.trim().to_string();
    let lang = visitor_language(&headers);
    let retry = |problem: String| -> Result<Response, WebError> {
        let page = InvitePage {
            chrome: Chrome::for_visitor(
                lang,
                "title.invite",
                state
                    .csrf()
                    .expected_token(&headers, state.cookies())
                    .unwrap_or_default(),
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
        return retry(lang.t("invite.passwords_differ").to_owned());
    }
    let (accepting, password) = (name.clone(), form.password);
    let redeeming = token.clone();
    // Off the async threads: the password is hashed, slowly, in `accept_invitation`.
    let accepted = state
        .with_access(move |db| {
            Ok(db.accept_invitation(&redeeming, &accepting, &password, Utc::now()))
        })
        .await?;
    match accepted {
        Ok(_) => Ok(Redirect::to("/login").into_response()),
        Err(AccessError::InvitationUnusable) => Err(WebError::NotFound),
        Err(error) if error.is_users_to_fix() => retry(error.to_string()),
        Err(error) => Err(error.into()),
    }
}

/// The invitation `token` redeems, if it still can be; 404 for any other.
async fn open_invitation(state: &AppState, token: &str) -> Result<Invitation, WebError> {
    let token = token.to_owned();
    state
        .with_access(move |db| db.invitation(&token, Utc::now())?.ok_or(WebError::NotFound))
        .await
}
