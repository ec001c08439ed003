use std::path::PathBuf;

/// What went wrong in the search index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(
        "cannot open the search index at {path}: {source}; if it is damaged, run `trove reindex` to rebuild it from the catalog"
    )]
    Open {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("the query {query:?} is not valid: {reason}")]
    Query { query: String, reason: String },
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}
