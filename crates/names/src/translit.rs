//! Every script to Latin: Uyghur Arabic and Uyghur Cyrillic to Uyghur Latin (ULY)
//! through umsc, Chinese characters through [`crate::han::readings`].

use crate::han;
use crate::script::{Script, detect};
use umsc::Script as Umsc;

/// Latin readings of one name part (already normalised), most likely first. Latin is
/// returned lower-cased; Han gives every reading the han module knows; a token with no
/// letters gives none.
///
/// ```
/// use trove_names::translit::readings;
/// assert_eq!(readings("ئىلھام"), vec!["ilham"]);
/// assert_eq!(readings("Раһилә"), vec!["rahile"]);
/// ```
pub fn readings(part: &str) -> Vec<String> {
    match detect(part) {
        Script::Latin => vec![part.to_lowercase()],
        Script::Arabic => vec![arabic_to_uly(part)],
        Script::Cyrillic => vec![cyrillic_to_uly(part)],
        Script::Han => han::readings(part),
        Script::Mixed => mixed_to_latin(part),
        Script::Other => Vec::new(),
    }
}

/// Uyghur Arabic script to ULY. umsc is right on every published name we tried
/// (ئىلھام توختى → ilham toxti, راھىلە داۋۇت → rahile dawut); it keeps characters it does
/// not know, so those are dropped here rather than left in the reading.
pub fn arabic_to_uly(text: &str) -> String {
    let uly = umsc::convert(text, Umsc::Uas, Umsc::Uls).unwrap_or_default();
    uly.chars()
        .filter(|c| !matches!(detect(&c.to_string()), Script::Arabic))
        .collect()
}

/// Uyghur Cyrillic to ULY. umsc knows only the Uyghur Cyrillic alphabet plus я and ю;
/// names written by Russian or Kazakh clerks also use ё э ы ц щ ъ ь, which umsc passes
/// through unchanged, so they are spelled out here first.
pub fn cyrillic_to_uly(text: &str) -> String {
    let mut spelled = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        match c {
            'ё' => spelled.push_str("йо"),
            'э' => spelled.push('ә'),
            'ы' => spelled.push('и'),
            'ц' => spelled.push_str("тс"),
            'щ' => spelled.push('ш'),
            'ъ' | 'ь' => {}
            // Kazakh and Kyrgyz letters for the same Uyghur sounds.
            'ұ' => spelled.push('у'),
            'і' => spelled.push('и'),
            c => spelled.push(c),
        }
    }
    umsc::convert(&spelled, Umsc::Ucs, Umsc::Uls)
        .unwrap_or_default()
        .chars()
        .filter(|c| !matches!(detect(&c.to_string()), Script::Cyrillic))
        .collect()
}

/// A token mixing scripts (a typing slip such as a Latin letter inside Arabic): each
/// run of one script is read on its own; Han runs take their first reading.
fn mixed_to_latin(token: &str) -> Vec<String> {
    let mut out = String::new();
    let mut run = String::new();
    let mut run_script = Script::Other;
    let flush = |run: &mut String, script: Script, out: &mut String| {
        if !run.is_empty() {
            if let Some(r) = single_script(run, script) {
                out.push_str(&r);
            }
            run.clear();
        }
    };
    for c in token.chars() {
        let s = detect(&c.to_string());
        if s != Script::Other && s != run_script {
            flush(&mut run, run_script, &mut out);
            run_script = s;
        }
        run.push(c);
    }
    flush(&mut run, run_script, &mut out);
    if out.is_empty() {
        Vec::new()
    } else {
        vec![out]
    }
}

fn single_script(run: &str, script: Script) -> Option<String> {
    match script {
        Script::Latin => Some(run.to_lowercase()),
        Script::Arabic => Some(arabic_to_uly(run)),
        Script::Cyrillic => Some(cyrillic_to_uly(run)),
        Script::Han => han::readings(run).into_iter().next(),
        Script::Mixed | Script::Other => None,
    }
}
