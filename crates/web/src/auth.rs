//! Who is asking: the user behind a session cookie or an API token, and
//! whether they may see a case.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{TimeDelta, Utc};
use serde_json::json;
use trove_access::{AccessDb, AccessError};
use trove_model::{Membership, Role};

use crate::error::WebError;
use crate::i18n::Lang;
use crate::read_audit::RequestActor;
use crate::safe_json::SafeJson;
use crate::session::{CookieNames, SESSION_LIMITS, cookie_token};
use crate::state::AppState;

/// A session is touched (its expiry pushed back) at most this often.
const TOUCH_INTERVAL: TimeDelta = TimeDelta::minutes(1);

/// How the user proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A browser session; the token is the cookie's value.
    Session { token: String },
    /// An API token in `Authorization: Bearer`.
    ApiToken,
}

/// The user making the request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub name: String,
    /// A server admin: manages users, cases and the audit trail.
    pub is_admin: bool,
    /// The cases this user may open, with their role in each. A server admin
    /// may open every case, as its admin.
    pub memberships: Vec<Membership>,
    pub credential: Credential,
    /// The language the user reads the workbench in.
    pub language: Lang,
    /// The CSRF token of this user's forms (empty for API tokens, which need none).
    csrf: String,
}

impl CurrentUser {
    /// The CSRF token this user's forms carry (empty for API tokens, which need none).
    pub fn csrf_token(&self) -> String {
        self.csrf.clone()
    }

    /// The user's role in `case`, if they may open it.
    pub fn role_in(&self, case: &str) -> Option<Role> {
        self.memberships
            .iter()
            .find(|membership| membership.case == case)
            .map(|membership| membership.role)
    }
}

/// Checks that `user` may act in `case` with at least `required`. Someone
/// outside the case gets 404, as for a case that does not exist, so that
/// case names do not leak; a member whose role is too low gets 403.
pub fn require_case_role(user: &CurrentUser, case: &str, required: Role) -> Result<Role, WebError> {
    match user.role_in(case) {
        None => Err(WebError::NotFound),
        Some(role) if !role.at_least(required) => Err(WebError::Forbidden),
        Some(role) => Ok(role),
    }
}

/// Checks that `user` is a server admin (403 otherwise).
pub fn require_server_admin(user: &CurrentUser) -> Result<(), WebError> {
    if user.is_admin {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

/// Why a request could not be tied to a user.
pub enum AuthRejection {
    /// Not logged in: HTML pages go to the login page, the API answers 401.
    LoginRequired {
        /// The request is for an `/api/` route.
        api: bool,
    },
    /// Reading the access database failed.
    Failed(WebError),
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match self {
            AuthRejection::LoginRequired { api: false } => Redirect::to("/login").into_response(),
            AuthRejection::LoginRequired { api: true } => (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                SafeJson(json!({"error": "log in, or send an API token as `Authorization: Bearer TOKEN`"})),
            )
                .into_response(),
            AuthRejection::Failed(error) => error.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Kept for the request: a handler that takes both the user and an
        // `OpenCase` (which needs the user too) looks them up once.
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let actor = parts.extensions.get::<RequestActor>().cloned();
        let api = parts.uri.path().starts_with("/api/");
        let headers = parts.headers.clone();
        let cookies = state.cookies();
        let found = state
            .with_access(move |db| {
                let Some((name, credential)) = identify(&headers, db, cookies)? else {
                    return Ok(None);
                };
                Ok(load_user(db, name, credential)?)
            })
            .await
            .map_err(AuthRejection::Failed)?;
        let mut user = found.ok_or(AuthRejection::LoginRequired { api })?;
        if let Credential::Session { token } = &user.credential {
            user.csrf = state.csrf().token_for(token);
        }
        if let Some(actor) = actor {
            actor.set(&user.name);
        }
        crate::i18n::set_request_lang(user.language);
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// For pages that anyone may open (the login form): `None` when not logged in.
impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        match <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(AuthRejection::LoginRequired { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// The user name and credential a request carries, if valid. A request with
/// an `Authorization` header is judged by that header alone.
/// Call on a blocking thread (it may touch the session).
fn identify(
    headers: &HeaderMap,
    db: &AccessDb,
    cookies: CookieNames,
) -> Result<Option<(String, Credential)>, AccessError> {
    if let Some(authorization) = headers.get(header::AUTHORIZATION) {
        let token = authorization
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim);
        return Ok(match token {
            Some(token) if !token.is_empty() => db
                .api_token_user(token)?
                .map(|name| (name, Credential::ApiToken)),
            _ => None,
        });
    }
    let Some(token) = cookie_token(headers, cookies.session) else {
        return Ok(None);
    };
    let now = Utc::now();
    let Some(session) = db.session(&token, now)? else {
        return Ok(None);
    };
    if now.timestamp() - session.last_seen >= TOUCH_INTERVAL.num_seconds() {
        db.touch_session(&token, now, SESSION_LIMITS)?;
    }
    Ok(Some((session.user, Credential::Session { token })))
}

/// The user `name` with their memberships; call on a blocking thread.
fn load_user(
    db: &AccessDb,
    name: String,
    credential: Credential,
) -> Result<Option<CurrentUser>, AccessError> {
    let Some(user) = db.user(&name)? else {
        return Ok(None);
    };
    let memberships = if user.is_admin {
        db.cases()?
            .into_iter()
            .map(|case| Membership {
                user: name.clone(),
                case: case.name,
                role: Role::Admin,
            })
            .collect()
    } else {
        db.memberships_of(&name)?
    };
    let language = db
        .language_of(&name)?
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_default();
    Ok(Some(CurrentUser {
        name,
        is_admin: user.is_admin,
        memberships,
        credential,
        language,
        csrf: String::new(),
    }))
}
