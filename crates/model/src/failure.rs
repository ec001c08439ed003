use std::fmt;

use serde::{Deserialize, Serialize};

/// The step of ingest at which something went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Listing a folder or following a link.
    Walk,
    /// Reading members out of an archive.
    Unpack,
    /// Reading and hashing a file's bytes.
    Read,
    /// Copying the original into the content store.
    Store,
    /// Turning bytes into text and metadata.
    Extract,
    /// Adding text to the search index.
    Index,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Walk => "walk",
            Stage::Unpack => "unpack",
            Stage::Read => "read",
            Stage::Store => "store",
            Stage::Extract => "extract",
            Stage::Index => "index",
        }
    }

    pub fn from_code(code: &str) -> Option<Stage> {
        Some(match code {
            "walk" => Stage::Walk,
            "unpack" => Stage::Unpack,
            "read" => Stage::Read,
            "store" => Stage::Store,
            "extract" => Stage::Extract,
            "index" => Stage::Index,
            _ => return None,
        })
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a file could not be (fully) processed: a small closed set, so that
/// `trove status` can count failures by reason and tests can assert them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// Password-protected or encrypted content.
    Encrypted,
    /// The bytes do not form a valid file of the detected type (truncated, damaged).
    Corrupt,
    /// An archive member whose path climbs out of the archive (`../`, absolute).
    PathTraversal,
    /// A symbolic link pointing outside the ingested tree (or inside an archive).
    LinkOutsideTree,
    /// An archive that expands beyond the size or ratio limits.
    DecompressionBomb,
    /// Archives nested deeper than the depth limit.
    TooDeep,
    /// A file larger than the extraction limit: stored and hashed, not extracted.
    TooLarge,
    /// The file system refused to read or write.
    Io,
}

impl FailureReason {
    pub fn code(self) -> &'static str {
        match self {
            FailureReason::Encrypted => "encrypted",
            FailureReason::Corrupt => "corrupt",
            FailureReason::PathTraversal => "path_traversal",
            FailureReason::LinkOutsideTree => "link_outside_tree",
            FailureReason::DecompressionBomb => "decompression_bomb",
            FailureReason::TooDeep => "too_deep",
            FailureReason::TooLarge => "too_large",
            FailureReason::Io => "io",
        }
    }

    pub fn from_code(code: &str) -> Option<FailureReason> {
        Some(match code {
            "encrypted" => FailureReason::Encrypted,
            "corrupt" => FailureReason::Corrupt,
            "path_traversal" => FailureReason::PathTraversal,
            "link_outside_tree" => FailureReason::LinkOutsideTree,
            "decompression_bomb" => FailureReason::DecompressionBomb,
            "too_deep" => FailureReason::TooDeep,
            "too_large" => FailureReason::TooLarge,
            "io" => FailureReason::Io,
            _ => return None,
        })
    }
}

impl fmt::Display for FailureReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A recorded failure: at which stage, for which reason, with a message that
/// tells a person what happened and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub stage: Stage,
    pub reason: FailureReason,
    pub message: String,
}

impl Failure {
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
