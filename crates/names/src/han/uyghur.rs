//! Uyghur and Kazakh names written in Chinese characters, read back into Uyghur Latin (ULY).
//!
//! Two tables: known names (`data/han-uyghur-names.tsv`) and, for everything else, the values of
//! the characters used in transliteration (`data/han-syllables.tsv`). A part is cut into the
//! fewest pieces that are known names or single transliteration characters, so compounds of known
//! names read as their parts do (阿不都 + 外力 → abduweli, 努尔 + 古丽 → nurgül).

use std::collections::HashMap;
use std::sync::LazyLock;

use super::table::{self, TableError};
use super::{MAX_READINGS, variants};

const NAMES_TABLE: &str = "han-uyghur-names.tsv";
const SYLLABLES_TABLE: &str = "han-syllables.tsv";

/// Known names: the Chinese-character form → its Latin spellings, ULY first.
static NAMES: LazyLock<HashMap<&'static str, Vec<&'static str>>> =
    LazyLock::new(|| table::loaded(parse_names(include_str!("../../data/han-uyghur-names.tsv"))));

/// The longest known name, in characters.
static LONGEST_NAME: LazyLock<usize> =
    LazyLock::new(|| NAMES.keys().map(|k| k.chars().count()).max().unwrap_or(0));

static SYLLABLES: LazyLock<HashMap<char, Syllable>> = LazyLock::new(|| {
    table::loaded(parse_syllables(include_str!(
        "../../data/han-syllables.tsv"
    )))
});

/// The Latin values one transliteration character stands for, by its place in the part.
#[derive(Debug)]
struct Syllable {
    any: Vec<&'static str>,
    initial: Vec<&'static str>,
    last: Vec<&'static str>,
}

fn parse_names(text: &'static str) -> Result<HashMap<&'static str, Vec<&'static str>>, TableError> {
    let mut names = HashMap::new();
    for (line, fields) in table::rows(NAMES_TABLE, text, 6)? {
        let error = |reason: String| TableError {
            table: NAMES_TABLE,
            line,
            reason,
        };
        let (han, uly, other, people, source) =
            (fields[0], fields[1], fields[2], fields[3], fields[4]);
        if !han.chars().all(super::is_han) {
            return Err(error(format!("{han:?} is not all Chinese characters")));
        }
        if !matches!(people, "uyghur" | "kazakh") || !matches!(source, "conv" | "pub") {
            return Err(error(format!(
                "unknown people {people:?} or source {source:?}"
            )));
        }
        let mut spellings = vec![uly];
        for spelling in table::values(other) {
            if !spellings.contains(&spelling) {
                spellings.push(spelling);
            }
        }
        if spellings
            .iter()
            .any(|s| s.chars().any(|c| !c.is_lowercase()))
        {
            return Err(error(format!(
                "spellings of {han} must be lower-case letters"
            )));
        }
        if names.insert(han, spellings).is_some() {
            return Err(error(format!("{han} is listed twice")));
        }
    }
    Ok(names)
}

fn parse_syllables(text: &'static str) -> Result<HashMap<char, Syllable>, TableError> {
    let mut syllables = HashMap::new();
    for (line, fields) in table::rows(SYLLABLES_TABLE, text, 4)? {
        let error = |reason: String| TableError {
            table: SYLLABLES_TABLE,
            line,
            reason,
        };
        let mut chars = fields[0].chars();
        let han = match (chars.next(), chars.next()) {
            (Some(c), None) if super::is_han(c) => c,
            _ => {
                return Err(error(format!(
                    "{:?} is not one Chinese character",
                    fields[0]
                )));
            }
        };
        let any = table::values(fields[1]);
        if any.is_empty() {
            return Err(error(format!("{han} has no values")));
        }
        let or_any = |field| match table::values(field) {
            given if given.is_empty() => any.clone(),
            given => given,
        };
        let syllable = Syllable {
            initial: or_any(fields[2]),
            last: or_any(fields[3]),
            any,
        };
        if syllables.insert(han, syllable).is_some() {
            return Err(error(format!("{han} is listed twice")));
        }
    }
    Ok(syllables)
}

/// The Latin spellings of a known Uyghur or Kazakh name part, ULY first; empty when the part
/// (Chinese characters only) is not in the table. 热依拉 → `["rahile", "rayila", "rahila"]`.
pub fn dictionary_readings(part: &str) -> &'static [&'static str] {
    NAMES.get(part).map_or(&[], Vec::as_slice)
}

/// Every Chinese-character form in the table of known names, in no particular order.
pub fn dictionary_forms() -> impl Iterator<Item = &'static str> {
    NAMES.keys().copied()
}

