use std::path::PathBuf;

/// What stops an ingest run as a whole. Problems with single files are never
/// errors: they are recorded as failures and the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The folder or file given to ingest cannot be read.
    #[error("cannot ingest {path}: {source}")]
    Source {
        /// The path as given.
        path: PathBuf,
        /// Why the system refused it.
        #[source]
        source: std::io::Error,
    },
    /// The catalog or blob store failed; what was committed before stays.
    #[error(transparent)]
    Store(#[from] trove_store::StoreError),
    /// The search index failed; the catalog marks what is still to index.
    #[error(transparent)]
    Index(#[from] trove_index::IndexError),
    /// OCR was asked for (`--ocr always`) and cannot run; the message says what is missing.
    #[error("{0}")]
    Ocr(String),
    /// A worker thread panicked or its channel closed; the message says which.
    #[error("an ingest thread stopped unexpectedly: {0}")]
    Thread(String),
}
