//! The catalog contract: what ingest, search and the CLI need to know, as a
//! trait so that the backend (SQLite now, PostgreSQL later) can change without
//! touching its callers.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use trove_model::{BlobId, Failure, FailureReason, FileKind, Metadata, Part, Stage};

use crate::{ContentHashes, StoreError};

/// A file found on disk under an ingest root. Its size and modification time
/// decide whether a later ingest must look at it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The ingested folder, absolute.
    pub root: String,
    /// Relative to `root`, with `/` separators.
    pub path: String,
    /// Length in bytes when it was read.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
}

/// What the catalog remembers of a source file: `done` once every blob and
/// failure it produced is committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceState {
    /// Length in bytes when it was last read.
    pub size: u64,
    /// Modification time then, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
    /// Everything it produced is committed; false after an interrupted run.
    pub done: bool,
}

/// Content seen for the first time.
#[derive(Debug, Clone)]
pub struct NewBlob {
    /// Its BLAKE3 id and SHA-256.
    pub hashes: ContentHashes,
    /// Length in bytes.
    pub size: u64,
    /// The type detected from its bytes.
    pub kind: FileKind,
}

/// One place a blob was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The content found there.
    pub blob: BlobId,
    /// The ingested folder it was found under, absolute.
    pub root: String,
    /// Relative to root; `!/` enters an archive or an email.
    pub path: String,
    /// The archive or email this was found in.
    pub parent: Option<BlobId>,
    /// The kind the file name suggests, recorded only when it disagrees
    /// with the kind detected from the content.
    pub name_kind: Option<FileKind>,
    /// For an archive member, the modification time the archive records for it, as
    /// written (archives keep local time, without a zone).
    pub member_time: Option<NaiveDateTime>,
}

/// The result of running (or not running) an extractor on a blob.
#[derive(Debug, Clone)]
pub enum ExtractionOutcome {
    /// Text, metadata and perhaps a thumbnail were extracted.
    Extracted {
        /// Pages, sheets, slides or message bodies, in order.
        parts: Vec<Part>,
        /// Boxed: metadata is large and the other outcomes carry nothing.
        metadata: Box<Metadata>,
        /// A small JPEG of an image document.
        thumbnail: Option<Vec<u8>>,
        /// Text was cut at the extraction limit.
        truncated: bool,
    },
    /// No extractor exists for the kind: catalogued with hash and type only.
    Unsupported,
    /// Extraction failed; the failure itself is a [`FailureRow`].
    Failed,
    /// Too large to extract within the memory bound: stored and hashed only.
    Skipped,
}

impl ExtractionOutcome {
    pub(crate) fn status(&self) -> &'static str {
        match self {
            ExtractionOutcome::Extracted { .. } => "extracted",
            ExtractionOutcome::Unsupported => "unsupported",
            ExtractionOutcome::Failed => "failed",
            ExtractionOutcome::Skipped => "skipped",
        }
    }
}

/// A recorded failure with the place it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureRow {
    /// The ingested folder, absolute.
    pub root: String,
    /// The file on disk whose processing met the failure.
    pub source: String,
    /// The logical path that failed (a member path inside `source` for archives).
    pub path: String,
    /// The content that failed, when it was read far enough to be hashed.
    pub blob: Option<BlobId>,
    /// Stage, reason and message.
    pub failure: Failure,
}

/// Everything one step of ingest learned, written in one transaction so that
/// an interruption never leaves half of it.
#[derive(Debug, Default)]
pub struct WriteBatch {
    /// Content seen for the first time.
    pub blobs: Vec<NewBlob>,
    /// (blob, extractor version, outcome) for each blob extracted.
    pub extractions: Vec<(BlobId, u32, ExtractionOutcome)>,
    /// Places blobs were seen.
    pub occurrences: Vec<Occurrence>,
    /// Files that could not be read, unpacked or extracted.
    pub failures: Vec<FailureRow>,
    /// Sources now complete: skipped by the next ingest unless they change.
    pub sources_done: Vec<SourceFile>,
}

