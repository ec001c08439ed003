use std::path::PathBuf;

/// What went wrong in the store, with the file or record involved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the catalog at {path} could not be used: {source}")]
    Catalog {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("the access database at {path} could not be used: {source}; check the --server folder")]
    Access {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{what} {name:?} already exists; pick another name")]
    AlreadyExists { what: &'static str, name: String },
    #[error("there is no {what} {name:?}; {hint}")]
    NotFound {
        what: &'static str,
        name: String,
        hint: &'static str,
    },
    #[error("{what} {name:?} cannot be used: {why}")]
    InvalidName {
        what: &'static str,
        name: String,
        why: &'static str,
    },
    #[error("this invitation is unknown, already used or expired; ask an admin for a new one")]
    InvitationUnusable,
    #[error("catalog query failed: {0}")]
    Query(#[from] rusqlite::Error),
    #[error(
        "the catalog holds a value it cannot read ({0}); it may have been written by a newer trove"
    )]
    Corrupt(String),
    /// A visitor handed to a `for_each_…` method stopped the walk, saying why.
    #[error("{0}")]
    Stopped(String),
    #[error("{0:?} matches no document in this store")]
    UnknownDocument(String),
    #[error("{prefix:?} matches {count} documents; give more digits")]
    AmbiguousDocument { prefix: String, count: usize },
}

impl StoreError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        StoreError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
