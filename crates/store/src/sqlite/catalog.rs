//! The catalog facet on SQLite: each [`Catalog`] operation in full. The pieces of a
//! write batch are in `write.rs`, the decoders of stored codes in `decode.rs`; the reads
//! a document shares with other operations (its occurrences, its failures) are the
//! helpers at the end of this file.

use rusqlite::{Connection, OptionalExtension, Row, params};
use trove_model::{BlobId, Failure, FileKind, Metadata, Part};

use super::SqliteCatalog;
use super::write;
use crate::StoreError;
use crate::catalog::{
    BlobState, Catalog, DocumentView, FailureRow, FailureTally, Occurrence, RecordedBlob, SeenAt,
    SourceFile, SourceState, StatusSummary, WriteBatch,
};
use crate::connection::collect_rows;
use crate::decode::{
    parse_blob_id, parse_hidden, parse_kind, parse_member_time, parse_metadata, parse_part_kind,
    parse_reason, parse_stage,
};

impl Catalog for SqliteCatalog {
    fn source(&self, root: &str, path: &str) -> Result<Option<SourceState>, StoreError> {
        self.with_connection(|connection| {
            let state = connection
                .prepare_cached(
                    "SELECT size, mtime_ns, done FROM sources WHERE root = ?1 AND path = ?2",
                )?
                .query_row(params![root, path], |row| {
                    Ok(SourceState {
                        size: row.get::<_, i64>(0)? as u64,
                        mtime_ns: row.get(1)?,
                        done: row.get(2)?,
                    })
                })
                .optional()?;
            Ok(state)
        })
    }

