//! What a worker does with one file found on disk: hash it, keep it, type
//! it, extract it, and do the same for everything inside it (archive
//! members, email attachments), recording failures as it goes.

use std::fs::{self, File};
use std::io::{Cursor, Read};

use chrono::NaiveDateTime;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Instant;

use trove_extract::{EXTRACTOR_VERSION, ExtractError, Extracted};
use trove_model::{
    BlobId, Failure, FailureReason, FileKind, MEMBER_SEPARATOR, Stage, owned_without_nul,
    without_nul,
};
use trove_store::{
    BlobState, BlobStore, Catalog, ContentHashes, ExtractionOutcome, FailureRow, NewBlob,
    Occurrence, SourceFile, StoredBlob, hash_bytes,
};

use crate::IngestOptions;
use crate::batch::BatchSender;
use crate::content::Content;
use crate::timings::{StageTimings, TimedStage};
use crate::unpack::{
    ArchiveBytes, ArchiveSource, ExpansionGuard, MemberVisitor, Opening, Scratch, archive_kind,
    missing_volume, open_archive, unpack,
};

/// A file found on disk, to be processed with everything inside it.
#[derive(Debug, Clone)]
pub(crate) struct SourceJob {
    pub source: SourceFile,
    pub absolute: PathBuf,
}

/// A document at one logical place: on disk, in an archive, in an email.
struct Item {
    /// Relative to the root; `!/` enters a container.
    path: String,
    parent: Option<BlobId>,
    /// Containers entered to reach it.
    depth: u32,
    /// The modification time its archive records for it, if it is an archive member.
    member_time: Option<NaiveDateTime>,
}

impl Item {
    fn name(&self) -> &str {
        self.path.rsplit(['/', '!']).next().unwrap_or(&self.path)
    }

    fn child(&self, name: &str, parent: &BlobId) -> Item {
        Item {
            path: format!("{}{MEMBER_SEPARATOR}{name}", self.path),
            parent: Some(parent.clone()),
            depth: self.depth + 1,
            member_time: None,
        }
    }
}

/// Shared, read-only state of the workers.
pub(crate) struct Worker<'a> {
    pub catalog: &'a dyn Catalog,
    pub blobs: &'a BlobStore,
    pub options: &'a IngestOptions,
    pub timings: &'a StageTimings,
}

/// Per-source state threaded through the recursion. The expansion guard is
/// shared by every archive nested in the source: the budget is per source.
struct SourceContext<'a> {
    /// The ingested folder the source lies in, as the catalog records it.
    root: &'a str,
    source: &'a str,
    /// The source file on disk (split archives find their volumes beside it).
    on_disk: &'a Path,
    guard: &'a ExpansionGuard,
    out: BatchSender<'a>,
}

