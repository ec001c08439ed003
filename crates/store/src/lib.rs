//! Where trove keeps what it learns.
//!
//! A store is one folder: `trove.sqlite` (the catalog), `blobs/` (every
//! original, once, read-only, named by its BLAKE3 hash) and `index/` (the
//! search index, derived data that `trove reindex` can always rebuild). An ingest keeps
//! its progress beside them, in `ingest-progress.json` ([`ProgressWriter`]), for other
//! processes to show.
//!
//! The catalog is the [`Catalog`] trait; [`SqliteCatalog`] is the embedded
//! implementation, [`PgCatalog`] the shared one of server mode (PostgreSQL, with the
//! ingest queue, [`JobQueue`]). Callers hold a `dyn Catalog`.

mod annotations;
mod blobs;
mod catalog;
pub mod connection;
mod decode;
mod dump;
mod error;
mod ingest_progress;
mod layout;
mod lists;
mod migrate;
mod ocr;
mod postgres;
mod publication;
mod record_query;
mod record_text;
mod records;
mod remote;
mod review;
mod sqlite;
pub mod testing;

pub use annotations::{Activity, Annotation, AnnotationCatalog, Note};
pub use blobs::{BlobStore, ContentHashes, StoredBlob, hash_bytes};
pub use catalog::{
    BlobState, Catalog, DocumentView, ExtractionOutcome, FailureRow, FailureTally, NewBlob,
    Occurrence, RecordedBlob, SeenAt, SourceFile, SourceState, StatusSummary, WriteBatch,
};
pub use dump::{canonical_dump, canonical_lines};
pub use error::StoreError;
pub use ingest_progress::{
    Clock, HEARTBEAT, IngestProgress, IngestStage, PROGRESS_FILE, ProgressWriter, RunState,
    STALE_AFTER, Standing, SystemClock, WRITE_EVERY, read_progress,
};
pub use layout::{DATABASE_FILE, ORIGINALS_FILE, Store};
pub use lists::{CandidateFilter, ListCatalog, StoredEntry, XrefBatch};
pub use migrate::{MigrationReport, migrate_to_postgres, verify_migrated};
pub use ocr::{MeasuredTones, OcrCandidate, OcrCatalog, OcrPageText, OcrResult};
pub use postgres::{
    ClaimedJob, HeldRole, JobCounts, JobQueue, MAX_ATTEMPTS, Migrations, PgCatalog, PgPool,
    QueuedFile, pg_reason,
};
pub use publication::PublicationCatalog;
pub use record_query::{RECORD_QUERY_FIELDS, RecordQueryError, parse_record_query};
pub use records::{
    BlobRecords, Candidate, PersonSheet, PersonVisitor, PhotoLinkRow, Piece, RecordCatalog,
    RecordFilter, RecordSource, RecordSummary, RecordToWrite, RecordsRevision, RowRecord,
    SheetPart, StoredRecord,
};
pub use records::{Direction, MAX_FACET_VALUES, RecordColumn, RecordFacets, RecordOrder};
pub use remote::RemoteOriginals;
pub use review::{BeforeCommit, ReviewCatalog, ReviewProgress};
pub use sqlite::SqliteCatalog;

/// Every facet of a case's catalog, as both backends implement them: what a command that
/// reads or writes a case, whichever backend holds it, takes.
pub trait CaseCatalog:
    Catalog
    + RecordCatalog
    + OcrCatalog
    + ListCatalog
    + ReviewCatalog
    + AnnotationCatalog
    + PublicationCatalog
{
}

impl<T> CaseCatalog for T where
    T: Catalog
        + RecordCatalog
        + OcrCatalog
        + ListCatalog
        + ReviewCatalog
        + AnnotationCatalog
        + PublicationCatalog
{
}
