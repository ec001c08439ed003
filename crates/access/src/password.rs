//! Password hashes: argon2id with the crate's recommended parameters, kept as
//! PHC strings (`$argon2id$v=19$m=…`) that carry their own salt and cost, so
//! the cost can be raised later without breaking old hashes.

use argon2::Argon2;
use argon2::password_hash::{self, PasswordHasher, PasswordVerifier};

/// Shortest password accepted for a new account.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Why a password could not be hashed or checked.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Shorter than [`MIN_PASSWORD_CHARS`].
    #[error("the password is shorter than {MIN_PASSWORD_CHARS} characters; choose a longer one")]
    TooShort,
    /// Argon2 failed to hash it.
    #[error("the password could not be hashed: {0}")]
    Hashing(password_hash::Error),
    /// The stored hash is not a PHC string Argon2 can read.
    #[error("the stored password hash cannot be read ({0}); set a new password for this user")]
    UnreadableHash(password_hash::Error),
}

/// Hashes a new password, refusing one that is too short.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(PasswordError::Hashing)
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> Result<bool, PasswordError> {
    match Argon2::default().verify_password(password.as_bytes(), hash) {
        Ok(()) => Ok(true),
        Err(password_hash::Error::PasswordInvalid) => Ok(false),
        Err(error) => Err(PasswordError::UnreadableHash(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash).unwrap());
        assert!(!verify_password("correct horse battery!", &hash).unwrap());
    }

    #[test]
    fn short_passwords_and_broken_hashes_are_errors() {
        assert!(matches!(
            hash_password("short"),
            Err(PasswordError::TooShort)
        ));
        assert!(matches!(
            verify_password("anything", "not a hash"),
            Err(PasswordError::UnreadableHash(_))
        ));
    }
}
