//! Filling the queue: the walk of a local ingest, with the files to process queued
//! instead of processed.

use std::ops::ControlFlow;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use trove_model::{Failure, FailureReason, Stage};
use trove_store::{Catalog, FailureRow, JobQueue, QueuedFile, WriteBatch};

use crate::walk::{Tree, WalkEntry};
use crate::{IngestError, Progress};

/// Files put in the queue at a time: one transaction each.
const ENQUEUE_BATCH: usize = 1_000;

/// What queueing found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueReport {
    /// The ingested folder, as the catalog records it.
    pub root: String,
    /// Files the walk found.
    pub files_found: u64,
    /// Files the catalog holds as done, unchanged since: not queued.
    pub files_unchanged: u64,
    /// Files queued for the workers (new, changed, or not finished before).
    pub files_queued: u64,
    /// Files the walk itself refused (links, unreadable folders), recorded as failures.
    pub files_refused: u64,
}

/// Walks `input` and queues every file the catalog does not hold as done and unchanged;
/// what the walk refuses is recorded as failures at once. `exclude` names folders never
/// to enter (the originals' folder, when it lies inside the input). With `retry_failed`,
/// files whose processing failed before are reset and queued again.
pub fn queue_ingest(
    catalog: &dyn Catalog,
    queue: &dyn JobQueue,
    input: &Path,
    exclude: &[PathBuf],
    retry_failed: bool,
    progress: &dyn Progress,
) -> Result<QueueReport, IngestError> {
    let tree = Tree::resolve(input, exclude)?;
    let root = tree.root_label();
    if retry_failed {
        for (failed_root, source) in catalog.failed_sources()? {
            if failed_root == root {
                catalog.reset_source(&failed_root, &source)?;
            }
        }
    }
    let mut report = QueueReport {
        root: root.clone(),
        ..QueueReport::default()
    };
    let mut pending: Vec<QueuedFile> = Vec::with_capacity(ENQUEUE_BATCH);
    let mut refused = WriteBatch::default();
    let mut result = Ok(());
    tree.walk(|entry| {
        report.files_found += 1;
        let step = match entry {
            WalkEntry::File { relative, .. } if tree.root.to_str().is_none() => {
                // Workers find a file from its root as text, which a folder's name in
                // another encoding (GBK, say) does not survive.
                let failure = Failure::new(
                    Stage::Read,
                    FailureReason::Io,
                    "the ingested folder's name is not UTF-8, which workers cannot find again: ingest it with a local `trove ingest` (it keeps such names), or rename the folder",
                );
                refuse(&mut refused, &mut report, relative, failure);
                Ok(())
            }
            WalkEntry::File {
                relative,
                absolute,
                size,
                mtime_ns,
            } => {
                // A name in another encoding is recorded as a local ingest records it
                // (`\xNN` for bytes that are not UTF-8), and opened by its own bytes.
                let path_bytes = absolute
                    .to_str()
                    .is_none()
                    .then(|| absolute.strip_prefix(&tree.root).ok())
                    .flatten()
                    .map(|relative| relative.as_os_str().as_bytes().to_vec());
                pending.push(QueuedFile {
                    root: root.clone(),
                    path: relative,
                    path_bytes,
                    size,
                    mtime_ns,
                });
                if pending.len() >= ENQUEUE_BATCH {
                    flush(catalog, queue, &mut pending, &mut report, progress)
                } else {
                    Ok(())
                }
            }
            WalkEntry::Refused { relative, failure } => {
                refuse(&mut refused, &mut report, relative, failure);
                Ok(())
            }
        };
        match step {
            Ok(()) => ControlFlow::Continue(()),
            Err(error) => {
                result = Err(error);
                ControlFlow::Break(())
            }
        }
    });
    result?;
    flush(catalog, queue, &mut pending, &mut report, progress)?;
    catalog.write(&refused)?;
    progress.discovery_finished();
    Ok(report)
}

/// Records a file the queue will not take, with why, in the batch written at the end.
fn refuse(refused: &mut WriteBatch, report: &mut QueueReport, relative: String, failure: Failure) {
    report.files_refused += 1;
    refused.failures.push(FailureRow {
        root: report.root.clone(),
        source: relative.clone(),
        path: relative,
        blob: None,
        failure,
    });
}

/// Queues the files listed since the last flush that the catalog does not hold as done
/// and unchanged: their states come in one look-up, not one round trip a file.
fn flush(
    catalog: &dyn Catalog,
    queue: &dyn JobQueue,
    pending: &mut Vec<QueuedFile>,
    report: &mut QueueReport,
    progress: &dyn Progress,
) -> Result<(), IngestError> {
    if pending.is_empty() {
        return Ok(());
    }
    let paths: Vec<String> = pending.iter().map(|file| file.path.clone()).collect();
    let known = catalog.sources(&report.root, &paths)?;
    pending.retain(|file| {
        let unchanged = known.get(&file.path).is_some_and(|state| {
            state.done && state.size == file.size && state.mtime_ns == file.mtime_ns
        });
        if unchanged {
            report.files_unchanged += 1;
            progress.skipped(file.size);
        } else {
            progress.discovered(1, file.size);
        }
        !unchanged
    });
    report.files_queued += queue.enqueue(pending)?;
    pending.clear();
    Ok(())
}
