//! The ingest pipeline: a folder (or archive) of leaked files in; every file
//! hashed, kept, typed, extracted, catalogued and indexed.
//!
//! - Parallel: a walker feeds worker threads (hash, unpack, extract) that feed
//!   one writer thread (catalog and index).
//! - Streaming: bounded channels and per-file memory bounds keep memory flat
//!   whatever the corpus size.
//! - Resumable: a file on disk is marked done only once everything it produced
//!   is committed; an interrupted run (Ctrl-C or kill -9) is simply run again.
//!   Writes are idempotent, so redone work never duplicates anything.
//! - Records: at the end of a run, sheets are read for person records and photos for
//!   the ID numbers they carry ([`build_records`], also run on its own).
//! - Outside lists: read ([`read_list`]) and cross-referenced with the Persons
//!   ([`cross_reference`]), the candidates stored for review.
//! - Every problem with a file is a recorded failure with stage and reason;
//!   the run goes on.
//! - Server mode ([`queue_ingest`], [`run_worker`]): the same per-file work spread over
//!   worker processes that share a PostgreSQL catalog and its job queue.
//! - Progress goes to the caller's [`Progress`] (the CLI's bar) and to the store folder's
//!   `ingest-progress.json`, which the workbench shows on the case's home page.

mod batch;
mod content;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod lists;
mod ocr;
mod options;
mod pipeline;
mod process;
mod progress;
mod progress_file;
mod records;
mod report;
mod server;
mod timings;
mod unpack;
mod walk;
mod writer;
mod xref;

pub use error::IngestError;
pub use lists::{ListReadError, MAX_LIST_BYTES, read_list};
pub use ocr::{OCR_VERSION, OcrMode, OcrOptions, OcrReport, run_ocr};
pub use options::{ArchiveLimits, IngestOptions};
pub use pipeline::{WORKER_THREAD_NAME, ingest};
pub use progress::{Progress, Silent};
pub use records::{RecordsReport, build_records, records_version};
pub use report::IngestReport;
pub use server::{
    QueueReport, SharedCatalog, WorkerOptions, WorkerReport, queue_ingest, run_worker,
};
pub use timings::{StageTimings, TimedStage};
pub use writer::sync_index;
pub use xref::{XrefReport, cross_reference};
