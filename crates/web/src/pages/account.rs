//! The user's own account: changing one's password (the current one required; every other
//! session of the user ends; audited) and what "log out everywhere" does.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use trove_access::AccessError;

use super::chrome::{Chrome, render};
use crate::auth::{Credential, CurrentUser};
use crate::error::WebError;
use crate::i18n::{Lang, Phrase};
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(show))
        .route("/account/password", post(change_password))
        .route("/account/language", post(change_language))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    notice: Option<String>,
    problem: Option<String>,
    languages: [(Lang, &'static str, &'static str); 3],
}

/// `GET /account`.
pub async fn show(user: CurrentUser) -> Result<Html<String>, WebError> {
    render(&AccountPage {
        chrome: Chrome::for_user(&user, "title.account"),
        notice: None,
        problem: None,
        languages: Lang::ALL,
    })
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    repeat: String,
}

/// `POST /account/password`: the current password, then the new one twice.
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let page = |status: StatusCode, notice: Option<String>, problem: Option<String>| {
        let page = AccountPage {
            chrome: Chrome::for_user(&user, "title.account"),
            notice,
            problem,
            languages: Lang::ALL,
        };
        Ok::<_, WebError>((status, render(&page)?).into_response())
    };
    let Credential::Session { token } = &user.credential else {
        return Err(WebError::Forbidden);
    };
    if form.new != form.repeat {
        let problem = user.language.t("account.passwords_differ");
        return page(StatusCode::BAD_REQUEST, None, Some(problem.to_owned()));
    }
    let (name, session) = (user.name.clone(), token.clone());
    let changed = state
        .with_access(move |db| {
            Ok(db.change_own_password(&name, &form.current, &form.new, &session))
        })
        .await?;
    match changed {
        Ok(ended) => page(
            StatusCode::OK,
            Some(
                user.language
                    .msg("account.password_changed")
                    .arg("ended", ended)
                    .to_string(),
            ),
            None,
        ),
        Err(error) if error.is_users_to_fix() || matches!(error, AccessError::Password(_)) => {
            page(StatusCode::BAD_REQUEST, None, Some(error.to_string()))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    language: String,
}

/// `POST /account/language`: the language the workbench speaks to this user in.
pub async fn change_language(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<LanguageForm>,
) -> Result<Response, WebError> {
    let Some(language) = Lang::from_code(&form.language) else {
        return Err(WebError::Refused(
            Phrase::new("error.language").arg("language", format!("{:?}", form.language)),
        ));
    };
    let name = user.name.clone();
    state
        .with_access(move |db| Ok(db.set_language(&name, language.code())?))
        .await?;
    Ok(axum::response::Redirect::to("/account").into_response())
}
