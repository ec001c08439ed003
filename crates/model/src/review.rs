//! What people decided about the data: reviewers accept, reject or doubt candidate matches;
//! editors set the verification status of a person or a document. Both are kept as
//! histories, each entry saying who decided, when and why; the current state is the latest.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Review;
use crate::coded_enum;

/// One decision on a candidate match (a list entry and a Person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDecision {
    /// The list whose entry was matched.
    pub list: String,
    /// The entry's row in the list.
    pub row: u32,
    /// The Person's key.
    pub person: String,
    /// Accepted, rejected or unsure; never `Unreviewed`.
    pub review: Review,
    /// Why, in the reviewer's words.
    pub note: String,
    /// The user who decided.
    pub by: String,
    /// When the decision was made.
    pub at: DateTime<Utc>,
}

coded_enum! {
    /// What a verification status is about.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum SubjectKind as "verification subject" {
        /// A person key.
        Person => "person",
        /// A document's BLAKE3 hash.
        Document => "document",
    }
}

coded_enum! {
    /// How far a claim about a person or a document has been checked.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum VerificationStatus as "verification status" {
        /// Nobody has checked it yet.
        Unverified => "unverified",
        /// Supported by a second, independent source.
        Corroborated => "corroborated",
        /// Checked and found true.
        Verified => "verified",
        /// Checked and contradicted.
        Disputed => "disputed",
    }
}

/// One verification status set on a person or a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// Whether `subject` is a person key or a document hash.
    pub subject_kind: SubjectKind,
    /// The person key or the document's BLAKE3 hash.
    pub subject: String,
    /// The status set.
    pub status: VerificationStatus,
    /// Why, in the editor's words.
    pub note: String,
    /// URLs and document ids that support the status.
    pub evidence: Vec<String>,
    /// The user who set it.
    pub by: String,
    /// When it was set.
    pub at: DateTime<Utc>,
}

coded_enum! {
    /// What a reviewer concluded about a finding of the authenticity report.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum FindingReview as "finding review" {
        /// It has an innocent explanation (given in the note).
        Explained => "explained",
        /// Checked: the anomaly is real.
        Confirmed => "confirmed",
        /// Someone must look further (call an official, find the original).
        NeedsWork => "needs_work",
    }
}

/// One reviewer's conclusion about a finding, kept with every earlier one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingDecision {
    /// The finding's id (stable while its code and evidence are).
    pub finding: String,
    /// The conclusion.
    pub review: FindingReview,
    /// Why, in the reviewer's words.
    pub note: String,
    /// The user who concluded.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
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
