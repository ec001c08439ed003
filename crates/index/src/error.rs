use std::path::PathBuf;

/// What went wrong in the search index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The index directory could not be created, opened or read as an index.
    #[error(
        "cannot open the search index at {path}: {source}; if it is damaged, run `trove reindex` to rebuild it from the catalog"
    )]
    Open {
        /// The index directory that was being opened.
        path: PathBuf,
        /// tantivy's reason (an I/O error, a damaged or incompatible index).
        #[source]
        source: tantivy::TantivyError,
    },
    /// The user's query string could not be parsed; a mistake to show the
    /// user, not a fault of the index.
    #[error("the query {query:?} is not valid: {reason}")]
    Query {
        /// The query exactly as the user typed it, before any rewriting.
        query: String,
        /// The query parser's explanation.
        reason: String,
    },
    /// Any other failure of tantivy while writing, committing or searching.
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}
