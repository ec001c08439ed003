//! Numbers as text writes them: runs of digits (an ID number may end in X), single spaces
//! or dashes allowed between groups, never part of a longer word or number. The scanner
//! finds ID and phone numbers with them, the redaction replaces them.

use trove_records::resident_id::{check_character, decode};

/// A run of digits, its byte range in the text and the digits alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DigitRun {
    pub start: usize,
    pub end: usize,
    pub digits: String,
}

/// Every run of digits in `bytes`, in order.
pub(crate) fn digit_runs(bytes: &[u8]) -> Vec<DigitRun> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = String::new();
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_digit() || (matches!(b, b'X' | b'x') && digits.len() == 17) {
                digits.push(char::from(b).to_ascii_uppercase());
                i += 1;
            } else if matches!(b, b' ' | b'-')
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                && !digits.is_empty()
            {
                i += 1;
            } else {
                break;
            }
        }
        // A run glued to a letter or digit after it is part of something longer.
        if !bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            runs.push(DigitRun {
                start,
                end: i,
                digits,
            });
        }
    }
    runs
}

/// An 18-digit number whose check character is right, or a 15-digit one of before 1999
/// whose region and birth date are sound.
pub(crate) fn is_id_number(digits: &str) -> bool {
    match digits.len() {
        18 => check_character(&digits[..17]) == digits.chars().last(),
        15 => decode(digits).is_valid(),
        _ => false,
    }
}

/// A mainland mobile number: 11 digits, `1` then 3–9.
pub(crate) fn is_phone_number(digits: &str) -> bool {
    let d = digits.as_bytes();
    d.len() == 11 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1])
}

/// A valid number of region 653121 born 1980-01-01, for tests.
#[cfg(test)]
pub(crate) fn valid_id() -> String {
    let first17 = "65312119800101002";
    format!("{first17}{}", check_character(first17).unwrap_or('0'))
}
