//! One comparable form for every Latin spelling of a Uyghur name.
//!
//! [`fold`] merges what English, Turkish, ULY and pinyin spellings write differently for
//! one sound; [`pinyin_variants`] first turns a pinyin reading of a Chinese-character
//! form (as printed in passports) back toward the Uyghur name it transcribes. Both are
//! deliberately coarse: they make forms comparable, the score then measures distance.
//!
//! Rules of [`fold`], in order:
//! 1. lower case; diacritics dropped (ö ü é → o u e); ş ç ğ ñ ə ø ı and the Yéngi Yéziq
//!    letters ⱨ ⱪ ⱬ ƣ spelled out; anything but a–z dropped (apostrophes, hyphens);
//! 2. digraphs: sh → s, zh ch → j, kh → h, gh → k, ph → f, ng → n;
//! 3. letters: c → j (Turkish c), x → h (ULY x), q g → k, w → v, y → i, e → a,
//!    o → u, f → p (Uyghur has no native f: Yusuf / Yüsüp);
//! 4. doubled letters collapsed (Muhemmed, Ayyub, Abbas).
//!
//! A final suffix from the `suffix` rows of `data/variants.tsv` (the endearment -jan)
//! is split off by [`split_suffix`] and kept as a marker, not compared as letters.

use std::collections::HashSet;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// The comparable form of a Latin spelling (rules in the module documentation).
///
/// ```
/// use trove_names::phonetic::fold;
/// assert_eq!(fold("Ömer"), fold("Omar"));
/// assert_eq!(fold("Gülshen"), fold("Gulshan"));
/// assert_eq!(fold("Toxti"), fold("Tokhti"));
/// assert_eq!(fold("Ayyup"), fold("Ayup"));
/// ```
pub fn fold(latin: &str) -> String {
    let mut letters = String::with_capacity(latin.len());
    for c in latin.to_lowercase().nfd() {
        match c {
            'a'..='z' => letters.push(c),
            'ş' => letters.push_str("sh"),
            'ç' => letters.push_str("ch"),
            'ğ' | 'ƣ' => letters.push_str("gh"),
            'ñ' => letters.push_str("ng"),
            'ə' => letters.push('e'),
            'ø' => letters.push('o'),
            'ı' => letters.push('i'),
            'ß' => letters.push_str("ss"),
            'ⱨ' => letters.push('h'),
            'ⱪ' => letters.push('q'),
            'ⱬ' => letters.push_str("zh"),
            _ => {}
        }
    }
    let bytes = letters.as_bytes();
    let mut folded: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let pair = bytes.get(i..i + 2);
        let digraph = match pair {
            Some(b"sh") => Some(b's'),
            Some(b"zh") | Some(b"ch") => Some(b'j'),
            Some(b"kh") => Some(b'h'),
            Some(b"gh") => Some(b'k'),
            Some(b"ph") => Some(b'p'),
            Some(b"ng") => Some(b'n'),
            _ => None,
        };
        let (letter, width) = match digraph {
            Some(l) => (l, 2),
            None => (
                match bytes[i] {
                    b'c' => b'j',
                    b'x' => b'h',
                    b'q' | b'g' => b'k',
                    b'w' => b'v',
                    b'y' => b'i',
                    b'e' => b'a',
                    b'o' => b'u',
                    b'f' => b'p',
                    b => b,
                },
                1,
            ),
        };
        if folded.last() != Some(&letter) {
            folded.push(letter);
        }
        i += width;
    }
    String::from_utf8(folded).unwrap_or_default()
}

