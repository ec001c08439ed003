//! Outside lists (relatives' reports of the missing, published lists of detainees) and the
//! candidate matches between their entries and the Persons of a leak.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::coded_enum;
use crate::{RawCell, Sex};

/// One entry of an outside list, with the row it came from (1-based, the header being row
/// 1; for JSON, the 1-based position in the array) and its cells verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// Where the entry sits in the list file: 1-based row, header included (see above).
    pub row: u32,
    /// The person's name as the list writes it (trimmed, any script); never empty, as
    /// rows without a name are not entries.
    pub name: String,
    /// The full birth date, when the entry gives day, month and year.
    pub birth_date: Option<NaiveDate>,
    /// The year alone, when that is all the entry gives (or the year of `birth_date`).
    pub birth_year: Option<i32>,
    /// The sex the entry states, when it states one that can be read.
    pub sex: Option<Sex>,
    /// A place as the entry writes it (home town, county, in any script).
    pub place: Option<String>,
    /// Further fields compared with the Person's fields of the same name (an identifier,
    /// a street address), by string similarity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<ExtraField>,
    /// Every cell of the row with its column header, untrimmed: what the list said,
    /// for a reviewer to check the fields above against.
    pub raw: Vec<RawCell>,
}

/// A field beyond name, birth, sex and place, compared by string similarity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraField {
    /// The field's name, which must be the same on both sides to be compared (`id`).
    pub field: String,
    /// The value as given; compared ignoring case and white space.
    pub value: String,
}

/// An imported list: its name in the store and the file it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListInfo {
    /// The name the list was imported under (`trove lists import --name`), its key in
    /// the store.
    pub name: String,
    /// The imported file's name, without its folder.
    pub file_name: String,
    /// BLAKE3 of the imported file, as hex: entries point back to exactly this file.
    pub blake3: String,
    /// How many entries the list holds (rows with a name).
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
    /// The same as parts, for a page to word in its reader's language (absent from
    /// candidates scored before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compared: Option<Compared>,
}

/// What a field's comparison said, as a message key and the values it names: `name`
/// (entry, matched, decision), `birth` (entry, born), `values` (entry, person), or why the
/// field was not compared (`person_no_name`, `person_no_birth`, `entry_no_birth`,
/// `one_side_silent`, `entry_no_place`, `person_no_place`, `extra_missing`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    /// The message's key.
    pub key: String,
    /// The values it names, by placeholder.
    pub values: Vec<(String, String)>,
    /// What the field added to the pair's log-odds, when it was compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

coded_enum! {
    /// Whether a reviewer has looked at a candidate match.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Review {
        /// Nobody has decided yet.
        Unreviewed => "unreviewed",
        /// The entry and the Person are the same person.
        Accepted => "accepted",
        /// They are not.
        Rejected => "rejected",
        /// A reviewer looked and could not tell.
        Unsure => "unsure",
    }
}

/// A proposed match between a list entry and a Person, for review. Candidates never merge
/// anyone, and no chain of candidates makes two Persons one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchCandidate {
    /// The [`ListInfo::name`] of the entry's list.
    pub list: String,
    /// The entry's [`ListEntry::row`] in that list.
    pub row: u32,
    /// The Person's key (a hash, never the ID number itself).
    pub person: String,
    /// Probability in [0, 1] that the entry and the Person are one person, from the
    /// learnt match model's weighing of `fields`.
    pub score: f64,
    /// How each field compared, in the order name, birth, sex, place, extra fields.
    pub fields: Vec<FieldScore>,
    /// What a reviewer decided; [`Review::Unreviewed`] when first proposed.
    pub review: Review,
}
