//! Secrets that stand for a user (session cookies, API tokens, invitation links): minted
//! here, kept in the database only as their hash.

use rand::RngCore;

/// A fresh unguessable token, as 64 hex digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The BLAKE3 hash, as hex, under which a secret is kept: the database never holds the
/// secret itself.
pub fn secret_hash(secret: &str) -> String {
    blake3::hash(secret.as_bytes()).to_hex().to_string()
}
