//! The catalog facet on PostgreSQL: each [`Catalog`] operation, with the same meaning
//! as on SQLite (`sqlite/catalog.rs`), so that the contract tests pass on both.
//!
//! As on SQLite, a new extraction clears a blob's OCR and record sources, and a new path
//! its record sources.

use postgres::{GenericClient, Row, Transaction};
use trove_model::{BlobId, Failure, FileKind, Metadata, Part};

use super::{NOW, PgCatalog, last_of_each, walk};
use crate::StoreError;
use crate::catalog::{
    BlobState, Catalog, DocumentView, ExtractionOutcome, FailureRow, FailureTally, NewBlob,
    Occurrence, RecordedBlob, SeenAt, SourceFile, SourceState, StatusSummary, WriteBatch,
};
use crate::decode::{
    hidden_json, member_time_text, parse_blob_id, parse_hidden, parse_kind, parse_member_time,
    parse_metadata, parse_part_kind, parse_reason, parse_stage,
};

impl Catalog for PgCatalog {
    fn source(&self, root: &str, path: &str) -> Result<Option<SourceState>, StoreError> {
        self.with_client(|client| {
            let row = client.query_opt(
                "SELECT size, mtime_ns, done FROM sources WHERE root = $1 AND path = $2",
                &[&root, &path],
            )?;
            Ok(row.map(|row| SourceState {
                size: row.get::<_, i64>(0) as u64,
                mtime_ns: row.get(1),
                done: row.get(2),
            }))
        })
    }

