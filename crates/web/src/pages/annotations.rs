//! Tags, notes and stars on persons and documents. Editors tag (shared within the case) and
//! add notes (kept as a history); every member stars things for themselves. Each change is
//! written with its audit event in one transaction. A tag's page lists what carries it,
//! and the records list narrows by it (`tag:NAME`).
//!
//! Person and document pages show the panel with `templates/annotations_panel.html`,
//! handed an [`AnnotationPanel`] named `annotations`.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use trove_access::{AuditAction, NewAuditEvent};
use trove_model::{BlobId, Role, SubjectKind};
use trove_store::{Annotation, RecordCatalog};

use super::chrome::{Chrome, minute_utc, render};
use super::record_view::{document_link, person_link, subject_link};
use super::verification::{no_subject, subject_exists};
use crate::auth::CurrentUser;
use crate::case_data::CaseData;
use crate::error::{ApiError, WebError};
use crate::i18n::Phrase;
use crate::open_case::OpenCase;
use crate::read_audit::{Disclosure, listed};
use crate::safe_json::SafeJson;
use crate::state::{AppState, audit_before_commit};

/// Annotations' routes: changing them by form and JSON, and a tag's page.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/annotations", post(submit))
        .route("/api/cases/{case}/annotations", post(api_submit))
        .route("/cases/{case}/tags/{tag}", get(tagged))
}

/// Longest tag, in characters.
const MAX_TAG_CHARS: usize = 40;
/// Longest note, in characters.
const MAX_NOTE_CHARS: usize = 4000;

/// A subject's tags, notes and the user's star, with the forms the user may use.
pub struct AnnotationPanel {
    pub case: String,
    pub subject_kind: SubjectKind,
    pub subject: String,
    /// (tag, its page).
    pub tags: Vec<(String, String)>,
    pub notes: Vec<NoteView>,
    pub starred: bool,
    /// Editors and admins tag and note; every member stars.
    pub can_edit: bool,
    pub csrf: String,
}

/// A note as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct NoteView {
    pub note: String,
    pub by: String,
    pub at: String,
}

/// The panel of a subject; call on a blocking thread (it reads the catalog).
pub fn annotation_panel(
    data: &CaseData,
    user: &CurrentUser,
    role: Role,
    kind: SubjectKind,
    subject: &str,
) -> Result<AnnotationPanel, WebError> {
    let catalog = &*data.store.catalog;
    Ok(AnnotationPanel {
        case: data.name.clone(),
        subject_kind: kind,
        subject: subject.to_owned(),
        tags: catalog
            .tags_of(kind, subject)?
            .into_iter()
            .map(|tag| {
                let link = tag_link(&data.name, &tag);
                (tag, link)
            })
            .collect(),
        notes: catalog
            .notes_of(kind, subject)?
            .into_iter()
            .map(|note| NoteView {
                note: note.note,
                by: note.by,
                at: minute_utc(note.at),
            })
            .collect(),
        starred: catalog.starred(&user.name, kind, subject)?,
        can_edit: role.at_least(Role::Editor),
        csrf: user.csrf_token(),
    })
}

fn tag_link(case: &str, tag: &str) -> String {
    let tag: String = serde_urlencoded::to_string([("", tag)])
        .unwrap_or_default()
        .trim_start_matches('=')
        .to_owned();
    format!("/cases/{case}/tags/{tag}")
}

/// A change, as the panel's forms and the API send it.
#[derive(Debug, Deserialize)]
pub struct AnnotationRequest {
    subject_kind: String,
    subject: String,
    /// tag, untag, note, star or unstar.
    change: String,
    /// The tag or the note.
    #[serde(default)]
    value: String,
}

/// `POST /cases/{case}/annotations`: makes the change, then back to the subject's page.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Form(request): Form<AnnotationRequest>,
) -> Result<Response, WebError> {
    let (kind, subject) = annotate(&state, &user, &case, request).await?;
    let back = subject_link(&case.name, kind, &subject);
    Ok(Redirect::to(&format!("{back}#annotations")).into_response())
}

/// `POST /api/cases/{case}/annotations` (JSON): answers the subject's annotations.
pub async fn api_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Json(request): Json<AnnotationRequest>,
) -> Result<Response, ApiError> {
    let (kind, subject) = annotate(&state, &user, &case, request).await?;
    let (panel_user, role) = (user.clone(), case.role);
    let panel = case
        .run(move |data| annotation_panel(data, &panel_user, role, kind, &subject))
        .await?;
    let answer = serde_json::json!({
        "subject_kind": kind.code(),
        "subject": panel.subject,
        "tags": panel.tags.iter().map(|(tag, _)| tag).collect::<Vec<_>>(),
        "notes": panel.notes,
        "starred": panel.starred,
    });
    Ok((StatusCode::CREATED, SafeJson(answer)).into_response())
}

