use std::path::PathBuf;

/// What went wrong in the store, with the file or record involved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file or folder of the store could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was tried (`create`, `read`, `rename`…).
        action: &'static str,
        /// The file or folder involved.
        path: PathBuf,
        /// Why the system refused.
        #[source]
        source: std::io::Error,
    },
    /// A query on the catalog file failed.
    #[error("the catalog at {path} could not be used: {source}")]
    Catalog {
        /// The catalog file.
        path: PathBuf,
        /// SQLite's reason.
        #[source]
        source: rusqlite::Error,
    },
    /// A named thing (a list, a case, a candidate) does not exist.
    #[error("there is no {what} {name:?}; {hint}")]
    NotFound {
        /// What kind of thing was asked for (`list`, `candidate`).
        what: &'static str,
        /// The name asked for.
        name: String,
        /// What to do about it (how to list the ones there are).
        hint: &'static str,
    },
    /// A name given for something new is not allowed.
    #[error("{what} {name:?} cannot be used: {why}")]
    InvalidName {
        /// What kind of thing was being named.
        what: &'static str,
        /// The name given.
        name: String,
        /// Which rule it breaks.
        why: &'static str,
    },
    /// What had to be written with a change (its audit event) failed, so the change was
    /// rolled back.
    #[error("the change was not saved: {0}")]
    NotRecorded(String),
    /// A SQLite error not yet tied to its file: [`crate::SqliteCatalog`] turns it into
    /// [`StoreError::Catalog`] before it leaves.
    #[error("catalog query failed: {0}")]
    Query(#[from] rusqlite::Error),
    /// A stored value does not decode (an unknown code, a malformed id).
    #[error(
        "the catalog holds a value it cannot read ({0}); it may have been written by a newer trove"
    )]
    Corrupt(String),
    /// A visitor handed to a `for_each_…` method stopped the walk, saying why.
    #[error("{0}")]
    Stopped(String),
    /// No document id starts with the given prefix.
    #[error("{0:?} matches no document in this store")]
    UnknownDocument(String),
    /// Several document ids start with the prefix given.
    #[error("{prefix:?} matches {count} documents; give more digits")]
    AmbiguousDocument {
        /// The prefix given.
        prefix: String,
        /// How many ids start with it.
        count: usize,
    },
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