    fn sources(
        &self,
        root: &str,
        paths: &[String],
    ) -> Result<std::collections::HashMap<String, SourceState>, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query(
                    "SELECT path, size, mtime_ns, done FROM sources
                     WHERE root = $1 AND path = ANY($2)",
                    &[&root, &paths],
                )?
                .iter()
                .map(|row| {
                    let state = SourceState {
                        size: row.get::<_, i64>(1) as u64,
                        mtime_ns: row.get(2),
                        done: row.get(3),
                    };
                    (row.get(0), state)
                })
                .collect())
        })
    }

    fn blob_state(&self, id: &BlobId) -> Result<Option<BlobState>, StoreError> {
        self.with_client(|client| {
            let row = client.query_opt(
                "SELECT kind, status, extractor_version FROM blobs WHERE id = $1",
                &[&id.as_str()],
            )?;
            row.map(|row| {
                Ok(BlobState {
                    kind: parse_kind(row.get(0))?,
                    status: row.get(1),
                    extractor_version: row.get::<_, Option<i32>>(2).map(|v| v as u32),
                })
            })
            .transpose()
        })
    }

    fn write(&self, batch: &WriteBatch) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        self.with_client(|client| {
            // Workers on other machines write the same content at once (a file both
            // met): a deadlock or a clash between two such batches is resolved by
            // writing again, which changes nothing that was already written.
            let mut attempt = 1;
            loop {
                let written = write_batch(client, batch);
                match written {
                    Err(StoreError::PgQuery(error))
                        if attempt < WRITE_ATTEMPTS && clash(&error) =>
                    {
                        attempt += 1;
                        std::thread::sleep(std::time::Duration::from_millis(20 * attempt));
                    }
                    other => return other,
                }
            }
        })
    }

    fn failed_sources(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.with_client(|client| {
            let rows = client.query(
                r#"SELECT DISTINCT root COLLATE "C", source COLLATE "C" FROM failures ORDER BY 1, 2"#,
                &[],
            )?;
            Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
        })
    }

    fn reset_source(&self, root: &str, path: &str) -> Result<(), StoreError> {
        self.with_client(|client| {
            let mut tx = client.transaction()?;
            tx.execute(
                // As on SQLite: a blob cut short by its deadline is read again too.
                "UPDATE blobs SET status = 'pending', extractor_version = NULL,
                     generation = generation + 1
                 WHERE id IN (SELECT f.blob FROM failures f
                              WHERE f.root = $1 AND f.source = $2 AND f.blob IS NOT NULL
                                AND (blobs.status = 'failed' OR f.reason = 'timed_out'))",
                &[&root, &path],
            )?;
            tx.execute(
                "DELETE FROM failures WHERE root = $1 AND source = $2",
                &[&root, &path],
            )?;
            tx.execute(
                "UPDATE sources SET done = FALSE WHERE root = $1 AND path = $2",
                &[&root, &path],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn unindexed(&self, limit: usize) -> Result<Vec<BlobId>, StoreError> {
        self.with_client(|client| {
            let rows = client.query(
                "SELECT id FROM blobs WHERE NOT indexed AND status <> 'pending'
                 ORDER BY id LIMIT $1",
                &[&(limit as i64)],
            )?;
            rows.iter().map(|row| parse_blob_id(row.get(0))).collect()
        })
    }

    fn mark_indexed(&self, ids: &[BlobId]) -> Result<(), StoreError> {
        let ids: Vec<&str> = ids.iter().map(BlobId::as_str).collect();
        self.with_client(|client| {
            client.execute(
                "UPDATE blobs SET indexed = TRUE WHERE id = ANY($1)",
                &[&ids],
            )?;
            Ok(())
        })
    }

    fn unindexed_as_read(&self, limit: usize) -> Result<Vec<(BlobId, Option<String>)>, StoreError> {
        // A row's xmin changes with every update of it: a worker's write after this read
        // (a new path, a new extraction) gives the blob another.
        self.with_client(|client| {
            client
                .query(
                    "SELECT id, xmin::TEXT FROM blobs WHERE NOT indexed AND status <> 'pending'
                     ORDER BY id LIMIT $1",
                    &[&(limit as i64)],
                )?
                .iter()
                .map(|row| Ok((parse_blob_id(row.get(0))?, Some(row.get::<_, String>(1)))))
                .collect()
        })
    }

    fn mark_indexed_if_unchanged(
        &self,
        read: &[(BlobId, Option<String>)],
    ) -> Result<(), StoreError> {
        let ids: Vec<&str> = read.iter().map(|(id, _)| id.as_str()).collect();
        let versions: Vec<Option<&str>> = read.iter().map(|(_, v)| v.as_deref()).collect();
        self.with_client(|client| {
            client.execute(
                "UPDATE blobs SET indexed = TRUE
                 FROM unnest($1::TEXT[], $2::TEXT[]) AS seen (id, version)
                 WHERE blobs.id = seen.id
                   AND (seen.version IS NULL OR blobs.xmin::TEXT = seen.version)",
                &[&ids, &versions],
            )?;
            Ok(())
        })
    }

    fn mark_all_unindexed(&self) -> Result<u64, StoreError> {
        self.with_client(|client| Ok(client.execute("UPDATE blobs SET indexed = FALSE", &[])?))
    }

    fn document(&self, id: &BlobId) -> Result<Option<DocumentView>, StoreError> {
        self.with_client(|client| {
            let Some(head) = client.query_opt(
                "SELECT sha256, size, kind, status, extractor_version, metadata, truncated,
                        thumbnail IS NOT NULL
                 FROM blobs WHERE id = $1",
                &[&id.as_str()],
            )?
            else {
                return Ok(None);
            };
            let metadata = parse_metadata(id.as_str(), head.get(5))?;
            Ok(Some(DocumentView {
                id: id.clone(),
                sha256: head.get(0),
                size: head.get::<_, i64>(1) as u64,
                kind: parse_kind(head.get(2))?,
                status: head.get(3),
                extractor_version: head.get::<_, Option<i32>>(4).map(|v| v as u32),
                metadata,
                truncated: head.get(6),
                has_thumbnail: head.get(7),
                parts: parts_of(client, id)?,
                occurrences: occurrences_where(client, "blob", id.as_str())?,
                children: occurrences_where(client, "parent", id.as_str())?,
                failures: failures_of(client, Some(id))?,
            }))
        })
    }

    fn thumbnail(&self, id: &BlobId) -> Result<Option<Vec<u8>>, StoreError> {
        self.with_client(|client| {
            let row =
                client.query_opt("SELECT thumbnail FROM blobs WHERE id = $1", &[&id.as_str()])?;
            Ok(row.and_then(|row| row.get(0)))
        })
    }

    fn occurrences_at(&self, path: &str) -> Result<Vec<Occurrence>, StoreError> {
        self.with_client(|client| occurrences_where(client, "path", path))
    }

    fn resolve(&self, prefix: &str) -> Result<BlobId, StoreError> {
        let prefix = prefix.trim().to_ascii_lowercase();
        let is_hex = prefix.len() >= 8 && prefix.bytes().all(|b| b.is_ascii_hexdigit());
        if !is_hex {
            return Err(StoreError::UnknownDocument(prefix));
        }
        // Ids are lowercase hex: compared as bytes (COLLATE "C"), a prefix is a range.
        let upper = format!("{prefix}g");
        self.with_client(|client| {
            let rows = client.query(
                r#"SELECT id FROM blobs WHERE id COLLATE "C" >= $1 AND id COLLATE "C" < $2
                   LIMIT 2"#,
                &[&prefix, &upper],
            )?;
            match rows.as_slice() {
                [] => Err(StoreError::UnknownDocument(prefix)),
                [only] => parse_blob_id(only.get(0)),
                _ => {
                    let count: i64 = client
                        .query_one(
                            r#"SELECT COUNT(*) FROM blobs
                               WHERE id COLLATE "C" >= $1 AND id COLLATE "C" < $2"#,
                            &[&prefix, &upper],
                        )?
                        .get(0);
                    Err(StoreError::AmbiguousDocument {
                        prefix,
                        count: count as usize,
                    })
                }
            }
        })
    }

    fn status(&self) -> Result<StatusSummary, StoreError> {
        self.with_client(|client| {
            let mut count = |sql: &str| -> Result<u64, StoreError> {
                Ok(client.query_one(sql, &[])?.get::<_, i64>(0) as u64)
            };
            let documents = count("SELECT COUNT(*) FROM blobs")?;
            let bytes = count("SELECT COALESCE(SUM(size), 0)::BIGINT FROM blobs")?;
            let occurrences = count("SELECT COUNT(*) FROM occurrences")?;
            let unindexed =
                count("SELECT COUNT(*) FROM blobs WHERE NOT indexed AND status <> 'pending'")?;
            let by_kind = client
                .query(
                    r#"SELECT kind, COUNT(*), SUM(size)::BIGINT FROM blobs GROUP BY kind
                       ORDER BY COUNT(*) DESC, kind COLLATE "C""#,
                    &[],
                )?
                .iter()
                .map(|row| {
                    Ok((
                        parse_kind(row.get(0))?,
                        row.get::<_, i64>(1) as u64,
                        row.get::<_, i64>(2) as u64,
                    ))
                })
                .collect::<Result<_, StoreError>>()?;
            let by_status = client
                .query(
                    r#"SELECT status, COUNT(*) FROM blobs GROUP BY status
                       ORDER BY status COLLATE "C""#,
                    &[],
                )?
                .iter()
                .map(|row| (row.get(0), row.get::<_, i64>(1) as u64))
                .collect();
            let failures = client
                .query(
                    r#"SELECT stage, reason, COUNT(*) FROM failures GROUP BY stage, reason
                       ORDER BY COUNT(*) DESC, stage COLLATE "C", reason COLLATE "C""#,
                    &[],
                )?
                .iter()
                .map(failure_tally)
                .collect::<Result<_, _>>()?;
            Ok(StatusSummary {
                documents,
                occurrences,
                bytes,
                by_kind,
                by_status,
                failures,
                unindexed,
            })
        })
    }

    fn failure_count(&self, root: &str) -> Result<u64, StoreError> {
        self.with_client(|client| {
            let count: i64 = client
                .query_one("SELECT COUNT(*) FROM failures WHERE root = $1", &[&root])?
                .get(0);
            Ok(count as u64)
        })
    }

    fn failures(&self) -> Result<Vec<FailureRow>, StoreError> {
        self.with_client(|client| failures_of(client, None))
    }

    fn for_each_blob(
        &self,
        visit: &mut dyn FnMut(RecordedBlob) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.with_client(|client| {
            walk(
                client,
                r#"SELECT id, sha256, size FROM blobs ORDER BY id COLLATE "C""#,
                &[],
                &mut |row| {
                    visit(RecordedBlob {
                        id: parse_blob_id(row.get(0))?,
                        sha256: row.get(1),
                        size: row.get::<_, i64>(2) as u64,
                    })
                },
            )
        })
    }

    fn for_each_metadata(
        &self,
        visit: &mut dyn FnMut(BlobId, FileKind, Metadata) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.with_client(|client| {
            walk(
                client,
                r#"SELECT id, kind, metadata FROM blobs WHERE status = 'extracted'
                   ORDER BY id COLLATE "C""#,
                &[],
                &mut |row| {
                    let metadata = parse_metadata(row.get(0), row.get(2))?;
                    visit(
                        parse_blob_id(row.get(0))?,
                        parse_kind(row.get(1))?,
                        metadata,
                    )
                },
            )
        })
    }

    fn for_each_source(
        &self,
        visit: &mut dyn FnMut(SourceFile, bool) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.with_client(|client| {
            walk(
                client,
                r#"SELECT root, path, size, mtime_ns, done FROM sources
                   ORDER BY root COLLATE "C", path COLLATE "C""#,
                &[],
                &mut |row| {
                    let source = SourceFile {
                        root: row.get(0),
                        path: row.get(1),
                        size: row.get::<_, i64>(2) as u64,
                        mtime_ns: row.get(3),
                    };
                    visit(source, row.get(4))
                },
            )
        })
    }

    fn for_each_occurrence(
        &self,
        visit: &mut dyn FnMut(SeenAt) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.with_client(|client| {
            walk(
                client,
                r#"SELECT o.blob, o.root, o.path, o.parent, o.name_kind, o.member_time,
                          o.first_seen, b.sha256, b.size
                   FROM occurrences o JOIN blobs b ON b.id = o.blob
                   ORDER BY o.root COLLATE "C", o.path COLLATE "C", o.blob COLLATE "C""#,
                &[],
                &mut |row| {
                    let occurrence = occurrence_from(row)?;
                    visit(SeenAt {
                        first_seen: row.get(6),
                        blob: RecordedBlob {
                            id: occurrence.blob.clone(),
                            sha256: row.get(7),
                            size: row.get::<_, i64>(8) as u64,
                        },
                        occurrence,
                    })
                },
            )
        })
    }
}

/// Times a batch is written before a clash with another writer is an error.
const WRITE_ATTEMPTS: u64 = 5;

/// One write batch in one transaction.
fn write_batch(client: &mut postgres::Client, batch: &WriteBatch) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    insert_blobs(&mut tx, &batch.blobs)?;
    store_extractions(&mut tx, &batch.extractions)?;
    insert_occurrences(&mut tx, &batch.occurrences)?;
    upsert_failures(&mut tx, &batch.failures)?;
    mark_sources_done(&mut tx, &batch.sources_done)?;
    // Readers that cache what they derived from the catalog (the workbench) see it move.
    tx.execute("UPDATE records_revision SET revision = revision + 1", &[])?;
    tx.commit()?;
    Ok(())
}

/// A deadlock, a serialisation failure or a unique violation: what two transactions
/// writing the same rows at once meet, and a retry gets past.
fn clash(error: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    error.code().is_some_and(|code| {
        [
            SqlState::T_R_DEADLOCK_DETECTED,
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::UNIQUE_VIOLATION,
        ]
        .contains(code)
    })
}

// The pieces of a write batch. Each sends its rows as arrays in one statement
// (`unnest`): a round trip per table and batch, not per row, which is what a catalog on
// another machine costs. Rows a batch repeats (the same content met twice in one merged
// batch) are kept once, the last one winning, as statement by statement would.

/// Content seen for the first time, pending extraction; known content is left alone.
fn insert_blobs(tx: &mut Transaction<'_>, blobs: &[NewBlob]) -> Result<(), StoreError> {
    if blobs.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = blobs.iter().map(|b| b.hashes.blake3.as_str()).collect();
    let sha256: Vec<&str> = blobs.iter().map(|b| b.hashes.sha256.as_str()).collect();
    let sizes: Vec<i64> = blobs.iter().map(|b| b.size as i64).collect();
    let kinds: Vec<&str> = blobs.iter().map(|b| b.kind.code()).collect();
    tx.execute(
        &format!(
            "INSERT INTO blobs (id, sha256, size, kind, status, first_seen)
             SELECT id, sha256, size, kind, 'pending', {NOW}
             FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[], $4::TEXT[])
                  AS new (id, sha256, size, kind)
             ON CONFLICT (id) DO NOTHING"
        ),
        &[&ids, &sha256, &sizes, &kinds],
    )?;
    Ok(())
}

/// Replaces each blob's parts, metadata and thumbnail with what its extractor found.
fn store_extractions(
    tx: &mut Transaction<'_>,
    extractions: &[(BlobId, u32, ExtractionOutcome)],
) -> Result<(), StoreError> {
    let latest = last_of_each(extractions, |(blob, ..)| blob.as_str());
    if latest.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = latest.iter().map(|(blob, ..)| blob.as_str()).collect();
    tx.execute("DELETE FROM parts WHERE blob = ANY($1)", &[&ids])?;
    // New parts mean the blob's OCR (whose parts just went) and records are done again.
    tx.execute("DELETE FROM ocr_sources WHERE blob = ANY($1)", &[&ids])?;
    tx.execute("DELETE FROM ocr_pages WHERE blob = ANY($1)", &[&ids])?;
    tx.execute("DELETE FROM record_sources WHERE blob = ANY($1)", &[&ids])?;

    let mut part_rows = PartRows::default();
    let mut statuses = Vec::with_capacity(latest.len());
    let mut versions = Vec::with_capacity(latest.len());
    let mut metadata = Vec::with_capacity(latest.len());
    let mut thumbnails: Vec<Option<&[u8]>> = Vec::with_capacity(latest.len());
    let mut truncated = Vec::with_capacity(latest.len());
    for (blob, version, outcome) in &latest {
        let (json, thumbnail, cut) = match outcome {
            ExtractionOutcome::Extracted {
                parts,
                metadata,
                thumbnail,
                truncated,
            } => {
                for (seq, part) in parts.iter().enumerate() {
                    part_rows.push(blob, seq, part)?;
                }
                let json = serde_json::to_string(metadata)
                    .map_err(|e| StoreError::Corrupt(format!("metadata of {blob}: {e}")))?;
                (json, thumbnail.as_deref(), *truncated)
            }
            _ => ("{}".to_owned(), None, false),
        };
        statuses.push(outcome.status());
        versions.push(*version as i32);
        metadata.push(json);
        thumbnails.push(thumbnail);
        truncated.push(cut);
    }
    part_rows.insert(tx)?;
    tx.execute(
        "UPDATE blobs SET status = new.status, extractor_version = new.version,
                metadata = new.metadata, thumbnail = new.thumbnail,
                truncated = new.truncated, indexed = FALSE,
                generation = blobs.generation + 1
         FROM unnest($1::TEXT[], $2::TEXT[], $3::INTEGER[], $4::TEXT[], $5::BYTEA[],
                     $6::BOOLEAN[])
              AS new (id, status, version, metadata, thumbnail, truncated)
         WHERE blobs.id = new.id",
        &[
            &ids,
            &statuses,
            &versions,
            &metadata,
            &thumbnails,
            &truncated,
        ],
    )?;
    Ok(())
}

/// The parts of a batch's extractions, column by column.
#[derive(Default)]
struct PartRows<'a> {
    blobs: Vec<&'a str>,
    seqs: Vec<i32>,
    kinds: Vec<&'static str>,
    indexes: Vec<i64>,
    labels: Vec<Option<&'a str>>,
    texts: Vec<&'a str>,
    hidden: Vec<Option<String>>,
}

