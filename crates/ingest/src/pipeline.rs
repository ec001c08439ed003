//! The threads of an ingest run and how work flows between them:
//!
//! ```text
//! counter ─(totals)→ progress
//! walker ─(SourceJob, bounded)→ workers ×N ─(WriteBatch, bounded)→ writer → catalog, index
//! ```
//!
//! Both channels are bounded, so a fast walker or slow writer applies back
//! pressure instead of buffering the corpus in memory.

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::bounded;
use trove_index::SearchIndex;
use trove_store::{Catalog, FailureRow, SourceFile, Store, WriteBatch};

use crate::batch::BatchSender;
use crate::process::{SourceJob, Worker};
use crate::walk::{Tree, WalkEntry};
use crate::{IngestError, IngestOptions, IngestReport, Progress, StageTimings};

/// Ingests `input` (a folder or a single file) into `store`.
///
/// Setting `stop` makes the run finish the files in hand, commit, and return
/// early with `interrupted` set; running again resumes where it stopped.
///
/// While it runs, and after, the store folder holds its progress
/// (`ingest-progress.json`, see [`trove_store::ProgressWriter`]) for other processes to
/// show.
pub fn ingest(
    store: &Store,
    index: &SearchIndex,
    input: &Path,
    options: &IngestOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<IngestReport, IngestError> {
    let started = Instant::now();
    let _writer_lock = store.lock_for_writing()?;
    let tree = Tree::resolve(input, &[store.root().to_path_buf()])?;
    crate::progress_file::recorded(store.root(), &tree.name(), progress, |progress| {
        run(store, index, &tree, options, progress, stop, started)
    })
}

/// The run of [`ingest`], the store locked and the input found.
fn run(
    store: &Store,
    index: &SearchIndex,
    tree: &Tree,
    options: &IngestOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
    started: Instant,
) -> Result<IngestReport, IngestError> {
    let root = tree.root_label();
    let catalog: &dyn Catalog = &*store.catalog;
    if options.retry_failed {
        for (failed_root, source) in catalog.failed_sources()? {
            if failed_root == root {
                catalog.reset_source(&failed_root, &source)?;
            }
        }
    }

    let timings = StageTimings::default();
    let counters = Counters::default();
    let workers = options.workers.max(1);
    let (job_sender, jobs) = bounded::<SourceJob>(workers * 4);
    let (batch_sender, batches) = bounded::<WriteBatch>(workers * 4);

    let outcome = thread::scope(|scope| {
        scope.spawn(|| count_tree(tree, progress, stop));
        let writer = scope.spawn(|| {
            crate::writer::run(
                catalog,
                &store.blobs,
                Some(index),
                batches,
                Duration::ZERO,
                &timings,
                &mut |_| Ok(()),
            )
        });
        for _ in 0..workers {
            let jobs = jobs.clone();
            let batch_sender = batch_sender.clone();
            let worker = Worker {
                catalog,
                blobs: &store.blobs,
                options,
                timings: &timings,
            };
            let counters = &counters;
            let spawned = thread::Builder::new()
                .name(WORKER_THREAD_NAME.to_owned())
                .spawn_scoped(scope, move || {
                    for job in jobs {
                        if stop.load(Ordering::Relaxed) {
                            continue;
                        }
                        let failures = worker.process_source(&job, BatchSender::new(&batch_sender));
                        counters.processed.fetch_add(1, Ordering::Relaxed);
                        counters
                            .processed_bytes
                            .fetch_add(job.source.size, Ordering::Relaxed);
                        counters.failures.fetch_add(failures, Ordering::Relaxed);
                        progress.processed(job.source.size, failures);
                    }
                });
            if let Err(error) = spawned {
                return Err(IngestError::Thread(format!(
                    "cannot start a worker thread: {error}"
                )));
            }
        }
        drop(jobs);
        let walk_result = walk(
            tree,
            &root,
            catalog,
            &job_sender,
            &batch_sender,
            &counters,
            progress,
            stop,
        );
        drop(job_sender);
        drop(batch_sender);
        progress.phase("finishing: writing the catalog and index");
        let written = writer
            .join()
            .map_err(|_| IngestError::Thread("the catalog writer panicked".into()))?;
        walk_result.and(written)
    });
    outcome?;

    let records = if stop.load(Ordering::Relaxed) {
        None
    } else {
        Some(crate::records::build_records(
            &*store.catalog,
            &options.mapping,
            progress,
            stop,
        )?)
    };
    let ocr = if stop.load(Ordering::Relaxed) {
        None
    } else {
        let ocr = crate::OcrOptions {
            tables: options.mapping.ocr_tables(),
            ..options.ocr.clone()
        };
        Some(crate::ocr::run_ocr(
            &*store.catalog,
            &store.blobs,
            Some(index),
            &ocr,
            options.workers,
            progress,
            stop,
        )?)
    };
    // Pages OCR has just read may hold tables to read records from, when the mapping
    // asks; the records stage takes only the blobs OCR touched.
    let records = match (records, &ocr) {
        (Some(before), Some(ocr)) if ocr.pages > 0 && !stop.load(Ordering::Relaxed) => {
            let after =
                crate::records::build_records(&*store.catalog, &options.mapping, progress, stop)?;
            Some(before.then(after))
        }
        (records, _) => records,
    };
    let failures_recorded = catalog.failure_count(&root)?;
    Ok(IngestReport {
        root,
        files_found: counters.found.load(Ordering::Relaxed),
        files_unchanged: counters.unchanged.load(Ordering::Relaxed),
        files_processed: counters.processed.load(Ordering::Relaxed),
        bytes_processed: counters.processed_bytes.load(Ordering::Relaxed),
        failures_this_run: counters.failures.load(Ordering::Relaxed),
        failures_recorded,
        interrupted: stop.load(Ordering::Relaxed),
        elapsed: started.elapsed(),
        timings,
        records,
        ocr,
    })
}

/// The name of ingest's worker threads. Panics inside extractors are caught
/// there and recorded as failures; a binary may use the name to keep its
/// panic hook from also printing them over the progress bar.
pub const WORKER_THREAD_NAME: &str = "trove-ingest-worker";

#[derive(Default)]
struct Counters {
    found: AtomicU64,
    unchanged: AtomicU64,
    processed: AtomicU64,
    processed_bytes: AtomicU64,
    failures: AtomicU64,
}

/// Walks the tree, sending files that are new or changed since the last run
/// to the workers and recording files the walk itself refused.
#[allow(clippy::too_many_arguments)]
fn walk(
    tree: &Tree,
    root: &str,
    catalog: &dyn Catalog,
    jobs: &crossbeam_channel::Sender<SourceJob>,
    batches: &crossbeam_channel::Sender<WriteBatch>,
    counters: &Counters,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<(), IngestError> {
    let mut result = Ok(());
    tree.walk(|entry| {
        if stop.load(Ordering::Relaxed) {
            return ControlFlow::Break(());
        }
        counters.found.fetch_add(1, Ordering::Relaxed);
        match entry {
            WalkEntry::File {
                relative,
                absolute,
                size,
                mtime_ns,
            } => {
                let known = match catalog.source(root, &relative) {
                    Ok(known) => known,
                    Err(error) => {
                        result = Err(error.into());
                        return ControlFlow::Break(());
                    }
                };
                let unchanged =
                    known.is_some_and(|k| k.done && k.size == size && k.mtime_ns == mtime_ns);
                if unchanged {
                    counters.unchanged.fetch_add(1, Ordering::Relaxed);
                    progress.skipped(size);
                    return ControlFlow::Continue(());
                }
                let job = SourceJob {
                    source: SourceFile {
                        root: root.to_owned(),
                        path: relative,
                        size,
                        mtime_ns,
                    },
                    absolute,
                };
                if jobs.send(job).is_err() {
                    return ControlFlow::Break(());
                }
            }
            WalkEntry::Refused { relative, failure } => {
                counters.failures.fetch_add(1, Ordering::Relaxed);
                progress.processed(0, 1);
                let batch = WriteBatch {
                    failures: vec![FailureRow {
                        root: root.to_owned(),
                        source: relative.clone(),
                        path: relative,
                        blob: None,
                        failure,
                    }],
                    ..WriteBatch::default()
                };
                let _ = batches.send(batch);
            }
        }
        ControlFlow::Continue(())
    });
    result
}

/// A quick first pass that only sums sizes, so the progress bar knows the
/// totals (and an ETA) while the real work proceeds.
fn count_tree(tree: &Tree, progress: &dyn Progress, stop: &AtomicBool) {
    let mut pending = (0u64, 0u64);
    tree.walk(|entry| {
        if stop.load(Ordering::Relaxed) {
            return ControlFlow::Break(());
        }
        let size = match entry {
            WalkEntry::File { size, .. } => size,
            WalkEntry::Refused { .. } => 0,
        };
        pending = (pending.0 + 1, pending.1 + size);
        if pending.0 >= 256 {
            progress.discovered(pending.0, pending.1);
            pending = (0, 0);
        }
        ControlFlow::Continue(())
    });
    progress.discovered(pending.0, pending.1);
    progress.discovery_finished();
}
