//! Buffering a worker's results and handing them to the writer in pieces
//! small enough to bound memory on huge archives.

use crossbeam_channel::Sender;
use trove_store::{ExtractionOutcome, WriteBatch};

/// Flush once this much extracted text is buffered.
const FLUSH_TEXT_BYTES: usize = 16 << 20;
/// Flush once this many documents are buffered.
const FLUSH_DOCUMENTS: usize = 512;

pub(crate) struct BatchSender<'a> {
    sender: &'a Sender<WriteBatch>,
    batch: WriteBatch,
    text_bytes: usize,
    pub(crate) failures: u64,
}

impl<'a> BatchSender<'a> {
    pub(crate) fn new(sender: &'a Sender<WriteBatch>) -> Self {
        BatchSender {
            sender,
            batch: WriteBatch::default(),
            text_bytes: 0,
            failures: 0,
        }
    }

    /// The batch being filled.
    pub(crate) fn batch(&mut self) -> &mut WriteBatch {
        &mut self.batch
    }

    /// Adds an outcome's text to the running total that decides flushing.
    pub(crate) fn count_text(&mut self, outcome: &ExtractionOutcome) {
        if let ExtractionOutcome::Extracted { parts, .. } = outcome {
            self.text_bytes += parts.iter().map(|p| p.text.len()).sum::<usize>();
        }
    }

    /// Sends the batch if it has grown large.
    pub(crate) fn maybe_flush(&mut self) {
        if self.text_bytes >= FLUSH_TEXT_BYTES || self.batch.occurrences.len() >= FLUSH_DOCUMENTS {
            self.flush();
        }
    }

    /// Sends whatever is buffered. A closed channel means the writer is gone
    /// (it failed and reports why); the work is then simply dropped and the
    /// source stays not-done, to be redone by the next run.
    pub(crate) fn flush(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.batch);
        self.text_bytes = 0;
        let _ = self.sender.send(batch);
    }
}