impl Worker<'_> {
    /// Processes one source file completely and marks it done. Returns the
    /// number of failures recorded.
    pub(crate) fn process_source(&self, job: &SourceJob, out: BatchSender<'_>) -> u64 {
        let guard = ExpansionGuard::new(self.options.archive);
        let mut ctx = SourceContext {
            root: &job.source.root,
            source: &job.source.path,
            on_disk: &job.absolute,
            guard: &guard,
            out,
        };
        let item = Item {
            path: job.source.path.clone(),
            parent: None,
            depth: 0,
            member_time: None,
        };
        if job.source.size <= self.options.max_in_memory_bytes {
            match self
                .timings
                .time(TimedStage::ReadAndHash, || fs::read(&job.absolute))
            {
                Ok(bytes) => {
                    let changed = changed_while_read(job, bytes.len() as u64);
                    self.process_bytes(&item, bytes, &mut ctx);
                    if let Some(failure) = changed {
                        self.fail(&mut ctx, &item.path, None, failure);
                    }
                }
                Err(error) => self.fail(&mut ctx, &item.path, None, read_failure(&error)),
            }
        } else {
            self.process_large_file(&item, job, &mut ctx);
        }
        ctx.out.batch().sources_done.push(job.source.clone());
        ctx.out.flush();
        ctx.out.failures
    }

    /// A document held in memory: hashed and kept, then down the one path.
    fn process_bytes(&self, item: &Item, bytes: Vec<u8>, ctx: &mut SourceContext<'_>) {
        let hashes = self
            .timings
            .time(TimedStage::ReadAndHash, || hash_bytes(&bytes));
        if let Err(error) = self
            .timings
            .time(TimedStage::Store, || self.blobs.put(&hashes, &bytes))
        {
            let failure = Failure::new(Stage::Store, FailureReason::Io, error.to_string());
            return self.fail(ctx, &item.path, None, failure);
        }
        self.process_content(item, &hashes, Content::InMemory(bytes), ctx);
    }

    /// Files above the in-memory bound are streamed into the store; archives
    /// among them are unpacked from the stored copy, others are not extracted.
    fn process_large_file(&self, item: &Item, job: &SourceJob, ctx: &mut SourceContext<'_>) {
        let stored = File::open(&job.absolute)
            .map_err(|e| read_failure(&e))
            .and_then(|file| {
                self.timings.time(TimedStage::ReadAndHash, || {
                    self.blobs
                        .put_reader(file, &job.absolute)
                        .map_err(|e| Failure::new(Stage::Store, FailureReason::Io, e.to_string()))
                })
            });
        match stored {
            Ok(stored) => self.process_stored(item, stored, ctx),
            Err(failure) => self.fail(ctx, &item.path, None, failure),
        }
    }

    /// Continues with content already in the store, too large for memory.
    fn process_stored(&self, item: &Item, stored: StoredBlob, ctx: &mut SourceContext<'_>) {
        let content = Content::Stored {
            id: stored.hashes.blake3.clone(),
            size: stored.size,
        };
        self.process_content(item, &stored.hashes, content, ctx);
    }

    /// The one path of every document once it is kept, wherever its content lies:
    /// detect and register it, then unpack it if it is an archive or extract it if
    /// it is new.
    fn process_content(
        &self,
        item: &Item,
        hashes: &ContentHashes,
        content: Content,
        ctx: &mut SourceContext<'_>,
    ) {
        let registered = match content.detection_sample(self.blobs) {
            Ok(sample) => self.register(item, hashes, content.size(), &sample, ctx),
            Err(failure) => return self.fail(ctx, &item.path, Some(&hashes.blake3), failure),
        };
        let Some((id, kind, state)) = registered else {
            return;
        };
        let original = item.parent.is_none().then_some(ctx.on_disk);
        if let Some(kind) = archive_kind(kind, original) {
            let stored = self.blobs.path_of(&id);
            match open_archive(kind, &content, original, stored, self.blobs) {
                Ok(Opening::Read(bytes)) => {
                    self.unpack_archive(item, kind, bytes, &id, needs_extraction(&state), ctx)
                }
                // Read with the first volume of its set; on its own it holds no members.
                Ok(Opening::LaterVolume) if needs_extraction(&state) => {
                    push_outcome(ctx, &id, empty_extraction());
                }
                Ok(Opening::LaterVolume) => {}
                Err(failure) => {
                    if needs_extraction(&state) {
                        push_outcome(ctx, &id, ExtractionOutcome::Failed);
                    }
                    self.fail(ctx, &item.path, Some(&id), failure);
                }
            }
        } else if needs_extraction(&state) {
            match &content {
                Content::InMemory(bytes) => self.extract(item, kind, bytes, &id, ctx),
                Content::Stored { size, .. } => self.refuse_too_large(item, &id, *size, ctx),
            }
        }
        ctx.out.maybe_flush();
    }

    /// Content above the in-memory bound is stored and hashed but not extracted:
    /// the failure says how to extract it after all.
    fn refuse_too_large(&self, item: &Item, id: &BlobId, size: u64, ctx: &mut SourceContext<'_>) {
        ctx.out.batch().extractions.push((
            id.clone(),
            EXTRACTOR_VERSION,
            ExtractionOutcome::Skipped,
        ));
        let failure = Failure::new(
            Stage::Extract,
            FailureReason::TooLarge,
            format!(
                "{size} bytes is more than the {} bytes trove extracts in memory; the original is stored and hashed. \
                 Raise --max-file-mb and run with --retry-failed to extract it",
                self.options.max_in_memory_bytes
            ),
        );
        self.fail(ctx, &item.path, Some(id), failure);
    }

    /// Records the blob (if new) and this occurrence of it. Returns the id,
    /// kind and what the catalog knew before.
    fn register(
        &self,
        item: &Item,
        hashes: &ContentHashes,
        size: u64,
        content: &[u8],
        ctx: &mut SourceContext<'_>,
    ) -> Option<(BlobId, FileKind, Option<BlobState>)> {
        let id = hashes.blake3.clone();
        let state = match self.catalog.blob_state(&id) {
            Ok(state) => state,
            Err(error) => {
                let failure = Failure::new(Stage::Store, FailureReason::Io, error.to_string());
                self.fail(ctx, &item.path, Some(&id), failure);
                return None;
            }
        };
        let kind = match &state {
            Some(state) => state.kind,
            None => self.timings.time(TimedStage::Detect, || {
                trove_extract::detect(content, item.name())
            }),
        };
        let batch = ctx.out.batch();
        if state.is_none() {
            batch.blobs.push(NewBlob {
                hashes: hashes.clone(),
                size,
                kind,
            });
        }
        batch.occurrences.push(Occurrence {
            blob: id.clone(),
            root: ctx.root.to_owned(),
            path: item.path.clone(),
            parent: item.parent.clone(),
            name_kind: FileKind::from_extension(item.name())
                .filter(|&named| disagrees(named, kind)),
            member_time: item.member_time,
        });
        Some((id, kind, state))
    }

    fn unpack_archive(
        &self,
        item: &Item,
        kind: FileKind,
        bytes: ArchiveBytes<'_>,
        id: &BlobId,
        record_outcome: bool,
        ctx: &mut SourceContext<'_>,
    ) {
        if item.depth >= self.options.archive.max_depth {
            let failure = Failure::new(
                Stage::Unpack,
                FailureReason::TooDeep,
                format!(
                    "archives nested {} deep; the limit is {}: this one is stored but not opened",
                    item.depth + 1,
                    self.options.archive.max_depth
                ),
            );
            if record_outcome {
                push_outcome(ctx, id, ExtractionOutcome::Failed);
            }
            return self.fail(ctx, &item.path, Some(id), failure);
        }
        let guard = ctx.guard;
        let mut visitor = ArchiveVisitor {
            worker: self,
            archive: item,
            archive_id: id,
            ctx,
        };
        let staging = self.blobs.staging_dir();
        let source = ArchiveSource {
            reader: bytes.reader,
            on_disk: &bytes.on_disk,
            rar_volumes: bytes.rar_volumes.as_ref(),
            scratch: Scratch {
                parent: &staging,
                max_in_memory_bytes: self.options.max_in_memory_bytes,
            },
        };
        let result = unpack(kind, item.name(), source, guard, &mut visitor).map_err(|failure| {
            match (&bytes.next_volume, failure.reason) {
                // A byte split that cannot be read whole is most likely cut short.
                (Some(next), FailureReason::Corrupt) => missing_volume(next),
                _ => failure,
            }
        });
        match result {
            Ok(()) if record_outcome => push_outcome(ctx, id, empty_extraction()),
            Ok(()) => {}
            Err(failure) => {
                if record_outcome {
                    push_outcome(ctx, id, ExtractionOutcome::Failed);
                }
                self.fail(ctx, &item.path, Some(id), failure);
            }
        }
    }

    fn extract(
        &self,
        item: &Item,
        kind: FileKind,
        bytes: &[u8],
        id: &BlobId,
        ctx: &mut SourceContext<'_>,
    ) {
        let start = Instant::now();
        let allowed = self.options.max_file_time;
        let limits = trove_extract::Limits {
            deadline: start.checked_add(allowed),
            ..self.options.extract
        };
        let result = catch_unwind(AssertUnwindSafe(|| {
            trove_extract::extract(kind, bytes, &limits)
        }));
        let took = start.elapsed();
        self.timings.add_extraction(kind, took);
        let failure = |reason, message: String| Failure::new(Stage::Extract, reason, message);
        match result {
            Ok(Ok(Some(extracted))) => {
                if took > allowed {
                    let message = format!(
                        "reading this {kind} took {:.0} s, longer than the {} s one file may take: \
                         the text read by then is kept (marked truncated) and ingest went on. \
                         `trove ingest --retry-failed --max-file-seconds N` reads it again with more time",
                        took.as_secs_f64(),
                        allowed.as_secs()
                    );
                    self.fail(
                        ctx,
                        &item.path,
                        Some(id),
                        failure(FailureReason::TimedOut, message),
                    );
                }
                let Extracted {
                    parts,
                    metadata,
                    children,
                    thumbnail,
                    truncated,
                } = extracted;
                let outcome = ExtractionOutcome::Extracted {
                    parts,
                    metadata: Box::new(metadata),
                    thumbnail,
                    truncated,
                };
                push_outcome(ctx, id, outcome);
                for child in children {
                    let child_item = item.child(&child.name, id);
                    if child_item.depth > self.options.archive.max_depth {
                        let too_deep =
                            failure(FailureReason::TooDeep, "attachments nested too deep".into());
                        self.fail(ctx, &child_item.path, None, too_deep);
                        continue;
                    }
                    self.process_bytes(&child_item, child.bytes, ctx);
                }
            }
            Ok(Ok(None)) => push_outcome(ctx, id, ExtractionOutcome::Unsupported),
            Ok(Err(error)) => {
                let reason = match error {
                    ExtractError::Encrypted { .. } => FailureReason::Encrypted,
                    ExtractError::Corrupt { .. } => FailureReason::Corrupt,
                };
                push_outcome(ctx, id, ExtractionOutcome::Failed);
                self.fail(
                    ctx,
                    &item.path,
                    Some(id),
                    failure(reason, error.to_string()),
                );
            }
            Err(panic) => {
                let detail = panic_message(panic.as_ref());
                push_outcome(ctx, id, ExtractionOutcome::Failed);
                let message = format!(
                    "the {kind} extractor crashed on this file ({detail}); this is a bug in trove, please report it. \
                     The original is stored: after an upgrade, `trove ingest --retry-failed` extracts it again"
                );
                self.fail(
                    ctx,
                    &item.path,
                    Some(id),
                    failure(FailureReason::Corrupt, message),
                );
            }
        }
    }

    fn fail(
        &self,
        ctx: &mut SourceContext<'_>,
        path: &str,
        blob: Option<&BlobId>,
        mut failure: Failure,
    ) {
        ctx.out.failures += 1;
        // A member's name or an extractor's message may carry a NUL from the file.
        failure.message = owned_without_nul(std::mem::take(&mut failure.message));
        ctx.out.batch().failures.push(FailureRow {
            root: ctx.root.to_owned(),
            source: ctx.source.to_owned(),
            path: without_nul(path).into_owned(),
            blob: blob.cloned(),
            failure,
        });
    }
}

