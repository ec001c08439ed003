//! Limits and switches of an ingest run.

/// Bounds that keep hostile archives from exhausting memory or disk.
#[derive(Debug, Clone, Copy)]
pub struct ArchiveLimits {
    /// Archives inside archives deeper than this are catalogued, not opened.
    pub max_depth: u32,
    /// Total bytes one top-level file may expand to, over all nesting.
    pub max_expanded_bytes: u64,
    /// A member larger than this many times its compressed size (and larger
    /// than `ratio_floor_bytes`) is treated as a decompression bomb.
    pub max_ratio: u64,
    /// Members smaller than this are never judged by ratio (tiny files of
    /// zeros compress extremely well and are harmless).
    pub ratio_floor_bytes: u64,
    /// Members per archive.
    pub max_members: usize,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        ArchiveLimits {
            max_depth: 8,
            max_expanded_bytes: 16 << 30,
            max_ratio: 200,
            ratio_floor_bytes: 8 << 20,
            max_members: 1_000_000,
        }
    }
}

/// How an ingest run behaves.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Worker threads that hash, unpack and extract (default: the cores).
    pub workers: usize,
    /// Files larger than this are hashed and stored by streaming but not
    /// held in memory for extraction (recorded as too large).
    pub max_in_memory_bytes: u64,
    /// Bounds on unpacking archives (depth, expanded size, ratio), against zip bombs.
    pub archive: ArchiveLimits,
    /// Bounds on what extraction keeps per file (text, embedded files).
    pub extract: trove_extract::Limits,
    /// Time one file's extraction may take: past it, the extractor stops at its next
    /// page, sheet or slide, keeps what it read, and a `timed_out` failure is recorded.
    pub max_file_time: std::time::Duration,
    /// Re-run only the files whose processing failed before.
    pub retry_failed: bool,
    /// Overrides for reading person lists (see `trove_records::mapping`).
    pub mapping: trove_records::Mapping,
    /// Whether and in which languages scanned pages are read (the OCR stage).
    pub ocr: crate::OcrOptions,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_in_memory_bytes: 128 << 20,
            archive: ArchiveLimits::default(),
            extract: trove_extract::Limits::default(),
            max_file_time: std::time::Duration::from_secs(60),
            retry_failed: false,
            mapping: trove_records::Mapping::default(),
            ocr: crate::OcrOptions::default(),
        }
    }
}
