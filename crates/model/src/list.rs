//! Outside lists (relatives' reports of the missing, published lists of detainees) and the
//! candidate matches between their entries and the Persons of a leak.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{RawCell, Sex};

/// One entry of an outside list, with the row it came from (1-based, the header being row
/// 1; for JSON, the 1-based position in the array) and its cells verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    pub row: u32,
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    /// The year alone, when that is all the entry gives (or the year of `birth_date`).
    pub birth_year: Option<i32>,
    pub sex: Option<Sex>,
    /// A place as the entry writes it (home town, county, in any script).
    pub place: Option<String>,
    /// Further fields compared with the Person's fields of the same name (an identifier,
    /// a street address), by string similarity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<ExtraField>,
    pub raw: Vec<RawCell>,
}

/// A field beyond name, birth, sex and place, compared by string similarity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraField {
    pub field: String,
    pub value: String,
}

/// An imported list: its name in the store and the file it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListInfo {
    pub name: String,
    pub file_name: String,
    /// BLAKE3 of the imported file, as hex: entries point back to exactly this file.
    pub blake3: String,
    pub entries: u32,
}

/// How one field of an entry compared with a Person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldScore {
    /// `name`, `birth`, `sex`, `place`, or an extra field's name.
    pub field: String,
    /// In [0, 1]; `None` when either side lacks the field (it then does not count).
    pub score: Option<f64>,
    /// What was compared, in words.
    pub detail: String,
}

/// Whether a reviewer has looked at a candidate match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Review {
    Unreviewed,
    Accepted,
    Rejected,
    Unsure,
}

impl Review {
    pub fn code(self) -> &'static str {
        match self {
            Review::Unreviewed => "unreviewed",
            Review::Accepted => "accepted",
            Review::Rejected => "rejected",
            Review::Unsure => "unsure",
        }
    }

    pub fn from_code(code: &str) -> Option<Review> {
        [
            Review::Unreviewed,
            Review::Accepted,
            Review::Rejected,
            Review::Unsure,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }
}

/// A proposed match between a list entry and a Person, for review. Candidates never merge
/// anyone, and no chain of candidates makes two Persons one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchCandidate {
    pub list: String,
    pub row: u32,
    pub person: String,
    pub score: f64,
    pub fields: Vec<FieldScore>,
    pub review: Review,
}
