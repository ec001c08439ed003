//! The review facet of the catalog: what people decided about the data. Reviewers accept,
//! reject or doubt candidate matches; editors set the verification status of a person or
//! a document. Both are kept as histories, each entry saying who decided, when and why;
//! the current state is the latest entry.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use trove_model::{MatchCandidate, Review};

use crate::StoreError;

/// One decision on a candidate match (a list entry and a Person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDecision {
    pub list: String,
    pub row: u32,
    pub person: String,
    /// Accepted, rejected or unsure; never `Unreviewed`.
    pub review: Review,
    pub note: String,
    /// The user who decided.
    pub by: String,
    pub at: DateTime<Utc>,
}

/// What a verification status is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    /// A person key.
    Person,
    /// A document's BLAKE3 hash.
    Document,
}

/// How far a claim about a person or a document has been checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerificationStatus {
    Unverified,
    /// Supported by a second, independent source.
    Corroborated,
    Verified,
    Disputed,
}

/// A code that names no [`SubjectKind`] or [`VerificationStatus`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a {what}: use one of {choices}")]
pub struct ParseCodeError {
    pub input: String,
    pub what: &'static str,
    pub choices: &'static str,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 2] = [SubjectKind::Person, SubjectKind::Document];

    pub fn code(self) -> &'static str {
        match self {
            SubjectKind::Person => "person",
            SubjectKind::Document => "document",
        }
    }
}

impl VerificationStatus {
    pub const ALL: [VerificationStatus; 4] = [
        VerificationStatus::Unverified,
        VerificationStatus::Corroborated,
        VerificationStatus::Verified,
        VerificationStatus::Disputed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            VerificationStatus::Unverified => "unverified",
            VerificationStatus::Corroborated => "corroborated",
            VerificationStatus::Verified => "verified",
            VerificationStatus::Disputed => "disputed",
        }
    }
}

impl fmt::Display for SubjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for VerificationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for SubjectKind {
    type Err = ParseCodeError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.code() == input.trim())
            .ok_or_else(|| ParseCodeError {
                input: input.to_owned(),
                what: "verification subject",
                choices: "person, document",
            })
    }
}

impl FromStr for VerificationStatus {
    type Err = ParseCodeError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.code() == input.trim())
            .ok_or_else(|| ParseCodeError {
                input: input.to_owned(),
                what: "verification status",
                choices: "unverified, corroborated, verified, disputed",
            })
    }
}

/// One verification status set on a person or a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub subject_kind: SubjectKind,
    pub subject: String,
    pub status: VerificationStatus,
    pub note: String,
    /// URLs and document ids that support the status.
    pub evidence: Vec<String>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A list with candidates to review, and how far review has got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewProgress {
    pub list: String,
    pub candidates: u64,
    pub unreviewed: u64,
}

/// The review facet of a catalog.
pub trait ReviewCatalog: Send + Sync {
    /// Records a decision on the candidate `(list, row, person)` and makes it the
    /// candidate's review, in one transaction. Fails with [`StoreError::NotFound`] when
    /// there is no such candidate.
    fn record_review(&self, decision: &ReviewDecision) -> Result<(), StoreError>;

    /// Every list with candidate matches, by name.
    fn review_progress(&self) -> Result<Vec<ReviewProgress>, StoreError>;

    /// The candidate matches of one Person, across lists, best first.
    fn person_matches(&self, person: &str) -> Result<Vec<MatchCandidate>, StoreError>;

    /// Every decision on candidates of `list`, oldest first.
    fn review_history(&self, list: &str) -> Result<Vec<ReviewDecision>, StoreError>;

    /// Adds a verification status; it becomes the subject's current one.
    fn record_verification(&self, verification: &Verification) -> Result<(), StoreError>;

    /// Every status set on the subject, oldest first: the last is the current one.
    fn verification_history(
        &self,
        kind: SubjectKind,
        subject: &str,
    ) -> Result<Vec<Verification>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_subjects_round_trip_through_their_codes() {
        for status in VerificationStatus::ALL {
            assert_eq!(status.code().parse(), Ok(status));
        }
        for kind in SubjectKind::ALL {
            assert_eq!(kind.to_string().parse(), Ok(kind));
        }
    }

    #[test]
    fn an_unknown_status_names_the_valid_ones() {
        let error = "probable".parse::<VerificationStatus>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "`probable` is not a verification status: use one of unverified, corroborated, verified, disputed"
        );
    }
}
