use std::path::PathBuf;

/// What stops an ingest run as a whole. Problems with single files are never
/// errors: they are recorded as failures and the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("cannot ingest {path}: {source}")]
    Source {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] trove_store::StoreError),
    #[error(transparent)]
    Index(#[from] trove_index::IndexError),
    #[error("an ingest thread stopped unexpectedly: {0}")]
    Thread(String),
}
