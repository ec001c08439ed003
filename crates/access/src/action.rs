//! The closed set of things the audit trail records.

use trove_model::coded_enum;

coded_enum! {
    /// What an audit event records. The code is what the trail stores and the audit page
    /// filters on; codes never change once written.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum AuditAction as "audit action" {
        /// A user logged in.
        Login => "login",
        /// A login was refused: wrong name or password, or locked out.
        LoginFailed => "login_failed",
        /// A name or an address was locked out after too many failures.
        Lockout => "lockout",
        /// A user ended one session.
        Logout => "logout",
        /// A user ended all their sessions.
        LogoutEverywhere => "logout_everywhere",
        /// A user was added.
        UserAdded => "user_added",
        /// A user was disabled; their sessions and tokens ended.
        UserDisabled => "user_disabled",
        /// A user's password was replaced.
        PasswordSet => "password_set",
        /// A user chose the language they read the workbench in.
        LanguageSet => "language_set",
        /// A user was given a role in a case.
        RoleGranted => "role_granted",
        /// A user was taken out of a case.
        RoleRemoved => "role_removed",
        /// A store folder became a case.
        CaseAdded => "case_added",
        /// An API token was issued.
        ApiTokenIssued => "api_token_issued",
        /// An API token was revoked.
        ApiTokenRevoked => "api_token_revoked",
        /// An invitation link was made.
        InvitationCreated => "invitation_created",
        /// An invitation link made an account.
        InvitationUsed => "invitation_used",
        /// An invitation link was revoked before it was used.
        InvitationRevoked => "invitation_revoked",
        /// Someone read the audit trail.
        AuditViewed => "audit_viewed",
        /// A signed checkpoint of the audit trail was made.
        AuditCheckpoint => "audit_checkpoint",
        /// Someone opened a person's page.
        ViewPerson => "view_person",
        /// Someone read a case's authenticity report (it names ID numbers and files).
        ViewAuthenticity => "view_authenticity",
        /// Someone downloaded an original file.
        DownloadOriginal => "download_original",
        /// Someone exported data (a CSV download, say).
        Export => "export",
        /// A reviewer decided on a candidate match.
        ReviewDecision => "review_decision",
        /// Someone set the verification status of a person or document.
        Verification => "verification",
        /// A reviewer concluded about a finding of the authenticity report.
        FindingReviewed => "finding_reviewed",
        /// Someone listed records (a page of the records list or its API).
        ViewRecords => "view_records",
        /// Someone opened one record.
        ViewRecord => "view_record",
        /// Someone opened a document's page or its text through the API.
        ViewDocument => "view_document",
        /// Someone loaded an image's preview (or a thumbnail outside a gallery page).
        ViewPreview => "view_preview",
        /// Someone opened a page of a case's photo gallery; the detail names the photos.
        ViewPhotos => "view_photos",
        /// Someone searched a case; the detail keeps the query and what it returned.
        Search => "search",
        /// Someone searched a case for a list of names; the detail keeps the names.
        BatchSearch => "batch_search",
        /// Someone read a case's statistics (the page or its API).
        ViewStatistics => "view_statistics",
        /// Someone opened a list's review queue (entries and the persons they may be).
        ViewReviewQueue => "view_review_queue",
        /// An editor tagged or untagged a person or document, or added a note; or a user
        /// starred or unstarred one for themselves. The detail says which.
        Annotated => "annotated",
        /// Someone listed the persons and documents carrying a tag.
        ViewTagged => "view_tagged",
        /// An editor set whether a person is published, on what consent, and whether a
        /// minor's name and photo may appear.
        PublicationDecision => "publication_decision",
        /// Someone looked at what the publication rules would publish and withhold.
        ViewPublication => "view_publication",
        /// Someone built (and downloaded) the public site of a case.
        Published => "published",
        /// A request was refused: a case route answered 403 or 404, or a form's CSRF
        /// token was missing or wrong. Probing for case names or ids leaves this trace.
        Refused => "refused",
    }
}

impl AuditAction {
    /// Whether the event records a read of personal data: names, ID numbers, photos,
    /// documents, or figures about people. The audit page counts these per user and hour,
    /// so that bulk copying stands out.
    pub fn reads_personal_data(self) -> bool {
        matches!(
            self,
            AuditAction::ViewPerson
                | AuditAction::ViewAuthenticity
                | AuditAction::DownloadOriginal
                | AuditAction::Export
                | AuditAction::ViewRecords
                | AuditAction::ViewRecord
                | AuditAction::ViewDocument
                | AuditAction::ViewPreview
                | AuditAction::ViewPhotos
                | AuditAction::ViewTagged
                | AuditAction::Search
                | AuditAction::BatchSearch
                | AuditAction::ViewStatistics
                | AuditAction::ViewPublication
                | AuditAction::Published
                | AuditAction::ViewReviewQueue
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_its_action_and_codes_are_distinct() {
        let mut codes = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            assert_eq!(action.code().parse::<AuditAction>(), Ok(action));
            assert!(codes.insert(action.code()), "{action} twice");
        }
        assert!("drop_table".parse::<AuditAction>().is_err());
    }
}
