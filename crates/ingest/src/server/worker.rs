//! A worker process of server mode: claims files from the queue, processes them as a
//! local ingest does, and marks each job done once the catalog holds all it produced.
//!
//! ```text
//! claimers ×N ─(WriteBatch)→ writer → catalog; complete jobs whose source is done
//! renewer: every lease/3, renew the leases of jobs in hand
//! ```

use std::collections::HashMap;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::bounded;
use trove_store::{BlobStore, Catalog, ClaimedJob, JobQueue, SourceFile, WriteBatch};

use crate::batch::BatchSender;
use crate::process::{SourceJob, Worker};
use crate::{IngestError, IngestOptions, Progress, StageTimings};

/// How long the writer waits for more batches before it commits: a transaction with a
/// server across the network costs round trips, so it gathers many files' batches into
/// one, at the price of marking their jobs done this much later.
const MERGE_WAIT: Duration = Duration::from_millis(200);

/// How a worker process takes part.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Its name in the queue (host and process id, say), shown by `trove status`.
    pub name: String,
    /// How long a claim holds without renewal: a worker killed mid-job gives its file
    /// up this long after its last renewal.
    pub lease: Duration,
    /// How long to wait before asking again when no job is free.
    pub poll: Duration,
    /// Stop once no job is open anywhere (none queued, running or lapsed), instead of
    /// waiting for more.
    pub exit_when_idle: bool,
}

/// The catalog as a worker uses it: lookups and the queue on one connection, the
/// writer on its own so that a long write holds up neither claims nor renewals.
#[derive(Clone, Copy)]
pub struct SharedCatalog<'a> {
    /// Is this content known? Was this file done?
    pub lookups: &'a dyn Catalog,
    /// Claims, renewals, completions.
    pub queue: &'a dyn JobQueue,
    /// Where batches are written.
    pub writer: &'a dyn Catalog,
}

/// What a worker did.
#[derive(Debug, Default)]
pub struct WorkerReport {
    /// Jobs it finished.
    pub jobs_done: u64,
    /// Jobs it held that another worker took over (its lease lapsed); their writes are
    /// harmless repeats.
    pub jobs_lost: u64,
    /// Bytes of source files processed.
    pub bytes: u64,
    /// Failures recorded on the way.
    pub failures: u64,
    /// Stopped by the caller (Ctrl-C) rather than by running out of work.
    pub interrupted: bool,
    /// Wall time.
    pub elapsed: Duration,
    /// Where the time went.
    pub timings: StageTimings,
}

/// The jobs this process holds, by source (root, path): what the writer completes and
/// the renewer renews.
type Held = Mutex<HashMap<(String, String), i64>>;

/// Runs a worker until `stop` is set, or (with `exit_when_idle`) until no job is open.
/// `options.workers` threads claim and process files; the originals go to `blobs`.
pub fn run_worker(
    catalog: SharedCatalog<'_>,
    blobs: &BlobStore,
    options: &IngestOptions,
    worker: &WorkerOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<WorkerReport, IngestError> {
    let started = Instant::now();
    let timings = StageTimings::default();
    let held: Held = Mutex::default();
    let done = AtomicU64::new(0);
    let lost = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    let failures = AtomicU64::new(0);
    // Set when the claimers are through, so the renewer ends; or on an error, so that
    // every thread ends.
    let finished = AtomicBool::new(false);
    let threads = options.workers.max(1);
    let (batch_sender, batches) = bounded::<WriteBatch>(threads * 4);

    let outcome = thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let mut complete =
                |batch: &WriteBatch| complete_jobs(batch, &catalog, worker, &held, &done, &lost);
            let written = crate::writer::run(
                catalog.writer,
                blobs,
                None,
                batches,
                MERGE_WAIT,
                &timings,
                &mut complete,
            );
            if written.is_err() {
                finished.store(true, Ordering::SeqCst);
            }
            written
        });
        let renewer = scope.spawn(|| {
            let renewed = renew_leases(&catalog, worker, &held, &lost, &finished);
            if renewed.is_err() {
                // Leases no longer renewed lapse: stop taking work that others will redo.
                finished.store(true, Ordering::SeqCst);
            }
            renewed
        });
        let claimers: Vec<_> = (0..threads)
            .map(|_| {
                let batch_sender = batch_sender.clone();
                let (held, bytes, failures, finished, timings) =
                    (&held, &bytes, &failures, &finished, &timings);
                thread::Builder::new()
                    .name(crate::WORKER_THREAD_NAME.to_owned())
                    .spawn_scoped(scope, move || -> Result<(), IngestError> {
                        let processor = Worker {
                            catalog: catalog.lookups,
                            blobs,
                            options,
                            timings,
                        };
                        let claimed = (|| {
                            while !stop.load(Ordering::Relaxed) && !finished.load(Ordering::Relaxed)
                            {
                                let Some(job) = catalog.queue.claim(&worker.name, worker.lease)?
                                else {
                                    if worker.exit_when_idle
                                        && catalog.queue.job_counts()?.open() == 0
                                    {
                                        break;
                                    }
                                    pause(worker.poll, stop, finished);
                                    continue;
                                };
                                let source = hold(held, &job);
                                let found = processor
                                    .process_source(&source, BatchSender::new(&batch_sender));
                                bytes.fetch_add(source.source.size, Ordering::Relaxed);
                                failures.fetch_add(found, Ordering::Relaxed);
                                progress.processed(source.source.size, found);
                            }
                            Ok(())
                        })();
                        if claimed.is_err() {
                            // The catalog failed this thread: the others stop too.
                            finished.store(true, Ordering::SeqCst);
                        }
                        claimed
                    })
            })
            .collect();
        drop(batch_sender);
        let mut result = Ok(());
        for claimer in claimers {
            let joined = claimer
                .map_err(|e| IngestError::Thread(format!("cannot start a worker thread: {e}")))
                .and_then(|handle| {
                    handle
                        .join()
                        .map_err(|_| IngestError::Thread("a worker thread panicked".into()))?
                });
            if let Err(error) = joined {
                finished.store(true, Ordering::SeqCst);
                result = result.and(Err(error));
            }
        }
        progress.phase("finishing: writing the catalog");
        let written = writer
            .join()
            .map_err(|_| IngestError::Thread("the catalog writer panicked".into()))?;
        finished.store(true, Ordering::SeqCst);
        let renewed = renewer
            .join()
            .map_err(|_| IngestError::Thread("the lease renewer panicked".into()))?;
        result.and(written).and(renewed)
    });
    outcome?;
    Ok(WorkerReport {
        jobs_done: done.into_inner(),
        jobs_lost: lost.into_inner(),
        bytes: bytes.into_inner(),
        failures: failures.into_inner(),
        interrupted: stop.load(Ordering::Relaxed),
        elapsed: started.elapsed(),
        timings,
    })
}

