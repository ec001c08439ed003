//! Person records: one spreadsheet row about one person, with the exact cell range it came
//! from, the row verbatim, and the fields trove normalised from it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::BlobId;
use crate::coded_enum;

/// Where a record came from: a row of a sheet part of a blob. Rows are 1-based, as a
/// spreadsheet program shows them (for a CSV file: the line, the header being line 1).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RowRef {
    /// The spreadsheet or CSV file, by content hash.
    pub blob: BlobId,
    /// The sheet part's position among the blob's parts (0-based).
    pub part: u32,
    /// The sheet's name; `None` for a CSV file.
    pub sheet: Option<String>,
    /// The row number (1-based) a spreadsheet program would show for the row.
    pub row: u32,
    /// The first column (0-based) of the table the row belongs to: 0 unless the sheet
    /// holds tables side by side, when one row of the sheet is a row of each.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub column: u32,
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

impl RowRef {
    /// `sheet 人口登记表, row 12` or `row 12` for a CSV file; a table standing beside
    /// another adds its first column (`row 12, columns from H`).
    pub fn describe(&self) -> String {
        let row = match &self.sheet {
            Some(sheet) => format!("sheet {sheet}, row {}", self.row),
            None => format!("row {}", self.row),
        };
        match self.column {
            0 => row,
            column => format!("{row}, columns from {}", column_letter(column as usize)),
        }
    }
}

/// The column letter a spreadsheet shows for a 0-based index (`A`, `Z`, `AA`).
pub fn column_letter(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

coded_enum! {
    /// Sex as recorded in a row or encoded in a resident ID number.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Sex {
        /// Male (男).
        Male => "male",
        /// Female (女).
        Female => "female",
    }
}

impl Sex {
    /// The Chinese word, as lists write it.
    pub fn chinese(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

coded_enum! {
    /// What a status value (人员类别, 状态 …) means, whatever the words a clerk used.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum StatusCategory {
        /// Held in a "vocational skills education and training centre" (camp).
        TrainingCentre => "training_centre",
        /// Held in a detention centre (看守所) or police custody.
        DetentionCentre => "detention_centre",
        /// Sentenced and in prison.
        Prison => "prison",
        /// Held, place not said.
        Detained => "detained",
        /// Released from any of the above.
        Released => "released",
        /// Not held, but watched or controlled (重点关注, 管控 …).
        UnderWatch => "under_watch",
        /// Not held and not watched.
        Normal => "normal",
    }
}

impl StatusCategory {
    /// Whether the person is held (the numerator of a detention rate).
    pub fn is_detention(self) -> bool {
        matches!(
            self,
            StatusCategory::TrainingCentre
                | StatusCategory::DetentionCentre
                | StatusCategory::Prison
                | StatusCategory::Detained
        )
    }
}

coded_enum! {
    /// What kind of list a table is: a population register lists everyone, held or not (the
    /// denominator of a detention rate); a detainee list lists only the held. Only these two
    /// enter rates, and only when positively established: a list of people singled out, or
    /// one whose kind nothing decides, enters none.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum ListKind {
        /// A population register: everyone, held or not.
        Register => "register",
        /// A list of the held only.
        Detainees => "detainees",
        /// A list of people singled out (key persons, persons of concern, people to be
        /// screened): neither everyone of a place nor only the held.
        Targeted => "targeted",
        /// Not established: nothing in the sheet decides its kind; a user classifies it.
        Other => "other",
    }
}

impl ListKind {
    /// Whether records of this kind of list count in rates (as denominator or numerator).
    pub fn enters_rates(self) -> bool {
        matches!(self, ListKind::Register | ListKind::Detainees)
    }
}

/// One cell of the row, verbatim, under the header of its column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawCell {
    /// The column's header text as written (the column letter, `C`, when the header
    /// cell is empty).
    pub header: String,
    /// The cell's text exactly as read, untrimmed.
    pub value: String,
}