    fn blob_state(&self, id: &BlobId) -> Result<Option<BlobState>, StoreError> {
        self.with_connection(|connection| {
            let row = connection
                .prepare_cached("SELECT kind, status, extractor_version FROM blobs WHERE id = ?1")?
                .query_row([id.as_str()], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, Option<u32>>(2)?,
                    ))
                })
                .optional()?;
            row.map(|(kind, status, extractor_version)| {
                Ok(BlobState {
                    kind: parse_kind(&kind)?,
                    status,
                    extractor_version,
                })
            })
            .transpose()
        })
    }

    fn write(&self, batch: &WriteBatch) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        self.with_connection(|connection| {
            let tx = connection.transaction()?;
            write::insert_blobs(&tx, &batch.blobs)?;
            for (blob, version, outcome) in &batch.extractions {
                write::store_extraction(&tx, blob, *version, outcome)?;
            }
            write::insert_occurrences(&tx, &batch.occurrences)?;
            write::upsert_failures(&tx, &batch.failures)?;
            write::mark_sources_done(&tx, &batch.sources_done)?;
            tx.commit()?;
            Ok(())
        })
    }

    fn failed_sources(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection
                .prepare("SELECT DISTINCT root, source FROM failures ORDER BY root, source")?;
            collect_rows(&mut statement, [], |row| Ok((row.get(0)?, row.get(1)?)))
        })
    }

    fn reset_source(&self, root: &str, path: &str) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let tx = connection.transaction()?;
            tx.execute(
                // A blob read only in part because it ran out of time is extracted, but
                // read again like a failed one.
                "UPDATE blobs SET status = 'pending', extractor_version = NULL
                 WHERE id IN (SELECT f.blob FROM failures f
                              WHERE f.root = ?1 AND f.source = ?2 AND f.blob IS NOT NULL
                                AND (blobs.status = 'failed' OR f.reason = 'timed_out'))",
                params![root, path],
            )?;
            tx.execute(
                "DELETE FROM failures WHERE root = ?1 AND source = ?2",
                params![root, path],
            )?;
            tx.execute(
                "UPDATE sources SET done = 0 WHERE root = ?1 AND path = ?2",
                params![root, path],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn unindexed(&self, limit: usize) -> Result<Vec<BlobId>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT id FROM blobs WHERE indexed = 0 AND status != 'pending' ORDER BY id LIMIT ?1",
            )?;
            collect_rows(&mut statement, [limit as i64], |row| {
                parse_blob_id(&row.get::<_, String>(0)?)
            })
        })
    }

    fn mark_indexed(&self, ids: &[BlobId]) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let tx = connection.transaction()?;
            {
                let mut mark = tx.prepare_cached("UPDATE blobs SET indexed = 1 WHERE id = ?1")?;
                for id in ids {
                    mark.execute([id.as_str()])?;
                }
            }
            tx.commit()?;
            Ok(())
        })
    }

    fn mark_all_unindexed(&self) -> Result<u64, StoreError> {
        self.with_connection(|connection| {
            Ok(connection.execute("UPDATE blobs SET indexed = 0", [])? as u64)
        })
    }

    fn document(&self, id: &BlobId) -> Result<Option<DocumentView>, StoreError> {
        self.with_connection(|connection| {
            let head = connection
                .prepare_cached(
                    "SELECT sha256, size, kind, status, extractor_version, metadata, truncated,
                            thumbnail IS NOT NULL
                     FROM blobs WHERE id = ?1",
                )?
                .query_row([id.as_str()], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, Option<u32>>(4)?,
                        row.get::<_, String>(5)?,
                        row.get::<_, bool>(6)?,
                        row.get::<_, bool>(7)?,
                    ))
                })
                .optional()?;
            let Some((
                sha256,
                size,
                kind,
                status,
                extractor_version,
                metadata,
                truncated,
                has_thumbnail,
            )) = head
            else {
                return Ok(None);
            };
            let metadata = parse_metadata(id.as_str(), &metadata)?;
            Ok(Some(DocumentView {
                id: id.clone(),
                sha256,
                size: size as u64,
                kind: parse_kind(&kind)?,
                status,
                extractor_version,
                metadata,
                truncated,
                has_thumbnail,
                parts: parts_of(connection, id)?,
                occurrences: occurrences_where(connection, "blob", id.as_str())?,
                children: occurrences_where(connection, "parent", id.as_str())?,
                failures: failures_of(connection, Some(id))?,
            }))
        })
    }

    fn thumbnail(&self, id: &BlobId) -> Result<Option<Vec<u8>>, StoreError> {
        self.with_connection(|connection| {
            let thumbnail = connection
                .prepare_cached("SELECT thumbnail FROM blobs WHERE id = ?1")?
                .query_row([id.as_str()], |row| row.get::<_, Option<Vec<u8>>>(0))
                .optional()?;
            Ok(thumbnail.flatten())
        })
    }

    fn occurrences_at(&self, path: &str) -> Result<Vec<Occurrence>, StoreError> {
        self.with_connection(|connection| occurrences_where(connection, "path", path))
    }

    fn resolve(&self, prefix: &str) -> Result<BlobId, StoreError> {
        let prefix = prefix.trim().to_ascii_lowercase();
        let is_hex = prefix.len() >= 8 && prefix.bytes().all(|b| b.is_ascii_hexdigit());
        if !is_hex {
            return Err(StoreError::UnknownDocument(prefix));
        }
        // Hex digits sort as ASCII, so a prefix range scan finds the candidates.
        let upper = format!("{prefix}g");
        self.with_connection(|connection| {
            let mut statement = connection
                .prepare_cached("SELECT id FROM blobs WHERE id >= ?1 AND id < ?2 LIMIT 2")?;
            let ids: Vec<String> =
                collect_rows(&mut statement, params![prefix, upper], |row| row.get(0))?;
            match ids.as_slice() {
                [] => Err(StoreError::UnknownDocument(prefix)),
                [only] => parse_blob_id(only),
                _ => {
                    let count: i64 = connection.query_row(
                        "SELECT COUNT(*) FROM blobs WHERE id >= ?1 AND id < ?2",
                        params![prefix, upper],
                        |row| row.get(0),
                    )?;
                    Err(StoreError::AmbiguousDocument {
                        prefix,
                        count: count as usize,
                    })
                }
            }
        })
    }

    fn status(&self) -> Result<StatusSummary, StoreError> {
        self.with_connection(|connection| {
            let count = |sql: &str| -> Result<u64, StoreError> {
                let n: i64 = connection.query_row(sql, [], |row| row.get(0))?;
                Ok(n as u64)
            };
            let (documents, bytes): (i64, i64) = connection.query_row(
                "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM blobs",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            let occurrences = count("SELECT COUNT(*) FROM occurrences")?;
            let unindexed =
                count("SELECT COUNT(*) FROM blobs WHERE indexed = 0 AND status != 'pending'")?;

            let mut statement = connection.prepare(
                "SELECT kind, COUNT(*), SUM(size) FROM blobs GROUP BY kind
                 ORDER BY COUNT(*) DESC, kind",
            )?;
            let by_kind = collect_rows::<_, _, StoreError>(&mut statement, [], |row| {
                let kind = parse_kind(&row.get::<_, String>(0)?)?;
                Ok((
                    kind,
                    row.get::<_, i64>(1)? as u64,
                    row.get::<_, i64>(2)? as u64,
                ))
            })?;

            let mut statement = connection
                .prepare("SELECT status, COUNT(*) FROM blobs GROUP BY status ORDER BY status")?;
            let by_status = collect_rows::<_, _, StoreError>(&mut statement, [], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)? as u64))
            })?;

            let mut statement = connection.prepare(
                "SELECT stage, reason, COUNT(*) FROM failures GROUP BY stage, reason
                 ORDER BY COUNT(*) DESC, stage, reason",
            )?;
            let failures = collect_rows(&mut statement, [], failure_tally)?;

            Ok(StatusSummary {
                documents: documents as u64,
                occurrences,
                bytes: bytes as u64,
                by_kind,
                by_status,
                failures,
                unindexed,
            })
        })
    }

    fn failure_count(&self, root: &str) -> Result<u64, StoreError> {
        self.with_connection(|connection| {
            let count: i64 = connection.query_row(
                "SELECT COUNT(*) FROM failures WHERE root = ?1",
                [root],
                |row| row.get(0),
            )?;
            Ok(count as u64)
        })
    }

    fn failures(&self) -> Result<Vec<FailureRow>, StoreError> {
        self.with_connection(|connection| failures_of(connection, None))
    }

    fn for_each_blob(
        &self,
        visit: &mut dyn FnMut(RecordedBlob) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let mut statement =
                connection.prepare("SELECT id, sha256, size FROM blobs ORDER BY id")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                visit(RecordedBlob {
                    id: parse_blob_id(&row.get::<_, String>(0)?)?,
                    sha256: row.get(1)?,
                    size: row.get::<_, i64>(2)? as u64,
                })?;
            }
            Ok(())
        })
    }

    fn for_each_metadata(
        &self,
        visit: &mut dyn FnMut(BlobId, FileKind, Metadata) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare(
                "SELECT id, kind, metadata FROM blobs WHERE status = 'extracted' ORDER BY id",
            )?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let id: String = row.get(0)?;
                let metadata = parse_metadata(&id, &row.get::<_, String>(2)?)?;
                visit(
                    parse_blob_id(&id)?,
                    parse_kind(&row.get::<_, String>(1)?)?,
                    metadata,
                )?;
            }
            Ok(())
        })
    }

    fn for_each_source(
        &self,
        visit: &mut dyn FnMut(SourceFile, bool) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare(
                "SELECT root, path, size, mtime_ns, done FROM sources ORDER BY root, path",
            )?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let source = SourceFile {
                    root: row.get(0)?,
                    path: row.get(1)?,
                    size: row.get::<_, i64>(2)? as u64,
                    mtime_ns: row.get(3)?,
                };
                visit(source, row.get(4)?)?;
            }
            Ok(())
        })
    }

    fn for_each_occurrence(
        &self,
        visit: &mut dyn FnMut(SeenAt) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare(
                "SELECT o.blob, o.root, o.path, o.parent, o.name_kind, o.member_time,
                        o.first_seen, b.sha256, b.size
                 FROM occurrences o JOIN blobs b ON b.id = o.blob
                 ORDER BY o.root, o.path, o.blob",
            )?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let occurrence = occurrence_from(row)?;
                visit(SeenAt {
                    first_seen: row.get(6)?,
                    blob: RecordedBlob {
                        id: occurrence.blob.clone(),
                        sha256: row.get(7)?,
                        size: row.get::<_, i64>(8)? as u64,
                    },
                    occurrence,
                })?;
            }
            Ok(())
        })
    }
}