/// Receives the members of one archive and processes each like any file.
struct ArchiveVisitor<'w, 'c, 'a> {
    worker: &'w Worker<'w>,
    archive: &'w Item,
    archive_id: &'w BlobId,
    ctx: &'c mut SourceContext<'a>,
}

impl MemberVisitor for ArchiveVisitor<'_, '_, '_> {
    fn member(
        &mut self,
        path: &str,
        modified: Option<NaiveDateTime>,
        reader: &mut dyn Read,
    ) -> Result<(), Failure> {
        let mut item = self.archive.child(path, self.archive_id);
        item.member_time = modified;
        let limit = self.worker.options.max_in_memory_bytes;
        let mut bytes = Vec::new();
        let read = self.worker.timings.time(TimedStage::Unpack, || {
            reader.take(limit + 1).read_to_end(&mut bytes)
        });
        read.map_err(|error| crate::unpack::member_read_failure(&error, &item.path))?;
        if bytes.len() as u64 <= limit {
            self.worker.process_bytes(&item, bytes, self.ctx);
            return Ok(());
        }
        // Too large for memory: stream the rest into the store.
        let mut whole = Cursor::new(bytes).chain(reader);
        let stored = self
            .worker
            .blobs
            .put_reader(&mut whole, std::path::Path::new(&item.path))
            .map_err(|e| Failure::new(Stage::Store, FailureReason::Io, e.to_string()))?;
        self.worker.process_stored(&item, stored, self.ctx);
        Ok(())
    }

    fn refused(&mut self, path: &str, failure: Failure) {
        let path = format!("{}{MEMBER_SEPARATOR}{path}", self.archive.path);
        self.worker.fail(self.ctx, &path, None, failure);
    }
}

