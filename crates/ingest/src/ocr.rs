//! The OCR stage: after the rest of an ingest is committed and searchable, the PDF pages
//! without a usable text layer and the images that read as pages of text are read by
//! Tesseract, page by page on every worker, and their text added to the catalog and the
//! index batch by batch. A document is marked done only with all its pages, so an
//! interrupted stage resumes where it stopped; a change of languages reads everything again.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use trove_index::SearchIndex;
use trove_model::{BlobId, FileKind};
use trove_ocr::{
    Decision, Engine, OcrError, judge_from_thumbnail, judge_image, judge_tones, render_pdf_page,
};
use trove_store::{BlobStore, CaseCatalog, OcrCandidate, OcrPageText, OcrResult};

use crate::{IngestError, Progress, StageTimings, sync_index};

/// Bumped when what the stage reads changes (decisions, rendering), so stores read again.
pub const OCR_VERSION: u32 = 1;

/// A PDF page whose text layer has fewer characters than this is read by OCR.
const MIN_TEXT_CHARACTERS: usize = 16;
/// PDF pages are rendered at this resolution, a scanner's usual one.
const RENDER_DPI: u32 = 300;
/// Images larger than this are not judged or read (a page scan is a few MiB).
const MAX_IMAGE_BYTES: u64 = 64 << 20;
/// Memory the index writer may use.
const INDEX_HEAP_BYTES: usize = 64 << 20;
/// Decisions without pages to read written at a time.
const DECISIONS_BATCH: usize = 512;
/// Pages read (by every worker at once) before their text is written and indexed, at
/// least: enough to keep the workers busy, few enough that what is read is soon
/// searchable. More with more workers (see `run_ocr`).
const PAGES_BATCH: usize = 16;

/// Whether the stage runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// When Tesseract and the language data are installed; otherwise say why not.
    #[default]
    Auto,
    /// Always: a missing engine is an error.
    Always,
    /// Never.
    Never,
}

/// How the OCR stage runs.
#[derive(Debug, Clone)]
pub struct OcrOptions {
    /// Whether it runs.
    pub mode: OcrMode,
    /// Tesseract's languages (`chi_sim+uig+eng`).
    pub languages: String,
    /// Also read each page as rows of a table (a second pass), for records from OCR'd
    /// tables; the pipeline sets it from the mapping's `ocr_tables`.
    pub tables: bool,
}

impl Default for OcrOptions {
    fn default() -> Self {
        OcrOptions {
            mode: OcrMode::Auto,
            languages: trove_ocr::DEFAULT_LANGUAGES.to_owned(),
            tables: false,
        }
    }
}

/// What the OCR stage did.
#[derive(Debug, Clone, Default)]
pub struct OcrReport {
    /// Why the stage did not run, when it did not.
    pub not_run: Option<String>,
    /// Documents considered in this run.
    pub documents: u64,
    /// Pages read.
    pub pages: u64,
    /// Documents whose reading failed (kept to be tried again).
    pub failed: u64,
    /// Stopped early; running again resumes.
    pub interrupted: bool,
    /// Wall time of the stage.
    pub elapsed: Duration,
}

/// One page to read: a page of a PDF, or a whole image.
#[derive(Debug, Clone)]
struct PageJob {
    blob: BlobId,
    kind: FileKind,
    page: u32,
}