/// A blob's parts, in the order its extractor produced them.
fn parts_of(connection: &Connection, id: &BlobId) -> Result<Vec<Part>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT kind, idx, label, text, hidden FROM parts WHERE blob = ?1 ORDER BY seq",
    )?;
    collect_rows(&mut statement, [id.as_str()], |row| {
        Ok(Part {
            kind: parse_part_kind(&row.get::<_, String>(0)?)?,
            index: row.get(1)?,
            label: row.get(2)?,
            text: row.get(3)?,
            hidden: parse_hidden(row.get(4)?)?,
        })
    })
}

/// Occurrences where `column` (`blob`, `parent` or `path`) equals `value`.
fn occurrences_where(
    connection: &Connection,
    column: &str,
    value: &str,
) -> Result<Vec<Occurrence>, StoreError> {
    let sql = format!(
        "SELECT blob, root, path, parent, name_kind, member_time FROM occurrences
         WHERE {column} = ?1 ORDER BY root, path"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    collect_rows(&mut statement, [value], occurrence_from)
}

/// An occurrence from a row whose first columns are blob, root, path, parent,
/// name_kind and member_time.
fn occurrence_from(row: &rusqlite::Row<'_>) -> Result<Occurrence, StoreError> {
    let parent: Option<String> = row.get(3)?;
    let name_kind: Option<String> = row.get(4)?;
    let member_time: Option<String> = row.get(5)?;
    Ok(Occurrence {
        blob: parse_blob_id(&row.get::<_, String>(0)?)?,
        root: row.get(1)?,
        path: row.get(2)?,
        parent: parent.as_deref().map(parse_blob_id).transpose()?,
        name_kind: name_kind.as_deref().map(parse_kind).transpose()?,
        member_time: member_time.as_deref().map(parse_member_time).transpose()?,
    })
}

/// Failures, all of them or those of one blob.
fn failures_of(
    connection: &Connection,
    blob: Option<&BlobId>,
) -> Result<Vec<FailureRow>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT root, source, path, blob, stage, reason, message FROM failures
         WHERE ?1 IS NULL OR blob = ?1 ORDER BY id",
    )?;
    collect_rows(&mut statement, [blob.map(BlobId::as_str)], failure_row)
}

fn failure_row(row: &Row<'_>) -> Result<FailureRow, StoreError> {
    let blob: Option<String> = row.get(3)?;
    let stage: String = row.get(4)?;
    let reason: String = row.get(5)?;
    let message: String = row.get(6)?;
    Ok(FailureRow {
        root: row.get(0)?,
        source: row.get(1)?,
        path: row.get(2)?,
        blob: blob.as_deref().map(parse_blob_id).transpose()?,
        failure: Failure::new(parse_stage(&stage)?, parse_reason(&reason)?, message),
    })
}

/// One line of `status`'s failure table: how often a stage failed for one reason.
fn failure_tally(row: &Row<'_>) -> Result<FailureTally, StoreError> {
    let stage: String = row.get(0)?;
    let reason: String = row.get(1)?;
    Ok(FailureTally {
        stage: parse_stage(&stage)?,
        reason: parse_reason(&reason)?,
        count: row.get::<_, i64>(2)? as u64,
    })
}
