use std::fmt;

use serde::{Deserialize, Serialize};

use crate::coded_enum;

coded_enum! {
    /// The step of ingest at which something went wrong.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Stage {
        /// Listing a folder or following a link.
        Walk => "walk",
        /// Reading members out of an archive.
        Unpack => "unpack",
        /// Reading and hashing a file's bytes.
        Read => "read",
        /// Copying the original into the content store.
        Store => "store",
        /// Turning bytes into text and metadata.
        Extract => "extract",
        /// Adding text to the search index.
        Index => "index",
    }
}

coded_enum! {
    /// Why a file could not be (fully) processed: a small closed set, so that
    /// `trove status` can count failures by reason and tests can assert them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum FailureReason {
        /// Password-protected or encrypted content.
        Encrypted => "encrypted",
        /// The bytes do not form a valid file of the detected type (truncated, damaged).
        Corrupt => "corrupt",
        /// An archive member whose path climbs out of the archive (`../`, absolute).
        PathTraversal => "path_traversal",
        /// A symbolic link pointing outside the ingested tree (or inside an archive).
        LinkOutsideTree => "link_outside_tree",
        /// An archive that expands beyond the size or ratio limits.
        DecompressionBomb => "decompression_bomb",
        /// A volume of a split archive (`.7z.002`, `.z01`, `.part2.rar`) is not
        /// beside the others, so the archive cannot be read whole.
        MissingVolume => "missing_volume",
        /// Archives nested deeper than the depth limit.
        TooDeep => "too_deep",
        /// A file larger than the extraction limit: stored and hashed, not extracted.
        TooLarge => "too_large",
        /// The file system refused to read or write.
        Io => "io",
        /// The file changed (or vanished) while it was read: what was read is stored and
        /// hashed, and the next ingest reads it again.
        Changed => "changed",
        /// Reading the file took longer than the time allowed one file: what was read
        /// by then is kept, marked truncated.
        TimedOut => "timed_out",
    }
}

/// A recorded failure: at which stage, for which reason, with a message that
/// tells a person what happened and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The ingest step that failed.
    pub stage: Stage,
    /// The kind of failure, for counting and for tests.
    pub reason: FailureReason,
    /// Plain-language explanation for the person running ingest: what
    /// happened to this file and what they can do about it.
    pub message: String,
}

impl Failure {
    /// A failure at `stage` for `reason`, explained by `message`.
    pub fn new(stage: Stage, reason: FailureReason, message: impl Into<String>) -> Self {
        Failure {
            stage,
            reason,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed ({}): {}",
            self.stage, self.reason, self.message
        )
    }
}
