//! The records stage: after extraction, every sheet part is read for person records and
//! every image for the ID numbers its name or EXIF carries; when the mapping asks
//! (`ocr_tables = true`), the tables OCR found on page images too, each record flagged. Each blob's records are
//! replaced in one transaction (a sheet too long to hold, in pieces: see [`Piece`]) and the
//! blob marked done under the current rules, so the stage resumes where it stopped and
//! redoes everything when the rules or mapping change.

mod read;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread;
use std::time::{Duration, Instant};

use trove_records::{Mapping, RECORDS_VERSION};
use trove_store::{BlobRecords, RecordCatalog, RecordSource, StoreError};

use crate::{IngestError, Progress};
use read::{SourceInput, SourceRead, read_source};

/// Blobs fetched from the catalog at a time.
const FETCH: usize = 256;
/// Records written per transaction: enough to amortise the commit, few enough that the
/// writer starts on a piece while the reading thread reads the next (with 50,000 it
/// waited for whole batches: a million records took 25 s, 22 s now), and memory stays
/// flat.
const RECORDS_PER_COMMIT: usize = 10_000;

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
    let run = Run {
        catalog,
        mapping,
        version: &version,
        total,
        progress,
        stop,
    };
    let read = read_pending(&run, &mut report);
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

/// What one run of the stage works from, for the functions that share its loop.
struct Run<'a> {
    catalog: &'a dyn RecordCatalog,
    mapping: &'a Mapping,
    version: &'a str,
    /// Sources pending when the run began.
    total: u64,
    progress: &'a dyn Progress,
    stop: &'a AtomicBool,
}

/// What the reading thread sends back: a piece of a source's records, or the end of the
/// source with what was found in it. Sources and pieces come in the order they were sent.
enum Read {
    Piece(BlobRecords),
    Done(SourceRead),
}

/// Reads every pending source into `report`, committing as it goes, until all are read or
/// `stop` is set. Two threads share the work: this one holds the catalog, fetching each
/// source and writing the records read from the one before, while the other reads the
/// sheets into records (parsing, normalising, each record's JSON and search text: a third
/// of the work on a million records).
fn read_pending(run: &Run<'_>, report: &mut RecordsReport) -> Result<(), IngestError> {
    let mut writer = Writer::new(run.catalog, run.version);
    let fed = thread::scope(|scope| {
        let (to_read, inputs) = mpsc::sync_channel::<SourceInput>(1);
        let (read_out, read) = mpsc::sync_channel::<Result<Read, IngestError>>(1);
        let mapping = run.mapping;
        scope.spawn(move || read_sources(&inputs, mapping, &read_out));
        // Both ends held here close as this returns, which ends the reading thread.
        feed_and_write(run, &to_read, &read, &mut writer, report)
    });
    fed?;
    writer.commit()?;
    Ok(())
}

/// Fetches each pending source for the reading thread, keeping it one source ahead, and
/// writes what it read.
fn feed_and_write(
    run: &Run<'_>,
    to_read: &SyncSender<SourceInput>,
    read: &Receiver<Result<Read, IngestError>>,
    writer: &mut Writer<'_>,
    report: &mut RecordsReport,
) -> Result<(), IngestError> {
    let mut being_read = 0usize;
    let mut after = None;
    'fetch: loop {
        let sources = run
            .catalog
            .pending_record_sources(run.version, after.as_ref(), FETCH)?;
        let Some(last) = sources.last() else { break };
        after = Some(last.blob.clone());
        for source in sources {
            if run.stop.load(Ordering::Relaxed) {
                report.interrupted = true;
                break 'fetch;
            }
            let input = fetch_input(run, source)?;
            if to_read.send(input).is_err() {
                return Err(why_reading_stopped(read));
            }
            being_read += 1;
            if being_read > 1 {
                write_source(run, read, writer, report)?;
                being_read -= 1;
            }
        }
    }
    for _ in 0..being_read {
        write_source(run, read, writer, report)?;
    }
    Ok(())
}

/// What the reading thread needs of a source, from the catalog.
fn fetch_input(run: &Run<'_>, source: RecordSource) -> Result<SourceInput, StoreError> {
    let mut tables = run.catalog.sheet_parts(&source.blob)?;
    if run.mapping.ocr_tables() {
        tables.extend(run.catalog.ocr_tables(&source.blob)?);
    }
    let image_texts = if source.kind.is_image() {
        Some(run.catalog.image_texts(&source.blob)?)
    } else {
        None
    };
    Ok(SourceInput {
        source,
        tables,
        image_texts,
    })
}

/// Writes the pieces of the oldest source being read, up to its end.
fn write_source(
    run: &Run<'_>,
    read: &Receiver<Result<Read, IngestError>>,
    writer: &mut Writer<'_>,
    report: &mut RecordsReport,
) -> Result<(), IngestError> {
    loop {
        match read.recv() {
            Ok(Ok(Read::Piece(piece))) => writer.push(piece)?,
            Ok(Ok(Read::Done(found))) => {
                report.sources += 1;
                report.person_sheets += found.person_sheets;
                report.records += found.records;
                report.photo_links += found.photo_links;
                run.progress.records_read(report.sources, run.total);
                return Ok(());
            }
            Ok(Err(error)) => return Err(error),
            Err(_) => return Err(reader_gone()),
        }
    }
}

/// The reading thread's error, once it stopped taking sources.
fn why_reading_stopped(read: &Receiver<Result<Read, IngestError>>) -> IngestError {
    read.iter()
        .find_map(Result::err)
        .unwrap_or_else(reader_gone)
}

fn reader_gone() -> IngestError {
    IngestError::Thread("the thread reading sheets into person records".to_owned())
}

/// The reading thread: reads each source it is sent, in order, until the writing side
/// closes the channel or hangs up, or a source fails.
fn read_sources(
    inputs: &Receiver<SourceInput>,
    mapping: &Mapping,
    out: &SyncSender<Result<Read, IngestError>>,
) {
    for input in inputs {
        let mut emit = |piece| {
            out.send(Ok(Read::Piece(piece)))
                .map_err(|_| IngestError::Thread("the records writer hung up".to_owned()))
        };
        let outcome = read_source(&input, mapping, &mut emit).map(Read::Done);
        let failed = outcome.is_err();
        if out.send(outcome).is_err() || failed {
            return;
        }
    }
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
