//! What can go wrong with the access database, each saying what to do.

use std::path::PathBuf;

use crate::password::PasswordError;

/// Why an access operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// The database file could not be opened or migrated.
    #[error(
        "the access database at {path} could not be opened: {source}; check the --server folder"
    )]
    Open {
        /// The `access.sqlite` file.
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// A query on the open access database failed.
    #[error(
        "the access database could not be used: {0}; check the --server folder's disk and permissions"
    )]
    Query(#[from] rusqlite::Error),
    /// The shared access database (server mode) could not be reached or migrated.
    #[error(
        "the shared access database at {database} could not be opened: {reason}; check that PostgreSQL is running and that the server folder's database.url names it"
    )]
    Shared {
        /// Host, port and name (never the password).
        database: String,
        /// What PostgreSQL or the connection said.
        reason: String,
    },
    /// A statement on the shared access database failed: PostgreSQL's reason, whole
    /// (so not also as a source, which would print it twice).
    #[error(
        "the shared access database refused a change or query: {}",
        trove_store::pg_reason(.0)
    )]
    PgQuery(postgres::Error),
    /// A file or folder next to the database could not be used.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// To which path.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
    /// A name (user, case, token label) is taken.
    #[error("{what} {name:?} already exists; pick another name")]
    AlreadyExists {
        /// What kind of thing.
        what: &'static str,
        /// The name asked for.
        name: String,
    },
    /// Something named does not exist.
    #[error("there is no {what} {name:?}; {hint}")]
    NotFound {
        /// What kind of thing.
        what: &'static str,
        /// The name asked for.
        name: String,
        /// Where to look for what there is.
        hint: &'static str,
    },
    /// A name or value is not acceptable.
    #[error("{what} {name:?} cannot be used: {why}")]
    InvalidName {
        /// What kind of thing.
        what: &'static str,
        /// The value given.
        name: String,
        /// Why not, and what would do.
        why: &'static str,
    },
    /// A grant that makes no sense, such as a viewer of no case.
    #[error(
        "a {role} needs a case: choose one (only an admin may have no case, and is then a server admin)"
    )]
    CaseNeeded {
        /// The role asked for.
        role: trove_model::Role,
    },
    /// A folder given as a case's store holds no store.
    #[error(
        "{path} holds no trove store on this server; ingest into it first (`trove ingest FOLDER --store {path}`)"
    )]
    NotAStore {
        /// The folder given.
        path: String,
    },
    /// A new user name that reads the same as an existing one.
    #[error(
        "user name {name:?} reads the same as the existing {existing:?}; choose one that looks different"
    )]
    ConfusableName {
        /// The name asked for.
        name: String,
        /// The existing name it would pass for.
        existing: String,
    },
    /// The current password given to change one's own was wrong.
    #[error("the current password is wrong; the password was not changed")]
    WrongPassword,
    /// A user asked for an API token in another user's name.
    #[error(
        "an API token is issued only to its own user: {user} must log in and issue one; an admin may revoke anyone's"
    )]
    OthersToken {
        /// The user the token was asked for.
        user: String,
    },
    /// An invitation link that cannot be redeemed.
    #[error("this invitation is unknown, already used or expired; ask an admin for a new one")]
    InvitationUnusable,
    /// A password that could not be hashed or is too short.
    #[error(transparent)]
    Password(#[from] PasswordError),
    /// The server folder's audit signing key cannot be read as one.
    #[error(
        "{path} is not an audit signing key ({why}); restore it from a backup (checkpoints already sent name its key id)"
    )]
    BadKey {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// A stored value this version cannot read.
    #[error(
        "the access database holds a value it cannot read ({0}); it may have been written by a newer trove"
    )]
    Corrupt(String),
}

impl AccessError {
    /// Whether the person asking can fix this themselves (a name taken or malformed, a
    /// thing that does not exist, a password too short): pages show these as a problem
    /// with the form rather than failing the request.
    pub fn is_users_to_fix(&self) -> bool {
        matches!(
            self,
            AccessError::AlreadyExists { .. }
                | AccessError::NotFound { .. }
                | AccessError::InvalidName { .. }
                | AccessError::CaseNeeded { .. }
                | AccessError::NotAStore { .. }
                | AccessError::OthersToken { .. }
                | AccessError::WrongPassword
                | AccessError::ConfusableName { .. }
                | AccessError::Password(PasswordError::TooShort)
        )
    }
}

impl From<postgres::Error> for AccessError {
    fn from(error: postgres::Error) -> Self {
        AccessError::PgQuery(error)
    }
}

impl From<trove_store::StoreError> for AccessError {
    /// Opening the shared database fails as the store's pool says; said here as the
    /// access database's, not a catalog's.
    fn from(error: trove_store::StoreError) -> Self {
        match error {
            trove_store::StoreError::Database { database, reason } => AccessError::Shared {
                database,
                reason: trove_store::pg_reason(&reason),
            },
            other => AccessError::Shared {
                database: "PostgreSQL".to_owned(),
                reason: other.to_string(),
            },
        }
    }
}