/// Something wrong or odd in a row, said once per problem. Records are never dropped for
/// their flags: a reviewer decides what they mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    /// Stable code for scripts (`id_check_digit`, `birth_date_mismatch` …).
    pub code: String,
    /// What is wrong, in words, with the values involved.
    pub detail: String,
}

/// The normalised fields of a record. Every field is optional: lists differ in columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordFields {
    /// The name as written, with spaces and the separators · • ‧ ・ unified to `·`.
    pub name: Option<String>,
    /// The resident ID number in canonical form (18 characters, upper-case `X`), when the
    /// cell holds one that parses, valid check digit or not.
    pub id_number: Option<String>,
    /// Whether `id_number` passed every check (length, date, check digit).
    pub id_valid: bool,
    /// The sex the row's own sex column states; never filled in from the ID number
    /// (a disagreement is flagged instead).
    pub sex: Option<Sex>,
    /// The ethnic group's standard Chinese name (`维吾尔族`).
    pub ethnicity: Option<String>,
    /// The birth date the row's own column states, when it gives a full day; never
    /// filled in from the ID number (a disagreement is flagged instead).
    pub birth_date: Option<NaiveDate>,
    /// Age as written in the row (年龄), when there is such a column.
    pub age: Option<u32>,
    /// County (县/市) from its own column, else parsed out of `address`.
    pub county: Option<String>,
    /// Township (乡/镇) from its own column, else parsed out of `address`.
    pub township: Option<String>,
    /// Village or neighbourhood (村/社区) from its own column, else parsed out of
    /// `address`.
    pub village: Option<String>,
    /// The address cell (住址, 户籍地址 …) as written.
    pub address: Option<String>,
    /// The status value as written.
    pub status_raw: Option<String>,
    /// What `status_raw` means; `None` (and a flag) when the status table does not
    /// know the words.
    pub status: Option<StatusCategory>,
    /// Why the person is held or watched (收押原因, 主要问题 …), as written.
    pub reason: Option<String>,
    /// The day detention began (收押时间, 入所时间 …), when the row gives a full day.
    pub detained_since: Option<NaiveDate>,
    /// Where the person is held or works (所在单位, 关押地点).
    pub place: Option<String>,
    /// Telephone number as written, not normalised.
    pub phone: Option<String>,
}

/// One row of a person list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The exact row of the exact file the record was read from.
    pub source: RowRef,
    /// The kind of the table the row belongs to, decided for the whole table.
    pub list: ListKind,
    /// Every cell of the row, verbatim: the evidence the fields were read from.
    pub raw: Vec<RawCell>,
    /// What trove read from the row, normalised.
    pub fields: RecordFields,
    /// Every problem found in the row; empty when none was.
    pub flags: Vec<Flag>,
}

impl Record {
    /// Whether this row says the person is held: a detention status, or a row of a list of
    /// the detained.
    pub fn is_detention_related(&self) -> bool {
        self.list == ListKind::Detainees || self.fields.status.is_some_and(|s| s.is_detention())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_round_trip() {
        for category in StatusCategory::ALL {
            assert_eq!(StatusCategory::from_code(category.code()), Some(category));
        }
        assert_eq!(StatusCategory::from_code("nonsense"), None);
    }

    #[test]
    fn only_held_categories_count_as_detention() {
        assert!(StatusCategory::TrainingCentre.is_detention());
        assert!(StatusCategory::Prison.is_detention());
        assert!(!StatusCategory::Released.is_detention());
        assert!(!StatusCategory::UnderWatch.is_detention());
    }

    #[test]
    fn row_refs_describe_sheet_and_row() {
        let blob = BlobId::from_digest([0xab; 32]);
        let mut row = RowRef {
            blob,
            part: 0,
            sheet: Some("人口登记表".into()),
            row: 12,
            column: 0,
        };
        assert_eq!(row.describe(), "sheet 人口登记表, row 12");
        row.column = 7;
        assert_eq!(row.describe(), "sheet 人口登记表, row 12, columns from H");
        let json = serde_json::to_string(&RowRef { column: 0, ..row }).unwrap();
        assert!(!json.contains("column"), "{json}");
    }
}
