//! Domain types shared by every trove crate.
//!
//! This crate knows nothing of files, databases or indexes: it only names the
//! things the other crates pass between them, so that a blob id or a failure
//! reason means the same in the catalog, the index, the CLI and the tests.

mod access;
mod blob;
mod code;
mod failure;
mod kind;
mod list;
mod metadata;
mod nul;
mod part;
mod placeholders;
mod publication;
mod record;
mod review;

pub use access::{AuditEvent, Case, Membership, ParseRoleError, Role, User};
pub use blob::{BlobId, ParseBlobIdError};
pub use code::ParseCodeError;
pub use failure::{Failure, FailureReason, Stage};
pub use kind::FileKind;
pub use list::{Compared, ExtraField, FieldScore, ListEntry, ListInfo, MatchCandidate, Review};
pub use metadata::{Exif, GpsPosition, ImageFacts, ImageTones, Metadata};
pub use nul::{owned_without_nul, without_nul};
pub use part::{Hidden, Part, PartKind};
pub use placeholders::fill_placeholders;
pub use publication::{Consent, PublicationDecision};
pub use record::{
    Flag, ListKind, RawCell, Record, RecordFields, RowRef, Sex, StatusCategory, column_letter,
};
pub use review::{
    FindingDecision, FindingReview, ReviewDecision, SubjectKind, Verification, VerificationStatus,
};

/// Separator between an archive's (or email's) logical path and the path of a
/// member inside it, as in `leak/a.zip!/speeches/b.docx`.
pub const MEMBER_SEPARATOR: &str = "!/";