async fn annotate(
    state: &AppState,
    user: &CurrentUser,
    case: &OpenCase,
    request: AnnotationRequest,
) -> Result<(SubjectKind, String), WebError> {
    let kind: SubjectKind = request
        .subject_kind
        .parse()
        .map_err(|e: trove_model::ParseCodeError| WebError::Refused(Phrase::from(&e)))?;
    let change = parse_change(&request.change, &request.value)?;
    if !matches!(change, Annotation::Star | Annotation::Unstar) {
        case.require(Role::Editor)?;
    }
    let subject = request.subject.trim().to_owned();
    let detail = match &change {
        Annotation::Tag(tag) => format!("tag added: {tag}"),
        Annotation::Untag(tag) => format!("tag removed: {tag}"),
        Annotation::Note(note) => {
            format!("note added: {}", note.chars().take(200).collect::<String>())
        }
        Annotation::Star => "starred".to_owned(),
        Annotation::Unstar => "star removed".to_owned(),
    };
    let event = NewAuditEvent::new(AuditAction::Annotated)
        .actor(&user.name)
        .case(&case.name)
        .target(&format!("{kind}:{subject}"))
        .detail(detail);
    let (by, access, written) = (user.name.clone(), state.clone(), subject.clone());
    case.run(move |data| {
        if !subject_exists(data, kind, &written)? {
            return Err(no_subject(kind, &written));
        }
        // The change commits only once its audit event is written.
        let mut audit = audit_before_commit(&access, event);
        data.store
            .catalog
            .annotate_then(kind, &written, &change, &by, Utc::now(), &mut audit)?;
        Ok(())
    })
    .await?;
    Ok((kind, subject))
}

/// The change a form or request asks for, its value checked.
fn parse_change(change: &str, value: &str) -> Result<Annotation, WebError> {
    let value = value.trim();
    let tag = || -> Result<String, WebError> {
        let fits = !value.is_empty()
            && value.chars().count() <= MAX_TAG_CHARS
            && !value.chars().any(|c| c.is_whitespace() || c.is_control());
        if fits {
            Ok(value.to_owned())
        } else {
            Err(WebError::Refused(
                Phrase::new("error.tag")
                    .arg("max", MAX_TAG_CHARS)
                    .arg("value", format!("{value:?}")),
            ))
        }
    };
    Ok(match change {
        "tag" => Annotation::Tag(tag()?),
        "untag" => Annotation::Untag(tag()?),
        "note" if value.is_empty() => {
            return Err(WebError::Refused(Phrase::new("error.note_empty")));
        }
        "note" if value.chars().count() > MAX_NOTE_CHARS => {
            return Err(WebError::Refused(
                Phrase::new("error.note_too_long").arg("max", MAX_NOTE_CHARS),
            ));
        }
        "note" => Annotation::Note(value.to_owned()),
        "star" => Annotation::Star,
        "unstar" => Annotation::Unstar,
        other => {
            return Err(WebError::Refused(
                Phrase::new("error.no_such_change").arg("change", other),
            ));
        }
    })
}

#[derive(Template)]
#[template(path = "tagged.html")]
struct TaggedPage {
    chrome: Chrome,
    case: String,
    tag: String,
    records_link: String,
    /// (name or key, page).
    persons: Vec<(String, String)>,
    /// (first path, page).
    documents: Vec<(String, String)>,
}

/// `GET /cases/{case}/tags/{tag}`: what carries the tag.
pub async fn tagged(
    user: CurrentUser,
    case: OpenCase,
    Path((_, tag)): Path<(String, String)>,
) -> Result<(Disclosure, Html<String>), WebError> {
    let (name, wanted) = (case.name.clone(), tag.clone());
    let (persons, documents) = case
        .run(move |data| {
            let catalog = &*data.store.catalog;
            let records: &dyn RecordCatalog = catalog;
            let mut persons = Vec::new();
            for key in catalog.tagged(&wanted, SubjectKind::Person)? {
                let filter = trove_store::RecordFilter {
                    person: Some(key.clone()),
                    ..Default::default()
                };
                let mut label = None;
                records.for_each_record(&filter, 0, Some(1), &mut |stored| {
                    label = stored.record.fields.name;
                    Ok(())
                })?;
                persons.push((label.unwrap_or_else(|| key.clone()), key));
            }
            let mut documents = Vec::new();
            for id in catalog.tagged(&wanted, SubjectKind::Document)? {
                let Ok(blob) = id.parse::<BlobId>() else {
                    continue;
                };
                let path = records.blob_paths(&blob)?.into_iter().next().unwrap_or(id);
                documents.push((path, document_link(&name, &blob)));
            }
            Ok((persons, documents))
        })
        .await?;
    let read = Disclosure::new(AuditAction::ViewTagged, &case.name)
        .target(tag.as_str())
        .detail(format!(
            "{}; {}",
            listed("persons", persons.iter().map(|(_, key)| key)),
            listed("documents", documents.iter().map(|(path, _)| path))
        ));
    let persons = persons
        .into_iter()
        .map(|(name, key)| (name, person_link(&case.name, &key)))
        .collect();
    let records = serde_urlencoded::to_string([("q", format!("tag:{tag}"))]).unwrap_or_default();
    let page = render(&TaggedPage {
        chrome: Chrome::titled(
            &user,
            user.language
                .msg("title.tag")
                .arg("tag", &tag)
                .arg("case", &case.name),
        ),
        records_link: format!("/cases/{}/records?{records}", case.name),
        case: case.name,
        tag,
        persons,
        documents,
    })?;
    Ok((read, page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_is_one_short_word_and_a_note_is_not_empty() {
        assert_eq!(
            parse_change("tag", " family-report ").unwrap(),
            Annotation::Tag("family-report".into())
        );
        assert!(parse_change("tag", "two words").is_err());
        assert!(parse_change("tag", &"x".repeat(MAX_TAG_CHARS + 1)).is_err());
        assert!(parse_change("note", "  ").is_err());
        assert!(parse_change("delete", "x").is_err());
        assert_eq!(parse_change("star", "").unwrap(), Annotation::Star);
    }
}
