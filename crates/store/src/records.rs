//! The records facet of the catalog: person records derived from sheet parts, photo links,
//! and same-person candidates. A trait of its own, beside [`crate::Catalog`], so that
//! callers that only ingest never see it.

use trove_model::{BlobId, FileKind, Hidden, ListKind, Record, RowRef};

use crate::StoreError;
use crate::record_text::search_text;

/// A blob whose records or photo links are not yet made under the current rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordSource {
    /// The blob with sheet parts or image facts.
    pub blob: BlobId,
    /// Its detected type: a spreadsheet or an image.
    pub kind: FileKind,
    /// Every logical path the blob was seen at.
    pub paths: Vec<String>,
    /// The blob's generation when it was listed, in a shared catalog (where workers write
    /// while the records stage reads: a new extraction, path or OCR'd pages moves it);
    /// `None` where one process writes.
    pub row_version: Option<String>,
}

/// A sheet part's text, with its position among the blob's parts.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetPart {
    /// The part's sequence number among the blob's parts (as `parts.seq` stores it).
    pub part: u32,
    /// Its number among the parts of its kind (1-based): the sheet's place in its workbook,
    /// or the page OCR read.
    pub index: u32,
    /// The sheet's name, when the file gives one.
    pub label: Option<String>,
    /// The sheet as extracted: one line per row, cells separated by tabs.
    pub text: String,
    /// What the workbook hides of the sheet.
    pub hidden: Hidden,
    /// For a table read by OCR from a page image, the page's mean word confidence (0–100).
    pub ocr_confidence: Option<f32>,
}

/// A record with what the catalog indexes it by.
#[derive(Debug, Clone)]
pub struct StoredRecord {
    /// The record with its source row.
    pub record: Record,
    /// The person key: a hash of the valid ID number, or of the row when there is none.
    pub person: String,
    /// Normalised name and birth date, for proposing same-person candidates.
    pub candidate_key: Option<String>,
}

/// A record made ready to write: with the texts a catalog keeps beside it, its search
/// text and its JSON, made once here so that a records build makes them on the thread
/// that reads sheets while another writes (a third of the work on a record).
#[derive(Debug, Clone)]
pub struct RecordToWrite {
    /// The record and its keys; not to be changed once the texts are made from it.
    pub(crate) stored: StoredRecord,
    /// What `trove records WORDS` searches.
    pub(crate) search: String,
    /// The JSON that restores the record.
    pub(crate) data: String,
}

impl RecordToWrite {
    /// Makes the record's texts.
    pub fn new(stored: StoredRecord) -> Result<RecordToWrite, StoreError> {
        let data = serde_json::to_string(&stored.record)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(RecordToWrite {
            search: search_text(&stored.record),
            data,
            stored,
        })
    }
}

/// A photo linked to an ID number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoLinkRow {
    /// The photo.
    pub blob: BlobId,
    /// The resident ID number it carries.
    pub id_number: String,
    /// Where the number was read: `file name` or an EXIF field.
    pub via: String,
}

/// A sheet read as a person list: its kind and the evidence for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonSheet {
    /// The workbook (or CSV file).
    pub blob: BlobId,
    /// The sheet part's sequence number among the blob's parts.
    pub part: u32,
    /// The sheet's name, when the file gives one.
    pub sheet: Option<String>,
    /// 1-based row of the header.
    pub header_row: u32,
    /// The kind of list it was judged (or mapped) to be.
    pub list: ListKind,
    /// What decided the kind, in words.
    pub evidence: String,
    /// Records read from it.
    pub records: u64,
    /// Every path the blob was seen at (filled when read back; ignored when written).
    pub paths: Vec<String>,
}

/// Everything derived from one blob, or a piece of it: its records and its photo links.
#[derive(Debug, Clone)]
pub struct BlobRecords {
    /// The blob they come from.
    pub blob: BlobId,
    /// Which piece of the blob's records this is.
    pub piece: Piece,
    /// One per data row of its sheets.
    pub records: Vec<RecordToWrite>,
    /// ID numbers found on it, if it is a photo.
    pub photos: Vec<PhotoLinkRow>,
    /// Its sheets that are person lists (in the last piece).
    pub sheets: Vec<PersonSheet>,
    /// Sheet parts whose records in earlier pieces were written before their list's kind
    /// was known, with the kind to set on them (in the last piece).
    pub relabel: Vec<(u32, ListKind)>,
    /// In the last piece, the [`RecordSource::row_version`] the records were read under:
    /// a shared catalog marks the blob done only if it is still that version (a worker
    /// that extracted it again meanwhile leaves it to be read again).
    pub read_as: Option<String>,
}

