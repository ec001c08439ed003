//! What kind of list a table is. A population register lists everyone in a place, held or
//! not (the denominator of a detention rate); a detainee list lists only the held.

use trove_model::{ListKind, Record};

/// Words in a title, sheet name or file name that mark a list of the held. They are looked
/// for first: `在押人员登记表` is a list of the held, whatever `登记` suggests.
const DETAINEE_WORDS: &[&str] = &[
    "在押",
    "收押",
    "关押",
    "羁押",
    "拘留",
    "学员",
    "教育转化",
    "培训",
    "收治",
    "detainee",
    "detained",
    "prisoner",
];

/// Words that mark a register of a place's whole population.
const REGISTER_WORDS: &[&str] = &[
    "人口",
    "登记",
    "花名册",
    "户籍",
    "常住",
    "底册",
    "register",
    "population",
    "household",
];

/// The kind of a table, from the words around it (title rows, sheet name, file names, in
/// that order of trust) or, failing that, from its rows: a table whose statuses include
/// people not held is a register; one with only held people, or with detention columns,
/// lists the held.
pub fn classify(labels: &[&str], records: &[Record], has_detention_columns: bool) -> ListKind {
    for label in labels {
        let lower = label.to_lowercase();
        if DETAINEE_WORDS.iter().any(|w| lower.contains(w)) {
            return ListKind::Detainees;
        }
        if REGISTER_WORDS.iter().any(|w| lower.contains(w)) {
            return ListKind::Register;
        }
    }
    let statuses: Vec<bool> = records
        .iter()
        .filter_map(|r| r.fields.status)
        .map(|s| s.is_detention())
        .collect();
    if statuses.iter().any(|held| !held) {
        ListKind::Register
    } else if !statuses.is_empty() || has_detention_columns {
        ListKind::Detainees
    } else {
        ListKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_decide_before_rows() {
        assert_eq!(
            classify(&["托克扎克镇在押人员名单"], &[], false),
            ListKind::Detainees
        );
        assert_eq!(
            classify(&["阿亚格村人口登记表"], &[], false),
            ListKind::Register
        );
        assert_eq!(
            classify(&["在押人员登记表"], &[], false),
            ListKind::Detainees
        );
        assert_eq!(
            classify(&["Sheet1", "名单.xlsx"], &[], true),
            ListKind::Detainees
        );
        assert_eq!(classify(&["Sheet1"], &[], false), ListKind::Other);
    }
}
