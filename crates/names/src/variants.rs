//! The variant table `data/variants.tsv`: groups of spellings of one name, the Abdu-
//! prefixes, the -jan suffix markers and the titles, every spelling folded. Its own
//! module so that [`crate::phonetic`] (which folds) and [`crate::structure`] (which
//! splits names) both read it without importing each other.

use crate::phonetic::{fold, pinyin_variants};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The variant table `data/variants.tsv`, every spelling folded.
#[derive(Debug)]
pub struct Variants {
    /// Folded spelling → folded canonical name of its group.
    names: HashMap<String, String>,
    /// (folded spelling, folded canonical) of prefixes, longest spelling first.
    prefixes: Vec<(String, String)>,
    /// (folded spelling, folded canonical) of suffix markers, longest spelling first.
    pub(crate) suffixes: Vec<(String, String)>,
    pub(crate) titles: HashSet<String>,
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

    pub(crate) fn is_prefix(&self, folded: &str) -> bool {
        self.prefixes
            .iter()
            .any(|(s, c)| s == folded || c == folded)
    }
}

/// Splits a known final suffix (from `data/variants.tsv`, already folded) off a folded
/// form, when at least three letters remain: `tursunjan` → (`tursun`, Some(`jan`));
/// the marker is the suffix's canonical spelling (pinyin `jiang` → `jan`).
pub fn split_suffix(folded: &str) -> (String, Option<String>) {
    for (spelling, canonical) in &variants().suffixes {
        if let Some(stem) = folded.strip_suffix(spelling.as_str())
            && stem.len() >= 3
        {
            return (stem.to_string(), Some(canonical.clone()));
        }
    }
    (folded.to_string(), None)
}
