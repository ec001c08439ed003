//! Writes: every batch is one transaction, and every statement is idempotent
//! (INSERT OR IGNORE / upserts), so replaying a batch after a crash is safe.

use rusqlite::{Connection, params};
use trove_model::BlobId;

use crate::StoreError;
use crate::catalog::{ExtractionOutcome, WriteBatch};

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

pub(super) fn apply(connection: &mut Connection, batch: &WriteBatch) -> Result<(), StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    let tx = connection.transaction()?;
    {
        let mut insert_blob = tx.prepare_cached(&format!(
            "INSERT OR IGNORE INTO blobs (id, sha256, size, kind, status, first_seen)
             VALUES (?1, ?2, ?3, ?4, 'pending', {NOW})"
        ))?;
        for blob in &batch.blobs {
            insert_blob.execute(params![
                blob.hashes.blake3.as_str(),
                blob.hashes.sha256,
                blob.size as i64,
                blob.kind.code(),
            ])?;
        }

        for (blob, version, outcome) in &batch.extractions {
            write_extraction(&tx, blob, *version, outcome)?;
        }

        let mut insert_occurrence = tx.prepare_cached(&format!(
            "INSERT OR IGNORE INTO occurrences (blob, root, path, parent, name_kind, first_seen)
             VALUES (?1, ?2, ?3, ?4, ?5, {NOW})"
        ))?;
        // A new path for known content changes what the index must show, and what the
        // records stage reads from file names (list kinds, ID numbers of photos).
        let mut touch = tx.prepare_cached("UPDATE blobs SET indexed = 0 WHERE id = ?1")?;
        let mut reread = tx.prepare_cached("DELETE FROM record_sources WHERE blob = ?1")?;
        for occurrence in &batch.occurrences {
            let inserted = insert_occurrence.execute(params![
                occurrence.blob.as_str(),
                occurrence.root,
                occurrence.path,
                occurrence.parent.as_ref().map(BlobId::as_str),
                occurrence.name_kind.map(|k| k.code()),
            ])?;
            if inserted > 0 {
                touch.execute([occurrence.blob.as_str()])?;
                reread.execute([occurrence.blob.as_str()])?;
            }
        }

        let mut insert_failure = tx.prepare_cached(&format!(
            "INSERT INTO failures (root, source, path, blob, stage, reason, message, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {NOW})
             ON CONFLICT (root, path, stage) DO UPDATE SET
                 source = excluded.source, blob = excluded.blob, reason = excluded.reason,
                 message = excluded.message, at = excluded.at"
        ))?;
        for row in &batch.failures {
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

        let mut upsert_source = tx.prepare_cached(
            "INSERT INTO sources (root, path, size, mtime_ns, done) VALUES (?1, ?2, ?3, ?4, 1)
             ON CONFLICT (root, path) DO UPDATE SET
                 size = excluded.size, mtime_ns = excluded.mtime_ns, done = 1",
        )?;
        for source in &batch.sources_done {
            upsert_source.execute(params![
                source.root,
                source.path,
                source.size as i64,
                source.mtime_ns,
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn write_extraction(
    tx: &rusqlite::Transaction<'_>,
    blob: &BlobId,
    version: u32,
    outcome: &ExtractionOutcome,
) -> Result<(), StoreError> {
    tx.execute("DELETE FROM parts WHERE blob = ?1", [blob.as_str()])?;
    // New parts mean the blob's records must be read again.
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
                "INSERT INTO parts (blob, seq, kind, idx, label, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (seq, part) in parts.iter().enumerate() {
                insert_part.execute(params![
                    blob.as_str(),
                    seq as i64,
                    part.kind.code(),
                    part.index,
                    part.label,
                    part.text,
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

pub(super) fn reset_source(
    connection: &mut Connection,
    root: &str,
    source: &str,
) -> Result<(), StoreError> {
    let tx = connection.transaction()?;
    tx.execute(
        "UPDATE blobs SET status = 'pending', extractor_version = NULL
         WHERE status = 'failed'
           AND id IN (SELECT blob FROM failures WHERE root = ?1 AND source = ?2 AND blob IS NOT NULL)",
        params![root, source],
    )?;
    tx.execute(
        "DELETE FROM failures WHERE root = ?1 AND source = ?2",
        params![root, source],
    )?;
    tx.execute(
        "UPDATE sources SET done = 0 WHERE root = ?1 AND path = ?2",
        params![root, source],
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn mark_indexed(connection: &mut Connection, ids: &[BlobId]) -> Result<(), StoreError> {
    let tx = connection.transaction()?;
    {
        let mut mark = tx.prepare_cached("UPDATE blobs SET indexed = 1 WHERE id = ?1")?;
        for id in ids {
            mark.execute([id.as_str()])?;
        }
    }
    tx.commit()?;
    Ok(())
}