impl WriteBatch {
    /// True when committing it would change nothing.
    pub fn is_empty(&self) -> bool {
        self.blobs.is_empty()
            && self.extractions.is_empty()
            && self.occurrences.is_empty()
            && self.failures.is_empty()
            && self.sources_done.is_empty()
    }

    /// Bytes of extracted text the batch carries: what dominates its memory.
    pub fn text_bytes(&self) -> usize {
        self.extractions
            .iter()
            .map(|(_, _, outcome)| match outcome {
                ExtractionOutcome::Extracted { parts, .. } => {
                    parts.iter().map(|p| p.text.len()).sum()
                }
                _ => 0,
            })
            .sum()
    }

    /// Moves everything from `other` into this batch.
    pub fn append(&mut self, other: WriteBatch) {
        self.blobs.extend(other.blobs);
        self.extractions.extend(other.extractions);
        self.occurrences.extend(other.occurrences);
        self.failures.extend(other.failures);
        self.sources_done.extend(other.sources_done);
    }
}

/// What ingest needs to know of a blob before working on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobState {
    /// The type detected from its bytes.
    pub kind: FileKind,
    /// Extraction status: `extracted`, `unsupported`, `failed`, `skipped` or `pending`.
    pub status: String,
    /// The extractor version that produced its text; older ones are re-run.
    pub extractor_version: Option<u32>,
}

/// A document as `trove show` and the index see it.
#[derive(Debug, Clone)]
pub struct DocumentView {
    /// BLAKE3 of the content.
    pub id: BlobId,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
    /// Length in bytes.
    pub size: u64,
    /// The type detected from its bytes.
    pub kind: FileKind,
    /// Extraction status, as in [`BlobState::status`].
    pub status: String,
    /// The extractor version that produced its text.
    pub extractor_version: Option<u32>,
    /// Author, dates, image facts and the like, as the file states them.
    pub metadata: Metadata,
    /// Text was cut at the extraction limit.
    pub truncated: bool,
    /// A thumbnail is stored ([`Catalog::thumbnail`]).
    pub has_thumbnail: bool,
    /// Pages, sheets, slides or message bodies, in order.
    pub parts: Vec<Part>,
    /// Every place it was seen.
    pub occurrences: Vec<Occurrence>,
    /// Documents found inside this one (archive members, attachments).
    pub children: Vec<Occurrence>,
    /// Failures recorded for it.
    pub failures: Vec<FailureRow>,
}

/// Failures counted by stage and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureTally {
    /// Where in ingest they happened.
    pub stage: Stage,
    /// Why.
    pub reason: FailureReason,
    /// How many.
    pub count: u64,
}

/// Counts for `trove status`.
#[derive(Debug, Clone, Default)]
pub struct StatusSummary {
    /// Distinct contents (blobs).
    pub documents: u64,
    /// Places they were seen; more than documents where files repeat.
    pub occurrences: u64,
    /// Total size of the distinct contents.
    pub bytes: u64,
    /// (kind, documents, bytes), most documents first.
    pub by_kind: Vec<(FileKind, u64, u64)>,
    /// (extraction status, documents).
    pub by_status: Vec<(String, u64)>,
    /// Failures on record, by stage and reason.
    pub failures: Vec<FailureTally>,
    /// Documents whose latest state is not yet in the search index.
    pub unindexed: u64,
}

/// A blob's identity as recorded, for `trove verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedBlob {
    /// BLAKE3 as recorded.
    pub id: BlobId,
    /// SHA-256 as recorded.
    pub sha256: String,
    /// Length in bytes as recorded.
    pub size: u64,
}

/// The catalog of a store. Implementations are shared between threads.
pub trait Catalog: Send + Sync {
    /// What is known of a source file, if it was seen before.
    fn source(&self, root: &str, path: &str) -> Result<Option<SourceState>, StoreError>;

    /// What is known of each of `paths` under `root` that was seen before, by path: a
    /// batch of [`source`](Self::source) look-ups (one round trip where that costs).
    fn sources(
        &self,
        root: &str,
        paths: &[String],
    ) -> Result<HashMap<String, SourceState>, StoreError> {
        let mut known = HashMap::new();
        for path in paths {
            if let Some(state) = self.source(root, path)? {
                known.insert(path.clone(), state);
            }
        }
        Ok(known)
    }