impl<'a> PartRows<'a> {
    fn push(&mut self, blob: &'a BlobId, seq: usize, part: &'a Part) -> Result<(), StoreError> {
        self.blobs.push(blob.as_str());
        self.seqs.push(seq as i32);
        self.kinds.push(part.kind.code());
        self.indexes.push(i64::from(part.index));
        self.labels.push(part.label.as_deref());
        self.texts.push(&part.text);
        self.hidden.push(hidden_json(&part.hidden)?);
        Ok(())
    }

    fn insert(&self, tx: &mut Transaction<'_>) -> Result<(), StoreError> {
        if self.blobs.is_empty() {
            return Ok(());
        }
        tx.execute(
            "INSERT INTO parts (blob, seq, kind, idx, label, text, hidden)
             SELECT * FROM unnest($1::TEXT[], $2::INTEGER[], $3::TEXT[], $4::BIGINT[],
                                  $5::TEXT[], $6::TEXT[], $7::TEXT[])
             ON CONFLICT (blob, seq) DO UPDATE SET kind = excluded.kind, idx = excluded.idx,
                 label = excluded.label, text = excluded.text, hidden = excluded.hidden",
            &[
                &self.blobs,
                &self.seqs,
                &self.kinds,
                &self.indexes,
                &self.labels,
                &self.texts,
                &self.hidden,
            ],
        )?;
        Ok(())
    }
}

