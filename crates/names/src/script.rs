//! Which script a token is written in, and Unicode normalisation of names.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// The writing system of one token of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Script {
    /// Chinese characters (热依拉).
    Han,
    /// Arabic script, here read as Uyghur Ereb Yéziqi (راھىلە).
    Arabic,
    /// Latin letters: Uyghur Latin (ULY), pinyin or an English spelling.
    Latin,
    /// Cyrillic, here read as Uyghur Cyrillic (Раһилә).
    Cyrillic,
    /// Letters of more than one of the scripts above.
    Mixed,
    /// No letter of any script above (digits, punctuation, other scripts).
    Other,
}

/// The script of a single character, or `None` for characters that carry no script
/// (digits, punctuation, combining marks, apostrophes).
fn char_script(c: char) -> Option<Script> {
    match c {
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}' => Some(Script::Han),
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}' => {
            if c.is_alphabetic() {
                Some(Script::Arabic)
            } else {
                None
            }
        }
        '\u{0400}'..='\u{052F}' if c.is_alphabetic() => Some(Script::Cyrillic),
        c if c.is_alphabetic() && (c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c)) => {
            Some(Script::Latin)
        }
        // ULY's sister alphabets (Uyghur Yéngi Yéziq ⱨ ⱪ ⱬ ə ƣ) are Latin too.
        'ə' | 'Ə' | 'ⱨ' | 'Ⱨ' | 'ⱪ' | 'Ⱪ' | 'ⱬ' | 'Ⱬ' => Some(Script::Latin),
        _ => None,
    }
}

/// The script of a token: the one script all its letters share, `Mixed` when they
/// disagree, `Other` when it has no letter. Normalise first (see [`normalize`]).
///
/// ```
/// use trove_names::script::{detect, Script};
/// assert_eq!(detect("热依拉"), Script::Han);
/// assert_eq!(detect("راھىلە"), Script::Arabic);
/// assert_eq!(detect("Rahile"), Script::Latin);
/// assert_eq!(detect("Раһилә"), Script::Cyrillic);
/// assert_eq!(detect("Rahileئ"), Script::Mixed);
/// ```
pub fn detect(token: &str) -> Script {
    let mut found = None;
    for script in token.chars().filter_map(char_script) {
        match found {
            None => found = Some(script),
            Some(s) if s != script => return Script::Mixed,
            Some(_) => {}
        }
    }
    found.unwrap_or(Script::Other)
}

/// Brings a name to one Unicode form: NFKC (full-width Latin and digits, the
/// presentation forms of Arabic letters, compatibility ideographs), with the Arabic
/// letters that Uyghur text is often typed with mapped to the Uyghur ones.
///
/// Heh (U+0647, and its presentation forms) stands in for two Uyghur letters: in final
/// or isolated position it is ە (U+06D5), otherwise ھ (U+06BE). Farsi yeh (U+06CC)
/// stands in for ى, keheh (U+06A9) for ك, teh marbuta (U+0629) for ە.
///
/// ```
/// use trove_names::script::normalize;
/// assert_eq!(normalize("ＲＡＨＩＬＥ"), "RAHILE");
/// assert_eq!(normalize("ﺭﺍﻫﯩﻠﻪ"), "راھىلە");
/// ```
pub fn normalize(text: &str) -> String {
    // Positional presentation forms say which letter was meant; NFKC would lose that.
    let positional: String = text
        .chars()
        .map(|c| match c {
            '\u{FEE9}' | '\u{FEEA}' => '\u{06D5}',
            '\u{FEEB}' | '\u{FEEC}' => '\u{06BE}',
            c => c,
        })
        .collect();
    let nfkc: Vec<char> = positional.nfkc().collect();
    let mut out = String::with_capacity(nfkc.len() * 2);
    for (i, &c) in nfkc.iter().enumerate() {
        let next_is_letter = nfkc
            .get(i + 1)
            .is_some_and(|&n| char_script(n) == Some(Script::Arabic));
        out.push(match c {
            '\u{0647}' if next_is_letter => '\u{06BE}',
            '\u{0647}' | '\u{0629}' => '\u{06D5}',
            '\u{06CC}' => '\u{0649}',
            '\u{06A9}' => '\u{0643}',
            c => c,
        });
    }
    out
}
