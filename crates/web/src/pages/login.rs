//! Logging in and out.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use trove_access::{
    AuditAction, LockoutPolicy, LoginAttempt, LoginClaim, NewAuditEvent, hash_password, new_token,
    verify_password,
};

use super::chrome::{Chrome, render};
use crate::auth::{Credential, CurrentUser};
use crate::error::WebError;
use crate::i18n::Lang;
use crate::session::{SESSION_LIMITS, clear_cookie, set_cookie};
use crate::state::AppState;
use crate::throttle::{AddressVerdict, ClientAddress};

/// The routes of logging in and out.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(show).post(submit))
        .route("/logout", post(logout))
        .route("/logout-everywhere", post(logout_everywhere))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    problem: Option<String>,
    name: String,
}

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
}

/// The language a visitor's browser asks for.
pub fn visitor_language(headers: &HeaderMap) -> Lang {
    Lang::from_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok()),
    )
}

/// `GET /login`: the form, or the home page for someone logged in.
pub async fn show(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let lang = visitor_language(&headers);
    visitor_form(&state, &headers, |csrf| LoginPage {
        chrome: Chrome::for_visitor(lang, "login.title", csrf),
        problem: None,
        name: String::new(),
    })
}

/// Renders a form for someone not logged in, giving them a visitor cookie
/// (to bind the form's CSRF token to) if they have no cookie yet.
pub fn visitor_form<T: Template>(
    state: &AppState,
    headers: &HeaderMap,
    page: impl FnOnce(String) -> T,
) -> Result<Response, WebError> {
    if let Some(csrf) = state.csrf().expected_token(headers, state.cookies()) {
        return Ok(render(&page(csrf))?.into_response());
    }
    let visitor = new_token();
    let html = render(&page(state.csrf().token_for(&visitor)))?;
    // Secure like the session cookie: one set over plain HTTP by a network
    // attacker would let them forge this browser's login form.
    let secure = state.config().secure_cookies;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(state.cookies().visitor, &visitor, secure),
        )],
        html,
    )
        .into_response())
}

/// `POST /login`.
pub async fn submit(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let now = Utc::now();
    // No account has a longer name; the cap keeps junk out of the failure table.
    let name: String = form.name.trim().chars().take(MAX_NAME_CHARS + 1).collect();
    let lang = visitor_language(&headers);
    let refuse = |status: StatusCode, problem: String| -> Result<Response, WebError> {
        let page = LoginPage {
            chrome: Chrome::for_visitor(
                lang,
                "login.title",
                state
                    .csrf()
                    .expected_token(&headers, state.cookies())
                    .unwrap_or_default(),
            ),
            problem: Some(problem),
            name: name.clone(),
        };
        Ok((status, render(&page)?).into_response())
    };

    match state
        .addresses()
        .attempt(address, std::time::Instant::now())
    {
        AddressVerdict::Allowed => {}
        verdict => {
            if verdict == AddressVerdict::JustLimited {
                state
                    .audit(NewAuditEvent::new(AuditAction::Lockout).detail(format!(
                        "address {address} made too many login attempts in a minute"
                    )))
                    .await?;
            }
            return refuse(
                StatusCode::TOO_MANY_REQUESTS,
                lang.t("login.too_many_attempts").to_owned(),
            );
        }
    }
    // The attempt is counted before the (slow) password check, in one step with the
    // lock-out check: parallel guesses cannot all slip through.
    let from = address.to_string();
    let claim = {
        let (name, from) = (name.clone(), from.clone());
        state
            .with_access(move |db| {
                let attempt = LoginAttempt {
                    name: &name,
                    address: &from,
                    at: now,
                };
                Ok(db.claim_login_attempt(&attempt, LockoutPolicy::DEFAULT)?)
            })
            .await?
    };
    let refused = match claim {
        LoginClaim::Granted => None,
        LoginClaim::Locked(until) => {
            Some(("refused while locked out", locked_message(lang, until)))
        }
        LoginClaim::Slowed(next) => Some(("refused while slowed", slowed_message(lang, next, now))),
    };
    if let Some((why, message)) = refused {
        state
            .audit(
                NewAuditEvent::new(AuditAction::LoginFailed)
                    .target(&name)
                    .detail(format!("{why}, from {address}")),
            )
            .await?;
        return refuse(StatusCode::TOO_MANY_REQUESTS, message);
    }

    if !password_matches(&state, &name, form.password).await? {
        let (failed, from) = (name.clone(), from.clone());
        let lockout = state
            .with_access(move |db| {
                let attempt = LoginAttempt {
                    name: &failed,
                    address: &from,
                    at: now,
                };
                let why = "wrong user name or password";
                Ok(db.fail_login(&attempt, why, LockoutPolicy::DEFAULT)?)
            })
            .await?;
        if let Some(until) = lockout {
            return refuse(StatusCode::TOO_MANY_REQUESTS, locked_message(lang, until));
        }
        return refuse(StatusCode::UNAUTHORIZED, lang.t("login.wrong").to_owned());
    }

    let user = name.clone();
    let token = state
        .with_access(move |db| Ok(db.log_in(&user, &from, now, SESSION_LIMITS)?))
        .await?;
    let secure = state.config().secure_cookies;
    Ok((
        AppendHeaders([
            (
                header::SET_COOKIE,
                set_cookie(state.cookies().session, &token, secure),
            ),
            (
                header::SET_COOKIE,
                clear_cookie(state.cookies().visitor, secure),
            ),
        ]),
        Redirect::to("/"),
    )
        .into_response())
}

/// The longest user name the access database accepts.
const MAX_NAME_CHARS: usize = 64;

fn slowed_message(lang: Lang, next: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (next - now).num_seconds().max(1);
    lang.msg("login.slowed").arg("seconds", seconds).to_string()
}

fn locked_message(lang: Lang, until: DateTime<Utc>) -> String {
    let until = until.format("%H:%M UTC");
    lang.msg("login.locked").arg("until", until).to_string()
}

/// Whether `password` is the password of an enabled user `name`. Unknown
/// names are checked against a throwaway hash, so that the time taken does
/// not tell which names exist. The lookup and the hashing run off the async threads.
async fn password_matches(
    state: &AppState,
    name: &str,
    password: String,
) -> Result<bool, WebError> {
    let name = name.to_owned();
    state
        .with_access(move |db| {
            Ok(match db.password_hash(&name)? {
                Some(hash) => verify_password(&password, &hash)?,
                None => {
                    let _ = verify_password(&password, unknown_user_hash());
                    false
                }
            })
        })
        .await
}

fn unknown_user_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no user has this password").unwrap_or_default())
}

/// `POST /logout`: ends this browser's session.
pub async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let token = match user.credential {
        Credential::Session { token } => Some(token),
        _ => None,
    };
    let name = user.name;
    state
        .with_access(move |db| Ok(db.log_out(&name, token.as_deref())?))
        .await?;
    Ok(logged_out(&state))
}

/// `POST /logout-everywhere`: ends every session of this user, on every device.
pub async fn logout_everywhere(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let name = user.name;
    state
        .with_access(move |db| Ok(db.log_out_everywhere(&name)?))
        .await?;
    Ok(logged_out(&state))
}

fn logged_out(state: &AppState) -> Response {
    let secure = state.config().secure_cookies;
    (
        [(
            header::SET_COOKIE,
            clear_cookie(state.cookies().session, secure),
        )],
        Redirect::to("/login"),
    )
        .into_response()
}
