//! The single writer: applies workers' batches to the catalog and keeps the
//! search index in step with it.
//!
//! SQLite has one writer at a time anyway; funnelling every write through
//! one thread lets it group many small batches into one transaction.

use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};
use trove_index::{IndexDocument, IndexWriter, SearchIndex};
use trove_store::{BlobStore, Catalog, WriteBatch};

use crate::IngestError;
use crate::timings::{StageTimings, TimedStage};

/// How often new documents are made searchable during a long ingest.
const INDEX_INTERVAL: Duration = Duration::from_secs(5);
/// Batches merged into one catalog transaction at most.
const MERGE_BATCHES: usize = 64;
/// Merging stops once this much text is held, to keep memory flat when
/// workers send large batches.
const MERGE_TEXT_BYTES: usize = 32 << 20;

/// Applies batches until the channel closes. With an index, keeps it in step every
/// [`INDEX_INTERVAL`] and at the end; without one (a server-mode worker, whose index is
/// the indexer's) writes the catalog only. `committed` hears of every batch once its
/// transaction is committed.
pub(crate) fn run(
    catalog: &dyn Catalog,
    blobs: &BlobStore,
    index: Option<&SearchIndex>,
    batches: Receiver<WriteBatch>,
    timings: &StageTimings,
    committed: &mut dyn FnMut(&WriteBatch) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    let mut writer = index.map(|index| index.writer(64 << 20)).transpose()?;
    let mut last_index = Instant::now();
    loop {
        match batches.recv_timeout(Duration::from_millis(500)) {
            Ok(first) => {
                let mut merged = first;
                let mut text_bytes = merged.text_bytes();
                for next in batches.try_iter().take(MERGE_BATCHES) {
                    text_bytes += next.text_bytes();
                    merged.append(next);
                    if text_bytes >= MERGE_TEXT_BYTES {
                        break;
                    }
                }
                if !merged.blobs.is_empty() {
                    timings.time(TimedStage::Store, || blobs.sync())?;
                }
                timings.time(TimedStage::Catalog, || catalog.write(&merged))?;
                committed(&merged)?;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if let Some(writer) = writer.as_mut()
            && last_index.elapsed() >= INDEX_INTERVAL
        {
            sync_index(catalog, writer, timings)?;
            last_index = Instant::now();
        }
    }
    if let Some(writer) = writer.as_mut() {
        sync_index(catalog, writer, timings)?;
    }
    Ok(())
}

/// Indexes every document whose latest state the index lacks, commits, and
/// only then marks them indexed: a crash in between re-indexes them next time
/// (replacing, never duplicating).
pub fn sync_index(
    catalog: &dyn Catalog,
    writer: &mut IndexWriter,
    timings: &StageTimings,
) -> Result<u64, IngestError> {
    let pending = catalog.unindexed(usize::MAX >> 1)?;
    if pending.is_empty() {
        return Ok(0);
    }
    let start = Instant::now();
    for id in &pending {
        let Some(document) = catalog.document(id)? else {
            continue;
        };
        let mut paths: Vec<String> = document
            .occurrences
            .iter()
            .map(|o| o.path.clone())
            .collect();
        paths.dedup();
        writer.replace(&IndexDocument {
            blob: &document.id,
            kind: document.kind,
            paths: &paths,
            metadata: &document.metadata,
            parts: &document.parts,
        })?;
    }
    writer.commit()?;
    timings.add(TimedStage::Index, start.elapsed());
    catalog.mark_indexed(&pending)?;
    Ok(pending.len() as u64)
}