/// A blob's records are written whole, or, for sheets too long to hold, in pieces over
/// several transactions. The first piece clears what the blob had; only the last marks the
/// blob done, so a run stopped between pieces reads the blob again from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// All of the blob's records.
    Whole,
    /// The first of several.
    First,
    /// Neither first nor last.
    Middle,
    /// The last of several.
    Last,
}

impl Piece {
    /// Whether the blob's earlier records, links and sheets are deleted before this piece.
    pub fn clears(self) -> bool {
        matches!(self, Piece::Whole | Piece::First)
    }

    /// Whether the blob is done under the current rules once this piece is written.
    pub fn completes(self) -> bool {
        matches!(self, Piece::Whole | Piece::Last)
    }
}

/// Receives one person's key and records at a time.
pub type PersonVisitor<'a> = dyn FnMut(&str, Vec<Record>) -> Result<(), StoreError> + 'a;

/// Which records to list. Every given condition must hold.
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    /// Words that must all appear in the record's text (any cell, any field).
    pub words: Vec<String>,
    /// A person key.
    pub person: Option<String>,
    /// A resident ID number, exactly as stored.
    pub id_number: Option<String>,
    /// The kind of sheet: `register`, `detainees` or `other`.
    pub list: Option<String>,
    /// A status category code (`training_centre`).
    pub status: Option<String>,
    /// Township as normalised.
    pub township: Option<String>,
    /// Village as normalised.
    pub village: Option<String>,
    /// A sex code.
    pub sex: Option<String>,
    /// A flag code the record must carry.
    pub flag: Option<String>,
    /// Whether the ID number is well formed: no fatal problem such as a wrong check digit.
    pub id_valid: Option<bool>,
    /// Only records from this blob.
    pub blob: Option<BlobId>,
    /// Only records of persons an editor tagged so.
    pub tag: Option<String>,
    /// The order the records come in (not a condition).
    pub order: RecordOrder,
}

/// The orders a records list can be sorted in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RecordOrder {
    /// As the sources hold them: by file, sheet and row.
    #[default]
    Source,
    /// By a column, ascending or descending, then by source.
    By(RecordColumn, Direction),
}

/// A column a records list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordColumn {
    /// The name as written.
    Name,
    /// The ID number.
    IdNumber,
    /// The birth date.
    BirthDate,
    /// The township, as normalised.
    Township,
    /// The status category.
    Status,
}

impl RecordColumn {
    /// Every column, with the code links use.
    pub const ALL: [(RecordColumn, &'static str); 5] = [
        (RecordColumn::Name, "name"),
        (RecordColumn::IdNumber, "id"),
        (RecordColumn::BirthDate, "born"),
        (RecordColumn::Township, "township"),
        (RecordColumn::Status, "status"),
    ];

    /// The column of `code` (`name`, `id`, `born`, `township`, `status`).
    pub fn from_code(code: &str) -> Option<RecordColumn> {
        Self::ALL
            .iter()
            .find(|(_, c)| *c == code)
            .map(|(column, _)| *column)
    }
}

/// Which way a sort runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Smallest first.
    Ascending,
    /// Largest first.
    Descending,
}

/// How many records a filter matches, and how they spread over the fields a records list
/// narrows by: (value, records), most records first, at most [`MAX_FACET_VALUES`] each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordFacets {
    /// Records matched.
    pub total: u64,
    /// By township.
    pub township: Vec<(String, u64)>,
    /// By village.
    pub village: Vec<(String, u64)>,
    /// By status category.
    pub status: Vec<(String, u64)>,
    /// By list kind.
    pub list: Vec<(String, u64)>,
    /// By flag (a record with several counts under each).
    pub flag: Vec<(String, u64)>,
}

/// Values listed per facet.
pub const MAX_FACET_VALUES: usize = 12;

/// Another person proposed as the same as this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The other person's key.
    pub person: String,
    /// Why they are proposed (`same name and birth date`).
    pub reason: String,
}

/// Counts for `trove status` and the records stage's report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordSummary {
    /// Records, one per data row.
    pub records: u64,
    /// Distinct person keys.
    pub persons: u64,
    /// Persons known by a valid ID number.
    pub persons_with_valid_id: u64,
    /// Records carrying at least one flag.
    pub flagged_records: u64,
    /// Photos linked to an ID number.
    pub linked_photos: u64,
    /// Persons with at least one linked photo.
    pub persons_with_photo: u64,
    /// Same-person candidate pairs.
    pub candidates: u64,
}

