//! Han names and passport pinyin: toneless pinyin from the `pinyin` crate, with the surname
//! readings it lacks (`data/han-surnames.tsv`).

use std::collections::HashMap;
use std::sync::LazyLock;

use pinyin::ToPinyinMulti;

use super::table::{self, TableError};
use super::{MAX_READINGS, variants};

const SURNAMES_TABLE: &str = "han-surnames.tsv";

/// How many pinyin spellings [`pinyin_of`] gives: the ordinary one and a few heteronym variants.
const MAX_PINYIN: usize = 4;

/// Surnames (one or two characters) → their readings as surnames.
static SURNAMES: LazyLock<HashMap<&'static str, Vec<&'static str>>> =
    LazyLock::new(|| table::loaded(parse_surnames(include_str!("../../data/han-surnames.tsv"))));

/// Single-character surnames, keyed by character, for [`han_surname_readings`].
static SURNAME_CHARS: LazyLock<HashMap<char, &'static [&'static str]>> = LazyLock::new(|| {
    SURNAMES
        .iter()
        .filter_map(|(surname, readings)| {
            let mut chars = surname.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some((c, readings.as_slice())),
                _ => None,
            }
        })
        .collect()
});

fn parse_surnames(
    text: &'static str,
) -> Result<HashMap<&'static str, Vec<&'static str>>, TableError> {
    let mut surnames = HashMap::new();
    for (line, fields) in table::rows(SURNAMES_TABLE, text, 2)? {
        let error = |reason: String| TableError {
            table: SURNAMES_TABLE,
            line,
            reason,
        };
        let (surname, readings) = (fields[0], table::values(fields[1]));
        let length = surname.chars().count();
        if !surname.chars().all(super::is_han) || !(1..=2).contains(&length) {
            return Err(error(format!(
                "{surname:?} is not a one- or two-character surname"
            )));
        }
        if readings.is_empty()
            || readings
                .iter()
                .any(|r| !r.chars().all(|c| c.is_ascii_lowercase()))
        {
            return Err(error(format!(
                "readings of {surname} must be toneless pinyin"
            )));
        }
        if surnames.insert(surname, readings).is_some() {
            return Err(error(format!("{surname} is listed twice")));
        }
    }
    Ok(surnames)
}

/// The toneless pinyin of `c` read as a surname, where that differs from its ordinary reading or
/// the character has several: 曾 → `["zeng"]`, 单 → `["shan"]`, 解 → `["xie"]`,
/// 尉 → `["yu", "wei"]`. Empty for other characters, whose ordinary reading is their surname
/// reading (王 → wang). Compound surnames (尉迟 yuchi, 欧阳 ouyang) are read by [`readings`](super::readings).
pub fn han_surname_readings(c: char) -> &'static [&'static str] {
    SURNAME_CHARS.get(&c).copied().unwrap_or(&[])
}

/// The pinyin of a Chinese-character form as printed in passports and many lists, one token,
/// toneless, lower case: 买买提 → `maimaiti`, 艾尔肯 → `aierken`, 伊布拉欣 → `yibulaxin`. The
/// ordinary reading comes first, then a few heteronym variants. Characters without pinyin are
/// skipped; empty when the part holds no Chinese characters.
pub fn pinyin_of(part: &str) -> Vec<String> {
    let chars: Vec<char> = part.chars().filter(|&c| super::is_han(c)).collect();
    pinyin_readings(&chars)
}

/// The passport pinyin of a part already reduced to Chinese characters.
pub(super) fn pinyin_readings(chars: &[char]) -> Vec<String> {
    let slots: Vec<Vec<&'static str>> = chars.iter().map(|&c| char_readings(c)).collect();
    variants::cheapest(&slots, MAX_PINYIN)
}

/// Readings of a Han name part, surname readings first for its first character(s).
pub(super) fn name_readings(chars: &[char]) -> Vec<String> {
    let mut slots: Vec<Vec<&'static str>> = Vec::with_capacity(chars.len());
    let mut rest = chars;
    if let [a, b, tail @ ..] = chars {
        let compound: String = [*a, *b].iter().collect();
        if let Some(readings) = SURNAMES.get(compound.as_str()) {
            slots.push(readings.clone());
            rest = tail;
        }
    }
    if rest.len() == chars.len()
        && let [first, tail @ ..] = chars
    {
        let mut readings: Vec<&'static str> = han_surname_readings(*first).to_vec();
        for reading in char_readings(*first) {
            if !readings.contains(&reading) {
                readings.push(reading);
            }
        }
        slots.push(readings);
        rest = tail;
    }
    slots.extend(rest.iter().map(|&c| char_readings(c)));
    variants::cheapest(&slots, MAX_READINGS)
}

/// The toneless readings of one character, ordinary first, without repeats; empty when the
/// `pinyin` crate does not know it.
fn char_readings(c: char) -> Vec<&'static str> {
    let mut readings: Vec<&'static str> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for reading in multi {
            let plain = reading.plain();
            if !readings.contains(&plain) {
                readings.push(plain);
            }
        }
    }
    readings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_surname_table_loads() {
        assert!(SURNAMES.len() > 50);
    }

    #[test]
    fn surnames_with_their_own_reading_are_known() {
        assert_eq!(han_surname_readings('曾'), ["zeng"]);
        assert_eq!(han_surname_readings('单'), ["shan"]);
        assert_eq!(han_surname_readings('解'), ["xie"]);
        assert_eq!(han_surname_readings('仇'), ["qiu"]);
        assert_eq!(han_surname_readings('朴'), ["piao"]);
        assert_eq!(han_surname_readings('查'), ["zha"]);
        assert_eq!(han_surname_readings('区'), ["ou"]);
        assert_eq!(han_surname_readings('覃'), ["qin"]);
        assert_eq!(han_surname_readings('盖'), ["ge"]);
        assert!(han_surname_readings('王').is_empty());
    }

    #[test]
    fn passport_pinyin_is_one_toneless_token() {
        assert_eq!(pinyin_of("买买提")[0], "maimaiti");
        assert_eq!(pinyin_of("艾尔肯")[0], "aierken");
        assert_eq!(pinyin_of("伊布拉欣")[0], "yibulaxin");
        assert_eq!(pinyin_of("热依拉·奥迈尔")[0], "reyilaaomaier");
        assert!(pinyin_of("Rahile").is_empty());
    }

    #[test]
    fn compound_surnames_read_as_one() {
        let chars: Vec<char> = "欧阳修".chars().collect();
        assert_eq!(name_readings(&chars)[0], "ouyangxiu");
        let chars: Vec<char> = "曾国藩".chars().collect();
        assert_eq!(name_readings(&chars)[0], "zengguofan");
    }

    #[test]
    fn malformed_surname_lines_are_reported() {
        let error = parse_surnames("曾\tZēng\n").unwrap_err();
        assert_eq!(error.line, 1);
    }
}
