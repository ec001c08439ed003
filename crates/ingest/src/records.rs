//! The records stage: after extraction, every sheet part is read for person records and
//! every image for the ID numbers its name or EXIF carries; when the mapping asks
//! (`ocr_tables = true`), the tables OCR found on page images too, each record flagged. Each blob's records are
//! replaced in one transaction (a sheet too long to hold, in pieces: see [`Piece`]) and the
//! blob marked done under the current rules, so the stage resumes where it stopped and
//! redoes everything when the rules or mapping change.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use trove_model::Record;
use trove_records::persons::{candidate_key, person_key};
use trove_records::photos::photo_links;
use trove_records::{Mapping, RECORDS_VERSION, SheetInput, read_sheet_in_chunks};
use trove_store::{
    BlobRecords, PersonSheet, PhotoLinkRow, Piece, RecordCatalog, RecordSource, StoreError,
    StoredRecord,
};

use crate::{IngestError, Progress};

/// Blobs fetched from the catalog at a time.
const FETCH: usize = 256;
/// Records written per transaction: large enough to amortise the commit, small enough to
/// keep memory flat on sheets of a million rows.
const RECORDS_PER_COMMIT: usize = 50_000;
/// Records of one sheet held before they are handed to the writer.
const RECORDS_PER_PIECE: usize = 20_000;

/// What the records stage did.
#[derive(Debug, Clone, Default)]
pub struct RecordsReport {
    /// Blobs read (sheets and images) in this run.
    pub sources: u64,
    /// Sheets that were person lists.
    pub person_sheets: u64,
    /// Records made in this run.
    pub records: u64,
    /// Photos that carry an ID number, found in this run.
    pub photo_links: u64,
    /// Same-person candidates on record after the run.
    pub candidates: u64,
    /// The stage was stopped early; running again resumes where it stopped.
    pub interrupted: bool,
    /// Wall time of the stage.
    pub elapsed: Duration,
}

impl RecordsReport {
    /// This run followed by `later` (the pass after OCR): counts added, the candidates
    /// and whether it was stopped as `later` left them.
    pub fn then(self, later: RecordsReport) -> RecordsReport {
        RecordsReport {
            sources: self.sources + later.sources,
            person_sheets: self.person_sheets + later.person_sheets,
            records: self.records + later.records,
            photo_links: self.photo_links + later.photo_links,
            candidates: later.candidates,
            interrupted: later.interrupted,
            elapsed: self.elapsed + later.elapsed,
        }
    }
}

/// The version string records are made under: the rules' version and the mapping's
/// fingerprint.
pub fn records_version(mapping: &Mapping) -> String {
    format!("{RECORDS_VERSION}:{}", mapping.fingerprint())
}

