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
    /// A folder to make an index anew in holds something that is not an index's, so
    /// nothing in it was deleted.
    #[error(
        "{path} holds {stranger:?}, which is not part of a search index, so nothing there was deleted; name the index's own folder, or an empty or new one"
    )]
    NotAnIndex {
        /// The folder named as the index's.
        path: PathBuf,
        /// The first entry found there that tantivy did not write.
        stranger: String,
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
