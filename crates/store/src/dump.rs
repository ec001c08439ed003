//! The catalog facet as canonical lines: what two catalogs must share to hold the same
//! facts, whatever their backend and however their ingest was split, interrupted or
//! resumed. Tests compare dumps (a resumed ingest against an uninterrupted one, workers
//! against a single process, PostgreSQL against SQLite), and so does a move between
//! backends.
//!
//! Left out on purpose: when each fact was written, and whether the search index has a
//! document yet (an index's state, which the indexer catches up on).
//!
//! Texts are read as both backends keep them, a NUL as U+FFFD ([`without_nul`]): a
//! catalog SQLite kept before that rule holds the same facts as its move to PostgreSQL.

use trove_model::{BlobId, without_nul};

use crate::{Catalog, FailureRow, StoreError};

/// Calls `line` with every fact of `catalog`'s documents, places, failures and sources,
/// one line each, in a fixed order. Texts and thumbnails appear as their BLAKE3 hashes
/// and lengths, to keep lines short.
pub fn canonical_dump(
    catalog: &dyn Catalog,
    line: &mut dyn FnMut(String) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut ids: Vec<BlobId> = Vec::new();
    catalog.for_each_blob(&mut |blob| {
        ids.push(blob.id);
        Ok(())
    })?;
    for id in &ids {
        let Some(document) = catalog.document(id)? else {
            continue;
        };
        let metadata = serde_json::to_string(&document.metadata)
            .map_err(|e| StoreError::Corrupt(format!("metadata of {id}: {e}")))?;
        let thumbnail = catalog.thumbnail(id)?;
        line(format!(
            "blob {id} sha256={} size={} kind={} status={} version={:?} truncated={} thumbnail={} metadata={metadata}",
            document.sha256,
            document.size,
            document.kind.code(),
            document.status,
            document.extractor_version,
            document.truncated,
            fingerprint(thumbnail.as_deref().unwrap_or_default()),
        ))?;
        for (seq, part) in document.parts.iter().enumerate() {
            let hidden = serde_json::to_string(&part.hidden)
                .map_err(|e| StoreError::Corrupt(format!("hidden rows of {id}: {e}")))?;
            line(format!(
                "part {id} {seq} kind={} index={} label={:?} hidden={hidden} text={}",
                part.kind.code(),
                part.index,
                part.label.as_deref().map(without_nul),
                fingerprint(without_nul(&part.text).as_bytes()),
            ))?;
        }
    }
    catalog.for_each_occurrence(&mut |seen| {
        let place = seen.occurrence;
        line(format!(
            "seen {:?} {:?} blob={} parent={:?} name_kind={:?} member_time={:?}",
            without_nul(&place.root),
            without_nul(&place.path),
            place.blob,
            place.parent.as_ref().map(BlobId::as_str),
            place.name_kind.map(|kind| kind.code()),
            place.member_time,
        ))
    })?;
    let mut failures = catalog.failures()?;
    failures.sort_by(|a, b| failure_key(a).cmp(&failure_key(b)));
    for row in failures {
        line(format!(
            "failure {:?} {:?} source={:?} blob={:?} stage={} reason={} message={:?}",
            without_nul(&row.root),
            without_nul(&row.path),
            without_nul(&row.source),
            row.blob.as_ref().map(BlobId::as_str),
            row.failure.stage.code(),
            row.failure.reason.code(),
            without_nul(&row.failure.message),
        ))?;
    }
    catalog.for_each_source(&mut |source, done| {
        line(format!(
            "source {:?} {:?} size={} mtime_ns={} done={done}",
            without_nul(&source.root),
            without_nul(&source.path),
            source.size,
            source.mtime_ns
        ))
    })
}

/// The canonical dump as a list of lines (for tests and small catalogs).
pub fn canonical_lines(catalog: &dyn Catalog) -> Result<Vec<String>, StoreError> {
    let mut lines = Vec::new();
    canonical_dump(catalog, &mut |line| {
        lines.push(line);
        Ok(())
    })?;
    Ok(lines)
}

/// Failures are kept in the order they were met, which depends on timing; a failure is
/// unique by place and stage.
fn failure_key(row: &FailureRow) -> (&str, &str, &'static str) {
    (&row.root, &row.path, row.failure.stage.code())
}

/// Bytes as their BLAKE3 hash and length, or `-` for none.
fn fingerprint(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "-".to_owned();
    }
    format!("{}:{}", &blake3::hash(bytes).to_hex()[..16], bytes.len())
}
