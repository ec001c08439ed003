//! A document: its page (facts, provenance, text by parts), its image
//! preview, its original as an audited download, and the same as JSON.

use std::str::FromStr;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use trove_access::AuditAction;
use trove_model::{BlobId, PartKind, SubjectKind};
use trove_store::{DocumentView, RecordCatalog};

use super::annotations::{AnnotationPanel, annotation_panel};
use super::chrome::{Chrome, render};
use super::record_view::{document_link, person_link, row_link};
use super::verification::{VerificationPanel, verification_panel};
use crate::auth::CurrentUser;
use crate::case_data::CaseData;
use crate::document_view::{DocumentFacts, PartText};
use crate::download::{file_body, safe_file_name};
use crate::error::{ApiError, WebError};
use crate::open_case::OpenCase;
use crate::preview::{PreviewError, png_preview};
use crate::read_audit::Disclosure;
use crate::safe_json::SafeJson;
use crate::sheet_table::{SheetTable, SheetWindow};
use crate::state::AppState;

/// A document's routes: its page, preview, original, and the same as JSON.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/documents/{id}", get(page))
        .route("/cases/{case}/documents/{id}/preview.png", get(preview))
        .route("/cases/{case}/documents/{id}/original", get(original))
        .route("/api/cases/{case}/documents/{id}", get(api_document))
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    chrome: Chrome,
    case: String,
    name: String,
    document: DocumentFacts,
    /// The text by parts, each sheet also as a table.
    parts: Vec<PartShown>,
    /// For a photo, the persons the ID numbers it carries name: (ID number, person page).
    pictured: Vec<(String, Option<String>)>,
    verification: VerificationPanel,
    annotations: AnnotationPanel,
}

/// A part of the text, and for a sheet the table of its window.
struct PartShown {
    part: PartText,
    table: Option<SheetTable>,
}

/// Which window of which sheet to show: `?sheet=2&row=17` opens the second sheet on
/// row 17 (marked); `?sheet=2&from=201` shows its rows from 201.
#[derive(Debug, Default, Deserialize)]
pub struct SheetQuery {
    sheet: Option<u32>,
    row: Option<u32>,
    from: Option<u32>,
}

/// The document `id` of the case, read off the async threads; 404 for an id
/// that is malformed or not in this case's catalog (other cases' documents
/// are in other catalogs, so a case can never show them).
async fn load(case: &OpenCase, id: &str) -> Result<DocumentView, WebError> {
    let id = BlobId::from_str(id).map_err(|_| WebError::NotFound)?;
    case.run(move |data| data.store.catalog.document(&id)?.ok_or(WebError::NotFound))
        .await
}

/// `GET /cases/{case}/documents/{id}`.
pub async fn page(
    user: CurrentUser,
    case: OpenCase,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<SheetQuery>,
) -> Result<(Disclosure, Html<String>), WebError> {
    let view = load(&case, &id).await?;
    let read = disclosure(&case, &view);
    let sheets = {
        let (parts, blob, name) = (view.parts.clone(), view.id.clone(), case.name.clone());
        case.run(move |data| sheet_tables(data, &name, &blob, &parts, &query))
            .await?
    };
    let pictured = if view.kind.is_image() {
        let (blob, name) = (view.id.clone(), case.name.clone());
        case.run(move |data| pictured(data, &name, &blob)).await?
    } else {
        Vec::new()
    };
    let panel_user = user.clone();
    let role = case.role;
    let subject = view.id.as_str().to_owned();
    let (verification, annotations) = case
        .run(move |data| {
            let kind = SubjectKind::Document;
            Ok((
                verification_panel(data, &panel_user, role, kind, &subject)?,
                annotation_panel(data, &panel_user, role, kind, &subject)?,
            ))
        })
        .await?;
    let document = DocumentFacts::from(&view);
    let name = document.name(view.metadata.title.as_deref());
    let page = render(&DocumentPage {
        chrome: Chrome::titled(&user, &name),
        case: case.name,
        name,
        pictured,
        parts: document
            .parts
            .iter()
            .cloned()
            .zip(sheets)
            .map(|(part, table)| PartShown { part, table })
            .collect(),
        document,
        verification,
        annotations,
    })?;
    Ok((read, page))
}

/// The ID numbers a photo carries (in its name or EXIF), each with the page of the person
/// it names when the records know one.
fn pictured(
    data: &CaseData,
    case: &str,
    blob: &BlobId,
) -> Result<Vec<(String, Option<String>)>, WebError> {
    let images = data.images()?;
    let Some(image) = images.iter().find(|image| &image.blob == blob) else {
        return Ok(Vec::new());
    };
    let catalog: &dyn RecordCatalog = &*data.store.catalog;
    image
        .id_numbers
        .iter()
        .map(|number| {
            let person = catalog.resolve_person(number)?;
            Ok((number.clone(), person.map(|key| person_link(case, &key))))
        })
        .collect()
}

