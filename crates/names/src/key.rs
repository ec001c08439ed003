//! Phonetic forms and blocking keys, for finding candidate matches without comparing
//! every pair of names.

use crate::phonetic::consonant_class;
use crate::structure::analyse;

/// The phonetic forms of each part of a name, in written order (titles left out).
///
/// ```
/// use trove_names::key::phonetic_form;
/// assert_eq!(phonetic_form("Rahile Dawut"), phonetic_form("Раһилә Давут"));
/// ```
pub fn phonetic_form(name: &str) -> Vec<Vec<String>> {
    analyse(name).parts.into_iter().map(|p| p.forms).collect()
}

/// The consonant skeleton of a folded form: vowels, h, w/v and y dropped, classes merged,
/// repeats collapsed. `ilham` → `rn`, `tohti` → `t`.
pub fn skeleton(folded: &str) -> String {
    let mut out = String::new();
    for class in folded.chars().filter_map(consonant_class) {
        if !out.ends_with(class) {
            out.push(class);
        }
    }
    out
}

/// Coarse keys for a name: for each part and each of its forms, the first three letters
/// of its consonant skeleton (a part with no consonant gives its form's first letter).
/// Names that may be the same person share at least one key; look candidates up by key
/// equality and [`crate::compare`] only those.
///
/// ```
/// use trove_names::key::blocking_keys;
/// let a = blocking_keys("Ilham Tohti");
/// let b = blocking_keys("ئىلھام توختى");
/// assert!(a.iter().any(|k| b.contains(k)));
/// ```
pub fn blocking_keys(name: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for part in analyse(name).parts {
        for form in &part.forms {
            let skeleton = skeleton(form);
            let key = if skeleton.is_empty() {
                format!("v:{}", &form[..1])
            } else {
                format!("c:{}", skeleton.chars().take(3).collect::<String>())
            };
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}
