//! Every read of personal data leaves one audit event per request, and so does every
//! refusal that could be probing: a case route answered 400, 403 or 404, a page of the
//! admin refused, a form whose CSRF token is missing or wrong.
//!
//! Handlers say what they handed out by attaching a [`Disclosure`] to their response
//! (what kind of read, the case, what was returned: counts and ids). The [`record`]
//! middleware appends it to the trail before the response leaves, and answers 500 instead
//! when it cannot: a read that cannot be audited is not served. One place writes the
//! events, so no handler can forget the write, only the receipt, and a test per route
//! checks the receipts.

use std::fmt::Display;
use std::net::IpAddr;
use std::sync::{Arc, OnceLock};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, IntoResponseParts, Response, ResponseParts};
use trove_access::{AuditAction, NewAuditEvent};

use crate::error::ApiError;
use crate::state::AppState;
use crate::throttle::ClientAddress;

/// Ids named in one event; the rest are counted. A page holds at most 50 records or 20
/// hits, so a page read is named in full.
const MAX_IDS: usize = 100;
/// Longest detail kept, in characters: a query or a list of names is cut here.
const MAX_DETAIL_CHARS: usize = 4000;
/// Longest address of a refused request kept, in characters.
const MAX_TARGET_CHARS: usize = 500;

/// What a response hands out of personal data, recorded as one audit event.
#[derive(Debug, Clone)]
pub struct Disclosure {
    action: AuditAction,
    case: String,
    target: Option<String>,
    detail: String,
}

impl Disclosure {
    /// A read of `action`'s kind in `case`.
    pub fn new(action: AuditAction, case: &str) -> Self {
        Disclosure {
            action,
            case: case.to_owned(),
            target: None,
            detail: String::new(),
        }
    }

    /// The one thing read: a person, a record, a document.
    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    /// What was asked and returned, in words (cut to [`MAX_DETAIL_CHARS`]).
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        self.detail = match detail.char_indices().nth(MAX_DETAIL_CHARS) {
            Some((end, _)) => format!("{}… (cut)", &detail[..end]),
            None => detail,
        };
        self
    }

    fn into_event(self, actor: &str) -> NewAuditEvent {
        let event = NewAuditEvent::new(self.action)
            .actor(actor)
            .case(&self.case)
            .detail(self.detail);
        match &self.target {
            Some(target) => event.target(target),
            None => event,
        }
    }
}

impl IntoResponseParts for Disclosure {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut parts: ResponseParts) -> Result<ResponseParts, Self::Error> {
        parts.extensions_mut().insert(self);
        Ok(parts)
    }
}

/// `N ids: a, b, c`, naming at most [`MAX_IDS`] and counting the rest.
pub fn listed<T: Display>(noun: &str, ids: impl IntoIterator<Item = T>) -> String {
    let mut named = Vec::new();
    let mut count = 0usize;
    for id in ids {
        if named.len() < MAX_IDS {
            named.push(id.to_string());
        }
        count += 1;
    }
    match count - named.len() {
        0 if named.is_empty() => format!("0 {noun}"),
        0 => format!("{count} {noun}: {}", named.join(", ")),
        more => format!("{count} {noun}: {} and {more} more", named.join(", ")),
    }
}

/// The user a request turned out to be made by, filled in by the
/// [`crate::auth::CurrentUser`] extractor (the middleware runs before any handler knows).
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestActor(Arc<OnceLock<String>>);

impl RequestActor {
    pub(crate) fn set(&self, name: &str) {
        // Set once per request; a second extraction names the same user.
        let _ = self.0.set(name.to_owned());
    }

    fn name(&self) -> Option<&str> {
        self.0.get().map(String::as_str)
    }
}

/// Marks a response as a CSRF refusal, which is audited whatever the route.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CsrfRefusal;

/// Middleware: appends the response's [`Disclosure`], or the refusal it is, to the audit
/// trail before the response leaves.
pub(crate) async fn record(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let ClientAddress(address) = match ClientAddress::from_request_parts(&mut parts, &state).await {
        Ok(address) => address,
        Err(never) => match never {},
    };
    // Kept to name a refusal; a URI clone shares its bytes.
    let (method, uri) = (parts.method.clone(), parts.uri.clone());
    let actor = RequestActor::default();
    parts.extensions.insert(actor.clone());

    let mut response = next.run(Request::from_parts(parts, body)).await;

    let event = match response.extensions_mut().remove::<Disclosure>() {
        Some(disclosure) if response.status().is_success() => {
            Some(disclosure.into_event(actor.name().unwrap_or("unknown user")))
        }
        _ => refusal(&response, &method, &uri, actor.name(), address),
    };
    let Some(event) = event else {
        return response;
    };
    match state.audit(event).await {
        Ok(()) => response,
        Err(error) if uri.path().starts_with("/api/") => ApiError(error).into_response(),
        Err(error) => error.into_response(),
    }
}

/// The audit event of a refused request, if `response` is one worth a trace.
fn refusal(
    response: &Response,
    method: &Method,
    uri: &Uri,
    actor: Option<&str>,
    address: IpAddr,
) -> Option<NewAuditEvent> {
    let path = uri.path();
    let status = response.status();
    let csrf = response.extensions().get::<CsrfRefusal>().is_some();
    let denied = matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND);
    // On a case route a 400 is a request refused too: a query walking the index's terms,
    // a page past any end.
    let probing = (denied || status == StatusCode::BAD_REQUEST) && case_of(path).is_some()
        || denied && path.starts_with("/admin");
    if !csrf && !probing {
        return None;
    }
    // The target keeps the query too: what was asked for is the trace.
    let asked: String = uri
        .path_and_query()
        .map_or(path, |asked| asked.as_str())
        .chars()
        .take(MAX_TARGET_CHARS)
        .collect();
    let why = if csrf {
        "the form's CSRF token was missing or wrong".to_owned()
    } else {
        format!("answered {}", status.as_u16())
    };
    let event = NewAuditEvent::new(AuditAction::Refused)
        .maybe_case(case_of(path))
        .target(&format!("{method} {asked}"))
        .detail(format!("{why}, from {address}"));
    Some(match actor {
        Some(name) => event.actor(name),
        None => event,
    })
}

/// The case a route names: `/cases/{case}/…` or `/api/cases/{case}/…`.
fn case_of(path: &str) -> Option<&str> {
    let rest = path
        .strip_prefix("/cases/")
        .or_else(|| path.strip_prefix("/api/cases/"))?;
    rest.split('/').next().filter(|case| !case.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_named_up_to_the_limit_and_the_rest_counted() {
        assert_eq!(listed("records", Vec::<String>::new()), "0 records");
        assert_eq!(listed("records", ["a", "b"]), "2 records: a, b");
        let many = listed("records", 0..MAX_IDS + 5);
        assert!(many.starts_with(&format!("{} records: 0, 1,", MAX_IDS + 5)));
        assert!(many.ends_with(&format!("{} and 5 more", MAX_IDS - 1)));
    }

    #[test]
    fn a_long_detail_is_cut() {
        let disclosure = Disclosure::new(AuditAction::Search, "demo").detail("名".repeat(5000));
        assert_eq!(
            disclosure.detail.chars().count(),
            MAX_DETAIL_CHARS + "… (cut)".chars().count()
        );
    }

    #[test]
    fn the_case_is_read_from_page_and_api_routes_only() {
        assert_eq!(case_of("/cases/demo/records"), Some("demo"));
        assert_eq!(case_of("/api/cases/demo"), Some("demo"));
        assert_eq!(case_of("/cases/"), None);
        assert_eq!(case_of("/admin/audit"), None);
    }
}