/// Readings of a part from the values of its characters alone, ignoring the table of known
/// names: the fallback for names the table lacks, most likely first, at most
/// [`MAX_READINGS`](super::MAX_READINGS). Empty when a character of the part is not one used in
/// transliteration, or the part holds no Chinese characters. 努尔夏提 → `nurshat`, ….
pub fn syllable_readings(part: &str) -> Vec<String> {
    let chars: Vec<char> = part.chars().filter(|&c| super::is_han(c)).collect();
    match syllable_slots(&chars, 0, chars.len()) {
        Some(slots) if !slots.is_empty() => variants::cheapest(&slots, MAX_READINGS),
        _ => Vec::new(),
    }
}

/// Whether the whole part is a known name.
pub(super) fn is_dictionary_name(chars: &[char]) -> bool {
    NAMES.contains_key(chars.iter().collect::<String>().as_str())
}

/// ULY readings of a part, most likely first; `None` when the part cannot be cut into known
/// names and transliteration characters.
pub(super) fn readings(chars: &[char]) -> Option<Vec<String>> {
    let slots = segment(chars)?;
    Some(variants::cheapest(&slots, MAX_READINGS))
}

/// The fewest pieces that cover `chars`, each a known name or a transliteration character, as the
/// ranked values of each piece.
fn segment(chars: &[char]) -> Option<Vec<Vec<&'static str>>> {
    let n = chars.len();
    // best[i]: the fewest pieces covering chars[i..], with the end of the first piece.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[n] = Some((0, n));
    for start in (0..n).rev() {
        let longest = (*LONGEST_NAME).min(n - start);
        let mut choice: Option<(usize, usize)> = None;
        for end in (start + 1..=start + longest).rev() {
            let piece: String = chars[start..end].iter().collect();
            let known = NAMES.contains_key(piece.as_str())
                || (end == start + 1 && SYLLABLES.contains_key(&chars[start]));
            if let (true, Some((rest, _))) = (known, best[end])
                && choice.is_none_or(|(pieces, _)| rest + 1 < pieces)
            {
                choice = Some((rest + 1, end));
            }
        }
        best[start] = choice;
    }
    let mut slots = Vec::new();
    let mut start = 0;
    while start < n {
        let (_, end) = best[start]?;
        let piece: String = chars[start..end].iter().collect();
        match NAMES.get(piece.as_str()) {
            Some(spellings) => slots.push(spellings.clone()),
            None => slots.extend(syllable_slots(chars, start, end)?),
        }
        start = end;
    }
    Some(slots)
}

/// The ranked values of each character of `chars[from..to]`, by its place in the whole part.
fn syllable_slots(chars: &[char], from: usize, to: usize) -> Option<Vec<Vec<&'static str>>> {
    (from..to)
        .map(|i| {
            let syllable = SYLLABLES.get(&chars[i])?;
            let values = match i {
                _ if chars.len() == 1 => &syllable.any,
                0 => &syllable.initial,
                i if i + 1 == chars.len() => &syllable.last,
                _ => &syllable.any,
            };
            Some(values.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        assert!(NAMES.len() > 100);
        assert!(SYLLABLES.len() > 150);
    }

    #[test]
    fn known_names_give_their_spellings_uly_first() {
        assert_eq!(
            dictionary_readings("热依拉"),
            ["rahile", "rayila", "rahila"]
        );
        assert!(dictionary_readings("张伟").is_empty());
    }

    #[test]
    fn final_consonant_characters_drop_their_vowel_at_the_end() {
        assert_eq!(syllable_readings("买买提")[0], "memet");
        assert_eq!(syllable_readings("艾尔肯")[0], "erkin");
        assert_eq!(syllable_readings("吐尔逊")[0], "tursun");
    }

    #[test]
    fn compounds_of_known_names_read_as_their_parts() {
        let chars: Vec<char> = "努尔阿依古丽".chars().collect();
        assert_eq!(readings(&chars).unwrap()[0], "nuraygül");
        let chars: Vec<char> = "阿不都外力".chars().collect();
        assert_eq!(readings(&chars).unwrap()[0], "abduweli");
    }

    #[test]
    fn parts_with_other_characters_are_not_uyghur() {
        let chars: Vec<char> = "建国".chars().collect();
        assert_eq!(readings(&chars), None);
        assert!(syllable_readings("建国").is_empty());
    }

    #[test]
    fn malformed_lines_are_reported_with_their_place() {
        let error = parse_names("# header\n热依拉\trahile\n").unwrap_err();
        assert_eq!(error.line, 2);
        let error = parse_syllables("热\tre\t-\t-\n热\tra\t-\t-\n").unwrap_err();
        assert_eq!(error.line, 2);
    }
}
