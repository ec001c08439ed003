//! The pieces of a catalog write batch, each run inside the batch's one transaction.
//! Every statement is idempotent (INSERT OR IGNORE / upserts), so replaying a batch
//! after a crash is safe.

use rusqlite::{Transaction, params};
use trove_model::BlobId;

use crate::StoreError;
use crate::catalog::{ExtractionOutcome, FailureRow, NewBlob, Occurrence, SourceFile};
use crate::decode::{hidden_json, member_time_text};

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

/// Content seen for the first time, pending extraction; known content is left alone.
pub(super) fn insert_blobs(tx: &Transaction<'_>, blobs: &[NewBlob]) -> Result<(), StoreError> {
    let mut insert_blob = tx.prepare_cached(&format!(
        "INSERT OR IGNORE INTO blobs (id, sha256, size, kind, status, first_seen)
         VALUES (?1, ?2, ?3, ?4, 'pending', {NOW})"
    ))?;
    for blob in blobs {
        insert_blob.execute(params![
            blob.hashes.blake3.as_str(),
            blob.hashes.sha256,
            blob.size as i64,
            blob.kind.code(),
        ])?;
    }
    Ok(())
}

/// Replaces a blob's parts, metadata and thumbnail with what its extractor found.
pub(super) fn store_extraction(
    tx: &Transaction<'_>,
    blob: &BlobId,
    version: u32,
    outcome: &ExtractionOutcome,
) -> Result<(), StoreError> {
    tx.execute("DELETE FROM parts WHERE blob = ?1", [blob.as_str()])?;
    // New parts mean the blob's OCR (whose parts just went) and records are done again.
    tx.execute("DELETE FROM ocr_sources WHERE blob = ?1", [blob.as_str()])?;
    tx.execute("DELETE FROM ocr_pages WHERE blob = ?1", [blob.as_str()])?;
    tx.execute(
        "DELETE FROM record_sources WHERE blob = ?1",
        [blob.as_str()],
    )?;
    let (metadata, thumbnail, truncated) = match outcome {
        ExtractionOutcome::Extracted {
            parts,
            metadata,
            thumbnail,
            truncated,
        } => {
            let mut insert_part = tx.prepare_cached(
                "INSERT INTO parts (blob, seq, kind, idx, label, text, hidden)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (seq, part) in parts.iter().enumerate() {
                insert_part.execute(params![
                    blob.as_str(),
                    seq as i64,
                    part.kind.code(),
                    part.index,
                    part.label,
                    part.text,
                    hidden_json(&part.hidden)?,
                ])?;
            }
            let json = serde_json::to_string(metadata)
                .map_err(|e| StoreError::Corrupt(format!("metadata of {blob}: {e}")))?;
            (json, thumbnail.as_deref(), *truncated)
        }
        _ => ("{}".to_owned(), None, false),
    };
    tx.execute(
        "UPDATE blobs SET status = ?2, extractor_version = ?3, metadata = ?4, thumbnail = ?5,
                truncated = ?6, indexed = 0
         WHERE id = ?1",
        params![
            blob.as_str(),
            outcome.status(),
            version,
            metadata,
            thumbnail,
            truncated
        ],
    )?;
    Ok(())
}

/// New places blobs were seen; a place already known is left alone.
pub(super) fn insert_occurrences(
    tx: &Transaction<'_>,
    occurrences: &[Occurrence],
) -> Result<(), StoreError> {
    let mut insert_occurrence = tx.prepare_cached(&format!(
        "INSERT OR IGNORE INTO occurrences
             (blob, root, path, parent, name_kind, member_time, first_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, {NOW})"
    ))?;
    // A new path for known content changes what the index must show, and what the
    // records stage reads from file names (list kinds, ID numbers of photos).
    let mut touch = tx.prepare_cached("UPDATE blobs SET indexed = 0 WHERE id = ?1")?;
    let mut reread = tx.prepare_cached("DELETE FROM record_sources WHERE blob = ?1")?;
    for occurrence in occurrences {
        let inserted = insert_occurrence.execute(params![
            occurrence.blob.as_str(),
            occurrence.root,
            occurrence.path,
            occurrence.parent.as_ref().map(BlobId::as_str),
            occurrence.name_kind.map(|k| k.code()),
            occurrence.member_time.map(member_time_text),
        ])?;
        if inserted > 0 {
            touch.execute([occurrence.blob.as_str()])?;
            reread.execute([occurrence.blob.as_str()])?;
        }
    }
    Ok(())
}

/// Failures met; one met again at the same place and stage replaces the old one.
pub(super) fn upsert_failures(
    tx: &Transaction<'_>,
    failures: &[FailureRow],
) -> Result<(), StoreError> {
    let mut insert_failure = tx.prepare_cached(&format!(
        "INSERT INTO failures (root, source, path, blob, stage, reason, message, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {NOW})
         ON CONFLICT (root, path, stage) DO UPDATE SET
             source = excluded.source, blob = excluded.blob, reason = excluded.reason,
             message = excluded.message, at = excluded.at"
    ))?;
    for row in failures {
        insert_failure.execute(params![
            row.root,
            row.source,
            row.path,
            row.blob.as_ref().map(BlobId::as_str),
            row.failure.stage.code(),
            row.failure.reason.code(),
            row.failure.message,
        ])?;
    }
    Ok(())
}

/// Sources whose every blob and failure is written: the next ingest skips them
/// unless their size or modification time changes.
pub(super) fn mark_sources_done(
    tx: &Transaction<'_>,
    sources: &[SourceFile],
) -> Result<(), StoreError> {
    let mut upsert_source = tx.prepare_cached(
        "INSERT INTO sources (root, path, size, mtime_ns, done) VALUES (?1, ?2, ?3, ?4, 1)
         ON CONFLICT (root, path) DO UPDATE SET
             size = excluded.size, mtime_ns = excluded.mtime_ns, done = 1",
    )?;
    for source in sources {
        upsert_source.execute(params![
            source.root,
            source.path,
            source.size as i64,
            source.mtime_ns,
        ])?;
    }
    Ok(())
}
