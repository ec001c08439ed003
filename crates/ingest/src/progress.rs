//! Progress reporting, as a trait so that the CLI can draw a bar and tests
//! can stay silent.

/// Receives progress events from every thread of an ingest run.
pub trait Progress: Send + Sync {
    /// More files were found on disk (the totals grow while the tree is counted).
    fn discovered(&self, files: u64, bytes: u64);
    /// Counting the tree is complete: the totals are final.
    fn discovery_finished(&self);
    /// A file (and everything inside it) was processed.
    fn processed(&self, bytes: u64, failures: u64);
    /// A file was unchanged since the last ingest and skipped.
    fn skipped(&self, bytes: u64);
    /// A phase of the run began ("indexing", "finishing").
    fn phase(&self, name: &str);
    /// The records stage has read `done` of `total` sheets and photos.
    fn records_read(&self, done: u64, total: u64) {
        let _ = (done, total);
    }
    /// The OCR stage has read `done` of `total` pages.
    fn ocr_pages(&self, done: u64, total: u64) {
        let _ = (done, total);
    }
}

/// Progress that goes nowhere.
pub struct Silent;

impl Progress for Silent {
    fn discovered(&self, _: u64, _: u64) {}
    fn discovery_finished(&self) {}
    fn processed(&self, _: u64, _: u64) {}
    fn skipped(&self, _: u64) {}
    fn phase(&self, _: &str) {}
}