/// New places blobs were seen; a place already known is left alone, and a new one
/// makes the blob's index entry stale (it lists the paths) and its records to be read
/// again (the records stage reads list kinds and ID numbers from file names).
fn insert_occurrences(
    tx: &mut Transaction<'_>,
    occurrences: &[Occurrence],
) -> Result<(), StoreError> {
    if occurrences.is_empty() {
        return Ok(());
    }
    let blobs: Vec<&str> = occurrences.iter().map(|o| o.blob.as_str()).collect();
    let roots: Vec<&str> = occurrences.iter().map(|o| o.root.as_str()).collect();
    let paths: Vec<&str> = occurrences.iter().map(|o| o.path.as_str()).collect();
    let parents: Vec<Option<&str>> = occurrences
        .iter()
        .map(|o| o.parent.as_ref().map(BlobId::as_str))
        .collect();
    let name_kinds: Vec<Option<&str>> = occurrences
        .iter()
        .map(|o| o.name_kind.map(|k| k.code()))
        .collect();
    let member_times: Vec<Option<String>> = occurrences
        .iter()
        .map(|o| o.member_time.map(member_time_text))
        .collect();
    tx.execute(
        &format!(
            "WITH inserted AS (
                 INSERT INTO occurrences
                     (blob, root, path, parent, name_kind, member_time, first_seen)
                 SELECT blob, root, path, parent, name_kind, member_time, {NOW}
                 FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[],
                             $6::TEXT[])
                      AS new (blob, root, path, parent, name_kind, member_time)
                 ON CONFLICT (root, path, blob) DO NOTHING
                 RETURNING blob),
             touched AS (
                 UPDATE blobs SET indexed = FALSE, generation = generation + 1
                 WHERE id IN (SELECT blob FROM inserted))
             DELETE FROM record_sources WHERE blob IN (SELECT blob FROM inserted)"
        ),
        &[&blobs, &roots, &paths, &parents, &name_kinds, &member_times],
    )?;
    Ok(())
}

