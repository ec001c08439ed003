//! Reads: point lookups for ingest, whole documents for `show` and the index,
//! tallies for `status`.

use std::str::FromStr;

use rusqlite::{Connection, OptionalExtension, Row, params};
use trove_model::{BlobId, Failure, FailureReason, FileKind, Part, PartKind, Stage};

use crate::StoreError;
use crate::catalog::{
    BlobState, DocumentView, FailureRow, FailureTally, Occurrence, RecordedBlob, SourceState,
    StatusSummary,
};

pub(super) fn source(
    connection: &Connection,
    root: &str,
    path: &str,
) -> Result<Option<SourceState>, StoreError> {
    let state = connection
        .prepare_cached("SELECT size, mtime_ns, done FROM sources WHERE root = ?1 AND path = ?2")?
        .query_row(params![root, path], |row| {
            Ok(SourceState {
                size: row.get::<_, i64>(0)? as u64,
                mtime_ns: row.get(1)?,
                done: row.get(2)?,
            })
        })
        .optional()?;
    Ok(state)
}

pub(super) fn blob_state(
    connection: &Connection,
    id: &BlobId,
) -> Result<Option<BlobState>, StoreError> {
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
}

pub(super) fn failed_sources(connection: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let mut statement =
        connection.prepare("SELECT DISTINCT root, source FROM failures ORDER BY root, source")?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn unindexed(connection: &Connection, limit: usize) -> Result<Vec<BlobId>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT id FROM blobs WHERE indexed = 0 AND status != 'pending' ORDER BY id LIMIT ?1",
    )?;
    let ids = statement.query_map([limit as i64], |row| row.get::<_, String>(0))?;
    ids.map(|id| parse_blob_id(&id?)).collect()
}

pub(super) fn document(
    connection: &Connection,
    id: &BlobId,
) -> Result<Option<DocumentView>, StoreError> {
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
    let Some((sha256, size, kind, status, extractor_version, metadata, truncated, has_thumbnail)) =
        head
    else {
        return Ok(None);
    };
    let metadata = serde_json::from_str(&metadata)
        .map_err(|e| StoreError::Corrupt(format!("metadata of {id}: {e}")))?;
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
        parts: parts(connection, id)?,
        occurrences: occurrences(connection, "blob", id)?,
        children: occurrences(connection, "parent", id)?,
        failures: failures(connection, Some(id))?,
    }))
}

fn parts(connection: &Connection, id: &BlobId) -> Result<Vec<Part>, StoreError> {
    let mut statement = connection
        .prepare_cached("SELECT kind, idx, label, text FROM parts WHERE blob = ?1 ORDER BY seq")?;
    let rows = statement.query_map([id.as_str()], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, u32>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    rows.map(|row| {
        let (kind, index, label, text) = row?;
        let kind = PartKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("part kind {kind:?}")))?;
        Ok(Part {
            kind,
            index,
            label,
            text,
        })
    })
    .collect()
}

pub(super) fn occurrences_at(
    connection: &Connection,
    path: &str,
) -> Result<Vec<Occurrence>, StoreError> {
    occurrences_where(connection, "path", path)
}

/// Occurrences where `column` (`blob` or `parent`) equals `id`.
fn occurrences(
    connection: &Connection,
    column: &str,
    id: &BlobId,
) -> Result<Vec<Occurrence>, StoreError> {
    occurrences_where(connection, column, id.as_str())
}

fn occurrences_where(
    connection: &Connection,
    column: &str,
    value: &str,
) -> Result<Vec<Occurrence>, StoreError> {
    let sql = format!(
        "SELECT blob, root, path, parent, name_kind FROM occurrences WHERE {column} = ?1
         ORDER BY root, path"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let rows = statement.query_map([value], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, Option<String>>(3)?,
            row.get::<_, Option<String>>(4)?,
        ))
    })?;
    rows.map(|row| {
        let (blob, root, path, parent, name_kind) = row?;
        Ok(Occurrence {
            blob: parse_blob_id(&blob)?,
            root,
            path,
            parent: parent.as_deref().map(parse_blob_id).transpose()?,
            name_kind: name_kind.as_deref().map(parse_kind).transpose()?,
        })
    })
    .collect()
}

pub(super) fn thumbnail(
    connection: &Connection,
    id: &BlobId,
) -> Result<Option<Vec<u8>>, StoreError> {
    let thumbnail = connection
        .prepare_cached("SELECT thumbnail FROM blobs WHERE id = ?1")?
        .query_row([id.as_str()], |row| row.get::<_, Option<Vec<u8>>>(0))
        .optional()?;
    Ok(thumbnail.flatten())
}

