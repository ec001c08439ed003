//! Verification: an editor sets the status of a person or a document (unverified,
//! corroborated, verified, disputed) with evidence links and a note. Every status is
//! kept; the latest is the current one. Setting one is audited.
//!
//! Other pages show the status with the partial `templates/verification_form.html`,
//! handed a [`VerificationPanel`] named `verification`.

use axum::Json;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use trove_access::{AuditAction, NewAuditEvent};
use trove_model::{BlobId, Role, SubjectKind, Verification, VerificationStatus};

use super::chrome::minute_utc;
use super::record_view::{document_link, subject_link};
use crate::auth::CurrentUser;
use crate::case_data::CaseData;
use crate::error::{ApiError, WebError};
use crate::i18n::Phrase;
use crate::open_case::OpenCase;
use crate::safe_json::SafeJson;
use crate::state::{AppState, audit_before_commit};

/// Verification's routes: setting a status, by form and JSON.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/verification", post(submit))
        .route("/api/cases/{case}/verification", post(api_submit))
}

/// Longest note kept, in characters.
const MAX_NOTE_CHARS: usize = 4000;
/// Most evidence links one status may cite.
const MAX_EVIDENCE: usize = 20;
const MAX_EVIDENCE_CHARS: usize = 2000;

/// A subject's current status and history, and the form to set a new one when the
/// user may (editors and admins).
pub struct VerificationPanel {
    pub case: String,
    pub subject_kind: SubjectKind,
    pub subject: String,
    /// Newest first: the first is the current status.
    pub history: Vec<VerificationView>,
    pub can_edit: bool,
    pub csrf: String,
    pub statuses: [VerificationStatus; 4],
}

impl VerificationPanel {
    /// The current status: unverified until someone sets one.
    pub fn current(&self) -> VerificationStatus {
        self.history
            .first()
            .map_or(VerificationStatus::Unverified, |v| v.status)
    }
}

/// One status as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationView {
    pub status: VerificationStatus,
    pub note: String,
    pub evidence: Vec<EvidenceLink>,
    pub by: String,
    pub at: String,
}

/// A piece of evidence and where it leads: the URL itself, or a document's page.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceLink {
    pub text: String,
    pub href: String,
}

/// The status panel of a subject; call on a blocking thread (it reads the catalog).
pub fn verification_panel(
    data: &CaseData,
    user: &CurrentUser,
    role: Role,
    kind: SubjectKind,
    subject: &str,
) -> Result<VerificationPanel, WebError> {
    let history = data.store.catalog.verification_history(kind, subject)?;
    Ok(VerificationPanel {
        case: data.name.clone(),
        subject_kind: kind,
        subject: subject.to_owned(),
        history: history.iter().rev().map(|v| view(&data.name, v)).collect(),
        can_edit: role.at_least(Role::Editor),
        csrf: user.csrf_token(),
        statuses: VerificationStatus::ALL,
    })
}

pub fn view(case: &str, verification: &Verification) -> VerificationView {
    VerificationView {
        status: verification.status,
        note: verification.note.clone(),
        evidence: verification
            .evidence
            .iter()
            .map(|item| EvidenceLink {
                text: item.clone(),
                href: match item.parse::<BlobId>() {
                    Ok(blob) => document_link(case, &blob),
                    Err(_) => item.clone(),
                },
            })
            .collect(),
        by: verification.by.clone(),
        at: minute_utc(verification.at),
    }
}

/// The form of the partial template. `evidence` holds URLs and document ids, one a line.
#[derive(Debug, Deserialize)]
pub struct VerificationForm {
    subject_kind: String,
    subject: String,
    status: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    evidence: String,
}

/// The API's body.
#[derive(Debug, Deserialize)]
pub struct VerificationRequest {
    subject_kind: String,
    subject: String,
    status: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    evidence: Vec<String>,
}

/// `POST /cases/{case}/verification`: sets a status, then back to the subject's page.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Form(form): Form<VerificationForm>,
) -> Result<Response, WebError> {
    let evidence = form
        .evidence
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let request = VerificationRequest {
        subject_kind: form.subject_kind,
        subject: form.subject,
        status: form.status,
        note: form.note,
        evidence,
    };
    let saved = set_status(&state, &user, &case, request).await?;
    let back = subject_link(&case.name, saved.subject_kind, &saved.subject);
    Ok(Redirect::to(&format!("{back}#verification")).into_response())
}

