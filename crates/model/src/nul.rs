//! NUL in text. PostgreSQL refuses it in `TEXT` where SQLite keeps it, so every text a
//! catalog holds carries U+FFFD in its place, on both backends: the two must hold the same.
//! Only derived text changes; an original keeps its bytes.

use std::borrow::Cow;

const REPLACEMENT: &str = "\u{FFFD}";

/// `text` with each NUL as U+FFFD; borrowed when it holds none (the usual case).
pub fn without_nul(text: &str) -> Cow<'_, str> {
    if text.contains('\0') {
        Cow::Owned(text.replace('\0', REPLACEMENT))
    } else {
        Cow::Borrowed(text)
    }
}

/// [`without_nul`] for a text already owned: moved through when it holds no NUL.
pub fn owned_without_nul(text: String) -> String {
    if text.contains('\0') {
        text.replace('\0', REPLACEMENT)
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_nul_changes() {
        assert_eq!(without_nul("甲\0乙\u{1}"), "甲\u{FFFD}乙\u{1}");
        assert!(matches!(without_nul("clean"), Cow::Borrowed("clean")));
        assert_eq!(owned_without_nul("a\0".to_owned()), "a\u{FFFD}");
    }
}
