//! Server mode: ingest spread over processes and machines that share one PostgreSQL
//! catalog and one folder of originals.
//!
//! ```text
//! trove ingest --database ─ walk → jobs (one per source file)
//! trove worker ×N ─ claim (SKIP LOCKED, leased) → process → catalog; job done
//! ```
//!
//! Queueing ([`queue_ingest`]) walks the input as a local ingest does and puts each new
//! or changed file in the queue. Workers ([`run_worker`]) process claimed files with the
//! same per-file code as a local ingest and mark a job done only once the catalog holds
//! everything the file produced; a worker killed mid-job loses its lease and another
//! takes the file again, every catalog write being idempotent. The search index is not
//! theirs: one indexer follows the catalog.

mod queue;
mod worker;

pub use queue::{QueueReport, queue_ingest};
pub use worker::{SharedCatalog, WorkerOptions, WorkerReport, run_worker};