/// `POST /api/cases/{case}/verification` (JSON).
pub async fn api_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Json(request): Json<VerificationRequest>,
) -> Result<Response, ApiError> {
    let saved = set_status(&state, &user, &case, request).await?;
    Ok((StatusCode::CREATED, SafeJson(view(&case.name, &saved))).into_response())
}

async fn set_status(
    state: &AppState,
    user: &CurrentUser,
    case: &OpenCase,
    request: VerificationRequest,
) -> Result<Verification, WebError> {
    case.require(Role::Editor)?;
    let bad = |error: trove_model::ParseCodeError| WebError::Refused(Phrase::from(&error));
    let kind: SubjectKind = request.subject_kind.parse().map_err(bad)?;
    let status: VerificationStatus = request.status.parse().map_err(bad)?;
    let note = request.note.trim().to_owned();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(WebError::Refused(
            Phrase::new("error.verification_note_too_long").arg("max", MAX_NOTE_CHARS),
        ));
    }
    let evidence = checked_evidence(request.evidence)?;
    let verification = Verification {
        subject_kind: kind,
        subject: request.subject.trim().to_owned(),
        status,
        note,
        evidence,
        by: user.name.clone(),
        at: Utc::now(),
    };
    let event = NewAuditEvent::new(AuditAction::Verification)
        .actor(&user.name)
        .case(&case.name)
        .target(&format!("{kind}:{}", verification.subject))
        .detail(verification.status.code());
    let saved = verification.clone();
    let access = state.clone();
    case.run(move |data| {
        if !subject_exists(data, kind, &verification.subject)? {
            return Err(no_subject(kind, &verification.subject));
        }
        // The status commits only once its audit event is written.
        let mut audit = audit_before_commit(&access, event);
        data.store
            .catalog
            .record_verification_then(&verification, &mut audit)?;
        Ok(())
    })
    .await?;
    Ok(saved)
}

/// The problem of a form that names a person or document the case lacks.
pub(crate) fn no_subject(kind: SubjectKind, subject: &str) -> WebError {
    let key = match kind {
        SubjectKind::Person => "error.no_person",
        SubjectKind::Document => "error.no_document",
    };
    WebError::Refused(Phrase::new(key).arg("subject", format!("{subject:?}")))
}

/// Whether the case holds the person or document a form names.
pub(crate) fn subject_exists(
    data: &CaseData,
    kind: SubjectKind,
    subject: &str,
) -> Result<bool, WebError> {
    Ok(match kind {
        SubjectKind::Person => {
            data.store.catalog.resolve_person(subject)?.as_deref() == Some(subject)
        }
        SubjectKind::Document => match subject.parse::<BlobId>() {
            Ok(blob) => data.store.catalog.document(&blob)?.is_some(),
            Err(_) => false,
        },
    })
}

/// Evidence must be web addresses or document ids: anything else could not be followed
/// (and a `javascript:` link must never reach a page).
fn checked_evidence(items: Vec<String>) -> Result<Vec<String>, WebError> {
    let items: Vec<String> = items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect();
    if items.len() > MAX_EVIDENCE {
        return Err(WebError::Refused(
            Phrase::new("error.evidence_too_many").arg("max", MAX_EVIDENCE),
        ));
    }
    for item in &items {
        let is_url = item.starts_with("https://") || item.starts_with("http://");
        if item.chars().count() > MAX_EVIDENCE_CHARS || !(is_url || item.parse::<BlobId>().is_ok())
        {
            return Err(WebError::Refused(Phrase::new("error.evidence").arg(
                "item",
                format!("{:?}", item.chars().take(80).collect::<String>()),
            )));
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_web_addresses_or_document_ids() {
        let blob = "a".repeat(64);
        let kept = checked_evidence(vec![
            " https://example.org/report ".into(),
            blob.clone(),
            String::new(),
        ])
        .unwrap();
        assert_eq!(kept, vec!["https://example.org/report".to_owned(), blob]);
        assert!(checked_evidence(vec!["javascript:alert(1)".into()]).is_err());
    }
}
