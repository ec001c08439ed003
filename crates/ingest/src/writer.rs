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

/// Applies batches until the channel closes, merging those that arrive within
/// `merge_wait` of the first into one transaction. With an index, keeps it in step every
/// [`INDEX_INTERVAL`] and at the end; without one (a server-mode worker, whose index is
/// the indexer's) writes the catalog only. `committed` hears of every batch once its
/// transaction is committed.
pub(crate) fn run(
    catalog: &dyn Catalog,
    blobs: &BlobStore,
    index: Option<&SearchIndex>,
    batches: Receiver<WriteBatch>,
    merge_wait: Duration,
    timings: &StageTimings,
    committed: &mut dyn FnMut(&WriteBatch) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    let mut writer = index.map(|index| index.writer(64 << 20)).transpose()?;
    let mut last_index = Instant::now();
    loop {
        match batches.recv_timeout(Duration::from_millis(500)) {
            Ok(first) => {
                let merged = merge_following(first, &batches, merge_wait);
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

/// `first` and the batches that follow it within `wait` (those already queued when
/// `wait` is zero), up to [`MERGE_BATCHES`] more or [`MERGE_TEXT_BYTES`] of text.
fn merge_following(
    first: WriteBatch,
    batches: &Receiver<WriteBatch>,
    wait: Duration,
) -> WriteBatch {
    let deadline = Instant::now() + wait;
    let mut merged = first;
    let mut text_bytes = merged.text_bytes();
    for _ in 0..MERGE_BATCHES {
        if text_bytes >= MERGE_TEXT_BYTES {
            break;
        }
        let Ok(next) = batches
            .try_recv()
            .or_else(|_| batches.recv_deadline(deadline))
        else {
            break;
        };
        text_bytes += next.text_bytes();
        merged.append(next);
    }
    merged
}

/// Indexes every document whose latest state the index lacks, commits, and
/// only then marks them indexed: a crash in between re-indexes them next time
/// (replacing, never duplicating).
pub fn sync_index(
    catalog: &dyn Catalog,
    writer: &mut IndexWriter,
    timings: &StageTimings,
) -> Result<u64, IngestError> {
    // Each blob with the state it was read in: one a worker changes while it is indexed
    // here stays to be indexed again (server mode; one writer has no such race).
    let pending = catalog.unindexed_as_read(usize::MAX >> 1)?;
    if pending.is_empty() {
        return Ok(0);
    }
    let start = Instant::now();
    for (id, _) in &pending {
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
    catalog.mark_indexed_if_unchanged(&pending)?;
    Ok(pending.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use trove_store::SourceFile;

    fn batch(path: &str) -> WriteBatch {
        WriteBatch {
            sources_done: vec![SourceFile {
                root: "/leak".to_owned(),
                path: path.to_owned(),
                size: 1,
                mtime_ns: 0,
            }],
            ..WriteBatch::default()
        }
    }

    #[test]
    fn batches_arriving_within_the_wait_share_a_transaction() {
        let (sender, receiver) = crossbeam_channel::unbounded();
        sender.send(batch("queued")).unwrap();
        let late = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            sender.send(batch("late")).unwrap();
        });
        let merged = merge_following(batch("first"), &receiver, Duration::from_secs(5));
        late.join().unwrap();
        let paths: Vec<&str> = merged
            .sources_done
            .iter()
            .map(|s| s.path.as_str())
            .collect();
        assert_eq!(paths, ["first", "queued", "late"]);
    }

    #[test]
    fn without_a_wait_only_what_is_queued_is_merged() {
        let (sender, receiver) = crossbeam_channel::unbounded();
        sender.send(batch("queued")).unwrap();
        let merged = merge_following(batch("first"), &receiver, Duration::ZERO);
        assert_eq!(merged.sources_done.len(), 2);
        sender.send(batch("later")).unwrap();
        assert_eq!(receiver.len(), 1, "left for the next transaction");
    }
}