    /// What is known of a blob, if it was seen before.
    fn blob_state(&self, id: &BlobId) -> Result<Option<BlobState>, StoreError>;

    /// Writes a batch atomically. Writing the same facts twice changes nothing.
    fn write(&self, batch: &WriteBatch) -> Result<(), StoreError>;

    /// Source files (root, path) with at least one recorded failure.
    fn failed_sources(&self) -> Result<Vec<(String, String)>, StoreError>;

    /// Forgets a source's failures and marks it not done, so it is processed
    /// again; the blobs it produced and their failed extractions are reset too.
    fn reset_source(&self, root: &str, path: &str) -> Result<(), StoreError>;

    /// Up to `limit` blobs whose latest state the search index lacks.
    fn unindexed(&self, limit: usize) -> Result<Vec<BlobId>, StoreError>;

    /// Records that the index now holds these blobs' latest state.
    fn mark_indexed(&self, ids: &[BlobId]) -> Result<(), StoreError>;

    /// [`unindexed`](Self::unindexed), each blob with a token of the state it was read
    /// in, where the backend can tell (several writers: PostgreSQL), for
    /// [`mark_indexed_if_unchanged`](Self::mark_indexed_if_unchanged).
    fn unindexed_as_read(&self, limit: usize) -> Result<Vec<(BlobId, Option<String>)>, StoreError> {
        Ok(self
            .unindexed(limit)?
            .into_iter()
            .map(|id| (id, None))
            .collect())
    }

    /// Marks indexed the blobs whose state is still the one their token was read in (all
    /// of them where there is no token): a blob a writer changed meanwhile stays to be
    /// indexed again.
    fn mark_indexed_if_unchanged(
        &self,
        read: &[(BlobId, Option<String>)],
    ) -> Result<(), StoreError> {
        let ids: Vec<BlobId> = read.iter().map(|(id, _)| id.clone()).collect();
        self.mark_indexed(&ids)
    }

    /// Marks every blob as needing indexing (for a rebuilt index).
    fn mark_all_unindexed(&self) -> Result<u64, StoreError>;

    /// A whole document, or `None` if the store has no such blob.
    fn document(&self, id: &BlobId) -> Result<Option<DocumentView>, StoreError>;

    /// The thumbnail of an image document.
    fn thumbnail(&self, id: &BlobId) -> Result<Option<Vec<u8>>, StoreError>;

    /// Every occurrence at exactly this logical path (under any root).
    fn occurrences_at(&self, path: &str) -> Result<Vec<Occurrence>, StoreError>;

    /// Resolves a full id or a unique prefix (8+ hex digits) to a blob id.
    fn resolve(&self, prefix: &str) -> Result<BlobId, StoreError>;

    /// Counts of documents, kinds, statuses and failures for `trove status`.
    fn status(&self) -> Result<StatusSummary, StoreError>;

    /// How many failures are on record for files under `root`.
    fn failure_count(&self, root: &str) -> Result<u64, StoreError>;

    /// Every recorded failure, oldest first.
    fn failures(&self) -> Result<Vec<FailureRow>, StoreError>;

    /// Calls `visit` for every blob's recorded identity, in id order.
    fn for_each_blob(
        &self,
        visit: &mut dyn FnMut(RecordedBlob) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Calls `visit` with the kind and metadata of every extracted blob, in id order.
    fn for_each_metadata(
        &self,
        visit: &mut dyn FnMut(BlobId, FileKind, Metadata) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Calls `visit` for every source file on record and whether it is done, in
    /// (root, path) order.
    fn for_each_source(
        &self,
        visit: &mut dyn FnMut(SourceFile, bool) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Calls `visit` for every place a blob was seen, with the blob's identity, in
    /// (root, path, blob) order: what a custody manifest lists.
    fn for_each_occurrence(
        &self,
        visit: &mut dyn FnMut(SeenAt) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;
}

/// A place a blob was seen, with what identifies the blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenAt {
    /// Where it was seen.
    pub occurrence: Occurrence,
    /// The blob's recorded identity.
    pub blob: RecordedBlob,
    /// When it was first seen there (RFC 3339, UTC).
    pub first_seen: String,
}