/// Failures met; one met again at the same place and stage replaces the old one.
fn upsert_failures(tx: &mut Transaction<'_>, failures: &[FailureRow]) -> Result<(), StoreError> {
    let latest = last_of_each(failures, |row| {
        (
            row.root.as_str(),
            row.path.as_str(),
            row.failure.stage.code(),
        )
    });
    if latest.is_empty() {
        return Ok(());
    }
    let column = |field: fn(&FailureRow) -> &str| -> Vec<&str> {
        latest.iter().map(|row| field(row)).collect()
    };
    let blobs: Vec<Option<&str>> = latest
        .iter()
        .map(|row| row.blob.as_ref().map(BlobId::as_str))
        .collect();
    tx.execute(
        &format!(
            "INSERT INTO failures (root, source, path, blob, stage, reason, message, at)
             SELECT root, source, path, blob, stage, reason, message, {NOW}
             FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[],
                         $6::TEXT[], $7::TEXT[])
                  AS new (root, source, path, blob, stage, reason, message)
             ON CONFLICT (root, path, stage) DO UPDATE SET
                 source = excluded.source, blob = excluded.blob, reason = excluded.reason,
                 message = excluded.message, at = excluded.at"
        ),
        &[
            &column(|row| &row.root),
            &column(|row| &row.source),
            &column(|row| &row.path),
            &blobs,
            &column(|row| row.failure.stage.code()),
            &column(|row| row.failure.reason.code()),
            &column(|row| &row.failure.message),
        ],
    )?;
    Ok(())
}

