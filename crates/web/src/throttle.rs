//! Login rate limiting per client address: a small in-memory limit against someone
//! trying many names. The lock-out per user name lives in the access database
//! (`trove_access::LockoutPolicy`), so it survives restarts.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use crate::state::AppState;

/// Login attempts one address may make per [`ADDRESS_WINDOW`].
pub const MAX_ATTEMPTS_PER_ADDRESS: usize = 20;
/// How long the per-address limit remembers an attempt.
pub const ADDRESS_WINDOW: Duration = Duration::from_secs(60);

/// The client's address, when the server knows it (tests call the router
/// without a connection and get the unspecified address). Behind the trusted proxy
/// (`--trusted-proxy`), the address the proxy says it forwarded for: the last entry of
/// `X-Forwarded-For` (the one the proxy itself added) or of `Forwarded: for=`. From any
/// other peer those headers are ignored, as anyone can send them.
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let forwarded = (state.config().trusted_proxy == Some(peer))
            .then(|| forwarded_for(&parts.headers))
            .flatten();
        Ok(ClientAddress(forwarded.unwrap_or(peer)))
    }
}

/// The client address a proxy put in the request's headers, if it put one.
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = |name: header::HeaderName, separator: char| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(separator))
            .next_back()
            .map(str::trim)
            .map(str::to_owned)
    };
    if let Some(address) = last(header::HeaderName::from_static("x-forwarded-for"), ',') {
        return address.parse().ok();
    }
    // `Forwarded: for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"`
    let element = last(header::FORWARDED, ',')?;
    let value = element
        .split(';')
        .find_map(|pair| pair.trim().strip_prefix("for="))?
        .trim_matches('"');
    let host = match value.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => value.split(':').next()?,
    };
    host.parse().ok()
}

/// What the per-address limiter says about one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressVerdict {
    Allowed,
    /// Refused, and the first refusal in this window (worth an audit event).
    JustLimited,
    /// Refused again.
    Limited,
}

/// Recent login attempts per client address, in memory: a restart forgets
/// them, which is fine for a limit this short.
#[derive(Default)]
pub struct AddressLimiter {
    attempts: Mutex<HashMap<IpAddr, Vec<Instant>>>,
}

impl AddressLimiter {
    /// Counts an attempt from `address` and says whether it may go ahead.
    pub fn attempt(&self, address: IpAddr, now: Instant) -> AddressVerdict {
        let mut attempts = self
            .attempts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Forget old attempts of every address now and then, so the map stays small.
        if attempts.len() > 10_000 {
            attempts.retain(|_, times| {
                times
                    .iter()
                    .any(|t| now.duration_since(*t) < ADDRESS_WINDOW)
            });
        }
        let times = attempts.entry(address).or_default();
        times.retain(|t| now.duration_since(*t) < ADDRESS_WINDOW);
        times.push(now);
        match times.len() {
            n if n <= MAX_ATTEMPTS_PER_ADDRESS => AddressVerdict::Allowed,
            n if n == MAX_ATTEMPTS_PER_ADDRESS + 1 => AddressVerdict::JustLimited,
            _ => AddressVerdict::Limited,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxys_headers_give_the_client_address() {
        let mut headers = HeaderMap::new();
        assert_eq!(forwarded_for(&headers), None);
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        assert_eq!(
            forwarded_for(&headers),
            Some("198.51.100.7".parse().unwrap())
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            header::FORWARDED,
            "for=192.0.2.60;proto=https, for=\"[2001:db8::1]:4711\""
                .parse()
                .unwrap(),
        );
        assert_eq!(
            forwarded_for(&headers),
            Some("2001:db8::1".parse().unwrap())
        );
        headers.insert(header::FORWARDED, "for=unknown".parse().unwrap());
        assert_eq!(forwarded_for(&headers), None);
    }

    #[test]
    fn an_address_is_limited_within_its_window_and_free_after() {
        let limiter = AddressLimiter::default();
        let address: IpAddr = "192.0.2.7".parse().unwrap();
        let start = Instant::now();
        for _ in 0..MAX_ATTEMPTS_PER_ADDRESS {
            assert_eq!(limiter.attempt(address, start), AddressVerdict::Allowed);
        }
        assert_eq!(limiter.attempt(address, start), AddressVerdict::JustLimited);
        assert_eq!(limiter.attempt(address, start), AddressVerdict::Limited);
        let other: IpAddr = "192.0.2.8".parse().unwrap();
        assert_eq!(limiter.attempt(other, start), AddressVerdict::Allowed);
        let later = start + ADDRESS_WINDOW;
        assert_eq!(limiter.attempt(address, later), AddressVerdict::Allowed);
    }
}
