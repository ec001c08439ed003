//! Numbers as text writes them: runs of digits (an ID number may end in X), single spaces
//! or dashes allowed between groups, never part of a longer word or number. The scanner
//! finds ID and phone numbers with [`for_each_number`], the redaction replaces them.

use trove_records::resident_id::{check_character, decode};

/// Digits kept of a run: one longer than any number looked for, so that a longer run is
/// still seen as longer while a crafted million-digit run costs nothing.
const MAX_KEPT_DIGITS: usize = 19;

/// What a number found is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberKind {
    /// A resident ID number ([`is_id_number`]).
    IdNumber,
    /// A mobile phone number ([`is_phone_number`]).
    Phone,
}

/// An ID or phone number found: its byte range in the text, what it is, and its digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Number {
    pub start: usize,
    pub end: usize,
    pub kind: NumberKind,
    pub digits: String,
}

/// Calls `visit` for every ID and phone number in `bytes`, in order, in one pass that
/// holds nothing but the run at hand.
pub(crate) fn for_each_number(bytes: &[u8], mut visit: impl FnMut(Number)) {
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        let (mut digits, mut count) = (String::new(), 0usize);
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_digit() || (matches!(b, b'X' | b'x') && count == 17) {
                if count < MAX_KEPT_DIGITS {
                    digits.push(char::from(b).to_ascii_uppercase());
                }
                count += 1;
                i += 1;
            } else if matches!(b, b' ' | b'-')
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                && count > 0
            {
                i += 1;
            } else {
                break;
            }
        }
        // A run glued to a letter or digit after it is part of something longer.
        if bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        let kind = if is_id_number(&digits) {
            NumberKind::IdNumber
        } else if is_phone_number(&digits) {
            NumberKind::Phone
        } else {
            continue;
        };
        visit(Number {
            start,
            end: i,
            kind,
            digits,
        });
    }
}

/// An 18-digit number whose check character is right, or a 15-digit one of before 1999
/// whose region and birth date are sound.
fn is_id_number(digits: &str) -> bool {
    match digits.len() {
        18 => check_character(&digits[..17]) == digits.chars().last(),
        15 => decode(digits).is_valid(),
        _ => false,
    }
}

/// A mainland mobile number: 11 digits, `1` then 3–9.
fn is_phone_number(digits: &str) -> bool {
    let d = digits.as_bytes();
    d.len() == 11 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1])
}

/// A valid number of region 653121 born 1980-01-01, for tests.
#[cfg(test)]
pub(crate) fn valid_id() -> String {
    let first17 = "65312119800101002";
    format!("{first17}{}", check_character(first17).unwrap_or('0'))
}
