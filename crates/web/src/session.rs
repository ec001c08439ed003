//! Session tokens and the cookies that carry them.
//!
//! A token is 32 random bytes, sent to the browser as hex in the
//! `trove_session` cookie; the access database keeps only its BLAKE3 hash.
//! Before login, a `trove_visitor` cookie (a token of the same kind, never
//! stored) gives the login and invitation forms something to bind their CSRF
//! token to.

use axum::http::{HeaderMap, HeaderValue, header};
use chrono::TimeDelta;
use trove_access::SessionLimits;
#[cfg(test)]
use trove_access::new_token;

/// The cookie of a logged-in browser.
pub const SESSION_COOKIE: &str = "trove_session";
/// The cookie of a browser that has not logged in yet.
pub const VISITOR_COOKIE: &str = "trove_visitor";

/// The cookies' names. Over HTTPS they carry the `__Host-` prefix: a browser then accepts
/// them only from this very host, Secure, for every path, so a cookie planted from a
/// sibling subdomain or over plain HTTP can never pass for ours. (Over plain HTTP on
/// loopback a browser refuses prefixed cookies, so they are used only with
/// `--secure-cookies`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookieNames {
    /// The session cookie's name.
    pub session: &'static str,
    /// The visitor cookie's name.
    pub visitor: &'static str,
}

impl CookieNames {
    /// The names for a server reached over HTTPS (`secure`) or not.
    pub fn for_https(secure: bool) -> CookieNames {
        if secure {
            CookieNames {
                session: "__Host-trove_session",
                visitor: "__Host-trove_visitor",
            }
        } else {
            CookieNames {
                session: SESSION_COOKIE,
                visitor: VISITOR_COOKIE,
            }
        }
    }
}

/// A session ends after 12 hours without a request, and 24 hours after logging in
/// whatever happens: a working day, then log in again.
pub const SESSION_LIMITS: SessionLimits = SessionLimits {
    idle: TimeDelta::hours(12),
    absolute: TimeDelta::hours(24),
};

/// The value of cookie `name` in the request, if it looks like one of our
/// tokens (64 hex digits); anything else is ignored rather than looked up.
pub fn cookie_token(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
        .filter(|value| value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string)
}

/// A `Set-Cookie` value for `name` = `token`: HttpOnly (no script reads it),
/// SameSite=Strict (no other site's page sends it), Secure behind TLS.
pub fn set_cookie(name: &str, token: &str, secure: bool) -> HeaderValue {
    cookie_header(name, token, secure, None)
}

/// A `Set-Cookie` value that makes the browser forget cookie `name`.
pub fn clear_cookie(name: &str, secure: bool) -> HeaderValue {
    cookie_header(name, "", secure, Some(0))
}

fn cookie_header(name: &str, value: &str, secure: bool, max_age: Option<u32>) -> HeaderValue {
    let mut cookie = format!("{name}={value}; HttpOnly; SameSite=Strict; Path=/");
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    // Names are our constants and values hex digits: always a valid header.
    HeaderValue::from_str(&cookie).expect("a cookie of ASCII letters, digits and punctuation")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_read_back_from_a_cookie_header_among_others() {
        let token = new_token();
        let mut headers = HeaderMap::new();
        let cookies = format!("theme=dark; {SESSION_COOKIE}={token}; other=1");
        headers.insert(header::COOKIE, HeaderValue::from_str(&cookies).unwrap());
        assert_eq!(cookie_token(&headers, SESSION_COOKIE), Some(token));
        assert_eq!(cookie_token(&headers, VISITOR_COOKIE), None);
    }

    #[test]
    fn malformed_tokens_are_ignored() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("trove_session=' OR 1=1 --"),
        );
        assert_eq!(cookie_token(&headers, SESSION_COOKIE), None);
    }

    #[test]
    fn cookies_are_http_only_and_strict_and_secure_when_asked() {
        let cookie = set_cookie(SESSION_COOKIE, "ab", true);
        let text = cookie.to_str().unwrap();
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Strict"));
        assert!(text.ends_with("; Secure"));
        assert!(
            !set_cookie(SESSION_COOKIE, "ab", false)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }
}
