//! The embedded catalog: one SQLite file in WAL mode.

mod lists;
mod read;
mod records;
mod review;
mod write;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;
use trove_model::BlobId;

use crate::StoreError;
use crate::catalog::{
    BlobState, Catalog, DocumentView, FailureRow, Occurrence, RecordedBlob, SourceState,
    StatusSummary, WriteBatch,
};
use crate::lists::{ListCatalog, StoredEntry, XrefBatch};
use crate::records::{
    BlobRecords, Candidate, PersonVisitor, PhotoLinkRow, RecordCatalog, RecordFilter, RecordSource,
    RecordSummary, RecordsRevision, SheetPart, StoredRecord,
};
use crate::review::{ReviewCatalog, ReviewDecision, ReviewProgress, SubjectKind, Verification};

/// Schema migrations, applied in order; `PRAGMA user_version` records how
/// many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/001_catalog.sql"),
    include_str!("../../migrations/sqlite/002_records.sql"),
    include_str!("../../migrations/sqlite/003_lists.sql"),
    include_str!("../../migrations/sqlite/004_review.sql"),
];

/// The catalog in a SQLite file.
///
/// One connection behind a mutex: SQLite has a single writer anyway, and the
/// reads ingest makes (is this file done? is this blob known?) are point
/// lookups far cheaper than the extraction work around them.
pub struct SqliteCatalog {
    path: PathBuf,
    connection: Mutex<Connection>,
    /// Record writes through this handle, for [`RecordsRevision::here`].
    record_writes: AtomicU64,
}

impl SqliteCatalog {
    /// Opens or creates the catalog file and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let wrap = |source| StoreError::Catalog {
            path: path.clone(),
            source,
        };
        let connection = Connection::open(&path).map_err(wrap)?;
        connection
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 10000;
                 PRAGMA cache_size = -65536;
                 PRAGMA mmap_size = 268435456;",
            )
            .map_err(wrap)?;
        crate::connection::migrate(&connection, MIGRATIONS).map_err(wrap)?;
        Ok(SqliteCatalog {
            path,
            connection: Mutex::new(connection),
            record_writes: AtomicU64::new(0),
        })
    }

    /// The catalog file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        crate::connection::lock(&self.connection)
    }
}

impl Catalog for SqliteCatalog {
    fn source(&self, root: &str, path: &str) -> Result<Option<SourceState>, StoreError> {
        read::source(&self.lock(), root, path)
    }

    fn blob_state(&self, id: &BlobId) -> Result<Option<BlobState>, StoreError> {
        read::blob_state(&self.lock(), id)
    }

    fn write(&self, batch: &WriteBatch) -> Result<(), StoreError> {
        write::apply(&mut self.lock(), batch)
    }

    fn failed_sources(&self) -> Result<Vec<(String, String)>, StoreError> {
        read::failed_sources(&self.lock())
    }

    fn reset_source(&self, root: &str, path: &str) -> Result<(), StoreError> {
        write::reset_source(&mut self.lock(), root, path)
    }

    fn unindexed(&self, limit: usize) -> Result<Vec<BlobId>, StoreError> {
        read::unindexed(&self.lock(), limit)
    }

    fn mark_indexed(&self, ids: &[BlobId]) -> Result<(), StoreError> {
        write::mark_indexed(&mut self.lock(), ids)
    }

    fn mark_all_unindexed(&self) -> Result<u64, StoreError> {
        let changed = self.lock().execute("UPDATE blobs SET indexed = 0", [])?;
        Ok(changed as u64)
    }

    fn document(&self, id: &BlobId) -> Result<Option<DocumentView>, StoreError> {
        read::document(&self.lock(), id)
    }

    fn thumbnail(&self, id: &BlobId) -> Result<Option<Vec<u8>>, StoreError> {
        read::thumbnail(&self.lock(), id)
    }

    fn occurrences_at(&self, path: &str) -> Result<Vec<Occurrence>, StoreError> {
        read::occurrences_at(&self.lock(), path)
    }

    fn resolve(&self, prefix: &str) -> Result<BlobId, StoreError> {
        read::resolve(&self.lock(), prefix)
    }

    fn status(&self) -> Result<StatusSummary, StoreError> {
        read::status(&self.lock())
    }

    fn failure_count(&self, root: &str) -> Result<u64, StoreError> {
        let count: i64 = self.lock().query_row(
            "SELECT COUNT(*) FROM failures WHERE root = ?1",
            [root],
            |row| row.get(0),
        )?;
        Ok(count as u64)
    }

    fn failures(&self) -> Result<Vec<FailureRow>, StoreError> {
        read::failures(&self.lock(), None)
    }

    fn for_each_blob(
        &self,
        visit: &mut dyn FnMut(RecordedBlob) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        read::for_each_blob(&self.lock(), visit)
    }
}

impl RecordCatalog for SqliteCatalog {
    fn pending_record_sources(
        &self,
        version: &str,
        after: Option<&BlobId>,
        limit: usize,
    ) -> Result<Vec<RecordSource>, StoreError> {
        records::pending(&self.lock(), version, after, limit)
    }

    fn pending_record_count(&self, version: &str) -> Result<u64, StoreError> {
        records::pending_count(&self.lock(), version)
    }

    fn blob_paths(&self, blob: &BlobId) -> Result<Vec<String>, StoreError> {
        records::blob_paths(&self.lock(), blob)
    }

