//! The floor: the leak's files read and hashed, nothing more.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use serde::Serialize;

/// The files of the leak, listed once so that every measurement sees the same set.
pub(crate) struct Corpus {
    pub(super) files: Vec<PathBuf>,
    pub(super) bytes: u64,
}

impl Corpus {
    pub(crate) fn list(leak: &Path) -> anyhow::Result<Corpus> {
        let mut files = Vec::new();
        let mut bytes = 0;
        for entry in walkdir::WalkDir::new(leak).sort_by_file_name() {
            let entry = entry.with_context(|| format!("listing {}", leak.display()))?;
            if entry.file_type().is_file() {
                let metadata = entry
                    .metadata()
                    .with_context(|| format!("reading the size of {}", entry.path().display()))?;
                bytes += metadata.len();
                files.push(entry.into_path());
            }
        }
        Ok(Corpus { files, bytes })
    }

    /// Waits for the disk to write back what earlier work left dirty, then reads every
    /// file once and throws the bytes away, so the next measurement finds them in the
    /// page cache and shares the disk with nothing.
    pub(crate) fn warm_page_cache(&self, workers: usize) -> anyhow::Result<()> {
        write_back_everything();
        read_in_parallel(&self.files, workers, |_| ()).map(drop)
    }
}

/// Waits until the system has written every dirty page to disk.
fn write_back_everything() {
    // SAFETY: sync(2) takes no arguments; it only starts and waits for write-back.
    unsafe {
        libc::sync();
    }
}

/// Reads every file on `workers` threads taking paths from a shared list, hands
/// the bytes to `consume`, and returns the wall time.
pub(super) fn read_in_parallel(
    files: &[PathBuf],
    workers: usize,
    consume: impl Fn(&[u8]) + Sync,
) -> anyhow::Result<Duration> {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    thread::scope(|scope| {
        let readers: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<()> {
                    while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let bytes = fs::read(path)
                            .with_context(|| format!("reading {}", path.display()))?;
                        consume(&bytes);
                    }
                    Ok(())
                })
            })
            .collect();
        readers.into_iter().try_for_each(|reader| {
            reader
                .join()
                .map_err(|_| anyhow!("a reader thread panicked"))?
        })
    })?;
    Ok(started.elapsed())
}

/// One measured run over the corpus.
#[derive(Debug, Serialize)]
pub(super) struct Measurement {
    pub(super) files: u64,
    pub(super) bytes: u64,
    pub(super) seconds: f64,
    pub(super) files_per_second: f64,
    pub(super) mb_per_second: f64,
    /// Peak resident memory; for the Python reference, of its largest process.
    pub(super) peak_rss_bytes: Option<u64>,
}

impl Measurement {
    pub(super) fn new(
        files: u64,
        bytes: u64,
        seconds: f64,
        peak_rss_bytes: Option<u64>,
    ) -> Measurement {
        Measurement {
            files,
            bytes,
            seconds,
            files_per_second: files as f64 / seconds,
            mb_per_second: bytes as f64 / 1e6 / seconds,
            peak_rss_bytes,
        }
    }
}

/// Read + BLAKE3 + SHA-256 of every file, with trove's own hashing code.
pub(super) fn measure_floor(corpus: &Corpus, workers: usize) -> anyhow::Result<Measurement> {
    corpus.warm_page_cache(workers)?;
    let elapsed = read_in_parallel(&corpus.files, workers, |bytes| {
        // black_box: the digests are never used, and must not be optimised away.
        std::hint::black_box(trove_store::hash_bytes(bytes));
    })?;
    Ok(Measurement::new(
        corpus.files.len() as u64,
        corpus.bytes,
        elapsed.as_secs_f64(),
        None,
    ))
}
