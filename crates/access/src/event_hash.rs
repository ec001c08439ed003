//! How an audit event's hash is made: BLAKE3 over the previous event's hash and the
//! event's fields, every field length-prefixed (and optional ones tagged), so no two
//! different events encode to the same bytes. Appending ([`crate::audit`]) makes it;
//! the chain walk ([`crate::chain`]) checks it.

use trove_model::AuditEvent;

/// The `prev_hash` of the first event.
pub(super) const FIRST_PREV_HASH: &str =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// Separates trove's audit hashes from any other BLAKE3 use of the same bytes.
const DOMAIN: &[u8] = b"trove audit event v1\0";

/// The hash `event` must carry, as hex.
pub(super) fn event_hash(event: &AuditEvent) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(DOMAIN);
    put_text(&mut hasher, &event.prev_hash);
    hasher.update(&event.seq.to_le_bytes());
    put_text(&mut hasher, &event.at);
    put_optional(&mut hasher, event.actor.as_deref());
    put_text(&mut hasher, &event.action);
    put_optional(&mut hasher, event.case.as_deref());
    put_optional(&mut hasher, event.target.as_deref());
    put_text(&mut hasher, &event.detail);
    hasher.finalize().to_hex().to_string()
}

fn put_text(hasher: &mut blake3::Hasher, text: &str) {
    hasher.update(&(text.len() as u64).to_le_bytes());
    hasher.update(text.as_bytes());
}

fn put_optional(hasher: &mut blake3::Hasher, text: Option<&str>) {
    match text {
        None => {
            hasher.update(&[0]);
        }
        Some(text) => {
            hasher.update(&[1]);
            put_text(hasher, text);
        }
    }
}