/// Makes the records of every blob that lacks them under the current rules. The caller
/// holds the store's writer lock.
pub fn build_records(
    catalog: &dyn RecordCatalog,
    mapping: &Mapping,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<RecordsReport, IngestError> {
    let started = Instant::now();
    release_freed_memory();
    let version = records_version(mapping);
    let total = catalog.pending_record_count(&version)?;
    progress.phase("reading person records from sheets and photos");

    let mut report = RecordsReport::default();
    let indexes_put_off = catalog.start_records_build(&version, total)?;
    let read = read_pending(
        catalog,
        mapping,
        &version,
        total,
        &mut report,
        progress,
        stop,
    );
    // The look-up indexes are made again even when reading failed: what was committed
    // stays, and must be found.
    if indexes_put_off {
        progress.phase("indexing person records");
    }
    let finished = catalog.finish_records_build();
    read?;
    finished?;
    // Candidates join all records with each other: redo them only when records changed,
    // so that ingesting an unchanged folder again stays cheap on a large store.
    report.candidates = if report.sources > 0 {
        catalog.refresh_candidates()?
    } else {
        catalog.candidate_count()?
    };
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Hands back to the system what extraction's threads freed. glibc keeps freed memory in
/// each thread's arena: after a thousand workbooks were read, 200 MB more stayed resident
/// through the records stage and its index builds (`trove bench records`: peak 1.1 GB,
/// 0.83 GB with this). Limiting the arenas instead halved ingest's speed.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's heaps to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Reads every pending source (`total` of them) into `report`, committing as it goes,
/// until all are read or `stop` is set.
fn read_pending(
    catalog: &dyn RecordCatalog,
    mapping: &Mapping,
    version: &str,
    total: u64,
    report: &mut RecordsReport,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<(), IngestError> {
    let mut writer = Writer::new(catalog, version);
    let mut after = None;
    'fetch: loop {
        let sources = catalog.pending_record_sources(version, after.as_ref(), FETCH)?;
        let Some(last) = sources.last() else { break };
        after = Some(last.blob.clone());
        for source in sources {
            if stop.load(Ordering::Relaxed) {
                report.interrupted = true;
                break 'fetch;
            }
            let read = read_source(catalog, &source, mapping, &mut writer)?;
            report.sources += 1;
            report.person_sheets += read.person_sheets;
            report.records += read.records;
            report.photo_links += read.photo_links;
            progress.records_read(report.sources, total);
        }
    }
    writer.commit()?;
    Ok(())
}

/// Gathers blobs' records into transactions of about [`RECORDS_PER_COMMIT`] records.
struct Writer<'a> {
    catalog: &'a dyn RecordCatalog,
    version: &'a str,
    pending: Vec<BlobRecords>,
    pending_records: usize,
}

impl<'a> Writer<'a> {
    fn new(catalog: &'a dyn RecordCatalog, version: &'a str) -> Self {
        Writer {
            catalog,
            version,
            pending: Vec::new(),
            pending_records: 0,
        }
    }

    fn push(&mut self, piece: BlobRecords) -> Result<(), StoreError> {
        self.pending_records += piece.records.len();
        self.pending.push(piece);
        if self.pending_records >= RECORDS_PER_COMMIT || self.pending.len() >= FETCH {
            self.commit()?;
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        self.catalog.replace_records(self.version, &self.pending)?;
        self.pending.clear();
        self.pending_records = 0;
        Ok(())
    }
}

/// What reading one blob found.
struct SourceRead {
    person_sheets: u64,
    records: u64,
    photo_links: u64,
}

/// Reads the records and person sheets of a blob's sheets, and the photo links of an
/// image, and hands them to `writer`: whole, or in pieces when its sheets are long.
fn read_source(
    catalog: &dyn RecordCatalog,
    source: &RecordSource,
    mapping: &Mapping,
    writer: &mut Writer<'_>,
) -> Result<SourceRead, IngestError> {
    let blob = &source.blob;
    let mut records: Vec<StoredRecord> = Vec::new();
    let mut pieces_written = 0usize;
    let mut person_sheets = Vec::new();
    let mut relabel = Vec::new();
    let mut count = 0u64;
    let mut tables = catalog.sheet_parts(blob)?;
    if mapping.ocr_tables() {
        tables.extend(catalog.ocr_tables(blob)?);
    }
    for part in tables {
        let input = SheetInput {
            blob,
            part: part.part,
            sheet: part.label.as_deref(),
            text: &part.text,
            paths: &source.paths,
            hidden: &part.hidden,
            ocr_confidence: part.ocr_confidence,
        };
        let sheet = read_sheet_in_chunks(&input, mapping, RECORDS_PER_PIECE, |chunk| {
            records.extend(chunk.into_iter().map(stored));
            if records.len() < RECORDS_PER_PIECE {
                return Ok(());
            }
            let piece = if pieces_written == 0 {
                Piece::First
            } else {
                Piece::Middle
            };
            pieces_written += 1;
            writer.push(BlobRecords {
                blob: blob.clone(),
                piece,
                records: std::mem::take(&mut records),
                photos: Vec::new(),
                sheets: Vec::new(),
                relabel: Vec::new(),
                read_as: None,
            })
        })?;
        let (Some(header_row), Some(list), true) =
            (sheet.header_row, sheet.list, sheet.records > 0)
        else {
            continue;
        };
        count += sheet.records;
        if sheet.provisional {
            relabel.push((part.part, list));
        }
        person_sheets.push(PersonSheet {
            blob: blob.clone(),
            part: part.part,
            sheet: part.label.clone(),
            header_row,
            list,
            evidence: sheet.evidence.unwrap_or_default(),
            records: sheet.records,
            paths: Vec::new(),
        });
    }
    let mut links = Vec::new();
    if source.kind.is_image() {
        let texts = catalog.image_texts(blob)?;
        let texts: Vec<(&str, &str)> = texts
            .iter()
            .map(|(field, text)| (field.as_str(), text.as_str()))
            .collect();
        links = photo_links(&source.paths, &texts)
            .into_iter()
            .map(|link| PhotoLinkRow {
                blob: blob.clone(),
                id_number: link.id_number,
                via: link.via,
            })
            .collect();
    }
    let read = SourceRead {
        person_sheets: person_sheets.len() as u64,
        records: count,
        photo_links: links.len() as u64,
    };
    writer.push(BlobRecords {
        blob: blob.clone(),
        piece: if pieces_written == 0 {
            Piece::Whole
        } else {
            Piece::Last
        },
        records,
        photos: links,
        sheets: person_sheets,
        relabel,
        read_as: source.row_version.clone(),
    })?;
    Ok(read)
}

fn stored(record: Record) -> StoredRecord {
    StoredRecord {
        person: person_key(&record),
        candidate_key: candidate_key(&record),
        record,
    }
}