/// Where the records of a catalog stand: it changes whenever they may have changed,
/// written through this handle or committed by another process (an ingest, `trove
/// records --build`). Figures computed from the records under one revision stay true
/// while it holds, so they can be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordsRevision {
    /// Moves when another connection commits (SQLite's `data_version`).
    pub elsewhere: i64,
    /// Record writes through this handle.
    pub here: u64,
}

/// A record's place in its sheet, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRecord {
    /// 1-based sheet row.
    pub row: u32,
    /// First column of the record's table (0 unless tables stand side by side).
    pub column: u32,
    /// The Person the record belongs to.
    pub person: String,
    /// The name the row gives, if any.
    pub name: Option<String>,
}

/// The records facet of a catalog.
pub trait RecordCatalog: Send + Sync {
    /// Up to `limit` blobs with sheet parts or image facts whose records were not made under
    /// `version`, in id order after `after`.
    fn pending_record_sources(
        &self,
        version: &str,
        after: Option<&BlobId>,
        limit: usize,
    ) -> Result<Vec<RecordSource>, StoreError>;

    /// How many blobs [`RecordCatalog::pending_record_sources`] would return in all.
    fn pending_record_count(&self, version: &str) -> Result<u64, StoreError>;

    /// Every photo that carries an ID number, in blob order.
    fn photo_links(&self) -> Result<Vec<PhotoLinkRow>, StoreError>;

    /// Every logical path a blob was seen at, sorted.
    fn blob_paths(&self, blob: &BlobId) -> Result<Vec<String>, StoreError>;

    /// The sheet parts of a blob, in order.
    fn sheet_parts(&self, blob: &BlobId) -> Result<Vec<SheetPart>, StoreError>;

    /// The records read from rows `first..=last` of part `part` of a blob (a window of a
    /// sheet as the document page shows it), by row then first column: an indexed range,
    /// however long the sheet.
    fn records_in_rows(
        &self,
        blob: &BlobId,
        part: u32,
        first: u32,
        last: u32,
    ) -> Result<Vec<RowRecord>, StoreError>;

    /// The header row (1-based) the records stage found on part `part` of a blob, when it
    /// read that sheet as a person list.
    fn header_row(&self, blob: &BlobId, part: u32) -> Result<Option<u32>, StoreError>;

    /// The pages of a blob that OCR read words on, laid out as tables (a row of the page
    /// per line, a tab between cells), as sheet parts: `part` is the OCR part's sequence
    /// number and `label` names the page.
    fn ocr_tables(&self, blob: &BlobId) -> Result<Vec<SheetPart>, StoreError>;

    /// The EXIF texts of an image blob, as (field, text).
    fn image_texts(&self, blob: &BlobId) -> Result<Vec<(String, String)>, StoreError>;

    /// Writes the records and photo links of each blob (or piece of one, see [`Piece`]) and
    /// marks each completed blob done under `version`, in one transaction.
    fn replace_records(&self, version: &str, batch: &[BlobRecords]) -> Result<(), StoreError>;

    /// The records stage is about to write the records of `pending` sources under
    /// `version`. When the records it keeps (those of sources already done under
    /// `version`) are few (a first ingest, every sheet read again under new rules, a
    /// small store), a backend may stop keeping its look-up indexes of records row by row
    /// and build them afresh, by sorting, in [`RecordCatalog::finish_records_build`]:
    /// several times cheaper than a million scattered index updates. Look-ups still
    /// answer meanwhile, only more slowly. Otherwise it makes sure those indexes exist (a
    /// stage killed before it finished left them out). Returns whether it put them off.
    fn start_records_build(&self, _version: &str, _pending: u64) -> Result<bool, StoreError> {
        Ok(false)
    }

