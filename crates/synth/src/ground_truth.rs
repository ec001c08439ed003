//! What the demo leak contains, written next to it as `ground-truth.json` so that tests of
//! every other crate can check what trove finds against what was planted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use trove_model::{FailureReason, FileKind};

/// Everything planted in one demo leak.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroundTruth {
    /// The RNG seed the leak was made from ([`SynthOptions::seed`]).
    ///
    /// [`SynthOptions::seed`]: crate::SynthOptions::seed
    pub seed: u64,
    /// The number of people asked for (and generated).
    pub people: usize,
    /// The leak's shape (older ground truths were all demos).
    #[serde(default)]
    pub shape: crate::Shape,
    /// Every file written, every archive member and every email attachment, in the order they
    /// were made.
    pub files: Vec<FileTruth>,
    /// Every generated person, in the order drawn; each has a unique ID number.
    pub persons: Vec<PersonTruth>,
    /// Spreadsheet rows that hold a person.
    pub rows: Vec<RowTruth>,
    /// Searches that must find a given file.
    pub searches: Vec<SearchTruth>,
    /// Headline detention statistics, which trove's statistics over the ingested
    /// registers must equal.
    pub figures: Figures,
    /// The entries of `relatives.csv`, beside the leak.
    #[serde(default)]
    pub relatives: Vec<RelativeTruth>,
    /// Scanned pages and their true text (none where pango-view was missing).
    #[serde(default)]
    pub scans: Vec<crate::scans::ScanTruth>,
    /// What the authenticity report must find (empty for a clean leak).
    #[serde(default)]
    pub anomalies: Vec<crate::anomalies::AnomalyTruth>,
}

/// Whether trove should manage to read a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Read and extracted in full.
    Ingested,
    /// Recorded as a failure, for the reason in [`FileTruth::failure`].
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
    /// Whether ingest should read the file or record a failure.
    pub outcome: Outcome,
    /// Why it fails, when `outcome` is `failed`.
    pub failure: Option<FailureReason>,
    /// Exact substrings of the extracted text (for spreadsheets: single cell values).
    pub texts: Vec<String>,
    /// Sheet names of a workbook, in order; empty for other kinds.
    pub sheets: Vec<String>,
    /// Pages of a PDF, slides of a presentation.
    pub pages: Option<u32>,
    /// The EXIF written into a photo; `None` for files without EXIF.
    pub exif: Option<ExifTruth>,
    /// The path of the first file with the same bytes, when this one is a copy.
    pub duplicate_of: Option<String>,
    /// BLAKE3 of the file's bytes, as hex.
    pub blake3: String,
}

/// The EXIF fields written into a photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExifTruth {
    /// Camera maker (EXIF Make), from the vocabulary's camera list.
    pub make: String,
    /// Camera model (EXIF Model).
    pub model: String,
    /// Camera body serial number (EXIF BodySerialNumber): the same for every photo of
    /// one camera.
    pub body_serial: String,
    /// `YYYY:MM:DD HH:MM:SS`, as EXIF writes it.
    pub date_time_original: String,
}

/// One synthetic person, as every file that lists them should agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonTruth {
    /// 18-character GB 11643 resident ID number (unique in the leak).
    pub id_number: String,
    /// The name in Chinese characters, as the files write it: given name · father's
    /// given name for Uyghurs and Kazakhs, surname and given name for Han.
    pub name: String,
    /// `男` or `女`.
    pub sex: String,
    /// Standard Chinese name of the ethnic group (`维吾尔族`, `哈萨克族`, `汉族`).
    pub ethnicity: String,
    /// ISO 8601.
    pub birth_date: String,
    /// The (invented) township of Shufu county the person lives in.
    pub township: String,
    /// The (invented) village within `township`.
    pub village: String,
    /// Full address as the register writes it: county, township, village, group
    /// and house number (`新疆疏附县…3组45号`).
    pub address: String,
    /// The register's status value (`教育转化培训中心`, `正常` …).
    pub status: String,
    /// Whether the status is a detention category.
    pub detained: bool,
    /// Why the person is held, as the lists' reason column writes it; `None` when not
    /// held.
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
    /// A row of a village population register.
    Register,
    /// A row of a list of the detained.
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
    /// The [`PersonTruth::id_number`] of the person in the row.
    pub id_number: String,
    /// The kind of list the row belongs to.
    pub kind: RowKind,
}

/// A query that must return `path` among its hits, with `snippet` inside the hit's snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchTruth {
    /// The query as a user would type it into trove search (a word, a quoted phrase,
    /// an ID number).
    pub query: String,
    /// The file that must be among the hits (relative to `leak/`).
    pub path: String,
    /// Exact text the hit's snippet must contain.
    pub snippet: String,
}

/// Adults listed in the registers, and how many of them are held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TownshipRate {
    /// Adults (18 or older on [`Figures::reference_date`]) of the township, all of
    /// whom the registers list.
    pub listed: u32,
    /// Those of them in a detention category.
    pub detained: u32,
}

/// Headline statistics, computed from the persons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// The date on which age is reckoned for "adult" (18 or older): `2018-06-01`.
    pub reference_date: String,
    /// Adults listed and held, by township name.
    pub detention_rate_by_township: BTreeMap<String, TownshipRate>,
    /// Adults listed in all townships together.
    pub adults_listed: u32,
    /// Adults held in all townships together.
    pub adults_detained: u32,
}

/// How an entry relates to the leak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelativeKind {
    /// A person of the leak.
    Match,
    /// Shares a given name with a person of the leak, but is someone else.
    NearMiss,
    /// Nobody in the leak.
    Unrelated,
}

/// One planted entry of the relatives' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelativeTruth {
    /// 1-based row of `relatives.csv` (the header is row 1).
    pub row: u32,
    /// The name exactly as the list writes it, in `script`.
    pub name: String,
    /// `latin`, `arabic` or `english`.
    pub script: String,
    /// Whether the entry is a person of the leak, a near miss or nobody in it.
    pub kind: RelativeKind,
    /// The ID number of the person meant, for a match.
    pub id_number: Option<String>,
}
