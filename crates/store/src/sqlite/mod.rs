//! The embedded catalog: one SQLite file in WAL mode.

mod annotations;
mod catalog;
mod lists;
mod ocr;
mod publication;
mod record_filter;
mod records;
mod review;
mod write;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

use crate::StoreError;
use crate::connection::open_sqlite;

/// Set on every connection: WAL so readers never wait for the writer, a 64 MiB page
/// cache, 256 MiB of memory-mapped I/O for the large reads of `show` and the index, and
/// helper threads for sorts larger than the cache (a large records build makes its
/// indexes by sorting a million rows).
const PRAGMAS: &str = "PRAGMA journal_mode = WAL;
                       PRAGMA synchronous = NORMAL;
                       PRAGMA foreign_keys = ON;
                       PRAGMA busy_timeout = 10000;
                       PRAGMA cache_size = -65536;
                       PRAGMA mmap_size = 268435456;
                       PRAGMA threads = 2;";

/// Schema migrations, applied in order; `PRAGMA user_version` records how
/// many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/001_catalog.sql"),
    include_str!("../../migrations/sqlite/002_records.sql"),
    include_str!("../../migrations/sqlite/003_lists.sql"),
    include_str!("../../migrations/sqlite/004_review.sql"),
    include_str!("../../migrations/sqlite/005_person_sheets.sql"),
    include_str!("../../migrations/sqlite/006_ocr.sql"),
    include_str!("../../migrations/sqlite/007_sheet_layout.sql"),
    include_str!("../../migrations/sqlite/008_finding_reviews.sql"),
    include_str!("../../migrations/sqlite/009_review_queue_order.sql"),
    include_str!("../../migrations/sqlite/010_member_time.sql"),
    include_str!("../../migrations/sqlite/011_annotations.sql"),
    include_str!("../../migrations/sqlite/012_publication.sql"),
    include_str!("../../migrations/sqlite/013_parts_by_rowid.sql"),
    include_str!("../../migrations/sqlite/014_statistics_index.sql"),
    include_str!("../../migrations/sqlite/015_candidate_person.sql"),
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
        let connection = open_sqlite(&path, PRAGMAS, MIGRATIONS)
            .map_err(|source| StoreError::catalog(&path, source))?;
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

    /// Runs `work` on the locked connection; a SQLite error comes back naming this file.
    pub(crate) fn with_connection<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        work(&mut self.lock()).map_err(|error| match error {
            StoreError::Query(source) => StoreError::catalog(&self.path, source),
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RecordCatalog;

    /// A catalog file as the first `migrations` left it, holding what `sql` wrote: what a
    /// store made by an older trove looks like.
    fn written_before(migrations: usize, sql: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trove.sqlite");
        let before =
            crate::connection::open_sqlite(&path, PRAGMAS, &MIGRATIONS[..migrations]).unwrap();
        before.execute_batch(sql).unwrap();
        (dir, path)
    }

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

    #[test]
    fn records_made_before_the_statistics_index_get_their_detention_date() {
        let (_dir, path) = written_before(
            13,
            r#"INSERT INTO blobs (id, sha256, size, kind, status, first_seen)
                 VALUES ('b', 's', 1, 'xlsx', 'extracted', 'now');
             INSERT INTO records (blob, part, row, list, person, id_valid, detention,
                 flags, search, data)
                 VALUES ('b', 0, 3, 'detainees', 'p', 0, 1, '', '',
                     '{"fields":{"detained_since":"2017-05-01"}}'),
                     ('b', 0, 4, 'register', 'q', 0, 0, '', '', '{"fields":{}}');"#,
        );

        let catalog = SqliteCatalog::open(&path).unwrap();
        let connection = catalog.lock();
        let dates: Vec<(String, Option<String>)> = connection
            .prepare("SELECT person, detained_since FROM records ORDER BY person")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            dates,
            [
                ("p".to_owned(), Some("2017-05-01".to_owned())),
                ("q".to_owned(), None)
            ]
        );
    }

    #[test]
    fn records_made_before_tables_side_by_side_survive_the_migration() {
        let (_dir, path) = written_before(
            6,
            "INSERT INTO blobs (id, sha256, size, kind, status, first_seen)
                 VALUES ('b', 's', 1, 'xlsx', 'extracted', 'now');
             INSERT INTO records (blob, part, row, list, person, id_valid, detention,
                 flags, search, data)
                 VALUES ('b', 0, 3, 'register', 'p', 0, 0, '', '', '{}');",
        );

        let after = crate::connection::open_sqlite(&path, PRAGMAS, MIGRATIONS).unwrap();
        let kept: (u32, u32) = after
            .query_row("SELECT row, col FROM records WHERE blob = 'b'", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .unwrap();
        assert_eq!(kept, (3, 0));
        // The same row of the sheet, in a table further right, is another record.
        after
            .execute(
                "INSERT INTO records (blob, part, row, col, list, person, id_valid, detention,
                     flags, search, data)
                     VALUES ('b', 0, 3, 5, 'register', 'q', 0, 0, '', '', '{}')",
                [],
            )
            .unwrap();
    }

    #[test]
    fn parts_move_out_of_the_key_b_tree_whole() {
        let (_dir, path) = written_before(
            12,
            "INSERT INTO blobs (id, sha256, size, kind, status, first_seen)
                 VALUES ('b', 's', 1, 'xlsx', 'extracted', 'now');
             INSERT INTO parts (blob, seq, kind, idx, label, text, hidden)
                 VALUES ('b', 0, 'sheet', 1, '名单', '姓名\t身份证号', '{\"sheet\":true}');",
        );

        let after = crate::connection::open_sqlite(&path, PRAGMAS, MIGRATIONS).unwrap();
        let kept: (String, String, Option<String>) = after
            .query_row(
                "SELECT label, text, hidden FROM parts WHERE blob = 'b' AND seq = 0",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            kept,
            (
                "名单".to_owned(),
                "姓名\t身份证号".to_owned(),
                Some("{\"sheet\":true}".to_owned())
            )
        );
        let plan: String = after
            .query_row(
                "EXPLAIN QUERY PLAN SELECT text FROM parts WHERE blob = 'b' ORDER BY seq",
                [],
                |row| row.get(3),
            )
            .unwrap();
        assert!(plan.contains("USING INDEX"), "{plan}");
        let duplicate = after.execute(
            "INSERT INTO parts (blob, seq, kind, idx, text) VALUES ('b', 0, 'body', 1, 'x')",
            [],
        );
        assert!(duplicate.is_err(), "a blob's part numbers stay unique");
    }
}