    /// Builds whatever look-up indexes [`RecordCatalog::start_records_build`] put off;
    /// does nothing when none were.
    fn finish_records_build(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Where the records stand now (see [`RecordsRevision`]).
    fn records_revision(&self) -> Result<RecordsRevision, StoreError>;

    /// Recomputes same-person candidates from the records; returns how many there are.
    fn refresh_candidates(&self) -> Result<u64, StoreError>;

    /// How many same-person candidates are on record.
    fn candidate_count(&self) -> Result<u64, StoreError>;

    /// The first path (in sort order) of every blob that has records.
    fn record_blob_paths(&self) -> Result<Vec<(BlobId, String)>, StoreError>;

    /// The record at `source` (blob, part, row and first column), through the key's index.
    fn record_at(&self, source: &RowRef) -> Result<Option<StoredRecord>, StoreError>;

    /// Calls `visit` for every record the filter admits, in (blob, part, row) order, after
    /// skipping `offset`, at most `limit` (all when `None`). The catalog is busy while
    /// `visit` runs: `visit` must not call back into it.
    fn for_each_record(
        &self,
        filter: &RecordFilter,
        offset: u64,
        limit: Option<u64>,
        visit: &mut dyn FnMut(StoredRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Calls `visit` with every person's records, one person at a time (`visit` must not
    /// call back into the catalog).
    fn for_each_person(&self, visit: &mut PersonVisitor<'_>) -> Result<(), StoreError>;

    /// Like [`RecordCatalog::for_each_person`], with records that hold only what
    /// statistics read: the list kind, ID number and its validity, sex, ethnicity, birth
    /// date, township, village, status and detention date (no cells, flags, name or
    /// source row). Read from the table's columns rather than each record's stored
    /// whole, so a million records take seconds.
    fn for_each_person_for_statistics(
        &self,
        visit: &mut PersonVisitor<'_>,
    ) -> Result<(), StoreError>;

    /// A person key from a key, a key prefix, or a resident ID number.
    fn resolve_person(&self, query: &str) -> Result<Option<String>, StoreError>;

    /// Photos linked to a person (through their valid ID number).
    fn person_photos(&self, person: &str) -> Result<Vec<PhotoLinkRow>, StoreError>;

    /// The photos linked to each of `persons` (through their valid ID numbers) that have a
    /// thumbnail, as (person, photo), by person then photo: one indexed look-up for a page
    /// of records, however many persons it names.
    fn thumbnailed_photos_of(
        &self,
        persons: &[&str],
    ) -> Result<Vec<(String, PhotoLinkRow)>, StoreError>;

    /// Persons proposed as the same as this one.
    fn person_candidates(&self, person: &str) -> Result<Vec<Candidate>, StoreError>;

    /// Counts for `trove status` and the records stage's report.
    fn record_summary(&self) -> Result<RecordSummary, StoreError>;

    /// Every sheet read as a person list, with its kind, evidence and paths; those whose
    /// kind enters no rate first.
    fn person_sheets(&self) -> Result<Vec<PersonSheet>, StoreError>;

    /// How many records `filter` matches and how they spread over township, village,
    /// status, list kind and flags (one pass over the matching records).
    fn record_facets(&self, filter: &RecordFilter) -> Result<RecordFacets, StoreError>;
}

/// A facet's values, most records first (then by value), at most [`MAX_FACET_VALUES`].
pub(crate) fn top_values(counts: std::collections::HashMap<String, u64>) -> Vec<(String, u64)> {
    let mut values: Vec<(String, u64)> = counts.into_iter().collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    values.truncate(MAX_FACET_VALUES);
    values
}

/// The texts of an image's metadata (stored JSON) that may carry an ID number: what
/// [`RecordCatalog::image_texts`] gives, on both backends.
pub(crate) fn exif_texts(metadata: &str) -> Result<Vec<(String, String)>, StoreError> {
    let metadata: trove_model::Metadata =
        serde_json::from_str(metadata).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let Some(image) = metadata.image else {
        return Ok(Vec::new());
    };
    let exif = image.exif;
    Ok([
        ("EXIF description", exif.description),
        ("EXIF body serial", exif.body_serial),
        ("EXIF software", exif.software),
    ]
    .into_iter()
    .filter_map(|(field, text)| Some((field.to_owned(), text?)))
    .collect())
}

impl RecordOrder {
    /// The records column and SQL direction of an order by a column (`None`: source
    /// order), for both backends' ORDER BY.
    pub(crate) fn column_sql(self) -> Option<(&'static str, &'static str)> {
        let RecordOrder::By(column, direction) = self else {
            return None;
        };
        let column = match column {
            RecordColumn::Name => "name",
            RecordColumn::IdNumber => "id_number",
            RecordColumn::BirthDate => "birth_date",
            RecordColumn::Township => "township",
            RecordColumn::Status => "status",
        };
        let direction = match direction {
            Direction::Ascending => "ASC",
            Direction::Descending => "DESC",
        };
        Some((column, direction))
    }
}
