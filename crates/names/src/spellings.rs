//! Other spellings of a name, to search documents with: a name reported in Latin, Arabic
//! or Cyrillic script is also looked for in the Chinese-character forms the police files
//! use. The forms come from the table of known names (`data/han-uyghur-names.tsv`): the
//! Chinese form of each part is the known name whose phonetic forms match it.

use std::sync::LazyLock;

use crate::han;
use crate::score::part_similarity;
use crate::structure::analyse;

/// How alike a part and a known name's forms must be for the known name's Chinese form to
/// be searched for: close enough for a spelling variant, not for a different name.
const FORM_MATCH: f64 = 0.9;
/// Chinese forms kept per part, and whole-name forms in all.
const FORMS_PER_PART: usize = 4;
const MAX_FORMS: usize = 16;

/// Every known Chinese form with its phonetic forms, computed once.
static KNOWN: LazyLock<Vec<(&'static str, Vec<String>)>> = LazyLock::new(|| {
    let mut known: Vec<(&'static str, Vec<String>)> = han::dictionary_forms()
        .map(|form| {
            let forms = analyse(form)
                .parts
                .into_iter()
                .flat_map(|part| part.forms)
                .collect();
            (form, forms)
        })
        .collect();
    known.sort_by_key(|(form, _)| *form);
    known
});

/// The Chinese-character forms of one name part written in another script, best first.
/// Empty for a part already in Chinese characters or unlike every known name.
pub fn han_forms(part: &str) -> Vec<&'static str> {
    let analysed = analyse(part);
    let Some(first) = analysed.parts.first() else {
        return Vec::new();
    };
    if first.text.chars().any(han::is_han) {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &'static str)> = KNOWN
        .iter()
        .filter_map(|(han_form, known_forms)| {
            let best = first
                .forms
                .iter()
                .flat_map(|f| known_forms.iter().map(move |k| part_similarity(f, k)))
                .fold(0.0, f64::max);
            (best >= FORM_MATCH).then_some((best, *han_form))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(FORMS_PER_PART)
        .map(|(_, f)| f)
        .collect()
}

/// A name as written, and its Chinese-character forms (given·father, as lists write
/// them), at most [`MAX_FORMS`]. A part with no known Chinese form leaves the name with
/// only its written form.
pub fn search_forms(name: &str) -> Vec<String> {
    let mut forms = vec![name.trim().to_owned()];
    let parts: Vec<Vec<&'static str>> = analyse(name)
        .parts
        .iter()
        .map(|part| han_forms(&part.text))
        .collect();
    if parts.is_empty() || parts.iter().any(Vec::is_empty) {
        return forms;
    }
    let mut combined: Vec<String> = vec![String::new()];
    for options in &parts {
        combined = combined
            .iter()
            .flat_map(|prefix| {
                options.iter().map(move |option| {
                    if prefix.is_empty() {
                        (*option).to_owned()
                    } else {
                        format!("{prefix}·{option}")
                    }
                })
            })
            .take(MAX_FORMS)
            .collect();
    }
    forms.extend(combined);
    forms.truncate(MAX_FORMS);
    forms
}

/// Latin readings of a name written in Chinese characters, as a reader abroad would
/// write it, most likely first, at most `limit`: each part's n-th reading (ULY for a
/// Uyghur part, 热依拉·奥迈尔 → `Rahile Ömer`, then the passport pinyin, `Reyila Aomaier`).
/// Parts not in Chinese characters are kept as written; a name with no Chinese part has
/// no readings.
pub fn latin_readings(name: &str, limit: usize) -> Vec<String> {
    let parts: Vec<(String, Vec<String>)> = analyse(name)
        .parts
        .into_iter()
        .map(|part| {
            let readings = han::readings(&part.text);
            (part.text, readings)
        })
        .collect();
    if parts.iter().all(|(_, readings)| readings.is_empty()) {
        return Vec::new();
    }
    let deepest = parts.iter().map(|(_, r)| r.len()).max().unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    for n in 0..deepest {
        let reading = parts
            .iter()
            .map(
                |(text, readings)| match readings.get(n).or(readings.last()) {
                    Some(reading) => capitalised(reading),
                    None => text.clone(),
                },
            )
            .collect::<Vec<_>>()
            .join(" ");
        if !out.contains(&reading) {
            out.push(reading);
        }
        if out.len() >= limit {
            break;
        }
    }
    out
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_parts_find_their_chinese_forms() {
        assert!(
            han_forms("Rahile").contains(&"热依拉"),
            "{:?}",
            han_forms("Rahile")
        );
        assert!(
            han_forms("Memet").contains(&"买买提"),
            "{:?}",
            han_forms("Memet")
        );
        assert!(han_forms("热依拉").is_empty());
    }

    #[test]
    fn a_whole_name_is_searched_in_both_scripts() {
        let forms = search_forms("Rahile Dawut");
        assert_eq!(forms[0], "Rahile Dawut");
        assert!(forms.iter().any(|f| f == "热依拉·达吾提"), "{forms:?}");
        assert_eq!(search_forms("Zzyzx Qwerty"), vec!["Zzyzx Qwerty"]);
    }

    #[test]
    fn a_chinese_form_reads_in_latin_as_relatives_write_it() {
        let readings = latin_readings("热依拉·奥迈尔", 3);
        assert!(!readings.is_empty());
        assert!(readings[0].starts_with("Rahile "), "{readings:?}");
        assert!(latin_readings("Rahile Omer", 3).is_empty());
        assert!(
            latin_readings("张伟", 2)[0].starts_with("Zhang"),
            "{:?}",
            latin_readings("张伟", 2)
        );
    }
}
