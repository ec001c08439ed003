//! The records stage: after extraction, every sheet part is read for person records and
//! every image for the ID numbers its name or EXIF carries; when the mapping asks
//! (`ocr_tables = true`), the tables OCR found on page images too, each record flagged. Each blob's records are
//! replaced in one transaction and the blob marked done under the current rules, so the
//! stage resumes where it stopped and redoes everything when the rules or mapping change.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use trove_records::persons::{candidate_key, person_key};
use trove_records::photos::photo_links;
use trove_records::{Mapping, RECORDS_VERSION, SheetInput, read_sheet};
use trove_store::{
    BlobRecords, PersonSheet, PhotoLinkRow, RecordCatalog, RecordSource, Store, StoredRecord,
};

use crate::{IngestError, Progress};

/// Blobs fetched from the catalog at a time.
const FETCH: usize = 256;
/// Records written per transaction: large enough to amortise the commit, small enough to
/// keep memory flat on sheets of a million rows.
const RECORDS_PER_COMMIT: usize = 50_000;

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
    store: &Store,
    mapping: &Mapping,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<RecordsReport, IngestError> {
    let started = Instant::now();
    let catalog: &dyn RecordCatalog = &store.catalog;
    let version = records_version(mapping);
    let total = catalog.pending_record_count(&version)?;
    progress.phase("reading person records from sheets and photos");

    let mut report = RecordsReport::default();
    let mut pending: Vec<BlobRecords> = Vec::new();
    let mut pending_records = 0usize;
    let mut after = None;
    'fetch: loop {
        let sources = catalog.pending_record_sources(&version, after.as_ref(), FETCH)?;
        let Some(last) = sources.last() else { break };
        after = Some(last.blob.clone());
        for source in sources {
            if stop.load(Ordering::Relaxed) {
                report.interrupted = true;
                break 'fetch;
            }
            let derived = read_source(catalog, &source, mapping)?;
            report.sources += 1;
            report.person_sheets += derived.sheets.len() as u64;
            report.records += derived.records.len() as u64;
            report.photo_links += derived.photos.len() as u64;
            pending_records += derived.records.len();
            pending.push(derived);
            progress.records_read(report.sources, total);
            if pending_records >= RECORDS_PER_COMMIT || pending.len() >= FETCH {
                catalog.replace_records(&version, &pending)?;
                pending.clear();
                pending_records = 0;
            }
        }
    }
    catalog.replace_records(&version, &pending)?;
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

/// The records and person sheets of a blob's sheets, and the photo links of an image.
fn read_source(
    catalog: &dyn RecordCatalog,
    source: &RecordSource,
    mapping: &Mapping,
) -> Result<BlobRecords, IngestError> {
    let mut records = Vec::new();
    let mut person_sheets = Vec::new();
    let mut tables = catalog.sheet_parts(&source.blob)?;
    if mapping.ocr_tables() {
        tables.extend(catalog.ocr_tables(&source.blob)?);
    }
    for part in tables {
        let sheet = read_sheet(
            &SheetInput {
                blob: &source.blob,
                part: part.part,
                sheet: part.label.as_deref(),
                text: &part.text,
                paths: &source.paths,
                hidden: &part.hidden,
                ocr_confidence: part.ocr_confidence,
            },
            mapping,
        );
        if let (Some(header_row), Some(list), false) =
            (sheet.header_row, sheet.list, sheet.records.is_empty())
        {
            person_sheets.push(PersonSheet {
                blob: source.blob.clone(),
                part: part.part,
                sheet: part.label.clone(),
                header_row,
                list,
                evidence: sheet.evidence.clone().unwrap_or_default(),
                records: sheet.records.len() as u64,
                paths: Vec::new(),
            });
        }
        records.extend(sheet.records.into_iter().map(|record| StoredRecord {
            person: person_key(&record),
            candidate_key: candidate_key(&record),
            record,
        }));
    }
    let mut links = Vec::new();
    if source.kind.is_image() {
        let texts = catalog.image_texts(&source.blob)?;
        let texts: Vec<(&str, &str)> = texts
            .iter()
            .map(|(field, text)| (field.as_str(), text.as_str()))
            .collect();
        links = photo_links(&source.paths, &texts)
            .into_iter()
            .map(|link| PhotoLinkRow {
                blob: source.blob.clone(),
                id_number: link.id_number,
                via: link.via,
            })
            .collect();
    }
    Ok(BlobRecords {
        blob: source.blob.clone(),
        records,
        photos: links,
        sheets: person_sheets,
    })
}
