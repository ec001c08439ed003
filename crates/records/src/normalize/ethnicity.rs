//! Ethnic groups: the 56 official names of GB 3304-91, their short forms (维, 哈) and
//! English names, all reduced to the standard Chinese name (`维吾尔族`).

use std::collections::HashMap;
use std::sync::LazyLock;

/// Every known spelling, lower-cased, to the standard name.
static NAMES: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    let mut names = HashMap::new();
    for cols in crate::table_lines(include_str!("../../data/ethnicities.tsv")) {
        let (Some(standard), others) = (cols.get(1), cols.get(2)) else {
            continue;
        };
        names.insert((*standard).to_owned(), *standard);
        for other in others.iter().flat_map(|o| o.split(',')) {
            names.insert(other.trim().to_lowercase(), *standard);
        }
    }
    names
});

/// The standard name of the group a cell names, or `None` when it names none we know.
pub fn standard_ethnicity(raw: &str) -> Option<&'static str> {
    let key: String = raw.trim().to_lowercase();
    NAMES.get(&key).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_and_english_names_reach_the_standard_name() {
        assert_eq!(standard_ethnicity("维吾尔族"), Some("维吾尔族"));
        assert_eq!(standard_ethnicity("维"), Some("维吾尔族"));
        assert_eq!(standard_ethnicity("Uighur"), Some("维吾尔族"));
        assert_eq!(standard_ethnicity(" Kazakh "), Some("哈萨克族"));
        assert_eq!(standard_ethnicity("汉"), Some("汉族"));
        assert_eq!(standard_ethnicity("火星人"), None);
    }

    #[test]
    fn all_56_groups_are_known() {
        let standards: std::collections::HashSet<_> = NAMES.values().collect();
        assert_eq!(standards.len(), 56);
    }
}