fn syllables() -> &'static HashSet<&'static str> {
    static SYLLABLES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SYLLABLES.get_or_init(|| {
        include_str!("../data/pinyin-syllables.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    })
}

/// Splits a lower-case ASCII string into pinyin syllables, the fewest possible, or
/// `None` when it is not pinyin.
pub fn pinyin_syllables(text: &str) -> Option<Vec<&str>> {
    let set = syllables();
    let n = text.len();
    if n == 0 || !text.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    // fewest[i]: the fewest syllables covering text[i..], and the length of the first.
    let mut fewest: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    fewest[n] = Some((0, 0));
    for i in (0..n).rev() {
        for len in (1..=6.min(n - i)).rev() {
            if set.contains(&text[i..i + len])
                && let Some((count, _)) = fewest[i + len]
                && fewest[i].is_none_or(|(best, _)| count + 1 < best)
            {
                fewest[i] = Some((count + 1, len));
            }
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let (_, len) = fewest[i]?;
        out.push(&text[i..i + len]);
        i += len;
    }
    Some(out)
}

/// Final syllables that Chinese transcription adds after a Uyghur final consonant
/// (买买提 mai-mai-ti for Memet, 伊力哈木 yi-li-ha-mu for Ilham, 阿巴斯 a-ba-si for Abbas).
const EPENTHETIC: &[&str] = &[
    "ti", "di", "te", "de", "ke", "ge", "ki", "pu", "bu", "fu", "mu", "li", "si", "ci", "zi", "ze",
    "ri", "ji", "qi", "he", "ku", "tu", "du",
];

/// Readings of a pinyin spelling turned back toward the Uyghur name it transcribes, or
/// nothing when `reading` is not pinyin. Rules, per syllable:
/// - initials: x → s (鲜 xian → shen, 逊 xun → sun), q → ch, zh → j, c → s;
/// - finals: iang → an (江 jiang → jan), ian → en, ang → an, eng → en, ong → un,
///   ing → in, ai → e (买 mai → me, 艾 ai → e), ei → e, ao → o, ou → u, ie → e, uo → o,
///   iu → yu, ui → uy;
/// - yi → i, wu → u; er after the first syllable → r (艾尔肯 ai-er-ken → erken);
/// - a second reading drops the vowel of an added final syllable (see `EPENTHETIC`), also
///   before a final -jan: maimaiti → memet, maimaitijiang → memetjan.
///
/// ```
/// use trove_names::phonetic::pinyin_variants;
/// assert_eq!(pinyin_variants("maimaiti"), vec!["memeti", "memet"]);
/// assert_eq!(pinyin_variants("aierken"), vec!["erken"]);
/// assert!(pinyin_variants("ilham").is_empty());
/// ```
pub fn pinyin_variants(reading: &str) -> Vec<String> {
    let Some(sylls) = pinyin_syllables(reading) else {
        return Vec::new();
    };
    let rewritten: Vec<String> = sylls
        .iter()
        .enumerate()
        .map(|(i, s)| rewrite_syllable(s, i == 0))
        .collect();
    let mut out = vec![rewritten.concat()];
    let last = if sylls.len() > 2 && sylls.last() == Some(&"jiang") {
        sylls.len() - 2
    } else {
        sylls.len() - 1
    };
    if last > 0 && EPENTHETIC.contains(&sylls[last]) {
        let mut dropped = rewritten.clone();
        dropped[last].pop();
        out.push(dropped.concat());
    }
    out.dedup();
    out
}

fn rewrite_syllable(s: &str, first: bool) -> String {
    match s {
        "yi" => return "i".into(),
        "wu" => return "u".into(),
        "er" if !first => return "r".into(),
        _ => {}
    }
    let (initial, fin) = split_initial(s);
    let initial = match initial {
        "x" => "s",
        "q" => "ch",
        "zh" => "j",
        "c" => "s",
        other => other,
    };
    let fin = match fin {
        "iang" => "an",
        "ian" => "en",
        "ang" => "an",
        "eng" => "en",
        "ong" => "un",
        "ing" => "in",
        "ai" | "ei" | "ie" => "e",
        "ao" | "uo" => "o",
        "ou" => "u",
        "iu" => "yu",
        "ui" => "uy",
        other => other,
    };
    format!("{initial}{fin}")
}

fn split_initial(s: &str) -> (&str, &str) {
    for two in ["zh", "ch", "sh"] {
        if let Some(rest) = s.strip_prefix(two) {
            return (two, rest);
        }
    }
    match s.chars().next() {
        Some(c) if !"aeiouv".contains(c) => s.split_at(1),
        _ => ("", s),
    }
}

/// Cost of turning one folded letter into another: vowels (a i u after folding) and
/// consonants of one class (see [`crate::key::skeleton`]) are cheap, a i cheapest (the
/// e/i of Erkin/Erken, Mehrigul/Mihrigul).
fn substitution_cost(x: u8, y: u8) -> f64 {
    let vowel = |c: u8| matches!(c, b'a' | b'i' | b'u');
    if x == y {
        0.0
    } else if vowel(x) && vowel(y) {
        if matches!((x, y), (b'a', b'i') | (b'i', b'a')) {
            0.5
        } else {
            0.8
        }
    } else if !vowel(x) && !vowel(y) && consonant_class(x as char) == consonant_class(y as char) {
        0.5
    } else {
        1.0
    }
}

/// Cost of a letter written on one side only: vowels (the vowels Chinese transcription
/// adds between consonants), h and v (dropped or added in many spellings) are cheap.
fn indel_cost(c: u8) -> f64 {
    if matches!(c, b'a' | b'i' | b'u' | b'h' | b'v') {
        0.5
    } else {
        1.0
    }
}

/// Similarity of two folded forms in [0, 1]: one minus their Levenshtein distance under
/// the phonetic costs above, divided by the longer length.
///
/// ```
/// use trove_names::phonetic::weighted_similarity;
/// assert_eq!(weighted_similarity("ilham", "ilham"), 1.0);
/// assert!(weighted_similarity("ilham", "iliham") > weighted_similarity("rahila", "rahima"));
/// ```
pub fn weighted_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let mut prev: Vec<f64> = std::iter::once(0.0)
        .chain(b.iter().scan(0.0, |acc, &c| {
            *acc += indel_cost(c);
            Some(*acc)
        }))
        .collect();
    for &x in a {
        let mut row = Vec::with_capacity(b.len() + 1);
        row.push(prev[0] + indel_cost(x));
        for (j, &y) in b.iter().enumerate() {
            let cost = (prev[j] + substitution_cost(x, y))
                .min(prev[j + 1] + indel_cost(x))
                .min(row[j] + indel_cost(y));
            row.push(cost);
        }
        prev = row;
    }
    (1.0 - prev[b.len()] / longest as f64).max(0.0)
}

/// Letters that stand for one consonant class in a skeleton: voicing pairs and the
/// sounds Chinese transcription merges (r/l, m/n) fall together.
pub(crate) fn consonant_class(c: char) -> Option<char> {
    Some(match c {
        'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h' | 'v' => return None,
        'b' | 'p' | 'f' => 'p',
        'd' | 't' => 't',
        'k' | 'g' | 'q' => 'k',
        's' | 'z' => 's',
        'j' | 'c' => 'j',
        'r' | 'l' => 'r',
        'm' | 'n' => 'n',
        c => c,
    })
}
