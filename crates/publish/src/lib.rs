//! Publishing what was verified, safely.
//!
//! [`publish`] builds a static site and open data sets from a store under the rules of
//! `publish.toml` ([`Rules`]): persons selected by verification, editors' publish flags
//! and consent ([`select`]), minors without name or photo, fields by an allow-list, ID
//! numbers masked, photos redrawn without metadata ([`photo`]), chosen documents with ID
//! numbers, phone numbers and the names of persons not published replaced by marks
//! ([`redact`]). Every build ends with the leak scanner ([`scan`]) reading every byte it
//! wrote; a site it refuses is never put where it was asked for.

pub mod export_ftm;
mod manifest;
mod numbers;
mod open_data;
pub mod person;
pub mod photo;
mod publication;
pub mod redact;
pub mod rules;
pub mod scan;
mod search_index;
pub mod select;
pub mod selection;
mod site;

use std::path::{Path, PathBuf};

pub use photo::{PhotoError, clean_photo};
pub use publication::{PublishReport, PublishRequest, publish};
pub use redact::{Redacted, Redactor, masked_id, redact};
pub use rules::{ReadRulesError, Rules, RulesError, STORE_RULES_FILE};
pub use scan::{Leak, LeakKind, ScanError, ScanReport, Scanner};
pub use trove_store::PublicationCatalog;

/// Why a publication could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(
        "{0} exists already: publish into a new folder (remove the old site, or choose another --out)"
    )]
    /// The folder asked for exists already.
    OutExists(PathBuf),
    #[error(
        "the rules allow the document `{0}`, which this store does not hold (give its id, an id prefix of 12+ hex digits, or a path it was seen at)"
    )]
    /// The rules name a document the store lacks.
    UnknownDocument(String),
    #[error("could not {action} {path}: {source}")]
    /// Reading or writing a file failed.
    Io {
        /// What was being done.
        action: &'static str,
        /// To which file or folder.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    #[error("could not write {0}: {1}")]
    /// A page or data set could not be made (its path, why).
    Render(String, String),
    #[error(
        "could not compile the {0} withheld names into a matcher ({1}); nothing was published, as redaction and the leak scan would have missed them"
    )]
    /// The withheld names could not be turned into a matcher (how many, why).
    NameMatcher(usize, String),
    #[error("the leak scanner could not read the built site: {0}")]
    /// The scanner could not read the site.
    Scan(String),
    #[error(transparent)]
    /// The store could not be read.
    Store(#[from] trove_store::StoreError),
}

impl PublishError {
    fn io(action: &'static str, path: &Path, source: std::io::Error) -> PublishError {
        PublishError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}
