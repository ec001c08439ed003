//! The benchmark harness behind `trove bench`, run by hand and never by the tests:
//!
//! - [`ingest`]: a demo leak ingested by trove in a child process, beside the floor (the
//!   files merely read and hashed) and a Python reference using Aleph's extraction
//!   libraries;
//! - [`records`]: person records from a million spreadsheet rows;
//! - [`authenticity`]: near-duplicate photos among 100,000, through the report;
//! - [`ocr`]: character error rates and pages/s of OCR on pages drawn from known text;
//! - [`search`]: search at a million parts, beside SQLite FTS5 and a memmem scan;
//! - [`publish`]: the public site of a demo leak in which every person is published;
//! - [`xref`]: cross-reference quality on the demo's planted relatives' list and on
//!   FEBRL3/FEBRL4, and its speed up to a million Persons.
//!
//! Each benchmark takes plain options (the `trove` CLI maps its flags onto them) and prints
//! its results to stdout, for people or as JSON lines; progress goes to stderr.
//!
//! Errors are `anyhow`, unlike the library crates' `thiserror` types: this is a harness
//! whose every failure ends the run with a message for the person running it (a missing
//! FEBRL file, a Python reference that would not install, an ingest child that crashed),
//! and no caller ever matches on the kind of error.

pub mod authenticity;
pub mod ingest;
pub mod ocr;
mod output;
pub mod publish;
pub mod records;
mod rss;
pub mod search;
pub mod xref;

pub use authenticity::AuthenticityBenchOptions;
pub use ingest::IngestBenchOptions;
pub use ocr::OcrBenchOptions;
pub use publish::PublishBenchOptions;
pub use records::RecordsBenchOptions;
pub use search::SearchBenchOptions;
pub use xref::XrefBenchOptions;
