//! A name's structure: its parts (given name, father's name, more ancestors), titles
//! set apart, Abdu- prefixes and -jan suffixes recognised, variant groups from
//! `data/variants.tsv`, and each part's script, readings and phonetic forms.

use crate::phonetic::{fold, pinyin_variants, split_suffix};
use crate::script::{Script, detect, normalize};
use crate::translit;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Most parts looked at in one name; police files and relatives rarely write more than
/// given name, father's and grandfather's names.
pub const MAX_PARTS: usize = 5;

/// The variant table `data/variants.tsv`, every spelling folded.
#[derive(Debug)]
pub struct Variants {
    /// Folded spelling → folded canonical name of its group.
    names: HashMap<String, String>,
    /// (folded spelling, folded canonical) of prefixes, longest spelling first.
    prefixes: Vec<(String, String)>,
    /// (folded spelling, folded canonical) of suffix markers, longest spelling first.
    pub(crate) suffixes: Vec<(String, String)>,
    titles: HashSet<String>,
}

/// The variant table, read once.
pub fn variants() -> &'static Variants {
    static VARIANTS: OnceLock<Variants> = OnceLock::new();
    VARIANTS.get_or_init(|| parse_variants(include_str!("../data/variants.tsv")))
}

/// A spelling folded as a part's forms are: plain, and through pinyin.
fn folded_spellings(spelling: &str) -> Vec<String> {
    let mut out = vec![fold(spelling)];
    out.extend(pinyin_variants(spelling).iter().map(|p| fold(p)));
    out.dedup();
    out
}

fn parse_variants(text: &str) -> Variants {
    let mut v = Variants {
        names: HashMap::new(),
        prefixes: Vec::new(),
        suffixes: Vec::new(),
        titles: HashSet::new(),
    };
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut cols = line.split('\t');
        let (Some(kind), Some(canonical), Some(spellings)) =
            (cols.next(), cols.next(), cols.next())
        else {
            continue;
        };
        let canonical = fold(canonical);
        let spellings = spellings.split(',').flat_map(folded_spellings);
        match kind {
            "name" => {
                for s in spellings.chain([canonical.clone()]) {
                    v.names.insert(s, canonical.clone());
                }
            }
            "prefix" => {
                for s in spellings {
                    v.prefixes.push((s, canonical.clone()));
                }
            }
            "suffix" => {
                for s in spellings.chain([canonical.clone()]) {
                    v.suffixes.push((s, canonical.clone()));
                }
            }
            "title" => v.titles.extend(spellings),
            _ => {}
        }
    }
    v.prefixes.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
    v.prefixes.dedup();
    v.suffixes.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
    v.suffixes.dedup();
    v
}

impl Variants {
    /// The canonical form of the variant group a folded form belongs to.
    pub fn canonical(&self, folded: &str) -> Option<&str> {
        self.names.get(folded).map(String::as_str)
    }

    /// Rewrites a prefix spelling at the start of a folded form to its canonical one
    /// (abudureim → abdureim). Spellings that already begin with the canonical (abdul-,
    /// abdur-) are left, so the assimilated consonant of Abdul-la, Abdur-ehim stays.
    pub fn rewrite_prefix(&self, folded: &str) -> String {
        for (spelling, canonical) in &self.prefixes {
            if spelling.starts_with(canonical.as_str()) {
                continue;
            }
            if let Some(rest) = folded.strip_prefix(spelling.as_str())
                && rest.len() >= 2
            {
                return format!("{canonical}{rest}");
            }
        }
        folded.to_string()
    }

    fn is_prefix(&self, folded: &str) -> bool {
        self.prefixes
            .iter()
            .any(|(s, c)| s == folded || c == folded)
    }
}

/// One part of a name, analysed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartAnalysis {
    /// The part as written (normalised).
    pub text: String,
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
    pub input: String,
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