/// Sources whose every blob and failure is written.
fn mark_sources_done(tx: &mut Transaction<'_>, sources: &[SourceFile]) -> Result<(), StoreError> {
    let latest = last_of_each(sources, |source| {
        (source.root.as_str(), source.path.as_str())
    });
    if latest.is_empty() {
        return Ok(());
    }
    let roots: Vec<&str> = latest.iter().map(|s| s.root.as_str()).collect();
    let paths: Vec<&str> = latest.iter().map(|s| s.path.as_str()).collect();
    let sizes: Vec<i64> = latest.iter().map(|s| s.size as i64).collect();
    let mtimes: Vec<i64> = latest.iter().map(|s| s.mtime_ns).collect();
    tx.execute(
        "INSERT INTO sources (root, path, size, mtime_ns, done)
         SELECT root, path, size, mtime_ns, TRUE
         FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[], $4::BIGINT[])
              AS new (root, path, size, mtime_ns)
         ON CONFLICT (root, path) DO UPDATE SET
             size = excluded.size, mtime_ns = excluded.mtime_ns, done = TRUE",
        &[&roots, &paths, &sizes, &mtimes],
    )?;
    Ok(())
}

/// A blob's parts, in the order its extractor produced them.
fn parts_of(client: &mut impl GenericClient, id: &BlobId) -> Result<Vec<Part>, StoreError> {
    let rows = client.query(
        "SELECT kind, idx, label, text, hidden FROM parts WHERE blob = $1 ORDER BY seq",
        &[&id.as_str()],
    )?;
    rows.iter()
        .map(|row| {
            Ok(Part {
                kind: parse_part_kind(row.get(0))?,
                index: u32::try_from(row.get::<_, i64>(1))
                    .map_err(|_| StoreError::Corrupt(format!("part index of {id}")))?,
                label: row.get(2),
                text: row.get(3),
                hidden: parse_hidden(row.get(4))?,
            })
        })
        .collect()
}

