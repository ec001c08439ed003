//! Names: Uyghur and Kazakh names written in Chinese characters join given name and
//! father's name with a middle dot, which lists type in half a dozen ways.

/// Characters used as the separator between name parts: middle dot, bullet, hyphenation
/// point, katakana middle dot and its half-width form, the full-width full stop and dot.
const SEPARATORS: [char; 8] = ['·', '•', '‧', '・', '･', '．', '∙', '⋅'];

/// Separators clerks type between parts of names in Chinese characters only: the ASCII full
/// stop, the ideographic full stop and small squares.
const HAN_ONLY_SEPARATORS: [char; 4] = ['.', '。', '▪', '■'];

/// The name with surrounding space removed and every run of separators and spaces between
/// parts made one `·` (for names in Chinese characters) or one space (for other scripts).
/// `None` for an empty cell.
pub fn normalize_name(raw: &str) -> Option<String> {
    let han = raw.chars().any(is_han);
    // Between characters, a full stop or a small square can only be a separator; in Latin
    // names a full stop ends an initial, which is kept.
    let separates = |c: char| {
        c.is_whitespace() || SEPARATORS.contains(&c) || (han && HAN_ONLY_SEPARATORS.contains(&c))
    };
    let parts: Vec<&str> = raw.split(separates).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return None;
    }
    let joiner = if han { "·" } else { " " };
    Some(parts.join(joiner))
}

/// Whether a name looks like one: letters of some script and the separators only. Digits
/// or symbols in a name cell usually mean a shifted column or a formula result.
pub fn looks_like_name(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_alphabetic() || c == '·' || c == ' ' || c == '-' || c == '\'')
}

/// Whether a character is a Han ideograph (CJK Unified Ideographs and Extension A).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_separator_becomes_a_middle_dot() {
        for raw in [
            "热依拉·奥迈尔",
            "热依拉•奥迈尔",
            "热依拉‧奥迈尔",
            "热依拉・奥迈尔",
            " 热依拉 奥迈尔 ",
            "热依拉 · 奥迈尔",
            "热依拉．奥迈尔",
            "热依拉.奥迈尔",
            "热依拉▪奥迈尔",
        ] {
            assert_eq!(
                normalize_name(raw).as_deref(),
                Some("热依拉·奥迈尔"),
                "{raw}"
            );
        }
    }

    #[test]
    fn latin_names_keep_single_spaces() {
        assert_eq!(
            normalize_name("  Rahile   Omer ").as_deref(),
            Some("Rahile Omer")
        );
        assert_eq!(normalize_name("   "), None);
    }

    #[test]
    fn digits_do_not_look_like_a_name() {
        assert!(looks_like_name("热依拉·奥迈尔"));
        assert!(looks_like_name("Rahile Omer"));
        assert!(!looks_like_name("653121199001010023"));
        assert!(!looks_like_name("#REF!"));
    }
}
