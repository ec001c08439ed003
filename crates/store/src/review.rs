//! The review facet of the catalog: what people decided about the data. The decisions and
//! statuses themselves ([`ReviewDecision`], [`Verification`]) are domain types of
//! `trove_model`; this facet keeps them as histories.

use serde::Serialize;
use trove_model::{FindingDecision, MatchCandidate, ReviewDecision, SubjectKind, Verification};

use crate::StoreError;

/// A list with candidates to review, and how far review has got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewProgress {
    /// The list's name.
    pub list: String,
    /// Candidate matches of the list's entries.
    pub candidates: u64,
    /// Those nobody has decided on yet.
    pub unreviewed: u64,
}

/// What a caller runs inside the transaction that writes a decision or a status, just
/// before its commit (to append the matching audit event, say): an error rolls the
/// write back and is returned as it is.
pub type BeforeCommit<'a> = dyn FnMut() -> Result<(), StoreError> + 'a;

/// The review facet of a catalog.
pub trait ReviewCatalog: Send + Sync {
    /// Records a decision on the candidate `(list, row, person)` and makes it the
    /// candidate's review, in one transaction. Fails with [`StoreError::NotFound`] when
    /// there is no such candidate.
    fn record_review(&self, decision: &ReviewDecision) -> Result<(), StoreError> {
        self.record_review_then(decision, &mut || Ok(()))
    }

    /// As [`record_review`](Self::record_review), running `before_commit` inside the
    /// transaction once the decision is written: if it fails, nothing is kept.
    fn record_review_then(
        &self,
        decision: &ReviewDecision,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError>;

    /// Every list with candidate matches, by name.
    fn review_progress(&self) -> Result<Vec<ReviewProgress>, StoreError>;

    /// The candidate matches of one Person, across lists, best first.
    fn person_matches(&self, person: &str) -> Result<Vec<MatchCandidate>, StoreError>;

    /// Every decision on candidates of `list`, oldest first.
    fn review_history(&self, list: &str) -> Result<Vec<ReviewDecision>, StoreError>;

    /// The decisions on one candidate (entry `row` of `list` as `person`), oldest first.
    fn candidate_history(
        &self,
        list: &str,
        row: u32,
        person: &str,
    ) -> Result<Vec<ReviewDecision>, StoreError>;

    /// Adds a verification status; it becomes the subject's current one.
    fn record_verification(&self, verification: &Verification) -> Result<(), StoreError> {
        self.record_verification_then(verification, &mut || Ok(()))
    }

    /// As [`record_verification`](Self::record_verification), running `before_commit`
    /// inside the transaction once the status is written: if it fails, nothing is kept.
    fn record_verification_then(
        &self,
        verification: &Verification,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError>;

    /// Every status set on the subject, oldest first: the last is the current one.
    fn verification_history(
        &self,
        kind: SubjectKind,
        subject: &str,
    ) -> Result<Vec<Verification>, StoreError>;

    /// Every subject of `kind` with a status, and its current status.
    fn current_statuses(
        &self,
        kind: SubjectKind,
    ) -> Result<std::collections::HashMap<String, trove_model::VerificationStatus>, StoreError>;

    /// Records a reviewer's conclusion about a finding; `before_commit` (the caller's audit
    /// append) must succeed for it to be kept.
    fn record_finding_review_then(
        &self,
        decision: &FindingDecision,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError>;

    /// Every conclusion about every finding, oldest first.
    fn finding_reviews(&self) -> Result<Vec<FindingDecision>, StoreError>;
}

/// Refuses a "decision" that decides nothing (unreviewed), on either backend.
pub(crate) fn check_decision(decision: &ReviewDecision) -> Result<(), StoreError> {
    if decision.review == trove_model::Review::Unreviewed {
        return Err(StoreError::InvalidName {
            what: "review",
            name: decision.review.code().to_owned(),
            why: "a decision accepts, rejects or is unsure",
        });
    }
    Ok(())
}

/// The error of a decision on a candidate match that is not there (any more): the same
/// from both backends.
pub(crate) fn no_such_candidate(decision: &ReviewDecision) -> StoreError {
    StoreError::NotFound {
        what: "candidate match",
        name: format!(
            "list {}, row {}, person {}",
            decision.list, decision.row, decision.person
        ),
        hint: "reload the review queue: the list may have been imported again",
    }
}
