//! A name's structure: its parts (given name, father's name, more ancestors), titles
//! set apart, Abdu- prefixes and -jan suffixes recognised, variant groups from
//! `data/variants.tsv`, and each part's script, readings and phonetic forms.

use crate::phonetic::{fold, pinyin_variants};
use crate::script::{Script, detect, normalize};
use crate::translit;
pub use crate::variants::{Variants, split_suffix, variants};
use serde::Serialize;

/// Most parts looked at in one name; police files and relatives rarely write more than
/// given name, father's and grandfather's names.
pub const MAX_PARTS: usize = 5;

/// One part of a name, analysed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartAnalysis {
    /// The part as written (normalised).
    pub text: String,
    /// The script the part is written in, which decides how it is read.
    pub script: Script,
    /// Latin readings (ULY for Arabic and Cyrillic, the han module's for Han).
    pub readings: Vec<String>,
    /// Phonetic forms compared with other names: each reading folded, through pinyin
    /// where it reads as pinyin, with its variant group's canonical form.
    pub forms: Vec<String>,
    /// A suffix marker split off (-jan), compared apart from the letters.
    pub suffix: Option<String>,
}

/// A name split into parts, in the order written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameAnalysis {
    /// The name exactly as given to [`analyse`], before normalisation.
    pub input: String,
    /// The parts compared, at most [`MAX_PARTS`]: titles removed, an Abdu- prefix
    /// fused with the token after it, a standalone -jan joined to the token before.
    pub parts: Vec<PartAnalysis>,
    /// Honorifics set apart (Haji), as written.
    pub titles: Vec<String>,
    /// Parts beyond [`MAX_PARTS`], as written, not compared.
    pub ignored: Vec<String>,
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '·' | '•' | '‧' | '・' | '-' | '‐' | '‑' | '–' | '—' | '_' | ',' | '/' | '.' | '．'
        )
}

/// Splits a name into tokens on · • ‧ ・ spaces and hyphens (after normalisation, so the
/// full-width forms are included too).
///
/// ```
/// use trove_names::structure::tokens;
/// assert_eq!(tokens("热依拉·达吾提"), vec!["热依拉", "达吾提"]);
/// assert_eq!(tokens("Rahile  Dawut"), vec!["Rahile", "Dawut"]);
/// assert_eq!(tokens("Tursun-jan"), vec!["Tursun", "jan"]);
/// ```
pub fn tokens(name: &str) -> Vec<String> {
    normalize(name)
        .split(is_separator)
        .filter(|t| detect(t) != Script::Other)
        .map(str::to_string)
        .collect()
}

/// Analyses a name: tokens, titles set apart, a standalone Abdu-/Abdul- fused with the
/// next token, a standalone -jan joined to the token before, every part's forms.
///
/// ```
/// use trove_names::structure::analyse;
/// let name = analyse("Haji Abdul Rehim Tursunjan");
/// assert_eq!(name.titles, vec!["Haji"]);
/// assert_eq!(name.parts.len(), 2);
/// assert_eq!(name.parts[1].suffix.as_deref(), Some("jan"));
/// ```
pub fn analyse(name: &str) -> NameAnalysis {
    let table = variants();
    let mut titles = Vec::new();
    let mut merged: Vec<String> = Vec::new();
    let mut pending_prefix: Option<String> = None;
    for token in tokens(name) {
        let folded: Vec<String> = translit::readings(&token).iter().map(|r| fold(r)).collect();
        let any = |f: &dyn Fn(&str) -> bool| folded.iter().any(|s| f(s));
        if any(&|s| table.titles.contains(s)) {
            titles.push(token);
        } else if any(&|s| table.suffixes.iter().any(|(x, _)| x == s)) && !merged.is_empty() {
            if let Some(last) = merged.last_mut() {
                last.push_str(&token);
            }
        } else if any(&|s| table.is_prefix(s)) && pending_prefix.is_none() {
            pending_prefix = Some(token);
        } else {
            merged.push(match pending_prefix.take() {
                Some(prefix) => format!("{prefix}{token}"),
                None => token,
            });
        }
    }
    merged.extend(pending_prefix);
    let ignored = merged.split_off(merged.len().min(MAX_PARTS));
    NameAnalysis {
        input: name.to_string(),
        parts: merged.iter().map(|p| analyse_part(p)).collect(),
        titles,
        ignored,
    }
}

fn analyse_part(text: &str) -> PartAnalysis {
    let table = variants();
    let script = detect(text);
    let readings = translit::readings(text);
    let mut forms: Vec<String> = Vec::new();
    let mut suffix = None;
    let push = |form: String, forms: &mut Vec<String>| {
        if !form.is_empty() && !forms.contains(&form) {
            forms.push(form);
        }
    };
    for reading in &readings {
        let mut spellings = vec![reading.clone()];
        spellings.extend(pinyin_variants(reading));
        for spelling in spellings {
            let (stem, marker) = split_suffix(&fold(&spelling));
            suffix = suffix.or(marker);
            let stem = table.rewrite_prefix(&stem);
            let canonical = table.canonical(&stem).map(str::to_string);
            push(stem, &mut forms);
            if let Some(canonical) = canonical {
                push(canonical, &mut forms);
            }
        }
    }
    PartAnalysis {
        text: text.to_string(),
        script,
        readings,
        forms,
        suffix,
    }
}
