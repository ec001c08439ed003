//! A cell's text made ready to read as an ID number. Clerks type numbers with spaces, in
//! full-width forms from a Chinese input method, or with a lower-case x; a spreadsheet that
//! took the number for a quantity keeps only 15 significant digits and writes it as
//! `6.53121199001011E+17` or `653121199001010000.0`, and no cleaning brings the lost
//! digits back.

/// What a cell holds, as far as the characters tell.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Cleaned {
    /// The characters, spaces dropped, full-width digits and every x made ASCII `0`-`9`, `X`.
    Characters(String),
    /// A number a spreadsheet wrote in its own notation: not an ID number any more.
    SpreadsheetNumber,
}

pub(super) fn clean(input: &str) -> Cleaned {
    let characters: String = input
        .chars()
        // Spaces and dashes group the digits; an apostrophe is Excel's mark for text.
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '\u{200B}' | '\u{FEFF}' | '-' | '‐' | '–' | '—' | '\'' | '‘' | '’' | '`'
                )
        })
        .map(|c| match c {
            '０'..='９' => {
                char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
            }
            'x' | 'Ｘ' | 'ｘ' => 'X',
            _ => c,
        })
        .collect();
    if is_spreadsheet_number(&characters) {
        Cleaned::SpreadsheetNumber
    } else {
        Cleaned::Characters(characters)
    }
}

/// Whether `text` is an ID-sized number in a spreadsheet's notation: scientific with an
/// exponent of 14 to 17 (15 to 18 digits), or 15 to 18 digits followed by `.0`.
fn is_spreadsheet_number(text: &str) -> bool {
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((mantissa, exponent)) = text.split_once(['E', 'e']) {
        let (integer, fraction) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
        let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
        return all_digits(integer)
            && all_digits(fraction)
            && all_digits(exponent)
            && exponent
                .parse::<u32>()
                .is_ok_and(|e| (14..=17).contains(&e));
    }
    match text.split_once('.') {
        Some((integer, zeros)) => {
            all_digits(integer)
                && (15..=18).contains(&integer.len())
                && !zeros.is_empty()
                && zeros.bytes().all(|b| b == b'0')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn characters(s: &str) -> Cleaned {
        Cleaned::Characters(s.to_owned())
    }

    #[test]
    fn spaces_full_width_forms_and_lower_case_x_are_made_plain() {
        assert_eq!(
            clean(" 653121 19900101 0027 "),
            characters("653121199001010027")
        );
        assert_eq!(
            clean("６５３１２１１９９００１０１００２７"),
            characters("653121199001010027")
        );
        assert_eq!(
            clean("11010519491231002x"),
            characters("11010519491231002X")
        );
        assert_eq!(
            clean("１１０１０５１９４９１２３１００２Ｘ"),
            characters("11010519491231002X")
        );
        assert_eq!(
            clean("\u{3000}653121199001010027\u{FEFF}"),
            characters("653121199001010027")
        );
    }

    #[test]
    fn spreadsheet_numbers_are_recognised() {
        for input in [
            "6.53121199001011E+17",
            "6.53121199001011e17",
            "6.53121E+17",
            "653121199001010000.0",
            "653121900101002.00",
        ] {
            assert_eq!(clean(input), Cleaned::SpreadsheetNumber, "{input}");
        }
    }

    #[test]
    fn other_numbers_stay_characters() {
        for input in [
            "1.5E+3",
            "12.0",
            "6.5E+17x",
            "653121199001010027.5",
            "E+17",
            "6.53121199001011E+",
        ] {
            assert!(matches!(clean(input), Cleaned::Characters(_)), "{input}");
        }
    }
}