pub(super) fn resolve(connection: &Connection, prefix: &str) -> Result<BlobId, StoreError> {
    let prefix = prefix.trim().to_ascii_lowercase();
    let is_hex = prefix.len() >= 8 && prefix.bytes().all(|b| b.is_ascii_hexdigit());
    if !is_hex {
        return Err(StoreError::UnknownDocument(prefix));
    }
    // Hex digits sort as ASCII, so a prefix range scan finds the candidates.
    let upper = format!("{prefix}g");
    let mut statement =
        connection.prepare_cached("SELECT id FROM blobs WHERE id >= ?1 AND id < ?2 LIMIT 2")?;
    let ids: Vec<String> = statement
        .query_map(params![prefix, upper], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
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
}

pub(super) fn status(connection: &Connection) -> Result<StatusSummary, StoreError> {
    let (documents, bytes): (i64, i64) = connection.query_row(
        "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM blobs",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let occurrences: i64 =
        connection.query_row("SELECT COUNT(*) FROM occurrences", [], |row| row.get(0))?;
    let unindexed: i64 = connection.query_row(
        "SELECT COUNT(*) FROM blobs WHERE indexed = 0 AND status != 'pending'",
        [],
        |row| row.get(0),
    )?;

    let mut statement = connection.prepare(
        "SELECT kind, COUNT(*), SUM(size) FROM blobs GROUP BY kind ORDER BY COUNT(*) DESC, kind",
    )?;
    let by_kind = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })?
        .map(|row| {
            let (kind, count, bytes) = row?;
            Ok((parse_kind(&kind)?, count as u64, bytes as u64))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;

    let mut statement =
        connection.prepare("SELECT status, COUNT(*) FROM blobs GROUP BY status ORDER BY status")?;
    let by_status = statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)? as u64))
        })?
        .collect::<Result<Vec<_>, _>>()?;

    let mut statement = connection.prepare(
        "SELECT stage, reason, COUNT(*) FROM failures GROUP BY stage, reason
         ORDER BY COUNT(*) DESC, stage, reason",
    )?;
    let failures = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })?
        .map(|row| {
            let (stage, reason, count) = row?;
            Ok(FailureTally {
                stage: parse_stage(&stage)?,
                reason: parse_reason(&reason)?,
                count: count as u64,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;

    Ok(StatusSummary {
        documents: documents as u64,
        occurrences: occurrences as u64,
        bytes: bytes as u64,
        by_kind,
        by_status,
        failures,
        unindexed: unindexed as u64,
    })
}

/// Failures, all of them or those of one blob.
pub(super) fn failures(
    connection: &Connection,
    blob: Option<&BlobId>,
) -> Result<Vec<FailureRow>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT root, source, path, blob, stage, reason, message FROM failures
         WHERE ?1 IS NULL OR blob = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([blob.map(BlobId::as_str)], failure_row)?;
    rows.map(|row| row?).collect()
}

fn failure_row(row: &Row<'_>) -> rusqlite::Result<Result<FailureRow, StoreError>> {
    let blob: Option<String> = row.get(3)?;
    let stage: String = row.get(4)?;
    let reason: String = row.get(5)?;
    let (root, source, path, message): (String, String, String, String) =
        (row.get(0)?, row.get(1)?, row.get(2)?, row.get(6)?);
    Ok((|| {
        Ok(FailureRow {
            root,
            source,
            path,
            blob: blob.as_deref().map(parse_blob_id).transpose()?,
            failure: Failure::new(parse_stage(&stage)?, parse_reason(&reason)?, message),
        })
    })())
}

pub(super) fn for_each_blob(
    connection: &Connection,
    visit: &mut dyn FnMut(RecordedBlob) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut statement = connection.prepare("SELECT id, sha256, size FROM blobs ORDER BY id")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        visit(RecordedBlob {
            id: parse_blob_id(&row.get::<_, String>(0)?)?,
            sha256: row.get(1)?,
            size: row.get::<_, i64>(2)? as u64,
        })?;
    }
    Ok(())
}

pub(super) fn parse_blob_id(text: &str) -> Result<BlobId, StoreError> {
    BlobId::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(super) fn parse_kind(code: &str) -> Result<FileKind, StoreError> {
    FileKind::from_str(code).map_err(StoreError::Corrupt)
}

fn parse_stage(code: &str) -> Result<Stage, StoreError> {
    Stage::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("failure stage {code:?}")))
}

fn parse_reason(code: &str) -> Result<FailureReason, StoreError> {
    FailureReason::from_code(code)
        .ok_or_else(|| StoreError::Corrupt(format!("failure reason {code:?}")))
}
