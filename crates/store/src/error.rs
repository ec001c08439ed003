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
    /// The disk holding the store is full. Whatever was committed before stays; the
    /// same command, run again once there is room, resumes.
    #[error(
        "the disk holding {path} is full: nothing already ingested is lost; free space (or move the store to a larger disk) and run the same command again to resume"
    )]
    DiskFull {
        /// The file that could not be written.
        path: PathBuf,
    },
    /// The store lies on a read-only disk or in a folder trove may not write.
    #[error(
        "the store at {path} is on a read-only disk or in a folder trove may not write: trove writes beside its catalog even to read it (SQLite's WAL files), and ingest writes everywhere; copy the store to a writable disk and use the copy (the originals keep their hashes)"
    )]
    ReadOnly {
        /// The file or folder that could not be written.
        path: PathBuf,
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
    /// A query on a PostgreSQL catalog failed.
    #[error(
        "the catalog in PostgreSQL at {database} could not be used: {}",
        crate::pg_reason(reason)
    )]
    Database {
        /// The database, as host, port and name (never its password).
        database: String,
        /// PostgreSQL's (or the connection's) reason, shown in the message whole (the
        /// client's own message says only "db error"), so not also as a source.
        reason: postgres::Error,
    },
    /// The shared originals on S3-compatible storage could not be used.
    #[error(
        "the originals at {url} could not be used: {why}; check the bucket, the AWS_ENDPOINT and the AWS_* keys"
    )]
    Remote {
        /// The bucket's URL (`s3://bucket/prefix`; it holds no secret).
        url: String,
        /// What failed, on which original.
        why: String,
    },
    /// TLS to PostgreSQL (`sslmode=require`) could not be set up.
    #[error(
        "cannot encrypt the connection to {database}: {why}; check the TROVE_PG_CA certificate file"
    )]
    Tls {
        /// Host, port and name.
        database: String,
        /// What failed.
        why: String,
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
    /// A case could not be moved to PostgreSQL (`trove migrate`); the store is unchanged.
    #[error("the case was not moved: {0}")]
    NotMoved(String),
    /// A SQLite error not yet tied to its file: [`crate::SqliteCatalog`] turns it into
    /// [`StoreError::Catalog`] before it leaves.
    #[error("catalog query failed: {0}")]
    Query(#[from] rusqlite::Error),
    /// A PostgreSQL error not yet tied to its database: [`crate::PgCatalog`] turns it
    /// into [`StoreError::Database`] before it leaves.
    #[error("catalog query failed: {}", crate::pg_reason(.0))]
    PgQuery(postgres::Error),
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
        match source.kind() {
            std::io::ErrorKind::StorageFull => return StoreError::DiskFull { path: path.into() },
            std::io::ErrorKind::ReadOnlyFilesystem => {
                return StoreError::ReadOnly { path: path.into() };
            }
            _ => {}
        }
        StoreError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// A SQLite error on the catalog file `path`, told as a full disk or a read-only store
    /// when it is one.
    pub(crate) fn catalog(path: impl Into<PathBuf>, source: rusqlite::Error) -> Self {
        let path = path.into();
        match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull { path },
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly { path },
            Some(rusqlite::ErrorCode::CannotOpen) if !writable_folder_of(&path) => {
                StoreError::ReadOnly { path }
            }
            _ => StoreError::Catalog { path, source },
        }
    }
}

/// Whether a file can be created beside `file` (a read-only mount or a folder without
/// write permission say no).
fn writable_folder_of(file: &std::path::Path) -> bool {
    let Some(folder) = file.parent() else {
        return false;
    };
    let probe = folder.join(format!(".trove-write-check-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(error) => error.kind() == std::io::ErrorKind::AlreadyExists,
    }
}

impl From<postgres::Error> for StoreError {
    /// Not `#[from]`: that would make the error its source too, and its reason, already
    /// in the message, would be printed twice.
    fn from(error: postgres::Error) -> Self {
        StoreError::PgQuery(error)
    }
}