/// Records a claimed job as held and turns it into the file to process.
fn hold(held: &Held, job: &ClaimedJob) -> SourceJob {
    let file = &job.file;
    lock(held).insert((file.root.clone(), file.path.clone()), job.id);
    SourceJob {
        source: SourceFile {
            root: file.root.clone(),
            path: file.path.clone(),
            size: file.size,
            mtime_ns: file.mtime_ns,
        },
        absolute: match &file.path_bytes {
            Some(bytes) => Path::new(&file.root).join(std::ffi::OsStr::from_bytes(bytes)),
            None => Path::new(&file.root).join(&file.path),
        },
    }
}

/// After a batch is committed: every source it finished is a job done.
fn complete_jobs(
    batch: &WriteBatch,
    catalog: &SharedCatalog<'_>,
    worker: &WorkerOptions,
    held: &Held,
    done: &AtomicU64,
    lost: &AtomicU64,
) -> Result<(), IngestError> {
    let finished: Vec<i64> = {
        let mut held = lock(held);
        batch
            .sources_done
            .iter()
            .filter_map(|source| held.remove(&(source.root.clone(), source.path.clone())))
            .collect()
    };
    let completed = catalog.queue.complete_all(&finished, &worker.name)?;
    done.fetch_add(completed, Ordering::Relaxed);
    lost.fetch_add(finished.len() as u64 - completed, Ordering::Relaxed);
    Ok(())
}

/// Renews the lease of every job in hand, three times a lease, until `finished`. A job
/// another worker has taken over is dropped from the hand.
fn renew_leases(
    catalog: &SharedCatalog<'_>,
    worker: &WorkerOptions,
    held: &Held,
    lost: &AtomicU64,
    finished: &AtomicBool,
) -> Result<(), IngestError> {
    let every = worker.lease / 3;
    loop {
        let mut waited = Duration::ZERO;
        while waited < every {
            if finished.load(Ordering::SeqCst) {
                return Ok(());
            }
            let step = (every - waited).min(Duration::from_millis(100));
            thread::sleep(step);
            waited += step;
        }
        let in_hand: Vec<((String, String), i64)> =
            lock(held).iter().map(|(k, v)| (k.clone(), *v)).collect();
        for (key, id) in in_hand {
            if !catalog.queue.renew(id, &worker.name, worker.lease)? {
                lock(held).remove(&key);
                lost.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Waits `poll`, waking early when told to stop.
fn pause(poll: Duration, stop: &AtomicBool, finished: &AtomicBool) {
    let deadline = Instant::now() + poll;
    while Instant::now() < deadline
        && !stop.load(Ordering::Relaxed)
        && !finished.load(Ordering::Relaxed)
    {
        thread::sleep(Duration::from_millis(50).min(poll));
    }
}

fn lock(held: &Held) -> std::sync::MutexGuard<'_, HashMap<(String, String), i64>> {
    held.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