fn push_outcome(ctx: &mut SourceContext<'_>, id: &BlobId, mut outcome: ExtractionOutcome) {
    if let ExtractionOutcome::Extracted { parts, .. } = &mut outcome {
        parts.iter_mut().for_each(replace_nul);
    }
    ctx.out.count_text(&outcome);
    ctx.out
        .batch()
        .extractions
        .push((id.clone(), EXTRACTOR_VERSION, outcome));
}

/// A NUL in extracted text (a sheet cell written `_x0000_`, say) becomes U+FFFD (see
/// [`owned_without_nul`]).
fn replace_nul(part: &mut trove_model::Part) {
    part.text = owned_without_nul(std::mem::take(&mut part.text));
    part.label = part.label.take().map(owned_without_nul);
}

/// An archive's own "extraction": it has no text, its members are documents.
fn empty_extraction() -> ExtractionOutcome {
    ExtractionOutcome::Extracted {
        parts: Vec::new(),
        metadata: Default::default(),
        thumbnail: None,
        truncated: false,
    }
}

/// New content, or content whose extraction was reset (`--retry-failed`).
fn needs_extraction(state: &Option<BlobState>) -> bool {
    state.as_ref().is_none_or(|s| s.status == "pending")
}

/// Whether a name's extension really disagrees with the detected kind
/// (a `.txt` holding CSV-like text or a `.tgz` holding gzip do not).
fn disagrees(named: FileKind, detected: FileKind) -> bool {
    let same_family = matches!(
        (named, detected),
        (FileKind::Csv, FileKind::Text) | (FileKind::Text, FileKind::Csv)
    );
    named != detected && !same_family
}

