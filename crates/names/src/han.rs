//! Chinese-character forms of names to Latin readings.
//!
//! The police files write Uyghur and Kazakh names in Chinese characters (热依拉·奥迈尔); relatives
//! abroad write the same person in Uyghur Latin (Rahile Ömer) or other Latin spellings. This module
//! reads ONE name part written in Chinese characters (the caller splits on `·` and spaces) into
//! the Latin readings a phonetic key can be built from:
//!
//! - a part that is a known Uyghur or Kazakh name, or is written wholly with the characters used to
//!   transliterate them, reads as Uyghur Latin (ULY): 热依拉 → `rahile`, 艾尔肯 → `erkin`; its
//!   passport pinyin (`aierken`) follows;
//! - any other part reads as Han pinyin, toneless and as one token, with surname readings first
//!   for its first character(s): 曾 → `zeng`, 张伟 → `zhangwei`.
//!
//! ```
//! use trove_names::han;
//! assert_eq!(han::readings("热依拉")[0], "rahile");
//! assert_eq!(han::readings("曾")[0], "zeng");
//! assert!(han::readings("Rahile").is_empty());
//! ```

mod mandarin;
mod table;
mod uyghur;
mod variants;

pub use mandarin::{han_surname_readings, pinyin_of};
pub use table::TableError;
pub use uyghur::{dictionary_forms, dictionary_readings, syllable_readings};

/// The most readings [`readings`] returns for one part.
pub const MAX_READINGS: usize = 8;

/// How many of the [`MAX_READINGS`] go to the less likely reading of a part (pinyin of a Uyghur
/// part, Uyghur of a Han-looking part), so that both stay in reach of the caller.
const OTHER_READINGS: usize = 2;

/// Latin readings of one name part written in Chinese characters, most likely first, lower case,
/// at most [`MAX_READINGS`], without duplicates.
///
/// A Uyghur or Kazakh part reads in Uyghur Latin (ULY) spelling, 热依拉 → `rahile`,
/// 买买提 → `memet`, 艾尔肯 → `erkin`, followed by its passport pinyin (`maimaiti`). A Han part reads
/// as one token of toneless pinyin, surname readings first for its first character: 张 → `zhang`,
/// 曾 → `zeng`. Characters other than Chinese ones are ignored; the result is empty when the part
/// holds none.
pub fn readings(part: &str) -> Vec<String> {
    let chars: Vec<char> = part.chars().filter(|&c| is_han(c)).collect();
    if chars.is_empty() {
        return Vec::new();
    }
    let uyghur = uyghur::readings(&chars);
    let reads_as_uyghur =
        uyghur::is_dictionary_name(&chars) || (uyghur.is_some() && chars.len() > 1);
    let (first, second) = if reads_as_uyghur {
        (
            uyghur.unwrap_or_default(),
            mandarin::pinyin_readings(&chars),
        )
    } else {
        (mandarin::name_readings(&chars), uyghur.unwrap_or_default())
    };
    let mut out: Vec<String> = Vec::with_capacity(MAX_READINGS);
    let mut first = first.into_iter();
    for reading in first.by_ref().take(MAX_READINGS - OTHER_READINGS) {
        push(reading, &mut out);
    }
    for reading in second.into_iter().take(OTHER_READINGS) {
        push(reading, &mut out);
    }
    for reading in first {
        if out.len() >= MAX_READINGS {
            break;
        }
        push(reading, &mut out);
    }
    out.truncate(MAX_READINGS);
    out
}

fn push(reading: String, out: &mut Vec<String>) {
    if !reading.is_empty() && !out.contains(&reading) {
        out.push(reading);
    }
}

/// Whether `c` is a Chinese character (CJK unified or compatibility ideograph, any extension
/// block). Punctuation such as the name separator `·` is not.
pub fn is_han(c: char) -> bool {
    matches!(
        u32::from(c),
        0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF
            | 0x20000..=0x2A6DF
            | 0x2A700..=0x2EBEF
            | 0x2EBF0..=0x2EE5F
            | 0x2F800..=0x2FA1F
            | 0x30000..=0x323AF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uyghur_dictionary_names_read_as_uly_first() {
        assert_eq!(readings("热依拉")[0], "rahile");
        assert_eq!(readings("买买提")[0], "memet");
        assert_eq!(readings("艾尔肯")[0], "erkin");
        assert_eq!(readings("奥迈尔")[0], "ömer");
    }

    #[test]
    fn uyghur_parts_keep_their_passport_pinyin() {
        assert!(readings("买买提").contains(&"maimaiti".to_string()));
        assert!(readings("艾尔肯").contains(&"aierken".to_string()));
    }

    #[test]
    fn han_parts_read_as_one_pinyin_token() {
        assert_eq!(readings("张")[0], "zhang");
        assert_eq!(readings("张伟")[0], "zhangwei");
        assert_eq!(readings("建国")[0], "jianguo");
    }

    #[test]
    fn han_surnames_read_as_surnames_first() {
        assert_eq!(readings("曾")[0], "zeng");
        assert_eq!(readings("单")[0], "shan");
        assert_eq!(readings("尉迟恭")[0], "yuchigong");
    }

    #[test]
    fn unknown_transliterations_fall_back_to_syllables() {
        // Not in the dictionary: 努尔 + 夏提 → nur + sha + t.
        let read = readings("努尔夏提");
        assert_eq!(read[0], "nurshat");
    }

    #[test]
    fn non_chinese_text_has_no_readings() {
        assert!(readings("").is_empty());
        assert!(readings("Rahile").is_empty());
        assert!(readings("راھىلە").is_empty());
        assert!(readings("·").is_empty());
    }

    #[test]
    fn separators_and_latin_inside_a_part_are_ignored() {
        assert_eq!(readings("热依拉 ")[0], "rahile");
    }

    #[test]
    fn readings_are_capped_and_unique() {
        for part in ["买买提", "阿不都热合曼", "依力尼尼提", "张伟", "曾"] {
            let read = readings(part);
            assert!(read.len() <= MAX_READINGS, "{part}: {read:?}");
            let mut unique = read.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), read.len(), "{part}: {read:?}");
        }
    }

    #[test]
    fn is_han_knows_chinese_characters_from_separators() {
        assert!(is_han('热'));
        assert!(is_han('𠀀'));
        assert!(!is_han('·'));
        assert!(!is_han('a'));
        assert!(!is_han('ر'));
    }
}