    fn sheet_parts(&self, blob: &BlobId) -> Result<Vec<SheetPart>, StoreError> {
        records::sheet_parts(&self.lock(), blob)
    }

    fn image_texts(&self, blob: &BlobId) -> Result<Vec<(String, String)>, StoreError> {
        records::image_texts(&self.lock(), blob)
    }

    fn replace_records(&self, version: &str, batch: &[BlobRecords]) -> Result<(), StoreError> {
        records::replace(&mut self.lock(), version, batch)?;
        // Counted once written: a reader takes the revision before it reads the
        // records, so whatever it read under the old count is stale under the new.
        self.record_writes.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn records_revision(&self) -> Result<RecordsRevision, StoreError> {
        let connection = self.lock();
        let elsewhere = connection.query_row("PRAGMA data_version", [], |row| row.get(0))?;
        Ok(RecordsRevision {
            elsewhere,
            here: self.record_writes.load(Ordering::SeqCst),
        })
    }

    fn refresh_candidates(&self) -> Result<u64, StoreError> {
        records::refresh_candidates(&mut self.lock())
    }

    fn candidate_count(&self) -> Result<u64, StoreError> {
        let count: i64 =
            self.lock()
                .query_row("SELECT COUNT(*) FROM person_candidates", [], |row| {
                    row.get(0)
                })?;
        Ok(count as u64)
    }

    fn record_blob_paths(&self) -> Result<Vec<(BlobId, String)>, StoreError> {
        records::record_blob_paths(&self.lock())
    }

    fn for_each_record(
        &self,
        filter: &RecordFilter,
        offset: u64,
        limit: Option<u64>,
        visit: &mut dyn FnMut(StoredRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        records::for_each_record(&self.lock(), filter, offset, limit, visit)
    }

    fn for_each_person(&self, visit: &mut PersonVisitor<'_>) -> Result<(), StoreError> {
        records::for_each_person(&self.lock(), visit)
    }

    fn resolve_person(&self, query: &str) -> Result<Option<String>, StoreError> {
        records::resolve_person(&self.lock(), query)
    }

    fn person_photos(&self, person: &str) -> Result<Vec<PhotoLinkRow>, StoreError> {
        records::person_photos(&self.lock(), person)
    }

    fn person_candidates(&self, person: &str) -> Result<Vec<Candidate>, StoreError> {
        records::person_candidates(&self.lock(), person)
    }

    fn record_summary(&self) -> Result<RecordSummary, StoreError> {
        records::summary(&self.lock())
    }
}

impl ListCatalog for SqliteCatalog {
    fn import_list(
        &self,
        info: &trove_model::ListInfo,
        entries: &[trove_model::ListEntry],
    ) -> Result<(), StoreError> {
        lists::import(&mut self.lock(), info, entries)
    }

    fn list_info(&self, name: &str) -> Result<Option<trove_model::ListInfo>, StoreError> {
        lists::info(&self.lock(), name)
    }

    fn list_entries(&self, name: &str) -> Result<Vec<StoredEntry>, StoreError> {
        lists::entries(&self.lock(), name)
    }

    fn xref_persons(&self, name: &str) -> Result<std::collections::HashSet<String>, StoreError> {
        lists::persons(&self.lock(), name)
    }

    fn save_xref(&self, name: &str, batch: &XrefBatch) -> Result<(), StoreError> {
        lists::save(&mut self.lock(), name, batch)
    }

    fn match_candidates(&self, name: &str) -> Result<Vec<trove_model::MatchCandidate>, StoreError> {
        lists::candidates(&self.lock(), name)
    }
}

impl ReviewCatalog for SqliteCatalog {
    fn record_review(&self, decision: &ReviewDecision) -> Result<(), StoreError> {
        review::record_review(&mut self.lock(), decision)
    }

    fn review_progress(&self) -> Result<Vec<ReviewProgress>, StoreError> {
        review::review_progress(&self.lock())
    }

    fn person_matches(&self, person: &str) -> Result<Vec<trove_model::MatchCandidate>, StoreError> {
        review::person_matches(&self.lock(), person)
    }

    fn review_history(&self, list: &str) -> Result<Vec<ReviewDecision>, StoreError> {
        review::review_history(&self.lock(), list)
    }

    fn record_verification(&self, verification: &Verification) -> Result<(), StoreError> {
        review::record_verification(&self.lock(), verification)
    }

    fn verification_history(
        &self,
        kind: SubjectKind,
        subject: &str,
    ) -> Result<Vec<Verification>, StoreError> {
        review::verification_history(&self.lock(), kind, subject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_records_revision_moves_with_writes_here_and_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trove.sqlite");
        let catalog = SqliteCatalog::open(&path).unwrap();
        let first = catalog.records_revision().unwrap();
        assert_eq!(
            catalog.records_revision().unwrap(),
            first,
            "reading moves nothing"
        );

        catalog.replace_records("v1", &[]).unwrap();
        let second = catalog.records_revision().unwrap();
        assert_ne!(second, first, "a write through this handle");

        let other_process = Connection::open(&path).unwrap();
        other_process
            .execute_batch("CREATE TABLE written_elsewhere (x INTEGER)")
            .unwrap();
        assert_ne!(
            catalog.records_revision().unwrap(),
            second,
            "a commit elsewhere"
        );
    }
}
