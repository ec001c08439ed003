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
use trove_ocr::{Engine, OcrError, judge_from_thumbnail, judge_image, render_pdf_page};
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
/// Documents fetched and written at a time.
const BATCH: usize = 32;

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
    let timings = StageTimings::default();
    let mut writer = None;
    for batch in decided.chunks(BATCH) {
        if stop.load(Ordering::Relaxed) {
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
        catalog.write_ocr(&version, &results)?;
        if let Some(index) = index
            && results.iter().any(|r| !r.pages.is_empty())
        {
            // Searchable batch by batch, not only at the end.
            let writer = match writer.as_mut() {
                Some(writer) => writer,
                None => writer.insert(index.writer(INDEX_HEAP_BYTES)?),
            };
            sync_index(catalog, writer, &timings)?;
        }
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Images whose pixels take more than this are judged one at a time: judging decodes an
/// image in full (up to 512 MiB), and every worker doing so at once would break the
/// memory bound.
const LARGE_DECODE_BYTES: u64 = 64 << 20;

/// [`plan`] for each candidate, in order, on up to `workers` threads: judging an image
/// decodes it in full, which for a leak of camera photos is most of OCR's time.
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
    let path = match blobs.local_path(&candidate.blob) {
        Ok(path) => path,
        Err(error) => return (format!("the original cannot be read: {error}"), Vec::new()),
    };
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_IMAGE_BYTES {
        return (format!("{size} bytes: too large to judge"), Vec::new());
    }
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
            let pages = if decision.ocr { vec![1] } else { Vec::new() };
            (decision.reason, pages)
        }
        Err(error) => (format!("cannot be read: {error}"), Vec::new()),
    }
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
