//! What an ingest run did.

use std::time::Duration;

use crate::{OcrReport, RecordsReport, StageTimings};

/// Counts and timings of one run.
#[derive(Debug)]
pub struct IngestReport {
    /// The ingested folder as the catalog records it.
    pub root: String,
    /// Files found on disk (including those refused by the walk).
    pub files_found: u64,
    /// Files skipped because they were done and unchanged.
    pub files_unchanged: u64,
    /// Files hashed, stored and extracted in this run (new or changed).
    pub files_processed: u64,
    /// Bytes read from the files processed.
    pub bytes_processed: u64,
    /// Failures recorded during this run.
    pub failures_this_run: u64,
    /// Failures on record for this root after the run (what the exit code reports).
    pub failures_recorded: u64,
    /// The run was stopped early; running again resumes.
    pub interrupted: bool,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Time by stage and format, summed over the worker threads.
    pub timings: StageTimings,
    /// The records stage, run after extraction unless the run was interrupted.
    pub records: Option<RecordsReport>,
    /// The OCR stage, run last (so that the rest is searchable first) unless interrupted.
    pub ocr: Option<OcrReport>,
}