/// Occurrences where `column` (`blob`, `parent` or `path`) equals `value`.
fn occurrences_where(
    client: &mut impl GenericClient,
    column: &str,
    value: &str,
) -> Result<Vec<Occurrence>, StoreError> {
    let sql = format!(
        r#"SELECT blob, root, path, parent, name_kind, member_time FROM occurrences
           WHERE {column} = $1 ORDER BY root COLLATE "C", path COLLATE "C""#
    );
    client
        .query(&sql, &[&value])?
        .iter()
        .map(occurrence_from)
        .collect()
}

/// An occurrence from a row whose first columns are blob, root, path, parent,
/// name_kind and member_time.
fn occurrence_from(row: &Row) -> Result<Occurrence, StoreError> {
    let parent: Option<&str> = row.get(3);
    let name_kind: Option<&str> = row.get(4);
    let member_time: Option<&str> = row.get(5);
    Ok(Occurrence {
        blob: parse_blob_id(row.get(0))?,
        root: row.get(1),
        path: row.get(2),
        parent: parent.map(parse_blob_id).transpose()?,
        name_kind: name_kind.map(parse_kind).transpose()?,
        member_time: member_time.map(parse_member_time).transpose()?,
    })
}

/// Failures, all of them or those of one blob, oldest first.
fn failures_of(
    client: &mut impl GenericClient,
    blob: Option<&BlobId>,
) -> Result<Vec<FailureRow>, StoreError> {
    let rows = client.query(
        "SELECT root, source, path, blob, stage, reason, message FROM failures
         WHERE $1::TEXT IS NULL OR blob = $1 ORDER BY id",
        &[&blob.map(BlobId::as_str)],
    )?;
    rows.iter().map(failure_row).collect()
}

fn failure_row(row: &Row) -> Result<FailureRow, StoreError> {
    let blob: Option<&str> = row.get(3);
    Ok(FailureRow {
        root: row.get(0),
        source: row.get(1),
        path: row.get(2),
        blob: blob.map(parse_blob_id).transpose()?,
        failure: Failure::new(
            parse_stage(row.get(4))?,
            parse_reason(row.get(5))?,
            row.get::<_, String>(6),
        ),
    })
}

/// One line of `status`'s failure table.
fn failure_tally(row: &Row) -> Result<FailureTally, StoreError> {
    Ok(FailureTally {
        stage: parse_stage(row.get(0))?,
        reason: parse_reason(row.get(1))?,
        count: row.get::<_, i64>(2) as u64,
    })
}
