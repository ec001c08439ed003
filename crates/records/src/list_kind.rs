//! What kind of list a table is, and why. A population register lists everyone in a place,
//! held or not (the denominator of a detention rate); a detainee list lists only the held.
//! Because the kind decides who enters a rate, it must be positively established: words
//! that name the list, columns only a kind of list has, or statuses that are all detention.
//! A list of people singled out ("key persons") is a kind of its own, and a list nothing
//! decides stays `other`; neither enters any rate until a user classifies it.

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
    "刑事打击",
    "判刑",
    "detainee",
    "detained",
    "prisoner",
];

/// Words that mark a list of people singled out for attention: not everyone of a place,
/// and not only the held. Looked for before register words (`重点人口登记表` singles out).
const TARGETED_WORDS: &[&str] = &[
    "重点人员",
    "重点人口",
    "重点对象",
    "重点管控",
    "关注人员",
    "关注对象",
    "管控对象",
    "监控对象",
    "布控",
    "涉稳",
    "涉恐",
    "可疑",
    "嫌疑",
    "排查",
    "key person",
    "persons of concern",
    "watch list",
    "watchlist",
];

/// Words that mark a register of a place's whole population.
const REGISTER_WORDS: &[&str] = &[
    "人口",
    "花名册",
    "户籍",
    "常住",
    "底册",
    "register",
    "population",
    "household",
];

/// Headers only household registers have, compared after spaces are removed.
const HOUSEHOLD_COLUMNS: &[&str] = &["与户主关系", "户主关系", "户号", "户主姓名", "户主"];

/// Whether a column header is one only household registers have.
pub fn is_household_column(header: &str) -> bool {
    let compact: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = compact.to_lowercase();
    HOUSEHOLD_COLUMNS.contains(&compact.as_str())
        || lower.contains("relationtohead")
        || lower.contains("relationshiptohead")
}

/// A list's kind and the evidence it was judged by, in words for the person checking it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    /// The kind.
    pub kind: ListKind,
    /// What decided it: the word and where it was, the columns, or the statuses.
    pub evidence: String,
}

impl Classification {
    fn new(kind: ListKind, evidence: impl Into<String>) -> Self {
        Classification {
            kind,
            evidence: evidence.into(),
        }
    }
}

/// What a table offers to judge its kind by.
#[derive(Debug, Clone, Copy)]
pub struct ListClues<'a> {
    /// Title rows, sheet name and file names, in that order of trust.
    pub labels: &'a [&'a str],
    /// The statuses of the records read from its rows.
    pub statuses: StatusTally,
    /// It has columns only lists of the held have (reason, detained since, place of detention).
    pub detention_columns: bool,
    /// It has columns only household registers have (relation to the head, household number).
    pub household_columns: bool,
}

/// How many of a table's records carry a status, and how many of those are detentions:
/// all the rows tell of a table's kind, counted as they are read so that a sheet of a
/// million rows need not be held to be judged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusTally {
    /// Records with a status.
    pub seen: u64,
    /// Records whose status is a detention.
    pub held: u64,
}

impl StatusTally {
    /// Counts one record's status.
    pub fn count(&mut self, record: &Record) {
        if let Some(status) = record.fields.status {
            self.seen += 1;
            self.held += u64::from(status.is_detention());
        }
    }
}

/// The kind of a table: from words that name it; failing those, from columns only one
/// kind has; failing those, a table whose every status is a detention lists the held.
/// Anything else (statuses that mix held and free, no statuses) is not established.
pub fn classify(clues: &ListClues<'_>) -> Classification {
    if let Some(named) = named_by_labels(clues.labels) {
        return named;
    }
    if clues.household_columns {
        return Classification::new(
            ListKind::Register,
            "it has household columns (relation to the head of household, household number)",
        );
    }
    if clues.detention_columns {
        return Classification::new(
            ListKind::Detainees,
            "it has detention columns (reason, date or place of detention)",
        );
    }
    let statuses = clues.statuses;
    if statuses.seen > 0 && statuses.held == statuses.seen {
        return Classification::new(
            ListKind::Detainees,
            format!("all {} statuses are detention statuses", statuses.seen),
        );
    }
    let evidence = if statuses.seen == 0 {
        "no title, file name, column or status says what it lists"
    } else {
        "its statuses mix held and free people, but nothing says it lists a whole population"
    };
    Classification::new(ListKind::Other, evidence)
}

/// The kind the words of a table's labels name, if any: known before its rows are read.
pub fn named_by_labels(labels: &[&str]) -> Option<Classification> {
    for label in labels {
        let lower = label.to_lowercase();
        let word_kinds = [
            (DETAINEE_WORDS, ListKind::Detainees),
            (TARGETED_WORDS, ListKind::Targeted),
            (REGISTER_WORDS, ListKind::Register),
        ];
        for (words, kind) in word_kinds {
            if let Some(word) = words.iter().find(|w| lower.contains(*w)) {
                return Some(Classification::new(kind, format!("“{label}” says {word}")));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_labels(labels: &[&str]) -> ListKind {
        classify(&ListClues {
            labels,
            statuses: StatusTally::default(),
            detention_columns: false,
            household_columns: false,
        })
        .kind
    }

    #[test]
    fn words_decide_before_rows() {
        assert_eq!(by_labels(&["托克扎克镇在押人员名单"]), ListKind::Detainees);
        assert_eq!(by_labels(&["阿亚格村人口登记表"]), ListKind::Register);
        assert_eq!(by_labels(&["在押人员登记表"]), ListKind::Detainees);
        assert_eq!(by_labels(&["重点人口登记表"]), ListKind::Targeted);
        assert_eq!(
            by_labels(&["Sheet1", "涉稳重点人员排查表.xlsx"]),
            ListKind::Targeted
        );
        assert_eq!(by_labels(&["Sheet1"]), ListKind::Other);
    }

    #[test]
    fn the_evidence_names_the_word_and_where_it_was() {
        let found = classify(&ListClues {
            labels: &["Sheet1", "重点人员名单.xlsx"],
            statuses: StatusTally::default(),
            detention_columns: true,
            household_columns: false,
        });
        assert_eq!(found.kind, ListKind::Targeted);
        assert_eq!(found.evidence, "“重点人员名单.xlsx” says 重点人员");
    }

    #[test]
    fn columns_decide_when_words_do_not() {
        let clues = |detention, household| ListClues {
            labels: &["Sheet1"],
            statuses: StatusTally::default(),
            detention_columns: detention,
            household_columns: household,
        };
        assert_eq!(classify(&clues(true, false)).kind, ListKind::Detainees);
        assert_eq!(classify(&clues(false, true)).kind, ListKind::Register);
    }
}
