//! What the demo leak contains, written next to it as `ground-truth.json` so that tests of
//! every other crate can check what trove finds against what was planted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use trove_model::{FailureReason, FileKind};

/// Everything planted in one demo leak.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroundTruth {
    pub seed: u64,
    /// The number of people asked for (and generated).
    pub people: usize,
    /// Every file written, every archive member and every email attachment, in the order they
    /// were made.
    pub files: Vec<FileTruth>,
    pub persons: Vec<PersonTruth>,
    /// Spreadsheet rows that hold a person.
    pub rows: Vec<RowTruth>,
    /// Searches that must find a given file.
    pub searches: Vec<SearchTruth>,
    pub figures: Figures,
    /// The entries of `relatives.csv`, beside the leak.
    #[serde(default)]
    pub relatives: Vec<crate::RelativeTruth>,
}

/// Whether trove should manage to read a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Ingested,
    Failed,
}

/// One file of the leak (or a member of an archive or email in it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileTruth {
    /// Relative to `leak/`, with `/` separators; members of archives and emails are
    /// `outer!/inner` (see [`trove_model::MEMBER_SEPARATOR`]).
    pub path: String,
    /// The kind of the true content (a PDF named `.jpg` is `pdf`).
    pub kind: FileKind,
    pub outcome: Outcome,
    /// Why it fails, when `outcome` is `failed`.
    pub failure: Option<FailureReason>,
    /// Exact substrings of the extracted text (for spreadsheets: single cell values).
    pub texts: Vec<String>,
    /// Sheet names of a workbook, in order; empty for other kinds.
    pub sheets: Vec<String>,
    /// Pages of a PDF, slides of a presentation.
    pub pages: Option<u32>,
    pub exif: Option<ExifTruth>,
    /// The path of the first file with the same bytes, when this one is a copy.
    pub duplicate_of: Option<String>,
    /// BLAKE3 of the file's bytes, as hex.
    pub blake3: String,
}

/// The EXIF fields written into a photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExifTruth {
    pub make: String,
    pub model: String,
    pub body_serial: String,
    /// `YYYY:MM:DD HH:MM:SS`, as EXIF writes it.
    pub date_time_original: String,
}

/// One synthetic person, as every file that lists them should agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonTruth {
    /// 18-character GB 11643 resident ID number (unique in the leak).
    pub id_number: String,
    pub name: String,
    /// `男` or `女`.
    pub sex: String,
    pub ethnicity: String,
    /// ISO 8601.
    pub birth_date: String,
    pub township: String,
    pub village: String,
    pub address: String,
    /// The register's status value (`教育转化培训中心`, `正常` …).
    pub status: String,
    /// Whether the status is a detention category.
    pub detained: bool,
    pub reason: Option<String>,
    /// ISO 8601 date of detention.
    pub detained_since: Option<String>,
    /// ISO 8601 date the mugshot was taken.
    pub capture_date: Option<String>,
    /// Path of the mugshot (relative to `leak/`).
    pub photo: Option<String>,
}

/// What a spreadsheet is: a village register (everyone) or a list of the detained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    Register,
    Detainees,
}

/// A spreadsheet row that holds one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowTruth {
    /// Path of the workbook or CSV file (relative to `leak/`).
    pub file: String,
    /// Sheet name; `None` for CSV.
    pub sheet: Option<String>,
    /// 1-based row of the sheet (for CSV: 1-based line, the header being line 1).
    pub row: u32,
    pub id_number: String,
    pub kind: RowKind,
}

/// A query that must return `path` among its hits, with `snippet` inside the hit's snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchTruth {
    pub query: String,
    pub path: String,
    pub snippet: String,
}

/// Adults listed in the registers, and how many of them are held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TownshipRate {
    pub listed: u32,
    pub detained: u32,
}

/// Headline statistics, computed from the persons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// The date on which age is reckoned for "adult" (18 or older): `2018-06-01`.
    pub reference_date: String,
    pub detention_rate_by_township: BTreeMap<String, TownshipRate>,
    pub adults_listed: u32,
    pub adults_detained: u32,
}