/// Whether the source file changed between its listing and the end of its reading (its
/// size or time differ, or it is gone): the bytes read are still kept, consistently
/// hashed, but a person must know the file was moving, and the next ingest reads it again.
fn changed_while_read(job: &SourceJob, read: u64) -> Option<Failure> {
    let listed = (job.source.size, job.source.mtime_ns);
    let now = fs::metadata(&job.absolute)
        .ok()
        .map(|meta| (meta.len(), crate::walk::mtime_ns(&meta)));
    if now == Some(listed) && read == listed.0 {
        return None;
    }
    let what = match now {
        None => "vanished".to_owned(),
        Some((size, _)) if size != listed.0 || read != listed.0 => {
            format!("went from {} to {size} bytes ({read} read)", listed.0)
        }
        Some(_) => "was rewritten".to_owned(),
    };
    Some(Failure::new(
        Stage::Read,
        FailureReason::Changed,
        format!(
            "the file {what} while trove read it: the {read} bytes read are stored and hashed; \
             ingest the folder again once nothing writes to it, and the new version is kept beside this one"
        ),
    ))
}

fn read_failure(error: &std::io::Error) -> Failure {
    if error.kind() == std::io::ErrorKind::NotFound {
        return Failure::new(
            Stage::Read,
            FailureReason::Changed,
            "the file vanished after it was listed, before trove read it: nothing of it is \
             stored; if it comes back, ingest the folder again",
        );
    }
    Failure::new(
        Stage::Read,
        FailureReason::Io,
        format!("cannot read the file: {error}; check that it is readable and the disk is healthy"),
    )
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

#[cfg(test)]
mod tests {
    use trove_store::SourceFile;

    use super::*;

    #[test]
    fn nul_in_extracted_text_becomes_a_replacement_character() {
        let mut part = trove_model::Part {
            kind: trove_model::PartKind::Sheet,
            index: 1,
            label: Some("名单\0".into()),
            text: "Abdurehim\0\tTursun".into(),
            hidden: Default::default(),
        };
        replace_nul(&mut part);
        assert_eq!(part.text, "Abdurehim\u{FFFD}\tTursun");
        assert_eq!(part.label.as_deref(), Some("名单\u{FFFD}"));
    }

    fn job_for(path: &Path) -> SourceJob {
        let meta = fs::metadata(path).unwrap();
        SourceJob {
            source: SourceFile {
                root: "root".into(),
                path: "a.txt".into(),
                size: meta.len(),
                mtime_ns: crate::walk::mtime_ns(&meta),
            },
            absolute: path.to_path_buf(),
        }
    }

    #[test]
    fn a_file_that_grows_or_vanishes_while_read_is_told_as_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "教育转化").unwrap();
        let job = job_for(&path);
        assert!(changed_while_read(&job, job.source.size).is_none());

        fs::write(&path, "教育转化 and a line appended while trove read").unwrap();
        let grown = changed_while_read(&job, job.source.size).unwrap();
        assert_eq!(grown.reason, FailureReason::Changed);
        assert!(
            grown.message.contains("went from 12 to"),
            "{}",
            grown.message
        );

        fs::remove_file(&path).unwrap();
        let gone = changed_while_read(&job, job.source.size).unwrap();
        assert!(gone.message.contains("vanished"), "{}", gone.message);
        let unread = read_failure(&fs::read(&path).unwrap_err());
        assert_eq!(unread.reason, FailureReason::Changed);
    }
}
