use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The identity of a file's content: its BLAKE3 hash, as 64 lowercase hex digits.
///
/// A Document *is* a blob seen at one or more paths, so this is also the
/// document id. Users may abbreviate it to any unique prefix of 8+ digits.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BlobId(String);

impl BlobId {
    /// Length of the full hex form.
    pub const HEX_LEN: usize = 64;

    /// Builds an id from the 32 raw bytes of a BLAKE3 digest.
    pub fn from_digest(digest: [u8; 32]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(Self::HEX_LEN);
        for byte in digest {
            s.push(HEX[(byte >> 4) as usize] as char);
            s.push(HEX[(byte & 0xf) as usize] as char);
        }
        BlobId(s)
    }

    /// The full 64-digit hex form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 12 digits: enough to tell documents apart in a listing.
    pub fn short(&self) -> &str {
        &self.0[..12]
    }
}

impl fmt::Display for BlobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for BlobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlobId({})", self.short())
    }
}

/// A string that is not 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseBlobIdError(pub String);

impl fmt::Display for ParseBlobIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a blob id (expected 64 lowercase hex digits of a BLAKE3 hash)",
            self.0
        )
    }
}

impl std::error::Error for ParseBlobIdError {}

impl FromStr for BlobId {
    type Err = ParseBlobIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let valid = s.len() == Self::HEX_LEN
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if valid {
            Ok(BlobId(s.to_owned()))
        } else {
            Err(ParseBlobIdError(s.to_owned()))
        }
    }
}

impl TryFrom<String> for BlobId {
    type Error = ParseBlobIdError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<BlobId> for String {
    fn from(id: BlobId) -> String {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_renders_as_lowercase_hex() {
        let mut digest = [0u8; 32];
        digest[0] = 0xab;
        digest[31] = 0x0f;
        let id = BlobId::from_digest(digest);
        assert!(id.as_str().starts_with("ab00"));
        assert!(id.as_str().ends_with("0f"));
        assert_eq!(id.short(), "ab0000000000");
    }

    #[test]
    fn parsing_rejects_uppercase_and_wrong_length() {
        assert!("AB".repeat(32).parse::<BlobId>().is_err());
        assert!("ab".repeat(31).parse::<BlobId>().is_err());
        assert!("ab".repeat(32).parse::<BlobId>().is_ok());
    }
}
