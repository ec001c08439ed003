//! Sex as lists write it: 男/女, 男性/女性, English words and letters, and the GB/T 2261.1
//! codes 1 (male) and 2 (female).

use trove_model::Sex;

/// The sex a cell states, or `None` when it states none we know.
pub fn parse_sex(raw: &str) -> Option<Sex> {
    match raw.trim().to_lowercase().as_str() {
        "男" | "男性" | "男子" | "m" | "male" | "man" | "1" => Some(Sex::Male),
        "女" | "女性" | "女子" | "f" | "female" | "woman" | "2" => Some(Sex::Female),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_letters_and_codes() {
        assert_eq!(parse_sex(" 男 "), Some(Sex::Male));
        assert_eq!(parse_sex("女性"), Some(Sex::Female));
        assert_eq!(parse_sex("F"), Some(Sex::Female));
        assert_eq!(parse_sex("1"), Some(Sex::Male));
        assert_eq!(parse_sex("未知"), None);
    }
}
