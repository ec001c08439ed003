//! Where ingest time goes, by stage and by format: summed over all worker
//! threads, so the figures add up to CPU-ish time, not wall time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use trove_model::FileKind;

/// The stages the benchmark reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimedStage {
    /// Reading a file and hashing it (BLAKE3, SHA-256).
    ReadAndHash,
    /// Writing originals into the blob store and syncing them.
    Store,
    /// Telling a file's type from its bytes.
    Detect,
    /// Reading archive members.
    Unpack,
    /// Extracting text, parts and metadata.
    Extract,
    /// Committing batches to the catalog.
    Catalog,
    /// Adding documents to the search index.
    Index,
}

impl TimedStage {
    /// Every stage, in the order a file meets them.
    pub const ALL: [TimedStage; 7] = [
        TimedStage::ReadAndHash,
        TimedStage::Store,
        TimedStage::Detect,
        TimedStage::Unpack,
        TimedStage::Extract,
        TimedStage::Catalog,
        TimedStage::Index,
    ];

    /// The stage's name in the benchmark report.
    pub fn name(self) -> &'static str {
        match self {
            TimedStage::ReadAndHash => "read and hash",
            TimedStage::Store => "store originals",
            TimedStage::Detect => "type detection",
            TimedStage::Unpack => "unpack archives",
            TimedStage::Extract => "extraction",
            TimedStage::Catalog => "catalog writes",
            TimedStage::Index => "indexing",
        }
    }
}

/// Accumulated nanoseconds per stage and per extracted format.
#[derive(Debug)]
pub struct StageTimings {
    stages: [AtomicU64; TimedStage::ALL.len()],
    formats: Vec<AtomicU64>,
    format_counts: Vec<AtomicU64>,
}

impl Default for StageTimings {
    fn default() -> Self {
        StageTimings {
            stages: Default::default(),
            formats: FileKind::ALL.iter().map(|_| AtomicU64::new(0)).collect(),
            format_counts: FileKind::ALL.iter().map(|_| AtomicU64::new(0)).collect(),
        }
    }
}

impl StageTimings {
    /// Runs `work`, adding its duration to `stage`.
    pub(crate) fn time<T>(&self, stage: TimedStage, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let result = work();
        self.add(stage, start.elapsed());
        result
    }

    pub(crate) fn add(&self, stage: TimedStage, elapsed: Duration) {
        self.stages[stage as usize].fetch_add(elapsed.as_nanos() as u64, Ordering::Relaxed);
    }

    /// Records one extraction of `kind` (also counted in the Extract stage).
    pub(crate) fn add_extraction(&self, kind: FileKind, elapsed: Duration) {
        self.add(TimedStage::Extract, elapsed);
        let slot = kind_slot(kind);
        self.formats[slot].fetch_add(elapsed.as_nanos() as u64, Ordering::Relaxed);
        self.format_counts[slot].fetch_add(1, Ordering::Relaxed);
    }

    /// Time spent in `stage`, summed over threads.
    pub fn stage(&self, stage: TimedStage) -> Duration {
        Duration::from_nanos(self.stages[stage as usize].load(Ordering::Relaxed))
    }

    /// (format, files extracted, time), for formats that were extracted.
    pub fn formats(&self) -> Vec<(FileKind, u64, Duration)> {
        FileKind::ALL
            .iter()
            .enumerate()
            .filter_map(|(slot, &kind)| {
                let count = self.format_counts[slot].load(Ordering::Relaxed);
                let nanos = self.formats[slot].load(Ordering::Relaxed);
                (count > 0).then(|| (kind, count, Duration::from_nanos(nanos)))
            })
            .collect()
    }
}

fn kind_slot(kind: FileKind) -> usize {
    FileKind::ALL.iter().position(|&k| k == kind).unwrap_or(0)
}
