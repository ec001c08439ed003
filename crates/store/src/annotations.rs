//! The annotations facet of the catalog: tags editors share within a case, notes kept as
//! a history, and each user's stars, on persons and documents. Tags and notes change
//! with their audit event in one transaction (see [`BeforeCommit`]).

use chrono::{DateTime, Utc};
use serde::Serialize;
use trove_model::SubjectKind;

use crate::StoreError;
use crate::review::BeforeCommit;

/// A note on a person or document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// What was noted.
    pub note: String,
    /// Who noted it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Something a member did lately: a review decision, a verification status, a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: String,
    /// `review`, `verification` or `note`.
    pub kind: &'static str,
    /// On what: a person (by key) or a document (by id).
    pub subject_kind: SubjectKind,
    /// The person key or document id.
    pub subject: String,
    /// What was decided, set or noted (a note's start).
    pub detail: String,
}

/// A change to a subject's annotations, by a user at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Annotation {
    /// Adds a tag (nothing changes if the subject has it already).
    Tag(String),
    /// Takes a tag away.
    Untag(String),
    /// Adds a note.
    Note(String),
    /// Stars the subject for its user alone.
    Star,
    /// Takes the user's star away.
    Unstar,
}

/// The annotations facet of a catalog.
pub trait AnnotationCatalog: Send + Sync {
    /// Applies `change` to the subject `kind:subject` as `by` at `at`, running
    /// `before_commit` inside the transaction once it is written.
    fn annotate_then(
        &self,
        kind: SubjectKind,
        subject: &str,
        change: &Annotation,
        by: &str,
        at: DateTime<Utc>,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError>;

    /// The subject's tags, sorted.
    fn tags_of(&self, kind: SubjectKind, subject: &str) -> Result<Vec<String>, StoreError>;

    /// The subject's notes, oldest first.
    fn notes_of(&self, kind: SubjectKind, subject: &str) -> Result<Vec<Note>, StoreError>;

    /// Whether `user` starred the subject.
    fn starred(&self, user: &str, kind: SubjectKind, subject: &str) -> Result<bool, StoreError>;

    /// The subjects of `kind` carrying `tag`, sorted.
    fn tagged(&self, tag: &str, kind: SubjectKind) -> Result<Vec<String>, StoreError>;

    /// Every tag in use, with how many subjects carry it, sorted by tag.
    fn tag_counts(&self) -> Result<Vec<(String, u64)>, StoreError>;

    /// The latest review decisions, verification statuses and notes, newest first, at most
    /// `limit`.
    fn recent_activity(&self, limit: usize) -> Result<Vec<Activity>, StoreError>;
}