/// A table for each sheet part (`None` for the other parts), each with the window the
/// query asks for, its header row, and the records read from the rows shown.
fn sheet_tables(
    data: &CaseData,
    case: &str,
    blob: &BlobId,
    parts: &[trove_model::Part],
    query: &SheetQuery,
) -> Result<Vec<Option<SheetTable>>, WebError> {
    let catalog: &dyn RecordCatalog = &*data.store.catalog;
    let page = document_link(case, blob);
    parts
        .iter()
        .enumerate()
        .map(|(seq, part)| {
            if part.kind != PartKind::Sheet {
                return Ok(None);
            }
            let seq = seq as u32;
            let asked = query.sheet == Some(part.index);
            let window = SheetWindow {
                page: &page,
                index: part.index,
                text: &part.text,
                from: query.from.filter(|_| asked),
                focus: query.row.filter(|_| asked),
                header_row: catalog.header_row(blob, seq)?,
            };
            let table = window.table(
                |first, last| catalog.records_in_rows(blob, seq, first, last),
                |row, column| row_link(case, blob, seq, row, column),
            )?;
            Ok(Some(table))
        })
        .collect()
}

/// The audit record of reading a document's text: which document, by its first path.
fn disclosure(case: &OpenCase, view: &DocumentView) -> Disclosure {
    Disclosure::new(AuditAction::ViewDocument, &case.name)
        .target(view.id.as_str())
        .detail(first_path(view))
}

fn first_path(view: &DocumentView) -> String {
    view.occurrences
        .first()
        .map(|o| o.path.clone())
        .unwrap_or_default()
}

/// `GET /api/cases/{case}/documents/{id}`.
pub async fn api_document(
    case: OpenCase,
    Path((_, id)): Path<(String, String)>,
) -> Result<(Disclosure, SafeJson<DocumentFacts>), ApiError> {
    let view = load(&case, &id).await?;
    Ok((
        disclosure(&case, &view),
        SafeJson(DocumentFacts::from(&view)),
    ))
}

/// `GET /cases/{case}/documents/{id}/preview.png`: an image document drawn
/// again as a PNG of at most 800 pixels a side; never the original's bytes.
/// Drawn once and kept in the store's `previews/` folder (derived data, like the
/// index); at most [`crate::state::PARALLEL_PREVIEWS`] are drawn at a time, as each
/// may hold a large image's pixels.
pub async fn preview(
    State(state): State<AppState>,
    case: OpenCase,
    Path((_, id)): Path<(String, String)>,
) -> Result<(Disclosure, Response), WebError> {
    let view = load(&case, &id).await?;
    if !view.kind.is_image() {
        return Err(WebError::NotFound);
    }
    let read = Disclosure::new(AuditAction::ViewPreview, &case.name).target(view.id.as_str());
    if let Some(png) = kept_preview(&case, &view.id).await? {
        return Ok((read, png_response(png)));
    }
    let _turn = state.preview_turn().await;
    // Another request for the same image may have drawn it while this one waited.
    if let Some(png) = kept_preview(&case, &view.id).await? {
        return Ok((read, png_response(png)));
    }
    let png = case
        .run(move |data| {
            let original = data.store.blobs.read(&view.id)?;
            let png = png_preview(view.kind, &original);
            if let Ok(png) = &png {
                keep_preview(&data.store, &view.id, png);
            }
            Ok(png)
        })
        .await?
        .map_err(|error| match error {
            PreviewError::NotAnImage(_) => WebError::NotFound,
            other => WebError::BadRequest(other.to_string()),
        })?;
    Ok((read, png_response(png)))
}

fn png_response(png: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "image/png")], png).into_response()
}

/// The preview kept for `id`, if one was drawn before.
async fn kept_preview(case: &OpenCase, id: &BlobId) -> Result<Option<Vec<u8>>, WebError> {
    let id = id.clone();
    case.run(move |data| Ok(std::fs::read(preview_path(&data.store, &id)).ok()))
        .await
}

/// Where a blob's preview is kept.
fn preview_path(store: &trove_store::Store, id: &trove_model::BlobId) -> std::path::PathBuf {
    store.root().join("previews").join(format!("{id}.png"))
}

/// Keeps a drawn preview for the next request: written aside, then renamed into place,
/// so a reader never sees half a file. A preview that cannot be kept is drawn again next
/// time; nothing else depends on it.
fn keep_preview(store: &trove_store::Store, id: &trove_model::BlobId, png: &[u8]) {
    let path = preview_path(store, id);
    let Some(folder) = path.parent() else { return };
    let kept = std::fs::create_dir_all(folder).and_then(|()| {
        let mut staged = tempfile::NamedTempFile::new_in(folder)?;
        std::io::Write::write_all(&mut staged, png)?;
        staged.persist(&path).map(|_| ()).map_err(|e| e.error)
    });
    if let Err(error) = kept {
        eprintln!(
            "warning: the preview of {id} could not be kept in {}: {error}",
            folder.display()
        );
    }
}

/// `GET /cases/{case}/documents/{id}/original`: the original bytes, as a
/// download only (never shown inline), recorded in the audit trail before
/// the first byte is sent.
pub async fn original(
    case: OpenCase,
    Path((_, id)): Path<(String, String)>,
) -> Result<(Disclosure, Response), WebError> {
    let view = load(&case, &id).await?;
    let path = first_path(&view);
    let read = Disclosure::new(AuditAction::DownloadOriginal, &case.name)
        .target(view.id.as_str())
        .detail(path.clone());
    let blob = view.id.clone();
    let file = case
        .run(move |data| Ok(data.store.blobs.open_blob(&blob)?))
        .await?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        safe_file_name(&view.id, &path)
    );
    let mut response = Response::new(file_body(file));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(view.size));
    // The name is ASCII letters, digits and `.-_` only, so this cannot fail;
    // if it ever did, the browser would pick a name.
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    } else {
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment"),
        );
    }
    Ok((read, response))
}