/// Runs the OCR stage over everything `catalog` has not read yet, reading the originals
/// from `blobs`, and keeps `index` (if given) in step batch by batch; without one (server
/// mode) the indexer catches up. The caller makes sure it runs alone: a store's writer
/// lock, a shared catalog's `ocr` role.
pub fn run_ocr(
    catalog: &dyn CaseCatalog,
    blobs: &BlobStore,
    index: Option<&SearchIndex>,
    options: &OcrOptions,
    workers: usize,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<OcrReport, IngestError> {
    let started = Instant::now();
    let mut report = OcrReport::default();
    if options.mode == OcrMode::Never {
        report.not_run = Some("OCR is turned off (--ocr never)".to_owned());
        return Ok(report);
    }
    // Pages read before tables were asked for lack the table pass: they are read again.
    let tables = if options.tables { ":tables" } else { "" };
    let version = format!("{OCR_VERSION}:{}{tables}", options.languages);
    // Nothing to read: no engine to look for (and nothing to say about a missing one).
    if options.mode == OcrMode::Auto && catalog.pending_ocr(&version, None, 1)?.is_empty() {
        return Ok(report);
    }
    let engine = match Engine::find(&options.languages) {
        Ok(engine) => engine.with_tables(options.tables),
        Err(error) if options.mode == OcrMode::Auto => {
            report.not_run = Some(format!("OCR skipped: {error}"));
            return Ok(report);
        }
        Err(error) => return Err(IngestError::Ocr(error.to_string())),
    };
    progress.phase("reading scanned pages (OCR)");

    // Judge everything first, so that the progress line knows how many pages there are.
    let mut decided: Vec<(OcrCandidate, String, Vec<u32>)> = Vec::new();
    let mut after: Option<BlobId> = None;
    loop {
        let candidates = catalog.pending_ocr(&version, after.as_ref(), 256)?;
        let Some(last) = candidates.last() else { break };
        after = Some(last.blob.clone());
        let plans = plan_in_parallel(catalog, blobs, &candidates, workers);
        decided.extend(
            candidates
                .into_iter()
                .zip(plans)
                .map(|(candidate, (decision, pages))| (candidate, decision, pages)),
        );
    }
    let total_pages: u64 = decided.iter().map(|(_, _, pages)| pages.len() as u64).sum();
    let done_pages = AtomicU64::new(0);
    let mut sink = ResultSink {
        catalog,
        index,
        version: &version,
        writer: None,
        timings: StageTimings::default(),
    };
    // What has nothing to read is only a decision to keep: kept first, in large batches.
    let (to_read, judged_only): (Vec<_>, Vec<_>) = decided
        .into_iter()
        .partition(|(_, _, pages)| !pages.is_empty());
    for batch in judged_only.chunks(DECISIONS_BATCH) {
        if stop.load(Ordering::Relaxed) {
            report.interrupted = true;
            break;
        }
        report.documents += batch.len() as u64;
        let decisions: Vec<OcrResult> = batch
            .iter()
            .map(|(candidate, decision, _)| OcrResult {
                blob: candidate.blob.clone(),
                decision: decision.clone(),
                pages: Vec::new(),
            })
            .collect();
        sink.write(&decisions)?;
    }
    // Each batch waits for its slowest page: a few pages a worker keep that wait short.
    for batch in batches_of_pages(&to_read, PAGES_BATCH.max(4 * workers)) {
        if report.interrupted || stop.load(Ordering::Relaxed) {
            report.interrupted = true;
            break;
        }
        let jobs: Vec<PageJob> = batch
            .iter()
            .flat_map(|(candidate, _, pages)| {
                pages.iter().map(|&page| PageJob {
                    blob: candidate.blob.clone(),
                    kind: candidate.kind,
                    page,
                })
            })
            .collect();
        let read = read_pages(blobs, &engine, &jobs, workers, stop, &|| {
            let done = done_pages.fetch_add(1, Ordering::Relaxed) + 1;
            progress.ocr_pages(done, total_pages);
        });
        if stop.load(Ordering::Relaxed) {
            // Part of this batch may be unread: none of it is marked done.
            report.interrupted = true;
            break;
        }
        let mut results = Vec::new();
        for (candidate, decision, pages) in batch {
            let mine: Vec<&(BlobId, Result<OcrPageText, OcrError>)> = read
                .iter()
                .filter(|(blob, _)| *blob == candidate.blob)
                .collect();
            if let Some((_, Err(error))) = mine.iter().find(|(_, r)| r.is_err()) {
                // Not marked done: a failed page is tried again by the next run.
                report.failed += 1;
                progress.phase(&format!(
                    "OCR failed on {}: {error}",
                    candidate.blob.as_str()
                ));
                continue;
            }
            let mut texts: Vec<OcrPageText> = mine
                .into_iter()
                .filter_map(|(_, r)| r.as_ref().ok().cloned())
                .collect();
            texts.sort_by_key(|t| t.page);
            report.documents += 1;
            report.pages += pages.len() as u64;
            results.push(OcrResult {
                blob: candidate.blob.clone(),
                decision: decision.clone(),
                pages: texts,
            });
        }
        sink.write(&results)?;
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The documents to read in batches of whole documents, each closed once it holds
/// `pages` pages (one long PDF makes a batch of its own).
fn batches_of_pages(
    documents: &[(OcrCandidate, String, Vec<u32>)],
    pages: usize,
) -> Vec<&[(OcrCandidate, String, Vec<u32>)]> {
    let mut batches = Vec::new();
    let (mut start, mut held) = (0, 0);
    for (at, (_, _, document_pages)) in documents.iter().enumerate() {
        held += document_pages.len();
        if held >= pages {
            batches.push(&documents[start..=at]);
            (start, held) = (at + 1, 0);
        }
    }
    if start < documents.len() {
        batches.push(&documents[start..]);
    }
    batches
}

/// Where the stage's results go: the catalog, and the index (when the ingest keeps one)
/// batch by batch, so that what is read is searchable before the stage ends.
struct ResultSink<'a> {
    catalog: &'a dyn CaseCatalog,
    index: Option<&'a SearchIndex>,
    version: &'a str,
    writer: Option<trove_index::IndexWriter>,
    timings: StageTimings,
}

impl ResultSink<'_> {
    fn write(&mut self, results: &[OcrResult]) -> Result<(), IngestError> {
        self.catalog.write_ocr(self.version, results)?;
        if let Some(index) = self.index
            && results.iter().any(|r| !r.pages.is_empty())
        {
            let writer = match self.writer.as_mut() {
                Some(writer) => writer,
                None => self.writer.insert(index.writer(INDEX_HEAP_BYTES)?),
            };
            sync_index(self.catalog, writer, &self.timings)?;
        }
        Ok(())
    }
}

/// Images whose pixels take more than this are judged one at a time: judging decodes an
/// image in full (up to 512 MiB), and every worker doing so at once would break the
/// memory bound.
const LARGE_DECODE_BYTES: u64 = 64 << 20;

/// [`plan`] for each candidate, in order, on up to `workers` threads: an image whose
/// tones extraction did not count (one it could not decode in full, such as a JPEG of
/// more than 16 megapixels, or one in a store extracted by an older trove) is decoded in
/// full to be judged.
fn plan_in_parallel(
    catalog: &dyn CaseCatalog,
    blobs: &BlobStore,
    candidates: &[OcrCandidate],
    workers: usize,
) -> Vec<(String, Vec<u32>)> {
    let share = candidates.len().div_ceil(workers.max(1)).max(1);
    let large = Mutex::new(());
    std::thread::scope(|scope| {
        let planners: Vec<_> = candidates
            .chunks(share)
            .map(|chunk| {
                let large = &large;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|candidate| plan(catalog, blobs, candidate, large))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        planners
            .into_iter()
            // `plan` catches the decoders' panics; one escaping is a bug of ours.
            .flat_map(|planner| {
                planner
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Which pages of a candidate to read, and why, in words kept in the catalog. `large` is
/// held while an image of more than [`LARGE_DECODE_BYTES`] is decoded in full.
fn plan(
    catalog: &dyn CaseCatalog,
    blobs: &BlobStore,
    candidate: &OcrCandidate,
    large: &Mutex<()>,
) -> (String, Vec<u32>) {
    if candidate.kind == FileKind::Pdf {
        let pages: Vec<u32> = candidate
            .pages
            .iter()
            .filter(|(_, characters)| *characters < MIN_TEXT_CHARACTERS)
            .map(|(page, _)| *page)
            .collect();
        let decision = match pages.len() {
            0 => "every page has a text layer".to_owned(),
            n => format!(
                "{n} of {} pages have no usable text layer (under {MIN_TEXT_CHARACTERS} characters)",
                candidate.pages.len()
            ),
        };
        return (decision, pages);
    }
    let size = candidate.size;
    if size > MAX_IMAGE_BYTES {
        return (format!("{size} bytes: too large to judge"), Vec::new());
    }
    // Extraction counted the tones of the full-size pixels: judged without reading the
    // original again (which, in server mode, may be in the bucket).
    if let Some(measured) = &candidate.tones {
        return image_plan(judge_tones(
            measured.width,
            measured.height,
            &measured.tones,
        ));
    }
    let path = match blobs.local_path(&candidate.blob) {
        Ok(path) => path,
        Err(error) => return (format!("the original cannot be read: {error}"), Vec::new()),
    };
    match std::fs::read(&path) {
        Ok(bytes) => {
            // A JPEG's thumbnail often settles it (see `judge_from_thumbnail`): a few KB
            // from the catalog instead of the photo decoded in full. Only a JPEG's: a
            // thumbnail has no transparency, which the triage sees as white paper. One
            // that cannot be had only means the photo is decoded in full.
            let thumbnail = (candidate.kind == FileKind::Jpeg)
                .then(|| catalog.thumbnail(&candidate.blob).ok().flatten())
                .flatten();
            // The image decoders are third-party code run on distrusted bytes.
            let judged = std::panic::catch_unwind(|| {
                judge_from_thumbnail(&bytes, thumbnail.as_deref()).unwrap_or_else(|| {
                    // Only a full decode is large: what the thumbnail settles never waits.
                    let decoded_bytes = trove_ocr::image_dimensions(&bytes)
                        .map_or(0, |(width, height)| {
                            u64::from(width) * u64::from(height) * 4
                        });
                    let _one_at_a_time = (decoded_bytes > LARGE_DECODE_BYTES).then(|| {
                        large
                            .lock()
                            .unwrap_or_else(|poisoned| poisoned.into_inner())
                    });
                    judge_image(&bytes)
                })
            });
            let Ok(decision) = judged else {
                return ("the image decoder failed on it".to_owned(), Vec::new());
            };
            image_plan(decision)
        }
        Err(error) => (format!("cannot be read: {error}"), Vec::new()),
    }
}

/// An image's plan: the decision's reason, and its one page if it is read.
fn image_plan(decision: Decision) -> (String, Vec<u32>) {
    let pages = if decision.ocr { vec![1] } else { Vec::new() };
    (decision.reason, pages)
}

/// Reads every job on `workers` threads, one Tesseract per page.
fn read_pages(
    blobs: &BlobStore,
    engine: &Engine,
    jobs: &[PageJob],
    workers: usize,
    stop: &AtomicBool,
    page_done: &(dyn Fn() + Sync),
) -> Vec<(BlobId, Result<OcrPageText, OcrError>)> {
    let next = AtomicU64::new(0);
    let results = Mutex::new(Vec::with_capacity(jobs.len()));
    thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(|| {
                loop {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let at = next.fetch_add(1, Ordering::Relaxed) as usize;
                    let Some(job) = jobs.get(at) else { return };
                    let read = read_page(blobs, engine, job);
                    page_done();
                    if let Ok(mut results) = results.lock() {
                        results.push((job.blob.clone(), read));
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

fn read_page(blobs: &BlobStore, engine: &Engine, job: &PageJob) -> Result<OcrPageText, OcrError> {
    // The bucket's copy is fetched first when this machine's cache lacks it.
    let original = blobs
        .local_path(&job.blob)
        .map_err(|error| OcrError::Io(std::io::Error::other(error)))?;
    let page = if job.kind == FileKind::Pdf {
        // Rendered pages live in the store's own staging folder, never in /tmp.
        let folder = tempfile::Builder::new()
            .prefix("ocr")
            .tempdir_in(blobs.staging_dir())?;
        let image = render_pdf_page(&original, job.page, RENDER_DPI, folder.path())?;
        engine.read(&image)?
    } else {
        engine.read(&original)?
    };
    Ok(OcrPageText {
        page: job.page,
        text: page.text,
        confidence: page.confidence,
        layout: page.layout,
    })
}

#[cfg(test)]
mod tests {
    use trove_model::ImageTones;
    use trove_store::{MeasuredTones, Store};

    use super::*;

    fn image(tones: Option<ImageTones>) -> OcrCandidate {
        OcrCandidate {
            blob: BlobId::from_digest([7; 32]),
            kind: FileKind::Jpeg,
            pages: Vec::new(),
            size: 300_000,
            tones: tones.map(|tones| MeasuredTones {
                width: 1080,
                height: 1440,
                tones,
            }),
        }
    }

    #[test]
    fn an_image_whose_tones_were_counted_is_judged_without_its_original() {
        let dir = tempfile::tempdir().unwrap();
        // An empty store: the original is nowhere to be read.
        let store = Store::open(dir.path().join("store")).unwrap();
        let large = Mutex::new(());
        let page = ImageTones {
            samples: 1000,
            light: 900,
            dark: 60,
            colour: 2_000,
        };
        let (reason, pages) = plan(&*store.catalog, &store.blobs, &image(Some(page)), &large);
        assert_eq!(pages, [1], "{reason}");
        assert_eq!(reason, judge_tones(1080, 1440, &page).reason);

        let (reason, pages) = plan(&*store.catalog, &store.blobs, &image(None), &large);
        assert!(pages.is_empty());
        assert!(reason.contains("cannot be read"), "{reason}");
    }

    #[test]
    fn documents_are_read_in_batches_of_enough_pages_to_share_out() {
        let document = |pages: u32| {
            let mut candidate = image(None);
            candidate.kind = FileKind::Pdf;
            (candidate, String::new(), (1..=pages).collect::<Vec<u32>>())
        };
        let documents: Vec<_> = [1, 1, 1, 40, 2, 1].into_iter().map(document).collect();
        let sizes: Vec<usize> = batches_of_pages(&documents, 3)
            .iter()
            .map(|batch| batch.len())
            .collect();
        assert_eq!(sizes, [3, 1, 2], "1+1+1, the long PDF alone, the rest");
    }
}
