//! An ingest's progress kept in the store folder, for the processes that show it (the
//! workbench's case home): every event the caller's [`Progress`] gets (the CLI's bar) is
//! also counted into the store's progress file ([`ProgressWriter`]: throttled, written
//! atomically), a thread keeps the file fresh while no event comes (a long archive, the
//! catalog's last commit), and the run's end is written with its final counts.

use std::path::Path;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::thread;
use std::time::Duration;

use trove_store::{IngestStage, ProgressWriter, RunState};

use crate::{IngestError, IngestReport, Progress};

/// How often the quiet thread looks whether the file is due (see [`ProgressWriter::tick`]).
const TICK: Duration = Duration::from_secs(1);

/// Runs `run` with its progress passed on to `progress` and kept in the progress file of
/// the store in `store_root` (a run of `source`, a name); then marks the file finished,
/// interrupted or failed, as `run` ended.
pub(crate) fn recorded(
    store_root: &Path,
    source: &str,
    progress: &dyn Progress,
    run: impl FnOnce(&dyn Progress) -> Result<IngestReport, IngestError>,
) -> Result<IngestReport, IngestError> {
    let file = ProgressWriter::start(store_root, source);
    let (running, ended) = channel::<()>();
    let outcome = thread::scope(|scope| {
        let file = &file;
        scope.spawn(move || {
            // Until the sender is dropped: the run ended (or panicked).
            while let Err(RecvTimeoutError::Timeout) = ended.recv_timeout(TICK) {
                file.tick();
            }
        });
        let recording = Recording {
            inner: progress,
            file,
        };
        let outcome = run(&recording);
        drop(running);
        outcome
    });
    match &outcome {
        Ok(report) => {
            let state = if report.interrupted {
                RunState::Interrupted
            } else {
                RunState::Finished
            };
            file.finish(state, |p| {
                p.files_found = p.files_found.max(report.files_found);
                p.files_processed = report.files_processed;
                p.files_unchanged = report.files_unchanged;
                p.failures = report.failures_this_run;
            });
        }
        Err(_) => file.finish(RunState::Failed, |_| {}),
    }
    outcome
}

/// Passes each event on, and counts it into the progress file.
struct Recording<'a> {
    inner: &'a dyn Progress,
    file: &'a ProgressWriter,
}

impl Progress for Recording<'_> {
    fn discovered(&self, files: u64, bytes: u64) {
        self.inner.discovered(files, bytes);
        self.file.update(|p| {
            p.files_found += files;
            p.bytes_found += bytes;
        });
    }

    fn discovery_finished(&self) {
        self.inner.discovery_finished();
        self.file.update(|p| p.counted = true);
    }

    fn processed(&self, bytes: u64, failures: u64) {
        self.inner.processed(bytes, failures);
        self.file.update(|p| {
            p.files_processed += 1;
            p.bytes_done += bytes;
            p.failures += failures;
        });
    }

    fn skipped(&self, bytes: u64) {
        self.inner.skipped(bytes);
        self.file.update(|p| {
            p.files_unchanged += 1;
            p.bytes_done += bytes;
        });
    }

    fn phase(&self, name: &str) {
        self.inner.phase(name);
    }

    fn records_read(&self, done: u64, total: u64) {
        self.inner.records_read(done, total);
        self.file.update(|p| p.stage = IngestStage::Records);
    }

    fn ocr_pages(&self, done: u64, total: u64) {
        self.inner.ocr_pages(done, total);
        self.file.update(|p| p.stage = IngestStage::Ocr);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use trove_store::read_progress;

    use super::*;

    /// Counts the files it is told were processed.
    #[derive(Default)]
    struct Counting(AtomicU64);

    impl Progress for Counting {
        fn discovered(&self, _: u64, _: u64) {}
        fn discovery_finished(&self) {}
        fn processed(&self, _: u64, _: u64) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
        fn skipped(&self, _: u64) {}
        fn phase(&self, _: &str) {}
    }

    #[test]
    fn a_run_ended_by_an_error_is_marked_failed_with_what_it_counted() {
        let dir = tempfile::tempdir().unwrap();
        let bar = Counting::default();
        let outcome = recorded(dir.path(), "leak", &bar, |progress| {
            progress.discovered(3, 300);
            progress.discovery_finished();
            progress.processed(100, 1);
            progress.skipped(100);
            progress.records_read(1, 2);
            Err(IngestError::Thread("the catalog writer panicked".into()))
        });
        assert!(outcome.is_err());
        assert_eq!(
            bar.0.load(Ordering::Relaxed),
            1,
            "events reach the caller's"
        );
        let progress = read_progress(dir.path()).unwrap().unwrap();
        assert_eq!(progress.state, RunState::Failed);
        assert_eq!(progress.stage, IngestStage::Records);
        assert!(progress.counted);
        assert_eq!(
            (
                progress.files_found,
                progress.files_processed,
                progress.files_unchanged,
                progress.failures,
                progress.bytes_done
            ),
            (3, 1, 1, 1, 200)
        );
        assert!(progress.finished_at.is_some());
    }
}
